"""`leo-synth sql`: scripts as LEO analysts in the SRS write them over the yearly spring
census views to build pupil characteristics across years, run on every backend, every result
set the same on each: a balanced panel (``CROSS JOIN`` of years, ``NOT EXISTS``) in a table
variable from a ``UNION ALL`` of the censuses (the year a literal), school moves by
``LAG(urn)``, the modal LA with ties broken, ever-FSM by a self-join and ``FORMAT(...,
'P1')``; the KS4 disadvantage gap by year, each census read by a ``WHILE`` loop of dynamic SQL
that picks ``EVERFSM_6`` or ``EVERFSM_6_P`` by ``COL_LENGTH``, KS4's characteristics
``COALESCE``d with the census's; birth terms by ``CHOOSE``, age at 31 August, months on roll
(``DATEDIFF(month, ...)``, ``EOMONTH``) and IDACI deciles (``NTILE(10)``) added to a ``SELECT
... INTO`` table by ``ALTER TABLE`` and ``UPDATE``; SEN provision pupil by pupil across the
2014/15 change of codes (A/P/S to K/E: a lookup table variable, ``INTERSECT``/``EXCEPT`` into
a #temp table, ``STRING_AGG ... WITHIN GROUP`` paths). ``examples/srs/82`` (a pupil-by-year
characteristics table, ever-FSM over six years by a window) and ``83`` (the KS2 level 4 gap)
are two more, which ``test_srs_corpus`` runs so. And what SQL Server does that the targets
did not:

- an integer compared with blank text compares it with 0, as SQL Server converts ``''`` to
  an ``int`` (``WHERE FSMeligible_spr14 = ''`` finds the pupils not eligible; SQLite found
  none, DuckDB and PostgreSQL stopped);
- ``CHOOSE``'s values have one type, that of highest precedence among them, as a ``CASE``'s
  results have: ``CHOOSE(i, '7', 1)`` is the number 7, ``CHOOSE(i, 'n/a', 1)`` stops with
  error 245 when ``'n/a'`` is chosen (SQLite gave the text, DuckDB refused to mix them);
- a FLOAT computed in a CTE or a ``VALUES`` list stays one: ``ROUND(AVG(att8), 1)`` of a
  CTE's ``KS4_ATT8 AS att8`` showed ``21.0`` on PostgreSQL (SQL Server: ``21``), and a CTE
  reading an earlier CTE's integers averages them as integers;
- ``LAST_VALUE(la) IGNORE NULLS OVER (...)`` stops with one line naming the way to carry a
  value forward, where every target stopped saying it had no ``OVER`` clause;
- a ``CASE`` or ``IIF`` whose every result is the NULL constant (``CASE WHEN 1 = 1 THEN NULL
  END``, a placeholder for a column a year lacks) stops with error 8133, and ``COALESCE(NULL,
  NULL)`` with 4127, where every target gave NULL (``CAST(NULL AS VARCHAR(4))`` runs).
- text beside decimals in a ``CASE`` is converted to ``numeric``: blank text stops it
  ("Error converting data type varchar to numeric."), where every target gave 0.0.
"""

from __future__ import annotations

import re

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db
from test_tsql_care_and_absence_scripts import _on_sqlite, _tables

from leo_synth.tsql.errors import ScriptError

