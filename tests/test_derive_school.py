"""Derived and conditional columns of the school tables (absence, census, exclusions) agree with
their definitions (schemas/rules/absence.yaml, npd_characteristics.yaml, exclusions.yaml),
checked with SQL on the suite's small run as a researcher would."""

from __future__ import annotations

import re
import sqlite3

import numpy as np
import pytest
from conftest import one as _one
from hypothesis import given
from hypothesis import strategies as st

from leo_synth.relations.pupil import ncyear_code
from leo_synth.relations.pupil_characteristics import IDACI_LSOAS, idaci_decile, uniform


@pytest.fixture(scope="module")
def db(small_sqlite_connection: sqlite3.Connection) -> sqlite3.Connection:
    return small_sqlite_connection




def _column(db: sqlite3.Connection, relation: str, pattern: str) -> str:
    """The relation's one column whose name matches ``pattern`` (the year suffix varies)."""
    names = [row[1] for row in db.execute(f"PRAGMA table_info({relation})")
             if re.fullmatch(pattern, row[1])]
    assert len(names) == 1, (relation, pattern, names)
    return names[0]


ABSENCE_2014 = "Absence_2014_3term"
ABSENCE_2016 = "Absence_2016_3term"  # the view with every persistent absence flag


def test_summer_sixth_half_term_adds_up(db) -> None:
    """The 6th half term's reasons add up to its totals, overall = authorised + unauthorised,
    the 5 and 6 half-term totals are the sums of the periods, annual = 6 half terms, and a
    pupil on roll all term has 40 to 70 sessions possible in the 6th half term."""
    c = lambda p: _column(db, ABSENCE_2014, p)  # noqa: E731
    # (2013/14 is code F's last year: agreed extended holidays are authorised absence)
    auth = " + ".join(c(f"TermlyReason{code}_Summer6th_ab\\d\\d") for code in "IMRSTHFEC")
    unauth = " + ".join(c(f"TermlyReason{code}_Summer6th_ab\\d\\d") for code in "GUON")
    sums = []
    for measure in ("SessionsPossible", "AuthorisedAbsence", "UnauthorisedAbsence",
                    "OverallAbsence"):
        five = " + ".join(c(f"{measure}_{t}_ab\\d\\d") for t in ("Autumn", "Spring", "Summer"))
        sums.append(f"sum({c(f'{measure}_5HalfTerms_ab..')} <> {five})")
        sums.append(f"sum({c(f'{measure}_6HalfTerms_ab..')} <> {five} + "
                    f"{c(f'{measure}_Summer6th_ab..')})")
        sums.append(f"sum({c(f'{measure}_6HalfTerms_ab..')} <> {c(f'{measure}_Annual_ab..')})")
    # (a pupil who changed school within the year has a record at each, on roll for part of
    # the summer term at one or both)
    pmr = c("PupilMatchingRefAnonymous_ab..")
    movers = f"SELECT {pmr} FROM {ABSENCE_2014} GROUP BY {pmr} HAVING COUNT(*) > 1"
    row = _one(db, f"""
        SELECT count(*), sum({c('AuthorisedAbsence_Summer6th_ab..')} <> {auth}),
               sum({c('UnauthorisedAbsence_Summer6th_ab..')} <> {unauth}),
               sum({c('OverallAbsence_Summer6th_ab..')} <> {c('AuthorisedAbsence_Summer6th_ab..')}
                   + {c('UnauthorisedAbsence_Summer6th_ab..')}),
               sum({c('OverallAbsence_Summer6th_ab..')} > {c('SessionsPossible_Summer6th_ab..')}),
               sum({c('SessionsPossible_Summer6th_ab..')} NOT BETWEEN 40 AND 70
                   AND {pmr} NOT IN ({movers})),
               sum({c('OverallAbsence_Summer6th_ab..')} > 0),
               {', '.join(sums)}
        FROM {ABSENCE_2014}""")
    assert row[0] > 50
    assert row[5] < row[0] and row[6] > 0  # the 6th half term holds sessions and absences
    assert all(v == 0 for v in row[1:6] + row[7:]), row


def test_persistent_absence_flags_follow_their_definitions(db) -> None:
    """PA flags as the VRF defines them: exact (share of sessions possible) and threshold
    (sessions missed, lower at age 15 over 6 half terms), over 5 and 6 half terms."""
    c = lambda p: _column(db, ABSENCE_2016, p)  # noqa: E731
    flagged = {}
    checks = []
    for halves in (5, 6):
        overall = c(f"OverallAbsence_{halves}HalfTerms_ab..")
        possible = c(f"SessionsPossible_{halves}HalfTerms_ab..")
        for pct in (10, 15):
            name = c(f"PA{pct}_[Ee]xact_{halves}Half[Tt]erms_ab..")
            checks.append(f"sum({name} <> ({overall} * 100.0 / {possible} >= {pct}))")
            flagged[name] = f"sum({name})"
    age = c("AgeAtStartOfAcademicYear_ab..")
    overall6 = c("OverallAbsence_6HalfTerms_ab..")
    for pct, above in ((15, 45), (10, 30)):
        name = c(f"PA{pct}_Threshold_5Halfterms_ab..")
        checks.append(f"sum({name} <> ({c('OverallAbsence_5HalfTerms_ab..')} > {above}))")
        flagged[name] = f"sum({name})"
    for pct, young, old in ((15, 55, 45), (10, 37, 30)):
        name = c(f"PA{pct}_[Tt]hreshold_6HalfTerms_ab..")
        checks.append(f"sum({name} <> (({overall6} > {young} AND {age} < 15) OR "
                      f"({overall6} > {old} AND {age} >= 15)))")
        flagged[name] = f"sum({name})"
    row = _one(db, f"SELECT count(*), {', '.join(checks)}, {', '.join(flagged.values())} "
                   f"FROM {ABSENCE_2016}")
    n, bad, counts = row[0], row[1:1 + len(checks)], row[1 + len(checks):]
    assert n > 50 and all(b == 0 for b in bad), bad
    assert all(0 < k < n for k in counts), counts  # the flags separate pupils


