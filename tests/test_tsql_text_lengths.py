"""`leo-synth sql`: text too long for a #temp table's column stops a statement only where a
row takes it, as in SQL Server, on every backend."""

from __future__ import annotations

import pytest
from test_srs_corpus import _value, duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows


@pytest.mark.parametrize("backend", BACKENDS)
def test_too_long_a_constant_for_no_row_is_no_error(backend: str,
                                                    request: pytest.FixtureRequest) -> None:
    # PostgreSQL converted the constant to VARCHAR(3) when it planned the statement, so it
    # stopped though no row was changed; SQL Server changes no row and says nothing
    db = _db(request, backend)
    assert _rows(db, """
        CREATE TABLE #t (c VARCHAR(3), n INT)
        INSERT INTO #t VALUES ('abc', 1)
        UPDATE #t SET c = 'too long' WHERE n = 2
        SELECT @@ROWCOUNT
        INSERT INTO #t SELECT 'four', 2 WHERE 1 = 0
        BEGIN TRY
            UPDATE #t SET c = 'toolong' WHERE n = 1
        END TRY
        BEGIN CATCH
            SELECT ERROR_NUMBER(), c, COUNT(*) FROM #t GROUP BY c
        END CATCH""") == [(8152, "abc", 1)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_trailing_spaces_beyond_the_length_are_dropped(backend: str,
                                                       request: pytest.FixtureRequest) -> None:
    # SQL Server stores 'ab  ' in a VARCHAR(3) as 'ab ' without a word; SQLite and DuckDB
    # kept the four characters (DATALENGTH 4, and 'ab  |' joined)
    db = _db(request, backend)
    assert _rows(db, """
        CREATE TABLE #t (c VARCHAR(3), n INT)
        INSERT INTO #t (c, n) VALUES ('ab  ', 1)
        INSERT INTO #t SELECT 'x    ', 2
        UPDATE #t SET c = 'xyz ' WHERE n = 2
        SELECT n, DATALENGTH(c), c + '|' FROM #t ORDER BY n""") == [(1, 3, "ab |"),
                                                                  (2, 3, "xyz|")]
