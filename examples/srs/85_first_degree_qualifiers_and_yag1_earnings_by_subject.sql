-- 85 First-degree qualifiers of 2013/14 and 2014/15 by subject area: class and pay a year on.
-- Answers: per JACS subject area, how many qualified with a first degree, the share with a
-- first or upper second (integer and decimal), the classes awarded, and the median and
-- quartiles of their PAYE earnings one tax year after the one they left in (YAG 1); first,
-- the three largest subject areas, ties kept.
-- Relations: HESA_i2 hesa_2014, hesa_2015; LEO_i2 learner_ae_id_to_pmr_lookup,
-- learner_ae_id_to_edukey_lookup, leo_earnings.
-- Habits: SELECT ... INTO a #temp table, then ALTER TABLE ... ADD and UPDATE for the leaving
-- tax year (6 April to 5 April, as its start year) and the end month (EOMONTH); integer
-- division against * 100.0; PERCENTILE_CONT and PERCENTILE_DISC are window functions in
-- T-SQL, taken OVER (PARTITION BY ...) under SELECT DISTINCT; STRING_AGG ... WITHIN GROUP;
-- areas with fewer than 3 earners are suppressed (NULL), as output checking asks.
SET NOCOUNT ON

IF OBJECT_ID('tempdb..#qualifiers') IS NOT NULL DROP TABLE #qualifiers
SELECT HE_PUPILMATCHINGREFANONYMOUS AS pmr, HE_XJACSA01_1 AS area, HE_XCLASS01 AS class,
       HE_ENDDATE AS end_date
INTO #qualifiers
FROM [HESA_i2].[2002237].[hesa_2014]
WHERE HE_XQOBTN01 LIKE 'H%' AND HE_ENDDATE IS NOT NULL
INSERT INTO #qualifiers
SELECT HE_PUPILMATCHINGREFANONYMOUS, HE_XJACSA01_1, HE_XCLASS01, HE_ENDDATE
FROM [HESA_i2].[2002237].[hesa_2015]
WHERE HE_XQOBTN01 LIKE 'H%' AND HE_ENDDATE IS NOT NULL

ALTER TABLE #qualifiers ADD left_year INT NULL, end_month DATE NULL
UPDATE #qualifiers
SET left_year = YEAR(end_date) - CASE WHEN end_date < DATEFROMPARTS(YEAR(end_date), 4, 6)
                                      THEN 1 ELSE 0 END,
    end_month = EOMONTH(end_date)

-- the largest subject areas (WITH TIES: an area as large as the third is shown too)
SELECT TOP (3) WITH TIES area, COUNT(*) AS qualifiers
FROM #qualifiers
GROUP BY area
ORDER BY COUNT(*) DESC;

;WITH pay AS (
    SELECT q.pmr, q.area, SUM(e.Earnings) AS pay
    FROM #qualifiers q
    JOIN [LEO_i2].[2002237].[learner_ae_id_to_pmr_lookup] p ON p.PUPILMATCHINGREFANONYMOUS = q.pmr
    JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] k ON k.AE_ID = p.AE_ID
    JOIN [LEO_i2].[2002237].[leo_earnings] e
      ON e.Edukey = k.EDUKEY
     AND e.TaxYear = (q.left_year + 1) * 100 + (q.left_year + 2) % 100
    GROUP BY q.pmr, q.area
    HAVING SUM(e.Earnings) > 0
), quartiles AS (
    SELECT DISTINCT area,
           COUNT(*) OVER (PARTITION BY area) AS earners,
           PERCENTILE_CONT(0.25) WITHIN GROUP (ORDER BY pay) OVER (PARTITION BY area) AS lq,
           PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY pay) OVER (PARTITION BY area) AS median,
           PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY pay) OVER (PARTITION BY area) AS median_paid,
           PERCENTILE_CONT(0.75) WITHIN GROUP (ORDER BY pay) OVER (PARTITION BY area) AS uq
    FROM pay
)
SELECT q.area, COUNT(*) AS qualifiers,
       SUM(CASE WHEN q.class IN ('01', '02') THEN 1 ELSE 0 END) * 100 / COUNT(*) AS good_pct_int,
       CAST(SUM(CASE WHEN q.class IN ('01', '02') THEN 1 ELSE 0 END) * 100.0 / COUNT(*)
            AS DECIMAL(5, 1)) AS good_pct,
       STRING_AGG(q.class, ',') WITHIN GROUP (ORDER BY q.class) AS classes,
       MIN(q.end_month) AS first_end_month,
       MAX(y.earners) AS earners_yag1,
       MAX(CASE WHEN y.earners >= 3 THEN CAST(ROUND(y.lq, -2) AS INT) END) AS lq_yag1,
       MAX(CASE WHEN y.earners >= 3 THEN CAST(ROUND(y.median, -2) AS INT) END) AS median_yag1,
       MAX(CASE WHEN y.earners >= 3 THEN y.median_paid END) AS median_paid_yag1,
       MAX(CASE WHEN y.earners >= 3 THEN CAST(ROUND(y.uq, -2) AS INT) END) AS uq_yag1
FROM #qualifiers q
LEFT JOIN quartiles y ON y.area = q.area
GROUP BY q.area
ORDER BY q.area;
