-- 04 Employment spells of a person, once (4.3 items 6 and 15; quirks employment_other_edukey,
-- p14_benefit_spell).
-- Lesson: resolve EDUKEYs to the person (AE_ID) before counting, drop a spell repeated with the
-- same dates under another of the person's EDUKEYs, and drop "employment" that is a JSA, ESA or
-- Incapacity Benefit spell of the same person with the same dates (P14 returns of 2004-2017
-- wrongly included some benefit records). Mess combines: when the benefit record's own end date
-- is impossible (before its start), the start date alone identifies the copy.
-- Recovers: the clean extract's answer.
-- Relations: [LEO_i2].[2002237].[leo_employment], [LEO_i2].[2002237].[leo_benefit],
--            [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup]
IF OBJECT_ID('tempdb..#spells') IS NOT NULL DROP TABLE #spells

SELECT DISTINCT l.AE_ID, e.StartDate, e.EndDate
INTO #spells
FROM [LEO_i2].[2002237].[leo_employment] AS e
JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] AS l ON l.EDUKEY = e.EduKey
WHERE NOT EXISTS (
    SELECT 1
    FROM [LEO_i2].[2002237].[leo_benefit] AS b
    JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] AS lb ON lb.EDUKEY = b.EduKey
    WHERE lb.AE_ID = l.AE_ID
      AND b.Benefit_type IN ('JSA', 'ESA', 'IB')
      AND b.StartDate = e.StartDate
      -- the same end, or an end the benefit record itself got wrong (before its start)
      AND (b.EndDate = e.EndDate OR b.EndDate < b.StartDate))
GO

SELECT YEAR(StartDate) AS StartYear, COUNT(*) AS Spells, COUNT(DISTINCT AE_ID) AS Persons
FROM #spells
GROUP BY YEAR(StartDate)
ORDER BY StartYear
