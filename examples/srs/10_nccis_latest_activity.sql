-- 10 Each young person's latest NCCIS activity in 2015/16 (the last month recorded).
-- Answers: what were young people doing at their last NCCIS record of 2015/16?
-- Relations: NPD_i2 nccis_2011_to_2021. NCCIS has several records per person and month
-- (leo_schema.md 4.3, quirk 5): ROW_NUMBER keeps one, the latest month then the highest code.
IF OBJECT_ID('tempdb..#latest') IS NOT NULL DROP TABLE #latest

SELECT NCCIS_PupilMatchingRefAnonymous AS PMR,
       NCCIS_Current_Activity_Code      AS Activity,
       ROW_NUMBER() OVER (PARTITION BY NCCIS_PupilMatchingRefAnonymous
                          ORDER BY CASE WHEN NCCIS_MonthNo >= 9 THEN NCCIS_MonthNo - 9
                                        ELSE NCCIS_MonthNo + 3 END DESC,
                                   NCCIS_Current_Activity_Code DESC) AS rn
INTO #latest
FROM NPD_i2.[2002237].nccis_2011_to_2021
WHERE NCCIS_ACADYR = '2015/2016'
GO

SELECT TOP 10 Activity, COUNT(*) AS People
FROM #latest
WHERE rn = 1
GROUP BY Activity
ORDER BY COUNT(*) DESC, Activity
