-- 60 EBacc entry and GCSE language entries by year, 2010/11 to 2020/21.
-- Answers: what share of pupils at the end of KS4 entered the EBacc each year, and what share
-- sat a GCSE in a modern or ancient language (any exam row in a language subject)?
-- The KS4 pupil views name the entry flag by year (KS4_EBACC_E to 2012/13, KS4_EBACC_E_PTQ
-- in 2013/14, KS4_EBACC_E_PTQ_EE from 2014/15); the exam views hold a row per pupil and subject.
-- Relations: NPD_i2 KS4Pupil_2002_to_2014, KS4Pupil_2015_to_2021, KS4Exam_2002_to_2014,
-- KS4Exam_2015_to_2021 (plams.mapping codes 5650 French, 5670 German, 5750 Spanish, ...).
SET NOCOUNT ON;

IF OBJECT_ID('tempdb..#pupils') IS NOT NULL DROP TABLE #pupils;

SELECT KS4_PupilMatchingRefAnonymous AS pmr, KS4_ACADYR AS acadyr,
       CAST(COALESCE(KS4_EBACC_E, KS4_EBACC_E_PTQ) AS INT) AS ebacc_entered
INTO #pupils
FROM [NPD_i2].[2002237].[KS4Pupil_2002_to_2014]
WHERE KS4_ACADYR >= '2010/2011'
UNION ALL
SELECT KS4_PupilMatchingRefAnonymous, KS4_ACADYR, CAST(KS4_EBACC_E_PTQ_EE AS INT)
FROM [NPD_i2].[2002237].[KS4Pupil_2015_to_2021]
WHERE KS4_ACADYR >= '2014/2015';

-- one row per pupil and year: a duplicated record (no attainment) must not count twice
WITH ranked AS (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY pmr, acadyr ORDER BY ebacc_entered DESC) AS rn
    FROM #pupils
)
DELETE FROM ranked WHERE rn > 1;

IF OBJECT_ID('tempdb..#language') IS NOT NULL DROP TABLE #language;

SELECT DISTINCT KS4_PupilMatchingRefAnonymous AS pmr, KS4_ACADYR AS acadyr
INTO #language
FROM [NPD_i2].[2002237].[KS4Exam_2002_to_2014]
WHERE KS4_MAPPING IN ('5650', '5670', '5750', '6610', '5690', '5950', '6010', '6090', '6550',
                      '5710', '6130', '6050', '5910', '6070', '5730', '6110', '6150', '6030')
UNION
SELECT KS4_PupilMatchingRefAnonymous, KS4_ACADYR
FROM [NPD_i2].[2002237].[KS4Exam_2015_to_2021]
WHERE KS4_MAPPING IN ('5650', '5670', '5750', '6610', '5690', '5950', '6010', '6090', '6550',
                      '5710', '6130', '6050', '5910', '6070', '5730', '6110', '6150', '6030');

SELECT p.acadyr AS AcademicYear,
       COUNT(*) AS Pupils,
       CAST(100.0 * SUM(ISNULL(p.ebacc_entered, 0)) / COUNT(*) AS DECIMAL(5, 1)) AS EBaccEntryPct,
       CAST(100.0 * COUNT(l.pmr) / COUNT(*) AS DECIMAL(5, 1)) AS LanguagePct
FROM #pupils p
LEFT JOIN #language l ON l.pmr = p.pmr AND l.acadyr = p.acadyr
GROUP BY p.acadyr
ORDER BY p.acadyr;
