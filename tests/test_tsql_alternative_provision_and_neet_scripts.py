"""`leo-synth sql`: scripts as LEO analysts in the SRS write them about pupils outside
mainstream school, young people not in education, employment or training, and UCAS, run on
every backend, every result set the same on each: permanent exclusions from the old-format
``exclusions_YYYY`` and the new ``exclusions_table_1_YYYY`` loaded by ``sp_executesql`` (their
column names differ), then AP or a PRU (``ap_census_2008_to_2021``, ``pru_census_2010_to_2013``)
and the spring census of the same year (``INSERT INTO @t EXEC``); NCCIS activity codes grouped
by a table variable and ``LIKE '5%'`` on the integer codes, the latest record per young person
and year (``ROW_NUMBER``, ``TOP 1 WITH TIES``), months NEET (``DATEADD(month, DATEDIFF(month,
0, d), 0)``, ``EOMONTH(d, -1)``), NEET by KS4 attainment and later benefits and employment
through the lookups (``OUTER APPLY``); UCAS applicants by cycle, tariff bands and HESA entry; a
NEET summary by ``MERGE``, ``TRY ... CATCH`` and a rolled-back transaction. And what SQL Server
does that the targets did not:

- a decimal quotient is rounded to its type's places before anything is computed from it
  (``decimal_quotients``): ``1.0 / 3 * 3`` is ``0.999999`` and ``1.0 * SUM(neet) / COUNT(*) *
  100`` ``33.333333333300``, where every target went on with the whole quotient (``1.000000``,
  ``33.333333333333``);
- ``ROUND(x, 12)`` on DuckDB keeps its twelve places (it rounded through ten).
"""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db
from test_tsql_care_and_absence_scripts import _on_sqlite, _tables

