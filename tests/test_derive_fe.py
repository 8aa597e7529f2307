"""FE, YPMAD, NCCIS and HE columns agree with the records they are derived from, checked as
properties of the suite's small run (1,000 persons) with SQL, as a researcher would: ILR aims
against their LARS row and the learner's DWP benefit spells; YPMAD counts and flags against the
KS4, KS5 and ILR records of the same person; NCCIS activity against the ILR and HESA records of
the same month."""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict

import pytest
from conftest import one as _one

from leo_synth.relations.ks5_subjects import subject_titles
from leo_synth.simulation.further_education import FIRST_ILR_YEAR, LAST_ILR_YEAR


@pytest.fixture(scope="module")
def db(small_sqlite_connection: sqlite3.Connection) -> sqlite3.Connection:
    return small_sqlite_connection




def test_aims_follow_their_lars_row(db) -> None:
    """Title, qualification type, sector subject areas and full-level widths of an aim are its
    LARS row's; ZPROG001 (the programme aim) has no LARS row and no title."""
    rows, bad = _one(db, """
        SELECT count(*), sum(a.AimTitle <> l.AimTitle OR a.QualificationType <> l.QualType
                             OR a.SSATier1 <> l.SectorSubjectAreaT1
                             OR a.SSATier2 <> l.SectorSubjectAreaT2
                             OR coalesce(a.FL2Width <> l.L2_percent, 0)
                             OR coalesce(a.FL3Width <> l.L3_percent, 0))
        FROM aims a JOIN lars l ON l.LearnAimRef = a.learning_aim_id AND l.Year = a.Year""")
    assert rows > 500 and bad == 0
    orphans, titled_programmes = _one(db, """
        SELECT sum(l.LearnAimRef IS NULL AND a.learning_aim_id <> 'ZPROG001'),
               sum(a.learning_aim_id = 'ZPROG001' AND a.AimTitle IS NOT NULL)
        FROM aims a LEFT JOIN lars l ON l.LearnAimRef = a.learning_aim_id AND l.Year = a.Year""")
    assert (orphans, titled_programmes) == (0, 0)


def test_an_aims_start_age_is_the_learners_age_on_its_start_date(db) -> None:
    """AgeAimStart is the age on the aim's start date (the census's month and year of birth
    decide it outside the birth month), the same in every year a continuing aim is reported;
    AgeProgStart is the age at the record's first start, never above AgeAimStart. (It was the
    record's AcAge, age on 31 August: a continuing aim gained a year in each year reported.)"""
    aims, ages = _one(db, """
        SELECT count(*), sum(ages > 1) FROM (
            SELECT count(DISTINCT a.AgeAimStart) ages FROM aims a
            JOIN education_records_lookup e ON e.RECORDID = a.RECORDID
            GROUP BY e.AE_ID, a.learning_aim_id, a.start_date HAVING count(*) > 1)""")
    assert aims > 50 and ages == 0, (aims, ages)
    rows, wrong, programme_after = _one(db, """
        WITH birth AS (
            SELECT p.AE_ID ae, max(c.YearOfBirth_spr10) yob, max(c.MonthOfBirth_spr10) mob
            FROM spring_census_2010 c
            JOIN learner_ae_id_to_pmr_lookup p
              ON p.PUPILMATCHINGREFANONYMOUS = c.PupilMatchingRefAnonymous_spr10
            GROUP BY p.AE_ID)
        SELECT count(*),
               sum(a.AgeAimStart <> CAST(strftime('%Y', a.start_date) AS INT) - b.yob
                   - (CAST(strftime('%m', a.start_date) AS INT) < b.mob)),
               sum(a.AgeProgStart > a.AgeAimStart)
        FROM aims a JOIN education_records_lookup e ON e.RECORDID = a.RECORDID
        JOIN birth b ON b.ae = e.AE_ID
        WHERE CAST(strftime('%m', a.start_date) AS INT) <> b.mob""")
    assert rows > 200 and wrong == 0 and programme_after == 0, (rows, wrong, programme_after)


def test_a_learners_difficulty_details_follow_the_lldd_flag(db) -> None:
    """LLDD_Detail, Disability and LearnDiff agree with LLDD (none: -1, 98 and 98; not
    provided: 99 in all three) and with each other (a primary disability is the learner's
    Disability, a learning difficulty its LearnDiff, the other 98), and a learner has the same
    category in every record (they were three independent draws per record)."""
    rows, bad = _one(db, """
        SELECT count(*), sum(CASE LLDD
            WHEN 2 THEN NOT (LLDD_Detail = -1 AND Disability = 98 AND LearnDiff = 98)
            WHEN 9 THEN NOT (LLDD_Detail = 99 AND Disability = 99 AND LearnDiff = 99)
            ELSE LLDD_Detail < 0 OR (Disability = 98 AND LearnDiff = 98)
                 OR (LLDD_Detail = 9 AND NOT (Disability = 7 AND LearnDiff = 98))
                 OR (LLDD_Detail = 12 AND NOT (Disability = 98 AND LearnDiff = 10))
                 OR ((LLDD_Detail = 0) <> (Disability = 90 AND LearnDiff = 90)) END)
        FROM learners WHERE LLDD IN (1, 2, 9)""")
    assert rows > 500 and bad == 0
    with_one, kinds = _one(db, """
        SELECT count(*), sum(n > 1) FROM (
            SELECT r.AE_ID, count(DISTINCT l.LLDD_Detail) AS n FROM learners l
            JOIN education_records_lookup r ON r.RECORDID = l.RECORDID
            WHERE l.LLDD = 1 GROUP BY 1)""")
    assert with_one > 20 and kinds == 0


def test_an_aims_grade_follows_its_outcome(db) -> None:
    """OutGrade (outcome_grade) is PA for an achieved aim and FL for one completed without
    achievement; a continuing or withdrawn aim has none. An achieved GCSE (a condition of
    funding resit) has its grade: 9-1 from 2016/17, A*-G (A* as *) before; a completed A level
    (a sixth-form college student's) its grade, A*-E when achieved, U when not; an AS level
    likewise, with no A*."""
    rows, bad, passed, failed, gcse, a_levels = _one(db, """
        SELECT count(*),
               sum(coalesce(outcome_grade, '-') <> CASE
                   WHEN QualificationType IN ('0001', '0002') AND Compstatus = 2 THEN
                       CASE WHEN (outcome = 1 AND outcome_grade IN ('A*', 'A', 'B', 'C', 'D',
                                                                    'E')
                                  AND NOT (QualificationType = '0001' AND outcome_grade = 'A*'))
                              OR (outcome = 3 AND outcome_grade = 'U')
                            THEN outcome_grade ELSE 'not a grade' END
                   WHEN outcome = 1 AND QualificationType = '0003' THEN
                       CASE WHEN (Year >= 2016 AND outcome_grade IN ('1', '2', '3', '4', '5',
                                                                     '6', '7', '8', '9'))
                              OR (Year < 2016 AND outcome_grade IN ('*', 'A', 'B', 'C', 'D',
                                                                    'E', 'F', 'G'))
                            THEN outcome_grade ELSE 'not a grade' END
                   WHEN outcome = 1 THEN 'PA' WHEN outcome = 3 AND Compstatus = 2 THEN 'FL'
                   ELSE '-' END),
               sum(outcome_grade = 'PA'), sum(outcome_grade = 'FL'),
               sum(QualificationType = '0003' AND outcome = 1),
               sum(QualificationType = '0002' AND outcome = 1)
        FROM aims""")
    assert rows > 500 and bad == 0 and passed > 100 and failed > 5 and gcse > 5, (
        rows, bad, passed, failed, gcse)
    assert a_levels > 20, a_levels


def test_a_sixth_form_colleges_a_levels_are_the_ks5_a_levels(db) -> None:
    """A KS5 student of a sixth-form college (KS5_NEW_TYPE 6) has ILR aims that are the KS5
    exam table's A levels: "GCE A level in <subject>" (QualificationType 0002), one per KS5
    A level with its grade as OutGrade in the KS5 year, returned in both years at one
    provider; no one else has an A level aim (but a Year 12 student of the last ILR year)."""
    titles = subject_titles()
    ks5: dict[str, Counter] = defaultdict(Counter)
    for person, year, mapping, grade in db.execute("""
            SELECT p.AE_ID, substr(KS5_ACADYR, 1, 4), KS5_MAPPING, KS5_GRADE
            FROM KS5Exam_2002_to_2021 JOIN learner_ae_id_to_pmr_lookup p
              ON p.PUPILMATCHINGREFANONYMOUS = KS5_PupilMatchingRefAnonymous
            WHERE KS5_SUBLEVNO = 111"""):
        ks5[person][(int(year), f"GCE A level in {titles[mapping]}", grade)] += 1
    college = {row[0] for row in db.execute("""
        SELECT p.AE_ID FROM KS5Student_2002_to_2021 JOIN learner_ae_id_to_pmr_lookup p
          ON p.PUPILMATCHINGREFANONYMOUS = KS5_PupilMatchingRefAnonymous
        WHERE KS5_NEW_TYPE = 6""")}
    ilr: dict[str, Counter] = defaultdict(Counter)
    providers: dict[str, set] = defaultdict(set)
    years: dict[str, set] = defaultdict(set)
    for person, year, title, grade, status, provider in db.execute("""
            SELECT r.AE_ID, a.Year, a.AimTitle, a.outcome_grade, a.Compstatus, a.ukprn_anon
            FROM aims a JOIN education_records_lookup r ON r.RECORDID = a.RECORDID
            WHERE a.QualificationType = '0002'"""):
        providers[person].add(provider)
        years[person].add(year)
        if status == 2:
            ilr[person][(year, title, grade)] += 1
    assert len(ilr) > 10 and len(college & set(ilr)) > 10, (len(ilr), len(college))
    # (a student in Year 12 in 2020/21, the last ILR year, has no KS5 year in the extract)
    assert all(person in ks5 for person in providers if years[person] != {2020})
    assert all(ilr[person] == ks5[person] for person in ilr), next(
        (person, ilr[person], ks5[person]) for person in ilr if ilr[person] != ks5[person])
    assert all(len(providers[person]) == 1 for person in providers)
    assert sum(len(years[person]) == 2 for person in years) > 0.9 * len(years)


