"""`leo-synth sql`: a number read as a DATETIME is that many days from 1900-01-01, within a
DATETIME's years (1753-9999). ``DATEADD(DAY, 1, 20190101)`` (a date written as a number) and
``CAST(@d AS DATETIME)`` of such a number stop with SQL Server's error 8115, "Arithmetic
overflow error converting expression to data type datetime.", where leo-synth stopped
saying the fault was its own (Python's dates end at year 9999); ``TRY_CAST`` is NULL."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _texts

from leo_synth.tsql.command import run_text
from leo_synth.tsql.errors import ScriptError

OVERFLOW = "Arithmetic overflow error converting expression to data type datetime."


@pytest.mark.parametrize("script", [
    "SELECT DATEADD(DAY, 1, 20190101)",
    "SELECT CAST(2958464 AS DATETIME)",
    "DECLARE @d INT = 20190101\nSELECT CAST(@d AS DATETIME)",
], ids=["dateadd", "after-9999", "variable"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_days_beyond_a_datetime_stop_with_error_8115(backend: str, script: str,
                                                     request: pytest.FixtureRequest) -> None:
    with pytest.raises(ScriptError) as raised:
        run_text(_db(request, backend), script, "tsql", None, False)
    assert OVERFLOW in str(raised.value) and "fault of leo-synth" not in str(raised.value)


@pytest.mark.parametrize("backend", BACKENDS)
def test_days_within_a_datetime_are_read_and_try_cast_is_null(
        backend: str, request: pytest.FixtureRequest) -> None:
    assert _texts(_db(request, backend), """SELECT DATEADD(DAY, 1, 5),
        CAST(2958463 AS DATETIME), CAST(-53690 AS DATETIME), TRY_CAST(2958464 AS DATETIME)""") == [
        ("1900-01-07 00:00:00.000", "9999-12-31 00:00:00.000", "1753-01-01 00:00:00.000",
         "None")]
