-- 11 First-year HE students by reporting year, 2012/13 to 2015/16, with their mean age.
-- Answers: how many students were in their first year (XFYEAR01 = 1) each year, and how old
-- were they on 31 August (XAGEA01)? One view per year, stacked with UNION ALL.
-- Relations: HESA_i2 hesa_2013, hesa_2014, hesa_2015, hesa_2016.
WITH entrants AS (
    SELECT 2013 AS ReportingYear, HE_PUPILMATCHINGREFANONYMOUS AS PMR, HE_XAGEA01 AS Age
    FROM [HESA_i2].[2002237].[hesa_2013] WHERE HE_XFYEAR01 = 1
    UNION ALL
    SELECT 2014, HE_PUPILMATCHINGREFANONYMOUS, HE_XAGEA01
    FROM [HESA_i2].[2002237].[hesa_2014] WHERE HE_XFYEAR01 = 1
    UNION ALL
    SELECT 2015, HE_PUPILMATCHINGREFANONYMOUS, HE_XAGEA01
    FROM [HESA_i2].[2002237].[hesa_2015] WHERE HE_XFYEAR01 = 1
    UNION ALL
    SELECT 2016, HE_PUPILMATCHINGREFANONYMOUS, HE_XAGEA01
    FROM [HESA_i2].[2002237].[hesa_2016] WHERE HE_XFYEAR01 = 1
)
SELECT ReportingYear,
       COUNT(*)                                   AS Entrants,
       ROUND(AVG(CAST(Age AS FLOAT)), 2)          AS MeanAge,
       SUM(CASE WHEN Age <= 20 THEN 1 ELSE 0 END) AS YoungEntrants
FROM entrants
GROUP BY ReportingYear
ORDER BY ReportingYear
