-- 01 Year 11 cohort of 2010/11 from the spring census, by gender and FSM eligibility.
-- Answers: how many pupils were in Year 11 in January 2011, split by sex and free school meals?
-- Relations: [NPD_i2].[2002237].[spring_census_2011]
-- Keeps the census rows researchers keep: RecordStatus NULL, 1-10 or 20 (leo_schema.md 4.3,
-- quirk 3), one row per pupil. Replace 2002237 with your project number in the SRS.
IF OBJECT_ID('tempdb..#cohort') IS NOT NULL DROP TABLE #cohort

SELECT DISTINCT
       c.[PupilMatchingRefAnonymous_spr11] AS PMR,
       c.[Gender_spr11]                    AS Gender,
       ISNULL(c.[FSMeligible_spr11], 0)    AS FSM
INTO #cohort
FROM [NPD_i2].[2002237].[spring_census_2011] AS c
WHERE c.NCyearActual_spr11 = '11'
  AND (c.RecordStatus_spr11 IS NULL
       OR c.RecordStatus_spr11 BETWEEN 1 AND 10
       OR c.RecordStatus_spr11 = 20)
GO

SELECT Gender, FSM, COUNT(*) AS Pupils
FROM #cohort
GROUP BY Gender, FSM
ORDER BY Gender, FSM
