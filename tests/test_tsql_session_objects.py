"""`leo-synth sql`: the script's own tables, procedures and tempdb's catalog of them, as SQL
Server keeps them, on every backend: a keyed identity column after DELETE and TRUNCATE, a
column's DEFAULT expression, temporary procedures (#name), tempdb.INFORMATION_SCHEMA."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows

from leo_synth.tsql.command import run_text
from leo_synth.tsql.errors import ScriptError

LOG = "CREATE TABLE #log (id INT IDENTITY(1,1) PRIMARY KEY, step VARCHAR(20));\n"


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_keyed_identity_goes_on_after_delete_and_starts_again_after_truncate(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    # (SQLite's key numbered from the rows left, 1 after the DELETE; its TRUNCATE stopped:
    # "no such table: temp.sqlite_sequence")
    assert _rows(db, LOG + """INSERT INTO #log (step) VALUES ('a'), ('b');
DELETE FROM #log;
INSERT INTO #log (step) VALUES ('c');
SELECT id, step FROM #log""") == [(3, "c")]
    assert _rows(db, LOG + """INSERT INTO #log (step) VALUES ('a'), ('b');
TRUNCATE TABLE #log;
INSERT INTO #log (step) VALUES ('d');
SELECT id, step FROM #log""") == [(1, "d")]
    # a key written apart from its column
    assert _rows(db, """CREATE TABLE #k (id INT IDENTITY(1,1) NOT NULL, v INT,
    CONSTRAINT pk_k PRIMARY KEY (id));
INSERT INTO #k (v) VALUES (5), (6);
DELETE FROM #k WHERE v = 6;
INSERT INTO #k (v) VALUES (7);
SELECT id, v FROM #k ORDER BY id""") == [(1, 5), (3, 7)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_default_may_be_an_expression(backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    # (SQLite: 'near "(": syntax error' at DEFAULT GETDATE())
    assert _rows(db, """CREATE TABLE #runs (id INT IDENTITY(1,1), step VARCHAR(20),
    at_ DATETIME NOT NULL DEFAULT GETDATE(), day_ DATE DEFAULT CAST(GETDATE() AS DATE),
    n INT DEFAULT -1, s VARCHAR(3) DEFAULT 'x');
INSERT INTO #runs (step) VALUES ('load');
SELECT step, CASE WHEN at_ > '2020-01-01' THEN 1 ELSE 0 END,
       CASE WHEN day_ = CAST(GETDATE() AS DATE) THEN 1 ELSE 0 END, n, s FROM #runs""") == [
        ("load", 1, 1, -1, "x")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_temporary_procedure(backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    benefit = "[LEO_i2].[2002237].[leo_benefit]"
    [(people,)] = _rows(db, f"SELECT COUNT(DISTINCT EduKey) FROM {benefit} "
                            "WHERE Benefit_type = 'JSA'")
    # (both stopped: "the procedure needs a name")
    assert _rows(db, f"""CREATE PROCEDURE #count_benefit @type VARCHAR(3), @n INT OUTPUT AS
    SELECT @n = COUNT(DISTINCT EduKey) FROM {benefit} WHERE Benefit_type = @type;
GO
DECLARE @jsa INT;
EXEC #count_benefit 'JSA', @jsa OUTPUT;
SELECT @jsa""") == [(people,)]
    assert _rows(db, """CREATE PROC ##twice @x INT AS SELECT @x * 2;
GO
EXEC ##twice 21""") == [(42,)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_tempdb_information_schema_lists_the_temp_tables(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    made = "CREATE TABLE #e2 (EduKey VARCHAR(14) NOT NULL, d DATE, n INT, x DECIMAL(9,2));\n"
    # (it was tempdb.sys.columns under another name: "Invalid column name 'COLUMN_NAME'.")
    assert _rows(db, made + """SELECT TABLE_CATALOG, COLUMN_NAME, ORDINAL_POSITION,
    IS_NULLABLE, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE
FROM tempdb.INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME LIKE '#e2[_]%'
ORDER BY ORDINAL_POSITION""") == [
        ("tempdb", "EduKey", 1, "NO", "varchar", 14, None, None),
        ("tempdb", "d", 2, "YES", "date", None, None, None),
        ("tempdb", "n", 3, "YES", "int", None, 10, 0),
        ("tempdb", "x", 4, "YES", "decimal", None, 9, 2)]
    assert _rows(db, made + "SELECT TABLE_SCHEMA, TABLE_TYPE FROM tempdb.INFORMATION_SCHEMA."
                            "TABLES WHERE TABLE_NAME LIKE '#e2[_]%'") == [("dbo", "BASE TABLE")]


def test_reseeding_an_identity_is_refused(small_sqlite) -> None:
    # (it was dropped with the other DBCC commands, and the next row got 3 where SQL Server
    # gives 101)
    with pytest.raises(ScriptError, match=r"line 3: DBCC CHECKIDENT \.\.\. RESEED cannot be "
                                          r"translated"):
        run_text(str(small_sqlite[0]), LOG + "INSERT INTO #log (step) VALUES ('a');\n"
                 "DBCC CHECKIDENT ('#log', RESEED, 100);\nSELECT 1", "tsql", None, False)
    assert _rows(str(small_sqlite[0]), LOG + "DBCC CHECKIDENT ('#log');\nSELECT 1") == [(1,)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_columns_added_by_alter_table_keep_their_types(
        backend: str, request: pytest.FixtureRequest) -> None:
    # (an added INT's average was 11.66666667, an added DECIMAL(10, 2) unrounded on SQLite)
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #t (id INT, a INT)
INSERT INTO #t VALUES (1, 10), (2, 20), (3, 5)
ALTER TABLE #t ADD d DECIMAL(10, 2) NULL, n INT NULL
GO
UPDATE #t SET d = a / 3.0, n = a
SELECT AVG(n), SUM(d), MAX(d) FROM #t""") == [(11, 11.67, 6.67)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_null_column_select_into_makes_is_an_int(backend: str,
                                                    request: pytest.FixtureRequest) -> None:
    # SELECT ..., NULL AS band INTO #t makes an int column in SQL Server: DuckDB's column took
    # no value at all, PostgreSQL's was text (it held 'high', and 2 as text)
    db = _db(request, backend)
    setup = """SELECT TOP 5 EDUKEY, TaxYear, NULL AS band INTO #t
FROM [LEO_i2].[2002237].[leo_earnings] ORDER BY EDUKEY, TaxYear
UPDATE #t SET band = TaxYear % 7
"""
    rows = _rows(db, setup + "SELECT band, TaxYear, band / 2 FROM #t ORDER BY TaxYear")
    assert len(rows) == 5 and all(band == year % 7 and half == band // 2
                                  for band, year, half in rows), rows
    with pytest.raises(ScriptError, match="converting the varchar value 'high' to data type "
                                          "int"):
        _rows(db, setup + "UPDATE #t SET band = 'high'")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_bit_column_alter_table_adds_is_a_bit(backend: str,
                                                request: pytest.FixtureRequest) -> None:
    # ALTER TABLE #t ADD flag BIT: SQL Server keeps 1 for the 5 set in it and refuses SUM of
    # it (error 8117); leo-synth knew only a CREATE TABLE's bits, and kept 5 and summed
    db = _db(request, backend)
    setup = """SELECT TOP 6 EDUKEY, TaxYear, Earnings INTO #t
FROM [LEO_i2].[2002237].[leo_earnings] ORDER BY EDUKEY, TaxYear
ALTER TABLE #t ADD flag BIT
UPDATE #t SET flag = CASE WHEN Earnings > 10000 THEN 5 ELSE 0 END
"""
    rows = _rows(db, setup + "SELECT flag, Earnings FROM #t")
    assert len(rows) == 6 and all(flag == (earnings > 10000) for flag, earnings in rows), rows
    with pytest.raises(ScriptError, match="Operand data type bit is invalid for sum operator"):
        _rows(db, setup + "SELECT SUM(flag) FROM #t")



@pytest.mark.parametrize("backend", BACKENDS)
def test_columns_alter_table_adds_keep_their_types(backend: str,
                                                   request: pytest.FixtureRequest) -> None:
    # an added DATETIME lost its time and refused d + 1 as a date's (error 206), an added
    # MONEY showed as the target held it (2.5 on SQLite, 2.5000 elsewhere), an added TINYINT
    # took 300
    db = _db(request, backend)
    setup = """SELECT TOP 2 EDUKEY, TaxYear INTO #t
FROM [LEO_i2].[2002237].[leo_earnings] ORDER BY EDUKEY, TaxYear
ALTER TABLE #t ADD d DATETIME, s TINYINT, m MONEY
UPDATE #t SET d = '20150101 10:30', s = 7, m = 2.5
"""
    rows = run_text(db, setup + "SELECT d + 1, CAST(d AS VARCHAR(30)), s, m * 3 FROM #t",
                    "tsql", None, False)[-1].rows
    assert [(str(d), text, s, str(m)) for d, text, s, m in rows] == [
        ("2015-01-02 10:30:00.000", "Jan  1 2015 10:30AM", 7, "7.5000")] * 2
    with pytest.raises(ScriptError, match="Arithmetic overflow error for data type tinyint, "
                                          "value = 300"):
        _rows(db, setup + "UPDATE #t SET s = 300")
    # and an added VARCHAR(3) took 'abcd' on SQLite and DuckDB (PostgreSQL stopped)
    text = setup + """ALTER TABLE #t ADD grp VARCHAR(3)
INSERT INTO #t VALUES ('k', 1, '20160101', 1, 1, 'abc')
SELECT COUNT(*), MAX(grp) FROM #t"""
    assert _rows(db, text) == [(3, "abc")]
    with pytest.raises(ScriptError, match="String or binary data would be truncated"):
        _rows(db, setup + "ALTER TABLE #t ADD grp VARCHAR(3)\nUPDATE #t SET grp = 'abcd'")
