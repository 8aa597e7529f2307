"""A common table expression named as a relation of the extract: SQL Server reads the
relation where the name is qualified and the CTE where it is not, on every target."""

from __future__ import annotations

import re

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db

from leo_synth.tsql.command import run_text
from leo_synth.tsql.errors import ScriptError

AIMS = "[LILR_i2].[2002237].[aims]"


def _rows(request: pytest.FixtureRequest, backend: str, text: str) -> list[tuple]:
    db = _db(request, backend)
    return [tuple(row) for row in run_text(db, text, "tsql", None, False)[-1].rows]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_qualified_name_reads_the_extract_beside_a_cte_of_its_name(
        backend: str, request: pytest.FixtureRequest) -> None:
    # `WITH aims AS (SELECT ... FROM [LILR_i2].[2002237].[aims])`: SQLite stopped ("circular
    # reference: aims"), and the Parquet views counted the CTE's 5 rows for the relation's
    [(total,)] = _rows(request, backend, f"SELECT COUNT(*) FROM {AIMS}")
    [(later,)] = _rows(request, backend, f"SELECT COUNT(*) FROM {AIMS} WHERE [Year] > 2010")
    assert total > later > 5
    assert _rows(request, backend, f"""WITH aims AS (SELECT * FROM {AIMS} WHERE [Year] > 2010)
SELECT COUNT(*) FROM aims""") == [(later,)]
    assert _rows(request, backend, f"""WITH aims AS (SELECT TOP 5 * FROM {AIMS})
SELECT (SELECT COUNT(*) FROM aims) AS cte_rows, COUNT(*) AS n
FROM [2002237].aims""") == [(5, total)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_cte_reading_its_own_name_without_union_all_is_error_252(
        backend: str, request: pytest.FixtureRequest) -> None:
    # the unqualified name is the CTE itself, a recursive one without its UNION ALL: PostgreSQL
    # and DuckDB read the extract's relation, SQLite stopped in its own words
    message = ("Recursive common table expression 'spring_census_2015' does not contain a "
               "top-level UNION ALL operator.")
    with pytest.raises(ScriptError, match=re.escape(message)) as raised:
        _rows(request, backend, """WITH spring_census_2015 AS (
    SELECT PupilMatchingRefAnonymous_SPR15 AS pmr FROM spring_census_2015)
SELECT COUNT(*) FROM spring_census_2015""")
    assert raised.value.number == 252
    caught = _rows(request, backend, """BEGIN TRY
    WITH aims AS (SELECT learner_id FROM aims UNION SELECT learner_id FROM aims)
    SELECT COUNT(*) FROM aims
END TRY
BEGIN CATCH
    SELECT ERROR_NUMBER()
END CATCH""")
    assert caught == [(252,)]