def test_a_sixth_form_colleges_as_level_is_an_ilr_aim(db) -> None:
    """A sixth-form college student's KS5 AS level is an ILR aim of Year 12: "GCE AS level in
    <subject>" (QualificationType 0001), completed that year with the KS5 grade as OutGrade,
    on the record of the student's A levels, half an A level's width to level 3 (25); no one
    else has an AS level aim. (The college
    students are those with GCE A level aims: KS5_NEW_TYPE is not held every year.)"""
    titles = subject_titles()
    ks5 = {(person, int(year) - 1, f"GCE AS level in {titles[mapping]}", grade)
           for person, year, mapping, grade in db.execute("""
               SELECT p.AE_ID, substr(x.KS5_ACADYR, 1, 4), x.KS5_MAPPING, x.KS5_GRADE
               FROM KS5Exam_2002_to_2021 x
               JOIN learner_ae_id_to_pmr_lookup p
                 ON p.PUPILMATCHINGREFANONYMOUS = x.KS5_PupilMatchingRefAnonymous
               WHERE x.KS5_SUBLEVNO = 121 AND p.AE_ID IN (
                   SELECT r.AE_ID FROM aims a
                   JOIN education_records_lookup r ON r.RECORDID = a.RECORDID
                   WHERE a.QualificationType = '0002')""")}
    ilr = set(db.execute("""
        SELECT r.AE_ID, a.Year, a.AimTitle, a.outcome_grade
        FROM aims a JOIN education_records_lookup r ON r.RECORDID = a.RECORDID
        WHERE a.QualificationType = '0001' AND a.Year < ?""", (LAST_ILR_YEAR,)).fetchall())
    # (Year 12 in 2020/21, the last ILR year, is a KS5 year after the extract's last)
    in_ilr_years = {row for row in ks5 if FIRST_ILR_YEAR <= row[1] < LAST_ILR_YEAR}
    assert len(ilr) >= 3 and ilr == in_ilr_years, (len(ilr), ilr ^ in_ilr_years)
    bad = _one(db, """
        SELECT count(*) FROM aims a
        WHERE a.QualificationType = '0001'
          AND (a.Compstatus <> 2 OR coalesce(a.FL3Width, 25) <> 25 OR NOT EXISTS (
                SELECT 1 FROM aims b WHERE b.RECORDID = a.RECORDID
                AND b.QualificationType = '0002'))""")
    assert bad == (0,)


def test_a_16_to_18_learner_stays_at_one_provider(db) -> None:
    """A college learner of 16-18 (not an apprentice) returned in more than one year is at
    one provider in all of them: the years of one course or programme."""
    learners, movers = _one(db, """
        SELECT count(*), sum(providers > 1) FROM (
            SELECT r.AE_ID, count(DISTINCT l.ukprn_anon) AS providers,
                   count(DISTINCT l.Year) AS years
            FROM learners l JOIN education_records_lookup r ON r.RECORDID = l.RECORDID
            WHERE l.AcAge BETWEEN 16 AND 18
              AND l.RECORDID NOT IN (SELECT RECORDID FROM aims WHERE programme_type > 0)
            GROUP BY r.AE_ID HAVING years > 1)""")
    assert learners > 50 and movers == 0, (learners, movers)


def test_aim_levels_and_flags(db) -> None:
    """Full level flags follow the widths, achieved widths the outcome, the level-of-learning
    group the apprenticeship and level, and workplace / classroom learning the programme (-1
    is the ILR's stand-in for a missing value, the lilr_minus_one quirk: not compared)."""
    bad = _one(db, """
        SELECT sum(FullL2 <> (FL2Width = 100)), sum(FullL3 <> (FL3Width = 100)),
               sum(PartialL2 <> (FL2Width > 0 AND FL2Width < 100)),
               sum(PartialL3 <> (FL3Width > 0 AND FL3Width < 100)),
               sum(QualificationType = '0003' AND (FL2Width <> 20 OR PartialL2 <> 1)),
               sum(nullif(FL2AchWidth, -1) <> CASE WHEN outcome = 1 THEN FL2Width ELSE 0 END),
               sum(programme_type > 0 AND NotionalNVQLev = 3 AND LevelOfLearning <> 9.5),
               sum(programme_type < 0 AND FL3Width = 100 AND NotionalNVQLev = 3
                   AND LevelOfLearning <> 9.1),
               sum(nullif(WPL, -1) <> (programme_type > 0)),
               sum(nullif(CBL, -1) + nullif(WPL, -1) <> 1),
               sum(EngMath <> ((AimTitle LIKE '%in English' OR AimTitle LIKE '%in Mathematics')
                                  AND QualificationType NOT IN ('0001', '0002'))),
               sum(nullif(framework_id, -1) IS NOT NULL
                   AND programme_type NOT IN (2, 3, 20, 21, 22, 23)),
               sum(nullif(Standard_id, -1) IS NOT NULL AND programme_type <> 25)
        FROM aims WHERE FL2Width IS NOT NULL AND LevelOfLearning IS NOT NULL""")
    assert all(b == 0 for b in bad), bad
    bad = _one(db, """
        SELECT sum(SOF <> CASE WHEN FundModel IN (21, 25) THEN 107 WHEN FundModel = 10 THEN 108
                               ELSE 105 END),
               sum((nullif(SFL_Type, -1) IN (1, 2)) <> EngMath),
               sum(nullif(ASL, -1) IS NOT NULL AND FundModel <> 10)
        FROM aims""")
    assert all(not b for b in bad), bad
    # (an A or AS level in English or mathematics is not a basic skill)
    assert not _one(db, """SELECT sum(SFL <> ((AimTitle LIKE '%in English'
                                           OR AimTitle LIKE '%in Mathematics')
                                          AND QualType NOT IN ('0001', '0002'))) FROM lars""")[0]
    levels = dict(db.execute("SELECT LevelOfLearning, count(*) FROM aims GROUP BY 1"))
    assert {7.5, 7.3, 9.1, 1.0} <= set(levels)


def _spell_exists(window: str) -> str:
    return f"""EXISTS (SELECT 1 FROM leo_benefit b
                       JOIN learner_ae_id_to_edukey_lookup e ON e.EDUKEY = b.EduKey
                       WHERE e.AE_ID = r.AE_ID AND {window})"""


def test_aim_benefit_flags_follow_dwp_spells(db) -> None:
    """OnBenefits_AtStart is 1 exactly when one of the learner's DWP spells covers the start
    date; OnBenefits_6MonthPrior (apprenticeship aims only) when one overlaps the 183 days
    before it; the benefit-type flags nest in the any-benefit flag."""
    at_start = _spell_exists("b.StartDate <= a.start_date AND b.EndDate >= a.start_date")
    prior = _spell_exists("b.StartDate < a.start_date "
                          "AND b.EndDate >= date(a.start_date, '-183 days')")
    rows, bad_start, bad_prior, flagged = _one(db, f"""
        SELECT count(*), sum(a.OnBenefits_AtStart <> {at_start}),
               sum(a.OnBenefits_6MonthPrior <> (a.programme_type > 0 AND {prior})),
               sum(a.OnBenefits_AtStart)
        FROM aims a JOIN education_records_lookup r ON r.RECORDID = a.RECORDID
        WHERE a.OnBenefits_AtStart IS NOT NULL AND a.OnBenefits_6MonthPrior IS NOT NULL""")
    assert rows > 500 and flagged > 0
    assert (bad_start, bad_prior) == (0, 0)
    bad = _one(db, """
        SELECT sum(max(OnUC_AtStart, OnJSAESA_AtStart, OnOtherBenefit_AtStart)
                   > OnBenefits_AtStart),
               sum(max(OnUC_6MonthPrior, OnJSAESA_6MonthPrior, OnOtherBenefit_6MonthPrior)
                   > OnBenefits_6MonthPrior)
        FROM aims""")
    assert bad == (0, 0)


