-- 74 Apprenticeship programmes by age band at start and route, with their achievement.
-- Answers: per age band (AcAge, the learner's age on 31 August) and route (framework or
-- standard), how many apprenticeship programmes started, how many were achieved, how long
-- they were planned to last, how many ended after their planned end, and the programme
-- types seen (a learner's programme counted once per learner-provider-year record).
-- Relations: LILR_i2 aims (AimType 1: the programme aim; programme_type 2, 3, 20-23, 25),
-- learners (AcAge).
-- Habits: a #temp table keyed WITH (IGNORE_DUP_KEY = ON) to keep a row per learner,
-- UPDATE ... FROM a join, DELETE with a join, the programme aims listed per row by CROSS
-- APPLY (SELECT STRING_AGG(...) WITHIN GROUP (ORDER BY ...)).
SET NOCOUNT ON;

CREATE TABLE #learner (external_id BIGINT NOT NULL PRIMARY KEY WITH (IGNORE_DUP_KEY = ON),
  RECORDID INT, age_band VARCHAR(10) NULL);
INSERT INTO #learner (external_id, RECORDID)
SELECT a.external_id, a.RECORDID
FROM LILR_i2."2002237".aims a
WHERE a.AimType = 1 AND a.programme_type IN (2, 3, 20, 21, 22, 23, 25);

UPDATE l SET l.age_band = CASE WHEN ln.AcAge <= 18 THEN '16-18' WHEN ln.AcAge <= 24
                               THEN '19-24' ELSE '25+' END
FROM #learner l
INNER JOIN LILR_i2."2002237".learners ln ON ln.external_id = l.external_id;

DELETE l FROM #learner l
LEFT JOIN LILR_i2."2002237".learners ln ON ln.external_id = l.external_id
WHERE ln.external_id IS NULL OR ln.AcAge < 16;

SELECT l.age_band,
       CASE WHEN p.programme_type = 25 THEN 'Standard' ELSE 'Framework' END AS route,
       COUNT(*)                                                      AS starts,
       SUM(CASE WHEN p.outcome = 1 THEN 1 ELSE 0 END)                AS achieved,
       CAST(AVG(DATEDIFF(MONTH, p.start_date, p.end_date_expected) * 1.0)
            AS DECIMAL(5, 1))                                        AS planned_months,
       SUM(CASE WHEN p.end_date > p.end_date_expected THEN 1 ELSE 0 END) AS ended_late,
       MAX(t.types)                                                  AS types
FROM #learner l
JOIN LILR_i2."2002237".aims p ON p.external_id = l.external_id AND p.AimType = 1
     AND p.programme_type IN (2, 3, 20, 21, 22, 23, 25)
CROSS APPLY (SELECT STRING_AGG(CAST(q.programme_type AS VARCHAR(3)), '+')
                    WITHIN GROUP (ORDER BY q.programme_type) AS types
             FROM LILR_i2."2002237".aims q
             WHERE q.external_id = l.external_id AND q.AimType = 1) t
GROUP BY l.age_band, CASE WHEN p.programme_type = 25 THEN 'Standard' ELSE 'Framework' END
ORDER BY l.age_band, route;