SCRIPTS = {
    "permanent_exclusions_old_and_new_format_then_ap_or_pru": """
SET NOCOUNT ON
-- permanent exclusions, old format and new format, into one table
IF OBJECT_ID('tempdb..#perm') IS NOT NULL DROP TABLE #perm
CREATE TABLE #perm (pmr VARCHAR(30) NOT NULL, ex_year INT, ex_date DATE, src CHAR(3))
DECLARE @y INT = 2002, @yy CHAR(2), @sql NVARCHAR(MAX)
WHILE @y <= 2021
BEGIN
  SET @yy = RIGHT(CAST(@y AS VARCHAR(4)), 2)
  IF @y <= 2005
    SET @sql = N'INSERT INTO #perm SELECT PupilMatchingRefAnonymous_ex' + @yy + N', ' + CAST(@y
    AS NVARCHAR(4))
      + N', StartDate_ex' + @yy + N', ''old'' FROM [NPD_i2].[2002237].[exclusions_' + CAST(@y AS
    NVARCHAR(4))
      + N'] WHERE PermanentExclusionInd_ex' + @yy + N' = ''P'''
  ELSE
    SET @sql = N'INSERT INTO #perm SELECT PupilMatchingRefAnonymous_ex' + @yy + N', ' + CAST(@y
    AS NVARCHAR(4))
      + N', StartDate_ex' + @yy + N', ''new'' FROM [NPD_i2].[2002237].[exclusions_table_1_' +
    CAST(@y AS NVARCHAR(4))
      + N'] WHERE Category_ex' + @yy + N' IN (''PERM'', ''FIXD'')'
  IF OBJECT_ID(N'[NPD_i2].[2002237].[exclusions_' + CASE WHEN @y <= 2005 THEN N'' ELSE
    N'table_1_' END + CAST(@y AS NVARCHAR(4)) + N']') IS NOT NULL
    EXEC sp_executesql @sql
  SET @y += 1
END
SELECT src, COUNT(*) AS n, COUNT(DISTINCT pmr) AS pupils, MIN(ex_date) AS first_d, MAX(ex_date)
    AS last_d FROM #perm GROUP BY src

-- AP and PRU placements in one table
SELECT AP_PupilMatchingRefAnonymous AS pmr, AP_Year AS yr, ISNULL(AP_APTypeDescription, 'UNK')
    AS setting,
       CAST(NULL AS DATE) AS entry_date
INTO #alt
FROM [NPD_i2].[2002237].[ap_census_2008_to_2021]
UNION ALL
SELECT PRU_PupilMatchingRefAnonymous, CAST(RIGHT(PRU_AcademicYear, 4) AS INT), 'PRU', PRU_EntryDate
FROM [NPD_i2].[2002237].[pru_census_2010_to_2013]
WHERE PRU_RecordStatus IS NULL OR PRU_RecordStatus IN (1, 2, 3)

SELECT setting, COUNT(*) AS placements, COUNT(DISTINCT pmr) AS pupils, MIN(yr) AS from_yr,
    MAX(yr) AS to_yr,
  LEN(setting) AS l, DATALENGTH(setting) AS dl
FROM #alt GROUP BY setting ORDER BY setting

-- excluded pupils who later appear in AP or a PRU
;WITH first_ex AS (
  SELECT pmr, MIN(ex_date) AS ex_date, MIN(ex_year) AS ex_year FROM #perm GROUP BY pmr
), later AS (
  SELECT f.pmr, f.ex_date, MIN(a.yr) AS alt_yr, MIN(a.entry_date) AS alt_entry
  FROM first_ex f JOIN #alt a ON a.pmr = f.pmr AND a.yr >= f.ex_year
  GROUP BY f.pmr, f.ex_date
)
SELECT COUNT(*) AS excluded, COUNT(l.pmr) AS later_alt,
  CAST(100.0 * COUNT(l.pmr) / COUNT(*) AS DECIMAL(5, 1)) AS pct,
  AVG(DATEDIFF(day, l.ex_date, l.alt_entry)) AS mean_days_to_pru,
  MIN(DATEDIFF(month, l.ex_date, DATEFROMPARTS(l.alt_yr, 1, 15))) AS min_months
FROM first_ex f LEFT JOIN later l ON l.pmr = f.pmr

-- pupils in AP/PRU and the spring census of the same year
DECLARE @both TABLE (yr INT, in_alt INT, in_spring INT)
SET @y = 2010
WHILE @y <= 2013
BEGIN
  SET @sql = N'SELECT ' + CAST(@y AS NVARCHAR(4)) +
    N', COUNT(DISTINCT a.pmr), COUNT(DISTINCT s.PupilMatchingRefAnonymous_spr' + RIGHT(CAST(@y
    AS VARCHAR(4)), 2)
    + N') FROM #alt a LEFT JOIN [NPD_i2].[2002237].[spring_census_' + CAST(@y AS NVARCHAR(4)) +
    N'] s ON s.PupilMatchingRefAnonymous_spr'
    + RIGHT(CAST(@y AS VARCHAR(4)), 2) + N' = a.pmr WHERE a.yr = ' + CAST(@y AS NVARCHAR(4))
  INSERT INTO @both EXEC (@sql)
  SET @y += 1
END
SELECT yr, in_alt, in_spring, CAST(in_spring * 100.0 / NULLIF(in_alt, 0) AS NUMERIC(5, 1)) AS
    pct FROM @both ORDER BY yr
""",
    "nccis_neet_by_code_groups_latest_record_and_months": """
SET NOCOUNT ON
DECLARE @codes TABLE (code VARCHAR(3) PRIMARY KEY, grp VARCHAR(20))
INSERT INTO @codes (code, grp) VALUES
    ('210','EET'),('220','EET'),('230','EET'),('240','EET'),('310','EET'),('330','EET'),('340','EET'),('360','EET'),
 ('540','NEET active'),('610','NEET active'),('615','NEET active'),('616','NEET active'),
 ('619','NEET active'),
 ('620','NEET inactive'),('630','NEET inactive'),('640','NEET inactive'),('650','NEET inactive'),
 ('660','NEET inactive'),('670','NEET inactive'),('680','NEET inactive'),
 ('810','Not known'),('820','Not known'),('830','Not known')

SELECT n.NCCIS_PupilMatchingRefAnonymous AS pmr, n.NCCIS_ACADYR AS acadyr,
  CAST(LEFT(n.NCCIS_ACADYR, 4) AS INT) + CASE WHEN n.NCCIS_MonthNo < 9 THEN 1 ELSE 0 END AS
    cal_year,
  n.NCCIS_MonthNo AS m, n.NCCIS_Current_Activity_Code AS code,
  ISNULL(c.grp, CASE WHEN n.NCCIS_Current_Activity_Code LIKE '5%' THEN 'NEET active'
                     WHEN CAST(n.NCCIS_Current_Activity_Code AS VARCHAR(3)) LIKE '[23]%' THEN 'EET'
                     WHEN n.NCCIS_Current_Activity_Code LIKE '4_0' THEN 'Training'
                     ELSE 'Other' END) AS grp,
  n.NCCIS_Current_Activity_Start_Date AS start_d
INTO #act
FROM [NPD_i2].[2002237].[nccis_2011_to_2021] n
LEFT JOIN @codes c ON c.code = n.NCCIS_Current_Activity_Code
PRINT CONCAT('activity rows: ', @@ROWCOUNT)

SELECT grp, COUNT(*) AS records, COUNT(DISTINCT pmr) AS people, MIN(code) AS lo, MAX(code) AS hi
FROM #act GROUP BY grp ORDER BY grp

-- latest record per young person per year
;WITH r AS (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY pmr, acadyr
         ORDER BY CASE WHEN m >= 9 THEN m - 9 ELSE m + 3 END DESC, start_d DESC, code) AS rn
  FROM #act
)
SELECT acadyr, grp, COUNT(*) AS people
INTO #latest FROM r WHERE rn = 1 GROUP BY acadyr, grp
SELECT acadyr,
  SUM(people) AS people,
  SUM(CASE WHEN grp LIKE 'NEET%' THEN people ELSE 0 END) AS neet,
  CAST(100.0 * SUM(CASE WHEN grp LIKE 'NEET%' THEN people ELSE 0 END) / SUM(people) AS
    DECIMAL(4, 1)) AS neet_pct,
  SUM(CASE WHEN grp = 'Not known' THEN people END) AS not_known
FROM #latest GROUP BY acadyr ORDER BY acadyr

-- months NEET per young person, and month starts
SELECT pmr,
  COUNT(DISTINCT DATEADD(month, DATEDIFF(month, 0, DATEFROMPARTS(cal_year, m, 1)), 0)) AS
    neet_months,
  MIN(DATEFROMPARTS(cal_year, m, 1)) AS first_neet,
  EOMONTH(MIN(DATEFROMPARTS(cal_year, m, 1)), -1) AS month_before
INTO #neet
FROM #act WHERE grp LIKE 'NEET%'
GROUP BY pmr
SELECT CASE WHEN neet_months >= 6 THEN '6+' WHEN neet_months >= 3 THEN '3-5' ELSE '1-2' END AS band,
  COUNT(*) AS people, MIN(first_neet) AS earliest, MAX(month_before) AS latest_before
FROM #neet GROUP BY CASE WHEN neet_months >= 6 THEN '6+' WHEN neet_months >= 3 THEN '3-5' ELSE
    '1-2' END
ORDER BY band
""",
    "neet_by_ks4_attainment_then_benefits_and_employment": """
SET NOCOUNT ON
-- NEET at 16-17 and later outcomes via LEO link
SELECT n.NCCIS_PupilMatchingRefAnonymous AS pmr,
  MIN(CASE WHEN n.NCCIS_Current_Activity_Code BETWEEN 540 AND 680 THEN
    n.NCCIS_Current_Activity_Start_Date END) AS neet_from,
  MAX(CASE WHEN n.NCCIS_Current_Activity_Code BETWEEN 540 AND 680 THEN 1 ELSE 0 END) AS ever_neet,
  COUNT(DISTINCT CASE WHEN n.NCCIS_Current_Activity_Code BETWEEN 540 AND 680 THEN
    CONCAT(n.NCCIS_ACADYR, '-', RIGHT('0' + CAST(n.NCCIS_MonthNo AS VARCHAR(2)), 2)) END) AS
    neet_months,
  MIN(n.NCCIS_ACADYR) AS first_year
INTO #yp
FROM [NPD_i2].[2002237].[nccis_2011_to_2021] n
GROUP BY n.NCCIS_PupilMatchingRefAnonymous

SELECT k.KS4_PupilMatchingRefAnonymous AS pmr, MAX(k.KS4_ATT8) AS att8, MAX(k.KS4_ACADYR) AS ks4yr
INTO #ks4 FROM [NPD_i2].[2002237].[KS4Pupil_2015_to_2021] k GROUP BY k.KS4_PupilMatchingRefAnonymous
INSERT INTO #ks4
SELECT k.KS4_PupilMatchingRefAnonymous, NULL, MAX(k.KS4_ACADYR)
FROM [NPD_i2].[2002237].[KS4Pupil_2002_to_2014] k GROUP BY k.KS4_PupilMatchingRefAnonymous

SELECT y.*, k.att8, k.ks4yr,
  CASE WHEN k.pmr IS NULL THEN 'no KS4' WHEN k.att8 IS NULL THEN 'KS4, no Att8'
       WHEN k.att8 < 30 THEN 'Att8 < 30' WHEN k.att8 < 50 THEN 'Att8 30-49' ELSE 'Att8 50+' END
    AS att_band
INTO #c FROM #yp y LEFT JOIN #ks4 k ON k.pmr = y.pmr

SELECT att_band, COUNT(*) AS people, SUM(ever_neet) AS neet,
  FORMAT(1.0 * SUM(ever_neet) / COUNT(*), 'P1') AS neet_share,
  AVG(CASE WHEN ever_neet = 1 THEN neet_months END) AS mean_neet_months,
  CONCAT_WS('/', MIN(ks4yr), MAX(ks4yr)) AS ks4_years
FROM #c GROUP BY att_band ORDER BY att_band

-- later employment and benefits
SELECT c.pmr, c.ever_neet, c.neet_from, x.EDUKEY AS edukey
INTO #linked
FROM #c c
JOIN [LEO_i2].[2002237].[learner_ae_id_to_pmr_lookup] l ON l.PUPILMATCHINGREFANONYMOUS = c.pmr
JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] x ON x.AE_ID = l.AE_ID

SELECT l.ever_neet, COUNT(DISTINCT l.pmr) AS people,
  COUNT(DISTINCT CASE WHEN b.EduKey IS NOT NULL THEN l.pmr END) AS on_benefit,
  COUNT(DISTINCT CASE WHEN e.EduKey IS NOT NULL THEN l.pmr END) AS employed,
  MIN(b.first_benefit) AS earliest_benefit,
  AVG(DATEDIFF(day, l.neet_from, b.first_benefit)) AS mean_days_neet_to_benefit
FROM #linked l
OUTER APPLY (SELECT TOP 1 bb.EduKey, bb.StartDate AS first_benefit FROM
    [LEO_i2].[2002237].[leo_benefit] bb
             WHERE bb.EduKey = l.edukey AND bb.StartDate >= ISNULL(l.neet_from, '2010-09-01')
             ORDER BY bb.StartDate) b
OUTER APPLY (SELECT TOP 1 ee.EduKey FROM [LEO_i2].[2002237].[leo_employment] ee
             WHERE ee.EduKey = l.edukey AND ee.StartDate >= '2012-04-06') e
GROUP BY l.ever_neet ORDER BY l.ever_neet

SELECT TOP 10 b.Benefit_type, COUNT(*) AS spells, SUM(DATEDIFF(day, b.StartDate,
    NULLIF(b.EndDate, '9999-12-31'))) AS days,
  SUM(CASE WHEN b.EndDate = '9999-12-31' THEN 1 ELSE 0 END) AS open_spells
FROM #linked l JOIN [LEO_i2].[2002237].[leo_benefit] b ON b.EduKey = l.edukey
WHERE l.ever_neet = 1
GROUP BY b.Benefit_type ORDER BY spells DESC, b.Benefit_type
""",
    "ucas_applicants_tariff_bands_and_hesa_entry": """
SET NOCOUNT ON
DECLARE @tariff TABLE (grade VARCHAR(2) PRIMARY KEY, pts INT)
INSERT INTO @tariff VALUES ('A*', 56), ('A', 48), ('B', 40), ('C', 32), ('D', 24), ('E', 16),
    ('U', 0)

SELECT u.PupilMatchingRefAnonymous AS pmr, u.application_cycle AS cycle, MAX(u.accept_flag) AS
    placed,
  MAX(u.entry_year) AS entry_year,
  SUM(CASE WHEN u.qualification_description = 'GCE Advanced Level' THEN ISNULL(t.pts, 0)
           WHEN u.qualification_description = 'GCE Advanced Subsidiary' THEN ISNULL(t.pts, 0) /
    2 ELSE 0 END) AS tariff,
  MAX(CASE WHEN u.app_response_june30 = 'Firm' THEN u.he_provider_tariff_group END) AS firm_group,
  COUNT(DISTINCT u.course_identifier) AS choices
INTO #app
FROM [UCAS_i2].[2002237].[ucas_2007_to_2021] u
LEFT JOIN @tariff t ON t.grade = NULLIF(u.grade, '')
WHERE u.applicant_domicile_code IS NOT NULL OR 1 = 1
GROUP BY u.PupilMatchingRefAnonymous, u.application_cycle

SELECT cycle, COUNT(*) AS applicants, SUM(placed) AS placed,
  CAST(100.0 * SUM(placed) / COUNT(*) AS DECIMAL(4, 1)) AS pct,
  AVG(choices * 1.0) AS mean_choices
FROM #app GROUP BY cycle ORDER BY cycle

SELECT CASE WHEN tariff = 0 THEN '0 / none' WHEN tariff < 96 THEN '1-95' WHEN tariff < 128 THEN
    '96-127'
            ELSE '128+' END AS band,
  COUNT(*) AS applicants, SUM(placed) AS placed, ISNULL(MAX(firm_group), 'no firm') AS
    top_firm_group,
  STRING_AGG(CAST(cycle AS VARCHAR(4)), ',') WITHIN GROUP (ORDER BY cycle DESC) AS cycles
FROM #app GROUP BY CASE WHEN tariff = 0 THEN '0 / none' WHEN tariff < 96 THEN '1-95' WHEN tariff
    < 128 THEN '96-127'
            ELSE '128+' END
ORDER BY MIN(tariff)

-- ever excluded or in AP/PRU
SELECT pmr INTO #outside FROM (
  SELECT AP_PupilMatchingRefAnonymous AS pmr FROM [NPD_i2].[2002237].[ap_census_2008_to_2021]
  UNION SELECT PRU_PupilMatchingRefAnonymous FROM [NPD_i2].[2002237].[pru_census_2010_to_2013]
  UNION SELECT PupilMatchingRefAnonymous_ex12 FROM [NPD_i2].[2002237].[exclusions_table_1_2012]
  UNION SELECT PupilMatchingRefAnonymous_ex14 FROM [NPD_i2].[2002237].[exclusions_table_1_2014]
  UNION SELECT PupilMatchingRefAnonymous_ex16 FROM [NPD_i2].[2002237].[exclusions_table_1_2016]
  UNION SELECT PupilMatchingRefAnonymous_ex04 FROM [NPD_i2].[2002237].[exclusions_2004]) x

SELECT IIF(o.pmr IS NULL, 'mainstream only', 'excluded or AP/PRU') AS grp, COUNT(*) AS applicants,
  SUM(a.placed) AS placed, AVG(a.tariff) AS mean_tariff
FROM #app a LEFT JOIN #outside o ON o.pmr = a.pmr
GROUP BY IIF(o.pmr IS NULL, 'mainstream only', 'excluded or AP/PRU') ORDER BY grp

-- acceptance to HESA entry matching
SELECT HE_PUPILMATCHINGREFANONYMOUS AS pmr, MIN(HE_COMDATE) AS comdate
INTO #he FROM (
  SELECT HE_PUPILMATCHINGREFANONYMOUS, HE_COMDATE FROM [HESA_i2].[2002237].[hesa_2015]
  UNION ALL SELECT HE_PUPILMATCHINGREFANONYMOUS, HE_COMDATE FROM [HESA_i2].[2002237].[hesa_2016]
  UNION ALL SELECT HE_PUPILMATCHINGREFANONYMOUS, HE_COMDATE FROM [HESA_i2].[2002237].[hesa_2017]
  UNION ALL SELECT HE_PUPILMATCHINGREFANONYMOUS, HE_COMDATE FROM [HESA_i2].[2002237].[hesa_2018]
  UNION ALL SELECT HE_PUPILMATCHINGREFANONYMOUS, HE_COMDATE FROM [HESA_i2].[2002237].[hesa_2019]) h
WHERE NULLIF(HE_PUPILMATCHINGREFANONYMOUS, '') IS NOT NULL
GROUP BY HE_PUPILMATCHINGREFANONYMOUS

SELECT a.cycle, COUNT(*) AS placed, COUNT(h.pmr) AS in_hesa,
  SUM(CASE WHEN YEAR(h.comdate) = a.entry_year THEN 1 ELSE 0 END) AS same_year,
  SUM(CASE WHEN h.comdate >= DATEFROMPARTS(a.entry_year, 8, 1) AND h.comdate <
    DATEFROMPARTS(a.entry_year + 1, 8, 1) THEN 1 ELSE 0 END) AS in_entry_year,
  AVG(DATEDIFF(month, DATEFROMPARTS(a.entry_year, 9, 1), h.comdate)) AS mean_months_off
FROM #app a LEFT JOIN #he h ON h.pmr = a.pmr
WHERE a.placed = 1 AND a.cycle BETWEEN 2015 AND 2019
GROUP BY a.cycle ORDER BY a.cycle
""",
    "nccis_latest_by_top_with_ties_and_months_pivoted": """
SET NOCOUNT ON
SELECT TOP 1 WITH TIES NCCIS_PupilMatchingRefAnonymous AS pmr, NCCIS_ACADYR AS acadyr,
    NCCIS_Current_Activity_Code AS code
INTO #latest
FROM [NPD_i2].[2002237].[nccis_2011_to_2021]
ORDER BY ROW_NUMBER() OVER (PARTITION BY NCCIS_PupilMatchingRefAnonymous, NCCIS_ACADYR
                            ORDER BY (NCCIS_MonthNo + 3) % 12 DESC,
    NCCIS_Current_Activity_Start_Date DESC, NCCIS_Current_Activity_Code)
PRINT @@ROWCOUNT
SELECT acadyr, COUNT(*) AS people, SUM(IIF(code BETWEEN 540 AND 680, 1, 0)) AS neet,
  SUM(CASE WHEN CAST(code AS CHAR(3)) IN ('610', '615', '616', '619') THEN 1 ELSE 0 END) AS seeking,
  SUM(CASE WHEN SUBSTRING(CAST(code AS VARCHAR(10)), 1, 1) = '8' THEN 1 ELSE 0 END) AS unknown
FROM #latest GROUP BY acadyr ORDER BY acadyr
SELECT * FROM (
  SELECT NCCIS_ACADYR AS acadyr, NCCIS_MonthNo AS m, NCCIS_PupilMatchingRefAnonymous AS pmr
  FROM [NPD_i2].[2002237].[nccis_2011_to_2021] WHERE NCCIS_Current_Activity_Code BETWEEN 540 AND
    680) s
PIVOT (COUNT(pmr) FOR m IN ([9], [10], [11], [12], [1], [2], [3], [4], [5], [6], [7], [8])) p
ORDER BY acadyr
;WITH f AS (
  SELECT DISTINCT NCCIS_PupilMatchingRefAnonymous AS pmr,
    FIRST_VALUE(NCCIS_Current_Activity_Code) OVER (PARTITION BY NCCIS_PupilMatchingRefAnonymous
    ORDER BY NCCIS_ACADYR, (NCCIS_MonthNo + 3) % 12, NCCIS_Current_Activity_Code) AS first_code,
    LAST_VALUE(NCCIS_Current_Activity_Code) OVER (PARTITION BY NCCIS_PupilMatchingRefAnonymous
    ORDER BY NCCIS_ACADYR, (NCCIS_MonthNo + 3) % 12, NCCIS_Current_Activity_Code
       ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS last_code
  FROM [NPD_i2].[2002237].[nccis_2011_to_2021])
SELECT LEFT(CAST(first_code AS VARCHAR(3)), 1) + '00s' AS first_grp, LEFT(CAST(last_code AS
    VARCHAR(3)), 1) + '00s' AS last_grp, COUNT(*) AS people
FROM f GROUP BY LEFT(CAST(first_code AS VARCHAR(3)), 1), LEFT(CAST(last_code AS VARCHAR(3)), 1)
ORDER BY first_grp, last_grp
""",
    "neet_summary_merged_rolled_back_and_counted": """
SET NOCOUNT ON
CREATE TABLE #summary (acadyr VARCHAR(9) PRIMARY KEY, neet INT, people INT, updated_at DATE)
INSERT INTO #summary VALUES ('2012/2013', 0, 0, NULL)
;WITH s AS (
  SELECT NCCIS_ACADYR AS acadyr, COUNT(DISTINCT CASE WHEN NCCIS_Current_Activity_Code BETWEEN
    540 AND 680 THEN NCCIS_PupilMatchingRefAnonymous END) AS neet,
         COUNT(DISTINCT NCCIS_PupilMatchingRefAnonymous) AS people
  FROM [NPD_i2].[2002237].[nccis_2011_to_2021] GROUP BY NCCIS_ACADYR)
MERGE #summary AS t
USING s ON t.acadyr = s.acadyr
WHEN MATCHED THEN UPDATE SET t.neet = s.neet, t.people = s.people, t.updated_at = '20240101'
WHEN NOT MATCHED THEN INSERT (acadyr, neet, people) VALUES (s.acadyr, s.neet, s.people);
PRINT CONCAT('merged ', @@ROWCOUNT)
SELECT * FROM #summary ORDER BY acadyr
DECLARE @n INT
UPDATE #summary SET neet = neet + 0 WHERE people > 130
SET @n = @@ROWCOUNT
SELECT @n AS updated
BEGIN TRY
  BEGIN TRAN
    DELETE FROM #summary WHERE acadyr < '2015'
    SELECT COUNT(*) AS inside FROM #summary
    SELECT 1 / (neet - neet) AS boom FROM #summary
  COMMIT
END TRY
BEGIN CATCH
  IF @@TRANCOUNT > 0 ROLLBACK
  SELECT ERROR_NUMBER() AS num, ERROR_MESSAGE() AS msg, ERROR_SEVERITY() AS sev
END CATCH
SELECT COUNT(*) AS after_rollback, @@TRANCOUNT AS tc FROM #summary
""",
}
"""Scripts as analysts write them, each result set fixed by its ``ORDER BY``."""


