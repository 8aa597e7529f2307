"""`leo-synth sql`: more scripts as LEO analysts in the SRS write them (a tax-year summary kept
by ``MERGE``, an academic-year calendar by a recursive CTE, the latest employment spell per
pupil by ``OUTER APPLY ... TOP 1``, earnings bands and log earnings, ``TRY ... CATCH``
logs, labels built from ``CHAR(n)`` values), run on every backend, their answers the same on
each (linkage rates across NPD, ILR, HESA and HMRC by ``EXISTS``, ``INTERSECT`` and
``EXCEPT`` are ``examples/srs/50``, which ``test_srs_corpus`` runs so); and SQL Server's
padding of ``CHAR(n)`` text, which every target left out."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db
from test_tsql_analyst_scripts import _table

from leo_synth.tsql.command import run_text


def _values(db: str, text: str) -> list[tuple[object, ...]]:
    """The last result set's rows, each value as the result holds it."""
    return [tuple(row) for row in run_text(db, text, "tsql", None, False)[-1].rows]


SCRIPTS = {
    "tax_year_summary_kept_by_merge": """
SET NOCOUNT ON
IF OBJECT_ID('tempdb..#summary') IS NOT NULL DROP TABLE #summary
CREATE TABLE #summary (TaxYear INT PRIMARY KEY, earners INT, total BIGINT, updated BIT DEFAULT 0)
INSERT INTO #summary (TaxYear, earners, total) VALUES (201415, 1, 1), (201516, 2, 2), (199900, 0, 0)
;WITH s AS (
  SELECT TaxYear, COUNT(DISTINCT Edukey) AS earners, SUM(CAST(Earnings AS BIGINT)) AS total
  FROM [LEO_i2].[2002237].[leo_earnings] WHERE Earnings > 0 AND TaxYear >= 201415
  GROUP BY TaxYear)
MERGE #summary AS t
USING s ON t.TaxYear = s.TaxYear
WHEN MATCHED AND t.total <> s.total THEN
  UPDATE SET t.earners = s.earners, t.total = s.total, t.updated = 1
WHEN NOT MATCHED BY TARGET THEN
  INSERT (TaxYear, earners, total) VALUES (s.TaxYear, s.earners, s.total)
WHEN NOT MATCHED BY SOURCE THEN DELETE;
DECLARE @n INT = @@ROWCOUNT
RAISERROR('merged %d rows', 0, 1, @n) WITH NOWAIT
SELECT @n AS changed, TaxYear, earners, total, updated,
  CAST(AVG(total * 1.0 / earners) OVER () AS DECIMAL(10, 1)) AS mean_pay
FROM #summary ORDER BY TaxYear
""",
    "academic_year_calendar_by_recursion": """
;WITH ay AS (
  SELECT CAST('2010-09-01' AS DATE) AS ay_start, 2010 AS y
  UNION ALL
  SELECT DATEADD(YEAR, 1, ay_start), y + 1 FROM ay WHERE y < 2020
)
SELECT y, ay_start, DATEADD(DAY, -1, DATEADD(YEAR, 1, ay_start)) AS ay_end,
   CONCAT(y, '/', y + 1) AS acadyr,
   (SELECT COUNT(*) FROM [LEO_i2].[2002237].[leo_employment] e
     WHERE e.StartDate BETWEEN ay.ay_start
       AND DATEADD(DAY, -1, DATEADD(YEAR, 1, ay.ay_start))) AS starts
FROM ay
ORDER BY y DESC
OPTION (MAXRECURSION 0)
""",
    "latest_spell_per_pupil_by_outer_apply": """
SELECT p.PUPILMATCHINGREFANONYMOUS AS pmr, k.EDUKEY, x.StartDate, x.EndDate, x.days,
  CASE WHEN x.EndDate = '9999-12-31' THEN 'open' WHEN x.EndDate IS NULL THEN 'none'
    ELSE 'ended' END AS state
FROM [LEO_i2].[2002237].[learner_ae_id_to_pmr_lookup] p
JOIN [LEO_i2].[2002237].[learner_ae_id_to_edukey_lookup] k ON k.AE_ID = p.AE_ID
OUTER APPLY (SELECT TOP 1 e.StartDate, e.EndDate,
      DATEDIFF(DAY, e.StartDate, NULLIF(e.EndDate, '9999-12-31')) AS days
   FROM [LEO_i2].[2002237].[leo_employment] e WHERE e.EduKey = k.EDUKEY
   ORDER BY e.StartDate DESC, e.EndDate DESC) x
WHERE p.PUPILMATCHINGREFANONYMOUS LIKE '%[0-4]'
ORDER BY pmr, k.EDUKEY
OFFSET 5 ROWS FETCH NEXT 12 ROWS ONLY
""",
    "earnings_bands_and_log_earnings": """
SET NOCOUNT ON
SELECT TOP 300 e.Edukey, e.TaxYear, e.Earnings INTO #earn
FROM [LEO_i2].[2002237].[leo_earnings] e WHERE e.TaxYear >= 201516 ORDER BY e.Edukey, e.TaxYear
DECLARE @rc INT = @@ROWCOUNT
ALTER TABLE #earn ADD band VARCHAR(20) NULL, log_pay FLOAT NULL, id INT IDENTITY(1,1)
UPDATE #earn SET band = CASE WHEN Earnings BETWEEN 0 AND 9999 THEN 'a <10k'
    WHEN Earnings BETWEEN 10000 AND 19999 THEN 'b 10-20k'
    WHEN Earnings BETWEEN 20000 AND 29999 THEN 'c 20-30k' ELSE 'd 30k+' END,
  log_pay = CASE WHEN Earnings > 0 THEN LOG(Earnings) END
PRINT 'banded ' + CAST(@@ROWCOUNT AS VARCHAR(10))
SELECT band, COUNT(*) AS n, MIN(id) AS first_id, @rc AS rc, ROUND(AVG(log_pay), 3) AS mlog,
  ROUND(EXP(AVG(log_pay)), -2) AS geo, AVG(Earnings) / 1000 AS k,
  CEILING(AVG(Earnings * 1.0) / 1000) AS kc, FLOOR(SQRT(AVG(Earnings))) AS r,
  ROUND(POWER(AVG(log_pay), 2), 2) AS p2, ROUND(STDEVP(log_pay), 4) AS sdp,
  ROUND(STDEV(Earnings), 0) AS sd, ROUND(VAR(Earnings) / 1e6, 1) AS v,
  ROUND(MAX(Earnings), -2) AS top_pay, CAST(AVG(CAST(Earnings AS FLOAT)) AS DECIMAL(10, 2)) AS mean
FROM #earn GROUP BY band ORDER BY band
""",
    "top_earners_with_ties_and_percent": """
SELECT TOP (5) WITH TIES e.TaxYear, ROUND(e.Earnings, -3) AS pay_k
FROM [LEO_i2].[2002237].[leo_earnings] e
WHERE e.TaxYear = 201819
ORDER BY ROUND(e.Earnings, -3) DESC
""",
    "steps_logged_in_try_catch": """
SET NOCOUNT ON
CREATE TABLE #log (id INT IDENTITY(1, 1), step VARCHAR(40), msg NVARCHAR(400), num INT, sev INT)
BEGIN TRY
  DECLARE @x INT = (SELECT COUNT(*) FROM [LEO_i2].[2002237].[leo_benefit])
  IF @x > 0 THROW 50010, 'benefits present', 1
END TRY
BEGIN CATCH
  INSERT INTO #log (step, msg, num, sev) VALUES ('throw', ERROR_MESSAGE(), ERROR_NUMBER(),
    ERROR_SEVERITY())
END CATCH
BEGIN TRY
  SELECT TOP 1 CAST(Benefit_type AS INT) AS bad FROM [LEO_i2].[2002237].[leo_benefit]
  WHERE Benefit_type = 'JSA'
END TRY
BEGIN CATCH
  INSERT INTO #log (step, msg, num, sev) VALUES ('cast', ERROR_MESSAGE(), ERROR_NUMBER(),
    ERROR_SEVERITY())
END CATCH
BEGIN TRY
  SELECT 1 / (COUNT(*) - COUNT(*)) FROM [LEO_i2].[2002237].[leo_benefit]
END TRY
BEGIN CATCH
  INSERT INTO #log (step, msg, num, sev) VALUES ('div', ERROR_MESSAGE(), ERROR_NUMBER(),
    ERROR_SEVERITY())
END CATCH
BEGIN TRY
  RAISERROR('step %s failed after %d rows', 16, 1, 'earnings', 5)
END TRY
BEGIN CATCH
  INSERT INTO #log (step, msg, num, sev) VALUES ('raise', ERROR_MESSAGE(), ERROR_NUMBER(),
    ERROR_SEVERITY())
END CATCH
SELECT id, step, msg, num, sev, SCOPE_IDENTITY() AS last_id FROM #log ORDER BY id
""",
    "month_labels_of_fixed_width_codes": """
SET NOCOUNT ON
CREATE TABLE #starts (ym CHAR(7), label CHAR(12), n INT)
INSERT INTO #starts (ym, label, n)
SELECT CAST(YEAR(StartDate) AS CHAR(4)) + '-'
    + RIGHT('0' + CAST(MONTH(StartDate) AS VARCHAR(2)), 2),
  CAST(MONTH(StartDate) AS CHAR(2)) + '/' + CAST(YEAR(StartDate) AS CHAR(4)), COUNT(*)
FROM [LEO_i2].[2002237].[leo_employment]
WHERE StartDate >= '2019-01-01' AND StartDate < '2020-01-01'
GROUP BY YEAR(StartDate), MONTH(StartDate)
DECLARE @tag CHAR(6) = 'PAYE'
SELECT ym, label + '|' AS label_bar, @tag + ':' + label AS tagged, n, LEN(label) AS len_label,
  DATALENGTH(label) AS bytes, STUFF(ym, 5, 1, '') AS yyyymm, REPLICATE('*', n / 10) AS bar,
  CASE WHEN label = '1 /2019' THEN 'January' ELSE '' END AS first_month
FROM #starts ORDER BY ym
""",
}
"""Scripts as analysts write them, each ending in a result set that ``ORDER BY`` fixes."""
_baseline: dict[str, list[str]] = {}


