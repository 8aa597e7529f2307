"""KS1-KS3 measures agree with the results they are derived from, checked on the suite's small
run with SQL as a researcher would (rules: ``schemas/rules/ks1.yaml``, ``ks2_pupil.yaml``,
``ks2_exam.yaml``, ``ks3_pupil.yaml``, ``ks3_result.yaml``): levels are the marks' bands,
papers add up to the test mark, flags and points follow the levels, prior attainment is the
pupil's own earlier row, exam rows agree with the pupil row. Plus the derivations' edge cases
(NULL prior attainment, band edges) on hand-made frames.
"""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest
from conftest import one as _one

from leo_synth.relations.derive import DERIVATIONS
from leo_synth.relations.ks123_results import (
    KS1_CODES,
    KS2_BANDS,
    READ_BANDS,
    SCIENCE_BANDS,
    _writing_2016,
    fine_level,
    ks1_indices,
    level_of_mark,
    marks_in_bands,
    split_mark,
)
from leo_synth.relations.values import Masked
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.parameters import load_parameters
from leo_synth.simulation.series import interpolate

KS1 = "KS1_1998_to_2012"
KS2 = "KS2Pupil_1996_to_2016"
KS2_EXAM = "KS2Exam_1996_to_2016"
KS3 = "KS3Pupil_1998_to_2013"
KS3_RESULT = "KS3Result_1998_to_2013"
KS1_POINTS_SQL = ("CASE {c} WHEN 'W' THEN 3 WHEN '1' THEN 9 WHEN '2C' THEN 13 WHEN '2B' THEN 15 "
                  "WHEN '2A' THEN 17 WHEN '3' THEN 21 WHEN '4' THEN 27 END")
KS1_WHOLE_SQL = ("CASE {c} WHEN 'W' THEN 0 WHEN '1' THEN 1 WHEN '3' THEN 3 WHEN '4' THEN 4 "
                 "ELSE 2 END")


@pytest.fixture(scope="module")
def db(small_sqlite_connection: sqlite3.Connection) -> sqlite3.Connection:
    return small_sqlite_connection




def _band(mark: str, cuts: tuple[int, ...], lowest: int) -> str:
    """SQL for the level of a mark by its thresholds."""
    whens = " ".join(f"WHEN {mark} >= {cut} THEN {lowest + len(cuts) - i}"
                     for i, cut in enumerate(reversed(cuts)))
    return f"CASE {whens} ELSE {lowest} END"


# -- KS2 pupil -----------------------------------------------------------------------------------

def test_ks2_papers_add_up_and_levels_are_the_marks(db) -> None:
    """Reading + writing = English; spelling and handwriting sit inside writing; maths papers
    A + B + mental = maths; science A + B = science; reading level is the reading mark's band;
    the fine level lies in its level."""
    checks = {
        "CAST(KS2_READMRK AS INT) + CAST(KS2_ENGWRITMRK AS INT) <> KS2_ENGTOTMRK":
            "KS2_ENGWRITMRK",
        "CAST(KS2_ENGSPELLMRK AS INT) > 7 OR CAST(KS2_ENGHNDWRMRK AS INT) > 3 OR "
        "CAST(KS2_ENGSPELLMRK AS INT) + CAST(KS2_ENGHNDWRMRK AS INT) "
        "> CAST(KS2_ENGWRITMRK AS INT)": "KS2_ENGHNDWRMRK",
        "CAST(KS2_MATTESTAMRK AS INT) + CAST(KS2_MATTESTBMRK AS INT) "
        "+ CAST(KS2_MATARTHMRK AS INT) <> CAST(KS2_MATTOTMRK AS INT)": "KS2_MATARTHMRK",
        "CAST(KS2_SCITESTAMRK AS INT) + CAST(KS2_SCITESTBMRK AS INT) <> KS2_SCITOTMRK":
            "KS2_SCITESTAMRK",
        # science is scored out of 80, two papers of 40 (the VRF's ranges), its level the band
        f"KS2_SCITOTMRK > 80 OR CAST(KS2_SCITESTAMRK AS INT) > 40 "
        f"OR CAST(KS2_SCITESTBMRK AS INT) > 40 OR KS2_SCILEV <> "
        f"{_band('KS2_SCITOTMRK', tuple(SCIENCE_BANDS[1:4]), 2)}": "KS2_SCITOTMRK",
        # (reading: level 5 at most; others' level 6 only from 2011/12, when its tests began)
        f"KS2_READLEV <> min(5, {_band('CAST(KS2_READMRK AS INT)', tuple(READ_BANDS[1:5]), 2)})":
            "KS2_READLEV",
        "KS2_ACADYR < '2011' AND (KS2_ENGLEV > 5 OR KS2_MATLEV > 5 OR KS2_ENGFINE >= 6)":
            "KS2_MATLEV",
        "CAST(KS2_ENGFINE AS INT) <> KS2_ENGLEV OR KS2_ENGFINE < KS2_ENGLEV": "KS2_ENGFINE",
    }
    for bad_when, column in checks.items():
        rows, bad = _one(db, f"SELECT count(*), sum({bad_when}) FROM {KS2} "
                             f"WHERE {column} IS NOT NULL AND KS2_ENGTOTMRK IS NOT NULL")
        assert rows > 20 and bad == 0, column