def test_attendance_codes_add_up_to_attended_sessions() -> None:
    """Late, approved-activity and present sessions add up to possible minus absent, for each
    period; D and X are 0 (simulated on a small frame: the codes are only in the 2020/21 view)."""
    from leo_synth.engine.rng import stream
    from leo_synth.simulation import school_events
    from leo_synth.simulation.frame import Frame

    class _Ctx:
        def rng(self, name: str) -> np.random.Generator:
            return stream(11, name, 0)

    class _Life:
        ctx = _Ctx()

    rng = np.random.default_rng(3)
    possible = rng.integers(50, 150, (200, 4))
    absent = rng.binomial(possible, 0.1)
    rows = Frame(ncyear=rng.integers(1, 12, 200))
    codes = school_events.attendance_codes(_Life(), rows, possible, absent)
    total = sum(codes[c] for c in school_events.ATTENDANCE_CODES)
    assert (total == possible - absent).all()
    assert (codes["D"] == 0).all() and (codes["X"] == 0).all()
    assert (codes["W"][rows["ncyear"] < 10] == 0).all()
    assert (codes["AM"] - codes["PM"]).min() >= 0 and (codes["AM"] - codes["PM"]).max() <= 1


def test_characteristics_agree_across_census_and_absence(db) -> None:
    """A pupil-year's census characteristics are the absence record's (the Spring Census feeds
    absence): first language, service child, SEN unit, IDACI score."""
    census, absence = "spring_census_2014", ABSENCE_2014
    sc = lambda p: _column(db, census, p)  # noqa: E731
    ab = lambda p: _column(db, absence, p)  # noqa: E731
    row = _one(db, f"""
        SELECT count(*), sum(c.{sc('Language_spr..')} <> a.{ab('Language_ab..')}),
               sum(c.{sc('ServiceChild_spr..')} <> a.{ab('ServiceChild_ab..')}),
               sum(c.{sc('SENUnitIndicator_spr..')} <> a.{ab('SENUnitIndicator_ab..')}),
               sum(c.{sc('IDACIScore_spr..')} <> a.{ab('IDACI_S_ab..')})
        FROM {census} c JOIN {absence} a
          ON c.{sc('PupilMatchingRefAnonymous_spr..')} = a.{ab('PupilMatchingRefAnonymous_ab..')}
         AND c.{sc('NCyearActual_spr..')} = a.{ab('NCyearActual_ab..')}""")
    assert row[0] > 30 and row[1:] == (0, 0, 0, 0), row


def test_characteristics_follow_their_conditions(db) -> None:
    """LanguageGroup from Language, the first language from the EAL flag, SEN units only for
    pupils with SEN (never both unit and resourced provision), boarders only from Year 7, the
    nearest school no further than the current one; from 2012/13 no consent to share under 13
    and the birth order within the sibling group."""
    rel = "spring_census_2009"
    c = lambda p: _column(db, rel, p)  # noqa: E731
    unit = f"{c('SENUnitIndicator_spr..')} + {c('ResourcedProvisionIndicator_spr..')}"
    row = _one(db, f"""
        SELECT count(*),
               sum(({c('LanguageGroup_spr..')} = 'ENG') <> ({c('Language_spr..')} = 'ENG')),
               sum(({c('FirstLanguage_spr..')} = 'ENG') <> ({c('Language_spr..')} = 'ENG')),
               sum({unit} > 0 AND {c('SENprovision_spr..')} = 'N'), sum({unit} > 1),
               sum({c('Boarder_spr..')} <> 'N' AND {c('NCyearActual_spr..')}
                   IN ('N1', 'N2', 'R', '1', '2', '3', '4', '5', '6')),
               sum({c('DistNearSch_spr..')} > {c('DistCurrSch_spr..')}),
               count(DISTINCT {c('Language_spr..')})
        FROM {rel}""")
    assert row[0] > 50 and row[1:-1] == (0,) * 6 and row[-1] > 2, row
    rel = "spring_census_2013"
    yssa = f"nullif({c('YSSA_spr..')}, '')"  # the blank-string quirk stands for NULL
    row = _one(db, f"""
        SELECT count(*),
               sum({yssa} IS NOT NULL AND {c('AgeAtStartOfAcademicYear_spr..')} < 13),
               sum({yssa} IS NULL AND {c('AgeAtStartOfAcademicYear_spr..')} >= 13),
               sum({c('BirthOrder_SGA_spr..')} > {c('NSiblings_SGA_spr..')} + 1),
               sum({c('BirthOrder_SGAS_spr..')} > {c('NSiblings_SGAS_spr..')} + 1),
               sum({c('NSiblings_SGAS_spr..')} > {c('NSiblings_SGA_spr..')}),
               count({yssa})
        FROM {rel}""")
    assert row[0] > 50 and row[1:-1] == (0,) * 5 and row[-1] > 0, row


