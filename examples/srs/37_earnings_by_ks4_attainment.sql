-- 37 PAYE earnings in 2019/20 of the 2015/16 and 2016/17 KS4 cohorts, by Attainment 8 band.
-- Answers: for each Attainment 8 band (below 30, 30-49, 50+, missing) and sex, how many
-- pupils there were, how many earned in the tax year 2019/20 (three or four years after
-- KS4), their mean pay (AVG of a DECIMAL: six places, as the SRS shows it) and the share
-- earning.
-- Relations: NPD_i2 KS4Pupil_2015_to_2021; LEO_i2 learner_ae_id_to_pmr_lookup,
-- learner_ae_id_to_edukey_lookup, leo_earnings.
SET NOCOUNT ON;
IF OBJECT_ID('tempdb..#ks4') IS NOT NULL DROP TABLE #ks4;

SELECT k.KS4_PupilMatchingRefAnonymous AS pmr,
       CASE WHEN k.KS4_ATT8 < 30  THEN '1: below 30'
            WHEN k.KS4_ATT8 < 50  THEN '2: 30-49'
            WHEN k.KS4_ATT8 >= 50 THEN '3: 50+'
            ELSE '9: missing' END AS band,
       k.KS4_GENDER AS sex
INTO #ks4
FROM [NPD_i2].[2002237].[KS4Pupil_2015_to_2021] k
WHERE k.KS4_ACADYR IN ('2015/2016', '2016/2017');

SELECT c.band, c.sex,
       COUNT(DISTINCT c.pmr)                        AS pupils,
       COUNT(DISTINCT e.Edukey)                     AS earners,
       AVG(CAST(e.Earnings AS DECIMAL(12, 2)))      AS mean_pay,
       CAST(100.0 * COUNT(DISTINCT e.Edukey) / COUNT(DISTINCT c.pmr) AS DECIMAL(5, 2)) AS pct_earning
FROM #ks4 c
JOIN [LEO_i2].[2002237].[learner_ae_id_to_pmr_lookup] p ON p.PUPILMATCHINGREFANONYMOUS = c.pmr
JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] l ON l.AE_ID = p.AE_ID
LEFT JOIN [LEO_i2].[2002237].[leo_earnings] e
       ON e.Edukey = l.EDUKEY AND e.TaxYear = 201920 AND e.Earnings > 0
GROUP BY c.band, c.sex
ORDER BY c.band, c.sex;