def test_ks2_2016_papers_and_scaled_scores(db) -> None:
    """2015/16: maths papers add up to the raw mark (110), GPS papers to the GPS mark, the
    scaled scores rise with the raw mark and 100 sits at the stated raw mark."""
    read_100 = load_parameters(None)["key_stages.ks2_2016_scores"]["read"][0]
    rows, bad_mat, bad_gps, bad_read, bad_exp = _one(db, f"""
        SELECT count(*),
          sum(CAST(KS2_MATARITHMRK AS INT) + CAST(KS2_MATPAPER2MRK AS INT)
              + CAST(KS2_MATPAPER3MRK AS INT) <> CAST(KS2_MATMRK AS INT)),
          sum(CAST(KS2_GPSPAPER1MRK AS INT) + CAST(KS2_GPSPAPER2MRK AS INT)
              <> CAST(KS2_GPSMRK AS INT)),
          sum((CAST(KS2_READMRK AS INT) >= {read_100}) <> (KS2_READSCORE >= 100)),
          sum(KS2_READEXP <> (KS2_READSCORE >= 100) OR KS2_GPSEXP <> (KS2_GPSSCORE >= 100)
              OR KS2_GPSOUTCOME <> CASE WHEN KS2_GPSSCORE >= 100 THEN 'AS' ELSE 'NS' END
              OR KS2_RWMEXP <> (KS2_READSCORE >= 100 AND KS2_MATSCORE >= 100
                                AND KS2_WRITTAOUTCOME IN ('EXS', 'GDS')))
        FROM {KS2} WHERE KS2_ACADYR = '2015/2016'""")
    assert rows > 5
    assert (bad_mat, bad_gps, bad_read, bad_exp) == (0, 0, 0, 0)
    (decreasing,) = _one(db, f"""
        SELECT count(*) FROM {KS2} a JOIN {KS2} b ON a.KS2_ACADYR = b.KS2_ACADYR
        WHERE a.KS2_ACADYR = '2015/2016'
          AND CAST(a.KS2_MATMRK AS INT) > CAST(b.KS2_MATMRK AS INT)
          AND a.KS2_MATSCORE < b.KS2_MATSCORE""")
    assert decreasing == 0


def test_ks2_flags_follow_levels(db) -> None:
    rows, bad = _one(db, f"""
        SELECT count(*), sum(
          KS2_LEVAXREAD <> (KS2_READLEV >= 5) OR KS2_LEVBXREAD <> (KS2_READLEV <= 3)
          OR KS2_LEV6READ <> (KS2_READLEV >= 6) OR KS2_LEV6MAT <> (KS2_MATLEV >= 6)
          OR KS2_LEV4BREAD <> (KS2_READFINE >= 4.33) OR KS2_LEV4BMAT <> (KS2_MATFINE >= 4.33)
          OR KS2_LEVXGPS <> (CAST(KS2_GPSLEV AS INT) >= 4)
          OR KS2_LEVXREADWRITTAMAT <> (KS2_READLEV >= 4 AND KS2_MATLEV >= 4
                                       AND CAST(KS2_WRITLEVTA AS INT) >= 4)
          OR KS2_LEV6READMAT <> (KS2_READLEV >= 6 OR KS2_MATLEV >= 6)
          OR KS2_LEVXEMSTA <> (KS2_LEVXENGTA AND KS2_LEVXMATTA AND KS2_LEVXSCITA))
        FROM {KS2} WHERE KS2_ACADYR BETWEEN '2012' AND '2015/2016'
                     AND KS2_LEV4BREAD IS NOT NULL""")
    assert rows > 20 and bad == 0


