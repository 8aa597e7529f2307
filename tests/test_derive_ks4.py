"""KS4 pupil columns derived from the pupil's exam rows and KS2 row, checked on the suite's small
run with SQL as a researcher would: per-subject grades equal the exam rows' grades, the ranked
open qualifications add up to the open element, the EBacc pillar counts partition the pupils,
Progress 8 follows DfE's formula from its estimate, and KS2 prior attainment equals the KS2 row.
"""

from __future__ import annotations

import copy
import re
import sqlite3

import numpy as np
import pytest

from leo_synth.relations.derive_ks4 import AP_SUBJECTS
from leo_synth.relations.ks4_progress import (
    MEDIAN_SCALES,
    NEWSTYLE_PER_POINT,
    VA_MEASURES,
    cohort_shift,
    median_estimates,
    va_estimates,
)
from leo_synth.relations.ks4_subjects import (
    HERITAGE_LANGUAGES,
    HUMANITIES,
    LANGUAGES,
    OTHER_LANGUAGES,
)
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.parameters import Parameters, load_parameters
from leo_synth.simulation.series import interpolate

VIEWS = ("KS4Pupil_2002_to_2014", "KS4Pupil_2015_to_2021")
NEW = "KS4Pupil_2015_to_2021"


@pytest.fixture(scope="module")
def db(small_sqlite_connection: sqlite3.Connection) -> sqlite3.Connection:
    return small_sqlite_connection


def _columns(db: sqlite3.Connection, relation: str) -> list[str]:
    return [row[1] for row in db.execute(f"PRAGMA table_info({relation})")]


def _exam(view: str) -> str:
    return view.replace("Pupil", "Exam")


def test_subject_grades_equal_the_exam_rows(db, catalog) -> None:
    """KS4_AP<subject> is the grade of the pupil's exam row in that subject (NULL without one),
    spelt as the column's code list has it (double award doubled, a letter for a 9-1 grade
    where the list has letters); subjects no simulated pupil sits are NULL throughout, and so
    are rare languages no pupil of the small run sits. A
    duplicated pupil's second record attains nothing (the ks4_duplicate quirk: no grades
    beside the same exam rows), so records without entries are left out."""
    checked = 0
    for view in VIEWS:
        for column in _columns(db, view):
            found = re.fullmatch(r"KS4_AP([A-Z]+?)(_PTQ|_PTQ_EE)?", column)
            if not found or column == "KS4_APKN":  # APKN: the Pakistani ethnicity flag
                continue
            code = AP_SUBJECTS.get(found.group(1))
            # A column whose VRF code list lacks a grade's spelling holds NULL for it.
            listed = bool(catalog.table("ks4_pupil").column(column).codes)
            unlisted = f"AND p.{column} IS NOT NULL" if listed else ""
            if code is None:
                # ('' is the extract's empty-string quirk, not a value)
                assert db.execute(f"SELECT count(NULLIF({column}, '')) FROM {view}"
                                  ).fetchone()[0] == 0
                continue
            mapping = f"'{code}'"
            if found.group(1) == "ENG":  # the English of the threshold measures: language
                # before 2013/14, the better of language and literature after (language if even)
                mapping = f"""CASE WHEN p.KS4_ACADYR < '2013/2014' THEN '5030' ELSE (
                    SELECT b.KS4_MAPPING FROM {_exam(view)} b
                    WHERE b.KS4_PupilMatchingRefAnonymous = p.KS4_PupilMatchingRefAnonymous
                      AND b.KS4_ACADYR = p.KS4_ACADYR AND b.KS4_MAPPING IN ('5030', '5110')
                    ORDER BY b.KS4_POINTS DESC, b.KS4_MAPPING LIMIT 1) END"""
            rows, bad = db.execute(f"""
                SELECT count(*), sum(NULLIF(p.{column}, '') IS NOT e.KS4_GRADE
                                     AND p.{column} IS NOT ''
                                     AND p.{column} IS NOT e.KS4_GRADE || e.KS4_GRADE
                                     AND NOT (e.KS4_GRADE GLOB '[0-9]'
                                              AND p.{column} IS NOT NULL) {unlisted})
                FROM {view} p LEFT JOIN {_exam(view)} e
                  ON e.KS4_PupilMatchingRefAnonymous = p.KS4_PupilMatchingRefAnonymous
                 AND e.KS4_ACADYR = p.KS4_ACADYR AND e.KS4_MAPPING = {mapping}
                WHERE p.KS4_ACADYR IN (SELECT KS4_ACADYR FROM {view}
                                       WHERE NULLIF({column}, '') IS NOT NULL)
                  AND p.KS4_ENTRIES > 0""").fetchone()
            if rows == 0:  # a rare language no pupil of the small run sits: NULL throughout
                continue
            assert bad == 0, (view, column, bad)
            checked += 1
    assert checked >= 30


def test_exam_rows_are_different_subjects(db) -> None:
    """Each pupil's GCSEs are different subjects (nothing to discount)."""
    for view in VIEWS:
        exam = _exam(view)
        duplicated = db.execute(f"""SELECT count(*) FROM (
            SELECT 1 FROM {exam} GROUP BY KS4_PupilMatchingRefAnonymous, KS4_ACADYR, KS4_MAPPING
            HAVING count(*) > 1)""").fetchone()[0]
        assert duplicated == 0


def test_ranked_open_qualifications_add_up(db) -> None:
    rows, bad_order, bad_sum, bad_flag = db.execute(f"""
        SELECT count(*), sum(KS4_OTH1 < KS4_OTH2 OR KS4_OTH2 < KS4_OTH3),
               sum(KS4_OTH1 + KS4_OTH2 + KS4_OTH3 <> KS4_OPENSCR),
               sum(KS4_OTH1_G + KS4_OTH2_G + KS4_OTH3_G <> KS4_OPENFILL)
        FROM {NEW} WHERE KS4_OTH1 IS NOT NULL""").fetchone()
    assert rows > 50
    assert (bad_order, bad_sum, bad_flag) == (0, 0, 0)


def test_ebacc_pillar_counts_partition_the_pupils(db) -> None:
    """At most one of "entered n EBacc pillars" (n = 0..4) holds, and none only for pupils who
    entered the EBacc; a pupil with exam rows in all five pillars' subjects entered it."""
    exam = _exam(NEW)
    humanities, languages = (", ".join(f"'{code}'" for code in sorted(codes))
                             for codes in (HUMANITIES, LANGUAGES))
    pillar = f"""CASE WHEN KS4_MAPPING IN ('5030', '2210') THEN KS4_MAPPING
                      WHEN KS4_MAPPING IN ('1370', '1010', '1110', '1210') THEN 'science'
                      WHEN KS4_MAPPING IN ({humanities}) THEN 'humanity'
                      WHEN KS4_MAPPING IN ({languages}) THEN 'language' END"""
    rows, bad, unexplained, some = db.execute(f"""
        SELECT count(*), sum(n > 1),
               sum((n = 0) <> (KS4_EBACC_E_PTQ_EE = 1) OR (pillars = 5 AND n > 0)),
               sum(KS4_EBACCSUBJENT_4)
        FROM (SELECT p.*, KS4_EBACCSUBJENT_0 + KS4_EBACCSUBJENT_1 + KS4_EBACCSUBJENT_2
                          + KS4_EBACCSUBJENT_3 + KS4_EBACCSUBJENT_4 AS n, e.pillars
              FROM {NEW} p LEFT JOIN (
                  SELECT KS4_PupilMatchingRefAnonymous AS pmr, KS4_ACADYR AS yr,
                         count(DISTINCT {pillar}) AS pillars FROM {exam}
                  GROUP BY 1, 2) e
                ON e.pmr = p.KS4_PupilMatchingRefAnonymous AND e.yr = p.KS4_ACADYR
              WHERE KS4_EBACCSUBJENT_0 IS NOT NULL)""").fetchone()
    assert rows > 5 and bad == 0 and unexplained == 0 and some > 0


