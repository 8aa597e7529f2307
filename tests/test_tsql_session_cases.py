"""`leo-synth sql`: text of the script's own tables compared with each other ignoring case and
trailing spaces, as the SRS's collation (``Latin1_General_CI_AS``) compares it, on every
backend; a collation written in the script that keeps case keeps it."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows

_TABLES = """CREATE TABLE #a (k VARCHAR(10))
CREATE TABLE #b (k VARCHAR(10))
INSERT INTO #a VALUES ('abc'), ('xyz')
INSERT INTO #b VALUES ('ABC'), ('Abc ')
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_temp_columns_joined_ignore_case(backend: str, request: pytest.FixtureRequest) -> None:
    # (every target found no row: 'abc' and 'ABC' differ by their bytes)
    db = _db(request, backend)
    assert _rows(db, _TABLES + """SELECT (SELECT COUNT(*) FROM #a JOIN #b ON #a.k = #b.k),
    (SELECT COUNT(*) FROM #a WHERE k IN (SELECT k FROM #b)),
    (SELECT COUNT(*) FROM #a WHERE k NOT IN (SELECT k FROM #b)),
    (SELECT COUNT(*) FROM #a a WHERE EXISTS (SELECT 1 FROM #b b WHERE b.k = a.k)),
    (SELECT COUNT(*) FROM #a a JOIN #b b ON a.k <> b.k)""") == [(2, 1, 1, 1, 2)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_temp_columns_of_one_row_ignore_case(backend: str,
                                             request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #t (n INT, k VARCHAR(10), j VARCHAR(10))
INSERT INTO #t VALUES (1, 'abc', 'ABC'), (2, 'abc', 'abd'), (3, 'Abc', 'aBc  ')
SELECT n FROM #t WHERE k = j ORDER BY n""") == [(1,), (3,)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_collation_that_keeps_case_keeps_it(backend: str,
                                              request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _rows(db, _TABLES + """SELECT
    (SELECT COUNT(*) FROM #a JOIN #b ON #a.k = #b.k COLLATE Latin1_General_CS_AS),
    (SELECT COUNT(*) FROM #a JOIN #b ON #a.k COLLATE Latin1_General_BIN = #b.k),
    (SELECT COUNT(*) FROM #a JOIN #b ON #a.k = #b.k COLLATE Latin1_General_CI_AS),
    (SELECT COUNT(*) FROM #a WHERE k COLLATE Latin1_General_CS_AS IN (SELECT k FROM #b))""") == [
        (0, 0, 2, 0)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_groups_of_temp_text_ignore_case(backend: str, request: pytest.FixtureRequest) -> None:
    # (already so: text_groups; kept here beside the comparisons it agrees with)
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #t (k VARCHAR(10))
INSERT INTO #t VALUES ('abc'), ('ABC'), ('Abc'), ('x')
SELECT (SELECT COUNT(*) FROM (SELECT k FROM #t GROUP BY k) g), COUNT(DISTINCT k),
    (SELECT COUNT(*) FROM (SELECT DISTINCT k FROM #t) d) FROM #t""") == [(2, 2, 2)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_padded_char_compared_with_a_scalar_subquery(backend: str,
                                                      request: pytest.FixtureRequest) -> None:
    # a CHAR(5) holds 'ab   ': SQL Server ignores its trailing spaces beside a subquery's
    # VARCHAR too (every target found no row)
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #c (k CHAR(5))
CREATE TABLE #v (k2 VARCHAR(5))
INSERT INTO #c VALUES ('ab')
INSERT INTO #v VALUES ('ab')
SELECT (SELECT COUNT(*) FROM #c WHERE k = (SELECT TOP 1 k2 FROM #v)),
    (SELECT COUNT(*) FROM #v WHERE k2 = (SELECT TOP 1 k FROM #c)),
    (SELECT COUNT(*) FROM #v WHERE (SELECT MAX(k) FROM #c) = k2)""") == [(1, 1, 1)]
