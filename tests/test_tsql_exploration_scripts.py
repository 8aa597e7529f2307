"""`leo-synth sql`: how every new SRS user explores the extract first, and trainers' workshop
exercises, run on every backend, their answers the same on each: the views and columns of a
database listed from ``INFORMATION_SCHEMA`` and ``sys.columns`` joined to ``sys.types``, the
census years a project holds tested by ``OBJECT_ID(..., 'V')``, every column of a view profiled
by dynamic SQL built from the catalog in a cursor, a workshop's scalar and inline table-valued
functions over tax years, and earnings percentiles in real terms. And what SQL Server does that
leo-synth did not:

- ``OBJECT_ID(name, type)`` is NULL for an object of another type (the extract's relations are
  views: ``OBJECT_ID('NPD_i2.2002237.spring_census_2011', 'U')`` is NULL in the SRS), where
  the type was not read;
- ``INFORMATION_SCHEMA.COLUMNS`` has all of SQL Server's columns (``DATETIME_PRECISION``,
  ``CHARACTER_OCTET_LENGTH``, ``NUMERIC_PRECISION_RADIX``, ``COLLATION_NAME`` ... were "Invalid
  column name"), and an ``int``'s ``NUMERIC_PRECISION`` is 10 and its ``NUMERIC_SCALE`` 0 (they
  were NULL).
"""

from __future__ import annotations

import functools

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db
from test_tsql_analyst_scripts import _table
from test_tsql_linkage_and_fixed_width_scripts import _values

from leo_synth.tsql.errors import ScriptError