def test_level2_passes_with_english_and_maths(db) -> None:
    """KS4_PASS_LEV2EM counts the pupil's level 2 exam rows when English (the English slot's:
    the better of language and literature) and maths are among them, else 0."""
    exam = _exam(NEW)
    rows, bad = db.execute(f"""
        SELECT count(*), sum(p.KS4_PASS_LEV2EM_PTQ_EE <> CASE WHEN e.em = 2 THEN e.l2 ELSE 0 END)
        FROM {NEW} p JOIN (
            SELECT KS4_PupilMatchingRefAnonymous AS pmr, KS4_ACADYR AS yr, sum(KS4_LEV2) AS l2,
                   sum(KS4_LEV2 * (KS4_A8ENG = 1 OR KS4_MAPPING = '2210')) AS em
            FROM {exam} GROUP BY 1, 2) e
          ON e.pmr = p.KS4_PupilMatchingRefAnonymous AND e.yr = p.KS4_ACADYR
        WHERE p.KS4_PASS_LEV2EM_PTQ_EE IS NOT NULL""").fetchone()
    assert rows > 20 and bad == 0


def test_progress8_follows_its_estimate(db) -> None:
    """P8 = (A8 - estimate) / 10; the estimate is the sum of the element estimates and one
    figure per year and prior-attainment group; extreme scores are raised to the threshold;
    each year's national mean P8 is near 0 (the estimates are national means)."""
    rows, bad_p8, bad_pred, bad_adj, bad_elem = db.execute(f"""
        SELECT count(*), sum(abs(KS4_P8SCORE_ORIG - (KS4_ATT8 - KS4_ATT8_PRED) / 10) > 0.011),
               sum(abs(KS4_ATT8_PRED - KS4_ENG_PRED - KS4_MAT_PRED - KS4_EBAC_PRED
                       - KS4_OPEN_PRED) > 0.05),
               sum(KS4_P8SCORE <> max(KS4_P8SCORE_ORIG, KS4_P8THRESH)
                   OR KS4_P8ADJ <> (KS4_P8SCORE_ORIG < KS4_P8THRESH)),
               sum(abs(KS4_P8ENG - (KS4_SLOT1ENG - KS4_ENG_PRED) / 2) > 0.011)
        FROM {NEW} WHERE KS4_P8SCORE IS NOT NULL""").fetchone()
    assert rows > 50
    assert (bad_p8, bad_pred, bad_adj, bad_elem) == (0, 0, 0, 0)
    groups = db.execute(f"""SELECT count(DISTINCT KS4_ATT8_PRED) FROM {NEW}
        WHERE KS4_ATT8_PRED IS NOT NULL
        GROUP BY KS4_ACADYR, coalesce(KS4_KS2EMFG_GRP, KS4_KS2EMSS_GRP)""").fetchall()
    assert groups and max(g[0] for g in groups) == 1
    mean = db.execute(f"SELECT avg(KS4_P8SCORE_ORIG) FROM {NEW}").fetchone()[0]
    assert abs(mean) < 0.4
    missing = db.execute(f"""SELECT count(*) FROM {NEW}
        WHERE (KS4_ATT8_PRED IS NULL) <> (KS4_INP8CALC = 0)""").fetchone()[0]
    assert missing == 0


def test_prior_attainment_equals_the_ks2_row(db) -> None:
    """KS2 results carried into KS4 are the pupil's KS2 row's: level and scaled scores."""
    ks2 = "KS2Pupil_1996_to_2016"
    old = "KS4Pupil_2002_to_2014"
    rows, bad = db.execute(f"""
        SELECT count(*), sum(p.KS4_KS2ENG24P <> CAST(k.KS2_ENGLEV AS TEXT)
                             OR p.KS4_KS2MAT24P <> CAST(k.KS2_MATLEV AS TEXT))
        FROM {old} p JOIN {ks2} k
          ON k.KS2_PupilMatchingRefAnonymous = p.KS4_PupilMatchingRefAnonymous
        WHERE p.KS4_KS2ENG24P <> ''""").fetchone()
    assert rows > 20 and bad == 0
    rows, bad = db.execute(f"""
        SELECT count(*), sum(p.KS4_KS2READSCORE <> k.KS2_READSCORE
                             OR p.KS4_KS2MATSCORE <> k.KS2_MATSCORE)
        FROM {NEW} p JOIN {ks2} k
          ON k.KS2_PupilMatchingRefAnonymous = p.KS4_PupilMatchingRefAnonymous
        WHERE p.KS4_KS2READSCORE IS NOT NULL""").fetchone()
    assert rows > 5 and bad == 0


def test_prior_attainment_band_is_the_ks2_level(db) -> None:
    """The band is 1 below level 4, 2 at level 4, 3 above (by the KS2 row's English and maths
    fine levels from the 2015/16 cohort); cuts at fine level 3.5 and 4.5 put two pupils in
    three in the top band, and its codes were words where the VRF lists 1-4."""
    ks2 = "KS2Pupil_1996_to_2016"
    rows = db.execute(f"""
        SELECT p.KS4_PRIORBAND_PTQ_EE,
               (k.KS2_ENGFINE + CAST(k.KS2_MATFINE AS REAL)) / 2 AS fine
        FROM {NEW} p JOIN {ks2} k
          ON k.KS2_PupilMatchingRefAnonymous = p.KS4_PupilMatchingRefAnonymous
        WHERE p.KS4_ACADYR >= '2015/2016' AND p.KS4_PRIORBAND_PTQ_EE IS NOT NULL
          AND k.KS2_ENGFINE IS NOT NULL AND k.KS2_MATFINE IS NOT NULL""").fetchall()
    found = {str(band) for band, _ in rows}
    wrong = [(band, fine) for band, fine in rows if abs(fine - 4) > 0.01
             and abs(fine - 5) > 0.01 and band != str(1 + (fine >= 4) + (fine >= 5))]
    assert len(rows) > 20 and found == {"1", "2", "3"} and not wrong


def test_expected_progress_flags(db) -> None:
    """Three levels of progress: the GCSE grade as an NC level is 3+ above the KS2 row's
    level."""
    view = "KS4Pupil_2002_to_2014"
    rows, bad = db.execute(f"""
        SELECT count(*), sum(p.KS4_FLAG3GENG24 <> CASE WHEN p.KS4_LEVELGENG - k.KS2_ENGLEV >= 3
                                                  THEN 1 ELSE 2 END)
        FROM {view} p JOIN KS2Pupil_1996_to_2016 k
          ON k.KS2_PupilMatchingRefAnonymous = p.KS4_PupilMatchingRefAnonymous
        WHERE p.KS4_FLAG3GENG24 IS NOT NULL AND p.KS4_LEVELGENG IS NOT NULL""").fetchone()
    assert rows > 20 and bad == 0


def test_census_history(db) -> None:
    """A pupil who joined the school before Year 10 (KS4_ENTRYDAT) was at the same school last
    year, in Year 10; the English-EBacc-open score is A8 without the maths slot."""
    rows, bad_school, bad_year, bad_score = db.execute(f"""
        SELECT count(*), sum(KS4_ENTRYDAT < (CAST(substr(KS4_ACADYR, 1, 4) AS INT) - 1) * 10000
                                            + 901
                             AND KS4_PrevY10_LAESTAB_anon <> KS4_LAESTAB_anon),
               sum(KS4_PrevY10 <> '1'),
               sum(KS4_CORESCIENGSCORE IS NOT NULL
                   AND KS4_CORESCIENGSCORE <> KS4_ATT8 - KS4_SLOT2MAT)
        FROM {NEW} WHERE NULLIF(KS4_PrevY10_LAESTAB_anon, '') IS NOT NULL""").fetchone()
    assert rows > 20
    assert (bad_school, bad_year, bad_score) == (0, 0, 0)


