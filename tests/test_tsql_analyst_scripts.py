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


SCRIPTS = {
    "earnings_pivoted_by_tax_year": """
SELECT *
FROM (
    SELECT k.AE_ID, e.TaxYear, e.Earnings
    FROM [LEO_i2].[2002237].[leo_earnings] e
    JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] k ON k.EDUKEY = e.Edukey
    WHERE e.TaxYear IN (201617, 201718, 201819)
) src
PIVOT (SUM(Earnings) FOR TaxYear IN ([201617], [201718], [201819])) p
ORDER BY AE_ID
""",
    "dynamic_pivot_built_with_string_agg": """
DECLARE @cols NVARCHAR(MAX), @sql NVARCHAR(MAX)
SELECT @cols = STRING_AGG(QUOTENAME(CAST(TaxYear AS VARCHAR(6))), ', ')
    WITHIN GROUP (ORDER BY TaxYear)
FROM (SELECT DISTINCT TaxYear FROM [LEO_i2].[2002237].[leo_earnings]
    WHERE TaxYear >= 201718) t
PRINT @cols
SET @sql = N'SELECT Main_Section, ' + @cols + N'
FROM (SELECT Main_Section, TaxYear, Earnings FROM [LEO_i2].[2002237].[leo_earnings]
    WHERE Earnings > 0) s
PIVOT (COUNT(Earnings) FOR TaxYear IN (' + @cols + N')) p
ORDER BY Main_Section'
EXEC sp_executesql @sql
""",
    "median_earnings_by_tax_year": """
SELECT DISTINCT e.TaxYear,
   PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY e.Earnings)
    OVER (PARTITION BY e.TaxYear) AS median_pay,
   PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY e.Earnings)
    OVER (PARTITION BY e.TaxYear) AS median_disc,
   PERCENTILE_CONT(0.25) WITHIN GROUP (ORDER BY e.Earnings)
    OVER (PARTITION BY e.TaxYear) AS q1
FROM [LEO_i2].[2002237].[leo_earnings] e
WHERE e.Earnings > 0 AND e.TaxYear >= 201617
ORDER BY e.TaxYear
""",
    "ntile_cume_dist_and_frames": """
SELECT TOP 12 e.Edukey, e.TaxYear, e.Earnings,
   NTILE(4) OVER (PARTITION BY e.TaxYear ORDER BY e.Earnings) AS quartile,
   CUME_DIST() OVER (PARTITION BY e.TaxYear ORDER BY e.Earnings) AS cd,
   PERCENT_RANK() OVER (PARTITION BY e.TaxYear ORDER BY e.Earnings) AS pr,
   SUM(e.Earnings) OVER (PARTITION BY e.Edukey ORDER BY e.TaxYear ROWS BETWEEN 2 PRECEDING
    AND CURRENT ROW) AS roll3,
   SUM(e.Earnings) OVER (PARTITION BY e.Edukey
    ORDER BY e.TaxYear RANGE UNBOUNDED PRECEDING) AS run,
   e.Earnings - LAG(e.Earnings, 1, 0) OVER (PARTITION BY e.Edukey
    ORDER BY e.TaxYear) AS growth,
   AVG(e.Earnings) OVER (PARTITION BY e.Edukey ORDER BY e.TaxYear ROWS BETWEEN 1 PRECEDING
    AND 1 FOLLOWING) AS avg3
FROM [LEO_i2].[2002237].[leo_earnings] e
WHERE e.TaxYear BETWEEN 201516 AND 201819
ORDER BY e.Edukey, e.TaxYear
""",
    "rollup_of_benefit_spells_labelled": """
SELECT CASE WHEN GROUPING(b.Benefit_type) = 1 THEN 'All' ELSE b.Benefit_type END AS btype,
       CASE GROUPING_ID(b.Benefit_type, YEAR(b.StartDate)) WHEN 3 THEN 'total' WHEN 1
    THEN 'type' ELSE 'detail' END AS lvl,
       YEAR(b.StartDate) AS yr, COUNT(*) AS spells, GROUPING_ID(b.Benefit_type,
    YEAR(b.StartDate)) AS gid
FROM [LEO_i2].[2002237].[leo_benefit] b
WHERE YEAR(b.StartDate) BETWEEN 2015 AND 2016
GROUP BY ROLLUP (b.Benefit_type, YEAR(b.StartDate))
ORDER BY GROUPING(b.Benefit_type), btype, GROUPING(YEAR(b.StartDate)), yr
""",
    "ks4_measures_unpivoted": """
SELECT TOP 12 pmr, measure, score
FROM (SELECT KS4_PupilMatchingRefAnonymous AS pmr, CAST(KS4_ATT8 AS FLOAT) AS att8,
             CAST(KS4_P8SCORE AS FLOAT) AS p8, CAST(KS4_ENTRIES AS FLOAT) AS entries
      FROM [NPD_i2].[2002237].[KS4Pupil_2015_to_2021] WHERE KS4_ACADYR = '2017/2018') s
UNPIVOT (score FOR measure IN (att8, p8, entries)) u
ORDER BY pmr, measure
""",
    "cube_of_gender_and_fsm": """
SELECT ISNULL(k.KS4_GENDER, 'All') AS gender, ISNULL(CAST(k.KS4_FSM AS VARCHAR(3)),
    'All') AS fsm,
  GROUPING_ID(k.KS4_GENDER, k.KS4_FSM) AS g, COUNT(*) AS pupils, AVG(k.KS4_ATT8) AS att8,
  CAST(AVG(CAST(k.KS4_ATT8 AS DECIMAL(6,2))) AS DECIMAL(6,2)) AS att8_dec
FROM [NPD_i2].[2002237].[KS4Pupil_2015_to_2021] k
WHERE k.KS4_ACADYR = '2018/2019'
GROUP BY CUBE (k.KS4_GENDER, k.KS4_FSM)
ORDER BY g, gender, fsm
""",
    "grouping_sets_of_subject_and_sex": """
SELECT h.HE_XJACSA01_1 AS subj_area, h.HE_SEXID AS sex, COUNT(*) AS n,
    GROUPING(h.HE_XJACSA01_1) AS ga, GROUPING(h.HE_SEXID) AS gs
FROM [HESA_i2].[2002237].[hesa_2016] h
GROUP BY GROUPING SETS ((h.HE_XJACSA01_1, h.HE_SEXID), (h.HE_XJACSA01_1), ())
ORDER BY ga, subj_area, gs, sex
""",
    "recursive_calendar_of_tax_years": """
;WITH yrs AS (
  SELECT 2010 AS y UNION ALL SELECT y + 1 FROM yrs WHERE y < 2020
)
SELECT y, CAST(y AS VARCHAR(4)) + RIGHT(CAST(y + 1 AS VARCHAR(4)), 2) AS taxyear,
  DATEFROMPARTS(y, 4, 6) AS ty_start, DATEADD(DAY, -1, DATEFROMPARTS(y + 1, 4, 6)) AS ty_end,
  FORMAT(DATEFROMPARTS(y, 4, 6), 'dd MMM yyyy') AS f1, DATENAME(WEEKDAY, DATEFROMPARTS(y, 4,
    6)) AS wd,
  DATEPART(WEEK, DATEFROMPARTS(y, 4, 6)) AS wk, DATEPART(ISO_WEEK, DATEFROMPARTS(y, 4,
    6)) AS iso, DATEPART(DW, DATEFROMPARTS(y, 4, 6)) AS dw,
  DATEPART(QUARTER, DATEFROMPARTS(y, 4, 6)) AS q, DATEPART(DAYOFYEAR, DATEFROMPARTS(y, 4,
    6)) AS doy
FROM yrs ORDER BY y
OPTION (MAXRECURSION 100)
""",
    "age_at_census_date": """
DECLARE @census DATE = '2015-01-15'
SELECT TOP 10 c.PupilMatchingRefAnonymous_spr15 AS pmr,
  DATEFROMPARTS(c.YearOfBirth_spr15, c.MonthOfBirth_spr15, 1) AS dob,
  DATEDIFF(YEAR, DATEFROMPARTS(c.YearOfBirth_spr15, c.MonthOfBirth_spr15, 1), @census)
    - CASE WHEN DATEADD(YEAR, DATEDIFF(YEAR, DATEFROMPARTS(c.YearOfBirth_spr15,
    c.MonthOfBirth_spr15, 1), @census), DATEFROMPARTS(c.YearOfBirth_spr15,
    c.MonthOfBirth_spr15, 1)) > @census THEN 1 ELSE 0 END AS age,
  DATEDIFF(MONTH, DATEFROMPARTS(c.YearOfBirth_spr15, c.MonthOfBirth_spr15, 1),
    @census) AS age_months,
  EOMONTH(DATEFROMPARTS(c.YearOfBirth_spr15, c.MonthOfBirth_spr15, 1)) AS eom,
  EOMONTH(@census, -1) AS prev_eom,
  CASE WHEN MONTH(c.EntryDate_spr15) >= 9 THEN YEAR(c.EntryDate_spr15)
    ELSE YEAR(c.EntryDate_spr15) - 1 END AS acad_start,
  CAST(YEAR(DATEADD(MONTH, -8,
    c.EntryDate_spr15)) AS VARCHAR(4)) + '/' + RIGHT(CAST(YEAR(DATEADD(MONTH, -8,
    c.EntryDate_spr15)) + 1 AS VARCHAR(4)), 2) AS acad,
  ISDATE(CONVERT(VARCHAR(10), c.EntryDate_spr15, 120)) AS isd
FROM [NPD_i2].[2002237].[spring_census_2015] c
ORDER BY c.PupilMatchingRefAnonymous_spr15
""",
    "tax_year_of_a_date": """
SELECT TOP 10 s.EduKey, s.StartDate,
  CASE WHEN s.StartDate >= DATEFROMPARTS(YEAR(s.StartDate), 4, 6) THEN YEAR(s.StartDate)
    ELSE YEAR(s.StartDate) - 1 END * 100
   + (CASE WHEN s.StartDate >= DATEFROMPARTS(YEAR(s.StartDate), 4, 6) THEN YEAR(s.StartDate)
    ELSE YEAR(s.StartDate) - 1 END + 1) % 100 AS taxyear,
  TRY_CONVERT(DATE, CONVERT(CHAR(8), s.StartDate, 112)) AS tc,
    TRY_CAST('2015-02-30' AS DATE) AS bad,
  ISDATE('2015-02-30') AS isd, ISDATE('20150228') AS isd2, TRY_CONVERT(INT, '0012') AS ti,
    TRY_CAST('12a' AS INT) AS tb,
  CONVERT(VARCHAR(10), s.StartDate, 103) AS uk, CONVERT(VARCHAR(11), s.StartDate,
    106) AS d106, DATENAME(MONTH, s.StartDate) AS mn, DATENAME(WEEKDAY, s.StartDate) AS wd
FROM [LEO_i2].[2002237].[leo_employment] s ORDER BY s.EduKey, s.StartDate
""",
    "string_and_format_functions": """
SELECT CONCAT_WS('|', 'a', NULL, 'b', 1, CAST('2015-01-02' AS DATE)) AS c1,
  TRANSLATE('2015/16', '/', '-') AS c2, TRIM('  x  ') AS c3, TRIM('.' FROM '..x..') AS c4,
  FORMAT(CAST('2015-04-06' AS DATE), 'dd/MM/yyyy') AS c5, FORMAT(1234567.891, 'N2') AS c6,
  FORMAT(0.1234, 'P1') AS c7, FORMAT(42, '00000') AS c8,
    PARSENAME('NPD_i2.2002237.spring_census_2015', 1) AS c9,
  PARSENAME('NPD_i2.2002237.spring_census_2015', 3) AS c10, PARSENAME('a.b.c.d.e', 1) AS c11,
  FORMAT(CAST('2015-04-06' AS DATE), 'MMMM yyyy') AS c12, FORMAT(CAST('2015-04-06' AS DATE),
    'yyyyMMdd') AS c13
""",
    "string_split_of_codes": """
CREATE TABLE #c (pmr VARCHAR(18), codes VARCHAR(50))
INSERT INTO #c VALUES ('a', 'JSA;ESA; UC'), ('b', 'PIP'), ('c', NULL), ('d', 'JSA;;ESA')
SELECT c.pmr, LTRIM(s.value) AS benefit, COUNT(*) OVER (PARTITION BY c.pmr) AS n
FROM #c c CROSS APPLY STRING_SPLIT(c.codes, ';') s
WHERE s.value <> ''
ORDER BY c.pmr, benefit
""",
    "cohort_built_in_steps": """
SET NOCOUNT ON
IF OBJECT_ID('tempdb..#cohort') IS NOT NULL DROP TABLE #cohort
CREATE TABLE #cohort (pmr VARCHAR(18) NOT NULL, gender CHAR(1), fsm TINYINT)
INSERT INTO #cohort (pmr, gender, fsm)
SELECT DISTINCT KS4_PupilMatchingRefAnonymous, KS4_GENDER, KS4_FSM
FROM [NPD_i2].[2002237].[KS4Pupil_2015_to_2021] WHERE KS4_ACADYR = '2016/2017'
CREATE INDEX ix_pmr ON #cohort (pmr)
ALTER TABLE #cohort ADD ae_id BIGINT NULL, n_edukeys INT NULL, earn_1819 INT NULL
UPDATE c SET c.ae_id = l.AE_ID
FROM #cohort c JOIN [LEO_i2].[2002237].[learner_ae_id_to_pmr_lookup] l
    ON l.PUPILMATCHINGREFANONYMOUS = c.pmr
UPDATE c SET n_edukeys = x.n
FROM #cohort c JOIN (SELECT AE_ID, COUNT(*) AS n
    FROM [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] GROUP BY AE_ID) x
    ON x.AE_ID = c.ae_id
UPDATE c SET earn_1819 = (SELECT SUM(e.Earnings) FROM [LEO_i2].[2002237].[leo_earnings] e
   JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] k ON k.EDUKEY = e.Edukey
    WHERE k.AE_ID = c.ae_id AND e.TaxYear = 201819)
FROM #cohort c
DECLARE @removed TABLE (pmr VARCHAR(18))
INSERT INTO @removed SELECT TOP 5 pmr FROM #cohort WHERE ae_id IS NULL ORDER BY pmr
DELETE TOP (5) FROM #cohort WHERE ae_id IS NULL AND pmr IN (SELECT pmr FROM @removed)
SELECT COUNT(*) AS removed FROM @removed
SELECT gender, fsm, COUNT(*) AS pupils, SUM(CASE WHEN ae_id IS NULL THEN 1
    ELSE 0 END) AS unmatched,
  AVG(earn_1819) AS mean_earn, SUM(n_edukeys) AS keys, @@ROWCOUNT AS rc
FROM #cohort GROUP BY gender, fsm ORDER BY gender, fsm
""",
    "cursor_over_census_years": """
SET NOCOUNT ON
DECLARE @out TABLE (yr INT, pupils INT, fsm_pct DECIMAL(5,2))
DECLARE @y INT, @sql NVARCHAR(MAX), @n INT, @f INT
DECLARE yrs CURSOR LOCAL FAST_FORWARD FOR
  SELECT y FROM (VALUES (2013), (2015), (2017)) v(y) ORDER BY y
OPEN yrs
FETCH NEXT FROM yrs INTO @y
WHILE @@FETCH_STATUS = 0
BEGIN
  SET @sql = N'SELECT @n = COUNT(*), @f = SUM(CASE WHEN FSMeligible_spr'
    + RIGHT(CAST(@y AS VARCHAR(4)), 2) + N' = 1 THEN 1 ELSE 0 END)
    FROM [NPD_i2].[2002237].spring_census_' + CAST(@y AS VARCHAR(4))
  EXEC sp_executesql @sql, N'@n INT OUTPUT, @f INT OUTPUT', @n = @n OUTPUT, @f = @f OUTPUT
  INSERT INTO @out VALUES (@y, @n, 100.0 * @f / @n)
  FETCH NEXT FROM yrs INTO @y
END
CLOSE yrs
DEALLOCATE yrs
SELECT * FROM @out ORDER BY yr
""",
    "union_built_from_sys_views": """
SET NOCOUNT ON
DECLARE @sql NVARCHAR(MAX)
SELECT @sql = STRING_AGG(CAST(N'SELECT ' + RIGHT(name, 4)
    + N' AS yr, COUNT(*) AS n FROM [NPD_i2].[2002237].' + QUOTENAME(name) AS NVARCHAR(MAX)),
    N' UNION ALL ') WITHIN GROUP (ORDER BY name)
FROM [NPD_i2].sys.views WHERE name LIKE 'spring[_]census[_]201[5-9]'
PRINT @sql
EXEC (@sql + N' ORDER BY yr')
""",
    "table_variable_with_medians": """
DECLARE @t TABLE (id INT IDENTITY(1,1) PRIMARY KEY, taxyear INT NOT NULL, earners INT,
    median_pay DECIMAL(10,1))
INSERT INTO @t (taxyear, earners)
SELECT TaxYear, COUNT(DISTINCT Edukey) FROM [LEO_i2].[2002237].[leo_earnings]
    WHERE Earnings > 0 AND TaxYear >= 201415 GROUP BY TaxYear ORDER BY TaxYear
UPDATE t SET median_pay = m.med
FROM @t t JOIN (SELECT DISTINCT TaxYear, PERCENTILE_CONT(0.5)
    WITHIN GROUP (ORDER BY Earnings) OVER (PARTITION BY TaxYear) AS med
    FROM [LEO_i2].[2002237].[leo_earnings] WHERE Earnings > 0) m ON m.TaxYear = t.taxyear
SELECT id, taxyear, earners, median_pay, earners - LAG(earners)
    OVER (ORDER BY taxyear) AS change,
  FORMAT(median_pay, 'N0') AS pay_fmt, FORMAT(median_pay, 'C0', 'en-GB') AS pay_gbp,
    FORMAT(earners, '#,##0') AS e
FROM @t ORDER BY id
""",
    "insert_exec_in_a_while_loop": """
DECLARE @years TABLE (y INT PRIMARY KEY)
INSERT INTO @years SELECT DISTINCT CAST(LEFT(KS4_ACADYR, 4) AS INT) + 1
    FROM [NPD_i2].[2002237].[KS4Pupil_2015_to_2021]
DECLARE @res TABLE (y INT, pupils INT, avg_att8 DECIMAL(6,2))
DECLARE @y INT = (SELECT MIN(y) FROM @years)
WHILE @y IS NOT NULL
BEGIN
  INSERT INTO @res EXEC sp_executesql N'SELECT @yy, COUNT(*), AVG(CAST(KS4_ATT8 AS DECIMAL(6,2)))
      FROM [NPD_i2].[2002237].[KS4Pupil_2015_to_2021]
      WHERE KS4_ACADYR = CONCAT(@yy - 1, ''/'', @yy)', N'@yy INT', @yy = @y
  SET @y = (SELECT MIN(y) FROM @years WHERE y > @y)
END
SELECT * FROM @res ORDER BY y
""",
    "while_loop_with_continue": """
SET NOCOUNT ON
IF OBJECT_ID('tempdb..#acts') IS NOT NULL DROP TABLE #acts
CREATE TABLE #acts (yr INT, pupils INT)
DECLARE @y INT = 2014, @view SYSNAME, @sql NVARCHAR(MAX)
WHILE @y <= 2021
BEGIN
  SET @view = CONCAT('autumn_census_', @y)
  IF OBJECT_ID(CONCAT('NPD_i2.[2002237].', @view)) IS NULL
  BEGIN
    PRINT CONCAT('skip ', @view)
    SET @y += 1
    CONTINUE
  END
  SET @sql = CONCAT(N'INSERT INTO #acts SELECT @yr, COUNT(*) FROM NPD_i2.[2002237].',
    QUOTENAME(@view), N' WHERE Gender_aut', RIGHT(@y, 2), N' = @g')
  EXEC sp_executesql @sql, N'@yr INT, @g CHAR(1)', @yr = @y, @g = 'F'
  IF @@ROWCOUNT = 0 BREAK
  SET @y = @y + 1
END
SELECT yr, pupils, SUM(pupils) OVER (ORDER BY yr ROWS BETWEEN 2 PRECEDING
    AND CURRENT ROW) AS roll3,
  CAST(AVG(pupils * 1.0) OVER (ORDER BY yr ROWS BETWEEN 2 PRECEDING
    AND CURRENT ROW) AS DECIMAL(8,1)) AS avg3
FROM #acts ORDER BY yr
""",
    "cross_apply_values_unpivot": """
SELECT TOP 9 k.KS4_PupilMatchingRefAnonymous AS pmr, v.measure, v.score
FROM [NPD_i2].[2002237].[KS4Pupil_2015_to_2021] k
CROSS APPLY (VALUES ('att8', k.KS4_ATT8), ('p8', k.KS4_P8SCORE), ('entries',
    k.KS4_ENTRIES)) v(measure, score)
WHERE k.KS4_ACADYR = '2018/2019' AND v.score IS NOT NULL
ORDER BY pmr, v.measure
""",
    "pivot_of_text_grades": """
CREATE TABLE #x (pmr VARCHAR(18), grade VARCHAR(2), subj VARCHAR(10))
INSERT INTO #x VALUES ('a', '9', 'maths'), ('a', '7', 'english'), ('b', 'U', 'maths'), ('b',
    NULL, 'english'), ('c', '4', 'science')
SELECT pmr, ISNULL([maths], '-') AS maths, ISNULL([english], '-') AS english, [science]
FROM #x PIVOT (MAX(grade) FOR subj IN ([maths], [english], [science])) pv
ORDER BY pmr
""",
}
"""Scripts as analysts write them, each ending in a result set that ``ORDER BY`` fixes."""
_baseline: dict[str, list[str]] = {}