def test_ks2_prior_attainment_is_the_pupils_ks1_row(db) -> None:
    """KS1 levels, points and APS on the KS2 row are those of the same pupil's KS1 row, and
    progress is the KS2 level minus the KS1 whole level."""
    rows, bad_level, bad_points, bad_aps, bad_progress = _one(db, f"""
        SELECT count(*),
          sum(k2.KS2_PRREADLEV <> k1.KS1_READING OR k2.KS2_PRMATLEV <> k1.KS1_MATHS),
          sum(k2.KS2_KS1READPS <> {KS1_POINTS_SQL.format(c='k1.KS1_READING')}
              OR k2.KS2_KS1MATPS <> {KS1_POINTS_SQL.format(c='k1.KS1_MATHS')}),
          sum(abs(k2.KS2_KS1APS - ({KS1_POINTS_SQL.format(c='k1.KS1_READING')}
                                  + {KS1_POINTS_SQL.format(c='k1.KS1_WRITING')}
                                  + {KS1_POINTS_SQL.format(c='k1.KS1_MATHS')}) / 3.0) > 0.01),
          sum(CAST(k2.KS2_PROGMATH12 AS INT)
              <> k2.KS2_MATLEV - {KS1_WHOLE_SQL.format(c='k1.KS1_MATHS')})
        FROM {KS2} k2 JOIN {KS1} k1
          ON k1.KS1_PupilMatchingRefAnonymous = k2.KS2_PupilMatchingRefAnonymous
        WHERE k2.KS2_ACADYR >= '2014'""")
    assert rows > 20
    assert (bad_level, bad_points, bad_aps, bad_progress) == (0, 0, 0, 0)
    missing, = _one(db, f"""SELECT count(*) FROM {KS2} WHERE KS2_ACADYR >= '2014'
                            AND (KS2_KS1READPS IS NULL) <> (KS2_INKS12VA = 0)""")
    assert missing == 0


def test_value_added_lines_move_by_the_years_offset(db) -> None:
    """KS2's prediction is 12 + the KS1 APS plus the year's ``va_offset``, one offset per
    year, the parameters' (so a year's value added is centred); 2016's is 80 + 1.4 x the KS1
    APS plus the subject's ``progress_offset``."""
    params = load_parameters(None)
    rows = db.execute(f"""
        SELECT KS2_ACADYR, min(KS2_VAREADPRED1 - 12 - KS2_KS1APS),
               max(KS2_VAREADPRED1 - 12 - KS2_KS1APS)
        FROM {KS2} WHERE KS2_VAREADPRED1 IS NOT NULL GROUP BY 1""").fetchall()
    assert len(rows) >= 2
    for label, low, high in rows:
        offset = interpolate(params["key_stages.ks2.va_offset"], np.array([int(label[:4])]))[0]
        assert abs(low - offset) < 0.02 and abs(high - offset) < 0.02, label
    for short in ("READ", "WRIT", "MAT"):  # the 2016 progress lines, below their cap
        low, high = _one(db, f"""
            SELECT min(KS2_KS2{short}PRED - 80 - 1.4 * KS2_KS1APS),
                   max(KS2_KS2{short}PRED - 80 - 1.4 * KS2_KS1APS)
            FROM {KS2} WHERE KS2_KS2{short}PRED < 119""")
        offset = params["key_stages.ks2.progress_offset"][short.lower()]
        assert abs(low - offset) < 0.03 and abs(high - offset) < 0.03, short
    frame = Frame(ks1read=np.array([3, 3]), ks1writ=np.array([3, 3]), ks1mat=np.array([3, 3]),
                  va_offset=np.array([0.0, 2.5]))
    pred = _derive("ks_value_added", frame, what="pred", of=["ks1read"], intercept=12, slope=1,
                   offset="va_offset", cap=29)
    assert list(pred) == [27.0, 29.0]  # 12 + 2B's 15, plus the offset, at most the cap


def test_ks2_value_added_is_actual_minus_predicted(db) -> None:
    rows, bad = _one(db, f"""
        SELECT count(*), sum(abs(KS2_VAREADSCORE - (min(6 * KS2_READFINE + 3, 39)
                                                     - KS2_VAREADPRED))
                             > 0.011 OR abs(KS2_READPROGSCORE - (KS2_READSCORE
                                            - KS2_KS2READPRED)) > 0.011)
        FROM {KS2} WHERE KS2_VAREADSCORE IS NOT NULL OR KS2_READPROGSCORE IS NOT NULL""")
    assert rows > 20 and bad == 0


