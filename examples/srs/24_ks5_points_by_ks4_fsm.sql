-- 24 KS5 (16-18) results by free school meals at KS4.
-- Answers: number of KS5 students and their mean total points, by the FSM flag carried over
-- from KS4 (KS5_KS4_FSM).
-- Relations: NPD_i2 KS5Student_2002_to_2021.
SELECT ISNULL(CAST(s.KS5_KS4_FSM AS VARCHAR(4)), 'unknown') AS KS4FSM,
       COUNT(*)                                             AS Students,
       ROUND(AVG(CAST(s.KS5_POINTS_TOT AS FLOAT)), 1)       AS MeanPoints
FROM [NPD_i2].[2002237].[KS5Student_2002_to_2021] s
GROUP BY ISNULL(CAST(s.KS5_KS4_FSM AS VARCHAR(4)), 'unknown')
ORDER BY KS4FSM
