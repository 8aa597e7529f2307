-- 05 Earnings of 2012/13 first-degree graduates 1, 3 and 5 years after graduation (YAG).
-- Answers: how many 2012/13 graduates earned in the tax years 2014/15, 2016/17 and 2018/19,
-- and what did they earn on average? (1 YAG is the first full tax year after graduating.)
-- Relations: HESA_i2 hesa_2013; LEO_i2 learner_ae_id_to_pmr_lookup,
-- learner_ae_id_to_edukey_lookup, leo_earnings (leo_schema.md 3.3, join path 3).
IF OBJECT_ID('tempdb..#grads') IS NOT NULL DROP TABLE #grads

SELECT DISTINCT p.AE_ID
INTO #grads
FROM [HESA_i2].[2002237].[hesa_2013] h
JOIN [LEO_i2].[2002237].[learner_ae_id_to_pmr_lookup] p
  ON p.PUPILMATCHINGREFANONYMOUS = h.HE_PUPILMATCHINGREFANONYMOUS
WHERE h.HE_XPQUAL01 = 1
  AND LEFT(h.HE_XQOBTN01, 1) IN ('H', 'I')
GO

SELECT CASE e.TaxYear WHEN 201415 THEN '1 YAG' WHEN 201617 THEN '3 YAG' ELSE '5 YAG' END AS YAG,
       COUNT(DISTINCT g.AE_ID)  AS Graduates,
       SUM(CAST(e.Earnings AS BIGINT)) AS TotalPay  -- an int's SUM overflows past 2^31 in the SRS
FROM #grads g
JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] k ON k.AE_ID = g.AE_ID
JOIN [LEO_i2].[2002237].[leo_earnings] e ON e.Edukey = k.EDUKEY
WHERE e.TaxYear IN (201415, 201617, 201819)
  AND e.Earnings > 0
GROUP BY e.TaxYear
ORDER BY YAG
