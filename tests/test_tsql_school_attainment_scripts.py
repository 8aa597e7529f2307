"""`leo-synth sql`: scripts as LEO analysts in the SRS write them over the school (NPD) views,
run on every backend, their answers the same on each: KS4 2016/17 Attainment 8 by sex and
disadvantage from the spring census (``GROUPING SETS`` with ``GROUPING_ID``, ``CHOOSE``,
``IIF`` with NULLs), deciles and ranks (``NTILE``, ``PERCENT_RANK``, ``CUME_DIST``, ``TOP (n)
WITH TIES``), and pupils moving school between censuses (``LAG`` over census years,
``FIRST_VALUE``/``LAST_VALUE`` with explicit frames, the censuses read by a cursor over
years and dynamic SQL, age at 31 August by ``DATEFROMPARTS``); and what SQL Server converts
there that the targets did not:

- ``CHOOSE``'s index, converted to an ``int`` (``CHOOSE(FLOOR(att8 / 20) + 1, ...)`` of a
  float, ``CHOOSE('2', ...)``), and every other argument SQL Server declares ``int`` given a
  float, a decimal or text (``DATEADD(month, 2.7, d)``, ``DATEFROMPARTS(y, 2.7, 1)``,
  ``LEFT(x, f)``).
"""

from __future__ import annotations

import re

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows
from test_tsql_analyst_scripts import _table

from leo_synth.tsql.errors import ScriptError

_COHORT = """
SET NOCOUNT ON;
IF OBJECT_ID('tempdb..#cohort') IS NOT NULL DROP TABLE #cohort;
SELECT sc.PupilMatchingRefAnonymous_spr17 AS pmr,
       sc.Gender_spr17 AS gender,
       sc.FSMeligible_spr17 AS fsm,
       sc.EVERFSM_6_spr17 AS fsm6,
       sc.SENprovision_spr17 AS sen,
       sc.URN_spr17_anon AS urn,
       ks4.KS4_ATT8 AS att8,
       ks4.KS4_P8SCORE AS p8
INTO #cohort
FROM [NPD_i2].[2002237].[spring_census_2017] sc
JOIN [NPD_i2].[2002237].[KS4Pupil_2015_to_2021] ks4
  ON ks4.KS4_PupilMatchingRefAnonymous = sc.PupilMatchingRefAnonymous_spr17
 AND ks4.KS4_ACADYR = '2016/2017'
WHERE (sc.RecordStatus_spr17 IS NULL OR sc.RecordStatus_spr17 BETWEEN 1 AND 10) AND
    sc.NCyearActual_spr17 = '11';

"""
"""The KS4 2016/17 cohort from the spring census 2017, with its Attainment 8 and Progress 8."""

