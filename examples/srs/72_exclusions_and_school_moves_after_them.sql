-- 72 Fixed-period and permanent exclusions, and a move of school in the following year.
-- Answers: per academic year 2011/12 to 2015/16, how many pupils were excluded (fixed period,
-- permanent), how many days they lost (sessions / 2), the commonest reasons, and how many of
-- them are at another school in the next spring census (LAEstab changed) or in none.
-- Relations: NPD_i2 exclusions_table_1_2012 ... _2016 (one row per exclusion),
-- spring_census_2012 ... 2017 (RecordStatus NULL or below 100: a unique or main record).
-- Habits: tables read per year by dynamic SQL into an IDENTITY #temp table, duplicates removed
-- by ROW_NUMBER(), reasons joined by STRING_AGG ... WITHIN GROUP, CROSS APPLY (VALUES ...).
SET NOCOUNT ON;

IF OBJECT_ID('tempdb..#ex') IS NOT NULL DROP TABLE #ex;
CREATE TABLE #ex (id INT IDENTITY(1, 1) PRIMARY KEY, pmr VARCHAR(30), yr INT,
                  category VARCHAR(4), reason VARCHAR(2), start_date DATE, sessions INT);
IF OBJECT_ID('tempdb..#school') IS NOT NULL DROP TABLE #school;
CREATE TABLE #school (pmr VARCHAR(30), yr INT, laestab VARCHAR(20));

DECLARE @y INT = 2012, @yy CHAR(2), @sql NVARCHAR(MAX);
WHILE @y <= 2017
BEGIN
  SET @yy = RIGHT(CAST(@y AS CHAR(4)), 2);
  IF @y <= 2016
  BEGIN
    SET @sql = N'SELECT PupilMatchingRefAnonymous_ex' + @yy + N', ' + CAST(@y AS NVARCHAR(4))
      + N', Category_ex' + @yy + N', Reason_ex' + @yy + N', StartDate_ex' + @yy
      + N', Sessions_ex' + @yy
      + N' FROM [NPD_i2].[2002237].' + QUOTENAME('exclusions_table_1_' + CAST(@y AS VARCHAR(4)));
    INSERT INTO #ex (pmr, yr, category, reason, start_date, sessions) EXEC (@sql);
  END
  SET @sql = N'SELECT PupilMatchingRefAnonymous_spr' + @yy + N', ' + CAST(@y AS NVARCHAR(4))
    + N', LAEstab_anon_spr' + @yy
    + N' FROM [NPD_i2].[2002237].' + QUOTENAME('spring_census_' + CAST(@y AS VARCHAR(4)))
    + N' WHERE ISNULL(RecordStatus_spr' + @yy + N', 0) < 100';
  INSERT INTO #school EXEC (@sql);
  SET @y += 1;
END;
CREATE INDEX ix_school ON #school (pmr, yr);

-- the same exclusion returned twice: keep the row with the most sessions
;WITH d AS (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY pmr, start_date, category
                               ORDER BY sessions DESC, id) AS rn
  FROM #ex
)
DELETE FROM d WHERE rn > 1;

SELECT e.pmr, e.yr,
  MAX(CASE WHEN e.category = 'PERM' THEN 1 ELSE 0 END) AS permanent,
  SUM(CASE WHEN e.category = 'PERM' THEN 0 ELSE 1 END) AS fixed_period,
  SUM(ISNULL(e.sessions, 0)) AS sessions,
  STRING_AGG(e.reason, ',') WITHIN GROUP (ORDER BY e.start_date, e.reason) AS reasons,
  MIN(s.laestab) AS school_then, MIN(n.laestab) AS school_next
INTO #pupil
FROM #ex e
LEFT JOIN #school s ON s.pmr = e.pmr AND s.yr = e.yr
LEFT JOIN #school n ON n.pmr = e.pmr AND n.yr = e.yr + 1
GROUP BY e.pmr, e.yr;

SELECT p.yr - 1 AS year_start, COUNT(*) AS pupils, SUM(p.permanent) AS permanent,
  SUM(p.fixed_period) AS fixed_periods,
  CAST(SUM(p.sessions) / 2.0 AS NUMERIC(6, 1)) AS days_lost,
  CAST(AVG(p.sessions / 2.0) AS NUMERIC(5, 1)) AS mean_days,
  SUM(CASE WHEN p.school_next IS NULL THEN 1 ELSE 0 END) AS in_no_school_next_year,
  SUM(CASE WHEN p.school_next <> p.school_then THEN 1 ELSE 0 END) AS moved_school,
  (SELECT TOP 1 v.reason FROM #pupil q
   CROSS APPLY (VALUES (LEFT(q.reasons, 2))) v (reason)
   WHERE q.yr = p.yr GROUP BY v.reason ORDER BY COUNT(*) DESC, v.reason) AS commonest_first
FROM #pupil p
GROUP BY p.yr
ORDER BY p.yr;
