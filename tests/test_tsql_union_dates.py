"""`leo-synth sql`: a ``UNION`` column of a ``DATE`` beside a ``DATETIME`` is a ``DATETIME``,
on every backend, as in SQL Server."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _texts

BOTH = ("(SELECT 1 AS k, CAST('2020-01-02' AS DATE) AS d UNION ALL "
        "SELECT 2, CAST('2020-01-02 10:00' AS DATETIME)) u")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_derived_union_of_a_date_and_a_datetime_is_a_datetime(
        backend: str, request: pytest.FixtureRequest) -> None:
    # (CONVERT gave ISO text, SQLite's date without a time; d + 1 added 1 to the year on
    # SQLite and stopped DuckDB and PostgreSQL; SQLite's WHERE compared text and left the
    # date out)
    db = _db(request, backend)
    assert _texts(db, f"SELECT k, CONVERT(VARCHAR(30), d), d + 1 FROM {BOTH} ORDER BY k") == [
        ("1", "Jan  2 2020 12:00AM", "2020-01-03 00:00:00.000"),
        ("2", "Jan  2 2020 10:00AM", "2020-01-03 10:00:00.000")]
    assert _texts(db, f"SELECT k FROM {BOTH} WHERE d >= CAST('2020-01-02' AS DATETIME) "
                      "ORDER BY k") == [("1",), ("2",)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_union_of_an_extract_date_and_a_datetime_shows_datetimes(
        backend: str, request: pytest.FixtureRequest) -> None:
    # (each target showed the extract's dates as dates, and CONCAT wrote them as ISO text,
    # DuckDB's with a time zone)
    db = _db(request, backend)
    rows = _texts(db, """SELECT TOP 1 StartDate FROM [LEO_i2].[2002237].[leo_benefit]
UNION ALL SELECT CAST('2020-01-03 10:00' AS DATETIME) UNION ALL SELECT NULL""")
    assert sorted(rows)[1:] == [("2020-01-03 10:00:00.000",), ("None",)]
    assert sorted(rows)[0][0].endswith(" 00:00:00.000")
    [(first,), (added,)] = _texts(db, """WITH x AS (
    SELECT TOP 1 1 AS k, StartDate AS d FROM [LEO_i2].[2002237].[leo_benefit]
    UNION ALL SELECT 2, CAST('2020-01-03 10:00' AS DATETIME))
SELECT CONCAT('at ', d) FROM x ORDER BY k""")
    assert first.endswith(" 12:00AM") and added == "at Jan  3 2020 10:00AM"
