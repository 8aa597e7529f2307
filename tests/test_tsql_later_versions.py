"""`leo-synth sql`: functions of SQL Server versions after the SRS's 2019 stop the script as
SQL Server 2019 stops it, and offsets and time zones, which no target holds as SQL Server
does, stop it before it runs, on every backend."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows

from leo_synth.tsql.errors import ScriptError


@pytest.mark.parametrize("backend", BACKENDS)
def test_date_bucket_is_not_a_function_of_sql_server_2019(
        backend: str, request: pytest.FixtureRequest) -> None:
    # (DuckDB ran it, its own function; SQLite and PostgreSQL read the week as a column)
    db = _db(request, backend)
    with pytest.raises(ScriptError, match=r"^line 2: 'DATE_BUCKET' is not a recognized "
                                          r"built-in function name"):
        _rows(db, """SELECT 1
SELECT DATE_BUCKET(week, 1, CAST('2020-06-03' AS DATE))""")


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_weeks_it_suggests_instead(backend: str, request: pytest.FixtureRequest) -> None:
    # the Monday of each date's week, 1900-01-01 being a Monday, as DATE_BUCKET(week, 1, d)
    # gives it in SQL Server 2022 (PostgreSQL gave the Saturday before a Sunday: its
    # INTERVAL '1 DAY' * n / 7 * 7 divided the interval)
    db = _db(request, backend)
    assert _rows(db, """SELECT d, CAST(DATEADD(day, DATEDIFF(day, 0, d) / 7 * 7, 0) AS DATE)
FROM (VALUES (CAST('2020-06-07' AS DATE)), (CAST('2020-06-08' AS DATE))) v (d)
ORDER BY d""") == [("2020-06-07", "2020-06-01"), ("2020-06-08", "2020-06-08")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_dateadd_of_a_quotient(backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _rows(db, """SELECT DATEADD(minute, 10 / 3 * 3, CAST('2020-01-01' AS DATETIME)),
    DATEADD(month, 7 / 2 * 2, CAST('2020-01-01' AS DATE)),
    DATEADD(day, -7 / 2, CAST('2020-01-01' AS DATE))""") == [
        ("2020-01-01T00:09:00", "2020-07-01", "2019-12-29")]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("text", "said"), [
    ("SELECT CAST('2020-06-01 12:00:00 +01:00' AS DATETIMEOFFSET)",
     r"^line 2: DATETIMEOFFSET cannot be translated"),
    ("SELECT CAST('2020-06-01 12:00' AS DATETIME) AT TIME ZONE 'GMT Standard Time'",
     r"^line 2: AT TIME ZONE cannot be translated: the targets know no Windows time zones"),
    ("SELECT SWITCHOFFSET(SYSDATETIMEOFFSET(), '+00:00')",
     r"^line 2: SWITCHOFFSET cannot be translated"),
    ("SELECT TODATETIMEOFFSET(GETDATE(), '+01:00')",
     r"^line 2: TODATETIMEOFFSET cannot be translated"),
])
def test_offsets_and_time_zones_stop_the_script(backend: str, text: str, said: str,
                                                request: pytest.FixtureRequest) -> None:
    # (SQLite kept the year of a DATETIMEOFFSET, PostgreSQL showed it in UTC, DuckDB and
    # PostgreSQL knew no 'GMT Standard Time'): before anything runs, on every backend
    db = _db(request, backend)
    with pytest.raises(ScriptError, match=said):
        _rows(db, "SELECT 1\n" + text)


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_words_as_names_and_text(backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _rows(db, """SELECT 'DATETIMEOFFSET AT TIME ZONE', [datetimeoffset], at
FROM (SELECT 1 AS [datetimeoffset], 2 AS at) s""") == [("DATETIMEOFFSET AT TIME ZONE", 1, 2)]
