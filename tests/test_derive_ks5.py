"""KS5 derived columns agree with their sources (schemas/rules/ks5_student.yaml), checked as
properties of the suite's small run with SQL, as a researcher would: the student row's
per-subject grades are those of the exam rows, the facilitating-subject counts and AAB flags
follow the grades and subjects, the allocation flags follow the years allocated, and the KS4
fields carried into KS5 equal the student's KS4 pupil row.
"""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest
from conftest import one as _one

from leo_synth.relations.ks4_subjects import LANGUAGES
from leo_synth.relations.ks5_subjects import (
    A_LEVEL_SUBJECT_TABLE,
    DEGREE_A_LEVELS,
    FACILITATING_MAPPINGS,
    LINEAR_FROM,
    choose_subjects,
)
from leo_synth.simulation.parameters import load_parameters
from leo_synth.simulation.subjects import subject_catalogue
from leo_synth.spec.model import fill_class

STUDENT = "KS5Student_2002_to_2021"
EXAM = "KS5Exam_2002_to_2021"
FACILITATING = ", ".join(f"'{m}'" for m in FACILITATING_MAPPINGS)


@pytest.fixture(scope="module")
def db(small_sqlite_connection: sqlite3.Connection) -> sqlite3.Connection:
    return small_sqlite_connection


def _exam_by_student(select: str) -> str:
    """The student's A level rows (SUBLEVNO 111; a school sixth former's GCSE English and
    maths resits are in the exam table too), grouped by student and KS5 year."""
    return f"""WITH e AS (SELECT KS5_PupilMatchingRefAnonymous AS pmr, KS5_ACADYR AS yr, {select}
                         FROM {EXAM} WHERE KS5_SUBLEVNO = 111 GROUP BY 1, 2)"""


def test_subject_grades_are_the_exam_rows_grades(db) -> None:
    """KS5_GA_<subject> is the grade of the student's A level exam row with that mapping code,
    KS5_GAS_<subject> of the AS level row (SUBLEVNO 121), NULL without one; applied A levels
    are NULL (none are simulated)."""
    checked = 0
    for name in ("MATH", "BIOLOGY", "PSYCH_SOC", "HIST", "ENG_LIT", "FRENCH"):
        mapping = A_LEVEL_SUBJECT_TABLE[name][0]
        rows, bad, graded = _one(db, f"""
            {_exam_by_student(f"max(CASE WHEN KS5_MAPPING = '{mapping}' THEN KS5_GRADE END) AS g")}
            SELECT count(*), sum(s.KS5_GA_{name} IS NOT e.g), count(s.KS5_GA_{name})
            FROM {STUDENT} s JOIN e ON e.pmr = s.KS5_PupilMatchingRefAnonymous
                                   AND e.yr = s.KS5_ACADYR""")
        assert rows > 50 and bad == 0
        checked += graded
    assert checked > 30
    as_graded = 0
    for name in ("MATH", "BIOLOGY", "PSYCH_SOC", "HIST", "ENG_LIT", "CHEMISTRY", "PHYSICS"):
        mapping = A_LEVEL_SUBJECT_TABLE[name][0]
        rows, bad, graded = _one(db, f"""
            WITH e AS (SELECT KS5_PupilMatchingRefAnonymous AS pmr, KS5_ACADYR AS yr,
                              max(CASE WHEN KS5_MAPPING = '{mapping}' THEN KS5_GRADE END) AS g
                       FROM {EXAM} WHERE KS5_SUBLEVNO = 121 GROUP BY 1, 2)
            SELECT count(*), sum(s.KS5_GAS_{name} IS NOT e.g), count(s.KS5_GAS_{name})
            FROM {STUDENT} s JOIN e ON e.pmr = s.KS5_PupilMatchingRefAnonymous
                                   AND e.yr = s.KS5_ACADYR""")
        assert bad == 0, name
        as_graded += graded
    assert as_graded > 5
    assert _one(db, f"SELECT count(KS5_VA_BUS) FROM {STUDENT}") == (0,)


def test_as_levels_follow_their_exam_rows(db) -> None:
    """A student's cashed-in AS level (an exam row of SUBLEVNO 121, sat in the summer of Year
    12, graded A-E or U, of size 0.5) is counted in the student row: entries, passes, points
    (the year's scale) and QCA points and sizes, alone and in the totals with the A levels.
    Every AS column was 0 and no exam row was an AS level."""
    exam = _exam_by_student("count(*) AS n, sum(KS5_POINTS) AS pts").replace(
        "WHERE KS5_SUBLEVNO = 111", "WHERE KS5_SUBLEVNO IN (111, 121)")
    as_rows = f"""SELECT KS5_PupilMatchingRefAnonymous AS pmr, KS5_ACADYR AS yr,
                         count(*) AS n, sum(KS5_GRADE <> 'U') AS passed,
                         sum(KS5_POINTS) AS pts,
                         sum(CASE KS5_GRADE WHEN 'A' THEN 135 WHEN 'B' THEN 120 WHEN 'C' THEN 105
                             WHEN 'D' THEN 90 WHEN 'E' THEN 75 ELSE 0 END) AS qca
                  FROM {EXAM} WHERE KS5_SUBLEVNO = 121 GROUP BY 1, 2"""
    rows, with_as, bad_counts, bad_points, bad_qca, bad_totals = _one(db, f"""
        {exam}, a AS ({as_rows})
        SELECT count(*), sum(s.KS5_ENTRY_GAS),
               sum(s.KS5_ENTRY_GAS <> coalesce(a.n, 0)
                   OR s.KS5_PASSES_GAS <> coalesce(a.passed, 0)
                   OR s.KS5_ENTRY_TOT <> e.n OR s.KS5_TGASE <> 0.5 * coalesce(a.n, 0)),
               sum(s.KS5_POINTS_GAS <> CASE WHEN a.n IS NULL THEN 0 ELSE a.pts END
                   OR s.KS5_TOTPTSE_ACAD <> e.pts),
               sum(s.KS5_TGASS <> coalesce(a.qca, 0)
                   OR s.KS5_NTPTSG <> s.KS5_TGAS + coalesce(a.qca, 0)
                   OR s.KS5_NTSIZEG <> s.KS5_TGAE + 0.5 * coalesce(a.n, 0)),
               sum(s.KS5_TOTPTS <> s.KS5_POINTS_GA + s.KS5_POINTS_GAS + s.KS5_TOTPTSE_VQ
                   OR s.KS5_PASSES_TOT <> s.KS5_PASSES_GA + s.KS5_PASSES_GAS)
        FROM {STUDENT} s JOIN e ON e.pmr = s.KS5_PupilMatchingRefAnonymous
                               AND e.yr = s.KS5_ACADYR
        LEFT JOIN a ON a.pmr = e.pmr AND a.yr = e.yr""")
    assert rows > 100 and with_as > 20, (rows, with_as)
    assert (bad_counts, bad_points, bad_qca, bad_totals) == (0, 0, 0, 0)
    rows, bad = _one(db, f"""
        SELECT count(*), sum(KS5_GRADE NOT IN ('A', 'B', 'C', 'D', 'E', 'U') OR KS5_ASIZE <> 0.5
                             OR KS5_EXAMYEAR <> cast(substr(KS5_ACADYR, 1, 4) AS int)
                             OR KS5_MAXPTGSE <> 135)
        FROM {EXAM} WHERE KS5_SUBLEVNO = 121""")
    assert rows > 20 and bad == 0
    # an AS level is the subject not carried on: never one of the student's A levels, and
    # taken only beside one to three A levels
    clash, beside_four = _one(db, f"""
        SELECT (SELECT count(*) FROM {EXAM} x JOIN {EXAM} y
                  ON y.KS5_PupilMatchingRefAnonymous = x.KS5_PupilMatchingRefAnonymous
                 AND y.KS5_ACADYR = x.KS5_ACADYR AND y.KS5_MAPPING = x.KS5_MAPPING
                WHERE x.KS5_SUBLEVNO = 121 AND y.KS5_SUBLEVNO = 111),
               (SELECT count(*) FROM {STUDENT} WHERE KS5_ENTRY_GAS > 0 AND KS5_ENTRY_GA > 3)""")
    assert (clash, beside_four) == (0, 0)
    # the academic entries' total size (text in the extract) counts an AS as half an A level,
    # written as SQL Server writes a float: '3', '3.5'
    rows, halves, bad = _one(db, f"""
        SELECT count(*), sum(KS5_TOTENTS_ACAD LIKE '%.5'),
               sum(KS5_TOTENTS_ACAD <> CASE WHEN KS5_ENTRY_GAS = 0 THEN CAST(KS5_ENTRY_GA AS TEXT)
                                            ELSE KS5_ENTRY_GA || '.5' END)
        FROM {STUDENT} WHERE KS5_TOTENTS_ACAD IS NOT NULL""")
    assert rows > 100 and halves > 20 and bad == 0, (rows, halves, bad)


