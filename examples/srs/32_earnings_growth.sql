-- 32 Year-on-year growth of PAYE pay for people who earned in consecutive tax years.
-- Answers: how many person-years saw pay rise, fall or stay the same against the tax year
-- before (LAG over each person's tax years; 201819 - 101 = 201718).
-- Relations: LEO_i2 leo_earnings, learner_ae_id_to_edukey_lookup.
WITH pay AS (
    SELECT k.AE_ID, e.TaxYear, SUM(e.Earnings) AS Pay
    FROM [LEO_i2].[2002237].[leo_earnings] e
    JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] k ON k.EDUKEY = e.Edukey
    GROUP BY k.AE_ID, e.TaxYear
), lagged AS (
    SELECT AE_ID, TaxYear, Pay,
           LAG(Pay) OVER (PARTITION BY AE_ID ORDER BY TaxYear)     AS PrevPay,
           LAG(TaxYear) OVER (PARTITION BY AE_ID ORDER BY TaxYear) AS PrevYear
    FROM pay
)
SELECT CASE WHEN Pay > PrevPay THEN 'rose' WHEN Pay < PrevPay THEN 'fell' ELSE 'same' END AS Change,
       COUNT(*) AS PersonYears
FROM lagged
WHERE PrevYear = TaxYear - 101
  AND PrevPay > 0
GROUP BY CASE WHEN Pay > PrevPay THEN 'rose' WHEN Pay < PrevPay THEN 'fell' ELSE 'same' END
ORDER BY Change