def test_value_added_is_outcome_less_prediction(db) -> None:
    """Best 8 VA score = capped points plus English and maths bonuses - the prediction; the
    bonuses are the English and maths new-style points; a subject's VA needs an entry."""
    view = "KS4Pupil_2002_to_2014"
    languages = ", ".join(f"'{code}'" for code in sorted(LANGUAGES))
    rows, bad_b8, bad_bonus, bad_lan = db.execute(f"""
        SELECT count(*), sum(abs(KS4_B8VASCR - (KS4_B8SCRPLUSBONUS - KS4_B8VAPRED)) > 0.51),
               sum(CAST(KS4_B8SCRPLUSBONUS AS REAL) <> KS4_VAPTSC + KS4_GENGBONUS + KS4_GMATBONUS),
               sum((KS4_LANVASCR IS NULL) = EXISTS (
                   SELECT 1 FROM {_exam(view)} e
                   WHERE e.KS4_PupilMatchingRefAnonymous = p.KS4_PupilMatchingRefAnonymous
                     AND e.KS4_ACADYR = p.KS4_ACADYR AND e.KS4_MAPPING IN ({languages})))
        FROM {view} p WHERE KS4_B8VAPRED IS NOT NULL""").fetchone()
    assert rows > 20
    assert (bad_b8, bad_bonus, bad_lan) == (0, 0, 0)


def test_exam_row_ranks_and_points(db) -> None:
    """EBacc and open ranks order the pupil's results in the group by grade (ranks 1..n, a
    better rank never a lower grade); A8ENGLANG is the English row's points; the entry centre is
    the pupil's school."""
    exam = _exam(NEW)
    rows, bad_rank, bad_order = db.execute(f"""
        SELECT count(*), sum(a.KS4_A8EBAC_RNK > (SELECT count(*) FROM {exam} c
                 WHERE c.KS4_PupilMatchingRefAnonymous = a.KS4_PupilMatchingRefAnonymous
                   AND c.KS4_ACADYR = a.KS4_ACADYR AND c.KS4_A8EBAC_RNK IS NOT NULL)),
               sum(EXISTS (SELECT 1 FROM {exam} b
                 WHERE b.KS4_PupilMatchingRefAnonymous = a.KS4_PupilMatchingRefAnonymous
                   AND b.KS4_ACADYR = a.KS4_ACADYR AND b.KS4_A8EBAC_RNK < a.KS4_A8EBAC_RNK
                   AND b.KS4_POINTS < a.KS4_POINTS))
        FROM {exam} a WHERE a.KS4_A8EBAC_RNK IS NOT NULL""").fetchone()
    assert rows > 50 and bad_rank == 0 and bad_order == 0
    bad_open = db.execute(f"""SELECT count(*) FROM {exam} a JOIN {exam} b
        ON b.KS4_PupilMatchingRefAnonymous = a.KS4_PupilMatchingRefAnonymous
       AND b.KS4_ACADYR = a.KS4_ACADYR AND b.KS4_A8OTH_RNK < a.KS4_A8OTH_RNK
       AND b.KS4_POINTS < a.KS4_POINTS""").fetchone()[0]
    assert bad_open == 0
    bad_eng, bad_centre = db.execute(f"""
        SELECT sum(KS4_A8ENGLANG <> CASE WHEN KS4_A8ENG = 1 THEN KS4_A8POINTS / 2 ELSE 0 END),
               sum(KS4_ADFECN <> KS4_LAESTAB_anon) FROM {exam}
        WHERE KS4_A8ENGLANG IS NOT NULL AND KS4_ADFECN <> ''""").fetchone()
    assert (bad_eng, bad_centre) == (0, 0)


GRADE_91 = "(KS4_A8POINTS / (1 + KS4_A8ENG + KS4_A8MAT))"
"""A 2014/15-2020/21 exam row's 9-1 grade (Attainment 8 doubles English and maths), which
KS4_POINTS holds only for reformed GCSEs."""
LETTER_SCALES = {  # (first academic year, DfE's points of *, A ... G, U on the exam rows)
    "2002/2003": (58, 52, 46, 40, 34, 28, 22, 16, 0),  # new-style points
    "2014/2015": (8, 7, 6, 5, 4, 3, 2, 1, 0),  # old-style points
    "2016/2017": (8.5, 7, 5.5, 4, 3, 2, 1.5, 1, 0),  # Attainment 8's legacy letters
}


def test_exam_points_are_the_year_scale(db) -> None:
    """KS4_POINTS is a letter grade's points on the year's DfE scale (new-style to 2013/14,
    old-style in 2014/15 and 2015/16, Attainment 8's legacy points after) and a reformed
    GCSE's 9-1 grade, so a C row holds 40, 5 or 4 and never its 9-1 grade's other value
    (NULL before 2003/04, as the VRF's years say)."""
    firsts = sorted(LETTER_SCALES)
    scale = " ".join(
        f"WHEN KS4_ACADYR >= '{first}' THEN CASE KS4_GRADE "
        + " ".join(f"WHEN '{letter}' THEN {points}"
                   for letter, points in zip("*ABCDEFGU", LETTER_SCALES[first], strict=True))
        + " END" for first in reversed(firsts))
    checked = {}
    for view in VIEWS:
        for era, rows, bad in db.execute(f"""
            SELECT CASE WHEN KS4_ACADYR >= '{firsts[2]}' THEN 2
                        WHEN KS4_ACADYR >= '{firsts[1]}' THEN 1 ELSE 0 END AS era,
                   count(*), sum(KS4_POINTS IS NOT (CASE WHEN KS4_GRADE GLOB '[0-9]'
                       THEN CAST(KS4_GRADE AS REAL) {scale} END))
            FROM {_exam(view)} WHERE KS4_POINTS IS NOT NULL GROUP BY 1"""):
            checked[era] = checked.get(era, 0) + rows
            assert bad == 0, (view, era, rows, bad)
    assert sorted(checked) == [0, 1, 2] and min(checked.values()) > 100, checked


def test_median_line_value_added(db) -> None:
    """Median-line VA = capped point score - the prior group's national median (shown
    rounded), both present for every pupil with KS2 prior attainment."""
    view = "KS4Pupil_2002_to_2014"
    rows, bad_new, bad_old = db.execute(f"""
        SELECT count(*), sum(abs(KS4_VA2NEWG - (KS4_PTSCNEWG - KS4_MED2NEWG)) > 0.51),
               sum(abs(KS4_VA2OLDG - (KS4_PTSCOLDG - KS4_MED2OLDG)) > 0.51)
        FROM {view} WHERE KS4_VA2NEWG IS NOT NULL AND KS4_PTSCOLDG IS NOT NULL""").fetchone()
    assert rows > 10 and bad_new == 0 and bad_old == 0
    unpaired = db.execute(f"""SELECT count(*) FROM {view}
        WHERE (KS4_MED2NEWG IS NULL) <> (KS4_VA2NEWG IS NULL)""").fetchone()[0]
    assert unpaired == 0


def test_ebacc_aps_is_the_pillar_points_over_six(db) -> None:
    """KS4_EBACCAPS_PUPIL = (English + maths + two science grades + humanities + languages) / 6
    from the exam rows' points: the double award science row in both science slots, else the
    two best separate sciences; the best humanity and the best language."""
    exam = _exam(NEW)
    rows, bad, top, separate = db.execute(f"""
        WITH r AS (SELECT KS4_PupilMatchingRefAnonymous AS pmr, KS4_ACADYR AS yr, {GRADE_91} AS pts,
                          KS4_A8ENG AS eng, KS4_A8MAT AS mat, KS4_MAPPING AS code,
                          KS4_EBACCNOTSCI AS notsci,
                          row_number() OVER (PARTITION BY KS4_PupilMatchingRefAnonymous, KS4_ACADYR,
                              KS4_MAPPING IN ('1010', '1110', '1210')
                              ORDER BY {GRADE_91} DESC) AS science_rank
                   FROM {exam}),
             e AS (SELECT pmr, yr,
                          sum(CASE WHEN eng = 1 OR mat = 1 THEN pts ELSE 0 END)
                          + sum(CASE WHEN code = '1370' THEN 2 * pts
                                     WHEN code IN ('1010', '1110', '1210') AND science_rank <= 2
                                     THEN pts ELSE 0 END)
                          + coalesce(max(CASE WHEN code IN ('3910', '4010') THEN pts END), 0)
                          + coalesce(max(CASE WHEN notsci = 1 AND code NOT IN ('3910', '4010')
                                              THEN pts END), 0) AS pillars,
                          max(code = '1010') AS separate
                   FROM r GROUP BY 1, 2)
        SELECT count(*), sum(abs(p.KS4_EBACCAPS_PUPIL - coalesce(e.pillars, 0) / 6.0) > 0.006),
               max(p.KS4_EBACCAPS_PUPIL), sum(e.separate)
        FROM {NEW} p LEFT JOIN e ON e.pmr = p.KS4_PupilMatchingRefAnonymous
                               AND e.yr = p.KS4_ACADYR
        WHERE p.KS4_EBACCAPS_PUPIL IS NOT NULL""").fetchone()
    assert rows > 50 and bad == 0 and separate > 5
    assert 4 < top <= 9


