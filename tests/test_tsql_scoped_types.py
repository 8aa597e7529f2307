"""`leo-synth sql`: a column a derived table or CTE makes is of the type of what makes it, on
every backend, though a table of the extract has a column of its name of another type."""

from __future__ import annotations

import pytest
from test_srs_corpus import _value, duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows

BENEFIT = "[LEO_i2].[2002237].[leo_benefit]"
EMPLOYMENT = "[LEO_i2].[2002237].[leo_employment]"


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_derived_column_named_as_an_extract_column_has_its_own_type(
        backend: str, request: pytest.FixtureRequest) -> None:
    # leo_benefit's StartDate is a DATE and Benefit_type text: a derived table's StartDate
    # cast to DATETIME takes a day added (SQLite added 1 to the year, DuckDB and PostgreSQL
    # stopped), and its Benefit_type made of an int adds as one (DuckDB and PostgreSQL stopped)
    db = _db(request, backend)
    [(added, next_day)] = _rows(db, f"""
        SELECT TOP 1 CONVERT(VARCHAR(23), x.StartDate + 1, 121),
               CONVERT(VARCHAR(23), DATEADD(day, 1, x.StartDate), 121)
        FROM (SELECT CAST(StartDate AS DATETIME) AS StartDate FROM {BENEFIT}) x
        ORDER BY x.StartDate""")
    assert added == next_day and added.endswith(" 00:00:00.000")
    assert _rows(db, f"SELECT MAX(x.Benefit_type + 1) FROM (SELECT Out_of_work_benefit AS "
                     f"Benefit_type FROM {BENEFIT}) x") == [(2,)]
    # through a CTE, a second derived table and a correlated subquery, unqualified
    [(half,)] = _rows(db, f"""
        WITH c AS (SELECT EduKey, CAST(StartDate AS DATETIME) AS StartDate FROM {BENEFIT})
        SELECT TOP 1 CONVERT(VARCHAR(23), y.StartDate + 0.5, 121)
        FROM (SELECT EduKey, StartDate FROM c WHERE EXISTS (SELECT 1 FROM {EMPLOYMENT} e
              WHERE e.EduKey = c.EduKey AND e.StartDate <= c.StartDate)) y
        ORDER BY StartDate""")
    assert half.endswith(" 12:00:00.000")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_cte_column_named_as_a_date_column_but_holding_text_or_days(
        backend: str, request: pytest.FixtureRequest) -> None:
    # the CTE's EndDate (days) made EndDate an integer everywhere: the extract's EndDate
    # compared with '9999-01-01' stopped with a conversion error on every target
    db = _db(request, backend)
    assert _rows(db, f"""
        WITH x AS (SELECT TOP 5 EduKey, CONVERT(VARCHAR(10), StartDate, 103) AS StartDate,
                          DATEDIFF(day, StartDate, EndDate) AS EndDate
                   FROM {BENEFIT} WHERE EndDate < '9999-01-01' ORDER BY EduKey, StartDate)
        SELECT COUNT(*), MAX(LEN(StartDate)), MIN(EndDate + 1) FROM x
        WHERE EndDate >= 0 AND StartDate LIKE '__/__/____'""")[0][:2] == (5, 10)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_temp_tables_datetime_named_as_an_extract_date_takes_days(
        backend: str, request: pytest.FixtureRequest) -> None:
    # #t's StartDate is a DATETIME, the extract's a DATE: SQLite added 1 to the year,
    # DuckDB and PostgreSQL stopped
    db = _db(request, backend)
    [(added, next_day)] = _rows(db, f"""
        SELECT CAST(StartDate AS DATETIME) AS StartDate INTO #t FROM {BENEFIT}
        SELECT TOP 1 CONVERT(VARCHAR(23), StartDate + 1, 121),
               CONVERT(VARCHAR(23), DATEADD(day, 1, StartDate), 121)
        FROM #t ORDER BY StartDate""")
    assert added == next_day and added.endswith(" 00:00:00.000")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_temp_tables_datetime_named_as_an_extract_date_converts_in_style_0(
        backend: str, request: pytest.FixtureRequest) -> None:
    # a DATETIME converted to text without a style is 'Jan 24 2013  6:00AM' in SQL Server;
    # #o's StartDate, named as the extract's DATE, was written as ISO text (SQLite wrote
    # '1992.25' once a derived table took its text)
    db = _db(request, backend)
    [(plain, converted, derived)] = _rows(db, f"""
        CREATE TABLE #o (EduKey VARCHAR(14), StartDate DATETIME)
        INSERT INTO #o VALUES ('a', '2013-01-24 06:00')
        SELECT CAST(StartDate AS VARCHAR(30)), CONVERT(VARCHAR(20), o.StartDate),
               (SELECT StartDate FROM (SELECT CAST(StartDate AS VARCHAR(30)) AS StartDate
                                       FROM #o) z)
        FROM #o o WHERE EXISTS (SELECT 1 FROM {BENEFIT})""")
    assert plain == converted == derived == "Jan 24 2013  6:00AM"
