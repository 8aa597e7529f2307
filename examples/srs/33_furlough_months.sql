-- 33 Furlough (CJRS) in 2020/21: months furloughed from the month-by-month flag string.
-- Answers: how many people were furloughed for 1-3, 4-6 and 7+ months? CJRS_EOM_IND holds one
-- character per month ('1' furloughed), so the count is LEN minus LEN without the 1s.
-- Relations: LEO_i2 leo_cjrs.
SELECT CASE WHEN Months <= 3 THEN '1-3 months' WHEN Months <= 6 THEN '4-6 months'
            ELSE '7+ months' END AS Furloughed,
       COUNT(*) AS People,
       MIN(FirstMonth) AS EarliestFirstMonth
FROM (
    SELECT EDUKEY,
           LEN(CJRS_EOM_IND) - LEN(REPLACE(CJRS_EOM_IND, '1', '')) AS Months,
           CHARINDEX('1', CJRS_EOM_IND)                           AS FirstMonth
    FROM [LEO_i2].[2002237].[leo_cjrs]
    WHERE TAXYEAR = 202021
      AND CJRS_EOM_IND LIKE '%1%'
) f
GROUP BY CASE WHEN Months <= 3 THEN '1-3 months' WHEN Months <= 6 THEN '4-6 months'
              ELSE '7+ months' END
ORDER BY Furloughed