def test_school_type_roll_and_inclusion(db) -> None:
    """NFTYPE is a school type of the school's phase (special: 26, 27 or 53, as KS4_MMSCH says)
    and the MMSCH2/MSCH2 flags are its NFTYPE = ANY(...) definitions; the previous Year 10 school's
    NFTYPE is the school's own where the pupil stayed (or its maintained type before it opened
    as an academy); every row is included (P_INCL 401) and
    of age 15 (AGEINYR); entry dates are 1 September or, for an in-year move, a school day
    from September to July (none in August), and NEWMOBILE is an entry after 12 September of
    Year 10."""
    rows, bad_type, bad_flags, bad_prev, prev, bad_incl, bad_entry = db.execute(f"""
        SELECT count(*),
               sum(KS4_NFTYPE NOT IN ('20', '21', '22', '23', '24', '26', '27', '51', '53')
                   OR KS4_MMSCH <> (KS4_NFTYPE NOT IN ('26', '27', '53'))),
               sum(KS4_MMSCH2 <> (KS4_NFTYPE IN ('21', '22', '23', '24'))
                   OR KS4_MSCH2 <> (KS4_NFTYPE IN ('21', '22', '23', '24', '26', '27'))),
               sum(KS4_PrevY10_LAESTAB_anon = KS4_LAESTAB_anon
                   AND KS4_PrevY10_LAESTAB_NFTYPE <> KS4_NFTYPE
                   AND NOT (KS4_PrevY10_LAESTAB_NFTYPE IN ('21', '22', '23', '24', '26', '27')
                            AND KS4_NFTYPE IN ('20', '51', '53'))),
               count(KS4_PrevY10_LAESTAB_NFTYPE),
               sum(KS4_P_INCL <> '401' OR KS4_AGEINYR <> (KS4_AGE = 15) OR KS4_AGE <> 15),
               sum(KS4_ENTRYDAT % 10000 BETWEEN 801 AND 831
                   OR KS4_NEWMOBILE <> (KS4_ENTRYDAT >
                                        (CAST(substr(KS4_ACADYR, 1, 4) AS INT) - 1) * 10000
                                        + 912))
        FROM {NEW} WHERE KS4_NFTYPE <> ''""").fetchone()
    assert rows > 100 and prev > 20
    assert (bad_type, bad_flags, bad_prev, bad_incl, bad_entry) == (0, 0, 0, 0, 0)


def test_number_on_roll_flag_follows_permanent_exclusions(db) -> None:
    """KS4_NORFLAGE is 1 exactly for pupils with a permanent exclusion (Category PERM in the
    exclusions table) in their KS4 year, else 0."""
    checked = mismatched = 0
    for end in range(2016, 2022):
        yy = str(end)[2:]
        acadyr = f"{end - 1}/{end}"
        n, bad = db.execute(f"""
            SELECT count(*), sum(p.KS4_NORFLAGE <> EXISTS (
                SELECT 1 FROM exclusions_table_1_{end} x
                WHERE x.PupilMatchingRefAnonymous_ex{yy} = p.KS4_PupilMatchingRefAnonymous
                  AND x.Category_ex{yy} = 'PERM'))
            FROM {NEW} p WHERE p.KS4_ACADYR = '{acadyr}'""").fetchone()
        checked += n
        mismatched += bad or 0
    assert checked > 100 and mismatched == 0


def test_exam_centre_and_board_subject_numbers(db) -> None:
    """The entry centre (KS4_ANCN) is one five-digit number per school (the pupil's school,
    KS4_LAESTAB_anon), KS4_BRDSUBNO is the board's digit before the mapping code, and the
    double award science row (the pupil's one combined science) has KS4_DSCIROW 1."""
    exam = _exam(NEW)
    schools, centres, pairs, bad_form, bad_board = db.execute(f"""
        SELECT count(DISTINCT KS4_LAESTAB_anon), count(DISTINCT KS4_ANCN),
               count(DISTINCT KS4_LAESTAB_anon || '/' || KS4_ANCN),
               sum(length(KS4_ANCN) <> 5 OR KS4_ANCN GLOB '*[^0-9]*'),
               sum(KS4_BRDSUBNO <> CAST(KS4_BOARDNO AS TEXT) || KS4_MAPPING)
        FROM {exam} WHERE KS4_ANCN <> '' AND KS4_LAESTAB_anon <> ''""").fetchone()
    assert schools > 5 and schools == centres == pairs
    assert bad_form == 0 and bad_board == 0
    science, bad_rank = db.execute(f"""
        SELECT sum(KS4_MAPPING = '1370'),
               sum((NULLIF(KS4_DSCIROW, '') IS NOT NULL) <> (KS4_MAPPING = '1370')
                   OR KS4_DSCIROW NOT IN ('1', ''))
        FROM {exam}""").fetchone()
    assert science > 50 and bad_rank == 0


def test_service_child_and_source_country(db) -> None:
    """KS4_SERVICECHILD is the pupil's spring census ServiceChild (Y) of the KS4 year, and
    every pupil is at a school in England (KS4_SOURCECTY E, 2001/02-2004/05)."""
    checked = 0
    for end in (2020, 2021):
        yy = str(end)[2:]
        n, bad = db.execute(f"""
            SELECT count(*), sum(p.KS4_SERVICECHILD <> (c.ServiceChild_spr{yy} = 'Y'))
            FROM {NEW} p JOIN spring_census_{end} c
              ON c.PupilMatchingRefAnonymous_spr{yy} = p.KS4_PupilMatchingRefAnonymous
             AND c.LAEstab_anon_spr{yy} = p.KS4_LAESTAB_anon
            WHERE p.KS4_ACADYR = '{end - 1}/{end}' AND c.ServiceChild_spr{yy} <> ''""").fetchone()
        assert not bad, end
        checked += n
    assert checked > 20
    rows, bad = db.execute("""SELECT count(*), sum(KS4_SOURCECTY <> 'E') FROM KS4Pupil_2002_to_2014
                              WHERE NULLIF(KS4_SOURCECTY, '') IS NOT NULL""").fetchone()
    assert rows > 20 and bad == 0


NEWSTYLE_SQL = ("CASE e.KS4_GRADE WHEN '*' THEN 58 WHEN 'A' THEN 52 WHEN 'B' THEN 46 "
                "WHEN 'C' THEN 40 WHEN 'D' THEN 34 WHEN 'E' THEN 28 WHEN 'F' THEN 22 "
                "WHEN 'G' THEN 16 ELSE 0 END")


