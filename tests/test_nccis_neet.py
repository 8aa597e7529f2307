"""NCCIS NEET as DfE count it: few 16-17 year olds ever NEET, the summer after a course not
NEET, and NEET where the characteristics that predict it are."""

from __future__ import annotations

import sqlite3

from leo_synth.relations.young_people import NEET_CODES

NEET = ", ".join(str(code) for code in NEET_CODES)

# Per person whose Year 12 (their first NCCIS year) is 2011/12 to 2017/18: year group and
# month of each snapshot, the activity (the lower code of a month holding two).
SNAPSHOTS = """
WITH first AS (SELECT NCCIS_PupilMatchingRefAnonymous AS pmr, MIN(NCCIS_ACADYR) AS y12
               FROM nccis_2011_to_2021 GROUP BY 1
               HAVING MIN(NCCIS_ACADYR) BETWEEN '2011/2012' AND '2017/2018'),
snap AS (SELECT f.pmr, CAST(substr(n.NCCIS_ACADYR, 1, 4) AS INT)
                       - CAST(substr(f.y12, 1, 4) AS INT) + 12 AS year_group,
                CAST(n.NCCIS_MonthNo AS INT) AS month,
                MIN(CAST(n.NCCIS_Current_Activity_Code AS INT)) AS code
         FROM nccis_2011_to_2021 n JOIN first f ON f.pmr = n.NCCIS_PupilMatchingRefAnonymous
         GROUP BY 1, 2, 3)
"""


def test_few_16_17_year_olds_are_ever_neet(small_sqlite) -> None:
    """Ever NEET in Years 12 and 13 (DfE: about 15-20%; 41% when every leaver's August
    after exams counted as NEET), while NEET in December to February stays a few percent."""
    with sqlite3.connect(small_sqlite[0]) as db:
        persons, ever = db.execute(SNAPSHOTS + f"""
            SELECT COUNT(*), AVG(neet) FROM (
                SELECT pmr, MAX(year_group <= 13 AND code IN ({NEET})) AS neet
                FROM snap GROUP BY pmr)""").fetchone()
        winter = db.execute(SNAPSHOTS + f"""
            SELECT AVG(code IN ({NEET})) FROM snap
            WHERE year_group <= 13 AND month IN (12, 1, 2)""").fetchone()[0]
    assert persons > 100
    assert 0.05 < ever < 0.25
    assert 0.01 < winter < 0.08


def test_the_august_after_a_course_is_not_neet(small_sqlite) -> None:
    """A course completed on 31 July stays the recorded activity in August (the LA confirms
    the autumn's activity): of those in education in July, almost none is NEET in August
    (19% were)."""
    with sqlite3.connect(small_sqlite[0]) as db:
        learners, neet = db.execute(SNAPSHOTS + f"""
            SELECT COUNT(*), AVG(a.code IN ({NEET})) FROM snap j
            JOIN snap a ON a.pmr = j.pmr AND a.year_group = j.year_group AND a.month = 8
            WHERE j.month = 7 AND j.code BETWEEN 200 AND 299""").fetchone()
    assert learners > 200 and neet < 0.01
