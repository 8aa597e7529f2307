"""`leo-synth sql`: scripts as LEO analysts in the SRS write them over further education and
apprenticeships (the ILR aims, learners and LARS views, linked to HMRC pay and DWP benefits),
run on every backend, their answers the same on each: achievement rates of leavers in year by
level (ESFA's rules), apprenticeship starts by age band on 31 August, a learner's highest aim
of a year by ``ROW_NUMBER`` over a level ranking with the year's aims listed by ``CROSS APPLY
(SELECT STRING_AGG(...) WITHIN GROUP (ORDER BY ...))``, aims spanning academic years
(``DATEDIFF`` in months, ``EOMONTH``), outcomes pivoted by year, progression from level 2 to
level 3 by ``LEAD`` and a self-join, level 3 learners' latest pay by ``CROSS APPLY (SELECT TOP
(1) ...)`` and benefit claims by ``OUTER APPLY``, LARS references taken apart
(``PATINDEX('%[^0-9]%', ...)``) with ``UPDATE ... FROM``, ``DELETE`` with a join and ``MERGE``.
(``examples/srs/74``, which ``test_srs_corpus`` runs so, keeps a row per learner by a key
``WITH (IGNORE_DUP_KEY = ON)``.) And what SQL Server does that a target did not:

- an applied subquery (``CROSS APPLY``, ``OUTER APPLY``) whose one row aggregates by
  ``STRING_AGG ... WITHIN GROUP (ORDER BY ...)`` (or ``CHECKSUM_AGG``) gives its row for each
  outer row on SQLite too (SQLite's join of it lost every row: its aggregate was not seen as
  one).
"""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows
from test_tsql_fe_and_benefit_spell_scripts import printed_as_on_sqlite

