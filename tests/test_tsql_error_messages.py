"""`leo-synth sql`: a fault a statement meets as it runs is told in SQL Server's words, with
SQL Server's number, on every backend (a CATCH block's ERROR_MESSAGE() and ERROR_NUMBER(), and
the line a stopped script ends with)."""

from __future__ import annotations

import pytest
from test_srs_corpus import _value, duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows

from leo_synth.tsql.command import run_text
from leo_synth.tsql.error_messages import in_sql_servers_words, sql_server_number
from leo_synth.tsql.errors import ScriptError

FAULTS = [
    ("CAST(x AS INT)", 245,
     "Conversion failed when converting the varchar value '1.5' to data type int."),
    ("CAST(g AS SMALLINT)", 245,
     "Conversion failed when converting the varchar value 'R' to data type smallint."),
    ("CAST(g AS FLOAT)", 8114, "Error converting data type varchar to float."),
    ("CAST(g AS DECIMAL(5, 1))", 8114, "Error converting data type varchar to numeric."),
    ("CAST(g AS DATE)", 241,
     "Conversion failed when converting date and/or time from character string."),
    ("CAST('2015-02-30' AS DATE)", 241,
     "Conversion failed when converting date and/or time from character string."),
    ("n / (n - 1)", 8134, "Divide by zero error encountered."),
    ("n % (n - 1)", 8134, "Divide by zero error encountered."),  # (SQLite gave NULL)
    ("CAST(n * 99999.5 AS DECIMAL(4, 1))", 8115,
     "Arithmetic overflow error converting numeric to data type numeric."),
    # an int times an int is an int (SQLite's eight-byte integers gave 4294967294)
    ("n * 2147483647 * 2", 8115,
     "Arithmetic overflow error converting expression to data type int."),
    # ABS of the lowest int is past an int (SQLite gave 2147483648, DuckDB said it its way)
    ("ABS(n - 2147483647 - 2)", 8115,
     "Arithmetic overflow error converting expression to data type int."),
    # tinyint is 0 to 255 (every target gave 300 and -1), smallint to 32767 (SQLite gave
    # 40000; PostgreSQL and DuckDB said it their way)
    ("CAST(n + 299 AS TINYINT)", 220,
     "Arithmetic overflow error for data type tinyint, value = 300."),
    ("CAST(n - 2 AS TINYINT)", 220,
     "Arithmetic overflow error for data type tinyint, value = -1."),
    ("CONVERT(SMALLINT, n * 40000)", 220,
     "Arithmetic overflow error for data type smallint, value = 40000."),
    ("CAST(n * 300.5 AS TINYINT)", 8115,
     "Arithmetic overflow error converting numeric to data type tinyint."),
    # ROUND of a DECIMAL(p, s) is one: 10.00 and 1000.00 need more digits than it has (every
    # target gave the wider value)
    ("ROUND(CAST(n * 9.99 AS DECIMAL(3, 2)), 0)", 8115,
     "Arithmetic overflow error converting expression to data type numeric."),
    ("ROUND(CAST(n * 748.58 AS DECIMAL(5, 2)), -3)", 8115,
     "Arithmetic overflow error converting expression to data type numeric."),
]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_catch_block_reads_sql_servers_number_and_message(
        backend: str, request: pytest.FixtureRequest) -> None:
    # PostgreSQL said 'invalid input syntax for type integer: "1.5"' and DuckDB 'Could not
    # convert string ...', neither numbered; DuckDB's CAST read '1.5' as 2
    db = _db(request, backend)
    text = ["CREATE TABLE #v (x VARCHAR(10), g VARCHAR(2), n INT)",
            "INSERT INTO #v VALUES ('1.5', 'R', 1)"]
    for expression, _number, _message in FAULTS:
        text.append(f"BEGIN TRY SELECT {expression} FROM #v END TRY "
                    f"BEGIN CATCH SELECT ERROR_NUMBER(), ERROR_MESSAGE() END CATCH")
    results = run_text(db, "\n".join(text), "tsql", None, True)
    caught = [tuple(_value(v) for v in result.rows[0]) for result in results]
    assert caught == [(number, message) for _expression, number, message in FAULTS]


