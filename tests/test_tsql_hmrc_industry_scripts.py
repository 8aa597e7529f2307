"""`leo-synth sql`: scripts as LEO analysts in the SRS write them over the HMRC and DWP views
beyond the basics, run on every backend, their answers the same on each (PAYE beside
self-assessment per tax year, ``both``, ``PAYE only``, ``SA only`` or ``neither``, is
``examples/srs/86``, which ``test_srs_corpus`` runs so): PAYE earnings by SIC 2007 section
(the division cut from ``Main_SIC2007`` and matched to a ``VALUES`` lookup by ``BETWEEN`` on
text, means as ``MONEY``), furlough months taken from the CJRS indicators and
unpivoted (``EOMONTH``, ``DATENAME``, ``DATEPART(quarter, ...)``, ``CONVERT(VARCHAR(7), d,
126)``, running totals), benefit spells by groups of codes split from a list
(``STRING_SPLIT``), regional movers by ``LAG`` and gaps and islands, and the first sustained
employment after gaps of more than a day. And what SQL Server does that the targets did not:

- a label a CTE or derived table makes of text (``CASE ... THEN 'PAYE only' ... END``, the
  names an ``UNPIVOT`` lists, a ``UNION ALL`` of literals) is ordered, grouped and compared
  ignoring case, as the SRS's collation does (the targets ordered ``PAYE only`` before
  ``both``); so is a ``STRING_SPLIT``'s ``value`` (DuckDB and PostgreSQL grouped ``a`` apart
  from ``A``);
- ``MONEY`` divided by money or an integer is money, cut off at four places (``CAST(100 AS
  MONEY) / 339`` is ``0.2949``, times 10000 ``2949.0000``: the targets showed ten to twenty
  places and went on with them); divided by a decimal a decimal of SQL Server's places;
  ``CEILING`` and ``FLOOR`` of money are money (``-2.0000``);
- ``AVG`` of an integer a CTE computes from another CTE's integer is an integer (the targets
  gave its fraction: the later CTE had been read before the one it reads);
- ``APPROX_PERCENTILE_CONT``, of SQL Server 2022, stops in one line naming
  ``PERCENTILE_CONT`` (grouped, it stopped with the error for a column not grouped).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _texts
from test_tsql_fe_and_benefit_spell_scripts import printed_as_on_sqlite
from test_tsql_linkage_and_fixed_width_scripts import _values

from leo_synth.tsql.errors import ScriptError

SCRIPTS = {
    "paye_earnings_by_sic_section_from_division_ranges": """
SET NOCOUNT ON
;WITH sections AS (
  SELECT section, lo, hi, label FROM (VALUES
    ('A', '01', '03', 'Agriculture'), ('B', '05', '09', 'mining'), ('C', '10', '33', 'Manufacture'),
    ('D', '35', '35', 'energy'), ('E', '36', '39', 'water'), ('F', '41', '43', 'Construction'),
    ('G', '45', '47', 'Retail'), ('H', '49', '53', 'transport'), ('I', '55', '56', 'Hospitality'),
    ('J', '58', '63', 'ICT'), ('K', '64', '66', 'finance'), ('L', '68', '68', 'Real estate'),
    ('M', '69', '75', 'professional'), ('N', '77', '82', 'Admin'), ('O', '84', '84', 'public'),
    ('P', '85', '85', 'Education'), ('Q', '86', '88', 'health'), ('R', '90', '93', 'Arts'),
    ('S', '94', '96', 'other services'), ('T', '97', '98', 'Households'), ('U', '99', '99', 'extra')
  ) v(section, lo, hi, label)
), e AS (
  SELECT Edukey, TaxYear, Earnings, Main_SIC2007, SUBSTRING(Main_SIC2007, 1, 2) AS division,
    CASE WHEN LEN(Main_SIC2007) = 5 AND CHARINDEX('0', Main_SIC2007, 3) = 0 THEN 'full'
         ELSE 'padded' END AS detail
  FROM [LEO_i2].[2002237].[leo_earnings]
  WHERE Earnings > 0 AND Main_SIC2007 IS NOT NULL AND TaxYear BETWEEN 201718 AND 201920
)
SELECT s.label AS industry, e.TaxYear, COUNT(*) AS earners,
  COUNT(DISTINCT e.division) AS divisions, AVG(e.Earnings) AS mean_int,
  SUM(CAST(e.Earnings AS MONEY)) / COUNT(*) AS mean_money,
  CAST(SUM(CAST(e.Earnings AS MONEY)) / COUNT(*) * 12 AS DECIMAL(12, 2)) AS times_12,
  SUM(CASE WHEN e.detail = 'FULL' THEN 1 ELSE 0 END) AS full_codes,
  CEILING(MAX(CAST(e.Earnings AS MONEY)) / 1000) AS top_thousands
