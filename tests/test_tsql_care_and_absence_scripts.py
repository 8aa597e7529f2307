"""`leo-synth sql`: scripts as LEO analysts in the SRS write them over the pupil-level NPD
views other than attainment, run on every backend, every result set the same on each:
absence by term from the yearly ``Absence_YYYY_3term`` tables (``INSERT INTO #t EXEC`` in a
loop, duplicates of ``MainRecord_ab[yy]`` removed by ``ROW_NUMBER()``, terms unpivoted by
``CROSS APPLY (VALUES ...)``); looked-after episodes deduplicated across processing years and
merged into spells (``ISNULL(end, '2021-03-31')``, ``EOMONTH``, ``DATEADD(month, ...)``,
``SET DATEFIRST``, ``STRING_AGG ... WITHIN GROUP``); exclusions loaded by ``sp_executesql``
into an ``IDENTITY`` table; NCCIS NEET spells by month as islands beside YPMAD's levels at 19;
care leavers' age at entry, Attainment 8 and pay; alternative provision and PRU histories by
``STRING_SPLIT`` and ``PIVOT`` (``examples/srs/72`` and ``73`` are two more, which
``test_srs_corpus`` runs so). And what SQL Server does that the targets did not:

- ``CONVERT(DATE, 20150406, 112)`` (a date kept as an integer) stops with error 529, as
  ``CAST(20150406 AS DATE)`` did already: SQLite read the integer as the day, DuckDB stopped
  in its own words;
- a ``VALUES`` list (a derived table's or an APPLY's: ``CROSS APPLY (VALUES ('Autumn', a.au),
  ('5HalfTerms', a.ht)) v(term, n)``) has one type per column, that of highest precedence
  among its rows: an ``int`` beside a ``DECIMAL(5, 2)`` is a ``DECIMAL(12, 2)`` (SQLite showed
  ``4`` and ``2.5``), and text beside an integer is converted to one or stops the query
  (SQLite kept the text);
- a window function inside an aggregate or another window (``MAX(LEAD(n, 1, 0) OVER
  (...))``) stops with error 4109, where each target stopped in its own words.
"""

from __future__ import annotations

import functools
import re

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db

from leo_synth.tsql import output
from leo_synth.tsql.command import run_text
from leo_synth.tsql.errors import ScriptError