@pytest.mark.parametrize("backend", BACKENDS)
def test_null_divided_by_zero_is_null(backend: str, request: pytest.FixtureRequest) -> None:
    # a mean over no rows, SUM(x) / COUNT(*): NULL in SQL Server, where SQLite stopped with
    # the divide-by-zero error
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #v (n INT)
INSERT INTO #v VALUES (1)
SELECT SUM(n) / COUNT(*), SUM(n) % COUNT(*), CAST(NULL AS INT) / 0 FROM #v WHERE n > 5""") == [
        (None, None, None)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_null_in_a_not_null_column_is_error_515(backend: str,
                                                   request: pytest.FixtureRequest) -> None:
    # each target said it its own way ("NOT NULL constraint failed: #q.y", "null value in
    # column ... violates not-null constraint"), with no number for ERROR_NUMBER(); the
    # column is named as the script spells it (PostgreSQL holds it in lower case)
    db = _db(request, backend)
    text = """CREATE TABLE #q (id INT NOT NULL, PupilYear INT NOT NULL)
INSERT INTO #q VALUES (1, 2)
BEGIN TRY INSERT INTO #q (id) VALUES (3) END TRY
BEGIN CATCH SELECT ERROR_NUMBER(), ERROR_MESSAGE() END CATCH
BEGIN TRY UPDATE #q SET id = NULL END TRY BEGIN CATCH SELECT ERROR_MESSAGE() END CATCH"""
    results = run_text(db, text, "tsql", None, True)
    refused = "Cannot insert the value NULL into column '{}', table 'tempdb.dbo.#q'; column " \
              "does not allow nulls. {} fails."
    assert [[tuple(_value(v) for v in row) for row in r.rows] for r in results] == [
        [(515, refused.format("PupilYear", "INSERT"))], [(refused.format("id", "UPDATE"),)]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_text_that_is_no_whole_number_is_no_integer(backend: str,
                                                    request: pytest.FixtureRequest) -> None:
    # SQL Server reads digits with a sign and spaces around; DuckDB's CAST also read '1.5' as
    # 2, '1e3' as 1000 and '0x1F' as 31
    db = _db(request, backend)
    setup = ("CREATE TABLE #v (x VARCHAR(10))\n"
             "INSERT INTO #v VALUES ('1.5'), ('1e3'), ('0x1F'), (' -7 '), ('+12'), ('')\n")
    assert sorted(_rows(db, setup + "SELECT x, TRY_CAST(x AS INT), TRY_CONVERT(BIGINT, x) "
                                    "FROM #v"), key=str) == sorted([
        ("1.5", None, None), ("1e3", None, None), ("0x1F", None, None), (" -7 ", -7, -7),
        ("+12", 12, 12), ("", 0, 0)], key=str)
    with pytest.raises(ScriptError, match=r"line 3: .*said: Conversion failed when converting "
                                          r"the varchar value '0x1F' to data type bigint\.$"):
        _rows(db, setup + "SELECT CAST(x AS BIGINT) FROM #v WHERE x LIKE '0x%'")


def test_the_targets_words_put_into_sql_servers() -> None:
    words = {
        'invalid input syntax for type integer: "NK"':
            "Conversion failed when converting the varchar value 'NK' to data type int.",
        "Conversion Error: Could not convert string 'NK' to INT64 when casting from source "
        "column HE_YEARPRG":
            "Conversion failed when converting the varchar value 'NK' to data type bigint.",
        'invalid input syntax for type double precision: "C"':
            "Error converting data type varchar to float.",
        "Conversion Error: Could not convert string \"C\" to DECIMAL(10,2)":
            "Error converting data type varchar to numeric.",
        'date/time field value out of range: "2015-02-30"':
            "Conversion failed when converting date and/or time from character string.",
        "division by zero": "Divide by zero error encountered.",
        "Out of Range Error: Overflow in multiplication of INT32 (25886 * 100000)!":
            "Arithmetic overflow error converting expression to data type int.",
        "Invalid Input Error: String or binary data would be truncated.":
            "String or binary data would be truncated.",
        'relation "nosuch" does not exist': 'relation "nosuch" does not exist',
    }
    for said, sql_servers in words.items():
        assert in_sql_servers_words(said) == sql_servers, said
    assert [sql_server_number(in_sql_servers_words(said)) for said in words] == [
        245, 245, 8114, 8114, 241, 8134, 8115, 8152, None]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_unions_text_beside_an_integer_is_converted(backend: str,
                                                      request: pytest.FixtureRequest) -> None:
    # SQLite and DuckDB gave a column of both ('All' beside the tax years); SQL Server gives
    # the column the int's type, converting '0' and stopping at 'All'
    db = _db(request, backend)
    earnings = "[LEO_i2].[2002237].[leo_earnings]"
    years = f"SELECT TaxYear, COUNT(*) FROM {earnings} WHERE TaxYear > 201900 GROUP BY TaxYear"
    with pytest.raises(ScriptError, match=r"line 1: Conversion failed when converting the "
                                          r"varchar value 'All' to data type int\.$"):
        _rows(db, f"{years} UNION ALL SELECT 'All', COUNT(*) FROM {earnings}")
    rows = _rows(db, f"{years} UNION ALL SELECT '0', 0 ORDER BY 1")
    assert rows[0] == (0, 0) and len(rows) > 1 and all(isinstance(y, float) for y, _ in rows)
    assert _rows(db, f"SELECT TOP 1 CAST(TaxYear AS VARCHAR(6)) FROM {earnings} "
                     f"UNION ALL SELECT 'All' ORDER BY 1 DESC")[0] == ("All",)
