-- 34 Pupils in alternative provision by academic year, and how many were also in the spring
-- census of the same year's end (2010/11).
-- Answers: AP placements per year; for 2010/11, the overlap with the school census.
-- Relations: NPD_i2 ap_census_2008_to_2021, spring_census_2011.
SELECT a.AP_ACADYR                                   AS AcademicYear,
       COUNT(DISTINCT a.AP_PupilMatchingRefAnonymous) AS APPupils,
       COUNT(DISTINCT s.PupilMatchingRefAnonymous_spr11) AS AlsoInSpring2011Census
FROM [NPD_i2].[2002237].[ap_census_2008_to_2021] a
LEFT JOIN [NPD_i2].[2002237].[spring_census_2011] s
       ON s.PupilMatchingRefAnonymous_spr11 = a.AP_PupilMatchingRefAnonymous
      AND a.AP_ACADYR = '2010/2011'
GROUP BY a.AP_ACADYR
ORDER BY a.AP_ACADYR
