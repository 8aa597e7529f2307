"""`leo-synth sql`: scripts as LEO analysts in the SRS write them around ``CUBE`` and table
variables (benefit spells by ``CUBE`` with ``STRING_AGG``; earners per tax year by
``sp_executesql`` into a table variable), run on every backend, their answers the same on
each (earnings trajectories by window functions and earnings pivoted by tax year and back are
``examples/srs/54`` and ``55``, which ``test_srs_corpus`` runs so); and what SQL Server
refuses or converts there that the targets took:

- a window's (or ``WITHIN GROUP``'s) ``ORDER BY 1`` or ``ORDER BY 'x'`` (errors 5308, 5309),
  and a query's ``ORDER BY 'x'`` (error 408);
- a table variable after ``GO``, or read by dynamic SQL (error 1087);
- ``LAG``'s and ``LEAD``'s default, which has the value's type;
- ``sp_executesql`` of text that is not Unicode (error 214).
"""

from __future__ import annotations

import functools
import re

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db
from test_tsql_analyst_scripts import _table
from test_tsql_linkage_and_fixed_width_scripts import _values

from leo_synth.tsql.errors import ScriptError

SCRIPTS = {
    "benefit_spells_by_cube_with_string_agg": """
SET NOCOUNT ON
IF OBJECT_ID('tempdb..#b') IS NOT NULL DROP TABLE #b
SELECT b.EduKey, b.Benefit_type, YEAR(b.StartDate) AS yr,
  DATEDIFF(DAY, b.StartDate, ISNULL(NULLIF(b.EndDate, '9999-12-31'), '2021-03-31')) AS days
INTO #b FROM [LEO_i2].[2002237].[leo_benefit] b WHERE b.StartDate >= '2012-04-01'
SELECT CASE WHEN GROUPING(Benefit_type) = 1 THEN 'All' ELSE Benefit_type END AS benefit,
  ISNULL(CAST(yr AS VARCHAR(4)), 'All') AS yr, GROUPING_ID(Benefit_type, yr) AS gid,
  COUNT(*) AS spells, COUNT(DISTINCT EduKey) AS people, AVG(days) AS mean_days,
  STRING_AGG(CAST(days AS VARCHAR(10)), '|') WITHIN GROUP (ORDER BY days DESC) AS longest
FROM #b WHERE Benefit_type IN ('JSA', 'ESA')
GROUP BY CUBE (Benefit_type, yr)
HAVING COUNT(*) >= 3
ORDER BY gid, benefit, yr
""",
    "earners_per_tax_year_by_sp_executesql_into_a_table_variable": """
SET NOCOUNT ON
DECLARE @t TABLE (yr INT PRIMARY KEY, n INT NOT NULL DEFAULT 0, label VARCHAR(10))
INSERT INTO @t (yr) VALUES (201516), (201617), (201718), (201819)
DECLARE @sql NVARCHAR(MAX), @y INT, @n INT
DECLARE c CURSOR LOCAL FAST_FORWARD FOR SELECT yr FROM @t ORDER BY yr
OPEN c
FETCH NEXT FROM c INTO @y
WHILE @@FETCH_STATUS = 0
BEGIN
  SET @sql = N'SELECT @cnt = COUNT(DISTINCT Edukey) FROM ' + QUOTENAME('LEO_i2') + N'.'
    + QUOTENAME('2002237') + N'.' + QUOTENAME('leo_earnings') + N' WHERE TaxYear = @yr'
  EXEC sp_executesql @sql, N'@yr INT, @cnt INT OUTPUT', @yr = @y, @cnt = @n OUTPUT
  UPDATE @t SET n = @n,
    label = CAST(@y / 100 AS VARCHAR(4)) + '/' + RIGHT(CAST(@y AS VARCHAR(6)), 2)
  WHERE yr = @y
  FETCH NEXT FROM c INTO @y
END
CLOSE c
DEALLOCATE c
SELECT t.yr, t.n, t.label, SUM(t.n) OVER () AS total,
  CAST(100.0 * t.n / SUM(t.n) OVER () AS DECIMAL(5, 1)) AS pct,
  t.n - LAG(t.n, 1, t.n) OVER (ORDER BY t.yr) AS change
FROM @t AS t ORDER BY t.yr
""",
}
"""Scripts as analysts write them, each ending in a result set that ``ORDER BY`` fixes."""


