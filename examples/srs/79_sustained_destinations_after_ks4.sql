-- 79 Sustained destinations the year after KS4, from NCCIS activity.
-- Answers: per KS4 cohort 2012/13 to 2016/17, how many pupils were in education, employment
-- or training (NCCIS activity codes 200-499) in both the autumn (October to December) and
-- the spring (January to March) months of the next academic year, the share of those with
-- an NCCIS record, and a three-cohort moving average.
-- Relations: NPD_i2 KS4Pupil_2002_to_2014, KS4Pupil_2015_to_2021, nccis_2011_to_2021.
-- Habits: two KS4 views joined by UNION, 0/1 flags per term combined by & (both terms),
-- CAST(... AS DECIMAL(9, 4)) / COUNT(*) and 100.0 * ... shares, a running total and a
-- moving average over the grouped rows (ROWS BETWEEN 2 PRECEDING AND CURRENT ROW).
SET NOCOUNT ON
DECLARE @first INT = 2012, @last INT = 2016
;WITH ks4 AS (
  SELECT DISTINCT KS4_PupilMatchingRefAnonymous AS pmr, CAST(LEFT(KS4_ACADYR, 4) AS INT) AS ks4_ay
  FROM [NPD_i2].[2002237].[KS4Pupil_2002_to_2014]
  WHERE CAST(LEFT(KS4_ACADYR, 4) AS INT) BETWEEN @first AND @last
  UNION
  SELECT KS4_PupilMatchingRefAnonymous, CAST(LEFT(KS4_ACADYR, 4) AS INT)
  FROM [NPD_i2].[2002237].[KS4Pupil_2015_to_2021]
  WHERE CAST(LEFT(KS4_ACADYR, 4) AS INT) BETWEEN @first AND @last),
terms AS (
  SELECT k.pmr, k.ks4_ay,
    MAX(CASE WHEN n.NCCIS_MonthNo IN (10, 11, 12) AND n.NCCIS_Current_Activity_Code BETWEEN 200 AND 499 THEN 1 ELSE 0 END) AS autumn,
    MAX(CASE WHEN n.NCCIS_MonthNo IN (1, 2, 3) AND n.NCCIS_Current_Activity_Code BETWEEN 200 AND 499 THEN 1 ELSE 0 END) AS spring,
    COUNT(n.NCCIS_MonthNo) AS months
  FROM ks4 k
  LEFT JOIN [NPD_i2].[2002237].[nccis_2011_to_2021] n
    ON n.NCCIS_PupilMatchingRefAnonymous = k.pmr
   AND n.NCCIS_ACADYR = CONCAT(k.ks4_ay + 1, '/', k.ks4_ay + 2)
  GROUP BY k.pmr, k.ks4_ay)
SELECT ks4_ay, COUNT(*) AS pupils,
  SUM(autumn & spring) AS sustained,
  SUM(CASE WHEN months = 0 THEN 1 ELSE 0 END) AS no_record,
  CAST(SUM(autumn & spring) AS DECIMAL(9, 4)) / COUNT(*) AS rate,
  CAST(100.0 * SUM(autumn & spring) / NULLIF(SUM(CASE WHEN months > 0 THEN 1 ELSE 0 END), 0) AS DECIMAL(5, 1)) AS pct_known,
  AVG(CAST(months AS FLOAT)) AS mean_months,
  SUM(COUNT(*)) OVER (ORDER BY ks4_ay ROWS UNBOUNDED PRECEDING) AS running_pupils,
  AVG(SUM(autumn & spring) * 1.0) OVER (ORDER BY ks4_ay ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS mav3
FROM terms
GROUP BY ks4_ay
ORDER BY ks4_ay
