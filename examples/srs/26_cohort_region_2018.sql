-- 26 Where the 2010/11 Year 11 cohort lived in 2018/19 (DWP residence by region).
-- Answers: how many of the cohort had a residence record in tax year 2018/19, by region?
-- Relations: NPD_i2 spring_census_2011; LEO_i2 learner_ae_id_to_pmr_lookup,
-- learner_ae_id_to_edukey_lookup, leo_geography.
SELECT ISNULL(g.GORNM, 'unknown')     AS Region,
       COUNT(DISTINCT p.AE_ID)        AS People
FROM [NPD_i2].[2002237].[spring_census_2011] c
JOIN [LEO_i2].[2002237].[learner_ae_id_to_pmr_lookup] p
  ON p.PUPILMATCHINGREFANONYMOUS = c.PupilMatchingRefAnonymous_spr11
JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] k ON k.AE_ID = p.AE_ID
JOIN [LEO_i2].[2002237].[leo_geography] g ON g.Edukey = k.EDUKEY
WHERE c.NCyearActual_spr11 = '11'
  AND g.TaxYear = 201819
GROUP BY ISNULL(g.GORNM, 'unknown')
ORDER BY Region
