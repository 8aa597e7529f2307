-- 67 Pupils moving school between spring censuses, 2014 to 2017.
-- Answers: of the pupils on roll in each spring census, how many were at another school in the
-- census a year before, by FSM eligibility; how many are seen for the first time; and how old
-- the pupils were on 31 August before the census.
-- Relations: NPD_i2 spring_census_2014 to spring_census_2017 (read by a loop of dynamic SQL).
-- A move is a change of URN between a pupil's records of consecutive years (LAG over census
-- years); a pupil with two records in one census is ordered by URN, so the answer is fixed.
SET NOCOUNT ON;
IF OBJECT_ID('tempdb..#spells') IS NOT NULL DROP TABLE #spells;
CREATE TABLE #spells (pmr VARCHAR(18) NOT NULL, census_year SMALLINT NOT NULL,
    urn VARCHAR(20) NULL, yob INT NULL, mob INT NULL, fsm TINYINT NULL);

DECLARE @y INT = 2014, @s CHAR(2), @sql NVARCHAR(MAX);
WHILE @y <= 2017
BEGIN
    SET @s = RIGHT(CAST(@y AS VARCHAR(4)), 2);
    SET @sql = N'INSERT INTO #spells SELECT PupilMatchingRefAnonymous_spr' + @s + N', '
        + CAST(@y AS NVARCHAR(4)) + N', URN_spr' + @s + N'_anon, YearOfBirth_spr' + @s
        + N', MonthOfBirth_spr' + @s + N', FSMeligible_spr' + @s
        + N' FROM [NPD_i2].[2002237].' + QUOTENAME('spring_census_' + CAST(@y AS VARCHAR(4)))
        + N' WHERE RecordStatus_spr' + @s + N' IS NULL OR RecordStatus_spr' + @s
        + N' BETWEEN 1 AND 10';
    EXEC (@sql);
    SET @y += 1;
END

;WITH ordered AS (
    SELECT pmr, census_year, urn, yob, mob, fsm,
           LAG(urn) OVER (PARTITION BY pmr ORDER BY census_year, urn) AS prev_urn,
           LAG(census_year, 1, 0) OVER (PARTITION BY pmr ORDER BY census_year, urn) AS prev_year,
           ROW_NUMBER() OVER (PARTITION BY pmr ORDER BY census_year, urn) AS rn
    FROM #spells
)
SELECT census_year,
       CHOOSE(ISNULL(fsm, 2) + 1, 'Not FSM', 'FSM', 'Unknown') AS fsm,
       COUNT(*) AS pupils,
       SUM(CASE WHEN prev_urn <> urn AND prev_year = census_year - 1 THEN 1 ELSE 0 END) AS moved,
       SUM(IIF(rn = 1, 1, 0)) AS first_seen,
       CAST(100.0 * SUM(CASE WHEN prev_urn <> urn AND prev_year = census_year - 1 THEN 1 END)
            / COUNT(*) AS DECIMAL(5, 1)) AS pct_moved,
       AVG(DATEDIFF(YEAR, DATEFROMPARTS(yob, mob, 1), DATEFROMPARTS(census_year - 1, 8, 31))
           - IIF(mob > 8, 1, 0)) AS mean_age_31_august
FROM ordered
GROUP BY census_year, CHOOSE(ISNULL(fsm, 2) + 1, 'Not FSM', 'FSM', 'Unknown')
ORDER BY census_year, fsm;
