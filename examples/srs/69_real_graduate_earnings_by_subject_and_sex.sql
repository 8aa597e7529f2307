-- 69 Graduate earnings in 2014/15 pounds by subject group, sex and years after graduation.
-- Answers: for HESA qualifiers of 2014/15 (a first degree or other undergraduate award,
-- HE_XQOBTN01 'H..'/'J..'/'C..'), how many had PAYE earnings one, three and five tax years
-- after the tax year their course ended in, and what were their mean earnings deflated by
-- CPI (a table copied from a spreadsheet, its tax years' end dates keyed in as dd/mm/yy),
-- by JACS subject group and sex, with subject and overall totals (GROUPING SETS).
-- Relations: HESA_i2 hesa_2015; LEO_i2 learner_ae_id_to_pmr_lookup,
-- learner_ae_id_to_edukey_lookup, leo_earnings.
SET NOCOUNT ON;

-- CPI by tax year (2014/15 = 100), as pasted from the ONS series: the tax year's last day
-- in the spreadsheet's dd/mm/yy form (CONVERT style 3)
DECLARE @cpi TABLE (tax_year INT PRIMARY KEY, year_end DATE, cpi DECIMAL(6, 1));
INSERT INTO @cpi (tax_year, year_end, cpi)
SELECT YEAR(TRY_CONVERT(DATE, v.year_end, 3)) * 100 - 100 + YEAR(TRY_CONVERT(DATE, v.year_end, 3)) % 100,
       TRY_CONVERT(DATE, v.year_end, 3), v.cpi
FROM (VALUES ('05/04/15', 100.0), ('05/04/16', 100.4), ('05/04/17', 101.1), ('05/04/18', 103.8),
             ('05/04/19', 106.2), ('05/04/20', 108.0), ('05/04/21', 109.0)) v(year_end, cpi);

IF OBJECT_ID('tempdb..#grads') IS NOT NULL DROP TABLE #grads;
SELECT h.HE_PUPILMATCHINGREFANONYMOUS AS pmr, LEFT(h.HE_XJACS01_1, 1) AS subj,
       CASE h.HE_SEXID WHEN 1 THEN 'Male' WHEN 2 THEN 'Female' ELSE 'Other' END AS sex,
       -- the tax year (6 April to 5 April) the course ended in, as its first calendar year
       CASE WHEN h.HE_ENDDATE >= DATEFROMPARTS(YEAR(h.HE_ENDDATE), 4, 6)
            THEN YEAR(h.HE_ENDDATE) ELSE YEAR(h.HE_ENDDATE) - 1 END AS ty_start
INTO #grads
FROM [HESA_i2].[2002237].[hesa_2015] h
WHERE LEFT(h.HE_XQOBTN01, 1) IN ('H', 'J', 'C') AND h.HE_ENDDATE IS NOT NULL
  AND h.HE_XJACS01_1 LIKE '[A-Z][0-9]%';

-- each graduate's EDUKEYs (a person may hold several) and the tax years wanted, as TaxYear
IF OBJECT_ID('tempdb..#wanted') IS NOT NULL DROP TABLE #wanted;
SELECT g.pmr, k.EDUKEY AS edukey, y.yag,
       (g.ty_start + y.yag) * 100 + (g.ty_start + y.yag + 1) % 100 AS tax_year
INTO #wanted
FROM #grads g
CROSS JOIN (VALUES (1), (3), (5)) y(yag)
JOIN [LEO_i2].[2002237].[learner_ae_id_to_pmr_lookup] p ON p.PUPILMATCHINGREFANONYMOUS = g.pmr
JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] k ON k.AE_ID = p.AE_ID;

IF OBJECT_ID('tempdb..#pay') IS NOT NULL DROP TABLE #pay;
SELECT g.pmr, g.subj, g.sex, w.yag, SUM(e.Earnings) AS pay,
       SUM(e.Earnings) * 100.0 / MAX(c.cpi) AS real_pay
INTO #pay
FROM #wanted w
JOIN #grads g ON g.pmr = w.pmr
JOIN [LEO_i2].[2002237].[leo_earnings] e ON e.Edukey = w.edukey AND e.TaxYear = w.tax_year
JOIN @cpi c ON c.tax_year = e.TaxYear
WHERE e.Earnings > 0
GROUP BY g.pmr, g.subj, g.sex, w.yag;

SELECT y.yag,
       CASE WHEN GROUPING(p.subj) = 1 THEN 'All subjects' ELSE p.subj END AS subject_group,
       CASE WHEN GROUPING(p.sex) = 1 THEN 'All' ELSE p.sex END AS sex,
       COUNT(*) AS earners,
       -- integer arithmetic, as the published tables round down
       COUNT(*) * 100 / SUM(COUNT(*)) OVER (PARTITION BY y.yag, GROUPING(p.subj), GROUPING(p.sex)) AS pct_of_year,
       CAST(AVG(p.real_pay) AS DECIMAL(10, 1)) AS mean_real,
       ROUND(AVG(p.pay), -2) AS mean_nominal_rounded,
       FORMAT(SUM(p.pay), 'N0') AS total_pay
FROM #pay p
JOIN (VALUES (1), (3), (5)) y(yag) ON y.yag = p.yag
GROUP BY GROUPING SETS ((y.yag, p.subj, p.sex), (y.yag, p.subj), (y.yag))
ORDER BY y.yag, GROUPING(p.subj), subject_group, GROUPING(p.sex), sex;