def test_as_levels_fall_after_they_were_decoupled(db) -> None:
    """Students of one to three A levels cashed in an AS level about two times in three
    until 2014/15; few did by 2018/19, after AS levels were decoupled from A levels."""
    def share(years: str) -> float:
        return _one(db, f"""SELECT avg(KS5_ENTRY_GAS) FROM {STUDENT}
                            WHERE KS5_ENTRY_GA BETWEEN 1 AND 3 AND {years}""")[0]
    early = share("KS5_ACADYR < '2015/2016'")
    late = share("KS5_ACADYR >= '2018/2019'")
    assert 0.5 <= early <= 0.8 and late < 0.25, (early, late)


def test_facilitating_counts_and_aab_follow_grades_and_subjects(db) -> None:
    rows, bad_a, bad_b, bad_aab = _one(db, f"""
        {_exam_by_student(f'''
            sum(KS5_MAPPING IN ({FACILITATING}) AND KS5_GRADE IN ('A', 'A*')) AS fa,
            sum(KS5_MAPPING IN ({FACILITATING}) AND KS5_GRADE = 'B') AS fb,
            sum(KS5_GRADE IN ('A', 'A*')) AS a, sum(KS5_GRADE IN ('A', 'A*', 'B')) AS ab''')}
        SELECT count(*), sum(s.KS5_A_FAC_AAB <> e.fa), sum(s.KS5_B_FAC_AAB <> e.fb),
               sum(s.KS5_AAB_FAC > (e.a >= 2 AND e.ab >= 3 AND e.fa + e.fb >= 2))
        FROM {STUDENT} s JOIN e ON e.pmr = s.KS5_PupilMatchingRefAnonymous
                               AND e.yr = s.KS5_ACADYR
        WHERE s.KS5_A_FAC_AAB IS NOT NULL""")
    assert rows > 20 and (bad_a, bad_b, bad_aab) == (0, 0, 0)


def test_allocation_flags_follow_the_years_allocated(db) -> None:
    """Two years at one institution: same institution and LA in RY and RY-1, nothing in RY-2,
    no consortium; every flag is the definition applied to the years allocated."""
    rows, bad = _one(db, f"""
        SELECT count(*), sum(KS5_SAME_INST_0_1 <> (KS5_YEARS_ALLOCATED >= 2)
                             OR KS5_SAME_LA_0_1 <> KS5_SAME_INST_0_1
                             OR KS5_SAME_INST_1_2 <> (KS5_YEARS_ALLOCATED >= 3)
                             OR KS5_SAME_INST_2 <> (KS5_YEARS_ALLOCATED >= 3)
                             OR KS5_SAME_INST_ALL <> 1 OR KS5_SAME_MTD_0 <> KS5_MTD
                             OR KS5_SAME_NAT_0_1 <> KS5_SAME_INST_0_1
                             OR KS5_SAME_CONS_ALL <> 0)
        FROM {STUDENT} WHERE KS5_YEARS_ALLOCATED IS NOT NULL""")
    assert rows > 20 and bad == 0


def test_ks4_fields_are_the_ks4_pupil_rows_values(db) -> None:
    pairs = {"KS5_KS4_FSM": "KS4_FSM", "KS5_KS4_SENF": "KS4_SENF", "KS5_KS4_ETHNIC": "KS4_ETHNIC",
             "KS5_KS4_SENTYPE": "KS4_SENTYPE", "KS5_KS4_DISADVANTAGE": "KS4_FSM6CLA1A"}
    compared = 0
    for ks4 in ("KS4Pupil_2002_to_2014", "KS4Pupil_2015_to_2021"):  # '' is a blank-string quirk
        present = {row[1] for row in db.execute(f"PRAGMA table_info({ks4})")}
        for ks5_column, ks4_column in pairs.items():
            if ks4_column not in present:
                continue
            rows, bad = _one(db, f"""
                SELECT count(*), sum(CAST(s.{ks5_column} AS TEXT) <> CAST(k.{ks4_column} AS TEXT))
                FROM {STUDENT} s JOIN {ks4} k
                  ON k.KS4_PupilMatchingRefAnonymous = s.KS5_PupilMatchingRefAnonymous
                WHERE s.{ks5_column} IS NOT NULL AND nullif(k.{ks4_column}, '') IS NOT NULL""")
            assert not bad, (ks5_column, ks4)
            compared += rows
    assert compared > 50