def test_ks2_fine_graded_points_stop_at_level_6(db) -> None:
    """Fine-graded points (KS2_KS2<s>FG, KS2_KS2APSFG and the VA scores' actual points) stop at
    level 6's 39, the VRF's 3.00-39.00, though a level 6 pupil's fine level runs past 6 (up to
    44 points before)."""
    rows, bad, level_6 = _one(db, f"""
        SELECT count(*), sum(abs(KS2_KS2MATFG - min(6 * KS2_MATFINE + 3, 39)) > 0.005
                             OR abs(KS2_VAMATSCORE - (KS2_KS2MATFG - KS2_VAMATPRED)) > 0.011),
               sum(KS2_MATFINE > 6)
        FROM {KS2} WHERE KS2_KS2MATFG IS NOT NULL AND KS2_VAMATSCORE IS NOT NULL""")
    assert rows > 20 and bad == 0 and level_6 > 0
    over, = _one(db, f"SELECT count(*) FROM {KS2} WHERE KS2_KS2APSFG > 39")
    assert over == 0


LEVEL_POINTS_SQL = "(6 * CAST({c} AS INT) + 3)"


def test_median_value_added_is_on_level_points(db) -> None:
    """The 2002/03-2005/06 value added of KS2 and KS3 works on points by level, as the VRF's
    legends say (KS2 5 = 33 ... 2 and below = 15; KS3 up to 8 = 51): VAINPUT is the prior
    stage's APS, VAOUTPUT the stage's, MEDIAN an APS three levels can make (within the VRF's
    0-33 at KS2) and VASCOREP the distance between them, not centred on 100. They held fine
    grades (KS2 VAOUTPUT up to 38.9, MEDIAN up to 40.8), VAINPUT a level code and VASCOREP
    100 plus the distance."""
    ks2_aps = " + ".join(LEVEL_POINTS_SQL.format(c=f"KS2_{s}LEV") for s in ("ENG", "MAT", "SCI"))
    rows, bad, above, below = _one(db, f"""
        SELECT count(*), sum(abs(KS2_VAOUTPUT - ({ks2_aps}) / 3.0) > 0.01
                             OR abs(KS2_VAINPUT - KS2_KS1APS) > 0.01 AND KS2_KS1APS IS NOT NULL
                             OR KS2_VAINPUT NOT BETWEEN 0 AND 27
                             OR KS2_MEDIAN NOT BETWEEN 15 AND 33
                             OR CAST(KS2_MEDIAN AS INT) % 2 = 0
                             OR abs(KS2_VASCOREP - (KS2_VAOUTPUT - KS2_MEDIAN)) > 0.01),
               sum(KS2_VASCOREP > 0), sum(KS2_VASCOREP < 0)
        FROM {KS2} WHERE KS2_MEDIAN IS NOT NULL""")
    assert rows > 20 and bad == 0
    assert 0.6 < above / below < 1.6  # the median line splits pupils about evenly
    ks3_aps = " + ".join(LEVEL_POINTS_SQL.format(c=f"k3.KS3_{s}LEV")
                         for s in ("ENG", "MAT", "SCI"))
    prior = " + ".join(LEVEL_POINTS_SQL.format(c=f"k2.KS2_{s}LEV") for s in ("ENG", "MAT", "SCI"))
    rows, bad, above, below = _one(db, f"""
        SELECT count(*), sum(abs(k3.KS3_VAOUTPUT - ({ks3_aps}) / 3.0) > 0.01
                             OR abs(k3.KS3_VAINPUT - ({prior}) / 3.0) > 0.01
                             OR CAST(k3.KS3_MEDIAN AS INT) % 2 = 0
                             OR abs(k3.KS3_VASCOREP - (k3.KS3_VAOUTPUT - k3.KS3_MEDIAN)) > 0.01),
               sum(k3.KS3_VASCOREP > 0), sum(k3.KS3_VASCOREP < 0)
        FROM {KS3} k3 JOIN {KS2} k2
          ON k2.KS2_PupilMatchingRefAnonymous = k3.KS3_PupilMatchingRefAnonymous
        WHERE k3.KS3_MEDIAN IS NOT NULL""")
    assert rows > 20 and bad == 0
    assert 0.6 < above / below < 1.6  # the median line splits pupils about evenly


