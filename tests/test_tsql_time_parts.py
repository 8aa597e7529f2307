"""`leo-synth sql`: ``DATEPART`` and ``DATEDIFF`` of a ``TIME`` on every backend, as SQL Server
counts them: a ``TIME`` is on 1900-01-01 when it meets a date."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows, _texts


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_parts_of_a_time(backend: str, request: pytest.FixtureRequest) -> None:
    # (DuckDB and PostgreSQL stopped: a TIME cast to a TIMESTAMP)
    db = _db(request, backend)
    assert _rows(db, """SELECT DATEPART(hour, CAST('10:15:30.250' AS TIME)),
    DATEPART(minute, CAST('10:15:30.250' AS TIME)), DATEPART(second, CAST('10:15:30.250' AS TIME)),
    DATEPART(millisecond, CAST('10:15:30.250' AS TIME(3))),
    DATEPART(microsecond, CAST('10:15:30.250' AS TIME))""") == [(10, 15, 30, 250, 250000)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_time_between_two_times(backend: str, request: pytest.FixtureRequest) -> None:
    # (DuckDB and PostgreSQL stopped; SQLite put a TIME on 2000-01-01, so an hour's count to
    # a DATETIME was 175,310 and a TIME before midnight 3,155,673,599,500 ms after it)
    db = _db(request, backend)
    assert _texts(db, """DECLARE @t TIME = '10:15:30';
SELECT DATEDIFF(minute, CAST('10:15' AS TIME), CAST('12:00' AS TIME)),
    DATEDIFF(ms, CAST('10:15' AS TIME), CAST('10:15:01.5' AS TIME)),
    DATEDIFF(second, @t, DATEADD(minute, 2, @t)), DATEPART(minute, @t),
    DATEDIFF(hour, CAST('10:15' AS TIME), CAST('2020-01-01' AS DATETIME)),
    DATEDIFF(ms, CAST('23:59:59.5' AS TIME), CAST('1900-01-02' AS DATETIME))""") == [(
        "105", "1500", "120", "15", "1051886", "500")]
