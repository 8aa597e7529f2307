"""`leo-synth sql`: comparisons as SQL Server makes them, on every backend: text read as a
date where a date is expected, and text compared with a literal ignoring case (the SRS's
collation)."""

from __future__ import annotations

import re

import pytest
from test_srs_corpus import _value, duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows

from leo_synth.tsql.command import run_text
from leo_synth.tsql.date_texts import DATE_FAILED, iso
from leo_synth.tsql.errors import ScriptError

CENSUS = "[NPD_i2].[2002237].[spring_census_2011]"


def test_the_date_forms_sql_server_reads_whatever_its_language() -> None:
    assert iso("20150131", True) == "2015-01-31"
    assert iso("2015/01/31", False) == "2015-01-31"
    assert iso("20150131 10:30", False) == "2015-01-31 10:30"
    assert iso("2015-01-31T10:30:00.5", True) == "2015-01-31"
    assert iso("20150230", True) is None  # no such day: SQL Server fails, so left alone
    # read by the session's DATEFORMAT: month first as us_english has it, or day first
    assert iso("01/31/2015", True) == "2015-01-31"
    assert iso("31/01/2015", True) is None
    assert iso("31.01.2015 10:30", False, "dmy") == "2015-01-31 10:30"
    assert iso("01/02/2015", True, "ymd") is None
    assert iso("2015-0131", True) is None
    assert iso("201501311", True) is None
    # separated, a one-digit month or day (CONCAT(y, '-', m, '-1')); unseparated, two each
    assert iso("2015-1-5", True) == "2015-01-05" and iso("2015/12/5 10:30", False) == (
        "2015-12-05 10:30")
    assert iso("201515", True) is None and iso("2015-1/5", True) is None
    # a month's name, whatever the DATEFORMAT (a two-digit year by SQL Server's cutoff)
    for text in ("1 Jan 2015", "01-JAN-15", "January 1, 2015", "Jan 1 2015", "2015 Jan 1",
                 "Jan 2015"):
        assert iso(text, True, "dmy") == "2015-01-01", text
    assert iso("1 Jan 2015 10:30", False) == "2015-01-01 10:30"
    # styles 0 and 9 as SQL Server writes them: a 12-hour clock, milliseconds after a colon
    assert iso("Jan  1 2015 12:05AM", False) == "2015-01-01 00:05"
    assert iso("Jan  1 2015  1:04:05:123PM", False) == "2015-01-01 13:04:05.123"
    assert iso("1 Jan 2015 9:30", False) == "2015-01-01 09:30"
    assert iso("01-Jan-50", True) == "1950-01-01"
    assert iso("31 Feb 2015", True) is None
    assert iso("1 Foo 2015", True) is None
    # a year alone is 1 January of it
    assert iso("2015", True) == "2015-01-01" and iso(" 1999 ", False) == "1999-01-01"
    assert iso("0000", True) is None and iso("201", True) is None