# -- KS1 -----------------------------------------------------------------------------------------

def test_ks1_flags_points_and_pscales_follow_the_outcomes(db) -> None:
    points = {c: KS1_POINTS_SQL.format(c=f"KS1_{c}") for c in ("READING", "WRITING", "MATHS")}
    checks = {
        "KS1_LEVXREAD <> (KS1_READING NOT IN ('W', '1')) "
        "OR KS1_LEV2BMAT <> (KS1_MATHS IN ('2B', '2A', '3', '4')) "
        "OR KS1_LEVAXWRIT <> (KS1_WRITING IN ('3', '4')) "
        "OR KS1_LEVLREAD <> (KS1_READING IN ('W', '1'))": "KS1_LEVXREAD IS NOT NULL",
        f"KS1_READOTPS <> {points['READING']}": "KS1_READOTPS IS NOT NULL",
        f"abs(KS1_APSRWM - ({points['READING']} + {points['WRITING']} + {points['MATHS']}) "
        "/ 3.0) > 0.006": "KS1_APSRWM IS NOT NULL",
        "(KS1_PSREAD IS NOT NULL) <> (KS1_READING = 'W')":  # P-scales from 2007/08
            "KS1_ACADYR >= '2007'",
    }
    for bad_when, where in checks.items():
        rows, bad = _one(db, f"SELECT count(*), sum({bad_when}) FROM {KS1} WHERE {where}")
        assert rows > 5 and bad == 0, bad_when


def test_ks2_2016_writing_is_the_standard_of_its_mark() -> None:
    """From 2015/16 the writing assessment starts from the standard the writing mark reaches
    (levels 3-5 stand for WTS, EXS, GDS); before, from the writing level."""
    mark = np.array([5, 11, 20, 21, 48, 49, 50, 49])
    level = np.full(8, 4)
    year = np.array([2015] * 7 + [2014])
    assert list(_writing_2016(mark, level, year, [11, 21, 49])) == [2, 3, 3, 4, 4, 5, 5, 4]


def test_ks1_outcome_is_the_band_of_its_score() -> None:
    """W below level 1, 2C/2B/2A inside level 2 at the sublevel cuts, whole levels in
    science."""
    score = np.array([0.4, 1.9, 2.0, 2.27, 2.28, 2.63, 2.64, 2.99, 3.0, 3.99, 4.0, 5.5])
    out = ks1_indices(Frame(scores=np.column_stack([score] * 4)))
    assert list(KS1_CODES[out["reading"]]) == ["W", "1", "2C", "2C", "2B", "2B", "2A", "2A",
                                               "3", "3", "4", "4"]
    assert (out["maths"] == out["reading"]).all()
    assert list(KS1_CODES[out["science"]][2:8]) == ["2B"] * 6  # level 2, recorded as "2"


# -- exam and result rows ------------------------------------------------------------------------

def test_ks2_exam_rows_agree_with_the_pupil_row(db) -> None:
    rows, bad_sum, bad_pupil = _one(db, f"""
        SELECT count(*),
          sum(CAST(e.KS2_T1MARK AS INT) + CAST(e.KS2_T2MARK AS INT) + CAST(e.KS2_T3MARK AS INT)
              + coalesce(CAST(e.KS2_T4MARK AS INT), 0) <> e.KS2_TESTMARK),
          sum(e.KS2_TESTMARK <> CASE e.KS2_EXAMNO WHEN 1 THEN p.KS2_ENGTOTMRK
                                 WHEN 2 THEN CAST(p.KS2_MATTOTMRK AS INT) END
              OR e.KS2_TESTLEV <> CASE e.KS2_EXAMNO WHEN 1 THEN p.KS2_ENGLEV
                                  WHEN 2 THEN p.KS2_MATLEV END)
        FROM {KS2_EXAM} e JOIN {KS2} p
          ON p.KS2_PupilMatchingRefAnonymous = e.KS2_PUPILMATCHINGREFANONYMOUS
         AND p.KS2_ACADYR = e.KS2_ACADYR
        WHERE e.KS2_EXAMNO IN (1, 2) AND e.KS2_T1MARK IS NOT NULL
          AND e.KS2_ACADYR < '2015/2016'""")
    assert rows > 20 and bad_sum == 0 and bad_pupil == 0