SCRIPTS = {
    "absence_terms_from_yearly_tables_by_insert_exec": """
SET NOCOUNT ON
SELECT TOP 0 CAST(NULL AS VARCHAR(30)) AS pmr, CAST(NULL AS INT) AS yr, CAST(NULL AS INT) AS main,
  CAST(NULL AS INT) AS pos_au, CAST(NULL AS INT) AS abs_au, CAST(NULL AS INT) AS pos_sp,
  CAST(NULL AS INT) AS abs_sp, CAST(NULL AS INT) AS pos_su, CAST(NULL AS INT) AS abs_su
INTO #ab
CREATE TABLE #log (id INT IDENTITY(1,1), yr INT, n INT)
DECLARE @y INT = 2014, @yy CHAR(2), @sql NVARCHAR(MAX), @n INT
WHILE @y <= 2018
BEGIN
  SET @yy = RIGHT(CAST(@y AS VARCHAR(4)), 2)
  SET @sql = N'SELECT PupilMatchingRefAnonymous_ab' + @yy + N', ' + CAST(@y AS NVARCHAR(4))
    + N', MainRecord_ab' + @yy
    + N', SessionsPossible_Autumn_ab' + @yy + N', OverallAbsence_Autumn_ab' + @yy
    + N', SessionsPossible_Spring_ab' + @yy + N', OverallAbsence_Spring_ab' + @yy
    + N', SessionsPossible_Summer_ab' + @yy + N', OverallAbsence_Summer_ab' + @yy
    + N' FROM [NPD_i2].[2002237].' + QUOTENAME('Absence_' + CAST(@y AS VARCHAR(4)) + '_3term')
  INSERT INTO #ab EXEC (@sql)
  SET @n = @@ROWCOUNT
  INSERT INTO #log (yr, n) VALUES (@y, @n)
  SET @y += 1
END
;WITH d AS (SELECT *, ROW_NUMBER() OVER (PARTITION BY pmr, yr ORDER BY main DESC, pos_au DESC)
                      AS rn FROM #ab)
DELETE FROM d WHERE rn > 1
PRINT CONCAT('duplicates removed: ', @@ROWCOUNT)
SELECT a.yr, v.term, v.possible, v.missed
INTO #terms
FROM #ab a
CROSS APPLY (VALUES ('Autumn', a.pos_au, a.abs_au), ('Spring', a.pos_sp, a.abs_sp),
                    ('Summer', a.pos_su, a.abs_su)) v (term, possible, missed)
WHERE v.possible > 0
SELECT t.yr, t.term, COUNT(*) AS pupils, SUM(t.missed) AS missed,
  CAST(100.0 * SUM(t.missed) / NULLIF(SUM(t.possible), 0) AS NUMERIC(5, 1)) AS pct,
  SUM(CASE WHEN t.missed * 10 >= t.possible THEN 1 ELSE 0 END) AS pa10,
  CAST(ROUND(AVG(CAST(t.missed AS FLOAT)), 2) AS DECIMAL(6, 2)) AS mean_missed,
  MAX(l.n) AS loaded, MIN(l.id) AS log_id
FROM #terms t JOIN #log l ON l.yr = t.yr
GROUP BY t.yr, t.term
ORDER BY t.yr, CASE t.term WHEN 'Autumn' THEN 1 WHEN 'Spring' THEN 2 ELSE 3 END
""",
    "looked_after_episodes_merged_into_spells": """
SET NOCOUNT ON
SET DATEFIRST 1
;WITH e AS (
  SELECT cla_PupilMatchingRefAnonymous AS pmr, cla_DATE_EPI_COMM AS s, cla_DATE_EPI_CEASED AS f,
    cla_PLACEMENT AS placement, cla_POC_START AS poc,
    ROW_NUMBER() OVER (PARTITION BY cla_PupilMatchingRefAnonymous, cla_DATE_EPI_COMM
                       ORDER BY cla_PROCESSING_YEAR DESC) AS rn
  FROM [NPD_i2].[2002237].[cla_2006_to_2021]
)
SELECT pmr, s, ISNULL(f, CAST('2021-03-31' AS DATE)) AS f, placement, poc
INTO #ep FROM e WHERE rn = 1
CREATE INDEX ix_ep ON #ep (pmr, s)
;WITH m AS (
  SELECT *, MAX(f) OVER (PARTITION BY pmr ORDER BY s, f
                         ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_f
  FROM #ep
), g AS (
  SELECT *, SUM(CASE WHEN prev_f IS NULL OR s > DATEADD(day, 1, prev_f) THEN 1 ELSE 0 END)
    OVER (PARTITION BY pmr ORDER BY s, f ROWS UNBOUNDED PRECEDING) AS spell
  FROM m
)
SELECT pmr, spell, MIN(s) AS entered, MAX(f) AS left_care, COUNT(*) AS episodes,
  SUM(CASE WHEN placement <> ISNULL(prev_placement, placement) THEN 1 ELSE 0 END) AS moves
INTO #spells
FROM (SELECT *, LAG(placement) OVER (PARTITION BY pmr ORDER BY s) AS prev_placement FROM g) x
GROUP BY pmr, spell
SELECT pmr, COUNT(*) AS spells, SUM(DATEDIFF(day, entered, left_care) + 1) AS days_in_care,
  MIN(entered) AS first_entry, DATENAME(month, MIN(entered)) AS entry_month,
  DATEPART(weekday, MIN(entered)) AS entry_wd, EOMONTH(MAX(left_care)) AS last_month_end,
  DATEADD(month, 18, EOMONTH(MAX(left_care))) AS care_leaver_check,
  SUM(moves) AS moves, SUM(episodes) AS episodes
INTO #child FROM #spells GROUP BY pmr
SELECT c.pmr, c.spells, c.days_in_care, c.first_entry, c.entry_month, c.entry_wd,
  c.last_month_end, c.care_leaver_check, c.moves,
  STRING_AGG(e.placement, '>') WITHIN GROUP (ORDER BY e.s) AS path,
  CAST(c.days_in_care / 365.25 AS NUMERIC(5, 1)) AS years_in_care,
  FLOOR(-c.moves / 2.0) AS fl, CEILING(-c.moves / 2.0) AS ce, -c.episodes % 3 AS md
FROM #child c JOIN #ep e ON e.pmr = c.pmr
GROUP BY c.pmr, c.spells, c.days_in_care, c.first_entry, c.entry_month, c.entry_wd,
  c.last_month_end, c.care_leaver_check, c.moves, c.episodes
ORDER BY c.days_in_care DESC, c.pmr
""",
    "exclusions_per_pupil_and_year_by_sp_executesql": """
SET NOCOUNT ON
IF OBJECT_ID('tempdb..#ex') IS NOT NULL DROP TABLE #ex
CREATE TABLE #ex (id INT IDENTITY(1, 1) PRIMARY KEY, pmr VARCHAR(30), yr INT, category VARCHAR(4),
                  reason VARCHAR(2), start_date DATE, sessions INT)
DECLARE @y INT = 2012, @yy VARCHAR(2), @sql NVARCHAR(MAX), @last INT
WHILE @y <= 2016
BEGIN
  SET @yy = RIGHT(CAST(@y AS VARCHAR(4)), 2)
  SET @sql = N'INSERT INTO #ex (pmr, yr, category, reason, start_date, sessions)
    SELECT PupilMatchingRefAnonymous_ex' + @yy + N', ' + CAST(@y AS NVARCHAR(4))
    + N', Category_ex' + @yy
    + N', Reason_ex' + @yy + N', StartDate_ex' + @yy + N', Sessions_ex' + @yy
    + N' FROM [NPD_i2].[2002237].[exclusions_table_1_' + CAST(@y AS NVARCHAR(4)) + N']'
  EXEC sp_executesql @sql
  SET @last = SCOPE_IDENTITY()
  RAISERROR('%d loaded, last id %d', 0, 1, @y, @last) WITH NOWAIT
  SET @y = @y + 1
END
;WITH d AS (SELECT *, ROW_NUMBER() OVER (PARTITION BY pmr, start_date, category
                                          ORDER BY sessions DESC, id) AS rn FROM #ex)
DELETE FROM d WHERE rn > 1
UPDATE #ex SET sessions = 0 WHERE sessions IS NULL
DECLARE @fixed INT = @@ROWCOUNT
SELECT pmr, yr,
  SUM(CASE WHEN category = 'PERM' THEN 1 ELSE 0 END) AS perm,
  SUM(CASE WHEN category <> 'PERM' THEN 1 ELSE 0 END) AS fixed_period,
  CAST(SUM(sessions) / 2.0 AS NUMERIC(5, 1)) AS days_excluded,
  STRING_AGG(reason, ',') WITHIN GROUP (ORDER BY start_date, reason) AS reasons,
  MIN(start_date) AS first_start, MAX(start_date) AS last_start
INTO #pupil FROM #ex GROUP BY pmr, yr
SELECT p.yr, COUNT(*) AS pupils, SUM(p.perm) AS perm, SUM(p.fixed_period) AS fixed_period,
  SUM(p.days_excluded) AS days, MAX(p.days_excluded) AS max_days,
  CAST(AVG(p.days_excluded) AS NUMERIC(5, 1)) AS mean_days,
  SUM(CASE WHEN p.reasons LIKE '%PA%' THEN 1 ELSE 0 END) AS assault_adult,
  SUM(CASE WHEN DATEPART(month, p.first_start) IN (9, 10, 11, 12) THEN 1 ELSE 0 END) AS from_autumn,
  AVG(DATEDIFF(day, p.first_start, p.last_start)) AS spread,
  @fixed AS null_sessions
FROM #pupil p GROUP BY p.yr ORDER BY p.yr
""",
    "nccis_neet_spells_and_ypmad_levels_at_19": """
SET NOCOUNT ON
SET DATEFIRST 1
;WITH m AS (
  SELECT NCCIS_PupilMatchingRefAnonymous AS pmr,
    EOMONTH(DATEFROMPARTS(CAST(CASE WHEN NCCIS_MonthNo < 9 THEN RIGHT(NCCIS_ACADYR, 4)
                                    ELSE LEFT(NCCIS_ACADYR, 4) END AS INT),
                         NCCIS_MonthNo, 1)) AS month_end,
    CASE WHEN NCCIS_Current_Activity_Code BETWEEN 610 AND 679 THEN 1 ELSE 0 END AS neet,
    ROW_NUMBER() OVER (PARTITION BY NCCIS_PupilMatchingRefAnonymous, NCCIS_ACADYR, NCCIS_MonthNo
                       ORDER BY NCCIS_Current_Activity_Start_Date DESC,
                                NCCIS_Current_Activity_Code) AS rn
  FROM [NPD_i2].[2002237].[nccis_2011_to_2021]
)
SELECT pmr, month_end, neet INTO #months FROM m WHERE rn = 1
;WITH n AS (
  SELECT pmr, month_end,
    DATEDIFF(month, '2000-01-31', month_end)
      - ROW_NUMBER() OVER (PARTITION BY pmr ORDER BY month_end) AS island
  FROM #months WHERE neet = 1
)
SELECT pmr, MIN(month_end) AS first_month, MAX(month_end) AS last_month, COUNT(*) AS months
INTO #spells FROM n GROUP BY pmr, island
SELECT s.pmr, COUNT(*) AS spells, MAX(s.months) AS longest, SUM(s.months) AS neet_months,
  MIN(s.first_month) AS first_neet
INTO #people FROM #spells s GROUP BY s.pmr
SELECT v.level, CASE WHEN p.pmr IS NULL THEN 'never NEET'
                     WHEN p.longest >= 6 THEN 'NEET 6+ months' ELSE 'NEET briefly' END AS grp,
  COUNT(*) AS pupils, SUM(v.achieved) AS achieved,
  CAST(100.0 * SUM(v.achieved) / COUNT(*) AS NUMERIC(5, 1)) AS pct,
  AVG(v.achieved * 1.0) AS share
FROM [NPD_i2].[2002237].[YPMAD_2002_to_2021] y
LEFT JOIN #people p ON p.pmr = y.YPMAD_PupilMatchingRefAnonymous
CROSS APPLY (VALUES ('L2', y.YPMAD_L2_OVERALL), ('L3', y.YPMAD_L3_OVERALL),
                    ('L1', y.YPMAD_L1_OVERALL)) v (level, achieved)
WHERE y.YPMAD_Ac_Year BETWEEN 2013 AND 2021
GROUP BY v.level, CASE WHEN p.pmr IS NULL THEN 'never NEET'
                       WHEN p.longest >= 6 THEN 'NEET 6+ months' ELSE 'NEET briefly' END
ORDER BY v.level, grp
SELECT DATENAME(month, first_neet) AS month_name, COUNT(*) AS people,
  SUM(neet_months) AS months, MAX(next_longest) AS m,
  STRING_AGG(CAST(longest AS VARCHAR(3)), ',') WITHIN GROUP (ORDER BY longest DESC, pmr) AS lengths
FROM (SELECT *, LEAD(longest, 1, 0) OVER (ORDER BY first_neet, pmr) AS next_longest FROM #people) p
GROUP BY DATENAME(month, first_neet), MONTH(first_neet)
ORDER BY MONTH(first_neet)
""",
    "care_leavers_age_at_entry_att8_and_pay": """
SET NOCOUNT ON
-- care leavers: age at first entry to care, KS4 Attainment 8, and PAYE earnings at 20-22
SELECT cla_PupilMatchingRefAnonymous AS pmr, MIN(cla_POC_START) AS first_entry,
  MAX(ISNULL(cla_DATE_EPI_CEASED, CAST('2021-03-31' AS DATE))) AS last_left,
  COUNT(DISTINCT cla_PLACEMENT) AS placements
INTO #care FROM [NPD_i2].[2002237].[cla_2006_to_2021]
GROUP BY cla_PupilMatchingRefAnonymous
SELECT k.KS4_PupilMatchingRefAnonymous AS pmr, k.KS4_ACADYR AS acadyr,
  DATEFROMPARTS(k.KS4_YEAROFBIRTH, k.KS4_MONTHOFBIRTH, 1) AS dob,
  TRY_CAST(k.KS4_ATT8 AS DECIMAL(5, 1)) AS att8
INTO #ks4 FROM [NPD_i2].[2002237].[KS4Pupil_2015_to_2021] k
SELECT k.pmr, k.dob, k.att8, c.first_entry, c.last_left, c.placements,
  DATEDIFF(year, k.dob, c.first_entry)
    - CASE WHEN DATEADD(year, DATEDIFF(year, k.dob, c.first_entry), k.dob) > c.first_entry
           THEN 1 ELSE 0 END AS age_at_entry
INTO #cohort FROM #ks4 k LEFT JOIN #care c ON c.pmr = k.pmr
SELECT p.pmr, SUM(CAST(e.Earnings AS BIGINT)) AS pay, COUNT(DISTINCT e.TaxYear) AS years
INTO #pay
FROM #cohort p
JOIN [LEO_i2].[2002237].[learner_ae_id_to_pmr_lookup] l ON l.PUPILMATCHINGREFANONYMOUS = p.pmr
JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] x ON x.AE_ID = l.AE_ID
JOIN [LEO_i2].[2002237].[leo_earnings] e ON e.EDUKEY = x.EDUKEY
WHERE e.TaxYear / 100 - YEAR(p.dob) BETWEEN 20 AND 22
GROUP BY p.pmr
SELECT CASE WHEN c.first_entry IS NULL THEN 'never looked after'
            WHEN c.age_at_entry < 10 THEN 'entered care under 10'
            ELSE 'entered care 10+' END AS grp,
  COUNT(*) AS pupils, CAST(AVG(c.att8) AS NUMERIC(5, 1)) AS mean_att8,
  COUNT(p.pmr) AS with_pay, AVG(p.pay / NULLIF(p.years, 0)) AS mean_pay,
  CAST(AVG(p.pay * 1.0 / NULLIF(p.years, 0)) AS NUMERIC(9, 1)) AS mean_pay_exact,
  MAX(c.placements) AS max_placements,
  FLOOR(AVG(CAST(c.age_at_entry AS FLOAT))) AS floor_age
FROM #cohort c LEFT JOIN #pay p ON p.pmr = c.pmr
GROUP BY CASE WHEN c.first_entry IS NULL THEN 'never looked after'
              WHEN c.age_at_entry < 10 THEN 'entered care under 10'
              ELSE 'entered care 10+' END
ORDER BY grp
""",
    "alternative_provision_and_pru_histories_pivoted": """
SET NOCOUNT ON
SELECT AP_PupilMatchingRefAnonymous AS pmr, CAST(RIGHT(AP_ACADYR, 4) AS INT) AS yr,
  AP_APTypeDescription AS ap_type, CAST('AP' AS VARCHAR(3)) AS source
INTO #alt FROM [NPD_i2].[2002237].[ap_census_2008_to_2021]
INSERT INTO #alt (pmr, yr, ap_type, source)
SELECT PRU_PupilMatchingRefAnonymous, CAST(RIGHT(PRU_AcademicYear, 4) AS INT), 'PRU', 'PRU'
FROM [NPD_i2].[2002237].[pru_census_2010_to_2013]
PRINT CONCAT(@@ROWCOUNT, ' PRU rows')
SELECT pmr,
  STRING_AGG(CONCAT(yr, ':', ap_type), ';') WITHIN GROUP (ORDER BY yr, ap_type) AS history,
  COUNT(*) AS records, MIN(yr) AS first_yr
INTO #hist FROM #alt GROUP BY pmr
SELECT h.pmr, s.value AS entry, LEFT(s.value, 4) AS yr, SUBSTRING(s.value, 6, 10) AS ap_type
INTO #entries FROM #hist h CROSS APPLY STRING_SPLIT(h.history, ';') s
SELECT * FROM (SELECT ap_type, yr, pmr FROM #entries) e
PIVOT (COUNT(pmr) FOR yr IN ([2009], [2010], [2011], [2012], [2013], [2014])) p
ORDER BY ap_type
""",
}
"""Scripts as analysts write them, each result set fixed by its ``ORDER BY``."""