SCRIPTS = {
    "achievement_rates_by_level_for_leavers_in_year": """
SET NOCOUNT ON
IF OBJECT_ID('tempdb..#leavers') IS NOT NULL DROP TABLE #leavers
SELECT a.external_id, a.learning_aim_id, a.[Year] AS yr,
       CASE WHEN a.Notional_Level_v2 IN (0, 1) THEN 'Entry/L1'
            WHEN a.Notional_Level_v2 = 2 THEN 'Level 2'
            WHEN a.Notional_Level_v2 = 3 THEN 'Level 3'
            ELSE 'Other' END AS lvl,
       l.SectorSubjectAreaT1 AS ssa,
       CAST(a.end_date AS DATE) AS actual_end, CAST(a.end_date_expected AS DATE) AS planned_end,
       a.Compstatus, a.outcome
INTO #leavers
FROM LILR_i2."2002237".aims a
JOIN LILR_i2."2002237".lars l ON l.LearnAimRef = a.learning_aim_id AND l.[Year] = a.[Year]
WHERE a.AimType IN (1, 4) AND a.Compstatus IN (2, 3,
    6) OR (a.Compstatus = 1 AND a.end_date_expected < DATEFROMPARTS(a.[Year] + 1, 8, 1))
SELECT yr, lvl,
       COUNT(*) AS leavers,
       SUM(CASE WHEN outcome = 1 THEN 1 ELSE 0 END) AS achievers,
       CAST(100.0 * SUM(CASE WHEN outcome = 1 THEN 1 ELSE 0 END) / NULLIF(COUNT(*),
           0) AS DECIMAL(5, 1)) AS ach_rate,
       CONVERT(VARCHAR(10), CAST(ROUND(100.0 * SUM(IIF(outcome = 1, 1, 0)) / COUNT(*),
           1) AS DECIMAL(4,1))) + '%' AS shown,
       COUNT(DISTINCT ssa) AS n_ssa
FROM #leavers
WHERE yr BETWEEN 2014 AND 2019
GROUP BY yr, lvl
HAVING COUNT(*) >= 5
ORDER BY yr, lvl
""",
    "apprenticeship_starts_by_age_band_on_31_august": """
;WITH starts AS (
  SELECT a.external_id, a.start_date, a.programme_type, a.AgeProgStart, ln.AcAge,
         DATEFROMPARTS(CASE WHEN MONTH(a.start_date) >= 9 THEN YEAR(a.start_date) ELSE
             YEAR(a.start_date) - 1 END, 8, 31) AS aug31,
         CASE WHEN a.programme_type IN (2) THEN 'Advanced' WHEN a.programme_type = 3 THEN
             'Intermediate'
              WHEN a.programme_type BETWEEN 20 AND 23 THEN 'Higher' WHEN a.programme_type = 25 THEN
                  'Standard' END AS route
  FROM LILR_i2."2002237".aims a
  INNER JOIN LILR_i2."2002237".learners ln ON ln.external_id = a.external_id
  WHERE a.AimType = 1 AND a.programme_type IN (2, 3, 20, 21, 22, 23, 25)
)
SELECT CONCAT(YEAR(aug31), '/', RIGHT(YEAR(aug31) + 1, 2)) AS acyear,
       CASE WHEN AcAge < 19 THEN 'Under 19' WHEN AcAge BETWEEN 19 AND 24 THEN '19-24' ELSE '25+'
           END AS age_band,
       COUNT(*) AS starts,
       SUM(CASE WHEN route = 'Standard' THEN 1 ELSE 0 END) AS standards,
       MIN(start_date) AS first_start, MAX(DATEDIFF(day, aug31, start_date)) AS max_days_in
FROM starts
GROUP BY CONCAT(YEAR(aug31), '/', RIGHT(YEAR(aug31) + 1, 2)),
         CASE WHEN AcAge < 19 THEN 'Under 19' WHEN AcAge BETWEEN 19 AND 24 THEN '19-24' ELSE '25+'
             END
ORDER BY acyear, age_band
""",
    "highest_aim_per_learner_by_row_number_with_aims_listed_by_cross_apply": """
SELECT x.RECORDID, x.[Year], x.top_aim, x.lvl_rank, x.n_aims, x.aims
FROM (
  SELECT a.RECORDID, a.[Year], a.learning_aim_id AS top_aim,
         CASE a.Notional_Level_v2 WHEN 4 THEN 6 WHEN 3 THEN 5 WHEN 2 THEN 4 WHEN 1 THEN 2 WHEN 0
             THEN 1 ELSE 0 END AS lvl_rank,
         ROW_NUMBER() OVER (PARTITION BY a.RECORDID, a.[Year]
                            ORDER BY CASE a.Notional_Level_v2 WHEN 4 THEN 6 WHEN 3 THEN 5 WHEN 2
                                THEN 4 WHEN 1 THEN 2 WHEN 0 THEN 1 ELSE 0 END DESC,
                                     a.start_date, a.learning_aim_id) AS rn,
         COUNT(*) OVER (PARTITION BY a.RECORDID, a.[Year]) AS n_aims,
         agg.aims
  FROM LILR_i2."2002237".aims a
  CROSS APPLY (SELECT STRING_AGG(b.learning_aim_id,
      ';') WITHIN GROUP (ORDER BY b.learning_aim_id) AS aims
               FROM LILR_i2."2002237".aims b WHERE b.RECORDID = a.RECORDID AND b.[Year] = a.[Year])
                   agg
  WHERE a.[Year] = 2016
) x
WHERE x.rn = 1 AND x.n_aims > 2
ORDER BY x.RECORDID
""",
    "aims_spanning_academic_years_planned_and_actual_months": """
SELECT a.external_id, a.learning_aim_id, a.start_date, a.end_date_expected, a.end_date,
       DATEDIFF(MONTH, a.start_date, a.end_date_expected) AS planned_months,
       DATEDIFF(MONTH, a.start_date, ISNULL(a.end_date, '2021-07-31')) AS actual_months,
       DATEDIFF(month, a.end_date_expected, a.end_date) AS late_months,
       EOMONTH(a.end_date_expected) AS planned_eom,
       FORMAT(a.start_date, 'yyyy-MM') AS start_month
INTO #span
FROM LILR_i2."2002237".aims a
WHERE a.end_date_expected > DATEFROMPARTS(a.[Year] + 1, 7, 31)
SELECT TOP (10) * FROM #span ORDER BY late_months DESC, external_id, learning_aim_id
""",
    "programme_aim_outcomes_pivoted_by_start_year": """
SELECT a.external_id, YEAR(a.start_date) AS sy, a.outcome
INTO #o FROM LILR_i2."2002237".aims a WHERE a.AimType = 1
SELECT outcome, [2014], [2015], [2016], [2017], [2018]
FROM (SELECT outcome, sy, external_id FROM #o) s
PIVOT (COUNT(external_id) FOR sy IN ([2014], [2015], [2016], [2017], [2018])) p
ORDER BY outcome
""",
    "level_2_achievers_progressing_to_level_3_by_lead_and_self_join": """
;WITH lv AS (
  SELECT a.RECORDID, a.[Year],
         MAX(CASE WHEN a.Notional_Level_v2 = 2 AND a.outcome = 1 THEN 1 ELSE 0 END) AS l2_ach,
         MAX(CASE WHEN a.Notional_Level_v2 = 3 THEN 1 ELSE 0 END) AS l3
  FROM LILR_i2."2002237".aims a
  GROUP BY a.RECORDID, a.[Year]
), seq AS (
  SELECT RECORDID, [Year], l2_ach, l3,
         LEAD(l3) OVER (PARTITION BY RECORDID ORDER BY [Year]) AS next_l3,
         LEAD([Year]) OVER (PARTITION BY RECORDID ORDER BY [Year]) AS next_year
  FROM lv
)
SELECT s.[Year], COUNT(*) AS l2_achievers,
       SUM(CASE WHEN s.next_l3 = 1 AND s.next_year = s.[Year] + 1 THEN 1 ELSE 0 END) AS to_l3,
       SUM(CASE WHEN n.RECORDID IS NOT NULL THEN 1 ELSE 0 END) AS to_l3_join
FROM seq s
LEFT JOIN lv n ON n.RECORDID = s.RECORDID AND n.[Year] = s.[Year] + 1 AND n.l3 = 1
WHERE s.l2_ach = 1
GROUP BY s.[Year]
ORDER BY s.[Year]
""",
    "level_3_learners_latest_pay_and_benefit_claims_by_apply": """
SELECT DISTINCT a.RECORDID, e.EDUKEY
INTO #fe
FROM LILR_i2."2002237".aims a
JOIN LEO_i2."2002237".education_records_lookup r ON r.RECORDID = a.RECORDID
JOIN LEO_i2."2002237".learner_ae_id_to_edukey_lookup e ON e.AE_ID = r.AE_ID
WHERE a.[Year] BETWEEN 2012 AND 2014 AND a.Notional_Level_v2 = 3
CREATE CLUSTERED INDEX cx ON #fe (EDUKEY)
SELECT er.Edukey, er.TaxYear, SUM(er.Earnings) AS pay INTO #pay
FROM LEO_i2."2002237".leo_earnings er JOIN #fe f ON f.EDUKEY = er.Edukey GROUP BY er.Edukey,
    er.TaxYear
SELECT f.RECORDID, earn.TaxYear, earn.pay, ben.n_ben, ben.first_claim
FROM #fe f
CROSS APPLY (SELECT TOP (1) p.TaxYear,
    p.pay FROM #pay p WHERE p.Edukey = f.EDUKEY ORDER BY p.TaxYear DESC) earn
OUTER APPLY (SELECT COUNT(*) AS n_ben,
    MIN(b.StartDate) AS first_claim FROM LEO_i2."2002237".leo_benefit b WHERE b.EduKey = f.EDUKEY)
        ben
ORDER BY f.RECORDID, earn.TaxYear, earn.pay
""",
    "aim_references_taken_apart_updated_deleted_and_merged": """
CREATE TABLE #aimref (learning_aim_id VARCHAR(20) NOT NULL, prefix VARCHAR(8), digits VARCHAR(10),
    first_non_digit INT, n INT)
INSERT INTO #aimref (learning_aim_id, n)
SELECT learning_aim_id, COUNT(*) FROM LILR_i2."2002237".aims GROUP BY learning_aim_id
UPDATE r SET prefix = LEFT(r.learning_aim_id, PATINDEX('%[0-9]%', r.learning_aim_id + '0') - 1),
             digits = SUBSTRING(r.learning_aim_id, PATINDEX('%[0-9]%', r.learning_aim_id), 10),
             first_non_digit = PATINDEX('%[^0-9]%', r.learning_aim_id)
FROM #aimref r
DELETE r FROM #aimref r JOIN LILR_i2."2002237".lars l ON l.LearnAimRef = r.learning_aim_id WHERE
    l.QualType = '0003'
CREATE TABLE #summary (prefix VARCHAR(8) PRIMARY KEY, aims INT, refs INT)
MERGE #summary AS t
USING (SELECT prefix, SUM(n) AS aims, COUNT(*) AS refs FROM #aimref GROUP BY prefix) AS s
ON t.prefix = s.prefix
WHEN MATCHED THEN UPDATE SET t.aims = s.aims
WHEN NOT MATCHED BY TARGET THEN INSERT (prefix, aims, refs) VALUES (s.prefix, s.aims, s.refs);
SELECT s.prefix, LEFT(r.digits, 1) AS d1, s.aims, s.refs, MIN(r.digits) AS lo,
    MAX(r.first_non_digit) AS fnd,
       MAX(LEN(r.digits)) AS len_digits,
           SUM(CASE WHEN ISNUMERIC(r.digits) = 1 THEN 1 ELSE 0 END) AS numeric_refs
FROM #summary s JOIN #aimref r ON r.prefix = s.prefix
GROUP BY s.prefix, LEFT(r.digits, 1), s.aims, s.refs ORDER BY s.prefix, d1
""",
    "apprenticeship_programmes_keyed_updated_from_learners_and_pruned_by_a_join": """
CREATE TABLE #appr (external_id BIGINT NOT NULL, RECORDID INT, start_date DATE, planned DATE,
    actual DATE,
  ptype INT, std INT, fwk INT, route VARCHAR(20) NULL, age_band VARCHAR(10) NULL,
      achieved BIT DEFAULT 0,
  PRIMARY KEY CLUSTERED (external_id, start_date))
INSERT INTO #appr (external_id, RECORDID, start_date, planned, actual, ptype, std, fwk)
SELECT external_id, RECORDID, MIN(start_date), MAX(end_date_expected), MAX(end_date),
    MAX(programme_type), MAX(Standard_id), MAX(framework_id)
FROM LILR_i2."2002237".aims
WHERE AimType = 1 AND programme_type IN (2, 3, 20, 21, 22, 23, 25)
GROUP BY external_id, RECORDID
UPDATE a SET a.age_band = CASE WHEN l.AcAge <= 18 THEN '16-18' WHEN l.AcAge <= 24 THEN '19-24' ELSE
    '25+' END,
             a.route = CASE WHEN a.ptype = 25 THEN 'Standard ' + CAST(a.std AS VARCHAR(10)) ELSE
                 'Framework ' + CONVERT(VARCHAR(10), a.fwk) END
FROM #appr a INNER JOIN LILR_i2."2002237".learners l ON l.external_id = a.external_id
UPDATE #appr SET achieved = 1 WHERE EXISTS (SELECT 1 FROM LILR_i2."2002237".aims x WHERE
    x.external_id = #appr.external_id AND x.AimType = 1 AND x.outcome = 1)
DELETE a FROM #appr a LEFT JOIN LILR_i2."2002237".learners l ON l.external_id = a.external_id WHERE
    l.external_id IS NULL OR l.AcAge < 16
SELECT age_band, LEFT(route, CHARINDEX(' ', route) - 1) AS kind, COUNT(*) AS starts,
    SUM(CAST(achieved AS INT)) AS ach,
       AVG(DATEDIFF(MONTH, start_date, planned) * 1.0) AS avg_planned_months,
       SUM(CASE WHEN actual > planned THEN 1 ELSE 0 END) AS late,
       STRING_AGG(CAST(ptype AS VARCHAR(3)), ',') WITHIN GROUP (ORDER BY ptype) AS types_seen_first
FROM #appr
GROUP BY age_band, LEFT(route, CHARINDEX(' ', route) - 1)
ORDER BY age_band, kind
""",
    "achievement_share_by_level_pivoted_by_year": """
;WITH lv AS (
  SELECT a.[Year], a.Notional_Level_v2 AS lvl, a.outcome,
         DATEADD(DAY, -1, DATEFROMPARTS(a.[Year] + 1, 8, 1)) AS year_end
  FROM LILR_i2."2002237".aims a
  WHERE a.AimType <> 3 AND a.[Year] BETWEEN 2015 AND 2019
)
SELECT lvl, [2015], [2016], [2017], [2018], [2019]
FROM (SELECT lvl, [Year], CASE WHEN outcome = 1 THEN 1.0 ELSE 0 END AS ach FROM lv) s
PIVOT (AVG(ach) FOR [Year] IN ([2015], [2016], [2017], [2018], [2019])) p
ORDER BY lvl
""",
}


