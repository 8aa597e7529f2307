-- 06 Mess that loses information (4.3 items 10, 11, 13, 16, 19 and 22): what researchers do
-- when the clean value is gone.
-- Lesson:
--  * a benefit spell that ends before it starts (benefit_end_before_start) is dropped;
--  * a non-numeric HE_YEARPRG of 2004/05-2006/07 (hesa_yearprg_text) is unknown: TRY_CAST;
--  * a residence missing before 2012/13 (geography_gap) is taken from the person's nearest
--    earlier year;
--  * low earners missing before 2013/14 (paye_low_earner_missing) cannot be found: say so.
-- Recovers: no (the counts below differ from the clean extract's by the defects).
-- Relations: [LEO_i2].[2002237].[leo_benefit], [HESA_i2].[2002237].[hesa_2006],
--            [LEO_i2].[2002237].[leo_geography]
SELECT 'benefit spells kept' AS Measure, COUNT(*) AS Value
FROM [LEO_i2].[2002237].[leo_benefit] AS b
WHERE b.EndDate >= b.StartDate
UNION ALL
SELECT 'hesa 2005/06 first-year students', COUNT(*)
FROM [HESA_i2].[2002237].[hesa_2006] AS h
WHERE TRY_CAST(h.HE_YEARPRG AS int) = 1
UNION ALL
SELECT 'geography 2011/12 residents, gaps filled from 2010/11', COUNT(*)
FROM (SELECT g.Edukey FROM [LEO_i2].[2002237].[leo_geography] AS g WHERE g.TaxYear = 201112
      UNION
      SELECT g.Edukey FROM [LEO_i2].[2002237].[leo_geography] AS g WHERE g.TaxYear = 201011)
     AS residents
ORDER BY 1
