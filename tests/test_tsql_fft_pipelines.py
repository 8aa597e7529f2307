"""`leo-synth sql`: what FFT-style pipelines (employment spells merged per person, earnings
summed per person and tax year) meet, as SQL Server gives it, on every backend."""

from __future__ import annotations

import re

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows

from leo_synth.tsql import output
from leo_synth.tsql.command import run_text
from leo_synth.tsql.errors import ScriptError


def _shown(db: str, text: str) -> list[list[str]]:
    """The last result set's rows as SSMS shows them, split into values."""
    return [line.split() for line in output.table(run_text(db, text, "tsql", None, False)[-1])[2:]]


EARNINGS = """CREATE TABLE #earn (person INT, tax_year_end INT, earnings DECIMAL(12, 2))
INSERT INTO #earn (person, tax_year_end, earnings)
SELECT 1, LEFT(TaxYear, 4) + 1, SUM(CASE WHEN Earnings > 0 THEN Earnings ELSE 0 END)
FROM leo_earnings WHERE TaxYear = 201516 GROUP BY LEFT(TaxYear, 4)
INSERT INTO #earn VALUES (1, 2017, 5), (1, 2018, 7.5)
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_temp_decimal_named_as_an_extract_integer_keeps_its_places(
        backend: str, request: pytest.FixtureRequest) -> None:
    # a #temp table's earnings DECIMAL(12, 2) is also leo_earnings' Earnings, an int: its
    # values, sums and averages were shown as integers on SQLite (30851020 for 30851020.00)
    db = _db(request, backend)
    [[shown_total]] = _shown(db, "SELECT SUM(Earnings) FROM leo_earnings "
                                 "WHERE TaxYear = 201516 AND Earnings > 0")
    total = int(shown_total)
    rows = _shown(db, EARNINGS + """SELECT tax_year_end, earnings, SUM(earnings) OVER () AS s,
       AVG(earnings) OVER (ORDER BY tax_year_end ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS a
FROM #earn ORDER BY tax_year_end""")
    whole = f"{int(total)}.00"
    assert [r[:2] for r in rows] == [["2016", whole], ["2017", "5.00"], ["2018", "7.50"]]
    assert rows[0][2] == f"{int(total) + 12}.50" and rows[0][3] == f"{int(total)}.000000"
    assert rows[2][3] == "6.250000"
    assert _shown(db, EARNINGS + "SELECT AVG(earnings), MAX(earnings) FROM #earn "
                                 "WHERE tax_year_end > 2016") == [["6.250000", "7.50"]]
    # the extract's Earnings in the same statement: an int there, as before
    assert _shown(db, EARNINGS + """SELECT MAX(e.Earnings) FROM leo_earnings e
WHERE e.TaxYear = 201516""")[0][0].isdigit()


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_previous_row_of_a_decimal_is_that_decimal(backend: str,
                                                       request: pytest.FixtureRequest) -> None:
    # earnings - LAG(earnings) OVER (...): SQLite showed -2.5 for SQL Server's -2.50
    db = _db(request, backend)
    assert _shown(db, """CREATE TABLE #e (y INT, pay DECIMAL(10, 2))
INSERT INTO #e VALUES (1, 10), (2, 7.5), (3, 9)
SELECT y, pay - LAG(pay) OVER (ORDER BY y), LEAD(pay, 1, 0) OVER (ORDER BY y),
       FIRST_VALUE(pay) OVER (ORDER BY y) FROM #e ORDER BY y""") == [
        ["1", "NULL", "7.50", "10.00"], ["2", "-2.50", "9.00", "10.00"],
        ["3", "1.50", "0.00", "10.00"]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_open_spells_next_day_names_the_date_type_through_a_cte(
        backend: str, request: pytest.FixtureRequest) -> None:
    # DATEADD(day, 1, prev_end) of a CTE's MAX(end_date) OVER (...), a DATE: SQL Server's
    # error 517 names a 'date' column; leo-synth said 'datetime'
    db = _db(request, backend)
    added = "Adding a value to a 'date' column caused an overflow."
    setup = """SELECT CAST(EndDate AS DATE) AS end_date, CAST(StartDate AS DATE) AS start_date
INTO #s FROM leo_employment WHERE EndDate = '9999-12-31'
"""
    for query in (
            """;WITH o AS (SELECT start_date, MAX(end_date) OVER (ORDER BY start_date
    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS prev_end FROM #s)
SELECT COUNT(*) FROM o WHERE start_date > DATEADD(DAY, 1, prev_end)""",
            "SELECT DATEADD(DAY, 1, m) FROM (SELECT MAX(end_date) AS m FROM #s) x",
            ";WITH o AS (SELECT end_date AS e FROM #s) SELECT DATEADD(DAY, 1, e) FROM o"):
        with pytest.raises(ScriptError, match=re.escape(added)):
            _rows(db, setup + query)
    # a CTE's DATETIME stays one
    with pytest.raises(ScriptError, match=re.escape(added.replace("'date'", "'datetime'"))):
        _rows(db, setup + """;WITH o AS (SELECT CAST(end_date AS DATETIME) AS e FROM #s)
SELECT DATEADD(DAY, 1, e) FROM o""")


SPELLS = """CREATE TABLE #b (k INT, s DATE, e DATE)
INSERT INTO #b VALUES (1, '2015-01-01', '2015-01-10'), (2, '2015-03-01', '2016-06-30'),
    (3, '2016-05-01', NULL)
DECLARE @years TABLE (y INT, ys DATE, ye DATE)
INSERT INTO @years VALUES (2014, '2014-04-06', '2015-04-05'), (2015, '2015-04-06', '2016-04-05'),
    (2016, '2016-04-06', '2017-04-05'), (2013, '2013-04-06', '2014-04-05')
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_applied_select_without_from_names_its_expressions(
        backend: str, request: pytest.FixtureRequest) -> None:
    # CROSS APPLY (SELECT DATEDIFF(...) + 1 AS days) d, naming an expression of the outer row
    # once: SQLite stopped ("the subquery may read the outer query only in its WHERE")
    db = _db(request, backend)
    text = SPELLS + """SELECT b.k, d.days, d.half FROM #b b
{apply} (SELECT DATEDIFF(DAY, b.s, ISNULL(b.e, '2016-12-31')) + 1 AS days, 0.5 AS half) d
WHERE d.days > 10 ORDER BY d.days"""
    for apply in ("CROSS APPLY", "OUTER APPLY"):
        assert _rows(db, text.format(apply=apply)) == [(3, 245, 0.5), (2, 488, 0.5)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_applied_subquery_reading_the_outer_query_by_ranges(
        backend: str, request: pytest.FixtureRequest) -> None:
    # the spells overlapping each tax year, by a range of the outer row's dates: SQLite
    # stopped ("the subquery may read the outer query only by equalities")
    db = _db(request, backend)
    text = SPELLS + """SELECT y.y, COUNT(x.k) AS spells, SUM(DATEDIFF(DAY,
    IIF(x.s > y.ys, x.s, y.ys), IIF(x.e < y.ye, x.e, y.ye)) + 1) AS days
FROM @years y
{apply} (SELECT bb.k, bb.s, ISNULL(bb.e, '9999-12-31') AS e FROM #b bb
             WHERE bb.s <= y.ye AND ISNULL(bb.e, '9999-12-31') >= y.ys AND bb.k > 0) x
GROUP BY y.y ORDER BY y.y"""
    assert _rows(db, text.format(apply="CROSS APPLY")) == [
        (2014, 2, 10 + 36), (2015, 1, 366), (2016, 2, 86 + 340)]
    # a year without a spell: its row, x's columns NULL (so each IIF takes the year's date)
    assert _rows(db, text.format(apply="OUTER APPLY"))[0] == (2013, 0, 365)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_truncated_tables_current_identity_is_its_seed(backend: str,
                                                         request: pytest.FixtureRequest) -> None:
    # a step table emptied with TRUNCATE before each year's rows: SQL Server's IDENT_CURRENT
    # is the seed again ("has been truncated": the seed value); leo-synth gave the last made
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #step (id INT IDENTITY(10, 5), y INT)
INSERT INTO #step (y) VALUES (2015), (2016), (2017)
DECLARE @before INT = IDENT_CURRENT('tempdb..#step')
TRUNCATE TABLE #step
DECLARE @after INT = IDENT_CURRENT('tempdb..#step')
INSERT INTO #step (y) VALUES (2018)
SELECT @before, @after, MIN(id), IDENT_CURRENT('tempdb..#step') FROM #step""") == [
        (20, 10, 10, 10)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_update_from_an_applied_subquery(backend: str, request: pytest.FixtureRequest) -> None:
    # UPDATE t SET ... FROM #t t CROSS APPLY (SELECT SUM(...) ... WHERE i.k = t.k) x: SQLite
    # stopped ("name each column of an applied subquery that aggregates")
    db = _db(request, backend)
    setup = """CREATE TABLE #t (id INT IDENTITY(1, 1), k VARCHAR(10), v INT, d DATE)
INSERT INTO #t (k, v, d) VALUES ('a', 1, '2015-01-01'), ('a', 2, '2015-03-01'),
    ('b', 5, '2016-01-01'), ('b', NULL, '2016-06-30'), ('c', 3, NULL)
"""
    after = "\nSELECT v FROM #t ORDER BY id"
    for applied, values in (
            ("CROSS APPLY (SELECT SUM(v) AS total FROM #t i WHERE i.k = t.k) x",
             [3, 3, 5, 5, 3]),
            ("OUTER APPLY (SELECT SUM(i.v) AS total FROM #t i WHERE i.k = t.k AND i.id < t.id) x",
             [None, 1, None, 5, None]),
            ("CROSS APPLY (SELECT COUNT(*) AS total FROM #t i WHERE i.d <= t.d) x",
             [1, 2, 3, 4, 0])):
        assert [r[0] for r in _rows(db, setup + "UPDATE t SET v = x.total FROM #t t "
                                    + applied + after)] == values
    assert [r[0] for r in _rows(db, setup + """UPDATE t SET v = n.days FROM #t t
CROSS APPLY (SELECT DATEDIFF(DAY, '2015-01-01', t.d) AS days) n WHERE t.d IS NOT NULL""" + after)
            ] == [0, 59, 365, 546, 3]