SCRIPTS = {
    "views_and_columns_of_the_hmrc_and_dwp_database": """
USE [LEO_i2]
SELECT c.TABLE_NAME, c.COLUMN_NAME, c.ORDINAL_POSITION,
  c.DATA_TYPE + CASE WHEN c.CHARACTER_MAXIMUM_LENGTH IS NOT NULL
    THEN '(' + CAST(c.CHARACTER_MAXIMUM_LENGTH AS VARCHAR(10)) + ')'
    WHEN c.DATA_TYPE IN ('decimal', 'numeric')
    THEN '(' + CAST(c.NUMERIC_PRECISION AS VARCHAR(3)) + ',' + CAST(c.NUMERIC_SCALE AS VARCHAR(3))
      + ')' ELSE '' END AS full_type,
  c.IS_NULLABLE, c.NUMERIC_PRECISION, c.NUMERIC_SCALE, c.DATETIME_PRECISION,
  c.CHARACTER_OCTET_LENGTH, c.COLLATION_NAME, t.max_length, t.is_nullable
FROM INFORMATION_SCHEMA.COLUMNS c
JOIN (SELECT v.name AS view_name, sc.name AS column_name, sc.max_length, sc.is_nullable
      FROM sys.columns sc
      JOIN sys.views v ON v.object_id = sc.object_id
      JOIN sys.types ty ON ty.user_type_id = sc.user_type_id) t
  ON t.view_name = c.TABLE_NAME AND t.column_name = c.COLUMN_NAME
WHERE c.TABLE_NAME LIKE 'leo[_]%' AND c.TABLE_NAME NOT LIKE '%lookup'
ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION
""",
    "census_years_a_project_holds_tested_as_views": """
SET NOCOUNT ON
IF OBJECT_ID('tempdb..#years', 'U') IS NOT NULL DROP TABLE #years
CREATE TABLE #years (yr INT, is_view INT, is_table INT, pupils INT)
DECLARE @y INT = 2008, @name NVARCHAR(200), @sql NVARCHAR(MAX), @n INT
WHILE @y <= 2013
BEGIN
  SET @name = N'NPD_i2.[2002237].spring_census_' + CAST(@y AS NVARCHAR(4))
  SET @n = NULL
  IF OBJECT_ID(@name, 'V') IS NOT NULL
  BEGIN
    SET @sql = N'SELECT @c = COUNT(DISTINCT PupilMatchingRefAnonymous_spr'
      + RIGHT(CAST(@y AS NVARCHAR(4)), 2) + N') FROM ' + @name
    EXEC sp_executesql @sql, N'@c INT OUTPUT', @c = @n OUTPUT
  END
  INSERT INTO #years VALUES (@y, CASE WHEN OBJECT_ID(@name, 'V') IS NULL THEN 0 ELSE 1 END,
    CASE WHEN OBJECT_ID(@name, 'U') IS NULL THEN 0 ELSE 1 END, @n)
  SET @y += 1
END
SELECT yr, is_view, is_table, pupils FROM #years ORDER BY yr
""",
    "every_column_of_a_view_profiled_by_a_cursor": """
SET NOCOUNT ON;
CREATE TABLE #profile (column_name SYSNAME, data_type VARCHAR(30), n_null INT,
  n_distinct INT, min_value VARCHAR(100), max_value VARCHAR(100));
DECLARE @col SYSNAME, @type VARCHAR(30), @sql NVARCHAR(MAX);
DECLARE cols CURSOR LOCAL FAST_FORWARD FOR
  SELECT c.name, t.name FROM LEO_i2.sys.columns c
  JOIN LEO_i2.sys.types t ON t.user_type_id = c.user_type_id
  WHERE c.object_id = OBJECT_ID('LEO_i2.2002237.leo_employment', 'V') ORDER BY c.column_id;
OPEN cols;
FETCH NEXT FROM cols INTO @col, @type;
WHILE @@FETCH_STATUS = 0
BEGIN
  SET @sql = N'INSERT INTO #profile SELECT @c, @t, SUM(CASE WHEN ' + QUOTENAME(@col)
    + N' IS NULL THEN 1 ELSE 0 END), COUNT(DISTINCT ' + QUOTENAME(@col) + N'), '
    + N'CONVERT(VARCHAR(100), MIN(' + QUOTENAME(@col) + N')), CONVERT(VARCHAR(100), MAX('
    + QUOTENAME(@col) + N')) FROM LEO_i2.[2002237].leo_employment';
  IF @type = 'bit'
    SET @sql = REPLACE(REPLACE(@sql, N'MIN(' + QUOTENAME(@col) + N')',
      N'MIN(CAST(' + QUOTENAME(@col) + N' AS INT))'), N'MAX(' + QUOTENAME(@col) + N')',
      N'MAX(CAST(' + QUOTENAME(@col) + N' AS INT))');
  EXEC sp_executesql @sql, N'@c SYSNAME, @t VARCHAR(30)', @c = @col, @t = @type;
  FETCH NEXT FROM cols INTO @col, @type;
END
CLOSE cols; DEALLOCATE cols;
SELECT p.*, c.NUMERIC_PRECISION, c.DATETIME_PRECISION
FROM #profile p
JOIN LEO_i2.INFORMATION_SCHEMA.COLUMNS c
  ON c.TABLE_NAME = 'leo_employment' AND c.COLUMN_NAME = p.column_name
ORDER BY c.ORDINAL_POSITION;
""",
    "every_column_of_earnings_profiled_by_string_agg": """
DECLARE @sql NVARCHAR(MAX);
SELECT @sql = STRING_AGG(CAST('SELECT ''' + COLUMN_NAME + ''' AS column_name, '
  + CAST(ORDINAL_POSITION AS VARCHAR(3)) + ' AS position, COUNT_BIG(*) AS n_rows, '
  + 'SUM(CASE WHEN ' + QUOTENAME(COLUMN_NAME) + ' IS NULL THEN 1 ELSE 0 END) AS n_null, '
  + 'APPROX_COUNT_DISTINCT(' + QUOTENAME(COLUMN_NAME) + ') AS n_distinct, '
  + CASE WHEN DATA_TYPE LIKE '%char' THEN 'MAX(LEN(' + QUOTENAME(COLUMN_NAME) + '))'
    ELSE 'NULL' END + ' AS longest, '
  + CASE WHEN NUMERIC_PRECISION IS NOT NULL AND NUMERIC_SCALE = 0
    THEN 'MIN(' + QUOTENAME(COLUMN_NAME) + ')' ELSE 'NULL' END + ' AS least '
  + 'FROM [LEO_i2].[2002237].[leo_earnings]' AS NVARCHAR(MAX)), ' UNION ALL ')
  WITHIN GROUP (ORDER BY ORDINAL_POSITION)
FROM [LEO_i2].INFORMATION_SCHEMA.COLUMNS
WHERE TABLE_NAME = 'leo_earnings';
SET @sql = @sql + N' ORDER BY position';
EXEC sp_executesql @sql;
""",
    "workshop_tax_year_functions_over_earnings": """
IF OBJECT_ID('dbo.fn_tax_year_label', 'FN') IS NOT NULL DROP FUNCTION dbo.fn_tax_year_label
GO
CREATE FUNCTION dbo.fn_tax_year_label (@ty INT) RETURNS VARCHAR(7)
AS
BEGIN
  DECLARE @label VARCHAR(7);
  SET @label = CAST(@ty / 100 AS VARCHAR(4)) + '-' + RIGHT(CAST(@ty AS VARCHAR(6)), 2);
  RETURN @label;
END
GO
CREATE FUNCTION dbo.fn_tax_year_start (@ty INT) RETURNS DATE
AS
BEGIN
  RETURN DATEFROMPARTS(@ty / 100, 4, 6);
END
GO
IF OBJECT_ID('dbo.earnings_in', 'IF') IS NOT NULL DROP FUNCTION dbo.earnings_in
GO
CREATE FUNCTION dbo.earnings_in (@from INT, @to INT = 202021)
RETURNS TABLE
AS
RETURN (SELECT Edukey, TaxYear, Earnings FROM [LEO_i2].[2002237].[leo_earnings]
        WHERE TaxYear BETWEEN @from AND @to AND Earnings > 0);
GO
SELECT dbo.fn_tax_year_label(e.TaxYear) AS tax_year, dbo.fn_tax_year_start(e.TaxYear) AS starts,
  COUNT(*) AS n, AVG(e.Earnings) AS mean_pay,
  CASE WHEN OBJECT_ID('dbo.earnings_in', 'FN') IS NULL THEN 'inline' ELSE 'scalar' END AS kind
FROM dbo.earnings_in(201415, DEFAULT) e
GROUP BY dbo.fn_tax_year_label(e.TaxYear), dbo.fn_tax_year_start(e.TaxYear)
ORDER BY tax_year;
""",
    "real_earnings_percentiles_by_tax_year": """
SET NOCOUNT ON;
DECLARE @cpi TABLE (TaxYear INT PRIMARY KEY, cpi DECIMAL(6,1));
INSERT INTO @cpi VALUES (201415, 99.6), (201516, 100.0), (201617, 101.0), (201718, 103.6),
  (201819, 106.0), (201920, 107.8), (202021, 108.7);
SELECT e.TaxYear, COUNT(*) AS earners,
  MIN(pc.p25) AS p25, MIN(pc.median) AS median, MIN(pc.p90_disc) AS p90_disc,
  CAST(MIN(pc.median) * 108.7 / MIN(c.cpi) AS DECIMAL(12,2)) AS real_median
FROM [LEO_i2].[2002237].[leo_earnings] e
JOIN @cpi c ON c.TaxYear = e.TaxYear
CROSS APPLY (SELECT DISTINCT
   PERCENTILE_CONT(0.25) WITHIN GROUP (ORDER BY x.Earnings) OVER () AS p25,
   PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY x.Earnings) OVER () AS median,
   PERCENTILE_DISC(0.9) WITHIN GROUP (ORDER BY x.Earnings) OVER () AS p90_disc
   FROM [LEO_i2].[2002237].[leo_earnings] x
   WHERE x.TaxYear = e.TaxYear AND x.Earnings > 0) pc
WHERE e.Earnings > 0
GROUP BY e.TaxYear
ORDER BY e.TaxYear;
""",
}


