-- 07 DWP benefit spells by benefit type: numbers, open spells and mean length in months.
-- Answers: which benefits are claimed, how many spells are still open (9999-12-31), and how
-- long do closed spells last (months crossed, DATEDIFF(month, ...))?
-- Relations: LEO_i2 leo_benefit.
SELECT b.Benefit_type                                                   AS Benefit,
       COUNT(*)                                                         AS Spells,
       SUM(IIF(b.EndDate = '9999-12-31', 1, 0))                         AS OpenSpells,
       AVG(CASE WHEN b.EndDate <> '9999-12-31'
                THEN DATEDIFF(month, b.StartDate, b.EndDate) * 1.0 END) AS MeanMonths
FROM [LEO_i2].[2002237].[leo_benefit] b
GROUP BY b.Benefit_type
ORDER BY b.Benefit_type
