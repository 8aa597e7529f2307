-- 29 Employers of 2018/19 earners from the IDBR: the size band of the main enterprise.
-- Answers: how many earners worked for enterprises of each employee size band (Employees),
-- joining the main enterprise to the IDBR lookup of the matching SourceYear (the tax year's
-- end: 201819 / 100 + 1 = 2019, integer division as in SQL Server).
-- Relations: LEO_i2 leo_earnings, idbr_lookup (leo_schema.md 3.3, join path 5).
SELECT i.Employees                 AS SizeBand,
       COUNT(DISTINCT e.Edukey)    AS Earners,
       COUNT(DISTINCT i.ENTKEY)    AS Enterprises
FROM [LEO_i2].[2002237].[leo_earnings] e
JOIN [LEO_i2].[2002237].[idbr_lookup] i
  ON i.ENTKEY = e.main_enterprise
 AND i.SourceYear = CAST(e.TaxYear / 100 + 1 AS VARCHAR(4))
WHERE e.TaxYear = 201819
GROUP BY i.Employees
ORDER BY i.Employees