def test_exclusion_slots_follow_the_exclusions(db) -> None:
    """Table 2's numbered columns hold the pupil's exclusions of the year in date order: the
    slots' fixed-period sessions add up to TotalFixedSessions, their count of fixed-period
    exclusions to TotalFixedExclusions, and the slots' SEN provision is the pupil's. Every
    year's table with the census SEN column (from 2006/07) is checked: a year's table holds a
    few pupils at 1,000 persons (about 2% of pupils are excluded in a year)."""
    tables = [row[0] for row in db.execute(
        "SELECT m.name FROM sqlite_master m WHERE m.name LIKE 'exclusions_table_2_%' AND EXISTS "
        "(SELECT 1 FROM pragma_table_info(m.name) WHERE name LIKE 'CensusSEN_ex__')")]
    assert len(tables) >= 10
    rows = 0
    for rel in tables:
        c = lambda p, rel=rel: _column(db, rel, p)  # noqa: E731
        slots = range(1, 41)
        fixed_sessions = " + ".join(
            f"(CASE WHEN {c(f'Category_{n}_ex..')} = 'FIXD' THEN {c(f'Sessions_{n}_ex..')} "
            f"ELSE 0 END)" for n in slots)
        fixed_count = " + ".join(f"coalesce({c(f'Category_{n}_ex..')} = 'FIXD', 0)"
                                 for n in slots)
        order = " + ".join(
            f"coalesce({c(f'StartDate_{n}_ex..')} < {c(f'StartDate_{n - 1}_ex..')}, 0)"
            for n in range(2, 41))
        row = _one(db, f"""
            SELECT count(*), sum({c('TotalFixedSessions_ex..')} <> {fixed_sessions}),
                   sum({c('TotalFixedExclusions_ex..')} <> {fixed_count}),
                   sum({c('SENprovision_1_ex..')} <> {c('CensusSEN_ex..')}),
                   sum({c('Reason_1_ex..')} IS NULL), sum({order})
            FROM {rel}""")
        assert row[1:] == (0, 0, 0, 0, 0) or row[0] == 0, (rel, row)
        rows += row[0]
    assert rows > 30, rows


@given(st.integers(min_value=1, max_value=IDACI_LSOAS))
def test_idaci_decile_bands_the_rank(rank: int) -> None:
    decile = int(idaci_decile(np.array([rank]))[0])
    assert 1 <= decile <= 10
    assert (decile - 1) * IDACI_LSOAS / 10 < rank <= decile * IDACI_LSOAS / 10 + 1


def test_uniform_hash_is_a_function_of_key_salt_and_year() -> None:
    keys = np.arange(10_000, dtype=np.uint64) * np.uint64(7919)
    u = uniform(keys, 3, 2014)
    assert np.array_equal(u, uniform(keys, 3, 2014))
    assert not np.array_equal(u, uniform(keys, 3, 2015))
    assert u.min() >= 0 and u.max() < 1 and abs(u.mean() - 0.5) < 0.02


def test_sixth_form_census_fields_follow_the_ks4_grades(db) -> None:
    """Prior GCSE grades and planned hours only for sixth-formers; the previous year's grade is
    the highest grade for Year 12 and NULL in Year 13; early-years hours only in nursery."""
    rel = "autumn_census_2018"
    c = lambda p: _column(db, rel, p)  # noqa: E731
    nc = c("NCyearActual_aut..")
    sixth = f"{nc} IN ('12', '13')"
    maths, maths_prev = c("MathsGCSEHighestPriorAttainment_aut.."), c(
        "MathsGCSEHighestPriorAttainmentPreviousYear_aut..")
    row = _one(db, f"""
        SELECT sum({sixth}), sum({sixth} AND nullif({maths}, '') IS NOT NULL),
               sum(NOT {sixth} AND nullif({maths}, '') IS NOT NULL),
               sum(NOT {sixth} AND {c('QualHrs_aut..')} IS NOT NULL),
               sum({sixth} AND {c('QualHrs_aut..')} NOT BETWEEN 450 AND 660),
               sum({nc} = '12' AND {maths_prev} <> {maths}),
               sum({nc} = '13' AND nullif({maths_prev}, '') IS NOT NULL),
               sum({nc} = '12' AND {c('NonqualHrsPrev_aut..')} IS NOT NULL),
               sum({c('FundedHours_aut..')} IS NOT NULL AND {nc} NOT IN ('N1', 'N2')),
               sum({c('FundedHours_aut..')} IS NULL AND {nc} IN ('N1', 'N2'))
        FROM {rel}""")
    assert row[0] > 5 and row[1] > 0 and row[2:] == (0,) * 8, row