def test_prior_attainment_is_the_ks4_gcses(db) -> None:
    """KS5_VOLKS4 counts the student's GCSEs, KS5_AVGKS4 is KS5_TOTKS4 over it."""
    rows, bad = _one(db, f"""
        SELECT count(*), sum(abs(KS5_AVGKS4 - round(KS5_TOTKS4 * 1.0 / max(KS5_VOLKS4, 1), 2))
                             > 0.011 OR KS5_GVOL <> KS5_VOLKS4
                             OR KS5_GRADEAKS4 > KS5_VOLKS4)
        FROM {STUDENT} WHERE KS5_TOTKS4 IS NOT NULL""")
    assert rows > 10 and bad == 0


def test_sizes_points_and_routes_follow_the_exam_rows(db) -> None:
    """QCA-era totals: size = number of A level rows (General Studies apart where excluded),
    points = their QCA points; the route is A level with A levels, BTEC/OCR without."""
    exam = _exam_by_student("""count(*) AS n, sum(KS5_MAPPING <> '7810') AS n_gs,
                               sum(KS5_POINTS) AS pts, sum(KS5_MAPPING = '7810') AS gs""")
    rows, bad = _one(db, f"""
        {exam}
        SELECT count(*), sum(s.KS5_TGAE <> e.n OR s.KS5_TGAEGS <> e.n_gs
                             OR s.KS5_TGAS <> e.pts OR s.ks5_TGAEGSO <> e.gs
                             OR s.KS5_QROUTE <> 5 OR s.KS5_NTSIZEE <> e.n)
        FROM {STUDENT} s JOIN e ON e.pmr = s.KS5_PupilMatchingRefAnonymous
                               AND e.yr = s.KS5_ACADYR
        WHERE s.KS5_TGAE IS NOT NULL""")
    assert rows > 10 and bad == 0
    _, bad_vocational = _one(db, f"""
        SELECT count(*), sum(KS5_QROUTE <> 3 OR KS5_TGAE <> 0 OR KS5_NTSIZEE <> 3)
        FROM {STUDENT} s WHERE KS5_TGAE IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM {EXAM} e WHERE e.KS5_PupilMatchingRefAnonymous
                = s.KS5_PupilMatchingRefAnonymous AND e.KS5_ACADYR = s.KS5_ACADYR)""")
    assert bad_vocational in (0, None)


def test_a_level_points_are_totals_on_dfes_scale(db) -> None:
    """KS5_TOTPTSE_ALEV is the total of the student's A level points (the VRF: "Total point
    score of candidate's entries"), the exam rows' KS5_POINTS summed, on DfE's 16-18 scale
    from 2015/16 (A* = 60 ... E = 10): per entry (its sum over KS5_TOTENTS_ALEV's) between a C
    and a B (DfE: 32.87 in 2018/19, a C+). It was an average per student, 12 per entry."""
    exam = _exam_by_student("sum(KS5_POINTS) AS pts")
    rows, bad = _one(db, f"""
        {exam}
        SELECT count(*), sum(s.KS5_TOTPTSE_ALEV <> e.pts)
        FROM {STUDENT} s JOIN e ON e.pmr = s.KS5_PupilMatchingRefAnonymous
                               AND e.yr = s.KS5_ACADYR
        WHERE s.KS5_TOTPTSE_ALEV IS NOT NULL""")
    assert rows > 10 and bad == 0
    points = dict(db.execute(f"""
        SELECT KS5_GRADE, min(KS5_POINTS) FROM {EXAM} WHERE KS5_ACADYR >= '2015/2016'
        AND KS5_ACADYR < '2019/2020' AND KS5_SUBLEVNO = 111 GROUP BY 1""").fetchall())
    assert {grade: points[grade] for grade in ("A*", "A", "C", "E")} == {
        "A*": 60, "A": 50, "C": 30, "E": 10}
    per_entry = _one(db, f"""
        SELECT sum(KS5_TOTPTSE_ALEV) * 1.0 / sum(KS5_TOTENTS_ALEV) FROM {STUDENT}
        WHERE KS5_ACADYR >= '2015/2016' AND KS5_ACADYR < '2019/2020'""")[0]
    assert 30 <= per_entry <= 40


def test_cohort_flags_follow_the_programme(db) -> None:
    """16-18 cohorts (2015/16 on): A level core aim iff A level exam rows, applied general iff
    the vocational programme; the two exclude each other and tech levels are absent; the
    aims are the A and AS levels."""
    exam = _exam_by_student("count(*) AS n").replace("WHERE KS5_SUBLEVNO = 111",
                                                     "WHERE KS5_SUBLEVNO IN (111, 121)")
    rows, bad = _one(db, f"""
        {exam}
        SELECT count(*), sum(s.KS5_INSCOPE_ALEV_RET <> (e.n IS NOT NULL)
                             OR s.KS5_RETAINED_ALEV_RET <> s.KS5_INSCOPE_ALEV_RET
                             OR s.KS5_AGEN + s.KS5_INSCOPE_ALEV_RET <> 1 OR s.KS5_TLEV <> 0
                             OR coalesce(s.KS5_InScope_ALEV_2ndYr <> (e.n IS NOT NULL), 0)
                             OR coalesce(s.KS5_T_AIMS_CA <> coalesce(e.n, 1), 0))
        FROM {STUDENT} s LEFT JOIN e ON e.pmr = s.KS5_PupilMatchingRefAnonymous
                                    AND e.yr = s.KS5_ACADYR
        WHERE s.KS5_AGEN IS NOT NULL""")
    assert rows > 20 and bad == 0


def test_english_and_maths_scope_follow_the_ks4_grade(db) -> None:
    exam = _exam_by_student("max(KS5_MAPPING IN ('2210', '2330') AND KS5_GRADE <> 'U') AS l3m")
    rows, bad = _one(db, f"""
        {exam}
        SELECT count(*), sum(s.KS5_NAT_SCOPE_M <> (s.KS5_NAT_BASE_PTS_M < 5)
                             OR s.KS5_NAT_SCOPE_E <> (s.KS5_NAT_BASE_PTS_E < 5)
                             OR s.KS5_KS4_GCSE3_M <> (s.KS5_NAT_BASE_PTS_M = 4)
                             OR s.KS5_SCOPE_L3M <> 1 - s.KS5_NAT_SCOPE_M
                             OR s.KS5_ACH_L3M <> (s.KS5_SCOPE_L3M AND coalesce(e.l3m, 0))
                             OR s.KS5_NAT_BEST_M_0 IS NOT NULL)
        FROM {STUDENT} s LEFT JOIN e ON e.pmr = s.KS5_PupilMatchingRefAnonymous
                                    AND e.yr = s.KS5_ACADYR
        WHERE s.KS5_NAT_SCOPE_M IS NOT NULL AND s.KS5_ACH_L3M IS NOT NULL""")
    assert rows > 20 and bad == 0


