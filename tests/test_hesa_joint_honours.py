"""Joint honours in HESA (simulation/subjects.draw_combinations, relations/hesa._subjects): a
first degree of two or three subjects records each, with shares of the time (XFPE01_n) that
sum to 100, on the suite's small run queried as a researcher would. The extract's quirk of
blanks for NULLs is read through NULLIF."""

from __future__ import annotations

import sqlite3

import duckdb
import numpy as np
import pytest

import leo_synth
from leo_synth.simulation.parameters import load_parameters
from leo_synth.simulation.subjects import (
    BALANCED,
    SINGLE,
    THREE,
    draw_combinations,
    joint_rates,
    subject_catalogue,
)

JACS_YEARS = range(2008, 2021)  # XJACS and XFPE: 2007/08 to 2019/20
SBJQA_YEARS = range(2005, 2008)  # SBJQA: to 2006/07


@pytest.fixture(scope="module")
def db(small_sqlite_connection: sqlite3.Connection) -> sqlite3.Connection:
    return small_sqlite_connection


def _jacs_rows(db: sqlite3.Connection) -> str:
    """Every JACS-year HESA row's subjects and shares (blanks as NULL)."""
    return " UNION ALL ".join(
        f"""SELECT HE_XLEV601 AS lev, HE_XFPE01_1 AS f1,
                   CAST(NULLIF(HE_XFPE01_2, '') AS REAL) AS f2,
                   CAST(NULLIF(HE_XFPE01_3, '') AS REAL) AS f3,
                   NULLIF(HE_XJACS01_1, '') AS s1, NULLIF(HE_XJACS01_2, '') AS s2,
                   NULLIF(HE_XJACS01_3, '') AS s3, NULLIF(HE_XJACS01_4, '') AS s4,
                   NULLIF(HE_XJACSA01_2, '') AS a2
            FROM hesa_{year}""" for year in JACS_YEARS)


def test_subject_shares_sum_to_a_whole_and_name_distinct_subjects(db) -> None:
    rows, joint, bad = db.execute(f"""
        SELECT count(*), sum(s2 IS NOT NULL),
               sum(abs(f1 + coalesce(f2, 0) + coalesce(f3, 0) - 100) > 0.05
                   OR (s2 IS NULL) <> (f1 = 100) OR (s2 IS NULL) <> (f2 IS NULL)
                   OR (s3 IS NULL) <> (f3 IS NULL) OR (s3 IS NOT NULL AND s2 IS NULL)
                   OR coalesce(s2 = s1 OR s3 = s1 OR s3 = s2, 0) OR s4 IS NOT NULL
                   OR (s2 IS NULL) <> (a2 IS NULL) OR coalesce(substr(s2, 1, 1) <> a2, 0)
                   OR (f2 IS NOT NULL AND f2 NOT IN (50, 33.3))
                   OR (s2 IS NOT NULL AND lev <> 4))
        FROM ({_jacs_rows(db)}) WHERE f1 IS NOT NULL""").fetchone()
    # (three-subject degrees, a tenth of joint ones, may be absent from a run this small:
    # their frequency is asserted on the draw, below; each comparison with an absent subject
    # is made false, or a NULL would leave the row out of the count)
    assert rows > 500 and joint > 10 and bad == 0
    # About one first degree in twelve (8.3% by the parameters), far from none or most.
    first_degrees = db.execute(f"SELECT count(*) FROM ({_jacs_rows(db)}) WHERE lev = 4"
                               ).fetchone()[0]
    assert 0.03 < joint / first_degrees < 0.16


def test_no_joint_honours_in_medicine_nursing_or_veterinary_science(db) -> None:
    (clinical,) = db.execute(f"""
        SELECT count(*) FROM ({_jacs_rows(db)})
        WHERE s2 IS NOT NULL AND substr(s1, 1, 2) IN ('A1', 'A3', 'B7', 'D1')""").fetchone()
    assert clinical == 0


@pytest.fixture(scope="module")
def hesa_years() -> duckdb.DuckDBPyConnection:
    """HESA alone from 10,000 persons: the suite's small run holds 15 to 40 students a year, too
    few for joint honours (one first degree in twelve) to be sure in any one year."""
    return leo_synth.extract(persons=10_000, seed=7, tables=["hesa"]).duckdb()


def test_sbjqa_and_hecos_carry_the_same_combinations(hesa_years) -> None:
    early = sum(hesa_years.execute(f"""SELECT count(*) FROM hesa_{year}
                                       WHERE NULLIF(HE_SBJQA2, '') IS NOT NULL""").fetchone()[0]
                for year in SBJQA_YEARS)
    late, bad = hesa_years.execute("""
        SELECT count(*) FILTER (WHERE NULLIF(HE_XHECOS_2, '') IS NOT NULL),
               count(*) FILTER (WHERE (NULLIF(HE_XHECOS_2, '') IS NULL)
                                      <> (NULLIF(HE_XJACS01_2, '') IS NULL)
                                   OR (NULLIF(HE_XCAH02_2, '') IS NULL)
                                      <> (NULLIF(HE_XHECOS_2, '') IS NULL))
        FROM hesa_2020""").fetchone()
    assert early > 5 and late > 5 and bad == 0


def test_the_draw_gives_partners_by_joint_rate_and_never_repeats_a_subject() -> None:
    params = load_parameters()
    catalogue = subject_catalogue(params)
    rates = joint_rates(params)
    rng = np.random.default_rng(3)
    m = 40_000
    subject = rng.integers(0, len(catalogue.jacs), m)
    eligible = rng.random(m) < 0.9
    kind, second, third = draw_combinations(*(rng.random(m) for _ in range(4)), subject,
                                            eligible, params)
    assert (kind[~eligible] == SINGLE).all() and (kind[rates[subject] == 0] == SINGLE).all()
    joint = kind != SINGLE
    assert ((second >= 0) == joint).all() and ((third >= 0) == (kind == THREE)).all()
    assert (second[joint] != subject[joint]).all()
    assert (third[kind == THREE] != second[kind == THREE]).all()
    assert (rates[second[joint]] > 0).all()  # never a clinical partner
    # The mix of combinations follows he.joint_honours.kinds (balanced 0.75).
    assert abs((kind[joint] == BALANCED).mean() - 0.75) < 0.03
    assert abs((kind[joint] == THREE).mean() - 0.10) < 0.02
    expected = (rates[subject] * eligible).mean()
    assert abs(joint.mean() - expected) < 0.01
