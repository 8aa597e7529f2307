-- 57 A KS4 cohort keyed as FFT key it, with its employment spells cleaned, per FSM group.
-- Answers: of the 2017/18 KS4 cohort, by FSM, how many pupils reach an EDUKEY, how many
-- have a PAYE spell, how many spells are still open (9999-12-31) and the mean
-- days employed up to 31 March 2021, counting an open spell to that date.
-- Relations: NPD_i2 KS4Pupil_2015_to_2021; LEO_i2 learner_ae_id_to_pmr_lookup,
-- learner_ae_id_to_edukey_lookup, leo_employment.
-- Keys are held in CHAR columns under COLLATE Latin1_General_BIN and every join names the
-- collation (leo_schema.md 1.1); spells whose start is not before their end are dropped.
SET NOCOUNT ON

DROP TABLE IF EXISTS #cohort
CREATE TABLE #cohort (pmr CHAR(20) COLLATE Latin1_General_BIN NOT NULL PRIMARY KEY,
                      fsm VARCHAR(7) NOT NULL)
INSERT INTO #cohort (pmr, fsm)
SELECT KS4_PupilMatchingRefAnonymous,
       MAX(CASE WHEN KS4_FSM = 1 THEN 'FSM' ELSE 'Non-FSM' END)
FROM [NPD_i2].[2002237].[KS4Pupil_2015_to_2021]
WHERE KS4_ACADYR = '2017/2018' AND NULLIF(LTRIM(RTRIM(KS4_PupilMatchingRefAnonymous)), '') IS NOT NULL
GROUP BY KS4_PupilMatchingRefAnonymous

DROP TABLE IF EXISTS #keys
SELECT DISTINCT c.pmr, CAST(e.EDUKEY AS CHAR(14)) COLLATE Latin1_General_BIN AS edukey
INTO #keys
FROM #cohort c
JOIN [LEO_i2].[2002237].[learner_ae_id_to_pmr_lookup] p
  ON p.PUPILMATCHINGREFANONYMOUS COLLATE Latin1_General_BIN = c.pmr COLLATE Latin1_General_BIN
JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] e ON e.AE_ID = p.AE_ID

DROP TABLE IF EXISTS #spells
SELECT k.pmr, s.StartDate,
       NULLIF(s.EndDate, '99991231') AS EndDate,
       DATEDIFF(DAY, s.StartDate,
                CASE WHEN s.EndDate > '20210331' THEN '20210331' ELSE s.EndDate END) + 1 AS days
INTO #spells
FROM #keys k
JOIN [LEO_i2].[2002237].[leo_employment] s
  ON s.EduKey COLLATE Latin1_General_BIN = k.edukey
WHERE s.StartDate < s.EndDate AND s.StartDate <= '20210331'

SELECT c.fsm,
       COUNT(DISTINCT c.pmr)                              AS pupils,
       COUNT(DISTINCT k.pmr)                              AS with_edukey,
       COUNT(DISTINCT s.pmr)                              AS with_spell,
       COUNT(s.StartDate) - COUNT(s.EndDate)              AS open_spells,
       CAST(AVG(s.days * 1.0) AS DECIMAL(8, 1))           AS mean_days
FROM #cohort c
LEFT JOIN #keys k ON k.pmr = c.pmr
LEFT JOIN #spells s ON s.pmr = c.pmr
GROUP BY c.fsm
ORDER BY c.fsm
