"""`leo-synth sql`: dates written as text as SQL Server writes them, on every backend:
CONVERT's styles and FORMAT's standard formats in a culture (en-GB puts the day first)."""

from __future__ import annotations

import re

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows

from leo_synth.tsql.command import run_text

MOMENT = "DECLARE @d DATETIME = '2019-03-05 14:07:09.123';\n"


@pytest.mark.parametrize("backend", BACKENDS)
def test_convert_styles(backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    # (127 was the text 'None'; 21 doubled the seconds on SQLite; 10, 11 and 12 were
    # 'mm-dd-yy', 'yy/mm/dd' and 'yymmdd' on DuckDB)
    assert _rows(db, MOMENT + """SELECT CONVERT(VARCHAR(30), @d, 127),
    CONVERT(VARCHAR(30), @d, 21), CONVERT(VARCHAR(8), @d, 10), CONVERT(VARCHAR(8), @d, 11),
    CONVERT(VARCHAR(6), @d, 12), CONVERT(VARCHAR(10), @d, 103)""") == [(
        "2019-03-05T14:07:09.123", "2019-03-05 14:07:09.123", "03-05-19", "19/03/05",
        "190305", "05/03/2019")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_format_writes_a_standard_date_format_in_its_culture(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    # (every culture's 'd' was en-US's 03/05/2019, 'D' was 'Tuesday,March,2019', and tt the
    # letters tt)
    assert _rows(db, MOMENT + """SELECT FORMAT(@d, 'd', 'en-GB'), FORMAT(@d, 'D', 'en-GB'),
    FORMAT(@d, 'd'), FORMAT(@d, 'D', 'en-US'), FORMAT(@d, 'hh:mm tt'), FORMAT(@d, 't'),
    FORMAT(@d, 'T', 'en-GB'), FORMAT(@d, 'M', 'en-GB'), FORMAT(@d, 'dd/MM/yyyy', 'en-GB')""") == [(
        "05/03/2019", "05 March 2019", "3/5/2019", "Tuesday, March 5, 2019", "02:07 PM",
        "2:07 PM", "14:07:09", "5 March", "05/03/2019")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_date_or_now_is_a_date_and_now_among_values_a_datetime(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    benefit = "[LEO_i2].[2002237].[leo_benefit]"
    # ISNULL has its first argument's type: an open spell ends today, a DATE (the targets gave
    # a date and time; DuckDB's with its time zone, +00:00)
    [(ended, today)] = run_text(db, f"""SELECT TOP 1
    ISNULL(NULLIF(EndDate, '9999-12-31'), GETDATE()), CAST(GETDATE() AS DATE)
FROM {benefit} WHERE EndDate = '9999-12-31'""", "tsql", None, False)[-1].rows
    assert str(ended) == str(today) and len(str(ended)) == 10
    # COALESCE, IIF and CASE take the DATETIME's type: shown with its milliseconds
    [row] = run_text(db, "SELECT COALESCE(NULL, GETDATE()), IIF(1 = 1, GETDATE(), NULL), "
                         "CASE WHEN 1 = 1 THEN GETDATE() END", "tsql", None, False)[-1].rows
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}", str(v)) for v in row)


@pytest.mark.parametrize("backend", BACKENDS)
def test_concat_writes_a_datetime_in_its_default_style(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    # (CONCAT gave the ISO text, 2019-03-05 14:07:09.123, where SQL Server converts the
    # DATETIME as a CAST without a style does; a DATE keeps its ISO text)
    assert _rows(db, MOMENT + """SELECT CONCAT('Run at ', @d),
    CONCAT_WS(' | ', 'a', @d, CAST(@d AS DATE))""") == [(
        "Run at Mar  5 2019  2:07PM", "a | Mar  5 2019  2:07PM | 2019-03-05")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_date_column_of_a_temp_table_keeps_no_time(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    # (SQLite stored the DATETIME whole, so the column read '2019-03-05 14:07:09.123' and
    # never equalled a date; UPDATE ... SET a DATE column to GETDATE() was a syntax error)
    assert _rows(db, MOMENT + """CREATE TABLE #t (id INT, day DATE, seen DATE);
INSERT INTO #t (id, day) VALUES (1, @d);
INSERT INTO #t (id, day) SELECT 2, DATEADD(day, 1, @d);
INSERT INTO #t (id, day) VALUES (3, '2019-03-07 10:00');
UPDATE #t SET seen = GETDATE();
SELECT id, CAST(day AS VARCHAR(30)), IIF(seen = CAST(GETDATE() AS DATE), 1, 0) FROM #t
ORDER BY id""") == [(1, "2019-03-05", 1), (2, "2019-03-06", 1), (3, "2019-03-07", 1)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_convert_styles_of_a_twelve_hour_clock(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    # (SQLite gave NULL; DuckDB 'Mar 05 2019 2:07:09:123000PM', a zero for the day's space)
    assert _rows(db, MOMENT + """DECLARE @m DATETIME = '2019-11-25 00:07:09.003';
SELECT CONVERT(VARCHAR(30), @d, 9), CONVERT(VARCHAR(30), @m, 109),
    CONVERT(VARCHAR(30), @d, 22), CONVERT(VARCHAR(30), CAST(@m AS DATE), 22)""") == [(
        "Mar  5 2019  2:07:09:123PM", "Nov 25 2019 12:07:09:003AM", "03/05/19  2:07:09 PM",
        "11/25/19 12:00:00 AM")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_datename_of_a_number_and_weeks_by_datefirst(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    # DATENAME of a number is DATEPART's, unpadded: it was '01', '032', Monday's week '04',
    # dy the day of the month, and hour NULL on SQLite and the month's name on DuckDB
    assert _rows(db, """DECLARE @d DATETIME = '2015-02-01 07:05:09.250';
SELECT DATENAME(day, @d), DATENAME(week, @d), DATENAME(dayofyear, @d), DATENAME(dy, @d),
    DATENAME(iso_week, @d), DATENAME(hour, @d), DATENAME(ms, @d), DATENAME(month, @d),
    'Week ' + DATENAME(wk, @d)""") == [
        ("1", "6", "32", "32", "5", "7", "250", "February", "Week 6")]
    # a week starts on DATEFIRST's day (it started on Sunday whatever the setting)
    assert _rows(db, """SET DATEFIRST 1
SELECT DATEPART(week, '2016-01-03'), DATEPART(week, '2016-01-04'), DATEPART(wk, '2015-02-01'),
    DATENAME(week, '2015-02-01')""") == [(1, 2, 5, "5")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_datetime_made_by_a_cte_or_derived_table_is_one(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    # (its text was ISO, ``dt + 1`` stopped DuckDB, and ``dt`` showed as 2016-04-06 there and
    # without milliseconds on SQLite)
    made = """WITH d AS (SELECT CAST('2016-04-06 14:07' AS DATETIME) AS dt
                UNION ALL SELECT CONVERT(DATETIME, '2016-04-07'))
SELECT CAST(dt AS VARCHAR(30)), CONVERT(VARCHAR(30), dt), dt, dt + 1,
       CONVERT(VARCHAR(30), x.late, 121), x.late
FROM d CROSS JOIN (SELECT MAX(dt) AS late FROM d) x ORDER BY dt"""
    assert [tuple(map(str, row)) for row in run_text(db, made, "tsql", None, False)[-1].rows] \
        == [("Apr  6 2016  2:07PM", "Apr  6 2016  2:07PM", "2016-04-06 14:07:00.000",
             "2016-04-07 14:07:00.000", "2016-04-07 00:00:00.000", "2016-04-07 00:00:00.000"),
            ("Apr  7 2016 12:00AM", "Apr  7 2016 12:00AM", "2016-04-07 00:00:00.000",
             "2016-04-08 00:00:00.000", "2016-04-07 00:00:00.000", "2016-04-07 00:00:00.000")]


def test_made_datetimes_are_those_made_so_wherever_made() -> None:
    import sqlglot

    from leo_synth.tsql.made_datetimes import made_datetimes

    tree = sqlglot.parse_one("""WITH d AS (SELECT CAST(a AS DATETIME) AS dt,
        CAST(a AS DATETIME2(3)) AS precise, CAST(a AS DATETIME) AS mixed, b AS held,
        CAST(a AS DATETIME) AS StartDate FROM t),
      e AS (SELECT dt AS again, 'x' AS mixed, value FROM d CROSS JOIN GENERATE_SERIES(1, 2))
    SELECT * FROM (SELECT again AS dt FROM e) x""", read="tsql")
    assert made_datetimes(tree, {"b": True, "startdate": False}, {}) == {
        "dt": ("datetime", 3), "precise": ("datetime2", 3), "again": ("datetime", 3),
        "held": ("datetime", 3)}


@pytest.mark.parametrize("backend", BACKENDS)
def test_convert_reads_a_months_name_whatever_its_style(
        backend: str, request: pytest.FixtureRequest) -> None:
    # (style 100's 'Dec 31 2019' was NULL on SQLite and stopped DuckDB, whose pattern wanted
    # its time; a full month's name stopped them in style 106)
    db = _db(request, backend)
    assert [tuple(map(str, row)) for row in run_text(db, """SELECT
    CONVERT(DATE, 'Dec 31 2019', 100), CONVERT(DATETIME, 'Dec 31 2019 10:15PM', 100),
    CONVERT(DATETIME, 'Dec 31 2019 10:15:30:123AM', 109), CONVERT(DATE, '31 December 2019', 106),
    CONVERT(DATE, 'Dec 31, 2019', 107), TRY_CONVERT(DATE, 'nonsense', 100)""", "tsql", None,
                                                     False)[-1].rows] == [(
        "2019-12-31", "2019-12-31 22:15:00.000", "2019-12-31 10:15:30.123", "2019-12-31",
        "2019-12-31", "None")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_nullif_lag_and_isnull_of_a_datetime_are_datetimes(
        backend: str, request: pytest.FixtureRequest) -> None:
    # (they showed without milliseconds on SQLite, NULLIF(at, ...) as a date on DuckDB, and
    # ISNULL's literal lost its time)
    db = _db(request, backend)
    rows = run_text(db, """CREATE TABLE #e (k INT, at DATETIME);
INSERT INTO #e VALUES (1, '2021-01-03 10:15:00'), (2, '2021-02-01 00:00:00');
SELECT k, LAG(at, 1, '20210101 09:30') OVER (PARTITION BY k ORDER BY at),
  NULLIF(at, '20210203'), ISNULL(NULLIF(at, '2021-02-01'), '20991231 23:00')
FROM #e ORDER BY k""", "tsql", None, False)[-1].rows
    assert [tuple(map(str, row)) for row in rows] == [
        ("1", "2021-01-01 09:30:00.000", "2021-01-03 10:15:00.000", "2021-01-03 10:15:00.000"),
        ("2", "2021-01-01 09:30:00.000", "2021-02-01 00:00:00.000", "2099-12-31 23:00:00.000")]