YPMAD = "YPMAD_2002_to_2021"
_YPMAD_PERSONS = f"""WITH y AS (SELECT y.*, p.AE_ID FROM {YPMAD} y
                     JOIN learner_ae_id_to_pmr_lookup p
                       ON p.PUPILMATCHINGREFANONYMOUS = y.YPMAD_PupilMatchingRefAnonymous)"""


def test_ypmad_gcse_and_a_level_counts_follow_exam_rows(db) -> None:
    """GCSE counts are the person's KS4 exam rows at A*-C / 9-4 and A*-G / 9-1, and A*-C /
    9-4 counts the GCSE resits (ILR aims, and a school sixth former's KS5 exam rows) at those
    grades by the year; A level passes the KS5 exam rows of A levels at A*-E of earlier or the
    same academic year, AS level passes likewise (they were all 0); the academic widths and
    thresholds follow from the counts (20 per GCSE, 50 per A level, 25 per AS level, 100 =
    the level)."""
    resits = """(SELECT r.AE_ID, a.Year, a.outcome_grade AS grade FROM aims a
                 JOIN education_records_lookup r ON r.RECORDID = a.RECORDID
                 WHERE a.QualificationType = '0003' AND a.outcome = 1
                 UNION ALL
                 SELECT p.AE_ID, x.KS5_EXAMYEAR - 1, x.KS5_GRADE
                 FROM KS5Exam_2002_to_2021 x JOIN learner_ae_id_to_pmr_lookup p
                   ON p.PUPILMATCHINGREFANONYMOUS = x.KS5_PupilMatchingRefAnonymous
                 WHERE x.KS5_SUBLEVNO IN (310, 391))"""
    exams = """(SELECT p.AE_ID, x.KS4_GRADE AS grade FROM (
                  SELECT KS4_PupilMatchingRefAnonymous AS pmr, KS4_GRADE FROM KS4Exam_2015_to_2021
                  UNION ALL SELECT KS4_PupilMatchingRefAnonymous, KS4_GRADE
                  FROM KS4Exam_2002_to_2014) x
                JOIN learner_ae_id_to_pmr_lookup p ON p.PUPILMATCHINGREFANONYMOUS = x.pmr)"""
    a_levels = """(SELECT p.AE_ID, x.KS5_GRADE AS grade,
                          cast(substr(x.KS5_ACADYR, 1, 4) AS int) AS year
                   FROM KS5Exam_2002_to_2021 x JOIN learner_ae_id_to_pmr_lookup p
                     ON p.PUPILMATCHINGREFANONYMOUS = x.KS5_PupilMatchingRefAnonymous
                   WHERE x.KS5_SUBLEVNO = 111)"""
    as_levels = a_levels.replace("x.KS5_SUBLEVNO = 111", "x.KS5_SUBLEVNO = 121")
    rows, bad_ac, bad_ag, bad_a, passes, bad_as, as_passes = _one(db, f"""{_YPMAD_PERSONS}
        SELECT count(*),
          sum(YPMAD_L2_GCSEFull <> (SELECT count(*) FROM {exams} e WHERE e.AE_ID = y.AE_ID
              AND e.grade IN ('*', 'A*', 'A', 'B', 'C', '9', '8', '7', '6', '5', '4'))
              + (SELECT count(*) FROM {resits} e WHERE e.AE_ID = y.AE_ID
                 AND e.Year < y.YPMAD_Ac_Year
                 AND e.grade IN ('*', 'A', 'B', 'C', '9', '8', '7', '6', '5', '4'))),
          sum(YPMAD_L1_GCSEFULL <> (SELECT count(*) FROM {exams} e WHERE e.AE_ID = y.AE_ID
              AND e.grade NOT IN ('U', 'X', 'Q', ''))),
          sum(YPMAD_L3_A_PASS <> (SELECT count(*) FROM {a_levels} e WHERE e.AE_ID = y.AE_ID
              AND e.grade IN ('A*', '*', 'A', 'B', 'C', 'D', 'E')
              AND e.year < y.YPMAD_Ac_Year)),
          sum(YPMAD_L3_A_PASS),
          sum(YPMAD_L3_AS_PASS <> (SELECT count(*) FROM {as_levels} e WHERE e.AE_ID = y.AE_ID
              AND e.grade IN ('A', 'B', 'C', 'D', 'E') AND e.year < y.YPMAD_Ac_Year)),
          sum(YPMAD_L3_AS_PASS)
        FROM y""")
    assert rows > 500 and passes > 0 and as_passes > 0
    assert (bad_ac, bad_ag, bad_a, bad_as) == (0, 0, 0, 0)
    bad = _one(db, f"""
        SELECT sum(YPMAD_L2_ACADEMIC_WIDTH <> 20 * YPMAD_L2_GCSEFull),
               sum(YPMAD_L3_ACADEMIC_WIDTH <> 50 * YPMAD_L3_A_PASS + 25 * YPMAD_L3_AS_PASS
                   OR YPMAD_L3_TOTAL_PASS <> YPMAD_L3_A_PASS + YPMAD_L3_AS_PASS
                   OR YPMAD_L3_GAS <> YPMAD_L3_AS_PASS),
               sum(YPMAD_L2_ACADEMIC <> (YPMAD_L2_ACADEMIC_WIDTH >= 100)),
               sum(YPMAD_L3_ACADEMIC <> (YPMAD_L3_ACADEMIC_WIDTH >= 100)),
               sum(YPMAD_L2_OVERALL < YPMAD_L2_ACADEMIC), sum(YPMAD_L1_OVERALL < YPMAD_L2_OVERALL),
               sum(YPMAD_L2_OVERALL < YPMAD_L3_OVERALL),
               sum(YPMAD_NO_QUALS_ACHIEVED <> 1 - YPMAD_L1_OVERALL)
        FROM {YPMAD}""")
    assert all(b == 0 for b in bad), bad


@pytest.mark.parametrize("route", ["FE", "WBL"])
def test_ypmad_ilr_counts_follow_achieved_aims(db, route) -> None:
    """The NVQ, VRQ and total counts of a route and level are the person's ILR aims achieved
    (Outcome 1) by the year, of that level (3 = 3 and above) and route (apprenticeship aims are
    work-based learning), NVQs being LARS type 0036, GCSE resits (0003) not counted; the
    route's level flag is 1 once a total
    at that level or above is; the WBL totals add the achieved apprenticeship programmes."""
    wbl = "a.programme_type > 0" if route == "WBL" else "a.programme_type < 0"
    achieved = f"""(SELECT r.AE_ID, a.Year, min(a.Notional_Level, 3) AS band,
                           a.QualificationType = '0036' AS nvq,
                           a.learning_aim_id = 'ZPROG001' AS programme
                    FROM aims a JOIN education_records_lookup r ON r.RECORDID = a.RECORDID
                    WHERE a.outcome = 1 AND {wbl}
                      AND coalesce(a.QualificationType, '') <> '0003')"""
    checks = []
    for level in (1, 2, 3):
        base = f"""SELECT count(*) FROM {achieved} d WHERE d.AE_ID = y.AE_ID
                   AND d.Year < y.YPMAD_Ac_Year AND d.band = {level}"""
        checks += [f"sum(YPMAD_L{level}_NVQ_{route}_ILR <> ({base} AND d.nvq))",
                   f"sum(YPMAD_L{level}_VRQ_{route}_ILR <> ({base} AND NOT d.nvq "
                   "AND NOT d.programme))"]
        programmes = f"({base} AND d.programme)" if route == "WBL" and level > 1 else "0"
        checks.append(f"sum(YPMAD_L{level}_TOTAL_{route}_ILR <> YPMAD_L{level}_NVQ_{route}_ILR"
                      f" + YPMAD_L{level}_VRQ_{route}_ILR + {programmes})")
        higher = " + ".join(f"YPMAD_L{lv}_TOTAL_{route}_ILR" for lv in range(level, 4))
        checks.append(f"sum(YPMAD_L{level}_{route}_ILR <> ({higher} > 0))")
    result = _one(db, f"{_YPMAD_PERSONS} SELECT count(*), {', '.join(checks)}, "
                      f"sum(YPMAD_L2_TOTAL_{route}_ILR) FROM y")
    assert result[0] > 500 and result[-1] > 0
    assert all(b == 0 for b in result[1:-1]), result


def test_ypmad_characteristics_at_15_follow_the_year_11_census(db) -> None:
    """Ethnicity, FSM and ever-FSM at 15 are the KS4 pupil row's (the Year 11 census)."""
    rows, bad = _one(db, f"""
        SELECT count(*), sum(y.YPMAD_EthnicityPLASCage15 <> k.KS4_ETHNIC
                             OR y.YPMAD_EverFSMage10to15 <> k.KS4_FSM6)
        FROM {YPMAD} y JOIN KS4Pupil_2015_to_2021 k
          ON k.KS4_PupilMatchingRefAnonymous = y.YPMAD_PupilMatchingRefAnonymous
        WHERE y.YPMAD_EthnicityPLASCage15 IS NOT NULL""")
    assert rows > 50 and bad == 0


