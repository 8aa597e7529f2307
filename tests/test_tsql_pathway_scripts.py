"""`leo-synth sql`: scripts as LEO analysts in the SRS write them to follow people across
sources, run on every backend, their answers the same on each: KS4 cohorts followed to KS5,
UCAS, HESA and PAYE earnings as pathways built by ``STRING_AGG(stage, ' > ') WITHIN GROUP
(ORDER BY yr)``; out-of-work benefit days per tax year over a calendar made by a recursive CTE
(``OPTION (MAXRECURSION 0)``), a tally of ``sys.all_objects`` and ``master..spt_values``;
NCCIS activity moving between consecutive years (``LEAD(status) OVER``, sankey counts); the
first PAYE year, first benefit and latest job of people with several EDUKEYs (lateral
subqueries in the select list, ``OUTER APPLY`` and ``CROSS APPLY (SELECT TOP (1) ...)``); KS4
pupils found in the ILR, on benefits, in both or neither by a ``FULL OUTER JOIN`` with
``COALESCE`` of ids, by academic year of birth (destinations sustained in both terms after KS4,
by ``&`` of 0/1 flags, and pathways with ``INTERSECT`` and ``EXCEPT`` of a #temp table's
``CHAR(18)`` keys are ``examples/srs/78`` and ``79``, which ``test_srs_corpus`` runs so). And
what SQL Server does that the targets did not:

- ``INTERSECT``, ``EXCEPT`` and ``UNION`` compare text as ``=`` does, ignoring trailing spaces:
  a #temp table's ``CHAR(20)`` PMR, stored padded as SQL Server stores it, ``INTERSECT`` the
  PMR lookup's kept no pupil (``EXCEPT`` all of them, ``UNION`` each twice);
- ``&``, ``|``, ``^`` and ``~`` of integers are integers (``AVG(autumn & spring)`` truncated,
  ``SUM(autumn & spring) * 1.0`` one place, ``AVG(SUM(autumn & spring) * 1.0) OVER (...)``
  six), SQLite had no ``^`` ("unrecognized token"), ``~v * 1.0`` is ``(~v) * 1.0``
  (PostgreSQL stopped) and ``a & b + c`` is ``(a & b) + c``, as T-SQL ranks ``&``, ``^`` and
  ``|`` with ``+`` and ``-`` (every target gave ``a & (b + c)``).
"""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db
from test_tsql_fe_and_benefit_spell_scripts import printed_as_on_sqlite
from test_tsql_linkage_and_fixed_width_scripts import _values

