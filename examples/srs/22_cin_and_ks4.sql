-- 22 Children in need and their KS4 results.
-- Answers: mean Attainment 8 of pupils who were ever in the CIN census before KS4, against
-- all others, in 2015/16 to 2020/21.
-- Relations: NPD_i2 cin_child_2009_to_2021, KS4Pupil_2015_to_2021.
SELECT CASE WHEN cin.PMR IS NULL THEN 'never CIN' ELSE 'ever CIN' END AS CINStatus,
       COUNT(*)                                                    AS Pupils,
       ROUND(AVG(k.KS4_ATT8), 1)                                   AS MeanAttainment8
FROM [NPD_i2].[2002237].[KS4Pupil_2015_to_2021] k
LEFT JOIN (SELECT DISTINCT CIN_PupilMatchingRefAnonymous AS PMR
           FROM [NPD_i2].[2002237].[cin_child_2009_to_2021]) cin
       ON cin.PMR = k.KS4_PupilMatchingRefAnonymous
WHERE k.KS4_ATT8 IS NOT NULL
GROUP BY CASE WHEN cin.PMR IS NULL THEN 'never CIN' ELSE 'ever CIN' END
ORDER BY CINStatus
