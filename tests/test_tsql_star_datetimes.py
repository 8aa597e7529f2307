"""`leo-synth sql`: a ``*`` over one #temp table or derived table shows its ``DATETIME``
columns as SQL Server does, and a ``SELECT * INTO`` copies them as ``DATETIME``s, on every
backend."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _texts

BENEFIT = "[LEO_i2].[2002237].[leo_benefit]"


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_star_shows_a_temp_datetime_named_as_an_extract_date(
        backend: str, request: pytest.FixtureRequest) -> None:
    # (the target's value was shown: 2011-08-02 00:00:00 on SQLite, a date on DuckDB)
    db = _db(request, backend)
    [(start, _)] = _texts(db, f"""SELECT TOP 1 CAST(StartDate AS DATETIME) AS StartDate, EduKey
INTO #t FROM {BENEFIT} ORDER BY EduKey, StartDate;
SELECT * FROM #t""")
    assert start.endswith(" 00:00:00.000")


@pytest.mark.parametrize("backend", BACKENDS)
def test_select_star_into_copies_a_derived_datetime(backend: str,
                                                    request: pytest.FixtureRequest) -> None:
    # (#t.s was of no known type: shown as the target holds it, written by CONCAT as ISO text)
    db = _db(request, backend)
    [(shown, _, joined)] = _texts(db, f"""SELECT TOP 1 * INTO #t FROM (
    SELECT DATEADD(hour, 6, CAST(StartDate AS DATETIME)) AS s, EduKey FROM {BENEFIT}) d
ORDER BY EduKey, s;
SELECT *, CONCAT('at ', s) FROM #t""")
    assert shown.endswith(" 06:00:00.000") and joined.endswith(" 6:00AM")
