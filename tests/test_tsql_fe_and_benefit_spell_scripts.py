"""`leo-synth sql`: scripts as LEO analysts in the SRS write them over the further-education
(ILR), benefit (DWP) and HMRC employment, earnings and self-assessment views, run on every
backend, their answers the same on each (out-of-work benefit spells joined into islands by
``LAG`` and a running ``SUM``, and further-education learners flagged by ``ALTER TABLE ... ADD
... DEFAULT 0`` and ``UPDATE ... FROM``, are ``examples/srs/63`` and ``64``, which
``test_srs_corpus`` runs so): employment spells merged and their days clipped to each tax
year in a ``WHILE`` loop; a learner's highest aim by ``CROSS APPLY (SELECT TOP 1 ...)`` with aim
references taken apart; PAYE pay joined to self-assessment by ``UPDATE ... FROM`` with
``ALTER TABLE``, ``DELETE ... FROM``, ``sp_rename`` and ``TRY ... CATCH``; self-employment
per tax year by ``WHILE 1 = 1`` with ``BREAK`` and ``CONTINUE``. And what SQL Server does that
the targets did not:

- ``TRY_CAST`` or ``TRY_CONVERT`` of text holding an integer beyond ``tinyint`` or
  ``smallint`` is NULL (the targets gave the number, or PostgreSQL stopped);
- ``CAST`` of such text stops with error 244 (``tinyint``, ``smallint``: the targets gave the
  number) or, beyond ``int``, 248 (the targets stopped in other words);
- ``ALTER TABLE #t ADD c INT DEFAULT 0`` leaves the rows already there NULL in a column that
  allows NULL (unless ``WITH VALUES``, which was not read): the targets gave them the default.
"""

from __future__ import annotations

import functools
import re

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db
from test_tsql_analyst_scripts import _table
from test_tsql_linkage_and_fixed_width_scripts import _values

from leo_synth.tsql.errors import ScriptError

