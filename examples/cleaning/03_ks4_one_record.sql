-- 03 One KS4 record per pupil and year (4.3 item 4; quirk ks4_duplicate).
-- Lesson: a pupil can have two KS4 records of one year, one with GCSEs attained and one
-- without (entries and measures 0). Keep the record with the most entries.
-- Recovers: the clean extract's answer.
-- Relations: [NPD_i2].[2002237].[KS4Pupil_2015_to_2021]
IF OBJECT_ID('tempdb..#ks4') IS NOT NULL DROP TABLE #ks4

SELECT k.KS4_PupilMatchingRefAnonymous AS PMR, k.KS4_ACADYR AS AcademicYear,
       k.KS4_ENTRIES AS Entries, k.KS4_ATT8 AS Att8,
       ROW_NUMBER() OVER (PARTITION BY k.KS4_PupilMatchingRefAnonymous, k.KS4_ACADYR
                          ORDER BY k.KS4_ENTRIES DESC) AS pick
INTO #ks4
FROM [NPD_i2].[2002237].[KS4Pupil_2015_to_2021] AS k
GO

SELECT AcademicYear, COUNT(*) AS Pupils, SUM(Entries) AS Entries,
       ROUND(AVG(CAST(Att8 AS float)), 4) AS MeanAtt8
FROM #ks4
WHERE pick = 1
GROUP BY AcademicYear
ORDER BY AcademicYear