@functools.cache
def _printed_on_sqlite(db: str, name: str) -> tuple[str, ...]:
    """The table ``leo-synth sql`` prints for script ``name`` on the SQLite file ``db``."""
    return tuple(_table(db, SCRIPTS[name]))


@pytest.mark.parametrize("name", sorted(SCRIPTS))
@pytest.mark.parametrize("backend", BACKENDS)
def test_window_and_pivot_scripts_print_the_same_table_on_every_backend(
        backend: str, name: str, request: pytest.FixtureRequest, small_sqlite) -> None:
    printed = _printed_on_sqlite(str(small_sqlite[0]), name)
    assert len(printed) > 4, f"{name} gave no rows"
    assert tuple(_table(_db(request, backend), SCRIPTS[name])) == printed


INTEGER_INDEX = ("Windowed functions, aggregates and NEXT VALUE FOR functions do not support "
                 "integer indices as ORDER BY clause expressions.")
CONSTANT = ("Windowed functions, aggregates and NEXT VALUE FOR functions do not support "
            "constants as ORDER BY clause expressions.")


@pytest.mark.parametrize("statement, said", [
    # every target ran them, numbering the rows in no order (COUNT(*) OVER (ORDER BY 2) was
    # the whole table's count on every row)
    ("SELECT TOP 3 Edukey, ROW_NUMBER() OVER (ORDER BY 1) AS rn FROM leo_earnings",
     INTEGER_INDEX),
    ("SELECT TOP 3 TaxYear, COUNT(*) OVER (PARTITION BY Edukey ORDER BY 2 DESC) AS n "
     "FROM leo_earnings", INTEGER_INDEX),
    ("SELECT TOP 3 Edukey, RANK() OVER (PARTITION BY TaxYear ORDER BY Earnings, 'x') AS r "
     "FROM leo_earnings", CONSTANT),
    ("SELECT TOP 3 Edukey, ROW_NUMBER() OVER (ORDER BY NULL) AS rn FROM leo_earnings",
     CONSTANT),
    ("SELECT STRING_AGG(Benefit_type, ',') WITHIN GROUP (ORDER BY 1) FROM leo_benefit",
     INTEGER_INDEX),
    # SQLite sorted by the constant (DuckDB and PostgreSQL stopped in their own words)
    ("SELECT TOP 3 TaxYear FROM leo_earnings ORDER BY TaxYear, 'Earnings'",
     "A constant expression was encountered in the ORDER BY list, position 2."),
    ("SELECT TOP 3 TaxYear FROM leo_earnings ORDER BY N'TaxYear' DESC",
     "A constant expression was encountered in the ORDER BY list, position 1."),
])
@pytest.mark.parametrize("backend", BACKENDS)
def test_orders_by_constants_sql_server_refuses_stop_the_script(
        backend: str, statement: str, said: str, request: pytest.FixtureRequest) -> None:
    with pytest.raises(ScriptError, match=re.escape(said)):
        _values(_db(request, backend), statement)


