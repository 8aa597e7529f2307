"""`leo-synth sql`: RAISERROR, THROW, @@ERROR and transactions, as SQL Server runs them, on
every backend."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows

from leo_synth.tsql import runner
from leo_synth.tsql.command import run_text
from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.raised_errors import format_message
from leo_synth.tsql.targets import open_target


def test_messages_are_formatted_as_raiserror_formats_them() -> None:
    assert format_message("Built %s: %d rows, 100%%", ["cohort", 12]) == (
        "Built cohort: 12 rows, 100%")
    assert format_message("[%-6s][%05d][%x][%*d][%.2s][%i]", ["ab", 42, 255, 4, 7, "abcdef",
                                                                "-3"]) == (
        "[ab    ][00042][ff][   7][ab][-3]")
    # a missing or NULL argument, and an unsigned negative, as C writes them
    assert format_message("%s and %d; %u", [None]) == "(null) and (null); (null)"
    assert format_message("%u", [-1]) == "4294967295"


def _shown(db: str, text: str) -> tuple[list[str], list[runner.Result]]:
    shown: list[str] = []
    target = open_target(db)
    try:
        results = runner.Runner(target, shown.append).run(runner.check(text), None, True)
    finally:
        target.close()
    return shown, results


RAISED = """DECLARE @n INT = 3
RAISERROR('Step %d of %d: %s', 0, 1, 1, @n, 'cohort') WITH NOWAIT
SELECT @@ERROR AS after_select
RAISERROR('Check failed: %d rows', 16, 1, @n)
SELECT @@ERROR AS after_raiserror, @@ERROR AS read_twice
BEGIN TRY
    RAISERROR('In try: %s', 16, 2, 'stopped')
    PRINT 'not reached'
END TRY
BEGIN CATCH
    SELECT ERROR_NUMBER(), ERROR_MESSAGE(), ERROR_SEVERITY(), ERROR_STATE(), ERROR_LINE()
END CATCH
BEGIN TRY
    SELECT 1 / 0
END TRY
BEGIN CATCH
    SELECT ERROR_NUMBER(), @@ERROR
END CATCH"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_raiserror_shows_or_raises_by_severity(backend: str,
                                               request: pytest.FixtureRequest) -> None:
    # severity 10 or less is a message; above it is an error, caught in a TRY block and
    # shown as SQL Server shows it (and the batch goes on) outside one
    shown, results = _shown(_db(request, backend), RAISED)
    assert shown == ["Step 1 of 3: cohort", "Msg 50000, Level 16, State 1, Line 4",
                     "Check failed: 3 rows"]
    assert [r.rows for r in results] == [
        [(0,)], [(50000, 50000)], [(50000, "In try: stopped", 16, 2, 7)], [(8134, 8134)]]


THROWN = """CREATE TABLE #log (step VARCHAR(60))
BEGIN TRY
    BEGIN TRY
        THROW 50001, 'No pupils in the cohort', 3;
    END TRY
    BEGIN CATCH
        INSERT INTO #log VALUES ('inner ' + CAST(ERROR_NUMBER() AS VARCHAR(6)));
        THROW;
    END CATCH
END TRY
BEGIN CATCH
    INSERT INTO #log VALUES ('outer ' + ERROR_MESSAGE() + ' at ' + CAST(ERROR_LINE() AS
        VARCHAR(3)) + ' state ' + CAST(ERROR_STATE() AS VARCHAR(3)))
END CATCH
BEGIN TRY
    THROW 1205, 'too low', 1
END TRY
BEGIN CATCH
    INSERT INTO #log VALUES ('range ' + CAST(ERROR_NUMBER() AS VARCHAR(6)))
END CATCH
SELECT step FROM #log ORDER BY step"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_throw_raises_and_a_bare_throw_raises_again(backend: str,
                                                    request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _rows(db, THROWN) == [("inner 50001",),
                                 ("outer No pupils in the cohort at 4 state 3",),
                                 ("range 35100",)]
    # outside a TRY block THROW ends the script, with its message and line
    with pytest.raises(ScriptError, match="line 2: No pupils"):
        run_text(db, "SELECT 1\nTHROW 50001, 'No pupils', 1\nSELECT 2", "tsql", None, False)


TRANSACTIONS = """CREATE TABLE #t (n INT)
CREATE TABLE #log (n INT, trancount INT, state INT)
BEGIN TRANSACTION
INSERT INTO #t VALUES (1)
BEGIN TRAN inner_one
INSERT INTO #log VALUES (1, @@TRANCOUNT, XACT_STATE())
COMMIT TRAN inner_one
COMMIT
INSERT INTO #log VALUES (2, @@TRANCOUNT, XACT_STATE())
BEGIN TRY
    COMMIT TRANSACTION