def test_english_and_maths_baseline_is_the_ks4_grade_on_the_0_to_8_scale(db) -> None:
    """NAT_BASE_PTS / PRIOR_PTS hold the KS4 GCSE's points on the measure's 0-8 scale (A* 8 ...
    G 1, a 9-1 grade its aligned letter's), the VRF's values; BASE_PTS (0-4) only students in
    scope have. They held the 9-1 grade (up to 9) for every student. English is the KS4
    English slot's: language, or from 2013/14 the better of language and literature."""
    points = """CASE KS4_GRADE WHEN '*' THEN 8 WHEN 'A' THEN 7 WHEN 'B' THEN 6 WHEN 'C' THEN 5
        WHEN 'D' THEN 4 WHEN 'E' THEN 3 WHEN 'F' THEN 2 WHEN 'G' THEN 1 WHEN '9' THEN 8
        WHEN '8' THEN 8 WHEN '7' THEN 7 WHEN '6' THEN 6 WHEN '5' THEN 5 WHEN '4' THEN 5
        WHEN '3' THEN 4 WHEN '2' THEN 3 WHEN '1' THEN 1 ELSE 0 END"""
    rows, bad = _one(db, f"""
        WITH k AS (
          SELECT pmr, max(CASE WHEN map = '5030' OR (map = '5110' AND yr >= '2013/2014')
                               THEN pts END) AS e,
                 max(CASE WHEN map = '2210' THEN pts END) AS m FROM (
            SELECT KS4_PupilMatchingRefAnonymous AS pmr, KS4_MAPPING AS map, {points} AS pts,
                   KS4_ACADYR AS yr
              FROM KS4Exam_2002_to_2014
            UNION ALL
            SELECT KS4_PupilMatchingRefAnonymous, KS4_MAPPING, {points}, KS4_ACADYR
              FROM KS4Exam_2015_to_2021)
          GROUP BY pmr)
        SELECT count(*), sum(s.KS5_NAT_BASE_PTS_E <> coalesce(k.e, 0)
                             OR s.KS5_NAT_BASE_PTS_M <> coalesce(k.m, 0)
                             OR s.KS5_PRIOR_PTS_E <> s.KS5_NAT_BASE_PTS_E
                             OR s.KS5_PRIOR_PTS_M <> s.KS5_NAT_BASE_PTS_M
                             OR coalesce(CAST(s.KS5_BASE_PTS_E AS REAL), -1)
                                <> CASE WHEN s.KS5_NAT_SCOPE_E = 1 THEN s.KS5_NAT_BASE_PTS_E
                                        ELSE -1 END
                             OR coalesce(CAST(s.KS5_BASE_PTS_M AS REAL), -1)
                                <> CASE WHEN s.KS5_NAT_SCOPE_M = 1 THEN s.KS5_NAT_BASE_PTS_M
                                        ELSE -1 END
                             OR s.KS5_NAT_BASE_PTS_E NOT BETWEEN 0 AND 8
                             OR CAST(s.KS5_BASE_PTS_E AS REAL) NOT BETWEEN 0 AND 4)
        FROM {STUDENT} s JOIN k ON k.pmr = s.KS5_PupilMatchingRefAnonymous
        WHERE s.KS5_NAT_BASE_PTS_E IS NOT NULL""")
    assert rows > 20 and bad == 0


def test_institution_type_flags_follow_nftype(db) -> None:
    mainstream = "(20, 21, 22, 23, 24, 25, 51, 52, 57, 58)"
    rows, bad = _one(db, f"""
        SELECT count(*), sum(KS5_MMSCH <> (CAST(KS5_NFTYPE AS INT) IN {mainstream})
                             OR KS5_MSCH2 <> (CAST(KS5_NFTYPE AS INT) IN (21, 22, 23, 24, 26, 27)))
        FROM {STUDENT} WHERE KS5_MMSCH IS NOT NULL AND KS5_NFTYPE IS NOT NULL""")
    assert rows > 20 and bad == 0


def test_subject_choice_depends_on_sex() -> None:
    """Physics is mostly boys' and psychology mostly girls' choice, as in the published entries;
    a student's subjects are different."""
    rng = np.random.default_rng(1)
    female = np.repeat([False, True], 4000)
    picked = choose_subjects(rng, female, 4)
    physics = A_LEVEL_SUBJECT_TABLE["PHYSICS"][0]
    psychology = A_LEVEL_SUBJECT_TABLE["PSYCH_SOC"][0]
    assert (picked[~female] == physics).sum() > 2 * (picked[female] == physics).sum()
    assert (picked[female] == psychology).sum() > 2 * (picked[~female] == psychology).sum()
    assert all(len(set(row)) == 4 for row in picked)


def test_ks5_student_independent_share_is_bounded(catalog) -> None:
    """ks5_student's independent columns stay at most the recorded share (lower it as rules
    land, never raise it)."""
    columns = catalog.table("ks5_student").columns
    independent = sum(fill_class(c)[0] == "independent" for c in columns)
    assert independent / len(columns) <= 0.017


def test_exam_rows_flags_sizes_and_board_numbers(db) -> None:
    """One board subject number per board and subject; no discounted A level (each subject is
    sat once); General Studies sizes and points split the A and AS level rows' (an A level's
    size 1, an AS level's 0.5)."""
    distinct, bad_board = _one(db, f"""
        SELECT count(DISTINCT KS5_BRDSUBNO),
               sum(KS5_BRDSUBNO <> CAST(KS5_BOARDNO AS TEXT) || KS5_MAPPING)
        FROM {EXAM}""")
    assert distinct > 10 and bad_board == 0
    rows, bad = _one(db, f"""
        SELECT count(*), sum(CAST(coalesce(KS5_DISC_ALL, KS5_DISC1) AS INT) <> 0
                             OR coalesce(KS5_GNUMBER, KS5_QAN) <> KS5_QAN
                             OR KS5_GORIGIN <> KS5_GRADE)
        FROM {EXAM} WHERE KS5_SUBLEVNO = 111""")
    assert rows > 100 and bad == 0
    assert _one(db, f"""SELECT count(*) FROM (SELECT 1 FROM {EXAM} WHERE KS5_SUBLEVNO = 111
                        GROUP BY KS5_PupilMatchingRefAnonymous, KS5_ACADYR, KS5_MAPPING
                        HAVING count(*) > 1)""") == (0,)
    split, bad_split = _one(db, f"""
        SELECT count(*), sum(KS5_ASIZEGS + KS5_ASIZEGSO
                             <> CASE KS5_SUBLEVNO WHEN 111 THEN 1 WHEN 121 THEN 0.5 ELSE 0 END
                             OR KS5_APTSGS + KS5_APTSGSO <> KS5_POINTS
                             OR KS5_ASIZEGSO <> (KS5_MAPPING = '7810')
                                 * (KS5_ASIZEGS + KS5_ASIZEGSO))
        FROM {EXAM} WHERE KS5_ASIZEGS IS NOT NULL""")
    assert split > 50 and bad_split == 0