SNAPSHOT = "YPMAD_Snapshot_2021"


@pytest.mark.parametrize("age", [16, 17, 18])
def test_ypmad_qualification_types_follow_the_counts(db, age) -> None:
    """The snapshot's qualification type by an age is set exactly when the level is reached by
    then, and names the qualifications the person's chronological row of that year holds:
    five GCSEs A*-C (L2 type 1), two A level passes (L3 type 1), an NVQ (L3 type 3 only
    without A levels or an advanced apprenticeship)."""
    result = _one(db, f"""
        WITH s AS (SELECT s.*, p.AE_ID FROM {SNAPSHOT} s JOIN learner_ae_id_to_pmr_lookup p
                     ON p.PUPILMATCHINGREFANONYMOUS = s.YPMAD_PupilMatchingRefAnonymous),
             c AS (SELECT c.*, p.AE_ID FROM {YPMAD} c JOIN learner_ae_id_to_pmr_lookup p
                     ON p.PUPILMATCHINGREFANONYMOUS = c.YPMAD_PupilMatchingRefAnonymous)
        SELECT count(*),
          sum((s.YPMAD_L2_qualtype{age} IS NOT NULL) <> (s.YPMAD_L2_at_{age} = 1)),
          sum((s.YPMAD_L3_qualtype{age} IS NOT NULL) <> (s.YPMAD_L3_at_{age} = 1)),
          sum(s.YPMAD_L2_at_{age} <> c.YPMAD_L2_OVERALL),
          sum((s.YPMAD_L2_qualtype{age} = 1) <> (c.YPMAD_L2_GCSEFull >= 5)),
          sum((s.YPMAD_L3_qualtype{age} = 1) <> (c.YPMAD_L3_A_PASS >= 2)),
          sum(s.YPMAD_L3_qualtype{age} = 3 AND (c.YPMAD_L3_NVQ_FE_ILR + c.YPMAD_L3_NVQ_WBL_ILR = 0
              OR c.YPMAD_L3_A_PASS >= 2 OR c.YPMAD_L3_APPRENTICESHIP_WBL_ILR > 0)),
          sum(s.YPMAD_L2_qualtype{age} IS NOT NULL)
        FROM s JOIN c ON c.AE_ID = s.AE_ID
         AND c.YPMAD_Ac_Year = s.YPMAD_Base_Year - 20 + {age} + 2
        WHERE s.YPMAD_In{age} = 1""")
    assert result[0] > 30 and result[-1] > 0
    assert all(b == 0 for b in result[1:-1]), result


def test_ypmad_snapshot_years_and_ages_agree(db) -> None:
    """Academic ages are the year's age for the person's base year (age 19 in the base year);
    the first year in the data is the earliest of the sources' and its source is named; the
    English and maths ages nest (both held no earlier than either, level 2 with them no
    earlier than level 2)."""
    rows, *bad = _one(db, f"""
        SELECT count(*),
          sum(YPMAD_Academic_Age_L2 <> YPMAD_Year_L2 - YPMAD_Base_Year + 18),
          sum(YPMAD_Academic_Age_L3 <> YPMAD_Year_L3 - YPMAD_Base_Year + 18),
          sum(YPMAD_FIRST_YEAR_IN_DATA <> min(coalesce(YPMAD_FIRST_YEAR_IN_DATA_PLASC, 9999),
              coalesce(YPMAD_FIRST_YEAR_IN_DATA_ILR, 9999),
              coalesce(YPMAD_FIRST_YEAR_IN_DATA_KS45, 9999))),
          sum(YPMAD_FIRST_SOURCE = 'PLASC'
              AND YPMAD_FIRST_YEAR_IN_DATA <> YPMAD_FIRST_YEAR_IN_DATA_PLASC),
          sum(YPMAD_AcAge_AcL2EM < max(YPMAD_AcAge_AcL2Eng, YPMAD_AcAge_AcL2Maths)),
          sum(YPMAD_AcAge_FuncAcL2Eng > YPMAD_AcAge_AcL2Eng),
          sum(YPMAD_AcAge_L2incFuncAcEM < YPMAD_Academic_Age_L2),
          sum(YPMAD_AppStart_Age <> YPMAD_AppStart_Year - YPMAD_Base_Year + 18)
        FROM {SNAPSHOT}""")
    assert rows > 100
    assert all(not b for b in bad), bad


def _hesa_tables(db: sqlite3.Connection, *columns: str) -> list[str]:
    """The HESA views (hesa_YYYY) holding every one of the columns."""
    names = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'hesa_%'")]
    return [t for t in names
            if set(columns) <= {r[1] for r in db.execute(f"PRAGMA table_info({t})")}]


def test_hesa_occupation_agrees_with_sec(db) -> None:
    """The recorded occupation is one of the student's NS-SEC class (the class is derived from
    it); class 8 (never worked) has none; OCCCODE, where still returned, is the SOC2000 code."""
    from leo_synth.relations.derive_hesa import SOC2000_BY_SEC, SOC2010_BY_SEC

    checked = 0
    for column, table in (("HE_SOC2000", SOC2000_BY_SEC), ("HE_SOC2010", SOC2010_BY_SEC)):
        allowed = " OR ".join(f"(HE_SEC = {c} AND {column} IN ({', '.join(map(repr, codes))}))"
                              for c, codes in table.items())
        for view in _hesa_tables(db, column, "HE_SEC"):  # '' is the blank-string quirk's NULL
            rows, bad = _one(db, f"""SELECT count(*), sum(NOT ({allowed}) AND NOT (HE_SEC = 8
                                     AND NULLIF({column}, '') IS NULL)) FROM {view}
                                     WHERE HE_SEC IS NOT NULL""")
            checked += rows
            assert not bad, (view, column)
    for view in _hesa_tables(db, "HE_OCCCODE", "HE_SOC2000"):
        assert not _one(db, f"SELECT sum(HE_OCCCODE <> HE_SOC2000) FROM {view}")[0]
    assert checked > 100


def test_hesa_geography_loads_and_tariffs(db) -> None:
    """MSOA is the home LSOA's (five consecutive LSOAs to an MSOA), LOADYRA the instance's
    load, the TQI tariffs the entry tariff; ITT fields are empty (no ITT course aims)."""
    checked = 0
    for view in _hesa_tables(db, "HE_MSOA11", "HE_LSOA11"):
        rows, bad = _one(db, f"""SELECT count(*), sum(HE_MSOA11 <> 'E02' || printf('%06d',
                             900000 + (cast(substr(HE_LSOA11, 4) AS int) - 900000) / 5))
                             FROM {view}""")
        checked += rows
        assert not bad, view
    for view in _hesa_tables(db, "HE_LOADYRA", "HE_STULOAD"):
        assert not _one(db, f"SELECT sum(HE_LOADYRA <> HE_STULOAD) FROM {view}")[0]
    tariffs = 0  # a person's entry tariff is one figure: compare views through the PMR
    for tqi in ("HE_XTARIFF03", "HE_XTARIFF04"):
        for entry in ("HE_XTARIFF", "HE_XTARIFF01", "HE_TOTALTS"):
            for view in _hesa_tables(db, tqi):
                for other in _hesa_tables(db, entry):
                    pairs, bad = _one(db, f"""
                        SELECT count(*), sum(a.{tqi} <> b.{entry}) FROM {view} a JOIN {other} b
                          ON a.HE_PupilMatchingRefAnonymous = b.HE_PupilMatchingRefAnonymous
                        WHERE a.HE_PupilMatchingRefAnonymous <> ''""")
                    tariffs += pairs
                    assert not bad, (view, tqi, other, entry)
    itt = 0
    for column in ("HE_TQSSUB1", "HE_QTS", "HE_PGCESBJ1", "HE_ITTPHSC"):
        for view in _hesa_tables(db, column):
            itt += 1
            assert _one(db, f"SELECT count(NULLIF({column}, '')) FROM {view}")[0] == 0
    assert checked > 100 and tariffs and itt


def test_hesa_tariff_is_the_ks5_a_levels_tariff(db) -> None:
    """An A level student's entry tariff (HE_XTARIFF, 2011/12 to 2016/17) is the UCAS tariff
    of the KS5 exam rows' A levels (A* 140, A 120, B 100, C 80, D 60, E 40) and AS levels
    (half: A 60 ... E 20): it was drawn apart from the grades, then left out the AS levels."""
    checked = with_as = 0
    for view in _hesa_tables(db, "HE_XTARIFF"):
        pairs, bad, has_as = _one(db, f"""
            WITH t AS (SELECT KS5_PupilMatchingRefAnonymous AS pmr,
                              sum(CASE KS5_GRADE WHEN 'A*' THEN 140 WHEN 'A' THEN 120
                                  WHEN 'B' THEN 100 WHEN 'C' THEN 80 WHEN 'D' THEN 60
                                  WHEN 'E' THEN 40 ELSE 0 END
                                  / CASE KS5_SUBLEVNO WHEN 121 THEN 2 ELSE 1 END) AS points,
                              max(KS5_SUBLEVNO = 121) AS has_as
                       FROM KS5Exam_2002_to_2021 WHERE KS5_SUBLEVNO IN (111, 121) GROUP BY 1)
            SELECT count(*), sum(h.HE_XTARIFF <> t.points), sum(t.has_as)
            FROM {view} h JOIN t ON t.pmr = h.HE_PUPILMATCHINGREFANONYMOUS""")
        checked += pairs
        with_as += has_as or 0
        assert not bad, view
    assert checked > 50 and with_as > 10, (checked, with_as)