@functools.cache
def _on_sqlite(db: str, text: str) -> tuple[str, ...]:
    """The table ``leo-synth sql`` prints for a script on the SQLite file ``db``, made once."""
    return tuple(_table(db, text))


@pytest.mark.parametrize("name", sorted(SCRIPTS))
@pytest.mark.parametrize("backend", BACKENDS)
def test_exploration_scripts_print_the_same_table_on_every_backend(
        backend: str, name: str, request: pytest.FixtureRequest, small_sqlite) -> None:
    expected = _on_sqlite(str(small_sqlite[0]), SCRIPTS[name])
    assert len(expected) > 3 and tuple(_table(_db(request, backend), SCRIPTS[name])) == expected


OBJECTS = """SELECT 1 AS a INTO #t;
GO
CREATE PROCEDURE dbo.p AS SELECT 1 AS x
GO
CREATE FUNCTION dbo.f (@a INT) RETURNS INT AS BEGIN RETURN @a + 1 END
GO
CREATE FUNCTION dbo.tf (@a INT) RETURNS TABLE AS RETURN (SELECT @a AS a)
GO
CREATE VIEW dbo.v AS SELECT 1 AS a
GO
DECLARE @kind CHAR(1) = 'v'
SELECT {}"""


@pytest.mark.parametrize("name, kind, found", [
    ("LEO_i2.2002237.leo_benefit", "'V'", True), ("LEO_i2.2002237.leo_benefit", "N'U'", False),
    ("NPD_i2.[2002237].spring_census_2011", "@kind", True),
    ("NPD_i2.[2002237].spring_census_2011", "'U'", False),
    ("tempdb..#t", "'U'", True), ("tempdb..#t", "'V'", False),
    ("dbo.p", "'P'", True), ("dbo.p", "'U'", False),
    ("dbo.f", "'FN'", True), ("dbo.f", "'IF'", False),
    ("dbo.tf", "'IF'", True), ("dbo.tf", "'FN'", False),
    ("dbo.v", "'V'", True), ("dbo.v", "'U'", False)])
