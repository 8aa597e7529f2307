-- 44 Median earnings of first-degree graduates by subject area and years after graduation.
-- Answers: for graduates who qualified in 2012/13 to 2014/15, what were the lower quartile,
-- median and upper quartile of their earnings one, three and five tax years after they
-- left (YAG), by subject area, with the years as columns as published tables show them?
-- Relations: HESA_i2 hesa_2013 to hesa_2015, LEO_i2 learner_ae_id_to_pmr_lookup,
-- learner_ae_id_to_edukey_lookup, leo_earnings.
-- A graduate's leaving year is the tax year holding HE_ENDDATE (6 April to 5 April); YAG n is
-- n tax years later; earnings are summed over a person's EDUKEYs and only earnings above
-- zero count (leo_schema.md 4.3). PERCENTILE_CONT is a window function in T-SQL: taken
-- OVER (PARTITION BY ...) under SELECT DISTINCT. Subject areas with fewer than 3 earners in
-- a year are suppressed (NULL), as statistical disclosure control asks.
SET NOCOUNT ON

DROP TABLE IF EXISTS #graduates
;WITH leavers AS (
    SELECT HE_PUPILMATCHINGREFANONYMOUS AS pmr, HE_XJACSA01_1 AS subject_area, HE_ENDDATE AS end_date
    FROM [HESA_i2].[2002237].[hesa_2013] WHERE HE_XQOBTN01 LIKE 'H%' AND HE_ENDDATE IS NOT NULL
    UNION ALL
    SELECT HE_PUPILMATCHINGREFANONYMOUS, HE_XJACSA01_1, HE_ENDDATE
    FROM [HESA_i2].[2002237].[hesa_2014] WHERE HE_XQOBTN01 LIKE 'H%' AND HE_ENDDATE IS NOT NULL
    UNION ALL
    SELECT HE_PUPILMATCHINGREFANONYMOUS, HE_XJACSA01_1, HE_ENDDATE
    FROM [HESA_i2].[2002237].[hesa_2015] WHERE HE_XQOBTN01 LIKE 'H%' AND HE_ENDDATE IS NOT NULL
)
SELECT l.pmr, l.subject_area, l.end_date,
       -- the tax year holding the end date, as its start year (2014 for 2014/15)
       YEAR(l.end_date) - IIF(l.end_date < DATEFROMPARTS(YEAR(l.end_date), 4, 6), 1, 0) AS left_year,
       ROW_NUMBER() OVER (PARTITION BY l.pmr ORDER BY l.end_date DESC) AS rn
INTO #graduates
FROM leavers l

DELETE FROM #graduates WHERE rn > 1  -- a graduate's latest qualification only

;WITH yag_pay AS (
    SELECT g.subject_area, y.yag, k.AE_ID, SUM(e.Earnings) AS pay
    FROM #graduates g
    JOIN [LEO_i2].[2002237].[learner_ae_id_to_pmr_lookup] p ON p.PUPILMATCHINGREFANONYMOUS = g.pmr
    JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] k ON k.AE_ID = p.AE_ID
    CROSS JOIN (VALUES (1), (3), (5)) y(yag)
    JOIN [LEO_i2].[2002237].[leo_earnings] e
      ON e.Edukey = k.EDUKEY
     AND e.TaxYear = (g.left_year + y.yag) * 100 + (g.left_year + y.yag + 1) % 100
    GROUP BY g.subject_area, y.yag, k.AE_ID
    HAVING SUM(e.Earnings) > 0
),
quartiles AS (
    SELECT DISTINCT subject_area, yag,
           COUNT(*) OVER (PARTITION BY subject_area, yag) AS earners,
           PERCENTILE_CONT(0.25) WITHIN GROUP (ORDER BY pay) OVER (PARTITION BY subject_area, yag) AS lq,
           PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY pay) OVER (PARTITION BY subject_area, yag) AS median,
           PERCENTILE_CONT(0.75) WITHIN GROUP (ORDER BY pay) OVER (PARTITION BY subject_area, yag) AS uq
    FROM yag_pay
)
SELECT subject_area,
       MAX(CASE WHEN yag = 1 THEN earners END) AS earners_yag1,
       MAX(CASE WHEN yag = 1 AND earners >= 3 THEN CAST(ROUND(median, -2) AS INT) END) AS median_yag1,
       MAX(CASE WHEN yag = 3 AND earners >= 3 THEN CAST(ROUND(median, -2) AS INT) END) AS median_yag3,
       MAX(CASE WHEN yag = 5 AND earners >= 3 THEN CAST(ROUND(median, -2) AS INT) END) AS median_yag5,
       MAX(CASE WHEN yag = 5 AND earners >= 3
                THEN CONCAT(FORMAT(lq, 'N0'), ' - ', FORMAT(uq, 'N0')) END) AS iqr_yag5
FROM quartiles
GROUP BY subject_area
ORDER BY subject_area;