def test_hesa_entry_qualification_follows_ks5(db) -> None:
    """A student's highest qualification on entry (HE_QUALENT3) is what the person's other
    records show: a postgraduate's first degree (H00); else the KS5 record's A levels (P50,
    A/AS level) or its vocational programme (P41, a diploma at level 3); no one else has
    either (a row without a PMR cannot be followed). It was P50 for every level 3, so a BTEC
    student had A levels."""
    ks5 = """(SELECT p.AE_ID AS ae,
                     max(EXISTS (SELECT 1 FROM KS5Exam_2002_to_2021 x
                                 WHERE x.KS5_PupilMatchingRefAnonymous
                                       = s.KS5_PupilMatchingRefAnonymous
                                   AND x.KS5_SUBLEVNO = 111)) AS a_levels
              FROM KS5Student_2002_to_2021 s JOIN learner_ae_id_to_pmr_lookup p
                ON p.PUPILMATCHINGREFANONYMOUS = s.KS5_PupilMatchingRefAnonymous
              GROUP BY 1)"""
    codes = Counter()
    for view in _hesa_tables(db, "HE_QUALENT3", "HE_XLEV501"):
        # (followed to the person's other records through the lookup, as a PMR may be one of
        # several; a row whose PMR is blank or unmatched cannot be followed)
        bad = _one(db, f"""
            SELECT sum(h.HE_QUALENT3 <> CASE WHEN h.HE_XLEV501 IN (1, 2) THEN 'H00'
                                            WHEN k.a_levels = 1 THEN 'P50'
                                            WHEN k.a_levels = 0 THEN 'P41'
                                            ELSE h.HE_QUALENT3 END
                       OR (k.ae IS NULL AND h.HE_XLEV501 NOT IN (1, 2)
                           AND h.HE_QUALENT3 IN ('P50', 'P41')))
            FROM {view} h JOIN learner_ae_id_to_pmr_lookup p
              ON p.PUPILMATCHINGREFANONYMOUS = h.HE_PUPILMATCHINGREFANONYMOUS
            LEFT JOIN {ks5} k ON k.ae = p.AE_ID""")[0]
        assert not bad, view
        codes.update(dict(db.execute(f"SELECT HE_QUALENT3, count(*) FROM {view} GROUP BY 1")))
    assert all(codes[c] > 5 for c in ("H00", "P50", "P41", "X00")), codes


_NCCIS_MONTHS = """
    WITH n AS (SELECT p.AE_ID, cast(substr(n.NCCIS_ACADYR, 1, 4) AS int) AS year,
                      date(n.NCCIS_Current_Activity_Verification_Date) AS day,
                      max(n.NCCIS_Current_Activity_Code IN ({codes})) AS agrees,
                      max(n.NCCIS_Current_Activity_Code = {code}) AS coded
               FROM nccis_2011_to_2021 n JOIN learner_ae_id_to_pmr_lookup p
                 ON p.PUPILMATCHINGREFANONYMOUS = n.NCCIS_PupilMatchingRefAnonymous
               GROUP BY 1, 2, 3)"""
"""One row per person and NCCIS month (a conflicting second row, the nccis_conflict quirk,
may sit beside the true activity): does any of the month's codes agree, is ``code`` among
them."""


def test_nccis_apprenticeship_agrees_with_the_ilr(db) -> None:
    """A month inside an ILR apprenticeship programme (AimType 1, start to end) is recorded as
    an apprenticeship (310), unless the young person is in HE or the activity is not known."""
    programmes = """(SELECT r.AE_ID, a.Year, a.start_date,
                            coalesce(a.end_date, '9999-12-31') AS end_date
                     FROM aims a JOIN education_records_lookup r ON r.RECORDID = a.RECORDID
                     WHERE a.AimType = 1)"""
    months, bad, apprentice = _one(db, _NCCIS_MONTHS.format(codes="310, 240, 810", code=310) + f"""
        SELECT count(*), sum(NOT agrees), sum(coded) FROM n
        WHERE EXISTS (SELECT 1 FROM {programmes} a WHERE a.AE_ID = n.AE_ID AND a.Year = n.year
                      AND a.start_date <= n.day AND a.end_date >= n.day)""")
    assert months > 20 and apprentice > 0
    assert bad == 0


def test_nccis_higher_education_agrees_with_hesa(db) -> None:
    """Every month of an academic year in which the young person has a HESA record is recorded
    as HE (240) or not known; a young person recorded in HE has a HESA record that year (for
    those whose HESA records carry a PMR). hesa_YYYY holds academic year YYYY-1/YYYY."""
    views = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB 'hesa_[0-9]*'")]
    hesa = " UNION ALL ".join(
        f"SELECT HE_PUPILMATCHINGREFANONYMOUS AS pmr, {int(v[5:]) - 1} AS year FROM {v}"
        for v in views)
    linked = f"""(SELECT DISTINCT p.AE_ID, h.year FROM ({hesa}) h
                  JOIN learner_ae_id_to_pmr_lookup p ON p.PUPILMATCHINGREFANONYMOUS = h.pmr)"""
    months, bad = _one(db, _NCCIS_MONTHS.format(codes="240, 810", code=240) + f"""
        SELECT count(*), sum(NOT agrees) FROM n
        WHERE EXISTS (SELECT 1 FROM {linked} h WHERE h.AE_ID = n.AE_ID AND h.year = n.year)""")
    assert months > 20 and bad == 0
    months, bad = _one(db, _NCCIS_MONTHS.format(codes="240", code=240) + f"""
        SELECT count(*), sum(NOT EXISTS (SELECT 1 FROM {linked} h WHERE h.AE_ID = n.AE_ID
                                         AND h.year = n.year)) FROM n
        WHERE coded AND n.AE_ID IN (SELECT AE_ID FROM {linked})""")
    assert months > 20 and bad == 0


def test_nccis_school_and_guarantee_fields(db) -> None:
    """The establishment is recorded exactly in the months at a school sixth form (210), where
    the LA educating is the school's; the guarantee LA is the lead LA; the Year 11 status
    agrees with the intended destination (an offer for every learning destination). A blank
    value (the blank_string quirk) is not compared."""
    months, bad = _one(db, """
        SELECT count(*), sum(at_school <> has_school AND NOT blank) FROM (
          SELECT max(NCCIS_Current_Activity_Code = 210) AS at_school,
                 max(NCCIS_DfE_No_anon <> '') AS has_school,
                 max(NCCIS_DfE_No_anon = '') AS blank
          FROM nccis_2011_to_2021
          GROUP BY NCCIS_PupilMatchingRefAnonymous, NCCIS_ACADYR, NCCIS_MonthNo)""")
    assert months > 1000 and bad == 0
    rows, bad_la, bad_offer = _one(db, """
        SELECT count(*),
               sum(nullif(NCCIS_Year_11_September_Guarantee_LA_code_anon, '')
                   <> nullif(NCCIS_Lead_LEA_Code_anon, '')),
               sum((NCCIS_Year_11_Intended_Destination IN (110, 120, 130, 220))
                   <> (coalesce(NCCIS_Year_11_Offer, NCCIS_Year_11_September_Guarantee_Status)
                       = 110))
        FROM nccis_2011_to_2021""")
    assert rows > 1000 and (bad_la, bad_offer) == (0, 0)


_NCCIS_SINGLE = """
    WITH n AS (SELECT p.AE_ID, n.NCCIS_Current_Activity_Code AS code,
                      date(n.NCCIS_Current_Activity_Verification_Date) AS day,
                      n.NCCIS_Current_Activity_Start_Date AS started,
                      n.NCCIS_NEET_Start_Date AS neet_start, n.NCCIS_ACADYR AS acadyr,
                      count(*) OVER (PARTITION BY p.AE_ID,
                                     n.NCCIS_Current_Activity_Verification_Date) AS rows
               FROM nccis_2011_to_2021 n JOIN learner_ae_id_to_pmr_lookup p
                 ON p.PUPILMATCHINGREFANONYMOUS = n.NCCIS_PupilMatchingRefAnonymous)"""
"""NCCIS months with the young person's AE_ID; ``rows`` > 1 where the nccis_conflict quirk put
a second activity beside the month's own (such months are left out)."""


