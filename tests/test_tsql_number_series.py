"""GENERATE_SERIES on every target (leo_synth/tsql/number_series.py): the numbers from start to
stop, counting down without a step when start is above stop, none when the step points away,
and per row of another table through CROSS and OUTER APPLY (on SQLite, JSON_EACH)."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows

PERIODS = """CREATE TABLE #p (id INT, n INT);
INSERT INTO #p VALUES (1, 2), (2, 0), (3, 3);
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_series_counts_as_sql_server_does(backend: str,
                                            request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _rows(db, "SELECT value FROM GENERATE_SERIES(1, 4)") == [(1,), (2,), (3,), (4,)]
    # a step that does not reach stop ends short of it; no step counts down from a higher start
    assert _rows(db, "SELECT s.value AS yr FROM GENERATE_SERIES(2019, 2010, -3) AS s "
                     "ORDER BY yr") == [(2010,), (2013,), (2016,), (2019,)]
    assert _rows(db, "SELECT value FROM GENERATE_SERIES(3, 1) ORDER BY value DESC") == [
        (3,), (2,), (1,)]
    assert _rows(db, "SELECT COUNT(*) FROM GENERATE_SERIES(1, 0, 2)") == [(0,)]
    assert _rows(db, "DECLARE @last INT = 3\nSELECT SUM(value * 2) FROM GENERATE_SERIES(1, @last)"
                 ) == [(12,)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_series_per_row_of_another_table(backend: str,
                                           request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    # (the first statement stopped: GENERATE_SERIES is no table SQLite has, and DuckDB's
    # column is not `value`)
    expected = [(1, 1), (1, 2), (2, 0), (2, 1), (3, 1), (3, 2), (3, 3)]
    assert _rows(db, PERIODS + "SELECT p.id, g.value FROM #p p CROSS APPLY "
                               "GENERATE_SERIES(1, p.n) AS g ORDER BY p.id, g.value") == expected
    assert _rows(db, PERIODS + "SELECT p.id, g.* FROM #p p OUTER APPLY "
                               "GENERATE_SERIES(p.n, 1) AS g ORDER BY p.id, g.value") == expected
    assert _rows(db, PERIODS + "SELECT y.value, COUNT(*) FROM GENERATE_SERIES(2008, 2010) y "
                               "CROSS JOIN #p GROUP BY y.value ORDER BY 1") == [
        (2008, 3), (2009, 3), (2010, 3)]
    assert _rows(db, PERIODS + "SELECT p.id FROM #p p JOIN GENERATE_SERIES(1, 3) g "
                               "ON g.value = p.n ORDER BY 1") == [(1,), (3,)]
