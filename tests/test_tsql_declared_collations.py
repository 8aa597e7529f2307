"""`leo-synth sql`: a #temp column declared ``COLLATE Latin1_General_CS_AS`` (``_BIN``,
``SQL_Latin1_General_CP1_CS_AS``) is compared, grouped, counted distinct, joined and ordered
keeping case, as SQL Server does; every target ignored case there, as for the default
collation (a ``_CI_`` one declared keeps that)."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows

ROWS = """INSERT INTO #t VALUES ('abc', 1, 'x'), ('ABC', 2, 'X'), ('Abc', 3, 'x'), ('abc', 4, 'X')
"""


@pytest.mark.parametrize("collation", ["Latin1_General_CS_AS", "Latin1_General_BIN",
                                       "SQL_Latin1_General_CP1_CS_AS"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_a_column_declared_case_sensitive_keeps_case(
        backend: str, collation: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _rows(db, f"""CREATE TABLE #t (a VARCHAR(10) COLLATE {collation},
    n INT, c VARCHAR(10) COLLATE Latin1_General_CI_AS)
{ROWS}CREATE TABLE #u (a VARCHAR(10) COLLATE {collation} NOT NULL, m INT)
INSERT INTO #u VALUES ('abc', 10), ('ABC', 20)
SELECT (SELECT COUNT(*) FROM #t WHERE a = 'abc') AS eq,
    (SELECT COUNT(*) FROM #t WHERE a IN ('ABC', 'x')) AS listed,
    (SELECT COUNT(DISTINCT a) FROM #t) AS counted,
    (SELECT COUNT(*) FROM (SELECT DISTINCT a FROM #t) x) AS kinds,
    (SELECT COUNT(*) FROM (SELECT a, SUM(n) AS s FROM #t GROUP BY a) x) AS groups,
    (SELECT SUM(t.n * u.m) FROM #t t JOIN #u u ON t.a = u.a) AS joined,
    (SELECT COUNT(*) FROM #t WHERE c = 'x') AS ci,
    (SELECT COUNT(DISTINCT c) FROM #t) AS ci_kinds""") == [(2, 1, 3, 3, 3, 90, 4, 1)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_groups_and_partitions_of_a_case_sensitive_column(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _rows(db, f"""CREATE TABLE #t (a VARCHAR(10) COLLATE Latin1_General_CS_AS, n INT,
    c VARCHAR(10))
{ROWS}UPDATE #t SET a = 'x' WHERE a = 'ABC'
SELECT a, COUNT(*) AS n, SUM(n) AS s FROM #t GROUP BY a ORDER BY s""") == [
        ("x", 1, 2), ("Abc", 1, 3), ("abc", 2, 5)]
    assert _rows(db, f"""CREATE TABLE #t (a VARCHAR(10) COLLATE Latin1_General_CS_AS, n INT,
    c VARCHAR(10))
{ROWS}SELECT a, n, COUNT(*) OVER (PARTITION BY a) FROM #t ORDER BY a, n""") == [
        ("abc", 1, 2), ("abc", 4, 2), ("Abc", 3, 1), ("ABC", 2, 1)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_keys_indexes_and_changes_of_a_case_sensitive_column(
        backend: str, request: pytest.FixtureRequest) -> None:
    """Its keys and indexes are made as declared, and ``UPDATE``, ``DELETE`` and ``MERGE``
    find its rows keeping case ('abc' and 'ABC' are two keys)."""
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #t (a VARCHAR(10) COLLATE Latin1_General_CS_AS NOT NULL,
    n INT, PRIMARY KEY (a), UNIQUE (n, a))
CREATE INDEX ix ON #t (a DESC, n)
CREATE TABLE #u (a VARCHAR(10) COLLATE Latin1_General_BIN PRIMARY KEY CLUSTERED)
INSERT INTO #t VALUES ('abc', 1), ('ABC', 2)
INSERT INTO #u VALUES ('abc'), ('ABC')
MERGE #u AS d USING (SELECT 'Abc' AS a) s ON d.a = s.a
WHEN NOT MATCHED THEN INSERT (a) VALUES (s.a);
UPDATE #t SET n = n + 10 WHERE a = 'abc'
DELETE FROM #u WHERE a = 'ABC'
SELECT (SELECT SUM(n) FROM #t), (SELECT COUNT(*) FROM #u),
    (SELECT MIN(a) FROM #t WHERE a IN (SELECT a FROM #u))""") == [(13, 2, "abc")]
