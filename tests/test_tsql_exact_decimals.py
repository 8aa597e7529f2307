"""`leo-synth sql`: decimal sums, differences and products compare as SQL Server's exact
decimals do, on every backend (SQLite computed them as binary floats: ``0.1 + 0.2 = 0.3``
was false there)."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows

TENTHS = """CREATE TABLE #d (x INT, a DECIMAL(12, 2))
INSERT INTO #d VALUES (1, 0.1), (2, 0.1), (3, 0.1), (4, 0.1), (5, 0.1), (6, 0.1), (7, 0.1),
(8, 0.1), (9, 0.1), (10, 0.1)
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_literal_arithmetic_is_exact(backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _rows(db, """SELECT CASE WHEN 0.1 + 0.2 = 0.3 THEN 1 ELSE 0 END,
CASE WHEN 0.1 * 3 = 0.3 THEN 1 ELSE 0 END, CASE WHEN 0.3 - 0.1 = 0.2 THEN 1 ELSE 0 END,
CASE WHEN 1.1 * 1.1 = 1.21 THEN 1 ELSE 0 END, CASE WHEN 0.1 + 0.2 > 0.3 THEN 1 ELSE 0 END,
FLOOR((0.7 + 0.1) * 10)""") == [(1, 1, 1, 1, 0, 8)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_sum_of_decimals_is_exact(backend: str, request: pytest.FixtureRequest) -> None:
    # ten 0.10s in a DECIMAL(12, 2) make 1.00 (SQLite's floats made 0.9999999999999999)
    db = _db(request, backend)
    assert _rows(db, TENTHS + """SELECT CASE WHEN SUM(a) = 1.0 THEN 1 ELSE 0 END,
CASE WHEN SUM(a) >= 1 THEN 1 ELSE 0 END, FLOOR(SUM(a) * 10) FROM #d""") == [(1, 1, 10)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_running_sum_of_decimals_is_exact(backend: str,
                                            request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _rows(db, TENTHS + """SELECT x FROM (
SELECT x, SUM(a) OVER (ORDER BY x) AS total FROM #d) r
WHERE total IN (0.3, 0.6, 0.7, 0.8, 1.0) ORDER BY x""") == [(3,), (6,), (7,), (8,), (10,)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_decimal_columns_group_and_compare_exactly(backend: str,
                                                   request: pytest.FixtureRequest) -> None:
    # 0.1 + 0.2 and 0.2 + 0.1 are one group, equal to 0.30; 0.7 + 0.1 is 0.80
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #m (a DECIMAL(12, 2), b DECIMAL(12, 2))
INSERT INTO #m VALUES (0.1, 0.2), (0.2, 0.1), (0.7, 0.1)
SELECT a + b, COUNT(*) FROM #m WHERE a + b IN (0.3, 0.8) GROUP BY a + b ORDER BY a + b""") == [
        (0.3, 2), (0.8, 1)]
