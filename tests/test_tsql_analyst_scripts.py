"""`leo-synth sql`: scripts as LEO analysts in the SRS write them (pivots of earnings by tax
year, percentiles, rollups, cohorts built in #temp tables step by step, cursors over census
years), run on every backend, their answers as SQL Server gives them and the same on each."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db

from leo_synth.tsql import output
from leo_synth.tsql.command import run_text
from leo_synth.tsql.errors import ScriptError


def _shown(db: str, text: str) -> list[list[str]]:
    """The last result set's rows as SSMS shows them, split into values."""
    return [line.split() for line in output.table(run_text(db, text, "tsql", None, False)[-1])[2:]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_remainder_of_a_temp_decimal_keeps_its_fraction(
        backend: str, request: pytest.FixtureRequest) -> None:
    # pay % 100 of a #temp DECIMAL(10, 2): SQLite stopped with error 402 ("float and int are
    # incompatible"), taking the column for a FLOAT, and its % then took 1234.50 as 1234;
    # SQL Server's remainder has the larger scale (34.50, 10 % 3.5 is 3.0)
    db = _db(request, backend)
    assert _shown(db, """CREATE TABLE #p (pmr VARCHAR(18), pay DECIMAL(10, 2), n INT)
INSERT INTO #p VALUES ('a', 1234.50, 7), ('b', -99.99, 3)
SELECT pmr, pay % 100, pay % 7.5, n % 2.5, n % 2, pay % n, 10 % 3.5 FROM #p ORDER BY pmr""") == [
        ["a", "34.50", "4.50", "2.0", "1", "2.50", "3.0"],
        ["b", "-99.99", "-2.49", "0.5", "1", "-0.99", "3.0"]]
    # the extract's decimals too (FL2Width, a numeric(12, 2))
    [[whole, part]] = _shown(db, """SELECT TOP 1 CAST(FLOOR(FL2Width) AS INT), FL2Width % 1
FROM [LILR_i2].[2002237].[aims] WHERE FL2Width IS NOT NULL ORDER BY FL2Width DESC""")
    assert whole.isdigit() and part.startswith("0.") and len(part) == 4


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_discrete_percentile_has_its_values_type(backend: str,
                                                   request: pytest.FixtureRequest) -> None:
    # PERCENTILE_DISC is one of the values it orders: of a DECIMAL(10, 2), 5.00 (SQLite showed
    # 5), of a MONEY 4.0000 (SQLite showed 4); PERCENTILE_CONT's is a FLOAT (6.375)
    db = _db(request, backend)
    assert _shown(db, """CREATE TABLE #d (g INT, pay DECIMAL(10, 2), n INT, m MONEY)
INSERT INTO #d VALUES (1, 10.50, 1, 3.5), (1, 20.25, 2, 4), (1, 30, 2, 10), (2, 5, 7, 1),
    (2, 7.75, 8, 2)
SELECT DISTINCT g,
  PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY pay) OVER (PARTITION BY g) AS pc,
  PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY pay) OVER (PARTITION BY g) AS pd,
  PERCENTILE_DISC(0.9) WITHIN GROUP (ORDER BY n) OVER (PARTITION BY g) AS pn,
  PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY m DESC) OVER (PARTITION BY g) AS pm
FROM #d ORDER BY g""") == [["1", "20.25", "20.25", "2", "4.0000"],
                            ["2", "6.375", "5.00", "8", "2.0000"]]
    # the extract's decimals (FL2Width, a numeric(12, 2)) and a CTE's cast
    rows = _shown(db, """;WITH a AS (SELECT Year, FL2Width, CAST(FL2Width AS DECIMAL(8, 3)) AS w
    FROM [LILR_i2].[2002237].[aims] WHERE FL2Width IS NOT NULL)
SELECT DISTINCT Year,
    PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY FL2Width) OVER (PARTITION BY Year),
    PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY w) OVER (PARTITION BY Year) FROM a""")
    assert rows and all(len(r[1].split(".")[1]) == 2 and len(r[2].split(".")[1]) == 3
                        for r in rows)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_difference_of_decimal_sums_keeps_its_places(backend: str,
                                                       request: pytest.FixtureRequest) -> None:
    # SUM of a DECIMAL(10, 2) is a DECIMAL(38, 2); SQL Server's difference of two keeps the
    # 2 places (its integral part needs 36 digits of the 38): leo-synth cut it to one,
    # rounding, so the change in pay between two pivoted tax years was 0.3 for 0.25
    db = _db(request, backend)
    setup = """CREATE TABLE #s (k VARCHAR(5), ty INT, pay DECIMAL(10, 2))
INSERT INTO #s VALUES ('a', 2016, 10.5), ('a', 2017, 12), ('b', 2016, 3), ('b', 2017, 3.25)
"""
    assert _shown(db, setup + """SELECT k, [2016], [2017], [2017] - [2016] AS change
FROM #s PIVOT (SUM(pay) FOR ty IN ([2016], [2017])) p ORDER BY k""") == [
        ["a", "10.50", "12.00", "1.50"], ["b", "3.00", "3.25", "0.25"]]
    assert _shown(db, setup + """SELECT k,
    SUM(CASE WHEN ty = 2017 THEN pay END) - SUM(CASE WHEN ty = 2016 THEN pay END),
    SUM(pay) + SUM(pay * 1.0)
FROM #s GROUP BY k ORDER BY k""") == [["a", "1.50", "45.00"], ["b", "0.25", "12.50"]]
    # (a DECIMAL(38, 2) beside a DECIMAL(38, 3): 36 integral digits leave two places)


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_integer_expression_compared_with_quoted_digits_compares_numbers(
        backend: str, request: pytest.FixtureRequest) -> None:
    # HAVING COUNT(*) > '17' (duplicates found the quick way), LEN(EduKey) = '14': SQL Server
    # converts the text to an int; SQLite ranked every number below every text and found none
    db = _db(request, backend)
    [[expected]] = _shown(db, """SELECT COUNT(*) FROM (SELECT Edukey FROM
    [LEO_i2].[2002237].[leo_earnings] GROUP BY Edukey HAVING COUNT(*) > 17) d""")
    assert int(expected) > 0
    assert _shown(db, """SELECT COUNT(*) FROM (SELECT Edukey FROM
    [LEO_i2].[2002237].[leo_earnings] GROUP BY Edukey HAVING COUNT(*) > '17') d""") == [
        [expected]]
    [[n, *counts]] = _shown(db, """DECLARE @n INT = 10
SELECT COUNT(*), SUM(CASE WHEN LEN(e.EduKey) = '14' THEN 1 ELSE 0 END),
  SUM(CASE WHEN YEAR(e.StartDate) - 1900 >= ' 0 ' THEN 1 ELSE 0 END),
  SUM(CASE WHEN @n > '9' THEN 1 ELSE 0 END),
  SUM(CASE WHEN LEN(e.EduKey) IN ('14', '15') THEN 1 END),
  SUM(CASE LEN(e.EduKey) WHEN '14' THEN 1 ELSE 0 END), SUM(IIF('10' > '9', 1, 0))
FROM [LEO_i2].[2002237].[leo_employment] e""")
    assert counts == [n] * 5 + ["0"]  # (two texts compare as text: '10' < '9')


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_decimal_rounded_to_zero_has_no_sign(backend: str,
                                               request: pytest.FixtureRequest) -> None:
    # a change of -0.04 percentage points rounded to one place is 0.0 in SQL Server, whose
    # decimals have no negative zero: SQLite showed -0.0 (and CEILING(-0.5) as -0)
    db = _db(request, backend)
    assert _shown(db, """CREATE TABLE #r (y INT, pct DECIMAL(6, 2))
INSERT INTO #r VALUES (2016, 12.50), (2017, 12.46)
SELECT y, CAST(pct - LAG(pct) OVER (ORDER BY y) AS DECIMAL(5, 1)), CEILING(-0.5),
    ROUND(-0.0001, 2), ROUND(pct - 12.5, 1) FROM #r ORDER BY y""") == [
        ["2016", "NULL", "0", "0.0000", "0.00"], ["2017", "0.0", "0", "0.0000", "0.00"]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_days_short_name_in_a_format(backend: str, request: pytest.FixtureRequest) -> None:
    # FORMAT(d, 'ddd') is the day's name in three letters (.NET's custom format): it was the
    # letters 'ddd', and 'ddd d MMM' was '055 5 Apr'
    db = _db(request, backend)
    assert _shown(db, """DECLARE @d DATETIME = '2019-04-05 14:07:09'
SELECT FORMAT(@d, 'ddd'), FORMAT(@d, 'ddd d MMM'), FORMAT(@d, 'dddd dd/MM'),
    FORMAT(@d, 'ddd hh:mm tt')""") == [["Fri", "Fri", "5", "Apr", "Friday", "05/04",
                                        "Fri", "02:07", "PM"]]
    rows = _shown(db, """SELECT FORMAT(StartDate, 'ddd') AS wd,
    LEFT(DATENAME(WEEKDAY, StartDate), 3) AS named, COUNT(*) AS spells
FROM [LEO_i2].[2002237].[leo_employment]
GROUP BY FORMAT(StartDate, 'ddd'), LEFT(DATENAME(WEEKDAY, StartDate), 3) ORDER BY wd""")
    assert len(rows) == 7 and all(r[0] == r[1] for r in rows)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_temp_text_column_widened_by_alter_column_takes_longer_text(
        backend: str, request: pytest.FixtureRequest) -> None:
    # a benefit type copied into #b by SELECT ... INTO is a VARCHAR(3); widened to VARCHAR(10),
    # it takes 'JSA_spell' in SQL Server: the ALTER was skipped, so the UPDATE stopped with
    # "String or binary data would be truncated." on every target
    db = _db(request, backend)
    setup = """SELECT TOP 3 EduKey, Benefit_type, StartDate INTO #b
FROM [LEO_i2].[2002237].[leo_benefit] WHERE Benefit_type = 'JSA' ORDER BY EduKey, StartDate
ALTER TABLE #b ALTER COLUMN Benefit_type VARCHAR(10) NOT NULL
UPDATE #b SET Benefit_type = Benefit_type + '_spell'
"""
    assert _shown(db, setup + """SELECT DISTINCT Benefit_type,
    COL_LENGTH('tempdb..#b', 'Benefit_type') FROM #b""") == [["JSA_spell", "10"]]
    with pytest.raises(ScriptError, match="would be truncated"):
        _shown(db, setup + "INSERT INTO #b (EduKey, Benefit_type) VALUES ('k', 'JSA_spell_2')")
    assert _shown(db, """CREATE TABLE #t (c VARCHAR(3), n INT)
ALTER TABLE #t ALTER COLUMN c NVARCHAR(MAX)
INSERT INTO #t VALUES ('abcdefghijk', 1)
SELECT c, LEN(c) FROM #t""") == [["abcdefghijk", "11"]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_distinct_cohort_with_a_literal_year(backend: str,
                                              request: pytest.FixtureRequest) -> None:
    # SELECT DISTINCT pmr, 2015 AS cohort: the DISTINCT of text was made a GROUP BY of every
    # item, the literal too, which each target read as a position ("GROUP BY term out of range")
    db = _db(request, backend)
    [[pupils]] = _shown(db, """SELECT COUNT(DISTINCT PupilMatchingRefAnonymous_spr15)
FROM [NPD_i2].[2002237].[spring_census_2015]""")
    assert _shown(db, """SELECT DISTINCT PupilMatchingRefAnonymous_spr15 AS pmr, 2015 AS cohort,
    -1 AS flag, 'spring' AS term, NULL AS note
INTO #cohort FROM [NPD_i2].[2002237].[spring_census_2015]
SELECT cohort, flag, term, note, COUNT(*) FROM #cohort GROUP BY cohort, flag, term, note""") == [
        ["2015", "-1", "spring", "NULL", pupils]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_coalesce_of_text_and_an_integer_is_an_integer(
        backend: str, request: pytest.FixtureRequest) -> None:
    # COALESCE takes the type of highest precedence, an int beside text: the text is converted
    # (PostgreSQL and DuckDB stopped, "cannot mix VARCHAR and INTEGER"; SQLite gave the text,
    # so COALESCE(t, n, 0) + 1 joined rather than added on no target as in SQL Server)
    db = _db(request, backend)
    setup = """CREATE TABLE #q (id INT, n INT, t VARCHAR(10))
INSERT INTO #q VALUES (1, 3, ' 12'), (2, 5, NULL), (3, NULL, NULL)
"""
    assert _shown(db, setup + """SELECT id, COALESCE(t, n), COALESCE(t, n, 0) + 1,
    COALESCE(n, t), COALESCE(t, 0) FROM #q ORDER BY id""") == [
        ["1", "12", "13", "3", "12"], ["2", "5", "6", "5", "0"], ["3", "NULL", "1", "NULL", "0"]]
    with pytest.raises(ScriptError, match="converting the varchar value 'R' to data type int"):
        _shown(db, setup + "UPDATE #q SET t = 'R' WHERE id = 2 SELECT COALESCE(t, n) FROM #q")
