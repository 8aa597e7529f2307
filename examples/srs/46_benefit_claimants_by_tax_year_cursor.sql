-- 46 Out-of-work benefit claimants per tax year, counted with a cursor over the years.
-- Answers: in each tax year 2014/15 to 2020/21, how many people had an out-of-work benefit
-- spell open at any point, for how many days in all, which benefit types they claimed
-- (listed in order), and what was the running total and three-year moving average of
-- claimants?
-- Relations: LEO_i2 leo_benefit, learner_ae_id_to_edukey_lookup.
-- A tax year runs from 6 April to 5 April (DATEFROMPARTS builds its bounds); a spell with no
-- end date is open; a spell's days in a year are clipped to the year. The loop is the cursor
-- idiom (DECLARE ... CURSOR, FETCH NEXT, @@FETCH_STATUS) that older SRS scripts use, filling a
-- table variable; windows with ROWS BETWEEN frames then give the running figures.
SET NOCOUNT ON

DECLARE @years TABLE (tax_year INT PRIMARY KEY, claimants INT, claim_days INT, benefit_types VARCHAR(200))
DECLARE @start_year INT, @from DATE, @to DATE

DECLARE years CURSOR LOCAL FAST_FORWARD FOR
    SELECT y FROM (VALUES (2014), (2015), (2016), (2017), (2018), (2019), (2020)) v(y) ORDER BY y

OPEN years
FETCH NEXT FROM years INTO @start_year
WHILE @@FETCH_STATUS = 0
BEGIN
    SET @from = DATEFROMPARTS(@start_year, 4, 6)
    SET @to = DATEADD(DAY, -1, DATEFROMPARTS(@start_year + 1, 4, 6))

    ;WITH spells AS (
        SELECT k.AE_ID, b.Benefit_type,
               IIF(b.StartDate > @from, b.StartDate, @from) AS s,
               IIF(b.EndDate IS NULL OR b.EndDate > @to, @to, b.EndDate) AS e
        FROM [LEO_i2].[2002237].[leo_benefit] b
        JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] k ON k.EDUKEY = b.EduKey
        WHERE b.Out_of_work_benefit = 1
          AND b.StartDate <= @to
          AND (b.EndDate IS NULL OR b.EndDate >= @from)
    )
    INSERT INTO @years (tax_year, claimants, claim_days, benefit_types)
    SELECT @start_year * 100 + (@start_year + 1) % 100,
           COUNT(DISTINCT AE_ID),
           SUM(DATEDIFF(DAY, s, e) + 1),
           (SELECT STRING_AGG(t.Benefit_type, ', ') WITHIN GROUP (ORDER BY t.Benefit_type)
            FROM (SELECT DISTINCT Benefit_type FROM spells) t)
    FROM spells

    FETCH NEXT FROM years INTO @start_year
END
CLOSE years
DEALLOCATE years

SELECT tax_year,
       CONCAT(LEFT(tax_year, 4), '/', RIGHT(tax_year, 2))                           AS tax_year_label,
       claimants,
       claim_days,
       claim_days / NULLIF(claimants, 0)                                            AS days_per_claimant,
       SUM(claimants) OVER (ORDER BY tax_year ROWS UNBOUNDED PRECEDING)             AS running_claimants,
       CAST(AVG(claimants * 1.0) OVER (ORDER BY tax_year
                                       ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS DECIMAL(8, 1)) AS moving_avg_3,
       claimants - LAG(claimants) OVER (ORDER BY tax_year)                          AS change,
       benefit_types
FROM @years
ORDER BY tax_year;
