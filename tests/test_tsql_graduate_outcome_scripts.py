"""`leo-synth sql`: scripts as LEO analysts in the SRS write them over higher education (HESA
student and qualifier views, UCAS applications and acceptances) and graduate outcomes (HESA
linked to HMRC earnings some tax years after graduation), run on every backend, their answers
the same on each: graduate earnings deflated by a CPI table variable filled from ``VALUES``,
by subject, sex and years after graduation under ``GROUPING SETS``; first-degree entrants
followed year by year by a cursor over ``sp_executesql`` into a ``MERGE`` with ``WHEN NOT
MATCHED BY SOURCE``; mean earnings by tax year pivoted by dynamic SQL from a column list
``STRING_AGG(QUOTENAME(...))`` builds, then unpivoted. And what SQL Server does that the
targets did not:

- ``CONVERT(DATE, text, style)`` in a style with a two-digit year (3: ``dd/mm/yy``, 1, 4, 5,
  10, 11, 12) reads the text as the style with the century does (103), the year by SQL
  Server's cutoff (``'50'`` is 1950): SQLite stopped, DuckDB stopped or gave NULL, PostgreSQL
  gave NULL (and 2050 for ``'50'`` in style 103); a two-digit year first (``'15/07/31'``,
  styles 2, 11, 111) stopped SQLite and DuckDB;
- text in a column whose name another table holds as a date (a staging ``VALUES`` list's
  ``year_end`` put in a table's ``year_end DATE``) is read in the style too: ``'05/04/15'``
  in style 103 or 3 was NULL on every target;
- a table's indexes declared with its columns (``DECLARE @t TABLE (..., INDEX ix_yr (yr))``,
  ``yr INT INDEX ix_yr``, the only indexes a table variable takes) are no columns: every
  target stopped ("near "B": syntax error", "type "ix_yr" does not exist"), or the script
  could not be parsed; a ``UNIQUE`` one still refuses a key twice;
- ``MERGE ... OUTPUT $action, ... INTO @log (...)`` stopped with "cannot parse the
  statement", where ``MERGE ... OUTPUT deleted.x`` says what to write instead; it says so too;
- six digits (``'150731'``) are ``yymmdd`` (SQL Server's unseparated ``[yy]yymmdd``): a cast
  stopped, and style 112 read them as 1507-03-01 on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db
from test_tsql_fe_and_benefit_spell_scripts import printed_as_on_sqlite
from test_tsql_linkage_and_fixed_width_scripts import _values

from leo_synth.tsql.errors import ScriptError

SCRIPTS = {
    "real_graduate_earnings_by_subject_and_sex_in_grouping_sets": """
SET NOCOUNT ON
-- CPI (2014/15 = 100) by tax year, to put earnings in 2014/15 pounds
DECLARE @cpi TABLE (tax_year INT PRIMARY KEY, cpi DECIMAL(6, 1))
INSERT INTO @cpi (tax_year, cpi)
SELECT tax_year, cpi FROM (VALUES (201415, 100.0), (201516, 100.4), (201617, 101.1),
  (201718, 103.8), (201819, 106.2), (201920, 108.0), (202021, 109.0)) v(tax_year, cpi)
IF OBJECT_ID('tempdb..#grads') IS NOT NULL DROP TABLE #grads
SELECT h.HE_PUPILMATCHINGREFANONYMOUS AS pmr, LEFT(h.HE_XJACS01_1, 1) AS subj,
  h.HE_SEXID AS sex,
  -- the tax year (6 April to 5 April) the course ended in, as its first calendar year
  CASE WHEN MONTH(h.HE_ENDDATE) >= 4 AND NOT (MONTH(h.HE_ENDDATE) = 4 AND DAY(h.HE_ENDDATE) < 6)
       THEN YEAR(h.HE_ENDDATE) ELSE YEAR(h.HE_ENDDATE) - 1 END AS ty_start
