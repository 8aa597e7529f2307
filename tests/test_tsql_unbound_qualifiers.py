"""`leo-synth sql`: a qualifier that names no table is SQL Server's error 4104 before any
type error of the expression it stands in, on every backend."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows

from leo_synth.tsql.errors import ScriptError

BENEFIT = "[LEO_i2].[2002237].[leo_benefit]"


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_unbound_qualifier_comes_before_a_date_operand(
        backend: str, request: pytest.FixtureRequest) -> None:
    # (x.StartDate, read as the extract's DATE by its name, stopped with "Operand type clash:
    # date is incompatible with int", sending the researcher after the type, not the alias)
    db = _db(request, backend)
    with pytest.raises(ScriptError, match=r'^line 1: The multi-part identifier '
                                          r'"x\.StartDate" could not be bound\.$'):
        _rows(db, f"SELECT TOP 1 x.StartDate + 1 FROM {BENEFIT} b")
    with pytest.raises(ScriptError, match="Operand type clash: date is incompatible with int"):
        _rows(db, f"SELECT TOP 1 b.StartDate + 1 FROM {BENEFIT} b")