def test_board_depends_on_subject() -> None:
    from leo_synth.relations.ks5_subjects import choose_boards

    rng = np.random.default_rng(2)
    psychology = choose_boards(rng, np.full(4000, "4850"))
    maths = choose_boards(rng, np.full(4000, "2210"))
    assert (psychology == 1).mean() > 0.6 and (maths == 3).mean() > 0.45
    assert set(np.unique(np.concatenate([psychology, maths]))) <= {1, 2, 3, 4}


def test_discount_keeps_the_best_result_of_a_subject() -> None:
    from leo_synth.relations.derive import DERIVATIONS
    from leo_synth.simulation.frame import Frame

    # (the last three: GCSE maths resits, graded 3 then 4, beside the A level in maths: a
    # GCSE is discounted only by a better GCSE)
    frame = Frame(student=np.array([0, 0, 1, 0, 0, 0, 0]),
                  mapping=np.array(["2210", "2210", "2210", "1010", "1010", "2210", "2210"]),
                  lev3=np.array([1, 1, 1, 1, 1, 0, 0]),
                  discount_points=np.array([40.0, 48.0, 40.0, 32.0, 32.0, 3.0, 4.0]))
    flags = DERIVATIONS["ks5_discounted"](frame, None, None, None, {})
    assert flags.tolist() == [1, 0, 0, 0, 1, 1, 0]


GRADE_INDEX_SQL = ("CASE KS5_GRADE WHEN 'A*' THEN 6 WHEN 'A' THEN 5 WHEN 'B' THEN 4 "
                   "WHEN 'C' THEN 3 WHEN 'D' THEN 2 WHEN 'E' THEN 1 ELSE 0 END")


def test_value_added_follows_the_national_line(db) -> None:
    """KS4-KS5 value added (2007/08-2009/10) from the exam rows and the fitted line: the maximum
    is 270 (A) or, from 2009/10, 300 (A*) an entry; the re-scaled total is the QCA points per
    thousand of it; the prediction is the grading era's line on AVGKS4, corrected only beyond
    100 / 900 (clearly lower from 930) and always inside 0-1000; PRED45 is it back on the QCA
    scale and CVA45U the points less PRED45, which average about 0 over the nation's
    students."""
    lines = load_parameters(None)["ks5.value_added"]["rescaled"]
    old, new = lines[2001], lines[2009]  # the grading eras: before A*, and with it
    rows, bad_max, bad_rs, bad_pred, bad_cor, bad_back, bad_cva, mean, sd = _one(db, f"""
        {_exam_by_student("count(*) AS n, sum(KS5_POINTS) AS pts")}
        SELECT count(*),
               sum(s.KS5_MAXPTGS <> e.n * CASE WHEN s.KS5_ACADYR < '2009' THEN 270 ELSE 300 END
                   OR s.KS5_MAXRSGS <> 1000),
               sum(abs(s.KS5_TPTSRSGS - 1000.0 * e.pts / s.KS5_MAXPTGS) > 0.5
                   OR s.KS5_TPTSRSGS > 1000),
               sum(abs(s.KS5_P45RS - CASE WHEN s.KS5_ACADYR < '2009'
                       THEN {old["intercept"]} + {old["slope"]} * s.KS5_AVGKS4
                       ELSE {new["intercept"]} + {new["slope"]} * s.KS5_AVGKS4 END) > 0.51
                   OR s.KS5_P45RSCAP <> min(max(s.KS5_P45RS, 0), 1000)),
               sum(s.KS5_PRED45RS NOT BETWEEN 0 AND 1000
                   OR abs(s.KS5_PRED45RS - s.KS5_P45RSCOR) > 0.51
                   OR (s.KS5_P45RS BETWEEN 101 AND 899 AND s.KS5_P45RSCOR <> s.KS5_P45RS)
                   OR (s.KS5_P45RS > 930 AND s.KS5_P45RSCOR >= s.KS5_P45RS)),
               sum(abs(s.KS5_PRED45 - s.KS5_PRED45RS / 1000.0 * s.KS5_MAXPTGS) > 0.011),
               sum(abs(s.KS5_CVA45U - (e.pts - s.KS5_PRED45)) > 0.011),
               avg(s.KS5_CVA45U), sqrt(avg(s.KS5_CVA45U * s.KS5_CVA45U))
        FROM {STUDENT} s JOIN e ON e.pmr = s.KS5_PupilMatchingRefAnonymous
                                AND e.yr = s.KS5_ACADYR
        WHERE s.KS5_CVA45U IS NOT NULL""")
    assert rows > 15
    assert (bad_max, bad_rs, bad_pred, bad_cor, bad_back, bad_cva) == (0, 0, 0, 0, 0, 0)
    assert abs(mean) < 4 * sd / rows ** 0.5  # the line is the nation's: residuals centre on 0


def test_grade_difference_from_the_national_average(db) -> None:
    """KS5_T_GRADE_DIFF_CA (2015/16) = the sum of the exam rows' grades (E = 1 ... A* = 6) less
    the number of A levels times the national mean grade at the student's KS4 average points
    (AVGKS4, not published that year: KS5_TOTKS4 / KS5_VOLKS4)."""
    line = load_parameters(None)["ks5.value_added"]["grade"]
    rows, bad = _one(db, f"""
        {_exam_by_student(f"count(*) AS n, sum({GRADE_INDEX_SQL}) AS grades")}
        SELECT count(*), sum(abs(s.KS5_T_GRADE_DIFF_CA - (e.grades - e.n * round(
                   {line["intercept"]} + {line["slope"]}
                   * round(CAST(s.KS5_TOTKS4 AS REAL) / s.KS5_VOLKS4, 2), 2))) > 0.011)
        FROM {STUDENT} s JOIN e ON e.pmr = s.KS5_PupilMatchingRefAnonymous
                                AND e.yr = s.KS5_ACADYR
        WHERE s.KS5_T_GRADE_DIFF_CA IS NOT NULL""")
    assert rows > 3 and bad == 0  # one year (2015/16) of a 1,000-person run


