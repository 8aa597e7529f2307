"""The T-SQL practice corpus (examples/srs/) runs through `leo-synth sql` on every backend of
the suite's small extract and gives the same answers as on SQLite.

Results are compared after normalising what legitimately differs between engines: numbers as
floats to 6 significant digits (PostgreSQL's numeric, DuckDB's decimals, SQLite's floats), dates
as ISO strings (SQLite stores text, the others dates or midnight timestamps). Rows are compared
in order when the script's last statement has an ORDER BY, as sorted lists otherwise. The
DuckDB file target is, until the DuckDB writer lands, the Parquet extract copied into a
``.duckdb`` file with a schema per source database (swap in the writer's fixture then).
"""

from __future__ import annotations

import datetime as dt
import decimal
from pathlib import Path

import pytest
from conftest import ROOT

from leo_synth.tsql import blocks
from leo_synth.tsql.command import run_text

CORPUS = sorted((ROOT / "examples" / "srs").glob("*.sql"))
TARGETS = [pytest.param("small_parquet", id="parquet"),
           pytest.param("duckdb_from_parquet", id="duckdb"),
           pytest.param("small_duckdb", id="duckdb-extract"),
           pytest.param("srs_postgres", id="postgres", marks=pytest.mark.postgres)]
_baseline: dict[Path, tuple] = {}


@pytest.fixture(scope="session")
def duckdb_from_parquet(small_parquet: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DuckDB file holding the small extract, one schema per source database."""
    import duckdb

    path = tmp_path_factory.mktemp("duckdb") / "leo.duckdb"
    with duckdb.connect(str(path)) as connection:
        for file in sorted(small_parquet.glob("*/*.parquet")):
            schema = file.parent.name
            connection.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
            connection.execute(f'CREATE TABLE "{schema}"."{file.stem}" AS '
                               f"SELECT * FROM read_parquet('{file}')")
    return path


@pytest.fixture()
def srs_postgres(small_postgres_loaded: str) -> str:
    return small_postgres_loaded


def _value(value: object) -> object:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float | decimal.Decimal):
        return float(f"{float(value):.6g}")
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _ordered(text: str) -> bool:
    return blocks.read(text)[-1].tree.args.get("order") is not None


def answer(path: Path, db: str) -> tuple[list[str], list[tuple]]:
    """The script's last result set, normalised for comparison across engines."""
    text = path.read_text(encoding="utf-8")
    result = run_text(db, text, "tsql", None, False)[-1]
    rows = [tuple(_value(v) for v in row) for row in result.rows]
    if not _ordered(text):
        rows.sort(key=repr)
    return result.columns, rows


def _sqlite_answer(path: Path, small_sqlite) -> tuple[list[str], list[tuple]]:
    if path not in _baseline:
        _baseline[path] = answer(path, str(small_sqlite[0]))
    return _baseline[path]


def test_the_corpus_is_large_and_documented() -> None:
    assert len(CORPUS) >= 30
    for path in CORPUS:
        header = path.read_text(encoding="utf-8").splitlines()[:8]
        assert header[0].startswith("-- "), path.name
        assert any(line.startswith("-- Answers:") for line in header), path.name
        assert any(line.startswith("-- Relations:") for line in header), path.name


def test_most_corpus_queries_answer_on_the_small_extract(small_sqlite) -> None:
    empty = [p.name for p in CORPUS if not _sqlite_answer(p, small_sqlite)[1]]
    assert len(empty) <= len(CORPUS) // 10, f"empty results: {empty}"


def test_no_corpus_answer_has_a_column_of_nulls(small_sqlite) -> None:
    """A column NULL in every row of an example's answer reads a column the extract leaves
    empty in the years asked for (2013/14's KS4 measures are the `_PTQ` columns, not the
    legacy ones): a practice script would teach the wrong column."""
    empty = []
    for path in CORPUS:
        columns, rows = _sqlite_answer(path, small_sqlite)
        empty += [f"{path.name}: {name}" for i, name in enumerate(columns)
                  if rows and all(row[i] is None for row in rows)]
    assert not empty, f"columns NULL in every row: {empty}"


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
@pytest.mark.parametrize("target", TARGETS)
def test_every_backend_gives_the_sqlite_answer(path: Path, target: str, small_sqlite,
                                               request: pytest.FixtureRequest) -> None:
    db = request.getfixturevalue(target)
    assert answer(path, str(db)) == _sqlite_answer(path, small_sqlite)
