"""`leo-synth sql`: scripts as LEO analysts in the SRS write them over the early years,
primary and key stage 3 views (EYFSP, KS1, the KS2 pupil and exam tables, KS3), run on every
backend, their answers the same on each: a good level of development from the EYFSP scales
(78 points and 6 in every PSED and CLL scale); KS1 levels as text turned into points
(``CASE`` on the text, ``LIKE '2[ABC]'``, ``TRY_CAST``, ``ISNUMERIC``, ``PATINDEX``); KS2 exam
rows per subject in columns (``PIVOT`` in a CTE beside ``MAX(CASE ...)``) with z-scores over a
``CROSS APPLY`` of the mean and ``STDEV``; expected standards across the 2016 change, KS1
prior attainment bands (``NTILE``, ``CASE`` ranges) and progress within a band (``AVG(x) OVER
(PARTITION BY band)``, ``PERCENT_RANK``, ``GROUPING SETS``); KS3 teacher assessments with the
latest KS4 record (``OUTER APPLY (SELECT TOP 1 ...)``, ``EXISTS``); and pupils followed from
EYFSP to KS4 (``LEFT JOIN`` chains, ``FULL OUTER JOIN``, ``INTERSECT``/``EXCEPT``). And what
SQL Server does there that leo-synth did not:

- a ``PIVOT`` in a CTE (``WITH piv AS (SELECT ... FROM ex PIVOT (MAX(mark) FOR subject IN
  ([ENG], [MAT])) p) SELECT ... FROM piv``) ran: it stopped every target with a fault of
  leo-synth's (its source's columns were probed with the CTE holding the PIVOT itself, again
  and again);
- a column of a ``UNION [ALL]`` in a CTE or derived table has the type of highest precedence
  among its queries' values: ``AVG`` of one that is an ``int`` in each (``WITH w AS (SELECT
  KS2_MATLEV AS lev FROM ... UNION ALL SELECT KS3_MATLEV FROM ...)``) is an ``int``, where
  every target (only the first query's names being read) gave 4.4 and PostgreSQL sixteen
  places; one that is a ``float`` in any query is written as a float (``2``, not ``2.0``);
- an ``UNPIVOT`` of a derived table's or a CTE's columns that are an extract relation's
  passed on (``FROM (SELECT pmr, KS1_READING, KS1_SCIENCE FROM ...) s UNPIVOT (lev FOR subject
  IN (KS1_READING, KS1_SCIENCE))``) stops with SQL Server's error 8167 where their types differ
  (``KS1_SCIENCE`` is a ``varchar(1)``, the others ``varchar(2)``), as it did for the relation
  itself: every target ran it;
- ``ISNULL`` of an integer and a text column has its first argument's type, as SQL Server
  gives it: ``ISNULL(KS2_READLEV, KS1_READING)`` converts the text to an ``int`` (``'3'`` is
  3, ``'2A'`` stops the query with error 245) and ``ISNULL(KS1_READING, KS2_READLEV)`` writes
  the integer as text, where PostgreSQL and DuckDB stopped ("COALESCE types integer and
  character varying cannot be matched") and SQLite gave the text.
"""

from __future__ import annotations

import re

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db
from test_tsql_care_and_absence_scripts import _on_sqlite, _tables
from test_tsql_census_characteristics_scripts import _rows

from leo_synth.tsql.errors import ScriptError

_KS1_POINTS = """CASE {c} WHEN 'W' THEN 3 WHEN '1' THEN 9 WHEN '2C' THEN 13 WHEN '2B' THEN 15
       WHEN '2A' THEN 17 WHEN '3' THEN 21 WHEN '4' THEN 27 END"""
"""The KS1 points of a level held as text (W, 1, 2C, 2B, 2A, 3, 4), as DfE scores them."""

