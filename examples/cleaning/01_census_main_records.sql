-- 01 One main census record per pupil (leo_schema.md 4.3 item 3; quirk census_duplicate).
-- Lesson: a pupil can have a second record of the same census (RecordStatus 101, not on roll).
-- Researchers keep the rows whose RecordStatus is NULL, 1-10 or 20, then count pupils once.
-- Recovers: the clean extract's answer.
-- Relations: [NPD_i2].[2002237].[spring_census_2011]
SELECT c.NCyearActual_spr11 AS NCYear,
       COUNT(*) AS Records,
       COUNT(DISTINCT c.PupilMatchingRefAnonymous_spr11) AS Pupils
FROM [NPD_i2].[2002237].[spring_census_2011] AS c
WHERE c.RecordStatus_spr11 IS NULL
   OR c.RecordStatus_spr11 BETWEEN 1 AND 10
   OR c.RecordStatus_spr11 = 20
GROUP BY c.NCyearActual_spr11
ORDER BY c.NCyearActual_spr11