SCRIPTS = {
    "ks4_attainment_by_sex_and_disadvantage_grouping_sets": _COHORT + """
SELECT CASE GROUPING_ID(gender,
    fsm6) WHEN 0 THEN 'gender x fsm6' WHEN 1 THEN 'gender' WHEN 2 THEN
        'fsm6' ELSE 'all' END AS breakdown,
       GROUPING_ID(gender, fsm6) AS gid,
       ISNULL(gender, 'All') AS gender,
       IIF(GROUPING(fsm6) = 1, 'All', CHOOSE(fsm6 + 1, 'Not disadvantaged',
           'Disadvantaged')) AS disadvantage,
       COUNT(*) AS pupils,
       CAST(AVG(att8) AS DECIMAL(6, 2)) AS mean_att8,
       CAST(AVG(CAST(p8 AS FLOAT)) AS DECIMAL(6, 3)) AS mean_p8,
       SUM(IIF(att8 >= 50, 1, 0)) AS att8_50_plus,
       SUM(IIF(p8 > 0, 1, NULL)) AS positive_p8,
       MAX(CHOOSE(FLOOR(att8 / 20) + 1, 'below 20', '20-39', '40-59', '60-79', '80+')) AS top_band
FROM #cohort
GROUP BY GROUPING SETS ((gender, fsm6), (gender), (fsm6), ())
ORDER BY gid, gender, disadvantage;
""",
    "ks4_attainment_deciles_and_ranks": _COHORT + """
-- deciles and ranks of Attainment 8: the ten highest, ties at the tenth kept
;WITH ranked AS (
    SELECT TOP (10) WITH TIES pmr, att8,
           NTILE(10) OVER (ORDER BY att8 DESC, pmr) AS decile,
           CAST(PERCENT_RANK() OVER (ORDER BY att8) AS DECIMAL(5, 4)) AS pr,
           CAST(CUME_DIST() OVER (ORDER BY att8) AS DECIMAL(5, 4)) AS cd,
           RANK() OVER (PARTITION BY fsm6 ORDER BY att8 DESC) AS rank_in_group,
           att8 - AVG(att8) OVER (PARTITION BY urn) AS vs_school_mean
    FROM #cohort
    ORDER BY att8 DESC)
SELECT * FROM ranked ORDER BY att8 DESC, pmr;
""",
    "pupils_moving_school_between_censuses": """
SET NOCOUNT ON;
IF OBJECT_ID('tempdb..#spells') IS NOT NULL DROP TABLE #spells;
CREATE TABLE #spells (pmr VARCHAR(18) NOT NULL, census_year SMALLINT NOT NULL, urn VARCHAR(20) NULL,
    ncyear VARCHAR(2) NULL, yob INT NULL, mob INT NULL, fsm TINYINT NULL);
DECLARE @year INT, @sfx VARCHAR(2), @q NVARCHAR(MAX);
DECLARE census_years CURSOR LOCAL FAST_FORWARD FOR
    SELECT yr FROM (VALUES (2014), (2015), (2016), (2017)) AS v(yr) ORDER BY yr;
OPEN census_years;
FETCH NEXT FROM census_years INTO @year;
WHILE @@FETCH_STATUS = 0
BEGIN
    SELECT @sfx = RIGHT(CONVERT(VARCHAR(4), @year), 2);
    SELECT @q = CONCAT(N'SELECT PupilMatchingRefAnonymous_spr', @sfx, N', ', @year,
        N', URN_spr', @sfx, N'_anon, NCyearActual_spr', @sfx, N', YearOfBirth_spr', @sfx,
        N', MonthOfBirth_spr', @sfx, N', FSMeligible_spr', @sfx,
        N' FROM NPD_i2.[2002237].spring_census_', @year);
    INSERT INTO #spells EXEC sp_executesql @q;
    FETCH NEXT FROM census_years INTO @year;
END
CLOSE census_years;
DEALLOCATE census_years;

;WITH ordered AS (
    SELECT pmr, census_year, urn, ncyear, yob, mob, fsm,
           LAG(urn) OVER (PARTITION BY pmr ORDER BY census_year, urn) AS prev_urn,
           LAG(census_year, 1, 0) OVER (PARTITION BY pmr ORDER BY census_year, urn) AS prev_year,
           ROW_NUMBER() OVER (PARTITION BY pmr ORDER BY census_year, urn) AS rn,
           COUNT(*) OVER (PARTITION BY pmr) AS n_records,
           FIRST_VALUE(urn) OVER (PARTITION BY pmr ORDER BY census_year,
               urn ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS first_urn,
           LAST_VALUE(urn) OVER (PARTITION BY pmr ORDER BY census_year,
               urn ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS last_urn,
           LAST_VALUE(ncyear) OVER (PARTITION BY pmr ORDER BY census_year,
               urn) AS running_last_ncyear
    FROM #spells
)
SELECT census_year,
       COUNT(*) AS pupils,
       SUM(CASE WHEN prev_urn IS NOT NULL AND prev_urn <> urn AND
           prev_year = census_year - 1 THEN 1 ELSE 0 END) AS moved,
       SUM(CASE WHEN rn = 1 THEN 1 ELSE 0 END) AS first_seen,
       SUM(IIF(first_urn <> last_urn, 1, 0)) AS ever_moved,
       SUM(IIF(running_last_ncyear = ncyear, 1, 0)) AS running_ok,
       MAX(n_records) AS max_records,
       CAST(100.0 * SUM(CASE WHEN prev_urn <> urn THEN 1 END) / COUNT(*) AS DECIMAL(5,
           1)) AS pct_moved,
       MIN(DATEDIFF(year, DATEFROMPARTS(yob, mob, 1), DATEFROMPARTS(census_year - 1, 8, 31))
           - CASE WHEN mob > 8 THEN 1 ELSE 0 END) AS min_age_31aug,
       MAX(EOMONTH(DATEFROMPARTS(yob, mob, 1))) AS latest_birth_month_end
FROM ordered
GROUP BY census_year
ORDER BY census_year;
""",
}
"""Scripts as analysts write them, each ending in a result set that ``ORDER BY`` fixes."""

