"""UCAS applicants: every cycle the VRF lists, and applicants placed at UCAS's rates."""

from __future__ import annotations

import sqlite3

PER_APPLICANT = """SELECT application_cycle, applicant_id, MAX(applicant_age) AS age,
                          MAX(accept_flag) AS placed
                   FROM ucas_2007_to_2021 GROUP BY application_cycle, applicant_id"""


def test_every_cycle_from_2007_to_2021(small_sqlite) -> None:
    """The VRF's UCAS table holds the 2007 to 2021 application cycles (2007 was missing: its
    applications, made in 2006/07, fell outside the years 2007/08 to 2020/21)."""
    with sqlite3.connect(small_sqlite[0]) as db:
        cycles = [row[0] for row in db.execute(
            "SELECT DISTINCT application_cycle FROM ucas_2007_to_2021 ORDER BY 1")]
        least = db.execute(f"""SELECT MIN(n) FROM (SELECT COUNT(*) AS n FROM ({PER_APPLICANT})
                                                GROUP BY application_cycle)""").fetchone()[0]
    assert cycles == list(range(2007, 2022)) and least >= 10


def test_applicants_are_placed_at_ucas_rates(small_sqlite) -> None:
    """About 75-80% of 18-year-old applicants placed (UCAS end of cycle), fewer of the older
    (91% of 18-year-olds and every older applicant were)."""
    with sqlite3.connect(small_sqlite[0]) as db:
        (young, placed_18), (older, placed_older) = db.execute(f"""
            SELECT COUNT(*), AVG(placed) FROM ({PER_APPLICANT}) GROUP BY age > 18
            ORDER BY age > 18""").fetchall()
    assert young > 100 and older > 50
    assert 0.7 < placed_18 < 0.86
    assert placed_older < placed_18 - 0.04
