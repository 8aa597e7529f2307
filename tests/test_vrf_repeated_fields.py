"""A field the VRF lists twice, for two spans of years, holds values in both: the second
row's years had been dropped with it (``CIN_Ethnicity`` NULL from 2009/10, ``KS5_LEV3THRESH``
from 2016/17, ``KS5_URN_anon`` from 2019/20, ``NCCIS_Expected_Course_End_Date`` from 2016/17)."""

from __future__ import annotations

import sqlite3

import pytest

LATER_SPANS = {
    "CIN_Ethnicity": "SELECT COUNT(CIN_Ethnicity), COUNT(*) FROM cin_child_2009_to_2021 "
                     "WHERE CIN_ACADYR >= '2009/2010'",
    "KS5_LEV3THRESH": "SELECT COUNT(KS5_LEV3THRESH), COUNT(*) FROM KS5Student_2002_to_2021 "
                      "WHERE KS5_ACADYR >= '2016/2017'",
    "KS5_URN_anon": "SELECT COUNT(KS5_URN_anon), COUNT(*) FROM KS5Student_2002_to_2021 "
                    "WHERE KS5_ACADYR >= '2019/2020'",
    "NCCIS_Expected_Course_End_Date": "SELECT COUNT(NCCIS_Expected_Course_End_Date), COUNT(*) "
                                      "FROM nccis_2011_to_2021 WHERE NCCIS_ACADYR >= '2016/2017'",
}


@pytest.mark.parametrize("column", LATER_SPANS)
def test_a_field_listed_twice_holds_values_in_its_later_years(
        small_sqlite_connection: sqlite3.Connection, column: str) -> None:
    held, rows = small_sqlite_connection.execute(LATER_SPANS[column]).fetchone()
    assert rows > 0 and held > 0, (column, held, rows)


def test_children_in_need_ethnicity_is_coded_as_each_years_collection_coded_it(
        small_sqlite_connection: sqlite3.Connection) -> None:
    # 2008/09's CIN census coded ethnicity A1 (White British) ... E3; later ones WBRI ..., as
    # the school census and the record's own CIN_EthnicGroupMinor
    rows = small_sqlite_connection.execute(
        "SELECT CIN_ACADYR = '2008/2009', CIN_Ethnicity, CIN_EthnicGroupMinor "
        "FROM cin_child_2009_to_2021").fetchall()
    first = {code for early, code, _ in rows if early}
    later = [(code, minor) for early, code, minor in rows if not early]
    assert first and all(len(code) == 2 and code[0] in "ABCDE" for code in first), first
    assert later and all(code == minor for code, minor in later)
