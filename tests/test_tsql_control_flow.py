"""`leo-synth sql`: T-SQL's control flow (IF, WHILE, BEGIN ... END) and dynamic SQL (EXEC,
sp_executesql), as SRS scripts use them to loop over years, on every backend."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows, _value

from leo_synth.tsql import blocks, runner
from leo_synth.tsql.command import run_text
from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.targets import open_target

# --- reading ----------------------------------------------------------------------------------


def _shape(nodes: tuple[blocks.Node, ...] | list[blocks.Node]) -> list:
    """Each node as its kind and line, blocks nested."""
    shapes: list = []
    for node in nodes:
        if isinstance(node, blocks.If):
            shapes.append(("If", node.line, _shape(node.then), _shape(node.otherwise)))
        elif isinstance(node, blocks.While):
            shapes.append(("While", node.line, _shape(node.body)))
        elif isinstance(node, blocks.Jump):
            shapes.append((node.word, node.line))
        elif isinstance(node, blocks.Exec):
            shapes.append(("Exec" if node.into is None else "InsertExec", node.line))
        else:
            shapes.append((type(node.tree).__name__, node.line))
    return shapes


def test_blocks_branches_and_loops_are_read_with_their_lines() -> None:
    text = """DECLARE @y INT = 2011;
WHILE @y <= 2013
BEGIN
    IF @y = 2012 BEGIN SET @y += 1; CONTINUE; END
    ELSE IF @y > 2012 BREAK
    ELSE PRINT 'year ' + CAST(@y AS VARCHAR(4))
    SET @y = @y + 1;
END
SELECT @y AS y
IF OBJECT_ID('tempdb..#t') IS NOT NULL DROP TABLE #t
INSERT INTO #t (y) EXEC ('SELECT 1')
EXEC sp_executesql N'SELECT @a', N'@a INT', @a = 1
"""
    assert _shape(blocks.read(text)) == [
        ("Declare", 1),
        ("While", 2, [
            ("If", 4, [("Set", 4), ("CONTINUE", 4)],
             [("If", 5, [("BREAK", 5)], [("Command", 6)])]),
            ("Set", 7)]),
        ("Select", 9),
        ("If", 10, [("Drop", 10)], []),
        ("InsertExec", 11),
        ("Exec", 12)]


def test_a_semicolon_before_end_does_not_swallow_what_follows() -> None:
    # sqlglot's tokenizer read everything after "; END" up to the next semicolon as one string
    text = "IF 1 = 1\nBEGIN\n  SELECT 1;\nEND\nSELECT 2\nPRINT 'done'\nSELECT 3"
    assert _shape(blocks.read(text)) == [
        ("If", 1, [("Select", 3)], []), ("Select", 5), ("Command", 6), ("Select", 7)]


def test_compound_assignment_is_read_as_the_operation() -> None:
    [node] = blocks.read("SET @n *= 2 + 1")
    assert node.tree.sql("tsql") == "SET @n = @n * (2 + 1)"


# --- running, on every backend ----------------------------------------------------------------

YEARS_LOOP = """IF OBJECT_ID('tempdb..#cohort') IS NOT NULL DROP TABLE #cohort
CREATE TABLE #cohort (yr INT, pupils INT)
DECLARE @yr INT = 2011, @sql NVARCHAR(MAX)
WHILE @yr <= 2014
BEGIN
    SET @sql = N'INSERT INTO #cohort SELECT ' + CAST(@yr AS VARCHAR(4))
        + ', COUNT(*) FROM [NPD_i2].[2002237].[spring_census_' + CAST(@yr AS VARCHAR(4))
        + '] WHERE NCyearActual_spr' + RIGHT(CAST(@yr AS VARCHAR(4)), 2) + ' = ''11''';
    EXEC (@sql);
    SET @yr += 1;
END
SELECT yr, pupils FROM #cohort ORDER BY yr"""

