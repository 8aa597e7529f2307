"""A correlated [NOT] EXISTS runs on SQLite as a lookup in rows read once, with the answers
SQL Server gives (tsql/exists_lookups.py)."""

from __future__ import annotations

import sqlite3

import pytest
import sqlglot
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows

from leo_synth.tsql import exists_lookups, lookup_indexes

SETUP = """CREATE TABLE #a (k VARCHAR(5), n INT)
CREATE TABLE #b (k VARCHAR(5), n INT)
INSERT INTO #a VALUES ('x', 1), ('y', 2), (NULL, 3), ('z', NULL), ('w', 5)
INSERT INTO #b VALUES ('x', 1), ('y', 9), (NULL, 3), ('q', NULL), ('z', 4), ('x', 7)
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_exists_and_not_exists_answer_as_sql_server(
        backend: str, request: pytest.FixtureRequest) -> None:
    """NULL keys match nothing on either side (NOT EXISTS keeps a row whose key is NULL), a
    positive EXISTS is false, never NULL, where nothing matches; a key of two columns, an
    inner column left unqualified, TOP 1, a join inside the subquery, a key read from an
    enclosing query two levels out, and an aggregate subquery (always one row: true)."""
    db = _db(request, backend)

    def keys(query: str) -> list[tuple]:
        return _rows(db, SETUP + query)

    assert keys("SELECT k FROM #a a WHERE EXISTS (SELECT 1 FROM #b b WHERE b.k = a.k) "
                "ORDER BY k") == [("x",), ("y",), ("z",)]
    assert keys("SELECT k, n FROM #a a WHERE NOT EXISTS (SELECT 1 FROM #b b WHERE b.k = a.k) "
                "ORDER BY n") == [(None, 3), ("w", 5)]
    assert keys("SELECT n FROM #a a WHERE NOT EXISTS (SELECT * FROM #b b WHERE a.k = b.k "
                "AND b.n = a.n) ORDER BY n") == [(None,), (2,), (3,), (5,)]
    assert keys("SELECT a.n, CASE WHEN EXISTS (SELECT 1 FROM #b WHERE k = a.k) THEN 1 ELSE 0 "
                "END FROM #a a ORDER BY a.n") == [(None, 1), (1, 1), (2, 1), (3, 0), (5, 0)]
    assert keys("SELECT COUNT(*) FROM #a a WHERE EXISTS (SELECT TOP 1 1 FROM #b b "
                "WHERE b.k = a.k AND b.n > 5)") == [(2,)]
    assert keys("SELECT COUNT(*) FROM #a a WHERE EXISTS (SELECT 1 FROM #b b "
                "JOIN #a a2 ON a2.n = b.n WHERE b.k = a.k)") == [(1,)]
    assert keys("SELECT a.k, (SELECT COUNT(*) FROM #b b WHERE EXISTS (SELECT 1 FROM #a x "
                "WHERE x.k = b.k AND x.n = a.n)) FROM #a a WHERE a.k IN ('x', 'y') "
                "ORDER BY a.k") == [("x", 2), ("y", 1)]
    assert keys("SELECT COUNT(*) FROM #a a WHERE EXISTS (SELECT COUNT(*) FROM #b b "
                "WHERE b.k = a.k)") == [(5,)]
    assert keys("UPDATE #a SET n = 0 WHERE NOT EXISTS (SELECT 1 FROM #b b WHERE b.k = #a.k)\n"
                "SELECT SUM(n), COUNT(*) FROM #a WHERE n = 0") == [(0, 2)]


def _translated(sql: str, scans: bool) -> str:
    tree = sqlglot.parse_one(sql, read="tsql")
    return exists_lookups.for_target(tree, "sqlite", lambda table: None,
                                     lambda probe: scans).sql(dialect="sqlite")


def test_sqlite_reads_the_inner_rows_once() -> None:
    """Where SQLite would scan the inner table for each outer row, the subquery becomes a
    lookup SQLite plans as a list made once (no correlated subquery left); where an index
    finds the inner rows, or the subquery reads the outer query other than by an equality,
    it stays as written."""
    sql = ("SELECT COUNT(*) FROM b WHERE NOT EXISTS (SELECT 1 FROM a WHERE a.k = b.k "
           "AND a.n > 0)")
    rewritten = _translated(sql, scans=True)
    assert "EXISTS" not in rewritten and " IN (SELECT a.k FROM a WHERE " in rewritten
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE a (k TEXT, n INT)")
    connection.execute("CREATE TABLE b (k TEXT)")
    plan = " ".join(row[-1] for row in connection.execute(f"EXPLAIN QUERY PLAN {rewritten}"))
    assert "CORRELATED" not in plan and "LIST SUBQUERY" in plan
    original = " ".join(row[-1] for row in connection.execute(
        "EXPLAIN QUERY PLAN " + sqlglot.transpile(sql, read="tsql", write="sqlite")[0]))
    assert "CORRELATED" in original  # (what the rewrite is for)
    assert "EXISTS" in _translated(sql, scans=False)
    assert "EXISTS" in _translated("SELECT 1 FROM b WHERE EXISTS (SELECT 1 FROM a "
                                   "WHERE a.k = b.k AND a.n > b.n)", scans=True)
    assert "EXISTS" in _translated("SELECT 1 FROM b WHERE EXISTS (SELECT 1 FROM a "
                                   "WHERE a.k = b.k GROUP BY a.k HAVING COUNT(*) > 1)",
                                   scans=True)


def test_a_table_with_an_index_keeps_its_subquery(small_sqlite: tuple) -> None:
    """SQLite's plan for the inner rows of one outer row reads the table whole without an
    index (the subquery becomes a lookup) and finds them by the index with one (it is kept);
    the answers are the same either way."""
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TEMP TABLE a (k TEXT, n INT)")
    probe = 'SELECT 1 FROM "a" WHERE "k" = 0'

    def plan() -> list[str]:
        return [row[-1] for row in connection.execute(f"EXPLAIN QUERY PLAN {probe}")]

    assert exists_lookups.plan_scans(plan())
    connection.execute("CREATE INDEX ix_k ON a (k)")
    assert not exists_lookups.plan_scans(plan())
    assert exists_lookups.plan_scans(["SCAN b", "CORRELATED SCALAR SUBQUERY 1", "SEARCH a"])
    db = str(small_sqlite[0])
    query = "SELECT COUNT(*) FROM #a a WHERE NOT EXISTS (SELECT 1 FROM #b b WHERE b.k = a.k)"
    assert _rows(db, SETUP + query) == _rows(
        db, SETUP + "CREATE INDEX ix_k ON #b (k)\n" + query) == [(2,)]


def test_a_correlated_subquery_on_a_scripts_table_gets_an_index_on_sqlite() -> None:
    """A subquery that reads a temporary table by an equality with its outer query (in the
    select list, an UPDATE's SET) makes that table's index before the statement on SQLite,
    where its plan would scan the table for each outer row; with it, SQLite finds the rows by
    the index. None for the extract's tables, a table already indexed, or other targets."""
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TEMP TABLE a (k TEXT, n INT)")
    connection.execute("CREATE TEMP TABLE b (k TEXT, n INT)")
    connection.execute("CREATE TABLE extract (k TEXT)")

    def plan(sql: str) -> str:
        return " | ".join(row[-1] for row in connection.execute(f"EXPLAIN QUERY PLAN {sql}"))

    def made(sql: str, dialect: str = "sqlite") -> tuple[str, ...]:
        tree = sqlglot.parse_one(sql, read="tsql")
        return lookup_indexes.statements(
            tree, dialect, lambda table: None,
            lambda name: connection.execute("SELECT 1 FROM temp.sqlite_master WHERE "
                                            "name = ?", (name,)).fetchone() is not None,
            lambda probe: exists_lookups.plan_scans(plan(probe).split(" | ")))

    scalar = "SELECT b.k, (SELECT MAX(a.n) FROM a WHERE a.k = b.k AND a.n > b.n) FROM b"
    update = "UPDATE b SET n = (SELECT COUNT(*) FROM a WHERE a.n = b.n AND a.k = b.k)"
    assert made(scalar) == ('CREATE INDEX IF NOT EXISTS temp."leo_lookup_a_k" ON "a" ("k")',)
    assert made(update) == ('CREATE INDEX IF NOT EXISTS temp."leo_lookup_a_n_k" ON "a" '
                            '("n", "k")',)
    rendered = sqlglot.transpile(scalar, read="tsql", write="sqlite")[0]
    assert "USING" not in plan(rendered)  # (SQLite reads all of a for each row of b)
    for statement in made(scalar):
        connection.execute(statement)
    assert "SEARCH a USING INDEX leo_lookup_a_k" in plan(rendered)
    assert made(scalar) == ()  # (indexed now: SQLite's plan finds the rows by it)
    assert made(scalar, "duckdb") == ()
    assert made("SELECT (SELECT COUNT(*) FROM extract e WHERE e.k = b.k) FROM b") == ()
    assert made("SELECT (SELECT COUNT(*) FROM a WHERE a.k = 'x') FROM b") == ()


@pytest.mark.parametrize("backend", BACKENDS)
def test_correlated_subqueries_on_the_scripts_tables_answer_as_sql_server(
        backend: str, request: pytest.FixtureRequest) -> None:
    """The same answers with the index SQLite is given as without it, on every target."""
    db = _db(request, backend)
    assert _rows(db, SETUP + """SELECT a.k, (SELECT COUNT(*) FROM #b b WHERE b.k = a.k),
    (SELECT MAX(b.n) FROM #b b WHERE b.k = a.k AND b.n < 5) FROM #a a ORDER BY a.n""") == [
        ("z", 1, 4), ("x", 2, 1), ("y", 1, None), (None, 0, None), ("w", 0, None)]
    assert _rows(db, SETUP + """UPDATE #a SET n = (SELECT SUM(b.n) FROM #b b WHERE b.k = #a.k)
SELECT k, n FROM #a ORDER BY k""") == [(None, None), ("w", None), ("x", 8), ("y", 9),
                                       ("z", 4)]
