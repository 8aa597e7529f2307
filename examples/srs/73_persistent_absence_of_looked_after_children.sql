-- 73 Persistent absence by term of children looked after, beside their classmates.
-- Answers: per academic year 2013/14 to 2017/18 and term, the share of pupils missing 10% or
-- more of their possible sessions, for those looked after in that year and for the
-- rest, a pupil's several absence rows in a year (MainRecord_ab[yy]) counted once.
-- Relations: NPD_i2 Absence_2014_3term ... Absence_2018_3term; cla_2006_to_2021
-- (cla_PROCESSING_YEAR: the year ending 31 March of the table's year).
-- Habits: SELECT TOP 0 ... INTO a #temp table then INSERT INTO ... EXEC in a loop, TRUNCATE,
-- terms unpivoted by CROSS APPLY (VALUES ...), years pivoted by PIVOT.
SET NOCOUNT ON;

SELECT TOP 0 CAST(NULL AS VARCHAR(30)) AS pmr, CAST(NULL AS INT) AS yr,
  CAST(NULL AS INT) AS main, CAST(NULL AS INT) AS poss_au, CAST(NULL AS INT) AS miss_au,
  CAST(NULL AS INT) AS poss_sp, CAST(NULL AS INT) AS miss_sp,
  CAST(NULL AS INT) AS poss_su, CAST(NULL AS INT) AS miss_su
INTO #ab;
TRUNCATE TABLE #ab;

DECLARE @y INT = 2014, @yy CHAR(2), @sql NVARCHAR(MAX);
WHILE @y <= 2018
BEGIN
  SET @yy = RIGHT(CAST(@y AS CHAR(4)), 2);
  SET @sql = N'SELECT PupilMatchingRefAnonymous_ab' + @yy + N', ' + CAST(@y AS NVARCHAR(4))
    + N', MainRecord_ab' + @yy
    + N', SessionsPossible_Autumn_ab' + @yy + N', OverallAbsence_Autumn_ab' + @yy
    + N', SessionsPossible_Spring_ab' + @yy + N', OverallAbsence_Spring_ab' + @yy
    + N', SessionsPossible_Summer_ab' + @yy + N', OverallAbsence_Summer_ab' + @yy
    + N' FROM [NPD_i2].[2002237].[Absence_' + CAST(@y AS NVARCHAR(4)) + N'_3term]';
  INSERT INTO #ab EXEC (@sql);
  SET @y += 1;
END;

-- one row per pupil and year: the main record first, then the most sessions possible
;WITH d AS (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY pmr, yr
                               ORDER BY main DESC, poss_au DESC, poss_sp DESC) AS rn
  FROM #ab
)
DELETE FROM d WHERE rn > 1;

SELECT DISTINCT cla_PupilMatchingRefAnonymous AS pmr, cla_PROCESSING_YEAR AS yr
INTO #in_care
FROM [NPD_i2].[2002237].[cla_2006_to_2021];

SELECT a.yr, t.term, t.term_no,
  CASE WHEN c.pmr IS NULL THEN 'not looked after' ELSE 'looked after' END AS grp,
  CASE WHEN t.missed * 10 >= t.possible THEN 1 ELSE 0 END AS persistent
INTO #terms
FROM #ab a
LEFT JOIN #in_care c ON c.pmr = a.pmr AND c.yr = a.yr
CROSS APPLY (VALUES ('Autumn', 1, a.poss_au, a.miss_au), ('Spring', 2, a.poss_sp, a.miss_sp),
                    ('Summer', 3, a.poss_su, a.miss_su)) t (term, term_no, possible, missed)
WHERE t.possible > 0;

SELECT grp, term, [2014], [2015], [2016], [2017], [2018]
FROM (SELECT grp, term, term_no, yr, persistent * 100.0 AS pct FROM #terms) s
PIVOT (AVG(pct) FOR yr IN ([2014], [2015], [2016], [2017], [2018])) p
ORDER BY grp, term_no;