INTO #grads
FROM [HESA_i2].[2002237].[hesa_2015] h
WHERE h.HE_XQOBTN01 LIKE 'H%' AND h.HE_ENDDATE IS NOT NULL AND h.HE_XJACS01_1 LIKE '[A-Z]%'
SELECT g.subj, g.sex, y.yag, e.Earnings * 100.0 / c.cpi AS real_pay, e.Earnings
INTO #pay
FROM #grads g
JOIN [LEO_i2].[2002237].[learner_ae_id_to_pmr_lookup] p ON p.PUPILMATCHINGREFANONYMOUS = g.pmr
JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] k ON k.AE_ID = p.AE_ID
CROSS JOIN (VALUES (1), (3), (5)) y(yag)
JOIN [LEO_i2].[2002237].[leo_earnings] e ON e.Edukey = k.EDUKEY
  AND e.TaxYear = (g.ty_start + y.yag) * 100 + (g.ty_start + y.yag + 1) % 100
JOIN @cpi c ON c.tax_year = e.TaxYear
WHERE e.Earnings > 0
SELECT CASE WHEN GROUPING(subj) = 1 THEN 'All subjects' ELSE subj END AS subject,
  CASE WHEN GROUPING(sex) = 1 THEN 'All' ELSE CAST(sex AS VARCHAR(3)) END AS sex,
  yag, COUNT(*) AS n, COUNT(*) * 100 / SUM(COUNT(*)) OVER (PARTITION BY yag) AS pct_int,
  CAST(AVG(real_pay) AS DECIMAL(10, 1)) AS mean_real, ROUND(AVG(Earnings), -2) AS mean_nominal,
  FORMAT(SUM(Earnings), 'N0') AS total, GROUPING_ID(subj, sex) AS gid
FROM #pay
GROUP BY GROUPING SETS ((subj, sex, yag), (subj, yag), (yag))
ORDER BY yag, gid, subject, sex
""",
    "first_degree_entrants_followed_by_cursor_and_merge": """
SET NOCOUNT ON
CREATE TABLE #entrants (pmr VARCHAR(30) PRIMARY KEY, first_year INT, subj CHAR(1),
  n_years INT, status VARCHAR(10))
DECLARE @y INT, @sql NVARCHAR(MAX), @n INT = 0
DECLARE yrs CURSOR LOCAL FAST_FORWARD FOR
  SELECT v.y FROM (VALUES (2013), (2014), (2015), (2016)) v(y) ORDER BY v.y
OPEN yrs
FETCH NEXT FROM yrs INTO @y
WHILE @@FETCH_STATUS = 0
BEGIN
  IF OBJECT_ID('tempdb..#yr') IS NOT NULL DROP TABLE #yr
  CREATE TABLE #yr (pmr VARCHAR(30), subj CHAR(1))
  SET @sql = N'INSERT INTO #yr SELECT DISTINCT HE_PUPILMATCHINGREFANONYMOUS, LEFT(HE_XJACS01_1, 1)
FROM [HESA_i2].[2002237].' + QUOTENAME('hesa_' + CAST(@y AS VARCHAR(4)))
    + N' WHERE HE_XLEV501 = @lev AND HE_PUPILMATCHINGREFANONYMOUS IS NOT NULL'
  EXEC sp_executesql @sql, N'@lev INT', @lev = 4
  MERGE #entrants AS t
  USING (SELECT pmr, MIN(subj) AS subj FROM #yr GROUP BY pmr) AS s ON t.pmr = s.pmr
  WHEN MATCHED THEN UPDATE SET t.n_years = t.n_years + 1, t.status = 'continuing'
  WHEN NOT MATCHED BY TARGET THEN
    INSERT (pmr, first_year, subj, n_years, status) VALUES (s.pmr, @y, s.subj, 1, 'new')
  WHEN NOT MATCHED BY SOURCE AND t.status <> 'left' THEN UPDATE SET t.status = 'left';
  SET @n = @n + @@ROWCOUNT
  FETCH NEXT FROM yrs INTO @y
END
CLOSE yrs
DEALLOCATE yrs
SELECT first_year, status, n_years, COUNT(*) AS students, @n AS merged_rows
FROM #entrants GROUP BY first_year, status, n_years ORDER BY first_year, status, n_years
""",
    "graduate_pay_by_tax_year_pivoted_by_dynamic_sql_then_unpivoted": """
SET NOCOUNT ON
DROP TABLE IF EXISTS #g
SELECT DISTINCT h.HE_PUPILMATCHINGREFANONYMOUS AS pmr, h.HE_XJACSA01_1 AS area, k.EDUKEY
INTO #g
FROM [HESA_i2].[2002237].[hesa_2014] h
JOIN [LEO_i2].[2002237].[learner_ae_id_to_pmr_lookup] p
  ON p.PUPILMATCHINGREFANONYMOUS = h.HE_PUPILMATCHINGREFANONYMOUS
JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] k ON k.AE_ID = p.AE_ID
WHERE h.HE_XQOBTN01 IS NOT NULL
DECLARE @cols NVARCHAR(MAX), @sql NVARCHAR(MAX), @from INT = 201516
SELECT @cols = STRING_AGG(QUOTENAME(CAST(TaxYear AS VARCHAR(6))), ',')
  WITHIN GROUP (ORDER BY TaxYear)
