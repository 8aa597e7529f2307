"""`leo-synth sql`: the cleaning scripts LEO analysts write against the extract's known quirks
(open-ended spells ``9999-12-31``, ``1900-01-01`` placeholders, blank strings and ``-1``
sentinels, legacy codes, codes stored with their descriptions, dates written as text,
duplicate keys), run on every backend: their answers as SQL Server gives them, the same on
each."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows

from leo_synth.tsql import output
from leo_synth.tsql.command import run_text


def _shown(db: str, text: str) -> list[list[str]]:
    """Every result set's rows as SSMS shows them, split into values."""
    return [line.split() for result in run_text(db, text, "tsql", None, True)
            for line in output.table(result)[2:]]


TEXT_DATES = """CREATE TABLE #raw (id INT, txt VARCHAR(20))
INSERT INTO #raw VALUES (1, '31/01/2015'), (2, '20150131'), (3, ''), (4, NULL),
    (5, '1900-01-01'), (6, '31/02/2015'), (7, '2015-13-01'), (8, ' 20150131'),
    (9, '01/02/2015'), (10, '9999-12-31'), (11, 'NK'), (12, '1/2/15'), (13, '13/1/99')
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_placeholder_compared_with_a_date_read_in_a_style(
        backend: str, request: pytest.FixtureRequest) -> None:
    # NULLIF(TRY_CONVERT(DATE, x, 103), '19000101'): the placeholder is a date, as SQL Server
    # converts it (SQLite compared the text and kept 1900-01-01, DuckDB stopped with error 241)
    db = _db(request, backend)
    assert _rows(db, TEXT_DATES + """SELECT id, NULLIF(TRY_CONVERT(DATE, txt, 103), '19000101'),
    CASE WHEN CONVERT(DATE, NULLIF(txt, 'NK'), 103) = '99991231' THEN 'open' END