FROM e JOIN sections s ON e.division BETWEEN s.lo AND s.hi
GROUP BY s.label, e.TaxYear
ORDER BY industry, e.TaxYear
""",
    "furlough_months_from_the_cjrs_indicators_unpivoted": """
SET NOCOUNT ON
;WITH months AS (
  SELECT c.EDUKEY, c.TAXYEAR, m.n,
    EOMONTH(DATEFROMPARTS(CAST(LEFT(c.TAXYEAR, 4) AS INT), 4, 1), m.n - 1) AS month_end,
    SUBSTRING(c.CJRS_EOM_IND, m.n, 1) AS eom, SUBSTRING(c.CJRS_DTM_IND, m.n, 1) AS dtm
  FROM [LEO_i2].[2002237].[leo_cjrs] c
  CROSS APPLY (VALUES (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12)) m(n)
), counts AS (
  SELECT CONVERT(VARCHAR(7), month_end, 126) AS ym, DATENAME(month, month_end) AS month_name,
    DATEPART(quarter, month_end) AS q,
    SUM(CASE WHEN eom = '1' THEN 1 ELSE 0 END) AS End_of_month,
    SUM(CASE WHEN dtm = '1' THEN 1 ELSE 0 END) AS during_month
  FROM months
  GROUP BY CONVERT(VARCHAR(7), month_end, 126), DATENAME(month, month_end),
    DATEPART(quarter, month_end)
)
SELECT u.ym, u.month_name, u.q, u.measure, u.people,
  SUM(u.people) OVER (PARTITION BY u.measure ORDER BY u.ym ROWS UNBOUNDED PRECEDING) AS months,
  (SELECT COUNT(*) FROM [LEO_i2].[2002237].[leo_seiss] s
   WHERE SUBSTRING(s.SEISS_DTM_IND, DATEDIFF(month, '2020-04-01', u.ym + '-01') + 1, 1) = '1'
  ) AS seiss
FROM counts UNPIVOT (people FOR measure IN (End_of_month, during_month)) u
WHERE u.ym >= '2020-03' AND u.people > 0
ORDER BY u.ym, u.measure
""",
    "benefit_spells_by_groups_of_codes_split_from_a_list": """
SET NOCOUNT ON
CREATE TABLE #groups (grp VARCHAR(20), codes VARCHAR(100))
INSERT INTO #groups VALUES ('UC out of work', 'UAA,UBC,uce,UDF'), ('UC in work', 'UAB, UBD,una'),
  ('legacy out of work', 'JSA;ESA;IB;IS'), ('Disability', 'DLA,PIP')
SELECT g.grp, LTRIM(s.value) AS code, COUNT(b.EduKey) AS spells,
  COUNT(DISTINCT b.EduKey) AS people, MIN(YEAR(b.StartDate)) AS first_year,
  DATENAME(month, MIN(b.StartDate)) AS first_month,
  AVG(DATEDIFF(day, b.StartDate, CASE WHEN b.EndDate = '9999-12-31' THEN '2021-04-05'
                                     ELSE b.EndDate END)) AS mean_days,
  SUM(CASE WHEN e.EduKey IS NOT NULL THEN 1 ELSE 0 END) AS overlapping_paye
FROM #groups g
CROSS APPLY STRING_SPLIT(REPLACE(g.codes, ';', ','), ',') s
LEFT JOIN [LEO_i2].[2002237].[leo_benefit] b ON b.Benefit_type = LTRIM(s.value)
OUTER APPLY (SELECT TOP 1 m.EduKey FROM [LEO_i2].[2002237].[leo_employment] m
             WHERE m.EduKey = b.EduKey AND m.StartDate <= b.EndDate AND m.EndDate >= b.StartDate) e
GROUP BY g.grp, LTRIM(s.value)
ORDER BY g.grp, code
""",
    "regional_movers_by_lag_and_islands": """
SET NOCOUNT ON
;WITH g AS (
  SELECT Edukey, TaxYear, GORNM,
    LAG(GORNM) OVER (PARTITION BY Edukey ORDER BY TaxYear) AS prev_region,
    ROW_NUMBER() OVER (PARTITION BY Edukey ORDER BY TaxYear)
      - ROW_NUMBER() OVER (PARTITION BY Edukey, GORNM ORDER BY TaxYear) AS island
  FROM [LEO_i2].[2002237].[leo_geography]
), spells AS (
  SELECT Edukey, GORNM, island, COUNT(*) AS years FROM g GROUP BY Edukey, GORNM, island
), moves AS (
  SELECT GORNM AS region, COUNT(*) AS arrivals, COUNT(DISTINCT Edukey) AS movers
  FROM g WHERE prev_region <> GORNM GROUP BY GORNM
)
SELECT s.GORNM, COUNT(*) AS spells, AVG(s.years) AS mean_years,
  CAST(AVG(s.years * 1.0) AS DECIMAL(6, 3)) AS mean_years_dec, MAX(s.years) AS longest,
  ROUND(STDEV(s.years), 4) AS sd, ROUND(STDEVP(s.years), 4) AS sdp, ROUND(VAR(s.years), 4) AS v,
  MAX(m.arrivals) AS arrivals, MAX(m.movers) AS movers,
  SUM(COUNT(*)) OVER (ORDER BY s.GORNM ROWS UNBOUNDED PRECEDING) AS running