def test_contextual_value_added_is_outcome_less_prediction(db) -> None:
    """CVA (2004/05-2009/10): the outcome (the new-style points of the pupil's eight best
    GCSEs, plus the English and maths GCSEs' points again as the bonuses, from the exam rows:
    the GCSEs alone, not KS4_PTSCNEWE, which counts the equivalents too) less the
    corrected prediction, + 1000 for the KS2 score; KS2 and KS3 scores describe the same
    outcome; the correction leaves predictions between 58 and 522 unchanged, never raises one
    above it and keeps it inside 0-580; scores centre on 1000 (KS2) and 0 (KS3)."""
    view, exam = "KS4Pupil_2002_to_2014", "KS4Exam_2002_to_2014"
    rows, bad_ks2, bad_ks3, bad_pred, mean2, sd2 = db.execute(f"""
        WITH r AS (SELECT e.KS4_PupilMatchingRefAnonymous AS pmr, e.KS4_ACADYR AS yr,
                          e.KS4_MAPPING AS mapping, {NEWSTYLE_SQL} AS points,
                          ROW_NUMBER() OVER (PARTITION BY e.KS4_PupilMatchingRefAnonymous,
                                             e.KS4_ACADYR ORDER BY {NEWSTYLE_SQL} DESC) AS rank
                   FROM {exam} e),
             b AS (SELECT pmr, yr, sum(CASE WHEN mapping IN ('5030', '2210') THEN points
                                            ELSE 0 END) AS bonus,
                          sum(CASE WHEN rank <= 8 THEN points ELSE 0 END) AS gcse
                   FROM r GROUP BY 1, 2)
        SELECT count(*),
               sum(abs(p.KS4_CVA_KS2 - 1000 - (b.gcse + b.bonus - p.KS4_CVA2PRED)) > 0.02),
               sum(abs(p.KS4_CVA_KS3 - (b.gcse + b.bonus - p.KS4_CVA3PRED)) > 0.02),
               sum(p.KS4_CVA2PRED NOT BETWEEN 0 AND 580 OR p.KS4_CVA2PRED > p.KS4_CVA2INTP + 0.01
                   OR (p.KS4_CVA2INTP BETWEEN 58 AND 522
                       AND abs(p.KS4_CVA2PRED - p.KS4_CVA2INTP) > 0.01)),
               avg(p.KS4_CVA_KS2 - 1000), sqrt(avg((p.KS4_CVA_KS2 - 1000) * (p.KS4_CVA_KS2 - 1000)))
        FROM {view} p JOIN b ON b.pmr = p.KS4_PupilMatchingRefAnonymous AND b.yr = p.KS4_ACADYR
        WHERE p.KS4_CVA_KS2 IS NOT NULL""").fetchone()
    assert rows > 100
    assert (bad_ks2, bad_ks3 or 0, bad_pred or 0) == (0, 0, 0)
    assert abs(mean2) < 4 * sd2 / rows ** 0.5
    ks3_rows, ks3_mean = db.execute(f"""SELECT count(*), avg(KS4_CVA_KS3) FROM {view}
                                        WHERE KS4_CVA_KS3 IS NOT NULL""").fetchone()
    assert ks3_rows > 50 and abs(ks3_mean) < 25


def test_cumulative_gcse_sizes_are_the_pupils_entries(db) -> None:
    """KS4_ACTYRGRP_GSIZE and KS4_NOR_GSIZE sum the GSIZE of the pupil's results (the exam
    rows), and the sizes up to one and two years earlier are 0: every GCSE is sat in Year 11."""
    rows, bad = db.execute(f"""
        SELECT count(*),
               sum(CAST(p.KS4_ACTYRGRP_GSIZE AS REAL) <> coalesce(e.size, 0)
                   OR p.KS4_NOR_GSIZE <> p.KS4_ACTYRGRP_GSIZE
                   OR p.KS4_ACTYRGRP_GSIZE_1 <> '0' OR p.KS4_ACTYRGRP_GSIZE_2 <> '0')
        FROM {NEW} p LEFT JOIN (
            SELECT KS4_PupilMatchingRefAnonymous pmr, KS4_ACADYR yr, sum(KS4_GSIZE) size
            FROM KS4Exam_2015_to_2021 GROUP BY 1, 2) e
          ON e.pmr = p.KS4_PupilMatchingRefAnonymous AND e.yr = p.KS4_ACADYR
        WHERE p.KS4_ACTYRGRP_GSIZE IS NOT NULL AND p.KS4_ACTYRGRP_GSIZE <> ''""").fetchone()
    assert rows > 20 and bad == 0, (rows, bad)


def test_cohort_shift_adds_the_years_prior_offset_only_within_its_years() -> None:
    """An estimate moves by the grade scale's shift and, in the measure's own years, by the
    year's prior-attainment offset of its measure (KS2 and KS3 results rose while KS4's did
    not)."""
    params = {"ks4.year_shift": {2010: -0.2, 2018: 0.0},
              "ks4.prior_offset.progress8": {2015: 0.3, 2019: -0.1},
              "ks4.prior_offset.median_line_ks3": {2002: 0.2, 2004: -0.4}}
    years = np.array([2001, 2003, 2014, 2015, 2017, 2019, 2020])
    scale = interpolate(params["ks4.year_shift"], years)
    assert np.allclose(cohort_shift(params, years, "progress8") - scale,
                       [0.0, 0.0, 0.0, 0.3, 0.1, -0.1, 0.0])
    assert np.allclose(cohort_shift(params, years, "median_line_ks3") - scale,
                       [0.0, -0.1, 0.0, 0.0, 0.0, 0.0, 0.0])



def _with_ks3_offsets(va: float, median: float) -> Parameters:
    """The default parameters with flat KS3-based offsets over every year."""
    tree = copy.deepcopy(load_parameters(None).tree())
    tree["ks4"]["prior_offset"]["value_added_ks3"] = {2000: va, 2020: va}
    tree["ks4"]["prior_offset"]["median_line_ks3"] = {2000: median, 2020: median}
    return Parameters(tree)


def test_ks3_based_estimates_move_by_their_own_offsets() -> None:
    """The KS3-KS4 CVA prediction (``b8_ks3``) and the KS3 median line move by their years'
    KS3 offsets (``value_added_ks3``, ``median_line_ks3``: KS3 results rose by year too); the
    KS2-based estimates do not."""
    prior = Frame(**{f"ks{stage}_{subject}_{kind}": np.array([value, value])
                     for stage, kind, value in (("2", "fine", 4.5), ("3", "level", 5.0))
                     for subject in ("eng", "mat", "sci")})
    year = np.array([2003, 2006])
    base, moved = _with_ks3_offsets(0.0, 0.0), _with_ks3_offsets(0.5, 0.25)
    va_before, va_after = va_estimates(base, prior, year), va_estimates(moved, prior, year)
    assert np.allclose(va_after["b8_ks3"] - va_before["b8_ks3"],
                       NEWSTYLE_PER_POINT * VA_MEASURES["b8"] * 0.5)
    assert np.allclose(va_after["b8"], va_before["b8"])
    med_before = median_estimates(base, prior, year)
    med_after = median_estimates(moved, prior, year)
    assert np.allclose(med_after["ks3_new"] - med_before["ks3_new"],
                       8 * MEDIAN_SCALES["new"] * 0.25, atol=0.05)
    assert np.allclose(med_after["ks2_new"], med_before["ks2_new"])


def test_english_and_maths_result_types_follow_the_gcse(db) -> None:
    """KS4_ENGLISHTYPE / KS4_MATHSTYPE (2007/08) are 1 'GCSE Level 2' where the pupil's
    English (maths) exam row has grade A*-C, 4 'GCSE Level 1' at D-G and 0 'No score'
    without one; the functional and other codes never occur (every result is a GCSE)."""
    old = "KS4Pupil_2002_to_2014"
    for column, mapping in (("KS4_ENGLISHTYPE", "5030"), ("KS4_MATHSTYPE", "2210")):
        rows = db.execute(f"""
            SELECT p.{column}, (SELECT e.KS4_GRADE FROM {_exam(old)} e
                                WHERE e.KS4_PupilMatchingRefAnonymous
                                      = p.KS4_PupilMatchingRefAnonymous
                                  AND e.KS4_ACADYR = p.KS4_ACADYR AND e.KS4_MAPPING = '{mapping}')
            FROM {old} p WHERE p.KS4_ACADYR = '2007/2008' AND p.KS4_ENTRIES > 0""").fetchall()
        assert len(rows) >= 15
        expected = [0 if grade is None else 1 if grade in ("*", "A*", "A", "B", "C") else 4
                    for _, grade in rows]
        assert [code for code, _ in rows] == expected, column
        assert {code for code, _ in rows} >= {1}


