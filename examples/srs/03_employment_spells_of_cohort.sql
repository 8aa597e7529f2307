-- 03 PAYE employment spells of the 2010/11 Year 11 cohort.
-- Answers: how many spells did the cohort have, how long were the closed ones (in days), and
-- how many are still open (EndDate 9999-12-31)?
-- Relations: NPD_i2 spring_census_2011; LEO_i2 learner_ae_id_to_pmr_lookup,
-- learner_ae_id_to_edukey_lookup, leo_employment.
DROP TABLE IF EXISTS #y11;

SELECT DISTINCT k.EDUKEY
INTO #y11
FROM NPD_i2."2002237".spring_census_2011 c
JOIN LEO_i2."2002237".learner_ae_id_to_pmr_lookup p
  ON p.PUPILMATCHINGREFANONYMOUS = c.PupilMatchingRefAnonymous_spr11
JOIN LEO_i2."2002237".learner_ae_id_to_edukey_lookup k
  ON k.AE_ID = p.AE_ID
WHERE c.NCyearActual_spr11 = '11';

SELECT COUNT(*)                                                   AS Spells,
       COUNT(DISTINCT e.EduKey)                                   AS People,
       SUM(CASE WHEN e.EndDate = '9999-12-31' THEN 1 ELSE 0 END)  AS OpenSpells,
       AVG(CASE WHEN e.EndDate <> '9999-12-31'
                THEN DATEDIFF(day, e.StartDate, e.EndDate) * 1.0 END) AS MeanClosedDays,
       MIN(e.StartDate)                                           AS FirstStart
FROM #y11 y
JOIN LEO_i2."2002237".leo_employment e ON e.EduKey = y.EDUKEY;
