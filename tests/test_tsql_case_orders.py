"""`leo-synth sql`: text ordered under a case-sensitive Windows collation as SQL Server orders
it, on every backend."""

from __future__ import annotations

import pytest
from test_srs_corpus import _value, duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows

WORDS = "(VALUES ('b'), ('B'), ('a'), ('A'), ('AB'), ('ab'), ('aB'), ('Ab')) t(v)"


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_case_sensitive_collation_orders_small_letters_first(
        backend: str, request: pytest.FixtureRequest) -> None:
    # Latin1_General_CS_AS orders by the letters, then a small letter before its capital;
    # every target ordered by the bytes (A, AB, Ab, B, a, ...)
    db = _db(request, backend)
    collated = "v COLLATE Latin1_General_CS_AS"
    assert [row[0] for row in _rows(db, f"SELECT v FROM {WORDS} ORDER BY {collated}")] == [
        "a", "A", "ab", "aB", "Ab", "AB", "b", "B"]
    assert [row[0] for row in _rows(db, f"SELECT v FROM {WORDS} ORDER BY {collated} DESC")
            ][:4] == ["B", "b", "AB", "Ab"]
    assert _rows(db, f"SELECT TOP 2 v, ROW_NUMBER() OVER (ORDER BY {collated}) FROM {WORDS} "
                     "ORDER BY 2") == [("a", 1), ("A", 2)]
    # a binary collation orders by the code points
    assert [row[0] for row in _rows(db, f"SELECT v FROM {WORDS} ORDER BY v COLLATE "
                                        "Latin1_General_BIN")][:3] == ["A", "AB", "Ab"]