SCRIPTS = {
    "eyfsp_good_level_of_development_by_year_and_sex": """
SET NOCOUNT ON
-- a good level of development: 78+ points and 6+ in each PSED and CLL scale
;WITH fsp AS (
  SELECT FSP_PupilMatchingRefAnonymous AS pmr, FSP_ACADYR AS acadyr, FSP_GENDER AS gender,
         FSP_PSE_AS1, FSP_PSE_AS2, FSP_PSE_AS3, FSP_CLL_AS1, FSP_CLL_AS2, FSP_CLL_AS3,
         FSP_CLL_AS4, FSP_PSE_TOTAL, FSP_CLL_TOTAL, FSP_PSRN_TOTAL, FSP_EYFSP_TOTAL AS total,
         ROW_NUMBER() OVER (PARTITION BY FSP_PupilMatchingRefAnonymous
                            ORDER BY FSP_ACADYR DESC) AS rn
  FROM [NPD_i2].[2002237].[EYFSP_2003_to_2010])
SELECT acadyr, gender, COUNT(*) AS pupils,
  SUM(CASE WHEN total >= 78 AND FSP_PSE_AS1 >= 6 AND FSP_PSE_AS2 >= 6 AND FSP_PSE_AS3 >= 6
       AND FSP_CLL_AS1 >= 6 AND FSP_CLL_AS2 >= 6 AND FSP_CLL_AS3 >= 6 AND FSP_CLL_AS4 >= 6
       THEN 1 ELSE 0 END) AS gld,
  CAST(100.0 * SUM(CASE WHEN total >= 78 THEN 1 ELSE 0 END) / COUNT(*) AS DECIMAL(4, 1))
      AS pct78,
  AVG(total) AS mean_total, CAST(AVG(CAST(total AS FLOAT)) AS DECIMAL(6, 2)) AS mean_f,
  CAST(AVG(total * 1.0) AS DECIMAL(5, 1)) AS mean_d,
  CAST(STDEV(total) AS DECIMAL(6, 2)) AS sd, MIN(total) AS mn, MAX(total) AS mx,
  SUM(CASE WHEN FSP_PSE_TOTAL + FSP_CLL_TOTAL + FSP_PSRN_TOTAL > total THEN 1 ELSE 0 END)
      AS parts_over_total
FROM fsp WHERE rn = 1
GROUP BY acadyr, gender
ORDER BY acadyr, gender
""",
    "ks1_levels_as_points_and_level_2b_plus": f"""
SET NOCOUNT ON
IF OBJECT_ID('tempdb..#ks1') IS NOT NULL DROP TABLE #ks1
SELECT KS1_PupilMatchingRefAnonymous AS pmr, KS1_ACADYR AS acadyr,
  KS1_READING AS rd, KS1_WRITING AS wr, KS1_MATHS AS ma,
  {_KS1_POINTS.format(c="KS1_READING")} AS rd_pts,
  CASE WHEN KS1_WRITING = 'W' THEN 3 WHEN KS1_WRITING = '1' THEN 9
       WHEN KS1_WRITING LIKE '2[ABC]' THEN 11 + 2 * (ASCII('D') - ASCII(RIGHT(KS1_WRITING, 1)))
       WHEN TRY_CAST(KS1_WRITING AS INT) >= 3 THEN 3 + 6 * TRY_CAST(KS1_WRITING AS INT)
  END AS wr_pts,
  TRY_CAST(LEFT(KS1_MATHS, 1) AS INT) AS ma_lev,
  ISNUMERIC(KS1_MATHS) AS ma_isnum,
  PATINDEX('%[A-C]%', KS1_MATHS) AS ma_letter_at,
  KS1_READPOINTS AS rd_pts_npd
INTO #ks1
FROM [NPD_i2].[2002237].[KS1_1998_to_2012]

SELECT acadyr, COUNT(*) AS pupils,
  AVG(rd_pts) AS avg_rd_int, CAST(AVG(CAST(rd_pts AS FLOAT)) AS DECIMAL(5, 2)) AS avg_rd,
  CAST(AVG((rd_pts + wr_pts) / 2.0) AS DECIMAL(4, 1)) AS avg_rw,
  SUM(CASE WHEN rd IN ('2A', '2B', '3', '4') THEN 1 ELSE 0 END) AS rd_2bplus,
  CAST(100.0 * SUM(CASE WHEN rd LIKE '[2-4][AB]' OR rd LIKE '[34]' THEN 1 ELSE 0 END)
       / COUNT(*) AS DECIMAL(5, 1)) AS pct_rd_2bplus,
  SUM(CASE WHEN ma BETWEEN '2A' AND '2C' THEN 1 ELSE 0 END) AS ma_l2,
  SUM(ma_isnum) AS ma_numeric, MAX(ma_lev) AS max_ma, MAX(ma_letter_at) AS max_letter_at,
  SUM(CASE WHEN rd_pts <> rd_pts_npd THEN 1 ELSE 0 END) AS rd_mismatch,
  STUFF(MAX(rd), 1, 0, REPLICATE('*', 2)) AS max_rd_starred
FROM #ks1
GROUP BY acadyr
ORDER BY acadyr
""",
    "ks2_exam_subjects_pivoted_in_a_cte_with_z_scores": """
SET NOCOUNT ON
;WITH ex AS (
  SELECT KS2_PUPILMATCHINGREFANONYMOUS AS pmr, KS2_ACADYR AS acadyr,
    CASE KS2_BRDSUBNO WHEN '9991' THEN 'ENG' WHEN '9992' THEN 'MAT' WHEN '9993' THEN 'SCI'
    END AS subject,
    KS2_TESTLEV AS lev, KS2_TESTMARK AS mark,
    ROW_NUMBER() OVER (PARTITION BY KS2_PUPILMATCHINGREFANONYMOUS, KS2_BRDSUBNO
                       ORDER BY KS2_ACADYR DESC, KS2_TESTMARK DESC) AS rn
  FROM [NPD_i2].[2002237].[KS2Exam_1996_to_2016]
  WHERE KS2_ACADYR >= '2006/2007'),
wide AS (
  SELECT pmr, acadyr,
    MAX(CASE WHEN subject = 'ENG' THEN lev END) AS eng,
    MAX(CASE WHEN subject = 'MAT' THEN lev END) AS mat,
    MAX(CASE WHEN subject = 'SCI' THEN lev END) AS sci,
    SUM(mark) AS total_mark, COUNT(*) AS n_rows
  FROM ex WHERE rn = 1 GROUP BY pmr, acadyr),
piv AS (
  SELECT pmr, acadyr, [ENG], [MAT], [SCI]
  FROM (SELECT pmr, acadyr, subject, mark FROM ex WHERE rn = 1) s
  PIVOT (MAX(mark) FOR subject IN ([ENG], [MAT], [SCI])) p)
SELECT LEFT(w.acadyr, 4) AS yr, COUNT(*) AS pupils,
  SUM(CASE WHEN w.eng >= 4 AND w.mat >= 4 THEN 1 ELSE 0 END) AS l4_em,
  AVG(w.total_mark) AS avg_mark, AVG(p.MAT) AS avg_mat_int,
  CAST(AVG(CAST(p.[MAT] AS FLOAT)) AS DECIMAL(5, 2)) AS avg_mat_mark,
  SUM(CASE WHEN p.SCI IS NULL THEN 1 ELSE 0 END) AS no_sci,
  CAST(AVG((w.total_mark - x.mean_mark) / NULLIF(x.sd_mark, 0)) AS DECIMAL(6, 3)) AS mean_z,
  MAX(w.n_rows) AS max_rows
FROM wide w JOIN piv p ON p.pmr = w.pmr AND p.acadyr = w.acadyr
CROSS APPLY (SELECT AVG(CAST(total_mark AS FLOAT)) AS mean_mark, STDEV(total_mark) AS sd_mark
             FROM wide) x
GROUP BY LEFT(w.acadyr, 4)
ORDER BY yr
""",
    "ks2_expected_standard_by_ks1_prior_attainment_band": f"""
SET NOCOUNT ON
IF OBJECT_ID('tempdb..#ks1') IS NOT NULL DROP TABLE #ks1
SELECT KS1_PupilMatchingRefAnonymous AS pmr,
  (ISNULL({_KS1_POINTS.format(c="KS1_READING")}, 0)
   + ISNULL({_KS1_POINTS.format(c="KS1_WRITING")}, 0)
   + 2 * ISNULL({_KS1_POINTS.format(c="KS1_MATHS")}, 0)) / 4.0 AS ks1_aps
INTO #ks1
FROM [NPD_i2].[2002237].[KS1_1998_to_2012]

;WITH ks2 AS (
  SELECT p.KS2_PupilMatchingRefAnonymous AS pmr, p.KS2_ACADYR AS acadyr,
    CASE WHEN p.KS2_ACADYR >= '2015/2016' THEN IIF(p.KS2_READSCORE >= 100, 1, 0)
         ELSE IIF(p.KS2_READLEV >= 4, 1, 0) END AS read_exp,
    CASE WHEN p.KS2_ACADYR >= '2015/2016' THEN IIF(p.KS2_MATSCORE >= 100, 1, 0)
         ELSE IIF(p.KS2_MATLEV >= 4, 1, 0) END AS mat_exp,
    COALESCE(p.KS2_MATSCORE, 80 + 5 * TRY_CAST(p.KS2_MATFINE AS DECIMAL(4, 2))) AS mat_outcome
  FROM [NPD_i2].[2002237].[KS2Pupil_1996_to_2016] p),
banded AS (
  SELECT k2.*, k1.ks1_aps,
    CASE WHEN k1.ks1_aps IS NULL THEN 'no KS1' WHEN k1.ks1_aps < 12 THEN 'low'
         WHEN k1.ks1_aps < 18 THEN 'middle' ELSE 'high' END AS band,
    NTILE(3) OVER (ORDER BY k1.ks1_aps, k2.pmr) AS tercile
  FROM ks2 k2 LEFT JOIN #ks1 k1 ON k1.pmr = k2.pmr),
progress AS (
  SELECT *, mat_outcome - AVG(mat_outcome) OVER (PARTITION BY band) AS vs_band,
    PERCENT_RANK() OVER (PARTITION BY band ORDER BY mat_outcome, pmr) AS pr
  FROM banded)
SELECT band, COUNT(*) AS pupils, SUM(read_exp) AS read_exp, SUM(mat_exp) AS mat_exp,
  CAST(AVG(CAST(read_exp AS DECIMAL(5, 2))) * 100 AS DECIMAL(5, 1)) AS pct_read,
  MIN(tercile) AS min_t, MAX(tercile) AS max_t,
  CAST(AVG(mat_outcome) AS DECIMAL(6, 2)) AS mean_mat,
  CAST(AVG(vs_band) AS DECIMAL(6, 3)) AS mean_vs_band,
  CAST(MAX(pr) AS DECIMAL(5, 4)) AS max_pr, GROUPING(band) AS total_row,
  CAST(STDEV(ks1_aps) AS DECIMAL(6, 3)) AS sd_aps, MIN(ks1_aps) AS min_aps
FROM progress
GROUP BY GROUPING SETS ((band), ())
ORDER BY GROUPING(band), MIN(ks1_aps), band
""",
    "ks3_teacher_assessment_and_latest_ks4_record": """
SET NOCOUNT ON
-- KS3 teacher assessments with the pupil's latest KS4 record and whether KS2 is held;
-- the mean level of the three subjects over a UNION ALL of KS2 and KS3 levels
;WITH levels AS (
  SELECT KS2_PupilMatchingRefAnonymous AS pmr, 'KS2' AS stage, KS2_MATLEV AS lev
  FROM [NPD_i2].[2002237].[KS2Pupil_1996_to_2016]
  UNION ALL
  SELECT KS3_PUPILMATCHINGREFANONYMOUS, 'KS3', KS3_MATTALEV
  FROM [NPD_i2].[2002237].[KS3Pupil_1998_to_2013])
SELECT TOP (20) k3.KS3_PUPILMATCHINGREFANONYMOUS AS pmr, k3.KS3_ACADYR AS ks3_year,
  (k3.KS3_ENGTALEV + k3.KS3_MATTALEV + k3.KS3_SCITALEV) / 3 AS avg_ta_int,
  CAST((k3.KS3_ENGTALEV + k3.KS3_MATTALEV + k3.KS3_SCITALEV) / 3.0 AS DECIMAL(3, 1)) AS avg_ta,
  CONCAT(k3.KS3_ENGTALEV, '/', k3.KS3_MATTALEV, '/', k3.KS3_SCITALEV) AS ta_profile,
  CAST(k3.KS3_ENGTALEV AS VARCHAR(1)) + CAST(k3.KS3_MATLEV AS VARCHAR(1)) AS eng_ta_mat_test,
  k4.yr AS ks4_year, k4.l2em,
  CASE WHEN EXISTS (SELECT 1 FROM [NPD_i2].[2002237].[KS2Pupil_1996_to_2016] k2
                    WHERE k2.KS2_PupilMatchingRefAnonymous = k3.KS3_PUPILMATCHINGREFANONYMOUS)
       THEN 'Y' ELSE 'N' END AS has_ks2,
  (SELECT AVG(lev) FROM levels l WHERE l.pmr = k3.KS3_PUPILMATCHINGREFANONYMOUS) AS mean_mat_lev
FROM [NPD_i2].[2002237].[KS3Pupil_1998_to_2013] k3
OUTER APPLY (SELECT TOP 1 x.KS4_ACADYR AS yr, x.KS4_LEVEL2_EM AS l2em
             FROM [NPD_i2].[2002237].[KS4Pupil_2002_to_2014] x
             WHERE x.KS4_PupilMatchingRefAnonymous = k3.KS3_PUPILMATCHINGREFANONYMOUS
             ORDER BY x.KS4_ACADYR DESC) k4
WHERE k3.KS3_ACADYR >= '2008/2009'
ORDER BY k3.KS3_PUPILMATCHINGREFANONYMOUS
""",
    "pupils_followed_from_eyfsp_to_ks4": """
SET NOCOUNT ON
IF OBJECT_ID('tempdb..#fsp') IS NOT NULL DROP TABLE #fsp
SELECT DISTINCT FSP_PupilMatchingRefAnonymous AS pmr, FSP_ACADYR AS fsp_year
INTO #fsp FROM [NPD_i2].[2002237].[EYFSP_2003_to_2010]

;WITH ks1 AS (SELECT KS1_PupilMatchingRefAnonymous AS pmr, MIN(KS1_ACADYR) AS yr
              FROM [NPD_i2].[2002237].[KS1_1998_to_2012]
              GROUP BY KS1_PupilMatchingRefAnonymous),
ks2 AS (SELECT KS2_PupilMatchingRefAnonymous AS pmr, MIN(KS2_ACADYR) AS yr
        FROM [NPD_i2].[2002237].[KS2Pupil_1996_to_2016] GROUP BY KS2_PupilMatchingRefAnonymous),
ks3 AS (SELECT KS3_PUPILMATCHINGREFANONYMOUS AS pmr, MIN(KS3_ACADYR) AS yr
        FROM [NPD_i2].[2002237].[KS3Pupil_1998_to_2013] GROUP BY KS3_PUPILMATCHINGREFANONYMOUS),
ks4 AS (SELECT KS4_PupilMatchingRefAnonymous AS pmr, MIN(KS4_ACADYR) AS yr
        FROM [NPD_i2].[2002237].[KS4Pupil_2002_to_2014] GROUP BY KS4_PupilMatchingRefAnonymous
        UNION ALL
        SELECT KS4_PupilMatchingRefAnonymous, MIN(KS4_ACADYR)
        FROM [NPD_i2].[2002237].[KS4Pupil_2015_to_2021] GROUP BY KS4_PupilMatchingRefAnonymous)
SELECT 'EYFSP cohort' AS base, COUNT(*) AS pupils,
  CAST(100.0 * COUNT(k1.pmr) / COUNT(*) AS DECIMAL(5, 1)) AS pct_ks1,
  CAST(100.0 * COUNT(k2.pmr) / COUNT(*) AS DECIMAL(5, 1)) AS pct_ks2,
  CAST(100.0 * COUNT(k3.pmr) / COUNT(*) AS DECIMAL(5, 1)) AS pct_ks3,
  CAST(100.0 * COUNT(k4.pmr) / COUNT(*) AS DECIMAL(5, 1)) AS pct_ks4,
  SUM(CASE WHEN k1.yr <= f.fsp_year THEN 1 ELSE 0 END) AS ks1_not_after
FROM #fsp f
LEFT JOIN ks1 k1 ON k1.pmr = f.pmr
LEFT JOIN ks2 k2 ON k2.pmr = f.pmr
LEFT JOIN ks3 k3 ON k3.pmr = f.pmr
LEFT JOIN (SELECT pmr, MIN(yr) AS yr FROM ks4 GROUP BY pmr) k4 ON k4.pmr = f.pmr
UNION ALL
SELECT 'KS1 cohort', COUNT(*), 100.0, CAST(100.0 * COUNT(k2.pmr) / COUNT(*) AS DECIMAL(5, 1)),
  CAST(100.0 * COUNT(k3.pmr) / COUNT(*) AS DECIMAL(5, 1)), NULL, NULL
FROM ks1 k1 LEFT JOIN ks2 k2 ON k2.pmr = k1.pmr LEFT JOIN ks3 k3 ON k3.pmr = k1.pmr

;WITH a AS (SELECT DISTINCT KS2_PupilMatchingRefAnonymous AS pmr
            FROM [NPD_i2].[2002237].[KS2Pupil_1996_to_2016]
            WHERE KS2_ACADYR BETWEEN '2002/2003' AND '2007/2008'),
b AS (SELECT DISTINCT KS3_PUPILMATCHINGREFANONYMOUS AS pmr
      FROM [NPD_i2].[2002237].[KS3Pupil_1998_to_2013]
      WHERE KS3_ACADYR BETWEEN '2005/2006' AND '2010/2011')
SELECT CASE WHEN a.pmr IS NOT NULL AND b.pmr IS NOT NULL THEN 'both'
            WHEN a.pmr IS NOT NULL THEN 'KS2 only' ELSE 'KS3 only' END AS presence,
  COUNT(*) AS pupils, COUNT(DISTINCT COALESCE(a.pmr, b.pmr)) AS keys,
  (SELECT COUNT(*) FROM (SELECT pmr FROM a INTERSECT SELECT pmr FROM b) i) AS in_both,
  (SELECT COUNT(*) FROM (SELECT pmr FROM a EXCEPT SELECT pmr FROM b) e) AS ks2_only
FROM a FULL OUTER JOIN b ON a.pmr = b.pmr
GROUP BY CASE WHEN a.pmr IS NOT NULL AND b.pmr IS NOT NULL THEN 'both'
            WHEN a.pmr IS NOT NULL THEN 'KS2 only' ELSE 'KS3 only' END
ORDER BY presence
""",
}
"""Scripts as analysts write them, each ending in a result set that ``ORDER BY`` fixes."""