def test_functional_skills_points_are_null(db) -> None:
    """No simulated pupil holds a functional skills qualification: KS4_HPFENG and KS4_HPFMATH
    are NULL for every pupil of their years (2007/08-2009/10)."""
    pupils, filled = db.execute("""
        SELECT count(*), count(KS4_HPFENG) + count(KS4_HPFMATH) FROM KS4Pupil_2002_to_2014
        WHERE KS4_ACADYR IN ('2007/2008', '2008/2009', '2009/2010')""").fetchone()
    assert pupils > 0 and filled == 0


def test_fine_level_is_the_ks2_english_and_maths_fine_level(db) -> None:
    """KS4_FINELEVEL_PTQ_EE is the pupil's KS2 fine level (KS4_KS2EMFG, fractional, within
    the KS2 levels), NULL exactly where KS4_KS2EMFG is NULL."""
    rows = db.execute(f"""SELECT KS4_FINELEVEL_PTQ_EE, KS4_KS2EMFG FROM {NEW}
                          WHERE KS4_ACADYR BETWEEN '2015/2016' AND '2019/2020'""").fetchall()
    assert len(rows) > 100
    assert all((fine is None) == (emfg is None) for fine, emfg in rows)
    present = np.array([fine for fine, emfg in rows if fine is not None], dtype=float)
    assert np.allclose(present, [emfg for _, emfg in rows if emfg is not None])
    assert present.min() >= 2 and present.max() <= 7
    assert (present != np.round(present)).mean() > 0.5  # fine levels, not whole numbers
    old = db.execute("""SELECT count(*), count(KS4_FINELEVEL_PTQ), avg(KS4_FINELEVEL_PTQ)
                        FROM KS4Pupil_2002_to_2014 WHERE KS4_ACADYR = '2013/2014'""").fetchone()
    assert old[1] >= 0.9 * old[0] and 4.0 <= old[2] <= 5.5


def test_school_cohort_statistics_are_one_per_school_year_on_the_pupils_scale(db) -> None:
    """KS4_SC_P2APS / KS4_SC_KS2STDEV (2007/08-2009/10) and KS4_SC_P3APS / KS4_SC_KS3STDEV
    (2007/08): one value per school and year, the cohort mean near the pupils' own mean fine
    APS (KS4_CVAP2APS, KS4_CVAP3APS) with a modest spread between schools, the standard
    deviation around 4 (KS2) or 5 (KS3) points."""
    old = "KS4Pupil_2002_to_2014"
    for aps, sd, pupil, years in (
            ("KS4_SC_P2APS", "KS4_SC_KS2STDEV", "KS4_CVAP2APS",
             "('2007/2008', '2008/2009', '2009/2010')"),
            ("KS4_SC_P3APS", "KS4_SC_KS3STDEV", "KS4_CVAP3APS", "('2007/2008')")):
        several = db.execute(f"""SELECT count(*) FROM (
            SELECT KS4_URN_anon, KS4_ACADYR FROM {old} WHERE KS4_ACADYR IN {years}
            GROUP BY KS4_URN_anon, KS4_ACADYR HAVING count(DISTINCT {aps}) > 1
                                                OR count(DISTINCT {sd}) > 1)""").fetchone()[0]
        assert several == 0
        schools = np.array(db.execute(f"""SELECT DISTINCT KS4_URN_anon, KS4_ACADYR, {aps}, {sd}
            FROM {old} WHERE KS4_ACADYR IN {years}""").fetchall())[:, 2:].astype(float)
        assert len(schools) >= 5
        pupils_mean = db.execute(f"SELECT avg({pupil}) FROM {old} "
                                 f"WHERE KS4_ACADYR IN {years}").fetchone()[0]
        assert abs(schools[:, 0].mean() - pupils_mean) < 2.5, aps
        assert 0.3 < schools[:, 0].std() < 4.0, aps
        assert 2.5 < schools[:, 1].mean() < 6.0 and schools[:, 1].min() >= 1.0, sd


def test_exam_score_is_null_and_wolf_threshold_a_good_pass(db) -> None:
    """KS4_SCORE (scaled score, 2019/20-) is NULL for every GCSE row; KS4_WOLF_GOOD_PASS_THRESHOLD
    is 4, the points from which KS4_LEV2 is 1."""
    rows, scores, off, wrong = db.execute("""
        SELECT count(*), count(KS4_SCORE),
               sum(KS4_WOLF_GOOD_PASS_THRESHOLD IS NOT 4),
               sum(KS4_LEV2 != (KS4_POINTS >= KS4_WOLF_GOOD_PASS_THRESHOLD))
        FROM KS4Exam_2015_to_2021 WHERE KS4_ACADYR IN ('2019/2020', '2020/2021')""").fetchone()
    assert rows > 0 and scores == 0 and off == 0 and wrong == 0


def test_humanity_and_language_vary_by_pupil_and_year(db) -> None:
    """Pupils sit history or geography, in about even shares, and KS4_ENTERED_HISTORY /
    _GEOGRAPHY say which; the language is one of several, French giving way to Spanish over
    the years as in JCQ's entries, and a community language is its speakers' (Urdu of
    Pakistani, Indian and other Asian pupils, Polish of white other pupils: HERITAGE_LANGUAGES);
    ICT is not sat after 2016/17."""
    exam = _exam(NEW)
    history, geography = db.execute(f"""
        SELECT sum(KS4_MAPPING = '4010'), sum(KS4_MAPPING = '3910') FROM {exam}""").fetchone()
    assert 0.35 < history / (history + geography) < 0.65
    rows, bad = db.execute(f"""
        SELECT count(*), sum(KS4_ENTERED_HISTORY <> EXISTS (SELECT 1 FROM {exam} e
                   WHERE e.KS4_PupilMatchingRefAnonymous = p.KS4_PupilMatchingRefAnonymous
                     AND e.KS4_ACADYR = p.KS4_ACADYR AND e.KS4_MAPPING = '4010')
               OR KS4_ENTERED_GEOGRAPHY <> EXISTS (SELECT 1 FROM {exam} e
                   WHERE e.KS4_PupilMatchingRefAnonymous = p.KS4_PupilMatchingRefAnonymous
                     AND e.KS4_ACADYR = p.KS4_ACADYR AND e.KS4_MAPPING = '3910'))
        FROM {NEW} p WHERE KS4_ENTERED_HISTORY IS NOT NULL""").fetchone()
    assert rows > 5 and bad == 0  # (the columns are 2020/21's only)
    languages = ", ".join(f"'{code}'" for code in sorted(LANGUAGES))
    shares = {}
    for view in VIEWS:
        shares[view] = db.execute(f"""
            SELECT avg(KS4_MAPPING = '5650'), avg(KS4_MAPPING = '5750'),
                   count(DISTINCT KS4_MAPPING)
            FROM {_exam(view)} WHERE KS4_MAPPING IN ({languages})""").fetchone()
    (old_french, old_spanish, old_kinds), (new_french, new_spanish, new_kinds) = (
        shares[view] for view in VIEWS)
    assert old_french > new_french + 0.05 and new_spanish > old_spanish + 0.05
    assert min(old_kinds, new_kinds) >= 5
    # a community language (one only heritage speakers are given) is its speakers': each such
    # GCSE is a pupil's of an ethnic group that speaks it
    speakers: dict[str, set[str]] = {}
    for group, choices in HERITAGE_LANGUAGES.items():
        for code in set(choices) - set(OTHER_LANGUAGES):
            speakers.setdefault(code, set()).add(group)
    rows = db.execute(f"""
        SELECT e.KS4_MAPPING, p.KS4_ETHNIC FROM {exam} e JOIN {NEW} p
          ON p.KS4_PupilMatchingRefAnonymous = e.KS4_PupilMatchingRefAnonymous
         AND p.KS4_ACADYR = e.KS4_ACADYR
        WHERE e.KS4_MAPPING IN ({", ".join(f"'{code}'" for code in speakers)})""").fetchall()
    assert rows and all(group in speakers[code] for code, group in rows), rows
    late_ict = db.execute(f"""SELECT count(*) FROM {exam}
                              WHERE KS4_MAPPING = '2650' AND KS4_ACADYR >= '2017/18'"""
                          ).fetchone()[0]
    assert late_ict == 0


