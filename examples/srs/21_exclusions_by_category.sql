-- 21 Exclusions in 2010/11 by category (permanent PERM, fixed period FIXD...) and reason.
-- Answers: how many exclusions and sessions lost per category, and the commonest reason.
-- Relations: NPD_i2 exclusions_table_1_2011.
WITH by_reason AS (
    SELECT Category_ex11 AS Category, Reason_ex11 AS Reason, COUNT(*) AS n,
           ROW_NUMBER() OVER (PARTITION BY Category_ex11 ORDER BY COUNT(*) DESC, Reason_ex11) AS rk
    FROM [NPD_i2].[2002237].[exclusions_table_1_2011]
    GROUP BY Category_ex11, Reason_ex11
)
SELECT x.Category_ex11                     AS Category,
       COUNT(*)                            AS Exclusions,
       SUM(ISNULL(x.Sessions_ex11, 0))     AS SessionsLost,
       MAX(r.Reason)                       AS CommonestReason
FROM [NPD_i2].[2002237].[exclusions_table_1_2011] x
JOIN by_reason r ON r.Category = x.Category_ex11 AND r.rk = 1
GROUP BY x.Category_ex11
ORDER BY Category
