-- 09 NCCIS monthly activity of 16-18 year olds, grouped into education, employment, NEET and
-- not known, by academic year.
-- Answers: what share of NCCIS records each year are NEET (activity codes 540-680 and 610-680
-- style groups: 5xx/6xx NEET, 1xx-2xx education, 3xx employment/training, 8xx-9xx not known)?
-- Relations: NPD_i2 nccis_2011_to_2021.
SELECT n.NCCIS_ACADYR AS AcademicYear,
       CASE WHEN n.NCCIS_Current_Activity_Code BETWEEN 100 AND 299 THEN 'education'
            WHEN n.NCCIS_Current_Activity_Code BETWEEN 300 AND 499 THEN 'employment or training'
            WHEN n.NCCIS_Current_Activity_Code BETWEEN 500 AND 699 THEN 'NEET'
            ELSE 'not known or other' END AS ActivityGroup,
       COUNT(*) AS Records
FROM [NPD_i2].[2002237].[nccis_2011_to_2021] n
GROUP BY n.NCCIS_ACADYR,
         CASE WHEN n.NCCIS_Current_Activity_Code BETWEEN 100 AND 299 THEN 'education'
              WHEN n.NCCIS_Current_Activity_Code BETWEEN 300 AND 499 THEN 'employment or training'
              WHEN n.NCCIS_Current_Activity_Code BETWEEN 500 AND 699 THEN 'NEET'
              ELSE 'not known or other' END
ORDER BY AcademicYear, ActivityGroup
