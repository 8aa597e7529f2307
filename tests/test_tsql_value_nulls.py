"""`leo-synth sql`: a ``VALUES`` column of integers with a NULL among them is an ``int``, on
every backend, as SQL Server types it."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _texts


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_integer_column_with_a_null_averages_as_an_int(
        backend: str, request: pytest.FixtureRequest) -> None:
    # (AVG gave 1.5: the NULL made the column's type unknown, so the average was not cut)
    db = _db(request, backend)
    assert _texts(db, "SELECT AVG(n), AVG(n * 1.0) FROM (VALUES (1), (NULL), (2)) x(n)") == [
        ("1", "1.500000")]
    assert _texts(db, "SELECT AVG(n) FROM (VALUES (NULL), (1), (2)) x(n)") == [("1",)]
