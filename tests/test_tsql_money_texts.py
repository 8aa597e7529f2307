"""`leo-synth sql`: text converted to ``MONEY`` as SQL Server converts it, on every backend:
a currency sign and thousands' commas are read."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows

from leo_synth.tsql.errors import ScriptError


@pytest.mark.parametrize("backend", BACKENDS)
def test_money_reads_a_currency_sign_and_commas(backend: str,
                                                request: pytest.FixtureRequest) -> None:
    # (every target stopped: "Error converting data type varchar to numeric.", and TRY_CAST
    # gave NULL)
    db = _db(request, backend)
    assert _rows(db, """DECLARE @p VARCHAR(10) = '£12.34';
SELECT TRY_CAST('$5' AS MONEY), CAST('£1,250.5' AS MONEY), CONVERT(MONEY, ' -$3'),
    CAST('$' AS SMALLMONEY), CAST(@p AS MONEY) * 2, TRY_CAST('abc' AS MONEY),
    TRY_CONVERT(MONEY, '5$')""") == [(5, 1250.5, -3, 0, 24.68, None, None)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_money_reads_a_column_of_text(backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _rows(db, """SELECT v, CAST(v AS MONEY), TRY_CAST(v AS MONEY)
FROM (VALUES (1, '$1,000'), (2, '£2.5'), (3, '3')) x(n, v) ORDER BY n""") == [
        ("$1,000", 1000, 1000), ("£2.5", 2.5, 2.5), ("3", 3, 3)]
    assert _rows(db, "SELECT TRY_CAST(v AS MONEY) FROM (VALUES (1, '$1,000'), (2, 'x')) "
                     "x(n, v) ORDER BY n") == [(1000,), (None,)]



@pytest.mark.parametrize("backend", BACKENDS)
def test_text_in_no_form_of_money_stops_with_error_235(
        backend: str, request: pytest.FixtureRequest) -> None:
    # (the targets gave a decimal's error 8114, "Error converting data type varchar to
    # numeric.")
    db = _db(request, backend)
    for value in ("v", "'x'"):
        with pytest.raises(ScriptError, match=r"^line 1: .*Cannot convert a char value to "
                                              r"money\. The char value has incorrect syntax\.$"):
            _rows(db, f"SELECT CAST({value} AS MONEY) FROM (VALUES ('x')) x(v)")
    assert _rows(db, "BEGIN TRY SELECT CAST('1.2.3' AS MONEY) END TRY BEGIN CATCH "
                     "SELECT ERROR_NUMBER(), ERROR_MESSAGE() END CATCH") == [(
        235, "Cannot convert a char value to money. The char value has incorrect syntax.")]