@pytest.mark.parametrize("backend", BACKENDS)
def test_orders_by_a_constant_subquery_and_positions_still_run(
        backend: str, request: pytest.FixtureRequest) -> None:
    # the idiom the errors above teach, and a query's ORDER BY 1, run as before
    rows = _values(_db(request, backend), """SELECT TOP 3 TaxYear,
  ROW_NUMBER() OVER (ORDER BY (SELECT NULL)) AS rn
FROM (SELECT DISTINCT TaxYear FROM leo_earnings) t ORDER BY 1 DESC""")
    assert len(rows) == 3 and rows[0][0] > rows[1][0] > rows[2][0]
    assert len({r[1] for r in rows}) == 3


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_table_variable_ends_with_its_batch(backend: str,
                                              request: pytest.FixtureRequest) -> None:
    # SQL Server's table variables live in their batch, as its scalar variables do; the
    # next batch's SELECT read the rows here
    with pytest.raises(ScriptError, match=re.escape(
            'line 4: Must declare the table variable "@years".')):
        _values(_db(request, backend), """DECLARE @years TABLE (yr INT)
INSERT INTO @years VALUES (201516), (201617)
GO
SELECT COUNT(*) AS n FROM @years""")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_table_variable_is_declared_afresh_in_the_next_batch(
        backend: str, request: pytest.FixtureRequest) -> None:
    rows = _values(_db(request, backend), """DECLARE @years TABLE (yr INT)
INSERT INTO @years VALUES (201516), (201617)
SELECT yr INTO ##kept FROM @years
GO
DECLARE @years TABLE (yr INT, n INT)
INSERT INTO @years SELECT yr, 1 FROM ##kept WHERE yr > 201516
SELECT COUNT(*) AS n, SUM(yr) AS s FROM @years""")
    assert rows == [(1, 201617)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_dynamic_sql_does_not_see_the_callers_table_variables(
        backend: str, request: pytest.FixtureRequest) -> None:
    # sp_executesql and EXEC run in a scope of their own: the caller's #temp tables are
    # seen there, its table variables are not (error 1087, which a CATCH block catches)
    rows = _values(_db(request, backend), """DECLARE @t TABLE (x INT)
INSERT INTO @t VALUES (1), (2)
CREATE TABLE #seen (x INT)
INSERT INTO #seen VALUES (3)
DECLARE @n INT, @caught VARCHAR(200)
EXEC sp_executesql N'SELECT @c = COUNT(*) FROM #seen', N'@c INT OUTPUT', @c = @n OUTPUT
BEGIN TRY
  EXEC sp_executesql N'SELECT COUNT(*) AS n FROM @t'
END TRY
BEGIN CATCH
  SET @caught = CAST(ERROR_NUMBER() AS VARCHAR(10)) + ' ' + ERROR_MESSAGE()
END CATCH
SELECT @n AS seen, @caught AS caught, (SELECT SUM(x) FROM @t) AS still_there""")
    assert rows == [(1, '1087 Must declare the table variable "@t".', 3)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_insert_exec_fills_a_table_variable_and_dynamic_sql_keeps_its_own(
        backend: str, request: pytest.FixtureRequest) -> None:
    rows = _values(_db(request, backend), """DECLARE @t TABLE (x INT)
INSERT INTO @t EXEC ('SELECT 1 UNION ALL SELECT 2')
INSERT INTO @t EXEC sp_executesql N'SELECT @v', N'@v INT', @v = 5
EXEC ('DECLARE @u TABLE (y INT); INSERT INTO @u VALUES (9); SELECT y FROM @u')
SELECT SUM(x) AS s, COUNT(*) AS n FROM @t""")
    assert rows == [(8, 3)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_lag_and_lead_defaults_have_their_values_type(backend: str,
                                                      request: pytest.FixtureRequest) -> None:
    # LAG and LEAD are of their value's type: an int's default 0.5 is 0 (SQLite and
    # PostgreSQL gave 0.5, DuckDB 1), '' is 0 (SQLite gave '')
    rows = _values(_db(request, backend), """CREATE TABLE #p (g INT, yr INT, pay INT)
INSERT INTO #p VALUES (1, 2015, 100), (1, 2016, 150), (2, 2016, 70)
SELECT g, yr, LEAD(pay, 1, 0.5) OVER (PARTITION BY g ORDER BY yr) AS next_pay,
  LAG(pay, 1, '') OVER (PARTITION BY g ORDER BY yr) AS prev_pay,
  LAG(yr, 1, '2000') OVER (PARTITION BY g ORDER BY yr) + 1 AS after_prev
FROM #p ORDER BY g, yr""")
    assert rows == [(1, 2015, 150, 0, 2001), (1, 2016, 0, 100, 2016), (2, 2016, 0, 0, 2001)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_text_default_of_an_integer_lag_stops_the_query(
        backend: str, request: pytest.FixtureRequest) -> None:
    # SQLite gave 'none' beside the numbers; SQL Server converts it to the int LAG gives
    with pytest.raises(ScriptError, match=re.escape(
            "Conversion failed when converting the varchar value 'none' to data type int.")):
        _values(_db(request, backend), """SELECT TOP 3 TaxYear,
  LAG(Earnings, 1, 'none') OVER (PARTITION BY Edukey ORDER BY TaxYear) AS prev
FROM leo_earnings ORDER BY Edukey, TaxYear""")


EXPECTS_UNICODE = "Procedure expects parameter '{}' of type 'ntext/nchar/nvarchar'."


@pytest.mark.parametrize("text, parameter", [
    ("DECLARE @sql VARCHAR(MAX) = 'SELECT COUNT(*) AS n FROM leo_benefit'\n"
     "EXEC sp_executesql @sql", "@statement"),
    ("EXEC sp_executesql 'SELECT COUNT(*) AS n FROM leo_benefit'", "@statement"),
    ("DECLARE @sql NVARCHAR(200) = N'SELECT COUNT(*) AS n FROM leo_benefit "
     "WHERE Benefit_type = @b'\nEXEC sp_executesql @sql, '@b VARCHAR(3)', @b = 'JSA'",
     "@params"),
])
@pytest.mark.parametrize("backend", BACKENDS)
def test_sp_executesql_takes_only_unicode_text(backend: str, text: str, parameter: str,
                                               request: pytest.FixtureRequest) -> None:
    # SQL Server's error 214; every target ran the text
    with pytest.raises(ScriptError, match=re.escape(EXPECTS_UNICODE.format(parameter))):
        _values(_db(request, backend), text)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_catch_block_catches_sp_executesqls_error_214(backend: str,
                                                       request: pytest.FixtureRequest) -> None:
    # EXEC (@v) takes VARCHAR text, as SQL Server does; sp_executesql @v fails there
    rows = _values(_db(request, backend), """DECLARE @v VARCHAR(100) = 'SELECT 1 AS one'
DECLARE @ran INT
CREATE TABLE #r (x INT)
INSERT INTO #r EXEC (@v)
BEGIN TRY
  EXEC sp_executesql @v
  SET @ran = 1
END TRY
BEGIN CATCH
  SELECT (SELECT COUNT(*) FROM #r) AS filled, @ran AS ran, ERROR_NUMBER() AS num,
    ERROR_MESSAGE() AS msg
END CATCH""")
    assert rows == [(1, None, 214, EXPECTS_UNICODE.format("@statement"))]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_table_variable_declared_in_a_loop_keeps_its_rows(
        backend: str, request: pytest.FixtureRequest) -> None:
    # SQL Server makes a batch's variables before it runs it: the DECLARE in the loop makes
    # no new table, so the rows of every round are there (each round had emptied it)
    rows = _values(_db(request, backend), """DECLARE @y INT = 201516
CREATE TABLE #seen (y INT, n INT)
WHILE @y <= 201819
BEGIN
  DECLARE @years TABLE (y INT)
  INSERT INTO @years VALUES (@y)
  INSERT INTO #seen SELECT @y, COUNT(*) FROM @years
  SET @y += 101
END
SELECT (SELECT STRING_AGG(CAST(n AS VARCHAR(2)), ',') WITHIN GROUP (ORDER BY y) FROM #seen)
  AS counts, COUNT(*) AS n, MAX(y) AS last_year FROM @years""")
    assert rows == [("1,2,3,4", 4, 201819)]


@pytest.mark.parametrize("statement", [
    "SELECT TOP 3 TaxYear INTO @t FROM leo_earnings",
    "DECLARE @t TABLE (x INT)\nTRUNCATE TABLE @t",
    "DECLARE @t TABLE (x INT)\nDROP TABLE IF EXISTS #a, @t",
    "DECLARE @t TABLE (x INT)\nALTER TABLE @t ADD y INT",
])
@pytest.mark.parametrize("backend", BACKENDS)
def test_what_t_sql_does_not_do_to_a_table_variable_stops_the_script(
        backend: str, statement: str, request: pytest.FixtureRequest) -> None:
    # SQL Server's syntax error, raised before the batch runs: every target made, emptied,
    # dropped or altered the session's table
    with pytest.raises(ScriptError, match=re.escape("Incorrect syntax near '@t'.")):
        _values(_db(request, backend), f"SELECT 1 AS first\n{statement}\nSELECT 2 AS second")