def test_exam_category_follows_the_passes(db) -> None:
    """KS5_EXAMCAT: 1 for 3+ A level passes or the vocational programme, 2 for two, 3 for one,
    4 for entries without a pass; students without exam rows are the vocational programme's."""
    rows, bad, vocational_bad = _one(db, f"""
        {_exam_by_student("sum(KS5_GRADE <> 'U') AS passes")}
        SELECT count(*),
               sum(s.KS5_EXAMCAT <> CASE WHEN e.passes IS NULL THEN '1'
                   WHEN e.passes >= 3 THEN '1' WHEN e.passes = 2 THEN '2'
                   WHEN e.passes = 1 THEN '3' ELSE '4' END),
               sum(e.passes IS NULL AND s.KS5_VQ = 0)
        FROM {STUDENT} s LEFT JOIN e ON e.pmr = s.KS5_PupilMatchingRefAnonymous
                                     AND e.yr = s.KS5_ACADYR
        WHERE s.KS5_EXAMCAT <> ''""")
    assert rows > 100 and bad == 0 and not vocational_bad


def test_modular_flag_follows_the_reform_waves(db) -> None:
    """KS5_MODAFLAG is 1 (modular) until the subject's reformed A level was first examined (2017,
    2018 or 2019 by subject), 0 after; withdrawn subjects (General Studies) stay modular."""
    firsts = " ".join(f"WHEN '{code}' THEN {year}" for code, year in LINEAR_FROM.items())
    rows, bad, linear = _one(db, f"""
        SELECT count(*), sum(KS5_MODAFLAG <> (CAST(substr(KS5_ACADYR, 6, 4) AS INT)
                                             < CASE KS5_MAPPING {firsts} ELSE 10000 END)),
               sum(KS5_MODAFLAG = '0')
        FROM {EXAM} WHERE KS5_MODAFLAG <> '' AND KS5_SUBLEVNO = 111""")
    assert rows > 100 and bad == 0 and linear > 10
    assert _one(db, f"""SELECT count(*) FROM {EXAM} WHERE KS5_ACADYR < '2016'
                        AND KS5_MODAFLAG = '0' AND KS5_SUBLEVNO = 111""") == (0,)


def test_entry_date_follows_the_census_and_the_programme(db) -> None:
    """KS5_ENTRYDAT (2014/15) is a sixth-former's census entry date at the school (the Year 11
    school's, by the Year 11 spring census of January 2013; 1 September or the day of an in-year
    move, never in August, as the census of that January has it), 1 September of Year 12 for a
    college student."""
    rows, bad_day, bad_college, bad_school = _one(db, f"""
        SELECT count(*), sum(s.KS5_ENTRYDAT % 10000 BETWEEN 801 AND 831),
               sum(s.KS5_FESITYPE = 'FE' AND s.KS5_ENTRYDAT <> 20130901),
               sum(s.KS5_FESITYPE = 'SCH' AND s.KS5_ENTRYDAT > 20130117)
        FROM {STUDENT} s WHERE s.KS5_ENTRYDAT IS NOT NULL""")
    assert rows > 5 and (bad_day, bad_college, bad_school) == (0, 0, 0)
    pairs, differ = _one(db, f"""
        SELECT count(*), sum(s.KS5_ENTRYDAT <> CAST(replace(c.EntryDate_spr13, '-', '') AS INT))
        FROM {STUDENT} s JOIN spring_census_2013 c
          ON c.PupilMatchingRefAnonymous_spr13 = s.KS5_PupilMatchingRefAnonymous
         AND c.LAEstab_anon_spr13 = s.KS5_LAESTAB_anon
        WHERE s.KS5_FESITYPE = 'SCH' AND s.KS5_ENTRYDAT IS NOT NULL""")
    assert pairs > 5 and differ == 0
    assert _one(db, f"""SELECT count(*) FROM {STUDENT}
                        WHERE KS5_SOURCECTY NOT IN ('E', '')""") == (0,)


def test_threshold_contributions_follow_the_pass(db) -> None:
    """KS5_LEV1 and KS5_LEV2 (2015/16-) are 1 for an A level passed at A*-E and 0 for a U
    (KS5_POINTS 0), the KS4 exam table's 0/1 convention; a GCSE resit's are 1 at G / 1 and at
    C / 4 or above; never another value."""
    rows, wrong = db.execute("""
        SELECT count(*), sum(KS5_LEV1 IS NOT (KS5_POINTS > 0) OR KS5_LEV2 IS NOT (KS5_POINTS > 0))
        FROM KS5Exam_2002_to_2021 WHERE KS5_ACADYR >= '2015/2016'
          AND KS5_SUBLEVNO = 111""").fetchone()
    assert rows > 50 and wrong == 0
    gcses, wrong = db.execute(f"""
        SELECT count(*), sum(KS5_LEV1 IS NOT 1 OR KS5_LEV2 IS NOT ({GCSE_PASS}))
        FROM KS5Exam_2002_to_2021 WHERE KS5_ACADYR >= '2015/2016'
          AND KS5_SUBLEVNO IN (310, 391)""").fetchone()
    assert gcses > 10 and wrong == 0


GCSE_PASS = "KS5_GRADE IN ('*', 'A', 'B', 'C', '9', '8', '7', '6', '5', '4')"
"""A GCSE graded C / 4 or above, as the exam rows write the grades (A* as ``*``)."""


