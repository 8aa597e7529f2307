-- 35 Post-16 learning aims in schools (PLAMS) of 2014/15 by qualification type and status.
-- Answers: how many aims of each type, and how many were completed (LearningAimStatus)?
-- Relations: NPD_i2 PLAMS_Amended_2015.
SELECT TOP 20
       p.pl_Qual_Type_Ref                       AS QualificationType,
       p.pl_LearningAimStatus                   AS AimStatus,
       COUNT(*)                                 AS Aims,
       COUNT(DISTINCT p.pl_PupilMatchingRefAnonymous) AS Students
FROM [NPD_i2].[2002237].[PLAMS_Amended_2015] p
GROUP BY p.pl_Qual_Type_Ref, p.pl_LearningAimStatus
ORDER BY Aims DESC, QualificationType, AimStatus
