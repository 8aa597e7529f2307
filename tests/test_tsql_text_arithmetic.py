"""`leo-synth sql`: ``-``, ``*``, ``/`` and ``%`` between two texts stop the statement with
SQL Server's error 402, on every backend (SQLite read the texts as numbers; DuckDB and
PostgreSQL stopped in their own words, with no number)."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows

from leo_synth.tsql.errors import ScriptError


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("expression", "message"), [
    ("'2' * '3'", "varchar and varchar are incompatible in the multiply operator"),
    ("'7' - '3'", "varchar and varchar are incompatible in the subtract operator"),
    ("N'6' / '3'", "nvarchar and varchar are incompatible in the divide operator"),
    ("x % CAST(n AS CHAR(1))", "varchar and char are incompatible in the modulo operator"),
])
def test_arithmetic_of_two_texts_is_error_402(backend: str, expression: str, message: str,
                                              request: pytest.FixtureRequest) -> None:
    # an error when the statement compiles, which a CATCH block of its batch does not catch
    db = _db(request, backend)
    with pytest.raises(ScriptError, match=f"^line 3: The data types {message}\\.$") as stopped:
        _rows(db, f"""CREATE TABLE #v (x VARCHAR(10), n INT)
INSERT INTO #v VALUES ('6', 3)
BEGIN TRY SELECT {expression} FROM #v END TRY BEGIN CATCH SELECT 0 END CATCH""")
    assert stopped.value.number == 402


@pytest.mark.parametrize("backend", BACKENDS)
def test_text_beside_a_number_or_joined_is_no_error(backend: str,
                                                    request: pytest.FixtureRequest) -> None:
    # a text beside a number is converted to it; + joins two texts
    db = _db(request, backend)
    assert _rows(db, "SELECT '2' * 3, 7 - '3', '2' + '3'") == [(6, 4, "23")]
