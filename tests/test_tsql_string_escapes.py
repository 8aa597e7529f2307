"""`leo-synth sql`: ``STRING_ESCAPE(text, 'json')`` escapes as SQL Server does (no target had
the function), and a ``SELECT * INTO`` from a view of the extract keeps its text columns'
lengths, so a longer text put in later stops with "String or binary data would be
truncated." (it went in)."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows

from leo_synth.tsql.string_escapes import escaped


def test_json_escapes() -> None:
    assert escaped('a"b/c\\d\te\n\x01\x1f\x08\x0c\r') == (
        'a\\"b\\/c\\\\d\\te\\n\\u0001\\u001f\\b\\f\\r')
    assert escaped(None) is None


@pytest.mark.parametrize("backend", BACKENDS)
def test_string_escape_for_json(backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _rows(db, """DECLARE @s NVARCHAR(100) = 'a"b/c\\d' + CHAR(9) + 'e' + CHAR(10)
    + CHAR(1) + CHAR(31)
CREATE TABLE #t (k INT, v VARCHAR(20))
INSERT INTO #t VALUES (1, 'say "hi"'), (2, NULL), (3, 'C:\\temp/x')
SELECT STRING_ESCAPE('a"b/c', 'json'), STRING_ESCAPE(@s, 'json'), LEN(STRING_ESCAPE(@s, 'json')),
    (SELECT STRING_AGG('"' + ISNULL(STRING_ESCAPE(v, 'json'), 'null') + '"', ',')
         WITHIN GROUP (ORDER BY k) FROM #t)""") == [(
        'a\\"b\\/c', 'a\\"b\\/c\\\\d\\te\\n\\u0001\\u001f', 27,
        '"say \\"hi\\"","null","C:\\\\temp\\/x"')]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_star_copied_from_a_view_keeps_its_lengths(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _rows(db, """SELECT * INTO #t FROM [LEO_i2].[2002237].[leo_benefit]
SELECT TOP 3 * INTO #few FROM [LEO_i2].[2002237].[leo_benefit] WHERE EduKey IS NOT NULL
DECLARE @m NVARCHAR(200), @few NVARCHAR(200)
BEGIN TRY INSERT INTO #t (EduKey) VALUES (REPLICATE('x', 30)) END TRY
BEGIN CATCH SET @m = ERROR_MESSAGE() END CATCH
BEGIN TRY INSERT INTO #few (EduKey) VALUES (REPLICATE('x', 15)) END TRY
BEGIN CATCH SET @few = ERROR_MESSAGE() END CATCH
INSERT INTO #few (EduKey) VALUES (REPLICATE('y', 14))
SELECT @m, @few, COL_LENGTH('tempdb..#t', 'EduKey'),
    (SELECT COUNT(*) FROM #few WHERE EduKey LIKE 'y%'), (SELECT COUNT(*) FROM #few)""") == [
        ("String or binary data would be truncated.",
         "String or binary data would be truncated.", 14, 1, 4)]
