-- 78 Pathways of KS4 pupils through KS5, UCAS, HESA and PAYE earnings.
-- Answers: of the pupils at the end of KS4 in 2008/09 to 2010/11, which sequences of first
-- appearances (KS5, a UCAS application or acceptance, a HESA student record, PAYE earnings)
-- are most common, and how many pupils are in HESA but not in PAYE, in both, or in PAYE only?
-- Relations: NPD_i2 KS4Pupil_2002_to_2014, KS5Student_2002_to_2021; UCAS_i2 ucas_2007_to_2021;
-- HESA_i2 hesa_2012 ... hesa_2015; LEO_i2 learner_ae_id_to_pmr_lookup,
-- learner_ae_id_to_edukey_lookup (several EDUKEYs per AE_ID), leo_earnings.
-- Habits: a #temp table keyed on a CHAR(18) PMR as FFT key theirs, the first year in each
-- source per pupil, pathways built as strings by STRING_AGG(...) WITHIN GROUP (ORDER BY yr),
-- INTERSECT and EXCEPT of the #temp table's keys with another source's.
SET NOCOUNT ON

IF OBJECT_ID('tempdb..#events') IS NOT NULL DROP TABLE #events
CREATE TABLE #events (pmr CHAR(18) NOT NULL, stage VARCHAR(10) NOT NULL, yr INT NOT NULL)

-- the cohort: the academic year KS4 ended in, by its first year
INSERT INTO #events (pmr, stage, yr)
SELECT DISTINCT k.KS4_PupilMatchingRefAnonymous, 'KS4', CAST(LEFT(k.KS4_ACADYR, 4) AS INT)
FROM [NPD_i2].[2002237].[KS4Pupil_2002_to_2014] k
WHERE k.KS4_ACADYR IN ('2008/2009', '2009/2010', '2010/2011')

DECLARE @pupils INT = @@ROWCOUNT
RAISERROR('cohort: %d pupils', 0, 1, @pupils) WITH NOWAIT

-- first year in KS5
INSERT INTO #events (pmr, stage, yr)
SELECT c.pmr, 'KS5', MIN(CAST(LEFT(s.KS5_ACADYR, 4) AS INT))
FROM #events c
JOIN [NPD_i2].[2002237].[KS5Student_2002_to_2021] s ON s.KS5_PupilMatchingRefAnonymous = c.pmr
WHERE c.stage = 'KS4'
GROUP BY c.pmr

-- first UCAS cycle (the academic year before entry), accepted in any cycle or not
INSERT INTO #events (pmr, stage, yr)
SELECT c.pmr, CASE WHEN MAX(u.accept_flag) = 1 THEN 'UCAS acc' ELSE 'UCAS app' END,
  MIN(u.application_cycle) - 1
FROM #events c
JOIN [UCAS_i2].[2002237].[ucas_2007_to_2021] u ON u.PupilMatchingRefAnonymous = c.pmr
WHERE c.stage = 'KS4'
GROUP BY c.pmr

-- first HESA reporting year (hesa_2012 is 2011/12)
INSERT INTO #events (pmr, stage, yr)
SELECT h.pmr, 'HESA', MIN(h.yr)
FROM (SELECT HE_PUPILMATCHINGREFANONYMOUS AS pmr, 2011 AS yr FROM [HESA_i2].[2002237].[hesa_2012]
      UNION ALL SELECT HE_PUPILMATCHINGREFANONYMOUS, 2012 FROM [HESA_i2].[2002237].[hesa_2013]
      UNION ALL SELECT HE_PUPILMATCHINGREFANONYMOUS, 2013 FROM [HESA_i2].[2002237].[hesa_2014]
      UNION ALL SELECT HE_PUPILMATCHINGREFANONYMOUS, 2014 FROM [HESA_i2].[2002237].[hesa_2015]) h
WHERE EXISTS (SELECT 1 FROM #events c WHERE c.stage = 'KS4' AND c.pmr = h.pmr)
GROUP BY h.pmr

-- first tax year with PAYE pay, over every EDUKEY of the pupil's AE_ID
INSERT INTO #events (pmr, stage, yr)
SELECT c.pmr, 'PAYE', MIN(e.TaxYear / 100)
FROM #events c
JOIN [LEO_i2].[2002237].[learner_ae_id_to_pmr_lookup] p ON p.PUPILMATCHINGREFANONYMOUS = c.pmr
JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] k ON k.AE_ID = p.AE_ID
JOIN [LEO_i2].[2002237].[leo_earnings] e ON e.Edukey = k.EDUKEY
WHERE c.stage = 'KS4' AND e.Earnings > 0
GROUP BY c.pmr

-- who is in HESA and PAYE, in one only: INTERSECT and EXCEPT of the #temp table's keys
SELECT 'HESA and PAYE' AS found, COUNT(*) AS pupils
FROM (SELECT pmr FROM #events WHERE stage = 'HESA'
      INTERSECT SELECT pmr FROM #events WHERE stage = 'PAYE') b
UNION ALL
SELECT 'HESA, not PAYE', COUNT(*)
FROM (SELECT pmr FROM #events WHERE stage = 'HESA'
      EXCEPT SELECT pmr FROM #events WHERE stage = 'PAYE') h
UNION ALL
SELECT 'PAYE, not HESA', COUNT(*)
FROM (SELECT pmr FROM #events WHERE stage = 'PAYE'
      EXCEPT SELECT HE_PUPILMATCHINGREFANONYMOUS FROM [HESA_i2].[2002237].[hesa_2015]
      EXCEPT SELECT HE_PUPILMATCHINGREFANONYMOUS FROM [HESA_i2].[2002237].[hesa_2014]
      EXCEPT SELECT HE_PUPILMATCHINGREFANONYMOUS FROM [HESA_i2].[2002237].[hesa_2013]
      EXCEPT SELECT HE_PUPILMATCHINGREFANONYMOUS FROM [HESA_i2].[2002237].[hesa_2012]) p

-- the pathways, most common first
;WITH paths AS (
  SELECT pmr, STRING_AGG(stage, ' > ') WITHIN GROUP (ORDER BY yr, stage) AS pathway,
    COUNT(*) AS stages
  FROM #events
  GROUP BY pmr)
SELECT TOP (15) pathway, COUNT(*) AS pupils,
  CAST(100.0 * COUNT(*) / @pupils AS DECIMAL(5, 1)) AS pct,
  MAX(stages) AS stages
FROM paths
GROUP BY pathway
ORDER BY pupils DESC, pathway
