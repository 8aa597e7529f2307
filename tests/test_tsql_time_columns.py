"""`leo-synth sql`: a #temp table's ``TIME`` column read by a date function or a conversion as
SQL Server reads it, a time on 1900-01-01, and a time written alone as text, on every
backend."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _texts

_TABLE = """CREATE TABLE #t (id INT, t TIME, t0 TIME(0))
INSERT INTO #t VALUES (1, '10:15:30', '10:15:30'), (2, '23:59:59', '23:59:59')
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_parts_of_a_time_column(backend: str, request: pytest.FixtureRequest) -> None:
    # (DuckDB and PostgreSQL stopped: a TIME cast to a TIMESTAMP; every target stopped at
    # '23:59:59', which SQL Server reads as that time on 1900-01-01)
    db = _db(request, backend)
    assert _texts(db, _TABLE + """SELECT id, DATEPART(hour, t), DATEPART(minute, t),
    DATEDIFF(minute, t, '23:59:59'), DATEPART(second, x.t), DATENAME(hour, t),
    DATEDIFF(second, t, t0)
FROM #t x ORDER BY id""") == [("1", "10", "15", "824", "30", "10", "0"),
                              ("2", "23", "59", "0", "59", "23", "0")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_time_column_moved_and_written(backend: str, request: pytest.FixtureRequest) -> None:
    # a TIME moved past midnight wraps round, as SQL Server's DATEADD keeps the type; as text
    # it has its places (SQLite also read the column as a date and time of its own)
    db = _db(request, backend)
    assert _texts(db, _TABLE + """SELECT id, DATEADD(minute, 1, t), CAST(t AS VARCHAR(20)),
    CAST(t0 AS VARCHAR(20)), CONVERT(VARCHAR(8), t, 108), CONCAT('at ', t0)
FROM #t ORDER BY id""") == [
        ("1", "10:16:30", "10:15:30.0000000", "10:15:30", "10:15:30", "at 10:15:30"),
        ("2", "00:00:59", "23:59:59.0000000", "23:59:59", "23:59:59", "at 23:59:59")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_time_as_a_date_and_time(backend: str, request: pytest.FixtureRequest) -> None:
    # (DuckDB and PostgreSQL stopped: no cast from a TIME to a TIMESTAMP)
    db = _db(request, backend)
    assert _texts(db, """CREATE TABLE #t (t TIME)
INSERT INTO #t VALUES ('10:15:30.25')
SELECT CAST(CAST('10:15' AS TIME) AS DATETIME), CAST(t AS DATETIME), CONVERT(DATETIME2(0), t),
    CAST(t AS SMALLDATETIME) FROM #t""") == [(
        "1900-01-01 10:15:00.000", "1900-01-01 10:15:30.250", "1900-01-01 10:15:30",
        "1900-01-01 10:16:00")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_time_written_alone(backend: str, request: pytest.FixtureRequest) -> None:
    # text of a time alone is that time on 1900-01-01 where a date and time is wanted, and
    # that day where a date is (every target stopped: "Conversion failed ...")
    db = _db(request, backend)
    assert _texts(db, """CREATE TABLE #d (d DATETIME)
INSERT INTO #d VALUES ('10:15')
SELECT DATEDIFF(minute, '10:15', '23:59:59'), CAST('23:59:59' AS DATETIME),
    CAST('10:15' AS DATE), DATEPART(hour, '2:30PM'), DATEADD(minute, 5, '10:15'), d
FROM #d""") == [("824", "1900-01-01 23:59:59.000", "1900-01-01", "14",
                 "1900-01-01 10:20:00.000", "1900-01-01 10:15:00.000")]
