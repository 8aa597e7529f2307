-- 36 Year 11 pupils and their free school meals share, year by year, 2012 to 2019.
-- Answers: how many pupils were in Year 11 each January, and what share was eligible for FSM?
-- Relations: [NPD_i2].[2002237].[spring_census_2012] to [spring_census_2019].
-- Each year's census is its own view with its own column suffix (_spr12, _spr13, ...), so
-- the script loops over the years and builds each year's statement as text (dynamic SQL),
-- as SRS scripts commonly do. Keeps the census rows researchers keep: RecordStatus NULL,
-- 1-10 or 20 (leo_schema.md 4.3, quirk 3).
SET NOCOUNT ON

IF OBJECT_ID('tempdb..#yearly') IS NOT NULL DROP TABLE #yearly
CREATE TABLE #yearly (CensusYear INT, Pupils INT, FSMPupils INT)

DECLARE @year INT = 2012
DECLARE @suffix VARCHAR(6)  -- _spr12: a longer value is cut without a word
DECLARE @sql NVARCHAR(MAX)

WHILE @year <= 2019
BEGIN
    SET @suffix = '_spr' + RIGHT(CAST(@year AS VARCHAR(4)), 2)
    SET @sql = N'INSERT INTO #yearly (CensusYear, Pupils, FSMPupils)
        SELECT ' + CAST(@year AS VARCHAR(4)) + N',
               COUNT(DISTINCT c.PupilMatchingRefAnonymous' + @suffix + N'),
               COUNT(DISTINCT CASE WHEN c.FSMeligible' + @suffix + N' = 1
                                   THEN c.PupilMatchingRefAnonymous' + @suffix + N' END)
        FROM [NPD_i2].[2002237].[spring_census_' + CAST(@year AS VARCHAR(4)) + N'] AS c
        WHERE c.NCyearActual' + @suffix + N' = ''11''
          AND (c.RecordStatus' + @suffix + N' IS NULL
               OR c.RecordStatus' + @suffix + N' BETWEEN 1 AND 10
               OR c.RecordStatus' + @suffix + N' = 20)'
    EXEC sp_executesql @sql
    SET @year += 1
END

SELECT CensusYear,
       Pupils,
       FSMPupils,
       CAST(100.0 * FSMPupils / NULLIF(Pupils, 0) AS DECIMAL(5, 1)) AS FSMPercent
FROM #yearly
ORDER BY CensusYear