SCRIPTS = {
    "ks4_pathways_as_strings": """
SET NOCOUNT ON
-- KS4 cohorts 2008/09-2010/11 followed to KS5, UCAS, HESA and PAYE earnings
IF OBJECT_ID('tempdb..#cohort') IS NOT NULL DROP TABLE #cohort
SELECT DISTINCT k.KS4_PupilMatchingRefAnonymous AS pmr,
  CAST(LEFT(k.KS4_ACADYR, 4) AS INT) AS ks4_year
INTO #cohort
FROM [NPD_i2].[2002237].[KS4Pupil_2002_to_2014] k
WHERE k.KS4_ACADYR IN ('2008/2009', '2009/2010', '2010/2011')

IF OBJECT_ID('tempdb..#events') IS NOT NULL DROP TABLE #events
CREATE TABLE #events (pmr VARCHAR(18), stage VARCHAR(10), yr INT)
INSERT INTO #events
SELECT c.pmr, 'KS4', c.ks4_year FROM #cohort c
INSERT INTO #events
SELECT c.pmr, 'KS5', MIN(CAST(LEFT(s.KS5_ACADYR, 4) AS INT))
FROM #cohort c JOIN [NPD_i2].[2002237].[KS5Student_2002_to_2021] s
  ON s.KS5_PupilMatchingRefAnonymous = c.pmr
GROUP BY c.pmr
INSERT INTO #events
SELECT c.pmr, CASE WHEN MAX(u.accept_flag) = 1 THEN 'UCAS acc' ELSE 'UCAS app' END,
  MIN(u.application_cycle) - 1
FROM #cohort c JOIN [UCAS_i2].[2002237].[ucas_2007_to_2021] u ON u.PupilMatchingRefAnonymous = c.pmr
GROUP BY c.pmr
INSERT INTO #events
SELECT pmr, 'HESA', MIN(yr) FROM (
  SELECT h.HE_PUPILMATCHINGREFANONYMOUS AS pmr, 2011 AS yr FROM [HESA_i2].[2002237].[hesa_2012] h
  UNION ALL SELECT HE_PUPILMATCHINGREFANONYMOUS, 2012 FROM [HESA_i2].[2002237].[hesa_2013]
  UNION ALL SELECT HE_PUPILMATCHINGREFANONYMOUS, 2013 FROM [HESA_i2].[2002237].[hesa_2014]
  UNION ALL SELECT HE_PUPILMATCHINGREFANONYMOUS, 2014 FROM [HESA_i2].[2002237].[hesa_2015]) h
WHERE EXISTS (SELECT 1 FROM #cohort c WHERE c.pmr = h.pmr)
GROUP BY pmr
INSERT INTO #events
SELECT c.pmr, 'PAYE', MIN(e.TaxYear / 100)
FROM #cohort c
JOIN [LEO_i2].[2002237].[learner_ae_id_to_pmr_lookup] p ON p.PUPILMATCHINGREFANONYMOUS = c.pmr
JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] k ON k.AE_ID = p.AE_ID
JOIN [LEO_i2].[2002237].[leo_earnings] e ON e.Edukey = k.EDUKEY
WHERE e.Earnings > 0
GROUP BY c.pmr

;WITH paths AS (
  SELECT pmr, STRING_AGG(stage, ' > ') WITHIN GROUP (ORDER BY yr, stage) AS pathway,
    COUNT(*) AS stages
  FROM #events GROUP BY pmr)
SELECT TOP (12) pathway, COUNT(*) AS pupils,
  CAST(100.0 * COUNT(*) / SUM(COUNT(*)) OVER () AS DECIMAL(5, 1)) AS pct,
  MAX(stages) AS stages
FROM paths
GROUP BY pathway
ORDER BY pupils DESC, pathway
""",
    "out_of_work_benefit_days_by_tax_year_calendar": """
SET NOCOUNT ON
-- a calendar of tax years by recursion and by tally, benefit days per tax year
;WITH ty AS (
  SELECT CAST('2010-04-06' AS DATE) AS ty_start, 2010 AS y
  UNION ALL
  SELECT DATEADD(YEAR, 1, ty_start), y + 1 FROM ty WHERE y < 2020)
SELECT y, ty_start, DATEADD(DAY, -1, DATEADD(YEAR, 1, ty_start)) AS ty_end INTO #ty FROM ty
OPTION (MAXRECURSION 0)

;WITH tally AS (
  SELECT TOP (12) ROW_NUMBER() OVER (ORDER BY (SELECT NULL)) - 1 AS n
  FROM sys.all_objects a CROSS JOIN sys.all_objects b)
SELECT n, DATEADD(MONTH, n, '2015-04-01') AS m INTO #months FROM tally

SELECT number FROM master..spt_values WHERE type = 'P' AND number BETWEEN 1 AND 3

SELECT t.y, COUNT(DISTINCT b.EduKey) AS claimants,
  SUM(DATEDIFF(DAY,
      CASE WHEN b.StartDate > t.ty_start THEN b.StartDate ELSE t.ty_start END,
      CASE WHEN b.EndDate < t.ty_end THEN b.EndDate ELSE t.ty_end END) + 1) AS days,
  (SELECT COUNT(*) FROM #months) AS months
FROM #ty t
LEFT JOIN [LEO_i2].[2002237].[leo_benefit] b
  ON b.StartDate <= t.ty_end AND b.EndDate >= t.ty_start AND b.Out_of_work_benefit = 1
GROUP BY t.y
ORDER BY 1
""",
    "nccis_transitions_between_years_by_lead": """
SET NOCOUNT ON
-- NCCIS status per person per year, sankey transitions with LEAD
;WITH m AS (
  SELECT n.NCCIS_PupilMatchingRefAnonymous AS pmr,
    CAST(LEFT(n.NCCIS_ACADYR, 4) AS INT) AS yr,
    CASE WHEN n.NCCIS_Current_Activity_Code BETWEEN 200 AND 299 THEN 'EDU'
         WHEN n.NCCIS_Current_Activity_Code BETWEEN 300 AND 499 THEN 'EMP'
         WHEN n.NCCIS_Current_Activity_Code BETWEEN 540 AND 699 THEN 'NEET'
         ELSE 'UNK' END AS status,
    ROW_NUMBER() OVER (PARTITION BY n.NCCIS_PupilMatchingRefAnonymous, n.NCCIS_ACADYR
      ORDER BY CASE WHEN n.NCCIS_MonthNo < 9 THEN n.NCCIS_MonthNo + 12
        ELSE n.NCCIS_MonthNo END DESC,
        n.NCCIS_Current_Activity_Code) AS rn
  FROM [NPD_i2].[2002237].[nccis_2011_to_2021] n),
y AS (SELECT pmr, yr, status, LEAD(status) OVER (PARTITION BY pmr ORDER BY yr) AS next_status,
         LEAD(yr) OVER (PARTITION BY pmr ORDER BY yr) AS next_yr
      FROM m WHERE rn = 1)
SELECT status AS [from], ISNULL(next_status, 'gone') AS [to], COUNT(*) AS n,
  CAST(100.0 * COUNT(*) / SUM(COUNT(*)) OVER (PARTITION BY status) AS DECIMAL(5, 1)) AS pct_of_from,
  SUM(CASE WHEN next_yr = yr + 1 THEN 1 ELSE 0 END) AS consecutive,
  AVG(yr) AS mean_yr, AVG(yr * 1.0) AS mean_yr_dec
FROM y
GROUP BY status, ISNULL(next_status, 'gone')
ORDER BY [from], n DESC, [to]
""",
    "several_edukeys_per_person_by_apply": """
SET NOCOUNT ON
-- people with several EDUKEYs: first and last year in PAYE and in benefits per person
;WITH multi AS (
  SELECT AE_ID, COUNT(*) AS keys, MIN(EDUKEY) AS first_key,
    STRING_AGG(EDUKEY, ',') WITHIN GROUP (ORDER BY EDUKEY DESC) AS all_keys
  FROM [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup]
  GROUP BY AE_ID HAVING COUNT(*) > 1)
SELECT TOP (15) m.AE_ID % 100000 AS ae, m.keys, LEN(m.all_keys) AS len_keys,
  (SELECT MIN(e.TaxYear) FROM [LEO_i2].[2002237].[leo_earnings] e
     JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] k ON k.EDUKEY = e.Edukey
    WHERE k.AE_ID = m.AE_ID) AS first_paye,
  (SELECT TOP (1) b.Benefit_type FROM [LEO_i2].[2002237].[leo_benefit] b
     JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] k ON k.EDUKEY = b.EduKey
    WHERE k.AE_ID = m.AE_ID ORDER BY b.StartDate) AS first_benefit,
  CASE WHEN EXISTS (SELECT 1 FROM [LEO_i2].[2002237].[leo_employment] e
      WHERE e.EduKey = m.first_key) THEN 'Y' ELSE 'N' END AS emp_first_key,
  last_job.StartDate AS last_start, last_job.keys_with_jobs,
  x.TaxYear AS top_year, x.Earnings AS top_pay
FROM multi m
OUTER APPLY (SELECT TOP (1) e.StartDate,
     COUNT(*) OVER () AS keys_with_jobs
   FROM [LEO_i2].[2002237].[leo_employment] e
   JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] k ON k.EDUKEY = e.EduKey
   WHERE k.AE_ID = m.AE_ID ORDER BY e.StartDate DESC) last_job
CROSS APPLY (SELECT TOP (1) e.TaxYear, SUM(e.Earnings) AS Earnings
   FROM [LEO_i2].[2002237].[leo_earnings] e
   JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] k ON k.EDUKEY = e.Edukey
   WHERE k.AE_ID = m.AE_ID GROUP BY e.TaxYear ORDER BY SUM(e.Earnings) DESC, e.TaxYear) x
ORDER BY m.AE_ID
""",
    "ks4_in_ilr_and_benefits_by_academic_year_of_birth": """
SET NOCOUNT ON
-- KS4 pupils by academic year of birth: in the ILR, on out-of-work benefits, in both, in one
IF OBJECT_ID('tempdb..#ks4') IS NOT NULL DROP TABLE #ks4
SELECT DISTINCT k.KS4_PupilMatchingRefAnonymous AS pmr, p.AE_ID,
  -- academic year of birth: born September onwards belongs to the next year's cohort
  DATEFROMPARTS(k.KS4_YEAROFBIRTH, k.KS4_MONTHOFBIRTH, 1) AS born,
  k.KS4_YEAROFBIRTH - CASE WHEN k.KS4_MONTHOFBIRTH < 9 THEN 1 ELSE 0 END AS birth_ay
INTO #ks4
FROM [NPD_i2].[2002237].[KS4Pupil_2002_to_2014] k
LEFT JOIN [LEO_i2].[2002237].[learner_ae_id_to_pmr_lookup] p
  ON p.PUPILMATCHINGREFANONYMOUS = k.KS4_PupilMatchingRefAnonymous
WHERE k.KS4_ACADYR BETWEEN '2005/2006' AND '2009/2010'

;WITH ilr AS (
  SELECT DISTINCT r.AE_ID FROM [LILR_i2].[2002237].[learners] l
  JOIN [LEO_i2].[2002237].[education_records_lookup] r ON r.RECORDID = l.RECORDID),
ben AS (
  SELECT k.AE_ID,
    MIN(YEAR(b.StartDate) - CASE WHEN MONTH(b.StartDate) < 9 THEN 1 ELSE 0 END) AS first_ay
  FROM [LEO_i2].[2002237].[leo_benefit] b
  JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] k ON k.EDUKEY = b.EduKey
  WHERE b.Out_of_work_benefit = 1
  GROUP BY k.AE_ID),
both_sources AS (
  SELECT COALESCE(i.AE_ID, b.AE_ID) AS AE_ID,
    CASE WHEN i.AE_ID IS NOT NULL AND b.AE_ID IS NOT NULL THEN 'both'
         WHEN i.AE_ID IS NOT NULL THEN 'ILR only' ELSE 'benefits only' END AS found, b.first_ay
  FROM ilr i FULL OUTER JOIN ben b ON b.AE_ID = i.AE_ID)
SELECT c.birth_ay, COUNT(*) AS pupils,
  SUM(CASE WHEN c.AE_ID IS NULL THEN 1 ELSE 0 END) AS unmatched,
  SUM(CASE WHEN s.found = 'both' THEN 1 ELSE 0 END) AS [both],
  SUM(CASE WHEN s.found = 'ILR only' THEN 1 ELSE 0 END) AS ilr_only,
  SUM(CASE WHEN s.found = 'benefits only' THEN 1 ELSE 0 END) AS ben_only,
  SUM(CASE WHEN s.AE_ID IS NULL THEN 1 ELSE 0 END) AS neither,
  ROUND(100.0 * SUM(CASE WHEN s.found IN ('both', 'benefits only') THEN 1 ELSE 0 END)
    / COUNT(*), 1) AS pct_ben,
  AVG(s.first_ay - c.birth_ay) AS mean_age_first_ben,
  MIN(c.born) AS first_born
FROM #ks4 c
LEFT JOIN both_sources s ON s.AE_ID = c.AE_ID
GROUP BY c.birth_ay
HAVING COUNT(*) >= 5
ORDER BY 1
""",
}
"""Scripts as analysts write them, each ending in a result set that ``ORDER BY`` fixes."""


