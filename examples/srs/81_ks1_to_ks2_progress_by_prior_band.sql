-- 81 KS1 to KS2 progress in maths by prior attainment band, 2006/07 to 2015/16.
-- Answers: per band of KS1 average point score (levels held as text, W to 4, turned into
-- points), how many pupils, their mean KS2 maths test mark and level (from the exam rows,
-- one per subject, pivoted to columns), the share at level 4+ in English and maths, and
-- progress: each pupil's maths mark less the mean of the band (the best, the spread, how
-- many above it).
-- Relations: NPD_i2 KS1_1998_to_2012, KS2Exam_1996_to_2016.
-- Habits: level text to points by CASE, sub-levels read by LIKE '2[ABC]', the latest exam
-- row per pupil and subject by ROW_NUMBER(), PIVOT in a CTE beside MAX(CASE ...), bands by
-- CASE ranges and NTILE, AVG(x) OVER (PARTITION BY band), STDEV, GROUPING SETS totals.
SET NOCOUNT ON
IF OBJECT_ID('tempdb..#ks1') IS NOT NULL DROP TABLE #ks1
SELECT KS1_PupilMatchingRefAnonymous AS pmr,
  (CASE WHEN KS1_READING = 'W' THEN 3 WHEN KS1_READING = '1' THEN 9
        WHEN KS1_READING LIKE '2[ABC]' THEN 11 + 2 * (ASCII('D') - ASCII(RIGHT(KS1_READING, 1)))
        ELSE 3 + 6 * TRY_CAST(KS1_READING AS INT) END
 + CASE WHEN KS1_WRITING = 'W' THEN 3 WHEN KS1_WRITING = '1' THEN 9
        WHEN KS1_WRITING LIKE '2[ABC]' THEN 11 + 2 * (ASCII('D') - ASCII(RIGHT(KS1_WRITING, 1)))
        ELSE 3 + 6 * TRY_CAST(KS1_WRITING AS INT) END
 + 2 * CASE WHEN KS1_MATHS = 'W' THEN 3 WHEN KS1_MATHS = '1' THEN 9
        WHEN KS1_MATHS LIKE '2[ABC]' THEN 11 + 2 * (ASCII('D') - ASCII(RIGHT(KS1_MATHS, 1)))
        ELSE 3 + 6 * TRY_CAST(KS1_MATHS AS INT) END) / 4.0 AS ks1_aps,
  ROW_NUMBER() OVER (PARTITION BY KS1_PupilMatchingRefAnonymous ORDER BY KS1_ACADYR DESC) AS rn
INTO #ks1
FROM [NPD_i2].[2002237].[KS1_1998_to_2012]
DELETE FROM #ks1 WHERE rn > 1 OR ks1_aps IS NULL

;WITH ex AS (
  SELECT KS2_PUPILMATCHINGREFANONYMOUS AS pmr,
         CASE KS2_BRDSUBNO WHEN '9991' THEN 'ENG' WHEN '9992' THEN 'MAT' ELSE 'SCI' END AS subject,
         KS2_TESTLEV AS lev, KS2_TESTMARK AS mark,
         ROW_NUMBER() OVER (PARTITION BY KS2_PUPILMATCHINGREFANONYMOUS, KS2_BRDSUBNO
                            ORDER BY KS2_ACADYR DESC) AS rn
  FROM [NPD_i2].[2002237].[KS2Exam_1996_to_2016]
  WHERE KS2_ACADYR >= '2006/2007'),
marks AS (
  SELECT pmr, [ENG], [MAT], [SCI]
  FROM (SELECT pmr, subject, mark FROM ex WHERE rn = 1) s
  PIVOT (MAX(mark) FOR subject IN ([ENG], [MAT], [SCI])) p),
levels AS (
  SELECT pmr, MAX(CASE WHEN subject = 'ENG' THEN lev END) AS eng_lev,
         MAX(CASE WHEN subject = 'MAT' THEN lev END) AS mat_lev
  FROM ex WHERE rn = 1 GROUP BY pmr),
banded AS (
  SELECT m.pmr, m.MAT AS mat_mark, l.mat_lev, l.eng_lev, k.ks1_aps,
         CASE WHEN k.ks1_aps < 12 THEN '1 low (below 12)'
              WHEN k.ks1_aps < 18 THEN '2 middle (12 to 17.9)' ELSE '3 high (18+)' END AS band,
         NTILE(5) OVER (ORDER BY k.ks1_aps, m.pmr) AS quintile
  FROM marks m
  JOIN levels l ON l.pmr = m.pmr
  JOIN #ks1 k ON k.pmr = m.pmr),
progress AS (
  SELECT *, mat_mark - AVG(CAST(mat_mark AS FLOAT)) OVER (PARTITION BY band) AS vs_band
  FROM banded)
SELECT ISNULL(band, 'All pupils') AS band,
  COUNT(*) AS pupils,
  MIN(quintile) AS lowest_quintile, MAX(quintile) AS highest_quintile,
  CAST(AVG(ks1_aps) AS DECIMAL(4, 1)) AS mean_ks1_aps,
  AVG(mat_mark) AS mean_mat_mark,
  CAST(AVG(mat_lev * 1.0) AS DECIMAL(3, 1)) AS mean_mat_level,
  CAST(100.0 * SUM(CASE WHEN eng_lev >= 4 AND mat_lev >= 4 THEN 1 ELSE 0 END) / COUNT(*)
       AS DECIMAL(4, 1)) AS pct_l4_em,
  CAST(MAX(vs_band) AS DECIMAL(5, 2)) AS best_progress,
  CAST(STDEV(vs_band) AS DECIMAL(5, 2)) AS sd_progress,
  SUM(CASE WHEN vs_band > 0 THEN 1 ELSE 0 END) AS above_band_mean
FROM progress
GROUP BY GROUPING SETS ((band), ())
ORDER BY GROUPING(band), band