def test_ks3_papers_add_up_and_results_agree(db) -> None:
    rows, bad_eng, bad_mat = _one(db, f"""
        SELECT count(*),
          sum(CAST(KS3_ENGRDTOTMRK AS INT) + CAST(KS3_ENGWRTOTMRK AS INT)
              <> CAST(KS3_ENGTOTMRK AS INT)
              OR CAST(KS3_ENGREADMRK AS INT) + CAST(KS3_ENGRDSHMRK AS INT)
                 <> CAST(KS3_ENGRDTOTMRK AS INT)),
          sum(CAST(KS3_MATPAP1MRK AS INT) + CAST(KS3_MATPAP2MRK AS INT)
              + CAST(KS3_MATARTHMRK AS INT) <> CAST(KS3_MATTOTMRK AS INT)
              OR KS3_MATLEV <> {_band('CAST(KS3_MATTOTMRK AS INT)', (14, 31, 51, 71, 91), 3)})
        FROM {KS3} WHERE KS3_ENGRDTOTMRK IS NOT NULL AND KS3_MATPAP1MRK IS NOT NULL""")
    assert rows > 5 and bad_eng == 0 and bad_mat == 0
    rows, bad_sum, bad_level = _one(db, f"""
        SELECT count(*),
          sum(CAST(KS3_T1MARK AS INT) + CAST(KS3_T2MARK AS INT)
              + coalesce(CAST(KS3_T3MARK AS INT), 0) + coalesce(CAST(KS3_T4MARK AS INT), 0)
              <> KS3_TESTMARK),
          sum(CAST(KS3_TESTLEV AS INT) <> CASE KS3_LEAPCODE
              WHEN 9992 THEN {_band('KS3_TESTMARK', (14, 31, 51, 71, 91), 3)}
              ELSE {_band('KS3_TESTMARK', (14, 31, 51, 71), 3)} END)
        FROM {KS3_RESULT} WHERE KS3_T1MARK IS NOT NULL""")
    assert rows > 20 and bad_sum == 0 and bad_level == 0


def test_ks3_prior_attainment_is_the_pupils_ks2_row(db) -> None:
    rows, bad = _one(db, f"""
        SELECT count(*), sum(k3.KS3_ENGLEVKS2 <> k2.KS2_ENGLEV
                             OR k3.KS3_PROGENG23 <> k3.KS3_ENGLEV - k2.KS2_ENGLEV)
        FROM {KS3} k3 JOIN {KS2} k2
          ON k2.KS2_PupilMatchingRefAnonymous = k3.KS3_PupilMatchingRefAnonymous
        WHERE k3.KS3_ENGLEVKS2 IS NOT NULL""")
    assert rows > 5 and bad == 0


# -- the derivations on hand-made frames ---------------------------------------------------------

def test_marks_levels_and_papers_helpers() -> None:
    score = np.array([1.5, 2.0, 3.999, 4.0, 4.5, 5.2, 6.9, 7.5])
    marks = marks_in_bands(score, KS2_BANDS, 2)
    levels = level_of_mark(marks, KS2_BANDS, 2)
    assert list(levels) == [2, 2, 3, 4, 4, 5, 6, 6]
    assert (np.floor(fine_level(marks, KS2_BANDS, 2)) == levels).all()
    parts = split_mark(np.array([0, 37, 100, 55]), (40, 40, 20), np.random.default_rng(1))
    assert (sum(parts) == [0, 37, 100, 55]).all()
    for part, top in zip(parts, (40, 40, 20), strict=True):
        assert ((part >= 0) & (part <= top)).all()


def _derive(name: str, frame: Frame, **params) -> object:
    return DERIVATIONS[name](frame, None, None, np.random.default_rng(0), params)


def test_prior_measures_are_null_without_a_prior_row() -> None:
    frame = Frame(ks1read=np.array([0, 3, -1]), ks1writ=np.array([1, 3, -1]),
                  ks1mat=np.array([6, 3, -1]), matlev=np.array([3, 4, 5]),
                  eal_flag=np.array([1, 0, 1]))
    aps = _derive("ks_prior", frame, what="aps")
    assert isinstance(aps, Masked) and list(aps.null) == [False, False, True]
    assert list(aps.values[:2]) == [13.0, 15.0]  # (3 + 9 + 27) / 3, 2B everywhere
    progress = _derive("ks_progress", frame, of="matlev", prior="ks1mat", at_least=2)
    assert list(progress.values[:2]) == [0, 1] and progress.null[2]
    band = _derive("ks_prior", frame, cuts=[12, 18], codes=["1", "2", "3"])
    assert list(band.values[:2]) == ["2", "2"]
    assert list(_derive("ks_prior", frame, what="present")) == [1, 1, 0]
    flag = _derive("ks_flag", frame, of=["ks1read", "ks1mat"], at_least=3, prior=True)
    assert list(flag.values[:2]) == [0, 1] and flag.null[2]


