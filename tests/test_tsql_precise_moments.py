"""`leo-synth sql`: ``SYSDATETIME()`` and ``SYSUTCDATETIME()`` are ``DATETIME2(7)``, written
and shown with seven places, on every backend, and ``GETDATE()`` and ``GETUTCDATE()`` stay
``DATETIME``s with three (sqlglot read ``SYSDATETIME()`` as ``GETDATE()``). Only the shape
of the moment is tested, never its value."""

from __future__ import annotations

import re

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db

from leo_synth.tsql import output
from leo_synth.tsql.command import run_text

MOMENT = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{%d}"


@pytest.mark.parametrize("backend", BACKENDS)
def test_sysdatetime_has_seven_places_and_getdate_three(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    [result] = run_text(db, """SELECT CONVERT(VARCHAR(30), SYSDATETIME(), 121),
    CONVERT(VARCHAR(30), SYSUTCDATETIME(), 121), CAST(SYSDATETIME() AS VARCHAR(30)),
    CONVERT(VARCHAR(30), GETDATE(), 121), CONVERT(VARCHAR(30), GETUTCDATE(), 121),
    SYSDATETIME(), SYSUTCDATETIME(), GETDATE(), GETUTCDATE()""", "tsql", None, False)
    shown = [output.cell(value) for value in result.rows[0]]
    places = [7, 7, 7, 3, 3, 7, 7, 3, 3]
    assert [bool(re.fullmatch(MOMENT % n, text)) for n, text in zip(places, shown,
                                                                    strict=True)] == [
        True] * len(places), shown