@pytest.mark.parametrize("name", sorted(SCRIPTS))
@pytest.mark.parametrize("backend", BACKENDS)
def test_analyst_scripts_answer_alike_on_every_backend(
        backend: str, name: str, request: pytest.FixtureRequest, small_sqlite) -> None:
    # each backend prints SQLite's table, value for value, and the script gives rows (the
    # linkage rates of a KS4 cohort by EXISTS, INTERSECT and EXCEPT: examples/srs/50)
    expected = _baseline.get(name)
    if expected is None:
        expected = _baseline[name] = _table(str(small_sqlite[0]), SCRIPTS[name])
    assert len(expected) > 2, f"{name} gave no rows"
    assert _table(_db(request, backend), SCRIPTS[name]) == expected


@pytest.mark.parametrize("backend", BACKENDS)
def test_month_labels_are_padded_as_char_values_are(backend: str,
                                                    request: pytest.FixtureRequest) -> None:
    # CAST(MONTH(d) AS CHAR(2)) + '/' + ... is '1 /2019' in SQL Server, whose CHAR(n) holds n
    # characters; every target gave '1/2019', so the script's CASE found no January
    rows = _values(_db(request, backend), SCRIPTS["month_labels_of_fixed_width_codes"])
    assert rows, "no spells started in 2019"
    for ym, label_bar, tagged, _n, len_label, data_length, yyyymm, _bar, first in rows:
        month = int(ym[5:])
        assert label_bar == f"{month:<2}/{ym[:4]}     |"
        assert tagged == f"PAYE  :{month:<2}/{ym[:4]}     "
        assert (len_label, data_length, yyyymm) == (7, 12, ym[:4] + ym[5:])
        assert first == ("January" if month == 1 else "")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_cast_to_char_is_padded_to_its_length(backend: str,
                                                request: pytest.FixtureRequest) -> None:
    # SQL Server pads a value cast to CHAR(n) or NCHAR(n) with spaces (DATALENGTH n), and an
    # integer too long for it is '*' padded; LEN and comparisons ignore the spaces
    db = _db(request, backend)
    assert _values(db, """DECLARE @d DATE = '2015-04-06', @dt DATETIME = '2015-04-06 13:05'
SELECT CAST('x' AS CHAR(3)) + '|', DATALENGTH(CAST('x' AS CHAR(3))), LEN(CAST('x' AS CHAR(3))),
  CONVERT(CHAR(6), 12) + '|', CAST(123 AS CHAR(2)) + '|', CAST(@d AS CHAR(12)) + '|',
  CAST(@dt AS CHAR(20)) + '|', CAST(1.5 AS CHAR(5)) + '|', CAST(NULL AS CHAR(3)) + '|',
  CONVERT(CHAR(12), @d, 103) + '|', CAST(N'é' AS NCHAR(2)) + N'|', TRY_CAST(7 AS CHAR(3)) + '|',
  CAST(5 AS CHAR(3)) + 1, CAST('ab' AS CHAR) + '|'""") == [(
        "x  |", 3, 1, "12    |", "* |", "2015-04-06  |", "Apr  6 2015  1:05PM |", "1.5  |",
        None, "06/04/2015  |", "é |", "7  |", 6, "ab" + " " * 28 + "|")]
    assert _values(db, """SELECT
  CASE WHEN CAST('ab' AS CHAR(4)) = 'ab' THEN 1 ELSE 0 END,
  CASE WHEN CAST('ab' AS CHAR(4)) LIKE 'ab' THEN 1 ELSE 0 END,
  CASE WHEN CAST('ab' AS CHAR(4)) IN ('ab', 'x') THEN 1 ELSE 0 END,
  CASE WHEN 'ab' + CAST('c' AS CHAR(3)) = 'abc' THEN 1 ELSE 0 END""") == [(1, 1, 1, 1)]
    # ISNULL has its first argument's type: a CHAR(3)'s 'mis', a CHAR(5)'s 'x    '
    assert _values(db, """SELECT ISNULL(CAST(NULL AS CHAR(3)), 'missing') + '|',
  ISNULL(CAST(NULL AS CHAR(5)), 'x') + '|', ISNULL(CAST('q' AS CHAR(3)), 'x') + '|',
  ISNULL(CAST(NULL AS VARCHAR(2)), 'missing')""") == [("mis|", "x    |", "q  |", "mi")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_char_variable_holds_its_whole_length(backend: str,
                                                request: pytest.FixtureRequest) -> None:
    # DECLARE @c CHAR(5) = 'ab' holds 'ab   ' in SQL Server: @c + '|' is 'ab   |'; a
    # comparison, LEN and a filter of the extract ignore the spaces
    db = _db(request, backend)
    assert _values(db, """DECLARE @c CHAR(5) = 'ab', @g CHAR(1) = 'F'
SET @c = 'xyz'
SELECT @c + '|',
  (SELECT COUNT(*) FROM [NPD_i2].[2002237].[spring_census_2015] WHERE Gender_spr15 = @g)
  - (SELECT COUNT(*) FROM [NPD_i2].[2002237].[spring_census_2015] WHERE Gender_spr15 = 'F')
""") == [("xyz  |", 0)]
    [row] = _values(db, """DECLARE @c CHAR(5) = 'ab', @n NCHAR(3) = N'x', @big CHAR(3) = 12345
SELECT @c + '|', DATALENGTH(@c), LEN(@c), @n + N'|', @big + '|',
  CASE WHEN @c = 'ab' THEN 1 ELSE 0 END, CASE WHEN @c IN ('ab') THEN 1 ELSE 0 END""")
    assert row == ("ab   |", 5, 2, "x  |", "*  |", 1, 1)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_temp_char_column_holds_its_whole_length(backend: str,
                                                   request: pytest.FixtureRequest) -> None:
    # a #temp table's (or table variable's) CHAR(n) column stores n characters in SQL Server:
    # code + v + '|' is 'UC  q|', DATALENGTH(pmr) 18, RIGHT(pmr, 3) spaces; the targets
    # stored 'UC' (PostgreSQL's CHAR(n) padded it, but dropped the spaces when it joined
    # text). Comparisons, joins and groups ignore the spaces
    db = _db(request, backend)
    assert _values(db, """CREATE TABLE #k (pmr CHAR(18), code CHAR(4), v VARCHAR(6),
  n NCHAR(3), g CHAR)
INSERT INTO #k VALUES ('ABC', 'x', 'y  ', N'z', 'F')
INSERT INTO #k (pmr, code) SELECT TOP 2 EduKey, Benefit_type FROM [LEO_i2].[2002237].[leo_benefit]
  WHERE Benefit_type = 'JSA' ORDER BY EduKey, StartDate
INSERT INTO #k (pmr, code) VALUES ('NULLS', NULL)
UPDATE #k SET v = 'q' WHERE pmr = 'ABC'
UPDATE #k SET code = 'UC' WHERE code = 'x'
SELECT LEN(pmr), DATALENGTH(pmr), DATALENGTH(code), DATALENGTH(n), pmr + '|', code + v + '|',
  CONCAT(code, '|'), RIGHT(pmr, 3) + '|', REVERSE(code), LEN(code + 'a'), CHARINDEX(' ', pmr),
  CASE WHEN code = 'UC' THEN 1 ELSE 0 END, g + '|'
FROM #k WHERE pmr IN ('ABC', 'NULLS') ORDER BY pmr""") == [
        (3, 18, 4, 6, "ABC" + " " * 15 + "|", "UC  q|", "UC  |", "   |", "  CU", 5, 4, 1, "F|"),
        (5, 18, None, None, "NULLS" + " " * 13 + "|", None, "|", "   |", None, None, 6, 0,
         None)]
    assert _values(db, """CREATE TABLE #k (pmr CHAR(18), code CHAR(4))
INSERT INTO #k SELECT TOP 3 EduKey, Benefit_type FROM [LEO_i2].[2002237].[leo_benefit]
  WHERE Benefit_type = 'JSA' ORDER BY EduKey, StartDate
SELECT code + '|', COUNT(*), COUNT(DISTINCT code) FROM #k k1
WHERE EXISTS (SELECT 1 FROM [LEO_i2].[2002237].[leo_benefit] b WHERE b.EduKey = k1.pmr
  AND b.Benefit_type = k1.code)
GROUP BY code""") == [("JSA |", 3, 1)]
    assert _values(db, """DECLARE @t TABLE (yr CHAR(7), n INT)
INSERT INTO @t VALUES ('2015', 1)
INSERT INTO @t SELECT CAST(2016 AS VARCHAR(4)), 2
SELECT yr + '|', DATALENGTH(yr) FROM @t WHERE yr IN ('2015', '2016') ORDER BY n""") == [
        ("2015   |", 7), ("2016   |", 7)]
    # a column ALTER TABLE ... ADD makes CHAR(n) too
    assert _values(db, """CREATE TABLE #t (id INT, v VARCHAR(5))
INSERT INTO #t VALUES (1, 'a')
ALTER TABLE #t ADD code CHAR(4) NULL, n INT NULL
UPDATE #t SET code = 'UC', n = 2
INSERT INTO #t (id, v, code) VALUES (2, 'b', 'JSA')
SELECT id, code + '|', DATALENGTH(code), CASE WHEN code = 'UC' THEN 1 ELSE 0 END
FROM #t ORDER BY id""") == [(1, "UC  |", 4, 1), (2, "JSA |", 4, 0)]
