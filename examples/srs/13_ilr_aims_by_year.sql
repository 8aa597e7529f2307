-- 13 ILR learning aims per academic year: how many, how many completed and withdrawn.
-- Answers: aims per year with completion status (Compstatus 1 continuing, 2 completed,
-- 3 withdrawn, 6 break in learning) and the achievement rate of completed aims.
-- Relations: LILR_i2 aims. Year is the academic year's start (2002 = 2002/03).
SELECT a.[Year]                                        AS StartYear,
       COUNT(*)                                        AS Aims,
       SUM(IIF(a.Compstatus = 2, 1, 0))                AS Completed,
       SUM(IIF(a.Compstatus = 3, 1, 0))                AS Withdrawn,
       SUM(IIF(a.Compstatus = 2 AND a.outcome = 1, 1, 0)) AS Achieved
FROM [LILR_i2].[2002237].[aims] a
WHERE a.[Year] >= 2010
GROUP BY a.[Year]
ORDER BY a.[Year]
