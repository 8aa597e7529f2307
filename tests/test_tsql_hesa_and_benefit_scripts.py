"""`leo-synth sql`: scripts as LEO analysts in the SRS write them over HESA qualifiers and their
earnings by subject years after graduation (YAG), DWP benefit spells, PAYE pay beside
self-assessment and the IDBR industry of the main employer, run on every backend, their
answers the same on each (the YAG medians by subject and the out-of-work benefit spells after
leaving education are ``examples/srs/85`` and ``87``, which ``test_srs_corpus`` runs so):
``PERCENTILE_CONT``/``PERCENTILE_DISC ... WITHIN GROUP ... OVER``, ``STRING_AGG ... WITHIN
GROUP``, ``TOP (n) WITH TIES``, ``EOMONTH``, ``LAG``/``LEAD`` with a default, running sums in
``ROWS`` and ``RANGE`` frames, ``NOT IN`` over a ``NULL``, ``OFFSET ... FETCH``, ``CROSS`` and
``OUTER APPLY``, ``ALTER TABLE ... ADD`` and ``MERGE``. And what SQL Server does that the
targets did not:

- ``MERGE`` with two ``WHEN MATCHED ... UPDATE`` clauses (or two ``WHEN NOT MATCHED BY
  SOURCE`` ones) chooses each row's clause before any clause acts: the second clause took
  the rows the first had just updated (``WHEN MATCHED AND t.status IS NULL THEN UPDATE SET
  status = 'new' WHEN MATCHED THEN UPDATE SET status = 'seen'`` left every row 'seen'), and
  ``@@ROWCOUNT`` counted them twice;
- ``AVG`` or ``SUM`` of a ``DATE`` is error 8117 (SQLite averaged the dates' years, DuckDB
  gave a moment);
- a ranking or offset function (``LAG``, ``ROW_NUMBER``, ...) takes no window frame (error
  10752): every target ran it.
- ``AVG`` of integer columns unpivoted by ``CROSS APPLY (VALUES ('PTR', s.EARNINGS_PTR), ...)
  v(kind, amount)`` is an integer: every target gave the fraction.
"""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db
from test_tsql_fe_and_benefit_spell_scripts import printed_as_on_sqlite
from test_tsql_linkage_and_fixed_width_scripts import _values

from leo_synth.tsql.errors import ScriptError

