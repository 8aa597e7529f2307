"""`leo-synth sql`: SQL Server's error 245 names the text's type: "the nvarchar value 'abc'"
for an ``N'...'`` literal, a column a #temp table declares ``NVARCHAR`` or an ``NVARCHAR``
variable, "the varchar value" otherwise (every target said "varchar" for both)."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows


@pytest.mark.parametrize("backend", BACKENDS)
def test_conversion_errors_name_nvarchar_text(backend: str,
                                              request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #t (k INT, v NVARCHAR(10), w VARCHAR(10))
INSERT INTO #t VALUES (1, N'abc', 'abc'), (2, N'7', '8')
DECLARE @log TABLE (n INT, m NVARCHAR(200))
BEGIN TRY SELECT CAST(N'abc' AS INT) END TRY
BEGIN CATCH INSERT @log SELECT ERROR_NUMBER(), ERROR_MESSAGE() END CATCH
BEGIN TRY SELECT CAST(v AS SMALLINT) FROM #t END TRY
BEGIN CATCH INSERT @log SELECT ERROR_NUMBER(), ERROR_MESSAGE() END CATCH
BEGIN TRY SELECT k, CONVERT(BIGINT, v) FROM #t END TRY
BEGIN CATCH INSERT @log SELECT ERROR_NUMBER(), ERROR_MESSAGE() END CATCH
BEGIN TRY SELECT CAST(w AS INT) FROM #t END TRY
BEGIN CATCH INSERT @log SELECT ERROR_NUMBER(), ERROR_MESSAGE() END CATCH
BEGIN TRY SELECT CAST('x' AS INT) END TRY
BEGIN CATCH INSERT @log SELECT ERROR_NUMBER(), ERROR_MESSAGE() END CATCH
INSERT @log SELECT SUM(TRY_CAST(v AS INT)), CAST(SUM(CAST(CASE WHEN k = 2 THEN v END AS INT))
    + CAST(N'-' AS INT) + CAST(N' 5' AS INT) AS VARCHAR) FROM #t
SELECT * FROM @log""") == [
        (245, "Conversion failed when converting the nvarchar value 'abc' to data type int."),
        (245, "Conversion failed when converting the nvarchar value 'abc' to data type "
              "smallint."),
        (245, "Conversion failed when converting the nvarchar value 'abc' to data type "
              "bigint."),
        (245, "Conversion failed when converting the varchar value 'abc' to data type int."),
        (245, "Conversion failed when converting the varchar value 'x' to data type int."),
        (7, "12")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_nvarchar_variables_conversion_error_names_nvarchar(
        backend: str, request: pytest.FixtureRequest) -> None:
    """A variable declared ``NVARCHAR`` holds its value as an ``N'...'`` literal does (every
    target said "the varchar value 'abc'"); a ``VARCHAR`` one's still says varchar."""
    db = _db(request, backend)
    assert _rows(db, """DECLARE @s NVARCHAR(10) = N'abc', @v VARCHAR(10) = 'abc', @n NVARCHAR(5)
DECLARE @log TABLE (n INT, m NVARCHAR(200))
SET @n = N'x1'
BEGIN TRY SELECT CAST(@s AS INT) END TRY
BEGIN CATCH INSERT @log SELECT ERROR_NUMBER(), ERROR_MESSAGE() END CATCH
BEGIN TRY SELECT CONVERT(BIGINT, @n) END TRY
BEGIN CATCH INSERT @log SELECT ERROR_NUMBER(), ERROR_MESSAGE() END CATCH
BEGIN TRY SELECT CAST(@v AS SMALLINT) END TRY
BEGIN CATCH INSERT @log SELECT ERROR_NUMBER(), ERROR_MESSAGE() END CATCH
SET @s = N'12'
INSERT @log SELECT CAST(@s AS INT) + 1, @s + N'x'
SELECT * FROM @log""") == [
        (245, "Conversion failed when converting the nvarchar value 'abc' to data type int."),
        (245, "Conversion failed when converting the nvarchar value 'x1' to data type "
              "bigint."),
        (245, "Conversion failed when converting the varchar value 'abc' to data type "
              "smallint."),
        (13, "12x")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_arithmetic_on_nvarchar_text_names_nvarchar(backend: str,
                                                    request: pytest.FixtureRequest) -> None:
    """``@s + 1`` of an ``NVARCHAR`` variable or column converts the text to ``int``: error
    245 names ``nvarchar`` (every target said "varchar"); numbers in it still add."""
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #t (v NVARCHAR(10), w VARCHAR(10))
INSERT INTO #t VALUES (N'abc', 'abc')
CREATE TABLE #n (v NVARCHAR(10))
INSERT INTO #n VALUES (N'12'), (N''), (N' 3 ')
DECLARE @s NVARCHAR(10) = N'abc', @w VARCHAR(10) = 'abc'
DECLARE @log TABLE (n INT, m NVARCHAR(200))
BEGIN TRY SELECT @s + 1 END TRY
BEGIN CATCH INSERT @log SELECT ERROR_NUMBER(), ERROR_MESSAGE() END CATCH
BEGIN TRY SELECT 2 * @w END TRY
BEGIN CATCH INSERT @log SELECT ERROR_NUMBER(), ERROR_MESSAGE() END CATCH
BEGIN TRY SELECT v + 1 FROM #t END TRY
BEGIN CATCH INSERT @log SELECT ERROR_NUMBER(), ERROR_MESSAGE() END CATCH
BEGIN TRY SELECT w - 1 FROM #t END TRY
BEGIN CATCH INSERT @log SELECT ERROR_NUMBER(), ERROR_MESSAGE() END CATCH
INSERT @log SELECT SUM(v + 1), NULL FROM #n
SELECT * FROM @log""") == [
        (245, "Conversion failed when converting the nvarchar value 'abc' to data type int."),
        (245, "Conversion failed when converting the varchar value 'abc' to data type int."),
        (245, "Conversion failed when converting the nvarchar value 'abc' to data type int."),
        (245, "Conversion failed when converting the varchar value 'abc' to data type int."),
        (18, None)]
