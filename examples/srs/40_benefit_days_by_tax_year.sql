-- 40 Days on out-of-work benefits in each tax year, from cleaned benefit spells.
-- Answers: for tax years 2012-13 to 2018-19, how many people were on an out-of-work benefit,
-- for how many person-days in all, and for how many days on average per spell and year?
-- Relations: LEO_i2 leo_benefit.
-- As FFT's benefits script does: records whose start is not before their end are dropped
-- (leo_schema.md 4.3, quirk 10), a spell still open (EndDate 9999-12-31, quirk 9) counts to
-- the end of each year, and each spell is clipped to the tax year (6 April to 5 April) that
-- a CROSS APPLY finds it overlapping.
SET NOCOUNT ON

DROP TABLE IF EXISTS #benefit

SELECT b.EduKey                   AS edukey,
       RTRIM(LTRIM(b.Benefit_type)) AS benefit_type,
       CONVERT(DATE, b.StartDate) AS start_date,
       CONVERT(DATE, b.EndDate)   AS end_date,
       ROW_NUMBER() OVER (PARTITION BY b.EduKey, b.Benefit_type, b.StartDate
                          ORDER BY b.EndDate DESC) AS dup_rank
INTO #benefit
FROM [LEO_i2].[2002237].[leo_benefit] AS b
WHERE b.StartDate < b.EndDate
  AND b.Out_of_work_benefit = 1

DELETE FROM #benefit WHERE dup_rank > 1

DECLARE @years TABLE (tax_year INT PRIMARY KEY, ty_start DATE, ty_end DATE)
DECLARE @y INT = 2012
WHILE @y <= 2018
BEGIN
    INSERT INTO @years VALUES (@y * 100 + (@y + 1) % 100, DATEFROMPARTS(@y, 4, 6),
                               DATEFROMPARTS(@y + 1, 4, 5))
    SET @y += 1
END

SELECT y.tax_year                                                  AS TaxYear,
       CAST(LEFT(y.tax_year, 4) AS VARCHAR(4)) + '-' + RIGHT(y.tax_year, 2) AS Label,
       COUNT(DISTINCT s.edukey)                                    AS People,
       SUM(d.days)                                                 AS PersonDays,
       AVG(d.days * 1.0)                                           AS MeanDaysPerSpell
FROM @years y
CROSS APPLY (
    SELECT bb.edukey, bb.start_date, bb.end_date
    FROM #benefit bb
    WHERE bb.start_date <= y.ty_end
      AND bb.end_date >= y.ty_start
) s
CROSS APPLY (SELECT DATEDIFF(DAY,
                             IIF(s.start_date > y.ty_start, s.start_date, y.ty_start),
                             IIF(s.end_date < y.ty_end, s.end_date, y.ty_end)) + 1 AS days) d
GROUP BY y.tax_year
ORDER BY y.tax_year