FROM (SELECT DISTINCT e.TaxYear FROM [LEO_i2].[2002237].[leo_earnings] e
      WHERE e.TaxYear BETWEEN @from AND 202021) t
SET @sql = N'SELECT area, ' + @cols + N'
FROM (SELECT g.area, e.TaxYear, e.Earnings FROM #g g
      JOIN [LEO_i2].[2002237].[leo_earnings] e ON e.Edukey = g.EDUKEY
      WHERE e.TaxYear >= @y AND e.Earnings > 0) s
PIVOT (AVG(Earnings) FOR TaxYear IN (' + @cols + N')) pv
ORDER BY area'
CREATE TABLE #wide (area VARCHAR(1), y1 INT, y2 INT, y3 INT, y4 INT, y5 INT, y6 INT)
INSERT INTO #wide EXEC sp_executesql @sql, N'@y INT', @y = @from
SELECT area, yr, pay, RANK() OVER (PARTITION BY yr ORDER BY pay DESC) AS rk
FROM #wide UNPIVOT (pay FOR yr IN (y1, y2, y3, y4, y5, y6)) u
ORDER BY yr, rk, area
""",
    "qualifiers_in_an_indexed_table_variable_read_by_a_scroll_cursor": """
SET NOCOUNT ON
DECLARE @cohort TABLE (pmr VARCHAR(30) NOT NULL, yr INT NOT NULL, lev INT, earnings INT NULL,
  UNIQUE (pmr, yr), INDEX ix_yr (yr))
DECLARE @out TABLE (lev INT INDEX ix_lev, students INT, earners INT, pct DECIMAL(5, 1),
  label VARCHAR(40))
INSERT INTO @cohort (pmr, yr, lev)
SELECT DISTINCT HE_PUPILMATCHINGREFANONYMOUS, y.yr, HE_XQLEV501
FROM [HESA_i2].[2002237].[hesa_2016] CROSS JOIN (VALUES (2016), (2017)) y(yr)
WHERE HE_XQOBTN01 IS NOT NULL
UPDATE c SET earnings = x.pay
FROM @cohort c
JOIN (SELECT p.PUPILMATCHINGREFANONYMOUS AS pmr, e.TaxYear / 100 AS yr, SUM(e.Earnings) AS pay
      FROM [LEO_i2].[2002237].[learner_ae_id_to_pmr_lookup] p
      JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] k ON k.AE_ID = p.AE_ID
      JOIN [LEO_i2].[2002237].[leo_earnings] e ON e.Edukey = k.EDUKEY
      WHERE e.TaxYear IN (201617, 201718)
      GROUP BY p.PUPILMATCHINGREFANONYMOUS, e.TaxYear / 100) x ON x.pmr = c.pmr AND x.yr = c.yr
DECLARE @rows INT = @@ROWCOUNT
DELETE c FROM @cohort c WHERE c.lev IS NULL
DECLARE @lev INT, @yr INT, @n INT, @with INT, @last VARCHAR(40)
DECLARE c CURSOR LOCAL SCROLL FOR
  SELECT lev, yr, COUNT(*), COUNT(earnings) FROM @cohort GROUP BY lev, yr ORDER BY lev, yr
OPEN c
FETCH LAST FROM c INTO @lev, @yr, @n, @with
SET @last = 'last: level ' + CAST(@lev AS VARCHAR(3)) + ' in ' + CAST(@yr AS CHAR(4))
FETCH FIRST FROM c INTO @lev, @yr, @n, @with
WHILE @@FETCH_STATUS = 0
BEGIN
  INSERT INTO @out VALUES (@lev, @n, @with, 100.0 * @with / @n,
    CAST(@yr AS CHAR(4)) + '/' + RIGHT(CAST(@yr + 1 AS VARCHAR(4)), 2) + ' level '
    + CAST(@lev AS VARCHAR(3)))
  FETCH NEXT FROM c INTO @lev, @yr, @n, @with