SCRIPTS = {
    "days_employed_per_tax_year_clipped_in_a_while_loop": """
SET NOCOUNT ON
DECLARE @ty INT = 201415, @start DATE, @end DATE
CREATE TABLE #days (TaxYear INT NOT NULL, EduKey VARCHAR(14), days_employed INT)
WHILE @ty <= 201920
BEGIN
  SET @start = DATEFROMPARTS(@ty / 100, 4, 6)
  SET @end = DATEFROMPARTS(@ty / 100 + 1, 4, 5)
  INSERT INTO #days
  SELECT @ty, EduKey,
    SUM(DATEDIFF(day, CASE WHEN StartDate < @start THEN @start ELSE StartDate END,
                      CASE WHEN EndDate > @end THEN @end ELSE EndDate END) + 1)
  FROM [LEO_i2].[2002237].[leo_employment]
  WHERE StartDate <= @end AND EndDate >= @start
  GROUP BY EduKey
  RAISERROR('%d: %d people', 0, 1, @ty, @@ROWCOUNT) WITH NOWAIT
  SET @ty = @ty + 101
END
SELECT TaxYear, COUNT(*) AS people, AVG(days_employed) AS mean_days,
  MAX(days_employed) AS max_days, SUM(CASE WHEN days_employed > 366 THEN 1 ELSE 0 END) AS overlaps,
  ROUND(STDEV(days_employed), 2) AS sd, ROUND(VAR(days_employed), 0) AS v
FROM #days GROUP BY TaxYear ORDER BY TaxYear
""",
    "merged_employment_spells_and_pay_per_day": """
SET NOCOUNT ON
;WITH s AS (
  SELECT EduKey, StartDate,
    CASE WHEN EndDate > '2021-04-05' THEN CAST('2021-04-05' AS DATE) ELSE EndDate END AS EndDate
  FROM [LEO_i2].[2002237].[leo_employment]
), m AS (
  SELECT *, MAX(EndDate) OVER (PARTITION BY EduKey ORDER BY StartDate, EndDate
                               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_max
  FROM s
), f AS (
  SELECT *, CASE WHEN prev_max IS NULL OR StartDate > DATEADD(day, 1, prev_max)
                 THEN 1 ELSE 0 END AS is_new
  FROM m
), g AS (
  SELECT *, SUM(is_new) OVER (PARTITION BY EduKey ORDER BY StartDate, EndDate
                              ROWS UNBOUNDED PRECEDING) AS grp
  FROM f
)
SELECT EduKey, grp, MIN(StartDate) AS StartDate, MAX(EndDate) AS EndDate, COUNT(*) AS spells
INTO #merged FROM g GROUP BY EduKey, grp
CREATE CLUSTERED INDEX cx ON #merged (EduKey, StartDate)
DECLARE @y INT = 2014
CREATE TABLE #ty (TaxYear INT, people INT, days BIGINT, mean_days INT, full_year INT)
WHILE @y <= 2019
BEGIN
  INSERT INTO #ty
  SELECT @y * 100 + (@y + 1) % 100, COUNT(DISTINCT EduKey), SUM(d), AVG(d),
    SUM(CASE WHEN d >= 365 THEN 1 ELSE 0 END)
  FROM (SELECT EduKey, SUM(DATEDIFF(day,
          CASE WHEN StartDate < DATEFROMPARTS(@y, 4, 6) THEN DATEFROMPARTS(@y, 4, 6)
               ELSE StartDate END,
          CASE WHEN EndDate > DATEFROMPARTS(@y + 1, 4, 5) THEN DATEFROMPARTS(@y + 1, 4, 5)
               ELSE EndDate END) + 1) AS d
        FROM #merged
        WHERE StartDate <= DATEFROMPARTS(@y + 1, 4, 5) AND EndDate >= DATEFROMPARTS(@y, 4, 6)
        GROUP BY EduKey) x
  SET @y += 1
END
SELECT t.*, e.earners, e.median_pay,
  CAST(CAST(e.total_pay AS DECIMAL(14, 2)) / NULLIF(t.days, 0) AS DECIMAL(10, 4)) AS pay_per_day
FROM #ty t
LEFT JOIN (SELECT DISTINCT TaxYear, COUNT(*) OVER (PARTITION BY TaxYear) AS earners,
             PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY Earnings)
               OVER (PARTITION BY TaxYear) AS median_pay,
             SUM(CAST(Earnings AS BIGINT)) OVER (PARTITION BY TaxYear) AS total_pay
           FROM [LEO_i2].[2002237].[leo_earnings] WHERE Earnings > 0) e ON e.TaxYear = t.TaxYear
ORDER BY t.TaxYear
""",
    "highest_ilr_aim_by_cross_apply_with_aim_references_taken_apart": """
SET NOCOUNT ON
SELECT l.external_id, l.learner_id, l.Sex, l.AcAge, top1.learning_aim_id,
  top1.Notional_Level_v2 AS lvl, top1.outcome,
  CHARINDEX('0', top1.learning_aim_id) AS first_zero, SUBSTRING(top1.learning_aim_id, 4, 3) AS mid,
  PATINDEX('%[0-9]%', top1.learning_aim_id) AS first_digit,
  TRY_CAST(SUBSTRING(top1.learning_aim_id, 4, 5) AS INT) AS aim_number,
  TRY_CAST(RIGHT(top1.learning_aim_id, 3) AS TINYINT) AS aim_tail,
  oa.achieved, oa.aims
FROM [LILR_i2].[2002237].[learners] l
CROSS APPLY (SELECT TOP 1 a.learning_aim_id, a.Notional_Level_v2, a.outcome
             FROM [LILR_i2].[2002237].[aims] a WHERE a.external_id = l.external_id
             ORDER BY a.Notional_Level_v2 DESC, a.start_date, a.sequence_index) top1
OUTER APPLY (SELECT SUM(CASE WHEN a2.outcome = 1 THEN 1 ELSE 0 END) AS achieved,
               STRING_AGG(a2.QualificationType, ',') WITHIN GROUP (ORDER BY a2.sequence_index)
                 AS aims
             FROM [LILR_i2].[2002237].[aims] a2 WHERE a2.external_id = l.external_id) oa
WHERE l.Year = '2015'
ORDER BY l.learner_id, l.external_id
""",
    "paye_and_self_assessment_joined_by_update_from": """
SET NOCOUNT ON
SELECT Edukey, TaxYear, Earnings INTO #e
FROM [LEO_i2].[2002237].[leo_earnings] WHERE TaxYear BETWEEN 201516 AND 201819
CREATE INDEX ix_e ON #e (Edukey, TaxYear)
ALTER TABLE #e ADD se INT, total INT, band VARCHAR(20)
UPDATE e SET se = s.EARNINGS_SELF_EMPLOYMENT
FROM #e e JOIN [LEO_i2].[2002237].[leo_self_assessment] s
  ON s.Edukey = e.Edukey AND s.TaxYear = e.TaxYear
PRINT CONCAT('updated ', @@ROWCOUNT)
UPDATE #e SET total = Earnings + ISNULL(se, 0)
UPDATE e SET band = CASE WHEN total < 10000 THEN 'low' WHEN total < 30000 THEN 'mid'
                         ELSE 'high' END
FROM #e AS e
DELETE e FROM #e e WHERE e.total = 0
EXEC sp_rename '#e.band', 'pay_band', 'COLUMN'
DECLARE @n INT, @caught VARCHAR(200)
BEGIN TRY
  SELECT @n = SUM(total * 100) FROM #e
END TRY
BEGIN CATCH
  SET @caught = CONCAT(ERROR_NUMBER(), ': ', ERROR_MESSAGE())
END CATCH
SELECT TaxYear, pay_band, COUNT(*) AS n, AVG(total) AS mean, SUM(CAST(total AS BIGINT)) AS s,
  ROUND(AVG(CAST(total AS FLOAT)), -3) AS r1000, CAST(AVG(total) AS DECIMAL(12, 2)) / 12 AS monthly,
  ROUND(SUM(total), -3) AS rs, COUNT(se) AS with_se, @caught AS caught
FROM #e GROUP BY TaxYear, pay_band ORDER BY TaxYear, pay_band
""",
    "self_employment_per_tax_year_by_while_with_break_and_continue": """
SET NOCOUNT ON
DECLARE @ty INT = 201314, @label VARCHAR(7)
IF OBJECT_ID('tempdb..#se') IS NOT NULL DROP TABLE #se
CREATE TABLE #se (TaxYear INT, label CHAR(7), n_self INT, n_paye INT, n_both INT,
                  mean_se DECIMAL(12, 2), median_se FLOAT)
WHILE 1 = 1
BEGIN
  IF @ty > 202021 BREAK
  SET @label = LEFT(CAST(@ty AS CHAR(6)), 4) + '/' + RIGHT(@ty, 2)
  IF @ty = 201617 BEGIN SET @ty += 101 CONTINUE END
  INSERT INTO #se (TaxYear, label, n_self, n_paye, n_both, mean_se)
  SELECT @ty, @label, COUNT(DISTINCT s.Edukey),
    (SELECT COUNT(DISTINCT Edukey) FROM [LEO_i2].[2002237].[leo_earnings]
     WHERE TaxYear = @ty AND Earnings > 0),
    COUNT(DISTINCT CASE WHEN e.Edukey IS NOT NULL THEN s.Edukey END),
    AVG(CAST(s.EARNINGS_SELF_EMPLOYMENT AS DECIMAL(12, 2)))
  FROM [LEO_i2].[2002237].[leo_self_assessment] s
  LEFT JOIN [LEO_i2].[2002237].[leo_earnings] e
    ON e.Edukey = s.Edukey AND e.TaxYear = s.TaxYear AND e.Earnings > 0
  WHERE s.TaxYear = @ty AND s.Self_Employed = '1'
  SET @ty += 101
END
UPDATE t SET median_se = p.med
FROM #se t
JOIN (SELECT DISTINCT TaxYear, PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY EARNINGS_SELF_EMPLOYMENT)
        OVER (PARTITION BY TaxYear) AS med
      FROM [LEO_i2].[2002237].[leo_self_assessment] WHERE Self_Employed = 1) p
  ON p.TaxYear = t.TaxYear
SELECT label, n_self, n_paye, n_both, mean_se, median_se,
  CAST(n_both * 100.0 / NULLIF(n_self, 0) AS DECIMAL(4, 1)) AS pct_both,
  '[' + label + ']' AS bracketed, LEN(label) AS l, DATALENGTH(label) AS dl
FROM #se ORDER BY TaxYear
""",
}
"""Scripts as analysts write them, each ending in a result set that ``ORDER BY`` fixes."""


