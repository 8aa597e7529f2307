"""`leo-synth sql`: a string literal's trailing spaces do not count where SQL Server compares
it, ``NULLIF``'s first argument too, on every backend."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows


@pytest.mark.parametrize("backend", BACKENDS)
def test_nullif_of_a_padded_literal(backend: str, request: pytest.FixtureRequest) -> None:
    # (every target gave ' ' for NULLIF(' ', ''): it compared the spaces)
    db = _db(request, backend)
    assert _rows(db, """SELECT NULLIF(' ', ''), NULLIF('a  ', 'a'), NULLIF(' ', 'x'),
    NULLIF(' ', NULL), NULLIF('a', 'a  '), DATALENGTH(NULLIF('a ', 'b')),
    CASE WHEN NULLIF('  ', '') IS NULL THEN 1 ELSE 0 END""") == [
        (None, None, " ", " ", None, 2, 1)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_nullif_of_a_padded_literal_and_a_column(backend: str,
                                                request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #t (n INT, v VARCHAR(5))
INSERT INTO #t VALUES (1, ''), (2, 'a'), (3, 'a  '), (4, NULL)
SELECT n, NULLIF('  ', v), NULLIF(v, 'a '), NULLIF(v, '') FROM #t ORDER BY n""") == [
        (1, None, "", None), (2, "  ", None, "a"), (3, "  ", None, "a  "),
        (4, "  ", None, None)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_padded_literals_compared(backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _rows(db, """SELECT CASE WHEN 'a ' = 'a' THEN 1 END, LEN('a  '),
    CASE WHEN 'ab' = 'ab   ' THEN 1 ELSE 0 END, CASE WHEN ' ' = '' THEN 1 ELSE 0 END,
    CASE ' ' WHEN '' THEN 1 ELSE 0 END, IIF('x ' = 'x', 1, 0),
    CASE WHEN 'a' IN ('a ', 'b') THEN 1 ELSE 0 END""") == [(1, 1, 1, 1, 1, 1, 1)]