def test_ks3_in_care_at_school_follows_the_care_periods(db) -> None:
    """KS3_INCAREEV = 1 only for a pupil with a period of care (the CLA table) started by the 31
    March of the KS3 year, and 1 for every pupil looked after for a day in the year to that 31
    March (CLA_PP_1_DAY), who is at the school that year."""
    rows, bad_ever, bad_year = _one(db, """
        SELECT count(*),
               sum(k.KS3_INCAREEV = 1 AND NOT EXISTS (
                   SELECT 1 FROM cla_2006_to_2021 c
                   WHERE c.cla_PupilMatchingRefAnonymous = k.KS3_PupilMatchingRefAnonymous
                     AND c.cla_POC_START <= (CAST(substr(k.KS3_ACADYR, 1, 4) AS INT) + 1)
                                            || '-03-31')),
               sum(k.KS3_INCAREEV = 0 AND EXISTS (
                   SELECT 1 FROM cla_2006_to_2021 c
                   WHERE c.cla_PupilMatchingRefAnonymous = k.KS3_PupilMatchingRefAnonymous
                     AND c.CLA_CLA_PP_1_DAY = 1
                     AND c.cla_PROCESSING_YEAR = CAST(substr(k.KS3_ACADYR, 1, 4) AS INT) + 1))
        FROM KS3Pupil_1998_to_2013 k WHERE k.KS3_INCAREEV IS NOT NULL""")
    assert rows > 30 and bad_ever == 0 and bad_year == 0


def test_school_type_is_the_schools_in_the_year(db) -> None:
    """KS2 and KS3 NFTYPE is the school's in the year, one per school and year across both
    stages, its ToE_CODE the matching Edubase type, and the KS2 MMSCH flags are its
    NFTYPE = ANY(...) rules, so a special-school pupil is not counted in mainstream; primary
    academies appear from 2010/11, after the Academies Act."""
    toe = "(21, 1), (22, 2), (23, 3), (24, 5), (26, 7), (27, 12), (20, 28), (51, 34)"
    rows, bad_flags, bad_toe = _one(db, f"""
        SELECT count(*),
               sum(KS2_MMSCH <> (KS2_NFTYPE IN (20, 21, 22, 23, 24, 25, 50, 51, 52, 57, 58))
                   OR KS2_MMSCH2 <> (KS2_NFTYPE IN (21, 22, 23, 24))
                   OR KS2_MSCH2 <> (KS2_NFTYPE IN (21, 22, 23, 24, 26, 27))),
               sum((KS2_NFTYPE, KS2_ToE_CODE) NOT IN (VALUES {toe}))
        FROM {KS2} WHERE KS2_NFTYPE IS NOT NULL""")
    (types,) = _one(db, f"""
        SELECT count(*) FROM (
          SELECT school, yr FROM (
            SELECT KS2_LAESTAB_anon AS school, KS2_ACADYR AS yr, KS2_NFTYPE AS t FROM {KS2}
            UNION SELECT KS3_LAESTAB_anon, KS3_ACADYR, KS3_NFTYPE FROM {KS3})
          GROUP BY school, yr HAVING count(DISTINCT t) > 1)""")
    special, early, late = _one(db, f"""
        SELECT sum(KS2_NFTYPE = 26), sum(KS2_NFTYPE IN (20, 51) AND KS2_ACADYR < '2010'),
               sum(KS2_NFTYPE IN (20, 51)) FROM {KS2}""")
    assert rows > 100 and (bad_flags, bad_toe, types, early) == (0, 0, 0, 0)
    assert special > 0 and late > 0


