"""`leo-synth sql`: ``ISNUMERIC`` of a tab, a line feed or a carriage return alone is 1, as in
SQL Server (whose money conversion skips them as it skips spaces, reading nothing as 0); empty
text and spaces alone are 0. SQLite gave 0 for the control characters, the other targets 1."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows


@pytest.mark.parametrize("backend", BACKENDS)
def test_isnumeric_of_whitespace_alone(backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _rows(db, """SELECT ISNUMERIC(CHAR(9)), ISNUMERIC(CHAR(10)), ISNUMERIC(CHAR(13)),
    ISNUMERIC(' '), ISNUMERIC(''), ISNUMERIC('   '), ISNUMERIC(CHAR(9) + 'a')""") == [
        (1, 1, 1, 0, 0, 0, 0)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_isnumeric_of_a_columns_whitespace(backend: str, request: pytest.FixtureRequest) -> None:
    """Values read from a #temp table (a file's stray tab) as literals are."""
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #raw (k INT, v VARCHAR(10))
INSERT INTO #raw VALUES (1, CHAR(9)), (2, ''), (3, ' '), (4, '7'), (5, 'x')
SELECT k, ISNUMERIC(v) FROM #raw ORDER BY k""") == [(1, 1), (2, 0), (3, 0), (4, 1), (5, 0)]
