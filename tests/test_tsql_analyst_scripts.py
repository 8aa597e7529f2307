"""`leo-synth sql`: scripts as LEO analysts in the SRS write them (pivots of earnings by tax
year, percentiles, rollups, cohorts built in #temp tables step by step, cursors over census
years), run on every backend, their answers as SQL Server gives them and the same on each."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db

from leo_synth.tsql import output
from leo_synth.tsql.command import run_text


def _shown(db: str, text: str) -> list[list[str]]:
    """The last result set's rows as SSMS shows them, split into values."""
    return [line.split() for line in output.table(run_text(db, text, "tsql", None, False)[-1])[2:]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_remainder_of_a_temp_decimal_keeps_its_fraction(
        backend: str, request: pytest.FixtureRequest) -> None:
    # pay % 100 of a #temp DECIMAL(10, 2): SQLite stopped with error 402 ("float and int are
    # incompatible"), taking the column for a FLOAT, and its % then took 1234.50 as 1234;
    # SQL Server's remainder has the larger scale (34.50, 10 % 3.5 is 3.0)
    db = _db(request, backend)
    assert _shown(db, """CREATE TABLE #p (pmr VARCHAR(18), pay DECIMAL(10, 2), n INT)
INSERT INTO #p VALUES ('a', 1234.50, 7), ('b', -99.99, 3)
SELECT pmr, pay % 100, pay % 7.5, n % 2.5, n % 2, pay % n, 10 % 3.5 FROM #p ORDER BY pmr""") == [
        ["a", "34.50", "4.50", "2.0", "1", "2.50", "3.0"],
        ["b", "-99.99", "-2.49", "0.5", "1", "-0.99", "3.0"]]
    # the extract's decimals too (FL2Width, a numeric(12, 2))
    [[whole, part]] = _shown(db, """SELECT TOP 1 CAST(FLOOR(FL2Width) AS INT), FL2Width % 1
FROM [LILR_i2].[2002237].[aims] WHERE FL2Width IS NOT NULL ORDER BY FL2Width DESC""")
    assert whole.isdigit() and part.startswith("0.") and len(part) == 4