def test_nccis_activity_start_is_when_the_activity_began(db) -> None:
    """The current activity's start date is when that activity began, not 1 September of every
    row's year (which held every row, learning, work, NEET and apprenticeship alike): the dates
    vary within a year, none is after its month's snapshot, a NEET month's NEET start is its
    activity start, and a NEET spell that follows a learning month began after that month's
    snapshot (the day learning ended)."""
    years, spread, late, neet_apart = _one(db, """
        SELECT count(DISTINCT NCCIS_ACADYR), min(dates), sum(late), sum(neet_apart) FROM (
          SELECT NCCIS_ACADYR, count(DISTINCT NCCIS_Current_Activity_Start_Date) AS dates,
                 sum(NCCIS_Current_Activity_Start_Date
                     > NCCIS_Current_Activity_Verification_Date) AS late,
                 sum(NCCIS_NEET_Start_Date <> NCCIS_Current_Activity_Start_Date) AS neet_apart
          FROM nccis_2011_to_2021 GROUP BY NCCIS_ACADYR)""")
    assert years >= 10 and spread >= 20 and (late, neet_apart) == (0, 0)
    spells, inside = _one(db, _NCCIS_SINGLE + """,
        m AS (SELECT *, lag(code) OVER w AS before, lag(day) OVER w AS before_day,
                     lag(rows) OVER w AS before_rows
              FROM n WINDOW w AS (PARTITION BY AE_ID ORDER BY day))
        SELECT count(*), sum(neet_start > before_day AND neet_start <= day) FROM m
        WHERE rows = 1 AND before_rows = 1 AND code BETWEEN 610 AND 680
          AND before IN (210, 220, 230)""")
    assert spells >= 10 and inside == spells


def test_nccis_apprenticeship_starts_on_its_ilr_start(db) -> None:
    """A month recorded as an apprenticeship (310) has the ILR apprenticeship programme's start
    date (AimType 1) as its activity start."""
    months, matched = _one(db, _NCCIS_SINGLE + """
        SELECT count(*), sum(EXISTS (
            SELECT 1 FROM aims a JOIN education_records_lookup r ON r.RECORDID = a.RECORDID
            WHERE r.AE_ID = n.AE_ID AND a.AimType = 1 AND a.start_date = n.started))
        FROM n WHERE rows = 1 AND code = 310""")
    assert months > 20 and matched >= 0.95 * months


def test_nccis_send_flag_is_the_year_11_sen(db) -> None:
    """NCCIS's LDD flag (to 2015/16) and SEND flag (from 2016/17) are Y for a young person with
    special educational needs in Year 11 (their KS4 row's SEN: School Action, Action Plus or a
    statement to 2013/14, KS4_SENF not N from 2014/15), N otherwise: both were
    N in every row, the flag read from a school census that no longer holds the young person."""
    persons, flagged, sen, disagree = _one(db, """
        WITH k AS (SELECT p.AE_ID, max(k.sen) AS sen
                   FROM (SELECT KS4_PupilMatchingRefAnonymous AS pmr,
                                max(KS4_SENPS, KS4_SENA) AS sen
                         FROM KS4Pupil_2002_to_2014
                         UNION ALL SELECT KS4_PupilMatchingRefAnonymous,
                                          nullif(KS4_SENF, '') <> 'N'
                         FROM KS4Pupil_2015_to_2021) k
                   JOIN learner_ae_id_to_pmr_lookup p ON p.PUPILMATCHINGREFANONYMOUS = k.pmr
                   WHERE k.sen IS NOT NULL GROUP BY p.AE_ID),
             n AS (SELECT p.AE_ID,
                          max(coalesce(n.NCCIS_LDD_Flag, n.NCCIS_SEND_flag) = 'Y') AS flag,
                          max(coalesce(n.NCCIS_LDD_Flag, n.NCCIS_SEND_flag) = '') AS blank
                   FROM nccis_2011_to_2021 n JOIN learner_ae_id_to_pmr_lookup p
                     ON p.PUPILMATCHINGREFANONYMOUS = n.NCCIS_PupilMatchingRefAnonymous
                   GROUP BY p.AE_ID)
        SELECT count(*), sum(n.flag), sum(k.sen), sum(n.flag <> k.sen AND NOT n.blank)
        FROM n JOIN k ON k.AE_ID = n.AE_ID""")
    assert persons > 100 and flagged > 10 and 0.05 < flagged / persons < 0.4
    assert disagree <= 0.01 * persons, (disagree, persons, flagged, sen)


def test_ypmad_participation_fields_agree(db) -> None:
    """The year's participation fields agree with the sources holding data on the person:
    the apprenticeship type with WBL data, the main institution and its mode and source with
    the census and ILR flags, the establishment with the census."""
    rows, *bad = _one(db, f"""
        SELECT count(*),
          sum((YPMAD_OnAppren IS NOT NULL) <> YPMAD_ILR_WBL_DATAONPUPIL),
          sum((YPMAD_main_inst_type = 'School') <> YPMAD_CENSUS_DATAONPUPIL),
          sum((YPMAD_main_inst_type IS NULL) <> (YPMAD_CENSUS_DATAONPUPIL
              + YPMAD_ILR_WBL_DATAONPUPIL + YPMAD_ILR_FE_DATAONPUPIL = 0)),
          sum((YPMAD_l_mode IS NULL) <> (YPMAD_main_inst_type IS NULL)),
          sum(YPMAD_l_mode = 2 AND YPMAD_main_inst_type <> 'FE'),
          sum((YPMAD_main_inst_Laestab_code_anon IS NOT NULL) <> YPMAD_CENSUS_DATAONPUPIL),
          sum(YPMAD_source_main_qual_type = 'ILR_WBL' AND YPMAD_ILR_WBL_DATAONPUPIL = 0),
          sum(YPMAD_qual_type_KS45 IS NOT NULL AND YPMAD_KS45_DATAONPUPIL = 0)
        FROM {YPMAD}""")
    assert rows > 500
    assert all(not b for b in bad), bad


def test_ypmad_snapshot_postcode_year_and_census_source(db) -> None:
    """The year of the latest home postcode is the last year on the School Census or with a
    matched ILR learner record (YEAR_LATEST_STUDY); the characteristics at 15 come from the
    School Census (the cohorts were 15 after the PRU census ended)."""
    rows, bad_year, bad_source = _one(db, """
        SELECT count(*), sum(YPMAD_l_post_latest_year <> YPMAD_YEAR_LATEST_STUDY),
               sum(YPMAD_Chars15CensusSource <> 1)
        FROM YPMAD_Snapshot_2021 WHERE YPMAD_YEAR_LATEST_STUDY IS NOT NULL""")
    assert rows > 20 and bad_year == 0 and bad_source == 0


@pytest.mark.parametrize("span", [30, 8000])  # a person x year table, or beyond its span
def test_in_year_finds_exactly_the_records_pairs(span: int) -> None:
    import numpy as np

    from leo_synth.relations.common import in_year

    rng = np.random.default_rng(span)
    person, their_person = rng.integers(0, 40, 300), rng.integers(0, 40, 200)
    year, their_year = 2000 + rng.integers(0, span, 300), 2000 + rng.integers(0, span, 200)
    held = set(zip(their_person.tolist(), their_year.tolist(), strict=True))
    expected = [int((p, y) in held) for p, y in zip(person.tolist(), year.tolist(), strict=True)]
    assert in_year(person, year, their_person, their_year).tolist() == expected
    assert any(expected) or span > 1000  # the narrow case has pairs in common
    assert in_year(person[:0], year[:0], their_person, their_year).tolist() == []


_COF_SCOPE = """(y.YPMAD_Ac_Year >= 2015 AND y.YPMAD_AgeAtStartofAcadYear BETWEEN 16 AND 18
                 AND CAST(coalesce(prev.YPMAD_{short}_L2_ACADEMIC, y.YPMAD_{short}_L2_ACADEMIC)
                          AS INT) = 0
                 AND (y.YPMAD_CENSUS_DATAONPUPIL = 1 OR y.YPMAD_ILR_FE_DATAONPUPIL = 1))"""
_PREVIOUS_YEAR = """LEFT JOIN y AS prev ON prev.AE_ID = y.AE_ID
                      AND prev.YPMAD_Ac_Year = y.YPMAD_Ac_Year - 1"""
"""The condition of funding applies by the attainment at the end of the year before."""
_YEAR_AIMS = """(SELECT r.AE_ID, a.Year, max({code} * 10 + a.Compstatus) AS best
                 FROM aims a JOIN education_records_lookup r ON r.RECORDID = a.RECORDID
                 WHERE a.AimTitle LIKE '% in {title}'
                   AND a.QualificationType NOT IN ('0001', '0002') {where}
                 GROUP BY r.AE_ID, a.Year)"""
"""A person's English or maths aims of a year (an A or AS level in the subject is not one: the
KS5 record's A levels count for the condition of funding)."""
_GCSE = "a.QualificationType = '0003'"
_SCHOOL_RESITS = """(SELECT p.AE_ID, x.KS5_EXAMYEAR - 1 AS Year, {code} * 10 + 2 AS best
                     FROM KS5Exam_2002_to_2021 x JOIN learner_ae_id_to_pmr_lookup p
                       ON p.PUPILMATCHINGREFANONYMOUS = x.KS5_PupilMatchingRefAnonymous
                     WHERE x.KS5_SUBLEVNO IN (310, 391) AND x.KS5_MAPPING = '{mapping}'
                     GROUP BY p.AE_ID, x.KS5_EXAMYEAR)"""
