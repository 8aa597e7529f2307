"""`leo-synth sql`: a select item named twice (``name = value AS other``) is SQL Server's
syntax error, on every backend."""

from __future__ import annotations

import pytest
from test_srs_corpus import _value, duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows

from leo_synth.tsql.errors import ScriptError


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_column_named_both_ways_is_a_syntax_error(backend: str,
                                                    request: pytest.FixtureRequest) -> None:
    # the targets read EduKey = 'a' as a comparison, a column of false values named b
    db = _db(request, backend)
    with pytest.raises(ScriptError, match="Incorrect syntax near the keyword 'AS'"):
        _rows(db, "SELECT TOP 1 EduKey = 'a' AS b FROM [LEO_i2].[2002237].[leo_benefit]")
    # either way alone names the column
    assert _rows(db, "SELECT TOP 1 n = 1, 2 AS m FROM [LEO_i2].[2002237].[leo_benefit]") == [
        (1, 2)]
