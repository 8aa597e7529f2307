-- 83 The KS2 attainment gap between disadvantaged pupils and the others, 2009/10 to 2015/16.
-- Answers: per KS2 year, how many pupils, how many disadvantaged (KS2's FSM6, or else free
-- school meals in any spring census of the six years to the KS2 year), how many reached level
-- 4 in both reading/English and maths, the shares of each group who did, the best fine
-- grade in maths and how many censuses each pupil was found in.
-- Relations: NPD_i2 KS2Pupil_1996_to_2016, spring_census_2010 to spring_census_2016.
-- Habits: one KS2 row per pupil by ROW_NUMBER(), levels kept as text read by TRY_CAST and
-- TRY_CONVERT (a letter is no level) with ISNULL/COALESCE to the numeric level, the censuses
-- grouped per pupil and joined by UNION ALL with the year a literal, a join over six years
-- (BETWEEN k.yr - 5 AND k.yr), shares by 100.0 * ... / NULLIF(SUM(...), 0), the year
-- written by CAST(... AS CHAR(4)) + '/' + RIGHT(...), STR(x, 5, 2), HAVING COUNT(*) >= 10.
SET NOCOUNT ON
-- KS2 attainment gap by year (level 4+ in English and maths), disadvantage from KS2's own
-- FSM6 or the spring census of the KS2 year
;WITH ks2 AS (
  SELECT KS2_PupilMatchingRefAnonymous AS pmr,
         CAST(LEFT(KS2_ACADYR, 4) AS INT) + 1 AS yr,
         KS2_FSM6 AS fsm6,
         COALESCE(TRY_CAST(KS2_ENGMAINLEV AS INT), KS2_READLEV) AS eng,
         ISNULL(TRY_CONVERT(INT, KS2_MATMAINLEV), KS2_MATLEV) AS mat,
         TRY_CAST(KS2_MATFINE AS DECIMAL(4, 2)) AS mat_fine,
         ROW_NUMBER() OVER (PARTITION BY KS2_PupilMatchingRefAnonymous ORDER BY KS2_ACADYR
             DESC) AS rn
  FROM [NPD_i2].[2002237].[KS2Pupil_1996_to_2016]
  WHERE KS2_ACADYR >= '2009/2010'),
census AS (
  SELECT 2010 AS yr, PupilMatchingRefAnonymous_spr10 AS pmr, MAX(FSMeligible_spr10) AS fsm
  FROM NPD_i2.[2002237].spring_census_2010 GROUP BY PupilMatchingRefAnonymous_spr10
  UNION ALL
  SELECT 2011, PupilMatchingRefAnonymous_spr11, MAX(FSMeligible_spr11)
  FROM NPD_i2.[2002237].spring_census_2011 GROUP BY PupilMatchingRefAnonymous_spr11
  UNION ALL
  SELECT 2012, PupilMatchingRefAnonymous_spr12, MAX(FSMeligible_spr12)
  FROM NPD_i2.[2002237].spring_census_2012 GROUP BY PupilMatchingRefAnonymous_spr12
  UNION ALL
  SELECT 2013, PupilMatchingRefAnonymous_spr13, MAX(FSMeligible_spr13)
  FROM NPD_i2.[2002237].spring_census_2013 GROUP BY PupilMatchingRefAnonymous_spr13
  UNION ALL
  SELECT 2014, PupilMatchingRefAnonymous_spr14, MAX(FSMeligible_spr14)
  FROM NPD_i2.[2002237].spring_census_2014 GROUP BY PupilMatchingRefAnonymous_spr14
  UNION ALL
  SELECT 2015, PupilMatchingRefAnonymous_spr15, MAX(FSMeligible_spr15)
  FROM NPD_i2.[2002237].spring_census_2015 GROUP BY PupilMatchingRefAnonymous_spr15
  UNION ALL
  SELECT 2016, PupilMatchingRefAnonymous_spr16, MAX(FSMeligible_spr16)
  FROM NPD_i2.[2002237].spring_census_2016 GROUP BY PupilMatchingRefAnonymous_spr16),
ever AS (
  SELECT k.pmr, k.yr, k.eng, k.mat, k.mat_fine,
         COALESCE(k.fsm6, MAX(c.fsm), 0) AS disadv,
         COUNT(c.yr) AS census_years
  FROM ks2 k LEFT JOIN census c ON c.pmr = k.pmr AND c.yr BETWEEN k.yr - 5 AND k.yr
  WHERE k.rn = 1
  GROUP BY k.pmr, k.yr, k.eng, k.mat, k.mat_fine, k.fsm6)
SELECT CAST(yr - 1 AS CHAR(4)) + '/' + RIGHT(CAST(yr AS CHAR(4)), 2) AS ks2_year,
  COUNT(*) AS pupils,
  SUM(disadv) AS disadv,
  SUM(IIF(eng >= 4 AND mat >= 4, 1, 0)) AS l4_em,
  CAST(100.0 * SUM(CASE WHEN disadv = 1 AND eng >= 4 AND mat >= 4 THEN 1 ELSE 0 END)
       / NULLIF(SUM(disadv), 0) AS DECIMAL(5, 1)) AS pct_l4_disadv,
  CAST(100.0 * SUM(CASE WHEN disadv = 0 AND eng >= 4 AND mat >= 4 THEN 1 ELSE 0 END)
       / NULLIF(SUM(1 - disadv), 0) AS DECIMAL(5, 1)) AS pct_l4_other,
  MAX(mat_fine) AS best_fine, STR(AVG(census_years * 1.0), 5, 2) AS mean_census_years
FROM ever
GROUP BY yr
HAVING COUNT(*) >= 10
ORDER BY yr
