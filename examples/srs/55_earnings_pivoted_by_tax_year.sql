-- 55 Earnings pivoted by tax year into columns, and back into rows.
-- Answers: what did each person earn in 2016/17, 2017/18 and 2018/19 side by side, and, for
-- those who earned in 2016/17, how did each later year compare with it?
-- Relations: LEO_i2 leo_earnings.
-- PIVOT groups by every other column of its source (hence the derived #earn of three
-- columns); UNPIVOT leaves out the NULLs of years without earnings.
SET NOCOUNT ON

DROP TABLE IF EXISTS #earn
SELECT e.Edukey, e.TaxYear, SUM(e.Earnings) AS pay
INTO #earn
FROM [LEO_i2].[2002237].[leo_earnings] e
WHERE e.TaxYear IN (201617, 201718, 201819)
GROUP BY e.Edukey, e.TaxYear

IF OBJECT_ID('tempdb..#wide') IS NOT NULL DROP TABLE #wide
SELECT Edukey, [201617] AS y1617, [201718] AS y1718, [201819] AS y1819
INTO #wide
FROM #earn
PIVOT (SUM(pay) FOR TaxYear IN ([201617], [201718], [201819])) AS pv

SELECT TOP 30 u.Edukey, u.yr, u.pay,
  u.pay - w.y1617 AS since_1617,
  IIF(u.pay > w.y1617, 'up', IIF(u.pay < w.y1617, 'down', 'same')) AS direction
FROM #wide AS w
CROSS APPLY (SELECT Edukey, yr, pay FROM #wide
   UNPIVOT (pay FOR yr IN (y1617, y1718, y1819)) AS x WHERE x.Edukey = w.Edukey) AS u
WHERE w.y1617 IS NOT NULL
ORDER BY u.Edukey, u.yr