def test_funded_hours_are_the_universal_entitlement(db) -> None:
    """FundedHours is the universal entitlement (the VRF's range 0-25), 12.5 hours to 2009/10
    and 15 after; the extended entitlement from 2017/18 shows in the hours attended. It read 30
    for a quarter of nursery pupils, and 15 before 2010/11."""
    counts = []
    # 12.5 hours to 2009/10, 15 after; the extended entitlement from 2017/18
    for rel, hours in (("spring_census_2010", 12.5), ("spring_census_2016", 15),
                       ("spring_census_2019", 15)):
        funded, at_setting = _column(db, rel, "FundedHours_spr.."), _column(
            db, rel, "HoursAtSetting_spr..")
        rows, bad, long_days = _one(db, f"""
            SELECT count({funded}), sum({funded} <> {hours} OR {at_setting} < {funded}),
                   sum({at_setting} >= 30) FROM {rel}""")
        assert rows > 5 and bad == 0, (rel, rows, bad)
        counts.append(long_days)
    assert counts[:2] == [0, 0] and counts[2] > 0, counts


def test_gcse_grade_is_9_to_1_from_2016_and_letters_before() -> None:
    from leo_synth.relations.pupil_characteristics import gcse_grade

    points = np.arange(10)
    assert gcse_grade(points, np.full(10, 2016)).tolist() == [
        "U", "1", "2", "3", "4", "5", "6", "7", "8", "9"]
    assert gcse_grade(points, np.full(10, 2015)).tolist() == [
        "U", "G", "E", "D", "C", "C", "B", "A", "A*", "A*"]


def test_plams_matched_result_repeats_the_completed_aim(db) -> None:
    """A completed aim (an A level in Year 13, an AS level in Year 12) is matched to its
    result: the attainment side repeats the aim's QAN, school and qualification, the QCDA
    points are the grade's (an AS level's half an A level's); a continuing aim (an A level in
    Year 12) is unmatched."""
    completed = "(pl_NCYear = 13 OR pl_Qual_Type_Ref = 'GCE AS level')"
    row = _one(db, f"""
        SELECT sum(pl_NCYear = 13), sum(pl_NCYear = 12), sum(pl_Qual_Type_Ref = 'GCE AS level'),
               sum({completed} AND (pl_QAN_ATT <> pl_QAN OR pl_Source_ATT <> '5'
                                    OR pl_LAEstab_ATT_anon <> pl_LAEstab_anon
                                    OR pl_Grade_Match_Status <> 1
                                    OR pl_Sublevno_ATT <> CASE pl_Qual_Type_Ref WHEN 'GCE AS level'
                                                             THEN '121' ELSE '111' END)),
               sum({completed} AND pl_GradeQCDAPoints <> CASE pl_Grade_ATT
                   WHEN 'A*' THEN 300 WHEN 'A' THEN 270 WHEN 'B' THEN 240 WHEN 'C' THEN 210
                   WHEN 'D' THEN 180 WHEN 'E' THEN 150 ELSE 0 END
                   / CASE pl_Qual_Type_Ref WHEN 'GCE AS level' THEN 2 ELSE 1 END),
               sum(NOT {completed} AND (nullif(pl_QAN_ATT, '') IS NOT NULL
                                        OR pl_GradeQCDAPoints IS NOT NULL
                                        OR pl_Source_ATT <> 'N' OR pl_Grade_Match_Status <> 0)),
               sum(pl_Qual_Type_Ref = 'GCE AS level'
                   AND (pl_NCYear <> 12 OR pl_Title_Ref <> 'GCE AS level'))
        FROM PLAMS_Amended_2012""")
    assert row[0] > 5 and row[1] > 5 and row[2] > 0 and row[3:] == (0, 0, 0, 0), row


def test_plams_aims_run_from_year_12(db) -> None:
    """An A level aim starts in September of Year 12 and is planned to end in Year 13's
    summer, whichever year's PLAMS shows it; an AS level aim runs through Year 12. The A
    level aims' start dates were a year early in Year 12 and a year late in Year 13."""
    checked = 0
    for year in range(2010, 2016):
        rows, bad = _one(db, f"""
            SELECT count(*), sum(pl_LearningStartDate <> (substr(pl_ACADYR, 1, 4)
                                     - (pl_NCYear = 13)) || '-09-05'
                                 OR pl_LearningPlannedEndDate <> (substr(pl_ACADYR, 1, 4) + 1
                                     + (pl_NCYear = 12 AND pl_Qual_Type_Ref = 'GCE A level'))
                                     || '-06-30')
            FROM PLAMS_Amended_{year}""")
        assert bad == 0, year
        checked += rows
    assert checked > 100


def _plams_aims(db: sqlite3.Connection, table: str, ncyear: int) -> list[tuple]:
    """(pupil, subject, grade) of a PLAMS table's aims in one year group, sorted: the aim's
    subject (``pl_SCC`` from 2015/16, ``pl_Disc_Code`` or the QAN's code before) and the
    matched result's grade (``pl_Grade_ATT`` / ``_AAT``; NULL for a blank)."""
    columns = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
    subject = next((c for c in ("pl_SCC", "pl_Disc_Code") if c in columns), "substr(pl_QAN, 4)")
    grade = next(c for c in ("pl_Grade_ATT", "pl_Grade_AAT") if c in columns)
    return sorted(db.execute(f"""SELECT pl_PupilMatchingRefAnonymous, {subject},
                                        nullif({grade}, '')
                                 FROM {table} WHERE pl_NCYear = {ncyear}""").fetchall(),
                  key=str)