END TRY
BEGIN CATCH
    INSERT INTO #log VALUES (ERROR_NUMBER(), @@TRANCOUNT, 0)
END CATCH
BEGIN TRAN
SAVE TRANSACTION before_reading
SELECT @@ROWCOUNT
ROLLBACK
INSERT INTO #log VALUES (3, @@TRANCOUNT, XACT_STATE())
SELECT n, trancount, state FROM #log ORDER BY n"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_transactions_are_counted_and_committed(backend: str,
                                                request: pytest.FixtureRequest) -> None:
    # a ROLLBACK after nothing changed closes the transaction, as in SQL Server
    db = _db(request, backend)
    assert _rows(db, TRANSACTIONS) == [(1, 2, 1), (2, 0, 0), (3, 0, 0), (3902, 0, 0)]


UNDONE = """CREATE TABLE #a (id INT IDENTITY(1, 1) PRIMARY KEY, v VARCHAR(5) NOT NULL,
                 d DATE, m DECIMAL(6, 2))
INSERT INTO #a (v, d, m) VALUES ('x', '2016-01-02', 1.25), ('y', NULL, 2.5), ('z', NULL, NULL)
DECLARE @t TABLE (n INT)
INSERT INTO @t VALUES (1), (2)
CREATE TABLE #log (step INT, n INT, trancount INT)
BEGIN TRAN
DELETE FROM #a WHERE v = 'x'
UPDATE a SET m = 99 FROM #a a WHERE a.v = 'y'
DELETE FROM @t WHERE n = 1
SELECT * INTO #made FROM #a
MERGE #a USING (SELECT 'q' AS v) AS s ON #a.v = s.v WHEN NOT MATCHED THEN INSERT (v) VALUES (s.v);
EXEC ('TRUNCATE TABLE #log')
ROLLBACK
INSERT INTO #log SELECT 1, COUNT(*), @@TRANCOUNT FROM #a
INSERT INTO #log SELECT 2, SUM(m), @@TRANCOUNT FROM #a
INSERT INTO #log SELECT 3, COUNT(*), @@TRANCOUNT FROM @t
INSERT INTO #log SELECT 4, CASE WHEN OBJECT_ID('tempdb..#made') IS NULL THEN 0 ELSE 1 END, 0
BEGIN TRAN outer_one
INSERT INTO #a (v) VALUES ('p')
SAVE TRAN before_delete
DELETE FROM #a
ROLLBACK TRAN before_delete
DECLARE @seen TABLE (step INT, n INT, trancount INT)
INSERT INTO @seen SELECT 5, COUNT(*), @@TRANCOUNT FROM #a
INSERT INTO #log SELECT 6, COUNT(*), @@TRANCOUNT FROM #a
ROLLBACK TRAN outer_one
INSERT INTO #log SELECT 7, COUNT(*), @@TRANCOUNT FROM #a
SELECT step, n, trancount FROM #log UNION ALL SELECT * FROM @seen ORDER BY step"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_rollback_puts_back_the_scripts_tables(backend: str,
                                                request: pytest.FixtureRequest) -> None:
    # as SQL Server: the #temp tables' rows come back (#log's row 6 too), a table made since
    # is gone, table variables keep their changes; ROLLBACK TRAN savepoint keeps the
    # transaction open
    db = _db(request, backend)
    assert _rows(db, UNDONE) == [(1, 3, 0), (2, 3, 0), (3, 1, 0), (4, 0, 0), (5, 4, 1),
                                 (7, 3, 0)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_rollback_keeps_earlier_views_and_drops_those_made_since(
        backend: str, request: pytest.FixtureRequest) -> None:
    # a view of the session was copied and "put back" as a table: SQLite stopped with
    # "cannot modify v because it is a view"
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #t (n INT)
INSERT INTO #t VALUES (1)
GO
CREATE VIEW dbo.v AS SELECT n FROM #t
GO
BEGIN TRAN
INSERT INTO #t VALUES (2)
GO
CREATE VIEW dbo.w AS SELECT n FROM #t
GO
ROLLBACK
SELECT (SELECT COUNT(*) FROM dbo.v), CASE WHEN OBJECT_ID('dbo.w') IS NULL THEN 0 ELSE 1 END,
       CASE WHEN OBJECT_ID('dbo.v') IS NULL THEN 0 ELSE 1 END""") == [(1, 0, 1)]


