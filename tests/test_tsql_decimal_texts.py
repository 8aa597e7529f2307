"""`leo-synth sql`: text converted to a ``DECIMAL`` as SQL Server converts it (no exponent,
spaces allowed; an overflow in varchar's words), on every backend."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _texts

from leo_synth.tsql.errors import ScriptError

_NOT_CONVERTED = "Error converting data type varchar to numeric."
_OVERFLOW = "Arithmetic overflow error converting varchar to data type numeric."


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("sql", "message"), [
    ("SELECT CAST('1e5' AS DECIMAL(10, 2))", _NOT_CONVERTED),
    ("SELECT CONVERT(DECIMAL(10, 2), '1e5')", _NOT_CONVERTED),
    ("SELECT CAST('123456' AS DECIMAL(5, 2))", _OVERFLOW),
    ("SELECT CAST('999.999' AS DECIMAL(5, 2))", _OVERFLOW),
    ("CREATE TABLE #t (v VARCHAR(20))\nINSERT INTO #t VALUES ('2.5E3')\n"
     "SELECT CAST(v AS DECIMAL(10, 2)) FROM #t", _NOT_CONVERTED),
    ("CREATE TABLE #t (v VARCHAR(20))\nINSERT INTO #t VALUES ('123456')\n"
     "SELECT CAST(v AS DECIMAL(5, 2)) FROM #t", _OVERFLOW),
    ("SELECT CAST(123456 AS DECIMAL(5, 2))",
     "Arithmetic overflow error converting int to data type numeric."),
])
def test_text_that_is_no_decimal_stops(backend: str, sql: str, message: str,
                                       request: pytest.FixtureRequest) -> None:
    # (every target read the exponent, 100000.00; an overflow was worded as a decimal's)
    db = _db(request, backend)
    with pytest.raises(ScriptError, match=message.replace(".", r"\.")):
        _texts(db, sql)


@pytest.mark.parametrize("backend", BACKENDS)
def test_text_converted_to_a_decimal(backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _texts(db, """SELECT TRY_CAST('1e5' AS DECIMAL(10, 2)), CAST('1e5' AS FLOAT),
    CAST(' 12.5 ' AS DECIMAL(10, 2)), TRY_CAST('123456' AS DECIMAL(5, 2)),
    TRY_CONVERT(DECIMAL(5, 2), '1e2'), CAST('-0012.345' AS DECIMAL(5, 2)),
    CAST('+.5' AS DECIMAL(3, 1))""") == [
        ("None", "100000.0", "12.50", "None", "None", "-12.35", "0.5")]
    assert _texts(db, """CREATE TABLE #t (n INT, v VARCHAR(20))
INSERT INTO #t VALUES (1, '1e5'), (2, ' 12.5 '), (3, '123456'), (4, 'x'), (5, NULL),
    (6, '-.5'), (7, '999.994')
SELECT n, TRY_CAST(v AS DECIMAL(5, 2)), TRY_CONVERT(DECIMAL(5, 2), v) FROM #t ORDER BY n
""") == [("1", "None", "None"), ("2", "12.50", "12.50"), ("3", "None", "None"),
         ("4", "None", "None"), ("5", "None", "None"), ("6", "-0.50", "-0.50"),
         ("7", "999.99", "999.99")]
    assert _texts(db, """CREATE TABLE #u (n INT, v VARCHAR(20))
INSERT INTO #u VALUES (2, ' 12.5 '), (5, NULL), (6, '-.5'), (7, '999.994')
SELECT n, CAST(v AS DECIMAL(5, 2)), CONVERT(DECIMAL(5, 2), v) FROM #u ORDER BY n""") == [
        ("2", "12.50", "12.50"), ("5", "None", "None"), ("6", "-0.50", "-0.50"),
        ("7", "999.99", "999.99")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_decimal_too_long_for_its_text_type_stops(
        backend: str, request: pytest.FixtureRequest) -> None:
    """A decimal cast to a ``VARCHAR(n)`` or ``NVARCHAR(n)`` shorter than its text is SQL
    Server's error 8115 (an integer is ``*``); the targets cut the text. The percentage
    written as ``CAST(ROUND(100.0 * n / total, 1) AS VARCHAR(5))`` keeps the quotient's
    twelve places, so it stops in the SRS too."""
    db = _db(request, backend)
    assert _texts(db, """CREATE TABLE #d (x DECIMAL(6, 2), n INT)
INSERT INTO #d VALUES (1.5, 45), (1234.5, 100)
DECLARE @log TABLE (k INT, n INT, m NVARCHAR(200))
BEGIN TRY SELECT CAST(CAST(123.45 AS DECIMAL(5, 2)) AS VARCHAR(4)) END TRY
BEGIN CATCH INSERT @log SELECT 1, ERROR_NUMBER(), ERROR_MESSAGE() END CATCH
BEGIN TRY SELECT CAST(x AS NVARCHAR(5)) FROM #d END TRY
BEGIN CATCH INSERT @log SELECT 2, ERROR_NUMBER(), ERROR_MESSAGE() END CATCH
BEGIN TRY SELECT CAST(ROUND(100.0 * n / 98, 1) AS VARCHAR(5)) + '%' FROM #d END TRY
BEGIN CATCH INSERT @log SELECT 3, ERROR_NUMBER(), ERROR_MESSAGE() END CATCH
INSERT @log SELECT 4, NULL, CAST(CAST(x AS VARCHAR(7)) AS NVARCHAR(10)) + '|'
    + CONVERT(VARCHAR(5), CAST(-1.5 AS DECIMAL(3, 1))) + '|' + CAST(1.0 / 3 AS VARCHAR(8))
    + '|' + CAST(CAST(100.0 * n / 98 AS DECIMAL(4, 1)) AS VARCHAR(5)) + '%' FROM #d
SELECT k, n, m FROM @log ORDER BY k, m""") == [
        ("1", "8115", "Arithmetic overflow error converting numeric to data type varchar."),
        ("2", "8115", "Arithmetic overflow error converting numeric to data type nvarchar."),
        ("3", "8115", "Arithmetic overflow error converting numeric to data type varchar."),
        ("4", "None", "1.50|-1.5|0.333333|45.9%"),
        ("4", "None", "1234.50|-1.5|0.333333|102.0%")]