@pytest.fixture(scope="module")
def sqlite_tables(small_sqlite) -> dict[str, list[str]]:
    """Each script's last result set as ``leo-synth sql`` prints it on SQLite."""
    return {name: _table(str(small_sqlite[0]), text) for name, text in SCRIPTS.items()}


@pytest.mark.parametrize("name", sorted(SCRIPTS))
@pytest.mark.parametrize("backend", BACKENDS)
def test_school_scripts_answer_alike_on_every_backend(
        backend: str, name: str, request: pytest.FixtureRequest,
        sqlite_tables: dict[str, list[str]]) -> None:
    # each backend prints SQLite's table, value for value, and the script gives rows
    printed = _table(_db(request, backend), SCRIPTS[name])
    assert printed == sqlite_tables[name] and len(printed) > 3, printed


@pytest.mark.parametrize("backend", BACKENDS)
def test_choose_converts_its_index_to_an_int(backend: str,
                                             request: pytest.FixtureRequest) -> None:
    # SQLite gave NULL for a float's or text's index, DuckDB for a float's, PostgreSQL
    # stopped at text's and at NULL's
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #d (k INT, f FLOAT, m DECIMAL(4, 1), t VARCHAR(3))
INSERT INTO #d VALUES (1, 2.9, 1.5, '2'), (2, 0.5, 3.7, ' 1'), (3, NULL, -1.2, NULL)
SELECT k, CHOOSE(2.9, 'a', 'b', 'c'), CHOOSE('2', 'a', 'b'), CHOOSE(f, 'a', 'b', 'c'),
  CHOOSE(m, 'a', 'b', 'c'), CHOOSE(t, 'x', 'y'), CHOOSE(FLOOR(f) + 1, 'one', 'two', 'three'),
  CHOOSE(k, 10, 20, 30), CHOOSE(NULL, 'a')
FROM #d ORDER BY k""") == [(1, "b", "b", "b", "a", "y", "three", 10, None),
                           (2, "b", "b", None, "c", "x", "one", 20, None),
                           (3, "b", "b", None, None, None, None, 30, None)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_choose_of_text_that_is_no_integer_stops(backend: str,
                                                 request: pytest.FixtureRequest) -> None:
    with pytest.raises(ScriptError, match=re.escape(
            "Conversion failed when converting the varchar value 'x' to data type int.")):
        _rows(_db(request, backend), "SELECT CHOOSE('x', 'a', 'b')")


@pytest.mark.parametrize("backend", BACKENDS)
def test_int_arguments_given_floats_decimals_or_text_are_cut(
        backend: str, request: pytest.FixtureRequest) -> None:
    # DATEADD(MONTH, 2.7, d) added 2.7 months' days on SQLite and PostgreSQL, DuckDB and
    # PostgreSQL rounded DATEFROMPARTS' 2.7 to March, SQLite's CHARINDEX started at 2.7 (3.7),
    # and DuckDB and PostgreSQL stopped at LEFT, RIGHT, SUBSTRING, REPLICATE, SPACE, STUFF,
    # CHARINDEX and ROUND of a float or decimal and at DATEADD and SUBSTRING of text
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #f (f FLOAT, t VARCHAR(5), d DATE, m DECIMAL(3, 1))
INSERT INTO #f VALUES (2.7, '3', '2015-08-31', 2.7)
SELECT LEFT('abcdef', f), RIGHT('abcdef', m), SUBSTRING('abcdef', f, t), REPLICATE('0', f),
    DATEADD(MONTH, f, d), DATEFROMPARTS(2015, f, 1), SPACE(m) + '|', STUFF('abcdef', f, 1, 'X'),
    CHARINDEX('c', 'abcabc', f), EOMONTH(d, m), ROUND(2.567, f), DATEADD(DAY, t, d),
    DATEADD(YEAR, 16, DATEFROMPARTS(1999, 9, 1))
FROM #f""") == [("ab", "ef", "bcd", "00", "2015-10-31", "2015-02-01", "  |", "aXcdef", 3,
                 "2015-10-31", 2.57, "2015-09-03", "2015-09-01")]
