-- 02 Linkage coverage of a school cohort: PMR -> AE_ID -> EDUKEY.
-- Answers: of the pupils in Year 9-11 in spring 2011, how many resolve to a person (AE_ID) and
-- how many of those have an EDUKEY (the key of the HMRC and DWP tables)?
-- Relations: NPD_i2 spring_census_2011; LEO_i2 learner_ae_id_to_pmr_lookup,
-- learner_ae_id_to_edukey_lookup (leo_schema.md 3.3, join path 1).
SELECT c.NCyearActual_spr11                                  AS NCYear,
       COUNT(DISTINCT c.PupilMatchingRefAnonymous_spr11)     AS Pupils,
       COUNT(DISTINCT p.AE_ID)                               AS WithAEID,
       COUNT(DISTINCT CASE WHEN k.EDUKEY IS NOT NULL THEN p.AE_ID END) AS WithEdukey
FROM [NPD_i2].[2002237].[spring_census_2011] c
LEFT JOIN [LEO_i2].[2002237].[learner_ae_id_to_pmr_lookup] p
       ON p.PUPILMATCHINGREFANONYMOUS = c.PupilMatchingRefAnonymous_spr11
LEFT JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] k
       ON k.AE_ID = p.AE_ID
WHERE c.NCyearActual_spr11 IN ('9', '10', '11')
GROUP BY c.NCyearActual_spr11
ORDER BY c.NCyearActual_spr11