def test_school_sixth_formers_resit_gcse_english_and_maths(db) -> None:
    """A school sixth former without GCSE English / maths at C / 4 from KS4 resits it in Years
    12 and 13 from 2014/15 (the 16-19 condition of funding): the KS5 exam table has the resit
    (SUBLEVNO 310, 391 for the 9-1 GCSE of 2016/17 on), sat in the summer of Year 12 or 13, as
    a level 2 result with no A level points, after a KS4 grade below C / 4 in the subject and
    never after a resit at C / 4; of two resits the better is kept (KS5_DISC_ALL). Some
    pass."""
    resits = f"""SELECT e.*, CASE e.KS5_MAPPING WHEN '5030' THEN '5030' ELSE '2210' END AS subj
                 FROM {EXAM} e WHERE e.KS5_SUBLEVNO IN (310, 391)"""
    ks4 = """SELECT KS4_PupilMatchingRefAnonymous AS pmr, KS4_MAPPING AS subj, KS4_GRADE AS grade
             FROM KS4Exam_2015_to_2021 UNION ALL
             SELECT KS4_PupilMatchingRefAnonymous, KS4_MAPPING, KS4_GRADE
             FROM KS4Exam_2002_to_2014"""
    n, bad_kind, bad_year, bad_ks4, passes = _one(db, f"""
        SELECT count(*),
               sum(r.KS5_MAPPING NOT IN ('5030', '2210') OR r.KS5_POINTS <> 0 OR r.KS5_LEV3 <> 0
                   OR (r.KS5_SUBLEVNO = 391) <> (r.KS5_EXAMYEAR >= 2017)
                   OR (r.KS5_ACADYR >= '2015' AND r.KS5_PTQ_INCLUDE <> '0')),
               sum(r.KS5_EXAMYEAR - CAST(substr(r.KS5_ACADYR, 1, 4) AS INT) NOT IN (0, 1)
                   OR r.KS5_EXAMYEAR < 2015),
               sum(EXISTS (SELECT 1 FROM ({ks4}) k WHERE k.pmr = r.KS5_PupilMatchingRefAnonymous
                           AND k.subj = r.subj AND k.grade IN ('*', 'A*', 'A', 'B', 'C', '9',
                                                              '8', '7', '6', '5', '4'))),
               sum({GCSE_PASS.replace("KS5_GRADE", "r.KS5_GRADE")})
        FROM ({resits}) r""")
    assert n > 10 and passes > 0 and (bad_kind, bad_year, bad_ks4) == (0, 0, 0), (
        n, bad_kind, bad_year, bad_ks4)
    after_pass, bad_discount = _one(db, f"""
        SELECT sum(a.KS5_EXAMYEAR > b.KS5_EXAMYEAR
                   AND {GCSE_PASS.replace("KS5_GRADE", "b.KS5_GRADE")}),
               sum(a.KS5_EXAMYEAR > b.KS5_EXAMYEAR
                   AND a.KS5_DISC_ALL + b.KS5_DISC_ALL <> 1)
        FROM ({resits}) a JOIN ({resits}) b
          ON b.KS5_PupilMatchingRefAnonymous = a.KS5_PupilMatchingRefAnonymous
         AND b.KS5_ACADYR = a.KS5_ACADYR AND b.subj = a.subj""")
    assert (after_pass or 0, bad_discount or 0) == (0, 0)


def test_english_maths_entries_are_the_resits(db) -> None:
    """KS5_NO_ENTRIES_* (2017/18-) is 1 only for a student in scope of the English / maths
    progress measure (KS5_SCOPE_*: below grade 4 at KS4) without an entry: never with a GCSE
    resit of the subject in the KS5 exam table (a school sixth former's; a college student's
    are ILR aims), and most in scope have one. KS5_GCSE3_1_* (2019/20-) is 1 when a resit in
    RY-1 was graded 3 / D. (They were constants: 1 for everyone in scope, and 0.)"""
    in_scope = with_entries = graded_3 = 0
    for subject, mapping in (("E", "5030"), ("M", "2210")):
        resit = f"""SELECT 1 FROM {EXAM} x
                    WHERE x.KS5_PupilMatchingRefAnonymous = s.KS5_PupilMatchingRefAnonymous
                      AND x.KS5_ACADYR = s.KS5_ACADYR AND x.KS5_SUBLEVNO IN (310, 391)
                      AND x.KS5_MAPPING = '{mapping}'"""
        grade_3 = f"""{resit} AND x.KS5_GRADE IN ('3', 'D')
                      AND x.KS5_EXAMYEAR = CAST(substr(s.KS5_ACADYR, 1, 4) AS INT)"""
        scope, entered, bad, threes, bad_grade_3 = _one(db, f"""
            SELECT sum(s.KS5_SCOPE_{subject} = 1),
                   sum(s.KS5_SCOPE_{subject} = 1 AND s.KS5_NO_ENTRIES_{subject} = 0),
                   sum(s.KS5_NO_ENTRIES_{subject} = 1 AND (s.KS5_SCOPE_{subject} = 0
                                                          OR EXISTS ({resit}))),
                   sum(s.KS5_ACADYR >= '2019' AND EXISTS ({grade_3})),
                   sum(s.KS5_ACADYR >= '2019' AND EXISTS ({grade_3})
                       AND s.KS5_GCSE3_1_{subject} <> 1)
            FROM {STUDENT} s WHERE s.KS5_NO_ENTRIES_{subject} IS NOT NULL""")
        assert (bad, bad_grade_3) == (0, 0), subject
        in_scope, with_entries = in_scope + scope, with_entries + entered
        graded_3 += threes
    assert in_scope >= 3 and with_entries > 0.5 * in_scope and graded_3 > 0, (
        in_scope, with_entries, graded_3)


def test_a_level_choice_meets_the_gcse_entry_requirements(db) -> None:
    """A student takes A level maths or physics only with GCSE maths at 5 (a C before the 9-1
    grades), further maths with A / 7, an English A level with GCSE English at 5 / C: no
    student below C / 4 in a subject studies it at A level (a third of the school sixth
    formers without GCSE maths at C / 4 held A level maths). Maths stays the most taken."""
    ks4 = """SELECT KS4_PupilMatchingRefAnonymous AS pmr, KS4_MAPPING AS subject,
                    KS4_GRADE AS grade FROM KS4Exam_2015_to_2021
             UNION ALL SELECT KS4_PupilMatchingRefAnonymous, KS4_MAPPING, KS4_GRADE
             FROM KS4Exam_2002_to_2014"""
    passes = "('*', 'A', 'B', 'C', '9', '8', '7', '6', '5')"
    rows, bad = _one(db, f"""
        SELECT count(*), sum(NOT EXISTS (
            SELECT 1 FROM ({ks4}) k WHERE k.pmr = x.KS5_PupilMatchingRefAnonymous
              AND k.subject = CASE WHEN x.KS5_MAPPING IN ('5110', '5030', '5010') THEN '5030'
                                   ELSE '2210' END
              AND k.grade IN {passes}
              AND (x.KS5_MAPPING <> '2330' OR k.grade IN ('*', 'A', '9', '8', '7'))))
        FROM {EXAM} x WHERE x.KS5_SUBLEVNO = 111
          AND x.KS5_MAPPING IN ('2210', '2330', '1210', '5110', '5030', '5010')
          -- (a student whose KS4 rows carry another PMR: not found)
          AND EXISTS (SELECT 1 FROM ({ks4}) k WHERE k.pmr = x.KS5_PupilMatchingRefAnonymous)""")
    assert rows > 50 and bad == 0, (rows, bad)
    top = _one(db, f"""SELECT KS5_MAPPING FROM {EXAM} WHERE KS5_SUBLEVNO = 111
                       GROUP BY KS5_MAPPING ORDER BY count(*) DESC LIMIT 1""")
    assert top == ("2210",)