SCRIPTS = {
    "hesa_qualifiers_and_yag_earnings_by_subject": """
SET NOCOUNT ON
IF OBJECT_ID('tempdb..#q') IS NOT NULL DROP TABLE #q
SELECT HE_PUPILMATCHINGREFANONYMOUS AS pmr, HE_XJACSA01_1 AS area, HE_XCLASS01 AS class,
       HE_ENDDATE AS end_date, HE_SEXID AS sex
INTO #q
FROM [HESA_i2].[2002237].[hesa_2014]
WHERE HE_XQOBTN01 LIKE 'H%' AND HE_ENDDATE IS NOT NULL
INSERT INTO #q
SELECT HE_PUPILMATCHINGREFANONYMOUS, HE_XJACSA01_1, HE_XCLASS01, HE_ENDDATE, HE_SEXID
FROM [HESA_i2].[2002237].[hesa_2015]
WHERE HE_XQOBTN01 LIKE 'H%' AND HE_ENDDATE IS NOT NULL
ALTER TABLE #q ADD left_ty INT NULL, eom DATE NULL, days_to_april INT
UPDATE #q SET left_ty = YEAR(end_date)
    - CASE WHEN end_date < DATEFROMPARTS(YEAR(end_date), 4, 6) THEN 1 ELSE 0 END,
  eom = EOMONTH(end_date, 1),
  days_to_april = DATEDIFF(DAY, end_date, DATEFROMPARTS(YEAR(end_date) + 1, 4, 5))
;WITH pay AS (
  SELECT q.pmr, q.area, SUM(e.Earnings) AS pay
  FROM #q q
  JOIN [LEO_i2].[2002237].[learner_ae_id_to_pmr_lookup] p ON p.PUPILMATCHINGREFANONYMOUS = q.pmr
  JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] k ON k.AE_ID = p.AE_ID
  JOIN [LEO_i2].[2002237].[leo_earnings] e ON e.Edukey = k.EDUKEY
    AND e.TaxYear = (q.left_ty + 1) * 100 + (q.left_ty + 2) % 100
  GROUP BY q.pmr, q.area
), medians AS (
  SELECT DISTINCT area,
    PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY pay) OVER (PARTITION BY area) AS med_disc,
    PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY pay) OVER (PARTITION BY area) AS med_cont,
    PERCENTILE_CONT(0.1) WITHIN GROUP (ORDER BY pay DESC) OVER (PARTITION BY area) AS p90,
    AVG(pay) OVER (PARTITION BY area) AS mean_int, AVG(pay * 1.0) OVER (PARTITION BY area) AS mean
  FROM pay
)
SELECT q.area, COUNT(*) AS n, SUM(CASE WHEN q.class IN ('01', '02') THEN 1 ELSE 0 END) AS good,
  SUM(CASE WHEN q.class IN ('01', '02') THEN 1 ELSE 0 END) * 100 / COUNT(*) AS pct_int,
  CAST(SUM(CASE WHEN q.class IN ('01', '02') THEN 1 ELSE 0 END) * 100.0 / COUNT(*)
       AS DECIMAL(5, 2)) AS pct,
  STRING_AGG(q.class, '|') WITHIN GROUP (ORDER BY q.class DESC) AS classes,
  MIN(q.eom) AS first_eom, AVG(q.days_to_april) AS days,
  MAX(m.med_disc) AS med_disc, MAX(m.med_cont) AS med_cont, MAX(m.p90) AS p90,
  MAX(m.mean_int) AS mean_int, MAX(m.mean) AS mean
FROM #q q LEFT JOIN medians m ON m.area = q.area
GROUP BY q.area ORDER BY q.area
""",
    "out_of_work_benefit_spells_with_gaps_and_running_days": """
SET NOCOUNT ON
SELECT EduKey, StartDate, EndDate, Benefit_type,
  LAG(EndDate) OVER (PARTITION BY EduKey ORDER BY StartDate, Benefit_type) AS prev_end,
  LEAD(StartDate, 1, '9999-12-31') OVER (PARTITION BY EduKey ORDER BY StartDate, Benefit_type)
    AS next_start,
  DATEDIFF(DAY, LAG(EndDate) OVER (PARTITION BY EduKey ORDER BY StartDate, Benefit_type),
           StartDate) AS gap,
  ROW_NUMBER() OVER (PARTITION BY EduKey ORDER BY StartDate, Benefit_type) AS spell_no,
  SUM(DATEDIFF(DAY, StartDate, CASE WHEN EndDate > '2021-03-31' THEN '2021-03-31' ELSE EndDate
                                END) + 1)
    OVER (PARTITION BY EduKey ORDER BY StartDate, Benefit_type
          ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running_days,
  COUNT(*) OVER (PARTITION BY EduKey ORDER BY YEAR(StartDate)
                 RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS by_year_end
INTO #s
FROM [LEO_i2].[2002237].[leo_benefit]
WHERE Out_of_work_benefit = 1
SELECT Benefit_type, COUNT(*) AS spells, AVG(gap) AS mean_gap, MAX(running_days) AS most_days,
  SUM(CASE WHEN gap <= 28 THEN 1 ELSE 0 END) AS linked, ROUND(AVG(CAST(gap AS FLOAT)), 3) AS fgap,
  MIN(next_start) AS min_next, MAX(by_year_end) AS most_in_years,
  (SELECT COUNT(*) FROM #s s2 WHERE s2.Benefit_type = s.Benefit_type
     AND s2.EduKey NOT IN (SELECT Edukey FROM [LEO_i2].[2002237].[leo_earnings])) AS never_paid,
  (SELECT COUNT(*) FROM #s s3 WHERE s3.Benefit_type = s.Benefit_type
     AND s3.prev_end NOT IN (SELECT prev_end FROM #s)) AS not_in_null
FROM #s s GROUP BY Benefit_type ORDER BY Benefit_type
""",
    "longest_benefit_gaps_by_offset_and_fetch": """
SET NOCOUNT ON
;WITH g AS (
  SELECT EduKey, StartDate, DATEDIFF(DAY, LAG(EndDate) OVER (PARTITION BY EduKey
    ORDER BY StartDate, Benefit_type), StartDate) AS gap
  FROM [LEO_i2].[2002237].[leo_benefit]
)
SELECT EduKey, StartDate, gap, DATEADD(DAY, -gap, StartDate) AS prev_end,
  EOMONTH(StartDate) AS month_end
FROM g WHERE gap IS NOT NULL
ORDER BY gap DESC, EduKey, StartDate OFFSET 1 ROWS FETCH NEXT 6 ROWS ONLY
""",
    "paye_and_self_assessment_in_one_year_with_ties": """
SET NOCOUNT ON
SELECT s.Edukey AS sa_key, e.Edukey AS paye_key, s.EARNINGS_SELF_EMPLOYMENT AS se,
  e.Earnings AS paye
INTO #c FROM [LEO_i2].[2002237].[leo_self_assessment] s
FULL OUTER JOIN [LEO_i2].[2002237].[leo_earnings] e
  ON e.Edukey = s.Edukey AND e.TaxYear = s.TaxYear
WHERE COALESCE(s.TaxYear, e.TaxYear) = 201819
DECLARE @cut DECIMAL(10, 2) = 12570.00
SELECT * FROM (
SELECT TOP (6) WITH TIES CASE WHEN paye IS NULL THEN 'SA only' WHEN se IS NULL THEN 'PAYE only'
                             ELSE 'both' END AS band,
  ISNULL(se, 0) + ISNULL(paye, 0) AS total, COUNT(*) OVER () AS people,
  SUM(CAST(se AS DECIMAL(12, 2))) OVER () / COUNT(*) OVER () AS mean_se,
  @cut / 12 AS monthly_cut, CAST(@cut AS INT) / 7 AS weekly_int, @cut / 7 AS weekly,
  CAST(ISNULL(se, 0) + ISNULL(paye, 0) AS MONEY) / 12 AS monthly,
  CONVERT(VARCHAR(20), CAST(ISNULL(se, 0) + ISNULL(paye, 0) AS MONEY), 1) AS shown
FROM #c ORDER BY (ISNULL(se, 0) + ISNULL(paye, 0)) / 10000 DESC) top_earners
ORDER BY total DESC, band
""",
    "industry_of_the_main_employer_by_size_band": """
SET NOCOUNT ON
SELECT e.Edukey, e.Earnings, i.SECTIONNAME, i.Employees AS size_band,
  DATEDIFF(MONTH, i.Birth_month, DATEFROMPARTS(e.TaxYear / 100, 4, 6)) / 12 AS ent_age
INTO #m
FROM [LEO_i2].[2002237].[leo_earnings] e
JOIN [LEO_i2].[2002237].[idbr_lookup] i
  ON i.ENTKEY = e.main_enterprise AND i.SourceYear = CAST(e.TaxYear / 100 + 1 AS VARCHAR(4))
WHERE e.TaxYear = 201819
SELECT SECTIONNAME, size_band, COUNT(*) AS n,
  SUM(COUNT(*)) OVER (PARTITION BY SECTIONNAME ORDER BY size_band) AS running,
  SUM(COUNT(*)) OVER (PARTITION BY SECTIONNAME ORDER BY size_band
                      ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS two_bands,
  CONVERT(DECIMAL(6, 2), 100.0 * COUNT(*) / SUM(COUNT(*)) OVER (PARTITION BY SECTIONNAME))
    AS pct,
  AVG(ent_age) AS mean_age, STR(AVG(Earnings * 1.0), 10, 1) AS mean_pay,
  RANK() OVER (ORDER BY COUNT(*) DESC) AS rk
FROM #m GROUP BY SECTIONNAME, size_band ORDER BY SECTIONNAME, size_band
""",
    "benefit_summary_kept_by_merge_with_cross_and_outer_apply": """
SET NOCOUNT ON
CREATE TABLE #ben (EduKey VARCHAR(14) NOT NULL, spells INT, types VARCHAR(200), seen INT)
INSERT INTO #ben (EduKey, spells)
SELECT TOP (40) EduKey, COUNT(*) FROM [LEO_i2].[2002237].[leo_benefit]
WHERE Out_of_work_benefit = 1 GROUP BY EduKey ORDER BY EduKey
MERGE #ben AS t
USING (SELECT EduKey, COUNT(*) AS n,
         STRING_AGG(Benefit_type, ',') WITHIN GROUP (ORDER BY StartDate, Benefit_type) AS types
       FROM [LEO_i2].[2002237].[leo_benefit] GROUP BY EduKey) AS s
ON t.EduKey = s.EduKey
WHEN MATCHED AND s.n > t.spells THEN UPDATE SET spells = s.n, types = s.types, seen = 2
WHEN MATCHED THEN UPDATE SET types = s.types, seen = 1
WHEN NOT MATCHED BY TARGET AND s.EduKey < 'SYN1' THEN
  INSERT (EduKey, spells, types, seen) VALUES (s.EduKey, s.n, s.types, 0);
DECLARE @merged INT = @@ROWCOUNT
SELECT b.seen, COUNT(*) AS people, SUM(b.spells) AS spells, MAX(x.last_type) AS last_type,
  SUM(y.n_after) AS after_2018, MAX(LEN(b.types) - LEN(REPLACE(b.types, ',', '')) + 1) AS most,
  @merged AS merged
FROM #ben b
CROSS APPLY (SELECT TOP 1 Benefit_type AS last_type FROM [LEO_i2].[2002237].[leo_benefit] z
             WHERE z.EduKey = b.EduKey ORDER BY StartDate DESC, Benefit_type) x
OUTER APPLY (SELECT COUNT(*) AS n_after FROM [LEO_i2].[2002237].[leo_benefit] z
             WHERE z.EduKey = b.EduKey AND z.StartDate > '2018-01-01') y
GROUP BY b.seen ORDER BY b.seen
""",
}
"""Scripts as analysts write them, each ending in a result set that ``ORDER BY`` fixes."""


