-- 20 Persistent absence in 2010/11 by FSM eligibility in the spring census.
-- Answers: overall absence rate (sessions missed / possible) and the share of persistent
-- absentees, for FSM and other pupils.
-- Relations: NPD_i2 Absence_2011_3term, spring_census_2011.
SELECT ISNULL(c.FSMeligible_spr11, 0)                                   AS FSM,
       COUNT(DISTINCT a.PupilMatchingRefAnonymous_ab11)                 AS Pupils,
       ROUND(100.0 * SUM(a.OverallAbsence_3Term_ab11)
             / NULLIF(SUM(a.SessionsPossible_3Term_ab11), 0), 2)        AS PctSessionsMissed,
       SUM(ISNULL(a.PersistentAbsentee_3Term_ab11, 0))                  AS PersistentAbsentees
FROM [NPD_i2].[2002237].[Absence_2011_3term] a
JOIN [NPD_i2].[2002237].[spring_census_2011] c
  ON c.PupilMatchingRefAnonymous_spr11 = a.PupilMatchingRefAnonymous_ab11
GROUP BY ISNULL(c.FSMeligible_spr11, 0)
ORDER BY FSM
