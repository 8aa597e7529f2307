-- 54 Earnings trajectories per person by window functions.
-- Answers: for each person and tax year with earnings, what did they earn two years before and
-- what is their next tax year, their three-year moving average and running total, their
-- latest and best years, and where does the year's pay place them (quintile, percent rank)?
-- Relations: LEO_i2 leo_earnings.
-- LAST_VALUE needs ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING: SQL Server's
-- default frame with ORDER BY ends at the current row (last_so_far is the row's own pay).
-- A window's ORDER BY takes no position or constant (ORDER BY 1 is error 5308): write
-- ORDER BY (SELECT NULL) for rows in no order. LAG's default has its value's type.
SET NOCOUNT ON

;WITH p AS (
  SELECT Edukey, TaxYear, SUM(Earnings) AS pay
  FROM [LEO_i2].[2002237].[leo_earnings]
  WHERE Earnings > 0
  GROUP BY Edukey, TaxYear
)
SELECT TOP 40 Edukey, TaxYear, pay,
  LAG(pay, 2, 0) OVER (PARTITION BY Edukey ORDER BY TaxYear) AS pay_2y_ago,
  LEAD(TaxYear, 1, -1) OVER (PARTITION BY Edukey ORDER BY TaxYear) AS next_year,
  AVG(pay) OVER (PARTITION BY Edukey ORDER BY TaxYear
                 ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS ma3,
  SUM(pay) OVER (PARTITION BY Edukey ORDER BY TaxYear RANGE UNBOUNDED PRECEDING) AS cum,
  LAST_VALUE(pay) OVER (PARTITION BY Edukey ORDER BY TaxYear) AS last_so_far,
  LAST_VALUE(pay) OVER (PARTITION BY Edukey ORDER BY TaxYear
                        ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS last_pay,
  FIRST_VALUE(TaxYear) OVER (PARTITION BY Edukey ORDER BY pay DESC, TaxYear) AS best_year,
  NTILE(5) OVER (PARTITION BY TaxYear ORDER BY pay, Edukey) AS quintile,
  CAST(PERCENT_RANK() OVER (PARTITION BY TaxYear ORDER BY pay) AS DECIMAL(5, 4)) AS prank,
  CAST(CUME_DIST() OVER (PARTITION BY TaxYear ORDER BY pay) AS DECIMAL(5, 4)) AS cdist
FROM p
ORDER BY Edukey, TaxYear
