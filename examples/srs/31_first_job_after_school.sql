-- 31 First PAYE job after Year 11: months from the end of Year 11 (31 August 2011) to the
-- start of the first spell that began after it, for the 2010/11 Year 11 cohort.
-- Answers: how quickly did school leavers start their first job? (ROW_NUMBER picks each
-- person's first spell; DATEDIFF(month ...) counts month boundaries.)
-- Relations: NPD_i2 spring_census_2011; LEO_i2 learner_ae_id_to_pmr_lookup,
-- learner_ae_id_to_edukey_lookup, leo_employment.
DROP TABLE IF EXISTS #spells

SELECT p.AE_ID, e.StartDate,
       ROW_NUMBER() OVER (PARTITION BY p.AE_ID ORDER BY e.StartDate, e.EndDate) AS SpellNo
INTO #spells
FROM [NPD_i2].[2002237].[spring_census_2011] c
JOIN [LEO_i2].[2002237].[learner_ae_id_to_pmr_lookup] p
  ON p.PUPILMATCHINGREFANONYMOUS = c.PupilMatchingRefAnonymous_spr11
JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] k ON k.AE_ID = p.AE_ID
JOIN [LEO_i2].[2002237].[leo_employment] e ON e.EduKey = k.EDUKEY
WHERE c.NCyearActual_spr11 = '11'
  AND e.StartDate > '2011-08-31'
GO

SELECT CASE WHEN DATEDIFF(month, '2011-08-31', StartDate) <= 12 THEN '0-12 months'
            WHEN DATEDIFF(month, '2011-08-31', StartDate) <= 36 THEN '13-36 months'
            ELSE 'over 36 months' END AS TimeToFirstJob,
       COUNT(*) AS People
FROM #spells
WHERE SpellNo = 1
GROUP BY CASE WHEN DATEDIFF(month, '2011-08-31', StartDate) <= 12 THEN '0-12 months'
              WHEN DATEDIFF(month, '2011-08-31', StartDate) <= 36 THEN '13-36 months'
              ELSE 'over 36 months' END
ORDER BY TimeToFirstJob
