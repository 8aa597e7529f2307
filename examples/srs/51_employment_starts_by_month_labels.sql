-- 51 Employment spells started per month of 2019, with labels built from CHAR(n) values.
-- Answers: how many employment spells started in each month of 2019, under a 'yyyy-mm' key
-- and an 'm/yyyy' label, and how do they compare with the year's busiest month?
-- Relations: LEO_i2 leo_employment.
-- The labels are CHAR(n), as many older scripts declare them: SQL Server pads a CHAR(n) with
-- spaces, so CAST(MONTH(d) AS CHAR(2)) + '/' + ... is '1 /2019' (not '1/2019') and a CHAR(12)
-- column holds 12 characters (DATALENGTH 12, LEN 7); comparisons ignore the spaces.
SET NOCOUNT ON

IF OBJECT_ID('tempdb..#starts') IS NOT NULL DROP TABLE #starts
CREATE TABLE #starts (ym CHAR(7) NOT NULL PRIMARY KEY, label CHAR(12), spells INT)

INSERT INTO #starts (ym, label, spells)
SELECT CAST(YEAR(StartDate) AS CHAR(4)) + '-' + RIGHT('0' + CAST(MONTH(StartDate) AS VARCHAR(2)), 2),
       CAST(MONTH(StartDate) AS CHAR(2)) + '/' + CAST(YEAR(StartDate) AS CHAR(4)),
       COUNT(*)
FROM [LEO_i2].[2002237].[leo_employment]
WHERE StartDate >= '20190101' AND StartDate < '20200101'
GROUP BY YEAR(StartDate), MONTH(StartDate)

DECLARE @source CHAR(6) = 'PAYE'
DECLARE @busiest INT = (SELECT MAX(spells) FROM #starts)

SELECT ym,
       @source + ':' + label AS tagged_label,
       LEN(label) AS label_chars,
       DATALENGTH(label) AS label_bytes,
       spells,
       CAST(100.0 * spells / @busiest AS DECIMAL(5, 1)) AS pct_of_busiest,
       CASE WHEN label = '1 /2019' THEN 'first month' ELSE '' END AS note
FROM #starts
ORDER BY ym