def test_prior_buckets_are_the_baselines_grades(db) -> None:
    """KS5_NAT_PRIOR_BUCKET_E / _M name the baseline's grade as the VRF's bucket list spells it
    (maths' F "F and below F"; 0 points "no passes"), NULL with the baseline. They were random
    reference codes."""
    letters = "CASE {p} WHEN 8 THEN 'A*' WHEN 7 THEN 'A' WHEN 6 THEN 'B' WHEN 5 THEN 'C' " \
              "WHEN 4 THEN 'D' WHEN 3 THEN 'E' WHEN 2 THEN {f} WHEN 1 THEN 'G' " \
              "WHEN 0 THEN 'no passes' END"
    rows, bad = _one(db, f"""
        SELECT count(*),
               sum(KS5_NAT_PRIOR_BUCKET_E IS NOT {letters.format(p='KS5_NAT_BASE_PTS_E', f="'F'")}
                   OR KS5_NAT_PRIOR_BUCKET_M
                      IS NOT {letters.format(p='KS5_NAT_BASE_PTS_M', f="'F and below F'")})
        FROM {STUDENT} WHERE KS5_NAT_BASE_PTS_E IS NOT NULL""")
    assert rows > 20 and bad == 0


def test_a_language_a_level_follows_the_languages_gcse(db) -> None:
    """A student's A level in a language follows a GCSE in it at a strong pass (5 or a C and
    above; a few students hold their KS4 record under another PMR). Language A levels were
    drawn apart from the GCSE, which was French for everyone who sat a language."""
    languages = ", ".join(f"'{code}'" for code in sorted(LANGUAGES))
    rows, with_gcse, weak = _one(db, f"""
        WITH gcse AS (
          SELECT KS4_PupilMatchingRefAnonymous AS pmr, KS4_MAPPING AS mapping, KS4_GRADE AS grade
            FROM KS4Exam_2002_to_2014
          UNION ALL
          SELECT KS4_PupilMatchingRefAnonymous, KS4_MAPPING, KS4_GRADE FROM KS4Exam_2015_to_2021)
        SELECT count(*), sum(g.pmr IS NOT NULL),
               sum(g.grade IN ('D', 'E', 'F', 'G', 'U', '1', '2', '3', '4'))
        FROM KS5Exam_2002_to_2021 e LEFT JOIN gcse g
          ON g.pmr = e.KS5_PupilMatchingRefAnonymous AND g.mapping = e.KS5_MAPPING
        WHERE e.KS5_SUBLEVNO = 111 AND e.KS5_MAPPING IN ({languages})""")
    assert rows > 5 and with_gcse >= 0.9 * rows and weak == 0


def test_degree_entrants_took_the_a_levels_their_subject_asks(db) -> None:
    """Students who go on to a degree whose subject asks for A levels (medicine chemistry and
    biology, maths maths, English English literature: DEGREE_A_LEVELS) mostly took them; the
    rest lacked the GCSE grades or came to the degree years later. A levels were drawn apart
    from the degree: about a quarter of them had the required ones."""
    catalogue = subject_catalogue(load_parameters(None))
    cah2 = dict(zip(catalogue.jacs, catalogue.cah2_code[catalogue.cah2], strict=True))
    first: dict[str, str | None] = {}
    for (view,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                              "AND name LIKE 'hesa_20%' ORDER BY name"):
        if any(c[1] == "HE_XJACS01_1" for c in db.execute(f"PRAGMA table_info({view})")):
            for pmr, jacs in db.execute(
                    f"SELECT HE_PUPILMATCHINGREFANONYMOUS, HE_XJACS01_1 FROM {view}"):
                first.setdefault(pmr, cah2.get(jacs))  # (the first year's subject)
    a_levels: dict[str, set[str]] = {}
    for pmr, mapping in db.execute(f"SELECT KS5_PupilMatchingRefAnonymous, KS5_MAPPING FROM "
                                   f"{EXAM} "
                                   "WHERE KS5_SUBLEVNO = 111"):
        a_levels.setdefault(pmr, set()).add(mapping)
    asked = [(set(DEGREE_A_LEVELS[subject][0]), a_levels[pmr]) for pmr, subject in first.items()
             if subject in DEGREE_A_LEVELS and DEGREE_A_LEVELS[subject][0] and pmr in a_levels]
    assert len(asked) >= 10
    assert sum(required <= taken for required, taken in asked) >= 0.6 * len(asked)


def test_separate_scientists_take_science_a_levels_more(db) -> None:
    """A level students who sat biology, chemistry and physics at GCSE take a science A level
    more often than those who sat double award science (SEPARATE_SCIENCE_WEIGHT; with the A
    levels drawn apart from the GCSEs the two shares are within a few points)."""
    shares = dict(db.execute(f"""
        WITH gcse AS (
          SELECT KS4_PupilMatchingRefAnonymous AS pmr, max(KS4_MAPPING = '1010') AS separate
          FROM (SELECT KS4_PupilMatchingRefAnonymous, KS4_MAPPING FROM KS4Exam_2002_to_2014
                UNION ALL
                SELECT KS4_PupilMatchingRefAnonymous, KS4_MAPPING FROM KS4Exam_2015_to_2021)
          GROUP BY 1),
        a AS (SELECT KS5_PupilMatchingRefAnonymous AS pmr,
                     max(KS5_MAPPING IN ('1010', '1110', '1210')) AS science
              FROM {EXAM} WHERE KS5_SUBLEVNO = 111 GROUP BY 1)
        SELECT g.separate, avg(a.science) FROM a JOIN gcse g ON g.pmr = a.pmr
        GROUP BY 1 HAVING count(*) >= 30""").fetchall())
    assert set(shares) == {0, 1}, shares
    assert shares[1] > 1.3 * shares[0], shares


def test_science_a_levels_follow_a_strong_science_gcse(db) -> None:
    """A student takes A level biology, chemistry or physics only with a science GCSE (double
    award, or a separate science) at 5 or above (a C before the 9-1 grades: PREREQUISITES);
    drawn apart from the GCSEs, about one in seven had less. (The 9-1 grade of a science row
    is its KS4_A8POINTS from 2014/15; before, only the letter shows: C or above.)"""
    rows, weak = _one(db, f"""
        WITH gcse AS (
          SELECT pmr, max(strong) AS best FROM (
            SELECT KS4_PupilMatchingRefAnonymous AS pmr,
                   KS4_GRADE IN ('*', 'A', 'B', 'C') AS strong,
                   KS4_MAPPING AS mapping FROM KS4Exam_2002_to_2014
            UNION ALL SELECT KS4_PupilMatchingRefAnonymous, KS4_A8POINTS >= 5, KS4_MAPPING
            FROM KS4Exam_2015_to_2021)
          WHERE mapping IN ('1370', '1010', '1110', '1210') GROUP BY 1)
        SELECT count(*), sum(g.best = 0)
        FROM {EXAM} x JOIN gcse g ON g.pmr = x.KS5_PupilMatchingRefAnonymous
        WHERE x.KS5_SUBLEVNO = 111 AND x.KS5_MAPPING IN ('1010', '1110', '1210')""")
    assert rows > 50 and weak == 0, (rows, weak)