SCRIPTS = {
    "panel_moves_modal_la_and_ever_fsm": """
SET NOCOUNT ON
DECLARE @panel TABLE (yr INT NOT NULL, pmr VARCHAR(30) NOT NULL, la VARCHAR(20),
    urn VARCHAR(20), fsm INT,
                      PRIMARY KEY (pmr, yr))
INSERT INTO @panel
SELECT yr, pmr, la, urn, fsm FROM (
  SELECT 2014 AS yr, PupilMatchingRefAnonymous_spr14 AS pmr, LA_spr14_anon AS la,
      URN_spr14_anon AS urn,
         FSMeligible_spr14 AS fsm,
         ROW_NUMBER() OVER (PARTITION BY PupilMatchingRefAnonymous_spr14 ORDER BY
             ISNULL(RecordStatus_spr14, 0)) AS rn
  FROM NPD_i2.[2002237].spring_census_2014
  UNION ALL
  SELECT 2015, PupilMatchingRefAnonymous_spr15, LA_spr15_anon, URN_spr15_anon, FSMeligible_spr15,
         ROW_NUMBER() OVER (PARTITION BY PupilMatchingRefAnonymous_spr15 ORDER BY
             ISNULL(RecordStatus_spr15, 0))
  FROM NPD_i2.[2002237].spring_census_2015
  UNION ALL
  SELECT 2016, PupilMatchingRefAnonymous_spr16, LA_spr16_anon, URN_spr16_anon, FSMeligible_spr16,
         ROW_NUMBER() OVER (PARTITION BY PupilMatchingRefAnonymous_spr16 ORDER BY
             ISNULL(RecordStatus_spr16, 0))
  FROM NPD_i2.[2002237].spring_census_2016
  UNION ALL
  SELECT 2017, PupilMatchingRefAnonymous_spr17, LA_spr17_anon, URN_spr17_anon, FSMeligible_spr17,
         ROW_NUMBER() OVER (PARTITION BY PupilMatchingRefAnonymous_spr17 ORDER BY
             ISNULL(RecordStatus_spr17, 0))
  FROM NPD_i2.[2002237].spring_census_2017
) u WHERE rn = 1
-- balanced panel: every pupil seen in 2014 crossed with every year
IF OBJECT_ID('tempdb..#grid') IS NOT NULL DROP TABLE #grid
SELECT p.pmr, y.yr INTO #grid
FROM (SELECT DISTINCT pmr FROM @panel WHERE yr = 2014) p
CROSS JOIN (VALUES (2014), (2015), (2016), (2017)) y (yr)
SELECT g.yr, COUNT(*) AS missing
FROM #grid g WHERE NOT EXISTS (SELECT 1 FROM @panel x WHERE x.pmr = g.pmr AND x.yr = g.yr)
GROUP BY g.yr ORDER BY g.yr
-- moves between censuses
;WITH m AS (
  SELECT pmr, yr, urn, fsm, LAG(urn) OVER (PARTITION BY pmr ORDER BY yr) AS prev_urn,
         LAG(yr, 1, yr - 1) OVER (PARTITION BY pmr ORDER BY yr) AS prev_yr
  FROM @panel)
SELECT yr, SUM(IIF(prev_urn IS NOT NULL AND prev_urn <> urn, 1, 0)) AS moved,
  SUM(CASE WHEN fsm = '' THEN 1 ELSE 0 END) AS not_fsm,
  SUM(IIF(prev_yr < yr - 1, 1, 0)) AS gap, COUNT(*) AS pupils
FROM m GROUP BY yr ORDER BY yr
-- modal LA, ties to the latest year
;WITH c AS (
  SELECT pmr, la, COUNT(*) AS n,
      MAX(yr) AS last_yr FROM @panel WHERE la IS NOT NULL GROUP BY pmr, la),
r AS (SELECT *, ROW_NUMBER() OVER (PARTITION BY pmr ORDER BY n DESC, last_yr DESC, la) AS rn FROM c)
SELECT TOP (10) r.la AS modal_la, COUNT(*) AS pupils,
    SUM(CASE WHEN r.n > 1 THEN 1 ELSE 0 END) AS stayed,
  CAST(AVG(1.0 * r.n) AS DECIMAL(4, 2)) AS mean_years
FROM r WHERE r.rn = 1 GROUP BY r.la ORDER BY pupils DESC, modal_la
-- ever FSM by self-join
SELECT a.yr, COUNT(DISTINCT a.pmr) AS pupils,
  COUNT(DISTINCT CASE WHEN b.fsm = 1 THEN a.pmr END) AS ever_fsm,
  FORMAT(1.0 * COUNT(DISTINCT CASE WHEN b.fsm = 1 THEN a.pmr END) / COUNT(DISTINCT a.pmr),
      'P1') AS pct
FROM @panel a JOIN @panel b ON b.pmr = a.pmr AND b.yr BETWEEN a.yr - 5 AND a.yr
GROUP BY a.yr ORDER BY a.yr
""",
    "ks4_disadvantage_gap_from_census_and_ks4": """
SET NOCOUNT ON
-- KS4 disadvantage gap by year: KS4 characteristics where present, else the spring census of
-- the exam year; census years read by a loop of dynamic SQL into a #temp table
IF OBJECT_ID('tempdb..#sc') IS NOT NULL DROP TABLE #sc
CREATE TABLE #sc (yr SMALLINT, pmr VARCHAR(30), fsm6 INT, eth VARCHAR(4), lang VARCHAR(3))
DECLARE @y INT = 2016, @sql NVARCHAR(MAX), @suffix NVARCHAR(10), @fsm6 SYSNAME
WHILE @y <= 2019
BEGIN
  SET @suffix = N'_spr' + RIGHT(CAST(@y AS NVARCHAR(4)), 2)
  SET @fsm6 = IIF(COL_LENGTH('NPD_i2.[2002237].spring_census_' + CAST(@y AS VARCHAR(4)),
                             'EVERFSM_6' + @suffix) IS NOT NULL, 'EVERFSM_6', 'EVERFSM_6_P')
  SET @sql = N'INSERT INTO #sc (yr, pmr, fsm6, eth, lang) SELECT DISTINCT ' + CAST(@y AS
      NVARCHAR(4))
    + N', PupilMatchingRefAnonymous' + @suffix + N', ' + QUOTENAME(@fsm6 + @suffix)
    + N', EthnicGroupMinor' + @suffix + N', FirstLanguage' + @suffix
    + N' FROM NPD_i2.[2002237].' + QUOTENAME(N'spring_census_' + CAST(@y AS NVARCHAR(4)))
    + N' WHERE OnRoll' + @suffix + N' = 1'
  EXEC (@sql)
  PRINT CONCAT(@y, ': ', @@ROWCOUNT, ' rows from ', @fsm6)
  SET @y += 1
END
;WITH ks4 AS (
  SELECT KS4_PupilMatchingRefAnonymous AS pmr, CAST(RIGHT(KS4_ACADYR, 4) AS INT) AS yr,
         KS4_ATT8 AS att8, KS4_FSM6 AS fsm6, NULLIF(LTRIM(RTRIM(KS4_ETHNIC)), '') AS eth,
         ROW_NUMBER() OVER (PARTITION BY KS4_PupilMatchingRefAnonymous
                            ORDER BY CASE WHEN KS4_ATT8 IS NULL THEN 1 ELSE 0 END,
                                KS4_ACADYR DESC) AS rn
  FROM [NPD_i2].[2002237].[KS4Pupil_2015_to_2021]
  WHERE KS4_ACADYR BETWEEN '2015/2016' AND '2018/2019'),
sc AS (SELECT *, ROW_NUMBER() OVER (PARTITION BY pmr, yr ORDER BY fsm6 DESC) AS rn FROM #sc),
joined AS (
  SELECT k.yr, k.pmr, k.att8, COALESCE(k.fsm6, s.fsm6, 0) AS disadv,
         COALESCE(k.eth, s.eth, 'UNCL') AS eth, ISNULL(s.lang, 'NOT') AS lang
  FROM ks4 k LEFT JOIN sc s ON s.pmr = k.pmr AND s.yr = k.yr AND s.rn = 1
  WHERE k.rn = 1)
SELECT CONCAT(yr - 1, '/', RIGHT(yr, 2)) AS acad_year,
  COUNT(*) AS pupils,
  SUM(disadv) AS disadvantaged,
  CAST(100.0 * SUM(disadv) / NULLIF(COUNT(*), 0) AS DECIMAL(5, 1)) AS pct_disadv,
  ROUND(AVG(CASE WHEN disadv = 1 THEN att8 END), 1) AS att8_disadv,
  ROUND(AVG(CASE WHEN disadv = 0 THEN att8 END), 1) AS att8_other,
  ROUND(AVG(CASE WHEN disadv = 0 THEN att8 END) - AVG(CASE WHEN disadv = 1 THEN att8 END),
      2) AS gap,
  SUM(CASE WHEN lang IN ('OTH', 'OTB') THEN 1 ELSE 0 END) AS eal,
  COUNT(DISTINCT LEFT(eth, 1)) AS eth_groups
FROM joined
GROUP BY yr
ORDER BY yr
""",
    "birth_terms_ages_and_idaci_deciles": """
SET NOCOUNT ON
DECLARE @census DATE = CONVERT(DATE, '20150115', 112), @aug31 DATE = DATEFROMPARTS(2014, 8, 31)
SELECT PupilMatchingRefAnonymous_spr15 AS pmr,
       DATEFROMPARTS(YearOfBirth_spr15, MonthOfBirth_spr15, 1) AS dob,
       FORMAT(DATEFROMPARTS(YearOfBirth_spr15, MonthOfBirth_spr15, 1), 'yyyy-MM') AS birth_month,
       CHOOSE((MonthOfBirth_spr15 + 3) % 12 / 4 + 1, 'Autumn', 'Spring', 'Summer') AS birth_term,
       IDACIScore_spr15 AS idaci, IDACIRank_spr15 AS idaci_rank,
       EntryDate_spr15 AS entry, NCyearActual_spr15 AS ncy,
       TRY_CONVERT(INT, NCyearActual_spr15) AS ncy_n
INTO #p
FROM NPD_i2.[2002237].spring_census_2015
WHERE ISNULL(RecordStatus_spr15, 0) < 100 AND YearOfBirth_spr15 IS NOT NULL
ALTER TABLE #p ADD age_aug31 INT NULL, decile TINYINT NULL, months_on_roll INT NULL
UPDATE #p SET age_aug31 = DATEDIFF(year, dob, @aug31)
    - CASE WHEN DATEADD(year, DATEDIFF(year, dob, @aug31), dob) > @aug31 THEN 1 ELSE 0 END,
  months_on_roll = DATEDIFF(month, entry, @census)
UPDATE p SET decile = d.decile
FROM #p p JOIN (SELECT pmr, NTILE(10) OVER (ORDER BY idaci DESC, pmr) AS decile
                FROM #p WHERE idaci IS NOT NULL) d ON d.pmr = p.pmr
SELECT birth_term, COUNT(*) AS pupils, MIN(birth_month) AS first_month,
    MAX(birth_month) AS last_month,
  SUM(IIF(ncy_n IS NULL, 1, 0)) AS non_numeric_ncy,
  SUM(CASE WHEN ncy_n <> age_aug31 - 4 THEN 1 ELSE 0 END) AS out_of_year,
  AVG(months_on_roll) AS mean_months, MAX(EOMONTH(entry)) AS last_entry_month_end,
  SUM(CASE WHEN decile <= 3 THEN 1 ELSE 0 END) AS most_deprived_30,
  CAST(AVG(CAST(decile AS DECIMAL(4, 1))) AS DECIMAL(4, 2)) AS mean_decile
FROM #p GROUP BY birth_term
ORDER BY CASE birth_term WHEN 'Autumn' THEN 1 WHEN 'Spring' THEN 2 ELSE 3 END
SELECT decile, COUNT(*) AS pupils, ROUND(MIN(idaci), 3) AS lo, ROUND(MAX(idaci), 3) AS hi,
  CAST(100.0 * COUNT(*) / SUM(COUNT(*)) OVER () AS DECIMAL(5, 1)) AS pct
FROM #p GROUP BY decile ORDER BY decile
""",
    "sen_codes_across_the_2014_change": """
SET NOCOUNT ON
DECLARE @sen TABLE (code VARCHAR(1) PRIMARY KEY, label VARCHAR(20), era VARCHAR(10))
INSERT @sen (code, label, era) VALUES
  ('N', 'No SEN', 'both'), ('A', 'School Action', 'to 2014'), ('P', 'Action Plus', 'to 2014'),
  ('S', 'Statement', 'to 2018'), ('K', 'SEN support', 'from 2015'), ('E', 'EHC plan', 'from 2015')
IF OBJECT_ID('tempdb..#sen') IS NOT NULL DROP TABLE #sen
CREATE TABLE #sen (pmr VARCHAR(30) NOT NULL, yr INT NOT NULL, sen CHAR(1) NULL,
    primary_need VARCHAR(4) NULL,
                   lang VARCHAR(3) NULL)
INSERT INTO #sen
SELECT PupilMatchingRefAnonymous_spr14, 2014, SENprovision_spr14, PrimarySENtype_spr14,
    FirstLanguage_spr14
FROM NPD_i2.[2002237].spring_census_2014 WHERE ISNULL(RecordStatus_spr14, 0) < 100
UNION ALL
SELECT PupilMatchingRefAnonymous_spr15, 2015, SENprovision_spr15, PrimarySENtype_spr15,
    FirstLanguage_spr15
FROM NPD_i2.[2002237].spring_census_2015 WHERE ISNULL(RecordStatus_spr15, 0) < 100
UNION ALL
SELECT PupilMatchingRefAnonymous_spr16, 2016, SENprovision_spr16, PrimarySENtype_spr16,
    FirstLanguage_spr16
FROM NPD_i2.[2002237].spring_census_2016 WHERE ISNULL(RecordStatus_spr16, 0) < 100
CREATE CLUSTERED INDEX cx_sen ON #sen (pmr, yr)
-- pupils in 2014 and 2016 but missing in 2015
SELECT pmr INTO #gap FROM #sen WHERE yr = 2014
INTERSECT SELECT pmr FROM #sen WHERE yr = 2016
EXCEPT SELECT pmr FROM #sen WHERE yr = 2015
PRINT CONCAT('missing from 2015: ', @@ROWCOUNT)
-- transitions across the change of codes, pupil by pupil
;WITH t AS (
  SELECT a.pmr, a.sen AS sen14, b.sen AS sen15,
         STRING_AGG(ISNULL(c.sen, '-'), '>') WITHIN GROUP (ORDER BY c.yr) AS path
  FROM #sen a
  JOIN #sen b ON b.pmr = a.pmr AND b.yr = 2015
  JOIN #sen c ON c.pmr = a.pmr
  WHERE a.yr = 2014
  GROUP BY a.pmr, a.sen, b.sen)
SELECT ISNULL(s14.label, 'Unknown') AS sen_2014, ISNULL(s15.label, 'Unknown') AS sen_2015,
  COUNT(*) AS pupils, MIN(t.path) AS example_path,
  SUM(CASE WHEN NULLIF(t.sen14, 'N') IS NOT NULL AND t.sen15 = 'N' THEN 1 ELSE 0 END) AS left_sen,
  (SELECT COUNT(*) FROM #gap) AS missing_2015
FROM t
LEFT JOIN @sen s14 ON s14.code = t.sen14
LEFT JOIN @sen s15 ON s15.code = t.sen15
GROUP BY ISNULL(s14.label, 'Unknown'), ISNULL(s15.label, 'Unknown')
ORDER BY pupils DESC, sen_2014, sen_2015
""",
}
"""Scripts as analysts write them, each ending in a result set that ``ORDER BY`` fixes."""


