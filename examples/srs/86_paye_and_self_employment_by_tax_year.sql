-- 86 PAYE pay beside self-employment income, per tax year: who had both, one or neither.
-- Answers: per SIC 2007 section of the main PAYE employer in 2018/19, the mean pay (also as
-- money); and of the people LEO can link to HMRC, how many in each of four tax years had
-- PAYE pay only, self-assessment (self-employment) income only, both or neither, the share
-- of each and their mean total income.
-- Relations: LEO_i2 learner_ae_id_to_edukey_lookup, leo_earnings, leo_self_assessment.
-- Habits: a status label made by CASE in a CTE and ordered by it (the SRS's collation puts
-- 'both' before 'PAYE only'); tax years shown 'YYYY-YY' from the int TaxYear; shares by
-- SUM(COUNT(*)) OVER (PARTITION BY ...); the SIC division cut from Main_SIC2007 and matched
-- to sections by BETWEEN on text in a VALUES lookup; a mean as MONEY (SUM of money over a
-- COUNT: money, four places, cut off).
SET NOCOUNT ON;

;WITH sections AS (
  SELECT section, lo, hi FROM (VALUES
    ('A', '01', '03'), ('B', '05', '09'), ('C', '10', '33'), ('D', '35', '35'), ('E', '36', '39'),
    ('F', '41', '43'), ('G', '45', '47'), ('H', '49', '53'), ('I', '55', '56'), ('J', '58', '63'),
    ('K', '64', '66'), ('L', '68', '68'), ('M', '69', '75'), ('N', '77', '82'), ('O', '84', '84'),
    ('P', '85', '85'), ('Q', '86', '88'), ('R', '90', '93'), ('S', '94', '96'), ('T', '97', '98'),
    ('U', '99', '99')) v(section, lo, hi)
)
SELECT s.section, COUNT(*) AS earners, COUNT(DISTINCT LEFT(e.Main_SIC2007, 2)) AS divisions,
  AVG(e.Earnings) AS mean_pay, SUM(CAST(e.Earnings AS MONEY)) / COUNT(*) AS mean_pay_money
FROM [LEO_i2].[2002237].[leo_earnings] e
JOIN sections s ON LEFT(e.Main_SIC2007, 2) BETWEEN s.lo AND s.hi
WHERE e.TaxYear = 201819 AND e.Earnings > 0
GROUP BY s.section
ORDER BY s.section;

;WITH paye AS (
  SELECT Edukey, TaxYear, SUM(Earnings) AS pay
  FROM [LEO_i2].[2002237].[leo_earnings]
  WHERE TaxYear BETWEEN 201415 AND 202021 AND Earnings > 0
  GROUP BY Edukey, TaxYear
), sa AS (
  SELECT Edukey, TaxYear, SUM(EARNINGS_SELF_EMPLOYMENT) AS se
  FROM [LEO_i2].[2002237].[leo_self_assessment]
  WHERE Self_Employed = 1
  GROUP BY Edukey, TaxYear
), people AS (
  SELECT DISTINCT l.EDUKEY, y.TaxYear
  FROM [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] l
  CROSS JOIN (VALUES (201415), (201617), (201819), (202021)) y(TaxYear)
), status AS (
  SELECT p.TaxYear,
    CASE WHEN pa.pay IS NOT NULL AND s.se IS NOT NULL THEN 'both'
         WHEN pa.pay IS NOT NULL THEN 'PAYE only'
         WHEN s.se IS NOT NULL THEN 'SA only'
         ELSE 'neither' END AS income,
    ISNULL(pa.pay, 0) + ISNULL(s.se, 0) AS total
  FROM people p
  LEFT JOIN paye pa ON pa.Edukey = p.EDUKEY AND pa.TaxYear = p.TaxYear
  LEFT JOIN sa s ON s.Edukey = p.EDUKEY AND s.TaxYear = p.TaxYear
)
SELECT LEFT(CAST(TaxYear AS CHAR(6)), 4) + '-' + RIGHT(TaxYear, 2) AS tax_year, income,
  COUNT(*) AS people,
  CAST(100.0 * COUNT(*) / SUM(COUNT(*)) OVER (PARTITION BY TaxYear) AS DECIMAL(5, 1)) AS pct,
  AVG(total) AS mean_total
FROM status
GROUP BY TaxYear, income
ORDER BY tax_year, income;