@pytest.mark.parametrize("name", sorted(SCRIPTS))
@pytest.mark.parametrize("backend", BACKENDS)
def test_hesa_benefit_and_hmrc_scripts_print_the_same_table_on_every_backend(
        backend: str, name: str, request: pytest.FixtureRequest, small_sqlite) -> None:
    printed_as_on_sqlite(request, backend, small_sqlite, SCRIPTS[name])


STATUSES = """CREATE TABLE #p (id INT, status VARCHAR(5), n INT)
INSERT INTO #p VALUES (1, NULL, 1), (2, 'old', 2), (3, NULL, 3), (4, 'old', 4), (5, NULL, 5),
  (6, 'old', 6)
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_merge_chooses_each_rows_clause_before_any_clause_acts(
        backend: str, request: pytest.FixtureRequest) -> None:
    # the second WHEN MATCHED took rows 1 and 3 after the first had set their status (all
    # 'seen'); the second BY SOURCE clause deleted row 5 after the first had set n = 0; and
    # @@ROWCOUNT counted 9
    rows = _values(_db(request, backend), STATUSES + """
MERGE #p AS t USING (VALUES (1, 10), (2, 20), (3, 30), (9, 90)) AS s (id, n) ON t.id = s.id
WHEN MATCHED AND t.status IS NULL THEN UPDATE SET status = 'new', n = s.n
WHEN MATCHED THEN UPDATE SET status = 'seen'
WHEN NOT MATCHED BY SOURCE AND t.n > 4 THEN UPDATE SET n = 0
WHEN NOT MATCHED BY SOURCE THEN DELETE
WHEN NOT MATCHED THEN INSERT (id, status, n) VALUES (s.id, 'ins', s.n);
SELECT p.*, @@ROWCOUNT AS rc INTO #r FROM #p p
SELECT r.*, (SELECT COUNT(*) FROM #r) AS total FROM #r r ORDER BY id""")
    assert rows == [(1, "new", 10, 7, 6), (2, "seen", 2, 7, 6), (3, "new", 30, 7, 6),
                    (5, None, 0, 7, 6), (6, "old", 0, 7, 6), (9, "ins", 90, 7, 6)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_merge_with_one_update_or_delete_clause_counts_as_before(
        backend: str, request: pytest.FixtureRequest) -> None:
    rows = _values(_db(request, backend), STATUSES + """
MERGE #p AS t USING (SELECT id, n * 10 AS n FROM #p WHERE id <= 2) AS s ON t.id = s.id
WHEN MATCHED AND t.status IS NULL THEN UPDATE SET n = s.n;
DECLARE @rc INT = @@ROWCOUNT
MERGE #p AS t USING (SELECT 3 AS id) AS s ON t.id = s.id
WHEN NOT MATCHED BY SOURCE AND t.status = 'old' THEN DELETE;
SELECT id, n, @rc AS first_rc, @@ROWCOUNT AS rc FROM #p ORDER BY id""")
    assert rows == [(1, 10, 1, 3), (3, 3, 1, 3), (5, 5, 1, 3)]


@pytest.mark.parametrize("statement, kind", [
    ("SELECT AVG(StartDate) AS mean_start FROM [LEO_i2].[2002237].[leo_benefit]", "avg"),
    ("SELECT Benefit_type, SUM(EndDate) FROM [LEO_i2].[2002237].[leo_benefit] "
     "GROUP BY Benefit_type", "sum"),
    (";WITH f AS (SELECT EduKey, MIN(StartDate) AS first_start "
     "FROM [LEO_i2].[2002237].[leo_benefit] GROUP BY EduKey) SELECT AVG(first_start) FROM f",
     "avg"),
    ("SELECT AVG(DISTINCT CAST(HE_ENDDATE AS DATE)) FROM [HESA_i2].[2002237].[hesa_2015]", "avg"),
])
@pytest.mark.parametrize("backend", BACKENDS)
def test_avg_or_sum_of_a_date_stops_with_error_8117(
        backend: str, statement: str, kind: str, request: pytest.FixtureRequest) -> None:
    # SQLite gave the mean of the dates' years (2012.2...), DuckDB a moment
    with pytest.raises(ScriptError,
                       match=rf"Operand data type date is invalid for {kind} operator\.$"):
        _values(_db(request, backend), statement)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_date_averaged_as_days_still_runs(backend: str,
                                            request: pytest.FixtureRequest) -> None:
    rows = _values(_db(request, backend), """SELECT DATEADD(DAY, AVG(DATEDIFF(DAY, '19000101',
  StartDate)), '19000101') AS mean_start, MIN(StartDate) AS first, MAX(StartDate) AS last,
  COUNT(StartDate) AS n
FROM (VALUES (CAST('2015-01-01' AS DATE)), ('2015-01-04'), ('2015-01-10')) v(StartDate)""")
    assert [tuple(str(v)[:10] for v in row) for row in rows] == [
        ("2015-01-05", "2015-01-01", "2015-01-10", "3")]


@pytest.mark.parametrize("function", [
    "LAG(EndDate)", "LEAD(StartDate, 1, '9999-12-31')", "ROW_NUMBER()", "RANK()",
    "DENSE_RANK()", "NTILE(4)", "PERCENT_RANK()", "CUME_DIST()"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_ranking_and_offset_functions_take_no_window_frame(
        backend: str, function: str, request: pytest.FixtureRequest) -> None:
    # every target ran them (the frame ignored, or read)
    name = function.split("(")[0]
    with pytest.raises(ScriptError, match=rf"The function '{name}' may not have a window "
                                          rf"frame\.$"):
        _values(_db(request, backend), f"""SELECT EduKey, {function} OVER (PARTITION BY EduKey
  ORDER BY StartDate ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS x
FROM [LEO_i2].[2002237].[leo_benefit]""")


@pytest.mark.parametrize("backend", BACKENDS)
def test_first_and_last_value_still_take_a_frame(backend: str,
                                                 request: pytest.FixtureRequest) -> None:
    rows = _values(_db(request, backend), """SELECT k,
  FIRST_VALUE(v) OVER (ORDER BY k ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS f,
  LAST_VALUE(v) OVER (ORDER BY k ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS l,
  LAG(v, 1, 0) OVER (ORDER BY k) AS p
FROM (VALUES (1, 10), (2, 20), (3, 30)) t(k, v) ORDER BY k""")
    assert rows == [(1, 10, 30, 0), (2, 10, 30, 10), (3, 20, 30, 20)]


@pytest.mark.parametrize("apply", ["CROSS APPLY", "OUTER APPLY"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_avg_of_integers_unpivoted_by_apply_values_is_an_integer(
        backend: str, apply: str, request: pytest.FixtureRequest) -> None:
    # the unpivot idiom's VALUES columns were not known as integers (sqlglot holds their names
    # on the APPLY): SQLite and DuckDB gave 10.5, PostgreSQL 10.5000000000000000
    db = _db(request, backend)
    rows = _values(db, f"""CREATE TABLE #sa (k INT, ptr INT, sole INT)
INSERT INTO #sa VALUES (1, 10, 3), (2, 11, NULL), (3, NULL, 4)
SELECT v.kind, AVG(v.amount) AS mean, SUM(v.amount) AS total, COUNT(v.amount) AS n
FROM #sa s {apply} (VALUES ('ptr', s.ptr), ('sole', s.sole)) AS v(kind, amount)
GROUP BY v.kind ORDER BY v.kind""")
    assert rows == [("ptr", 10, 21, 2), ("sole", 3, 7, 2)]
    [(unpivoted, plain)] = _values(db, f"""SELECT
  (SELECT AVG(v.amount) FROM [LEO_i2].[2002237].[leo_self_assessment] s
   {apply} (VALUES (s.EARNINGS_SOLE)) v(amount)) AS unpivoted,
  (SELECT AVG(EARNINGS_SOLE) FROM [LEO_i2].[2002237].[leo_self_assessment]) AS plain""")
    assert unpivoted == plain and isinstance(plain, int) and plain > 1000