FROM #raw WHERE id IN (1, 3, 5, 10) ORDER BY id""") == [
        (1, "2015-01-31", None), (3, None, None), (5, None, None), (10, "9999-12-31", "open")]
    employment = "[LEO_i2].[2002237].[leo_employment]"
    [(closed, styled, open_ended, n)] = _rows(db, f"""SELECT
    COUNT(NULLIF(EndDate, '99991231')),
    COUNT(NULLIF(TRY_CONVERT(DATE, CONVERT(VARCHAR(10), EndDate, 103), 103), '99991231')),
    SUM(CASE WHEN TRY_CONVERT(DATE, CONVERT(VARCHAR(10), EndDate, 103), 103) = '99991231'
        THEN 1 ELSE 0 END), COUNT(*)
FROM {employment}""")
    assert styled == closed and open_ended == n - closed > 0


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_two_digit_year_in_numbers(backend: str, request: pytest.FixtureRequest) -> None:
    # '1/2/15' is [m]m/dd/[yy]yy, as SQL Server documents it: 2 January 2015 (1 February in
    # style 103), its year by the cutoff ('99' is 1999). SQLite read no date (ISDATE 0,
    # TRY_CAST NULL), DuckDB's style 103 read the year 15
    db = _db(request, backend)
    assert _rows(db, TEXT_DATES + """SELECT id, ISDATE(txt), TRY_CAST(txt AS DATE),
    TRY_CONVERT(DATE, txt, 103), TRY_CONVERT(DATETIME, txt, 103)
FROM #raw WHERE id IN (12, 13) ORDER BY id""") == [
        (12, 1, "2015-01-02", "2015-02-01", "2015-02-01"),
        (13, 0, None, "1999-01-13", "1999-01-13")]
    assert _rows(db, "SET DATEFORMAT dmy\nSELECT CAST('13/1/99' AS DATE), "
                     "DATEDIFF(day, '1/2/15', '20150301')") == [("1999-01-13", 28)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_text_dates_cleaned(backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _rows(db, TEXT_DATES + """SELECT id, ISDATE(txt), TRY_CONVERT(DATE, txt, 103),
    TRY_CONVERT(DATE, txt), CASE WHEN ISDATE(txt) = 1 THEN CONVERT(DATE, txt) END
FROM #raw WHERE id <= 11 ORDER BY id""") == [
        (1, 0, "2015-01-31", None, None), (2, 1, "2015-01-31", "2015-01-31", "2015-01-31"),
        (3, 0, "1900-01-01", "1900-01-01", None), (4, 0, None, None, None),
        (5, 1, "1900-01-01", "1900-01-01", "1900-01-01"), (6, 0, None, None, None),
        (7, 0, None, None, None), (8, 1, "2015-01-31", "2015-01-31", "2015-01-31"),
        (9, 1, "2015-02-01", "2015-01-02", "2015-01-02"),
        (10, 1, "9999-12-31", "9999-12-31", "9999-12-31"), (11, 0, None, None, None)]


CODES = """CREATE TABLE #codes (id INT, raw VARCHAR(40), yp VARCHAR(4), sen VARCHAR(5), n INT)
INSERT INTO #codes VALUES (1, 'A1 Apprenticeship', '1', 'S', -1), (2, '  ', '02', 'A', 0),
    (3, '', 'X', 'P', 5), (4, NULL, ' 3 ', 'K', NULL), (5, 'B2', '1.5', 'E', -1),
    (6, 'C3-desc here', '', 'N', 7), (7, ' D4 x', 'NK', NULL, 3), (8, 'E5', '12a', 'S ', -2)
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_blank_strings_sentinels_and_codes_with_descriptions(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _rows(db, CODES + """SELECT id, NULLIF(LTRIM(RTRIM(raw)), ''),
    LEFT(LTRIM(raw), CHARINDEX(' ', LTRIM(raw) + ' ') - 1), TRY_CAST(yp AS INT), ISNUMERIC(yp),
    CASE WHEN yp LIKE '[0-9]' OR yp LIKE '[0-9][0-9]' THEN 1 ELSE 0 END,
    CASE WHEN yp NOT LIKE '%[^0-9]%' THEN 1 ELSE 0 END, PATINDEX('%[^0-9]%', yp),
    REPLACE(TRANSLATE(ISNULL(raw, ''), '-', ' '), ' ', ''),
    CASE WHEN sen IN ('S', 'A', 'P') THEN 'legacy' WHEN sen IN ('E', 'K') THEN 'current'
         WHEN sen = 'N' THEN 'none' END, COALESCE(NULLIF(n, -1), 0), LEN(raw),
    STUFF(raw, 1, CHARINDEX(' ', raw + ' '), '')
FROM #codes ORDER BY id""") == [
        (1, "A1 Apprenticeship", "A1", 1, 1, 1, 1, 0, "A1Apprenticeship", "legacy", 0, 17,
         "Apprenticeship"),
        (2, None, "", 2, 1, 1, 1, 0, "", "legacy", 0, 0, " "),
        (3, None, "", None, 0, 0, 0, 1, "", "legacy", 5, 0, None),
        (4, None, None, 3, 1, 0, 0, 1, "", "current", 0, None, None),
        (5, "B2", "B2", None, 1, 0, 0, 2, "B2", "current", 0, 2, ""),
        (6, "C3-desc here", "C3-desc", 0, 0, 0, 1, 0, "C3deschere", "none", 7, 12, "here"),
        (7, "D4 x", "D4", None, 0, 0, 0, 1, "D4x", None, 3, 5, "D4 x"),
        (8, "E5", "E5", None, 0, 0, 0, 3, "E5", "legacy", -2, 2, "")]
    assert _rows(db, CODES + """SELECT COUNT(*) - COUNT(NULLIF(LTRIM(RTRIM(raw)), '')),
    SUM(CASE WHEN raw = '' THEN 1 ELSE 0 END), SUM(CASE WHEN sen = 'S' THEN 1 ELSE 0 END)
FROM #codes""") == [(3, 2, 2)]


SCRIPTS = {
    "open_ended_spells": """SET NOCOUNT ON
DECLARE @extract_end DATE = '2021-03-31'
IF OBJECT_ID('tempdb..#spells') IS NOT NULL DROP TABLE #spells
SELECT EduKey, StartDate, NULLIF(EndDate, '9999-12-31') AS end_clean,
       ISNULL(NULLIF(EndDate, '9999-12-31'), @extract_end) AS end_used,
       DATEDIFF(day, StartDate, ISNULL(NULLIF(EndDate, '9999-12-31'), @extract_end)) + 1 AS days,
       CASE WHEN EndDate = '9999-12-31' THEN 1 ELSE 0 END AS open_ended
INTO #spells
FROM [LEO_i2].[2002237].[leo_employment]
WHERE StartDate < EndDate OR EndDate IS NULL
SELECT COUNT(*) AS n, SUM(open_ended) AS n_open, SUM(CAST(days AS BIGINT)) AS tot_days,
   AVG(days * 1.0) AS avg_days, MIN(end_used) AS min_end, MAX(end_used) AS max_end,
   COUNT(*) - COUNT(end_clean) AS n_missing,
   SUM(CASE WHEN DAY(StartDate) = 6 AND MONTH(StartDate) = 4 THEN 1 ELSE 0 END) AS apr6,
   SUM(CASE WHEN EOMONTH(StartDate) = StartDate THEN 1 ELSE 0 END) AS month_end_starts
FROM #spells""",
    "tax_year_arithmetic": """SELECT TOP 20 EduKey, StartDate, EndDate,
   YEAR(StartDate) - CASE WHEN MONTH(StartDate) < 4 OR (MONTH(StartDate) = 4
       AND DAY(StartDate) < 6) THEN 1 ELSE 0 END AS ty_start,
   DATEFROMPARTS(YEAR(StartDate) + CASE WHEN MONTH(StartDate) >= 4 AND NOT (MONTH(StartDate) = 4
       AND DAY(StartDate) < 6) THEN 0 ELSE -1 END, 4, 6) AS ty_first_day,
   CAST(YEAR(DATEADD(day, -95, StartDate)) AS VARCHAR(4))
       + RIGHT(CAST(YEAR(DATEADD(day, -95, StartDate)) + 1 AS VARCHAR(4)), 2) AS taxyear_txt,
   EOMONTH(StartDate) AS eom, DATEADD(day, 1, EOMONTH(StartDate, -1)) AS som,
   DATEDIFF(month, StartDate, ISNULL(NULLIF(EndDate, '9999-12-31'), '20210331')) AS months
FROM [LEO_i2].[2002237].[leo_employment]
ORDER BY EduKey, StartDate""",
    "person_lookup_binary_keys": """SET NOCOUNT ON
SELECT DISTINCT CAST(p.PUPILMATCHINGREFANONYMOUS AS VARCHAR(50)) COLLATE Latin1_General_BIN
       AS pmr, p.AE_ID, CAST(e.EDUKEY AS CHAR(14)) COLLATE Latin1_General_BIN AS edukey
INTO #person
FROM [LEO_i2].[2002237].[learner_ae_id_to_pmr_lookup] p
JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] e ON e.AE_ID = p.AE_ID
CREATE CLUSTERED INDEX ix_person ON #person (pmr)
;WITH d AS (SELECT *, ROW_NUMBER() OVER (PARTITION BY pmr ORDER BY edukey) AS rn FROM #person)
DELETE FROM d WHERE rn > 1
DECLARE @deleted INT = @@ROWCOUNT
SELECT @deleted AS deleted, COUNT(*) AS n, COUNT(DISTINCT pmr) AS pmrs FROM #person
SELECT COUNT(*) AS n, COUNT(DISTINCT s.PupilMatchingRefAnonymous_spr15) AS pupils,
  SUM(CASE WHEN p.pmr IS NULL THEN 1 ELSE 0 END) AS unmatched
FROM [NPD_i2].[2002237].[spring_census_2015] s
LEFT JOIN #person p ON p.pmr = s.PupilMatchingRefAnonymous_spr15 COLLATE Latin1_General_BIN
WHERE s.RecordStatus_spr15 IS NULL OR s.RecordStatus_spr15 BETWEEN 1 AND 10
   OR s.RecordStatus_spr15 = 20
SELECT TOP 5 p.pmr, LEFT(e.TaxYear, 4) + 1 AS ty_end,
  SUM(CASE WHEN e.Earnings > 0 THEN e.Earnings END) AS pay, COUNT(*) AS rows_,
  COUNT(CASE WHEN e.Earnings <= 0 THEN 1 END) AS zero_rows
FROM #person p JOIN [LEO_i2].[2002237].[leo_earnings] e
  ON e.Edukey COLLATE Latin1_General_BIN = p.edukey
GROUP BY p.pmr, LEFT(e.TaxYear, 4) + 1
HAVING SUM(CASE WHEN e.Earnings > 0 THEN e.Earnings END) IS NULL OR COUNT(*) > 1
ORDER BY p.pmr, ty_end""",
    "benefit_days_clipped_in_a_loop": """SET NOCOUNT ON
CREATE TABLE #ben (edukey VARCHAR(14), s DATE, e DATE, e_clean DATE NULL, ty INT NULL,
    days INT NULL, flag_bad BIT DEFAULT 0)
INSERT INTO #ben (edukey, s, e)
SELECT EduKey, StartDate, EndDate FROM [LEO_i2].[2002237].[leo_benefit]
UPDATE #ben SET e_clean = NULLIF(e, '99991231')
UPDATE b SET b.flag_bad = 1 FROM #ben AS b WHERE b.s >= ISNULL(b.e_clean, '20210331')
UPDATE b SET ty = YEAR(DATEADD(day, -95, b.s)) * 100 + (YEAR(DATEADD(day, -95, b.s)) + 1) % 100,
   days = DATEDIFF(day, b.s, CASE WHEN b.e_clean > '20210331' OR b.e_clean IS NULL
       THEN '20210331' ELSE b.e_clean END) + 1
FROM #ben b
DECLARE @y INT = 2010, @n INT, @total INT = 0
CREATE TABLE #peryear (y INT, spells INT, days BIGINT)
WHILE @y <= 2020
BEGIN
  INSERT INTO #peryear (y, spells, days)
  SELECT @y, COUNT(*), SUM(CAST(DATEDIFF(day,
      CASE WHEN s > DATEFROMPARTS(@y, 4, 6) THEN s ELSE DATEFROMPARTS(@y, 4, 6) END,
      CASE WHEN ISNULL(e_clean, '20210331') < DATEFROMPARTS(@y + 1, 4, 5)
           THEN ISNULL(e_clean, '20210331') ELSE DATEFROMPARTS(@y + 1, 4, 5) END) + 1 AS BIGINT))
  FROM #ben
  WHERE flag_bad = 0 AND s <= DATEFROMPARTS(@y + 1, 4, 5)
    AND ISNULL(e_clean, '20210331') >= DATEFROMPARTS(@y, 4, 6)
  SET @n = @@ROWCOUNT
  SET @total = @total + @n
  SET @y = @y + 1
END
SELECT @total AS inserted, (SELECT COUNT(*) FROM #ben WHERE flag_bad = 1) AS bad,
  (SELECT SUM(days) FROM #ben WHERE flag_bad = 0) AS tot_days
SELECT * FROM #peryear ORDER BY y
SELECT ty, COUNT(*) AS n, MIN(s) AS first_start, MAX(e_clean) AS last_end
FROM #ben GROUP BY ty HAVING COUNT(*) > 20 ORDER BY ty""",
    "census_missingness_by_column": """SELECT v.col, COUNT(*) AS n,
   COUNT(*) - COUNT(v.val) AS missing,
   SUM(CASE WHEN LTRIM(RTRIM(v.val)) = '' THEN 1 ELSE 0 END) AS blank,
   CAST(100.0 * (COUNT(*) - COUNT(NULLIF(LTRIM(RTRIM(v.val)), ''))) / COUNT(*)
       AS DECIMAL(5, 1)) AS pct_missing
FROM [NPD_i2].[2002237].[spring_census_2015] s
CROSS APPLY (VALUES ('PrimarySENtype', s.PrimarySENtype_spr15),
   ('SecondarySENtype', s.SecondarySENtype_spr15), ('YSSA', s.YSSA_spr15),
   ('Gender', s.Gender_spr15), ('FSM', CAST(s.FSMeligible_spr15 AS VARCHAR(4))),
   ('EntryDate', CONVERT(VARCHAR(10), s.EntryDate_spr15, 112))) v(col, val)
GROUP BY v.col ORDER BY v.col
SELECT CASE WHEN Gender_spr15 IN ('B', 'M') THEN 'M' WHEN Gender_spr15 IN ('G', 'F') THEN 'F'
       ELSE 'U' END AS sex, COUNT(*) AS n, COUNT(DISTINCT PupilMatchingRefAnonymous_spr15)
       AS pupils, SUM(CASE WHEN EntryDate_spr15 IS NULL OR EntryDate_spr15 = '19000101'
       THEN 1 ELSE 0 END) AS no_entry
FROM [NPD_i2].[2002237].[spring_census_2015]
GROUP BY CASE WHEN Gender_spr15 IN ('B', 'M') THEN 'M' WHEN Gender_spr15 IN ('G', 'F')
       THEN 'F' ELSE 'U' END
ORDER BY sex""",
    "ilr_sentinels_and_placeholder_ends": """SELECT a.Year,
   COUNT(*) AS aims, SUM(CASE WHEN a.end_date = '19000101' THEN 1 ELSE 0 END) AS end_1900,
   COUNT(NULLIF(NULLIF(a.end_date, '19000101'), '99991231')) AS ended,
   SUM(CASE WHEN a.framework_id = -1 THEN 1 ELSE 0 END) AS fw_minus1,
   COUNT(NULLIF(a.framework_id, -1)) AS fw_known,
   AVG(CAST(NULLIF(a.ASL, -1) AS FLOAT)) AS asl,
   MAX(DATEDIFF(day, a.start_date, COALESCE(NULLIF(a.end_date, '19000101'),
       a.end_date_expected))) AS longest
FROM [LILR_i2].[2002237].[aims] a
GROUP BY a.Year ORDER BY a.Year""",
}


@pytest.mark.parametrize("name", sorted(SCRIPTS))
@pytest.mark.parametrize("backend", BACKENDS[1:])
def test_cleaning_scripts_agree_with_sqlite(backend: str, name: str,
                                            request: pytest.FixtureRequest) -> None:
    # every result set, shown as SSMS shows it, the same on each backend as on SQLite
    expected = _shown(_db(request, "small_sqlite"), SCRIPTS[name])
    assert expected and _shown(_db(request, backend), SCRIPTS[name]) == expected


KEYS = """CREATE TABLE #a (k VARCHAR(20), v INT)
CREATE TABLE #b (k CHAR(18), w INT)
INSERT INTO #a VALUES ('SYNabc', 1), ('synabc', 2), ('SYNxyz ', 3), ('SYNq', 4)
INSERT INTO #b VALUES ('SYNabc', 10), ('SYNxyz', 30), ('synq', 40)
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_keys_compared_under_a_binary_collation_ignore_trailing_spaces(
        backend: str, request: pytest.FixtureRequest) -> None:
    # FFT's joins, every key under COLLATE Latin1_General_BIN: a binary collation keeps case,
    # and trailing spaces still do not count (a CHAR(18) key is padded). The collation hid
    # the padded key from the trimming: no row joined, none matched IN, EXISTS or a literal
    db = _db(request, backend)
    assert _rows(db, KEYS + """SELECT a.v, b.w FROM #a a LEFT JOIN #b b
    ON b.k COLLATE Latin1_General_BIN = a.k COLLATE Latin1_General_BIN ORDER BY a.v""") == [
        (1, 10), (2, None), (3, 30), (4, None)]
    for where in (
            "a.k COLLATE Latin1_General_BIN IN (SELECT b.k COLLATE Latin1_General_BIN FROM #b b)",
            "a.k COLLATE Latin1_General_BIN = 'SYNxyz  ' OR a.k COLLATE Latin1_General_BIN "
            "= 'SYNabc'",
            "EXISTS (SELECT 1 FROM #b b WHERE CAST(b.k AS VARCHAR(50)) COLLATE "
            "Latin1_General_BIN = a.k)"):
        assert _rows(db, KEYS + f"SELECT a.v FROM #a a WHERE {where} ORDER BY a.v") == [
            (1,), (3,)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_cohort_keyed_by_a_binary_char_column_joins_the_lookup(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    setup = """CREATE TABLE #cohort (pmr CHAR(20) COLLATE Latin1_General_BIN NOT NULL PRIMARY KEY,
    fsm INT)
