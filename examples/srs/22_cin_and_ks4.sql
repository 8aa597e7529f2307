-- 22 Children in need and their KS4 results.
-- Answers: mean Attainment 8 of pupils who were in the CIN census in any year up to and
-- including their KS4 year, against all others, in 2015/16 to 2020/21.
-- Relations: NPD_i2 cin_child_2009_to_2021, KS4Pupil_2015_to_2021.
SELECT CASE WHEN cin.ever = 1 THEN 'ever CIN' ELSE 'never CIN' END AS CINStatus,
       COUNT(*)                                                    AS Pupils,
       ROUND(AVG(k.KS4_ATT8), 1)                                   AS MeanAttainment8
FROM [NPD_i2].[2002237].[KS4Pupil_2015_to_2021] k
OUTER APPLY (SELECT TOP (1) 1 AS ever
             FROM [NPD_i2].[2002237].[cin_child_2009_to_2021] c
             WHERE c.CIN_PupilMatchingRefAnonymous = k.KS4_PupilMatchingRefAnonymous
               AND c.CIN_ACADYR <= k.KS4_ACADYR) cin
WHERE k.KS4_ATT8 IS NOT NULL
GROUP BY CASE WHEN cin.ever = 1 THEN 'ever CIN' ELSE 'never CIN' END
ORDER BY CINStatus
