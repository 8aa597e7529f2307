-- 24 KS5 (16-18) results by free school meals at KS4, 2016/17 to 2020/21.
-- Answers: number of KS5 students and their mean total points, by the FSM flag carried over
-- from KS4 (KS5_KS4_FSM), which the extract holds from 2016/17; the points are then all on the
-- 2016 scale (an A level A* is 60; the years to 2014/15 use the old scale, an A* 300, so a mean
-- over every year would mix the two).
-- Relations: NPD_i2 KS5Student_2002_to_2021.
SELECT ISNULL(CAST(s.KS5_KS4_FSM AS VARCHAR(4)), 'unknown') AS KS4FSM,
       COUNT(*)                                             AS Students,
       ROUND(AVG(CAST(s.KS5_POINTS_TOT AS FLOAT)), 1)       AS MeanPoints
FROM [NPD_i2].[2002237].[KS5Student_2002_to_2021] s
WHERE s.KS5_ACADYR >= '2016/2017'
GROUP BY ISNULL(CAST(s.KS5_KS4_FSM AS VARCHAR(4)), 'unknown')
ORDER BY KS4FSM