def test_english_literature_and_the_residual_english(db) -> None:
    """Most pupils also sit English literature. From 2013/14 the English slot (KS4_A8ENG)
    holds the better English, literature or language, and the other one is the residual
    English in an open slot: KS4_ENGRESID is its grade, the lower of the two, and the exam
    rows' KS4_A8ELIT, KS4_ENGRESIDLANG and KS4_ENGRESIDLIT carry the grades they name."""
    exam = _exam(NEW)
    pupils, sitting, literature_first, worse, bad_residual, bad_flag = db.execute(f"""
        SELECT count(*), sum(lit IS NOT NULL), sum(eng_code = '5110'), sum(other > eng),
               sum(KS4_ENGRESID <> coalesce(other, 0)),
               sum(KS4_ENGRESID_G <> (other IS NOT NULL))
        FROM {NEW} p JOIN (
            SELECT KS4_PupilMatchingRefAnonymous AS pmr, KS4_ACADYR AS yr,
                   max(CASE WHEN KS4_A8ENG = 1 THEN {GRADE_91} END) AS eng,
                   max(CASE WHEN KS4_A8ENG = 1 THEN KS4_MAPPING END) AS eng_code,
                   max(CASE WHEN KS4_A8OTH = 1 AND KS4_MAPPING IN ('5030', '5110')
                            THEN {GRADE_91} END) AS other,
                   max(CASE WHEN KS4_MAPPING = '5110' THEN {GRADE_91} END) AS lit
            FROM {exam} GROUP BY 1, 2) e
          ON e.pmr = p.KS4_PupilMatchingRefAnonymous AND e.yr = p.KS4_ACADYR
        WHERE p.KS4_ENGRESID IS NOT NULL AND e.eng IS NOT NULL""").fetchone()
    assert pupils > 100
    assert 0.45 < sitting / pupils < 0.9 and literature_first > 0
    assert (worse, bad_residual, bad_flag) == (0, 0, 0)
    bad_rows = db.execute(f"""
        SELECT sum(KS4_A8ELIT <> CASE WHEN KS4_MAPPING = '5110' THEN {GRADE_91} ELSE 0 END
                   OR KS4_ENGRESIDLANG <> CASE WHEN KS4_MAPPING = '5030' AND KS4_A8OTH = 1
                                               THEN {GRADE_91} ELSE 0 END
                   OR KS4_ENGRESIDLIT <> CASE WHEN KS4_MAPPING = '5110' AND KS4_A8OTH = 1
                                              THEN {GRADE_91} ELSE 0 END)
        FROM {exam} WHERE KS4_A8ELIT IS NOT NULL""").fetchone()[0]
    assert bad_rows == 0


def test_reformed_grades_are_the_exam_rows_9_to_1_grades(db, catalog) -> None:
    """KS4_AP<subject>_91 holds the pupil's reformed (9-1) GCSE grade in the subject as the
    exam row records it ('1' to '9', the VRF's range beside its codes Null and U), for every
    pupil with such a row in the column's years, and is NULL for a pupil without one."""
    checked = 0
    for column in _columns(db, NEW):
        found = re.fullmatch(r"KS4_AP([A-Z]+?)_91", column)
        code = AP_SUBJECTS.get(found.group(1)) if found else None
        if code is None or found.group(1) == "ENG":
            continue
        years = ", ".join(f"'{year}'" for year in catalog.table("ks4_pupil").column(column).years)
        rows, missing, wrong, extra = db.execute(f"""
            SELECT count(*), sum(p.{column} IS NULL AND e.KS4_GRADE IS NOT NULL),
                   sum(p.{column} IS NOT e.KS4_GRADE AND e.KS4_GRADE IS NOT NULL),
                   sum(NULLIF(p.{column}, '') IS NOT NULL AND e.KS4_GRADE IS NULL)
            FROM {NEW} p LEFT JOIN {_exam(NEW)} e
              ON e.KS4_PupilMatchingRefAnonymous = p.KS4_PupilMatchingRefAnonymous
             AND e.KS4_ACADYR = p.KS4_ACADYR AND e.KS4_MAPPING = '{code}'
             AND e.KS4_GRADE GLOB '[1-9]'
            WHERE p.KS4_ENTRIES > 0 AND substr(p.KS4_ACADYR, 1, 4) IN ({years})""").fetchone()
        graded = db.execute(f"""SELECT count(*) FROM {_exam(NEW)} WHERE KS4_MAPPING = '{code}'
            AND KS4_GRADE GLOB '[1-9]' AND KS4_ACADYR >= '2017/2018'""").fetchone()[0]
        if graded == 0:  # a rare subject no reformed pupil of the small run sits
            continue
        assert (missing, wrong, extra) == (0, 0, 0), (column, rows, missing, wrong, extra)
        checked += 1
    assert checked >= 15


SEPARATE = "('1010', '1110', '1210')"
"""Biology, chemistry and physics (plams.mapping)."""


def test_separate_sciences_replace_double_award(db) -> None:
    """A pupil sits double award science or all three separate sciences (biology, chemistry,
    physics), never both and never one or two of them; KS4_ALLSCI (to 2012/13) and
    KS4_TRIPLESCI_E (from 2015/16) flag the second, a fifth of pupils or so from the 2010s, and
    KS4_APBIO / _APCHE / _APPHY hold their grades."""
    for view, flag in (("KS4Pupil_2002_to_2014", "KS4_ALLSCI"), (NEW, "KS4_TRIPLESCI_E")):
        pupils, mixed, partial, wrong, triple, biology = db.execute(f"""
            WITH s AS (SELECT KS4_PupilMatchingRefAnonymous AS pmr, KS4_ACADYR AS yr,
                              sum(KS4_MAPPING IN {SEPARATE}) AS separate,
                              sum(KS4_MAPPING = '1370') AS double,
                              max(CASE WHEN KS4_MAPPING = '1010' THEN KS4_GRADE END) AS bio
                       FROM {_exam(view)} GROUP BY 1, 2)
            SELECT count(*), sum(s.separate > 0 AND s.double > 0),
                   sum(s.separate NOT IN (0, 3)), sum(p.{flag} IS NOT (s.separate = 3)),
                   sum(s.separate = 3), sum(p.KS4_APBIO{'' if view != NEW else '_PTQ_EE'}
                                            IS NOT s.bio AND s.bio GLOB '[A-Z*]')
            FROM {view} p JOIN s ON s.pmr = p.KS4_PupilMatchingRefAnonymous AND s.yr = p.KS4_ACADYR
            WHERE p.{flag} IS NOT NULL AND p.KS4_ENTRIES > 0""").fetchone()
        assert pupils > 100 and (mixed, partial, wrong, biology) == (0, 0, 0, 0), view
        assert 0.05 < triple / pupils < 0.4, (view, triple, pupils)


def test_attainment_8_slots_hold_the_best_ebacc_gcses(db) -> None:
    """The EBacc slots (KS4_A8EBAC rows) hold the pupil's three best EBacc GCSEs (sciences,
    humanities, languages), so no EBacc GCSE left to an open slot beats one in an EBacc slot;
    KS4_EBACSCR is their points and Attainment 8 counts every GCSE filling a slot (the
    KS4_A8ENG, KS4_A8MAT, KS4_A8EBAC and KS4_A8OTH rows; the extra GCSEs fill none). With
    separate sciences a science fills an EBacc slot beyond the first."""
    exam = _exam(NEW)
    pupils, beaten, bad_score, bad_a8, moved = db.execute(f"""
        WITH e AS (SELECT KS4_PupilMatchingRefAnonymous AS pmr, KS4_ACADYR AS yr,
                          min(CASE WHEN KS4_A8EBAC = 1 THEN {GRADE_91} END) AS worst_ebacc,
                          max(CASE WHEN KS4_A8OTH = 1 AND (KS4_MAPPING IN {SEPARATE}
                                   OR KS4_EBACCNOTSCI = 1) THEN {GRADE_91} END) AS best_left,
                          sum(KS4_A8EBAC * {GRADE_91}) AS ebacc,
                          sum(KS4_A8POINTS * (KS4_A8ENG + KS4_A8MAT + KS4_A8EBAC + KS4_A8OTH))
                              AS a8,
                          sum(KS4_A8EBAC = 1 AND KS4_MAPPING IN {SEPARATE}) AS sciences
                   FROM {exam} GROUP BY 1, 2)
        SELECT count(*), sum(e.best_left > e.worst_ebacc),
               sum(abs(p.KS4_EBACSCR - e.ebacc) > 0.001), sum(abs(p.KS4_ATT8 - e.a8) > 0.001),
               sum(e.sciences > 1)
        FROM {NEW} p JOIN e ON e.pmr = p.KS4_PupilMatchingRefAnonymous AND e.yr = p.KS4_ACADYR
        WHERE p.KS4_ENTRIES > 0""").fetchone()
    assert pupils > 100 and (beaten, bad_score, bad_a8) == (0, 0, 0)
    assert moved > 5


