-- 14 Apprenticeship aims by programme type and academic year of start.
-- Answers: how many apprenticeship programme aims started each year (programme_type 2
-- advanced, 3 intermediate, 20-23 higher, 25 standard) and how many were achieved?
-- Relations: LILR_i2 aims.
SELECT YEAR(a.start_date)                                      AS StartYear,
       CASE a.programme_type WHEN 2 THEN 'advanced' WHEN 3 THEN 'intermediate'
            WHEN 25 THEN 'standard' ELSE 'higher' END          AS Apprenticeship,
       COUNT(*)                                                AS Starts,
       SUM(CASE WHEN a.outcome = 1 THEN 1 ELSE 0 END)          AS Achieved
FROM LILR_i2."2002237".aims a
WHERE a.programme_type IN (2, 3, 20, 21, 22, 23, 25)
GROUP BY YEAR(a.start_date),
         CASE a.programme_type WHEN 2 THEN 'advanced' WHEN 3 THEN 'intermediate'
              WHEN 25 THEN 'standard' ELSE 'higher' END
ORDER BY StartYear, Apprenticeship
