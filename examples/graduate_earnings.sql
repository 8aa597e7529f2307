-- Earnings of 2012/13 first-degree graduates five years on (tax year 2018/19), by decile.
-- HESA qualifier (hesa_2013: the 2012/13 reporting year) -> AE_ID (PMR lookup) -> EDUKEY
-- (EDUKEY lookup) -> PAYE earnings, summed over the person's EDUKEYs and employments.
-- DfE's published medians also require sustained employment (PAYE in at least five of the
-- months October to March) and exclude those in further study; `leo-synth report`
-- implements those rules (leo_synth/report/families/graduates.py).
WITH graduates AS (
  SELECT DISTINCT p.AE_ID
  FROM hesa_2013 AS h
  JOIN learner_ae_id_to_pmr_lookup AS p
    ON p.PUPILMATCHINGREFANONYMOUS = h.HE_PUPILMATCHINGREFANONYMOUS
  WHERE h.HE_XPQUAL01 = 1
    AND (h.HE_XQOBTN01 LIKE 'H%' OR h.HE_XQOBTN01 LIKE 'I%')
),
pay AS (
  SELECT g.AE_ID, SUM(e.Earnings) AS earnings
  FROM graduates AS g
  JOIN learner_ae_id_to_edukey_lookup AS k ON k.AE_ID = g.AE_ID
  JOIN leo_earnings AS e ON e.Edukey = k.EDUKEY
  WHERE e.TaxYear = 201819
  GROUP BY g.AE_ID
  HAVING SUM(e.Earnings) > 0
),
ranked AS (
  SELECT earnings, NTILE(10) OVER (ORDER BY earnings) AS decile FROM pay
)
SELECT decile, COUNT(*) AS graduates, MIN(earnings) AS from_pounds, MAX(earnings) AS to_pounds
FROM ranked
GROUP BY decile
ORDER BY decile;
