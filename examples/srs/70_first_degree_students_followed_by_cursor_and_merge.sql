-- 70 First-degree students followed year by year: a cursor over the HESA views and a MERGE.
-- Answers: of the students on a first degree (HE_XLEV501 4) in the HESA views of 2012/13 to
-- 2016/17, by the first of those years they were seen in, how many were still there in
-- 2016/17 ('continuing'), how many had left by then ('left', by the years they were seen)
-- and how many began in 2016/17 ('new'); each year's view read by dynamic SQL, its
-- students merged into one table (WHEN MATCHED / NOT MATCHED BY TARGET / BY SOURCE).
-- Relations: HESA_i2 hesa_2013 to hesa_2017.
SET NOCOUNT ON;

IF OBJECT_ID('tempdb..#students') IS NOT NULL DROP TABLE #students;
CREATE TABLE #students (pmr VARCHAR(30) PRIMARY KEY, first_year INT, subject_group CHAR(1),
                        years_seen INT, status VARCHAR(10));
DECLARE @y INT, @sql NVARCHAR(MAX), @merged INT = 0;

DECLARE years CURSOR LOCAL FAST_FORWARD FOR
    SELECT v.y FROM (VALUES (2013), (2014), (2015), (2016), (2017)) v(y) ORDER BY v.y;
OPEN years;
FETCH NEXT FROM years INTO @y;
WHILE @@FETCH_STATUS = 0
BEGIN
    IF OBJECT_ID('tempdb..#year') IS NOT NULL DROP TABLE #year;
    CREATE TABLE #year (pmr VARCHAR(30), subject_group CHAR(1));
    IF OBJECT_ID('HESA_i2.[2002237].hesa_' + CAST(@y AS VARCHAR(4))) IS NOT NULL
    BEGIN
        SET @sql = N'INSERT INTO #year SELECT DISTINCT HE_PUPILMATCHINGREFANONYMOUS, LEFT(HE_XJACS01_1, 1)
FROM [HESA_i2].[2002237].' + QUOTENAME('hesa_' + CAST(@y AS VARCHAR(4))) + N'
WHERE HE_XLEV501 = @level AND HE_PUPILMATCHINGREFANONYMOUS IS NOT NULL';
        EXEC sp_executesql @sql, N'@level INT', @level = 4;
    END;
    MERGE #students AS t
    USING (SELECT pmr, MIN(subject_group) AS subject_group FROM #year GROUP BY pmr) AS s
       ON t.pmr = s.pmr
    WHEN MATCHED THEN
        UPDATE SET t.years_seen = t.years_seen + 1, t.status = 'continuing'
    WHEN NOT MATCHED BY TARGET THEN
        INSERT (pmr, first_year, subject_group, years_seen, status)
        VALUES (s.pmr, @y, s.subject_group, 1, 'new')
    WHEN NOT MATCHED BY SOURCE AND t.status <> 'left' THEN
        UPDATE SET t.status = 'left';
    SET @merged = @merged + @@ROWCOUNT;
    FETCH NEXT FROM years INTO @y;
END;
CLOSE years;
DEALLOCATE years;

SELECT CAST(first_year - 1 AS CHAR(4)) + '/' + RIGHT(CAST(first_year AS CHAR(4)), 2) AS first_seen,
       status, years_seen, COUNT(*) AS students,
       CAST(100.0 * COUNT(*) / SUM(COUNT(*)) OVER (PARTITION BY first_year) AS DECIMAL(5, 1)) AS pct_of_year,
       @merged AS rows_merged
FROM #students
GROUP BY first_year, status, years_seen
ORDER BY first_year, status, years_seen;