@pytest.mark.parametrize("name", sorted(SCRIPTS))
@pytest.mark.parametrize("backend", BACKENDS)
def test_early_years_and_primary_scripts_answer_alike_on_every_backend(
        backend: str, name: str, request: pytest.FixtureRequest, small_sqlite) -> None:
    # each backend prints SQLite's tables, and the script's last table has rows
    expected = _on_sqlite(str(small_sqlite[0]), SCRIPTS[name])
    assert len(expected[-1]) > 3, f"{name} gave no rows"
    assert _tables(_db(request, backend), SCRIPTS[name]) == expected


_EXAMS = """CREATE TABLE #ex (pmr VARCHAR(5), subject VARCHAR(3), mark INT)
INSERT INTO #ex VALUES ('a', 'ENG', 30), ('a', 'MAT', 41), ('b', 'ENG', 25), ('b', 'SCI', 7)
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_pivot_in_a_cte_runs(backend: str, request: pytest.FixtureRequest) -> None:
    # every target stopped with a fault of leo-synth's (RecursionError)
    db = _db(request, backend)
    assert _rows(db, _EXAMS + """;WITH marks AS (SELECT pmr, subject, mark FROM #ex),
piv AS (SELECT pmr, [ENG], [MAT], [SCI] FROM marks
        PIVOT (MAX(mark) FOR subject IN ([ENG], [MAT], [SCI])) p)
SELECT pmr, ENG, MAT, SCI, ENG + ISNULL(MAT, 0) AS em FROM piv ORDER BY pmr""") == [
        ["a", "30", "41", "NULL", "71"], ["b", "25", "NULL", "7", "25"]]
    assert _rows(db, _EXAMS + """;WITH piv AS (
  SELECT * FROM (SELECT pmr, subject, mark FROM #ex) s
  PIVOT (SUM(mark) FOR subject IN ([ENG], [MAT])) p),
back AS (SELECT pmr, subject, mark FROM piv UNPIVOT (mark FOR subject IN (ENG, MAT)) u)
SELECT subject, COUNT(*) AS n, AVG(mark) AS mean FROM back GROUP BY subject ORDER BY subject
""") == [["ENG", "2", "27"], ["MAT", "1", "41"]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_union_of_integers_in_a_cte_averages_as_an_integer(
        backend: str, request: pytest.FixtureRequest) -> None:
    # AVG gave 2.5 (PostgreSQL 2.5000000000000000): only the first query's names were read
    db = _db(request, backend)
    assert _rows(db, """;WITH w AS (SELECT 'a' AS pmr, 1 AS lev UNION ALL SELECT 'b', 4
    UNION ALL SELECT 'c', NULL)
SELECT AVG(lev) AS a, (SELECT AVG(lev) FROM w) AS s, MAX(x.m) AS m
FROM w CROSS APPLY (SELECT AVG(lev) AS m FROM w) x""") == [["2", "2", "2"]]
    assert _rows(db, """SELECT AVG(n) AS a FROM (
  SELECT 2010 AS yr, COUNT(*) AS n FROM [NPD_i2].[2002237].[KS2Pupil_1996_to_2016]
      WHERE KS2_ACADYR = '2009/2010'
  UNION ALL SELECT 2011, COUNT(*) FROM [NPD_i2].[2002237].[KS2Pupil_1996_to_2016]
      WHERE KS2_ACADYR = '2010/2011') y
""") == _rows(db, """SELECT (a + b) / 2 AS a FROM (SELECT
  (SELECT COUNT(*) FROM [NPD_i2].[2002237].[KS2Pupil_1996_to_2016]
   WHERE KS2_ACADYR = '2009/2010') AS a,
  (SELECT COUNT(*) FROM [NPD_i2].[2002237].[KS2Pupil_1996_to_2016]
   WHERE KS2_ACADYR = '2010/2011') AS b) t""")
    # a decimal among the queries' values makes the column no integer, as in SQL Server
    assert _rows(db, """;WITH w AS (SELECT 1 AS lev UNION ALL SELECT 4.0)
SELECT AVG(lev) AS a FROM w""") == [["2.500000"]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_union_with_a_float_in_any_query_is_a_float(
        backend: str, request: pytest.FixtureRequest) -> None:
    # DuckDB wrote the first query's 2 as 2.0: only the first query's value was read
    assert _rows(_db(request, backend), """;WITH w AS (SELECT 1 AS k, 2 AS f
    UNION ALL SELECT 2, 1.5E0)
SELECT k, CAST(f AS VARCHAR(20)) AS t, CONCAT('v', f) AS c FROM w ORDER BY k""") == [
        ["1", "2", "v2"], ["2", "1.5", "v1.5"]]


_KS1 = "[NPD_i2].[2002237].[KS1_1998_to_2012]"


@pytest.mark.parametrize("text", [
    f"""SELECT subject, lev, COUNT(*) AS n
FROM (SELECT KS1_PupilMatchingRefAnonymous AS pmr, KS1_READING, KS1_WRITING, KS1_SCIENCE
      FROM {_KS1}) s
UNPIVOT (lev FOR subject IN (KS1_READING, KS1_WRITING, KS1_SCIENCE)) u
GROUP BY subject, lev""",
    f""";WITH k AS (SELECT k1.KS1_PupilMatchingRefAnonymous AS pmr, k1.KS1_MATHS AS maths,
    k1.KS1_SCIENCE AS science FROM {_KS1} k1),
s AS (SELECT * FROM k)
SELECT subject, lev FROM s UNPIVOT (lev FOR subject IN (maths, science)) u""",
], ids=["derived-table", "cte-of-a-cte"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_an_unpivot_of_extract_columns_passed_on_checks_their_types(
        backend: str, text: str, request: pytest.FixtureRequest) -> None:
    # KS1_SCIENCE is a varchar(1), the other levels varchar(2): every target ran it
    said = ('The type of column "{}" conflicts with the type of other columns specified in '
            'the UNPIVOT list.')
    column = "science" if "science)" in text else "KS1_SCIENCE"
    with pytest.raises(ScriptError, match=re.escape(said.format(column))) as stopped:
        _tables(_db(request, backend), text)
    assert stopped.value.number == 8167


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_unpivot_of_columns_cast_to_one_type_runs(
        backend: str, request: pytest.FixtureRequest) -> None:
    # the way SQL Server's error points to, and columns of one type passed on, run
    db = _db(request, backend)
    assert _rows(db, f"""SELECT subject, COUNT(*) AS n
FROM (SELECT KS1_PupilMatchingRefAnonymous AS pmr, KS1_READING,
             CAST(KS1_SCIENCE AS VARCHAR(2)) AS KS1_SCIENCE FROM {_KS1}) s
UNPIVOT (lev FOR subject IN (KS1_READING, KS1_SCIENCE)) u
GROUP BY subject ORDER BY subject""") == _rows(db, f"""SELECT s, COUNT(*) AS n FROM (
  SELECT 'KS1_READING' AS s FROM {_KS1} WHERE KS1_READING IS NOT NULL
  UNION ALL SELECT 'KS1_SCIENCE' FROM {_KS1} WHERE KS1_SCIENCE IS NOT NULL) t
GROUP BY s ORDER BY s""")
    assert len(_rows(db, f""";WITH k AS (SELECT KS1_PupilMatchingRefAnonymous AS pmr,
    KS1_READING AS r, KS1_WRITING AS w FROM {_KS1})
SELECT pmr, subject, lev FROM k UNPIVOT (lev FOR subject IN (r, w)) u""")) > 100


_MIXED = """CREATE TABLE #m (pmr VARCHAR(2), ks2 INT, ks1 VARCHAR(2))
INSERT INTO #m VALUES ('a', NULL, '3'), ('b', 5, '2A'), ('c', NULL, NULL), ('d', 4, NULL)
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_isnull_of_an_integer_and_text_has_its_first_arguments_type(
        backend: str, request: pytest.FixtureRequest) -> None:
    # PostgreSQL and DuckDB stopped: they would not mix an integer and text
    db = _db(request, backend)
    assert _rows(db, _MIXED + """SELECT pmr, ISNULL(ks1, ks2) AS t, ISNULL(ks2, ks1) + 1 AS n
FROM #m WHERE pmr <> 'b' ORDER BY pmr""") == [
        ["a", "3", "4"], ["c", "NULL", "NULL"], ["d", "4", "5"]]
    assert _rows(db, _MIXED + """SELECT pmr, ISNULL(ks1, ks2) + 'x' AS t FROM #m
ORDER BY pmr""") == [["a", "3x"], ["b", "2Ax"], ["c", "NULL"], ["d", "4x"]]
    with pytest.raises(ScriptError, match=r"^line 3: (\w+ said: )?" + re.escape(
            "Conversion failed when converting the varchar value '2A' to data type int.")):
        _tables(db, _MIXED + "SELECT ISNULL(NULLIF(ks2, 5), ks1) AS n FROM #m")