@pytest.mark.parametrize("name", sorted(SCRIPTS))
@pytest.mark.parametrize("backend", BACKENDS)
def test_fe_and_apprenticeship_scripts_print_the_same_table_on_every_backend(
        backend: str, name: str, request: pytest.FixtureRequest, small_sqlite) -> None:
    printed_as_on_sqlite(request, backend, small_sqlite, SCRIPTS[name])


AIMS = """CREATE TABLE #a (learner INT, yr INT, aim VARCHAR(8))
INSERT INTO #a VALUES (1, 2016, '60012345'), (1, 2016, 'ZPROG001'), (1, 2017, '50098765'),
    (2, 2016, '60054321'), (3, 2016, NULL)
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_applied_ordered_string_agg_gives_a_row_per_outer_row(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _rows(db, AIMS + """SELECT a.learner, a.yr, a.aim, x.aims, y.n
FROM #a a
CROSS APPLY (SELECT STRING_AGG(b.aim, ';') WITHIN GROUP (ORDER BY b.aim DESC) AS aims
             FROM #a b WHERE b.learner = a.learner AND b.yr = a.yr) x
OUTER APPLY (SELECT STRING_AGG(c.aim, '|') WITHIN GROUP (ORDER BY c.aim) AS n
             FROM #a c WHERE c.learner = a.learner AND c.yr > a.yr) y
ORDER BY a.learner, a.yr, a.aim""") == [
        (1, 2016, "60012345", "ZPROG001;60012345", "50098765"),
        (1, 2016, "ZPROG001", "ZPROG001;60012345", "50098765"),
        (1, 2017, "50098765", "50098765", None), (2, 2016, "60054321", "60054321", None),
        (3, 2016, None, None, None)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_applied_checksum_agg_gives_a_row_per_outer_row(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _rows(db, AIMS + """SELECT a.learner, a.yr, COUNT(*), MAX(x.c)
FROM #a a
CROSS APPLY (SELECT CHECKSUM_AGG(b.yr) AS c FROM #a b WHERE b.learner = a.learner) x
GROUP BY a.learner, a.yr ORDER BY a.learner, a.yr""") == [
        (1, 2016, 2, 2016 ^ 2016 ^ 2017), (1, 2017, 1, 2016 ^ 2016 ^ 2017),
        (2, 2016, 1, 2016), (3, 2016, 1, 2016)]
