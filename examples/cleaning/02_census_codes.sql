-- 02 Codes as the code list means them (4.3 items 17 and 18; quirks blank_string,
-- census_legacy_gender, census_legacy_sen, census_invalid_ethnicity).
-- Lesson: '' stands for NULL; the old gender codes B and G mean M and F; School Action (A)
-- and Action Plus (P) were withdrawn after 2014/15, so in 2016/17 they mean SEN support (K);
-- a major ethnic group that is not a major code is the minor code keyed in the wrong column:
-- take the major group that the minor code has on the valid rows.
-- Recovers: the clean extract's answer.
-- Relations: [NPD_i2].[2002237].[spring_census_2017]
IF OBJECT_ID('tempdb..#pupils') IS NOT NULL DROP TABLE #pupils
IF OBJECT_ID('tempdb..#ethnic_map') IS NOT NULL DROP TABLE #ethnic_map

SELECT c.PupilMatchingRefAnonymous_spr17 AS PMR,
       CASE NULLIF(c.Gender_spr17, '') WHEN 'B' THEN 'M' WHEN 'G' THEN 'F'
            ELSE NULLIF(c.Gender_spr17, '') END AS Gender,
       CASE WHEN NULLIF(c.SENprovision_spr17, '') IN ('A', 'P') THEN 'K'
            ELSE NULLIF(c.SENprovision_spr17, '') END AS SEN,
       NULLIF(c.EthnicGroupMinor_spr17, '') AS EthnicMinor,
       NULLIF(c.EthnicGroupMajor_spr17, '') AS EthnicMajor
INTO #pupils
FROM [NPD_i2].[2002237].[spring_census_2017] AS c
WHERE c.RecordStatus_spr17 IS NULL
   OR c.RecordStatus_spr17 BETWEEN 1 AND 10
   OR c.RecordStatus_spr17 = 20
GO

-- The major group of each minor code, learnt from the rows whose major code is a major code
-- (the most frequent pairing wins, so a few invalid rows cannot teach the map).
SELECT EthnicMinor, EthnicMajor
INTO #ethnic_map
FROM (SELECT EthnicMinor, EthnicMajor,
             ROW_NUMBER() OVER (PARTITION BY EthnicMinor
                                ORDER BY COUNT(*) DESC, EthnicMajor) AS pick
      FROM #pupils
      WHERE EthnicMinor IS NOT NULL AND EthnicMajor IS NOT NULL
        AND EthnicMajor <> EthnicMinor
      GROUP BY EthnicMinor, EthnicMajor) AS pairs
WHERE pick = 1
GO

SELECT p.Gender, p.SEN,
       CASE WHEN p.EthnicMajor = p.EthnicMinor THEN m.EthnicMajor ELSE p.EthnicMajor END
           AS EthnicMajor,
       COUNT(*) AS Pupils
FROM #pupils AS p
LEFT JOIN #ethnic_map AS m ON m.EthnicMinor = p.EthnicMinor
GROUP BY p.Gender, p.SEN,
         CASE WHEN p.EthnicMajor = p.EthnicMinor THEN m.EthnicMajor ELSE p.EthnicMajor END
ORDER BY 1, 2, 3
