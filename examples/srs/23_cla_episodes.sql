-- 23 Looked-after children per year of the SSDA903 return, and how long periods of care last.
-- Answers: per processing year since 2010 (year to 31 March), the children looked after at any
-- time, at 31 March, starting a period of care and ceasing one, and the mean length in days of
-- the periods that ended. The view holds a row per child and year (the latest period in the
-- year): a period spanning years is in each year's rows, so count starts by cla_POC_START in
-- the year, not rows.
-- Relations: NPD_i2 cla_2006_to_2021.
SELECT cla_PROCESSING_YEAR                                                   AS ProcessingYear,
       COUNT(*)                                                              AS LookedAfter,
       SUM(cla_CLA_31_MARCH)                                                 AS At31March,
       SUM(CASE WHEN cla_POC_START >= DATEFROMPARTS(cla_PROCESSING_YEAR - 1, 4, 1)
                THEN 1 ELSE 0 END)                                           AS Started,
       SUM(CASE WHEN cla_CLA_31_MARCH = 0 THEN 1 ELSE 0 END)                 AS Ceased,
       AVG(CASE WHEN cla_CLA_31_MARCH = 0 THEN cla_POC_LENGTH * 1.0 END)     AS MeanDaysCeased
FROM NPD_i2."2002237".cla_2006_to_2021
WHERE cla_PROCESSING_YEAR >= 2010
GROUP BY cla_PROCESSING_YEAR
ORDER BY ProcessingYear