@pytest.mark.parametrize("name", sorted(SCRIPTS))
@pytest.mark.parametrize("backend", BACKENDS)
def test_census_characteristics_scripts_answer_alike_on_every_backend(
        backend: str, name: str, request: pytest.FixtureRequest, small_sqlite) -> None:
    # each backend prints SQLite's tables, and the script's last table has rows
    expected = _on_sqlite(str(small_sqlite[0]), SCRIPTS[name])
    assert len(expected[-1]) > 3, f"{name} gave no rows"
    assert _tables(_db(request, backend), SCRIPTS[name]) == expected


def _rows(db: str, text: str) -> list[list[str]]:
    """The last result set's rows as printed, split into their values."""
    return [row.split() for row in _tables(db, text)[-1][2:]]


_FSM = """CREATE TABLE #c (pmr VARCHAR(10), fsm INT)
INSERT INTO #c VALUES ('a', 1), ('b', 0), ('c', NULL), ('d', 0)
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_integer_compared_with_blank_text_compares_with_zero(
        backend: str, request: pytest.FixtureRequest) -> None:
    # SQLite found no row, DuckDB and PostgreSQL stopped converting ''
    db = _db(request, backend)
    assert _rows(db, _FSM + """SELECT pmr, CASE fsm WHEN '' THEN 'no' WHEN '1' THEN 'yes' END AS k