def _tables(db: str, text: str) -> tuple[tuple[str, ...], ...]:
    """Every result set ``leo-synth sql`` gives for ``text`` on ``db``, as it prints each."""
    return tuple(tuple(output.table(result))
                 for result in run_text(db, text, "tsql", None, True, messages=lambda _: None))


_on_sqlite = functools.cache(_tables)
"""The tables a script gives on the SQLite file ``db``, made once."""


@pytest.mark.parametrize("name", sorted(SCRIPTS))
@pytest.mark.parametrize("backend", BACKENDS)
def test_care_absence_and_exclusion_scripts_answer_alike_on_every_backend(
        backend: str, name: str, request: pytest.FixtureRequest, small_sqlite) -> None:
    # each backend prints SQLite's tables, and the script's last table has rows
    expected = _on_sqlite(str(small_sqlite[0]), SCRIPTS[name])
    assert len(expected[-1]) > 3, f"{name} gave no rows"
    assert _tables(_db(request, backend), SCRIPTS[name]) == expected


@pytest.mark.parametrize("backend", BACKENDS)
def test_its_text_converts_with_the_style(backend: str, request: pytest.FixtureRequest) -> None:
    assert _tables(_db(request, backend), """CREATE TABLE #c (referral INT)
INSERT INTO #c VALUES (20150406)
SELECT CONVERT(DATE, CAST(referral AS CHAR(8)), 112) AS d FROM #c""")[-1][2:] == (
        "2015-04-06",)


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_applied_values_list_has_one_number_type_per_column(
        backend: str, request: pytest.FixtureRequest) -> None:
    # int beside DECIMAL(5, 2): DECIMAL(12, 2), its average six places (SQLite: 4, 2.5, 3.25)
    table = _tables(_db(request, backend), """CREATE TABLE #ab (au INT, ht DECIMAL(5, 2))
INSERT INTO #ab VALUES (4, 2.5)
SELECT v.term, v.n, v.n * 2 AS twice, AVG(v.n) OVER () AS mean
FROM #ab a CROSS APPLY (VALUES ('Autumn', a.au), ('5HalfTerms', a.ht)) v (term, n)
ORDER BY v.term""")[-1]
    assert [row.split() for row in table[2:]] == [["5HalfTerms", "2.50", "5.00", "3.250000"],
                                                  ["Autumn", "4.00", "8.00", "3.250000"]]
    table = _tables(_db(request, backend), """SELECT v.term, v.n
FROM (SELECT 1 AS a, 2.5 AS b) x CROSS APPLY (VALUES ('Autumn', x.a), ('Spring', x.b)) v (term, n)
ORDER BY v.term""")[-1]
    assert [row.split() for row in table[2:]] == [["Autumn", "1.0"], ["Spring", "2.5"]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_text_in_a_values_list_beside_an_integer_is_converted(
        backend: str, request: pytest.FixtureRequest) -> None:
    # ('7') and ('') are 7 and 0, sorted as numbers (SQLite kept the text, sorted after them)
    assert _tables(_db(request, backend), """CREATE TABLE #ex (reason VARCHAR(2), sessions INT)
INSERT INTO #ex VALUES ('12', 2), ('7', 3)
SELECT v.x FROM (VALUES (1), ('7'), ('')) v (x)
UNION ALL SELECT v.n FROM #ex e CROSS APPLY (VALUES (e.reason), (e.sessions)) v (n)
ORDER BY 1""")[-1][2:] == (" 0", " 1", " 2", " 3", " 7", " 7", "12")


NOT_ALLOWED = "Explicit conversion from data type int to date is not allowed."
NESTED = ("Windowed functions cannot be used in the context of another windowed function or "
          "aggregate.")


@pytest.mark.parametrize("text, said", [
    # a date kept as an integer converted with a style (SQLite gave 2015-04-06, DuckDB
    # stopped with "No function matches ... strptime")
    ("SELECT CONVERT(DATE, 20150406, 112) AS d", NOT_ALLOWED),
    ("SELECT TRY_CONVERT(DATE, 20150406, 112) AS d", NOT_ALLOWED),
    ("""CREATE TABLE #c (referral INT)
INSERT INTO #c VALUES (20150406)
SELECT CONVERT(DATE, referral, 112) AS d FROM #c""", NOT_ALLOWED),
    # text in a VALUES list beside an integer that is no integer (SQLite gave the text)
    ("SELECT x FROM (VALUES (1), ('n')) v (x)",
     "Conversion failed when converting the varchar value 'n' to data type int."),
    ("""CREATE TABLE #ex (reason VARCHAR(2), sessions INT)
INSERT INTO #ex VALUES ('PP', 2)
SELECT v.k, v.x
FROM #ex CROSS APPLY (VALUES ('reason', reason), ('sessions', sessions)) v (k, x)""",
     "Conversion failed when converting the varchar value 'PP' to data type int."),
    # a window inside an aggregate or a window (SQLite: "misuse of window function",
    # DuckDB: "aggregate function calls cannot contain window function calls")
    ("SELECT MAX(LEAD(x, 1, 0) OVER (ORDER BY x)) AS m FROM (VALUES (1), (2)) v (x)", NESTED),
    ("SELECT SUM(ROW_NUMBER() OVER (ORDER BY x)) OVER () AS m FROM (VALUES (1), (2)) v (x)",
     NESTED),
    ("""SELECT g, SUM(CASE WHEN ROW_NUMBER() OVER (PARTITION BY g ORDER BY x) = 1 THEN x END) AS f
FROM (VALUES (1, 'a'), (2, 'a')) v (x, g) GROUP BY g""", NESTED),
])
@pytest.mark.parametrize("backend", BACKENDS)
def test_what_sql_server_refuses_stops_in_its_words(
        backend: str, text: str, said: str, request: pytest.FixtureRequest) -> None:
    with pytest.raises(ScriptError, match=r"^line \d+: (\w+ said: )?" + re.escape(said) + "$"):
        _tables(_db(request, backend), text)


@pytest.mark.parametrize("backend", BACKENDS)
def test_aggregates_inside_a_window_and_windows_in_a_subquery_still_run(
        backend: str, request: pytest.FixtureRequest) -> None:
    table = _tables(_db(request, backend), """SELECT g, SUM(SUM(x)) OVER () AS total,
  RANK() OVER (ORDER BY SUM(x) DESC) AS r,
  (SELECT MAX(n) FROM (SELECT LEAD(y, 1, 0) OVER (ORDER BY y) AS n
                       FROM (VALUES (5), (9)) w (y)) s) AS m
FROM (VALUES (1, 'a'), (2, 'b'), (3, 'a')) v (x, g) GROUP BY g ORDER BY g""")[-1]
    assert [row.split() for row in table[2:]] == [["a", "6", "1", "9"], ["b", "6", "2", "9"]]
