-- 84 Pupils followed from the Foundation Stage Profile to KS4, by EYFSP year.
-- Answers: per EYFSP year (2002/03 to 2009/10), how many pupils, the share found at each
-- later key stage (KS1, KS2, KS3 teacher assessment, KS4), how many reached a good level of
-- development, and the share of those with and without one who reached level 2B+ in KS1
-- reading; with pupils at KS1 but not in the EYFSP counted beside them.
-- Relations: NPD_i2 EYFSP_2003_to_2010, KS1_1998_to_2012, KS2Pupil_1996_to_2016,
-- KS3Pupil_1998_to_2013, KS4Pupil_2002_to_2014, KS4Pupil_2015_to_2021.
-- Habits: a LEFT JOIN chain on the pupil key named differently in each view, a UNION ALL of
-- the two KS4 views, FULL OUTER JOIN with COALESCE of the keys, shares by COUNT(x) / COUNT(*).
-- (KS3 ends in 2012/13: only the 2002/03 and 2003/04 EYFSP cohorts reach it in the views.)
SET NOCOUNT ON
IF OBJECT_ID('tempdb..#fsp') IS NOT NULL DROP TABLE #fsp
SELECT FSP_PupilMatchingRefAnonymous AS pmr, FSP_ACADYR AS fsp_year,
       CASE WHEN FSP_EYFSP_TOTAL >= 78 AND FSP_PSE_AS1 >= 6 AND FSP_PSE_AS2 >= 6
                 AND FSP_PSE_AS3 >= 6 AND FSP_CLL_AS1 >= 6 AND FSP_CLL_AS2 >= 6
                 AND FSP_CLL_AS3 >= 6 AND FSP_CLL_AS4 >= 6 THEN 1 ELSE 0 END AS gld,
       ROW_NUMBER() OVER (PARTITION BY FSP_PupilMatchingRefAnonymous ORDER BY FSP_ACADYR) AS rn
INTO #fsp
FROM [NPD_i2].[2002237].[EYFSP_2003_to_2010]
DELETE FROM #fsp WHERE rn > 1

;WITH ks1 AS (
  SELECT KS1_PupilMatchingRefAnonymous AS pmr, MIN(KS1_ACADYR) AS yr,
         MAX(CASE WHEN KS1_READING IN ('2B', '2A', '3', '4') THEN 1 ELSE 0 END) AS read_2b
  FROM [NPD_i2].[2002237].[KS1_1998_to_2012] GROUP BY KS1_PupilMatchingRefAnonymous),
ks2 AS (SELECT DISTINCT KS2_PupilMatchingRefAnonymous AS pmr
        FROM [NPD_i2].[2002237].[KS2Pupil_1996_to_2016]),
ks3 AS (SELECT DISTINCT KS3_PUPILMATCHINGREFANONYMOUS AS pmr
        FROM [NPD_i2].[2002237].[KS3Pupil_1998_to_2013] WHERE KS3_ENGTALEV IS NOT NULL),
ks4 AS (SELECT KS4_PupilMatchingRefAnonymous AS pmr FROM [NPD_i2].[2002237].[KS4Pupil_2002_to_2014]
        UNION
        SELECT KS4_PupilMatchingRefAnonymous FROM [NPD_i2].[2002237].[KS4Pupil_2015_to_2021]),
followed AS (
  SELECT COALESCE(f.fsp_year, 'not in EYFSP') AS fsp_year, f.gld,
         COALESCE(f.pmr, k1.pmr) AS pmr, k1.pmr AS at_ks1, k1.read_2b,
         k2.pmr AS at_ks2, k3.pmr AS at_ks3, k4.pmr AS at_ks4
  FROM #fsp f
  FULL OUTER JOIN ks1 k1 ON k1.pmr = f.pmr
  LEFT JOIN ks2 k2 ON k2.pmr = COALESCE(f.pmr, k1.pmr)
  LEFT JOIN ks3 k3 ON k3.pmr = COALESCE(f.pmr, k1.pmr)
  LEFT JOIN ks4 k4 ON k4.pmr = COALESCE(f.pmr, k1.pmr)
  WHERE f.pmr IS NOT NULL OR k1.yr >= '2004/2005')
SELECT fsp_year, COUNT(*) AS pupils,
  CAST(100.0 * COUNT(at_ks1) / COUNT(*) AS DECIMAL(4, 1)) AS pct_ks1,
  CAST(100.0 * COUNT(at_ks2) / COUNT(*) AS DECIMAL(4, 1)) AS pct_ks2,
  CAST(100.0 * COUNT(at_ks3) / COUNT(*) AS DECIMAL(4, 1)) AS pct_ks3_ta,
  CAST(100.0 * COUNT(at_ks4) / COUNT(*) AS DECIMAL(4, 1)) AS pct_ks4,
  SUM(gld) AS gld,
  CAST(100.0 * SUM(CASE WHEN gld = 1 THEN read_2b END) / NULLIF(SUM(CASE WHEN gld = 1 AND
       at_ks1 IS NOT NULL THEN 1 END), 0) AS DECIMAL(4, 1)) AS pct_2b_with_gld,
  CAST(100.0 * SUM(CASE WHEN gld = 0 THEN read_2b END) / NULLIF(SUM(CASE WHEN gld = 0 AND
       at_ks1 IS NOT NULL THEN 1 END), 0) AS DECIMAL(4, 1)) AS pct_2b_without
FROM followed
GROUP BY fsp_year
ORDER BY fsp_year