def test_plams_aims_are_the_ks5_a_levels(db) -> None:
    """A sixth-former's learning aims are the A levels of the KS5 exam table: in Year 13 the
    same subjects with the same grades as the KS5 year's exam rows, in Year 12 the subjects
    the student takes in the next year's (no result yet) and the AS level of the next year's
    (sat in Year 12, with its grade)."""
    checked = 0
    for year in range(2008, 2021):
        for ncyear, ks5_year in ((13, year), (12, year + 1)):
            aims = _plams_aims(db, f"PLAMS_Amended_{year + 1}", ncyear)
            pupils = sorted({aim[0] for aim in aims})
            if not pupils:
                continue
            exams = db.execute(f"""
                SELECT KS5_PupilMatchingRefAnonymous, KS5_MAPPING,
                       CASE WHEN {ncyear} = 13 OR KS5_SUBLEVNO = 121 THEN KS5_GRADE END
                FROM KS5Exam_2002_to_2021
                WHERE KS5_ACADYR = '{ks5_year}/{ks5_year + 1}'
                  AND KS5_SUBLEVNO IN (111, {121 if ncyear == 12 else 111})
                  AND KS5_PupilMatchingRefAnonymous IN ({", ".join("?" * len(pupils))})""",
                               pupils).fetchall()
            held = {exam[0] for exam in exams}
            own = [aim for aim in aims if aim[0] in held]
            assert own == sorted(exams, key=str), (year, ncyear)
            # (a Year 12 pupil without next year's results left the sixth form)
            assert ncyear == 12 or len(own) == len(aims), year
            checked += len(own)
    assert checked > 100, checked


def test_cin_episode_flags_follow_the_census_year(db) -> None:
    """CIN_Started / CIN_Ended / CIN_AnyPoint are the referral and closure dates against the
    episode's census year (1 April to 31 March of CIN_ACADYR)."""
    first = "substr(CIN_ACADYR, 1, 4) || '-04-01'"
    last = "(substr(CIN_ACADYR, 1, 4) + 1) || '-03-31'"
    row = _one(db, f"""
        SELECT count(CIN_Started), count(CIN_AnyPoint),
               sum(CIN_Started <> (CIN_CINReferralDate BETWEEN {first} AND {last})),
               sum(CIN_Ended <> coalesce(CIN_CINClosureDate BETWEEN {first} AND {last}, 0)),
               sum(CIN_AnyPoint <> (CIN_CINReferralDate <= {last} AND
                                    coalesce(CIN_CINClosureDate >= {first}, 1)))
        FROM cin_2009_to_2021""")
    assert row[0] > 5 and row[1] > 5 and row[2:] == (0, 0, 0), row


def test_child_protection_and_placement_codes_follow_the_episode(db) -> None:
    """The NI67 denominator holds plans of three months or more and the numerator is inside it;
    a child is placed for adoption (A3-A6) exactly when under a placement order (E1), and every
    adoption (E11/E12) ends such a placement (a year's row of a child placed for adoption at 31
    March holds no reason ceased yet: the adoption is in a later year's row)."""
    row = _one(db, """
        SELECT count(CIN_NI67DenominatorFlag),
               sum(CIN_NI67DenominatorFlag <> (julianday(CIN_CPPendDate)
                                               - julianday(CIN_CPPstartDate) >= 91)),
               sum(CIN_NI67NumeratorFlag > CIN_NI67DenominatorFlag)
        FROM cin_cpp_2009_to_2021 WHERE CIN_CPPendDate IS NOT NULL""")
    assert row[0] > 0 and row[1:] == (0, 0), row
    row = _one(db, """
        SELECT count(*), sum((cla_PLACEMENT IN ('A3', 'A4', 'A5', 'A6'))
                             <> (cla_LEGAL_STATUS = 'E1')),
               sum(cla_REC IN ('E11', 'E12') AND cla_PLACEMENT NOT IN ('A3', 'A4', 'A5', 'A6')),
               count(DISTINCT cla_PLACEMENT)
        FROM cla_2006_to_2021""")
    assert row[0] > 5 and row[1:3] == (0, 0) and row[3] > 2, row


def test_cin_service_type_follows_the_case(db) -> None:
    """Leaving-care support (Z) only at 16 or over; family support (Y) is the common case."""
    row = _one(db, """
        SELECT count(*), sum(s.ServiceType = 'Z' AND d.CIN_Age_Referral < 16),
               sum(s.ServiceType = 'Y'), sum(s.ServiceType NOT IN ('A', 'Z', 'D', 'P', 'Y'))
        FROM cin_service_provision_2009_to_2021 s
        JOIN cin_2009_to_2021 d ON d.CIN_CINDetailsTableID = s.CINDetailsTableID
                               AND d.CIN_ACADYR = s.CIN_ACADYR""")
    assert row[0] > 0 and row[1] == 0 and row[2] * 2 > row[0] and row[3] == 0, row


