-- 19 Where did the 2015/16 KS4 cohort go the next year? School sixth form (KS5 or the
-- spring census), FE (an ILR aim), employment (PAYE) or none of these recorded.
-- Answers: a rough destination split for 2016/17, one destination per pupil in that order.
-- Relations: NPD_i2 KS4Pupil_2015_to_2021, spring_census_2017, KS5Student_2002_to_2021;
-- LILR_i2 aims; LEO_i2 learner_ae_id_to_pmr_lookup, education_records_lookup,
-- learner_ae_id_to_edukey_lookup, leo_employment.
IF OBJECT_ID('tempdb..#ks4') IS NOT NULL DROP TABLE #ks4

SELECT DISTINCT k.KS4_PupilMatchingRefAnonymous AS PMR, p.AE_ID
INTO #ks4
FROM [NPD_i2].[2002237].[KS4Pupil_2015_to_2021] k
LEFT JOIN [LEO_i2].[2002237].[learner_ae_id_to_pmr_lookup] p
       ON p.PUPILMATCHINGREFANONYMOUS = k.KS4_PupilMatchingRefAnonymous
WHERE k.KS4_ACADYR = '2015/2016'
GO

SELECT Destination, COUNT(*) AS Pupils
FROM (
    SELECT c.PMR,
           CASE WHEN EXISTS (SELECT 1 FROM [NPD_i2].[2002237].[spring_census_2017] s
                             WHERE s.PupilMatchingRefAnonymous_spr17 = c.PMR)
                  OR EXISTS (SELECT 1 FROM [NPD_i2].[2002237].[KS5Student_2002_to_2021] k5
                             WHERE k5.KS5_PupilMatchingRefAnonymous = c.PMR)
                THEN '1 school'
                WHEN EXISTS (SELECT 1 FROM [LEO_i2].[2002237].[education_records_lookup] r
                             JOIN [LILR_i2].[2002237].[aims] a ON a.RECORDID = r.RECORDID
                             WHERE r.AE_ID = c.AE_ID AND a.[Year] = 2016)
                THEN '2 further education'
                WHEN EXISTS (SELECT 1 FROM [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] ek
                             JOIN [LEO_i2].[2002237].[leo_employment] e ON e.EduKey = ek.EDUKEY
                             WHERE ek.AE_ID = c.AE_ID
                               AND e.StartDate <= '2017-03-31' AND e.EndDate >= '2016-10-01')
                THEN '3 employment'
                ELSE '4 none recorded' END AS Destination
    FROM #ks4 c
) d
GROUP BY Destination
ORDER BY Destination
