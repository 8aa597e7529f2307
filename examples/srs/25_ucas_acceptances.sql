-- 25 UCAS applicants and acceptances by application cycle.
-- Answers: how many English 18-year-old applicants applied in each cycle, and what share
-- were placed (accept_flag)?
-- Relations: UCAS_i2 ucas_2007_to_2021.
SELECT u.application_cycle                                          AS Cycle,
       COUNT(DISTINCT u.PupilMatchingRefAnonymous)                  AS Applicants,
       COUNT(DISTINCT CASE WHEN u.accept_flag = 1 THEN u.PupilMatchingRefAnonymous END) AS Placed
FROM [UCAS_i2].[2002237].[ucas_2007_to_2021] u
GROUP BY u.application_cycle
ORDER BY u.application_cycle
