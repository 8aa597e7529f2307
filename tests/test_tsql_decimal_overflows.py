"""`leo-synth sql`: a number too large for the decimal it is cast to stops with SQL Server's
error 8115 naming the type converted from, on every backend."""

from __future__ import annotations

import pytest
from test_srs_corpus import _value, duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows

from leo_synth.tsql.errors import ScriptError


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_decimal_overflow_names_the_type_converted_from(
        backend: str, request: pytest.FixtureRequest) -> None:
    # every target said "converting numeric to data type numeric." whatever the value was
    db = _db(request, backend)
    for value, source in (("100000", "int"), ("CAST(1e10 AS FLOAT)", "float"),
                          ("CAST(99.996 AS FLOAT)", "float"), ("12345.678", "numeric")):
        with pytest.raises(ScriptError, match=f"Arithmetic overflow error converting {source} "
                                              "to data type numeric"):
            _rows(db, f"SELECT CAST({value} AS DECIMAL(4, 2))")
    assert _rows(db, """
        BEGIN TRY
            SELECT TOP 1 CAST(Out_of_work_benefit * 1000 AS DECIMAL(3, 0))
            FROM [LEO_i2].[2002237].[leo_benefit] ORDER BY Out_of_work_benefit DESC
        END TRY
        BEGIN CATCH
            SELECT ERROR_NUMBER(), ERROR_MESSAGE()
        END CATCH""") == [(8115, "Arithmetic overflow error converting int to data type "
                                 "numeric.")]
    # within the digits: converted as before (a float rounded to the places)
    assert _rows(db, "SELECT CAST(99 AS DECIMAL(4, 2)), CONVERT(DECIMAL(4, 2), "
                     "CAST(99.994 AS FLOAT))") == [(99.0, 99.99)]
