-- 18 From KS2 to KS4: Attainment 8 by KS2 maths level.
-- Answers: for pupils who sat KS4 in 2015/16 to 2018/19, how does mean Attainment 8 rise with
-- the maths level reached at KS2 five years earlier?
-- Relations: NPD_i2 KS2Pupil_1996_to_2016, KS4Pupil_2015_to_2021 (joined on the PMR,
-- leo_schema.md 3.3, join path 4).
SELECT ks2.KS2_MATLEV                  AS KS2MathsLevel,
       COUNT(*)                        AS Pupils,
       ROUND(AVG(ks4.KS4_ATT8), 1)     AS MeanAttainment8
FROM [NPD_i2].[2002237].[KS4Pupil_2015_to_2021] ks4
JOIN [NPD_i2].[2002237].[KS2Pupil_1996_to_2016] ks2
  ON ks2.KS2_PupilMatchingRefAnonymous = ks4.KS4_PupilMatchingRefAnonymous
WHERE ks4.KS4_ACADYR IN ('2015/2016', '2016/2017', '2017/2018', '2018/2019')
  AND ks4.KS4_ATT8 IS NOT NULL
GROUP BY ks2.KS2_MATLEV
ORDER BY ks2.KS2_MATLEV
