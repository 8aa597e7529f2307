"""`leo-synth sql`: a ``TIME`` written as text as SQL Server writes it, on every backend:
``hh:mm:ss`` and its type's places (seven for ``TIME`` alone)."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_time_is_written_with_its_places(backend: str,
                                           request: pytest.FixtureRequest) -> None:
    # (every target wrote 10:15:00; DuckDB stopped at style 108)
    db = _db(request, backend)
    assert _rows(db, """SELECT CAST(CAST('10:15' AS TIME) AS VARCHAR),
    CONVERT(VARCHAR(20), CAST('10:15' AS TIME(3))), CAST(CAST('10:15' AS TIME(0)) AS VARCHAR),
    CONCAT('at ', CAST('10:15' AS TIME)), CONVERT(VARCHAR(8), CAST('10:15' AS TIME), 108),
    CAST(CAST('10:15' AS TIME) AS VARCHAR(5))""") == [(
        "10:15:00.0000000", "10:15:00.000", "10:15:00", "at 10:15:00.0000000", "10:15:00",
        "10:15")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_time_variable_is_a_time(backend: str, request: pytest.FixtureRequest) -> None:
    # (the variable held the text it was given, '10:15')
    db = _db(request, backend)
    assert _rows(db, """DECLARE @t TIME = '10:15';
DECLARE @s TIME(0) = '09:05:30';
SELECT 'at ' + CAST(@t AS VARCHAR(20)), CONCAT(@s, '')""") == [(
        "at 10:15:00.0000000", "09:05:30")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_temp_table_takes_a_time(backend: str, request: pytest.FixtureRequest) -> None:
    # (SQLite read a TIME column as a date's, so '10:15' stopped the INSERT with error 241)
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #t (id INT, t TIME);
INSERT INTO #t VALUES (1, '10:15:00');
SELECT id FROM #t WHERE t IS NOT NULL""") == [(1,)]