def _table(db: str, text: str) -> list[str]:
    """The last result set as ``leo-synth sql`` prints it (headings and aligned rows)."""
    return output.table(run_text(db, text, "tsql", None, False)[-1])


@pytest.mark.parametrize("name", sorted(SCRIPTS))
@pytest.mark.parametrize("backend", BACKENDS)
def test_analyst_scripts_answer_alike_on_every_backend(
        backend: str, name: str, request: pytest.FixtureRequest, small_sqlite) -> None:
    # each backend prints SQLite's table, value for value, and the script gives rows
    if name not in _baseline:
        _baseline[name] = _table(str(small_sqlite[0]), SCRIPTS[name])
    assert len(_baseline[name]) > 2, f"{name} gave no rows"
    assert _table(_db(request, backend), SCRIPTS[name]) == _baseline[name]


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


@pytest.mark.parametrize("backend", BACKENDS)
def test_string_agg_of_numbers_joins_sql_servers_text_of_them(
        backend: str, request: pytest.FixtureRequest) -> None:
    # STRING_AGG of a non-text value joins it as an NVARCHAR: a decimal with its places, a
    # float in six digits (SQLite joined 889 and 1918.42857142857, PostgreSQL
    # 889.0000000000000000, DuckDB 889.0)
    db = _db(request, backend)
    assert _shown(db, """CREATE TABLE #e (k VARCHAR(2), y INT, pay INT, d DECIMAL(8, 2))
INSERT INTO #e VALUES ('a', 1, 10668, 10.5), ('a', 2, 13429, 3), ('b', 1, 7, NULL)
SELECT k, STRING_AGG(pay / 12.0, ';') WITHIN GROUP (ORDER BY y),
    STRING_AGG(d, ';') WITHIN GROUP (ORDER BY y),
    STRING_AGG(CAST(pay AS FLOAT) / 7, ';') WITHIN GROUP (ORDER BY y),
    STRING_AGG(y, ',') WITHIN GROUP (ORDER BY y DESC)
FROM #e GROUP BY k ORDER BY k""") == [["a", "889.000000;1119.083333", "10.50;3.00",
                                       "1524;1918.43", "2,1"],
                                      ["b", "0.583333", "NULL", "1", "1"]]
