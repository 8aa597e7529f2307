"""`leo-synth sql`: the idioms researchers sample and deduplicate rows with, as SQL Server runs
them. ``SELECT TOP 10 PERCENT * ... ORDER BY NEWID()`` and ``SELECT TOP 1 WITH TIES * ...
ORDER BY ROW_NUMBER() OVER (PARTITION BY key ORDER BY year DESC)`` (each key's latest row)
stopped every backend ("name the columns"): a ``*`` over the extract's relations or a derived
table now stands for their columns. ``NEWID()`` as text is upper case (the targets' UUIDs were
lower case) and ``ISNUMERIC('\\')`` is 1 (a currency sign to SQL Server), as in SQL Server."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows

from leo_synth.tsql.command import run_text
from leo_synth.tsql.errors import ScriptError

EARNINGS = "[LEO_i2].[dbo].[leo_earnings]"


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_percentage_of_every_column_drawn_at_random(backend: str,
                                                      request: pytest.FixtureRequest) -> None:
    """The first ceil(10%) of the rows in a random order, every column kept."""
    db = _db(request, backend)
    total, columns = _rows(db, f"""SELECT COUNT(*), (SELECT COUNT(*) FROM
        INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'leo_earnings') FROM {EARNINGS}""")[0]
    result = run_text(db, f"SELECT TOP 10 PERCENT * FROM {EARNINGS} ORDER BY NEWID()",
                      "tsql", None, False)[-1]
    assert len(result.rows) == -(-total // 10) > 10 and len(result.columns) == columns > 8


@pytest.mark.parametrize("backend", BACKENDS)
def test_each_persons_latest_row_with_ties(backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    latest = _rows(db, f"""SELECT COUNT(*), COUNT(DISTINCT Edukey), MIN(TaxYear) FROM (
        SELECT TOP 1 WITH TIES * FROM {EARNINGS}
        ORDER BY ROW_NUMBER() OVER (PARTITION BY Edukey ORDER BY TaxYear DESC)) t""")
    expected = _rows(db, f"""SELECT COUNT(*), COUNT(*), MIN(last) FROM (
        SELECT Edukey, MAX(TaxYear) AS last FROM {EARNINGS} GROUP BY Edukey) t""")
    assert latest == expected and latest[0][0] > 100


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_sources_star_beside_other_columns(backend: str,
                                             request: pytest.FixtureRequest) -> None:
    """``e.*`` is the earnings' columns, in order, then the column named beside it; an
    ``ORDER BY`` position counts the columns the star stands for."""
    db = _db(request, backend)
    columns = _rows(db, """SELECT COUNT(*) FROM INFORMATION_SCHEMA.COLUMNS
        WHERE TABLE_NAME = 'leo_earnings'""")[0][0]
    result = run_text(db, f"""SELECT TOP 2 WITH TIES e.*, b.Benefit_type
        FROM {EARNINGS} e JOIN [LEO_i2].[dbo].[leo_benefit] b ON b.Edukey = e.Edukey
        ORDER BY 2, 1""", "tsql", None, False)[-1]
    assert [c.lower() for c in result.columns[:3]] == ["edukey", "taxyear", "earnings"]
    assert result.columns[-1].lower() == "benefit_type" and len(result.columns) == columns + 1
    first = min(row[1] for row in result.rows)
    assert len(result.rows) >= 2 and all(row[1] == first for row in result.rows[:2])


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_star_over_a_derived_table(backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    rows = _rows(db, f"""SELECT TOP 1 WITH TIES * FROM (SELECT Edukey, TaxYear AS y
        FROM {EARNINGS}) d ORDER BY y""")
    first = _rows(db, f"SELECT MIN(TaxYear), COUNT(*) FROM {EARNINGS} WHERE TaxYear = "
                      f"(SELECT MIN(TaxYear) FROM {EARNINGS})")[0]
    assert {row[1] for row in rows} == {first[0]} and len(rows) == first[1]


def test_a_star_over_a_table_of_the_session_is_refused_naming_the_columns(
        request: pytest.FixtureRequest) -> None:
    """A #temp table's columns are the target's to say once it runs: refused, as before."""
    with pytest.raises(ScriptError, match=r"table of the session .* name the columns"):
        run_text(_db(request, "small_sqlite"), f"""SELECT Edukey, TaxYear INTO #e FROM {EARNINGS}
            SELECT TOP 1 WITH TIES * FROM #e ORDER BY TaxYear""", "tsql", None, False)


@pytest.mark.parametrize("backend", BACKENDS)
def test_newid_as_text_is_upper_case(backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    (text, upper, length, sample), = _rows(db, """SELECT g, CASE WHEN g = UPPER(g) COLLATE
        Latin1_General_BIN THEN 1 ELSE 0 END, LEN(g), CASE WHEN ABS(CHECKSUM(NEWID())) >= 0
        THEN 1 END FROM (SELECT CAST(NEWID() AS VARCHAR(36)) AS g) t""")
    assert upper == 1 and length == 36 and sample == 1
    assert text != text.lower()  # (hex letters appear in all but 1 in 10^18 UUIDs)


@pytest.mark.parametrize("backend", BACKENDS)
def test_isnumeric_takes_a_backslash_for_a_currency_sign(backend: str,
                                                         request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _rows(db, r"""SELECT ISNUMERIC('\'), ISNUMERIC('\5'), ISNUMERIC('-\1,000'),
        ISNUMERIC('5\'), ISNUMERIC('\\'), ISNUMERIC('$')""") == [(1, 1, 1, 0, 0, 1)]
