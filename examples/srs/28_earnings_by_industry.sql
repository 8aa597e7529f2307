-- 28 Earnings in 2018/19 by the industry (SIC 2007 section) of the main employer.
-- Answers: the ten sections with most earners, with their mean and highest pay (TOP with an
-- ORDER BY that breaks ties, so every engine returns the same ten).
-- Relations: LEO_i2 leo_earnings.
SELECT TOP 10
       e.Main_Section                 AS Section,
       COUNT(DISTINCT e.Edukey)       AS Earners,
       ROUND(AVG(e.Earnings * 1.0), 0) AS MeanPay,
       MAX(e.Earnings)                AS MaxPay
FROM [LEO_i2].[2002237].[leo_earnings] e
WHERE e.TaxYear = 201819
  AND e.Earnings > 0
  AND e.Main_Section IS NOT NULL
GROUP BY e.Main_Section
ORDER BY COUNT(DISTINCT e.Edukey) DESC, e.Main_Section