YEARS_UNION = " UNION ALL ".join(
    f"SELECT {y} AS yr, COUNT(*) AS pupils FROM [NPD_i2].[2002237].[spring_census_{y}] "
    f"WHERE NCyearActual_spr{y % 100} = '11'" for y in range(2011, 2015))


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_loop_of_dynamic_sql_over_years(backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    direct = _rows(db, YEARS_UNION + " ORDER BY yr")
    assert [r[0] for r in direct] == [2011, 2012, 2013, 2014] and sum(r[1] for r in direct)
    assert _rows(db, YEARS_LOOP) == direct


@pytest.mark.parametrize("backend", BACKENDS)
def test_branches_jumps_and_assignments(backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    text = """CREATE TABLE #log (step INT, what VARCHAR(10))
DECLARE @i INT = 0, @none INT, @last INT = -1
WHILE 1 = 1
BEGIN
    SET @i += 1
    IF @i % 2 = 0 CONTINUE
    IF @i > 7 BREAK
    ELSE IF @i = 5
        INSERT INTO #log VALUES (@i, 'five')
    ELSE
    BEGIN
        DECLARE @kept INT
        SET @kept = ISNULL(@kept, 0) + @i
        INSERT INTO #log VALUES (@kept, 'odd')
    END
END
SELECT @last = step FROM #log WHERE what = 'nothing'
SELECT @none = COUNT(*) FROM #log
SELECT TOP 1 @last = step FROM #log ORDER BY step DESC
IF @none IS NULL OR @last IS NULL RETURN
SELECT step, what, @none AS n, @last AS last_step FROM #log ORDER BY step
GO
SELECT 'next batch' AS b"""
    result = run_text(db, text, "tsql", None, True)
    assert [[tuple(r) for r in res.rows] for res in result] == [
        [(1, "odd", 4, 11), (4, "odd", 4, 11), (5, "five", 4, 11), (11, "odd", 4, 11)],
        [("next batch",)]]
    # RETURN leaves its batch only; a SELECT @x = ... of no rows leaves @x as it was
    ended = run_text(db, "DECLARE @x INT = 3\nSELECT @x = 1 WHERE 1 = 0\nIF @x = 3 RETURN\n"
                     "SELECT 'not shown'\nGO\nSELECT 'shown' AS s", "tsql", None, True)
    assert [r.rows for r in ended] == [[("shown",)]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_dynamic_sql_runs_in_a_scope_of_its_own(backend: str,
                                                request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    text = """CREATE TABLE #seen (n INT)
INSERT INTO #seen VALUES (1), (2), (3)
DECLARE @min INT = 2
CREATE TABLE #got (n INT, doubled INT)
INSERT INTO #got EXEC sp_executesql N'SELECT n, n * @k FROM #seen WHERE n >= @low',
    N'@low INT, @k INT', @low = @min, @k = 2
EXEC ('SELECT 9 AS made INTO #inside')
SELECT n, doubled, CASE WHEN OBJECT_ID('tempdb..#inside') IS NULL THEN 'gone' END AS inside,
       CASE WHEN OBJECT_ID('[LEO_i2].[2002237].[leo_earnings]') IS NOT NULL THEN 1 END AS known
FROM #got ORDER BY n"""
    assert _rows(db, text) == [(2, 4, "gone", 1), (3, 6, "gone", 1)]
    with pytest.raises(ScriptError, match=r"^line 2: in the SQL EXEC runs, line 1: @y is not "
                                          r"declared"):
        run_text(db, "DECLARE @y INT = 1\nEXEC ('SELECT @y')", "tsql", None, False)


PROCEDURE = """IF OBJECT_ID('dbo.count_year', 'P') IS NOT NULL DROP PROCEDURE dbo.count_year
GO
CREATE PROCEDURE dbo.count_year (@y INT, @min INT = 0) AS
BEGIN
    SET NOCOUNT ON
    SELECT @y AS yr, COUNT(*) AS n INTO #c FROM #pay WHERE yr = @y AND pay > @min
    INSERT INTO #all SELECT yr, n FROM #c
    IF @min > 100 RETURN
    SELECT yr, n FROM #c
END
GO
"""
PAY = """CREATE TABLE #pay (yr INT, pay INT)
INSERT INTO #pay VALUES (2015, 10), (2015, 50), (2016, 20), (2016, 200), (2017, 5)
CREATE TABLE #all (yr INT, n INT)
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_scripts_stored_procedures(backend: str, request: pytest.FixtureRequest) -> None:
    """CREATE PROCEDURE, then EXEC by position, by name, with defaults, into a table; its
    #temp tables are its own, RETURN leaves it; DROP PROCEDURE (each stopped the script)."""
    db = _db(request, backend)
    results = run_text(db, PROCEDURE + PAY + """EXEC dbo.count_year @y = 2015
EXEC count_year 2016, 30
EXECUTE dbo.count_year @min = DEFAULT, @y = 2017
EXEC dbo.count_year 2016, 500
INSERT INTO #all EXEC dbo.count_year 2015, 20
SELECT yr, n FROM #all ORDER BY yr, n
SELECT CASE WHEN OBJECT_ID('dbo.count_year') > 0 THEN 1 END, OBJECT_ID('tempdb..#c')
DROP PROCEDURE dbo.count_year
DROP PROCEDURE IF EXISTS dbo.count_year
SELECT OBJECT_ID('dbo.count_year')""", "tsql", None, True)
    assert [(r.line, r.rows) for r in results] == [
        (15, [(2015, 2)]), (16, [(2016, 1)]), (17, [(2017, 1)]),
        (20, [(2015, 1), (2015, 1), (2015, 2), (2016, 0), (2016, 1), (2017, 1)]),
        (21, [(1, None)]), (24, [(None,)])]


@pytest.mark.parametrize(("call", "words"), [
    ("EXEC dbo.count_year", "line 15: Procedure or function 'count_year' expects parameter "
                            "'@y', which was not supplied."),
    ("EXEC dbo.count_year 1, 2, 3", "line 15: Procedure or function count_year has too many "
                                    "arguments specified."),
    ("EXEC dbo.count_year @year = 1", "line 15: @year is not a parameter for procedure "
                                      "count_year."),
    ("EXEC dbo.nosuch 1", "line 15: Could not find stored procedure 'nosuch'."),
    ("DROP PROCEDURE nosuch", "line 15: Cannot drop the procedure 'nosuch', because it does "
                              "not exist"),
    ("EXEC dbo.count_year 2015\nGO\nCREATE PROC count_year AS SELECT 1",
     "line 17: There is already an object named 'count_year' in the database."),
    ("DROP TABLE #all\nEXEC dbo.count_year 2015", "line 16: in procedure count_year, line 7: "),
    ("GO\nCREATE PROC r @n INT AS EXEC r @n\nGO\nEXEC r 1",
     "line 18: Maximum stored procedure, function, trigger, or view nesting level exceeded "
     "(limit 32)."),
])
def test_stored_procedures_fail_as_in_sql_server(small_sqlite, call: str, words: str) -> None:
    with pytest.raises(ScriptError) as failure:
        run_text(str(small_sqlite[0]), PROCEDURE + PAY + call, "tsql", None, False)
    assert str(failure.value).startswith(words)


def test_a_procedures_errors_are_caught_where_it_runs(small_sqlite) -> None:
    text = """CREATE PROC p AS SELECT 1 / 0 AS v
GO
BEGIN TRY EXEC p END TRY BEGIN CATCH SELECT ERROR_NUMBER(), ERROR_MESSAGE() END CATCH"""
    assert _rows(str(small_sqlite[0]), text) == [(8134, "Divide by zero error encountered.")]
    # so are dynamic SQL's (the error stopped the script, past the CATCH)
    assert _rows(str(small_sqlite[0]), "BEGIN TRY EXEC ('SELECT 1 / 0') END TRY BEGIN CATCH "
                 "SELECT ERROR_NUMBER() END CATCH") == [(8134,)]
    # what its body cannot translate stops the script before anything runs
    with pytest.raises(ScriptError, match=r"^line 4: Incorrect syntax near 'LIMIT'"):
        runner.check("SELECT 1\nGO\nCREATE PROC p AS\nSELECT 1 AS x LIMIT 1\nGO\nSELECT 2")


DYNAMIC_PIVOT = """CREATE TABLE #k (g VARCHAR(1), yr INT)
INSERT INTO #k VALUES ('F', 2019), ('F', 2020), ('M', 2020), ('F', 2020)
DECLARE @cols NVARCHAR(MAX) = '', @list NVARCHAR(MAX) = '', @sql NVARCHAR(MAX)
SELECT @list = @list + CAST(yr AS VARCHAR(4)) + ';' FROM #k ORDER BY yr DESC
SET @cols = STUFF((SELECT DISTINCT ',' + QUOTENAME(yr) FROM #k FOR XML PATH('')), 1, 1, '')
SET @sql = N'SELECT g, ' + @cols + ', ''' + @list + ''' AS seen FROM (SELECT g, yr, 1 AS n '
    + 'FROM #k) s PIVOT (COUNT(n) FOR yr IN (' + @cols + ')) p ORDER BY g'
EXEC sp_executesql @sql"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_dynamic_pivot_over_the_values_found(backend: str,
                                               request: pytest.FixtureRequest) -> None:
    # SELECT @s = @s + ... adds each row's part in turn (the list), QUOTENAME brackets
    assert _rows(_db(request, backend), DYNAMIC_PIVOT) == [
        ("F", 1, 2, "2020;2020;2020;2019;"), ("M", 0, 1, "2020;2020;2020;2019;")]


LISTS = """CREATE TABLE #c (code VARCHAR(3), n INT)
INSERT INTO #c VALUES ('b', 2), ('a', 1), (NULL, 3), ('c', 4)
DECLARE @list VARCHAR(100), @short VARCHAR(100), @back VARCHAR(100) = '', @n INT = 0
SELECT @list = COALESCE(@list + ', ', '') + code FROM #c WHERE code IS NOT NULL ORDER BY code
SELECT @short = ISNULL(@short + ';', '') + code, @n = @n + n * 10 FROM #c ORDER BY n
SELECT @back = code + @back FROM #c WHERE n < 3 ORDER BY n
SELECT @list, @short, @back, @n"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_list_built_by_coalesce_of_the_variable(backend: str,
                                                  request: pytest.FixtureRequest) -> None:
    """``SELECT @s = COALESCE(@s + ', ', '') + x`` (or ``ISNULL``) joins the rows in turn, as
    SQL Server does; it kept the last row alone. A NULL part makes the list NULL, and the
    next row starts it again; a part may come first (``x + @s``)."""
    assert _rows(_db(request, backend), LISTS) == [("a, b, c", "c", "ba", 100)]


def test_the_result_of_the_branch_taken_is_shown(small_sqlite) -> None:
    text = "IF EXISTS (SELECT 1) SELECT 'yes' AS a ELSE SELECT 'no' AS a"
    [result] = run_text(str(small_sqlite[0]), text, "tsql", None, False)
    assert result.rows == [("yes",)]


def test_the_last_result_of_dynamic_sql_is_shown_under_the_exec_line(small_sqlite) -> None:
    [result] = run_text(str(small_sqlite[0]), "SELECT 1 AS a\nDECLARE @q VARCHAR(40) = "
                        "'SELECT 2 AS b SELECT 3 AS c'\nEXEC (@q)", "tsql", None, False)
    assert (result.line, result.columns, result.rows) == (3, ["c"], [(3,)])


def test_print_shows_its_expression(small_sqlite) -> None:
    shown: list[str] = []
    nodes = runner.check("DECLARE @n INT = 4\nPRINT 'rows: ' + CAST(@n AS VARCHAR(3))\n"
                         "DECLARE @a INT = 1, @b INT\nPRINT ISNULL(CAST(@b AS VARCHAR(3)), 'null')")
    target = open_target(str(small_sqlite[0]))
    try:
        runner.Runner(target, shown.append).run(nodes, None, False)
    finally:
        target.close()
    # (sqlglot gives the second variable of a DECLARE list a default of False: it was 0;
    # ISNULL has its first argument's type, VARCHAR(3), so SQL Server prints 'nul')
    assert shown == ["rows: 4", "nul"]


def test_print_of_a_query_is_refused_as_sql_server_refuses_it() -> None:
    # SQL Server: "Incorrect syntax near the keyword 'FROM'."; the FROM was dropped unseen
    with pytest.raises(ScriptError, match=r"^line 2: cannot parse the text PRINT shows"):
        runner.check("SELECT 1\nPRINT 'a' FROM [LEO_i2].[2002237].[leo_benefit]")


def test_a_loop_that_never_ends_is_stopped(small_sqlite, monkeypatch) -> None:
    monkeypatch.setattr(runner, "MAX_LOOPS", 25)
    with pytest.raises(ScriptError, match=r"^line 2: the WHILE loop ran 25 times"):
        run_text(str(small_sqlite[0]), "DECLARE @i INT = 0\nWHILE @i >= 0 SET @i += 1",
                 "tsql", None, False)


@pytest.mark.parametrize(("text", "message"), [
    ("EXEC ('SELECT 1' + CHAR(10) + 'GO' + CHAR(10) + 'SELECT 2')",
     "line 1: in the SQL EXEC runs, line 1: GO cannot"),
    ("EXEC sp_executesql N'SELECT @a', N'@a INT'", "line 1: sp_executesql expects @a"),
    ("EXEC sp_executesql N'SELECT @a', N'@a INT', 1, 2",
     "line 1: Procedure or function sp_executesql has too many arguments specified."),
    ("EXEC sp_executesql N'SELECT @a', N'@a INT', @b = 1",
     "line 1: @b is not a parameter for procedure sp_executesql."),
    ("EXEC sp_executesql N'SELECT 1', N'@a INT', @a = 1 OUTPUT",
     "line 1: an OUTPUT argument must be a variable"),
    ("IF 1 = 1", "line 1: IF needs a statement after its condition"),
    ("EXEC sp_executesql", "line 1: sp_executesql needs the text to run first"),
    ("ELSE SELECT 1", "line 1: ELSE without IF"),
])
def test_control_flow_errors_name_their_line(text: str, message: str, small_sqlite) -> None:
    with pytest.raises(ScriptError) as failure:
        run_text(str(small_sqlite[0]), text, "tsql", None, False)
    assert str(failure.value).startswith(message)


ROWCOUNTS = """CREATE TABLE #t (id INT, g INT)
INSERT INTO #t VALUES (1, 1), (2, 1), (3, 2)
DECLARE @inserted INT = @@ROWCOUNT
SELECT id FROM #t WHERE g = 1
DECLARE @selected INT = @@ROWCOUNT
UPDATE #t SET g = 3 WHERE g = 1
DECLARE @updated INT
SET @updated = @@ROWCOUNT
SELECT id INTO #u FROM #t WHERE g = 3
DECLARE @into INT = @@ROWCOUNT
DELETE FROM #t WHERE id = 3
IF @@ROWCOUNT = 1 PRINT 'one deleted'
DECLARE @printed INT = @@ROWCOUNT
TRUNCATE TABLE #u
DECLARE @truncated INT = @@ROWCOUNT
EXEC ('SELECT * INTO #v FROM #t')
DECLARE @executed INT = @@ROWCOUNT
SELECT @inserted AS i, @selected AS s, @updated AS u, @into AS n, @printed AS p,
    @truncated AS t, @executed AS e"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_rowcount_counts_what_the_last_statement_did(backend: str,
                                                     request: pytest.FixtureRequest,
                                                     capsys: pytest.CaptureFixture) -> None:
    # a DECLARE without a value leaves @@ROWCOUNT, PRINT and TRUNCATE make it 0, and EXEC
    # gives its dynamic SQL's (not that of the drop of its #temp tables)
    db = _db(request, backend)
    assert _rows(db, ROWCOUNTS) == [(3, 2, 2, 2, 0, 0, 2)]
    assert "one deleted" in capsys.readouterr().err
    # a result cut to the rows shown still counts all its rows
    shown = run_text(db, "CREATE TABLE #t (id INT)\nINSERT INTO #t VALUES (1), (2), (3)\n"
                     "SELECT id FROM #t\nSELECT @@ROWCOUNT AS n", "tsql", 1, True)
    assert [(r.rows, r.more) for r in shown] == [([(1,)], True), ([(3,)], False)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_large_delete_in_parts_while_rows_are_deleted(backend: str,
                                                        request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    text = """CREATE TABLE #t (id INT)
INSERT INTO #t VALUES (1), (2), (3), (4), (5), (6), (7)
DECLARE @rounds INT = 0
DELETE TOP (3) FROM #t WHERE id > 1
WHILE @@ROWCOUNT > 0
BEGIN
    SET @rounds += 1
    DELETE TOP (2) FROM #t WHERE id > 1
END
SELECT COUNT(*) AS n, MIN(id) AS kept, @rounds AS rounds FROM #t"""
    # 3 deleted, then 2, 1 and 0 in three rounds (SET's @@ROWCOUNT of 1 is the DELETE's by the
    # time WHILE tests it)
    assert _rows(db, text) == [(1, 1, 3)]
    # UPDATE TOP (n) in parts too (it did not parse), and DELETE without FROM (it stopped
    # with an internal error)
    assert _rows(db, """CREATE TABLE #t (id INT, done INT)
INSERT #t VALUES (1, 0), (2, 0), (3, 0), (4, 0), (5, 0)
DECLARE @n INT = 2, @rounds INT = 0
UPDATE TOP (@n) #t SET done = 1 WHERE done = 0
WHILE @@ROWCOUNT > 0
BEGIN
    SET @rounds += 1
    UPDATE TOP (2) #t SET done = @rounds + 1 WHERE done = 0
END
DELETE #t WHERE done = 1
SELECT COUNT(*), SUM(done), MAX(done), @rounds FROM #t""") == [(3, 7, 3, 3)]


TRY_CATCH = """CREATE TABLE #log (step VARCHAR(40))
BEGIN TRY
    INSERT INTO #log VALUES ('before')
    SELECT 1 / 0 AS x
    INSERT INTO #log VALUES ('not reached')
END TRY
BEGIN CATCH
    INSERT INTO #log VALUES ('caught at ' + CAST(ERROR_LINE() AS VARCHAR(5)))
    IF ERROR_MESSAGE() LIKE '%zero%' INSERT INTO #log VALUES ('by zero')
END CATCH
BEGIN TRY
    DROP TABLE #never_made
END TRY
BEGIN CATCH
    INSERT INTO #log VALUES ('no table')
END CATCH;
BEGIN TRY
    INSERT INTO #log VALUES ('fine')
END TRY
BEGIN CATCH
    INSERT INTO #log VALUES ('not run')
END CATCH
INSERT INTO #log SELECT ISNULL(ERROR_MESSAGE(), 'no error outside')
SELECT step FROM #log ORDER BY step"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_try_catch_runs_the_handler_of_a_failed_statement(backend: str,
                                                          request: pytest.FixtureRequest
                                                          ) -> None:
    # SQLite's 1 / 0 is NULL: it stops the query there too, as in SQL Server; on PostgreSQL
    # the failed statement does not end the transaction (a savepoint per statement)
    db = _db(request, backend)
    assert _rows(db, TRY_CATCH) == [("before",), ("by zero",), ("caught at 4",), ("fine",),
                                    ("no error outside",), ("no table",)]
    with pytest.raises(ScriptError, match=r"line 1: .*(zero|Division)"):
        run_text(db, "SELECT 1 / 0", "tsql", None, False)
    # what cannot be translated is not an error of SQL Server's: it is not caught
    with pytest.raises(ScriptError, match="line 2: FORMAT"):
        run_text(db, "BEGIN TRY\n SELECT FORMAT(1, 'E')\nEND TRY\nBEGIN CATCH\n SELECT 1\n"
                 "END CATCH", "tsql", None, False)


@pytest.mark.parametrize(("text", "message"), [
    ("BEGIN TRY\nSELECT 1\nEND", "line 1: BEGIN TRY must end with END TRY"),
    ("BEGIN TRY\nSELECT 1\nEND TRY\nSELECT 2", "line 1: END TRY must be followed by BEGIN CATCH"),
    ("BEGIN TRY SELECT 1 END TRY BEGIN CATCH SELECT 2 END", "BEGIN CATCH must end with END CATCH"),
])
def test_try_catch_must_be_whole(text: str, message: str) -> None:
    with pytest.raises(ScriptError, match=message):
        runner.check(text)


YEARS_CURSOR = """CREATE TABLE #cohort (yr INT, pupils INT)
DECLARE @yr INT, @sql NVARCHAR(MAX)
DECLARE years CURSOR LOCAL FAST_FORWARD FOR
    SELECT yr FROM (VALUES (2011), (2012), (2013), (2014)) AS v(yr) ORDER BY yr
OPEN years
FETCH NEXT FROM years INTO @yr
WHILE @@FETCH_STATUS = 0
BEGIN
    SET @sql = N'INSERT INTO #cohort SELECT ' + CAST(@yr AS VARCHAR(4))
        + ', COUNT(*) FROM [NPD_i2].[2002237].[spring_census_' + CAST(@yr AS VARCHAR(4))
        + '] WHERE NCyearActual_spr' + RIGHT(CAST(@yr AS VARCHAR(4)), 2) + ' = ''11''';
    EXEC (@sql);
    FETCH NEXT FROM years INTO @yr
END
CLOSE years
DEALLOCATE years
SELECT yr, pupils FROM #cohort ORDER BY yr"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_cursor_loop_over_years(backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _rows(db, YEARS_CURSOR) == _rows(db, YEARS_UNION + " ORDER BY yr")
    # directions, the end of the rows, and misuse caught as SQL Server's errors
    text = """CREATE TABLE #t (n INT, s VARCHAR(2))
INSERT INTO #t VALUES (1, 'a'), (2, 'b'), (3, 'c')
CREATE TABLE #log (what VARCHAR(20))
DECLARE @n INT, @s VARCHAR(2)
DECLARE c CURSOR FOR SELECT n, s FROM #t ORDER BY n
OPEN c
FETCH LAST FROM c INTO @n, @s
INSERT INTO #log VALUES ('last ' + @s)
FETCH PRIOR FROM c INTO @n, @s
INSERT INTO #log VALUES ('prior ' + @s)
FETCH NEXT FROM c INTO @n, @s
FETCH NEXT FROM c INTO @n, @s
INSERT INTO #log VALUES ('status ' + CAST(@@FETCH_STATUS AS VARCHAR(2)) + ' ' + @s)
FETCH FIRST FROM c INTO @n, @s
INSERT INTO #log VALUES ('first ' + @s + ' ' + CAST(@@FETCH_STATUS AS VARCHAR(2)))
BEGIN TRY
    OPEN c
END TRY
BEGIN CATCH
    INSERT INTO #log VALUES ('open twice')
END CATCH
CLOSE c
DEALLOCATE c
BEGIN TRY
    FETCH NEXT FROM c INTO @n
END TRY
BEGIN CATCH
    INSERT INTO #log VALUES ('gone')
END CATCH
SELECT what FROM #log ORDER BY what"""
    assert _rows(db, text) == [("first a 0",), ("gone",), ("last c",), ("open twice",),
                               ("prior b",), ("status -1 c",)]


def test_cursor_statements_are_read_whole(small_sqlite) -> None:
    with pytest.raises(ScriptError, match=r"line 1: DECLARE \.\.\. CURSOR needs FOR"):
        runner.check("DECLARE c CURSOR LOCAL")
    with pytest.raises(ScriptError, match="line 2: FETCH ABSOLUTE cannot be translated"):
        runner.check("SELECT 1\nFETCH ABSOLUTE 2 FROM c")
    with pytest.raises(ScriptError, match="line 4: Cursor Fetch: the number of variables"):
        run_text(str(small_sqlite[0]), "DECLARE @a INT\nDECLARE c CURSOR FOR SELECT 1, 2\n"
                 "OPEN c\nFETCH NEXT FROM c INTO @a", "tsql", None, False)


@pytest.mark.parametrize("backend", BACKENDS)
def test_sp_rename_renames_columns_and_the_sessions_tables(backend: str,
                                                          request: pytest.FixtureRequest) -> None:
    """SQL Server renames with the procedure sp_rename; each target with ALTER TABLE."""
    db = _db(request, backend)
    result = run_text(db, """CREATE TABLE #t (id INT, score INT)
INSERT INTO #t VALUES (1, 5)
EXEC tempdb..sp_rename '#t.score', 'points', 'COLUMN'
EXEC sp_rename N'tempdb..#t.id', N'Pupil_Id', 'COLUMN'
SELECT * FROM #t
SELECT points + 1 AS p FROM #t
SELECT Pupil_Id AS n INTO cohort FROM #t
EXEC sp_rename 'cohort', 'cohort_2011'
EXEC sp_rename @objname = '[cohort_2011].[n]', @newname = 'N', @objtype = 'COLUMN'
SELECT * FROM cohort_2011""", "tsql", None, True)
    assert [(r.columns, [tuple(row) for row in r.rows]) for r in result] == [
        (["Pupil_Id", "points"], [(1, 5)]), (["p"], [(6,)]), (["N"], [(1,)])]
    with pytest.raises(ScriptError, match="cohort_2011"):  # the old name is gone
        _rows(db, "SELECT 1 AS n INTO cohort_2011\nEXEC sp_rename 'cohort_2011', 'c'\n"
              "SELECT * FROM cohort_2011")
    for text, why in (("CREATE TABLE #t (id INT)\nEXEC sp_rename '#t', '#u'",
                       "a #temp table cannot be renamed"),
                      ("EXEC sp_rename 'spring_census_2011.Gender_spr11', 'sex', 'COLUMN'",
                       "belongs to the extract, which is read-only"),
                      ("CREATE TABLE #t (id INT)\nEXEC sp_rename '#t.id', 'x', 'INDEX'",
                       "sp_rename of '#t.id' as INDEX cannot be translated"),
                      ("DECLARE @c VARCHAR(9) = '#t.id'\nEXEC sp_rename @c, 'x', 'COLUMN'",
                       "sp_rename takes the old name, the new name and the kind as strings")):
        with pytest.raises(ScriptError, match=why):
            _rows(db, text)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_schema_of_the_scripts_own(backend: str, request: pytest.FixtureRequest) -> None:
    """FFT's scripts keep their tables in a schema they make (fft.person_lookup)."""
    db = _db(request, backend)
    assert _rows(db, """SELECT SCHEMA_ID('fft'), SCHEMA_ID(N'dbo')
IF SCHEMA_ID(N'fft') IS NULL EXEC('CREATE SCHEMA fft')
SELECT 7 AS n INTO fft.person_lookup
INSERT INTO fft.person_lookup VALUES (8)
SELECT SCHEMA_ID('fft'), SUM(n) FROM [fft].[person_lookup]""") == [(1, 15)]
    assert _rows(db, "SELECT SCHEMA_ID('fft'), SCHEMA_ID('dbo'), SCHEMA_ID('2002237')") == [
        (None, 1, 1)]
    assert _rows(db, """CREATE SCHEMA fft AUTHORIZATION dbo
GO
DROP SCHEMA fft
DROP SCHEMA IF EXISTS fft
SELECT SCHEMA_ID('fft')""") == [(None,)]
    for text, why in (("CREATE SCHEMA fft\nGO\nCREATE SCHEMA fft", "already an object named"),
                      ("DROP SCHEMA fft", "Cannot drop the schema 'fft'")):
        with pytest.raises(ScriptError, match=why):
            _rows(db, text)


@pytest.mark.parametrize("backend", BACKENDS)
def test_indexes_on_the_sessions_tables(backend: str, request: pytest.FixtureRequest) -> None:
    """CREATE INDEX is built on SQLite (its joins and correlated subqueries loop over a table
    without one) and noted elsewhere; DROP INDEX drops it (it stopped every target)."""
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #seen (pmr VARCHAR(5), yr INT)
CREATE NONCLUSTERED INDEX ix_seen ON #seen (pmr, yr DESC) INCLUDE (yr) WHERE yr > 0
CREATE UNIQUE INDEX ix_u ON #seen (yr)
INSERT INTO #seen VALUES ('a', 1), ('b', 1)
CREATE TABLE #u (pmr VARCHAR(5))
CREATE INDEX ix_seen ON #u (pmr)
INSERT INTO #seen SELECT v.p, 2 FROM (VALUES ('a'), ('c')) v(p)
    WHERE NOT EXISTS (SELECT 1 FROM #seen s WHERE s.pmr = v.p)
DROP INDEX ix_seen ON #seen
DROP INDEX #u.ix_seen
DROP INDEX IF EXISTS ix_seen ON #seen
CREATE INDEX ix_seen ON #seen (yr)
DROP TABLE #u
CREATE TABLE #u (n INT)
CREATE INDEX ix_seen ON #u (n)
SELECT COUNT(*), SUM(yr), MAX(pmr) FROM #seen""") == [(3, 4, "c")]
    for text, why in (("CREATE TABLE #t (a INT)\nCREATE INDEX ix ON #t (a)\nCREATE INDEX ix ON "
                       "#t (a)", "an index or statistics with name 'ix' already exists"),
                      ("CREATE TABLE #t (a INT)\nDROP INDEX ix ON #t",
                       "Cannot drop the index '#t.ix', because it does not exist")):
        with pytest.raises(ScriptError, match=why):
            _rows(db, text)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_unique_index_on_a_table_holding_a_key_twice_stops(
        backend: str, request: pytest.FixtureRequest) -> None:
    """CREATE UNIQUE INDEX on a table that holds a key twice stops with SQL Server's 1505,
    naming the first such key in the index's order (NULL lowest, and equal to NULL); a key
    held once per row, or NULLs within keys that differ, let it through."""
    db = _db(request, backend)
    setup = """CREATE TABLE #p (pmr VARCHAR(5), yr INT)
INSERT INTO #p VALUES ('b', 1), ('b', 2), ('a', 3), (NULL, 4), ('a', 5), (NULL, 6), ('c', 6)
"""
    assert _rows(db, setup + """CREATE UNIQUE INDEX ux ON #p (pmr, yr)
CREATE UNIQUE NONCLUSTERED INDEX ux_yr ON #p (yr DESC, pmr) INCLUDE (pmr)
SELECT COUNT(*) FROM #p""") == [(7,)]
    assert _rows(db, setup + """BEGIN TRY
    CREATE UNIQUE INDEX ux ON #p (pmr)
END TRY
BEGIN CATCH
    SELECT ERROR_NUMBER(), ERROR_MESSAGE()
END CATCH""") == [(1505, "The CREATE UNIQUE INDEX statement terminated because a duplicate "
                   "key was found for the object name 'dbo.#p' and the index name 'ux'. The "
                   "duplicate key value is (<NULL>).")]
    # a filtered index's key once among the rows of its WHERE (it was checked among all);
    # a table of a schema named as written (it was dbo)
    assert _rows(db, setup + """CREATE UNIQUE INDEX ux ON #p (pmr) WHERE yr IN (1, 3, 4)
SELECT COUNT(*) FROM #p""") == [(7,)]
    with pytest.raises(ScriptError, match=r"object name 'fft\.p' and the index name 'ux'"):
        _rows(db, "CREATE TABLE fft.p (k INT)\nINSERT INTO fft.p VALUES (1), (1)\n"
                  "CREATE UNIQUE INDEX ux ON fft.p (k)")
    for columns, shown in (("pmr DESC", "b"), ("yr", "6")):
        with pytest.raises(ScriptError, match=rf"line 3: .*index name 'ux'\. The duplicate "
                                              rf"key value is \({shown}\)\."):
            _rows(db, setup + f"CREATE UNIQUE INDEX ux ON #p ({columns})")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_duplicate_key_is_sql_servers_error_2627(
        backend: str, request: pytest.FixtureRequest) -> None:
    """An INSERT of a key a #temp table's primary key holds already is SQL Server's error 2627
    (ERROR_NUMBER() in a CATCH block), in SQL Server's words as far as the target tells them."""
    db = _db(request, backend)
    number, message = _rows(db, """CREATE TABLE #p (pmr VARCHAR(5) PRIMARY KEY, n INT)
INSERT INTO #p VALUES ('a', 1), ('b', 2)
BEGIN TRY
    INSERT INTO #p VALUES ('a', 3)
END TRY
BEGIN CATCH
    SELECT ERROR_NUMBER(), ERROR_MESSAGE()
END CATCH""")[0]
    assert number == 2627
    assert message.startswith("Violation of PRIMARY KEY constraint. Cannot insert duplicate key")
    # a key twice in one statement's rows (DuckDB said so in other words, with no number)
    number, message = _rows(db, """CREATE TABLE #p (pmr VARCHAR(5) PRIMARY KEY, n INT)
BEGIN TRY
    INSERT INTO #p VALUES ('c', 1), ('c', 2)
END TRY
BEGIN CATCH
    SELECT ERROR_NUMBER(), ERROR_MESSAGE()
END CATCH""")[0]
    assert number == 2627
    assert message.startswith("Violation of PRIMARY KEY constraint. Cannot insert duplicate key")


def test_the_targets_words_for_a_duplicate_key() -> None:
    from leo_synth.tsql.errors import duplicate_key

    assert duplicate_key("UNIQUE constraint failed: #p.pmr, #p.n") == (
        "Violation of PRIMARY KEY constraint. Cannot insert duplicate key in object 'dbo.#p'.")
    assert duplicate_key('Constraint Error: Duplicate key "a: 1, b: x" violates primary key '
                         'constraint.') == ("Violation of PRIMARY KEY constraint. Cannot insert "
                                            "duplicate key. The duplicate key value is (1, x).")
    assert duplicate_key('Constraint Error: Duplicate key "a: 1" violates unique constraint.'
                         ).startswith("Violation of UNIQUE KEY constraint.")
    assert duplicate_key('duplicate key value violates unique constraint "#p_pkey"') == (
        "Violation of PRIMARY KEY constraint. Cannot insert duplicate key in object 'dbo.#p'.")
    assert duplicate_key('Constraint Error: PRIMARY KEY or UNIQUE constraint violation: '
                         'duplicate key "3"') == ("Violation of PRIMARY KEY constraint. Cannot "
                                                  "insert duplicate key. The duplicate key value "
                                                  "is (3).")
    assert duplicate_key("no such table: #p") is None


FUNCTIONS = """CREATE FUNCTION dbo.academic_year (@d DATE)
RETURNS INT
AS
BEGIN
    RETURN YEAR(DATEADD(month, -8, @d))
END
GO
CREATE OR ALTER FUNCTION dbo.spells (@type VARCHAR(3), @from DATE = '2010-01-01')
RETURNS TABLE
AS
RETURN (SELECT EduKey, StartDate FROM leo_benefit WHERE Benefit_type = @type
        AND StartDate >= @from)
GO
CREATE FUNCTION dbo.cut (@x VARCHAR(3)) RETURNS VARCHAR(5) AS BEGIN RETURN @x + 'abcdef' END
GO
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_scripts_functions_are_written_where_they_are_called(
        backend: str, request: pytest.FixtureRequest) -> None:
    """A scalar function as a value, an inline table-valued one in FROM and APPLY, their
    parameters and result converted to their types (CREATE FUNCTION stopped the script)."""
    db = _db(request, backend)
    results = run_text(db, FUNCTIONS + """SELECT dbo.academic_year('2015-09-01'),
       dbo.academic_year('2015-08-31'), dbo.cut('xyzw'),
       CASE WHEN OBJECT_ID('dbo.spells') IS NOT NULL THEN 1 END
SELECT COUNT(*), MIN(dbo.academic_year(s.StartDate)) FROM dbo.spells('JSA', DEFAULT) s
SELECT COUNT(*) FROM leo_benefit WHERE Benefit_type = 'JSA' AND StartDate >= '2010-01-01'
SELECT COUNT(*) FROM (SELECT DISTINCT EduKey FROM leo_benefit) k
CROSS APPLY (SELECT COUNT(*) AS n FROM dbo.spells('JSA', '1900-01-01') s
             WHERE s.EduKey = k.EduKey) c WHERE c.n > 0
SELECT COUNT(DISTINCT EduKey) FROM leo_benefit WHERE Benefit_type = 'JSA'
DROP FUNCTION dbo.cut
DROP FUNCTION IF EXISTS dbo.cut
SELECT OBJECT_ID('dbo.cut')""", "tsql", None, True)
    rows = [[tuple(_value(v) for v in row) for row in r.rows] for r in results]
    assert rows[0] == [(2015, 2014, "xyzab", 1)]
    assert rows[1][0][0] == rows[2][0][0] > 0 and rows[1][0][1] >= 2009
    assert rows[3] == rows[4] and rows[3][0][0] > 0
    assert rows[5] == [(None,)]


@pytest.mark.parametrize(("call", "words"), [
    ("SELECT dbo.academic_year('2015-01-01', 1)", "line 16: Procedure or function "
     "academic_year has too many arguments specified."),
    ("SELECT * FROM dbo.spells('JSA')", "line 16: An insufficient number of arguments were "
     "supplied for the procedure or function spells."),
    ("SELECT * FROM dbo.academic_year('2015-01-01')", "line 16: academic_year is a scalar "
     "function: call it as a value"),
    ("SELECT 1\nCREATE FUNCTION dbo.f () RETURNS INT AS BEGIN RETURN 1 END",
     "line 17: 'CREATE/ALTER FUNCTION' must be the first statement in a query batch"),
    ("CREATE FUNCTION dbo.f (@x INT) RETURNS INT AS BEGIN IF @x > 1 RETURN 1 RETURN 0 END",
     "line 16: function f: only a function whose body sets its variables (DECLARE, SET) and "
     "returns one expression"),
    ("CREATE FUNCTION dbo.f (@x INT) RETURNS @t TABLE (a INT) AS BEGIN RETURN END",
     "line 16: function f: functions that fill a table variable"),
    ("CREATE FUNCTION dbo.r (@x INT) RETURNS INT AS BEGIN RETURN dbo.r(@x) END\nGO\n"
     "SELECT dbo.r(1)", "line 18: Maximum stored procedure, function, trigger, or view "
     "nesting level exceeded (limit 32)."),
    ("DROP FUNCTION dbo.nosuch", "line 16: Cannot drop the function 'nosuch', because it "
     "does not exist"),
])
def test_a_scripts_functions_fail_as_in_sql_server(small_sqlite, call: str, words: str) -> None:
    with pytest.raises(ScriptError) as failure:
        run_text(str(small_sqlite[0]), FUNCTIONS + call, "tsql", None, False)
    assert str(failure.value).startswith(words)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_function_of_declarations_and_sets_returns_their_last_values(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    text = """CREATE FUNCTION dbo.band (@pay INT, @low INT = 10000)
RETURNS VARCHAR(10)
AS
BEGIN
    DECLARE @b VARCHAR(10), @half INT = @low / 2
    SET @b = CASE WHEN @pay < @half THEN 'very low' WHEN @pay < @low THEN 'low' END
    SELECT @b = ISNULL(@b, 'other')
    RETURN @b
END
GO
SELECT dbo.band(3000, DEFAULT), dbo.band(7000, DEFAULT), dbo.band(7000, 5000)"""
    assert _rows(db, text) == [("very low", "low", "other")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_output_parameters_give_their_values_back(backend: str,
                                                  request: pytest.FixtureRequest) -> None:
    # OUTPUT stopped the script, of a procedure and of sp_executesql alike
    db = _db(request, backend)
    text = """CREATE PROCEDURE dbo.count_year @y INT, @n INT OUTPUT, @top INT = 0 OUT
AS
SELECT @n = COUNT(*), @top = MAX(Earnings) FROM leo_earnings WHERE TaxYear = @y
GO
DECLARE @cnt INT, @max INT, @other INT = 5, @k INT
EXEC dbo.count_year 201415, @cnt OUTPUT, @max OUTPUT
EXEC dbo.count_year @y = 201516, @n = @other OUTPUT
EXEC sp_executesql N'SELECT @c = COUNT(*) FROM leo_earnings WHERE TaxYear = @yr',
     N'@yr INT, @c INT OUTPUT', @yr = 201415, @c = @k OUTPUT
SELECT @cnt, @max, @other, @k,
       (SELECT COUNT(*) FROM leo_earnings WHERE TaxYear = 201415),
       (SELECT MAX(Earnings) FROM leo_earnings WHERE TaxYear = 201415),
       (SELECT COUNT(*) FROM leo_earnings WHERE TaxYear = 201516)"""
    (cnt, top, other, k, expected_cnt, expected_top, expected_other), = _rows(db, text)
    assert (cnt, top, other, k) == (expected_cnt, expected_top, expected_other, expected_cnt)
    assert cnt > 0


@pytest.mark.parametrize(("text", "words"), [
    ("CREATE PROCEDURE p @y INT AS SELECT @y\nGO\nDECLARE @a INT = 1\nEXEC p @a OUTPUT",
     'line 4: The formal parameter "@y" was not declared as an OUTPUT parameter'),
    ("CREATE PROCEDURE p @y INT OUTPUT AS SET @y = 2\nGO\nEXEC p 5 OUTPUT",
     "line 3: an OUTPUT argument must be a variable"),
])
def test_output_parameters_fail_as_in_sql_server(small_sqlite, text: str, words: str) -> None:
    with pytest.raises(ScriptError) as failure:
        run_text(str(small_sqlite[0]), text, "tsql", None, False)
    assert str(failure.value).startswith(words)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_list_built_row_by_row_with_a_test_of_itself(
        backend: str, request: pytest.FixtureRequest) -> None:
    # a dynamic PIVOT's column list: the separator chosen by a test of the list so far (each
    # kept only the last row's part: '[2017]', 'UDF')
    db = _db(request, backend)
    rows = "FROM (VALUES (2017), (2015), (2016)) AS d (yr) ORDER BY yr"
    assert _rows(db, f"""DECLARE @cols VARCHAR(MAX) = ''
SELECT @cols = @cols + CASE WHEN @cols = '' THEN '' ELSE ',' END
    + '[' + CAST(yr AS VARCHAR(4)) + ']' {rows}
DECLARE @c2 VARCHAR(MAX) = ''
SELECT @c2 = @c2 + IIF(LEN(@c2) > 0, ',', '') + CAST(yr AS VARCHAR(4)) {rows}
SELECT @cols, @c2""") == [("[2015],[2016],[2017]", "2015,2016,2017")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_common_table_expression_joined_in_update_delete_and_merge(
        backend: str, request: pytest.FixtureRequest) -> None:
    # (each stopped: "Invalid object name 'c'.")
    db = _db(request, backend)
    made = """CREATE TABLE #t (b VARCHAR(3) PRIMARY KEY, n INT)
INSERT INTO #t VALUES ('JSA', 0), ('ESA', 0), ('IB', 0)
"""
    counts = "SELECT 'JSA' AS b, 7 AS n UNION ALL SELECT 'ESA', 5 UNION ALL SELECT 'PIP', 2"
    assert _rows(db, made + f""";WITH c AS ({counts})
UPDATE t SET t.n = c.n FROM #t t JOIN c ON c.b = t.b
SELECT b, n FROM #t ORDER BY b""") == [("ESA", 5), ("IB", 0), ("JSA", 7)]
    assert _rows(db, made + f""";WITH small AS ({counts})
DELETE t FROM #t t JOIN small s ON s.b = t.b WHERE s.n < 6
SELECT b FROM #t ORDER BY b""") == [("IB",), ("JSA",)]
    assert _rows(db, made + f""";WITH c AS ({counts})
MERGE #t AS t USING c ON t.b = c.b
WHEN MATCHED THEN UPDATE SET n = c.n
WHEN NOT MATCHED THEN INSERT (b, n) VALUES (c.b, c.n);
SELECT b, n FROM #t ORDER BY b""") == [("ESA", 5), ("IB", 0), ("JSA", 7), ("PIP", 2)]


def test_an_update_that_sets_a_variable_is_refused(small_sqlite) -> None:
    # (each target stopped with its own syntax error)
    with pytest.raises(ScriptError, match=r"line 3: UPDATE \.\.\. SET @run = \.\.\. cannot be "
                                          r"translated: .*SUM\(x\) OVER"):
        _rows(str(small_sqlite[0]), """CREATE TABLE #q (id INT, x INT, run INT)
DECLARE @run INT = 0
UPDATE #q SET @run = run = @run + x""")
