"""`leo-synth sql`: a ``SMALLDATETIME`` holds its value rounded to the minute, on every
backend (the targets kept the seconds, which only the result table rounded), and a literal
compared with a cast to a date and time keeps its time."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _texts

ROUNDED = "CAST('2020-01-01 10:15:31' AS SMALLDATETIME)"


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_smalldatetime_is_rounded_to_the_minute(backend: str,
                                                  request: pytest.FixtureRequest) -> None:
    # SQL Server's documentation: 29.998 seconds is rounded down, 29.999 up
    db = _db(request, backend)
    assert _texts(db, f"""SELECT CAST('2000-05-08 12:35:29.998' AS SMALLDATETIME),
    CAST('2000-05-08 12:35:29.999' AS SMALLDATETIME),
    CONVERT(SMALLDATETIME, '2020-12-31 23:59:30'), {ROUNDED},
    DATEPART(minute, {ROUNDED}), DATEPART(second, {ROUNDED}),
    CASE WHEN {ROUNDED} = '2020-01-01 10:16' THEN 1 ELSE 0 END,
    CAST({ROUNDED} AS VARCHAR(20))""") == [(
        "2000-05-08 12:35:00", "2000-05-08 12:36:00", "2021-01-01 00:00:00",
        "2020-01-01 10:16:00", "16", "0", "1", "Jan  1 2020 10:16AM")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_literal_compared_with_a_cast_to_a_datetime_keeps_its_time(
        backend: str, request: pytest.FixtureRequest) -> None:
    # (it was cut to its date, as beside a DATE column)
    db = _db(request, backend)
    assert _texts(db, """SELECT
    CASE WHEN CAST('2020-01-01 10:15:31' AS DATETIME) = '2020-01-01 10:15:31' THEN 1 ELSE 0 END,
    CASE WHEN CAST('2020-01-01 10:15:31' AS DATETIME2) > '2020-01-01 10:15' THEN 1 ELSE 0 END,
    CASE WHEN CAST('2020-01-01 10:15:31' AS DATE) = '2020-01-01 10:15:31' THEN 1 ELSE 0 END
""") == [("1", "1", "1")]