"""A school sixth former's GCSE resits (the KS5 exam rows): sat, so complete (2), in the year
before the exam's summer."""
_LEFT_SIXTH_FORM = """y.YPMAD_CoF_{subject}_study * 10 + y.YPMAD_CoF_{subject}_Completion
                          = {code} * 10 + 3
                      AND y.YPMAD_CENSUS_DATAONPUPIL = 1
                      AND NOT EXISTS (SELECT 1 FROM KS5Student_2002_to_2021 k
                                      JOIN learner_ae_id_to_pmr_lookup p
                                        ON p.PUPILMATCHINGREFANONYMOUS
                                           = k.KS5_PupilMatchingRefAnonymous
                                      WHERE p.AE_ID = y.AE_ID)"""
"""A sixth former who left during Year 12 (no KS5 record): a GCSE resit studied, withdrawn
before the exam."""
_BY_LEVEL = "CASE WHEN a.Notional_Level <= 0 THEN {} WHEN a.Notional_Level = 1 THEN {} " \
            "WHEN a.Notional_Level = 2 THEN {} ELSE {} END"


@pytest.mark.parametrize("subject, short, title, cof, functional, gcse", [
    ("English", "EN", "English", (3, 6, 9, 9), (2, 5, 9, 11), 10),
    ("Maths", "MA", "Mathematics", (3, 7, 10, 12), (2, 7, 12, 13), 11)])
def test_ypmad_condition_of_funding_follows_gcse_and_ilr_aims(
        db, subject, short, title, cof, functional, gcse) -> None:
    """The condition of funding (CoF) columns are 0 outside its scope (from 2014/15, ages
    16-18, at school or on an FE record, without GCSE C / 4); in scope the qualification
    studied and its completion are the highest of the year's English / maths ILR aims (a GCSE
    resit, else by level) and that aim's Compstatus (or a KS5 A level on the list), and the
    highest held the GCSE once graded at KS4. FE_Study / FM_Study are the year's functional
    aims by level, at any age (not the GCSEs). (All were uniform draws on every row: 1-13 /
    1-16, whoever and whenever.)"""
    scope = _COF_SCOPE.format(short=short)
    mapping = "5030" if subject == "English" else "2210"
    fs = "E" if subject == "English" else "M"
    grade = "ENG" if subject == "English" else "MATHS"
    rows, in_scope, outside, bad_study, bad_completion, bad_highest, studied, bad_fs, fs_rows \
        = _one(db, f"""{_YPMAD_PERSONS}
        SELECT count(*), sum({scope}),
          sum(NOT {scope} AND (y.YPMAD_CoF_{subject}_study <> 0
              OR y.YPMAD_CoF_{subject}_highest <> 0 OR y.YPMAD_CoF_{subject}_Completion <> 0)),
          sum({scope} AND y.YPMAD_CoF_{subject}_study NOT IN (13, 16)
              AND y.YPMAD_CoF_{subject}_study * 10 + y.YPMAD_CoF_{subject}_Completion
                  <> max(coalesce(c.best, 0), coalesce(s.best, 0))
              AND NOT ({_LEFT_SIXTH_FORM.format(code=gcse, subject=subject)})),
          sum((y.YPMAD_CoF_{subject}_study = 0) <> (y.YPMAD_CoF_{subject}_Completion = 0)),
          sum({scope} AND y.YPMAD_GCSE_GRADE_{grade} >= 1
              AND y.YPMAD_CoF_{subject}_highest < {gcse}),
          sum(y.YPMAD_CoF_{subject}_study > 0),
          sum(y.YPMAD_F{fs}_Study <> coalesce(f.best / 10, 0)), sum(y.YPMAD_F{fs}_Study > 0)
        FROM y {_PREVIOUS_YEAR}
        LEFT JOIN {_YEAR_AIMS.format(code=f"CASE WHEN {_GCSE} THEN {gcse} ELSE "
                                      f"{_BY_LEVEL.format(*cof)} END", title=title, where="")} c
          ON c.AE_ID = y.AE_ID AND c.Year = y.YPMAD_Ac_Year - 1
        LEFT JOIN {_SCHOOL_RESITS.format(code=gcse, mapping=mapping)} s
          ON s.AE_ID = y.AE_ID AND s.Year = y.YPMAD_Ac_Year - 1
        LEFT JOIN {_YEAR_AIMS.format(code=_BY_LEVEL.format(*functional), title=title,
                                     where=f"AND NOT {_GCSE}")} f
          ON f.AE_ID = y.AE_ID AND f.Year = y.YPMAD_Ac_Year - 1""")
    assert rows > 1000 and in_scope > 20 and fs_rows > 10, (in_scope, studied)
    assert (outside, bad_study, bad_completion, bad_highest, bad_fs) == (0, 0, 0, 0, 0)
    # Learners on a college programme in scope study the subject (a GCSE resit or
    # Functional Skills) in most years: it was one in ten, with no resits simulated.
    college, studying, resits = _one(db, f"""{_YPMAD_PERSONS}
        SELECT sum({scope} AND y.YPMAD_ILR_FE_DATAONPUPIL = 1),
               sum({scope} AND y.YPMAD_ILR_FE_DATAONPUPIL = 1 AND y.YPMAD_CoF_{subject}_study > 0),
               sum(y.YPMAD_CoF_{subject}_study = {gcse}) FROM y {_PREVIOUS_YEAR}""")
    assert college > 20 and studying > 0.8 * college and resits > 0.2 * studying, (
        college, studying, resits)
    # ... and so do school sixth formers: it was one in ten in English, a third in maths, and
    # only through an A level
    school, studying, gcses = _one(db, f"""{_YPMAD_PERSONS}
        SELECT sum({scope} AND y.YPMAD_CENSUS_DATAONPUPIL = 1),
               sum({scope} AND y.YPMAD_CENSUS_DATAONPUPIL = 1 AND y.YPMAD_CoF_{subject}_study > 0),
               sum({scope} AND y.YPMAD_CENSUS_DATAONPUPIL = 1
                   AND y.YPMAD_CoF_{subject}_study = {gcse}) FROM y {_PREVIOUS_YEAR}""")
    # (GCSE resits: an A level on the condition's list takes precedence, mostly maths)
    assert school > 5 and studying > 0.8 * school and gcses > 0.4 * studying, (
        school, studying, gcses)


@pytest.mark.parametrize("subject, codes, title", [
    ("EN", "'5010', '5030', '5110'", "English"), ("MA", "'2210', '2330'", "Mathematics")])
def test_ypmad_academic_study_follows_ks4_and_ks5(db, subject, codes, title) -> None:
    """L2_EN / L2_MA_Academic_Study: 1 (GCSE) in the KS4 year and a year with a GCSE resit (an
    ILR aim, a school sixth former's KS5 exam row, or a resit withdrawn by a student who left
    the sixth form in Year 12), 3 (A level) in the KS5 year and the year before when the KS5
    exam rows hold an English / maths A level, else 0 (to 2019/20: a Year 12 of 2020/21 sits
    the A levels after the extract's last KS5 year)."""
    cof = "English" if subject == "EN" else "Maths"
    rows, bad, a_levels = _one(db, f"""{_YPMAD_PERSONS}
        SELECT count(*),
          sum(YPMAD_L2_{subject}_Academic_Study <> CASE
              WHEN EXISTS (SELECT 1 FROM KS5Exam_2002_to_2021 x JOIN learner_ae_id_to_pmr_lookup p
                             ON p.PUPILMATCHINGREFANONYMOUS = x.KS5_PupilMatchingRefAnonymous
                           WHERE p.AE_ID = y.AE_ID AND x.KS5_MAPPING IN ({codes})
                             AND x.KS5_SUBLEVNO = 111
                             AND CAST(substr(x.KS5_ACADYR, 1, 4) AS INT) + 1
                                 IN (y.YPMAD_Ac_Year, y.YPMAD_Ac_Year + 1)) THEN 3
              WHEN YPMAD_qual_type_KS45 = 'GCSE' THEN 1
              WHEN EXISTS (SELECT 1 FROM KS5Exam_2002_to_2021 x JOIN learner_ae_id_to_pmr_lookup p
                             ON p.PUPILMATCHINGREFANONYMOUS = x.KS5_PupilMatchingRefAnonymous
                           WHERE p.AE_ID = y.AE_ID AND x.KS5_MAPPING IN ({codes})
                             AND x.KS5_SUBLEVNO IN (310, 391)
                             AND x.KS5_EXAMYEAR = y.YPMAD_Ac_Year) THEN 1
              WHEN {_LEFT_SIXTH_FORM.format(subject=cof, code=10 if subject == "EN" else 11)}
                THEN 1
              WHEN EXISTS (SELECT 1 FROM aims a JOIN education_records_lookup r
                             ON r.RECORDID = a.RECORDID
                           WHERE r.AE_ID = y.AE_ID AND a.Year = y.YPMAD_Ac_Year - 1
                             AND a.QualificationType = '0003'
                             AND a.AimTitle LIKE '% in {title}') THEN 1 ELSE 0 END),
          sum(YPMAD_L2_{subject}_Academic_Study = 3)
        FROM y WHERE YPMAD_L2_{subject}_Academic_Study IS NOT NULL AND YPMAD_Ac_Year <= 2020""")
    assert rows > 50 and bad == 0, (rows, bad)
    assert a_levels > 0 or subject == "EN"


