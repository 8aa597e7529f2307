"""`leo-synth sql`: ``CONVERT``'s styles of the time alone (14, 114: ``hh:mi:ss:mmm``; 24:
``hh:mi:ss``) of a ``TIME`` and a ``DATETIME`` on every backend, as SQL Server writes them."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_time_in_the_styles_of_a_time(backend: str,
                                        request: pytest.FixtureRequest) -> None:
    # (DuckDB stopped: its STRFTIME takes no TIME; style 14 had six places on PostgreSQL,
    # '10:15:00:123000', and on SQLite '10:15:00:00.123')
    db = _db(request, backend)
    assert _rows(db, """DECLARE @d DATETIME = '2020-01-02 10:15:00.123';
SELECT CONVERT(VARCHAR(30), CAST('10:15:00.123' AS TIME), 114),
    CONVERT(VARCHAR(12), CAST('10:15:00.1234567' AS TIME(7)), 14),
    CONVERT(VARCHAR(30), CAST('10:15:00.123' AS TIME), 24),
    CONVERT(VARCHAR(30), @d, 14), CONVERT(VARCHAR(30), @d, 114),
    CONVERT(VARCHAR(8), CAST('23:59:59' AS TIME(0)), 114)""") == [(
        "10:15:00:123", "10:15:00:123", "10:15:00", "10:15:00:123", "10:15:00:123",
        "23:59:59")]
