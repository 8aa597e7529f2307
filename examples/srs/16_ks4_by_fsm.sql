-- 16 KS4 results of 2018/19 by free school meal eligibility.
-- Answers: mean Attainment 8 and the share with grade 4+ in English and maths (L2BASICS_94),
-- for FSM and non-FSM pupils.
-- Relations: NPD_i2 KS4Pupil_2015_to_2021.
SELECT CASE WHEN k.KS4_FSM = 1 THEN 'FSM' ELSE 'not FSM' END        AS FSM,
       COUNT(*)                                                    AS Pupils,
       ROUND(AVG(k.KS4_ATT8), 1)                                   AS MeanAttainment8,
       ROUND(100.0 * SUM(ISNULL(k.KS4_L2BASICS_94, 0)) / COUNT(*), 1) AS PctBasics94
FROM [NPD_i2].[2002237].[KS4Pupil_2015_to_2021] k
WHERE k.KS4_ACADYR = '2018/2019'
GROUP BY CASE WHEN k.KS4_FSM = 1 THEN 'FSM' ELSE 'not FSM' END
ORDER BY FSM
