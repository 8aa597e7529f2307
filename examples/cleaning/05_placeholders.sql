-- 05 Values that stand for nothing (4.3 items 12 and 17; quirks blank_string, ilr_end_1900).
-- Lesson: HESA text columns hold '' where the clean extract has NULL (a student who obtained
-- no qualification), and an ILR aim without an end date may carry the placeholder 1900-01-01:
-- turn both back into NULL before counting what is known.
-- Recovers: the clean extract's answer.
-- Relations: [HESA_i2].[2002237].[hesa_2015], [LILR_i2].[2002237].[aims]
SELECT 'hesa 2014/15 qualifiers' AS Measure, COUNT(NULLIF(h.HE_XQOBTN01, '')) AS Known,
       COUNT(*) AS Records
FROM [HESA_i2].[2002237].[hesa_2015] AS h
UNION ALL
SELECT 'ilr aims with an end date',
       COUNT(NULLIF(a.end_date, CAST('1900-01-01' AS date))), COUNT(*)
FROM [LILR_i2].[2002237].[aims] AS a
ORDER BY 1