@pytest.mark.parametrize("name", sorted(SCRIPTS))
@pytest.mark.parametrize("backend", BACKENDS)
def test_pathway_scripts_print_the_same_table_on_every_backend(
        backend: str, name: str, request: pytest.FixtureRequest, small_sqlite) -> None:
    printed_as_on_sqlite(request, backend, small_sqlite, SCRIPTS[name])


@pytest.mark.parametrize("backend", BACKENDS)
def test_set_operations_compare_text_without_its_trailing_spaces(
        backend: str, request: pytest.FixtureRequest) -> None:
    # a CHAR(20) PMR holds two trailing spaces in SQL Server, which INTERSECT, EXCEPT and
    # UNION ignore as = does: every target compared every character (0, 50 and 100 pupils)
    db = _db(request, backend)
    assert _values(db, """SET NOCOUNT ON
CREATE TABLE #c (pmr CHAR(20), src CHAR(5))
INSERT INTO #c (pmr, src)
SELECT TOP (50) p.PUPILMATCHINGREFANONYMOUS, 'KS4'
FROM [LEO_i2].[2002237].[learner_ae_id_to_pmr_lookup] p ORDER BY p.PUPILMATCHINGREFANONYMOUS
SELECT
  (SELECT COUNT(*) FROM (SELECT pmr FROM #c
     INTERSECT SELECT PUPILMATCHINGREFANONYMOUS
     FROM [LEO_i2].[2002237].[learner_ae_id_to_pmr_lookup]) i),
  (SELECT COUNT(*) FROM (SELECT pmr FROM #c
     EXCEPT SELECT PUPILMATCHINGREFANONYMOUS
     FROM [LEO_i2].[2002237].[learner_ae_id_to_pmr_lookup]) e),
  (SELECT COUNT(*) FROM (SELECT pmr AS k FROM #c
     UNION SELECT PUPILMATCHINGREFANONYMOUS FROM [LEO_i2].[2002237].[learner_ae_id_to_pmr_lookup]
     WHERE PUPILMATCHINGREFANONYMOUS IN (SELECT pmr FROM #c)) u),
  (SELECT COUNT(*) FROM (SELECT src FROM #c INTERSECT SELECT 'KS4') s)""") == [(50, 0, 50, 1)]
    # INTERSECT first, NULLs alike; the rows kept are the first query's, named by it
    assert _values(db, """SET NOCOUNT ON
CREATE TABLE #c (pmr CHAR(20), src CHAR(5))
INSERT INTO #c VALUES ('A1', 'KS4'), ('B2', 'KS5'), ('C3', 'KS4'), (NULL, 'KS4')
DECLARE @h TABLE (pmr VARCHAR(18), src VARCHAR(5))
INSERT INTO @h VALUES ('A1', 'HESA'), ('C3 ', 'HESA'), (NULL, 'HESA')
SELECT RTRIM(pmr) AS pmr, RTRIM(src) AS src FROM (
  SELECT pmr, src FROM #c
  INTERSECT SELECT pmr, 'KS4' FROM @h
  UNION SELECT c.pmr, h.src FROM #c c JOIN @h h ON h.pmr = c.pmr
  EXCEPT SELECT 'C3', 'HESA  ') r
ORDER BY pmr, src""") == [(None, "KS4"), ("A1", "HESA"), ("A1", "KS4"), ("C3", "KS4")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_bitwise_operators_of_integers_are_integers(
        backend: str, request: pytest.FixtureRequest) -> None:
    # AVG(v & w) is an integer's average, truncated; SUM(v & w) * 1.0 has one place and
    # AVG(... * 1.0) six; SQLite stopped at ^ ("unrecognized token")
    db = _db(request, backend)
    assert _values(db, """DECLARE @t TABLE (g INT, v INT, w INT)
INSERT INTO @t VALUES (1, 1, 1), (2, 1, 0), (3, 1, 1)
SELECT AVG(v & w), AVG(v | 2), AVG(v ^ w), 6 ^ 3, -6 ^ 3, MAX(~v ^ w),
  CAST(SUM(v & w) * 1.0 AS VARCHAR(10)), CAST(AVG((v & w) * 1.0) AS VARCHAR(10)),
  CAST((SELECT MAX(v | w) FROM @t) / 2.0 AS VARCHAR(10)), CAST(AVG(~v * 1.0) AS VARCHAR(10))
FROM @t""") == [(0, 3, 0, 5, -7, -1, "2.0", "0.666667", "0.500000", "-2.000000")]
    assert _values(db, """DECLARE @t TABLE (g INT, v INT, w INT)
INSERT INTO @t VALUES (1, 1, 1), (2, 1, 0), (3, 1, 1)
;WITH c AS (SELECT g, MAX(v) AS autumn, MAX(w) AS spring FROM @t GROUP BY g)
SELECT g, CAST(SUM(autumn & spring) * 1.0 AS VARCHAR(10)),
  CAST(AVG(SUM(autumn & spring) * 1.0) OVER () AS VARCHAR(10))
FROM c GROUP BY g ORDER BY g""") == [(1, "1.0", "0.666667"), (2, "0.0", "0.666667"),
                                      (3, "1.0", "0.666667")]
    # &, ^ and | rank with + and -, read left to right (sqlglot read a & (b + c), and the
    # targets rank them below + too); ~ binds first
    assert _values(db, """DECLARE @a INT = 6, @b INT = 3, @c INT = 1
SELECT @a & @b + @c, @a + @b & @c, @a | @b & @c, @a & @b * 2, @a - @b | @c, @a ^ @b - @c,
  -@a & @b, ~@a + 1, CASE WHEN @a & 2 = 2 THEN 'y' ELSE 'n' END, @a & @b + @c * 2""") == [
        (3, 1, 1, 6, 3, 4, 2, -6, "y", 4)]