END
CLOSE c
DEALLOCATE c
SELECT o.label, o.students, o.earners, o.pct, @last AS last_fetched, @rows AS updated
FROM @out o ORDER BY o.lev, o.label
""",
}
"""Scripts as analysts write them, each ending in a result set that ``ORDER BY`` fixes."""


@pytest.mark.parametrize("name", sorted(SCRIPTS))
@pytest.mark.parametrize("backend", BACKENDS)
def test_graduate_outcome_scripts_print_the_same_table_on_every_backend(
        backend: str, name: str, request: pytest.FixtureRequest, small_sqlite) -> None:
    printed_as_on_sqlite(request, backend, small_sqlite, SCRIPTS[name])


def _day(value: object) -> str | None:
    """A date as ISO text, whichever type the target gave it in."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return None if value is None else str(value)[:10]


@pytest.mark.parametrize("backend", BACKENDS)
def test_styles_with_a_two_digit_year_read_text_as_their_century_styles(
        backend: str, request: pytest.FixtureRequest) -> None:
    # dates keyed in as dd/mm/yy (style 3): SQLite stopped ("no such function: STR_TO_TIME"),
    # DuckDB stopped at '31/07/2015' and PostgreSQL gave NULL; style 103 read '50' as 2050
    # on PostgreSQL, where SQL Server's cutoff (2049) makes it 1950
    rows = _values(_db(request, backend), """CREATE TABLE #d (raw VARCHAR(20))
INSERT INTO #d VALUES ('31/07/15'), ('31/07/2015'), ('1/2/69'), ('31/07/50 10:15'),
  ('31/13/15'), ('x')
SELECT raw, TRY_CONVERT(DATE, raw, 3) AS d3, TRY_CONVERT(DATE, raw, 103) AS d103,
  TRY_CONVERT(DATETIME, raw, 3) AS dt3, TRY_CONVERT(DATE, raw, 1) AS d1
FROM #d ORDER BY raw""")
    assert [(raw, _day(a), _day(b), _day(c), _day(d)) for raw, a, b, c, d in rows] == [
        ("1/2/69", "1969-02-01", "1969-02-01", "1969-02-01", "1969-01-02"),
        ("31/07/15", "2015-07-31", "2015-07-31", "2015-07-31", None),
        ("31/07/2015", "2015-07-31", "2015-07-31", "2015-07-31", None),
        ("31/07/50 10:15", "1950-07-31", "1950-07-31", "1950-07-31", None),
        ("31/13/15", None, None, None, None),
        ("x", None, None, None, None)]
    assert rows[3][3].hour == 10
    assert [_day(v) for v in _values(_db(request, backend), """SELECT
  CONVERT(DATE, '31/07/15', 3), CONVERT(DATE, '07/31/15', 1), CONVERT(DATE, '31.07.15', 4),
  CONVERT(DATE, '31-07-15', 5), CONVERT(DATE, '07-31-15', 10), CONVERT(DATE, '15/07/31', 11),
  CONVERT(DATE, '150731', 12), CONVERT(DATE, '15.07.31', 2), TRY_CONVERT(DATE, '31/07/49', 3),
  CONVERT(DATE, '50/07/31', 111)""")[0]] == ["2015-07-31"] * 8 + ["2049-07-31", "1950-07-31"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_six_digits_are_a_year_month_and_day(backend: str,
                                             request: pytest.FixtureRequest) -> None:
    # '150731' is 31 July 2015 in SQL Server (unseparated [yy]yymmdd): a cast stopped with
    # error 241, and style 112 read it as 1507-03-01 (SQLite, PostgreSQL) or NULL (DuckDB)
    rows = _values(_db(request, backend), """CREATE TABLE #d (raw VARCHAR(20))
INSERT INTO #d VALUES ('150731'), ('500731'), ('20150731'), ('2015731'), ('151331')
SELECT raw, TRY_CAST(raw AS DATE) AS c, TRY_CONVERT(DATE, raw, 112) AS s112,
  ISDATE(raw) AS ok, CAST('150731' AS DATE) AS lit
FROM #d ORDER BY raw""")
    assert [(raw, _day(c), _day(s), ok, _day(lit)) for raw, c, s, ok, lit in rows] == [
        ("150731", "2015-07-31", "2015-07-31", 1, "2015-07-31"),
        ("151331", None, None, 0, "2015-07-31"),
        ("20150731", "2015-07-31", "2015-07-31", 1, "2015-07-31"),
        ("2015731", None, None, 0, "2015-07-31"),
        ("500731", "1950-07-31", "1950-07-31", 1, "2015-07-31")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_indexes_declared_with_a_tables_columns_change_no_answer(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    rows = _values(db, """DECLARE @q TABLE (pmr VARCHAR(30) NOT NULL, yr INT INDEX ix_yr,
  cls VARCHAR(2), INDEX ix_pmr NONCLUSTERED (pmr, yr DESC))
CREATE TABLE #q (pmr VARCHAR(30), yr INT, PRIMARY KEY CLUSTERED (pmr),
  INDEX ix_cls (yr) INCLUDE (pmr) WHERE yr > 2000 WITH (FILLFACTOR = 80))
INSERT INTO @q VALUES ('a', 2015, '01'), ('b', 2016, NULL), ('a', 2016, '02')
INSERT INTO #q SELECT pmr, MAX(yr) FROM @q GROUP BY pmr
SELECT q.pmr, q.yr, t.yr AS latest FROM @q q JOIN #q t ON t.pmr = q.pmr ORDER BY q.pmr, q.yr""")
    assert rows == [("a", 2015, 2016), ("a", 2016, 2016), ("b", 2016, 2016)]
    with pytest.raises(ScriptError, match="Cannot insert duplicate key"):
        _values(db, """DECLARE @k TABLE (pmr VARCHAR(30), yr INT,
  INDEX ux UNIQUE CLUSTERED (pmr, yr DESC))
INSERT INTO @k VALUES ('a', 2015), ('a', 2016)
INSERT INTO @k VALUES ('a', 2015)""")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_merge_logging_its_actions_into_a_table_variable_says_what_to_write(
        backend: str, request: pytest.FixtureRequest) -> None:
    # the log analysts keep of what a MERGE did; sqlglot could not parse $action INTO
    with pytest.raises(ScriptError, match=r"line 4: MERGE \.\.\. OUTPUT cannot be translated: "
                                          r"run the clauses as UPDATE, DELETE and INSERT"):
        _values(_db(request, backend), """CREATE TABLE #q (pmr VARCHAR(30), cls VARCHAR(2))
DECLARE @log TABLE (act NVARCHAR(10), pmr VARCHAR(30))
INSERT INTO #q VALUES ('a', '01')
MERGE INTO #q AS t USING (VALUES ('a', '02'), ('b', '01')) AS s (pmr, cls) ON s.pmr = t.pmr
WHEN MATCHED THEN UPDATE SET cls = s.cls
WHEN NOT MATCHED THEN INSERT (pmr, cls) VALUES (s.pmr, s.cls)
OUTPUT $action, ISNULL(inserted.pmr, deleted.pmr) INTO @log (act, pmr);
SELECT act, COUNT(*) AS n FROM @log GROUP BY act""")


@pytest.mark.parametrize("backend", BACKENDS)
def test_text_named_as_a_date_column_is_read_in_its_style(
        backend: str, request: pytest.FixtureRequest) -> None:
    rows = _values(_db(request, backend), """DECLARE @cpi TABLE (tax_year INT, year_end DATE,
  cpi DECIMAL(6, 1))
INSERT INTO @cpi (tax_year, year_end, cpi)
SELECT YEAR(TRY_CONVERT(DATE, v.year_end, 3)), TRY_CONVERT(DATE, v.year_end, 103), v.cpi
FROM (VALUES ('05/04/15', 100.0), ('05/04/2016', 100.4), ('31/02/17', 101.1)) v(year_end, cpi)
SELECT tax_year, year_end, cpi FROM @cpi ORDER BY cpi""")
    assert [(y, _day(d), float(c)) for y, d, c in rows] == [
        (2015, "2015-04-05", 100.0), (2016, "2016-04-05", 100.4), (None, None, 101.1)]
