"""`leo-synth sql`: T-SQL scripts split, refused, translated and run as SQL Server would, on
every backend of the suite's small extract."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import math
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import sqlglot
from conftest import ROOT
from sqlglot import exp
from sqlglot.errors import ParseError
from test_srs_corpus import _value, duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)

from leo_synth.errors import LeoSynthError
from leo_synth.tsql import (
    blocks,
    constant_orders,
    identity_reads,
    output,
    padded_comparisons,
    script,
)
from leo_synth.tsql.command import run_text
from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.information_schema import column_spellings
from leo_synth.tsql.runner import check
from leo_synth.tsql.targets import connect_sqlite_readonly
from leo_synth.tsql.value_hashes import hash32

BACKENDS = [pytest.param("small_sqlite", id="sqlite"),
            pytest.param("small_parquet", id="parquet"),
            pytest.param("duckdb_from_parquet", id="duckdb"),
            pytest.param("small_duckdb", id="duckdb-extract"),
            pytest.param("srs_postgres", id="postgres", marks=pytest.mark.postgres)]


def _db(request: pytest.FixtureRequest, fixture: str) -> str:
    value = request.getfixturevalue(fixture)
    return str(value[0] if isinstance(value, tuple) else value)


def _rows(db: str, text: str) -> list[tuple]:
    result = run_text(db, text, "tsql", None, False)[-1]
    return [tuple(_value(v) for v in row) for row in result.rows]


def _texts(db: str, text: str) -> list[tuple[str, ...]]:
    """The last result's rows as the result table writes them (a ``DATETIME`` with its
    milliseconds, a decimal with its places)."""
    return [tuple(str(v) for v in row)
            for row in run_text(db, text, "tsql", None, False)[-1].rows]


# --- reading a script -------------------------------------------------------------------------

def test_statements_need_no_semicolons_and_keep_their_lines() -> None:
    text = """-- a comment
DECLARE @y INT = 2011
/* a block
   comment */ SELECT a INTO #t FROM x
SELECT 1 UNION ALL SELECT 2
GO
;WITH c AS (SELECT 1 AS n) SELECT n FROM c
INSERT INTO #t SELECT CASE WHEN a = 1 THEN 2 END FROM x
"""
    found = blocks.read(text)
    assert [(s.batch, s.line, type(s.tree).__name__) for s in found] == [
        (0, 2, "Declare"), (0, 4, "Select"), (0, 5, "Union"), (1, 7, "Select"), (1, 8, "Insert")]


def test_go_in_a_comment_or_a_string_separates_nothing() -> None:
    # a section commented out with its GO lines split the script inside the comment
    text = """/* an old version
SELECT 1
GO
   /* nested */ GO
*/ SELECT 'a
GO
b' AS two_lines -- GO
GO
SELECT 3
GO 2"""
    assert script.batches(text) == [
        (1, text.split("\nGO\nSELECT 3")[0]), (9, "SELECT 3"), (9, "SELECT 3")]


def test_table_hints_are_dropped_whole() -> None:
    # WITH (NOLOCK) once cut the statement before it: the joins after it were lost
    text = """SELECT a INTO #t FROM x WITH (NOLOCK) JOIN y WITH (NOLOCK, INDEX(ix_y)) ON y.a = x.a
INSERT INTO #t WITH (TABLOCK) SELECT a FROM z
SELECT a FROM #t OPTION (MAXDOP 1)"""
    found = blocks.read(text)
    assert [(s.line, type(s.tree).__name__) for s in found] == [
        (1, "Select"), (2, "Insert"), (3, "Select")]
    assert [t.name for t in found[0].tree.find_all(exp.Table)] == ["t", "x", "y"]
    assert "NOLOCK" not in found[0].tree.sql("tsql").upper()


@pytest.mark.parametrize(("text", "line", "words"), [
    ("SELECT 1\nSELECT @@CONNECTIONS", 2, "@@CONNECTIONS"),
    ("SELECT * FROM OPENROWSET('x', 'y')", 1, "OPENROWSET"),
    ("\n\nEXEC sp_who", 3, "EXEC sp_who: SQL Server's own procedures cannot be translated"),
    ("SELECT 1\nCREATE PROCEDURE p AS SELECT 1", 2, "must be the first statement in a query"),
    ("CREATE PROC p @t dbo.pupils READONLY AS SELECT 1", 1, "table-valued parameters"),
    ("EXEC @status = p", 1, "return codes cannot be translated"),
    ("BULK INSERT #t FROM 'pupils.csv'", 1, "BULK INSERT"),
    ("GOTO done", 1, "GOTO"),
    ("SELECT @n = COUNT(*), 2 FROM t", 1, "cannot also return columns"),
    ("WHILE 1 = 1\nBEGIN\n  SELECT 1", 2, "BEGIN without its END"),
    ("SELECT 1\nBREAK", 2, "BREAK outside a WHILE loop"),
])
def test_what_cannot_be_translated_is_refused_with_its_line(text: str, line: int,
                                                            words: str) -> None:
    with pytest.raises(ScriptError) as failure:
        check(text)
    assert failure.value.line == line and words in str(failure.value)
    assert str(failure.value).startswith(f"line {line}: ")


def test_refusals_ignore_strings_names_and_comments() -> None:
    check("-- WHILE EXEC\nSELECT 'WHILE @@ROWCOUNT' AS [EXEC], 5 % 2 AS [PERCENT] /* PIVOT */")


# --- T-SQL semantics on every backend ---------------------------------------------------------

EXPRESSIONS = {
    "DATEDIFF(day, '2011-12-31', '2012-01-01')": 1,
    "DATEDIFF(month, '2011-12-31', '2012-01-01')": 1,
    "DATEDIFF(year, '2011-12-31', '2012-01-01')": 1,
    "DATEDIFF(year, '2011-01-01', '2011-12-31')": 0,
    "DATEDIFF(month, '2011-01-31', '2011-03-01')": 2,
    "DATEDIFF(day, '2011-03-01', '2011-01-31')": -29,
    "DATEADD(month, 1, '2011-01-31')": "2011-02-28",
    "DATEADD(month, -1, '2011-03-31')": "2011-02-28",
    "DATEADD(year, 1, '2012-02-29')": "2013-02-28",
    "DATEADD(day, 30, '2011-01-05')": "2011-02-04",
    "DATEFROMPARTS(2011, 2, 3)": "2011-02-03",
    "YEAR('2011-05-06')": 2011,
    "DATEPART(month, '2011-05-06')": 5,
    "CONVERT(VARCHAR(10), CAST('2011-05-06' AS DATE), 103)": "06/05/2011",
    "LEFT('abcdef', 2)": "ab",
    "RIGHT('abcdef', 2)": "ef",
    "RIGHT('ab,cd,efg', CHARINDEX(',', REVERSE('ab,cd,efg')) - 1)": "efg",  # (SQLite: 'd,efg')
    "ROUND(1450 - 200, -2)": 1300,  # (SQLite: 1450 - 200 / 100.0, rounded)
    "ROUND(2.5 - 1.25, 1, 1)": 1.2,
    "SUBSTRING('abcdef', 2, 3)": "bcd",
    "LEN('abc')": 3,
    "CHARINDEX('c', 'abc')": 3,
    "'a' + 'b'": "ab",
    "7 / 2": 3,
    "ISNULL(NULL, 3)": 3,
    "IIF(2 > 1, 'y', 'n')": "y",
    "ROUND(2.345, 2)": 2.35,
    "CAST('12' AS INT) + 1": 13,
    # each below was an error or a different answer on at least one backend
    "TRY_CAST(' 12a' AS INT)": None,
    "TRY_CAST(' 12 ' AS INT)": 12,
    "TRY_CONVERT(INT, '34')": 34,
    "TRY_CAST('1.5e1' AS FLOAT)": 15,
    "TRY_CAST('2011-02-03' AS DATE)": "2011-02-03",
    "EOMONTH('2012-02-10')": "2012-02-29",
    "CONVERT(VARCHAR(7), CAST('2011-05-06' AS DATE), 120)": "2011-05",
    "CAST('abcdef' AS VARCHAR(3))": "abc",
    "CAST(2011 AS VARCHAR(4)) + CAST(5 AS VARCHAR(2))": "20115",
    "REPLICATE('0', 3) + 'x'": "000x",
    "CONCAT('a', 1, NULL)": "a1",
    "CASE WHEN '34' LIKE '[0-9]%' THEN 1 ELSE 0 END": 1,
    "CASE WHEN 'a4' LIKE '%[^0-9]%' THEN 1 ELSE 0 END": 1,
    "CASE WHEN '44' LIKE '%[^0-9]%' THEN 1 ELSE 0 END": 0,
    "CASE WHEN 'ABC' LIKE 'a_c' THEN 1 ELSE 0 END": 1,
    # NOT LIKE was LIKE on every target (sqlglot marks the NOT on the LIKE, which was lost)
    "CASE WHEN '44' NOT LIKE '%[^0-9]%' THEN 1 ELSE 0 END": 1,
    "CASE WHEN 'a4' NOT LIKE '%[^0-9]%' THEN 1 ELSE 0 END": 0,
    "CASE WHEN 'ABC' NOT LIKE 'a_c' THEN 1 ELSE 0 END": 0,
    "CASE WHEN 'ABD' NOT LIKE 'a_c' THEN 1 ELSE 0 END": 1,
    "DATENAME(month, '2011-05-06')": "May",
    "DATENAME(weekday, '2011-05-06')": "Friday",
    "DATEPART(quarter, '2011-05-06')": 2,
    "DATEPART(weekday, '2011-05-06')": 6,
    "DATEDIFF(week, '2011-01-01', '2011-01-31')": 5,
    "DATEDIFF(quarter, '2011-01-01', '2013-12-15')": 11,
    "DATEADD(quarter, 1, '2011-01-31')": "2011-04-30",
    "DATEADD(week, 2, '2011-01-31')": "2011-02-14",
    "ISNUMERIC('12.5')": 1,
    "ISNUMERIC('12a')": 0,
    "ROUND(2.567, 1, 1)": 2.5,
    "CAST(5 AS BIT)": 1,
    # SQLite read 'true' as the number 0; PostgreSQL refused '5' as a BOOLEAN
    "CAST('true' AS BIT)": 1,
    "CAST('False' AS BIT)": 0,
    "CAST('5' AS BIT)": 1,
    "CAST('0' AS BIT)": 0,
    "CHOOSE(2, 'x', 'y')": "y",
    "'a' COLLATE DATABASE_DEFAULT": "a",
    "REVERSE('abc')": "cba",
    "SUBSTRING(200405, 1, 4)": "2004",
    "CHARINDEX('4', 200405)": 4,
    "REPLACE(200405, '0', 'x')": "2xx4x5",
    "DATEFROMPARTS(LEFT(201516, 4), 4, 6)": "2015-04-06",
    "CAST(2.55 AS DECIMAL(5, 1))": 2.6,
    "CAST(-2.5 AS DECIMAL)": -3,
    "CONVERT(DECIMAL(10, 2), 1.005 * 3)": 3.02,
    "LEN(CAST(NEWID() AS VARCHAR(36)))": 36,
    "DATEPART(week, '2011-01-31')": 6,
    "DATEPART(wk, '2016-12-31')": 53,
    "DATEPART(dayofyear, '2012-02-29')": 60,
    "ISDATE('2011-02-30')": 0,
    "ISDATE('2012-02-29')": 1,
    "ISDATE('2011-02-03abc')": 0,
    "SIGN(7) / 2": 0,  # (an int: PostgreSQL's was a float, 0.5)
    # ROUND, FLOOR and CEILING of an int are ints (7.5 on one target or another)
    "FLOOR(15) / 2": 7,
    "CEILING(15) / 2": 7,
    "ROUND(15, 0) / 2": 7,
    "ROUND(15, -1) / 3": 6,
    "ROUND(CAST(15 AS BIGINT), -1) / 3": 6,
    # the targets found only ISO text a date (0 for these), and the blank 1900-01-01
    "ISDATE('01/31/2015')": 1,
    "ISDATE('20150131')": 1,
    "ISDATE('31 Jan 2015')": 1,
    "ISDATE('31/01/2015')": 0,
    "ISDATE('')": 0,
    "ISDATE(CONVERT(VARCHAR(8), CAST('2015-01-31' AS DATE), 112))": 1,
    # SQLite's cast of a date written as text (CONVERT(VARCHAR(8), d, 112)) was NULL
    "CAST(CONVERT(VARCHAR(8), CAST('2015-01-31' AS DATE), 112) AS DATETIME)":
        dt.datetime(2015, 1, 31),
    "TRY_CAST('2011-04-30 10:00' AS DATE)": "2011-04-30",
    # SQLite read only ISO text; DuckDB and PostgreSQL stopped on text not in the style
    "TRY_CONVERT(DATE, '20151231', 112)": "2015-12-31",
    "TRY_CONVERT(DATE, CAST(20150228 AS VARCHAR(8)), 112)": "2015-02-28",
    "TRY_CONVERT(DATE, '20151331', 112)": None,
    "TRY_CONVERT(DATE, '1/2/2015', 103)": "2015-02-01",
    "TRY_CONVERT(DATE, '31/02/2015', 103)": None,
    "TRY_CONVERT(DATE, 'x', 103)": None,
    # SQLite kept every digit; PostgreSQL stopped on a number too long
    "TRY_CONVERT(DECIMAL(5, 2), '3.14159')": 3.14,
    "TRY_CONVERT(DECIMAL(3, 1), '123.4')": None,
    "TRY_CAST('2.5' AS DECIMAL(4, 0))": 3,
    "CONVERT(DATE, '31/01/2011', 103)": "2011-01-31",
    "CONVERT(DATE, '20110131', 112)": "2011-01-31",
    "STUFF('abcdef', 2, 3, 'X')": "aXef",
    "CONCAT_WS('-', 1, NULL, 'b')": "1-b",
    "TRANSLATE('abc', 'ab', 'xy')": "xyc",
    "CAST(CAST('2011-03-01' AS DATETIME) - 1 AS DATE)": "2011-02-28",
    "CASE WHEN GETDATE() - 30 < GETDATE() THEN 1 ELSE 0 END": 1,
    "QUOTENAME('a]b')": "[a]]b]",
    "CAST('20110131' AS DATE)": "2011-01-31",
    "FORMAT(1234567.891, 'N0')": "1,234,568",
    "FORMAT(-1234.5, 'N')": "-1,234.50",
    "FORMAT(0.1234, 'P1')": "12.3%",
    "FORMAT(2.5, '#,##0')": "3",
    "FORMAT(-1.25, '0.0')": "-1.3",
    "FORMAT(0.125, '0.0%')": "12.5%",
    "FORMAT(1234.5, 'F1')": "1234.5",
    "FORMAT(-7, 'D3')": "-007",
    "FORMAT(7, '00')": "07",
    # a decimal's remainder keeps its fraction, with the dividend's sign (SQLite's % took
    # both as integers: -1, 1 and 1)
    "-7.5 % 2": -1.5,
    "CAST(7.5 AS DECIMAL(5, 2)) % 2": 1.5,
    "7 % -2.5": 2,
    "-7 % 2": -1,
    # a negative number that rounds to zero has no sign (SQLite wrote '-0.00' and '-0')
    "FORMAT(-0.001, 'N2')": "0.00",
    "FORMAT(CAST(-0.4 AS FLOAT), '0')": "0",
    "FORMAT(-0.004, 'P1')": "-0.4%",
    # '#' writes no digit that is not significant: zero is '' (every target wrote '0')
    "FORMAT(0, '#')": "",
    "FORMAT(0.4, '#')": "",
    "FORMAT(12.5, '#')": "13",
    "PATINDEX('%[0-9]%', 'AB12')": 3,
    # a pattern joined from pieces (a variable's value by then): its classes were not read
    "PATINDEX('%' + '[0-9]' + '%', 'ab1c')": 3,
    "CASE WHEN 'ab1' LIKE '%' + '[0-9]' + '%' THEN 1 ELSE 0 END": 1,
    # a start of 0 or less searches from the first character (it gave 1, 0 and -5)
    "CHARINDEX('b', 'abcabc', 0)": 2,
    "CHARINDEX('b', 'abcabc', -5)": 2,
    # an empty search text is found nowhere (every target found it at 1, or at the start)
    "CHARINDEX('', 'abc')": 0,
    "CHARINDEX('', 'abc', 2)": 0,
    "CHARINDEX(' ', 'a b')": 2,
    # a number given to a text function is converted to text (DuckDB and PostgreSQL had no
    # such function for an integer)
    "UPPER(12) + LOWER(3)": "123",
    "REPLICATE(0, 3)": "000",
    "LTRIM(12) + RTRIM(4) + TRIM(5)": "1245",
    "REVERSE(123)": "321",
    # STUFF is NULL for a start outside the text or a negative length, and a NULL insert
    # inserts nothing (the targets inserted at either end, and gave NULL)
    "STUFF('abc', 4, 1, 'Z')": None,
    "STUFF('abc', 0, 1, 'Z')": None,
    "STUFF('abc', 2, -1, 'Z')": None,
    "STUFF('abc', 2, 1, NULL)": "ac",
    "STUFF('ab  ', 4, 1, 'Z')": "ab Z",
    "STUFF('abc', 3, 5, 'Z')": "abZ",
    # DATEADD truncates a number's fraction (SQLite added 1.9 months' days: 2015-03-27), and
    # counts weekday and dayofyear in days (NULL on SQLite, a parser error on DuckDB)
    "CONVERT(VARCHAR(10), DATEADD(month, 1.9, '2015-01-31'), 23)": "2015-02-28",
    "CONVERT(VARCHAR(10), DATEADD(day, -1.5, '2015-01-31'), 23)": "2015-01-30",
    "CONVERT(VARCHAR(10), DATEADD(weekday, 1, '2015-01-31'), 23)": "2015-02-01",
    "CONVERT(VARCHAR(10), DATEADD(dy, 3, '2015-01-31'), 23)": "2015-02-03",
    "DATEDIFF(dw, '2015-01-01', '2015-01-31')": 30,
    "ISDATE('1752-12-31')": 0,  # (a DATETIME starts in 1753; it gave 1)
    "ISDATE('1753-01-01')": 1,
    "PATINDEX('%b%', 'aBcb')": 2,
    "PATINDEX('ab%', 'abc')": 1,
    "PATINDEX('%bc', 'abcbc')": 4,
    "PATINDEX('%x%', 'abc')": 0,
    "DATALENGTH('ab  ')": 4,
    "PARSENAME(REPLACE('2014/2015', '/', '.'), 2)": "2014",
    "PARSENAME(REPLACE('2014/2015', '/', '.'), 1)": "2015",
    "PARSENAME(REPLACE('a/b', '/', '.'), 3)": None,
    "PARSENAME('a.b.c.d', 4)": "a",
    "PARSENAME('a.b', 3)": None,
    "PARSENAME('a..c', 2)": None,
    "PARSENAME('a.b.c.d.e', 1)": None,
    "LEN('ab  ')": 2,
    "LEN(200405)": 6,
    "CAST(12.7 AS INT)": 12,
    "CAST(-2.5 AS INT)": -2,
    "CONVERT(INT, 7 / 2.0)": 3,
    "CAST(DATEDIFF(day, '2000-01-01', '2015-06-30') / 365.25 AS INT)": 15,
    "DATEADD(month, DATEDIFF(month, 0, '2015-03-17'), 0)": "2015-03-01",
    "DATEADD(month, DATEDIFF(month, -1, '2015-03-17'), -1)": "2015-03-31",
    "DATEADD(day, 10, 0)": "1900-01-11",
    # a number computed where a date is expected: days from day 0 (today at midnight)
    "CONVERT(VARCHAR(10), DATEADD(dd, 0, DATEDIFF(dd, 0, '2015-03-17 10:00')), 120)":
        "2015-03-17",
    "CONVERT(VARCHAR(19), DATEADD(hh, 6, DATEDIFF(dd, 0, '2015-03-17 10:00') + 1), 120)":
        "2015-03-18 06:00:00",
    "CONVERT(VARCHAR(16), CAST('2015-01-01 13:45' AS DATETIME2), 120)": "2015-01-01 13:45",
    "ROUND(123.456, -1)": 120,
    "ROUND(125, -1)": 130,
    "DATEDIFF(hour, '2015-01-01 00:59', '2015-01-01 01:01')": 1,
    "DATEDIFF(mi, '2015-01-01 00:00:59', '2015-01-01 00:01:01')": 1,
    "DATEDIFF(second, '2015-01-01 00:00', '2015-01-01 01:00')": 3600,
    "DATEDIFF(hh, '1960-01-01 23:30', '1960-01-02 00:10')": 1,
    "CONVERT(VARCHAR(19), DATEADD(hh, 5, CAST('2015-01-01' AS DATETIME)), 120)":
        "2015-01-01 05:00:00",
    "CONVERT(VARCHAR(19), DATEADD(ss, -1, CAST('2015-01-01' AS DATETIME)), 120)":
        "2014-12-31 23:59:59",
    "DATEPART(hour, CAST('2015-01-31 10:11:12' AS DATETIME))": 10,
    "DATEPART(ISO_WEEK, '2016-01-03')": 53,
    "DATEPART(ISO_WEEK, '2015-12-31')": 53,
    "DATENAME(quarter, '2015-05-31')": "2",
    "CONVERT(VARCHAR(8), CAST('2015-01-31' AS DATE), 3)": "31/01/15",
    "CONVERT(VARCHAR(11), CAST('2015-01-31' AS DATE), 106)": "31 Jan 2015",
    "CONVERT(VARCHAR(23), CAST('2015-01-31 10:11:12' AS DATETIME), 121)":
        "2015-01-31 10:11:12.000",
    "CONVERT(VARCHAR(19), CAST('2015-01-31 10:11:12' AS DATETIME), 126)": "2015-01-31T10:11:12",
    "FORMAT(CAST('2015-01-31' AS DATE), 'MMM yyyy')": "Jan 2015",
    "FORMAT(CAST('2015-01-31' AS DATE), 'dddd d MMMM')": "Saturday 31 January",
    "CASE WHEN ABS(CHECKSUM(NEWID())) % 10 BETWEEN 0 AND 9 THEN 1 END": 1,
    "NCHAR(66)": "B",
    "CAST('' AS INT)": 0,
    "CAST(200 AS TINYINT) + 1": 201,
    # an integer date of the NPD's (20100901) as text, then a date: NULL or an error before
    "CAST(CAST(20100901 AS VARCHAR(8)) AS DATE)": "2010-09-01",
    "TRY_CONVERT(DATE, CONVERT(CHAR(8), 20100901))": "2010-09-01",
    "CONVERT(DATE, CAST(20100901 AS VARCHAR(8)), 112)": "2010-09-01",
    "TRY_CAST(CAST('2010x901' AS VARCHAR(8)) AS DATE)": None,
    # STR: right-aligned in its length, fewer decimals or stars when it does not fit
    "'[' + STR(123.456, 8, 2) + ']'": "[  123.46]",
    "'[' + STR(123.456) + ']'": "[       123]",
    "LTRIM(STR(2015)) + '/16'": "2015/16",
    "STR(123.456, 5, 2)": "123.5",
    "STR(12345, 3)": "***",  # (PostgreSQL has no TINYINT: it stopped there)
    "TRY_CAST(' ' AS INT)": 0,
    "ROUND((CAST(1 AS FLOAT) / 3 - 0.333333333) * 1000000000, 3)": 0.333,  # 8 bytes, not 4
}


@pytest.mark.parametrize("backend", BACKENDS)
def test_functions_mean_what_they_mean_in_sql_server(backend: str,
                                                     request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    select = ",\n".join(f"{expression} AS c{i}" for i, expression in enumerate(EXPRESSIONS))
    [row] = _rows(db, f"SELECT {select}")
    assert dict(zip(EXPRESSIONS, row, strict=True)) == {
        k: _value(v) for k, v in EXPRESSIONS.items()}


@pytest.mark.parametrize("backend", BACKENDS)
def test_temp_tables_variables_top_and_windows(backend: str,
                                               request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    text = """CREATE TABLE #n (x INT, g VARCHAR(1))
INSERT INTO #n VALUES (1, 'a'), (2, 'a'), (3, 'b')
DECLARE @low INT = 1
DECLARE @rows INT
SET @rows = (SELECT COUNT(*) FROM #n)
SELECT x, g INTO ##more FROM #n WHERE x > @low
SELECT TOP (2) x, @rows AS total_rows,
       ROW_NUMBER() OVER (PARTITION BY g ORDER BY x DESC) AS rn,
       COUNT(*) OVER () AS shown
FROM ##more ORDER BY x DESC"""
    assert _rows(db, text) == [(3, 3, 1, 2), (2, 3, 1, 2)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_updates_of_temp_tables_with_and_without_from(backend: str,
                                                     request: pytest.FixtureRequest) -> None:
    # UPDATE #t SET ... was cut at SET; T-SQL's UPDATE alias ... FROM #t alias JOIN ... named
    # the table by its alias, which no target takes
    db = _db(request, backend)
    text = """CREATE TABLE #t (id INT, v INT, flag INT)
INSERT INTO #t VALUES (1, NULL, 0), (2, 5, 0), (3, NULL, 0)
CREATE TABLE #u (id INT, w INT)
INSERT INTO #u VALUES (1, 10), (3, 30), (4, 40)
CREATE TABLE #k (id INT)
INSERT INTO #k VALUES (3)
UPDATE #t SET v = 0 WHERE v IS NULL AND id = 1
UPDATE t SET t.v = u.w + t.v FROM #t t INNER JOIN #u u ON u.id = t.id WHERE t.id > 1
UPDATE t SET flag = 1 FROM #t AS t JOIN #u u ON u.id = t.id JOIN #k k ON k.id = u.id
SELECT id, v, flag FROM #t ORDER BY id"""
    assert _rows(db, text) == [(1, 0, 0), (2, 5, 0), (3, None, 1)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_updates_through_outer_joins_count_each_row_once(backend: str,
                                                         request: pytest.FixtureRequest) -> None:
    # an outer join to the table updated, or the table named after the FROM's first, stopped
    # the script ("cannot be translated"); a row a join matched twice counted twice in
    # @@ROWCOUNT on DuckDB (SQL Server updates it once, from one of its matches)
    db = _db(request, backend)
    text = """CREATE TABLE #a (id INT, v INT, flag INT)
INSERT INTO #a VALUES (1, NULL, NULL), (2, NULL, NULL), (3, NULL, NULL), (4, 7, NULL)
CREATE TABLE #b (id INT, w INT)
INSERT INTO #b VALUES (1, 10), (1, 10), (3, 30)
UPDATE a SET a.flag = CASE WHEN b.id IS NULL THEN 0 ELSE 1 END, v = ISNULL(b.w, a.v)
FROM #a AS a LEFT OUTER JOIN #b AS b ON b.id = a.id WHERE a.id < 4
DECLARE @outer INT = @@ROWCOUNT
UPDATE a SET v = a.v + b.w FROM #b b JOIN #a a ON a.id = b.id
DECLARE @second INT = @@ROWCOUNT
UPDATE a SET flag = 9 FROM #a a JOIN #b b ON b.id = a.id
SELECT id, v, flag, @outer AS outer_rows, @second AS second_rows, @@ROWCOUNT AS inner_rows
FROM #a ORDER BY id"""
    assert _rows(db, text) == [(1, 20, 9, 3, 2, 2), (2, None, 0, 3, 2, 2),
                               (3, 60, 9, 3, 2, 2), (4, 7, None, 3, 2, 2)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_try_conversions_and_isnumeric_of_computed_text(backend: str,
                                                        request: pytest.FixtureRequest) -> None:
    # text whose kind the translator does not know (a VALUES list, a CTE's column): SQLite's
    # TRY_CONVERT stopped the script at '1e5', DuckDB's read '1.5' as 2 and '1e5' as 100000;
    # blank text is 0 as an integer or a float and NULL as a decimal (a sign alone is 0 as an
    # integer, as SQL Server converts it, and NULL as a float); ISNUMERIC is SQL
    # Server's, which calls anything a money value could be a number ('$', '-', '1,000')
    db = _db(request, backend)
    text = """SELECT x, ISNUMERIC(x) AS isnum, TRY_CONVERT(INT, x) AS i, TRY_CAST(x AS FLOAT) AS f,
       TRY_CAST(x AS DECIMAL(5, 1)) AS d
FROM (VALUES ('1e5'), ('1.5'), (' 12 '), (''), ('$'), ('-'), ('.'), ('1,000'), ('1d5'),
             ('abc'), (' '), (NULL)) t(x)"""
    assert _rows(db, text) == [
        ("1e5", 1, None, 100000.0, None), ("1.5", 1, None, 1.5, 1.5),
        (" 12 ", 1, 12, 12.0, 12.0), ("", 0, 0, 0.0, None), ("$", 1, None, None, None),
        ("-", 1, 0, None, None), (".", 1, None, None, None), ("1,000", 1, None, None, None),
        ("1d5", 1, None, None, None), ("abc", 0, None, None, None), (" ", 0, 0, 0.0, None),
        (None, 0, None, None, None)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_quotename_quotes_a_name_as_sql_server_does(backend: str,
                                                    request: pytest.FixtureRequest) -> None:
    # QUOTENAME's second argument, the quote, stopped every target; a name over 128
    # characters was quoted, where SQL Server gives NULL
    db = _db(request, backend)
    assert _rows(db, """SELECT QUOTENAME('a]b'), QUOTENAME('it''s', ''''), QUOTENAME('p', '('),
        QUOTENAME('q', '>'), QUOTENAME('r', '"'), QUOTENAME('s', 'x'), QUOTENAME(NULL),
        QUOTENAME(REPLICATE('a', 129)), LEN(QUOTENAME(REPLICATE('a', 128))),
        QUOTENAME(5)""") == [
        ("[a]]b]", "'it''s'", "(p)", "<q>", '"r"', None, None, None, 130, "[5]")]
    text = """DECLARE @y INT = 2011, @sql NVARCHAR(MAX)
SET @sql = N'SELECT COUNT(*) FROM [NPD_i2].[2002237].' + QUOTENAME('spring_census_'
    + CAST(@y AS VARCHAR(4)))
EXEC sp_executesql @sql"""
    assert run_text(db, text, "tsql", None, False)[-1].rows == _rows(
        db, "SELECT COUNT(*) FROM [NPD_i2].[2002237].[spring_census_2011]")
    with pytest.raises(ScriptError, match="QUOTENAME takes a name"):
        _rows(db, "SELECT TOP 1 QUOTENAME(Benefit_type, Benefit_type) FROM leo_benefit")


@pytest.mark.parametrize("backend", BACKENDS)
def test_text_functions_at_their_bounds(backend: str, request: pytest.FixtureRequest) -> None:
    # SUBSTRING from a start below 1 counted from the end on SQLite and DuckDB ('f'); LEFT of
    # a negative length gave '' (SQLite) or all but the last characters, where SQL Server
    # stops with error 536 (LEFT(x, CHARINDEX(' ', x) - 1) of a value without a space)
    db = _db(request, backend)
    text = """SELECT x, SUBSTRING(x, CHARINDEX('-', x) - 1, 3) AS around,
       SUBSTRING('abcdef', -1, 3) AS negative, SUBSTRING('abcdef', 0, 3) AS zero,
       LEFT(x, CHARINDEX('-', x) - 1) AS head
FROM (VALUES ('ab-cd'), ('x-y')) t(x) ORDER BY x
BEGIN TRY
  SELECT LEFT(x, CHARINDEX(' ', x) - 1) AS a FROM (VALUES ('abc')) t(x)
END TRY
BEGIN CATCH
  SELECT ERROR_NUMBER() AS n, ERROR_MESSAGE() AS m
END CATCH"""
    results = run_text(db, text, "tsql", None, True)
    assert [tuple(row) for row in results[0].rows] == [("ab-cd", "b-c", "a", "ab", "ab"),
                                                        ("x-y", "x-y", "a", "ab", "x")]
    assert [tuple(row) for row in results[-1].rows] == [
        (536, "Invalid length parameter passed to the left function.")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_translate_of_unequal_characters_stops(backend: str,
                                               request: pytest.FixtureRequest) -> None:
    # SQL Server: error 9828 when TRANSLATE's second and third arguments differ in length;
    # DuckDB and PostgreSQL dropped the unmatched characters ('xc'), SQLite stopped in its
    # own words
    db = _db(request, backend)
    results = run_text(db, """SELECT TRANSLATE(x, '()', '[]') AS t FROM (VALUES ('(a)')) v(x)
BEGIN TRY
  SELECT TRANSLATE(x, 'ab', 'x') AS t FROM (VALUES ('abc')) v(x)
END TRY
BEGIN CATCH
  SELECT ERROR_NUMBER() AS n, ERROR_MESSAGE() AS m
END CATCH""", "tsql", None, True)
    assert [tuple(row) for row in results[0].rows] == [("[a]",)]
    assert [tuple(row) for row in results[-1].rows] == [(9828, (
        "The second and third arguments of the TRANSLATE built-in function must contain an "
        "equal number of characters."))]


@pytest.mark.parametrize("backend", BACKENDS)
def test_space_and_replicate_of_a_negative_count_are_null(
        backend: str, request: pytest.FixtureRequest) -> None:
    # SQL Server: SPACE and REPLICATE of a negative count are NULL, and so are ASCII and
    # UNICODE of empty text; DuckDB and PostgreSQL gave '' and 0, so a code padded to 3
    # (REPLICATE('0', 3 - LEN(x)) + x) kept '1234' where SQL Server gives NULL
    db = _db(request, backend)
    assert _rows(db, """SELECT x, REPLICATE('0', 3 - LEN(x)) + x AS padded,
    '[' + SPACE(2 - LEN(x)) + ']' AS spaced, ASCII(LEFT(x, 0)) AS a, UNICODE(LEFT(x, 0)) AS u,
    ASCII(x) AS first, SPACE(-1) AS none, REPLICATE('ab', -2) AS neither, ASCII('') AS empty
FROM (VALUES ('1'), ('1234')) t(x) ORDER BY x""") == [
        ("1", "001", "[ ]", None, None, 49, None, None, None),
        ("1234", None, None, None, None, 49, None, None, None)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_variables_hold_their_declared_types_values(backend: str,
                                                    request: pytest.FixtureRequest) -> None:
    # a variable took the value as computed: DECLARE @n INT = 'abc' (or SET, or SELECT @n =)
    # ended in a Python traceback, a BIT held 2, a DECIMAL the text 'abc'
    db = _db(request, backend)
    text = """DECLARE @f BIT = 2, @g BIT = 'false', @m DECIMAL(5, 2) = 1.005, @n INT = '12'
DECLARE @caught VARCHAR(200), @number INT
SELECT @n = ' 7 '
BEGIN TRY
  SET @n = 'abc'
END TRY
BEGIN CATCH
  SELECT @caught = ERROR_MESSAGE(), @number = ERROR_NUMBER()
END CATCH
SELECT @f AS f, @g AS g, @m AS m, @n AS n, @number AS number, @caught AS caught"""
    assert _rows(db, text) == [(1, 0, 1.01, 7, 245, "Conversion failed when converting the "
                                "varchar value 'abc' to data type int.")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_bit_columns_hold_0_or_1_and_are_not_summed(backend: str,
                                                    request: pytest.FixtureRequest) -> None:
    # a #temp table's BIT column held 2, and SUM(flag) ran where SQL Server stops (error 8117)
    db = _db(request, backend)
    text = """CREATE TABLE #c (id INT, fsm BIT)
INSERT INTO #c VALUES (1, 2), (2, 0), (3, NULL)
INSERT INTO #c SELECT 4, 'true'
UPDATE #c SET fsm = 5 WHERE id = 2
SELECT id, CAST(fsm AS BIT) AS flag INTO #d FROM #c
SELECT SUM(CAST(fsm AS INT)) AS total, COUNT(fsm) AS known FROM #c"""
    assert _rows(db, text) == [(3, 3)]
    for aggregate in ("SUM(fsm)", "AVG(fsm)", "MAX(flag)"):
        table = "#d" if "flag" in aggregate else "#c"
        name = aggregate.split("(")[0].lower()
        with pytest.raises(ScriptError, match=re.escape(
                f"Operand data type bit is invalid for {name} operator.")):
            _rows(db, text + f"\nSELECT {aggregate} AS x FROM {table}")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_values_lists_columns_have_their_literals_types(backend: str,
                                                          request: pytest.FixtureRequest) -> None:
    # a VALUES list's columns had no known type: AVG(x * 1.0) showed the float's places
    # (1.666666667; PostgreSQL 1.6666666666666667) where SQL Server's decimal has six
    db = _db(request, backend)
    text = """SELECT AVG(x * 1.0) AS mean, SUM(x) / COUNT(x) AS whole, MAX(w) AS word,
       SUM(f * 2) AS doubled
FROM (VALUES (1, 'a', 0.25), (2, 'b', 0.5), (2, NULL, NULL)) t(x, w, f)"""
    assert _rows(db, text) == [(1.66667, 1, "b", 1.5)]
    shown = run_text(db, text, "tsql", None, False)[-1].rows[0][0]
    assert str(shown) == "1.666667"


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_values_lists_decimal_columns_average_as_decimals(
        backend: str, request: pytest.FixtureRequest) -> None:
    # SQL Server: a VALUES list's column of 1.0, 2.0 and 2.0 is a DECIMAL(2, 1), so its AVG
    # has six places (1.666667) and its SUM one (5.0); every target averaged a float
    # (1.6666666666666667, and 1.75 for a column of 1.5 and 2)
    db = _db(request, backend)
    rows = run_text(db, """SELECT AVG(x) AS a, SUM(x) AS s, AVG(w) AS b, SUM(w) AS t
FROM (VALUES (1.0, 1.5), (2.0, 2), (2.0, NULL)) v(x, w)""", "tsql", None, False)[-1].rows
    assert [[str(v) for v in row] for row in rows] == [["1.666667", "5.0", "1.750000", "3.5"]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_isnull_of_an_integer_is_an_integer(backend: str,
                                            request: pytest.FixtureRequest) -> None:
    # SQL Server: ISNULL(x, y) has x's type, so a NULL int's 0.5 is 0 (and -1.5 is -1);
    # every target gave 0.5 and -1.5 (COALESCE takes the wider type: 0.5 there too)
    db = _db(request, backend)
    assert _rows(db, """SELECT x, ISNULL(x, 0.5), ISNULL(x, -1.5) + 0, COALESCE(x, 0.5)
FROM (VALUES (1), (NULL)) t(x) ORDER BY x""") == [(None, 0, -1, 0.5), (1, 1, 1, 1)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_upper_and_lower_change_every_letter(backend: str,
                                             request: pytest.FixtureRequest) -> None:
    # SQL Server's UPPER and LOWER change accented letters too; SQLite's changed ASCII ones
    # alone ('éLèVE', and 'ÀÉÎ' kept), so its comparison with N'ÉLÈVE' found nothing
    db = _db(request, backend)
    text = """CREATE TABLE #n (id INT, name NVARCHAR(20))
INSERT INTO #n VALUES (1, N'élève'), (2, N'ÀÉÎ Noël'), (3, NULL)
SELECT id, UPPER(name), LOWER(name), UPPER(LEFT(name, 1)) + LOWER(SUBSTRING(name, 2, 20)),
       CASE WHEN UPPER(name) = N'ÉLÈVE' THEN 1 ELSE 0 END,
       (SELECT COUNT(*) FROM #n WHERE name IN (N'ÉLÈVE', N'x') OR name = N'àéî NOËL')
FROM #n ORDER BY id"""
    assert _rows(db, text) == [(1, "ÉLÈVE", "élève", "Élève", 1, 2),
                               (2, "ÀÉÎ NOËL", "àéî noël", "Àéî noël", 0, 2),
                               (3, None, None, None, 0, 2)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_money_added_or_multiplied_is_money(backend: str,
                                            request: pytest.FixtureRequest) -> None:
    # SQL Server: money +, - or * money or an int is money (four places; two as text), with a
    # decimal a decimal; SQLite showed floats (3703.5, 15.0), and every target wrote
    # CAST(pay * 2 AS VARCHAR) with one or four places
    db = _db(request, backend)
    text = """CREATE TABLE #p (id INT, pay MONEY)
INSERT INTO #p VALUES (1, 1234.5)
SELECT pay * 3, pay + 1, 2 * pay - pay, CAST(5 AS MONEY) * 3, pay * 1.5,
       CAST(pay * 2 AS VARCHAR(20)) FROM #p"""
    [row] = run_text(db, text, "tsql", None, False)[-1].rows
    assert [str(v) for v in row] == ["3703.5000", "1235.5000", "1234.5000", "15.0000",
                                     "1851.75000", "2469.00"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_concat_writes_money_as_a_cast_does(backend: str,
                                            request: pytest.FixtureRequest) -> None:
    # SQL Server converts a MONEY that CONCAT joins as CAST(... AS VARCHAR) does: two places;
    # SQLite wrote 2.5, the others 2.5000
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #p (pay MONEY)
INSERT INTO #p VALUES (2.5), (NULL)
SELECT CONCAT('£', pay), CONCAT_WS('-', pay * 3, 'z'), CONCAT(CAST(5 AS MONEY), '')
FROM #p ORDER BY pay""") == [("£", "z", "5.00"), ("£2.50", "7.50-z", "5.00")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_isnull_cuts_its_value_to_the_columns_length(backend: str,
                                                     request: pytest.FixtureRequest) -> None:
    # ISNULL has its first argument's type: 'Unknown' in a VARCHAR(2) column's place is 'Un'
    # in SQL Server (COALESCE keeps it whole); the targets kept it whole, and the extract's
    # VARCHAR(2) HE_XCLASS01 too
    db = _db(request, backend)
    text = """CREATE TABLE #t (id INT, c VARCHAR(2))
INSERT INTO #t VALUES (1, NULL), (2, 'ab')
SELECT t.id, ISNULL(t.c, 'Unknown') AS cut, COALESCE(c, 'Unknown') AS whole,
       ISNULL(c, LOWER('NONE')) AS computed,
       (SELECT MAX(ISNULL(HE_XCLASS01, 'None')) FROM [HESA_i2].[2002237].[hesa_2015]
        WHERE HE_XCLASS01 IS NULL) AS extract_column
FROM #t t ORDER BY id"""
    assert _rows(db, text) == [(1, "Un", "Unknown", "no", "No"), (2, "ab", "ab", "ab", "No")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_text_variables_and_casts_hold_their_types_length(backend: str,
                                                          request: pytest.FixtureRequest) -> None:
    # a VARCHAR(5) variable kept all of 'abcdefg', a VARCHAR one (SQL Server's length 1) all
    # of 'abc', and CAST(x AS VARCHAR) (SQL Server's 30) every character: SQL Server cuts
    # each without a word, so a script's list or label was longer here than in the SRS
    db = _db(request, backend)
    long = "abcdefghijklmnopqrstuvwxyz0123456789"
    text = f"""DECLARE @one VARCHAR = 'abc'
DECLARE @five VARCHAR(5) = 'abcdefg'
DECLARE @year VARCHAR(4)
SET @year = 201415
DECLARE @whole NVARCHAR(MAX) = REPLICATE('x', 50)
DECLARE @list VARCHAR(8) = ''
SELECT @list = @list + w + ',' FROM (VALUES ('ab'), ('cd'), ('ef')) t(w) ORDER BY w
SELECT @one AS one, @five AS five, @year AS year, LEN(@whole) AS whole, @list AS list,
       CAST('{long}' AS VARCHAR) AS cast30, CONVERT(NVARCHAR, '{long}') AS convert30,
       TRY_CAST('{long}' AS VARCHAR) AS try30, CAST('{long}' AS VARCHAR(MAX)) AS max,
       CAST(201415 AS VARCHAR) + '/' AS number"""
    assert _rows(db, text) == [("a", "abcde", "*", 50, "ab,cd,ef", long[:30], long[:30],
                                long[:30], long, "201415/")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_master_spt_values_gives_the_numbers_scripts_count_with(
        backend: str, request: pytest.FixtureRequest) -> None:
    # the numbers-table idiom stopped with "unknown SRS database 'master'"
    db = _db(request, backend)
    text = """SELECT DATEADD(MONTH, v.number, CAST('2015-04-01' AS DATE)) AS month_start,
       v.low, v.high
FROM master..spt_values v WHERE v.type = 'P' AND v.number IN (0, 9, 11) ORDER BY v.number"""
    assert _rows(db, text) == [("2015-04-01", 1, 1), ("2016-01-01", 2, 2),
                               ("2016-03-01", 2, 8)]
    assert _rows(db, "SELECT COUNT(*) AS n, MIN(number) AS low, MAX(number) AS high "
                     "FROM [master].[dbo].[spt_values] WHERE type = 'p'") == [(2048, 0, 2047)]
    with pytest.raises(ScriptError, match=re.escape("only master..spt_values")):
        _rows(db, "SELECT name FROM master..sysdatabases")


@pytest.mark.parametrize("backend", BACKENDS)
def test_round_of_a_float_is_a_float(backend: str, request: pytest.FixtureRequest) -> None:
    # PostgreSQL's round needs a numeric: ROUND(AVG(CAST(x AS FLOAT)), 2) showed 2.50
    db = _db(request, backend)
    text = """SELECT ROUND(AVG(CAST(x AS FLOAT)), 2) AS f, ROUND(AVG(x * 1.0), 2) AS d,
       ROUND(STDEV(x), 3) AS sd
FROM (VALUES (2), (3)) t(x)"""
    shown = run_text(db, text, "tsql", None, False)[-1].rows[0]
    assert [str(v) for v in shown] == ["2.5", "2.500000", "0.707"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_name_text_in_one_table_and_integers_in_another_is_typed_by_its_table(
        backend: str, request: pytest.FixtureRequest) -> None:
    # ILR's Year is varchar(4) in learners and an int in aims: with both met, l.Year >= 2015
    # was compared as text with an integer, which PostgreSQL and DuckDB refused
    db = _db(request, backend)
    joined = """FROM [LILR_i2].[2002237].[learners] l
JOIN [LILR_i2].[2002237].[aims] a ON a.external_id = l.external_id"""
    [(numbers,)] = _rows(db, f"SELECT COUNT(*) AS n {joined} WHERE l.Year >= 2015 "
                             "AND a.Year IN (2015, 2016, 2017, 2018, 2019, 2020)")
    [(texts,)] = _rows(db, f"SELECT COUNT(*) AS n {joined} WHERE l.Year IN ('2015', '2016', "
                           "'2017', '2018', '2019', '2020')")
    assert numbers == texts > 0
    # and a later statement reading learners alone, once aims was met
    [(alone,)] = _rows(db, f"""SELECT TOP 1 a.Year {joined}
SELECT COUNT(*) AS n FROM [LILR_i2].[2002237].[learners] WHERE Year BETWEEN 2015 AND 2020""")
    [(alone_texts,)] = _rows(db, "SELECT COUNT(*) AS n FROM [LILR_i2].[2002237].[learners] "
                                 "WHERE Year >= '2015'")
    assert alone == alone_texts > 0
    # and in arithmetic, as SQL Server converts the text to the number's type
    [(gap, following, age)] = _rows(db, f"""SELECT TOP 1 a.Year - l.Year AS gap,
       l.Year + 1 AS following, 2020 - l.Year AS age {joined} WHERE l.Year = '2015'""")
    assert (gap, following, age) == (0, 2016, 5)
    # and in a SELECT ... INTO, whose new table is not there to be read
    [(made,)] = _rows(db, f"""SELECT l.Year INTO #ilr {joined} WHERE l.Year >= 2015
SELECT COUNT(*) AS n FROM #ilr""")
    assert made == numbers


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_extracts_bits_are_bits(backend: str, request: pytest.FixtureRequest) -> None:
    # UncertainStartDate is a bit in the SRS, where SUM of it stops (error 8117); the
    # targets hold it as a small integer, and summed it here
    db = _db(request, backend)
    employment = "[LEO_i2].[2002237].[leo_employment]"
    with pytest.raises(ScriptError, match="Operand data type bit is invalid for sum operator"):
        _rows(db, f"SELECT SUM(UncertainStartDate) AS s FROM {employment}")
    [(words, casts)] = _rows(db, f"""SELECT
    SUM(CASE WHEN UncertainStartDate = 'True' OR UncertainEndDate IN ('TRUE') THEN 1 END),
    SUM(CAST(UncertainStartDate | UncertainEndDate AS INT)) FROM {employment}""")
    assert words == casts > 0
    # ~ of a bit is its other value (the targets' ~0 was -1)
    assert _rows(db, f"""SELECT DISTINCT UncertainStartDate, ~UncertainStartDate AS other
FROM {employment} ORDER BY 1""") == [(0, 1), (1, 0)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_reading_a_temp_table_that_is_not_there_is_sql_servers_error(
        backend: str, request: pytest.FixtureRequest) -> None:
    # each target said it in its own words ("no such table", "Catalog Error", "relation ...
    # does not exist") where SQL Server says "Invalid object name" (error 208)
    db = _db(request, backend)
    for statement in ("SELECT * FROM #gone", "DELETE FROM #gone",
                      "SELECT e.TaxYear FROM [LEO_i2].[2002237].[leo_earnings] e "
                      "JOIN #gone g ON g.k = e.EduKey"):
        with pytest.raises(ScriptError, match=re.escape("line 1: Invalid object name '#gone'.")):
            _rows(db, statement)
    with pytest.raises(ScriptError, match=re.escape('Must declare the table variable "@t".')):
        _rows(db, "SELECT * FROM @t")
    # (in dynamic SQL: beside the TRY block SQL Server finds it as it compiles the statement,
    # which its CATCH block does not catch; compile_errors.py)
    assert _rows(db, """BEGIN TRY
    EXEC ('SELECT * FROM #gone')
END TRY
BEGIN CATCH
    SELECT ERROR_NUMBER() AS n, ERROR_MESSAGE() AS m
END CATCH""") == [(208, "Invalid object name '#gone'.")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_like_of_a_number_or_a_date_matches_its_text(backend: str,
                                                     request: pytest.FixtureRequest) -> None:
    # SQL Server converts the number to text; PostgreSQL and DuckDB refused LIKE of an int
    db = _db(request, backend)
    [(like, between)] = _rows(db, """SELECT
    SUM(CASE WHEN TaxYear LIKE '2015%' THEN 1 ELSE 0 END),
    SUM(CASE WHEN TaxYear BETWEEN 201500 AND 201599 THEN 1 ELSE 0 END)
FROM [LEO_i2].[2002237].[leo_earnings]""")
    assert like == between > 0
    [(dates, years)] = _rows(db, """SELECT
    SUM(CASE WHEN StartDate LIKE '2015-0[1-6]%' THEN 1 ELSE 0 END),
    SUM(CASE WHEN YEAR(StartDate) = 2015 AND MONTH(StartDate) <= 6 THEN 1 ELSE 0 END)
FROM [LEO_i2].[2002237].[leo_benefit]""")
    assert dates == years


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_subquery_used_as_a_value_that_finds_two_rows_stops(
        backend: str, request: pytest.FixtureRequest) -> None:
    # SQL Server stops with error 512; SQLite took the first row it found, so a wrong
    # subquery gave an answer here and an error in the SRS
    db = _db(request, backend)
    earnings = "[LEO_i2].[2002237].[leo_earnings]"
    for statement in (f"SELECT (SELECT TaxYear FROM {earnings}) AS t",
                      f"SELECT COUNT(*) AS n FROM {earnings} WHERE TaxYear = "
                      f"(SELECT DISTINCT TaxYear FROM {earnings})",
                      f"DECLARE @y INT = (SELECT TaxYear FROM {earnings} GROUP BY TaxYear)",
                      # (its own ORDER BY names its value: SQLite said "Invalid column name")
                      f"SELECT (SELECT TOP 2 TaxYear AS y FROM {earnings} GROUP BY TaxYear "
                      "ORDER BY y DESC) AS t"):
        with pytest.raises(ScriptError, match=re.escape("Subquery returned more than 1 value.")):
            _rows(db, statement + "\nSELECT 1 AS one")
    # what finds one row runs: an aggregate, TOP 1, a correlated lookup of one row
    [(top, most, years)] = _rows(db, f"""SELECT
    (SELECT TOP 1 TaxYear FROM {earnings} ORDER BY TaxYear DESC),
    (SELECT MAX(TaxYear) FROM {earnings}),
    (SELECT COUNT(*) FROM (SELECT DISTINCT TaxYear FROM {earnings}) y
     WHERE y.TaxYear = (SELECT DISTINCT e.TaxYear FROM {earnings} e
                        WHERE e.TaxYear = y.TaxYear))""")
    assert top == most and years > 10
    assert _rows(db, f"""BEGIN TRY
    SELECT (SELECT TaxYear FROM {earnings}) AS t
END TRY
BEGIN CATCH
    SELECT ERROR_NUMBER() AS n
END CATCH""") == [(512,)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_star_is_headed_as_each_relation_spells_its_columns(
        backend: str, request: pytest.FixtureRequest) -> None:
    # leo_benefit spells EduKey, leo_earnings Edukey: b.* was headed Edukey, by name alone
    db = _db(request, backend)
    joined = ("FROM [LEO_i2].[2002237].[leo_benefit] b JOIN [LEO_i2].[2002237].[leo_earnings] "
              "e ON e.Edukey = b.EduKey")
    benefit = ["EduKey", "StartDate", "EndDate", "Benefit_type", "Out_of_work_benefit"]
    [result] = run_text(db, f"SELECT TOP 1 b.*, e.TaxYear AS y {joined}", "tsql", None, False)
    assert result.columns == [*benefit, "y"]
    [result] = run_text(db, f"SELECT TOP 1 e.Earnings, * {joined}", "tsql", None, False)
    assert result.columns[:2] == ["Earnings", "EduKey"]
    assert result.columns[len(benefit) + 1:len(benefit) + 3] == ["Edukey", "TaxYear"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_set_rowcount_limits_each_statement_until_lifted(
        backend: str, request: pytest.FixtureRequest) -> None:
    # SET ROWCOUNT stopped the script; older SRS scripts sample, take a first row and delete
    # in parts with it
    db = _db(request, backend)
    earnings = "[LEO_i2].[2002237].[leo_earnings]"
    text = f"""SELECT TOP 10 Edukey, TaxYear, 0 AS f INTO #d FROM {earnings}
    ORDER BY Edukey, TaxYear
DECLARE @rounds INT = 0, @k VARCHAR(14), @n INT = 4
SET ROWCOUNT 3
SELECT Edukey INTO #s FROM #d ORDER BY Edukey DESC
INSERT INTO #s SELECT Edukey FROM #d UNION ALL SELECT Edukey FROM #d
SET ROWCOUNT @n
UPDATE #d SET f = 1
UPDATE TOP (2) #d SET f = 2 WHERE f = 0
SET ROWCOUNT 1
SELECT @k = Edukey FROM #d ORDER BY Edukey DESC, TaxYear
SET ROWCOUNT 3
SELECT COUNT(*) AS all_rows, (SELECT COUNT(*) FROM #s) AS kept, @k AS first_key,
    SUM(f) AS flagged FROM (SELECT * FROM #d) d
WHILE 1 = 1 BEGIN
    DELETE FROM #d WHERE f >= 0
    IF @@ROWCOUNT = 0 BREAK
    SET @rounds += 1
END
SET ROWCOUNT 0
SELECT @rounds AS rounds, (SELECT COUNT(*) FROM #d) AS left_over"""
    *_, counts, loop = run_text(db, text, "tsql", None, True)
    [(all_rows, kept, first_key, flagged)] = counts.rows
    keys = _rows(db, f"SELECT TOP 10 Edukey FROM {earnings} ORDER BY Edukey, TaxYear")
    # the outer query is limited, not its FROM's subquery; 3 rows into #s, then 3 more
    assert (all_rows, kept, first_key, flagged) == (10, 6, keys[-1][0], 4 * 1 + 2 * 2)
    assert loop.rows == [(4, 0)]  # 10 rows deleted 3 at a time


def test_set_rowcount_refuses_what_it_cannot_limit(small_sqlite) -> None:
    db = str(small_sqlite[0])
    with pytest.raises(ScriptError, match="SET ROWCOUNT takes a whole number"):
        run_text(db, "SET ROWCOUNT -1", "tsql", None, False)
    with pytest.raises(ScriptError, match=r"^line 3: SET ROWCOUNT 5 with a DELETE through a"):
        run_text(db, "SELECT 1 AS k INTO #d\nSET ROWCOUNT 5\n"
                     "DELETE d FROM #d d JOIN #d e ON e.k = d.k", "tsql", None, False)
    with pytest.raises(ScriptError, match=r"^line 2: SET ROWCOUNT 5 with a TOP other than"):
        run_text(db, "SET ROWCOUNT 5\nSELECT TOP 10 PERCENT Edukey FROM "
                     "[LEO_i2].[2002237].[leo_earnings] ORDER BY Edukey", "tsql", None, False)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_temp_tables_computed_columns(backend: str, request: pytest.FixtureRequest) -> None:
    # DuckDB stopped with a syntax error (no parentheses), PostgreSQL too (no type)
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #t (a INT, b AS a * 2, c VARCHAR(5), d AS c + '!',
    f DATE, g AS DATEADD(day, 1, f))
INSERT INTO #t (a, c, f) VALUES (1, 'x', '20150131'), (2, NULL, NULL)
UPDATE #t SET a = 3 WHERE a = 2
SELECT a, b, c, d, g FROM #t ORDER BY a""") == [(1, 2, "x", "x!", "2015-02-01"),
                                                (3, 6, None, None, None)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_hashbytes_is_the_digest_ssms_shows(backend: str, request: pytest.FixtureRequest
                                            ) -> None:
    # each target wrote sqlglot's lowercase hex (SQLite had no MD5), and CONVERT(..., 2) of
    # it stopped on every target
    db = _db(request, backend)
    md5 = "900150983CD24FB0D6963F7D28E17F72"
    assert _rows(db, "SELECT HASHBYTES('MD5', 'abc'), CONVERT(VARCHAR(32), HASHBYTES('MD5', "
                     "'abc'), 2), CONVERT(VARCHAR(34), HASHBYTES('MD5', 'abc'), 1), "
                     "CONVERT(VARCHAR(10), HASHBYTES('SHA2_256', 'abc'), 2), "
                     "HASHBYTES('MD5', NULL)") == [
        ("0x" + md5, md5, "0x" + md5, "BA7816BF8F", None)]
    pupils = "[NPD_i2].[2002237].[KS4Pupil_2015_to_2021]"
    [(first,)] = _rows(db, f"SELECT TOP 1 KS4_PupilMatchingRefAnonymous FROM {pupils} "
                           "ORDER BY HASHBYTES('MD5', KS4_PupilMatchingRefAnonymous)")
    everyone = _rows(db, f"SELECT KS4_PupilMatchingRefAnonymous FROM {pupils}")
    assert first == min((pmr for (pmr,) in everyone),
                        key=lambda pmr: hashlib.md5(pmr.encode()).hexdigest())
    with pytest.raises(ScriptError, match="HASHBYTES converted to another type"):
        _rows(db, "SELECT CAST(HASHBYTES('MD5', 'abc') AS BIGINT)")


@pytest.mark.parametrize("backend", BACKENDS)
def test_temp_tables_named_as_keywords(backend: str, request: pytest.FixtureRequest) -> None:
    # sqlglot read the keyword after the # ("Expected table name"), and #insert or #select
    # began a statement of its own
    db = _db(request, backend)
    for name in ("values", "union", "inner", "insert", "select", "end"):
        assert _rows(db, f"""SELECT 1 AS a INTO #{name}
INSERT INTO #{name.upper()} VALUES (2)
UPDATE #{name} SET a = 3 WHERE #{name}.a = 2
SELECT t.a, (SELECT COUNT(*) FROM #{name}) AS n FROM #{name} t ORDER BY t.a
DROP TABLE #{name}""") == [(1, 2), (3, 2)], name


@pytest.mark.parametrize("backend", BACKENDS)
def test_datetimes_are_shown_as_ssms_shows_their_types(
        backend: str, request: pytest.FixtureRequest) -> None:
    # SQLite showed CAST(d AS DATETIME) as 2015-01-01 00:00:00, DuckDB and PostgreSQL as
    # 2015-01-01; GETDATE() had DuckDB's and PostgreSQL's +00:00, and SQLite no fraction
    db = _db(request, backend)
    [result] = run_text(db, """SELECT CAST('2015-01-01' AS DATETIME),
    CAST('2015-01-01 10:11:12.345' AS DATETIME), CAST('2015-01-01 10:11:12.345' AS DATETIME2),
    CONVERT(DATETIME2(2), '2015-01-01 10:11:12.345'),
    CAST('2015-01-01 10:11:42' AS SMALLDATETIME), DATEADD(day, 1, '20150131'),
    MAX(CAST(StartDate AS DATETIME)) OVER (), StartDate, DATEADD(day, 1, StartDate),
    GETDATE(), DATEADD(day, -1, GETDATE()), GETUTCDATE()
FROM [LEO_i2].[2002237].[leo_benefit] WHERE StartDate = '1992-04-06'""", "tsql", None, False)
    shown = [output.cell(value) for value in result.rows[0]]
    assert shown[:9] == ["2015-01-01 00:00:00.000", "2015-01-01 10:11:12.347",
                         "2015-01-01 10:11:12.3450000", "2015-01-01 10:11:12.35",
                         "2015-01-01 10:12:00", "2015-02-01 00:00:00.000",
                         "1992-04-06 00:00:00.000", "1992-04-06", "1992-04-07"]
    now, yesterday, utc = (dt.datetime.fromisoformat(text) for text in shown[9:])
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}", t) for t in shown[9:])
    assert abs(now - dt.datetime.now()) < dt.timedelta(minutes=1)
    assert abs(now - dt.timedelta(days=1) - yesterday) < dt.timedelta(seconds=1)
    assert abs(utc - dt.datetime.now(dt.UTC).replace(tzinfo=None)) < dt.timedelta(
        minutes=1)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_datetime2_column_is_shown_with_its_places(
        backend: str, request: pytest.FixtureRequest) -> None:
    # a #temp table's DATETIME2 column was shown as a DATETIME (2015-04-06 00:00:00.000, and a
    # DATETIME2(3)'s .345 as .347), and style 121 or a cast to text of any DATETIME2 wrote
    # three places or none; SQL Server writes a DATETIME2(n) with n places, in style 121 (its
    # default for the type) too
    db = _db(request, backend)
    results = run_text(db, """CREATE TABLE #t (d DATETIME2, d3 DATETIME2(3), d0 DATETIME2(0),
                 dt DATETIME, sd SMALLDATETIME)
INSERT INTO #t VALUES ('2015-04-06', '2015-04-06 10:11:12.345', '2015-04-06 10:11:12',
                      '2015-04-06 10:11:12.345', '2015-04-06 10:11')
SELECT d, d3, d0, dt, sd FROM #t
SELECT * FROM #t
SELECT CONVERT(VARCHAR, d, 121), CONVERT(VARCHAR(30), d3, 21), CONVERT(VARCHAR, d0, 121),
       CAST(d AS VARCHAR(30)), CONVERT(VARCHAR(23), d, 121), CONVERT(VARCHAR, d, 120),
       CONVERT(VARCHAR, CAST('2015-04-06 10:11:12.5' AS DATETIME2(2)), 121) FROM #t""",
                       "tsql", None, True)
    shown = [[output.cell(v) for v in result.rows[0]] for result in results]
    moments = ["2015-04-06 00:00:00.0000000", "2015-04-06 10:11:12.345", "2015-04-06 10:11:12",
               "2015-04-06 10:11:12.347", "2015-04-06 10:11:00"]
    assert shown == [moments, moments, [
        "2015-04-06 00:00:00.0000000", "2015-04-06 10:11:12.345", "2015-04-06 10:11:12",
        "2015-04-06 00:00:00.0000000", "2015-04-06 00:00:00.000", "2015-04-06 00:00:00",
        "2015-04-06 10:11:12.50"]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_datetime2_variable_is_shown_with_its_places(
        backend: str, request: pytest.FixtureRequest) -> None:
    # a DATETIME2 or SMALLDATETIME variable was held as a DATETIME: shown with three places
    # (2019-03-31 00:00:00.000), a DATETIME2(3)'s .345 as .347, a SMALLDATETIME's seconds
    # kept; SQL Server shows each as its type
    db = _db(request, backend)
    results = run_text(db, """DECLARE @d DATETIME2 = '2019-03-31', @d3 DATETIME2(3),
        @s SMALLDATETIME = '2019-03-31 10:11:40', @t DATETIME = '2019-03-31 10:11:12.345'
SET @d3 = '2019-03-31 10:11:12.345'
SELECT @d, @d3, @s, @t, CONVERT(VARCHAR(30), @d3, 121)
SELECT @d = MAX(x) FROM (SELECT CAST('2019-04-01 10:00' AS DATETIME2) AS x) q
SELECT @d, DATEADD(day, 1, @d)""", "tsql", None, True)
    assert [[output.cell(v) for v in result.rows[0]] for result in results] == [
        ["2019-03-31 00:00:00.0000000", "2019-03-31 10:11:12.345", "2019-03-31 10:12:00",
         "2019-03-31 10:11:12.347", "2019-03-31 10:11:12.345"],
        ["2019-04-01 10:00:00.0000000", "2019-04-02 10:00:00.0000000"]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_datetime_holds_its_time_in_steps_of_a_three_hundredth_of_a_second(
        backend: str, request: pytest.FixtureRequest) -> None:
    # SQL Server rounds a DATETIME's time to 1/300 s when it makes it: 23:59:59.999 is the
    # next day's midnight and .002 is .003, so a DATETIME variable set to DATEADD(ms, -1, ...)
    # of a midnight is that midnight and a search up to 23:59:59.999 finds the next day's;
    # the targets kept the milliseconds given (only the result table rounded them), and
    # SQLite's variable lost them altogether
    db = _db(request, backend)
    results = run_text(db, """DECLARE @end DATETIME = DATEADD(ms, -1,
                                     CAST('2019-04-01' AS DATETIME))
SELECT DAY(@end), DATEPART(ms, @end), CONVERT(VARCHAR(23), @end, 121),
       IIF(@end < '2019-04-01', 'before', 'not before')
CREATE TABLE #t (d DATETIME, d2 DATETIME2(3))
INSERT INTO #t VALUES ('2019-03-31 23:59:59.999', '2019-03-31 23:59:59.999'),
                      ('2019-03-31 10:00:00.002', '2019-03-31 10:00:00.002'),
                      ('2019-04-01', '2019-04-01')
SELECT CONVERT(VARCHAR(23), d, 121), DATEPART(ms, d), CAST(d AS DATE),
       CONVERT(VARCHAR(23), d2, 121) FROM #t ORDER BY d2
SELECT COUNT(*) FROM #t WHERE d <= '2019-03-31 23:59:59.999'
SELECT COUNT(*) FROM #t WHERE d2 <= '2019-03-31 23:59:59.999'
SELECT CONVERT(VARCHAR(23), CAST('2019-03-31 10:15:30.345' AS DATETIME), 126),
       DATEPART(ms, CAST('2019-03-31 10:15:30.995' AS DATETIME))""", "tsql", None, True)
    assert [[output.cell(v) for v in result.rows[0]] for result in results] == [
        ["1", "0", "2019-04-01 00:00:00.000", "not before"],
        ["2019-03-31 10:00:00.003", "3", "2019-03-31", "2019-03-31 10:00:00.002"],
        ["3"], ["2"], ["2019-03-31T10:15:30.347", "997"]]
    assert [output.cell(v) for row in results[1].rows for v in row[:3]][3:] == [
        "2019-04-01 00:00:00.000", "0", "2019-04-01",
        "2019-04-01 00:00:00.000", "0", "2019-04-01"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_datetime2_column_named_as_an_extract_date_keeps_its_type(
        backend: str, request: pytest.FixtureRequest) -> None:
    # a #temp table's DATETIME2 column named as a DATE column of the extract (StartDate),
    # its MIN and MAX, and a scalar subquery's MAX of a DATETIME2, were shown as dates
    # (2019-03-31, or 2019-03-31 00:00:00 on SQLite): the name's type was read from every
    # table met; SQL Server shows the #temp table's type
    db = _db(request, backend)
    results = run_text(db, """SELECT TOP 1 CAST(StartDate AS DATETIME2) AS StartDate
INTO #s FROM leo_employment
UPDATE #s SET StartDate = '2019-03-31'
CREATE TABLE #t (EndDate DATETIME2(3), k INT)
INSERT INTO #t VALUES ('2019-04-01 10:11:12.345', 1)
SELECT MIN(StartDate), MAX(s.StartDate), StartDate FROM #s s GROUP BY StartDate
SELECT MIN(t.EndDate), MAX(e.StartDate) FROM #t t JOIN #s e ON 1 = 1
SELECT (SELECT MAX(StartDate) FROM #s), (SELECT MIN(EndDate) FROM #t)
SELECT MIN(StartDate) AS lo INTO #u FROM #s
SELECT lo FROM #u""", "tsql", None, True)
    assert [[output.cell(v) for v in result.rows[0]] for result in results] == [
        ["2019-03-31 00:00:00.0000000"] * 3,
        ["2019-04-01 10:11:12.345", "2019-03-31 00:00:00.0000000"],
        ["2019-03-31 00:00:00.0000000", "2019-04-01 10:11:12.345"],
        ["2019-03-31 00:00:00.0000000"]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_star_shows_and_copies_columns_as_their_types(
        backend: str, request: pytest.FixtureRequest) -> None:
    # SELECT * showed a DATETIME as the target holds it (2016-01-02 on DuckDB and
    # PostgreSQL, no fraction on SQLite), and SQLite's SELECT * INTO copied a DECIMAL(6,2)
    # as a plain number: 2.5, there and in every later table with a column m
    db = _db(request, backend)
    results = run_text(db, """CREATE TABLE #a (id INT, m DECIMAL(6, 2), t DATETIME, b BIT)
INSERT INTO #a VALUES (1, 2.5, '2016-01-02', 1)
SELECT * FROM #a
SELECT * INTO #copy FROM #a
SELECT c.*, m * 2 AS doubled FROM #copy c
SELECT id, m, t FROM #a""", "tsql", None, True)
    shown = [[output.cell(value) for value in result.rows[0]] for result in results]
    assert shown == [["1", "2.50", "2016-01-02 00:00:00.000", "1"],
                     ["1", "2.50", "2016-01-02 00:00:00.000", "1", "5.00"],
                     ["1", "2.50", "2016-01-02 00:00:00.000"]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_for_json_writes_the_rows_as_sql_server_does(
        backend: str, request: pytest.FixtureRequest) -> None:
    # FOR JSON was dropped without a word: the rows came back as rows
    db = _db(request, backend)
    results = run_text(db, """CREATE TABLE #a (id INT, m DECIMAL(6, 2), t DATETIME, d DATE,
                 v VARCHAR(10), n INT)
INSERT INTO #a VALUES (1, 2.5, '2016-01-02', '2016-01-02', 'a/b', NULL), (2, NULL, NULL, NULL,
                       'c', 7)
SELECT id, m, t, d, v AS [text.value], n AS [text.n] FROM #a ORDER BY id FOR JSON PATH
SELECT id, n FROM #a ORDER BY id FOR JSON PATH, ROOT('pupils'), INCLUDE_NULL_VALUES
SELECT TOP 1 id FROM #a ORDER BY id FOR JSON AUTO, WITHOUT_ARRAY_WRAPPER
SELECT id FROM #a WHERE id > 5 FOR JSON PATH""", "tsql", None, True)
    assert {tuple(r.columns) for r in results} == {("JSON_F52E2B61-18A1-11d1-B105-00805F49916B",)}
    assert [r.rows for r in results] == [
        [('[{"id":1,"m":2.50,"t":"2016-01-02T00:00:00","d":"2016-01-02",'
          '"text":{"value":"a\\/b"}},{"id":2,"text":{"value":"c","n":7}}]',)],
        [('{"pupils":[{"id":1,"n":null},{"id":2,"n":7}]}',)],
        [('{"id":1}',)],
        []]
    for text, message in [
            ("SELECT (SELECT 1 AS a FOR JSON PATH) AS j", "FOR JSON in a subquery cannot"),
            ("SELECT 1 AS a FOR XML RAW", "FOR XML RAW cannot be translated"),
            ("SELECT 1 AS a, 2 AS b FOR XML PATH('row')", "FOR XML PATH cannot be"),
            ("SELECT a, b FROM (VALUES (1, 2)) v(a, b) FOR XML PATH('')", "FOR XML PATH"),
            ("SELECT 1 FOR JSON PATH", "without names or aliases cannot be formatted")]:
        with pytest.raises(ScriptError, match=message):
            run_text(db, text, "tsql", None, False)
    # the text-joining FOR XML PATH(''), outermost, under SQL Server's heading for FOR XML
    [joined] = run_text(db, "SELECT ',' + v FROM (VALUES ('a'), ('b')) t(v) ORDER BY v "
                        "FOR XML PATH('')", "tsql", None, False)
    assert (joined.columns, joined.rows) == (["XML_F52E2B61-18A1-11d1-B105-00805F49916B"],
                                             [(",a,b",)])


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_insert_of_distinct_rows_sorted_by_what_it_selects_runs(
        backend: str, request: pytest.FixtureRequest) -> None:
    # SQLite and DuckDB stopped with error 145: the check of the VARCHAR(20)'s length had
    # wrapped the selected column before the check of the ORDER BY read it
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #y (id INT IDENTITY(1, 1), pmr VARCHAR(20), n INT)
INSERT INTO #y (pmr, n)
SELECT DISTINCT v, n FROM (VALUES ('b', 1), ('a', 2), ('b', 1)) t(v, n) ORDER BY v
SELECT id, pmr FROM #y ORDER BY id""") == [(1, "a"), (2, "b")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_group_by_all_keeps_the_groups_the_where_leaves_empty(
        backend: str, request: pytest.FixtureRequest) -> None:
    # SQLite stopped with a syntax error; DuckDB's GROUP BY ALL means another thing
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #s (g VARCHAR(5), n INT)
INSERT INTO #s VALUES ('a', 1), ('a', 5), ('b', 2), ('c', NULL)
SELECT g, COUNT(*), SUM(n), COUNT(DISTINCT n), MAX(n) FROM #s WHERE n > 1
GROUP BY ALL g ORDER BY g""") == [("a", 1, 5, 1, 5), ("b", 1, 2, 1, 2), ("c", 0, None, 0, None)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_temp_tables_datetime_columns_keep_their_times(
        backend: str, request: pytest.FixtureRequest) -> None:
    # DATEADD(day, 1, d) of a #temp DATETIME column lost its time on every target, and a
    # literal compared with it was cut to its date ('20150101 09:00' matched 08:00)
    db = _db(request, backend)
    [result, fraction] = run_text(db, """CREATE TABLE #t (d DATETIME, n INT)
INSERT INTO #t VALUES ('2015-01-01', 1), ('20150101 10:30', 2), ('2015-01-01 08:00', 3),
    ('2015-01-01 10:30:00.500', 4)
-- (SQLite's DATEADD and CAST of a column drop a fraction of a second: row 4 is shown alone)
SELECT CAST(d AS DATETIME) AS c, n INTO #c FROM #t
SELECT t.n, t.d, DATEADD(day, 1, t.d), DATEADD(hour, 1, c.c),
    CASE WHEN t.d > '20150101 09:00' THEN 1 ELSE 0 END,
    CASE WHEN t.d BETWEEN '2015-01-01 09:00' AND '2015-01-01 11:00' THEN 1 ELSE 0 END,
    CASE WHEN t.d = '2015-01-01' THEN 1 ELSE 0 END
FROM #t t JOIN #c c ON c.n = t.n WHERE t.n < 4 ORDER BY t.n
SELECT d, CASE WHEN d > '2015-01-01 10:30' THEN 1 ELSE 0 END FROM #t WHERE n = 4""",
                              "tsql", None, True)
    assert [tuple(output.cell(v) for v in row) for row in result.rows] == [
        ("1", "2015-01-01 00:00:00.000", "2015-01-02 00:00:00.000", "2015-01-01 01:00:00.000",
         "0", "0", "1"),
        ("2", "2015-01-01 10:30:00.000", "2015-01-02 10:30:00.000", "2015-01-01 11:30:00.000",
         "1", "1", "0"),
        ("3", "2015-01-01 08:00:00.000", "2015-01-02 08:00:00.000", "2015-01-01 09:00:00.000",
         "0", "0", "0")]
    assert [output.cell(v) for v in fraction.rows[0]] == ["2015-01-01 10:30:00.500", "1"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_number_with_an_exponent_is_a_float(backend: str,
                                              request: pytest.FixtureRequest) -> None:
    # CAST(1.5E3 AS VARCHAR) was 1500.0 on SQLite and DuckDB; PostgreSQL read 1E0 as a
    # NUMERIC (1E0 * 7 / 2 was 3.5000000000000000)
    db = _db(request, backend)
    [result] = run_text(db, "SELECT CAST(1.5E3 AS VARCHAR(20)), 1E0 * 7 / 2, "
                            "CAST(1E0 * 7 / 3 AS VARCHAR(30)), CONCAT('v', 2.5E0)",
                        "tsql", None, False)
    assert [output.cell(value) for value in result.rows[0]] == ["1500", "3.5", "2.33333",
                                                                 "v2.5"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_cast_to_int_beyond_its_range(backend: str, request: pytest.FixtureRequest) -> None:
    # SQLite's eight-byte integers kept 3000000000 (SQL Server's error 8115); TRY_CAST gave
    # the number on SQLite and stopped PostgreSQL, where SQL Server gives NULL
    db = _db(request, backend)
    with pytest.raises(ScriptError, match="Arithmetic overflow error converting expression "
                                          "to data type int"):
        _rows(db, "SELECT CAST(3000000000 AS INT) AS i")
    assert _rows(db, "BEGIN TRY SELECT CAST(2147483648.0 AS INT) AS i END TRY "
                     "BEGIN CATCH SELECT ERROR_NUMBER() AS n END CATCH") == [(8115,)]
    [result] = run_text(db, "SELECT TRY_CAST(3000000000 AS INT), TRY_CAST('3000000000' AS "
                            "INT), TRY_CAST(-5 AS INT), TRY_CONVERT(INT, 12.7), "
                            "CAST(-2147483648 AS INT), TRY_CAST(3000000000 AS BIGINT)",
                        "tsql", None, False)
    assert [output.cell(v) for v in result.rows[0]] == [
        "NULL", "NULL", "-5", "12", "-2147483648", "3000000000"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_derived_tables_numbers_keep_their_type(backend: str,
                                                  request: pytest.FixtureRequest) -> None:
    # a CTE's or derived table's COUNT(*) is an int: its share showed SQLite's and DuckDB's
    # float (ten digits) and PostgreSQL's sixteen places, where SQL Server shows twelve, as it
    # does for the same share computed in one query
    db = _db(request, backend)
    derived, direct = run_text(db, """SELECT t.g, 100.0 * t.n / SUM(t.n) OVER () AS pct
FROM (SELECT Gender_spr11 AS g, COUNT(*) AS n FROM [NPD_i2].[2002237].[spring_census_2011]
      GROUP BY Gender_spr11) t ORDER BY t.g
SELECT Gender_spr11, 100.0 * COUNT(*) / SUM(COUNT(*)) OVER () FROM
[NPD_i2].[2002237].[spring_census_2011] GROUP BY Gender_spr11 ORDER BY Gender_spr11""",
                              "tsql", None, True)
    shown = [line.split() for line in output.table(derived)[2:]]
    assert shown and shown == [line.split() for line in output.table(direct)[2:]]
    assert all(re.fullmatch(r"\d+\.\d{12}", pct) for _, pct in shown)
    # named by the CTE's column list, read by a later CTE, an average and a SELECT *
    tables = run_text(db, """WITH c (k, n) AS (SELECT x, COUNT(*) FROM (VALUES (1), (1), (2))
    v(x) GROUP BY x), d AS (SELECT k, n * 1.0 / 3 AS third FROM c)
SELECT k, third, (SELECT AVG(n * 1.0) FROM c) AS mean FROM d ORDER BY k
SELECT * FROM (SELECT COUNT(*) * 1.0 / 4 AS quarter FROM (VALUES (1), (2)) v(x)) q""",
                      "tsql", None, True)
    assert [line.split() for line in output.table(tables[0])[2:]] == [
        ["1", "0.666667", "1.500000"], ["2", "0.333333", "1.500000"]]
    assert output.table(tables[1])[2].split() == ["0.500000"]
    # a #temp table's COUNT(*) column is an int, as SQL Server makes it (the targets' BIGINT
    # counted nineteen digits: fifteen places)
    [counted] = run_text(db, """SELECT Gender_spr11 AS g, COUNT(*) AS n INTO #c
FROM [NPD_i2].[2002237].[spring_census_2011] GROUP BY Gender_spr11
SELECT g, 100.0 * n / SUM(n) OVER () FROM #c ORDER BY g""", "tsql", None, True)
    assert [line.split() for line in output.table(counted)[2:]] == shown


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_extracts_decimal_columns_compute_and_show_as_decimals(
        backend: str, request: pytest.FixtureRequest) -> None:
    # SQLite holds a NUMERIC column's whole values as integers: LevelOfLearning / 3 divided
    # integers there (0 for level 1, also through a derived table); DuckDB and PostgreSQL
    # showed their own places (FL2Width 100, FL2Width / 2 with sixteen places)
    db = _db(request, backend)
    aims = "[LILR_i2].[2002237].[aims]"
    levels, widths = run_text(db, f"""SELECT TOP 1 LevelOfLearning, LevelOfLearning / 3,
    LevelOfLearning * 2, x.l / 4 FROM {aims} a
    JOIN (SELECT DISTINCT LevelOfLearning AS l FROM {aims}) x ON x.l = a.LevelOfLearning
WHERE a.LevelOfLearning = 1
SELECT TOP 1 FL2Width, FL2Width / 2 FROM {aims} WHERE FL2Width > 0""", "tsql", None, True)
    assert output.table(levels)[2].split() == ["1.0", "0.333333", "2.0", "0.250000"]
    [(width, half)] = [line.split() for line in output.table(widths)[2:]]
    assert re.fullmatch(r"\d+\.\d\d", width) and re.fullmatch(r"\d+\.\d{6}", half)
    assert float(half) == pytest.approx(float(width) / 2)
    # (the rows as the target gives them: _rows keeps six significant digits, which can part
    # a decimal of six places from the float it rounds, 2.006095 against 2.0060949)
    [(mean, wide)] = run_text(db, f"""SELECT SUM(NotionalNVQLev) / COUNT(*),
    SUM(CAST(NotionalNVQLev AS FLOAT)) / COUNT(*) FROM {aims} WHERE NotionalNVQLev IS NOT NULL""",
                              "tsql", None, False)[-1].rows
    assert float(mean) == pytest.approx(float(wide), abs=1e-6) and mean != int(mean)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_unions_decimals_have_every_branchs_places(backend: str,
                                                     request: pytest.FixtureRequest) -> None:
    # SQL Server types a UNION's column from every branch: an "All" row beside each group's
    # showed SQLite's and DuckDB's floats (201920, 201343.3248) and PostgreSQL's twelve places
    db = _db(request, backend)
    summary, constants, derived = run_text(db, """SELECT 'All' AS grp, AVG(TaxYear * 1.0) AS m
FROM [LEO_i2].[2002237].[leo_earnings]
UNION ALL SELECT 'One', AVG(TaxYear * 1.0) FROM [LEO_i2].[2002237].[leo_earnings]
WHERE TaxYear = 201920
SELECT 1.5 AS x UNION ALL SELECT 2 UNION ALL SELECT NULL UNION ALL SELECT 1.0 / 3
SELECT g, 100.0 * n / t AS pct FROM (SELECT 'a' AS g, 1 AS n, 3 AS t
UNION ALL SELECT 'b', 2, 3) u ORDER BY g""", "tsql", None, True)
    means = [line.split() for line in output.table(summary)[2:]]
    assert len(means) == 2 and means[1] == ["One", "201920.000000"]
    assert re.fullmatch(r"\d+\.\d{6}", means[0][1])
    assert [line.strip() for line in output.table(constants)[2:]] == [
        "1.500000", "2.000000", "NULL", "0.333333"]
    assert [line.split() for line in output.table(derived)[2:]] == [
        ["a", "33.333333333333"], ["b", "66.666666666667"]]
    # and a #temp table made of one keeps it (SQLite showed 2900 and 2, DuckDB 2.0 and
    # PostgreSQL 2)
    [made] = run_text(db, """SELECT 'All' AS g, 1.0 * COUNT(*) AS n INTO #u
FROM [LEO_i2].[2002237].[leo_earnings] UNION ALL SELECT 'x', 2
SELECT n FROM #u WHERE g = 'x'""", "tsql", None, True)
    assert output.table(made)[2].split() == ["2.0"]


IDENTITIES = """SELECT IDENTITY(INT, 1, 1) AS id, v INTO #n
FROM (VALUES ('b'), ('a')) s(v) ORDER BY v
INSERT INTO #n (v) VALUES ('c'), ('d')
INSERT INTO #n VALUES ('e')
INSERT INTO #n (v) SELECT DISTINCT v FROM (VALUES ('g'), ('g')) s(v)
INSERT INTO #n (v) SELECT v AS w FROM (VALUES ('i'), ('h')) s(v) ORDER BY 1
SELECT id, v FROM #n ORDER BY id
CREATE TABLE #x (id INT IDENTITY(100, 10), v VARCHAR(5))
INSERT INTO #x (v) VALUES ('a'), ('b')
DELETE FROM #x WHERE v = 'a'
INSERT INTO #x VALUES ('c')
INSERT INTO #x DEFAULT VALUES
SELECT IDENTITY(INT, 10, -2) AS n, 'x' AS v INTO #z
DECLARE @i INT = 0
WHILE @i < 2 BEGIN INSERT INTO #z (v) VALUES ('w'); SET @i = @i + 1 END
SELECT * FROM #x ORDER BY id
SELECT * FROM #z ORDER BY n DESC"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_identity_columns_number_the_rows_inserted_later(
        backend: str, request: pytest.FixtureRequest) -> None:
    """An ``INSERT`` into a table made by ``SELECT IDENTITY(...) ... INTO`` gets the next
    numbers (it got NULL), in the order of its rows or its ``ORDER BY``, with or without a
    column list; a ``CREATE TABLE``'s ``IDENTITY(100, 10)`` counts from 100 by 10 on SQLite
    too (it counted 1, 2, ...), and ``VALUES`` without a column list skip it everywhere."""
    db = _db(request, backend)
    results = run_text(db, IDENTITIES, "tsql", None, True)
    assert [r.rows for r in results] == [
        [(1, "a"), (2, "b"), (3, "c"), (4, "d"), (5, "e"), (6, "g"), (7, "h"), (8, "i")],
        [(110, "b"), (120, "c"), (130, None)],
        [(10, "x"), (8, "w"), (6, "w")]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_identity_goes_on_after_a_delete_and_restarts_after_a_truncate(
        backend: str, request: pytest.FixtureRequest) -> None:
    # SQL Server makes no value twice but after TRUNCATE TABLE: SQLite made 1 again after the
    # DELETE (its INTEGER PRIMARY KEY), DuckDB and PostgreSQL went on after the TRUNCATE
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #a (id INT IDENTITY(1, 1), v VARCHAR(5))
INSERT INTO #a (v) VALUES ('x'), ('y')
DELETE FROM #a
INSERT INTO #a (v) VALUES ('w')
BEGIN TRAN
INSERT INTO #a (v) VALUES ('r')
ROLLBACK
INSERT INTO #a (v) VALUES ('s')
CREATE TABLE #seen (id INT, v VARCHAR(5))
INSERT INTO #seen SELECT id, v FROM #a
TRUNCATE TABLE #a
INSERT INTO #a (v) VALUES ('t')
INSERT INTO #seen SELECT id, v FROM #a
SELECT id, v FROM #seen ORDER BY v""") == [(5, "s"), (1, "t"), (3, "w")]


ADDED_IDENTITIES = """SELECT v INTO #p FROM (VALUES ('c'), ('a'), ('b')) s(v)
ALTER TABLE #p ADD id INT IDENTITY(100, 10)
INSERT INTO #p VALUES ('d')
INSERT INTO #p (v) VALUES ('e')
CREATE TABLE #e (rn INT IDENTITY, v VARCHAR(3) DEFAULT 'z')
INSERT INTO #e (v) VALUES ('x'), ('y')
INSERT INTO #e DEFAULT VALUES
ALTER TABLE #e ADD w INT
INSERT INTO #e VALUES ('q', 7)
SELECT v, id FROM #p ORDER BY id
SELECT rn, v, w FROM #e ORDER BY rn"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_added_identity_column_numbers_the_rows(backend: str,
                                                   request: pytest.FixtureRequest) -> None:
    """``ALTER TABLE #p ADD id INT IDENTITY(100, 10)`` numbers the rows the table has, in the
    order they came, and each row inserted later (SQLite left them NULL, DuckDB refused the
    statement); ``IDENTITY`` without a seed counts from 1 by 1 (SQLite and DuckDB left the
    column NULL), and ``DEFAULT VALUES`` gives the next number; ``VALUES`` without a column
    list fill the columns the table has then (one added since too)."""
    db = _db(request, backend)
    results = run_text(db, ADDED_IDENTITIES, "tsql", None, True)
    assert [r.rows for r in results] == [
        [("c", 100), ("a", 110), ("b", 120), ("d", 130), ("e", 140)],
        [(1, "x", None), (2, "y", None), (3, "z", None), (4, "q", 7)]]


IDENTITY_INSERTS = """CREATE TABLE #t (id INT IDENTITY(1, 1), v VARCHAR(3))
INSERT INTO #t (v) VALUES ('a')
SET IDENTITY_INSERT #t ON
INSERT INTO #t (id, v) VALUES (10, 'b')
BEGIN TRY INSERT INTO #t (v) VALUES ('x') END TRY BEGIN CATCH SELECT ERROR_NUMBER() END CATCH
SET IDENTITY_INSERT #t OFF
INSERT INTO #t (v) VALUES ('c')
BEGIN TRY INSERT INTO #t (id, v) VALUES (20, 'd') END TRY
BEGIN CATCH SELECT ERROR_NUMBER(), ERROR_MESSAGE() END CATCH
SELECT * FROM #t ORDER BY id"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_identity_insert_gives_and_guards_the_identity(backend: str,
                                                       request: pytest.FixtureRequest) -> None:
    """``SET IDENTITY_INSERT #t ON`` lets an ``INSERT`` give the identity (it stopped the
    script: "cannot translate"), and the rows after go on from the largest (DuckDB's and
    PostgreSQL's own numbering went on from 2); while it is off, a given identity is SQL
    Server's error 544 (the targets took it), while on, one left out is 545."""
    db = _db(request, backend)
    results = run_text(db, IDENTITY_INSERTS, "tsql", None, True)
    assert [r.rows for r in results] == [
        [(545,)],
        [(544, "Cannot insert explicit value for identity column in table '#t' when "
               "IDENTITY_INSERT is set to OFF.")],
        [(1, "a"), (10, "b"), (11, "c")]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_plus_joins_two_texts_whatever_gives_them(backend: str,
                                                  request: pytest.FixtureRequest) -> None:
    """``+`` between two text values joins them in SQL Server: text columns, CHAR(13) +
    CHAR(10), MAX of text, ISNULL, IIF and CASE of text, T-SQL's text functions. SQLite added
    them as numbers (0, without an error); DuckDB and PostgreSQL had no ``+`` for text. Text
    and a number still add."""
    db = _db(request, backend)
    assert _rows(db, "CREATE TABLE #t (code VARCHAR(5), digits VARCHAR(3))\n"
                     "INSERT INTO #t VALUES ('ab', '5')\n"
                     "SELECT code + code, MAX(code) + MIN(code), ISNULL(code, '') + "
                     "COALESCE(NULL, 'z'), IIF(1 = 1, 'x', 'y') + CASE WHEN code = 'ab' THEN 'c' "
                     "END, LEN(CHAR(13) + CHAR(10)), REVERSE(code) + QUOTENAME(code), "
                     "STR(5, 2) + FORMAT(6, '00'), NCHAR(65) + CHAR(66), digits + 1, "
                     "code + NULL, NULL + code FROM #t GROUP BY code, digits") == [
        ("abab", "abab", "abz", "xc", 2, "ba[ab]", " 506", "AB", 6, None, None)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_unknown_column_is_named_as_its_own_query_spells_it(
        backend: str, request: pytest.FixtureRequest) -> None:
    """The query whose tables lack the column is the one SQL Server names, and the columns
    suggested are its tables' (it named the other query's spelling and suggested the same
    name, which another table of the extract has)."""
    db = _db(request, backend)
    for text, message in (
            ("SELECT Taxyear FROM leo_earnings UNION SELECT TaxYear FROM leo_employment",
             "line 1: Invalid column name 'TaxYear'."),
            ("SELECT TaxYear FROM leo_earnings e\nWHERE EXISTS (SELECT 1 FROM leo_employment "
             "m WHERE m.EduKey = e.Edukey AND m.Taxyear > 2015)",
             "line 1: Invalid column name 'Taxyear'."),
            ("SELECT Taxyr FROM leo_employment", "line 1: Invalid column name 'Taxyr'."),
            ("SELECT EndDat FROM leo_employment",
             "line 1: Invalid column name 'EndDat'. (did you mean EndDate?)"),
            # no FROM at all: DuckDB said it in its own words
            ("SELECT yr + 1 AS x", "line 1: Invalid column name 'yr'.")):
        with pytest.raises(ScriptError) as failure:
            _rows(db, text)
        assert str(failure.value) == message


@pytest.mark.parametrize("backend", BACKENDS)
def test_targets_keywords_are_names_as_in_t_sql(backend: str,
                                                request: pytest.FixtureRequest) -> None:
    # names T-SQL takes bare that a target reserves: SQLite stopped at nothing, returning and
    # autoincrement, PostgreSQL at returning, leading and verbose, with a syntax error
    # (sqlglot quoted none of SQLite's or PostgreSQL's keywords; DuckDB's it does), also in
    # the parts a translation renders and reads back (DATEFROMPARTS, DATEPART)
    db = _db(request, backend)
    assert _rows(db, "CREATE TABLE #k (nothing INT, autoincrement INT, returning INT, "
                     "leading INT, verbose INT)\n"
                     "INSERT INTO #k VALUES (1, 2, 3, 4, 5)\n"
                     "SELECT t.nothing, autoincrement + returning AS indexed, leading, "
                     "verbose AS trailing, DATEFROMPARTS(2015, leading, 6), "
                     "DATEPART(dayofyear, DATEADD(day, returning, '20150101')) FROM #k t") == [
        (1, 5, 4, 5, "2015-04-06", 4)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_datefromparts_of_a_day_its_month_lacks_is_error_289(
        backend: str, request: pytest.FixtureRequest) -> None:
    """SQLite gave 2015-02-29 and DuckDB stopped in its own words; SQL Server stops with
    error 289. A real day, a text year and a NULL part are as before."""
    db = _db(request, backend)
    assert _rows(db, "SELECT DATEFROMPARTS(2016, 2, 29), DATEFROMPARTS(LEFT('201415', 4), 4, 6), "
                     "DATEFROMPARTS(NULL, 4, 30)") == [
        ("2016-02-29", "2014-04-06", None)]
    assert _rows(db, "BEGIN TRY SELECT DATEFROMPARTS(2015, 2, 29) END TRY\n"
                     "BEGIN CATCH SELECT ERROR_NUMBER(), ERROR_MESSAGE() END CATCH") == [
        (289, "Cannot construct data type date, some of the arguments have values which are "
              "not valid.")]


STYLED_DATES = """CREATE TABLE #d (t VARCHAR(12))
INSERT INTO #d VALUES ('01/02/2015'), ('01-02-2015'), ('2016-08-15'), (NULL)
SELECT t, CONVERT(DATE, t, 103), CONVERT(DATE, t, 101) FROM #d ORDER BY t
SELECT t, TRY_CONVERT(DATE, t, 103), TRY_PARSE(t AS DATE USING 'en-GB'),
TRY_CONVERT(DATE, t + 'x', 103) FROM #d WHERE t LIKE '%-%' ORDER BY t
SELECT CONVERT(DATE, CAST('20150131' AS DATE), 103)
BEGIN TRY SELECT CONVERT(DATE, 'abc', 103) END TRY
BEGIN CATCH SELECT ERROR_NUMBER(), ERROR_MESSAGE() END CATCH"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_convert_of_text_to_a_date_reads_it_in_its_style_or_stops(
        backend: str, request: pytest.FixtureRequest) -> None:
    """``CONVERT(DATE, t, 103)`` reads t day first whatever its separators, ISO text as a
    date, and stops with error 241 at text that is no date: SQLite gave NULL for all but
    ``dd/mm/yyyy``, DuckDB and PostgreSQL stopped in their own words. A date converted in a
    style is that date (SQLite gave NULL, DuckDB and PostgreSQL stopped). ``TRY_CONVERT`` and
    ``TRY_PARSE`` read the same text (they gave NULL for ``'01-02-2015'`` and ISO text)."""
    results = run_text(_db(request, backend), STYLED_DATES, "tsql", None, True)
    assert [[tuple(_value(v) for v in row) for row in r.rows] for r in results] == [
        [(None, None, None), ("01-02-2015", "2015-02-01", "2015-01-02"),
         ("01/02/2015", "2015-02-01", "2015-01-02"), ("2016-08-15", "2016-08-15", "2016-08-15")],
        [("01-02-2015", "2015-02-01", "2015-02-01", None),
         ("2016-08-15", "2016-08-15", "2016-08-15", None)],
        [("2015-01-31",)],
        [(241, "Conversion failed when converting date and/or time from character string.")]]


STYLED_DATETIMES = """SELECT CONVERT(DATETIME, '01/02/2019', 103) AS a,
CONVERT(DATETIME, '01/02/2019', 101) AS b, TRY_CONVERT(DATETIME, '31/13/2019', 103) AS c,
CONVERT(DATETIME, '31/12/2019 10:15', 103) AS d, CONVERT(DATETIME, t, 120) AS e,
CONVERT(DATETIME, '2019-02-01T10:11:12.123', 126) AS f, CONVERT(SMALLDATETIME, '20191231', 112)
AS g FROM (VALUES ('2019-02-01 10:11:12')) v(t)"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_convert_of_text_to_a_date_and_time_reads_it_in_its_style(
        backend: str, request: pytest.FixtureRequest) -> None:
    """``CONVERT(DATETIME, '01/02/2019', 103)``, the UK way to write a date and time: SQLite
    stopped ("no such function: STR_TO_TIME"), DuckDB and PostgreSQL showed a date, and
    PostgreSQL read style 126's minutes as its month. The value is read as ``CONVERT(DATE,
    ...)`` reads it, with its time, and shown as SQL Server shows its type."""
    (result,) = run_text(_db(request, backend), STYLED_DATETIMES, "tsql", None, True)
    assert [cell.strip() for cell in output.table(result)[2].split("  ") if cell] == [
        "2019-02-01 00:00:00.000", "2019-01-02 00:00:00.000", "NULL",
        "2019-12-31 10:15:00.000", "2019-02-01 10:11:12.000", "2019-02-01 10:11:12.123",
        "2019-12-31 00:00:00"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_parse_and_try_parse_read_in_the_culture(backend: str,
                                                 request: pytest.FixtureRequest) -> None:
    # (sqlglot could not read PARSE ... USING: the script stopped)
    assert _rows(_db(request, backend),
                 "SELECT TRY_PARSE('01/02/2015' AS DATE USING 'en-GB'), "
                 "PARSE('01/02/2015' AS DATE USING 'en-US'), PARSE('01/02/2015' AS DATE), "
                 "TRY_PARSE('31/02/2015' AS DATE USING 'en-GB'), TRY_PARSE('x' AS INT), "
                 "PARSE(' 12 ' AS INT)") == [
        ("2015-02-01", "2015-01-02", "2015-01-02", None, None, 12)]


DATETIME_PARTS = """SELECT DATETIMEFROMPARTS(2015, 2, 3, 4, 5, 6, 7),
    SMALLDATETIMEFROMPARTS(2016, 2, 29, 23, 59), DATETIME2FROMPARTS(2015, 2, 3, 4, 5, 6, 5, 1),
    TIMEFROMPARTS(13, 30, 15, 0, 0), DATETIMEFROMPARTS(2015, 2, 3, NULL, 5, 6, 7)
SELECT DATEDIFF(minute, DATETIMEFROMPARTS(2015, 2, 3, 4, 0, 0, 0),
    DATETIMEFROMPARTS(2015, 2, 4, 6, 30, 0, 0)),
    DATETIMEFROMPARTS(YEAR(DATETIMEFROMPARTS(2016, 1, 1, 0, 0, 0, 0)), 2, 29, 1, 2, 3, 0)
BEGIN TRY SELECT DATETIMEFROMPARTS(2015, 2, 3, 24, 0, 0, 0) END TRY
BEGIN CATCH SELECT ERROR_NUMBER(), ERROR_MESSAGE() END CATCH
BEGIN TRY SELECT DATETIMEFROMPARTS(2015, 2, 29, 1, 0, 0, 0) END TRY
BEGIN CATCH SELECT ERROR_NUMBER(), ERROR_MESSAGE() END CATCH
BEGIN TRY SELECT SMALLDATETIMEFROMPARTS(2015, 13, 1, 1, 0) END TRY
BEGIN CATCH SELECT ERROR_NUMBER(), ERROR_MESSAGE() END CATCH"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_datetime_from_parts_and_its_kin(backend: str, request: pytest.FixtureRequest) -> None:
    """``DATETIMEFROMPARTS``, ``SMALLDATETIMEFROMPARTS``, ``DATETIME2FROMPARTS`` and
    ``TIMEFROMPARTS`` give their types, shown as SSMS shows them, and a part out of its range
    stops with error 289 naming the type (SQLite had no such function, DuckDB and PostgreSQL
    another one; the targets would have rolled hour 24 into the next day)."""
    results = run_text(_db(request, backend), DATETIME_PARTS, "tsql", None, True)
    shown = [[tuple(output.cell(v) for v in row) for row in r.rows] for r in results]
    failed = "Cannot construct data type {}, some of the arguments have values which are " \
        "not valid."
    assert shown == [
        [("2015-02-03 04:05:06.007", "2016-02-29 23:59:00", "2015-02-03 04:05:06.5",
          "13:30:15", "NULL")],
        [("1590", "2016-02-29 01:02:03.000")],
        [("289", failed.format("datetime"))], [("289", failed.format("datetime"))],
        [("289", failed.format("smalldatetime"))]]


DATETIME_DAYS = """CREATE TABLE #x (d DATETIME, n INT)
INSERT INTO #x VALUES ('2015-03-04', 1), ('2015-03-04 18:30', 2)
SELECT d + 1, d - 1, 2 + d, d + 0.5, CAST(d AS FLOAT), CAST(d AS INT),
    CAST(FLOOR(CAST(d AS FLOAT)) AS DATETIME) FROM #x ORDER BY n
SELECT CAST(42000 AS DATETIME), CONVERT(DATETIME, 42000.5), CAST(CAST(42000 AS FLOAT) + 0.25
    AS DATETIME), DATEADD(day, DATEDIFF(day, 0, CAST('2015-03-04 18:30' AS DATETIME)), 0),
    DATEADD(hour, 5, 0), CAST('2015-03-04' AS DATETIME) + 1
DECLARE @a DATETIME = '2015-03-04 18:30', @b DATETIME = '2015-03-02 06:15:30'
SELECT @a - @b, CONVERT(VARCHAR(8), @a - @b, 108)"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_datetime_as_text_takes_the_default_style(backend: str, request: pytest.FixtureRequest,
                                                   capsys: pytest.CaptureFixture) -> None:
    # SQL Server writes a DATETIME cast to text (or PRINTed) as 'Jan  2 2020  1:04PM', style
    # 0 as 100: every target wrote ISO text, and style 100 gave NULL on SQLite, 'Jan 02 2020
    # 1:04PM' on DuckDB and '1:04%p' on PostgreSQL; a DATE and a DATETIME2 keep ISO text
    db = _db(request, backend)
    assert _rows(db, """DECLARE @dt DATETIME = '2020-01-02 13:04:05'
CREATE TABLE #t (dt DATETIME, sd SMALLDATETIME, d DATE, d2 DATETIME2)
INSERT INTO #t VALUES ('2020-01-02 00:30:00', '2020-12-31 12:00', '2020-01-02', @dt)
SELECT CAST(@dt AS VARCHAR(30)), CONVERT(VARCHAR(30), @dt, 100), CONVERT(VARCHAR(30), @dt, 0),
       CAST(dt AS VARCHAR(30)), CAST(sd AS NVARCHAR(30)), CONVERT(VARCHAR(10), dt),
       CAST(d AS VARCHAR(30)), CONVERT(VARCHAR(30), d, 100), LEFT(CAST(d2 AS VARCHAR(30)), 19)
FROM #t""") == [("Jan  2 2020  1:04PM", "Jan  2 2020  1:04PM", "Jan  2 2020  1:04PM",
                  "Jan  2 2020 12:30AM", "Dec 31 2020 12:00PM", "Jan  2 202", "2020-01-02",
                  "Jan  2 2020 12:00AM", "2020-01-02 13:04:05")]
    capsys.readouterr()
    run_text(db, "DECLARE @dt DATETIME = '2020-01-02 13:04:05'\n"
             "DECLARE @f FLOAT = 1.0 / 3, @m DECIMAL(10, 2) = 2.5\n"
             "PRINT @dt\nPRINT @f\nPRINT @m\nPRINT NULL\nPRINT 'done'\n", "tsql", None, False)
    # (PRINT converts as SQL Server converts: a FLOAT to six digits, NULL to an empty line)
    assert capsys.readouterr().err.splitlines() == ["Jan  2 2020  1:04PM", "0.333333", "2.50",
                                                    "", "done"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_datetime_and_a_number_are_days_from_1900(
        backend: str, request: pytest.FixtureRequest) -> None:
    """A number added to a #temp table's ``DATETIME`` column is days (SQLite added it to the
    year, DuckDB and PostgreSQL stopped), a ``DATETIME`` cast to a number is its days from
    1900-01-01 (an integer rounded to the nearest day) and a number cast to one that day, as
    ``CAST(FLOOR(CAST(d AS FLOAT)) AS DATETIME)`` needs (every target stopped); day 0 moved by
    hours is a ``DATETIME`` (PostgreSQL stopped), shown as one like day 0 moved by days; one
    ``DATETIME`` taken from another is the time between them from day 0 (SQLite gave 12:00:00
    for no time, DuckDB stopped); a ``DATE`` is no number (error 529, which SQL Server raises
    when it compiles the batch)."""
    db = _db(request, backend)
    results = run_text(db, DATETIME_DAYS, "tsql", None, True)
    shown = [[tuple(output.cell(v) for v in row) for row in r.rows] for r in results]
    assert shown == [
        [("2015-03-05 00:00:00.000", "2015-03-03 00:00:00.000", "2015-03-06 00:00:00.000",
          "2015-03-04 12:00:00.000", "42065", "42065", "2015-03-04 00:00:00.000"),
         ("2015-03-05 18:30:00.000", "2015-03-03 18:30:00.000", "2015-03-06 18:30:00.000",
          "2015-03-05 06:30:00.000", "42065.77083", "42066", "2015-03-04 00:00:00.000")],
        [("2014-12-29 00:00:00.000", "2014-12-29 12:00:00.000", "2014-12-29 06:00:00.000",
          "2015-03-04 00:00:00.000", "1900-01-01 05:00:00.000", "2015-03-05 00:00:00.000")],
        [("1900-01-03 12:14:30.000", "12:14:30")]]
    with pytest.raises(ScriptError, match="Explicit conversion from data type date to float "
                                          "is not allowed"):
        run_text(db, "SELECT CAST(CAST('2015-03-04' AS DATE) AS FLOAT)", "tsql", None, True)


IDENTITY_READS = """CREATE TABLE #run (id INT IDENTITY(100, 10), note VARCHAR(20))
SELECT SCOPE_IDENTITY(), IDENT_CURRENT('#run')
INSERT INTO #run (note) VALUES ('a')
INSERT INTO #run (note) VALUES ('b'), ('c')
DECLARE @id INT = SCOPE_IDENTITY()
SELECT @id, @@IDENTITY, IDENT_CURRENT('tempdb..#run'), IDENT_CURRENT('#nothing')
EXEC('INSERT INTO #run (note) VALUES (''d'')')
SELECT SCOPE_IDENTITY(), @@IDENTITY
SELECT IDENTITY(INT, 5, 1) AS id, EduKey INTO #p
FROM (SELECT DISTINCT TOP 4 EduKey FROM leo_earnings ORDER BY EduKey) d
SELECT SCOPE_IDENTITY(), IDENT_CURRENT('#run')"""


@pytest.mark.parametrize(("text", "reads"), [
    ("INSERT INTO #run (note) VALUES ('a')\nSELECT COUNT(*) FROM #run", False),
    ("SET @id = SCOPE_IDENTITY()", True), ("SELECT @@IDENTITY", True),
    ("SELECT IDENT_CURRENT('#run')", True), ("SELECT @@ROWCOUNT", False),
    ("EXEC('SELECT @@IDENTITY')", True)])
def test_identity_values_are_read_back_only_for_a_script_that_reads_them(
        text: str, reads: bool) -> None:
    assert identity_reads.read_by(blocks.trees(blocks.read(text))) is reads


@pytest.mark.parametrize("backend", BACKENDS)
def test_scope_identity_and_its_kin_read_the_values_made(
        backend: str, request: pytest.FixtureRequest) -> None:
    """``SCOPE_IDENTITY()`` is the last identity value made in the scope (not by dynamic
    SQL), ``@@IDENTITY`` the last in the session, ``IDENT_CURRENT('t')`` the last in t (its
    seed before any row, NULL without an identity column); ``@@IDENTITY`` was refused and
    the others were no function of any target."""
    results = run_text(_db(request, backend), IDENTITY_READS, "tsql", None, True)
    assert [[tuple(_value(v) for v in row) for row in r.rows] for r in results] == [
        [(None, 100)], [(120, 120, 120, None)], [(120, 130)], [(8, 130)]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_money_as_text_in_its_culture_and_styles(backend: str,
                                                request: pytest.FixtureRequest) -> None:
    # ('C' and a culture stopped the script)
    db = _db(request, backend)
    assert _rows(db, "SELECT FORMAT(1234.567, 'C', 'en-GB'), FORMAT(-1234.567, 'C0', 'en-GB'), "
                     "FORMAT(1234.5, 'C'), FORMAT(-1234.5, 'C'), FORMAT(CAST(NULL AS INT), 'C'), "
                     "FORMAT(1234.567, 'N1', 'en-gb'), FORMAT(-0.001, 'C', 'en-GB'), "
                     "FORMAT(0.5, 'C0', 'en-IE'), FORMAT(CAST(-2.5 AS FLOAT), 'C0', 'en-GB')") == [
        ("£1,234.57", "-£1,235", "$1,234.50", "($1,234.50)", None, "1,234.6", "£0.00", "€1",
         "-£3")]
    with pytest.raises(ScriptError, match=r"'de-DE'.* cannot be translated"):
        run_text(db, "SELECT FORMAT(1234.5, 'N2', 'de-DE')", "tsql", None, True)
    # CONVERT(VARCHAR, CAST(x AS MONEY), 1), the old way to write thousands: SQLite read style
    # 1 as a date's (03/16/64), DuckDB and PostgreSQL stopped; a MONEY cast to text showed
    # 1234.5 on SQLite and 1234.5000 on the others, where SQL Server writes two places
    assert _rows(db, "SELECT CONVERT(VARCHAR, CAST(23122 AS MONEY), 1), "
                     "CONVERT(VARCHAR(20), CAST(-1234.5 AS MONEY), 1), "
                     "CONVERT(VARCHAR, CONVERT(MONEY, 7707.333), 0), "
                     "CONVERT(VARCHAR, CAST(1234.56789 AS MONEY), 2), "
                     "CAST(CAST(1234.5 AS MONEY) AS VARCHAR(20)), "
                     "CONVERT(VARCHAR, CAST(NULL AS MONEY), 1)") == [
        ("23,122.00", "-1,234.50", "7707.33", "1234.5679", "1234.50", None)]
    # ... and a #temp table's MONEY column, declared or made by SELECT ... INTO (SQLite wrote
    # a date, or a FLOAT's scientific style, DuckDB and PostgreSQL stopped)
    assert _rows(db, """CREATE TABLE #m (pay MONEY, n INT)
INSERT INTO #m VALUES (23122, 1)
SELECT CAST(SUM(pay) AS MONEY) AS total INTO #s FROM #m
SELECT CONVERT(VARCHAR(20), m.pay, 1), CAST(m.pay AS VARCHAR(20)), CONVERT(VARCHAR(20), s.total, 1)
FROM #m m CROSS JOIN #s s""") == [("23,122.00", "23122.00", "23,122.00")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_money_aggregates_are_money(backend: str, request: pytest.FixtureRequest) -> None:
    # SUM and AVG of a MONEY are MONEY in SQL Server (3.7500, 1.8750): SQLite showed 3.75 and
    # 1.875 (and its MONEY column 1.5), DuckDB 3.7500 and 1.875, PostgreSQL 1.8750000000000000
    db = _db(request, backend)
    results = run_text(db, """CREATE TABLE #m (g INT, pay MONEY)
INSERT INTO #m VALUES (1, 1.50), (1, 2.25), (2, 7)
SELECT SUM(pay) AS s, AVG(pay) AS a, MIN(pay) AS lo, MAX(pay) AS hi FROM #m WHERE g = 1
SELECT g, pay, SUM(pay) OVER (PARTITION BY g) AS s, AVG(pay) OVER (PARTITION BY g) AS a
FROM #m ORDER BY pay
SELECT g, SUM(pay) AS total, AVG(pay) AS mean INTO #s FROM #m GROUP BY g
SELECT * FROM #s ORDER BY g
WITH c AS (SELECT g, AVG(pay) AS mean FROM #m GROUP BY g) SELECT g, mean FROM c ORDER BY g
SELECT AVG(CAST(x AS MONEY)) FROM (VALUES (1), (2)) v(x)
SELECT CAST(SUM(pay) AS VARCHAR(20)), CAST(AVG(pay) AS VARCHAR(20)),
       CONVERT(VARCHAR(20), AVG(pay), 1) FROM #m WHERE g = 1
SELECT * INTO #copy FROM #m
SELECT * FROM #copy WHERE g = 2""", "tsql", None, True)
    shown = [[[output.cell(v) for v in row] for row in result.rows] for result in results]
    assert shown == [[["3.7500", "1.8750", "1.5000", "2.2500"]],
                     [["1", "1.5000", "3.7500", "1.8750"], ["1", "2.2500", "3.7500", "1.8750"],
                      ["2", "7.0000", "7.0000", "7.0000"]],
                     [["1", "3.7500", "1.8750"], ["2", "7.0000", "7.0000"]],
                     [["1", "1.8750"], ["2", "7.0000"]],
                     [["1.5000"]],
                     [["3.75", "1.88", "1.88"]], [["2", "7.0000"]]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_numbers_converted_to_text_in_a_style(backend: str,
                                              request: pytest.FixtureRequest) -> None:
    """A style means nothing to an int or decimal (SQLite read it as a date's and wrote
    -41600617 for 201819, the others stopped); a FLOAT's styles 1 and 2 are scientific."""
    db = _db(request, backend)
    assert _rows(db, """SELECT TOP 1 CONVERT(VARCHAR(8), TaxYear, 112), CONVERT(VARCHAR, y, 1),
       CONVERT(VARCHAR(10), 12.5, 103), CONVERT(VARCHAR(10), CAST(7 AS DECIMAL(5, 2)), 1),
       CONVERT(VARCHAR(30), CAST(1 AS FLOAT) / 3, 1),
       CONVERT(VARCHAR(30), -CAST(123456.789 AS FLOAT), 2),
       CONVERT(VARCHAR(30), CAST(0 AS FLOAT), 1)
FROM leo_earnings CROSS JOIN (SELECT 201415 AS y) v WHERE TaxYear = 201819""") == [
        ("201819", "201415", "12.5", "7.00", "3.3333333e-001", "-1.234567890000000e+005",
         "0.0000000e+000")]
    with pytest.raises(ScriptError, match="FLOAT to text in style 3 is not translated"):
        run_text(db, "SELECT CONVERT(VARCHAR(30), CAST(1 AS FLOAT) / 3, 3)", "tsql", None, True)
    # style 0 (the default) of a number, and any style of text, which keeps its value: SQLite
    # gave NULL, DuckDB and PostgreSQL stopped
    assert _rows(db, """SELECT TOP 1 CONVERT(VARCHAR(30), 5, 0), CONVERT(VARCHAR(30), 1.5, 0),
       CONVERT(VARCHAR(30), CAST(1 AS FLOAT) / 3, 0), CONVERT(VARCHAR(30), '2020-01-02', 100),
       CONVERT(VARCHAR(10), Benefit_type, 103) FROM leo_benefit WHERE Benefit_type = 'JSA'""") == [
        ("5", "1.5", "0.333333", "2020-01-02", "JSA")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_pivots_source_missing_a_column_is_error_207(
        backend: str, request: pytest.FixtureRequest) -> None:
    # (the translation asks a PIVOT's source its columns: the target's own words came out)
    db = _db(request, backend)
    with pytest.raises(ScriptError, match=r"Invalid column name 'StartDat'\. \(did you mean "
                                          r"StartDate\?\)"):
        run_text(db, "SELECT * FROM (SELECT Benefit_type, YEAR(StartDat) AS y FROM leo_benefit)"
                     " s PIVOT (COUNT(y) FOR y IN ([2010])) p", "tsql", None, True)
    # (in dynamic SQL, compiled a level below the TRY block: its CATCH block catches it)
    assert _rows(db, """BEGIN TRY
EXEC ('SELECT k, yr, amount FROM (SELECT EduKey AS k, KS4_GCSE_9 AS [2019]
FROM KS4Pupil_2015_to_2021) s UNPIVOT (amount FOR yr IN ([2019])) u')
END TRY
BEGIN CATCH SELECT ERROR_NUMBER(), ERROR_MESSAGE() END CATCH""") == [
        (207, "Invalid column name 'EduKey'.")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_bare_column_two_tables_have_is_error_209(
        backend: str, request: pytest.FixtureRequest) -> None:
    # (each target said it in its own words, with its own spelling of the name)
    db = _db(request, backend)
    with pytest.raises(ScriptError, match=r"^line 2: Ambiguous column name 'EduKey'\.$"):
        run_text(db, "SELECT 1\nSELECT EduKey FROM leo_earnings e JOIN leo_employment m "
                     "ON m.EduKey = e.EduKey", "tsql", None, True)
    assert _rows(db, """BEGIN TRY
EXEC ('SELECT COUNT(*) FROM leo_earnings e JOIN leo_employment m ON m.EduKey = e.EduKey
WHERE edukey LIKE ''SYN%''')
END TRY
BEGIN CATCH SELECT ERROR_NUMBER(), ERROR_MESSAGE() END CATCH""") == [
        (209, "Ambiguous column name 'edukey'.")]


TABLES_MADE_TWICE = """SELECT 1 AS a INTO #x
BEGIN TRY SELECT 2 AS a INTO #x END TRY
BEGIN CATCH SELECT ERROR_NUMBER(), ERROR_MESSAGE() END CATCH
BEGIN TRY CREATE TABLE #X (b INT) END TRY
BEGIN CATCH SELECT ERROR_NUMBER(), ERROR_MESSAGE() END CATCH
BEGIN TRY DROP TABLE #Never END TRY
BEGIN CATCH SELECT ERROR_NUMBER(), ERROR_MESSAGE() END CATCH
BEGIN TRY
SELECT TOP 5 e.*, m.* INTO #both FROM leo_earnings e JOIN leo_employment m ON m.EduKey = e.EduKey
END TRY
BEGIN CATCH SELECT ERROR_NUMBER(), ERROR_MESSAGE() END CATCH
SELECT TOP 1 e.*, m.StartDate INTO #one FROM leo_earnings e JOIN leo_employment m
ON m.EduKey = e.EduKey
SELECT EduKey, EduKey FROM #one"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_table_made_twice_or_with_a_name_twice_stops_as_in_sql_server(
        backend: str, request: pytest.FixtureRequest) -> None:
    """A #temp table made again is error 2714 and one dropped that is not there 3701 (the
    targets' own words); a table made with a column name twice is error 2705 (SQLite and
    DuckDB renamed or kept the second ``EduKey``), a derived table or CTE with one error 8156;
    a query's own result may repeat a name."""
    db = _db(request, backend)
    results = run_text(db, TABLES_MADE_TWICE, "tsql", None, True)
    assert [[tuple(_value(v) for v in row) for row in r.rows] for r in results][:4] == [
        [(2714, "There is already an object named '#x' in the database.")],
        [(2714, "There is already an object named '#X' in the database.")],
        [(3701, "Cannot drop the table '#Never', because it does not exist or you do not have "
                "permission.")],
        [(2705, "Column names in each table must be unique. Column name 'EduKey' in table "
                "'#both' is specified more than once.")]]
    assert results[4].columns == ["EduKey", "EduKey"] and len(results[4].rows) == 1
    for text, name in (("SELECT * FROM (SELECT e.EduKey, m.EduKey FROM leo_earnings e JOIN "
                        "leo_employment m ON m.EduKey = e.EduKey) d", "d"),
                       ("WITH c AS (SELECT e.*, m.EduKey FROM leo_earnings e JOIN "
                        "leo_employment m ON m.EduKey = e.EduKey) SELECT * FROM c", "c")):
        with pytest.raises(ScriptError, match=f"The column 'EduKey' was specified multiple "
                                              f"times for '{name}'"):
            run_text(db, text, "tsql", None, True)


@pytest.mark.parametrize(("text", "message"), [
    # a DATE is no number (SQLite read the date's text as its year: StartDate + 1 was 2013,
    # every date > 2015; DuckDB and PostgreSQL counted days)
    ("SELECT TOP 2 StartDate + 1 FROM leo_employment",
     "line 1: Operand type clash: date is incompatible with int"),
    ("SELECT COUNT(*) FROM leo_employment WHERE StartDate > 2015",
     "line 1: Operand type clash: date is incompatible with int"),
    ("SELECT TOP 2 EndDate - StartDate FROM leo_employment",
     "line 1: Operand data type date is invalid for subtract operator."),
    # ... nor a derived table's column that is a DATE wherever made (the targets answered)
    ("SELECT TOP 2 s.StartDate + 1 FROM (SELECT StartDate FROM leo_employment) s",
     "line 1: Operand type clash: date is incompatible with int"),
    ("SELECT CAST('2015-01-01' AS DATE) - 0.5", "line 1: Operand type clash: date is "
                                                "incompatible with numeric"),
    ("CREATE TABLE #d (d DATE)\nSELECT d * 2 FROM #d",
     "line 2: Operand data type date is invalid for multiply operator."),
    # nor is a DATETIME2 (SQL Server's + and - take neither; the targets added days, a
    # DATETIME2 variable's day too)
    ("DECLARE @d DATETIME2 = '2019-03-31'\nSELECT @d + 1",
     "line 2: Operand type clash: datetime2 is incompatible with int"),
    ("SELECT CAST('2019-03-31' AS DATETIME2(3)) - 0.5",
     "line 1: Operand type clash: datetime2 is incompatible with numeric"),
    ("SELECT CAST('2019-03-31' AS DATETIME2) - CAST('2019-03-01' AS DATETIME2)",
     "line 1: Operand data type datetime2 is invalid for subtract operator."),
    # counts that must agree (PostgreSQL filled a missing value with NULL and ran SELECT
    # FROM; each target said the others in its own words)
    ("CREATE TABLE #t (a INT, b INT)\nINSERT INTO #t VALUES (1)",
     "line 2: Column name or number of supplied values does not match table definition."),
    ("CREATE TABLE #t (a INT, b INT)\nINSERT INTO #t (a, b) VALUES (1, 2), (1)",
     "line 2: There are more columns in the INSERT statement than values specified"),
    ("CREATE TABLE #t (a INT, b INT)\nINSERT INTO #t (a, b) VALUES (1, 2, 3)",
     "line 2: There are fewer columns in the INSERT statement than values specified"),
    ("CREATE TABLE #t (a INT, b INT)\nINSERT INTO #t (a) SELECT 1, 2",
     "line 2: The select list for the INSERT statement contains more items than the insert "
     "list."),
    ("SELECT EduKey, TaxYear FROM leo_earnings UNION SELECT EduKey FROM leo_employment",
     "line 1: All queries combined using a UNION, INTERSECT or EXCEPT operator must have an "
     "equal number of expressions in their target lists."),
    ("SELECT FROM leo_earnings", "line 1: Incorrect syntax near the keyword 'FROM'."),
    # a statement cut short: sqlglot closed the bracket and the targets ran it
    ("SELECT TOP 3 EduKey, CONVERT(VARCHAR(30), StartDate\nFROM leo_benefit",
     "line 1: Incorrect syntax near 'leo_benefit'."),
    ("SELECT CONVERT(VARCHAR(30), 1", "line 1: Incorrect syntax near '1'."),
    # a comma with no item after it (the targets ran the statement without it)
    ("SELECT TOP 2 EduKey, TaxYear, FROM leo_earnings",
     "line 1: Incorrect syntax near the keyword 'FROM'."),
    ("SELECT EduKey FROM leo_earnings WHERE TaxYear IN (201819, )",
     "line 1: Incorrect syntax near ')'."),
    # aggregates where SQL Server allows none, a UNION sorted by what it does not select and
    # a subquery of IN with two columns (each target refused them in its own words)
    ("SELECT EduKey FROM leo_benefit WHERE COUNT(*) > 1 GROUP BY EduKey",
     "line 1: An aggregate may not appear in the WHERE clause unless it is in a subquery"),
    ("SELECT COUNT(*) FROM leo_benefit GROUP BY COUNT(*)",
     "line 1: Cannot use an aggregate or a subquery in an expression used for the group by"),
    ("SELECT SUM(AVG(Out_of_work_benefit)) FROM leo_benefit",
     "line 1: Cannot perform an aggregate function on an expression containing an aggregate "
     "or a subquery."),
    ("SELECT EduKey FROM leo_benefit UNION SELECT EduKey FROM leo_employment ORDER BY "
     "StartDate", "line 1: ORDER BY items must appear in the select list if the statement "
                  "contains a UNION, INTERSECT or EXCEPT operator."),
    ("SELECT COUNT(*) FROM leo_benefit WHERE EduKey IN (SELECT EduKey, StartDate FROM "
     "leo_employment)", "line 1: Only one expression can be specified in the select list "
                        "when the subquery is not introduced with EXISTS."),
    # a sort by a position the select list does not have, 108 (each target said so in its
    # own words), and a qualifier its table's alias hides, 4104 (SQLite said 207)
    ("SELECT TOP 2 EduKey, TaxYear FROM leo_earnings ORDER BY 3",
     "line 1: The ORDER BY position number 3 is out of range of the number of items in the "
     "select list."),
    ("SELECT EduKey FROM leo_benefit UNION SELECT EduKey FROM leo_employment ORDER BY 0",
     "line 1: The ORDER BY position number 0 is out of range"),
    # ... past the columns a * gives (each target said so in its own words)
    ("SELECT TOP 3 * FROM leo_benefit ORDER BY 9",
     "line 1: The ORDER BY position number 9 is out of range"),
    ("SELECT TOP 2 b.*, e.EduKey FROM leo_benefit b JOIN leo_employment e ON e.EduKey = "
     "b.EduKey ORDER BY 7", "line 1: The ORDER BY position number 7 is out of range"),
    ("SELECT e.TaxYear FROM leo_earnings AS e WHERE leo_earnings.TaxYear = 201819",
     'line 1: The multi-part identifier "leo_earnings.TaxYear" could not be bound.'),
    # other dialects' habits every target took: a position in GROUP BY (a constant in T-SQL,
    # 164), a quoted date part (1023), ISNULL of three (174), COUNT(DISTINCT a, b)
    ("SELECT TaxYear, COUNT(*) FROM leo_earnings GROUP BY 1",
     "line 1: Each GROUP BY expression must contain at least one column that is not an outer "
     "reference."),
    ("SELECT 1\nSELECT DATEDIFF('day', StartDate, EndDate) FROM leo_benefit",
     "line 2: Invalid parameter 1 specified for datediff."),
    ("SELECT DATEADD(N'month', 1, StartDate) FROM leo_benefit",
     "line 1: Invalid parameter 1 specified for dateadd."),
    ("SELECT ISNULL(EndDate, StartDate, '2021-04-05') FROM leo_benefit",
     "line 1: The isnull function requires 2 argument(s)."),
    ("SELECT COUNT(DISTINCT EduKey, TaxYear) FROM leo_earnings",
     "line 1: Incorrect syntax near ','."),
    # a frame without ORDER BY (10756) and RANGE with an offset (4194): every target ran them
    ("SELECT SUM(Earnings) OVER (PARTITION BY EduKey ROWS UNBOUNDED PRECEDING) "
     "FROM leo_earnings", "line 1: Window frame with ROWS or RANGE must have an ORDER BY "
                          "clause."),
    ("SELECT SUM(Earnings) OVER (ORDER BY TaxYear RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) "
     "FROM leo_earnings", "line 1: RANGE is only supported with UNBOUNDED and CURRENT ROW "
                          "window frame delimiters."),
    # other dialects' query forms (every target ran them; SQLite said EXCEPT ALL, INTERVAL
    # in its words, and FETCH FIRST was taken for a cursor's)
    ("SELECT COUNT(*) FROM leo_earnings e JOIN leo_employment m USING (EduKey)",
     "line 1: Incorrect syntax near 'USING'."),
    ("SELECT COUNT(*) FROM leo_earnings e NATURAL JOIN leo_employment m",
     "line 1: Incorrect syntax near 'NATURAL'."),
    ("SELECT EduKey FROM leo_earnings EXCEPT ALL SELECT EduKey FROM leo_employment",
     "line 1: Incorrect syntax near 'ALL'."),
    ("WITH RECURSIVE n AS (SELECT 1 AS i) SELECT i FROM n",
     "line 1: Incorrect syntax near 'RECURSIVE'."),
    ("SELECT DISTINCT ON (EduKey) EduKey, TaxYear FROM leo_earnings",
     "line 1: Incorrect syntax near 'ON'."),
    ("CREATE TABLE IF NOT EXISTS #t (x INT)", "line 1: Incorrect syntax near the keyword 'IF'."),
    ("CREATE TEMP TABLE t (x INT)", "line 1: Incorrect syntax near 'TEMP'"),
    ("SELECT CAST(1 AS BOOLEAN)", "line 1: Type BOOLEAN is not a defined system type."),
    ("SELECT TOP 5 TaxYear FROM leo_earnings ORDER BY TaxYear OFFSET 5 ROWS",
     "line 1: A TOP can not be used in the same query or sub-query as a OFFSET."),
    ("SELECT SUM(Benefit_type) FROM leo_benefit",
     "line 1: Operand data type varchar is invalid for sum operator."),
    ("SELECT EduKey, AVG(DISTINCT Benefit_type) FROM leo_benefit GROUP BY EduKey",
     "line 1: Operand data type varchar is invalid for avg operator."),
    ("SELECT CAST(StartDate AS INT) FROM leo_benefit",
     "line 1: Explicit conversion from data type date to int is not allowed."),
    # % takes no FLOAT (SQLite gave the remainder of integers, DuckDB the float's,
    # PostgreSQL stopped in its own words)
    ("SELECT TOP 2 CAST(Earnings AS FLOAT) % 1000 FROM leo_earnings",
     "line 1: The data types float and int are incompatible in the modulo operator."),
    ("DECLARE @weeks FLOAT = 52.0\nSELECT TOP 2 Earnings % @weeks FROM leo_earnings",
     "line 2: The data types int and float are incompatible in the modulo operator."),
    ("SELECT 7.5 % SQRT(4)",
     "line 1: The data types numeric and float are incompatible in the modulo operator."),
    ("SELECT x.TaxYear FROM (SELECT TOP 5 TaxYear FROM leo_earnings ORDER BY TaxYear\n"
     "OFFSET 5 ROWS FETCH NEXT 2 ROWS ONLY) x",
     "line 1: A TOP can not be used in the same query or sub-query as a OFFSET."),
    ("SELECT TaxYear FROM leo_earnings OFFSET 5 ROWS FETCH NEXT 2 ROWS ONLY",
     "line 1: Incorrect syntax near 'OFFSET'."),
    ("SELECT TaxYear FROM leo_earnings ORDER BY TaxYear FETCH FIRST 2 ROWS ONLY",
     "line 1: Incorrect syntax near 'FETCH'."),
    ("SELECT CAST('2019-01-01' AS DATE) + INTERVAL '1 day'",
     "line 1: Incorrect syntax near 'INTERVAL'"),
    # the parts functions' own arguments (a TypeError escaped before)
    ("SELECT DATETIMEFROMPARTS(2015, 1, 1)", "line 1: DATETIMEFROMPARTS takes 7 arguments, "
                                             "not 3"),
    ("DECLARE @p INT = 2\nSELECT TIMEFROMPARTS(1, 2, 3, 4, @p + 1)",
     "line 2: TIMEFROMPARTS's precision must be a whole number from 0 to 7")])
@pytest.mark.parametrize("backend", BACKENDS)
def test_what_sql_server_refuses_when_it_compiles_the_batch(
        text: str, message: str, backend: str, request: pytest.FixtureRequest) -> None:
    with pytest.raises(ScriptError, match=re.escape(message)):
        run_text(_db(request, backend), text, "tsql", None, True)


@pytest.mark.parametrize("backend", BACKENDS)
def test_aggregates_and_orders_sql_server_allows_still_run(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    [(people,)] = _rows(db, "SELECT COUNT(DISTINCT EduKey) FROM leo_benefit")
    assert _rows(db, """SELECT SUM(n), SUM(share) FROM (
    SELECT EduKey, COUNT(*) AS n, 1.0 * COUNT(*) / SUM(COUNT(*)) OVER () AS share
    FROM leo_benefit WHERE StartDate > (SELECT MIN(StartDate) FROM leo_benefit)
        OR EduKey IN (SELECT EduKey FROM leo_benefit GROUP BY EduKey HAVING COUNT(*) > 0)
    GROUP BY EduKey HAVING COUNT(*) >= 1) x""")[0][1] == 1
    # GROUP BY (), the grand total alone (SQLite stopped at its syntax), and commas of a
    # function inside ISNULL or COUNT(DISTINCT ...), which are not theirs
    [(spells, keys, first)] = _rows(db, "SELECT COUNT(*), COUNT(DISTINCT LEFT(EduKey, 5)), "
                                        "MAX(EduKey) FROM leo_benefit")
    assert _rows(db, """SELECT COUNT(*), COUNT(DISTINCT LEFT(EduKey, 5)),
    ISNULL(MAX(ISNULL(EduKey, LEFT('x', 1))), '') FROM leo_benefit GROUP BY ()""") == [
        (spells, keys, first)]
    assert len(_rows(db, """SELECT EduKey AS k FROM leo_benefit UNION SELECT EduKey FROM
leo_employment ORDER BY k DESC""")) >= people
    # a * of a CTE named as a relation gives the CTE's columns (position 6 was refused by the
    # relation's five)
    assert _rows(db, """WITH leo_benefit AS (SELECT 1 AS a, 2 AS b, 3 AS c, 4 AS d, 5 AS e,
    6 AS f) SELECT * FROM leo_benefit ORDER BY 6""") == [(1, 2, 3, 4, 5, 6)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_dates_compared_and_datetimes_given_days_still_run(
        backend: str, request: pytest.FixtureRequest) -> None:
    results = run_text(_db(request, backend), """CREATE TABLE #t (at DATETIME)
INSERT INTO #t VALUES ('2015-01-01 10:00')
SELECT (SELECT COUNT(*) FROM leo_employment WHERE StartDate > '2015-01-01'
    AND EndDate >= StartDate AND YEAR(StartDate) > 2015) - (SELECT COUNT(*)
    FROM leo_employment WHERE StartDate >= '2016-01-01' AND EndDate >= StartDate),
    (SELECT CAST(at + 1 AS DATE) FROM #t)
SELECT StartDate + 1 FROM (SELECT 5 AS StartDate) x
""", "tsql", None, True)
    assert [[tuple(_value(v) for v in row) for row in r.rows] for r in results] == [
        [(0, "2015-01-02")], [(6,)]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_spells_merged_in_a_temp_table_as_researchers_merge_them(
        backend: str, request: pytest.FixtureRequest) -> None:
    # PostgreSQL stopped with "current transaction is aborted": a check asked the target for
    # the columns of a CTE's name (g's * over s), which ended the transaction; SQLite took
    # MIN(StartDate) copied by SELECT ... INTO for a number, so CASE ... ELSE '2018-10-01'
    # stopped with "Error converting data type varchar to float."
    db = _db(request, backend)
    [(rows,)] = _rows(db, "SELECT COUNT(*) FROM leo_employment")
    [(late,)] = _rows(db, "SELECT COUNT(*) FROM (SELECT EduKey FROM leo_employment GROUP BY "
                          "EduKey HAVING MIN(StartDate) > '2018-10-01') x")
    assert _rows(db, """WITH s AS (SELECT EduKey, StartDate, EndDate, MAX(EndDate) OVER (
    PARTITION BY EduKey ORDER BY StartDate, EndDate ROWS BETWEEN UNBOUNDED PRECEDING AND
    1 PRECEDING) AS prev_max FROM leo_employment),
g AS (SELECT *, SUM(CASE WHEN prev_max >= DATEADD(day, -1, StartDate) THEN 0 ELSE 1 END)
    OVER (PARTITION BY EduKey ORDER BY StartDate, EndDate ROWS UNBOUNDED PRECEDING) AS grp
    FROM s)
SELECT COUNT(*), MIN(grp), COUNT(DISTINCT EduKey) - SUM(CASE WHEN prev_max IS NULL THEN 1 ELSE 0
    END) FROM g""") == [(rows, 1, 0)]
    assert _rows(db, """SELECT EduKey, MIN(StartDate) AS s, MAX(EndDate) AS e INTO #spells
FROM leo_employment GROUP BY EduKey
SELECT CAST(MIN(CASE WHEN s > '2018-10-01' THEN s ELSE '2018-10-01' END) AS VARCHAR(10)),
    SUM(CASE WHEN s > '1 Oct 2018' THEN 1 ELSE 0 END) FROM #spells""") == [("2018-10-01", late)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_int_column_made_empty_and_filled_later_averages_as_an_int(
        backend: str, request: pytest.FixtureRequest) -> None:
    # CAST(NULL AS INT) AS pay in a SELECT ... INTO, set by an UPDATE: SQLite's column had no
    # type and no value when it was made, so AVG(pay) was a float there (20490.34483)
    db = _db(request, backend)
    assert _rows(db, """SELECT v.id, CAST(NULL AS INT) AS pay INTO #p FROM (VALUES (1), (2)) v(id)
UPDATE #p SET pay = id + 1
SELECT CAST(AVG(pay) AS VARCHAR(10)) FROM #p""") == [("2",)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_decimal_put_in_an_integer_column_is_cut_to_its_whole_part(
        backend: str, request: pytest.FixtureRequest) -> None:
    # SQL Server converts 1.7 put in an INT to 1: SQLite stored 1.7, DuckDB and PostgreSQL
    # rounded it to 2 (an INSERT's VALUES, its SELECT's average, an UPDATE)
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #a (k INT, x INT, z BIGINT)
INSERT INTO #a VALUES (1, 1.7, 2.9), (2, -1.7, -2.9)
INSERT INTO #a (k, x) SELECT 3, AVG(v * 1.0) FROM (VALUES (1), (2)) t(v)
UPDATE #a SET z = x * 1.5 WHERE k = 3
SELECT k, x, z FROM #a ORDER BY k""") == [(1, 1, 2), (2, -1, -2), (3, 1, 1)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_date_compared_with_a_date_and_time_is_that_days_midnight(
        backend: str, request: pytest.FixtureRequest) -> None:
    # SQLite compared the texts: '2016-04-06' < '2016-04-06 00:00:00', so the day itself was
    # left out of >=, =, IN and BETWEEN with a DATETIME variable or DATEADD of one
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #d (d DATE)
INSERT INTO #d VALUES ('2016-04-05'), ('2016-04-06'), ('2016-04-07')
DECLARE @start DATETIME = '2016-04-06'
SELECT (SELECT COUNT(*) FROM #d WHERE d >= @start), (SELECT COUNT(*) FROM #d WHERE d = @start),
    (SELECT COUNT(*) FROM #d WHERE d IN (@start, '20160405')),
    (SELECT COUNT(*) FROM #d WHERE d BETWEEN '20160405' AND @start),
    (SELECT COUNT(*) FROM #d WHERE d >= DATEADD(day, 1, @start)),
    (SELECT COUNT(*) FROM #d WHERE d < CAST('2016-04-06 12:00' AS DATETIME))""") == [
        (2, 1, 2, 2, 1, 2)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_small_integer_casts_within_range_and_try_cast_beyond(
        backend: str, request: pytest.FixtureRequest) -> None:
    """Casts to ``TINYINT`` and ``SMALLINT`` that fit are kept (a decimal truncated first);
    a ``TRY_CAST`` beyond the range is NULL, as in SQL Server (every target gave 300)."""
    db = _db(request, backend)
    assert _rows(db, "CREATE TABLE #v (n INT, d DECIMAL(6, 1))\n"
                     "INSERT INTO #v VALUES (255, 255.9)\n"
                     "SELECT CAST(n AS TINYINT), CAST(d AS TINYINT), CAST(-n * 128 AS SMALLINT), "
                     "TRY_CAST(n + 45 AS TINYINT), TRY_CONVERT(SMALLINT, n * 200) FROM #v") == [
        (255, 255, -32640, None, None)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_iif_has_its_results_type_as_case_does(backend: str,
                                               request: pytest.FixtureRequest) -> None:
    # SQLite's own IIF gave 'none' beside an integer, where SQL Server (as for the CASE IIF
    # stands for) converts it to the integer and stops
    db = _db(request, backend)
    assert _rows(db, "SELECT x, IIF(x > 1, x, '0') AS c FROM (VALUES (1), (2)) t(x) "
                     "ORDER BY c") == [(1, 0), (2, 2)]
    with pytest.raises(ScriptError, match="converting the varchar value 'none' to data type int"):
        _rows(db, "SELECT x, IIF(x > 1, x, 'none') AS c FROM (VALUES (1), (2)) t(x)")


@pytest.mark.parametrize("backend", BACKENDS)
def test_choose_has_its_values_type(backend: str, request: pytest.FixtureRequest) -> None:
    # SQL Server: CHOOSE gives the type of highest precedence among its values, so its int 1
    # beside 2.5 is 1.0 (a CASE's rule); SQLite and PostgreSQL showed 1
    db = _db(request, backend)
    [row] = run_text(db, "SELECT CHOOSE(1, 1, 2.5), CHOOSE(x, 10, 2.55), CHOOSE(x, 10, 20) "
                         "FROM (VALUES (2)) t(x)", "tsql", None, False)[-1].rows
    assert [str(v) for v in row] == ["1.0", "2.55", "20"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_greatest_and_least_have_their_values_type(backend: str,
                                                   request: pytest.FixtureRequest) -> None:
    # SQL Server 2022: GREATEST and LEAST give the type of highest precedence among their
    # values (LEAST(1, 2.55) is 1.00); SQLite showed the float 2.5 and 1, PostgreSQL 1
    db = _db(request, backend)
    [row] = run_text(db, "SELECT GREATEST(1, 2.5), LEAST(1, 2.55), LEAST(NULL, 2.5, 1), "
                         "GREATEST(3, 2)", "tsql", None, False)[-1].rows
    assert [str(v) for v in row] == ["2.5", "1.00", "1.0", "3"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_simple_case_of_an_integer_column_converts_its_text(
        backend: str, request: pytest.FixtureRequest) -> None:
    # CASE FSMeligible_spr11 WHEN 'true' ...: SQLite took the text for no match (a sum of 0),
    # where SQL Server converts it to the column's int and stops, as DuckDB and PostgreSQL did
    db = _db(request, backend)
    census = "spring_census_2011"
    [(eligible,)] = _rows(db, f"SELECT COUNT(*) FROM {census} WHERE FSMeligible_spr11 = 1")
    assert _rows(db, f"SELECT SUM(CASE FSMeligible_spr11 WHEN '1' THEN 1 ELSE 0 END) "
                     f"FROM {census}") == [(eligible,)]
    with pytest.raises(ScriptError, match="converting the varchar value 'true' to data type "
                                          "int"):
        _rows(db, f"SELECT SUM(CASE FSMeligible_spr11 WHEN 'true' THEN 1 ELSE 0 END) "
                  f"FROM {census}")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_log_or_square_root_outside_its_domain_stops(
        backend: str, request: pytest.FixtureRequest) -> None:
    # AVG(LOG(Earnings)) over the extract's zero earnings: SQL Server stops with error 3623,
    # where SQLite averaged the rest (LOG(0) was NULL) and DuckDB gave -inf
    db = _db(request, backend)
    assert _rows(db, "SELECT LOG(x), LOG10(x), SQRT(x), LOG(x, 2) FROM (VALUES (1.0), (100), "
                     "(NULL)) v(x) ORDER BY x") == [
        (None, None, None, None), (0, 0, 1, 0), (_value(math.log(100)), 2, 10,
                                                 _value(math.log2(100)))]
    [(zeros,)] = _rows(db, "SELECT COUNT(*) FROM leo_earnings WHERE Earnings = 0")
    assert zeros > 0
    with pytest.raises(ScriptError, match="An invalid floating point operation occurred"):
        _rows(db, "SELECT AVG(LOG(Earnings)) FROM leo_earnings")
    assert _rows(db, "BEGIN TRY SELECT SQRT(x) FROM (VALUES (4), (-1)) v(x) END TRY\n"
                     "BEGIN CATCH SELECT ERROR_NUMBER(), ERROR_MESSAGE() END CATCH") == [
        (3623, "An invalid floating point operation occurred.")]


def test_a_fault_of_the_translation_is_one_line_naming_the_statement(
        request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    # an exception of leo-synth's own (a value its translation did not expect) ended the
    # command in a Python traceback
    from leo_synth.tsql import variables

    def broken(value: object, kind: object) -> None:
        raise ValueError("unexpected value")

    monkeypatch.setattr(variables, "literal", broken)
    with pytest.raises(ScriptError) as failure:
        _rows(_db(request, "small_sqlite"), "SELECT 1 AS one\nDECLARE @x INT = 1")
    assert failure.value.line == 2
    assert "ValueError: unexpected value" in str(failure.value)
    assert "fault of leo-synth's" in str(failure.value)
    monkeypatch.undo()
    from leo_synth.tsql.runner import Runner

    monkeypatch.setattr(Runner, "_truth", lambda self, condition, line: 1 / 0)
    with pytest.raises(ScriptError, match="ZeroDivisionError") as failure:  # (an IF's too)
        _rows(_db(request, "small_sqlite"), "SELECT 1 AS one\nIF 1 = 1\n  SELECT 2 AS two")
    assert failure.value.line == 2


@pytest.mark.parametrize("backend", BACKENDS)
def test_text_converted_to_a_date_as_sql_server_converts_it(
        backend: str, request: pytest.FixtureRequest) -> None:
    # blank text is 1900-01-01 (SQLite gave NULL, PostgreSQL and DuckDB stopped); a literal
    # that is no date stops a CAST or a date function (SQLite's CAST gave NULL)
    db = _db(request, backend)
    text = """CREATE TABLE #t (x VARCHAR(10))
INSERT INTO #t VALUES (''), ('20150131')
SELECT CAST(x AS DATE) AS d, TRY_CAST(x AS DATE) AS t, YEAR('') AS y FROM #t ORDER BY x"""
    assert _rows(db, text) == [("1900-01-01", "1900-01-01", 1900),
                               ("2015-01-31", "2015-01-31", 1900)]
    for statement in ("SELECT CAST('n/a' AS DATE) AS d", "DECLARE @d DATE = 'n/a'",
                      "SELECT DATEDIFF(DAY, 'n/a', '2015-01-01') AS d"):
        with pytest.raises(ScriptError, match="Conversion failed when converting date"):
            _rows(db, statement + "\nSELECT 1 AS one")


@pytest.mark.parametrize("statement, said", [
    ("SELECT COUNT(DISTINCT Edukey) OVER (PARTITION BY TaxYear) AS n FROM leo_earnings",
     "Use of DISTINCT is not allowed with the OVER clause."),
    ("SELECT ROW_NUMBER() OVER (PARTITION BY TaxYear) AS n FROM leo_earnings",
     "The function 'ROW_NUMBER' must have an OVER clause with ORDER BY."),
    ("SELECT LAG(Earnings) OVER (PARTITION BY Edukey) AS n FROM leo_earnings",
     "The function 'LAG' must have an OVER clause with ORDER BY."),
    # a grouped median as other dialects write it (SQLite spoke of the grouped column)
    ("SELECT TaxYear, PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY Earnings) AS m "
     "FROM leo_earnings GROUP BY TaxYear",
     "The function 'PERCENTILE_CONT' must have an OVER clause."),
    ("SELECT ROW_NUMBER() AS n FROM leo_earnings",
     "The function 'ROW_NUMBER' must have an OVER clause."),
    # DuckDB ran it; SQLite and PostgreSQL refused it in their own words
    ("SELECT STRING_AGG(Edukey, ';') WITHIN GROUP (ORDER BY Edukey) OVER (PARTITION BY "
     "TaxYear) AS n FROM leo_earnings",
     "The function 'STRING_AGG' is not a valid windowing function, and cannot be used with "
     "the OVER clause."),
    # the targets read a negative offset as the other direction (LAG(x, -1) was LEAD(x, 1))
    ("SELECT LAG(Earnings, -1) OVER (ORDER BY TaxYear) AS n FROM leo_earnings",
     "Offset parameter for Lag and Lead functions cannot be a negative value."),
    ("SELECT LEAD(Earnings, -2, 0) OVER (ORDER BY TaxYear) AS n FROM leo_earnings",
     "Offset parameter for Lag and Lead functions cannot be a negative value."),
    # each target stopped in its own words ("misuse of window function ROW_NUMBER()")
    ("SELECT Edukey FROM leo_earnings WHERE ROW_NUMBER() OVER (ORDER BY Edukey) = 1",
     "Windowed functions can only appear in the SELECT or ORDER BY clauses."),
    ("SELECT TaxYear FROM leo_earnings GROUP BY TaxYear HAVING SUM(COUNT(*)) OVER () > 1",
     "Windowed functions can only appear in the SELECT or ORDER BY clauses."),
    ("SELECT e.Edukey FROM leo_earnings e JOIN leo_earnings f "
     "ON f.Edukey = e.Edukey AND RANK() OVER (ORDER BY f.TaxYear) = 1",
     "Windowed functions can only appear in the SELECT or ORDER BY clauses.")])
def test_windows_sql_server_refuses_stop_the_script(statement: str, said: str,
                                                    request: pytest.FixtureRequest) -> None:
    # every target ran them (SQLite and PostgreSQL refused the DISTINCT in their own words)
    with pytest.raises(ScriptError, match=re.escape(said)):
        _rows(_db(request, "small_sqlite"), statement)


def test_windows_in_a_subquery_or_order_by_run(request: pytest.FixtureRequest) -> None:
    # a window in a subquery of a WHERE, or in ORDER BY, is the SELECT's own: it runs
    db = _db(request, "small_sqlite")
    assert _rows(db, """SELECT TOP 1 LAG(Edukey, 0) OVER (ORDER BY Edukey) AS l FROM leo_earnings
WHERE TaxYear IN (SELECT MAX(TaxYear) OVER () FROM leo_earnings)
ORDER BY ROW_NUMBER() OVER (ORDER BY Edukey DESC)""") == _rows(
        db, "SELECT MAX(Edukey) FROM leo_earnings WHERE TaxYear = (SELECT MAX(TaxYear) "
            "FROM leo_earnings)")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_row_matched_twice_is_updated_alike_on_every_target(
        backend: str, request: pytest.FixtureRequest) -> None:
    # SQL Server updates such a row from any one match; each target chose its own (the
    # researcher's script gave each target different counts), now the least values' match
    db = _db(request, backend)
    text = """CREATE TABLE #a (id INT, v INT, w VARCHAR(3))
INSERT INTO #a VALUES (1, NULL, NULL), (2, NULL, NULL)
CREATE TABLE #b (id INT, v INT, w VARCHAR(3))
INSERT INTO #b VALUES (1, 30, 'ESA'), (1, 10, 'JSA'), (1, 20, 'DLA'), (2, 5, 'IB')
UPDATE a SET v = b.v, w = b.w FROM #a a JOIN #b b ON b.id = a.id
SELECT id, v, w, @@ROWCOUNT AS n FROM #a ORDER BY id"""
    assert _rows(db, text) == [(1, 10, "JSA", 2), (2, 5, "IB", 2)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_rowcount_after_a_delete_through_a_cte(backend: str,
                                               request: pytest.FixtureRequest) -> None:
    # SQLite's driver counts only statements beginning INSERT, UPDATE or DELETE: @@ROWCOUNT
    # after WITH d AS (...) DELETE FROM d was 0
    db = _db(request, backend)
    text = """CREATE TABLE #d (id INT, y INT)
INSERT INTO #d VALUES (1, 2010), (1, 2011), (1, 2012), (2, 2010)
;WITH d AS (SELECT *, ROW_NUMBER() OVER (PARTITION BY id ORDER BY y) AS rn FROM #d)
DELETE FROM d WHERE rn > 1
SELECT @@ROWCOUNT AS deleted, COUNT(*) AS kept FROM #d"""
    assert _rows(db, text) == [(2, 2)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_spreads_bits_and_likes_on_columns(backend: str,
                                          request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    text = """CREATE TABLE #s (g VARCHAR(2), x FLOAT, flag BIT)
INSERT INTO #s VALUES ('Ab', 1, 1), ('ab', 2, 0), ('ab', 4, 1), ('c1', NULL, NULL)
SELECT COUNT(*) AS n, SUM(CAST(flag AS INT)) AS flagged, STDEV(x) AS sd, VAR(x) AS var,
       VARP(x) AS varp, STDEVP(x) AS sdp,
       SUM(CASE WHEN g LIKE 'AB' THEN 1 ELSE 0 END) AS ab,
       SUM(CASE WHEN g LIKE '[a-b][^0-9]' THEN 1 ELSE 0 END) AS classes,
       SUM(CASE WHEN g NOT LIKE 'A%' THEN 1 ELSE 0 END) AS not_a,
       SUM(CASE WHEN g NOT LIKE '[a-b]%' THEN 1 ELSE 0 END) AS not_class
FROM #s"""
    assert _rows(db, text) == [(4, 2, 1.52753, 2.33333, 1.55556, 1.24722, 3, 3, 1, 1)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_float_is_eight_bytes_and_fraction_variables_divide_as_such(
        backend: str, request: pytest.FixtureRequest) -> None:
    # PostgreSQL's FLOAT was a REAL (seven digits: CAST(52280013 AS FLOAT) was 52280012), and
    # a FLOAT or DECIMAL variable was substituted as a plain integer (@f / 2900 divided as
    # integers, 18027)
    db = _db(request, backend)
    text = """CREATE TABLE #f (x FLOAT)
INSERT INTO #f VALUES (52280013.25)
DECLARE @f FLOAT = 52280013
DECLARE @d DECIMAL(6, 2) = 10
DECLARE @p DECIMAL(3, 2) = 0.5
SELECT x, CAST(52280013 AS FLOAT) AS c, @f / 2900 AS f, @d / 4 AS d FROM #f
SELECT TOP 1 PERCENTILE_CONT(@p) WITHIN GROUP (ORDER BY v) OVER () AS median
FROM (VALUES (1), (2), (4)) AS t(v)"""
    values, median = run_text(db, text, "tsql", None, True)
    [row] = values.rows
    assert row[:2] == (52280013.25, 52280013.0)
    assert [_value(v) for v in row[2:]] == [18027.6, 2.5]
    assert [_value(v) for v in median.rows[0]] == [2.0]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_cast_to_a_decimal_is_shown_with_its_places(backend: str,
                                                      request: pytest.FixtureRequest) -> None:
    # SQLite holds a DECIMAL as a float: its percentage of 50.0 was shown as 50 and a share
    # of 0.130 as 0.13, where SQL Server, PostgreSQL and DuckDB show the cast's places
    db = _db(request, backend)
    text = """SELECT CAST(100.0 * 3 / 6 AS DECIMAL(5, 1)) AS pct,
    CONVERT(NUMERIC(4, 3), 0.13) AS share, CAST(7 AS MONEY) AS pay,
    CAST(2.5 AS DECIMAL) AS whole, CAST(NULL AS DECIMAL(5, 2)) AS none,
    TRY_CAST('12.345' AS DECIMAL(6, 2)) AS tried
SELECT Gender_spr11 AS Gender,
    CAST(100.0 * COUNT(*) / SUM(COUNT(*)) OVER () AS DECIMAL(4, 1)) AS Pct
FROM [NPD_i2].[2002237].[spring_census_2011] GROUP BY Gender_spr11 ORDER BY Gender_spr11"""
    constants, shares = run_text(db, text, "tsql", None, True)
    assert output.table(constants)[2].split() == ["50.0", "0.130", "7.0000", "3", "NULL", "12.35"]
    shown = [line.split()[1] for line in output.table(shares)[2:]]
    assert shown and all(re.fullmatch(r"\d+\.\d", pct) for pct in shown)
    assert sum(decimal.Decimal(pct) for pct in shown) == pytest.approx(100, abs=0.2)


@pytest.mark.parametrize("backend", BACKENDS)
def test_decimal_arithmetic_is_shown_with_sql_servers_places(
        backend: str, request: pytest.FixtureRequest) -> None:
    # SQL Server works a decimal's scale out by its rules (a quotient and an average at least
    # six places): SQLite's floats showed 0.3333333333 and 3, PostgreSQL sixteen places
    db = _db(request, backend)
    [constants] = run_text(db, "SELECT 1.0 / 3, 2.5 * 2, ROUND(-2.5, 0), 7 / 2.0, "
                               "COALESCE(NULL, 2, 1.25), 7 / 2", "tsql", None, True)
    assert output.table(constants)[2].split() == [
        "0.333333", "5.0", "-3.0", "3.500000", "2.00", "3"]
    [averages] = run_text(db, """SELECT TOP 1 AVG(TaxYear * 1.0), AVG(TaxYear) / 365.25
FROM [LEO_i2].[2002237].[leo_earnings]""", "tsql", None, True)
    assert all(re.fullmatch(r"\d+\.\d{6}", value)
               for value in output.table(averages)[2].split())
    # NULLIF has its first argument's type: a share over NULLIF(COUNT(*), 0) is divided by
    # an int (twelve places), where SQLite showed eight and PostgreSQL sixteen
    [share] = run_text(db, """SELECT SUM(CASE WHEN x > 0 THEN 1 ELSE 0 END) * 100.0
       / NULLIF(COUNT(*), 0) AS pct FROM (VALUES (1), (0), (0)) t(x)""", "tsql", None, True)
    assert output.table(share)[2].split() == ["33.333333333333"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_temp_tables_decimals_keep_their_type(backend: str,
                                                request: pytest.FixtureRequest) -> None:
    # a #temp table's DECIMAL column read back showed the target's value (SQLite's float
    # 15827.17742, PostgreSQL eighteen places), and SQLite kept 1.0 / 3 whole in a
    # DECIMAL(10, 2) column, so that twice it was 0.67, not 0.66
    db = _db(request, backend)
    made = run_text(db, """SELECT TaxYear, AVG(Earnings * 1.0) AS mean INTO #s
FROM [LEO_i2].[2002237].[leo_earnings] GROUP BY TaxYear
SELECT TOP 1 * FROM #s ORDER BY TaxYear
SELECT TOP 1 mean / 12 FROM #s ORDER BY TaxYear""", "tsql", None, True)
    assert [re.fullmatch(r"\d+\.\d{6}", output.table(r)[2].split()[-1]) is not None
            for r in made] == [True, True]
    declared = run_text(db, """CREATE TABLE #m (k INT, v DECIMAL(10, 2))
INSERT INTO #m VALUES (1, 2.5), (2, 1.0 / 3)
SELECT v, v * 2 FROM #m ORDER BY k""", "tsql", None, True)
    assert [line.split() for line in output.table(declared[0])[2:]] == [
        ["2.50", "5.00"], ["0.33", "0.66"]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_decimal_as_text_has_its_scales_places(backend: str,
                                                 request: pytest.FixtureRequest) -> None:
    # SQLite wrote 1.0 / 3 as 0.333333333333333, DuckDB with sixteen places, PostgreSQL
    # eighteen; SQL Server writes a DECIMAL(8, 6) with six
    db = _db(request, backend)
    assert _rows(db, "SELECT CAST(1.0 / 3 AS VARCHAR(20)), CONCAT('x', 2.50 * 2), "
                     "CONVERT(VARCHAR(20), 7 / 2.0), CAST(-0.5 AS VARCHAR), "
                     "CAST(CAST(2.675 AS DECIMAL(5, 3)) * 1.0 AS VARCHAR)") == [
        ("0.333333", "x5.00", "3.500000", "-0.5", "2.6750")]
    [(share,)] = _rows(db, "SELECT CAST(ROUND(100.0 * SUM(CASE WHEN Earnings > 20000 THEN 1 "
                           "ELSE 0 END) / COUNT(*), 1) AS VARCHAR(30)) + '%' "
                           "FROM [LEO_i2].[2002237].[leo_earnings]")
    assert re.fullmatch(r"\d+\.\d0{11}%", share), share  # DECIMAL(26, 12), rounded to 1 place


@pytest.mark.parametrize("backend", BACKENDS)
def test_power_has_its_first_arguments_type(backend: str,
                                            request: pytest.FixtureRequest) -> None:
    # POWER(int, y) is an int, POWER(decimal(p, s), y) a DECIMAL(38, s), SQUARE a float: the
    # targets gave 1.414213562 for POWER(2, 0.5) and 1.1040808 for POWER(1.02, 5)
    db = _db(request, backend)
    [powers] = run_text(db, "SELECT POWER(2, 0.5), POWER(2, -1), POWER(2.0, 0.5), "
                            "POWER(1.02, 5), POWER(2.5, 2), SQUARE(2.5), SIGN(-3.5), "
                            "POWER(POWER(2, 0.5), 2)", "tsql", None, True)
    assert output.table(powers)[2].split() == [
        "1", "0", "1.4", "1.10", "6.3", "6.25", "-1.0", "1"]
    earnings = "[LEO_i2].[2002237].[leo_earnings]"
    [(pay, year, uprated, years)] = _rows(
        db, f"SELECT TOP 1 Earnings, TaxYear, Earnings * POWER(1.02, 2021 - TaxYear / 100), "
            f"POWER(TaxYear / 100 - 2000, 2) FROM {earnings} ORDER BY Edukey, TaxYear")
    factor = round(1.02 ** (2021 - year // 100), 2)
    # (_rows reads numbers to six significant digits, as the corpus compares them)
    assert float(uprated) == float(f"{pay * factor:.6g}") and years == (year // 100 - 2000) ** 2


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_float_as_text_has_six_significant_digits(backend: str,
                                                   request: pytest.FixtureRequest) -> None:
    # SQL Server writes a FLOAT as text in C's %.6g (a three-digit exponent); SQLite and
    # DuckDB wrote an Attainment 8 of 74 as 74.0, and every target wrote every digit
    db = _db(request, backend)
    text = """CREATE TABLE #f (k INT, x FLOAT)
INSERT INTO #f VALUES (1, 74), (2, 18027.59069), (3, 1234567.5), (4, 0.000012345),
    (5, 999999.5), (6, -2.5), (7, 0), (8, NULL)
SELECT CAST(x AS VARCHAR(20)) AS t, CONCAT('v=', x) AS c, CONVERT(VARCHAR(20), x * 2) AS d
FROM #f ORDER BY k
SELECT TOP 1 CAST(KS4_ATT8 AS VARCHAR(10)) AS a8, CAST(AVG(KS4_ATT8) OVER () AS VARCHAR(20)) AS m
FROM [NPD_i2].[2002237].[KS4Pupil_2015_to_2021] WHERE KS4_ATT8 = 44"""
    values, att8 = run_text(db, text, "tsql", None, True)
    assert values.rows == [
        ("74", "v=74", "148"), ("18027.6", "v=18027.6", "36055.2"),
        ("1.23457e+006", "v=1.23457e+006", "2.46914e+006"),
        ("1.2345e-005", "v=1.2345e-005", "2.469e-005"), ("1e+006", "v=1e+006", "2e+006"),
        ("-2.5", "v=-2.5", "-5"), ("0", "v=0", "0"), (None, "v=", None)]
    assert att8.rows == [("44", "44")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_spreads_and_logarithms_are_floats(backend: str, request: pytest.FixtureRequest) -> None:
    # T-SQL's STDEV, VAR, LOG, EXP and SQRT are FLOATs; PostgreSQL's of an integer column were
    # NUMERICs (a variance printed to sixteen places, LOG10(100) as 2.0000000000000000), and
    # CAST(VARP(x) AS INT) rounded 1.56 to 2 where SQL Server truncates it to 1
    db = _db(request, backend)
    [result] = run_text(db, """CREATE TABLE #s (g INT, x INT)
INSERT INTO #s VALUES (1, 1), (1, 2), (1, 4)
SELECT STDEV(x) AS sd, STDEVP(x) AS sdp, VAR(x) AS var, VARP(x) AS varp,
       MAX(LOG10(x * 25)) AS lg, MAX(LOG(x, 2)) AS l2, MAX(SQRT(x)) AS rt, MAX(EXP(x)) AS ex,
       CAST(VARP(x) AS INT) AS whole, MAX(w) AS w
FROM (SELECT x, STDEV(x) OVER (PARTITION BY g) AS w FROM #s) s""", "tsql", None, False)
    [row] = result.rows
    assert all(isinstance(v, float) for v in row[:8] + row[9:]), [type(v) for v in row]
    assert [_value(v) for v in row] == [1.52753, 1.24722, 2.33333, 1.55556, 2.0, 2.0, 2.0,
                                        54.5982, 1, 1.52753]
    assert str(row[4]) == "2.0"


@pytest.mark.parametrize("backend", BACKENDS)
def test_text_cast_to_bit_reads_true_false_and_numbers(backend: str,
                                                      request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    text = """CREATE TABLE #b (k INT, v VARCHAR(5))
INSERT INTO #b VALUES (1, 'TRUE'), (2, 'false'), (3, '2'), (4, '0'), (5, NULL)
SELECT k, CAST(v AS BIT) AS b, CONVERT(BIT, v) AS c FROM #b ORDER BY k"""
    assert _rows(db, text) == [(1, 1, 1), (2, 0, 0), (3, 1, 1), (4, 0, 0), (5, None, None)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_table_variables_indexes_and_multiple_drops(backend: str,
                                                   request: pytest.FixtureRequest) -> None:
    # each of these stopped the script (a crash, for CREATE INDEX)
    db = _db(request, backend)
    text = """DECLARE @t TABLE (id INT, name VARCHAR(10))
INSERT INTO @t VALUES (1, 'a'), (2, 'b'), (3, 'c')
SELECT id INTO #a FROM @t
CREATE CLUSTERED INDEX ix_a ON #a (id)
CREATE NONCLUSTERED INDEX ix_a2 ON #a (id) INCLUDE (id)
ALTER TABLE #a ADD flag INT
UPDATE #a SET flag = 1 WHERE id > 1
SELECT * INTO #b FROM #a
TRUNCATE TABLE #b
INSERT INTO #b SELECT * FROM #a WHERE flag = 1
SELECT COUNT(*) AS n INTO #c FROM #b
DROP TABLE #a, #b
SELECT Total = COUNT(*), Named = MAX(name), Flagged = MAX(c.n) FROM @t CROSS JOIN #c c"""
    assert _rows(db, text) == [(3, "c", 2)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_identity_columns_number_the_rows(backend: str,
                                          request: pytest.FixtureRequest) -> None:
    # SQLite left an IDENTITY column without a key NULL; DuckDB could not parse one
    db = _db(request, backend)
    for key in ("", " PRIMARY KEY"):
        text = f"""CREATE TABLE #i (rid INT IDENTITY(1, 1){key}, x INT)
INSERT INTO #i (x) VALUES (5)
INSERT INTO #i (x) SELECT 7
SELECT rid, x FROM #i ORDER BY rid"""
        assert _rows(db, text) == [(1, 5), (2, 7)], key
    # FFT's person lookup: SQLite stopped, "table has more than one primary key"
    keyed = """CREATE TABLE fft_person_lookup (fft_person_id INT IDENTITY(1, 1) NOT NULL,
leo_edukey VARCHAR(14) COLLATE Latin1_General_BIN NULL,
CONSTRAINT pk_person_lookup PRIMARY KEY CLUSTERED (fft_person_id))
INSERT INTO fft_person_lookup (leo_edukey) VALUES ('a'), ('b')
SELECT fft_person_id, leo_edukey FROM fft_person_lookup ORDER BY fft_person_id"""
    assert _rows(db, keyed) == [(1, "a"), (2, "b")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_average_of_integers_is_an_integer(backend: str,
                                               request: pytest.FixtureRequest) -> None:
    # SQL Server truncates AVG of integers: a share written AVG(CASE ... 1 ELSE 0 END) is 0
    # there, and should be here, before the script reaches the SRS
    db = _db(request, backend)
    text = """CREATE TABLE #a (g INT, x INT, y FLOAT)
INSERT INTO #a VALUES (1, 1, 1), (1, 2, 2), (2, -3, NULL), (2, -4, 4)
SELECT g, AVG(x) AS ints, AVG(y) AS floats, AVG(x * 1.0) AS scaled,
       AVG(CASE WHEN x > 0 THEN 1 ELSE 0 END) AS share,
       AVG(CASE WHEN x > 0 THEN 1.0 ELSE 0 END) AS share_scaled,
       AVG(x) OVER () AS overall
FROM #a GROUP BY g, x ORDER BY g, x"""
    rows = _rows(db, text)
    assert [r[:1] + r[1:2] + r[4:5] + r[6:] for r in rows] == [
        (1, 1, 1, -1), (1, 2, 1, -1), (2, -4, 0, -1), (2, -3, 0, -1)]
    whole = _rows(db, """CREATE TABLE #b (x INT, y FLOAT)
INSERT INTO #b VALUES (1, 1), (2, 2), (2, NULL)
SELECT AVG(x), AVG(y), AVG(x * 1.0), AVG(CASE WHEN x > 1 THEN 1 ELSE 0 END),
       AVG(CASE WHEN x > 1 THEN 1.0 ELSE 0 END) FROM #b""")
    assert whole == [(1, 1.5, 1.66667, 0, 0.666667)]
    # NULLIF has its first argument's type: the ILR's -1 left out, still an int (it was
    # averaged with its decimals)
    assert _rows(db, """CREATE TABLE #m (x INT)
INSERT INTO #m VALUES (1), (2), (-1)
SELECT AVG(NULLIF(x, -1)), AVG(NULLIF(x * 1.0, -1)) FROM #m""") == [(1, 1.5)]
    # and so do ROUND, FLOOR and CEILING (disclosure rounding: ROUND(Earnings, -2))
    assert _rows(db, """CREATE TABLE #r (x INT)
INSERT INTO #r VALUES (150), (160)
SELECT AVG(ROUND(x, -2)), AVG(FLOOR(x)), AVG(CEILING(x * 1.0))  FROM #r""") == [(200, 155, 155)]
    # a column a script made from integers is integers too (SQLite declares it no type)
    made = _rows(db, """CREATE TABLE #c (g INT, x INT)
INSERT INTO #c VALUES (1, 1), (1, 2), (2, 4)
SELECT g, SUM(x) AS total, COUNT(*) AS n, AVG(x * 1.0) AS mean INTO #d FROM #c GROUP BY g
SELECT AVG(total), AVG(n), AVG(mean) FROM #d""")
    assert made == [(3, 1, 2.75)]
    # and so is a column the statement computes (a CTE's, a subquery's, VALUES'), which
    # was averaged with its decimals
    computed = _rows(db, """CREATE TABLE #c (g INT, x INT)
INSERT INTO #c VALUES (1, 1), (1, 2), (2, 4)
;WITH t AS (SELECT g, SUM(x) AS total, SUM(x) * 1.0 AS scaled FROM #c GROUP BY g)
SELECT AVG(total), AVG(scaled), (SELECT AVG(d) FROM (SELECT x + 1 AS d FROM #c) q),
       (SELECT AVG(v) FROM (VALUES (1), (2), (2)) AS w(v)),
       (SELECT AVG(u) FROM (VALUES (1.0), (2), (2)) AS w(u))
FROM t""")
    assert computed == [(3, 3.5, 3, 1, 1.66667)]
    assert _rows(db, "SELECT AVG(DISTINCT v) FROM (VALUES (1), (2), (2)) AS w(v)") == [(1,)]
    # functions T-SQL types int: AVG(DATEDIFF(DAY, start, end)), a mean length of stay
    assert _rows(db, """CREATE TABLE #s (s DATE, e DATE, code VARCHAR(9))
INSERT INTO #s VALUES ('2015-01-01', '2015-01-02', 'ab'), ('2015-01-01', '2015-01-03', 'b')
SELECT AVG(DATEDIFF(DAY, s, e)), AVG(LEN(code)), AVG(DAY(e)), AVG(DATEPART(MONTH, e)),
       AVG(CHARINDEX('b', code)), (SELECT AVG(r) FROM (SELECT ROW_NUMBER() OVER (ORDER BY s)
       AS r FROM #s) q), AVG(DATEDIFF(DAY, s, e) * 1.0) FROM #s""") == [
        (1, 1, 2, 1, 1, 1, 1.5)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_cross_and_outer_apply(backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    text = """CREATE TABLE #k (a INT)
INSERT INTO #k VALUES (1), (2), (3)
CREATE TABLE #e (k INT, s INT)
INSERT INTO #e VALUES (1, 5), (1, 7), (2, 3)
SELECT k.a, x.s FROM #k k {apply} (SELECT TOP 1 e.s FROM #e e WHERE e.k = k.a
                                   ORDER BY e.s DESC) x ORDER BY k.a"""
    # (SQLite has no lateral joins: the subquery is decorrelated into a join)
    assert _rows(db, text.format(apply="CROSS APPLY")) == [(1, 7), (2, 3)]
    assert _rows(db, text.format(apply="OUTER APPLY")) == [(1, 7), (2, 3), (3, None)]
    # every row of the subquery, TOP 2, a #temp table's name as qualifier, a filter of its own
    every = text.format(apply="CROSS APPLY").replace("TOP 1 e.s", "e.s")
    # (an ORDER BY without TOP orders nothing there: SQL Server refuses it, error 1033)
    with pytest.raises(ScriptError, match="The ORDER BY clause is invalid in views"):
        _rows(db, every)
    assert _rows(db, every.replace("\n                                   ORDER BY e.s DESC", "")
                 .replace("x ORDER BY k.a", "x ORDER BY k.a, x.s")) == [(1, 5), (1, 7), (2, 3)]
    assert _rows(db, """CREATE TABLE #k (a INT)
INSERT INTO #k VALUES (1), (2)
CREATE TABLE #e (k INT, s INT)
INSERT INTO #e VALUES (1, 5), (1, 7), (1, 9), (2, 3)
SELECT #k.a, x.s FROM #k OUTER APPLY (SELECT TOP 2 s FROM #e WHERE #e.k = #k.a AND #e.s > 3
                                      ORDER BY #e.s) x ORDER BY #k.a, x.s""") == [
        (1, 5), (1, 7), (2, None)]
    # a subquery that aggregates gives a row for every outer row, COUNT 0 where none
    # matches (refused on SQLite before: its columns are now scalar subqueries there)
    totals = """CREATE TABLE #k (a INT)
INSERT INTO #k VALUES (1), (2), (3)
CREATE TABLE #e (k INT, s INT)
INSERT INTO #e VALUES (1, 5), (1, 7), (2, 3)
SELECT k.a, x.n, total FROM #k k {apply} (SELECT COUNT(*) AS n, SUM(e.s) AS total
    FROM #e e WHERE e.k = k.a) x WHERE x.n < 2 ORDER BY x.n, k.a"""
    for apply in ("CROSS APPLY", "OUTER APPLY"):
        assert _rows(db, totals.format(apply=apply)) == [(3, 0, None), (2, 1, 3)]
    # TOP 1 of a subquery that reads the outer query otherwise (the latest record before a
    # date): refused on SQLite before, now each column a scalar subquery of the first row
    before = text.replace("e.k = k.a", "e.k < k.a")
    assert _rows(db, before.format(apply="OUTER APPLY")) == [(1, None), (2, 7), (3, 7)]
    assert _rows(db, before.format(apply="CROSS APPLY")) == [(2, 7), (3, 7)]
    # x.* is the subquery's own columns alone (SQLite showed the join's key and row number
    # leo_apply_key_0 and leo_apply_row), headed as the script names them
    [star] = run_text(db, text.format(apply="OUTER APPLY").replace(
        "SELECT k.a, x.s", "SELECT k.a AS A, x.*").replace("TOP 1 e.s", "TOP 1 e.s AS S"),
        "tsql", None, False)[-1:]
    assert star.columns == ["A", "S"] and [tuple(r) for r in star.rows] == [
        (1, 7), (2, 3), (3, None)]
    # and so is x.* of a TOP 1 that reads the outer query otherwise, in a CTE read by name
    assert _rows(db, before.format(apply="OUTER APPLY").replace(
        "SELECT k.a, x.s FROM #k k", "WITH w AS (SELECT k.a, x.* FROM #k k").replace(
        "x ORDER BY k.a", "x) SELECT a, s FROM w ORDER BY a")) == [(1, None), (2, 7), (3, 7)]
    if backend == "small_sqlite":  # what cannot be decorrelated is refused, saying why
        with pytest.raises(ScriptError, match=re.escape(
                "line 5: CROSS APPLY and OUTER APPLY on SQLite (no lateral joins): the "
                "subquery may read the outer query only by equalities")):
            _rows(db, before.format(apply="OUTER APPLY").replace("TOP 1", "TOP 2"))


@pytest.mark.parametrize("backend", BACKENDS)
def test_apply_groups_and_windows_per_outer_row(backend: str,
                                                request: pytest.FixtureRequest) -> None:
    # an applied subquery's GROUP BY and window functions are over one outer row's rows: on
    # SQLite its groups were over every key's rows (a's 1 counted b's, b had no row), and a
    # window made it one row per outer row (TOP 2 gave one)
    db = _db(request, backend)
    rows = """(VALUES ('a', 1), ('a', 1), ('a', 2), ('b', 1)) q(g, x)"""
    assert _rows(db, f"""SELECT p.g, y.x, y.n, y.t FROM (VALUES ('a'), ('b')) p(g)
CROSS APPLY (SELECT q.x, COUNT(*) AS n, SUM(COUNT(*)) OVER () AS t FROM {rows}
    WHERE q.g = p.g GROUP BY q.x) y ORDER BY p.g, y.x""") == [
        ("a", 1, 2, 3), ("a", 2, 1, 3), ("b", 1, 1, 1)]
    assert _rows(db, f"""SELECT p.g, y.x, y.n FROM (VALUES ('a'), ('b'), ('c')) p(g)
OUTER APPLY (SELECT TOP 2 q.x, COUNT(*) OVER () AS n FROM {rows} WHERE q.g = p.g
    ORDER BY q.x DESC) y ORDER BY p.g, y.x""") == [
        ("a", 1, 3), ("a", 2, 3), ("b", 1, 1), ("c", None, None)]
    # x.* of a subquery that aggregates is its columns (SQLite: "no such table: y")
    assert _rows(db, f"""SELECT p.g, y.* FROM (VALUES ('a'), ('c')) p(g)
OUTER APPLY (SELECT COUNT(*) AS n, SUM(q.x) AS total FROM {rows} WHERE q.g = p.g) y
ORDER BY p.g""") == [("a", 3, 4), ("c", 0, None)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_apply_of_values_turns_columns_into_rows(backend: str,
                                                request: pytest.FixtureRequest) -> None:
    """The unpivot idiom: SQLite has no lateral join, so there the VALUES' columns become a
    CASE of the row's number."""
    db = _db(request, backend)
    setup = """CREATE TABLE #p (pmr INT, fsm INT, sen INT)
INSERT INTO #p VALUES (1, 1, 0), (2, 0, 0), (3, 1, 1)
"""
    assert _rows(db, setup + """SELECT p.pmr, v.flag, v.x FROM #p p
CROSS APPLY (VALUES ('fsm', p.fsm), ('sen', p.sen)) v(flag, x)
WHERE v.x = 1 ORDER BY p.pmr, v.flag""") == [(1, "fsm", 1), (3, "fsm", 1), (3, "sen", 1)]
    assert _rows(db, setup + """SELECT flag, SUM(x) AS pupils, COUNT(*) AS n FROM #p
OUTER APPLY (VALUES ('fsm', fsm), ('sen', sen), ('both', fsm * sen)) AS v (flag, x)
GROUP BY flag ORDER BY pupils DESC, flag""") == [("fsm", 2, 3), ("both", 1, 3), ("sen", 1, 3)]
    assert run_text(db, setup + "SELECT v.flag FROM #p p CROSS APPLY (VALUES ('fsm', p.fsm))"
                    " v(flag, x)", "tsql", None, False)[-1].columns == ["flag"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_deletes_and_updates_through_an_alias_or_a_cte(backend: str,
                                           request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    setup = """CREATE TABLE #p (pmr INT, yr INT)
INSERT INTO #p VALUES (1, 2011), (1, 2011), (1, 2012), (2, 2011), (3, 2015)
CREATE TABLE #gone (pmr INT)
INSERT INTO #gone VALUES (3)
"""
    # one row per pupil, the earliest: the duplicates differ in nothing but their row
    assert _rows(db, setup + """;WITH d AS (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY pmr ORDER BY yr) AS rn FROM #p)
DELETE FROM d WHERE rn > 1
SELECT pmr, yr FROM #p ORDER BY pmr""") == [(1, 2011), (2, 2011), (3, 2015)]
    assert _rows(db, setup + """DELETE p FROM #p p JOIN #gone g ON g.pmr = p.pmr
DELETE x FROM #p AS x WHERE x.yr = 2012
SELECT pmr, yr FROM #p ORDER BY pmr, yr""") == [(1, 2011), (1, 2011), (2, 2011)]
    # an update through a CTE flags the first record of each pupil, and reads its columns
    assert _rows(db, setup + """ALTER TABLE #p ADD first_record INT, n INT
;WITH d AS (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY pmr ORDER BY yr) AS rn FROM #p)
UPDATE d SET first_record = 1, n = rn + yr WHERE rn = 1
SELECT pmr, yr, first_record, n FROM #p ORDER BY pmr, yr, first_record""") == [
        (1, 2011, None, None), (1, 2011, 1, 2012), (1, 2012, None, None), (2, 2011, 1, 2012),
        (3, 2015, 1, 2016)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_variables_named_like_keywords(backend: str, request: pytest.FixtureRequest) -> None:
    # @end was read as END: the splitting lost its depth and every statement after the
    # DECLARE ran as one, the DECLARE alone: the script gave no result and no error
    db = _db(request, backend)
    text = """DECLARE @begin INT = 2, @end INT = 4, @case VARCHAR(3) = 'x';
CREATE TABLE #t (n INT);
INSERT INTO #t VALUES (1), (2), (3), (4), (5);
IF @end > @begin
BEGIN
    SET @end = @end + 0;
END
SELECT COUNT(*), MAX(@case) FROM #t WHERE n BETWEEN @begin AND @end;"""
    assert _rows(db, text) == [(3, "x")]


def test_a_chunk_of_two_statements_is_refused_not_cut_short() -> None:
    with pytest.raises(ParseError, match="more than one statement"):
        script._parse(script.tokens("SELECT 1; SELECT 2"), "SELECT 1; SELECT 2")


@pytest.mark.parametrize("backend", BACKENDS)
def test_script_headers_and_repeated_batches(backend: str,
                                             request: pytest.FixtureRequest) -> None:
    # SET TRANSACTION ISOLATION LEVEL did not parse; GO 3 was read as a statement
    db = _db(request, backend)
    assert _rows(db, """SET NOCOUNT ON;
SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED;
SET DEADLOCK_PRIORITY LOW;
SET CONCAT_NULL_YIELDS_NULL ON;
CREATE TABLE #g (n INT);
GO
INSERT INTO #g VALUES (1);
GO 3
SET TRANSACTION ISOLATION LEVEL REPEATABLE READ
SELECT COUNT(*) FROM #g""") == [(3,)]
    # what looks after the server, run against a full tempdb: none of it parsed
    assert _rows(db, """SET STATISTICS IO ON
SET STATISTICS TIME ON;
CREATE TABLE #s (n INT)
INSERT INTO #s VALUES (1), (2)
CHECKPOINT
CHECKPOINT 10;
DBCC FREEPROCCACHE
DBCC SHRINKFILE (tempdev, 1024) WITH NO_INFOMSGS;
UPDATE STATISTICS #s
UPDATE STATISTICS #s WITH FULLSCAN, NORECOMPUTE
UPDATE #s SET n = n + 1
UPDATE STATISTICS [#s] ix_s WITH SAMPLE 50 PERCENT
WITH t AS (SELECT n FROM #s) SELECT SUM(n) FROM t""") == [(5,)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_dates_with_times_in_date_functions(backend: str,
                                            request: pytest.FixtureRequest) -> None:
    # a DATETIME variable's value, or a literal with a time, in DATEADD or CONVERT: DuckDB
    # read a date (an hour later was 01:00), PostgreSQL an interval or no function at all,
    # and DATEADD(day, ...) dropped the time
    db = _db(request, backend)
    assert _rows(db, """DECLARE @t DATETIME = '2015-04-06 13:05:09'
SELECT CONVERT(VARCHAR(19), DATEADD(hour, 1, @t), 120),
       CONVERT(VARCHAR(19), DATEADD(day, 1, '2015-04-06 13:05:09'), 120),
       CONVERT(VARCHAR(19), DATEADD(week, -1, @t), 120),
       CONVERT(VARCHAR(20), @t, 113), CONVERT(VARCHAR(10), @t, 103),
       DATEADD(day, 1, '2015-04-06'), DATEPART(hour, @t)""") == [
        ("2015-04-06 14:05:09", "2015-04-07 13:05:09", "2015-03-30 13:05:09",
         "06 Apr 2015 13:05:09", "06/04/2015", "2015-04-07", 13)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_double_quoted_name_is_a_name(backend: str, request: pytest.FixtureRequest) -> None:
    # SQLite read a double-quoted name that is no column as text: every row said 'Nosuch'
    db = _db(request, backend)
    with pytest.raises(ScriptError, match=r"line 1: Invalid column name 'Nosuch'"):
        _rows(db, 'SELECT TOP 1 "Nosuch" FROM [LEO_i2].[2002237].[leo_benefit]')
    assert _rows(db, 'SELECT "n", [m], "a""b" FROM (VALUES (1, 2, 3)) v(n, m, [a"b])') == [
        (1, 2, 3)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_integer_in_too_short_a_text_is_a_star(backend: str,
                                                  request: pytest.FixtureRequest) -> None:
    # CAST(TaxYear AS VARCHAR(4)) was the first four digits here, '*' in the SRS
    db = _db(request, backend)
    assert _rows(db, """SELECT CAST(ty AS VARCHAR(4)), CONVERT(VARCHAR(6), ty),
       CONVERT(VARCHAR(3), ty), CAST(n AS VARCHAR(1)),
       CAST(2011 AS VARCHAR(4)) + '/' + CAST(12 AS VARCHAR(1)), LEFT(ty, 4), CAST(t AS VARCHAR(2))
FROM (VALUES (201415, -5, 'abc'), (2015, 7, NULL)) v(ty, n, t) ORDER BY n""") == [
        ("*", "201415", "*", "*", "2011/*", "2014", "ab"),
        ("2015", "2015", "*", "7", "2011/*", "2015", None)]
    assert _rows(db, "SELECT CAST(MAX(TaxYear) AS VARCHAR(4)), CAST(NULL AS VARCHAR(1)) "
                     "FROM [LEO_i2].[2002237].[leo_earnings]") == [("*", None)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_integer_in_too_short_a_unicode_text_stops(backend: str,
                                                      request: pytest.FixtureRequest) -> None:
    # SQL Server: an int cast to NVARCHAR(n) or NCHAR(n) too short for it is error 8115
    # (not '*', as VARCHAR's); every target gave the first n digits ('2014')
    db = _db(request, backend)
    earnings = "[LEO_i2].[2002237].[leo_earnings]"
    assert _rows(db, f"""SELECT TOP 1 CAST(TaxYear AS NVARCHAR(6)) + N'x',
    CONVERT(NCHAR(6), TaxYear), CAST(12345 AS NVARCHAR(5)) FROM {earnings} ORDER BY TaxYear""") == [
        ("200304x", "200304", "12345")]
    results = run_text(db, f"""BEGIN TRY
  SELECT TOP 1 CAST(TaxYear AS NVARCHAR(4)) AS y FROM {earnings}
END TRY
BEGIN CATCH
  SELECT ERROR_NUMBER() AS n, ERROR_MESSAGE() AS m
END CATCH""", "tsql", None, True)
    assert [tuple(row) for row in results[-1].rows] == [
        (8115, "Arithmetic overflow error converting expression to data type nvarchar.")]
    with pytest.raises(ScriptError, match="converting expression to data type nchar"):
        _rows(db, "SELECT CONVERT(NCHAR(2), 12345)")


@pytest.mark.parametrize("backend", BACKENDS)
def test_datetrunc_as_sql_server(backend: str, request: pytest.FixtureRequest) -> None:
    # read as a column named MONTH ("Invalid column name") on every target before
    db = _db(request, backend)
    assert _rows(db, """SELECT DATETRUNC(year, d), DATETRUNC(qq, d), DATETRUNC(month, d),
       DATETRUNC(week, d), DATETRUNC(dayofyear, d)
FROM (VALUES (CAST('2019-12-31' AS DATE)), (CAST('2020-05-17' AS DATE))) v(d) ORDER BY d""") == [
        ("2019-01-01", "2019-10-01", "2019-12-01", "2019-12-29", "2019-12-31"),
        ("2020-01-01", "2020-04-01", "2020-05-01", "2020-05-17", "2020-05-17")]
    # weeks start on the day DATEFIRST names; times are cut to the hour
    assert _rows(db, """SET DATEFIRST 1
SELECT DATETRUNC(week, CAST('2020-05-17' AS DATE)),
       CONVERT(VARCHAR(19), DATETRUNC(hour, CAST('2020-05-17 13:45:12' AS DATETIME)), 120)""") == [
        ("2020-05-11", "2020-05-17 13:00:00")]
    with pytest.raises(ScriptError, match=r"DATETRUNC\(iso_week, ...\) cannot be translated"):
        _rows(db, "SELECT DATETRUNC(iso_week, GETDATE())")


@pytest.mark.parametrize("backend", BACKENDS)
def test_select_star_heads_made_columns_as_the_script_spelt_them(
        backend: str, request: pytest.FixtureRequest) -> None:
    # the targets hold a #temp table's columns in lower case: SELECT * showed census_year
    db = _db(request, backend)
    results = run_text(db, """CREATE TABLE #r (Census_Year INT, Pupils INT)
INSERT INTO #r VALUES (2011, 5)
SELECT * FROM #r
SELECT g AS Gender, COUNT(*) AS NumPupils INTO #g FROM (VALUES ('M'), ('F')) AS v(g) GROUP BY g
SELECT * FROM #g
SELECT * FROM (SELECT g, n FROM (VALUES ('M', 1), ('F', 2)) AS v(g, n)) s
    PIVOT (SUM(n) FOR g IN ([M], [F])) p""", "tsql", None, True)
    assert [r.columns for r in results] == [["Census_Year", "Pupils"], ["Gender", "NumPupils"],
                                            ["M", "F"]]
    # a relation's columns as the SRS spells them (PostgreSQL holds them in lower case)
    [star] = run_text(db, "SELECT TOP 1 * FROM [LEO_i2].[2002237].[leo_earnings]", "tsql",
                      None, True)
    assert star.columns == list(column_spellings("leo_earnings").values())
    assert "TaxYear" in star.columns
    # a #temp table made by SELECT ... INTO from the extract's columns (PostgreSQL showed
    # taxyear, earnings), by name or by *
    # (and as the script spells them: the extract's Edukey written EduKey)
    *_, named_into, star_into = run_text(db, """SELECT TOP 1 e.EduKey, TaxYear, e.Earnings
INTO #e FROM [LEO_i2].[2002237].[leo_earnings] e
SELECT TOP 1 * INTO #f FROM [LEO_i2].[2002237].[leo_earnings]
SELECT * FROM #e
SELECT * FROM #f""", "tsql", None, True)
    assert named_into.columns == ["EduKey", "TaxYear", "Earnings"]
    assert star_into.columns == star.columns
    # T-SQL's 'alias' = expression (compared the text with the count before)
    [named] = run_text(db, "SELECT 'Pupils' = COUNT(*), n = COUNT(*) FROM (VALUES (1), (2)) v(x)",
                       "tsql", None, True)
    assert (named.columns, named.rows) == (["Pupils", "n"], [(2, 2)])


@pytest.mark.parametrize("backend", BACKENDS)
def test_unknown_columns_are_sql_servers_errors(backend: str,
                                                request: pytest.FixtureRequest) -> None:
    # each target worded them its own way, and in lower case
    db = _db(request, backend)
    setup = "CREATE TABLE #t (Pupils INT, Census_Year INT)\n"
    with pytest.raises(ScriptError, match=re.escape(
            "line 2: Invalid column name 'Pupil'. (did you mean ")):
        _rows(db, setup + "SELECT Pupil FROM #t")
    with pytest.raises(ScriptError, match=re.escape(
            'line 2: The multi-part identifier "x.Pupils" could not be bound.')):
        _rows(db, setup + "SELECT x.Pupils FROM #t t")
    assert _rows(db, setup + """BEGIN TRY EXEC ('SELECT Census_Yr FROM #t') END TRY
BEGIN CATCH SELECT ERROR_NUMBER(), ERROR_MESSAGE() END CATCH""") == [
        (207, "Invalid column name 'Census_Yr'.")]
    # beside the TRY block, SQL Server finds it as it compiles the statement: not caught
    with pytest.raises(ScriptError, match=re.escape(
            "(a CATCH block does not catch this error")) as raised:
        _rows(db, setup + """BEGIN TRY SELECT Census_Yr FROM #t END TRY
BEGIN CATCH SELECT ERROR_NUMBER(), ERROR_MESSAGE() END CATCH""")
    assert raised.value.number == 207


@pytest.mark.parametrize("backend", BACKENDS)
def test_views_of_the_session(backend: str, request: pytest.FixtureRequest) -> None:
    # CREATE VIEW v AS was cut from its SELECT (a syntax error); CREATE OR ALTER from ALTER
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #t (id INT, v INT)
INSERT INTO #t VALUES (1, 10), (2, 20), (3, 30)
GO
CREATE VIEW dbo.big AS
SELECT id, v FROM #t WHERE v > 10
GO
SELECT COUNT(*) FROM dbo.big""") == [(2,)]
    assert _rows(db, """CREATE TABLE #t (id INT, v INT)
INSERT INTO #t VALUES (1, 10), (2, 20)
GO
CREATE OR ALTER VIEW dbo.w AS SELECT id FROM #t
GO
CREATE OR ALTER VIEW dbo.w AS WITH d AS (SELECT v * 2 AS twice FROM #t) SELECT twice FROM d
GO
ALTER VIEW w AS SELECT MAX(v) AS top_v FROM #t
GO
SELECT top_v, (SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'w')
FROM w""") == [(20, 0)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_comparisons_with_all_and_any_of_a_subquery(backend: str,
                                                    request: pytest.FixtureRequest) -> None:
    # SQLite has neither ALL nor ANY: each stopped with a syntax error there
    db = _db(request, backend)
    setup = """CREATE TABLE #m (x INT, g VARCHAR(1))
INSERT INTO #m VALUES (1, 'a'), (2, 'b'), (3, 'b'), (4, 'b'), (5, 'a')
CREATE TABLE #q (v INT)
INSERT INTO #q VALUES (2), (4)
"""
    counts = ["x > ALL (SELECT v FROM #q)", "x >= ANY (SELECT v FROM #q)",
              "x = ANY (SELECT v FROM #q)", "x <> ALL (SELECT v FROM #q)",
              "x = ALL (SELECT v FROM #q)", "x <> SOME (SELECT v FROM #q)",
              "x < ALL (SELECT v FROM #q WHERE v > 9)",
              "x > ALL (SELECT v FROM (VALUES (1), (NULL)) AS n(v))"]
    # (flagged row by row, then summed: SQL Server refuses a subquery inside SUM, error 130)
    flags = ", ".join(f"CASE WHEN {c} THEN 1 ELSE 0 END AS f{i}" for i, c in enumerate(counts))
    select = ", ".join(f"SUM(f{i})" for i in range(len(counts)))
    assert _rows(db, setup + f"SELECT {select} FROM (SELECT {flags} FROM #m) d") == [
        (1, 4, 2, 3, 0, 5, 5, 0)]
    with pytest.raises(ScriptError, match="Cannot perform an aggregate function on an "
                                          "expression containing an aggregate or a subquery"):
        _rows(db, setup + f"SELECT SUM(CASE WHEN {counts[0]} THEN 1 ELSE 0 END) FROM #m")
    assert _rows(db, setup + """SELECT g, COUNT(*) FROM #m GROUP BY g
HAVING COUNT(*) >= ALL (SELECT COUNT(*) FROM #m GROUP BY g)""") == [("b", 3)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_checksums_are_the_same_number_on_every_target(backend: str,
                                                       request: pytest.FixtureRequest) -> None:
    # CHECKSUM(x) was an unknown function on every target; the sampling idiom needs it
    db = _db(request, backend)
    [result] = run_text(db, """CREATE TABLE #t (id INT, code VARCHAR(3))
INSERT INTO #t VALUES (1, 'ab'), (2, 'AB'), (3, NULL)
SELECT id, CHECKSUM(code), BINARY_CHECKSUM(code), CHECKSUM(id, code),
       ABS(CHECKSUM(code)) % 10
FROM #t ORDER BY id""", "tsql", None, False)
    assert [tuple(row) for row in result.rows] == [
                    (1, hash32("AB"), hash32("ab"), hash32("1|AB"), abs(hash32("AB")) % 10),
                    (2, hash32("AB"), hash32("AB"), hash32("2|AB"), abs(hash32("AB")) % 10),
                    (3, hash32(""), hash32(""), hash32("3|"), abs(hash32("")) % 10)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_tinyint_columns_and_variables(backend: str, request: pytest.FixtureRequest) -> None:
    # CREATE TABLE #t (flag TINYINT) stopped the script on PostgreSQL
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #t (flag TINYINT, n INT)
INSERT INTO #t VALUES (255, 1), (0, 2)
DECLARE @one TINYINT = 1
SELECT SUM(flag) + @one, MAX(flag + 1) FROM #t""") == [(256, 256)]
    # as FFT declare ILR ids: BINARY(16) stopped PostgreSQL and DuckDB (no length there)
    assert _rows(db, """CREATE TABLE #ids (ukprn_anon BINARY(16), upin VARBINARY(16) NULL,
    hash VARBINARY(MAX), n INT)
INSERT INTO #ids (n) VALUES (1)
SELECT COUNT(*), COUNT(ukprn_anon) FROM #ids""") == [(1, 0)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_string_agg_stops_past_8000_bytes_unless_max(backend: str,
                                                     request: pytest.FixtureRequest) -> None:
    # SQL Server's STRING_AGG of a VARCHAR(n) stops past 8,000 bytes (error 9829), which a
    # list of every key passes: every target joined it whole; VARCHAR(MAX) has no limit
    db = _db(request, backend)
    exceeded = ("STRING_AGG aggregation result exceeded the limit of 8000 bytes. Use LOB types "
                "to avoid result truncation.")
    with pytest.raises(ScriptError, match=re.escape(exceeded)):
        _rows(db, "SELECT STRING_AGG(EduKey, ',') FROM leo_employment")
    [(whole, ordered, short)] = _rows(db, """SELECT LEN(STRING_AGG(CAST(EduKey AS VARCHAR(MAX)),
    ',')), LEN(STRING_AGG(CONVERT(NVARCHAR(MAX), EduKey), ',') WITHIN GROUP (ORDER BY EduKey)),
    MAX(LEN(b)) FROM leo_employment CROSS JOIN (SELECT STRING_AGG(Benefit_type, ',') AS b
    FROM leo_benefit GROUP BY EduKey) x""")
    assert whole == ordered > 8000 and 0 < short < 8000
    assert _rows(db, """BEGIN TRY
    SELECT STRING_AGG(CAST(EduKey AS VARCHAR(20)), ',') + '!' FROM leo_employment
END TRY
BEGIN CATCH
    SELECT ERROR_NUMBER(), ERROR_MESSAGE()
END CATCH""") == [(9829, exceeded)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_dates_past_9999_and_datediffs_past_an_int_stop(backend: str,
                                                        request: pytest.FixtureRequest) -> None:
    # DATEADD(day, 1, EndDate) of an open spell (9999-12-31) is SQL Server's error 517: SQLite
    # gave NULL, DuckDB 10000-01-01 and PostgreSQL its own words; DATEDIFF in seconds past an
    # int is error 535, where the targets gave the number
    db = _db(request, backend)
    added = "Adding a value to a '{}' column caused an overflow."
    overflow = "The datediff function resulted in an overflow."
    [(open_spells,)] = _rows(db, "SELECT COUNT(*) FROM leo_benefit WHERE EndDate = '9999-12-31'")
    assert open_spells > 0
    with pytest.raises(ScriptError, match=re.escape(added.format("date"))):
        _rows(db, "SELECT MAX(DATEADD(day, 1, EndDate)) FROM leo_benefit")
    with pytest.raises(ScriptError, match=re.escape(overflow)):
        _rows(db, "SELECT MAX(DATEDIFF(second, StartDate, EndDate)) FROM leo_benefit")
    [(days, seconds, spells)] = _rows(db, """SELECT MAX(DATEDIFF(day, StartDate, EndDate)),
    MAX(DATEDIFF_BIG(second, StartDate, EndDate)), COUNT(CASE WHEN EndDate = '9999-12-31'
    THEN NULL ELSE DATEADD(day, 1, EndDate) END) FROM leo_benefit""")
    assert seconds > 2 ** 31 and days > 2_900_000 and spells > 0
    text = """CREATE TABLE #s (d DATE, t DATETIME)
INSERT INTO #s VALUES ('9999-12-30', '9999-12-31 23:00'), ('2019-01-31', '2019-01-31 12:00')
SELECT DATEDIFF(day, '2019-01-01', DATEADD(day, 1, d)), DATEDIFF(day, d, DATEADD(week, -1, d)),
       DATEPART(minute, DATEADD(minute, 59, t)), DATEDIFF(minute, '2019-01-01', t) / 1440
FROM #s WHERE d < '9000-01-01'
SELECT DATEPART(minute, DATEADD(minute, 59, t)), DATEPART(day, DATEADD(day, 1, d)) FROM #s
WHERE d > '9000-01-01'
DECLARE @caught VARCHAR(400) = ''
BEGIN TRY SELECT DATEADD(day, 2, d) FROM #s END TRY
BEGIN CATCH SET @caught = CAST(ERROR_NUMBER() AS VARCHAR(9)) + ' ' + ERROR_MESSAGE() END CATCH
BEGIN TRY SELECT DATEADD(hour, 1, t) FROM #s END TRY
BEGIN CATCH SET @caught += ' | ' + ERROR_MESSAGE() END CATCH
BEGIN TRY SELECT DATEADD(month, 1, d) FROM #s END TRY
BEGIN CATCH SET @caught += ' | ' + ERROR_MESSAGE() END CATCH
BEGIN TRY SELECT DATEDIFF(millisecond, '2019-01-01', t) FROM #s END TRY
BEGIN CATCH SET @caught += ' | ' + CAST(ERROR_NUMBER() AS VARCHAR(9)) END CATCH
SELECT @caught"""
    results = run_text(db, text, "tsql", None, True)
    assert [tuple(_value(v) for v in row) for row in results[0].rows] == [(31, -7, 59, 30)]
    assert [tuple(_value(v) for v in row) for row in results[1].rows] == [(59, 31)]
    assert results[-1].rows[0][0] == " | ".join(
        ["517 " + added.format("date"), added.format("datetime"), added.format("date"), "535"])


@pytest.mark.parametrize("backend", BACKENDS)
def test_text_joined_across_rows(backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    setup = """CREATE TABLE #a (pmr INT, aim VARCHAR(8), n INT)
INSERT INTO #a VALUES (1, 'b', 2), (1, 'a', 1), (2, 'c', 3), (2, NULL, 4)
"""
    assert _rows(db, setup + """SELECT pmr, STRING_AGG(aim, ',') WITHIN GROUP (ORDER BY aim DESC),
       STRING_AGG(n, '+') WITHIN GROUP (ORDER BY n)
FROM #a GROUP BY pmr ORDER BY pmr""") == [(1, "b,a", "1+2"), (2, "c", "3+4")]
    assert _rows(db, setup + """SELECT o.pmr, STUFF((SELECT ',' + i.aim FROM #a i
                      WHERE i.pmr = o.pmr ORDER BY i.aim FOR XML PATH('')), 1, 1, '')
FROM #a o GROUP BY o.pmr ORDER BY o.pmr""") == [(1, "a,b"), (2, "c")]
    assert _rows(db, "SELECT v.n, v.l FROM (VALUES (2, 'b'), (1, 'a')) AS v(n, l) ORDER BY v.n"
                 ) == [(1, "a"), (2, "b")]
    # the greatest of a row's columns: VALUES rows reading the outer query (SQLite named no
    # column1 of them: "Invalid column name 'column1'")
    assert _rows(db, setup + """SELECT pmr, (SELECT MAX(v) FROM (VALUES (n), (pmr * 3)) AS t(v)),
       (SELECT MIN(k) FROM (VALUES (aim, n), ('z', 0)) AS t(k, w) WHERE w >= 0)
FROM #a ORDER BY pmr, n""") == [(1, 3, "a"), (1, 3, "b"), (2, 6, "c"), (2, 6, "z")]
    # DISTINCT makes the rows distinct before they are joined
    assert _rows(db, setup + "SELECT STUFF((SELECT DISTINCT ',' + CAST(pmr AS VARCHAR(3)) "
                             "FROM #a FOR XML PATH('')), 1, 1, '')") == [("1,2",)]
    # TOP, GROUP BY and OFFSET choose the rows before they are joined (TOP 2 joined them all;
    # GROUP BY gave a row per group), in the subquery's order
    assert _rows(db, setup + "SELECT STUFF((SELECT TOP 2 ',' + CAST(n AS VARCHAR(3)) FROM #a "
                             "ORDER BY n DESC FOR XML PATH('')), 1, 1, '')") == [("4,3",)]
    assert _rows(db, setup + "SELECT STUFF((SELECT ';' + CAST(pmr AS VARCHAR(3)) FROM #a "
                             "GROUP BY pmr HAVING COUNT(aim) > 0 ORDER BY SUM(n) DESC "
                             "FOR XML PATH('')), 1, 1, '')") == [("2;1",)]
    assert _rows(db, setup + "SELECT STUFF((SELECT ',' + aim FROM #a WHERE aim IS NOT NULL "
                             "ORDER BY aim OFFSET 1 ROWS FETCH NEXT 1 ROWS ONLY "
                             "FOR XML PATH('')), 1, 1, '')") == [("b",)]
    assert _rows(db, setup + "SELECT o.pmr, STUFF((SELECT TOP 1 ',' + i.aim FROM #a i "
                             "WHERE i.pmr = o.pmr ORDER BY i.n DESC FOR XML PATH('')), 1, 1, '') "
                             "FROM #a o GROUP BY o.pmr ORDER BY o.pmr") == [(1, "b"), (2, None)]
    # FOR XML PATH(''), TYPE read back with .value(): the idiom a dynamic PIVOT's column
    # list is built with
    assert _rows(db, setup + """DECLARE @cols NVARCHAR(MAX)
SELECT @cols = STUFF((SELECT DISTINCT ',' + QUOTENAME(aim) FROM #a WHERE aim IS NOT NULL
    FOR XML PATH(''), TYPE).value('.', 'NVARCHAR(MAX)'), 1, 1, '')
SELECT @cols, STUFF((SELECT ',' + i.aim FROM #a i WHERE i.pmr = 1 ORDER BY i.aim
    FOR XML PATH(''), TYPE).value('(./text())[1]', 'VARCHAR(20)'), 1, 1, '')""") == [
        ("[a],[b],[c]", "a,b")]
    # ... its columns unqualified, from a derived table or grouped (read as no columns: "No
    # column name was specified for column 1 of 't'", a GROUP BY of outer references)
    assert _rows(db, setup + """SELECT STUFF((SELECT ',' + QUOTENAME(aim)
    FROM (SELECT DISTINCT aim FROM #a WHERE aim IS NOT NULL) t ORDER BY aim DESC
    FOR XML PATH(''), TYPE).value('.', 'NVARCHAR(MAX)'), 1, 1, ''),
  STUFF((SELECT ',' + CAST(pmr AS VARCHAR(3)) FROM #a GROUP BY pmr ORDER BY pmr
    FOR XML PATH(''), TYPE).value('.', 'NVARCHAR(MAX)'), 1, 1, '')""") == [("[c],[b],[a]", "1,2")]
    # a number table, as T-SQL writes it (no RECURSIVE)
    assert _rows(db, ";WITH n AS (SELECT 1 AS i UNION ALL SELECT i + 1 FROM n WHERE i < 5)\n"
                     "SELECT SUM(i) FROM n OPTION (MAXRECURSION 0)") == [(15,)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_text_compared_with_numbers_as_numbers(backend: str,
                                               request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    setup = """CREATE TABLE #c (code VARCHAR(4), la VARCHAR(3))
INSERT INTO #c VALUES ('11', '202'), ('', '203'), (NULL, '204'), (' 9 ', '205'), ('10', '206')
"""
    # '' is 0 and ' 9 ' is 9 to SQL Server; as text, '9' would sort after '10'
    assert _rows(db, setup + "SELECT la FROM #c WHERE code = 11 OR code IN (0, 9) ORDER BY la"
                 ) == [("202",), ("203",), ("205",)]
    assert _rows(db, setup + "SELECT COUNT(*) FROM #c WHERE code BETWEEN 9 AND 10") == [(2,)]
    # ISNULL gives its first argument's type: text
    assert _rows(db, setup + "SELECT ISNULL(code, 0) FROM #c WHERE la = 204") == [("0",)]
    # text that is no number stops the query, as in SQL Server (write '11')
    with pytest.raises(ScriptError, match=r"^line 4: \w+ said: .*R"):
        _rows(db, setup + "INSERT INTO #c VALUES ('R', '207')\n"
                          "SELECT COUNT(*) FROM #c WHERE code = 11")


@pytest.mark.parametrize("backend", BACKENDS)
def test_how_sql_server_stores_a_temp_table_changes_no_answer(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    text = """CREATE TABLE #c (id INT, note NVARCHAR(MAX), pay MONEY) WITH (DATA_COMPRESSION = PAGE)
INSERT INTO #c VALUES (2, 'b', 10.5), (1, 'a', 20.25)
ALTER TABLE #c ALTER COLUMN id INT NOT NULL
ALTER TABLE #c ADD CONSTRAINT pk_c PRIMARY KEY CLUSTERED (id)
SELECT IDENTITY(INT, 1, 1) AS rid, id, note, pay INTO #d FROM #c
SELECT MAX(rid), SUM(pay), MIN(note) FROM #d"""
    assert _rows(db, text) == [(2, 30.75, "a")]
    # a seed and a step (the step multiplied the 1 alone: 6, 7, 8)
    assert _rows(db, "SELECT IDENTITY(INT, 10, 5) AS n, v INTO #t FROM (VALUES ('a'), ('b'), "
                     "('c')) x(v)\nSELECT MIN(n), MAX(n), SUM(n) FROM #t") == [(10, 20, 45)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_information_schema_shows_the_srs_views(backend: str,
                                                request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    columns = _rows(db, """SELECT COLUMN_NAME, DATA_TYPE, IS_NULLABLE
FROM [NPD_i2].INFORMATION_SCHEMA.COLUMNS
WHERE TABLE_NAME = 'spring_census_2011' ORDER BY ORDINAL_POSITION""")
    assert columns[0] == ("Gender_spr11", "varchar", "YES")
    assert len(columns) > 40 and ("RecordStatus_spr11", "int", "YES") in columns
    assert _rows(db, """SELECT TABLE_CATALOG, TABLE_TYPE, COUNT(*) FROM INFORMATION_SCHEMA.TABLES
WHERE TABLE_NAME IN ('leo_earnings', 'spring_census_2011', 'nosuch')
GROUP BY TABLE_CATALOG, TABLE_TYPE ORDER BY 1""") == [("LEO_i2", "VIEW", 1), ("NPD_i2", "VIEW", 1)]
    [star] = run_text(db, "SELECT TOP 1 * FROM [LEO_i2].INFORMATION_SCHEMA.TABLES", "tsql",
                      None, True)  # (headed in lower case before)
    assert star.columns == ["TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "TABLE_TYPE"]
    # a database's INFORMATION_SCHEMA holds its own views only, USE's when it names none
    assert _rows(db, "SELECT COUNT(*) FROM [LEO_i2].INFORMATION_SCHEMA.VIEWS "
                     "WHERE TABLE_NAME = 'spring_census_2011'") == [(0,)]
    assert _rows(db, """USE [LEO_i2]
SELECT COUNT(DISTINCT TABLE_CATALOG), SUM(CASE WHEN TABLE_NAME = 'leo_benefit' THEN 1 END)
FROM INFORMATION_SCHEMA.TABLES""") == [(1, 1)]
    assert _rows(db, "USE [NPD_i2]\nSELECT COUNT(*) FROM sys.views WHERE name = 'leo_benefit'"
                 ) == [(0,)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_pivot_and_unpivot(backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    setup = """CREATE TABLE #e (id INT, yr INT, pay INT, code VARCHAR(2))
INSERT INTO #e VALUES (1, 2019, 10, 'a'), (1, 2020, 20, 'b'), (1, 2020, 5, 'b'),
                      (2, 2019, NULL, 'a'), (2, 2021, 40, 'c')
"""
    # every other column of the source groups the rows; the values of IN become columns
    assert _rows(db, setup + """SELECT id, [2019] AS y19, [2020] AS y20, [2021] AS y21
FROM (SELECT id, yr, pay FROM #e) AS src
PIVOT (SUM(pay) FOR yr IN ([2019], [2020], [2021])) AS p ORDER BY id""") == [
        (1, 10, 25, None), (2, None, None, 40)]
    assert _rows(db, setup + """SELECT p.* FROM #e
PIVOT (COUNT(pay) FOR code IN ([a], [b])) AS p ORDER BY id, yr""") == [
        (1, 2019, 1, 0), (1, 2020, 0, 2), (2, 2019, 0, 0), (2, 2021, 0, 0)]
    # UNPIVOT leaves NULLs out, as SQL Server does
    assert _rows(db, """CREATE TABLE #w (id INT, a INT, b INT)
INSERT INTO #w VALUES (1, 10, NULL), (2, 30, 40)
SELECT id, k, v FROM #w UNPIVOT (v FOR k IN (a, b)) AS u ORDER BY id, k""") == [
        (1, "a", 10), (2, "a", 30), (2, "b", 40)]
    # of VALUES too (it was passed on untranslated: no such column there)
    assert _rows(db, """SELECT id, k, v FROM (VALUES (1, 10, NULL), (2, NULL, 5)) t(id, a, b)
UNPIVOT (v FOR k IN (a, b)) u ORDER BY id, k""") == [(1, "a", 10), (2, "b", 5)]
    assert _rows(db, """SELECT * FROM (VALUES ('x', 'a', 1), ('x', 'b', 2), ('y', 'a', 3))
    s(g, k, v) PIVOT (MAX(v) FOR k IN ([a], [b])) p ORDER BY g""") == [("x", 1, 2), ("y", 3, None)]
    # a * over a pivoted source is headed as the script spells the source's columns (the
    # extract's spelling came out: Edukey for the script's EduKey)
    for text, heading in (
            ("SELECT TOP 1 * FROM (SELECT EduKey, TaxYear, Earnings FROM "
             "[LEO_i2].[2002237].[leo_earnings]) s PIVOT (SUM(Earnings) FOR TaxYear IN "
             "([201819])) p", ["EduKey", "201819"]),
            ("SELECT TOP 1 * FROM (SELECT EDUKEY, StartDate, EndDate FROM "
             "[LEO_i2].[2002237].[leo_benefit]) s UNPIVOT (d FOR which IN (StartDate, "
             "EndDate)) u", ["EDUKEY", "which", "d"])):
        [result] = run_text(db, text, "tsql", None, True)
        assert result.columns == heading


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_unpivot_of_columns_of_different_types_stops(
        backend: str, request: pytest.FixtureRequest) -> None:
    # SQL Server refuses an UNPIVOT whose columns differ in type (error 8167): KS4_ATT8 is a
    # float and KS4_ENTRIES an int, a TINYINT beside an INT, a VARCHAR(2) beside a
    # VARCHAR(4); every target put them in one column
    db = _db(request, backend)
    said = ('The type of column "{}" conflicts with the type of other columns specified in '
            'the UNPIVOT list.')
    for text, column in (
            ("SELECT TOP 1 measure, score FROM [NPD_i2].[2002237].[KS4Pupil_2015_to_2021] "
             "UNPIVOT (score FOR measure IN (KS4_ATT8, KS4_ENTRIES)) u", "KS4_ENTRIES"),
            ("CREATE TABLE #w (id INT, fsm_2012 TINYINT, fsm_2013 TINYINT, fsm_2014 INT)\n"
             "SELECT id, yr, fsm FROM #w UNPIVOT (fsm FOR yr IN (fsm_2012, fsm_2013, "
             "fsm_2014)) u", "fsm_2014"),
            ("CREATE TABLE #c (id INT, a VARCHAR(2), b VARCHAR(4))\n"
             "SELECT id, k, v FROM #c UNPIVOT (v FOR k IN (a, b)) u", "b")):
        with pytest.raises(ScriptError, match=re.escape(said.format(column))) as stopped:
            _rows(db, text)
        assert stopped.value.number == 8167
    # (columns of one type, and a derived table's, whose types are not certain, run)
    assert _rows(db, """CREATE TABLE #s (id INT, a VARCHAR(4), b VARCHAR(4))
INSERT INTO #s VALUES (1, 'x', 'y')
SELECT id, k, v FROM #s UNPIVOT (v FOR k IN (a, b)) u ORDER BY k""") == [
        (1, "a", "x"), (1, "b", "y")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_windowed_percentiles_are_sql_servers(backend: str,
                                              request: pytest.FixtureRequest) -> None:
    # the medians of LEO's published figures: SQLite has no percentiles, PostgreSQL none as
    # windows, DuckDB ignores DESC; NULLs are left out; DESC counts from the top
    db = _db(request, backend)
    text = """CREATE TABLE #v (g VARCHAR(1), x INT)
INSERT INTO #v VALUES ('a', 1), ('a', 2), ('a', 3), ('a', 4), ('a', 10), ('a', NULL),
                      ('b', 5), ('c', NULL)
DECLARE @p FLOAT = 0.25
SELECT DISTINCT g,
       PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY x) OVER (PARTITION BY g) AS median,
       PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY x) OVER (PARTITION BY g) AS c9,
       PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY x DESC) OVER (PARTITION BY g) AS c9_desc,
       PERCENTILE_DISC(0.4) WITHIN GROUP (ORDER BY x) OVER (PARTITION BY g) AS d4,
       PERCENTILE_DISC(0.4) WITHIN GROUP (ORDER BY x DESC) OVER (PARTITION BY g) AS d4_desc,
       PERCENTILE_CONT(@p) WITHIN GROUP (ORDER BY x) OVER () AS quartile
FROM #v ORDER BY g"""
    assert _rows(db, text) == [("a", 3, 7.6, 1.4, 2, 4, 2.25),
                               ("b", 5, 5, 5, 5, 5, 2.25),
                               ("c", None, None, None, None, None, 2.25)]
    # a decimal's median is a float (DuckDB's kept the decimal's places: 100, not 100.5)
    assert _rows(db, """CREATE TABLE #p (g INT, pay DECIMAL(10, 0))
INSERT INTO #p VALUES (1, 100), (1, 101)
SELECT DISTINCT g, PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY pay) OVER (PARTITION BY g),
    PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY pay * 1.0) OVER (PARTITION BY g) FROM #p""") == [
        (1, 100.5, 100.5)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_srs_names_and_mixed_case_columns_resolve(backend: str,
                                                  request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    text = """SELECT COUNT(*) AS Pupils, COUNT(DISTINCT p.[AE_id]) AS People
FROM [NPD_i2].[2002237].[SPRING_CENSUS_2011] c
JOIN LEO_i2."2002237".Learner_AE_ID_To_PMR_Lookup p
  ON p.pupilmatchingrefanonymous = c.[PUPILMATCHINGREFANONYMOUS_spr11]
JOIN [2002237].[learner_ae_id_to_edukey_lookup] k ON k.Ae_Id = p.AE_ID"""
    pupils, people = _rows(db, text)[0]
    assert pupils > 0 and 0 < people <= pupils
    iteration_1 = "SELECT COUNT(*) FROM [NPD].[2002237].[Spring_Census_2011]"
    assert _rows(db, iteration_1)[0][0] > 0


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_relation_named_in_another_database_stops_on_every_target(
        backend: str, request: pytest.FixtureRequest) -> None:
    """PostgreSQL's extract also holds the project's schema of views ("2002237"), which was
    taken for hesa_2015's database: NPD_i2.hesa_2015 ran there, as it would not in the SRS."""
    db = _db(request, backend)
    with pytest.raises(LeoSynthError) as failure:
        run_text(db, 'SELECT COUNT(*) FROM NPD_i2."2002237".hesa_2015', "tsql", 5, False)
    assert str(failure.value) == "line 1: hesa_2015 is in HESA_i2, not in NPD_i2"


@pytest.mark.parametrize(("text", "message"), [
    ("SELECT * FROM [NPD_i3].[2002237].[spring_census_2011]",
     "line 1: unknown SRS database 'NPD_i3' (did you mean 'NPD_i2'?)"),
    ("SELECT 1\nSELECT * FROM [LEO_i2].[2002237].[spring_census_2011]",
     "line 2: spring_census_2011 is in NPD_i2, not in LEO_i2"),
    ("SELECT * FROM NPD_i2.[2002237].spring_cenus_2011",
     "line 1: Invalid object name 'NPD_i2.2002237.spring_cenus_2011'. (did you mean "
     "'spring_census_2011'?) (not in this extract"),
    ("SELECT 1\nGO\nSELECT @x", "line 3: @x is not declared in this batch"),
    ("DECLARE @x INT = 1\nGO\nSELECT @x", "line 3: @x is not declared in this batch"),
    ("SELECT 1\n\nSELECT nosuch FROM leo_employment", "line 3: Invalid column name 'nosuch'."),
    ("SELECT StartDat FROM leo_employment",
     "line 1: Invalid column name 'StartDat'. (did you mean StartDate?)"),
    ("SELECT 1\nSELECT x.EduKey FROM leo_employment e",
     'line 2: The multi-part identifier "x.EduKey" could not be bound.'),
    ("SELECT 1/0", "line 1: sqlite said: "),
    ("INSERT INTO leo_employment (EduKey) VALUES ('x')", "line 1: leo_employment belongs to "
                                                          "the extract, which is read-only"),
    ("DROP TABLE #never", "line 1: Cannot drop the table '#never', because it does not exist "
                          "or you do not have permission."),
    ("SELECT 1\nSELECT COUNT(*) FROM (SELECT DISTINCT EduKey FROM leo_benefit)",
     "line 2: Incorrect syntax near ')'. (a derived table needs an alias"),
    ("SELECT Benefit_type, COUNT(*) AS n FROM leo_benefit GROUP BY Benefit_type "
     "ORDER BY n * 2", "line 1: Invalid column name 'n'."),
    ("SELECT TOP 2 * FROM leo_employment e JOIN leo_benefit b ON b.EduKey = e.EduKey\n"
     "ORDER BY EduKey", "line 1: Ambiguous column name 'EduKey'."),
    ("SELECT e.EduKey, b.EduKey FROM leo_employment e JOIN leo_benefit b "
     "ON b.EduKey = e.EduKey ORDER BY EduKey", "line 1: Ambiguous column name 'EduKey'."),
    ("SELECT EduKey, StartDate > '2015-01-01' AS recent FROM leo_benefit",
     "line 1: Incorrect syntax near '>'."),
    ("SELECT Benefit_type LIKE 'J%' FROM leo_benefit",
     "line 1: Incorrect syntax near the keyword 'LIKE'."),
    # a condition where a value stands, as other dialects count rows (every target ran them)
    ("SELECT SUM(TaxYear = 201920) FROM leo_earnings", "line 1: Incorrect syntax near '='."),
    ("SELECT COUNT(*), SUM(CAST(Earnings AS INT) IN (1, 2)) FROM leo_earnings",
     "line 1: Incorrect syntax near the keyword 'IN'."),
    ("SELECT (Earnings > 10000) * 1 FROM leo_earnings", "line 1: Incorrect syntax near '>'."),
    ("SELECT CASE WHEN Earnings > 0 THEN TaxYear < 201920 END FROM leo_earnings",
     "line 1: Incorrect syntax near '<'."),
    ("SELECT CAST(EndDate IS NULL AS INT) FROM leo_benefit",
     "line 1: Incorrect syntax near the keyword 'IS'."),
    ("SELECT ROUND(AVG(Earnings)) FROM leo_earnings",
     "line 1: The round function requires 2 to 3 arguments."),
    ("SELECT 1\nSELECT DISTINCT Benefit_type FROM leo_benefit ORDER BY StartDate",
     "line 2: ORDER BY items must appear in the select list if SELECT DISTINCT is specified."),
    ("SELECT 1\nSELECT SUBSTR(EduKey, 1, 3) FROM leo_employment",
     "line 2: 'SUBSTR' is not a recognized built-in function name: T-SQL has SUBSTRING("),
    ("SELECT IFNULL(EndDate, StartDate) FROM leo_employment",
     "line 1: 'IFNULL' is not a recognized built-in function name: T-SQL has ISNULL(x, y)"),
    ("SELECT strftime('%Y', StartDate) FROM leo_employment",
     "line 1: 'strftime' is not a recognized built-in function name"),
    ("SELECT EduKey FROM leo_employment ORDER BY EndDate DESC NULLS LAST",
     "line 1: Incorrect syntax near 'NULLS'"),
    ("USE [NPD_x]\nSELECT 1", "line 1: unknown SRS database 'NPD_x'"),
    # other dialects' forms every target ran
    ("SELECT 1\nSELECT EduKey FROM leo_benefit QUALIFY ROW_NUMBER() OVER (PARTITION BY "
     "EduKey ORDER BY StartDate) = 1", "line 2: Incorrect syntax near 'QUALIFY'."),
    ("SELECT COUNT(*) FILTER (WHERE Earnings > 0) FROM leo_earnings",
     "line 1: Incorrect syntax near 'FILTER'."),
    ("SELECT 1\nSELECT CURRENT_DATE", "line 2: Invalid column name 'CURRENT_DATE'"),
    ("SELECT EduKey FROM leo_benefit WHERE StartDate >= DATE '2015-04-06'",
     "line 1: Incorrect syntax near '2015-04-06': T-SQL has no typed literals"),
    ("SELECT EduKey AS string, TRY_CAST(EduKey AS STRING) FROM leo_benefit",
     "line 1: Type STRING is not a defined system type."),
    ("SELECT NTH_VALUE(Benefit_type, 2) OVER (ORDER BY StartDate) FROM leo_benefit",
     "line 1: 'NTH_VALUE' is not a recognized built-in function name: T-SQL has ROW_NUMBER()"),
    ("SELECT STDDEV(Earnings) FROM leo_earnings",
     "line 1: 'STDDEV' is not a recognized built-in function name: T-SQL has STDEV(x)"),
    ("SELECT LPAD(TaxYear, 8, '0') FROM leo_earnings",
     "line 1: 'LPAD' is not a recognized built-in function name"),
    ("SELECT HOUR(GETDATE())", "line 1: 'HOUR' is not a recognized built-in function name: "
     "T-SQL has DATEPART(hour, d)"),
    # (a table of FFT's own schema the script has not made: it said "unknown SRS database")
    ("SELECT 1\nSELECT TOP 3 * FROM fft.person_lookup",
     "line 2: Invalid object name 'fft.person_lookup'."),
    ("SELECT 1\nSELECT STRING_AGG(DISTINCT Benefit_type, ',') FROM leo_benefit",
     "line 2: Incorrect syntax near the keyword 'DISTINCT'"),
    ("SELECT 1\nSELECT PERCENTILE_CONT(1.5) WITHIN GROUP (ORDER BY x) OVER () "
     "FROM (VALUES (1)) v(x)",
     "line 2: PERCENTILE_CONT/PERCENTILE_DISC take a number from 0 to 1"),
])
def test_errors_are_one_line_naming_the_statement(text: str, message: str, small_sqlite) -> None:
    with pytest.raises(LeoSynthError) as failure:
        run_text(str(small_sqlite[0]), text, "tsql", 5, False)
    assert str(failure.value).startswith(message) and "\n" not in str(failure.value)


def test_fetch_first_with_a_bracketed_count_is_no_function(small_sqlite) -> None:
    # FIRST is refused as another dialect's function; T-SQL's FETCH FIRST (n) ROWS is not one
    [result] = run_text(str(small_sqlite[0]), "SELECT EduKey FROM leo_benefit ORDER BY EduKey "
                        "OFFSET 0 ROWS FETCH FIRST (2) ROWS ONLY", "tsql", None, True)
    assert len(result.rows) == 2


def test_a_column_named_by_equals_is_no_comparison(small_sqlite) -> None:
    # SELECT name = value names a column, SELECT @v = value assigns: neither is refused as
    # a comparison in the select list
    text = """DECLARE @n INT
SELECT @n = COUNT(*) FROM leo_benefit
SELECT spells = COUNT(*), flag = CASE WHEN COUNT(*) > 0 THEN 1 ELSE 0 END, @n AS n
FROM leo_benefit"""
    [result] = run_text(str(small_sqlite[0]), text, "tsql", None, True)
    [(spells, flag, n)] = result.rows
    assert result.columns == ["spells", "flag", "n"] and spells == n > 0 and flag == 1


def test_an_order_by_name_of_one_result_column_is_no_ambiguity(small_sqlite) -> None:
    text = """SELECT TOP 3 e.EduKey, b.StartDate FROM leo_employment e
JOIN leo_benefit b ON b.EduKey = e.EduKey ORDER BY EduKey, StartDate
SELECT TOP 3 e.*, b.Benefit_type FROM leo_employment e
JOIN leo_benefit b ON b.EduKey = e.EduKey ORDER BY EduKey, e.StartDate
SELECT TOP 3 e.EduKey, e.EduKey AS k, b.EduKey AS other FROM leo_employment e
JOIN leo_benefit b ON b.EduKey = e.EduKey ORDER BY EduKey"""
    results = run_text(str(small_sqlite[0]), text, "tsql", None, True)
    assert [len(result.rows) for result in results] == [3, 3, 3]
    assert [row[0] for row in results[0].rows] == sorted(row[0] for row in results[0].rows)


def test_a_parenthesised_join_and_a_whole_alias_in_order_by_run(small_sqlite) -> None:
    text = """SELECT COUNT(*) AS n FROM (leo_employment e JOIN leo_benefit b
    ON b.EduKey = e.EduKey)
SELECT TOP 2 Benefit_type, COUNT(*) AS n FROM leo_benefit GROUP BY Benefit_type
ORDER BY n DESC, COUNT(*) * 2"""
    joined, counted = run_text(str(small_sqlite[0]), text, "tsql", None, True)
    assert joined.rows[0][0] > 0 and counted.rows[0][1] >= counted.rows[1][1]


def test_a_select_distinct_is_sorted_by_what_it_selects(small_sqlite) -> None:
    db = str(small_sqlite[0])
    text = """SELECT DISTINCT b.Benefit_type AS kind, YEAR(b.StartDate)
FROM leo_benefit b ORDER BY Benefit_type, kind, b.benefit_type DESC, YEAR(b.StartDate), 2
SELECT DISTINCT Benefit_type FROM leo_benefit b ORDER BY b.Benefit_type
SELECT TOP 1 x FROM (SELECT DISTINCT Benefit_type AS x FROM leo_benefit) d ORDER BY x"""
    first, second, third = run_text(db, text, "tsql", None, True)
    assert first.rows == sorted(first.rows) and second.rows == sorted(second.rows)
    assert third.rows == [second.rows[0]]


def test_a_function_of_the_scripts_own_may_bear_another_dialects_name(small_sqlite) -> None:
    # LENGTH( is refused as SQL Server refuses it, dbo.length( is the script's own
    text = """CREATE FUNCTION dbo.length (@s VARCHAR(10)) RETURNS INT AS BEGIN
RETURN LEN(@s) + 1 END
GO
SELECT dbo.length('abc')"""
    assert run_text(str(small_sqlite[0]), text, "tsql", 5, False)[-1].rows == [(4,)]


def test_temp_tables_can_be_dropped_and_made_again(small_sqlite, capfd) -> None:
    text = """USE [NPD_i2]
SET NOCOUNT ON
PRINT 'starting'
SELECT 1 AS a INTO #t
DROP TABLE #t
IF OBJECT_ID('tempdb..#t') IS NOT NULL DROP TABLE #t
SELECT 3 AS b INTO #t
IF OBJECT_ID(N'tempdb..#t', N'U') IS NOT NULL PRINT 'made again'
SELECT * FROM #t"""
    assert _rows(str(small_sqlite[0]), text) == [(3,)]
    # (N'...': OBJECT_ID was an unknown function)
    assert {"starting", "made again"} <= set(capfd.readouterr().err.splitlines())


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_years_a_project_holds_found_by_computed_names(backend: str,
                                                          request: pytest.FixtureRequest) -> None:
    """FFT's scripts loop over years, testing OBJECT_ID of a name they build (it was an
    unknown function unless a literal), and test ILR ids against the empty binary 0x (read
    as a column named 0x)."""
    db = _db(request, backend)
    assert _rows(db, """declare @y int = 2004, @found int = 0, @first int
while @y <= 2023
begin
    if object_id('npd_i2.[2002237].spring_census_' + cast(@y as varchar(4))) is not null
    begin
        set @found += 1
        if @first is null set @first = @y
    end
    set @y += 1
end
select @found, @first, object_id(N'LEO_i2.[2002237].leo_' + N'nothing')""") == [
        (16, 2006, None)]
    setup = "CREATE TABLE #a (ukprn_anon BIGINT)\nINSERT INTO #a VALUES (0), (31), (NULL)\n"
    assert _rows(db, setup + "SELECT COUNT(*), SUM(CASE WHEN ukprn_anon = 0x1F THEN 1 END), "
                     "SUM(CASE WHEN ukprn_anon IN (0x, 0x01) THEN 1 END) FROM #a "
                     "WHERE ukprn_anon <> 0x") == [(1, 1, None)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_col_length_tells_which_years_hold_a_column(backend: str,
                                                   request: pytest.FixtureRequest) -> None:
    """Scripts test for a column that comes and goes with the years before they read it
    (COL_LENGTH was an unknown function on every target): its length in bytes as SQL
    Server declares it, NULL when the relation or session table has no such column."""
    db = _db(request, backend)
    assert _rows(db, """declare @y int = 2008, @has varchar(100) = ''
while @y <= 2016
begin
    if col_length('NPD_i2.dbo.spring_census_' + cast(@y as varchar(4)),
                  'EthnicGroup_SPR' + right(cast(@y as varchar(4)), 2)) is not null
        set @has += cast(@y as varchar(4)) + ' '
    set @y += 1
end
select @has, col_length('NPD_i2.dbo.spring_census_2016', 'ethnicity_spr16'),
       col_length('spring_census_2016', 'FSMeligible_SPR16'),
       col_length('LEO_i2.dbo.leo_employment', 'StartDate'),
       col_length('spring_census_2016', 'Nope'), col_length('nosuch', 'x')""") == [
        ("2008 2009 ", 4, 4, 3, None, None)]
    assert _rows(db, """CREATE TABLE #t (a INT, b VARCHAR(12), c DECIMAL(10,2), d DATETIME,
    e BIT, f DATE, g BIGINT, h FLOAT)
SELECT COL_LENGTH('tempdb..#t', 'a'), COL_LENGTH('tempdb..#t', 'B'), COL_LENGTH('#t', 'c'),
       COL_LENGTH('#t', 'd'), COL_LENGTH('#t', 'e'), COL_LENGTH('#t', 'f'),
       COL_LENGTH('#t', 'g'), COL_LENGTH('#t', 'h'), COL_LENGTH('#t', 'z'),
       COL_LENGTH('#gone', 'a')""") == [(4, 12, 9, 8, 1, 3, 8, 8, None, None)]
    # a text column SELECT ... INTO copies keeps its length (it gave 8000, and SQLite and
    # DuckDB took text too long for it, where SQL Server and PostgreSQL stop)
    copied = """SELECT TOP 1 b.EduKey AS k, Benefit_type INTO #c FROM leo_benefit b
"""
    assert _rows(db, copied + "SELECT COL_LENGTH('#c', 'k'), COL_LENGTH('#c', 'benefit_type')"
                 ) == [(14, 3)]
    with pytest.raises(ScriptError, match="String or binary data would be truncated"):
        _rows(db, copied + "INSERT INTO #c VALUES ('k', 'ABCD')")
    assert _rows(db, """SELECT TOP 1 ISNULL(Benefit_type, 'None') AS a,
    COALESCE(Benefit_type, 'Unknown') AS b INTO #n FROM leo_benefit
SELECT COL_LENGTH('#n', 'a'), COL_LENGTH('#n', 'b')""") == [(3, 7)]
    # and one made of a literal, a cast, a CASE or text joined by + has the length SQL Server
    # gives it: a source label 'KS4' is a VARCHAR(3), which a later 'HESA' does not fit
    made = """SELECT TOP 1 EduKey, 'KS4' AS source, CAST(EduKey AS VARCHAR(20)) AS c,
    CASE WHEN Out_of_work_benefit = 1 THEN 'Out of work' ELSE 'Other' END AS kind,
    Benefit_type + '-' AS j, COUNT(*) OVER () AS n INTO #m FROM leo_benefit
"""
    assert _rows(db, made + """SELECT COL_LENGTH('#m', 'source'), COL_LENGTH('#m', 'c'),
    COL_LENGTH('#m', 'kind'), COL_LENGTH('#m', 'j'), COL_LENGTH('#m', 'n')""") == [
        (3, 20, 11, 4, 4)]
    assert _rows(db, made + """INSERT INTO #m SELECT TOP 1 EduKey, 'KS5', 'c', 'Other', 'x',
    1 FROM leo_benefit
SELECT COUNT(*) FROM #m""") == [(2,)]
    with pytest.raises(ScriptError, match="String or binary data would be truncated"):
        _rows(db, made + "INSERT INTO #m SELECT TOP 1 EduKey, 'HESA', 'c', 'Other', 'x', 1 "
                         "FROM leo_benefit")
    # a UNION's column is as long as its longest branch's ('KS4' beside 'HESA': 4; no length
    # was known, so a longer value went in on every target)
    unioned = """SELECT TOP 1 EduKey, 'KS4' AS source INTO #u FROM leo_benefit
UNION ALL SELECT TOP 1 EduKey, 'HESA' FROM leo_benefit
INSERT INTO #u SELECT TOP 1 EduKey, 'UCAS' FROM leo_benefit
"""
    assert _rows(db, unioned + "SELECT COL_LENGTH('#u', 'source'), COUNT(*) FROM #u") == [
        (4, 3)]
    with pytest.raises(ScriptError, match="String or binary data would be truncated"):
        _rows(db, unioned + "INSERT INTO #u SELECT TOP 1 EduKey, 'NCCIS' FROM leo_benefit")


def test_tables_a_script_creates_live_only_in_its_session(small_sqlite, tmp_path: Path) -> None:
    db = tmp_path / "copy.sqlite"
    shutil.copy(small_sqlite[0], db)
    before = db.read_bytes()
    text = """SELECT EduKey INTO [2002237].my_cohort FROM leo_employment
SELECT COUNT(*) FROM [2002237].my_cohort"""
    assert _rows(str(db), text)[0][0] > 0
    assert db.read_bytes() == before
    with pytest.raises(ScriptError, match="Invalid object name 'my_cohort'"):
        run_text(str(db), "SELECT * FROM my_cohort", "tsql", 5, False)


@pytest.mark.postgres
def test_postgres_is_left_as_it_was(request: pytest.FixtureRequest) -> None:
    import psycopg

    url = request.getfixturevalue("srs_postgres")
    run_text(url, "SELECT 1 AS x INTO cohort\nSELECT * FROM cohort", "tsql", 5, False)
    with psycopg.connect(url) as conn:
        found = conn.execute("SELECT count(*) FROM information_schema.tables "
                             "WHERE table_name = 'cohort'").fetchone()[0]
    assert found == 0


def test_sqlite_is_opened_read_only_whatever_its_path(small_sqlite, tmp_path: Path) -> None:
    folder = tmp_path / "a?mode=rw#b%20c"
    folder.mkdir()
    db = folder / "leo.sqlite"
    shutil.copy(small_sqlite[0], db)
    connection = connect_sqlite_readonly(db)
    assert connection.execute("SELECT count(*) FROM leo_employment").fetchone()[0] > 0
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        connection.execute("CREATE TABLE t (x INT)")
    assert not (tmp_path / "a").exists()


# --- the command line -------------------------------------------------------------------------

def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "leo_synth.cli", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


@pytest.mark.parametrize("backend", ["small_sqlite", "small_duckdb"])
def test_sql_prints_times_alike_on_every_target(backend: str, request: pytest.FixtureRequest,
                                               tmp_path: Path) -> None:
    # DuckDB's and PostgreSQL's datetimes were printed with a T, SQLite's text with a space;
    # a DATETIME is shown with its milliseconds, as SSMS shows it
    script = tmp_path / "times.sql"
    script.write_text("SELECT CAST('2020-05-17 13:45:12' AS DATETIME) AS t, "
                      "DATEADD(hour, 1, CAST('2020-05-17 08:00' AS DATETIME)) AS d")
    shown = _cli("sql", str(script), "--db", _db(request, backend))
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[2].split("  ") == ["2020-05-17 13:45:12.000",
                                                       "2020-05-17 09:00:00.000"]


def test_sql_prints_the_last_result_and_writes_files(small_sqlite, tmp_path: Path) -> None:
    db = str(small_sqlite[0])
    corpus = "examples/srs/01_cohort_spring_census.sql"
    shown = _cli("sql", corpus, "--db", db)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[0].split() == ["Gender", "FSM", "Pupils"]
    every = _cli("sql", corpus, "--db", db, "--all-results", "--max-rows", "1")
    assert "-- result of the statement at line 20" in every.stdout
    assert "... (more rows; use --max-rows or --out)" in every.stdout
    for name in ("out.csv", "out.parquet"):
        written = _cli("sql", corpus, "--db", db, "--out", str(tmp_path / name))
        assert written.returncode == 0, written.stderr
    assert (tmp_path / "out.csv").read_text().splitlines()[0] == "Gender,FSM,Pupils"
    assert pq.read_table(tmp_path / "out.parquet").column_names == ["Gender", "FSM", "Pupils"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "out.parquet"]
    for bad, words in (("out.txt", "give a .csv or .parquet file"),
                       ("nowhere/out.csv", "folder")):
        refused = _cli("sql", corpus, "--db", db, "--out", str(tmp_path / bad))
        assert refused.returncode == 2 and words in refused.stderr


def test_sql_prints_the_results_a_script_gave_before_it_stopped(small_sqlite,
                                                                tmp_path: Path) -> None:
    # as SSMS shows them above the error: nothing was printed but the error, and a file of
    # --out is written only for a script that ran to its end
    db = str(small_sqlite[0])
    script = tmp_path / "stops.sql"
    script.write_text("SELECT 41 + 1 AS answer\nSELECT COUNT(*) AS n FROM leo_benefit\n"
                      "SELECT 1 / 0\n")
    shown = _cli("sql", str(script), "--db", db, "--all-results")
    assert shown.returncode == 2
    assert "line 3:" in shown.stderr and "Divide by zero" in shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[:5] == ["-- result of the statement at line 1", "answer", "------", "    42",
                         "(1 row)"]
    assert "-- result of the statement at line 2" in lines
    written = _cli("sql", str(script), "--db", db, "--all-results", "--out",
                   str(tmp_path / "out.csv"))
    assert written.returncode == 2 and written.stdout == ""
    assert not (tmp_path / "out.csv").exists()


def test_sql_refuses_untranslatable_scripts_before_running(small_sqlite, tmp_path: Path) -> None:
    path = tmp_path / "loop.sql"
    path.write_text("SELECT 1 AS x INTO #t\nGO\nIF @@CONNECTIONS <> 0\n"
                    "  PRINT 'failed'\n")
    failed = _cli("sql", str(path), "--db", str(small_sqlite[0]))
    assert failed.returncode == 2 and failed.stdout == ""
    assert failed.stderr.splitlines() == [
        "leo-synth: error: line 3: @@CONNECTIONS (a session counter) cannot be translated"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_recursion_stops_at_sql_servers_limit(backend: str,
                                              request: pytest.FixtureRequest) -> None:
    # a recursive CTE past 100 levels stops in SQL Server (error 530) unless OPTION
    # (MAXRECURSION n) lifts the limit: every target ran a year's calendar to its end
    db = _db(request, backend)
    numbers = "WITH n AS (SELECT 1 AS i UNION ALL SELECT x.i + 1 FROM n AS x WHERE x.i < {})"
    assert _rows(db, numbers.format(101) + " SELECT COUNT(*), MAX(i) FROM n") == [(101, 101)]
    calendar = """WITH d (day, k) AS (SELECT CAST('2018-04-01' AS DATE), 1
    UNION ALL SELECT DATEADD(day, 1, day), k + 1 FROM d WHERE day < '2019-03-31')
SELECT * FROM d WHERE k > 364"""
    exhausted = ("The statement terminated. The maximum recursion {} has been exhausted "
                 "before statement completion.")
    with pytest.raises(ScriptError, match=re.escape(exhausted.format(100))):
        _rows(db, calendar)
    assert [tuple(_value(v) for v in row) for row in _rows(
        db, calendar + " OPTION (MAXRECURSION 364)")] == [("2019-03-31", 365)]
    assert len(_rows(db, calendar.replace("k > 364", "k > 0") + " OPTION (MAXRECURSION 0)")
               ) == 365
    with pytest.raises(ScriptError, match=re.escape(exhausted.format(363))):
        _rows(db, calendar + " OPTION (MAXRECURSION 363)")
    caught = f"""BEGIN TRY
    {numbers.format(102)} SELECT COUNT(*) FROM n
END TRY
BEGIN CATCH
    SELECT ERROR_NUMBER(), ERROR_MESSAGE()
END CATCH"""
    assert _rows(db, caught) == [(530, exhausted.format(100))]
    with pytest.raises(ScriptError, match="MAXRECURSION option takes a whole number"):
        _rows(db, numbers.format(3) + " SELECT i FROM n OPTION (MAXRECURSION 40000)")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_recursive_part_of_another_type_than_its_anchor_stops(
        backend: str, request: pytest.FixtureRequest) -> None:
    # SQL Server refuses a recursive CTE whose recursive part gives a column another type than
    # its anchor (error 240): a path built from 'a' (a VARCHAR(1)) by s + 'b' (a VARCHAR(2)),
    # a month series started from text and moved by DATEADD (a DATETIME); every target ran them
    db = _db(request, backend)
    said = ('Types don\'t match between the anchor and the recursive part in column "{}" of '
            'recursive query "{}".')
    path = """WITH path AS (SELECT 1 AS n, {} AS s
    UNION ALL SELECT p.n + 1, {} FROM path p WHERE p.n < 3)
SELECT MAX(s) FROM path"""
    with pytest.raises(ScriptError, match=re.escape(said.format("s", "path"))) as stopped:
        _rows(db, path.format("'a'", "p.s + 'b'"))
    assert stopped.value.number == 240
    with pytest.raises(ScriptError, match=re.escape(said.format("d", "m"))):
        _rows(db, """WITH m (d, k) AS (SELECT '20150401', 1
    UNION ALL SELECT DATEADD(month, 1, d), k + 1 FROM m WHERE k < 3) SELECT * FROM m""")
    # (the anchor cast to the recursive part's type, as the SRS needs)
    assert _rows(db, path.format("CAST('a' AS VARCHAR(10))", "CAST(p.s + 'b' AS VARCHAR(10))")
                 ) == [("abb",)]
    assert _rows(db, """WITH m (d, k) AS (SELECT CAST('20150401' AS DATE), 1
    UNION ALL SELECT DATEADD(month, 1, d), k + 1 FROM m WHERE k < 3)
SELECT MAX(d) FROM m""") == [("2015-06-01",)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_rand_is_a_fraction_and_a_seed_fixes_it(backend: str,
                                               request: pytest.FixtureRequest) -> None:
    # SQLite's RANDOM() is a 64-bit integer (RAND() < 0.1 held for half the rows); a seed
    # stopped PostgreSQL and DuckDB; RAND(CHECKSUM(NEWID())) overflowed on DuckDB
    db = _db(request, backend)
    [(inside, seeded, sampled, spread)] = _rows(db, """;WITH n AS (SELECT 1 AS i UNION ALL
    SELECT i + 1 FROM n WHERE i < 2000)
SELECT MIN(CASE WHEN RAND() >= 0 AND RAND() < 1 THEN 1 ELSE 0 END), MAX(RAND(7)),
       SUM(CASE WHEN RAND(CHECKSUM(NEWID())) < 0.1 THEN 1 ELSE 0 END),
       MAX(CHECKSUM(NEWID())) - MIN(CHECKSUM(NEWID()))
FROM n OPTION (MAXRECURSION 0)""")
    assert inside == 1 and 100 <= sampled <= 320 and spread > 2**31  # (integers, not fractions)
    assert seeded == _value((hash32("7") + 2**31) / 2**32)


def test_catalog_procedures_that_cannot_be_translated_say_what_can() -> None:
    with pytest.raises(ScriptError, match=r"line 1: EXEC sp_helptext: SQL Server's own "
                       r"procedures cannot be translated \(a view of the script shows its "
                       r"text as the script wrote it; sp_help, sp_columns"):
        check("EXEC sp_helptext 'v'")


def test_checksum_of_every_column_is_refused_with_its_line() -> None:
    with pytest.raises(ScriptError, match=r"line 2: CHECKSUM\(\*\) cannot be translated"):
        check("SELECT 1 AS x\nSELECT CHECKSUM(*) FROM #t")


def test_scripts_saved_by_ssms_are_read(small_sqlite, tmp_path: Path) -> None:
    utf16 = tmp_path / "ssms.sql"
    utf16.write_bytes("SELECT TOP 1 'é' AS [word]".encode("utf-16"))
    windows = tmp_path / "windows.sql"  # (Windows-1252, SSMS's other encoding)
    windows.write_bytes("-- £ per year\nSELECT 'caf\xe9 \u2013 x' AS [word]".encode("cp1252"))
    assert _cli("sql", str(utf16), "--db", str(small_sqlite[0])).stdout.splitlines()[2] == "é"
    assert _cli("sql", str(windows), "--db", str(small_sqlite[0])).stdout.splitlines()[2] == (
        "caf\xe9 \u2013 x")
    garbled = tmp_path / "garbled.sql"  # (0x81: no character in any of the three)
    garbled.write_bytes(b"SELECT '\x81'")
    failed = _cli("sql", str(garbled), "--db", str(small_sqlite[0]))
    assert failed.returncode == 2 and "save it as UTF-8" in failed.stderr


def test_query_is_the_native_alias(small_sqlite, small_parquet) -> None:
    db = str(small_sqlite[0])
    native = _cli("query", db, "select count(*) AS n from leo_employment")
    on_parquet = _cli("query", str(small_parquet), "select count(*) AS n from leo_employment")
    as_tsql = _cli("query", db, "SELECT TOP 1 COUNT(*) AS n FROM [LEO_i2].[1].[leo_employment]",
                   "--dialect", "tsql")
    from_file = _cli("query", db, "@examples/two_hop_join.sql", "--limit", "2")
    for done in (native, on_parquet, as_tsql, from_file):
        assert done.returncode == 0, done.stderr
    assert native.stdout == on_parquet.stdout == as_tsql.stdout
    assert "employment_spells" in from_file.stdout and "use --limit" in from_file.stdout


@pytest.mark.parametrize("backend", BACKENDS)
def test_keys_declared_as_sql_server_stores_them(backend: str,
                                                 request: pytest.FixtureRequest) -> None:
    # PRIMARY KEY CLUSTERED did not parse, and a key's column order (id DESC) was written
    # with NULLS FIRST, which PostgreSQL and DuckDB refused
    db = _db(request, backend)
    text = """CREATE TABLE #a (id INT NOT NULL, g VARCHAR(2),
    CONSTRAINT pk_a PRIMARY KEY CLUSTERED (id DESC))
CREATE TABLE #b (id INT PRIMARY KEY NONCLUSTERED, g VARCHAR(2) UNIQUE) ON [PRIMARY]
CREATE TABLE #c (id INT NOT NULL, g VARCHAR(2), CONSTRAINT u_c UNIQUE CLUSTERED (id, g))
INSERT INTO #a VALUES (1, 'x'), (2, 'y')
INSERT INTO #b SELECT id, g FROM #a
INSERT INTO #c SELECT id, g FROM #b
SELECT COUNT(*), SUM(id) FROM #c"""
    assert _rows(db, text) == [(2, 3)]


TOP_OPTIONS = """CREATE TABLE #s (school VARCHAR(3), pupils INT)
INSERT INTO #s VALUES ('a', 10), ('b', 30), ('c', 30), ('d', 20), ('e', 5), ('f', 30),
    ('g', 1), ('h', 2), ('i', 3), ('j', 4), ('k', 6)
SELECT TOP 2 WITH TIES school, pupils AS n FROM #s ORDER BY n DESC, 1
SELECT TOP (2) WITH TIES pupils FROM #s ORDER BY pupils DESC
SELECT TOP 10 PERCENT school, pupils FROM #s ORDER BY pupils
SELECT TOP 20 PERCENT WITH TIES pupils, COUNT(*) AS schools FROM #s GROUP BY pupils
    ORDER BY 1 DESC
SELECT TOP 50 PERCENT school INTO #half FROM #s ORDER BY pupils
SELECT COUNT(*) AS n FROM #half
SELECT COUNT(*), MAX(CASE WHEN pupils = 30 THEN school END) FROM (
    SELECT TOP 1 WITH TIES school, pupils FROM #s
    ORDER BY ROW_NUMBER() OVER (PARTITION BY pupils ORDER BY school DESC)) AS latest"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_top_with_ties_and_top_percent(backend: str, request: pytest.FixtureRequest) -> None:
    # ties with the last row kept; a percentage of the rows rounded up (10% of 11 is 2)
    db = _db(request, backend)
    results = run_text(db, TOP_OPTIONS, "tsql", None, True)
    assert [[tuple(_value(v) for v in row) for row in r.rows] for r in results] == [
        [("b", 30), ("c", 30)], [(30,), (30,), (30,)], [("g", 1), ("h", 2)],
        [(30, 3), (20, 1)], [(6,)], [(9, "f")]]
    # (the last: each group's first row by a window, which no target could rank over)
    assert [r.columns for r in results[:2]] == [["school", "n"], ["pupils"]]
    with pytest.raises(ScriptError, match="WITH TIES clause is not allowed without"):
        run_text(db, "SELECT TOP 1 WITH TIES pupils FROM (VALUES (1)) v(pupils)", "tsql",
                 None, False)


@pytest.mark.parametrize("backend", BACKENDS)
def test_tablesample_takes_a_random_sample(backend: str, request: pytest.FixtureRequest) -> None:
    # SQLite read the whole table and PostgreSQL refused the clause
    db = _db(request, backend)
    census = "[NPD_i2].[2002237].[spring_census_2011]"
    [(total,)] = _rows(db, f"SELECT COUNT(*) FROM {census}")
    [(half, none, ten)] = _rows(db, f"""SELECT
    (SELECT COUNT(*) FROM {census} AS c TABLESAMPLE (50 PERCENT) WHERE c.Gender_spr11 <> 'x'),
    (SELECT COUNT(*) FROM {census} TABLESAMPLE SYSTEM (0 PERCENT)),
    (SELECT COUNT(*) FROM {census} TABLESAMPLE (10 ROWS) REPEATABLE (42))""")
    assert total > 100 and 0.2 * total < half < 0.8 * total and (none, ten) == (0, 10)


@pytest.mark.parametrize("backend", BACKENDS)
def test_catalog_views_show_the_srs_views(backend: str, request: pytest.FixtureRequest) -> None:
    """sys.views, sys.columns, sys.types and sys.schemas as the SRS shows the extract (each
    stopped the script before), with OBJECT_ID and OBJECT_NAME agreeing on the numbers."""
    db = _db(request, backend)
    # the exploring researcher's query: every column whose name mentions FSM, with its type
    found = _rows(db, """SELECT v.name, c.name, t.name, c.max_length, c.is_nullable
FROM [NPD_i2].sys.columns c JOIN [NPD_i2].sys.views v ON v.object_id = c.object_id
JOIN sys.types t ON t.user_type_id = c.user_type_id
WHERE c.name LIKE '%fsmeligible%' AND v.name = 'spring_census_2011'""")
    assert found == [("spring_census_2011", "FSMeligible_spr11", "int", 4, 1)]
    # a view's columns in order, by OBJECT_ID; text columns have their length and collation
    columns = _rows(db, """SELECT name, column_id, TYPE_NAME(user_type_id), max_length,
collation_name FROM sys.columns
WHERE object_id = OBJECT_ID('[LEO_i2].[2002237].[leo_benefit]') ORDER BY column_id""")
    assert [c[0] for c in columns] == ["EduKey", "StartDate", "EndDate", "Benefit_type",
                                       "Out_of_work_benefit"]
    assert columns[1][2:] == ("date", 3, None) and columns[0][1] == 1
    assert columns[0][2] == "varchar" and columns[0][3] > 0
    assert columns[0][4] == "Latin1_General_CI_AS"
    # OBJECT_NAME of a column's view (its argument read from the outer query), SCHEMA_NAME;
    # names compared with a literal ignoring case, as the SRS's collation does
    assert _rows(db, """SELECT OBJECT_NAME(object_id), SCHEMA_NAME(), COUNT(*) FROM sys.columns
WHERE name = 'out_of_work_benefit' GROUP BY OBJECT_NAME(object_id)""") == [
        ("leo_benefit", "dbo", 1)]
    assert _rows(db, """SELECT s.name, v.type, v.type_desc, COUNT(*) FROM [LEO_i2].sys.views v
JOIN [LEO_i2].sys.schemas s ON s.schema_id = v.schema_id
WHERE v.name IN ('leo_benefit', 'leo_earnings', 'spring_census_2011')
GROUP BY s.name, v.type, v.type_desc""") == [("2002237", "V", "VIEW", 2)]
    # the extract is views: sys.tables is empty, as in the SRS; sys.objects holds the views
    assert _rows(db, "SELECT COUNT(*) FROM sys.tables") == [(0,)]
    [(number, named)] = _rows(db, "SELECT object_id, OBJECT_NAME(object_id) FROM sys.objects "
                                  "WHERE name = 'leo_earnings'")
    assert named == "leo_earnings" and number > 0
    assert _rows(db, "SELECT OBJECT_ID('leo_earnings'), OBJECT_ID('nosuch')") == [(number, None)]
    # a #temp table's number is negative, as SQL Server's are
    assert _rows(db, "SELECT 1 AS x INTO #t\nSELECT SIGN(OBJECT_ID('tempdb..#t'))") == [(-1,)]
    # sys.all_objects lists SQL Server's own objects too, so the tally idiom gives the numbers
    # it asks for (the views alone gave 187 x 187 = 34,969 and no more)
    views = _rows(db, "SELECT COUNT(*) FROM sys.objects")[0][0]
    assert _rows(db, """SELECT COUNT(*) - SUM(is_ms_shipped), MIN(SIGN(object_id))
FROM sys.all_objects""") == [(views, -1)]
    assert _rows(db, """SELECT TOP (50000) ROW_NUMBER() OVER (ORDER BY (SELECT NULL)) AS n INTO #n
FROM sys.all_objects a CROSS JOIN sys.all_objects b
SELECT COUNT(*), COUNT(DISTINCT n), MAX(n) FROM #n""") == [(50000, 50000, 50000)]
    # and sys.all_columns too, in a database of few views (LEO_i2's 70 columns gave 4,900)
    assert _rows(db, """USE LEO_i2
SELECT TOP (200000) ROW_NUMBER() OVER (ORDER BY (SELECT 1)) AS n INTO #m
FROM sys.all_columns a CROSS JOIN sys.all_columns b
SELECT COUNT(*), MIN(n), MAX(n) FROM #m""") == [(200000, 1, 200000)]


def test_an_order_by_a_constant_subquery_is_no_order() -> None:
    """(SELECT NULL) was run for every row and sorted on: a tally of a million numbers took
    20 seconds or more on each target; OVER () numbers rows as it reads them."""
    tree = sqlglot.parse_one("SELECT TOP 5 ROW_NUMBER() OVER (ORDER BY (SELECT NULL)) AS n, "
                             "RANK() OVER (PARTITION BY x ORDER BY (SELECT 1), y) AS r "
                             "FROM t ORDER BY (SELECT 0)", read="tsql")
    assert constant_orders.for_target(tree).sql("tsql") == (
        "SELECT TOP 5 ROW_NUMBER() OVER () AS n, "
        "RANK() OVER (PARTITION BY x ORDER BY (SELECT 1), y) AS r FROM t")


def test_catalog_views_of_tempdb_other_than_its_objects_are_refused(small_sqlite) -> None:
    with pytest.raises(ScriptError, match=r"line 2: tempdb.sys.indexes cannot be translated: "
                       r"sys.views, .*tempdb..sysobjects and tempdb.INFORMATION_SCHEMA."
                       r"TABLES and .COLUMNS the #temp tables"):
        run_text(str(small_sqlite[0]), "SELECT 1\nSELECT name FROM tempdb.sys.indexes",
                 "tsql", None, False)
    with pytest.raises(ScriptError, match=r"sys.sql_modules cannot be translated"):
        run_text(str(small_sqlite[0]), "SELECT * FROM sys.sql_modules", "tsql", None, False)


@pytest.mark.parametrize("backend", BACKENDS)
def test_grouping_id_and_approximate_counts(backend: str, request: pytest.FixtureRequest) -> None:
    # SQLite had neither function; DuckDB's estimate of distinct values is not SQL Server's
    db = _db(request, backend)
    setup = """CREATE TABLE #e (region VARCHAR(2), sex CHAR(1), id INT)
INSERT INTO #e VALUES ('N', 'F', 1), ('N', 'M', 2), ('S', 'F', 1), ('S', 'F', 3)
"""
    assert _rows(db, setup + """SELECT region, sex, GROUPING_ID(region, sex) AS g, COUNT(*)
FROM #e GROUP BY CUBE(region, sex) HAVING GROUPING_ID(region, sex) > 0
ORDER BY g, region, sex""") == [
        ("N", None, 1, 2), ("S", None, 1, 2), (None, "F", 2, 3), (None, "M", 2, 1),
        (None, None, 3, 4)]
    assert _rows(db, setup + "SELECT APPROX_COUNT_DISTINCT(id), APPROX_COUNT_DISTINCT(region) "
                             "FROM #e") == [(3, 2)]


SPLITS = """DECLARE @codes VARCHAR(20) = 'R,X,11'
SELECT value, ordinal FROM STRING_SPLIT('a b  c', ' ', 1) ORDER BY ordinal
SELECT s.value FROM STRING_SPLIT(@codes, ',') AS s ORDER BY s.value
SELECT COUNT(*) FROM [NPD_i2].[2002237].[spring_census_2011] c
WHERE c.NCyearActual_spr11 IN (SELECT value FROM STRING_SPLIT(@codes, ','))
CREATE TABLE #t (id INT, codes VARCHAR(20))
INSERT INTO #t VALUES (1, 'a,b'), (2, 'c')
SELECT t.id, s.value FROM #t t OUTER APPLY STRING_SPLIT('p,q', ',') s ORDER BY t.id, s.value"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_string_split_is_a_table_of_the_parts(backend: str,
                                              request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    [(listed,)] = _rows(db, """SELECT COUNT(*) FROM [NPD_i2].[2002237].[spring_census_2011]
WHERE NCyearActual_spr11 IN ('R', 'X', '11')""")
    results = run_text(db, SPLITS, "tsql", None, True)
    assert [r.rows for r in results] == [
        [("a", 1), ("b", 2), ("", 3), ("c", 4)], [("11",), ("R",), ("X",)], [(listed,)],
        [(1, "p"), (1, "q"), (2, "p"), (2, "q")]]
    apply = "SELECT t.id, s.value FROM #t t CROSS APPLY STRING_SPLIT(t.codes, ',') s"
    text = SPLITS.rsplit("\n", 1)[0] + "\n" + apply + " ORDER BY t.id, s.value"
    assert _rows(db, text) == [(1, "a"), (1, "b"), (2, "c")]


COLUMN_SPLITS = """CREATE TABLE #t (id INT, codes VARCHAR(20))
INSERT INTO #t VALUES (1, 'a,b,,c'), (2, NULL), (3, ''), (4, 'q"u\\o' + CHAR(9) + 't,' + 'z')
SELECT t.id, s.* FROM #t t OUTER APPLY STRING_SPLIT(t.codes, ',', 1) s ORDER BY t.id, s.ordinal
SELECT * FROM #t t CROSS APPLY STRING_SPLIT(t.codes, ',', 1) ORDER BY id, ordinal DESC
SELECT id FROM #t t WHERE 'c' IN (SELECT value FROM STRING_SPLIT(t.codes, ','))"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_string_split_of_a_column_runs_everywhere(backend: str,
                                                  request: pytest.FixtureRequest) -> None:
    """A split of another table's column, which SQLite refused (it has no lateral joins):
    every part, empty ones too; NULL none (a NULL row for OUTER APPLY), '' one; quotes,
    backslashes and control characters kept; ``*`` the split's ``value`` and ``ordinal``."""
    db = _db(request, backend)
    results = run_text(db, COLUMN_SPLITS, "tsql", None, True)
    tricky = 'q"u\\o\tt'
    assert [r.rows for r in results] == [
        [(1, "a", 1), (1, "b", 2), (1, "", 3), (1, "c", 4), (2, None, None), (3, "", 1),
         (4, tricky, 1), (4, "z", 2)],
        [(1, "a,b,,c", "c", 4), (1, "a,b,,c", "", 3), (1, "a,b,,c", "b", 2),
         (1, "a,b,,c", "a", 1), (3, "", "", 1), (4, tricky + ",z", "z", 2),
         (4, tricky + ",z", tricky, 1)],
        [(1,)]]
    assert [list(r.columns) for r in results[:2]] == [["id", "value", "ordinal"],
                                                      ["id", "codes", "value", "ordinal"]]
    # without its third argument the split has no ordinal (PostgreSQL and DuckDB had one,
    # so the derived table's ordinal was ambiguous there)
    [alone, beside] = run_text(db, """SELECT * FROM STRING_SPLIT('p,q', ',') ORDER BY value
SELECT t.id, ordinal FROM (SELECT 1 AS id, 'a,b' AS codes, 9 AS ordinal) t
CROSS APPLY STRING_SPLIT(t.codes, ',') s ORDER BY s.value""", "tsql", None, True)
    assert (list(alone.columns), alone.rows, beside.rows) == (
        ["value"], [("p",), ("q",)], [(1, 9), (1, 9)])


MERGED = """CREATE TABLE #t (id INT, v VARCHAR(5))
INSERT INTO #t VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')
CREATE TABLE #s (id INT, v VARCHAR(5))
INSERT INTO #s VALUES (1, 'A'), (2, NULL), (5, 'E')
MERGE INTO #t AS t USING (SELECT id, v FROM #s) AS s ON t.id = s.id
WHEN MATCHED AND s.v IS NULL THEN DELETE
WHEN MATCHED THEN UPDATE SET t.v = s.v
WHEN NOT MATCHED BY TARGET THEN INSERT (id, v) VALUES (s.id, s.v)
WHEN NOT MATCHED BY SOURCE AND t.id > 3 THEN DELETE;
SELECT @@ROWCOUNT
SELECT id, v FROM #t ORDER BY id
MERGE #t USING #s ON #t.id = #s.id
WHEN NOT MATCHED THEN INSERT VALUES (#s.id + 10, #s.v);
SELECT id, v FROM #t ORDER BY id"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_merge_updates_deletes_and_inserts_as_sql_server(backend: str,
                                                         request: pytest.FixtureRequest
                                                         ) -> None:
    # 1 updated, 2 deleted (its source value is NULL), 5 inserted, 4 deleted (no source row,
    # id > 3), 3 kept; the second MERGE inserts the one source row still unmatched
    db = _db(request, backend)
    results = run_text(db, MERGED, "tsql", None, True)
    assert [r.rows for r in results] == [
        [(4,)], [(1, "A"), (3, "c"), (5, "E")], [(1, "A"), (3, "c"), (5, "E"), (12, None)]]
    # a source of rows written out, its columns named by its alias (the alias's column list
    # was dropped, so the MERGE stopped with "Invalid column name 'id'.")
    [values] = run_text(db, """CREATE TABLE #v (id INT, v VARCHAR(5))
INSERT INTO #v VALUES (1, 'a'), (2, 'b')
MERGE INTO #v AS t USING (VALUES (2, 'B'), (3, 'c')) AS s (id, v) ON t.id = s.id
WHEN MATCHED THEN UPDATE SET v = s.v
WHEN NOT MATCHED BY TARGET THEN INSERT (id, v) VALUES (s.id, s.v)
WHEN NOT MATCHED BY SOURCE THEN DELETE;
SELECT id, v FROM #v ORDER BY id""", "tsql", None, False)
    assert values.rows == [(2, "B"), (3, "c")]
    with pytest.raises(ScriptError, match=r"line 2: MERGE \.\.\. OUTPUT cannot be translated"):
        run_text(db, "CREATE TABLE #t (id INT)\nMERGE #t USING #t AS s ON #t.id = s.id "
                 "WHEN MATCHED THEN DELETE OUTPUT deleted.id;", "tsql", None, False)
    # so are INSERT and UPDATE ... OUTPUT, in words that say so (not "The multi-part
    # identifier "inserted.id" could not be bound.")
    for text, kind, when in (
            ("INSERT INTO #t (id) OUTPUT inserted.id VALUES (1)", "INSERT", "after"),
            ("UPDATE #t SET id = 2 OUTPUT deleted.id, inserted.id", "UPDATE", "after"),
            ("DELETE #t OUTPUT deleted.id", "DELETE", "before"),
            # (with a WHERE after the OUTPUT, which sqlglot could not parse at all)
            ("DELETE FROM #t OUTPUT deleted.id WHERE id = 1", "DELETE", "before"),
            ("UPDATE #t SET id = 2 OUTPUT inserted.id WHERE id = 1", "UPDATE", "after")):
        with pytest.raises(ScriptError, match=rf"line 2: {kind} \.\.\. OUTPUT cannot be "
                                              rf"translated: SELECT the rows from the table "
                                              rf"{when} the {kind}$"):
            run_text(db, "CREATE TABLE #t (id INT)\n" + text, "tsql", None, False)


def test_a_log_headers_session_values(small_sqlite) -> None:
    text = """PRINT @@VERSION
USE [NPD_i2]
SELECT DB_NAME(), @@SERVERNAME, SUSER_SNAME(), HOST_NAME(), APP_NAME(), @@SPID"""
    assert _rows(str(small_sqlite[0]), text) == [
        ("NPD_i2", "leo-synth", "leo-synth", "leo-synth", "leo-synth sql", 51)]
    # SERVERPROPERTY stopped the script (no such function): NULL for a property not held, as
    # SQL Server answers a name it does not know
    assert _rows(str(small_sqlite[0]), """SELECT SERVERPROPERTY('ServerName'),
    CAST(SERVERPROPERTY('Collation') AS VARCHAR(40)), SERVERPROPERTY('ProductVersion'),
    SERVERPROPERTY('NoSuchProperty')""") == [
        ("leo-synth", "Latin1_General_CI_AS", None, None)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_table_as_ssms_scripts_it(backend: str, request: pytest.FixtureRequest) -> None:
    """SSMS's "Script Table as CREATE": filegroups, index options, and a default added by
    ALTER TABLE ... ADD CONSTRAINT ... DEFAULT ... FOR (none of which parsed or ran)."""
    db = _db(request, backend)
    script_ = """SET ANSI_NULLS ON
GO
CREATE TABLE [dbo].[cohort](
\t[pmr] [varchar](18) NOT NULL,
\t[yr] [int] NULL,
\t[flag] [bit] NOT NULL,
\t[notes] [nvarchar](max) NULL,
 CONSTRAINT [PK_cohort] PRIMARY KEY CLUSTERED
(
\t[pmr] ASC
)WITH (PAD_INDEX = OFF, IGNORE_DUP_KEY = OFF, ALLOW_PAGE_LOCKS = ON) ON [PRIMARY]
) ON [PRIMARY] TEXTIMAGE_ON [PRIMARY]
GO
ALTER TABLE [dbo].[cohort] ADD  CONSTRAINT [DF_cohort_flag]  DEFAULT ((1)) FOR [flag]
GO
ALTER TABLE [dbo].[cohort] ADD DEFAULT ('none') FOR [notes];
INSERT INTO [dbo].[cohort] (pmr, yr) VALUES ('a', 2011), ('b', 2012)
INSERT INTO dbo.cohort (pmr, flag, notes) SELECT 'c', 0, NULL UNION ALL SELECT 'd', 0, 'x'
INSERT INTO dbo.cohort VALUES ('e', 2015, 0, 'y')
SELECT c.pmr, c.yr, c.flag, c.notes, n.k FROM dbo.cohort c
JOIN (SELECT 'a' AS k UNION ALL SELECT 'c') n ON n.k = c.pmr
ORDER BY pmr"""
    assert _rows(db, script_) == [("a", 2011, 1, "none", "a"), ("c", None, 0, None, "c")]
    assert _rows(db, script_.replace("JOIN (SELECT 'a' AS k UNION ALL SELECT 'c') n ON "
                                     "n.k = c.pmr", "CROSS JOIN (SELECT 1 AS k) n")
                 .replace("c.notes, n.k", "c.notes")) == [
        ("a", 2011, 1, "none"), ("b", 2012, 1, "none"), ("c", None, 0, None),
        ("d", None, 0, "x"), ("e", 2015, 0, "y")]
    with pytest.raises(ScriptError, match="Invalid column name 'flags'"):
        _rows(db, "CREATE TABLE #t (flag BIT)\nALTER TABLE #t ADD DEFAULT 0 FOR flags")


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_alias_is_no_column_of_its_own_querys_filters_and_groups(
        backend: str, request: pytest.FixtureRequest) -> None:
    """SQL Server names result columns after filtering and grouping: GROUP BY kind or HAVING
    n > 5 of the query's own aliases fails in the SRS (SQLite and DuckDB read them)."""
    db = _db(request, backend)
    setup = "CREATE TABLE #b (code VARCHAR(3), n INT)\nINSERT INTO #b VALUES ('JSA', 1), " \
            "('ESA', 2), ('JSA', 3)\n"
    for text, name in (
            ("SELECT CASE WHEN code = 'JSA' THEN 'j' ELSE 'o' END AS kind, COUNT(*) AS c "
             "FROM #b GROUP BY kind", "kind"),
            ("SELECT code, COUNT(*) AS c FROM #b GROUP BY code HAVING c > 1", "c"),
            ("SELECT n * 2 AS twice FROM #b WHERE twice > 2", "twice"),
            (";WITH t AS (SELECT code AS k FROM #b) SELECT LEFT(k, 1) AS first FROM t "
             "GROUP BY first", "first"),
            ("SELECT n + 1 AS x, x * 2 AS y FROM #b", "x")):  # (DuckDB read this one)
        with pytest.raises(ScriptError, match=f"Invalid column name '{name}'"):
            _rows(db, setup + text)
    # what SQL Server runs: an alias that is also a column, ORDER BY an alias, an outer
    # query over a subquery's or a CTE's names
    assert _rows(db, setup + """SELECT code AS n, COUNT(*) AS c FROM #b WHERE n > 1
GROUP BY code ORDER BY c DESC, n""") == [("ESA", 1), ("JSA", 1)]
    assert _rows(db, setup + """;WITH t AS (SELECT code AS kind, n FROM #b)
SELECT kind, SUM(n) AS total FROM (SELECT kind, n FROM t) s WHERE kind <> 'x'
GROUP BY kind HAVING SUM(n) > 1 ORDER BY total""") == [("ESA", 2), ("JSA", 4)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_grouped_query_reads_columns_through_groups_or_aggregates(
        backend: str, request: pytest.FixtureRequest) -> None:
    """SQL Server's error 8120: SQLite, the default output, gave some row's value of a column
    outside the GROUP BY, so the mistake passed here and failed in the SRS."""
    db = _db(request, backend)
    setup = """CREATE TABLE #t (a INT, b VARCHAR(3), n INT)
INSERT INTO #t VALUES (1, 'x', 10), (1, 'y', 20), (2, 'x', 30)
CREATE TABLE #u (a INT, s INT)
INSERT INTO #u VALUES (1, 5), (1, 6)
"""
    for text, name, place in (
            ("SELECT a, b, COUNT(*) FROM #t GROUP BY a", "b", "select list"),
            ("SELECT b, COUNT(*) FROM #t", "b", "select list"),
            ("SELECT t.a, SUM(n) FROM #t t GROUP BY a HAVING MAX(n) > b", "b", "HAVING clause"),
            ("SELECT a, COUNT(*) AS c FROM #t GROUP BY a ORDER BY n", "n", "ORDER BY clause"),
            ("SELECT a + n FROM #t GROUP BY a", "n", "select list"),
            ("SELECT a, SUM(SUM(n)) OVER (PARTITION BY b) FROM #t GROUP BY a", "b",
             "select list"),
            ("SELECT t.a, COUNT(*) FROM #t t JOIN #u u ON u.a = t.a GROUP BY t.a, u.s "
             "ORDER BY t.n", "t.n", "ORDER BY clause")):
        with pytest.raises(ScriptError, match=re.escape(
                f"Column '{name}' is invalid in the {place} because it is not contained in "
                f"either an aggregate function or the GROUP BY clause.")):
            _rows(db, setup + text)
    # what SQL Server runs: GROUP BY expressions, aggregates, constants, windows, ORDER BY an
    # alias, ROLLUP, and a subquery reading its outer query's columns
    assert _rows(db, setup + """SELECT t.a * 10 + 1 AS k, LEFT(b, 1) AS b1, 'all' AS what,
    COUNT(*) AS c, SUM(SUM(n)) OVER () AS total,
    (SELECT COUNT(*) + t.a FROM #u u WHERE u.a = t.a) AS matched
FROM #t t GROUP BY t.a * 10 + 1, LEFT(b, 1), t.a
HAVING SUM(n) > 0 ORDER BY k, c""") == [
        (11, "x", "all", 1, 60, 3), (11, "y", "all", 1, 60, 3), (21, "x", "all", 1, 60, 2)]
    assert _rows(db, setup + """SELECT a, x.total FROM #t t OUTER APPLY (SELECT t.n AS n,
    SUM(u.s) AS total FROM #u u WHERE u.a = t.a) x WHERE b = 'x' ORDER BY a""") == [
        (1, 11), (2, None)]
    assert _rows(db, setup + "SELECT a, COUNT(*) FROM #t GROUP BY ROLLUP(a) ORDER BY a") == [
        (None, 3), (1, 2), (2, 1)]
    # a column no table has is no 8120 (SQL Server reports the unknown name first)
    with pytest.raises(ScriptError, match="a2") as unknown:
        _rows(db, setup + "SELECT a, COUNT(*) FROM #t GROUP BY a HAVING MAX(n) > a2")
    assert "is invalid in the" not in str(unknown.value)


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_order_by_that_orders_nothing_is_refused(backend: str,
                                                    request: pytest.FixtureRequest) -> None:
    """SQL Server's error 1033: the targets ran an ORDER BY inside a CTE or a subquery."""
    db = _db(request, backend)
    setup = "CREATE TABLE #t (a INT)\nINSERT INTO #t VALUES (2), (1), (3)\n"
    for text in (";WITH s AS (SELECT a FROM #t ORDER BY a) SELECT COUNT(*) FROM s",
                 "SELECT COUNT(*) FROM (SELECT a FROM #t ORDER BY a) s",
                 "SELECT COUNT(*) FROM #t WHERE a IN (SELECT a FROM #t ORDER BY a DESC)",
                 "CREATE VIEW v AS SELECT a FROM #t ORDER BY a",
                 "SELECT COUNT(*) FROM (SELECT a FROM #t UNION ALL SELECT a FROM #t "
                 "ORDER BY a) s"):
        with pytest.raises(ScriptError, match=re.escape(
                "The ORDER BY clause is invalid in views, inline functions, derived tables, "
                "subqueries, and common table expressions, unless TOP, OFFSET or FOR XML is "
                "also specified.")):
            _rows(db, setup + text)
    # with TOP, OFFSET or FOR XML it chooses rows, and at the top it orders them
    assert _rows(db, setup + """;WITH s AS (SELECT TOP 2 a FROM #t ORDER BY a DESC)
SELECT (SELECT SUM(a) FROM s), (SELECT SUM(a) FROM (SELECT a FROM #t ORDER BY a
    OFFSET 1 ROWS) o), STUFF((SELECT ',' + CAST(a AS VARCHAR(2)) FROM #t ORDER BY a
    FOR XML PATH('')), 1, 1, '')""") == [(5, 5, "1,2,3")]
    assert _rows(db, setup + "SELECT a INTO #u FROM #t ORDER BY a\nINSERT INTO #u SELECT a "
                 "FROM #t ORDER BY a DESC\nSELECT a FROM #u UNION SELECT 9 ORDER BY a") == [
        (1,), (2,), (3,), (9,)]


def test_other_dialects_sql_that_sql_server_refuses_is_refused() -> None:
    """sqlglot reads these as T-SQL and every target runs them; the SRS would not."""
    for text, said in (("SELECT TOP 5 a FROM t\nSELECT a FROM t LIMIT 5", "line 2: Incorrect "
                        "syntax near 'LIMIT': T-SQL chooses rows with SELECT TOP (n)"),
                       ("SELECT 'a' || 'b'", "near '|': T-SQL joins text with + or CONCAT"),
                       ("SELECT a::INT FROM t", "near '::': T-SQL casts with CAST(x AS type)"),
                       ("SELECT 1 WHERE 'A' ILIKE 'a'", "near 'ILIKE'"),
                       ("SELECT a FROM t WHERE flag = TRUE", "Invalid column name 'TRUE'"),
                       ("SELECT now()", "'now' is not a recognized built-in function name: "
                        "T-SQL has GETDATE()")):
        with pytest.raises(ScriptError, match=re.escape(said)):
            check(text)
    check("SELECT 'LIMIT || :: TRUE now()' AS [limit], [now], GETDATE() -- LIMIT 5")


@pytest.mark.parametrize("backend", BACKENDS)
def test_columns_without_a_name_are_unnamed_as_in_sql_server(backend: str,
                                                             request: pytest.FixtureRequest
                                                             ) -> None:
    # the targets named them (COUNT(*) was "*", 'x' was "x"); SSMS shows "(No column name)"
    db = _db(request, backend)
    result = run_text(db, "SELECT COUNT(*), 'x', 1 + 1, TaxYear, e.Earnings AS pay, "
                          "n = 2 FROM leo_earnings e GROUP BY TaxYear, e.Earnings",
                      "tsql", 1, False)[-1]
    assert result.columns == ["", "", "", "TaxYear", "pay", "n"]
    assert output.table(result)[0].split()[:6] == ["(No", "column", "name)"] * 2


@pytest.mark.parametrize(("text", "error"), [
    ("SELECT COUNT(*) INTO #t FROM leo_earnings", "column name is missing or empty"),
    ("WITH c AS (SELECT MAX(TaxYear) FROM leo_earnings) SELECT * FROM c",
     "No column name was specified for column 1 of 'c'"),
    ("SELECT * FROM (SELECT TaxYear, COUNT(*) FROM leo_earnings GROUP BY TaxYear) x",
     "No column name was specified for column 2 of 'x'"),
    ("CREATE VIEW v AS SELECT TaxYear, MAX(Earnings) FROM leo_earnings GROUP BY TaxYear",
     "no column name was specified for column 2"),
])
def test_unnamed_columns_where_sql_server_needs_a_name_are_refused(
        text: str, error: str, small_sqlite: tuple) -> None:
    # each ran here and failed in the SRS (errors 1038, 8155, 4511)
    with pytest.raises(ScriptError, match=re.escape(error)):
        run_text(str(small_sqlite[0]), text, "tsql", None, False)


def test_named_columns_where_sql_server_needs_them_run(small_sqlite: tuple) -> None:
    text = """WITH c (n) AS (SELECT COUNT(*) FROM leo_earnings)
SELECT x.n INTO #t FROM (SELECT n FROM c) x
SELECT * FROM (SELECT COUNT(*) FROM #t) y(rows_)
SELECT TaxYear FROM leo_earnings WHERE TaxYear IN (SELECT MAX(TaxYear) FROM leo_earnings)
GROUP BY TaxYear"""
    results = run_text(str(small_sqlite[0]), text, "tsql", None, True)
    assert [r.columns for r in results] == [["rows_"], ["TaxYear"]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_derived_tables_column_list_names_its_columns(backend: str,
                                                        request: pytest.FixtureRequest) -> None:
    # SQLite lost the list: y.b named no column, and SELECT * showed the inner names
    db = _db(request, backend)
    text = """SELECT y.b, y.n FROM (SELECT TaxYear AS a, COUNT(*) AS c FROM leo_earnings
GROUP BY TaxYear) AS y(b, n) WHERE y.b = (SELECT MIN(TaxYear) FROM leo_earnings)
SELECT * FROM (SELECT COUNT(*) FROM leo_earnings UNION ALL SELECT 0) AS z(rows_)"""
    first, second = run_text(db, text, "tsql", None, True)
    assert first.columns == ["b", "n"] and len(first.rows) == 1 and first.rows[0][1] > 0
    assert second.columns == ["rows_"] and sorted(_value(r[0]) for r in second.rows)[0] == 0


@pytest.mark.parametrize("backend", BACKENDS)
def test_milliseconds_of_a_datetime(backend: str, request: pytest.FixtureRequest) -> None:
    # DATEPART(ms) stopped SQLite and counted the second's too elsewhere (30123); SQLite
    # dropped the fraction of a cast and gave NULL for DATEADD(ms); styles 126 and 113 wrote
    # microseconds
    db = _db(request, backend)
    text = """DECLARE @t DATETIME = '2015-03-01 13:45:30.123'
SELECT DATEPART(ms, @t) AS a, DATEPART(millisecond, CAST('2015-03-01 13:45:30.250' AS DATETIME)),
       DATEDIFF(ms, '2015-03-01 13:45:29', @t), DATEDIFF(ms, @t, DATEADD(ms, 1500, @t)),
       CONVERT(VARCHAR(23), DATEADD(ms, 500, @t), 121), CONVERT(VARCHAR(30), @t, 126),
       CONVERT(VARCHAR(30), @t, 113), CONVERT(VARCHAR(12), @t, 114)"""
    assert _rows(db, text) == [(123, 250, 1123, 1500, "2015-03-01 13:45:30.623",
                                "2015-03-01T13:45:30.123", "01 Mar 2015 13:45:30:123",
                                "13:45:30:123")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_microseconds_and_nanoseconds_of_a_datetime2(backend: str,
                                                     request: pytest.FixtureRequest) -> None:
    # DATEPART(microsecond | nanosecond) stopped SQLite with a syntax error and counted the
    # second's too on DuckDB (12250000); SQL Server counts the fraction of the second alone
    # (its documentation: DATEPART(microsecond, '00:00:01.1234567') is 123456)
    db = _db(request, backend)
    text = """CREATE TABLE #t (d DATETIME2, d3 DATETIME2(3))
INSERT INTO #t VALUES ('2019-01-01 10:11:12.25', '2019-01-01 10:11:59.125')
DECLARE @d DATETIME2 = '2019-01-01 10:11:12.5'
SELECT DATEPART(microsecond, d), DATEPART(nanosecond, d), DATEPART(mcs, d3), DATEPART(ns, d3),
       DATEPART(microsecond, @d), DATEPART(nanosecond, CAST('2019-01-01 00:00:01.75' AS DATETIME2))
FROM #t"""
    assert _rows(db, text) == [(250000, 250000000, 125000, 125000000, 500000, 750000000)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_round_to_a_computed_length(backend: str, request: pytest.FixtureRequest) -> None:
    # ROUND(x, n) with n a column or an expression (0 - @n): SQLite's ROUND read a negative n
    # as 0 (1234.56 to -2 was 1235.00), and DuckDB's takes no length but a constant (the
    # script stopped); SQL Server rounds to hundreds, and ROUND(x, NULL) is NULL
    db = _db(request, backend)
    results = run_text(db, """CREATE TABLE #r (id INT, x DECIMAL(10, 3), f FLOAT, i INT, n INT)
INSERT INTO #r VALUES (1, 1234.56, 1234.56, 1234, -2), (2, 1255, 1256, 1255, -1),
    (3, 2.675, 2.6771, 1250, 2), (4, 748.58, 748.58, 748, -4), (5, 3.5, 3.5, 3, NULL)
SELECT id, ROUND(x, n), ROUND(f, n), ROUND(i, n), ROUND(f, n + 1) FROM #r ORDER BY id
DECLARE @n INT = 2
SELECT ROUND(1234.5, 0 - @n), ROUND(1250, -1 * @n), ROUND(2.675, 0 + @n)""",
                       "tsql", None, True)
    assert [[output.cell(v) for v in row] for result in results for row in result.rows] == [
        ["1", "1200.000", "1200", "1200", "1230"], ["2", "1260.000", "1260", "1260", "1256"],
        ["3", "2.680", "2.68", "1250", "2.677"], ["4", "0.000", "0", "0", "1000"],
        ["5", "NULL", "NULL", "NULL", "NULL"], ["1200.0", "1300", "2.680"]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_style_126_writes_no_zero_fraction(backend: str, request: pytest.FixtureRequest) -> None:
    # style 126 wrote a fraction of .000 (2019-03-31T00:00:00.000); SQL Server's
    # documentation: "For a milliseconds (mmm) value of 0, the millisecond decimal fraction
    # value won't display" (2022-11-07T18:26:20.000 is 2022-11-07T18:26:20)
    db = _db(request, backend)
    text = """CREATE TABLE #t (id INT, d DATETIME)
INSERT INTO #t VALUES (1, '2019-03-31'), (2, '2019-03-31 01:02:03.010'), (3, NULL)
SELECT id, CONVERT(VARCHAR(30), d, 126), CONVERT(VARCHAR(30), d, 121),
       CONVERT(VARCHAR(30), CAST('2019-03-31 10:11' AS SMALLDATETIME), 126) FROM #t ORDER BY id"""
    assert _rows(db, text) == [
        (1, "2019-03-31T00:00:00", "2019-03-31 00:00:00.000", "2019-03-31T10:11:00"),
        (2, "2019-03-31T01:02:03.010", "2019-03-31 01:02:03.010", "2019-03-31T10:11:00"),
        (3, None, None, "2019-03-31T10:11:00")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_text_is_grouped_ignoring_case_and_trailing_spaces(
        backend: str, request: pytest.FixtureRequest) -> None:
    # SQL Server's Latin1_General_CI_AS makes 'abc', 'ABC' and 'abc ' one group (equal but
    # for case, and a comparison pads with spaces); the targets made three, in GROUP BY,
    # SELECT DISTINCT and COUNT(DISTINCT)
    db = _db(request, backend)
    setup = """CREATE TABLE #g (code VARCHAR(10), n INT)
INSERT INTO #g VALUES ('abc', 1), ('ABC', 2), ('abc ', 3), ('xyz', 4), (NULL, 5)
"""
    assert _rows(db, setup + """SELECT code, COUNT(*), SUM(n) FROM #g GROUP BY code
ORDER BY code""") == [(None, 1, 5), ("ABC", 3, 6), ("xyz", 1, 4)]
    assert _rows(db, setup + """SELECT t.code, UPPER(code), COUNT(*) FROM #g t GROUP BY t.code
HAVING COUNT(*) > 1""") == [("ABC", "ABC", 3)]
    assert _rows(db, setup + """SELECT LEFT(code, 2) AS c2, COUNT(*) FROM #g
GROUP BY LEFT(code, 2) ORDER BY c2""") == [(None, 1), ("AB", 3), ("xy", 1)]
    assert _rows(db, setup + """;WITH c AS (SELECT code FROM #g WHERE n > 0)
SELECT s.code, COUNT(*) FROM (SELECT code FROM c) s WHERE s.code IN (SELECT code FROM #g)
GROUP BY s.code ORDER BY s.code""") == [("ABC", 3), ("xyz", 1)]
    assert _rows(db, setup + "SELECT DISTINCT code FROM #g ORDER BY code") == [
        (None,), ("ABC",), ("xyz",)]
    assert _rows(db, setup + "SELECT COUNT(DISTINCT code), COUNT(DISTINCT n) FROM #g") == [
        (2, 5)]
    assert _rows(db, setup + """SELECT DISTINCT code INTO #d FROM #g
SELECT COUNT(*) FROM #d""") == [(3,)]
    # (a case-sensitive collation written in the script keeps case)
    assert _rows(db, setup + """SELECT COUNT(*) FROM (SELECT code COLLATE Latin1_General_CS_AS
AS c FROM #g WHERE n <> 3 GROUP BY code COLLATE Latin1_General_CS_AS) s""") == [(4,)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_grouped_text_named_as_itself_and_recast_text(backend: str,
                                                      request: pytest.FixtureRequest) -> None:
    # a text column named by its own name in another case (code AS CODE) was a syntax error
    # on SQLite and DuckDB once grouped (the name itself was taken for the group's value);
    # a CTE's cast of a VALUES list's text to a date, under the same name, stopped DuckDB in
    # COUNT(DISTINCT ...) (RTRIM of a date)
    db = _db(request, backend)
    setup = """CREATE TABLE #g (code VARCHAR(10), n INT)
INSERT INTO #g VALUES ('abc', 1), ('ABC', 2), ('xyz', 4)
"""
    assert _rows(db, setup + """SELECT code AS CODE, COUNT(*) AS n FROM #g GROUP BY code
ORDER BY CODE""") == [("ABC", 2), ("xyz", 1)]
    assert _rows(db, setup + "SELECT DISTINCT code AS Code FROM #g ORDER BY Code") == [
        ("ABC",), ("xyz",)]
    assert _rows(db, """WITH months AS (SELECT CAST(first_day AS DATE) AS first_day
    FROM (VALUES ('2018-10-01'), ('2018-11-01'), ('2018-11-01')) AS m (first_day))
SELECT COUNT(DISTINCT first_day) AS n FROM months""") == [(2,)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_windows_partition_of_text_ignores_case_and_trailing_spaces(
        backend: str, request: pytest.FixtureRequest) -> None:
    # SQL Server partitions 'abc', 'ABC' and 'abc ' together (COUNT(*) OVER 3, ROW_NUMBER
    # 1 to 3); every target made three partitions of one row each
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #g (code VARCHAR(10), n INT)
INSERT INTO #g VALUES ('abc', 1), ('ABC', 2), ('abc ', 3), ('xyz', 4)
SELECT n, COUNT(*) OVER (PARTITION BY code) AS c,
    ROW_NUMBER() OVER (PARTITION BY code ORDER BY n DESC) AS r
FROM #g ORDER BY n""") == [(1, 3, 3), (2, 3, 2), (3, 3, 1), (4, 1, 1)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_date_in_a_style_with_a_time_writes_its_date_alone(
        backend: str, request: pytest.FixtureRequest) -> None:
    # style 121 is the "default for time, date, datetime2" (Microsoft's CAST and CONVERT
    # docs): a DATE writes the parts it holds, 2015-04-06, in 120, 121, 126 and 127 alike;
    # the targets wrote 2015-04-06 00:00:00.000 and 2015-04-06T00:00:00
    db = _db(request, backend)
    text = """CREATE TABLE #t (d DATE, dt DATETIME)
INSERT INTO #t VALUES ('2015-04-06', '2015-04-06 10:11:12.123')
DECLARE @d DATE = '2021-03-04'
SELECT CONVERT(VARCHAR, d, 121), CONVERT(VARCHAR(30), d, 126), CONVERT(VARCHAR, d, 120),
       CONVERT(VARCHAR(30), @d, 121), CONVERT(VARCHAR, CAST(dt AS DATE), 127),
       CONVERT(VARCHAR(30), dt, 121), CONVERT(VARCHAR(30), dt, 126) FROM #t"""
    assert _rows(db, text) == [("2015-04-06", "2015-04-06", "2015-04-06", "2021-03-04",
                                "2015-04-06", "2015-04-06 10:11:12.123",
                                "2015-04-06T10:11:12.123")]
    extract = """SELECT TOP 1 CONVERT(VARCHAR(30), MIN(StartDate), 121)
FROM [LEO_i2].[2002237].[leo_benefit]"""
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", _rows(db, extract)[0][0])
    # a derived table's or CTE's column that is a DATE wherever made is one too (it wrote
    # 2015-04-06 00:00:00.000); one made as a DATETIME keeps its time
    made = """WITH c AS (SELECT d, MIN(d) AS first_d, dt AS moment FROM #t
GROUP BY d, dt)
SELECT CONVERT(VARCHAR(30), x.d, 121), CONVERT(VARCHAR, x.first_d, 120),
       CONVERT(VARCHAR(30), x.moment, 121), CONVERT(VARCHAR(30), x.late, 121)
FROM (SELECT d, first_d, moment, DATEADD(day, 1, d) AS late FROM c) x"""
    assert _rows(db, text + "\n" + made) == [("2015-04-06", "2015-04-06",
                                              "2015-04-06 10:11:12.123",
                                              "2015-04-07 00:00:00.000")]
    # a UNION's column is named by its first branch and typed by all: a DATETIME branch
    # makes it a DATETIME, as SQL Server's type precedence does
    union = """SELECT CONVERT(VARCHAR(30), u.d, 121) FROM (SELECT d FROM #t UNION ALL
SELECT dt AS other FROM #t) u ORDER BY 1"""
    assert _rows(db, text + "\n" + union) == [("2015-04-06 00:00:00.000",),
                                               ("2015-04-06 10:11:12.123",)]
    extract = """SELECT TOP 1 CONVERT(VARCHAR(30), b.StartDate, 121)
FROM (SELECT StartDate FROM [LEO_i2].[2002237].[leo_benefit]) b"""
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", _rows(db, extract)[0][0])


@pytest.mark.parametrize("backend", BACKENDS)
def test_style_127_writes_no_zero_fraction_either(backend: str,
                                                  request: pytest.FixtureRequest) -> None:
    # style 127 (ISO 8601 with a time zone) wrote a fraction of .000; SQL Server's
    # documentation gives styles 126 and 127 the same note ("For a milliseconds (mmm) value
    # of 0, the millisecond decimal fraction value won't display"), and a DATETIME, which
    # has no time zone, is written without a Z
    db = _db(request, backend)
    text = """CREATE TABLE #t (id INT, d DATETIME)
INSERT INTO #t VALUES (1, '2019-03-31'), (2, '2019-03-31 01:02:03.010')
SELECT id, CONVERT(VARCHAR(30), d, 127), CONVERT(VARCHAR(30), d, 126) FROM #t ORDER BY id"""
    assert _rows(db, text) == [(1, "2019-03-31T00:00:00", "2019-03-31T00:00:00"),
                               (2, "2019-03-31T01:02:03.010", "2019-03-31T01:02:03.010")]


def test_a_datetime_is_shown_to_the_millisecond() -> None:
    assert output.cell(dt.datetime(2015, 3, 1, 13, 45, 30, 123000)) == "2015-03-01 13:45:30.123"
    assert output.cell(dt.datetime(2015, 3, 1, 13, 45, 30)) == "2015-03-01 13:45:30"


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_decimal_too_short_for_its_number_is_an_overflow(backend: str,
                                                          request: pytest.FixtureRequest
                                                          ) -> None:
    # SQLite kept 12345.6 in a DECIMAL(4, 1); SQL Server stops with error 8115
    db = _db(request, backend)
    text = """BEGIN TRY SELECT CAST(12345.6 AS DECIMAL(4, 1)) AS b END TRY
BEGIN CATCH SELECT ERROR_NUMBER() AS n, CAST(999.94 AS DECIMAL(4, 1)) AS fits END CATCH"""
    assert _rows(db, text) == [(8115, 999.9)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_round_past_its_decimals_digits_is_an_overflow(backend: str,
                                                         request: pytest.FixtureRequest) -> None:
    # ROUND of a DECIMAL(p, s) is a DECIMAL(p, s) in SQL Server: 9.99, a DECIMAL(3, 2), rounds
    # to 10.00, which needs a third digit, and stops with error 8115; every target gave 10.00
    db = _db(request, backend)
    text = """SELECT ROUND(CAST(1.2345 AS DECIMAL(10, 4)), 2),
    ROUND(CAST(9.94 AS DECIMAL(3, 2)), 1), ROUND(748.58, -2), ROUND(748.58, -4), ROUND(9.99, 0, 1),
    ROUND(-9.44, 0), ROUND(9.99, 2), CAST(ROUND(9.44, 0) AS VARCHAR(10))
CREATE TABLE #t (id INT, m DECIMAL(3, 2))
INSERT INTO #t VALUES (1, 1.25), (2, 9.49), (3, NULL)
SELECT id, ROUND(m, 0), ROUND(m, 1) FROM #t ORDER BY id
BEGIN TRY SELECT ROUND(CAST(9.99 AS DECIMAL(3, 2)), 0) END TRY
BEGIN CATCH SELECT ERROR_NUMBER(), ERROR_MESSAGE() END CATCH
INSERT INTO #t VALUES (4, -9.5)
BEGIN TRY SELECT id, ROUND(m, 0) FROM #t END TRY
BEGIN CATCH SELECT ERROR_NUMBER() END CATCH"""
    fits, column, caught, negative = run_text(db, text, "tsql", None, True)
    assert [[output.cell(v) for v in row] for row in fits.rows + column.rows] == [
        ["1.2300", "9.90", "700.00", "0.00", "9.00", "-9.00", "9.99", "9.00"],
        ["1", "1.00", "1.30"], ["2", "9.00", "9.50"], ["3", "NULL", "NULL"]]
    assert caught.rows == [(8115, "Arithmetic overflow error converting expression to data "
                                  "type numeric.")]
    assert negative.rows == [(8115,)]
    with pytest.raises(ScriptError, match="converting expression to data type numeric"):
        run_text(db, "SELECT ROUND(748.58, -3)", "tsql", None, True)


def test_a_decimal_is_shown_in_plain_digits() -> None:
    assert output.cell(decimal.Decimal("0E-20")) == "0.00000000000000000000"
    assert output.cell(decimal.Decimal("23.0")) == "23.0"


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_datetime_variable_plus_a_number_adds_days(backend: str,
                                                     request: pytest.FixtureRequest) -> None:
    # the variable's value was text: "Conversion failed when converting the varchar value"
    db = _db(request, backend)
    text = """DECLARE @t DATETIME = '2015-03-01 13:45:30'
SELECT CONVERT(VARCHAR(19), @t + 1, 120) AS a, CONVERT(VARCHAR(10), @t - 30, 120) AS b"""
    assert _rows(db, text) == [("2015-03-02 13:45:30", "2015-01-30")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_tempdb_lists_the_sessions_temp_tables(backend: str,
                                               request: pytest.FixtureRequest) -> None:
    # the idiom before DROP TABLE IF EXISTS stopped the script: "unknown SRS database 'tempdb'"
    db = _db(request, backend)
    text = """SELECT 1 AS x INTO #t
SELECT 2 AS y INTO #t2
IF EXISTS (SELECT * FROM tempdb..sysobjects WHERE id = OBJECT_ID('tempdb..#t')) DROP TABLE #t
SELECT LEFT(name, 4) AS n, LEN(name) AS l, type FROM tempdb.sys.objects WHERE name LIKE '#t%'
IF OBJECT_ID('tempdb.dbo.#t2') IS NOT NULL SELECT COUNT(*) AS t2 FROM tempdb.dbo.sysobjects
WHERE id = OBJECT_ID('tempdb..#t2')"""
    objects, t2 = run_text(db, text, "tsql", None, True)
    assert objects.rows == [("#t2_", 128, "U")]
    assert t2.rows == [(1,)]
    # a #temp table's columns, as dynamic SQL lists them (tempdb.sys.columns stopped the
    # script): declared types, or those SELECT ... INTO gave them, spelt as the script spelt them
    columns, built = run_text(db, """CREATE TABLE #d (pmr VARCHAR(18), flag BIT,
    score DECIMAL(5, 2), t DATETIME)
SELECT TOP 2 EduKey, COUNT(*) AS Spells, MIN(StartDate) AS first INTO #u
FROM [LEO_i2].[2002237].[leo_benefit] GROUP BY EduKey
SELECT c.object_id, c.column_id, c.name, TYPE_NAME(c.user_type_id), c.max_length,
    c.precision, c.scale FROM tempdb.sys.columns c
WHERE c.object_id IN (OBJECT_ID('tempdb..#d'), OBJECT_ID('tempdb..#u'))
ORDER BY CASE WHEN c.object_id = OBJECT_ID('tempdb..#d') THEN 1 ELSE 2 END, c.column_id
DECLARE @list NVARCHAR(MAX) = STUFF((SELECT ', ' + QUOTENAME(name) FROM tempdb.sys.columns
    WHERE object_id = OBJECT_ID('tempdb..#u') ORDER BY column_id FOR XML PATH('')), 1, 2, '')
SELECT @list""", "tsql", None, True)
    assert [row[1:] for row in columns.rows] == [
        (1, "pmr", "varchar", 18, 0, 0), (2, "flag", "bit", 1, 1, 0),
        (3, "score", "decimal", 5, 5, 2), (4, "t", "datetime", 8, 23, 3),
        (1, "EduKey", "varchar", 14, 0, 0), (2, "Spells", "int", 4, 10, 0),
        (3, "first", "date", 3, 10, 0)]
    assert built.rows == [("[EduKey], [Spells], [first]",)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_days_and_hours_added_keep_the_milliseconds(backend: str,
                                                    request: pytest.FixtureRequest) -> None:
    # SQLite dropped them (DATETIME() keeps whole seconds)
    db = _db(request, backend)
    text = """DECLARE @t DATETIME = '2015-03-01 13:45:30.123'
SELECT CONVERT(VARCHAR(23), @t + 1, 121), CONVERT(VARCHAR(23), DATEADD(hour, 1, @t), 121)"""
    assert _rows(db, text) == [("2015-03-02 13:45:30.123", "2015-03-01 14:45:30.123")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_trailing_spaces_of_a_compared_literal_do_not_count(
        backend: str, request: pytest.FixtureRequest) -> None:
    # SQL Server pads the shorter text with spaces before comparing ('F' = 'F  '): a code
    # typed with trailing spaces found no pupil on the targets, without an error
    db = _db(request, backend)
    census = "spring_census_2011"
    [(girls,)] = _rows(db, f"SELECT COUNT(*) FROM {census} WHERE Gender_spr11 = 'F'")
    assert girls > 0
    assert _rows(db, f"""SELECT
  (SELECT COUNT(*) FROM {census} WHERE Gender_spr11 = 'F  '),
  (SELECT COUNT(*) FROM {census} WHERE 'F ' = Gender_spr11),
  (SELECT COUNT(*) FROM {census} WHERE Gender_spr11 IN ('F ', 'X')),
  (SELECT COUNT(*) FROM {census} WHERE Gender_spr11 BETWEEN 'F ' AND 'F '),
  (SELECT SUM(CASE Gender_spr11 WHEN 'F ' THEN 1 ELSE 0 END) FROM {census}),
  (SELECT COUNT(NULLIF(Gender_spr11, 'F ')) + {girls} - COUNT(*) FROM {census}),
  (SELECT COUNT(*) FROM {census} WHERE Gender_spr11 LIKE 'F ')""") == [
        (girls, girls, girls, girls, girls, 0, 0)]
    # N'...' text alike, and case ignored there too (N'f' found no girl before)
    assert _rows(db, f"""SELECT
  (SELECT COUNT(*) FROM {census} WHERE Gender_spr11 = N'F '),
  (SELECT COUNT(*) FROM {census} WHERE Gender_spr11 = N'f')""") == [(girls, girls)]
    # a value built with trailing spaces compares equal too; a number converts the text
    assert _rows(db, "SELECT CASE WHEN 'ab' + SPACE(3) = 'ab ' THEN 1 ELSE 0 END, "
                     "CASE WHEN 'abc' >= 'abc  ' THEN 1 ELSE 0 END") == [(1, 1)]
    assert _rows(db, f"SELECT COUNT(*) FROM {census} WHERE FSMeligible_spr11 = '1 '") == _rows(
        db, f"SELECT COUNT(*) FROM {census} WHERE FSMeligible_spr11 = 1")


@pytest.mark.parametrize("backend", BACKENDS)
def test_trailing_spaces_of_a_temp_tables_text_do_not_count(
        backend: str, request: pytest.FixtureRequest) -> None:
    # SQL Server's = ignores the trailing spaces of a #temp table's VARCHAR or NVARCHAR too,
    # also in a JOIN of two such columns; the targets compared every character ('abc  ' was
    # not 'abc': 1 row for 2, a join of 1 pair for 4). The values keep their spaces
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #t (a VARCHAR(10), n NVARCHAR(10))
INSERT INTO #t VALUES ('abc', 'abc'), ('abc  ', 'abc ')
DECLARE @v TABLE (a VARCHAR(10))
INSERT INTO @v VALUES ('abc ')
SELECT (SELECT COUNT(*) FROM #t WHERE a = 'abc'), (SELECT COUNT(*) FROM #t WHERE n = N'ABC'),
  (SELECT COUNT(*) FROM #t WHERE 'abc' = a), (SELECT COUNT(*) FROM #t WHERE a <> 'abc'),
  (SELECT COUNT(*) FROM #t WHERE a IN ('abc', 'x')),
  (SELECT COUNT(*) FROM #t WHERE a BETWEEN 'abc' AND 'abc'),
  (SELECT SUM(CASE a WHEN 'abc' THEN 1 ELSE 0 END) FROM #t),
  (SELECT COUNT(NULLIF(a, 'abc')) FROM #t),
  (SELECT COUNT(*) FROM #t t JOIN #t u ON t.a = u.n),
  (SELECT COUNT(*) FROM #t t JOIN @v v ON v.a = t.a),
  (SELECT COUNT(*) FROM #t t WHERE EXISTS (SELECT 1 FROM #t u WHERE u.n = t.a)),
  (SELECT COUNT(*) FROM (SELECT a FROM #t) d WHERE d.a = 'abc'),
  (SELECT MAX(LEN(a)) FROM #t), (SELECT MAX(DATALENGTH(a)) FROM #t)""") == [
        (2, 2, 2, 0, 2, 2, 2, 0, 4, 2, 2, 2, 3, 5)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_in_a_subquery_ignores_trailing_spaces(backend: str,
                                               request: pytest.FixtureRequest) -> None:
    # x IN (SELECT c ...) is an = with each row's c in SQL Server, which ignores trailing
    # spaces; the targets compared every character: 'abc' was not IN a #temp table's
    # 'abc  ' (0 for 1), and NOT IN kept it (2 for 1)
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #s (v VARCHAR(10))
INSERT INTO #s VALUES ('abc  '), ('xyz')
CREATE TABLE #u (w VARCHAR(10))
INSERT INTO #u VALUES ('abc'), ('def ')
SELECT (SELECT COUNT(*) FROM #u WHERE w IN (SELECT v FROM #s)),
  (SELECT COUNT(*) FROM #s WHERE v IN (SELECT w FROM #u)),
  (SELECT COUNT(*) FROM #s WHERE v NOT IN (SELECT w FROM #u)),
  (SELECT COUNT(*) FROM #u WHERE w IN (SELECT v FROM #s UNION ALL SELECT 'def')),
  (SELECT COUNT(*) FROM #u WHERE w IN (SELECT 'abc   ')),
  (SELECT COUNT(*) FROM #u u WHERE u.w IN (SELECT s.v AS z FROM #s s WHERE s.v <> 'q'))""") == [
        (1, 1, 1, 2, 1, 1)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_in_a_subquery_of_a_derived_tables_text_ignores_trailing_spaces(
        backend: str, request: pytest.FixtureRequest) -> None:
    # a #temp table's 'abc  ' was not IN the rows of a derived table's or a CTE's literal
    # 'abc' (the subquery's column was not known as text, so nothing was trimmed), and NOT IN
    # kept it; SQL Server compares them as an = with each row, padding the shorter text
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #c (code VARCHAR(10))
INSERT INTO #c VALUES ('abc  '), ('xyz')
;WITH k AS (SELECT 'abc' AS w)
SELECT (SELECT COUNT(*) FROM #c WHERE code IN (SELECT w FROM (SELECT 'abc' AS w) s)),
  (SELECT COUNT(*) FROM #c WHERE code NOT IN (SELECT s.w FROM (SELECT 'abc' AS w) s)),
  (SELECT COUNT(*) FROM #c WHERE code IN (SELECT w FROM k))""") == [(1, 1, 1)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_like_ignores_a_varchars_trailing_spaces(backend: str,
                                                 request: pytest.FixtureRequest) -> None:
    # SQL Server's documentation: trailing blanks of the expression LIKE matches are ignored
    # for CHAR and VARCHAR ('abc  ' LIKE 'abc' is true; its CHAR(30) 'Robert King' is LIKE
    # '% King') and significant for NCHAR and NVARCHAR (and a pattern written N'...'), and a
    # pattern's trailing blanks count ('abc' LIKE 'abc ' is false); the targets matched every
    # character of a #temp table's 'abc  '
    db = _db(request, backend)
    results = run_text(db, """CREATE TABLE #s (id INT, v VARCHAR(10), n NVARCHAR(10))
INSERT INTO #s VALUES (1, 'abc  ', 'abc  '), (2, 'abc', 'abc'), (3, 'xabc ', 'xabc ')
SELECT id, CASE WHEN v LIKE 'abc' THEN 1 ELSE 0 END, CASE WHEN v LIKE '%c' THEN 1 ELSE 0 END,
       CASE WHEN v NOT LIKE '%bc' THEN 1 ELSE 0 END, CASE WHEN v LIKE '[a-x]bc' THEN 1 ELSE 0 END,
       CASE WHEN n LIKE 'abc' THEN 1 ELSE 0 END, CASE WHEN v LIKE N'abc' THEN 1 ELSE 0 END
FROM #s ORDER BY id
SELECT COUNT(*) FROM #s WHERE v LIKE 'abc ' AND id = 2""", "tsql", None, True)
    assert [[_value(v) for v in row] for result in results for row in result.rows] == [
        [1, 1, 1, 0, 1, 0, 0], [2, 1, 1, 0, 1, 1, 1], [3, 0, 1, 0, 0, 0, 0], [0]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_join_of_temp_tables_on_text_ignores_trailing_spaces(
        backend: str, request: pytest.FixtureRequest) -> None:
    # every key of #b ends in a space: each still joins its key of #a, as in SQL Server
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #a (k VARCHAR(20), v INT)
;WITH n AS (SELECT 1 AS i UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
INSERT INTO #a SELECT 'P' + CAST(i AS VARCHAR(10)), i FROM n OPTION (MAXRECURSION 0)
SELECT k + ' ' AS k, v INTO #b FROM #a
SELECT (SELECT COUNT(*) FROM #a a JOIN #b b ON a.k = b.k),
  (SELECT COUNT(*) FROM #a a WHERE EXISTS (SELECT 1 FROM #b b WHERE b.k = a.k))""") == [
        (3000, 3000)]


def test_sqlite_indexes_the_trimmed_columns_of_a_join() -> None:
    # the trailing spaces trimmed on both sides of a join: SQLite compared every row with
    # every other (30,000 rows to 30,000: 190 s) until it indexed the trimmed columns (the
    # translation's setup); the other targets need no index
    def translated(dialect: str) -> tuple[str, tuple[str, ...]]:
        tree = sqlglot.parse_one("SELECT COUNT(*) FROM a_t a JOIN b_t b ON a.k = b.k",
                                 read="tsql")
        tree, setup = padded_comparisons.for_target(
            tree, {"k": True}, lambda name: name in ("a_t", "b_t"), dialect, lambda name: True)
        return tree.sql(dialect), setup

    sql, setup = translated("sqlite")
    # (two texts of the session's tables compare ignoring case too: the index is of that)
    assert "LOWER(RTRIM(a.k)) = LOWER(RTRIM(b.k))" in sql
    assert setup == (
        'CREATE INDEX IF NOT EXISTS temp."leo_lower_a_t_k" ON "a_t" (LOWER(RTRIM("k")))',
        'CREATE INDEX IF NOT EXISTS temp."leo_lower_b_t_k" ON "b_t" (LOWER(RTRIM("k")))')
    assert translated("duckdb")[1] == ()


@pytest.mark.parametrize("backend", BACKENDS)
def test_formatmessage_and_checksum_agg(backend: str, request: pytest.FixtureRequest) -> None:
    # both were unknown functions on every target; FORMATMESSAGE writes placeholders as
    # RAISERROR does, CHECKSUM_AGG is the exclusive or of the group's integers
    db = _db(request, backend)
    earnings = "[LEO_i2].[2002237].[leo_earnings]"
    assert _rows(db, """DECLARE @n INT = 42, @step VARCHAR(20) = 'cohort'
SELECT FORMATMESSAGE('Built %s: %d rows (%5d|%-6s|) %% done %s', @step, @n, 7, 'ab', NULL)""") == [
        ("Built cohort: 42 rows (    7|ab    |) % done (null)",)]
    assert _rows(db, "DECLARE @f NVARCHAR(20) = N'Rows: %d'\n"
                     "SELECT FORMATMESSAGE(@f, 5), FORMATMESSAGE(N'%s!', N'ks4')") == [
        ("Rows: 5", "ks4!")]
    [(key,)] = _rows(db, f"SELECT MIN(Edukey) FROM {earnings}")
    rows = _rows(db, f"SELECT TaxYear, Earnings FROM {earnings} WHERE Edukey = '{key}'")
    assert _rows(db, f"""SELECT TOP 1 FORMATMESSAGE('%s earned %d in %-7s|', Edukey, Earnings,
    CAST(TaxYear AS VARCHAR(6))) FROM {earnings} WHERE Edukey = '{key}' ORDER BY TaxYear""") == [
        (f"{key} earned {int(min(rows)[1])} in {int(min(rows)[0]):<7}|",)]
    expected = 0
    for _, pay in rows:
        expected ^= int(pay)
    assert _rows(db, f"""SELECT CHECKSUM_AGG(Earnings), CHECKSUM_AGG(DISTINCT 1),
    CHECKSUM_AGG(CAST(NULL AS INT)) FROM {earnings} WHERE Edukey = '{key}'""") == [
        (expected, 1, None)]
    with pytest.raises(ScriptError, match="the placeholder %x of values read from rows"):
        _rows(db, f"SELECT FORMATMESSAGE('%x', Earnings) FROM {earnings}")


@pytest.mark.parametrize("backend", BACKENDS)
def test_round_of_a_float_rounds_the_number_as_written(backend: str,
                                                     request: pytest.FixtureRequest) -> None:
    # DuckDB rounded a DOUBLE in binary: a mean of 39.05 to one place was 39.0 and 2.675 to
    # two places 2.67, where SQLite and PostgreSQL give 39.1 and 2.68; a float too large for
    # the decimal it is rounded as is rounded as it is (the cast stopped the script)
    db = _db(request, backend)
    assert _rows(db, "SELECT ROUND(CAST(39.05 AS FLOAT), 1) AS a, "
                     "ROUND(CAST(2.675 AS FLOAT), 2) AS b, ROUND(CAST(-39.05 AS FLOAT), 1) AS c, "
                     "ROUND(CAST(1234.5 AS FLOAT), -2) AS d, "
                     "ROUND(CAST(1E+30 AS FLOAT), 0) AS e") == [(39.1, 2.68, -39.1, 1200.0, 1e30)]