def test_school_and_home_areas_are_properties_of_the_place(db) -> None:
    """Every pupil of a school carries the school's output area, LSOA and IDACI; deciles band
    the ranks, for the school and for the pupil's home (the same score as the census's)."""
    rel = "Absence_2017_3term"
    c = lambda p: _column(db, rel, p)  # noqa: E731
    school = c("LAEstab_ANON_ab..")
    row = _one(db, f"""
        SELECT count(*), max(n_oa), max(n_idaci) FROM (
            SELECT count(DISTINCT {c('OA11_school_ab..')}) n_oa,
                   count(DISTINCT {c('IDACI_S_school_ab..')}) n_idaci
            FROM {rel} GROUP BY {school})""")
    assert row[0] > 3 and row[1:] == (1, 1), row
    decile = "CAST((({rank} - 1) * 10 / {lsoas}) AS INTEGER) + 1"
    row = _one(db, f"""
        SELECT count(*),
               sum(CAST({c('IDACI_D_school_ab..')} AS INTEGER) <> {decile.format(
                   rank=c('IDACI_R_school_ab..'), lsoas=IDACI_LSOAS)}),
               sum(CAST(IDACI_D_home AS INTEGER) <> {decile.format(
                   rank='IDACI_R_home', lsoas=IDACI_LSOAS)}),
               sum(substr({c('LSOA11_school_ab..')}, 1, 3) <> 'E01')
        FROM {rel}""")
    assert row[0] > 50 and row[1:] == (0, 0, 0), row


def test_an_lsoa_has_one_idaci_score_for_homes_and_schools(db) -> None:
    """IDACI is a property of the LSOA a postcode lies in: every pupil living in an LSOA, and
    every school sited in it, carries its one score and rank (the score is not the pupil's own
    deprivation, which only chooses the LSOA)."""
    rel = "Absence_2017_3term"
    c = lambda p: _column(db, rel, p)  # noqa: E731
    places = f"""
        SELECT LLSOA_spr11 AS lsoa, IDACIScore_spr11 AS score, IDACIRank_spr11 AS rnk
        FROM spring_census_2011
        UNION ALL SELECT {c('LSOA11_ab..')}, IDACI_S_home, CAST(IDACI_R_home AS INTEGER) FROM {rel}
        UNION ALL SELECT {c('LSOA11_school_ab..')}, {c('IDACI_S_school_ab..')},
                         CAST({c('IDACI_R_school_ab..')} AS INTEGER) FROM {rel}"""
    row = _one(db, f"""
        SELECT count(*), sum(n > 1), max(scores), max(ranks) FROM (
            SELECT lsoa, count(*) n, count(DISTINCT score) scores, count(DISTINCT rnk) ranks
            FROM ({places}) WHERE lsoa IS NOT NULL GROUP BY lsoa)""")
    assert row[0] > 100 and row[1] > 50 and row[2:] == (1, 1), row
    # Deprivation still places the disadvantaged: FSM pupils live in more deprived LSOAs.
    fsm, other = _one(db, """SELECT avg(CASE WHEN FSMeligible_spr11 = 1 THEN IDACIScore_spr11 END),
                                    avg(CASE WHEN FSMeligible_spr11 = 0 THEN IDACIScore_spr11 END)
                             FROM spring_census_2011""")
    assert fsm > other + 0.05, (fsm, other)


def test_a_schools_type_and_admissions_codes_agree(db) -> None:
    """KS4 and KS5: the school type (NEW_TYPE, NEWER_TYPE), admissions policy (ADMPOL), ToE_CODE
    and NFTYPE of a row describe one school: a special school is other maintained (4), maintained
    special (5) and not applicable (0), a secondary school comprehensive, selective or modern in
    all three; ToE_CODE is NFTYPE's Edubase type; a pupil referral unit (ToE_CODE 14) has no
    NFTYPE, is other maintained (4), a hospital or PRU (6) and not applicable (0). A school has
    one NFTYPE in a year. KS5's converter academy URN and open date are those of the student's
    school."""
    toe = ("('21', '1'), ('22', '2'), ('23', '3'), ('24', '5'), ('26', '7'), ('27', '12'), "
           "('20', '28'), ('51', '34'), ('53', '33'), ('53', '44')")
    rows, bad_special, bad_admissions, bad_toe, selective, units, bad_unit = _one(db, f"""
        SELECT count(*),
               sum(KS4_NFTYPE IN ('26', '27', '53')
                   AND (KS4_NEW_TYPE <> 4 OR KS4_NEWER_TYPE <> 5 OR KS4_ADMPOL <> '0')),
               sum(KS4_NFTYPE NOT IN ('26', '27', '53')
                   AND (KS4_NEW_TYPE NOT IN (1, 2, 3) OR KS4_NEWER_TYPE <> KS4_NEW_TYPE
                        OR KS4_ADMPOL <> CAST(KS4_NEW_TYPE AS TEXT)
                        OR coalesce(nullif(KS4_ADMPOL_PT, ''), KS4_ADMPOL) <> KS4_ADMPOL)),
               sum(KS4_ToE_CODE <> '14' AND (KS4_NFTYPE, KS4_ToE_CODE) NOT IN (VALUES {toe})),
               sum(KS4_ADMPOL = '2'),
               sum(KS4_ToE_CODE = '14'),
               sum(KS4_ToE_CODE = '14' AND (KS4_NFTYPE IS NOT NULL OR KS4_NEW_TYPE <> 4
                                           OR KS4_NEWER_TYPE <> 6 OR KS4_ADMPOL <> '0'))
        FROM KS4Pupil_2015_to_2021""")
    assert rows > 100 and (bad_special, bad_admissions, bad_toe) == (0, 0, 0)
    assert bad_unit in (0, None), units
    assert selective < rows * 0.3
    row = _one(db, """
        SELECT count(*), max(n) FROM (
            SELECT count(DISTINCT t) n FROM (
                SELECT KS4_URN_anon u, KS4_ACADYR y, KS4_NFTYPE t FROM KS4Pupil_2015_to_2021
                UNION ALL SELECT KS5_URN_anon, KS5_ACADYR, CAST(KS5_NFTYPE AS TEXT)
                FROM KS5Student_2002_to_2021 WHERE KS5_NFTYPE IS NOT NULL)
            WHERE u IS NOT NULL AND u <> '' GROUP BY u, y)""")
    assert row[0] > 50 and row[1] == 1, row
    row = _one(db, """
        SELECT count(*), sum(CASE WHEN KS5_FESITYPE = 'FE' THEN KS5_NEW_TYPE NOT IN (6, 7)
                                  ELSE KS5_NEW_TYPE NOT IN (1, 2, 3, 4) END
                             OR KS5_FETYPE <> CASE KS5_NEW_TYPE WHEN 7 THEN 3 WHEN 6 THEN 5
                                                                ELSE 0 END),
               sum(KS5_NEW_TYPE = 6), sum(KS5_NEW_TYPE = 7)
        FROM KS5Student_2002_to_2021 WHERE KS5_FESITYPE IS NOT NULL AND KS5_FETYPE IS NOT NULL""")
    assert row[0] > 5 and row[1] == 0 and min(row[2:]) > 0, row
    # A converter academy's URN is its own and it opened by the year; no one else has one.
    row = _one(db, """
        SELECT count(KS5_URN_AC), sum(KS5_URN_AC <> KS5_URN_anon),
               sum((KS5_URN_AC IS NOT NULL) <> (KS5_NFTYPE IN (51, 53) AND KS5_ToE_CODE <> 33)),
               sum(KS5_OPEN_AC > CAST(substr(KS5_ACADYR, 1, 4) AS INT) * 10000 + 901
                   OR KS5_OPEN_AC % 10000 <> 901 OR (KS5_OPEN_AC IS NULL) <> (KS5_URN_AC IS NULL))
        FROM KS5Student_2002_to_2021 WHERE KS5_ACADYR >= '2014/2015'""")
    assert row[0] > 10 and row[1:] == (0, 0, 0), row


