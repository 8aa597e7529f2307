"""`leo-synth sql`: a ``*`` over a derived table or CTE whose column is named as an extract
column but made another way, and a #temp table's ``DATETIME`` column copied from one, on
every backend, as SQL Server reads them."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows

from leo_synth.tsql.command import run_text

BENEFIT = "[LEO_i2].[2002237].[leo_benefit]"
SHIFTED = (f"(SELECT DATEADD(hour, 6, CAST(StartDate AS DATETIME)) AS StartDate, EduKey "
           f"FROM {BENEFIT})")
"""A derived table whose ``StartDate`` is a ``DATETIME`` (the extract's is a ``DATE``)."""
FIRST = "ORDER BY d.EduKey, d.StartDate"


def _result(db: str, text: str) -> tuple[list[str], list[tuple]]:
    result = run_text(db, text, "tsql", None, False)[-1]
    return result.columns, [tuple(str(v) for v in row) for row in result.rows]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_star_beside_a_derived_datetime_keeps_its_type_and_heading(
        backend: str, request: pytest.FixtureRequest) -> None:
    # d.StartDate + 1 is the next day at 06:00 (beside b.*, SQLite added 1 to the year of the
    # extract's DATE and DuckDB stopped; beside *, the heading was StartDate_leo_1)
    db = _db(request, backend)
    next_day = "CONVERT(VARCHAR(23), d.StartDate + 1, 121) AS next_day"
    columns, [row] = _result(db, f"SELECT TOP 1 {next_day}, b.* FROM {SHIFTED} d JOIN "
                                 f"{BENEFIT} b ON b.EduKey = d.EduKey {FIRST}, b.StartDate")
    assert columns[:3] == ["next_day", "EduKey", "StartDate"]
    assert row[0].endswith(" 06:00:00.000")
    columns, [row] = _result(db, f"SELECT TOP 1 {next_day}, * FROM {SHIFTED} d {FIRST}")
    assert columns == ["next_day", "StartDate", "EduKey"]
    assert row[0].endswith(" 06:00:00.000")
    assert _rows(db, f"SELECT TOP 1 CONVERT(VARCHAR(16), d.StartDate, 120), * FROM {SHIFTED} d "
                     f"{FIRST}")[0][0].endswith(" 06:00")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_star_into_a_temp_table_names_the_columns_as_the_script_does(
        backend: str, request: pytest.FixtureRequest) -> None:
    # (the #temp table's column was StartDate_leo_1, so reading StartDate stopped with
    # "Invalid column name 'StartDate'. (did you mean StartDate_leo_1?)")
    db = _db(request, backend)
    columns, [row] = _result(db, f"""SELECT TOP 1 *, d.StartDate + 1 AS n INTO #t
FROM {SHIFTED} d {FIRST};
SELECT CONCAT('at ', StartDate) AS at, CONVERT(VARCHAR(19), n, 120) AS n FROM #t""")
    assert columns == ["at", "n"]
    assert row[0].endswith(" 6:00AM") and row[1].endswith(" 06:00:00")


@pytest.mark.parametrize("backend", BACKENDS)
def test_concat_writes_a_temp_datetime_named_as_an_extract_date_in_style_0(
        backend: str, request: pytest.FixtureRequest) -> None:
    # a #temp table's DATETIME column passed through a derived table is still a DATETIME:
    # CONCAT writes it as 'Jan 24 2013  6:00AM' (it wrote the ISO text, and a column named as
    # the extract's DATE StartDate lost its type inside CONCAT)
    db = _db(request, backend)
    for name in ("StartDate", "moved"):
        [(joined, plus)] = _rows(db, f"""SELECT TOP 1 d.StartDate AS {name} INTO #t
FROM (SELECT CAST('2013-01-24 06:00' AS DATETIME) AS StartDate) d;
SELECT CONCAT('at ', {name}), 'at ' + CAST({name} AS VARCHAR(20)) FROM #t;
DROP TABLE #t""")
        assert joined == plus == "at Jan 24 2013  6:00AM"