def test_the_handlers_rollback_undoes_the_try_blocks_changes(small_sqlite) -> None:
    db = str(small_sqlite[0])
    text = """CREATE TABLE #t (n INT)
INSERT INTO #t VALUES (1)
BEGIN TRY
    BEGIN TRAN
    INSERT INTO #t VALUES (2)
    SELECT 1 / 0
    COMMIT
END TRY
BEGIN CATCH
    IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
    SELECT COUNT(*) AS n, @@TRANCOUNT AS open_transactions, ERROR_LINE() AS failed FROM #t
END CATCH"""
    assert _rows(db, text) == [(1, 0, 6)]
    with pytest.raises(ScriptError, match="line 1: The ROLLBACK TRANSACTION request has no "
                       "corresponding BEGIN TRANSACTION"):
        run_text(db, "ROLLBACK", "tsql", None, False)


def test_a_rollback_that_would_undo_a_tables_definition_stops_the_script(small_sqlite
                                                                         ) -> None:
    db = str(small_sqlite[0])
    text = """CREATE TABLE #t (n INT)
BEGIN TRAN
INSERT INTO #t VALUES (1)
ALTER TABLE #t ADD m INT
ROLLBACK"""
    with pytest.raises(ScriptError, match=r"line 5: ROLLBACK cannot undo the change of #t's "
                       r"definition at line 4 \(since line 2\)"):
        run_text(db, text, "tsql", None, False)
    # a table made and dropped inside the transaction is no table the rollback restores
    made = """CREATE TABLE #t (n INT)
BEGIN TRAN
SELECT 1 AS n INTO #u
DROP TABLE #u
INSERT INTO #t VALUES (1)
ROLLBACK
SELECT COUNT(*) FROM #t"""
    assert _rows(db, made) == [(0,)]


def test_a_rollback_to_a_name_no_transaction_has_fails_as_in_sql_server(small_sqlite) -> None:
    db = str(small_sqlite[0])
    text = """DECLARE @point VARCHAR(10) = 'saved'
CREATE TABLE #t (n INT)
BEGIN TRAN
SAVE TRAN @point
INSERT INTO #t VALUES (1)
ROLLBACK TRAN @point
BEGIN TRY
    ROLLBACK TRAN other
END TRY
BEGIN CATCH
    SELECT ERROR_NUMBER(), ERROR_MESSAGE(), @@TRANCOUNT, (SELECT COUNT(*) FROM #t)
END CATCH"""
    assert _rows(db, text) == [(6401, "Cannot roll back other. No transaction or savepoint "
                                      "of that name was found.", 1, 0)]


@pytest.mark.parametrize(("text", "message"), [
    ("RAISERROR 'old form', 16, 1", "line 1: RAISERROR needs its arguments in brackets"),
    ("RAISERROR('two', 16)", "line 1: RAISERROR takes a message, a severity and a state"),
    ("THROW 50001, 'two'", "line 1: THROW takes a number, a message and a state"),
])
def test_raised_errors_are_read_whole(text: str, message: str) -> None:
    with pytest.raises(ScriptError, match=message):
        runner.check(text)


def test_a_bare_throw_outside_a_catch_block_is_refused(small_sqlite) -> None:
    with pytest.raises(ScriptError, match="line 2: THROW without arguments must be in a CATCH"):
        run_text(str(small_sqlite[0]), "SELECT 1\nTHROW", "tsql", None, False)


def test_a_break_out_of_a_try_block_leaves_it(small_sqlite) -> None:
    # the RAISERROR after the loop is outside every TRY block: shown, and the batch goes on
    text = """DECLARE @i INT = 0
WHILE @i < 3
BEGIN
    SET @i += 1
    BEGIN TRY
        IF @i = 2 BREAK
    END TRY
    BEGIN CATCH
        PRINT 'not run'
    END CATCH
END
RAISERROR('after the loop', 16, 1)
SELECT @i, @@ERROR"""
    shown, results = _shown(str(small_sqlite[0]), text)
    assert shown == ["Msg 50000, Level 16, State 1, Line 12", "after the loop"]
    assert results[-1].rows == [(2, 50000)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_raised_message_reads_the_rowcount(backend: str,
                                             request: pytest.FixtureRequest) -> None:
    # @@ROWCOUNT read only by RAISERROR's arguments: SQLite counted the SELECT ... INTO as 0
    text = """SELECT TOP 5 PupilMatchingRefAnonymous_spr11 AS pmr INTO #x
FROM [NPD_i2].[2002237].[spring_census_2011]
RAISERROR('%d rows', 0, 1, @@ROWCOUNT) WITH NOWAIT"""
    shown, _ = _shown(_db(request, backend), text)
    assert shown == ["5 rows"]