def test_ilr_full_funding_follows_age_and_aim(db) -> None:
    """FFI: 1 (fully funded) for a learner under 19 at the aim's start; for adults 1 for English
    or maths up to level 2, a first full level 2, a first full level 3 under 24 (above the
    learner's PriorAttain, whose codes 7, 9 and 99 are below level 1) or on benefits at the
    start, else 2, adult apprentices 2; none for community learning and FundModel 81 (it was a
    uniform 0-9 on every aim)."""
    prior = "CASE WHEN l.PriorAttain IN (7, 9, 99) THEN 0 ELSE l.PriorAttain END"
    rows, young_cofunded, bad_adult, bad_null, funded = _one(db, f"""
        SELECT count(*), sum(AgeAimStart < 19 AND FFI = 2),
          sum(AgeAimStart >= 19 AND FFI IN (1, 2) AND FFI <> CASE
              WHEN WPL = 1 THEN 2
              WHEN (EngMath = 1 AND Notional_Level <= 2)
                   OR (FullL2 = 1 AND {prior} < 2)
                   OR (FullL3 = 1 AND {prior} < 3 AND AgeAimStart < 24)
                   OR OnBenefits_AtStart = 1 THEN 1
              ELSE 2 END),
          sum((FFI IN (1, 2)) = (FundModel IN (10, 81))),
          sum(FFI = 1) * 1.0 / count(*)
        FROM aims a JOIN learners l ON l.external_id = a.external_id
        WHERE FundModel > 0 AND AgeAimStart > 0 AND WPL >= 0 AND l.PriorAttain >= -1""")
    assert rows > 1000 and 0.4 < funded < 0.9, (rows, funded)
    assert (young_cofunded, bad_adult, bad_null) == (0, 0, 0)


def test_a_young_learners_prior_attainment_is_the_ks4_results(db) -> None:
    """PriorAttain of a learner in the ILR the year after KS4 (academic age 16) is the KS4
    results' level: 2 (full level 2) with KS4_LEVEL2, 1 with KS4_LEVEL1 alone, 7 (below level
    1) with entries short of level 1, 99 (no qualifications) without entries; every code is in
    the VRF's list (it was the level below the course: a pupil with five good GCSEs on a level
    2 course had 1, and level 1 courses 0, no code)."""
    rows, bad = _one(db, """
        WITH k AS (SELECT KS4_PupilMatchingRefAnonymous AS pmr,
                          CAST(substr(KS4_ACADYR, 1, 4) AS int) AS year,
                          CASE WHEN KS4_LEVEL2 = 1 THEN 2 WHEN KS4_LEVEL1 = 1 THEN 1
                               WHEN KS4_ENTRIES > 0 THEN 7 ELSE 99 END AS code
                   FROM KS4Pupil_2002_to_2014
                   WHERE KS4_LEVEL2 IS NOT NULL AND KS4_LEVEL1 IS NOT NULL)
        SELECT count(*), sum(l.PriorAttain <> k.code)
        FROM learners l JOIN education_records_lookup r ON r.RECORDID = l.RECORDID
        JOIN learner_ae_id_to_pmr_lookup p ON p.AE_ID = r.AE_ID
        JOIN k ON k.pmr = p.PUPILMATCHINGREFANONYMOUS AND l.Year = k.year + 1
        WHERE l.AcAge = 16 AND l.PriorAttain >= -1""")
    assert rows > 50 and bad == 0, (rows, bad)
    codes = {row[0] for row in db.execute("SELECT DISTINCT PriorAttain FROM learners")}
    assert codes <= {-1, 1, 2, 3, 4, 5, 7, 9, 99} and {2, 99} <= codes, codes


def test_ilr_monitoring_codes_status_and_support_costs(db) -> None:
    """LDM_1 .. LDM_4 are mostly NULL, 3-digit codes filled in order, different on one aim and
    the same in every year of a continuing aim; A_Status is the apprenticeship aim's outcome
    (-1 on others); ALSCost is NULL for most learners, set far more often with a learning
    difficulty or disability, in pounds (they were uniform 0-9 on every row)."""
    share, bad_code, out_of_order, repeated, second = _one(db, """
        SELECT avg(coalesce(LDM_1 > 0, 0)), sum(LDM_1 > 0 AND LDM_1 NOT BETWEEN 100 AND 999),
          sum((LDM_2 > 0 AND NOT LDM_1 > 0) OR (LDM_3 > 0 AND NOT LDM_2 > 0)
              OR (LDM_4 > 0 AND NOT LDM_3 > 0)),
          sum(LDM_2 > 0 AND LDM_2 IN (LDM_1, LDM_3, LDM_4)),
          sum(LDM_2 > 0) * 1.0 / sum(LDM_1 > 0)
        FROM aims""")
    assert 0.06 < share < 0.2 and 0.1 < second < 0.45, (share, second)
    assert (bad_code, out_of_order, repeated) == (0, 0, 0)
    changed = _one(db, """SELECT count(*) FROM (
        SELECT 1 FROM aims WHERE LDM_1 > 0
        GROUP BY RECORDID, learning_aim_id, start_date HAVING count(DISTINCT LDM_1) > 1)""")[0]
    assert changed == 0
    apprentice, bad_status = _one(db, """
        SELECT sum(WPL = 1), sum(A_Status >= 0 AND A_Status <> CASE WHEN WPL = 1 THEN outcome
                                                                     ELSE -1 END)
        FROM aims WHERE A_Status IS NOT NULL AND WPL >= 0 AND outcome > 0""")
    assert apprentice > 0 and bad_status == 0
    with_lldd, without, median_ok, tiny = _one(db, """
        SELECT avg(CASE WHEN LLDD = 1 THEN ALSCost > 0 END),
               avg(CASE WHEN LLDD = 2 THEN coalesce(ALSCost > 0, 0) END),
               (SELECT ALSCost FROM learners WHERE ALSCost > 0 ORDER BY ALSCost
                LIMIT 1 OFFSET (SELECT count(*) / 2 FROM learners WHERE ALSCost > 0))
                 BETWEEN 400 AND 2500,
               sum(ALSCost BETWEEN 0 AND 9)
        FROM learners""")
    assert with_lldd > 0.15 and without < 0.05 and median_ok and not tiny, (with_lldd, without)


def test_lars_categories_follow_the_aim(db) -> None:
    """LARS categories agree with the row's own columns and with the aims using it: full level
    2 / 3 families where L2_percent / L3_percent count, QAA genre for Access certificates, the
    basic skills types of English and maths aims (they were uniform draws from their lists)."""
    rows, bad_cat, bad_genre, eqq = _one(db, """
        SELECT count(*), sum((L2_Cat_id = 1) <> (L2_percent > 0) OR (L3_Cat_id = 1)
                             <> (L3_percent > 0) OR L2_Cat_id NOT IN (1, -2)),
               sum((Learning_delivery_Genre = 'EQQ') <> (QualType = '0004')),
               sum(Learning_delivery_Genre = 'EQQ')
        FROM lars WHERE L2_Cat_id <> -1 AND L3_Cat_id <> -1""")
    assert rows > 1000 and eqq > 0 and (bad_cat, bad_genre) == (0, 0)
    aims, bad_type = _one(db, """
        SELECT count(*), sum(CAST(l.SFL_Finetype AS TEXT) <> a.SFL_finetype
                             OR l.SFL_broad_type <> CASE WHEN a.SFL_Type = 9 THEN -2
                                                         ELSE a.SFL_Type END)
        FROM aims a JOIN lars l ON l.LearnAimRef = a.learning_aim_id AND l.Year = a.Year
        WHERE a.SFL_Type > 0 AND a.SFL_finetype <> '-1' AND l.SFL_Finetype <> -1""")
    assert aims > 500 and bad_type == 0, (aims, bad_type)


@pytest.mark.parametrize("span", [30, 8000])  # a person x year table, or beyond its span
def test_max_in_year_is_the_largest_value_of_the_pair(span: int) -> None:
    import numpy as np

    from leo_synth.relations.common import max_in_year

    rng = np.random.default_rng(span)
    person, their_person = rng.integers(0, 40, 300), rng.integers(0, 40, 200)
    year, their_year = 2000 + rng.integers(0, span, 300), 2000 + rng.integers(0, span, 200)
    value = rng.integers(1, 50, 200)
    best: dict[tuple[int, int], int] = {}
    for key, v in zip(zip(their_person.tolist(), their_year.tolist(), strict=True),
                      value.tolist(), strict=True):
        best[key] = max(best.get(key, 0), v)
    expected = [best.get(key, 0) for key in zip(person.tolist(), year.tolist(), strict=True)]
    assert max_in_year(person, year, their_person, their_year, value).tolist() == expected
    assert any(expected) or span > 1000
