-- 30 A parameterised cohort script: DECLARE the census year and dates once, reuse them.
-- Answers: pupils in Year 11 in spring 2011, their age in whole years on the census date
-- (DATEDIFF(year...) counts year boundaries, as SQL Server does) and the first census date
-- written as dd/mm/yyyy (CONVERT style 103).
-- Relations: NPD_i2 spring_census_2011.
DECLARE @year_group VARCHAR(2) = '11'
DECLARE @census_date DATE = '2011-01-20'
DECLARE @cutoff DATE
SET @cutoff = DATEADD(year, -16, @census_date)

SELECT COUNT(DISTINCT PupilMatchingRefAnonymous_spr11)            AS Pupils,
       MIN(DATEDIFF(year, DATEFROMPARTS(YearOfBirth_spr11, MonthOfBirth_spr11, 1),
                    @census_date))                                 AS YoungestAgeInYears,
       SUM(CASE WHEN DATEFROMPARTS(YearOfBirth_spr11, MonthOfBirth_spr11, 1) <= @cutoff
                THEN 1 ELSE 0 END)                                 AS BornBeforeCutoff,
       CONVERT(VARCHAR(10), @census_date, 103)                     AS CensusDate
FROM [NPD_i2].[2002237].[spring_census_2011]
WHERE NCyearActual_spr11 = @year_group