INSERT INTO #cohort (pmr, fsm)
SELECT DISTINCT KS4_PupilMatchingRefAnonymous, KS4_FSM
FROM [NPD_i2].[2002237].[KS4Pupil_2015_to_2021] WHERE KS4_ACADYR = '2017/2018'
"""
    lookup = "[LEO_i2].[2002237].[learner_ae_id_to_pmr_lookup]"
    [(plain,)] = _rows(db, setup + f"""SELECT COUNT(*) FROM #cohort c
JOIN {lookup} p ON p.PUPILMATCHINGREFANONYMOUS = c.pmr""")
    assert plain > 0
    assert _rows(db, setup + f"""SELECT COUNT(*) FROM #cohort c JOIN {lookup} p
    ON p.PUPILMATCHINGREFANONYMOUS COLLATE Latin1_General_BIN = c.pmr COLLATE Latin1_General_BIN
""") == [(plain,)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_like_under_a_binary_collation_keeps_case(backend: str,
                                                  request: pytest.FixtureRequest) -> None:
    # k COLLATE Latin1_General_BIN LIKE 'syn%' finds the lower-case key alone, as SQL Server
    # matches it (every target ignored case), a padded CHAR key's spaces aside; without the
    # collation, or under one that ignores case, case is ignored as before
    db = _db(request, backend)
    assert _rows(db, KEYS + """DECLARE @p VARCHAR(10) = 'syn%'
SELECT w, CASE WHEN k COLLATE Latin1_General_BIN LIKE 'syn%' THEN 1 ELSE 0 END,
  CASE WHEN k COLLATE Latin1_General_BIN NOT LIKE '%c' THEN 1 ELSE 0 END,
  CASE WHEN k LIKE 'syn%' THEN 1 ELSE 0 END,
  CASE WHEN k COLLATE Latin1_General_CS_AS LIKE 'syn%' THEN 1 ELSE 0 END,
  CASE WHEN k COLLATE Latin1_General_BIN LIKE 'SYN[a-z]%' THEN 1 ELSE 0 END,
  CASE WHEN k COLLATE Latin1_General_CI_AS LIKE 'SYN[A-Z]%' THEN 1 ELSE 0 END,
  CASE WHEN k COLLATE Latin1_General_BIN LIKE @p THEN 1 ELSE 0 END
FROM #b ORDER BY w""") == [(10, 0, 0, 1, 0, 1, 1, 0), (30, 0, 1, 1, 0, 1, 1, 0),
                           (40, 1, 1, 1, 1, 0, 1, 1)]
