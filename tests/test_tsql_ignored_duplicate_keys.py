"""`leo-synth sql`: a key declared ``WITH (IGNORE_DUP_KEY = ON)`` (a column's ``PRIMARY KEY``,
a table's ``PRIMARY KEY (a, b)``, a ``CREATE UNIQUE INDEX``) makes an ``INSERT`` leave out the
rows whose key the table holds already or an earlier row of the statement gives, as SQL
Server does ("Duplicate key was ignored."); every target stopped with a violation of the
primary key, or kept the duplicates of the index."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_primary_key_ignoring_duplicates_keeps_the_rows_it_held(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #t (id INT PRIMARY KEY WITH (IGNORE_DUP_KEY = ON), v INT)
INSERT INTO #t VALUES (1, 10), (2, 20)
INSERT INTO #t VALUES (2, 21), (3, 30), (3, 30)
DECLARE @added INT = @@ROWCOUNT
INSERT INTO #t (v, id) SELECT v + 1, id FROM #t
SELECT id, v, @added, @@ROWCOUNT FROM #t ORDER BY id""") == [
        (1, 10, 1, 0), (2, 20, 1, 0), (3, 30, 1, 0)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_tables_key_and_a_unique_index_ignoring_duplicates(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #k (a INT, b VARCHAR(5), v INT,
    CONSTRAINT pk_k PRIMARY KEY CLUSTERED (a, b) WITH (IGNORE_DUP_KEY = ON, FILLFACTOR = 90))
INSERT INTO #k (a, b, v) VALUES (1, 'x', 10), (2, 'x', 20)
INSERT INTO #k (v, b, a) SELECT 5, 'x', 1 UNION ALL SELECT 6, 'y', 1
CREATE TABLE #u (id INT, v INT)
INSERT INTO #u VALUES (7, 70)
CREATE UNIQUE NONCLUSTERED INDEX ix_u ON #u (id) WITH (IGNORE_DUP_KEY = ON)
INSERT INTO #u SELECT a, v FROM #k WHERE b = 'x'
INSERT INTO #u SELECT 7, 71 UNION ALL SELECT 9, 90 UNION ALL SELECT 9, 90
SELECT 'k' + b, a, v FROM #k UNION ALL SELECT 'u', id, v FROM #u ORDER BY 1, 2""") == [
        ("kx", 1, 10), ("kx", 2, 20), ("ky", 1, 6),
        ("u", 1, 10), ("u", 2, 20), ("u", 7, 70), ("u", 9, 90)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_first_aim_per_learner_kept_by_an_ignoring_key(
        backend: str, request: pytest.FixtureRequest) -> None:
    """The dedupe researchers write: a row per learner, the others dropped without a word;
    a key without the option (or with it OFF) still stops at a duplicate."""
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #aims (learner INT, aim VARCHAR(8), start DATE)
INSERT INTO #aims VALUES (1, '60012345', '2019-09-01'), (1, '5001234X', '2020-09-01'),
    (2, '60054321', '2018-09-03'), (3, 'ZPROG001', '2019-01-07'), (3, 'ZPROG001', '2019-01-07')
CREATE TABLE #learners (learner INT NOT NULL, n INT)
CREATE UNIQUE CLUSTERED INDEX ux ON #learners (learner) WITH (IGNORE_DUP_KEY = ON)
INSERT INTO #learners SELECT learner, COUNT(*) FROM #aims GROUP BY learner
INSERT INTO #learners SELECT learner, 0 FROM #aims
CREATE TABLE #strict (learner INT PRIMARY KEY WITH (IGNORE_DUP_KEY = OFF))
DECLARE @said NVARCHAR(200)
BEGIN TRY INSERT INTO #strict SELECT learner FROM #aims END TRY
BEGIN CATCH SET @said = LEFT(ERROR_MESSAGE(), 35) END CATCH
SELECT l.learner, l.n, (SELECT COUNT(*) FROM #strict), @said FROM #learners l
ORDER BY l.learner""") == [(1, 2, 0, "Violation of PRIMARY KEY constraint"),
                           (2, 1, 0, "Violation of PRIMARY KEY constraint"),
                           (3, 2, 0, "Violation of PRIMARY KEY constraint")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_tables_unique_constraint_ignoring_duplicates(
        backend: str, request: pytest.FixtureRequest) -> None:
    """A table's ``UNIQUE (a, b) WITH (IGNORE_DUP_KEY = ON)``, named or not (sqlglot parsed
    the unnamed one not at all); without the option a duplicate is SQL Server's 2627 for a
    ``UNIQUE KEY`` (the targets' words named a primary key)."""
    db = _db(request, backend)
    inserts = """INSERT INTO #t VALUES (1, 'x', 1), (1, 'x', 2), (2, 'x', 3)
INSERT INTO #t VALUES (2, 'x', 4), (2, 'y', 5)
SELECT a, b, v FROM #t ORDER BY v"""
    kept = [(1, "x", 1), (2, "x", 3), (2, "y", 5)]
    for key in ("CONSTRAINT uq UNIQUE (a, b) WITH (IGNORE_DUP_KEY = ON)",
                "UNIQUE NONCLUSTERED (a, b) WITH (IGNORE_DUP_KEY = ON)",
                "CONSTRAINT uq_k UNIQUE CLUSTERED (b, a) WITH (FILLFACTOR = 90,"
                " IGNORE_DUP_KEY = ON)"):
        assert _rows(db, f"CREATE TABLE #t (a INT, b VARCHAR(5), v INT, {key})\n{inserts}"
                     ) == kept, key
    assert _rows(db, """CREATE TABLE #t (a INT, b VARCHAR(5), v INT, CONSTRAINT uq UNIQUE (a, b))
INSERT INTO #t VALUES (2, 'x', 3)
DECLARE @m NVARCHAR(300), @n INT, @m2 NVARCHAR(300), @m3 NVARCHAR(300)
BEGIN TRY INSERT INTO #t VALUES (1, 'x', 1), (1, 'x', 2) END TRY
BEGIN CATCH SELECT @m = ERROR_MESSAGE(), @n = ERROR_NUMBER() END CATCH
BEGIN TRY INSERT INTO #t VALUES (2, 'x', 9) END TRY BEGIN CATCH SET @m2 = ERROR_MESSAGE() END CATCH
CREATE TABLE #p (a INT PRIMARY KEY, b INT UNIQUE)
BEGIN TRY INSERT INTO #p VALUES (1, 1), (1, 2) END TRY
BEGIN CATCH SET @m3 = ERROR_MESSAGE() END CATCH
SELECT @n, LEFT(@m, 34), LEFT(@m2, 34), LEFT(@m3, 35), (SELECT COUNT(*) FROM #t)""") == [
        (2627, "Violation of UNIQUE KEY constraint", "Violation of UNIQUE KEY constraint",
         "Violation of PRIMARY KEY constraint", 1)]