FROM #c WHERE fsm = '' OR fsm IN (' ', 1) ORDER BY pmr""") == [
        ["a", "yes"], ["b", "no"], ["d", "no"]]
    assert _rows(db, _FSM + "SELECT COUNT(*) AS n FROM #c WHERE fsm <> ''") == [["1"]]
    assert _rows(db, """SELECT COUNT(*) AS n FROM [NPD_i2].[2002237].[spring_census_2014]
WHERE FSMeligible_spr14 = '' AND FSMeligible_spr14 <> 0""") == [["0"]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_choose_gives_its_values_type_of_highest_precedence(
        backend: str, request: pytest.FixtureRequest) -> None:
    # SQLite gave '7', '' and '0.5' as text beside the numbers, DuckDB refused to mix them
    assert _rows(_db(request, backend), _FSM + """SELECT pmr, CHOOSE(fsm + 1, '7', 1) AS k,
  CHOOSE(fsm + 1, '', 2) AS z, CHOOSE(fsm + 1, '0.5', 2.5) AS f, CHOOSE(fsm + 1, 'No', 'Yes') AS t
FROM #c ORDER BY pmr""") == [["a", "1", "2", "2.5", "Yes"], ["b", "7", "0", "0.5", "No"],
                            ["c", "NULL", "NULL", "NULL", "NULL"], ["d", "7", "0", "0.5", "No"]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_choose_stops_at_text_beside_numbers_that_is_no_number(
        backend: str, request: pytest.FixtureRequest) -> None:
    with pytest.raises(ScriptError, match=r"^line 3: (\w+ said: )?" + re.escape(
            "Conversion failed when converting the varchar value 'n/a' to data type int.")):
        _tables(_db(request, backend), _FSM + "SELECT pmr, CHOOSE(fsm + 1, 'n/a', 1) AS k FROM #c")


_LAS = """CREATE TABLE #p (pmr VARCHAR(10), yr INT, la VARCHAR(4))
INSERT INTO #p VALUES ('a', 2012, 'L1'), ('a', 2013, NULL), ('a', 2014, 'L2'), ('b', 2013, NULL)
"""


@pytest.mark.parametrize("function", ["LAST_VALUE", "FIRST_VALUE"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_ignore_nulls_stops_with_one_line_naming_the_way(
        backend: str, function: str, request: pytest.FixtureRequest) -> None:
    # every target stopped with "must have an OVER clause" (SQLite's and PostgreSQL's
    # translations dropped IGNORE NULLS)
    with pytest.raises(ScriptError, match=r"^line 3: " + re.escape(
            f"{function} ... IGNORE NULLS cannot be translated: carry the last value forward "
            "with MAX(x) OVER (PARTITION BY p, n) where n is COUNT(x)")):
        _tables(_db(request, backend), _LAS + f"""SELECT pmr, yr, {function}(la) IGNORE NULLS
  OVER (PARTITION BY pmr ORDER BY yr ROWS UNBOUNDED PRECEDING) AS la FROM #p""")


@pytest.mark.parametrize("backend", BACKENDS)
def test_respect_nulls_is_the_default_and_the_way_named_carries_forward(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _rows(db, _LAS + """SELECT pmr, yr, LAST_VALUE(la) RESPECT NULLS OVER (PARTITION BY pmr
  ORDER BY yr ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS la FROM #p
ORDER BY pmr, yr""") == [["a", "2012", "L1"], ["a", "2013", "NULL"], ["a", "2014", "L2"],
                         ["b", "2013", "NULL"]]
    assert _rows(db, _LAS + """SELECT pmr, yr, MAX(la) OVER (PARTITION BY pmr, n) AS la
FROM (SELECT *, COUNT(la) OVER (PARTITION BY pmr ORDER BY yr ROWS UNBOUNDED PRECEDING) AS n
      FROM #p) t
ORDER BY pmr, yr""") == [["a", "2012", "L1"], ["a", "2013", "L1"], ["a", "2014", "L2"],
                         ["b", "2013", "NULL"]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_float_computed_in_a_cte_or_values_list_stays_a_float(
        backend: str, request: pytest.FixtureRequest) -> None:
    # ROUND of it was a numeric on PostgreSQL (21.0, 1.60), and its text every digit on
    # each target (21000000), where SQL Server shows 21, 1.6 and 2.1e+007
    assert _rows(_db(request, backend), """WITH k AS (
  SELECT x AS att8, k AS disadv
  FROM (VALUES (CAST(21 AS FLOAT), 1), (1.78E1, 0), (2.1E1, 0)) v (x, k)),
g AS (SELECT AVG(CASE WHEN disadv = 1 THEN att8 END) AS a, AVG(CASE WHEN disadv = 0 THEN att8 END)
             AS b FROM k)
SELECT ROUND(a, 1) AS a, ROUND(a - b, 2) AS gap, CAST(a * 1000000 AS VARCHAR(20)) AS t,
  CONCAT(ROUND(b, 0), '') AS c FROM g""") == [["21", "1.6", "2.1e+007", "19"]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_cte_reading_an_earlier_cte_keeps_its_integers(
        backend: str, request: pytest.FixtureRequest) -> None:
    # the mean of an int is an int in SQL Server (every target gave 1.5)
    assert _rows(_db(request, backend), """WITH a AS (SELECT v AS n FROM (VALUES (1), (2)) t (v)),
b AS (SELECT n * 1 AS m FROM a)
SELECT AVG(m) AS avg_m FROM b""") == [["1"]]


@pytest.mark.parametrize("text, said", [
    ("SELECT CASE WHEN 1 = 1 THEN NULL END AS eth", "At least one of the result expressions "
     "in a CASE specification must be an expression other than the NULL constant."),
    ("SELECT IIF(fsm = 1, NULL, NULL) AS x FROM (VALUES (1)) v (fsm)", "At least one of the "
     "result expressions in a CASE specification must be an expression other than the NULL "
     "constant."),
    ("SELECT COALESCE(NULL, NULL) AS lang", "At least one of the arguments to COALESCE must be "
     "an expression that is not the NULL constant."),
])
@pytest.mark.parametrize("backend", BACKENDS)
def test_a_case_or_coalesce_of_null_constants_alone_stops(
        backend: str, text: str, said: str, request: pytest.FixtureRequest) -> None:
    # every target gave NULL (errors 8133 and 4127 in SQL Server)
    with pytest.raises(ScriptError, match=r"^line 1: " + re.escape(said) + "$"):
        _tables(_db(request, backend), text)


@pytest.mark.parametrize("backend", BACKENDS)
def test_typed_nulls_and_isnull_of_nulls_still_run(
        backend: str, request: pytest.FixtureRequest) -> None:
    assert _rows(_db(request, backend), """SELECT ISNULL(NULL, NULL) AS a,
  CASE WHEN x = 1 THEN NULL ELSE CAST(NULL AS VARCHAR(4)) END AS b,
  COALESCE(NULL, CAST(NULL AS INT)) AS c, CASE x WHEN 1 THEN NULL ELSE 2 END AS d
FROM (VALUES (1)) v (x)""") == [["NULL", "NULL", "NULL", "NULL"]]


@pytest.mark.parametrize("text", [
    "SELECT x, CASE WHEN x = 1 THEN '' ELSE 2.5 END AS a FROM (VALUES (1), (2)) v (x)",
    """CREATE TABLE #t (x INT, m DECIMAL(5, 2))
INSERT INTO #t VALUES (1, 2.5), (2, NULL)
SELECT x, CASE WHEN m IS NULL THEN 'n/a' ELSE m END AS a FROM #t""",
])
@pytest.mark.parametrize("backend", BACKENDS)
def test_text_beside_decimals_in_a_case_is_converted_to_numeric(
        backend: str, text: str, request: pytest.FixtureRequest) -> None:
    # blank text is no numeric (every target gave 0.0), and the message names numeric, not
    # float
    with pytest.raises(ScriptError, match=r"^line \d: (\w+ said: )?" + re.escape(
            "Error converting data type varchar to numeric.") + "$"):
        _tables(_db(request, backend), text)
    assert _rows(_db(request, backend), """SELECT x, CASE WHEN x = 1 THEN '0.5' ELSE 2.5 END AS a,
  CASE WHEN x = 1 THEN '' ELSE 2 END AS b, CASE WHEN x = 1 THEN '' ELSE CAST(2 AS FLOAT) END AS c
FROM (VALUES (1), (2)) v (x) ORDER BY x""") == [["1", "0.5", "0", "0"], ["2", "2.5", "2", "2"]]
