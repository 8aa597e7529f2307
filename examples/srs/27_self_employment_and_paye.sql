-- 27 Self-assessment returns and PAYE earnings in the same tax year.
-- Answers: in each tax year since 2014/15, how many people filed self-employment income, how
-- many of them also had PAYE pay, and what was their mean self-employment profit?
-- Relations: LEO_i2 leo_self_assessment, leo_earnings.
SELECT sa.TaxYear,
       COUNT(DISTINCT sa.Edukey)                                       AS SelfEmployed,
       COUNT(DISTINCT CASE WHEN e.Edukey IS NOT NULL THEN sa.Edukey END) AS AlsoPAYE,
       ROUND(AVG(sa.EARNINGS_SELF_EMPLOYMENT * 1.0), 0)                AS MeanProfit
FROM LEO_i2."2002237".leo_self_assessment sa
LEFT JOIN LEO_i2."2002237".leo_earnings e
       ON e.Edukey = sa.Edukey AND e.TaxYear = sa.TaxYear AND e.Earnings > 0
WHERE sa.Self_Employed = 1
  AND sa.TaxYear >= 201415
GROUP BY sa.TaxYear
ORDER BY sa.TaxYear
