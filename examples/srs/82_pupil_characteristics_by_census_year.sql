-- 82 Pupil characteristics by census year, from the spring censuses 2012 to 2016.
-- Answers: per census year and major ethnic group, how many pupils, how many eligible for
-- free school meals then and in the last six years (ever-FSM), how many summer-born, their
-- ages at 31 August, first-language groups and mean IDACI score.
-- Relations: NPD_i2 spring_census_2012 to spring_census_2016.
-- Habits: one row per pupil and year from a UNION ALL of the yearly views (the year a
-- literal, '2012' beside 2013; IDACIScore_10_spr16 where earlier years have IDACIScore_),
-- duplicates dropped by ROW_NUMBER() preferring current and main registrations, SEN
-- provision grouped across the 2014/15 change of codes (A/P/S to K/E), ethnicity's major
-- group by LEFT(code, 1), SELECT ... INTO then CREATE INDEX, ALTER TABLE ... ADD and
-- UPDATE ... FROM a window (MAX(...) OVER (... ROWS BETWEEN 5 PRECEDING AND CURRENT ROW)),
-- age at 31 August by DATEDIFF(year, ...) less a month test.
SET NOCOUNT ON
IF OBJECT_ID('tempdb..#chars') IS NOT NULL DROP TABLE #chars
;WITH raw AS (
SELECT '2012' AS yr, PupilMatchingRefAnonymous_spr12 AS pmr, FSMeligible_spr12 AS fsm,
       SENprovision_spr12 AS sen, EthnicGroupMinor_spr12 AS eth, LanguageGroupMinor_spr12 AS lang,
       LA_spr12_anon AS la, URN_spr12_anon AS urn, EnrolStatus_spr12 AS enrol,
           OnRoll_spr12 AS onroll,
       YearOfBirth_spr12 AS yob, MonthOfBirth_spr12 AS mob, IDACIScore_spr12 AS idaci
FROM [NPD_i2].[2002237].[spring_census_2012] WHERE RecordStatus_spr12 IS NULL
    OR RecordStatus_spr12 < 100
UNION ALL
SELECT 2013, PupilMatchingRefAnonymous_spr13, FSMeligible_spr13, SENprovision_spr13,
    EthnicGroupMinor_spr13,
       LanguageGroupMinor_spr13, LA_spr13_anon, URN_spr13_anon, EnrolStatus_spr13, OnRoll_spr13,
       YearOfBirth_spr13, MonthOfBirth_spr13, IDACIScore_spr13
FROM [NPD_i2].[2002237].[spring_census_2013] WHERE RecordStatus_spr13 IS NULL
    OR RecordStatus_spr13 < 100
UNION ALL
SELECT 2014, PupilMatchingRefAnonymous_spr14, FSMeligible_spr14, SENprovision_spr14,
    EthnicGroupMinor_spr14,
       LanguageGroupMinor_spr14, LA_spr14_anon, URN_spr14_anon, EnrolStatus_spr14, OnRoll_spr14,
       YearOfBirth_spr14, MonthOfBirth_spr14, IDACIScore_spr14
FROM [NPD_i2].[2002237].[spring_census_2014] WHERE RecordStatus_spr14 IS NULL
    OR RecordStatus_spr14 < 100
UNION ALL
SELECT 2015, PupilMatchingRefAnonymous_spr15, FSMeligible_spr15, SENprovision_spr15,
    EthnicGroupMinor_spr15,
       LanguageGroupMinor_spr15, LA_spr15_anon, URN_spr15_anon, EnrolStatus_spr15, OnRoll_spr15,
       YearOfBirth_spr15, MonthOfBirth_spr15, IDACIScore_spr15
FROM [NPD_i2].[2002237].[spring_census_2015] WHERE RecordStatus_spr15 IS NULL
    OR RecordStatus_spr15 < 100
UNION ALL
SELECT 2016, PupilMatchingRefAnonymous_spr16, FSMeligible_spr16, SENprovision_spr16,
    EthnicGroupMinor_spr16,
       LanguageGroupMinor_spr16, LA_spr16_anon, URN_spr16_anon, EnrolStatus_spr16, OnRoll_spr16,
       YearOfBirth_spr16, MonthOfBirth_spr16, IDACIScore_10_spr16
FROM [NPD_i2].[2002237].[spring_census_2016] WHERE RecordStatus_spr16 IS NULL
    OR RecordStatus_spr16 < 100
),
ranked AS (
SELECT *, ROW_NUMBER() OVER (PARTITION BY pmr, yr
          ORDER BY CASE enrol WHEN 'C' THEN 1 WHEN 'M' THEN 2 ELSE 3 END, onroll DESC, urn) AS rn
FROM raw)
SELECT yr, pmr, fsm, la, urn, yob, mob, idaci,
  CASE WHEN sen IN ('S', 'E') THEN 'EHCP/statement'
       WHEN sen IN ('A', 'P', 'K') THEN 'SEN support'
       WHEN sen = 'N' THEN 'No SEN' ELSE 'Unknown' END AS sen_group,
  CASE LEFT(eth, 1) WHEN 'W' THEN 'White' WHEN 'M' THEN 'Mixed' WHEN 'A' THEN 'Asian'
       WHEN 'B' THEN 'Black' WHEN 'C' THEN 'Chinese'
           WHEN 'O' THEN 'Other' ELSE 'Unclassified' END AS eth_major,
  IIF(lang IN ('ENG', 'ENB'), 'English', IIF(lang IN ('OTH', 'OTB'), 'Other', NULL)) AS lang_group
INTO #chars
FROM ranked WHERE rn = 1
CREATE INDEX ix_chars ON #chars (pmr, yr)
ALTER TABLE #chars ADD fsm6 INT, summer_born BIT, age_aug INT
UPDATE c SET fsm6 = w.fsm6
FROM #chars c JOIN (
  SELECT pmr, yr, MAX(CASE WHEN fsm = 1 THEN 1 ELSE 0 END)
     OVER (PARTITION BY pmr ORDER BY yr ROWS BETWEEN 5 PRECEDING AND CURRENT ROW) AS fsm6
  FROM #chars) w ON w.pmr = c.pmr AND w.yr = c.yr
UPDATE #chars SET summer_born = CASE WHEN mob BETWEEN 5 AND 8 THEN 1 ELSE 0 END,
  age_aug = DATEDIFF(year, DATEFROMPARTS(yob, mob, 15), DATEFROMPARTS(yr - 1, 8, 31))
      - CASE WHEN mob > 8 THEN 1 ELSE 0 END
SELECT yr, eth_major, COUNT(*) AS pupils, SUM(fsm) AS fsm_now, SUM(fsm6) AS fsm6,
  CAST(100.0 * SUM(fsm6) / NULLIF(COUNT(*), 0) AS DECIMAL(5, 1)) AS pct_fsm6,
  SUM(CAST(summer_born AS INT)) AS summer, MIN(age_aug) AS min_age, MAX(age_aug) AS max_age,
  COUNT(DISTINCT lang_group) AS langs, ROUND(AVG(idaci), 3) AS mean_idaci
FROM #chars GROUP BY yr, eth_major ORDER BY yr, pupils DESC, eth_major
