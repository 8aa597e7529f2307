"""An error SQL Server finds as it compiles a statement (a column or table that is not there,
a column not grouped) is not caught by a ``CATCH`` block beside it: the script stops, as the
SRS's batch does; in dynamic SQL the statement is compiled a level below, and is caught."""

from __future__ import annotations

import re

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db

from leo_synth.tsql.command import run_text
from leo_synth.tsql.errors import ScriptError

NOT_CAUGHT = "(a CATCH block does not catch this error in SQL Server"
YEAR_LOAD = """CREATE TABLE #ex (pmr VARCHAR(30), category VARCHAR(5))
BEGIN TRY
    INSERT INTO #ex SELECT PupilMatchingRefAnonymous_ex04, Category_ex04
    FROM [NPD_i2].[2002237].[exclusions_2004]
END TRY
BEGIN CATCH
    PRINT ERROR_MESSAGE()
END CATCH
SELECT COUNT(*) FROM #ex"""


def _rows(db: str, text: str) -> list[tuple]:
    return [tuple(row) for row in run_text(db, text, "tsql", None, False)[-1].rows]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_year_whose_view_lacks_the_column_stops_the_script(
        backend: str, request: pytest.FixtureRequest) -> None:
    # the old exclusions have no Category_ex04: the CATCH block ran and the script went on
    # with an empty table, where the SRS stops the batch
    db = _db(request, backend)
    with pytest.raises(ScriptError, match=re.escape(NOT_CAUGHT)) as raised:
        _rows(db, YEAR_LOAD)
    assert raised.value.number == 207
    assert "Invalid column name 'Category_ex04'." in str(raised.value)


@pytest.mark.parametrize("backend", BACKENDS)
def test_compile_errors_beside_a_try_block_are_not_caught(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    for statement, number in [("SELECT COUNT(*) FROM #nosuch", 208),
                              ("SELECT Benefit_type, COUNT(*) FROM [LEO_i2].[2002237]."
                               "[leo_benefit]", 8120)]:
        with pytest.raises(ScriptError, match=re.escape(NOT_CAUGHT)) as raised:
            _rows(db, f"BEGIN TRY {statement} END TRY BEGIN CATCH SELECT 0 END CATCH")
        assert raised.value.number == number, statement
    # in a TRY block inside another, too: the outer CATCH block does not run either
    with pytest.raises(ScriptError, match=re.escape(NOT_CAUGHT)):
        _rows(db, """BEGIN TRY
    BEGIN TRY SELECT nosuch FROM [LEO_i2].[2002237].[leo_benefit] END TRY
    BEGIN CATCH SELECT 1 END CATCH
END TRY
BEGIN CATCH SELECT 2 END CATCH""")


@pytest.mark.parametrize("backend", BACKENDS)
def test_dynamic_sql_is_compiled_a_level_below_and_caught(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _rows(db, """BEGIN TRY
    EXEC ('SELECT nosuch FROM [LEO_i2].[2002237].[leo_benefit]')
END TRY
BEGIN CATCH SELECT ERROR_NUMBER(), ERROR_MESSAGE() END CATCH""") == [
        (207, "Invalid column name 'nosuch'.")]
    assert _rows(db, """DECLARE @sql NVARCHAR(200) = N'SELECT COUNT(*) FROM #nosuch'
BEGIN TRY EXEC sp_executesql @sql END TRY
BEGIN CATCH SELECT ERROR_NUMBER() END CATCH""") == [(208,)]
    # an error as the statement runs is caught beside it, as before
    assert _rows(db, """BEGIN TRY SELECT CAST('NK' AS INT) END TRY
BEGIN CATCH SELECT ERROR_NUMBER() END CATCH""") == [(245,)]