_on_sqlite = functools.cache(lambda db, text: tuple(_table(db, text)))


def printed_as_on_sqlite(request: pytest.FixtureRequest, backend: str, small_sqlite,
                         text: str) -> None:
    """Script ``text`` prints SQLite's table on ``backend``, and gives rows."""
    expected = _on_sqlite(str(small_sqlite[0]), text)
    assert len(expected) > 4 and tuple(_table(_db(request, backend), text)) == expected
"""The table ``leo-synth sql`` prints for a script on the SQLite file ``db``, made once."""


@pytest.mark.parametrize("name", sorted(SCRIPTS))
@pytest.mark.parametrize("backend", BACKENDS)
def test_fe_benefit_and_hmrc_scripts_print_the_same_table_on_every_backend(
        backend: str, name: str, request: pytest.FixtureRequest, small_sqlite) -> None:
    printed_as_on_sqlite(request, backend, small_sqlite, SCRIPTS[name])


CODES = """CREATE TABLE #c (code VARCHAR(10))
INSERT INTO #c VALUES ('12'), ('300'), ('-1'), (' 255 '), ('40000'), ('-32768'), (''), ('x'),
  ('3000000000')
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_try_cast_of_text_beyond_a_small_integer_type_is_null(
        backend: str, request: pytest.FixtureRequest) -> None:
    # SQLite gave 300 for TINYINT and 40000 for SMALLINT, DuckDB and PostgreSQL 300 and -1
    # for TINYINT (a SMALLINT there), and PostgreSQL stopped at TRY_CONVERT(SMALLINT, '-40000')
    rows = _values(_db(request, backend), CODES + """SELECT code, TRY_CAST(code AS TINYINT) AS t,
  TRY_CONVERT(SMALLINT, code) AS s, TRY_CAST(code AS INT) AS i
