"""`leo-synth sql`: a ``TIME`` keeps its fraction of a second and ``DATEADD`` of one is a
``TIME``, converted to text with the type's places, on every backend (SQLite dropped the
fraction and gave ``DATEADD`` a date; no target padded ``DATEADD``'s text)."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _texts


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_time_keeps_its_fraction(backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _texts(db, """SELECT CAST(CAST('10:15:00.123' AS TIME) AS VARCHAR(30)),
    CAST(CAST('10:15:00.5' AS TIME(1)) AS VARCHAR(30)),
    CAST(DATEADD(ms, 5, CAST('10:15:00.25' AS TIME)) AS VARCHAR(20)),
    CAST(DATEADD(minute, 50, CAST('23:15:00.5' AS TIME(3))) AS VARCHAR(20))""") == [(
        "10:15:00.1230000", "10:15:00.5", "10:15:00.2550000", "00:05:00.500")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_dateadd_of_a_time_variable_is_a_time(backend: str,
                                              request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _texts(db, """DECLARE @t TIME = '10:15:00.25'
SELECT CAST(DATEADD(ms, 5, @t) AS VARCHAR(20)), CONCAT('at ', DATEADD(second, 1, @t))""") == [
        ("10:15:00.2550000", "at 10:15:01.2500000")]
