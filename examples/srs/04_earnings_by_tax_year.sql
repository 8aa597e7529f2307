-- 04 Annual PAYE earnings per person and tax year, summed over EDUKEYs (FFT's rule).
-- Answers: in each tax year from 2014/15, how many people had earnings above zero and what
-- was their mean? TaxYear is YYYYYY (201819); its start year is LEFT(TaxYear, 4).
-- Relations: LEO_i2 leo_earnings, learner_ae_id_to_edukey_lookup.
-- Negative pay is recorded as 0, so only earnings > 0 count (leo_schema.md 4.3, quirk 14).
WITH person_year AS (
    SELECT k.AE_ID, e.TaxYear, SUM(e.Earnings) AS Pay
    FROM [LEO_i2].[2002237].[leo_earnings] e
    JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] k ON k.EDUKEY = e.Edukey
    WHERE e.TaxYear >= 201415
    GROUP BY k.AE_ID, e.TaxYear
)
SELECT CAST(LEFT(CAST(TaxYear AS VARCHAR(6)), 4) AS INT) AS StartYear,
       COUNT(*)                                          AS Earners,
       ROUND(AVG(Pay * 1.0), 0)                          AS MeanPay
FROM person_year
WHERE Pay > 0
GROUP BY TaxYear
ORDER BY StartYear;