FROM #c ORDER BY code""")
    assert rows == [("", 0, 0, 0), (" 255 ", 255, 255, 255), ("-1", None, -1, -1),
                    ("-32768", None, -32768, -32768), ("12", 12, 12, 12), ("300", None, 300, 300),
                    ("3000000000", None, None, None), ("40000", None, None, 40000),
                    ("x", None, None, None)]
    assert _values(_db(request, backend), """SELECT TRY_CAST('256' AS TINYINT) AS a,
  TRY_CONVERT(TINYINT, '-1') AS b, TRY_CONVERT(SMALLINT, '-40000') AS c,
  TRY_CAST('32767' AS SMALLINT) AS d""") == [(None, None, None, 32767)]


def _overflowed(text: str, kind: str) -> str:
    ending = "an int column." if kind == "int" else (
        f"an {kind} column. Use a larger integer column.")
    return f"The conversion of the varchar value '{text}' overflowed {ending}"


@pytest.mark.parametrize("statement, number, said", [
    ("SELECT CAST(code AS TINYINT) AS t FROM #c WHERE code = '300'", 244,
     _overflowed("300", "INT1")),
    ("SELECT CAST(code AS TINYINT) AS t FROM #c WHERE code = '-1'", 244,
     _overflowed("-1", "INT1")),
    ("SELECT CONVERT(SMALLINT, code) AS s FROM #c WHERE code = '40000'", 244,
     _overflowed("40000", "INT2")),
    ("SELECT CAST(code AS INT) AS i FROM #c WHERE code = '3000000000'", 248,
     _overflowed("3000000000", "int")),
    ("SELECT CONVERT(SMALLINT, '40000') AS s", 244, _overflowed("40000", "INT2")),
    ("SELECT CAST('300' AS TINYINT) AS t", 244, _overflowed("300", "INT1")),
    ("SELECT CAST('3000000000' AS INT) AS i", 248, _overflowed("3000000000", "int")),
])
@pytest.mark.parametrize("backend", BACKENDS)
def test_cast_of_text_beyond_an_integer_type_stops_with_sql_servers_error(
        backend: str, statement: str, number: int, said: str,
        request: pytest.FixtureRequest) -> None:
    # the targets gave 300, -1 and 40000; beyond INT SQLite and PostgreSQL said error 8115,
    # DuckDB error 245 (SQL Server: 248)
    db = _db(request, backend)
    with pytest.raises(ScriptError, match=re.escape(said)):
        _values(db, CODES + statement)
    caught = _values(db, CODES + f"""BEGIN TRY
  {statement}
END TRY
BEGIN CATCH
  SELECT ERROR_NUMBER() AS n, ERROR_MESSAGE() AS m
END CATCH""")
    assert caught == [(number, said)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_cast_of_text_within_the_small_integer_types_still_runs(
        backend: str, request: pytest.FixtureRequest) -> None:
    rows = _values(_db(request, backend), CODES + """SELECT CAST(code AS TINYINT) AS t,
  CAST(code AS SMALLINT) AS s, CONVERT(INT, code) AS i, CAST('255' AS TINYINT) AS top
FROM #c WHERE code IN ('12', ' 255 ', '') ORDER BY t""")
    assert rows == [(0, 0, 0, 255), (12, 12, 12, 255), (255, 255, 255, 255)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_column_added_with_a_default_is_null_in_the_rows_already_there(
        backend: str, request: pytest.FixtureRequest) -> None:
    # SQL Server stores the default in existing rows only for a NOT NULL column or WITH
    # VALUES; every target stored it in them all (1 and 2 held 1, 3 and 5 below)
    db = _db(request, backend)
    rows = _values(db, """CREATE TABLE #b (k INT)
INSERT INTO #b VALUES (1), (2)
ALTER TABLE #b ADD a INT NULL DEFAULT 1
ALTER TABLE #b ADD b INT DEFAULT 3, c INT NOT NULL DEFAULT 4
ALTER TABLE #b ADD d INT CONSTRAINT df_d DEFAULT 5
ALTER TABLE #b ADD e INT NULL DEFAULT 6 WITH VALUES
ALTER TABLE #b ADD f VARCHAR(3) DEFAULT 'x';
SELECT @@ROWCOUNT AS rc INTO #rc
INSERT INTO #b (k) VALUES (3)
SELECT b.*, rc FROM #b b CROSS JOIN #rc ORDER BY k""")
    assert rows == [(1, None, None, 4, None, 6, None, 0), (2, None, None, 4, None, 6, None, 0),
                    (3, 1, 3, 4, 5, 6, "x", 0)]
