-- 63 Out-of-work benefit spells joined into islands where the gap between them is 28 days or less.
-- Answers: for the people with the most out-of-work benefit spells, which spells run into one
-- another (a gap of 28 days or less), when each island starts and ends, how many days it
-- lasts, the mean gap within it and the order of benefit types along it.
-- Relations: LEO_i2 leo_benefit.
-- Open spells (9999-12-31) end on 31 March 2021; islands are numbered by a running SUM of
-- "a new island starts here" flags (LAG of the previous spell's end), the SRS idiom.
SET NOCOUNT ON
IF OBJECT_ID('tempdb..#sp') IS NOT NULL DROP TABLE #sp
SELECT EduKey, StartDate, Benefit_type,
  CASE WHEN EndDate = '9999-12-31' THEN CAST('2021-03-31' AS DATE) ELSE EndDate END AS EndDate
INTO #sp FROM [LEO_i2].[2002237].[leo_benefit] WHERE Out_of_work_benefit = 1
CREATE CLUSTERED INDEX ix_sp ON #sp (EduKey, StartDate)
;WITH o AS (
  SELECT EduKey, StartDate, EndDate, Benefit_type,
    DATEDIFF(day, LAG(EndDate) OVER (PARTITION BY EduKey ORDER BY StartDate, EndDate),
             StartDate) AS gap
  FROM #sp
), f AS (
  SELECT *, CASE WHEN gap IS NULL OR gap > 28 THEN 1 ELSE 0 END AS new_island FROM o
), i AS (
  SELECT *, SUM(new_island) OVER (PARTITION BY EduKey ORDER BY StartDate, EndDate
                                  ROWS UNBOUNDED PRECEDING) AS island
  FROM f
)
SELECT TOP 25 EduKey, island, MIN(StartDate) AS island_start, MAX(EndDate) AS island_end,
  COUNT(*) AS spells, DATEDIFF(day, MIN(StartDate), MAX(EndDate)) + 1 AS days,
  AVG(gap) AS mean_gap, STRING_AGG(Benefit_type, '>') WITHIN GROUP (ORDER BY StartDate) AS path
FROM i GROUP BY EduKey, island
ORDER BY spells DESC, days DESC, EduKey, island