FROM spells s LEFT JOIN moves m ON m.region = s.GORNM
WHERE s.GORNM IS NOT NULL
GROUP BY s.GORNM ORDER BY s.GORNM
""",
    "first_sustained_employment_after_gaps_of_more_than_a_day": """
SET NOCOUNT ON
;WITH sp AS (
  SELECT EduKey, StartDate,
    CASE WHEN EndDate = '9999-12-31' THEN CAST('2021-04-05' AS DATE) ELSE EndDate END AS EndDate
  FROM [LEO_i2].[2002237].[leo_employment]
), gaps AS (
  SELECT EduKey, StartDate, EndDate,
    DATEDIFF(day, LAG(EndDate) OVER (PARTITION BY EduKey ORDER BY StartDate, EndDate),
             StartDate) AS gap_days
  FROM sp
), flagged AS (
  SELECT *, SUM(CASE WHEN gap_days IS NULL OR gap_days > 1 THEN 1 ELSE 0 END)
     OVER (PARTITION BY EduKey ORDER BY StartDate, EndDate ROWS UNBOUNDED PRECEDING) AS island
  FROM gaps
), islands AS (
  SELECT EduKey, island, MIN(StartDate) AS s, MAX(EndDate) AS e FROM flagged
  GROUP BY EduKey, island
), firsts AS (
  SELECT TOP (1) WITH TIES EduKey, s, e FROM islands WHERE DATEDIFF(day, s, e) >= 364
  ORDER BY ROW_NUMBER() OVER (PARTITION BY EduKey ORDER BY s)
)
SELECT YEAR(s) AS start_year, DATEPART(quarter, s) AS q, COUNT(*) AS people,
  AVG(DATEDIFF(month, s, e)) AS mean_months, MIN(DATENAME(weekday, s)) AS a_weekday,
  SUM(COUNT(*)) OVER (ORDER BY YEAR(s), DATEPART(quarter, s) ROWS UNBOUNDED PRECEDING) AS so_far
FROM firsts WHERE s >= '2010-01-01'
GROUP BY YEAR(s), DATEPART(quarter, s) ORDER BY start_year, q
""",
}
"""Scripts as analysts write them, each ending in a result set that ``ORDER BY`` fixes."""
PAYE_AND_SELF_EMPLOYMENT = (Path(__file__).parent.parent / "examples" / "srs"
                            / "86_paye_and_self_employment_by_tax_year.sql")
"""PAYE beside self-assessment per tax year (run on every backend by ``test_srs_corpus``)."""


@pytest.mark.parametrize("name", sorted(SCRIPTS))
@pytest.mark.parametrize("backend", BACKENDS)
def test_hmrc_and_dwp_scripts_print_the_same_table_on_every_backend(
        backend: str, name: str, request: pytest.FixtureRequest, small_sqlite) -> None:
    printed_as_on_sqlite(request, backend, small_sqlite, SCRIPTS[name])


@pytest.mark.parametrize("backend", BACKENDS)
def test_income_labels_of_a_cte_are_in_the_collations_order(
        backend: str, request: pytest.FixtureRequest) -> None:
    # the targets ordered every capital first: PAYE only, SA only, both, neither
    rows = _values(_db(request, backend), PAYE_AND_SELF_EMPLOYMENT.read_text(encoding="utf-8"))
    years = sorted({row[0] for row in rows})
    assert [row[1] for row in rows] == ["both", "neither", "PAYE only", "SA only"] * len(years)


@pytest.mark.parametrize("backend", BACKENDS)
def test_text_a_derived_table_makes_is_ordered_grouped_and_compared_ignoring_case(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _values(db, """SELECT x.k FROM (SELECT 'Earnings' AS k UNION ALL SELECT 'enterprise'
  UNION ALL SELECT 'Section') x ORDER BY x.k""") == [("Earnings",), ("enterprise",), ("Section",)]
    assert _values(db, """;WITH t AS (SELECT CASE WHEN n < 3 THEN 'PAYE only' WHEN n < 5
  THEN 'Both' ELSE 'both' END AS status FROM (VALUES (1), (2), (3), (4), (5)) v(n))
