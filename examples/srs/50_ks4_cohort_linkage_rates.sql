-- 50 Linkage rates of a KS4 cohort to HESA, the ILR and HMRC.
-- Answers: of the pupils at the end of KS4 in 2014/15 or 2015/16, how many (and what share)
-- appear in HESA in 2018/19 or 2019/20, in the ILR from 2016/17, in PAYE earnings in 2019/20,
-- have neither an employment nor a benefit spell at all, or are not matched to an AE_ID?
-- Relations: NPD_i2 KS4Pupil_2015_to_2021; HESA_i2 hesa_2019, hesa_2020; LILR_i2 learners;
-- LEO_i2 learner_ae_id_to_pmr_lookup, learner_ae_id_to_edukey_lookup, education_records_lookup,
-- leo_earnings, leo_employment, leo_benefit.
-- The cohort is kept in a #temp table; each rate is a semi-join as analysts write them:
-- EXISTS for HESA (PMR), IN for the ILR (RECORDID -> AE_ID), INTERSECT for earnings (AE_ID ->
-- EDUKEY), EXCEPT for those with no labour-market record, NOT EXISTS for the unmatched.
SET NOCOUNT ON

IF OBJECT_ID('tempdb..#cohort') IS NOT NULL DROP TABLE #cohort

CREATE TABLE #cohort (pmr VARCHAR(18) NOT NULL, AE_ID BIGINT NULL)

INSERT INTO #cohort (pmr, AE_ID)
SELECT DISTINCT ks4.KS4_PupilMatchingRefAnonymous, pmr_lookup.AE_ID
FROM [NPD_i2].[2002237].[KS4Pupil_2015_to_2021] AS ks4
LEFT JOIN [LEO_i2].[2002237].[learner_ae_id_to_pmr_lookup] AS pmr_lookup
    ON pmr_lookup.PUPILMATCHINGREFANONYMOUS = ks4.KS4_PupilMatchingRefAnonymous
WHERE ks4.KS4_ACADYR IN ('2014/2015', '2015/2016')

DECLARE @n INT = @@ROWCOUNT
RAISERROR('cohort: %d pupils', 0, 1, @n) WITH NOWAIT

SELECT 'KS4 cohort' AS source, COUNT(*) AS pupils, 100.0 AS pct
FROM #cohort
UNION ALL
SELECT 'HESA 2018/19 or 2019/20', COUNT(*), CAST(100.0 * COUNT(*) / @n AS DECIMAL(5, 1))
FROM #cohort c
WHERE EXISTS (SELECT 1 FROM [HESA_i2].[2002237].[hesa_2019] h
              WHERE h.HE_PUPILMATCHINGREFANONYMOUS = c.pmr)
   OR EXISTS (SELECT 1 FROM [HESA_i2].[2002237].[hesa_2020] h
              WHERE h.HE_PUPILMATCHINGREFANONYMOUS = c.pmr)
UNION ALL
SELECT 'ILR from 2016/17', COUNT(*), CAST(100.0 * COUNT(*) / @n AS DECIMAL(5, 1))
FROM #cohort c
WHERE c.AE_ID IN (SELECT r.AE_ID
                  FROM [LEO_i2].[2002237].[education_records_lookup] r
                  JOIN [LILR_i2].[2002237].[learners] l ON l.RECORDID = r.RECORDID
                  WHERE l.Year >= 2016)
UNION ALL
SELECT 'PAYE earnings 2019/20', COUNT(*), CAST(100.0 * COUNT(*) / @n AS DECIMAL(5, 1))
FROM (SELECT AE_ID FROM #cohort
      INTERSECT
      SELECT k.AE_ID
      FROM [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] k
      JOIN [LEO_i2].[2002237].[leo_earnings] e ON e.Edukey = k.EDUKEY
      WHERE e.TaxYear = 201920 AND e.Earnings > 0) x
UNION ALL
SELECT 'no HMRC or DWP record', COUNT(*), CAST(100.0 * COUNT(*) / @n AS DECIMAL(5, 1))
FROM (SELECT AE_ID FROM #cohort WHERE AE_ID IS NOT NULL
      EXCEPT
      SELECT k.AE_ID
      FROM [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] k
      WHERE EXISTS (SELECT 1 FROM [LEO_i2].[2002237].[leo_employment] m WHERE m.EduKey = k.EDUKEY)
         OR EXISTS (SELECT 1 FROM [LEO_i2].[2002237].[leo_benefit] b WHERE b.EduKey = k.EDUKEY)) y
UNION ALL
SELECT 'not matched to an AE_ID', COUNT(*), CAST(100.0 * COUNT(*) / @n AS DECIMAL(5, 1))
FROM #cohort c
WHERE NOT EXISTS (SELECT 1 FROM [LEO_i2].[2002237].[learner_ae_id_to_pmr_lookup] p
                  WHERE p.PUPILMATCHINGREFANONYMOUS = c.pmr)
ORDER BY pupils DESC, source
