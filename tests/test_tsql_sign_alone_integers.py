"""`leo-synth sql`: text holding a sign alone (``'-'``, ``'+'``) converted to an integer type is
0, as blank text is, as SQL Server converts it (every target stopped with error 245), by a
``CAST``, ``CONVERT``, ``TRY_CAST``, ``TRY_CONVERT``, a comparison with an integer, ``+`` with
one, a variable's or an integer column's value; a decimal still refuses it."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows

from leo_synth.tsql.errors import ScriptError


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_sign_alone_cast_to_an_integer_is_zero(backend: str,
                                                 request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _rows(db, """SELECT CAST('-' AS INT), CAST('+' AS INT), CAST(' - ' AS INT),
    CAST('-' AS TINYINT), CAST('+' AS SMALLINT), CAST('-' AS BIGINT), CONVERT(INT, '+'),
    TRY_CAST('-' AS INT), TRY_CONVERT(SMALLINT, '+'), CAST('' AS INT), CAST(N'-' AS INT)""") == [
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_column_holding_a_sign_alone_is_zero_as_an_integer(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #c (k INT, code VARCHAR(5))
INSERT INTO #c VALUES (1, '-'), (2, '+'), (3, ''), (4, ' 7 '), (5, ' - ')
DECLARE @n INT = '-'
CREATE TABLE #i (n INT, s SMALLINT)
INSERT INTO #i SELECT code, code FROM #c
SELECT k, CAST(code AS INT), TRY_CAST(code AS TINYINT), CONVERT(SMALLINT, code),
    TRY_CONVERT(BIGINT, code), CASE WHEN code = 0 THEN 1 ELSE 0 END, code + 1, @n,
    (SELECT SUM(n) + SUM(s) FROM #i)
FROM #c ORDER BY k""") == [(1, 0, 0, 0, 0, 1, 1, 0, 14), (2, 0, 0, 0, 0, 1, 1, 0, 14),
                           (3, 0, 0, 0, 0, 1, 1, 0, 14), (4, 7, 7, 7, 7, 0, 8, 0, 14),
                           (5, 0, 0, 0, 0, 1, 1, 0, 14)]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("cast", "message"), [
    ("CAST('--' AS INT)", "Conversion failed when converting the varchar value '--' to data "
                          "type int."),
    ("CAST('-' AS DECIMAL(5, 2))", "Error converting data type varchar to numeric."),
    ("CAST('' AS DECIMAL(5, 2))", "Error converting data type varchar to numeric.")])
def test_what_no_integer_reads_still_stops(backend: str, cast: str, message: str,
                                           request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    with pytest.raises(ScriptError, match=message.replace(".", r"\.")):
        _rows(db, f"SELECT {cast}")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_sign_alone_beside_integers_in_a_union_or_values_is_zero(
        backend: str, request: pytest.FixtureRequest) -> None:
    """A UNION's or a VALUES list's column holding an integer converts its text to one, a sign
    alone to 0 as blank text (it stopped with error 245 there, though a CAST gave 0)."""
    db = _db(request, backend)
    assert _rows(db, """SELECT x FROM (SELECT 1 AS x UNION ALL SELECT '-' UNION ALL SELECT '+'
    UNION ALL SELECT '') u ORDER BY x""") == [(0,), (0,), (0,), (1,)]
    assert _rows(db, "SELECT SUM(n) FROM (VALUES (2), ('-'), ('5')) v(n)") == [(7,)]