@pytest.mark.parametrize("backend", BACKENDS)
def test_object_id_gives_a_number_only_for_the_type_asked(
        backend: str, name: str, kind: str, found: bool,
        request: pytest.FixtureRequest) -> None:
    # the type was not read: OBJECT_ID('LEO_i2.2002237.leo_benefit', 'U') gave the view's number
    db = _db(request, backend)
    [(typed, any_type)] = _values(db, OBJECTS.format(f"OBJECT_ID('{name}', {kind}), "
                                                     f"OBJECT_ID('{name}')"))
    assert any_type is not None
    assert typed == (any_type if found else None)


@pytest.mark.parametrize("backend", BACKENDS)
def test_information_schema_columns_has_sql_servers_columns_and_values(
        backend: str, request: pytest.FixtureRequest) -> None:
    # DATETIME_PRECISION, CHARACTER_OCTET_LENGTH, ... were "Invalid column name"; an int's
    # NUMERIC_PRECISION and NUMERIC_SCALE were NULL
    db = _db(request, backend)
    rows = _values(db, """SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH,
  CHARACTER_OCTET_LENGTH, NUMERIC_PRECISION, NUMERIC_PRECISION_RADIX, NUMERIC_SCALE,
  DATETIME_PRECISION, CHARACTER_SET_NAME, COLLATION_NAME, DOMAIN_NAME
FROM LEO_i2.INFORMATION_SCHEMA.COLUMNS
WHERE TABLE_NAME IN ('leo_employment', 'leo_earnings') AND ORDINAL_POSITION <= 4
ORDER BY TABLE_NAME, ORDINAL_POSITION""")
    text = ("iso_1", "Latin1_General_CI_AS", None)
    assert rows == [
        ("leo_earnings", "Edukey", "varchar", 14, 14, None, None, None, None, *text),
        ("leo_earnings", "TaxYear", "int", None, None, 10, 10, 0, None, None, None, None),
        ("leo_earnings", "Earnings", "int", None, None, 10, 10, 0, None, None, None, None),
        ("leo_earnings", "main_enterprise", "varchar", 12, 12, None, None, None, None, *text),
        ("leo_employment", "EduKey", "varchar", 14, 14, None, None, None, None, *text),
        ("leo_employment", "StartDate", "date", None, None, None, None, None, 0, None, None,
         None),
        ("leo_employment", "EndDate", "date", None, None, None, None, None, 0, None, None,
         None),
        ("leo_employment", "UncertainStartDate", "bit", None, None, None, None, None, None,
         None, None, None)]
    [(floats,)] = _values(db, """SELECT COUNT(*) FROM NPD_i2.INFORMATION_SCHEMA.COLUMNS
WHERE DATA_TYPE = 'float' AND NUMERIC_PRECISION = 53 AND NUMERIC_PRECISION_RADIX = 2
  AND NUMERIC_SCALE IS NULL""")
    assert floats > 0
    assert _values(db, """CREATE TABLE #t (n INT, x DECIMAL(9, 2), f FLOAT, code VARCHAR(5))
SELECT COLUMN_NAME, NUMERIC_PRECISION, NUMERIC_PRECISION_RADIX, NUMERIC_SCALE,
  CHARACTER_OCTET_LENGTH, COLLATION_NAME
FROM tempdb.INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME LIKE '#t[_]%'
ORDER BY ORDINAL_POSITION""") == [("n", 10, 10, 0, None, None), ("x", 9, 10, 2, None, None),
                                  ("f", 53, 2, None, None, None),
                                  ("code", None, None, None, 5, "Latin1_General_CI_AS")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_temp_tables_catalog_shows_the_types_its_create_table_declares(
        backend: str, request: pytest.FixtureRequest) -> None:
    # an NVARCHAR(10) was a varchar of 10 bytes, a DATETIME2(3), a TIME(0) and a MONEY a
    # datetime (a MONEY a float on SQLite), a TINYINT a bigint and a VARCHAR(MAX) 8000 bytes
    db = _db(request, backend)
    made = """CREATE TABLE #t (a NVARCHAR(10) NOT NULL, b DATETIME2(3), j TIME(0),
  f MONEY, l TINYINT, h VARCHAR(MAX), q DATETIME2, u UNIQUEIDENTIFIER, m CHAR(4))
"""
    assert _values(db, made + """SELECT name, TYPE_NAME(user_type_id), max_length, precision,
  scale, is_nullable
FROM tempdb.sys.columns WHERE object_id = OBJECT_ID('tempdb..#t') ORDER BY column_id""") == [
        ("a", "nvarchar", 20, 0, 0, 0), ("b", "datetime2", 7, 23, 3, 1),
        ("j", "time", 3, 8, 0, 1), ("f", "money", 8, 19, 4, 1), ("l", "tinyint", 1, 3, 0, 1),
        ("h", "varchar", -1, 0, 0, 1), ("q", "datetime2", 8, 27, 7, 1),
        ("u", "uniqueidentifier", 16, 0, 0, 1), ("m", "char", 4, 0, 0, 1)]
    assert _values(db, made + """SELECT COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH,
  CHARACTER_OCTET_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION
FROM tempdb.INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME LIKE '#t[_]%'
  AND COLUMN_NAME IN ('a', 'b', 'f', 'h') ORDER BY ORDINAL_POSITION""") == [
        ("a", "nvarchar", 10, 20, None, None, None), ("b", "datetime2", None, None, None, None, 3),
        ("f", "money", None, None, 19, 4, None), ("h", "varchar", -1, -1, None, None, None)]
    assert _values(db, made + "SELECT COL_LENGTH('tempdb..#t', 'a'), "
                              "COL_LENGTH('tempdb..#t', 'h')") == [(20, -1)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_select_into_copies_a_views_column_types(backend: str,
                                                 request: pytest.FixtureRequest) -> None:
    # SQLite's copy showed datetime and bigint columns, every target's a varchar of 8000
    # bytes, all nullable
    db = _db(request, backend)
    shape = """SELECT TOP 0 * INTO #shape FROM [LEO_i2].[2002237].[leo_benefit];
SELECT EduKey AS k, main_enterprise INTO #e FROM [LEO_i2].[2002237].[leo_earnings] WHERE 1 = 0;
"""
    assert _values(db, shape + """SELECT name, TYPE_NAME(user_type_id), max_length, precision,
  is_nullable FROM tempdb.sys.columns
WHERE object_id IN (OBJECT_ID('tempdb..#shape'), OBJECT_ID('tempdb..#e'))
ORDER BY CASE WHEN object_id = OBJECT_ID('tempdb..#shape') THEN 0 ELSE 1 END, column_id""") == [
        ("EduKey", "varchar", 14, 0, 0), ("StartDate", "date", 3, 10, 0),
        ("EndDate", "date", 3, 10, 0), ("Benefit_type", "varchar", 3, 0, 0),
        ("Out_of_work_benefit", "int", 4, 10, 0),
        ("k", "varchar", 14, 0, 0), ("main_enterprise", "varchar", 12, 0, 1)]
    assert _values(db, shape + "SELECT COL_LENGTH('tempdb..#shape', 'EduKey')") == [(14,)]


@pytest.mark.parametrize("text", [
    "CREATE SEQUENCE dbo.run_id AS INT START WITH 1 INCREMENT BY 1;",
    "SELECT NEXT VALUE FOR dbo.run_id AS id, EduKey FROM [LEO_i2].[2002237].[leo_benefit]",
    "DROP SEQUENCE IF EXISTS dbo.run_id"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_sequences_stop_the_script_with_one_line_naming_what_to_write(
        backend: str, text: str, request: pytest.FixtureRequest) -> None:
    # CREATE SEQUENCE stopped with sqlglot's "Expected CTE to have alias"
    with pytest.raises(ScriptError, match=r"^line 2: sequences \(CREATE SEQUENCE, NEXT VALUE "
                                          r"FOR\) cannot be translated: number rows with "
                                          r"ROW_NUMBER\(\) OVER"):
        _values(_db(request, backend), "SELECT 1 AS next, 2 AS value\n" + text)
