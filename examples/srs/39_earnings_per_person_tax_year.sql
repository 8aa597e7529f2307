-- 39 Earnings per person and tax year, summed over a person's EDUKEYs, banded by year.
-- Answers: for tax years ending 2015 to 2019, how many people earned in each band (nothing
-- above zero, under 5k, 5k-15k, 15k-30k, 30k and over), and what share of each year's
-- people is that?
-- Relations: LEO_i2 learner_ae_id_to_edukey_lookup, leo_earnings.
-- TaxYear is 201819 for 2018-19: FFT take LEFT(TaxYear, 4) + 1 as the year it ends. A
-- person with two EDUKEYs can have two rows in one tax year (leo_schema.md 4.3, quirk 7),
-- and zero earnings are no earnings (quirk 14).
SET NOCOUNT ON
GO
IF OBJECT_ID('tempdb..#earn') IS NOT NULL
    DROP TABLE #earn

CREATE TABLE #earn (
    ae_id          BIGINT         NOT NULL,
    tax_year_end   INT            NOT NULL,
    tax_year_label VARCHAR(9)     NULL,
    earnings       DECIMAL(12, 2) NULL,
    n_records      SMALLINT       NULL,
    PRIMARY KEY (ae_id, tax_year_end)
)

DECLARE @first_year INT = 2015, @last_year INT = 2019

INSERT INTO #earn (ae_id, tax_year_end, tax_year_label, earnings, n_records)
SELECT k.AE_ID,
       LEFT(e.TaxYear, 4) + 1,
       LEFT(e.TaxYear, 4) + '/' + CAST(LEFT(e.TaxYear, 4) + 1 AS CHAR(4)),
       SUM(CASE WHEN e.Earnings > 0 THEN e.Earnings ELSE 0 END),
       COUNT(*)
FROM [LEO_i2].[2002237].[leo_earnings] e
JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] k ON k.EDUKEY = e.Edukey
WHERE LEFT(e.TaxYear, 4) + 1 BETWEEN @first_year AND @last_year
GROUP BY k.AE_ID, LEFT(e.TaxYear, 4)

PRINT CONCAT('person-years: ', @@ROWCOUNT)

;WITH banded AS (
    SELECT tax_year_end,
           CASE WHEN earnings = 0 THEN '0 none'
                WHEN earnings < 5000 THEN '1 under 5k'
                WHEN earnings < 15000 THEN '2 5k-15k'
                WHEN earnings < 30000 THEN '3 15k-30k'
                ELSE '4 30k+' END AS band
    FROM #earn
), counted AS (
    SELECT band, tax_year_end, COUNT(*) AS people
    FROM banded
    GROUP BY band, tax_year_end
)
SELECT band AS Band,
       [2015], [2016], [2017], [2018], [2019],
       CAST(100.0 * [2019] / SUM([2019]) OVER () AS DECIMAL(5, 1)) AS Pct2019
FROM counted
PIVOT (SUM(people) FOR tax_year_end IN ([2015], [2016], [2017], [2018], [2019])) AS p
ORDER BY Band