@pytest.mark.parametrize("backend", BACKENDS)
def test_dates_with_a_months_name(backend: str, request: pytest.FixtureRequest) -> None:
    # SQL Server reads '1 Jan 2015' as a date: SQLite read NULL (a comparison found no row),
    # DuckDB stopped
    db = _db(request, backend)
    benefit = "[LEO_i2].[2002237].[leo_benefit]"
    counts = [_rows(db, f"SELECT COUNT(*) FROM {benefit} WHERE StartDate >= '{day}'")[0][0]
              for day in ("20150101", "1 Jan 2015", "January 1, 2015", "2015")]
    assert counts[0] > 0 and len(set(counts)) == 1, counts
    assert _rows(db, "SELECT CAST('01-JAN-2015' AS DATE), DATEDIFF(day, 'Jan 1, 2015', "
                     "'1 March 2015')") == [(_value("2015-01-01"), 59)]
    with pytest.raises(ScriptError, match="'31 Feb 2015' under DATEFORMAT mdy"):
        _rows(db, "SELECT CAST('31 Feb 2015' AS DATE)")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_date_sql_server_cannot_read_stops(backend: str,
                                             request: pytest.FixtureRequest) -> None:
    # '31/12/2015' is month 31 under us_english's DATEFORMAT mdy: SQL Server stops, where
    # SQLite read NULL (DATEDIFF gave NULL, the comparison no row) and the others stopped in
    # their own words
    db = _db(request, backend)
    message = re.escape("Conversion failed when converting date and/or time from character "
                        "string. ('31/12/2015' under DATEFORMAT mdy; '20151231' is read")
    for text in (f"SELECT COUNT(*) FROM {CENSUS} WHERE EntryDate_spr11 > '31/12/2015'",
                 "SELECT DATEDIFF(day, '31/12/2015', '20160105')",
                 "SELECT CAST('31/12/2015' AS DATE)"):
        with pytest.raises(ScriptError, match="line 2: " + message):
            _rows(db, "SELECT 1\n" + text)
    with pytest.raises(ScriptError, match="'2015-02-30' under DATEFORMAT mdy"):
        _rows(db, "SELECT CAST('2015-02-30' AS DATE)")
    assert _rows(db, "SET DATEFORMAT dmy\nSELECT CAST('31/12/2015' AS DATE), "
                     "TRY_CAST('2015-02-30' AS DATE)") == [(_value("2015-12-31"), None)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_british_datetimes_read_a_dashed_date_as_year_day_month(
        backend: str, request: pytest.FixtureRequest) -> None:
    # SQL Server reads 'YYYY-MM-DD' as year, day, month for a DATETIME or SMALLDATETIME under
    # DATEFORMAT dmy (SET LANGUAGE british): @d is 4 June. A DATE, a DATETIME2, 'YYYYMMDD' and
    # the T form read the same whatever the order. leo-synth read 6 April everywhere.
    db = _db(request, backend)
    [row] = _rows(db, """SET LANGUAGE british
DECLARE @d DATETIME = '2015-04-06'
SELECT CONVERT(VARCHAR(10), @d, 23), CONVERT(VARCHAR(10), CAST('2015-04-08' AS SMALLDATETIME), 23),
    CAST('2015-04-08' AS DATE), CONVERT(VARCHAR(10), CAST('2015-04-08' AS DATETIME2), 23),
    CONVERT(VARCHAR(10), CAST('20150408' AS DATETIME), 23),
    CONVERT(VARCHAR(10), CAST('2015-04-08T10:00:00' AS DATETIME), 23),
    CONVERT(VARCHAR(10), DATEADD(day, 1, @d), 23)""")
    assert row == ("2015-06-04", "2015-08-04", _value("2015-04-08"), "2015-04-08",
                   "2015-04-08", "2015-04-08", "2015-06-05")
    with pytest.raises(ScriptError, match=re.escape("'2015-04-13' under DATEFORMAT dmy")):
        _rows(db, "SET DATEFORMAT dmy\nSELECT CAST('2015-04-13' AS DATETIME)")
    assert _rows(db, "SELECT CONVERT(VARCHAR(10), CAST('2015-04-13' AS DATETIME), 23)") == [
        ("2015-04-13",)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_values_cast_to_dates_convert_or_stop(backend: str,
                                              request: pytest.FixtureRequest) -> None:
    # SQLite's DATE() read all but ISO text as NULL: the integer 20160901 of KS4_ENTRYDAT, a
    # #temp table's '20150131' or 'R' (SQL Server reads the one, stops at the others)
    db = _db(request, backend)
    ks4 = "[NPD_i2].[2002237].[KS4Pupil_2015_to_2021]"
    with pytest.raises(ScriptError, match=re.escape(
            "line 2: Explicit conversion from data type int to date is not allowed.")):
        _rows(db, f"SELECT 1\nSELECT TOP 3 CAST(KS4_ENTRYDAT AS DATE) FROM {ks4}")
    table = "CREATE TABLE #d (x VARCHAR(20))\nINSERT INTO #d VALUES "
    with pytest.raises(ScriptError, match=r"line 3: .* said: Conversion failed when converting "
                                          r"date and/or time from character string\.$"):
        _rows(db, table + "('R')\nSELECT CAST(x AS DATE) FROM #d")
    # a number is that many days from 1900-01-01 (PostgreSQL and DuckDB refused it)
    assert _rows(db, "SELECT DATEDIFF(day, CAST(0 AS DATETIME), '20150101'), "
                     "DAY(CONVERT(DATETIME, 1.5))") == [(42003, 2)]
    dates = _rows(db, table + "('20150131'), ('1 Mar 2015'), ('03/04/2015')\n"
                              "SELECT CAST(x AS DATE) FROM #d ORDER BY 1")
    assert dates == [(_value(day),) for day in ("2015-01-31", "2015-03-01", "2015-03-04")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_try_cast_reads_dates_as_sql_server_reads_them(backend: str,
                                                       request: pytest.FixtureRequest) -> None:
    # TRY_CAST read only ISO text (NULL for '20150131' on every target), DuckDB's CAST stopped
    # at it, and PostgreSQL read '31/01/2015' month first whatever the DATEFORMAT
    db = _db(request, backend)
    table = ("CREATE TABLE #d (k INT, x VARCHAR(20))\nINSERT INTO #d VALUES (1, '20150131'), "
             "(2, '1 Mar 2015'), (3, 'R'), (4, '2015-02-30'), (5, NULL)\n")
    assert _rows(db, table + "SELECT TRY_CAST(x AS DATE), TRY_CONVERT(DATE, x) FROM #d "
                             "ORDER BY k") == [(_value(day), _value(day)) for day in (
        "2015-01-31", "2015-03-01", None, None, None)]
    assert _rows(db, "SELECT TRY_CAST('20150131' AS DATE), TRY_CAST('1 Jan 2015' AS DATE), "
                     "TRY_CAST('2015-02-30' AS DATE)") == [
        (_value("2015-01-31"), _value("2015-01-01"), None)]
    british = ("SET DATEFORMAT dmy\nCREATE TABLE #d (x VARCHAR(20))\n"
               "INSERT INTO #d VALUES ('31/01/2015')\n")
    assert _rows(db, british + "SELECT CAST(x AS DATE), TRY_CAST(x AS DATE) FROM #d") == [
        (_value("2015-01-31"), _value("2015-01-31"))]
    with pytest.raises(ScriptError, match="Explicit conversion from data type int to date"):
        _rows(db, "SELECT TOP 1 TRY_CAST(TaxYear AS DATE) FROM [LEO_i2].[2002237].[leo_earnings]")


@pytest.mark.parametrize("backend", BACKENDS)
def test_unseparated_dates_compare_with_date_columns(backend: str,
                                                     request: pytest.FixtureRequest) -> None:
    # SQLite compared '20080901' with the ISO text it holds ('2008-09-01' < '20080901' for
    # every day of 2008) and DuckDB refused it
    db = _db(request, backend)
    [(total, before_iso, between_iso, listed_iso)] = _rows(db, f"""SELECT COUNT(EntryDate_spr11),
    SUM(CASE WHEN EntryDate_spr11 < '2008-09-01' THEN 1 ELSE 0 END),
    SUM(CASE WHEN EntryDate_spr11 BETWEEN '2008-01-01' AND '2008-12-31' THEN 1 ELSE 0 END),
    SUM(CASE WHEN EntryDate_spr11 IN ('2008-09-01', '2009-09-01') THEN 1 ELSE 0 END)
FROM {CENSUS}""")
    assert 0 < before_iso < total and 0 < between_iso < total and 0 < listed_iso < total
    text = f"""SELECT * INTO #c FROM {CENSUS}
SELECT SUM(CASE WHEN EntryDate_spr11 < '20080901' THEN 1 ELSE 0 END),
    SUM(CASE WHEN EntryDate_spr11 BETWEEN '20080101' AND '20081231 23:59' THEN 1 ELSE 0 END),
    SUM(CASE WHEN '20080901' > EntryDate_spr11 THEN 1 ELSE 0 END),
    SUM(CASE WHEN EntryDate_spr11 IN ('20080901', '2009/09/01') THEN 1 ELSE 0 END),
    SUM(CASE WHEN EntryDate_spr11 >= '2008-09-01 00:00:00' THEN 1 ELSE 0 END)
FROM #c"""
    assert _rows(db, text) == [(before_iso, between_iso, before_iso, listed_iso,
                                total - before_iso)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_unseparated_dates_in_date_functions(backend: str,
                                             request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    [row] = _rows(db, "SELECT DATEDIFF(day, '20150101', '20150301'), YEAR('20150101'), "
                      "DATEPART(month, '20150401'), CAST(DATEADD(day, 1, '20150228') AS DATE), "
                      "CAST(EOMONTH('20160210') AS DATE), DATEDIFF(hour, '20150101 06:00', "
                      "'2015-01-02')")
    assert row == (59, 2015, 4, "2015-03-01", "2016-02-29", 18)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_date_built_as_text_from_its_parts(backend: str,
                                            request: pytest.FixtureRequest) -> None:
    # a month of one digit ('2015-9-01', as CONCAT writes it) stopped every target but
    # PostgreSQL with "Conversion failed ..."; text joined by + stopped DuckDB, whose CAST
    # reads ISO text alone
    db = _db(request, backend)
    rows = _rows(db, f"""SELECT TOP 1 CONVERT(DATE, CONCAT(2015, '-', 9, '-01')),
    CAST(CAST(2015 AS VARCHAR(4)) + RIGHT('0' + CAST(9 AS VARCHAR(2)), 2) + '01' AS DATE),
    CAST('2015-9-1' AS DATE), DATEDIFF(day, '2015-9-1', '2015-10-1')
FROM {CENSUS}""")
    assert rows == [("2015-09-01",) * 3 + (30,)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_unseparated_dates_as_the_other_choice_of_a_date(backend: str,
                                                          request: pytest.FixtureRequest) -> None:
    # ISNULL(d, '20210331') is a date in SQL Server (its first argument's type): SQLite gave
    # the text '20210331' and DuckDB stopped; COALESCE, IIF and CASE convert it too
    db = _db(request, backend)
    rows = _rows(db, f"""SELECT TOP 1 ISNULL(LeavingDate_spr11, '20210331'),
    COALESCE(LeavingDate_spr11, '2021/03/31'),
    IIF(LeavingDate_spr11 IS NULL, '20210331', LeavingDate_spr11),
    CASE WHEN LeavingDate_spr11 IS NULL THEN '20210331' ELSE LeavingDate_spr11 END,
    DATEDIFF(day, '20210301', ISNULL(LeavingDate_spr11, '20210331'))
FROM {CENSUS} WHERE LeavingDate_spr11 IS NULL""")
    assert rows == [("2021-03-31",) * 4 + (30,)]
    # ... and text that is no date stops there, as on DuckDB and PostgreSQL (SQLite gave it)
    with pytest.raises(ScriptError, match=re.escape(DATE_FAILED)):
        _rows(db, f"SELECT ISNULL(LeavingDate_spr11, 'still there') FROM {CENSUS}")


@pytest.mark.parametrize("backend", BACKENDS)
def test_unseparated_dates_beside_a_dates_nullif_lag_or_lead(
        backend: str, request: pytest.FixtureRequest) -> None:
    # NULLIF compares its values (SQLite compared '9999-12-31' with the text '99991231': no
    # match, so the open end stayed), LAG's default and a choice with NULLIF(d, ...) among
    # its values are dates (SQLite gave the text, DuckDB stopped)
    db = _db(request, backend)
    rows = _rows(db, """SELECT TOP 1 ISNULL(NULLIF(EndDate, '99991231'), '20991231'),
    COALESCE(NULLIF(EndDate, '9999-12-31'), '20991231'),
    LAG(EndDate, 1, '19000101') OVER (PARTITION BY EduKey ORDER BY StartDate),
    LEAD(StartDate, 1000, '20991231') OVER (PARTITION BY EduKey ORDER BY StartDate),
    ISNULL(MAX(EndDate) OVER (PARTITION BY EduKey), '20000101'),
    DATEDIFF(day, StartDate, NULLIF(EndDate, '99991231'))
FROM [LEO_i2].[2002237].[leo_benefit] WHERE EndDate = '99991231' ORDER BY EduKey, StartDate""")
    assert rows == [("2099-12-31", "2099-12-31", "1900-01-01", "2099-12-31", "9999-12-31", None)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_unseparated_dates_among_greatest_and_least_of_a_date(
        backend: str, request: pytest.FixtureRequest) -> None:
    # (SQL Server 2022: a spell's days within a tax year; SQLite gave NULL, as it compared the
    # text '20180406' with ISO dates, and DuckDB stopped)
    db = _db(request, backend)
    assert _rows(db, """SELECT TOP 1 GREATEST(StartDate, '20180406'), LEAST(EndDate, '20190405'),
    DATEDIFF(day, GREATEST(StartDate, '20180406'), LEAST(EndDate, '20190405')) + 1
FROM [LEO_i2].[2002237].[leo_employment]
WHERE StartDate < '20180406' AND EndDate > '20190405'""") == [("2018-04-06", "2019-04-05", 365)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_text_compared_with_literals_ignores_case(backend: str,
                                                  request: pytest.FixtureRequest) -> None:
    # 'f' found no pupil coded 'F' on any target, where the SRS finds them all
    db = _db(request, backend)
    [(girls, boys)] = _rows(db, f"""SELECT SUM(CASE WHEN Gender_spr11 = 'F' THEN 1 ELSE 0 END),
    SUM(CASE WHEN Gender_spr11 = 'M' THEN 1 ELSE 0 END) FROM {CENSUS}""")
    assert girls > 0 and boys > 0
    text = f"""SELECT SUM(CASE WHEN Gender_spr11 = 'f' THEN 1 ELSE 0 END),
    SUM(CASE WHEN 'f' = Gender_spr11 THEN 1 ELSE 0 END),
    SUM(CASE WHEN Gender_spr11 <> 'f' THEN 1 ELSE 0 END),
    SUM(CASE WHEN Gender_spr11 IN ('f', 'm') THEN 1 ELSE 0 END),
    SUM(CASE Gender_spr11 WHEN 'f' THEN 1 ELSE 0 END),
    SUM(CASE WHEN LEFT(Gender_spr11, 1) = 'f' THEN 1 ELSE 0 END),
    SUM(CASE WHEN Gender_spr11 COLLATE Latin1_General_CI_AS = 'f' THEN 1 ELSE 0 END),
    SUM(CASE WHEN Gender_spr11 COLLATE Latin1_General_CS_AS = 'f' THEN 1 ELSE 0 END),
    SUM(CASE WHEN Gender_spr11 COLLATE Latin1_General_BIN = 'f' THEN 1 ELSE 0 END),
    SUM(CASE WHEN Gender_spr11 = 'f' COLLATE Latin1_General_CI_AS THEN 1 ELSE 0 END),
    SUM(CASE WHEN Gender_spr11 = 'f' COLLATE Latin1_General_BIN THEN 1 ELSE 0 END)
FROM {CENSUS}"""
    # (the collation written after the literal: the first found none, as if binary)
    assert _rows(db, text) == [(girls, girls, boys, girls + boys, girls, girls, girls, 0, 0,
                                girls, 0)]
    mixed = """CREATE TABLE #n (name VARCHAR(10), code VARCHAR(2))
INSERT INTO #n VALUES ('Carol', '1a'), ('carol', '1A'), ('CAROL', '11'), ('Bob', NULL)
SELECT COUNT(CASE WHEN name = 'carol' THEN 1 END), COUNT(CASE WHEN code = '1a' THEN 1 END),
    COUNT(CASE WHEN code IN ('1A', '11') THEN 1 END), COUNT(CASE WHEN name <> 'BOB' THEN 1 END),
    COUNT(CASE WHEN CHARINDEX('RO', name) = 3 THEN 1 END), MAX(CHARINDEX('x', 'aXbx', 1))
FROM #n"""
    assert _rows(db, mixed) == [(3, 2, 3, 3, 3, 2)]
    # NULLIF(x, 'carol') is NULL for 'Carol' too
    assert _rows(db, """CREATE TABLE #m (name VARCHAR(10))
INSERT INTO #m VALUES ('Carol'), ('CAROL'), ('Bob')
SELECT COUNT(NULLIF(name, 'carol')), MAX(NULLIF(name, 'carol')) FROM #m""") == [(1, "Bob")]
    # a NULL among IN's literals (which matches nothing) kept the others' case: 'CAROL' IN
    # ('carol', NULL) was false on every target
    assert _rows(db, """CREATE TABLE #m (name VARCHAR(10))
INSERT INTO #m VALUES ('Carol'), ('CAROL'), ('Bob')
SELECT COUNT(CASE WHEN name IN ('carol', NULL) THEN 1 END),
    COUNT(CASE name WHEN NULL THEN 0 WHEN 'bob' THEN 1 END) FROM #m""") == [(2, 1)]
    # REPLACE finds its literal in any case (every target replaced 'm' alone, so no boy's
    # code became 'X'); a collation that keeps case keeps it; the others are themselves
    assert _rows(db, f"""SELECT SUM(CASE WHEN REPLACE(Gender_spr11, 'm', 'X') = 'X' THEN 1 END),
    MAX(REPLACE('N/A and n/a', 'n/a', '-')), MAX(REPLACE('a.b.A', 'a.', '\\1&')),
    MAX(REPLACE('aAa' COLLATE Latin1_General_BIN, 'A', 'x')), MAX(REPLACE('abc', 'B', NULL))
FROM {CENSUS}""") == [(boys, "- and -", "\\1&b.A", "axa", None)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_text_ordered_against_lettered_literals_ignores_case(
        backend: str, request: pytest.FixtureRequest) -> None:
    # SQL Server's CI collation orders letters whatever their case: 'Construction' < 'd'
    # and BETWEEN 'a' AND 'c' holds 'Arts...'; every target put each capital before 'c'
    # (and 'abc' < 'ABD' was false)
    db = _db(request, backend)
    earnings = "[LEO_i2].[2002237].[leo_earnings]"
    want = _rows(db, f"""SELECT COUNT(CASE WHEN LEFT(LOWER(Main_Section), 1) IN ('a', 'b', 'c')
    THEN 1 END), COUNT(CASE WHEN Main_Section IS NOT NULL THEN 1 END) FROM {earnings}""")[0]
    assert 0 < want[0] < want[1]
    assert _rows(db, f"""SELECT COUNT(CASE WHEN Main_Section < 'd' THEN 1 END),
    COUNT(CASE WHEN 'd' > Main_Section THEN 1 END),
    COUNT(CASE WHEN Main_Section BETWEEN 'a' AND 'czz' THEN 1 END),
    COUNT(CASE WHEN Main_Section >= 'd' THEN 1 END),
    COUNT(CASE WHEN Main_Section < 'd' COLLATE Latin1_General_BIN THEN 1 END),
    MAX(CASE WHEN 'abc' < 'ABD' THEN 1 ELSE 0 END) FROM {earnings}""") == [
        (want[0], want[0], want[0], want[1] - want[0], want[1], 1)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_integer_columns_compared_with_text(backend: str,
                                            request: pytest.FixtureRequest) -> None:
    # SQLite found no row for '2017-18' where SQL Server stops: the script is wrong there too
    db = _db(request, backend)
    earnings = "[LEO_i2].[2002237].[leo_earnings]"
    [(by_number,)] = _rows(db, f"SELECT COUNT(*) FROM {earnings} WHERE TaxYear = 201718")
    assert by_number > 0
    assert _rows(db, f"SELECT COUNT(*) FROM {earnings} WHERE TaxYear = '201718'") == [
        (by_number,)]
    with pytest.raises(ScriptError, match="line 2: Conversion failed when converting the "
                                          "varchar value '2017-18' to data type int"):
        _rows(db, f"SELECT 1\nSELECT COUNT(*) FROM {earnings} WHERE TaxYear IN ('2017-18')")


@pytest.mark.parametrize("backend", BACKENDS)
def test_bigint_ids_kept_as_text_join_their_table(backend: str,
                                                  request: pytest.FixtureRequest) -> None:
    # A #temp table holding AE_ID (BIGINT, 19 digits) as VARCHAR joins the lookup: SQL Server
    # converts the text to BIGINT; the translation converted it to INT, and DuckDB and
    # PostgreSQL stopped with "Conversion failed ... to data type int"
    db = _db(request, backend)
    lookup = "[LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup]"
    [(joined,)] = _rows(db, f"""CREATE TABLE #k (AE_ID VARCHAR(20) NOT NULL PRIMARY KEY)
INSERT INTO #k SELECT DISTINCT TOP 5 AE_ID FROM {lookup} WHERE AE_ID > 2147483647
SELECT COUNT(DISTINCT k.AE_ID) FROM #k k JOIN {lookup} l ON l.AE_ID = k.AE_ID""")
    assert joined == 5
    with pytest.raises(ScriptError, match="varchar value 'x1' to data type bigint"):
        _rows(db, f"SELECT COUNT(*) FROM {lookup} WHERE AE_ID = 'x1'")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_union_of_text_and_integer_years_gives_integers(backend: str,
                                                           request: pytest.FixtureRequest) -> None:
    # ILR learners' Year is varchar(4), aims' an int: SQL Server's UNION converts the text,
    # so each year comes once and in numeric order. SQLite kept '2016' and 2016 apart (and
    # sorted integers before text); DuckDB and PostgreSQL refused to compare the two
    db = _db(request, backend)
    ilr = "[LILR_i2].[2002237]"
    years = _rows(db, f"""SELECT Year, COUNT(*) FROM (
  SELECT l.Year FROM {ilr}.[learners] l UNION ALL SELECT a.Year FROM {ilr}.[aims] a) u
WHERE Year >= 2015 GROUP BY Year ORDER BY Year""")
    assert [year for year, _ in years] == list(range(2015, 2021)), years
    both = _rows(db, f"SELECT Year FROM {ilr}.[learners] WHERE Year = '2016' UNION "
                     f"SELECT Year FROM {ilr}.[aims] WHERE Year = 2017 ORDER BY Year")
    assert both == [(2016,), (2017,)]
    # a total row's label beside a BIGINT stops with the BIGINT's name, as in SQL Server
    lookup = "[LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup]"
    with pytest.raises(ScriptError, match="varchar value 'All' to data type bigint"):
        _rows(db, f"SELECT TOP 1 AE_ID FROM {lookup} UNION ALL SELECT 'All'")
@pytest.mark.parametrize("backend", BACKENDS)
def test_text_that_is_no_integer_cast_to_an_integer_stops(backend: str,
                                                          request: pytest.FixtureRequest) -> None:
    # SQLite's CAST reads the leading digits: CAST(KS4_ACADYR AS INT) gave 2015 for
    # '2015/2016', where SQL Server stops the query
    db = _db(request, backend)
    ks4 = "[NPD_i2].[2002237].[KS4Pupil_2015_to_2021]"
    [(year, start, whole, blank)] = _rows(
        db, f"SELECT TOP 1 KS4_ACADYR, CAST(LEFT(KS4_ACADYR, 4) AS INT), "
            f"CAST(' 12 ' AS SMALLINT), CONVERT(INT, '') FROM {ks4} ORDER BY KS4_ACADYR")
    assert (start, whole, blank) == (int(year[:4]), 12, 0)
    with pytest.raises(ScriptError, match=r"line 2: .* said: Conversion failed when converting "
                                          r"the varchar value '\d{4}/\d{4}' to data type int\.$"):
        _rows(db, f"SELECT 1\nSELECT TOP 3 CAST(KS4_ACADYR AS INT) FROM {ks4}")
    if backend == "small_sqlite":
        with pytest.raises(ScriptError, match="Conversion failed when converting the varchar "
                                              "value 'R' to data type bigint"):
            _rows(db, "SELECT CONVERT(BIGINT, x) FROM (SELECT 'R' AS x) t")


@pytest.mark.parametrize("backend", BACKENDS)
def test_text_that_is_no_number_cast_to_a_float_stops(backend: str,
                                                      request: pytest.FixtureRequest) -> None:
    # SQLite's CAST read a grade 'C' as 0 and '2015/2016' as 2015; DuckDB's CONVERT was a
    # TRY_CAST (NULL); PostgreSQL and DuckDB stopped at '', which SQL Server reads as 0
    db = _db(request, backend)
    ks4 = "[NPD_i2].[2002237].[KS4Pupil_2015_to_2021]"
    assert _rows(db, "CREATE TABLE #t (x VARCHAR(5), y VARCHAR(5))\n"
                     "INSERT INTO #t VALUES ('', 'C')\n"
                     "SELECT CAST('' AS FLOAT), CONVERT(REAL, ' 1.5 '), CAST(x AS FLOAT), "
                     "TRY_CAST(y AS FLOAT), CAST(NULL AS FLOAT) FROM #t") == [
        (0, 1.5, 0, None, None)]
    for cast in ("CAST(KS4_ACADYR AS FLOAT)", "CONVERT(FLOAT, KS4_ACADYR)"):
        with pytest.raises(ScriptError, match=r"line 2: .* said: Error converting data type "
                                              r"varchar to float\.$"):
            _rows(db, f"SELECT 1\nSELECT TOP 3 {cast} FROM {ks4}")
    for convert, said in (("CONVERT(INT, x)", "Conversion failed when converting the varchar "
                                              "value 'R' to data type int."),
                          ("CONVERT(DECIMAL(5, 1), x)",
                           "Error converting data type varchar to numeric.")):
        with pytest.raises(ScriptError, match=f"line 1: .* said: {re.escape(said)}$"):
            _rows(db, f"SELECT {convert} FROM (SELECT 'R' AS x) t")


@pytest.mark.parametrize("backend", BACKENDS)
def test_string_agg_within_group_orders_ignoring_case(backend: str,
                                                      request: pytest.FixtureRequest) -> None:
    # SQL Server's CI collation joins 'a; b; C' (and 'C,b,a' descending); every target put
    # the capital first ('C; a; b', 'b,a,C')
    db = _db(request, backend)
    assert _rows(db, """SELECT g, STRING_AGG(x, '; ') WITHIN GROUP (ORDER BY x) AS up,
    STRING_AGG(x, ',') WITHIN GROUP (ORDER BY x DESC) AS down
FROM (VALUES (1, 'b'), (1, 'a'), (1, 'C'), (1, NULL), (2, 'Z'), (2, 'y')) v(g, x)
GROUP BY g ORDER BY g""") == [(1, "a; b; C", "C,b,a"), (2, "y; Z", "Z,y")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_text_is_ordered_ignoring_case(backend: str, request: pytest.FixtureRequest) -> None:
    # SQL Server's Latin1_General_CI_AS orders 'White and Asian' before 'White British'; the
    # targets ordered by bytes, every capital first, so a table of ethnic groups came out in
    # another order, and TOP 1 and ROW_NUMBER() chose other rows
    db = _db(request, backend)
    setup = """CREATE TABLE #g (grp VARCHAR(30), n INT)
INSERT INTO #g VALUES ('White British', 1), ('White and Asian', 2), ('White Irish', 3),
                      ('any other', 4)
"""
    assert _rows(db, setup + "SELECT grp FROM #g ORDER BY grp") == [
        ("any other",), ("White and Asian",), ("White British",), ("White Irish",)]
    assert _rows(db, setup + "SELECT RTRIM(grp) AS label FROM #g ORDER BY label DESC") == [
        ("White Irish",), ("White British",), ("White and Asian",), ("any other",)]
    assert _rows(db, setup + """SELECT TOP 1 grp FROM #g ORDER BY grp""") == [("any other",)]
    assert _rows(db, setup + """SELECT grp, ROW_NUMBER() OVER (ORDER BY grp) AS r FROM #g
ORDER BY n""") == [("White British", 3), ("White and Asian", 2), ("White Irish", 4),
                   ("any other", 1)]
    # (a collation that keeps case keeps the bytes' order)
    assert _rows(db, setup + "SELECT grp FROM #g ORDER BY grp COLLATE Latin1_General_BIN") == [
        ("White British",), ("White Irish",), ("White and Asian",), ("any other",)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_case_of_numbers_and_text_gives_numbers(backend: str,
                                                  request: pytest.FixtureRequest) -> None:
    # SQL Server's CASE has its arms' type of highest precedence: text that is a number is
    # that number ('' is 0), other text stops the query when it is chosen; SQLite gave it
    db = _db(request, backend)
    ks4 = "[NPD_i2].[2002237].[KS4Pupil_2015_to_2021]"
    rows = _rows(db, f"""SELECT TOP 5 CASE WHEN KS4_FSM6 = 1 THEN '1' ELSE 0 END,
    CASE WHEN KS4_FSM6 = 1 THEN 2 ELSE '' END, KS4_FSM6
FROM {ks4} ORDER BY KS4_PupilMatchingRefAnonymous""")
    assert [row[:2] for row in rows] == [(row[2], 2 * row[2]) for row in rows]
    unchosen = f"""SELECT TOP 5 CASE WHEN KS4_ATT8 > 1000 THEN 'never' ELSE KS4_ATT8 END,
    KS4_ATT8 FROM {ks4} WHERE KS4_ATT8 IS NOT NULL ORDER BY KS4_PupilMatchingRefAnonymous"""
    # (PostgreSQL converted the literal as it planned the query, so stopped though no row
    # chose it, and DuckDB refused text beside a decimal)
    assert all(value == att8 for value, att8 in _rows(db, unchosen))
    earnings = "[LEO_i2].[2002237].[leo_earnings]"
    [(total, positive, half)] = _rows(db, f"""SELECT COUNT(*),
    SUM(CASE WHEN Earnings >= 0 THEN 1 ELSE 'none' END),
    MAX(CASE WHEN Earnings < 0 THEN 'n/a' WHEN TaxYear > 0 THEN 1.5 END) FROM {earnings}""")
    assert total > 0 and positive == total and half == 1.5
    assert _rows(db, "SELECT CASE WHEN 1 = 1 THEN 1 ELSE 'x' END") == [(1,)]
    with pytest.raises(ScriptError, match=re.escape(
            "said: Conversion failed when converting the varchar value 'none' to data type "
            "int.")):
        _rows(db, f"SELECT CASE WHEN Earnings >= 0 THEN 'none' ELSE 1 END FROM {earnings}")
    chosen = (f"SELECT CASE WHEN KS4_ATT8 >= 0 THEN 'high' ELSE KS4_ATT8 END FROM {ks4} "
              "WHERE KS4_ATT8 IS NOT NULL")
    with pytest.raises(ScriptError, match=re.escape("said: Error converting data type "
                                                    "varchar to float.")):
        _rows(db, chosen)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_temp_tables_declared_collation_is_dropped(backend: str,
                                                     request: pytest.FixtureRequest) -> None:
    # FFT declare their keys COLLATE Latin1_General_BIN; no target knows that collation
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #k (id VARCHAR(10) COLLATE Latin1_General_BIN NOT NULL)
INSERT INTO #k VALUES ('a1'), ('b2')
SELECT COUNT(*) FROM #k k JOIN #k j ON j.id COLLATE Latin1_General_BIN = k.id""") == [(2,)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_text_added_to_a_number_is_a_number(backend: str,
                                            request: pytest.FixtureRequest) -> None:
    # SQL Server converts the text to the number's type: 'Cohort ' + @year fails in the SRS,
    # where it was joined as text here
    db = _db(request, backend)
    assert _rows(db, "DECLARE @n INT = 3\nSELECT 1 + '1', '2' + @n, 1.5 + ' 2.5', "
                     "'y' + CAST(@n AS VARCHAR(2)), LEFT('2015/2016', 4) + 1") == [
        (2, 5, 4.0, "y3", 2016)]
    # blank text is 0 as an int (it stopped the script as no number)
    assert _rows(db, "DECLARE @n INT = 3\nSELECT @n + '', '  ' + 2, CAST('' AS INT)") == [
        (3, 2, 0)]
    [(year, following)] = _rows(db, "SELECT TOP 1 KS4_ACADYR, RIGHT(KS4_ACADYR, 4) + 1 FROM "
                                    "[NPD_i2].[2002237].[KS4Pupil_2002_to_2014] "
                                    "WHERE KS4_ACADYR <> ''")
    assert following == int(year[-4:]) + 1
    with pytest.raises(ScriptError, match="line 2: Conversion failed when converting the "
                                          "varchar value 'Cohort ' to data type int"):
        _rows(db, "DECLARE @year INT = 2015\nPRINT 'Cohort ' + @year")


@pytest.mark.parametrize("backend", BACKENDS)
def test_numbers_cast_to_integers_are_truncated(backend: str,
                                                request: pytest.FixtureRequest) -> None:
    # PostgreSQL and DuckDB round (CAST(2.5 AS INT) was 3 there, 2 in SQL Server); text with
    # a whole number still converts, and integers pass through
    db = _db(request, backend)
    text = """CREATE TABLE #f (x FLOAT, d DECIMAL(9, 2), t VARCHAR(5), i INT)
INSERT INTO #f VALUES (2.5, 2.99, '12', 7), (-2.5, -0.5, '-3', -7), (12.7, 1.01, ' 4 ', 0)
SELECT CAST(x AS INT), CONVERT(BIGINT, d), CAST(t AS INT), CAST(i AS INT),
    CAST(AVG(x) OVER () * 10 AS INT)
FROM #f ORDER BY i"""
    assert _rows(db, text) == [(-2, 0, -3, -7, 42), (12, 1, 4, 0, 42), (2, 2, 12, 7, 42)]
    # blank text is 0 as an integer in SQL Server (PostgreSQL and DuckDB stopped)
    blank = """CREATE TABLE #b (t VARCHAR(5))
INSERT INTO #b VALUES (''), ('  '), ('7'), (NULL)
SELECT SUM(CAST(t AS INT)), COUNT(TRY_CAST(t AS INT)) FROM #b"""
    assert _rows(db, blank) == [(7, 3)]
    # a number's digits, FLOOR(LOG10(x)) + 1: SQLite's LOG10(1000) was 2.9999999999999996
    assert _rows(db, "SELECT FLOOR(LOG10(1000)) + 1, FLOOR(LOG(1000, 10)), LOG(8, 2), "
                     "FLOOR(LOG10(999))") == [(4, 3, 3, 2)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_unseparated_dates_compare_with_dates_a_query_names(backend: str,
                                                            request: pytest.FixtureRequest
                                                            ) -> None:
    # FirstMonth is a date the common table expression computes: SQLite compared '20080101'
    # with its ISO text (no row matched) and DuckDB refused the comparison
    db = _db(request, backend)
    text = f""";WITH c AS (SELECT DATEADD(month, DATEDIFF(month, 0, EntryDate_spr11), 0)
    AS FirstMonth FROM {CENSUS})
SELECT SUM(CASE WHEN FirstMonth BETWEEN '{{}}' AND '{{}}' THEN 1 ELSE 0 END) FROM c"""
    [(iso,)] = _rows(db, text.format("2008-01-01", "2008-12-31"))
    [(unseparated,)] = _rows(db, text.format("20080101", "20081231"))
    assert iso > 0 and unseparated == iso


DATE_SETTINGS = """SELECT DATEPART(dw, '2015-01-31'), @@DATEFIRST, CAST('01/02/2015' AS DATE),
    @@LANGUAGE
SET DATEFORMAT dmy
SELECT CAST('01/02/2015' AS DATE), DATEDIFF(day, '01/02/2015', '2015-03-01')
GO
SET DATEFIRST 1
SELECT DATEPART(weekday, '2015-01-31'), DATEPART(dw, '2015-02-01'), @@DATEFIRST
SET LANGUAGE us_english
SELECT DATEPART(dw, '2015-01-31'), CAST('01/02/2015' AS DATE), @@LANGUAGE
SET LANGUAGE british
SELECT DATEPART(dw, '2015-01-31'), CAST('01/02/2015' AS DATE), @@LANGUAGE"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_sessions_date_settings(backend: str, request: pytest.FixtureRequest) -> None:
    # SET DATEFORMAT, DATEFIRST and LANGUAGE were ignored: '01/02/2015' stayed 2 January on
    # PostgreSQL after SET DATEFORMAT dmy, and Saturday stayed weekday 7 after SET DATEFIRST 1
    db = _db(request, backend)
    results = run_text(db, DATE_SETTINGS, "tsql", None, True)
    assert [[tuple(_value(v) for v in row) for row in r.rows] for r in results] == [
        [(7, 7, "2015-01-02", "us_english")], [("2015-02-01", 28)], [(6, 7, 1)],
        [(7, "2015-01-02", "us_english")], [(6, "2015-02-01", "british")]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_sum_of_int_values_overflows_as_in_sql_server(backend: str,
                                                        request: pytest.FixtureRequest
                                                        ) -> None:
    # the targets summed into wider types; SQL Server's SUM of an int is an int, and so is
    # its SUM of a CASE, IIF or ISNULL of ints (only a bare column was checked)
    db = _db(request, backend)
    text = """CREATE TABLE #e (p INT, pay INT, big BIGINT)
INSERT INTO #e VALUES (1, 2000000000, 2000000000), (2, 2000000000, 2000000000), (3, -5, -5)
SELECT SUM(big), SUM(CAST(pay AS BIGINT)), MAX(pay) FROM #e
BEGIN TRY
    SELECT SUM(pay) FROM #e
END TRY
BEGIN CATCH
    SELECT ERROR_NUMBER(), ERROR_MESSAGE()
END CATCH
SELECT SUM(CASE WHEN p = 3 THEN pay ELSE 0 END), SUM(IIF(p = 3, pay, NULL)) FROM #e
BEGIN TRY
    SELECT SUM(CASE WHEN p < 3 THEN pay ELSE 0 END) FROM #e
END TRY
BEGIN CATCH
    SELECT ERROR_NUMBER()
END CATCH
BEGIN TRY
    SELECT SUM(ISNULL(pay, 0)) FROM #e
END TRY
BEGIN CATCH
    SELECT ERROR_NUMBER()
END CATCH
SELECT SUM(pay / 2), SUM(pay % 7), SUM(CAST(p AS BIGINT)) / 4, SUM(big) / 2
FROM #e WHERE p > 1
BEGIN TRY
    SELECT SUM(pay / 1 + pay % 7) FROM #e
END TRY
BEGIN CATCH
    SELECT ERROR_NUMBER()
END CATCH
BEGIN TRY
    SELECT SUM(NULLIF(pay, -5)) FROM #e
END TRY
BEGIN CATCH
    SELECT ERROR_NUMBER()
END CATCH
BEGIN TRY
    SELECT SUM(ROUND(pay, -2)) FROM #e
END TRY
BEGIN CATCH
    SELECT ERROR_NUMBER()
END CATCH"""
    # (an int divided by an int is an int: its SUM was summed wide by every target; a SUM
    # of bigints is a bigint, which PostgreSQL's numeric SUM divided with a fraction)
    results = run_text(db, text, "tsql", None, True)
    assert [[tuple(_value(v) for v in row) for row in r.rows] for r in results] == [
        [(_value(3999999995), _value(3999999995), _value(2000000000))],
        [(8115, "Arithmetic overflow error converting expression to data type int.")],
        [(-5, -5)], [(8115,)], [(8115,)], [(_value(999999998), 0, 1, _value(999999997))], [(8115,)],
        [(8115,)], [(8115,)]]  # (NULLIF and ROUND have their first argument's type)
    # a SUM of ABS of an int is an int too (every target summed it wide)
    assert _rows(db, "CREATE TABLE #a (x INT)\nINSERT INTO #a VALUES (2000000000), "
                     "(-2000000000)\nBEGIN TRY SELECT SUM(ABS(x)) FROM #a END TRY\n"
                     "BEGIN CATCH SELECT ERROR_NUMBER() END CATCH") == [(8115,)]
    # ROUND of an int past an int (DuckDB said "Overflow in ROUND of integer")
    assert _rows(db, "BEGIN TRY SELECT ROUND(2147483647, -1) END TRY\n"
                     "BEGIN CATCH SELECT ERROR_NUMBER(), ERROR_MESSAGE() END CATCH") == [
        (8115, "Arithmetic overflow error converting expression to data type int.")]
    [(per_person,)] = _rows(db, "SELECT MAX(s) FROM (SELECT SUM(Earnings) AS s FROM "
                            "[LEO_i2].[2002237].[leo_earnings] GROUP BY Edukey) x")
    assert per_person > 0


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_update_sets_text_as_written(backend: str, request: pytest.FixtureRequest) -> None:
    # the comparison rule (case ignored) took SET g = 'X' for a comparison: SET LOWER(g) = 'x'
    db = _db(request, backend)
    text = f"""SELECT TOP 3 PupilMatchingRefAnonymous_spr11 AS pmr, Gender_spr11 AS g INTO #c
FROM {CENSUS} ORDER BY PupilMatchingRefAnonymous_spr11
UPDATE #c SET g = 'X' WHERE g = 'f'
UPDATE c SET c.g = 'Y' FROM #c c WHERE c.g = 'm'
SELECT COUNT(*), SUM(CASE WHEN g IN ('X', 'Y') THEN 1 ELSE 0 END),
    SUM(CASE WHEN g COLLATE Latin1_General_CS_AS IN ('X', 'Y') THEN 1 ELSE 0 END) FROM #c"""
    assert _rows(db, text) == [(3, 3, 3)]


TEXT_LENGTHS = """CREATE TABLE #t (id INT, code VARCHAR(2), name NVARCHAR(5), notes VARCHAR(MAX))
INSERT INTO #t VALUES (1, 'ab', 'abc  ', 'a long note, as long as it likes')
INSERT INTO #t (code, id) VALUES ('x ', 2)
UPDATE #t SET name = 'vwxyz' WHERE id = 1
BEGIN TRY
    INSERT INTO #t (id, code) SELECT 4, 'abc'
END TRY
BEGIN CATCH
    SELECT ERROR_NUMBER(), ERROR_MESSAGE()
END CATCH
BEGIN TRY
    UPDATE #t SET name = 'toolong' WHERE id = 1
END TRY
BEGIN CATCH
    SELECT ERROR_NUMBER()
END CATCH
BEGIN TRY
    UPDATE t SET t.code = 'xyz' FROM #t t WHERE t.id = 2
END TRY
BEGIN CATCH
    SELECT ERROR_NUMBER()
END CATCH
SELECT id, RTRIM(code), name FROM #t ORDER BY id"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_text_too_long_for_its_column_stops(backend: str,
                                            request: pytest.FixtureRequest) -> None:
    # SQLite and DuckDB kept the whole text; trailing spaces beyond the length are dropped
    # without complaint, as in SQL Server
    db = _db(request, backend)
    results = run_text(db, TEXT_LENGTHS, "tsql", None, True)
    assert [r.rows for r in results] == [
        [(8152, "String or binary data would be truncated.")], [(8152,)], [(8152,)],
        [(1, "ab", "vwxyz"), (2, "x", None)]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_values_a_table_cannot_hold_stop_as_in_sql_server(backend: str,
                                                          request: pytest.FixtureRequest) -> None:
    # every target stored 300 in a TINYINT and SQLite a date that is none; a column the
    # table lacks, and a DECIMAL too small (DuckDB), were each target's own words
    db = _db(request, backend)
    steps = ["INSERT INTO #t (small) VALUES (300)", "INSERT INTO #t (mid) SELECT 40000",
             "UPDATE #t SET small = small - 2", "INSERT INTO #t (d) VALUES ('2019-02-30')",
             "UPDATE #t SET d = 'n/a'",
             # (in dynamic SQL: a column the table lacks is found as SQL Server compiles the
             # statement, which a CATCH block beside it does not catch; compile_errors.py)
             "EXEC ('INSERT INTO #t (small, nosuch) VALUES (1, 2)')",
             "EXEC ('UPDATE #t SET nosuch = 1')", "INSERT INTO #t (dec) VALUES (12345)"]
    text = """CREATE TABLE #t (small TINYINT, mid SMALLINT, d DATE, dec DECIMAL(4, 1))
INSERT INTO #t VALUES (255, -32768, '', 123.4), (1, '2016', '20190228', NULL)
""" + "\n".join(f"""BEGIN TRY
    {step}
END TRY
BEGIN CATCH
    SELECT ERROR_NUMBER(), ERROR_MESSAGE()
END CATCH""" for step in steps) + (
        "\nSELECT small, mid, d, CAST(dec AS VARCHAR(10)) FROM #t ORDER BY small")
    results = [r.rows for r in run_text(db, text, "tsql", None, True)]
    assert [rows[0][0] for rows in results[:-1]] == [220, 220, 220, 241, 241, 207, 207, 8115]
    assert results[0] == [(220, "Arithmetic overflow error for data type tinyint, value = "
                                "300.")]
    assert results[5] == [(207, "Invalid column name 'nosuch'.")]
    # (and a NULL decimal's text is NULL: SQLite wrote '0.0')
    assert [tuple(_value(v) for v in row) for row in results[-1]] == [
        tuple(_value(v) for v in row) for row in [
            (1, 2016, "2019-02-28", None), (255, -32768, "1900-01-01", "123.4")]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_ansi_warnings_off_cuts_text_to_its_column(backend: str,
                                                   request: pytest.FixtureRequest) -> None:
    # after SET ANSI_WARNINGS OFF, SQL Server stores the first n characters without a word:
    # every target stopped the script (8152), as it does again once the option is ON; the
    # options listed with commas, as scripts' headers set them, did not parse
    db = _db(request, backend)
    text = """SET NOCOUNT, ANSI_NULLS, ANSI_WARNINGS, ARITHABORT OFF
CREATE TABLE #t (id INT, code VARCHAR(2), name NVARCHAR(3))
INSERT INTO #t VALUES (1, 'abcd', N'wxyz')
INSERT INTO #t (id, code) SELECT 2, 'JSA-x'
UPDATE #t SET name = 'pqrs' WHERE id = 2
SELECT id, code, name FROM #t ORDER BY id
SET ANSI_WARNINGS ON
BEGIN TRY
    INSERT INTO #t (id, code) VALUES (3, 'abc')
END TRY
BEGIN CATCH
    SELECT ERROR_NUMBER()
END CATCH"""
    assert [r.rows for r in run_text(db, text, "tsql", None, True)] == [
        [(1, "ab", "wxy"), (2, "JS", "pqr")], [(8152,)]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_update_assigns_numbers_text_and_dates(backend: str,
                                                  request: pytest.FixtureRequest) -> None:
    # SET code = 11 was taken for a comparison of text with a number (code cast to INT)
    db = _db(request, backend)
    text = """CREATE TABLE #t (id INT, code VARCHAR(5), d DATE, n INT)
INSERT INTO #t VALUES (1, 'a', '2015-01-01', 1), (2, 'B', '2016-02-02', 2)
UPDATE #t SET code = 11 WHERE id = 1
UPDATE #t SET n = '7' WHERE id = 2
UPDATE #t SET d = '20170303' WHERE code = 'b'
UPDATE #t SET code = CASE WHEN code = 'b' THEN 'Bee' ELSE code END, n = n + 1
DECLARE @d DATE = '20180404'
UPDATE #t SET d = @d WHERE n = 2
SELECT id, code, d, n FROM #t ORDER BY id"""
    assert [tuple(_value(v) for v in row) for row in run_text(db, text, "tsql", None, False)[
        -1].rows] == [(1, "11", "2018-04-04", 2), (2, "Bee", "2017-03-03", 8)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_update_through_a_join_or_a_cte_converts_its_constants(
        backend: str, request: pytest.FixtureRequest) -> None:
    # a SET value of an UPDATE through a join or a CTE was computed beside each row's id:
    # SQLite stored '20000101' as text (no row matched the date), DuckDB and PostgreSQL
    # stopped at text going into a date or an int column
    db = _db(request, backend)
    text = """SELECT TOP 20 EDUKEY, StartDate, EndDate, 0 AS n INTO #emp
FROM [LEO_i2].[2002237].[leo_employment] ORDER BY EDUKEY, StartDate
SELECT TOP 5 EDUKEY INTO #k FROM #emp ORDER BY EDUKEY
SELECT COUNT(*) FROM #emp WHERE EDUKEY NOT IN (SELECT EDUKEY FROM #k)
UPDATE e SET EndDate = '20000101', n = '7'
FROM #emp e LEFT JOIN #k k ON k.EDUKEY = e.EDUKEY WHERE k.EDUKEY IS NULL
SELECT COUNT(*), SUM(n) FROM #emp WHERE EndDate = '2000-01-01'
;WITH f AS (SELECT TOP 4 * FROM #emp ORDER BY StartDate, EDUKEY)
UPDATE f SET EndDate = '2001/02/03', n = '-2'
SELECT COUNT(*), SUM(n) FROM #emp WHERE EndDate = '2001-02-03'"""
    [[(unmatched,)], [(joined, seven)], [(first, minus)]] = [
        r.rows for r in run_text(db, text, "tsql", None, True)]
    assert unmatched > 0 and (joined, seven) == (unmatched, 7 * unmatched)
    assert (first, minus) == (4, -8)


@pytest.mark.parametrize("backend", BACKENDS)
def test_text_defaults_of_integers_are_integers(backend: str,
                                                request: pytest.FixtureRequest) -> None:
    # ISNULL(n, '') is 0 in SQL Server: PostgreSQL and DuckDB stopped, SQLite gave ''
    db = _db(request, backend)
    setup = """CREATE TABLE #t (n INT, s VARCHAR(5))
INSERT INTO #t VALUES (NULL, NULL), (5, ''), (0, 'x')
"""
    assert _rows(db, setup + """SELECT ISNULL(n, ''), COALESCE(n, ' 7 '), NULLIF(n, ''),
       ISNULL(s, 0) FROM #t ORDER BY ISNULL(n, -1)""") == [
        (0, 7, None, "0"), (0, 0, None, "x"), (5, 5, 5, "")]
    # and so an integer's average (5 / 3 is 1)
    assert _rows(db, setup + "SELECT AVG(ISNULL(n, '')), AVG(COALESCE(n, '0')) FROM #t") == [
        (1, 1)]
    with pytest.raises(ScriptError, match="converting the varchar value 'none' to data type"):
        _rows(db, setup + "SELECT ISNULL(n, 'none') FROM #t")
    # ISNULL takes its first argument's type: ISNULL(n, 1.5) is the int 1 (every target gave
    # 1.5), COALESCE the decimal's
    assert _rows(db, setup + """SELECT CAST(ISNULL(n, 1.5) AS VARCHAR(10)), ISNULL(n, 1.5) * 2,
    COALESCE(n, 1.5) * 2 FROM #t WHERE n IS NULL""") == [("1", 2, 3)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_text_a_function_makes_compared_with_numbers(backend: str,
                                                     request: pytest.FixtureRequest) -> None:
    # LEFT(AcademicYear, 4) = 2014 compares numbers in SQL Server: SQLite compared text (no
    # row), PostgreSQL refused to compare text with an integer
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #l (AcademicYear VARCHAR(9))
INSERT INTO #l VALUES ('2014/2015'), ('2015/2016'), ('2009/2010')
SELECT SUM(CASE WHEN LEFT(AcademicYear, 4) = 2014 THEN 1 ELSE 0 END),
       SUM(CASE WHEN SUBSTRING(AcademicYear, 6, 4) IN (2015, 2016) THEN 1 ELSE 0 END),
       SUM(CASE WHEN RIGHT(AcademicYear, 4) BETWEEN 2010 AND 2015 THEN 1 ELSE 0 END),
       SUM(CASE WHEN CAST(LEFT(AcademicYear, 4) AS VARCHAR(4)) > 999 THEN 1 ELSE 0 END)
FROM #l""") == [(1, 2, 2, 3)]
    # ... and with an integer column the statement makes (a CTE's, a VALUES'): the join of a
    # price index to LEFT(TaxYear, 4) found nothing on SQLite and stopped PostgreSQL
    assert _rows(db, """CREATE TABLE #e (TaxYear INT, Earnings INT)
INSERT INTO #e VALUES (201415, 100), (201516, 200), (201617, 300)
;WITH cpi AS (SELECT * FROM (VALUES (2014, 0.5), (2015, 1.0)) c(yr, idx)),
f AS (SELECT yr + 1 AS yr1, idx FROM cpi)
SELECT LEFT(e.TaxYear, 4) + 1, e.Earnings / c.idx, f.yr1 FROM #e e
JOIN cpi c ON c.yr = LEFT(e.TaxYear, 4) JOIN f ON RIGHT(e.TaxYear, 2) + 2000 = f.yr1
ORDER BY 1""") == [(2015, 200, 2015), (2016, 200, 2016)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_inserted_values_take_their_columns_types(backend: str,
                                                  request: pytest.FixtureRequest) -> None:
    """SQL Server converts what an INSERT or UPDATE puts in a column to its type: text into a
    number column stopped PostgreSQL, 'YYYYMMDD' into a date column stopped DuckDB and was
    stored as the number 20150407 by SQLite."""
    db = _db(request, backend)
    setup = """CREATE TABLE #y (yr SMALLINT, d DATE, s VARCHAR(10), n INT)
INSERT INTO #y (s, yr, d) SELECT AcademicYear, RIGHT(AcademicYear, 4), '20150406'
    FROM (VALUES ('2013/2014'), ('2014/2015')) v(AcademicYear)
INSERT INTO #y VALUES ('2016', '20150407', 7, LEFT('12x', 2))
INSERT INTO #y (yr, d) SELECT 2017, '2015-04-08' UNION ALL SELECT SUBSTRING('x2018', 2, 4), NULL
UPDATE #y SET n = RIGHT(s, 2), d = '20160101' WHERE yr = 2014
"""
    assert [tuple(_value(v) for v in row) for row in run_text(
        db, setup + "SELECT yr, d, s, n, yr + 1 FROM #y ORDER BY yr", "tsql", None, False
    )[-1].rows] == [(2014, "2016-01-01", "2013/2014", 14, 2015),
                    (2015, "2015-04-06", "2014/2015", None, 2016),
                    (2016, "2015-04-07", "7", 12, 2017), (2017, "2015-04-08", None, None, 2018),
                    (2018, None, None, None, 2019)]
    # text that is no number stops the INSERT, as in SQL Server (SQLite stored the text)
    # a table that does not exist: SQL Server's 208 (a driver's traceback before)
    for text in ("INSERT INTO #none VALUES (1)", "UPDATE #none SET n = 1",
                 "ALTER TABLE #none ADD DEFAULT 0 FOR n"):
        with pytest.raises(ScriptError, match=re.escape("line 1: Invalid object name "
                                                        "'#none'.")):
            _rows(db, text)
    for value in ("VALUES ('ESA')", "SELECT LEFT(b, 3) FROM (VALUES ('ESA')) v(b)"):
        with pytest.raises(ScriptError, match="ESA"):
            _rows(db, f"CREATE TABLE #n (n INT)\nINSERT INTO #n {value}\nSELECT n FROM #n")


@pytest.mark.parametrize("backend", BACKENDS)
def test_text_defaults_of_a_float_are_numbers(backend: str,
                                              request: pytest.FixtureRequest) -> None:
    # ISNULL and COALESCE of a float take its type: '' is 0 and ' 1.5 ' is 1.5 (DuckDB and
    # PostgreSQL stopped, SQLite gave the text), text that is no number stops as in SQL Server
    db = _db(request, backend)
    ks4 = "[NPD_i2].[2002237].[KS4Pupil_2015_to_2021]"
    assert _rows(db, f"SELECT TOP 1 ISNULL(KS4_ATT8, ''), COALESCE(KS4_ATT8, ' 1.5 '), "
                     f"ISNULL(KS4_ATT8, '-2') FROM {ks4} WHERE KS4_ATT8 IS NULL") == [
        (0, 1.5, -2)]
    with pytest.raises(ScriptError, match="line 2: Error converting data type varchar to "
                                          "float"):
        _rows(db, f"SELECT 1\nSELECT COALESCE(KS4_ATT8, 'n/a') FROM {ks4}")


@pytest.mark.parametrize("backend", BACKENDS)
def test_numbers_put_in_text_are_written_as_sql_server_writes_them(
        backend: str, request: pytest.FixtureRequest) -> None:
    # a results table of labels and values: SQLite stored every digit of the mean
    # (21699.9955005624), DuckDB the float's sixteen, a FLOAT all its digits, a literal 1.50
    # as 1.5; a VARCHAR variable held the float's digits
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #out (k INT, label VARCHAR(10), value VARCHAR(30))
INSERT INTO #out VALUES (1, 'share', 2.0 / 3), (2, 'literal', 1.50), (3, 'count', 12)
INSERT INTO #out SELECT 4, 'float', CAST(1.0 AS FLOAT) / 3
INSERT INTO #out (k, label, value) SELECT 5, 'mean', AVG(x * 1.0) FROM (VALUES (1), (2)) v(x)
UPDATE #out SET value = 7.25 * 2 WHERE label = 'count'
DECLARE @s VARCHAR(20) = 2.0 / 3
SELECT k, label, value FROM #out UNION ALL SELECT 6, 'variable', @s ORDER BY k""") == [
        (1, "share", "0.666667"), (2, "literal", "1.50"), (3, "count", "14.50"),
        (4, "float", "0.333333"), (5, "mean", "1.500000"), (6, "variable", "0.666667")]