def test_grammar_schools_take_the_ablest_pupils_of_their_la(db) -> None:
    """A selective LA's grammar school (KS4_ADMPOL 2) takes the most able of its cohort: a few
    per cent of KS4 pupils, with far higher Attainment 8 and fewer disadvantaged pupils than
    at comprehensives (DfE: grammar schools' Attainment 8 about 70 against 46 nationally)."""
    rows, grammar, att8_grammar, att8_comprehensive = _one(db, """
        SELECT count(*), sum(KS4_ADMPOL = '2'), avg(CASE WHEN KS4_ADMPOL = '2' THEN KS4_ATT8 END),
               avg(CASE WHEN KS4_ADMPOL = '1' THEN KS4_ATT8 END)
        FROM KS4Pupil_2015_to_2021""")
    assert rows > 100 and 0.01 * rows < grammar < 0.15 * rows, (rows, grammar)
    assert att8_grammar > att8_comprehensive + 8, (att8_grammar, att8_comprehensive)


def test_a_schools_own_codes_are_the_same_for_each_of_its_pupils(db) -> None:
    """School type and admissions policy (per: the URN) are the school's, in both KS4 views
    and every year; KS5 institution codes agree between the student and exam tables; school
    cohort statistics (per: URN and year) have one value per school and year."""
    row = _one(db, """
        SELECT count(*), max(types), max(newer) FROM (
            SELECT urn, count(DISTINCT t) types, count(DISTINCT h) newer FROM (
                SELECT KS4_URN_anon urn, KS4_NEW_TYPE t, KS4_NEWER_TYPE h
                FROM KS4Pupil_2002_to_2014
                UNION ALL SELECT KS4_URN_anon, KS4_NEW_TYPE, KS4_NEWER_TYPE
                FROM KS4Pupil_2015_to_2021)
            WHERE urn IS NOT NULL GROUP BY urn)""")
    assert row[0] > 20 and row[1:] == (1, 1), row
    # Schools differ (comprehensive, selective, modern, special): not one constant.
    assert _one(db, "SELECT count(DISTINCT KS4_NEW_TYPE) FROM KS4Pupil_2015_to_2021")[0] > 2
    row = _one(db, """
        SELECT count(*), max(n) FROM (
            SELECT KS4_URN_anon, KS4_ACADYR, count(DISTINCT KS4_SC_P2APS) n
            FROM KS4Pupil_2002_to_2014 WHERE KS4_URN_anon IS NOT NULL GROUP BY 1, 2)""")
    assert row[0] > 20 and row[1] == 1, row
    row = _one(db, """
        SELECT count(*), sum(s.KS5_ADMPOL <> e.KS5_ADMPOL)
        FROM KS5Student_2002_to_2021 s
        JOIN KS5Exam_2002_to_2021 e ON e.KS5_PupilMatchingRefAnonymous
                                       = s.KS5_PupilMatchingRefAnonymous
                                   AND e.KS5_ACADYR = s.KS5_ACADYR""")
    assert row[0] > 50 and row[1] == 0, row
    row = _one(db, """
        SELECT count(*), max(n) FROM (
            SELECT count(DISTINCT YPMAD_main_inst_type_lookup) n FROM YPMAD_2002_to_2021
            WHERE YPMAD_main_inst_Laestab_code_anon IS NOT NULL
            GROUP BY YPMAD_main_inst_Laestab_code_anon)""")
    assert row[0] > 20 and row[1] == 1, row


