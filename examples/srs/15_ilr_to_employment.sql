-- 15 Adult FE learners who finished an aim in 2014/15: employed within a year of the aim's end?
-- Answers: of learners aged 19+ with an aim ending in 2014/15, how many had a PAYE spell
-- overlapping the 12 months after that end?
-- Relations: LILR_i2 aims; LEO_i2 education_records_lookup (ILR RECORDID -> AE_ID),
-- learner_ae_id_to_edukey_lookup, leo_employment (leo_schema.md 3.3, join path 2).
IF OBJECT_ID('tempdb..#finishers') IS NOT NULL DROP TABLE #finishers

SELECT r.AE_ID, MAX(a.end_date) AS EndDate
INTO #finishers
FROM [LILR_i2].[2002237].[aims] a
JOIN [LEO_i2].[2002237].[education_records_lookup] r ON r.RECORDID = a.RECORDID
WHERE a.end_date BETWEEN '2014-08-01' AND '2015-07-31'
  AND a.AgeAimStart >= 19
GROUP BY r.AE_ID

-- (the flag is set row by row, then summed: SQL Server refuses a subquery inside SUM, error 130)
SELECT COUNT(*) AS Learners, SUM(Employed) AS EmployedWithinAYear
FROM (
    SELECT f.AE_ID,
           CASE WHEN EXISTS (
               SELECT 1
               FROM [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] k
               JOIN [LEO_i2].[2002237].[leo_employment] e ON e.EduKey = k.EDUKEY
               WHERE k.AE_ID = f.AE_ID
                 AND e.StartDate <= DATEADD(year, 1, f.EndDate)
                 AND e.EndDate > f.EndDate) THEN 1 ELSE 0 END AS Employed
    FROM #finishers f
) flagged
