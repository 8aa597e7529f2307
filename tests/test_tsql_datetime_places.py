"""`leo-synth sql`: text with more than three places of a second is no ``DATETIME``, on every
backend, as in SQL Server (a ``DATETIME2`` reads seven)."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows, _texts

from leo_synth.tsql.errors import ScriptError

TOO_PRECISE = "'2015-04-06 10:00:00.1234567'"


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_datetime_reads_three_places_at_most(backend: str,
                                               request: pytest.FixtureRequest) -> None:
    # (every target read the text, cutting it to milliseconds)
    db = _db(request, backend)
    for script in (f"SELECT CAST({TOO_PRECISE} AS DATETIME)",
                   f"DECLARE @d DATETIME = {TOO_PRECISE}; SELECT @d",
                   f"SELECT CAST({TOO_PRECISE} AS SMALLDATETIME)"):
        with pytest.raises(ScriptError, match="^line 1: Conversion failed when converting date "
                                              r"and/or time from character string\. \(a "
                                              "DATETIME reads three places"):
            _rows(db, script)
    assert _texts(db, f"SELECT TRY_CAST({TOO_PRECISE} AS DATETIME), "
                      "CAST('2015-04-06 10:00:00.123' AS DATETIME), "
                      f"CAST(CAST({TOO_PRECISE} AS DATETIME2(3)) AS DATE)") == [
        ("None", "2015-04-06 10:00:00.123", "2015-04-06")]
