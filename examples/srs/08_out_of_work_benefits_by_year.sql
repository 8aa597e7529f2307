-- 08 People starting an out-of-work benefit claim, by calendar year of the claim's start.
-- Answers: how many distinct people (AE_ID) started an out-of-work claim each year since 2010?
-- Relations: LEO_i2 leo_benefit, learner_ae_id_to_edukey_lookup.
SELECT YEAR(b.StartDate)          AS ClaimYear,
       COUNT(DISTINCT k.AE_ID)    AS People,
       COUNT(*)                   AS Claims
FROM LEO_i2."2002237".leo_benefit b
JOIN LEO_i2."2002237".learner_ae_id_to_edukey_lookup k ON k.EDUKEY = b.EduKey
WHERE b.Out_of_work_benefit = 1
  AND b.StartDate >= '2010-01-01'
GROUP BY YEAR(b.StartDate)
ORDER BY ClaimYear