@pytest.mark.parametrize("name", sorted(SCRIPTS))
@pytest.mark.parametrize("backend", BACKENDS)
def test_alternative_provision_neet_and_ucas_scripts_answer_alike_on_every_backend(
        backend: str, name: str, request: pytest.FixtureRequest, small_sqlite) -> None:
    # each backend prints SQLite's tables, and the script's last table has rows
    expected = _on_sqlite(str(small_sqlite[0]), SCRIPTS[name])
    assert len(expected[-1]) > 2, f"{name} gave no rows"
    assert _tables(_db(request, backend), SCRIPTS[name]) == expected


def _cells(db: str, text: str) -> list[list[str]]:
    """The last result set's rows as printed, split into their cells."""
    return [row.split() for row in _tables(db, text)[-1][2:]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_decimal_quotient_is_rounded_to_its_places_before_it_is_used(
        backend: str, request: pytest.FixtureRequest) -> None:
    # SQL Server: 1.0 / 3 is a DECIMAL(7, 6), 0.333333, so three of it are 0.999999; every
    # target went on with the whole quotient (1.000000, and equal to 1)
    db = _db(request, backend)
    assert _cells(db, """SELECT 1.0 / 3 * 3 AS a, 1 / 3.0 + 1 / 3.0 + 1 / 3.0 AS b,
  CASE WHEN 1.0 / 3 * 3 = 1 THEN 'eq' ELSE 'ne' END AS c, CAST(1 / 3.0 AS DECIMAL(10, 8)) AS d,
  CAST(1 / 3.0 AS FLOAT) * 3 AS e, 2 / 3.0 AS f""") == [
        ["0.999999", "0.999999", "ne", "0.33333300", "0.999999", "0.666667"]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_share_times_100_keeps_the_quotients_twelve_places(
        backend: str, request: pytest.FixtureRequest) -> None:
    # 1.0 * SUM(neet) is a DECIMAL(13, 1); divided by COUNT(*) twelve places, 0.333333333333,
    # then times 100 (the targets: 33.333333333333)
    db = _db(request, backend)
    setup = """CREATE TABLE #p (pmr VARCHAR(5), neet INT, setting VARCHAR(3))
INSERT INTO #p VALUES ('a', 1, 'PRU'), ('a', 0, 'AP'), ('a', 0, 'AP'), ('b', 0, 'AP')
"""
    assert _cells(db, setup + """SELECT 1.0 * SUM(neet) / COUNT(*) * 100 AS pct,
  100 * (SUM(neet) * 1.0 / COUNT(*)) AS pct2, ROUND(1.0 * SUM(neet) / COUNT(*) * 100, 2) AS r
FROM #p WHERE pmr = 'a'""") == [["33.333333333300", "33.333333333300", "33.330000000000"]]
    # a pupil's three placements weighted 1.0 / COUNT(*) OVER (...): twelve places each
    assert _cells(db, setup + """SELECT setting, SUM(w) AS pupils
FROM (SELECT setting, 1.0 / COUNT(*) OVER (PARTITION BY pmr) AS w FROM #p) x
GROUP BY setting ORDER BY setting""") == [["AP", "1.666666666666"], ["PRU", "0.333333333333"]]
    # kept so in a #temp table made of it
    assert _cells(db, setup + """SELECT pmr, 1.0 / COUNT(*) AS w INTO #w FROM #p GROUP BY pmr
SELECT SUM(w * 3) AS s FROM #w""") == [["3.999999999999"]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_round_keeps_more_than_ten_places(backend: str, request: pytest.FixtureRequest) -> None:
    # DuckDB rounded through a DECIMAL(38, 10): ROUND(x, 12) * 1000 was 123.456789000000000
    assert _cells(_db(request, backend), """SELECT ROUND(x, 12) * 1000 AS y, ROUND(x, 11) AS z
FROM (VALUES (CAST(0.123456789012345 AS DECIMAL(16, 15)))) v (x)""") == [
        ["123.456789012000000", "0.123456789010000"]]
