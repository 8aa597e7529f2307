-- 45 A KS4 cohort built step by step in a #temp table, summarised with ROLLUP.
-- Answers: of pupils at the end of KS4 in 2016/17 to 2018/19, how many by FSM and gender
-- were matched to an AE_ID and had PAYE earnings in 2020/21, with their Attainment 8 quintile
-- (NTILE over the whole cohort), and totals per FSM group and overall?
-- Relations: NPD_i2 KS4Pupil_2015_to_2021, LEO_i2 learner_ae_id_to_pmr_lookup,
-- learner_ae_id_to_edukey_lookup, leo_earnings.
-- Built the way many SRS scripts are: CREATE TABLE, INSERT, ALTER TABLE ... ADD, UPDATE with
-- joins, an index, then GROUP BY ROLLUP with GROUPING() to label the total rows. KS4_FSM is
-- 1 or 0; a pupil's latest KS4 record is kept (KS4_ACADYR is 'yyyy/yyyy').
SET NOCOUNT ON

IF OBJECT_ID('tempdb..#cohort') IS NOT NULL DROP TABLE #cohort
CREATE TABLE #cohort (
    pmr      VARCHAR(18) NOT NULL,
    ks4_year INT         NOT NULL,
    gender   CHAR(1)     NULL,
    fsm      TINYINT     NULL,
    att8     FLOAT       NULL
)

INSERT INTO #cohort (pmr, ks4_year, gender, fsm, att8)
SELECT k.KS4_PupilMatchingRefAnonymous, CAST(RIGHT(k.KS4_ACADYR, 4) AS INT), k.KS4_GENDER, k.KS4_FSM, k.KS4_ATT8
FROM [NPD_i2].[2002237].[KS4Pupil_2015_to_2021] k
WHERE k.KS4_ACADYR IN ('2016/2017', '2017/2018', '2018/2019')

-- a pupil with two KS4 records: the latest
;WITH d AS (SELECT *, ROW_NUMBER() OVER (PARTITION BY pmr ORDER BY ks4_year DESC) AS rn FROM #cohort)
DELETE FROM d WHERE rn > 1

CREATE INDEX ix_cohort_pmr ON #cohort (pmr)

ALTER TABLE #cohort ADD ae_id BIGINT NULL, earnings_2021 INT NULL, att8_quintile TINYINT NULL

UPDATE c SET c.ae_id = l.AE_ID
FROM #cohort c
JOIN [LEO_i2].[2002237].[learner_ae_id_to_pmr_lookup] l ON l.PUPILMATCHINGREFANONYMOUS = c.pmr

UPDATE c SET c.earnings_2021 = p.pay
FROM #cohort c
JOIN (SELECT k.AE_ID, SUM(e.Earnings) AS pay
      FROM [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] k
      JOIN [LEO_i2].[2002237].[leo_earnings] e ON e.Edukey = k.EDUKEY
      WHERE e.TaxYear = 202021
      GROUP BY k.AE_ID) p ON p.AE_ID = c.ae_id

UPDATE c SET c.att8_quintile = q.quintile
FROM #cohort c
JOIN (SELECT pmr, NTILE(5) OVER (ORDER BY att8, pmr) AS quintile FROM #cohort WHERE att8 IS NOT NULL) q
  ON q.pmr = c.pmr

SELECT CASE WHEN GROUPING(fsm) = 1 THEN 'All pupils'
            WHEN fsm = 1 THEN 'FSM' ELSE 'Not FSM' END                AS fsm_group,
       CASE WHEN GROUPING(gender) = 1 THEN 'All' ELSE gender END       AS gender,
       COUNT(*)                                                        AS pupils,
       SUM(IIF(ae_id IS NOT NULL, 1, 0))                               AS matched,
       SUM(CASE WHEN earnings_2021 > 0 THEN 1 ELSE 0 END)              AS earners,
       CAST(100.0 * SUM(CASE WHEN earnings_2021 > 0 THEN 1 ELSE 0 END)
            / NULLIF(COUNT(*), 0) AS DECIMAL(5, 1))                    AS pct_earning,
       AVG(CAST(att8_quintile AS DECIMAL(3, 1)))                       AS mean_quintile,
       GROUPING_ID(fsm, gender)                                        AS level
FROM #cohort
WHERE fsm IS NOT NULL
GROUP BY ROLLUP (fsm, gender)
ORDER BY GROUPING(fsm), fsm DESC, GROUPING(gender), gender;
