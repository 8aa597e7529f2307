"""GCSE entries per pupil, checked on the suite's small run (1,000 persons) with SQL as a
researcher counts them: about nine entries per pupil (DfE: 9 to 10 to 2015/16, 8 to 9 after;
the years apart are measured at 20,000 persons, beyond this run's sampling error), a 9th and
10th GCSE for many pupils, the pupil row's entries equal to its exam rows, and the
GCSEs beyond the eight Attainment 8 slots leaving Attainment 8 and the threshold measures as
they are (``relations/ks4_extras.py``)."""

from __future__ import annotations

import sqlite3

import pytest

EXAMS = ("KS4Exam_2002_to_2014", "KS4Exam_2015_to_2021")
PUPILS = ("KS4Pupil_2002_to_2014", "KS4Pupil_2015_to_2021")
SLOT_FLAGS = "(KS4_A8ENG + KS4_A8MAT + KS4_A8EBAC + KS4_A8OTH)"


@pytest.fixture(scope="module")
def db(small_sqlite_connection: sqlite3.Connection) -> sqlite3.Connection:
    return small_sqlite_connection


def _entries(db: sqlite3.Connection, pupils: str, exams: str) -> list[tuple]:
    """(year, pupil entries, exam rows) per pupil record of a view (duplicate records of the
    ks4_duplicate quirk attain nothing, so the record with most entries is kept)."""
    return db.execute(f"""
        WITH e AS (SELECT KS4_PupilMatchingRefAnonymous AS pmr, KS4_ACADYR AS yr,
                          count(*) AS n FROM {exams} GROUP BY 1, 2)
        SELECT p.KS4_ACADYR, max(COALESCE(p.KS4_ENTRIES, 0)), COALESCE(max(e.n), 0)
        FROM {pupils} p LEFT JOIN e ON e.pmr = p.KS4_PupilMatchingRefAnonymous
                                   AND e.yr = p.KS4_ACADYR
        GROUP BY p.KS4_PupilMatchingRefAnonymous, p.KS4_ACADYR""").fetchall()


def test_entries_per_pupil_are_realistic(db) -> None:
    """Mean entries per pupil about 9 (8.3-10), a few percent with none, a third or more with
    nine or more, some with ten or more and none beyond twelve; KS4_ENTRIES counts the exam
    rows."""
    rows = [row for pupils, exams in zip(PUPILS, EXAMS, strict=True)
            for row in _entries(db, pupils, exams)]
    counts = [rows_ for _, _, rows_ in rows]
    n = len(counts)
    assert n > 300
    assert 8.3 < sum(counts) / n < 10.0
    assert 0.005 < sum(c == 0 for c in counts) / n < 0.12
    assert sum(c >= 9 for c in counts) / n > 0.35
    assert sum(c >= 10 for c in counts) / n > 0.2
    assert max(counts) <= 12
    assert all(entries == rows_ for _, entries, rows_ in rows)


def test_extra_gcses_fill_no_slot_and_rank_last(db) -> None:
    """A GCSE filling no Attainment 8 slot exists for many pupils, is a non-EBacc subject,
    graded no higher than any open-slot GCSE of the pupil, only beside three filled open
    slots, and ranks after them (KS4_A8OTH_RNK 4 or more); Attainment 8 is the sum of the
    slot GCSEs' points."""
    exam, pupils = EXAMS[1], PUPILS[1]
    extras, ebacc, beats, open_gap, early_rank, bad_a8 = db.execute(f"""
        WITH e AS (SELECT KS4_PupilMatchingRefAnonymous AS pmr, KS4_ACADYR AS yr,
                          sum({SLOT_FLAGS} = 0) AS extras,
                          sum({SLOT_FLAGS} = 0 AND KS4_QEBACC_PTQ_EE = 1) AS ebacc,
                          max(CASE WHEN {SLOT_FLAGS} = 0 THEN KS4_POINTS END) AS best_extra,
                          min(CASE WHEN KS4_A8OTH = 1 THEN KS4_POINTS END) AS worst_open,
                          sum(KS4_A8OTH) AS open_slots,
                          sum({SLOT_FLAGS} = 0 AND CAST(KS4_A8OTH_RNK AS INTEGER) < 4) AS early,
                          sum(KS4_A8POINTS * {SLOT_FLAGS}) AS a8
                   FROM {exam} GROUP BY 1, 2)
        SELECT sum(e.extras), sum(e.ebacc), sum(e.best_extra > e.worst_open),
               sum(e.extras > 0 AND e.open_slots < 3), sum(e.early),
               sum(abs(p.KS4_ATT8 - e.a8) > 1e-9)
        FROM {pupils} p JOIN e ON e.pmr = p.KS4_PupilMatchingRefAnonymous
                              AND e.yr = p.KS4_ACADYR
        WHERE p.KS4_ENTRIES > 0""").fetchone()
    assert extras > 100
    assert (ebacc, beats, open_gap, early_rank, bad_a8) == (0, 0, 0, 0, 0)


def test_extra_gcses_cross_no_threshold(db) -> None:
    """A pupil with fewer than five A*-C / 9-4 among the slot GCSEs has fewer than five among
    all GCSEs, and one with fewer than five graded slot GCSEs has no extra GCSE: the 5+ A*-C
    and 5+ A*-G measures are those of the Attainment 8 slots."""
    exam = EXAMS[1]
    pupils, extras, crossed, below_g = db.execute(f"""
        WITH e AS (SELECT KS4_PupilMatchingRefAnonymous AS pmr, KS4_ACADYR AS yr,
                          sum({SLOT_FLAGS} > 0 AND KS4_LEV2 = 1) AS slot_passes,
                          sum(KS4_LEV2) AS passes,
                          sum({SLOT_FLAGS} > 0 AND KS4_LEV1 = 1) AS slot_graded,
                          sum({SLOT_FLAGS} = 0) AS extras
                   FROM {exam} GROUP BY 1, 2)
        SELECT count(*), sum(extras), sum(slot_passes < 5 AND passes >= 5),
               sum(slot_graded < 5 AND extras > 0)
        FROM e""").fetchone()
    assert pupils > 100 and extras > 50 and (crossed, below_g) == (0, 0)