def test_ks1_expected_levels_follow_the_ks1_row(db) -> None:
    """KS2_KS1EXP (2010/11-2015/16) is 1 where the pupil's KS1 reading, writing and maths
    reached level 2 (13 points, 2C, or more), 0 where one did not, NULL without a KS1 row."""
    rows = db.execute("""
        SELECT KS2_KS1EXP, KS2_KS1READPS, KS2_KS1WRITPS, KS2_KS1MATPS FROM KS2Pupil_1996_to_2016
        WHERE KS2_ACADYR BETWEEN '2010/2011' AND '2015/2016'""").fetchall()
    assert len(rows) > 100
    for flag, *points in rows:
        if None in points:
            assert flag is None
        else:
            assert flag == int(min(points) >= 13)
    flags = [flag for flag, *_ in rows if flag is not None]
    assert 0.5 < np.mean(flags) < 0.95


def test_extension_marks_only_beside_the_extension_level(db) -> None:
    """The extension test marks are NULL unless the pupil reached the extension level: the KS2
    level 6 test mark (KS2_EXTMARK, 2011/12-2015/16) lies in 25-50 exactly where KS2_EXTLEVEL
    is 6 and rises with the main test mark; the pupil tables' extension marks of 1995/96-2001/02
    only beside the extension level (KS2 level 6, none then; KS3 level 8, E), in the upper
    half of their marks."""
    rows = db.execute("""
        SELECT KS2_EXTMARK, KS2_EXTLEVEL, KS2_TESTMARK FROM KS2Exam_1996_to_2016
        WHERE KS2_ACADYR BETWEEN '2011/2012' AND '2015/2016'""").fetchall()
    assert len(rows) > 100
    assert all((mark is None) == (level is None) for mark, level, _ in rows)
    marked = sorted((test, mark) for mark, level, test in rows if mark is not None)
    assert marked and all(25 <= mark <= 50 for _, mark in marked)
    assert [mark for _, mark in marked] == sorted(mark for _, mark in marked)
    assert len(marked) < 0.1 * len(rows)
    views = {"KS2": "KS2Pupil_1996_to_2016", "KS3": "KS3Pupil_1998_to_2013"}
    for stage, subject, out_of in (("KS2", "ENG", 34), ("KS2", "MAT", 30), ("KS2", "SCI", 30),
                                   ("KS3", "ENG", 36), ("KS3", "MAT", 42), ("KS3", "SCI", 58)):
        view = views[stage]
        stray, low = db.execute(f"""
            SELECT sum({stage}_{subject}EXTLEV IS NULL),
                   sum(CAST({stage}_{subject}EXTMRK AS INTEGER) < {out_of // 2})
            FROM {view} WHERE {stage}_{subject}EXTMRK IS NOT NULL""").fetchone()
        assert not stray and not low, (view, subject)


def test_ks1_pscale_points_only_for_pupils_at_w_in_ks1_maths(db) -> None:
    """KS2_KS1_PSNUMPS, KS2_KS1PSUSINGPS, KS2_KS1_PSSHAPEPS and their average KS2_KS1_PSMATHSAV
    (2015/16) are NULL unless the pupil's KS1 maths was W (KS2_MATHLEVKS1 0); where given,
    P4-P8 points (1.75-2.75) and the average is the mean of the three."""
    rows = db.execute("""
        SELECT KS2_MATHLEVKS1, KS2_KS1_PSNUMPS, KS2_KS1PSUSINGPS, KS2_KS1_PSSHAPEPS,
               KS2_KS1_PSMATHSAV FROM KS2Pupil_1996_to_2016
        WHERE KS2_ACADYR = '2015/2016'""").fetchall()
    assert len(rows) >= 10
    for level, *points in rows:
        if level is None or float(level) != 0:
            assert points == [None] * 4
        else:
            assert all(1.75 <= p <= 2.75 for p in points)
            assert points[3] == pytest.approx(np.mean(points[:3]))


def test_ks1_pscale_points_rise_with_the_later_maths_mark() -> None:
    """The KS1 P-scale points carried into KS2: NULL unless KS1 maths was W (index 0) and
    without a KS1 row (-1); P4 (1.75) to P8 (2.75), one P-scale per ``step`` KS2 marks."""
    frame = Frame(ks1mat=np.array([0, 0, 0, 2, -1]), mat16mrk=np.array([0, 13, 60, 40, 0]))
    points = _derive("ks_prior_pscale", frame, of="ks1mat", by="mat16mrk", step=6)
    assert isinstance(points, Masked)
    assert list(points.null) == [False, False, False, True, True]
    assert list(points.values[:3]) == [1.75, 2.25, 2.75]
