-- 17 KS4 in 2013/14: five good GCSEs including English and maths, by gender.
-- Answers: the share of pupils reaching level 2 with English and maths, and mean capped
-- points, for girls and boys. 2013/14 was published under that year's rules, so its measures
-- are the `_PTQ` columns (KS4_LEVEL2_EM_PTQ, KS4_PTSTNEWG_PTQ); the legacy KS4_LEVEL2_EM and
-- KS4_PTSTNEWG hold the years before and are NULL here. Coalescing the era's column with the
-- legacy one, as researchers do, gives one measure across the years.
-- Relations: NPD_i2 KS4Pupil_2002_to_2014 (Iteration 1: [NPD].[2002237].[KS4Pupil_2002_to_2014]).
SELECT k.KS4_GENDER                                          AS Gender,
       COUNT(*)                                              AS Pupils,
       ROUND(100.0 * SUM(ISNULL(COALESCE(k.KS4_LEVEL2_EM_PTQ, k.KS4_LEVEL2_EM), 0)) / COUNT(*), 1)
                                                             AS PctLevel2EM,
       ROUND(AVG(CAST(COALESCE(k.KS4_PTSTNEWG_PTQ, k.KS4_PTSTNEWG) AS FLOAT)), 1) AS MeanPoints
FROM [NPD].[2002237].[KS4Pupil_2002_to_2014] k
WHERE k.KS4_ACADYR = '2013/2014'
GROUP BY k.KS4_GENDER
ORDER BY k.KS4_GENDER