SELECT COUNT(DISTINCT status) AS kinds, SUM(CASE WHEN status = 'paye ONLY' THEN 1 ELSE 0 END)
  AS paye, MIN(status) AS first FROM t""") == [(2, 2, "Both")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_unpivots_names_are_ordered_and_compared_ignoring_case(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    source = """FROM (SELECT 1 AS Earnings, 2 AS enterprise_earnings, 3 AS Section_Earnings) e
UNPIVOT (pay FOR kind IN (Earnings, enterprise_earnings, Section_Earnings)) u"""
    assert _values(db, f"SELECT u.kind, u.pay {source} ORDER BY u.kind") == [
        ("Earnings", 1), ("enterprise_earnings", 2), ("Section_Earnings", 3)]
    assert _values(db, f"SELECT u.pay {source} WHERE u.kind = 'SECTION_earnings'") == [(3,)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_string_splits_parts_are_grouped_ignoring_case(
        backend: str, request: pytest.FixtureRequest) -> None:
    # DuckDB and PostgreSQL made five groups
    rows = _values(_db(request, backend), """SELECT LOWER(value) AS part, COUNT(*) AS n
FROM STRING_SPLIT('a,B,b,A,c', ',') GROUP BY value ORDER BY part""")
    assert rows == [("a", 2), ("b", 2), ("c", 1)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_split_leaves_a_later_tables_integer_value_column_an_integer(
        backend: str, request: pytest.FixtureRequest) -> None:
    # the split's value was marked text for the whole session: AVG of the int gave 1.5
    rows = _values(_db(request, backend), """SELECT COUNT(*) AS n FROM STRING_SPLIT('a,b', ',')
CREATE TABLE #v (value INT)
INSERT INTO #v VALUES (1), (2)
SELECT AVG(value) AS mean FROM #v""")
    assert rows == [(1,)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_money_divided_by_money_or_an_integer_is_money_cut_off_at_four_places(
        backend: str, request: pytest.FixtureRequest) -> None:
    # SQLite showed 0.2949852507 and 2949.852507, PostgreSQL twenty places
    assert _texts(_db(request, backend), """DECLARE @pay MONEY = 100
SELECT @pay / 339 AS a, @pay / CAST(339 AS MONEY) * 10000 AS b, CAST(-7 AS MONEY) / 3 AS c,
  CAST(57 AS MONEY) / 100 AS d, CAST(10 AS MONEY) / 3 * 3 AS e, CAST(7 AS MONEY) / 2.5 AS f,
  CEILING(CAST(-2.5 AS MONEY)) AS g, FLOOR(CAST(2.75 AS MONEY)) AS h""") == [
        ("0.2949", "2949.0000", "-2.3333", "0.5700", "9.9999", "2.8000000", "-2.0000",
         "2.0000")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_mean_of_money_over_a_count_is_money(
        backend: str, request: pytest.FixtureRequest) -> None:
    rows = _values(_db(request, backend), """SELECT SUM(CAST(x AS MONEY)) / COUNT(*) AS m
FROM (VALUES (1), (2), (2)) v(x)""")
    assert rows == [(Decimal("1.6666"),)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_average_of_an_integer_made_from_an_earlier_ctes_integer_is_an_integer(
        backend: str, request: pytest.FixtureRequest) -> None:
    # the targets gave 173613.8363-like means: the later CTE had been read first
    assert _values(_db(request, backend), """;WITH p AS (
  SELECT k, SUM(x) AS pay FROM (VALUES (1, 10), (1, 5), (2, 2)) v(k, x) GROUP BY k
), s AS (SELECT k, ISNULL(pay, 0) + 0 AS total FROM p)
SELECT AVG(total) AS a, AVG(total * 1.0) AS b FROM s""") == [(8, Decimal("8.500000"))]


@pytest.mark.parametrize("backend", BACKENDS)
def test_approximate_percentiles_of_sql_server_2022_stop_in_one_line(
        backend: str, request: pytest.FixtureRequest) -> None:
    # grouped, it stopped with "Column 'Earnings' is invalid in the select list ...",
    # which sent the reader to its GROUP BY
    with pytest.raises(ScriptError, match=r"^line 2: 'APPROX_PERCENTILE_CONT' is not a "
                                          r"recognized built-in function name: T-SQL has "
                                          r"PERCENTILE_CONT\(0\.5\) WITHIN GROUP"):
        _values(_db(request, backend), """SELECT Main_Section,
  APPROX_PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY Earnings) AS median_pay
FROM [LEO_i2].[2002237].[leo_earnings] GROUP BY Main_Section""")