def test_science_pillar_is_two_good_sciences(db) -> None:
    """The EBacc science pillar (KS4_EBAC2SCI to 2012/13, _94 from 2017/18) and two good
    science GCSEs (KS4_LEV2SCI2) mean double award science at the grade, or two of the three
    separate sciences; KS4_LEV2SCIA (double award) is 0 for separate scientists, and
    KS4_PASS2SCIA (two good of three) 0 for double award pupils."""
    # (the grade: a 4 or a C, KS4_LEV2, in both views; KS4_POINTS is on each year's scale)
    for view, pillar, year in (("KS4Pupil_2002_to_2014", "KS4_EBAC2SCI", "2009"),
                               (NEW, "KS4_EBAC2SCI_94", "2017")):
        extra = "" if view == NEW else ", sum(p.KS4_LEV2SCI2 IS NOT s.two), " \
            "sum(p.KS4_LEV2SCIA IS NOT s.dbl_ok), sum(p.KS4_PASS2SCIA IS NOT (s.sep >= 2))"
        found = db.execute(f"""
            WITH s AS (SELECT KS4_PupilMatchingRefAnonymous AS pmr, KS4_ACADYR AS yr,
                              max(KS4_MAPPING = '1370' AND KS4_LEV2 = 1) AS dbl_ok,
                              sum(KS4_MAPPING IN {SEPARATE} AND KS4_LEV2 = 1) AS sep
                       FROM {_exam(view)} GROUP BY 1, 2),
                 t AS (SELECT *, (dbl_ok = 1 OR sep >= 2) AS two FROM s)
            SELECT count(*), sum(s.sep >= 2), sum(p.{pillar} IS NOT s.two){extra}
            FROM {view} p JOIN t s ON s.pmr = p.KS4_PupilMatchingRefAnonymous
                                  AND s.yr = p.KS4_ACADYR
            WHERE p.KS4_ACADYR >= '{year}' AND p.{pillar} IS NOT NULL
              AND p.KS4_ENTRIES > 0""").fetchone()
        assert found[0] > 50 and found[1] > 5 and set(found[2:]) == {0}, (view, found)


def test_ebacc_qualifications_are_flagged_whichever_slot_they_fill(db) -> None:
    """KS4_QEBACC_PTQ_EE (qualification included in the EBacc) is 1 on English and maths slot
    rows and on every science, humanity and language row, also a humanity or language left to
    an open slot by separate sciences, and 0 on the other open subjects."""
    exam = _exam(NEW)
    rows, wrong, demoted = db.execute(f"""
        SELECT count(*),
               sum(KS4_QEBACC_PTQ_EE IS NOT (KS4_A8ENG = 1 OR KS4_A8MAT = 1
                   OR KS4_MAPPING IN {SEPARATE} OR KS4_MAPPING = '1370'
                   OR KS4_EBACCNOTSCI = 1)),
               sum(KS4_A8OTH = 1 AND KS4_EBACCNOTSCI = 1)
        FROM {exam} WHERE KS4_QEBACC_PTQ_EE IS NOT NULL""").fetchone()
    assert rows > 500 and wrong == 0 and demoted > 0, (rows, wrong, demoted)


def test_listed_grade_columns_hold_every_grade(db, catalog) -> None:
    """A KS4_AP<subject> column with a code list holds the grade of every pupil with a GCSE in
    the subject in its years, spelt as the list has it: the VRF lists some grades bare (`A, B,
    C`, `AA, AB, ...` beside `* = A*`), which the code lists take too (code_list_amendments.csv;
    English literature's and double award science's letter grades were NULL but for A*)."""
    checked = 0
    for view in VIEWS:
        for column in _columns(db, view):
            found = re.fullmatch(r"KS4_AP([A-Z]+?)(_PTQ|_PTQ_EE)?", column)
            if not found or found.group(1) in ("KN", "ENG") or found.group(1) not in AP_SUBJECTS:
                continue
            spec = catalog.table("ks4_pupil").column(column)
            if not spec.codes:
                continue
            years = ", ".join(f"'{year}'" for year in spec.years)
            rows, missing = db.execute(f"""
                SELECT count(*), sum(p.{column} IS NULL)
                FROM {view} p JOIN {_exam(view)} e
                  ON e.KS4_PupilMatchingRefAnonymous = p.KS4_PupilMatchingRefAnonymous
                 AND e.KS4_ACADYR = p.KS4_ACADYR
                 AND e.KS4_MAPPING = '{AP_SUBJECTS[found.group(1)]}'
                WHERE p.KS4_ENTRIES > 0 AND substr(p.KS4_ACADYR, 1, 4) IN ({years})""").fetchone()
            if rows:
                assert missing == 0, (view, column, rows, missing)
                checked += 1
    assert checked >= 3


def test_some_pupils_sit_two_humanities_or_two_languages(db) -> None:
    """About a tenth of pupils sit both history and geography and a few two languages
    (SECOND_SUBJECT_SHARES of those with one, as their grades allow); KS4_ENTERED_HIST_GEOG
    flags the first, and the EBacc humanity and language pillars (KS4_EBACHUM_94,
    KS4_EBACLAN_94) read the better of the two."""
    exam = _exam(NEW)
    languages = ", ".join(f"'{code}'" for code in sorted(LANGUAGES))
    pupils, both, two_languages, bad_flag, bad_pillars = db.execute(f"""
        WITH h AS (SELECT KS4_PupilMatchingRefAnonymous AS pmr, KS4_ACADYR AS yr,
                          max(KS4_MAPPING = '4010') AND max(KS4_MAPPING = '3910') AS both_,
                          sum(KS4_MAPPING IN ({languages})) AS languages,
                          max(CASE WHEN KS4_MAPPING IN ('4010', '3910') THEN KS4_POINTS END)
                            AS humanity,
                          max(CASE WHEN KS4_MAPPING IN ({languages}) THEN KS4_POINTS END)
                            AS language
                   FROM {exam} GROUP BY 1, 2)
        SELECT count(*), sum(h.both_), sum(h.languages = 2),
               sum(p.KS4_ENTERED_HIST_GEOG IS NOT NULL AND p.KS4_ENTERED_HIST_GEOG <> h.both_),
               sum(p.KS4_EBACHUM_94 IS NOT NULL
                   AND p.KS4_EBACHUM_94 <> (coalesce(h.humanity, 0) >= 4))
               + sum(p.KS4_EBACLAN_94 IS NOT NULL
                     AND p.KS4_EBACLAN_94 <> (coalesce(h.language, 0) >= 4))
        FROM {NEW} p JOIN h ON h.pmr = p.KS4_PupilMatchingRefAnonymous AND h.yr = p.KS4_ACADYR
        WHERE p.KS4_ENTRIES > 0""").fetchone()
    assert pupils > 100 and 0.04 < both / pupils < 0.2, (pupils, both)
    assert 0 < two_languages < 0.12 * pupils, (pupils, two_languages)
    assert (bad_flag, bad_pillars) == (0, 0)
