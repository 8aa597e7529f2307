"""`leo-synth sql`: an integer variable in decimal arithmetic is of its declared type, on
every backend, as in SQL Server (an ``INT`` a ``DECIMAL(10, 0)``, whatever its digits)."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _texts


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_integer_variable_divides_as_its_type(backend: str,
                                                 request: pytest.FixtureRequest) -> None:
    # 1.0 / @n: DECIMAL(2, 1) / DECIMAL(10, 0), 12 places; a SMALLINT's 5 digits give 7 places
    # (the variable was read as the literal 3, one digit: 6 places, and 8 for the second
    # division, of the first quotient's twelve places: 0.11111111111100); a literal 3 keeps its
    # one digit
    db = _db(request, backend)
    assert _texts(db, """DECLARE @n INT = 3;
DECLARE @s SMALLINT = 3;
SELECT 1.0 / @n, 1.0 / @n / 3, 1.0 / @s, @n * 1.5, 1.0 / 3""") == [(
        "0.333333333333", "0.11111111111100", "0.3333333", "4.5", "0.333333")]