def test_a_census_urn_has_one_phase(db) -> None:
    """A pupil placed in a pupil referral unit is on the unit's roll: the PRU's own LAESTAB and
    URN (in the school's LA) beside PHASE 'PR', so every URN of a census has one PHASE."""
    pr = bad = 0
    for (rel,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name "
                             "LIKE '%census_20%' AND name NOT LIKE '%ap_%' ORDER BY name"):
        if not any(r[1].startswith("PHASE_") for r in db.execute(f"PRAGMA table_info({rel})")):
            continue
        term = "[a-z]{3}[0-9]{2}"
        urn, phase, la = (_column(db, rel, p.format(term)) for p in (
            "URN_{}_anon", "PHASE_{}", "LA_{}_anon"))
        row = _one(db, f"""SELECT sum({phase} = 'PR'), (SELECT count(*) FROM (
                               SELECT 1 FROM {rel} GROUP BY {urn}
                               HAVING count(DISTINCT {phase}) > 1 OR count(DISTINCT {la}) > 1))
                           FROM {rel}""")
        pr, bad = pr + (row[0] or 0), bad + row[1]
    assert pr > 0 and bad == 0, (pr, bad)


def test_ncyear_codes_are_the_census_codes() -> None:
    years = np.array([3, -2, 0, 14, -1, 3, 11])
    assert ncyear_code(years).tolist() == ["3", "N1", "R", "14", "N2", "3", "11"]
    assert ncyear_code(years[:0]).shape == (0,)


def test_further_exclusion_reasons_are_other_reasons_for_a_minority(db) -> None:
    """Reason_B / Reason_C (2020/21): NULL for most exclusions; a second reason differs from
    the first, a third from both and only beside a second."""
    rows = db.execute("""SELECT Reason_A_ex21, Reason_B_ex21, Reason_C_ex21
                         FROM exclusions_table_1_2021""").fetchall()
    assert len(rows) >= 5
    for first, second, third in rows:
        assert second is None or second != first
        assert third is None or (second is not None and third not in (first, second))
    assert sum(second is not None for _, second, _ in rows) < 0.5 * len(rows)


def test_sibling_groups_are_one_per_pupil(db) -> None:
    """GroupID_SGA / GroupID_SGAS: siblings are not simulated, so each pupil of a census is a
    group of its own (as many groups as pupils), the same number in both columns."""
    for view, yy in (("spring_census_2008", "08"), ("spring_census_2013", "13"),
                     ("spring_census_2016", "16")):
        pupils, groups, same = db.execute(f"""
            SELECT count(DISTINCT PupilMatchingRefAnonymous_spr{yy}),
                   count(DISTINCT GroupID_SGA_spr{yy}),
                   sum(GroupID_SGA_spr{yy} = GroupID_SGAS_spr{yy}) = count(*)
            FROM {view}""").fetchone()
        assert pupils > 20 and groups == pupils and same, view


def test_service_provision_is_mostly_the_authority_s_own(db) -> None:
    """ServiceProvision (2008/09): the local authority's own provision (PR1) is the most
    common provider."""
    counts = dict(db.execute("""SELECT ServiceProvision, count(*) FROM
        cin_service_provision_2009_to_2021 WHERE ServiceProvision IS NOT NULL
        GROUP BY 1""").fetchall())
    assert sum(counts.values()) >= 20
    assert counts.get("PR1", 0) > 0.4 * sum(counts.values())


def test_secondary_need_of_some_pupils_with_sen(db) -> None:
    """A share of the pupils with SEN have a secondary need (the census's "if appropriate"):
    never the primary one, never without SEN, the same in the spring census and the absence
    record of the year. (It was NULL for everyone.)"""
    census, absence = "spring_census_2014", ABSENCE_2014
    sc = lambda p: _column(db, census, p)  # noqa: E731
    ab = lambda p: _column(db, absence, p)  # noqa: E731
    primary, secondary = sc("PrimarySENtype_spr.."), sc("SecondarySENtype_spr..")
    with_sen, recorded, same, without_sen = _one(db, f"""
        SELECT sum(NULLIF({primary}, '') IS NOT NULL), sum(NULLIF({secondary}, '') IS NOT NULL),
               sum(NULLIF({secondary}, '') = {primary}),
               sum(NULLIF({secondary}, '') IS NOT NULL AND NULLIF({primary}, '') IS NULL)
        FROM {census}""")
    assert with_sen > 20 and 0.1 < recorded / with_sen < 0.5
    assert (same, without_sen) == (0, 0)
    rows, disagree = _one(db, f"""
        SELECT count(*),
               sum(NULLIF(c.{secondary}, '') IS NOT NULLIF(a.{ab('SecondarySENtype_ab..')}, ''))
        FROM {census} c JOIN {absence} a
          ON c.{sc('PupilMatchingRefAnonymous_spr..')} = a.{ab('PupilMatchingRefAnonymous_ab..')}
         AND c.{sc('NCyearActual_spr..')} = a.{ab('NCyearActual_ab..')}
        WHERE NULLIF(c.{primary}, '') IS NOT NULL""")
    assert rows > 10 and disagree == 0
