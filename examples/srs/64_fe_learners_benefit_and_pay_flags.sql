-- 64 Further-education learners of 2014/15 flagged for out-of-work benefits and PAYE pay two years on.
-- Answers: of the learners in the 2014/15 ILR who reach an EDUKEY, by age band, how many were on
-- an out-of-work benefit in 2016/17, how many had PAYE earnings that year, and how many
-- neither, with flags added by ALTER TABLE ... ADD ... DEFAULT 0 and set by UPDATE ... FROM.
-- Relations: LILR_i2 learners; LEO_i2 education_records_lookup, learner_ae_id_to_edukey_lookup,
-- leo_benefit, leo_earnings.
-- As in SQL Server, a column added with a default but allowing NULL is NULL in the rows already
-- there: the flags are 1 or NULL, never 0, so "neither" counts none (ISNULL is the way round).
SET NOCOUNT ON
IF OBJECT_ID('tempdb..#fe') IS NOT NULL DROP TABLE #fe
SELECT DISTINCT k.EDUKEY, l.Sex,
  CASE WHEN l.AcAge < 19 THEN '16-18' WHEN l.AcAge < 25 THEN '19-24' ELSE '25+' END AS age_band
INTO #fe
FROM [LILR_i2].[2002237].[learners] l
JOIN [LEO_i2].[2002237].[education_records_lookup] e ON e.RECORDID = l.RECORDID
JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] k ON k.AE_ID = e.AE_ID
WHERE l.Year = '2014'
ALTER TABLE #fe ADD on_benefit INT DEFAULT 0, employed INT DEFAULT 0
UPDATE f SET on_benefit = 1
FROM #fe f JOIN [LEO_i2].[2002237].[leo_benefit] b ON b.EduKey = f.EDUKEY
WHERE b.Out_of_work_benefit = 1 AND b.StartDate <= '2017-03-31' AND b.EndDate >= '2016-04-01'
UPDATE f SET employed = 1
FROM #fe f WHERE EXISTS (SELECT 1 FROM [LEO_i2].[2002237].[leo_earnings] e
                         WHERE e.Edukey = f.EDUKEY AND e.TaxYear = 201617 AND e.Earnings > 0)
SELECT age_band, COUNT(*) AS learners, SUM(on_benefit) AS on_benefit,
  SUM(CASE WHEN on_benefit = 0 THEN 1 ELSE 0 END) AS flagged_off_benefit,
  COUNT(on_benefit) AS flagged, AVG(on_benefit * 1.0) AS share_flagged,
  SUM(CASE WHEN employed = 0 AND on_benefit = 0 THEN 1 ELSE 0 END) AS neither,
  SUM(ISNULL(employed, 0)) AS employed
FROM #fe GROUP BY age_band ORDER BY age_band
