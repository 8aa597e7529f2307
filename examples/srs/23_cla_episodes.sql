-- 23 Looked-after children: episodes and their length in days.
-- Answers: how many care episodes started each year since 2010, how many have ended, and how
-- long ended episodes lasted on average (DATEDIFF in days).
-- Relations: NPD_i2 cla_2006_to_2021.
SELECT YEAR(cla_DATE_EPI_COMM)                                            AS StartYear,
       COUNT(*)                                                           AS Episodes,
       COUNT(cla_DATE_EPI_CEASED)                                         AS Ended,
       AVG(DATEDIFF(day, cla_DATE_EPI_COMM, cla_DATE_EPI_CEASED) * 1.0)   AS MeanDays
FROM NPD_i2."2002237".cla_2006_to_2021
WHERE cla_DATE_EPI_COMM >= '2010-01-01'
GROUP BY YEAR(cla_DATE_EPI_COMM)
ORDER BY StartYear
