-- 06 Sustained employment in 2018/19: PAYE employment in at least 5 of the 6 months October
-- to March (DfE's destination-measure rule).
-- Answers: how many people with an employment spell were in sustained employment?
-- Relations: LEO_i2 leo_employment, learner_ae_id_to_edukey_lookup.
-- A month counts when a spell overlaps it; months are built with a small UNION ALL table.
DECLARE @first_month DATE = '2018-10-01'

;WITH months AS (
    SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2
    UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5
), month_bounds AS (
    SELECT DATEADD(month, n, @first_month)                        AS MonthStart,
           DATEADD(day, -1, DATEADD(month, n + 1, @first_month))  AS MonthEnd
    FROM months
), person_months AS (
    SELECT k.AE_ID, COUNT(DISTINCT m.MonthStart) AS MonthsEmployed
    FROM [LEO_i2].[2002237].[leo_employment] e
    JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] k ON k.EDUKEY = e.EduKey
    JOIN month_bounds m ON e.StartDate <= m.MonthEnd AND e.EndDate >= m.MonthStart
    GROUP BY k.AE_ID
)
SELECT MonthsEmployed,
       COUNT(*) AS People,
       IIF(MonthsEmployed >= 5, 'sustained', 'not sustained') AS Verdict
FROM person_months
GROUP BY MonthsEmployed
ORDER BY MonthsEmployed
