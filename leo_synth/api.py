"""The Python API: generate an extract to a file, folder or database, or into memory.

    import leo_synth

    summary = leo_synth.generate(persons=2000, seed=7, out="out/small.sqlite",
                                 if_exists="replace")
    data = leo_synth.extract(persons=500, seed=1, tables=["leo_employment", "leo_earnings"])
    data.tables["leo_employment"]            # a pyarrow.Table
    data.to_pandas("leo_earnings")           # a pandas DataFrame
    data.duckdb().sql("select count(*) from leo_earnings").fetchall()

Both take the same settings as ``leo-synth generate`` (see its ``--help``), validated the same
way: bad values raise :class:`leo_synth.errors.LeoSynthError` with the message the command line
prints.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from leo_synth.config import RunConfig, format_of_out
from leo_synth.errors import LeoSynthError, did_you_mean
from leo_synth.spec.model import Catalog, Relation

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

RequestLike = str | PathLike[str] | Mapping[str, Any] | None
"""A variable request: a YAML file, or the same document as a mapping (``{"tables": ...}``)."""

Selector = Callable[[list[Relation]], list[Relation]]


@dataclass(frozen=True)
class GenerateSummary:
    """What :func:`generate` wrote."""

    path: str
    """The SQLite file, Parquet folder or PostgreSQL URL (without its password)."""
    format: str
    relations: dict[str, int]
    """Rows per relation, by SRS relation name, in the order written."""
    persons: int
    seed: int
    seconds: float

    @property
    def rows(self) -> int:
        """Rows over all relations."""
        return sum(self.relations.values())


@dataclass
class Extract:
    """A generated extract held in memory: one Arrow table per relation."""

    tables: dict[str, pa.Table]
    """Relation name (the SRS name, e.g. ``spring_census_2011``) -> its rows."""
    databases: dict[str, str] = field(default_factory=dict)
    """Relation name -> its source database (``npd_i2``, ``leo_i2``...)."""
    manifest: dict[str, Any] = field(default_factory=dict)
    """The run's settings and per-relation checksums, as a file output's manifest has them."""

    def to_pandas(self, name: str) -> pd.DataFrame:
        """One relation as a pandas DataFrame."""
        return self.table(name).to_pandas()

    def table(self, name: str) -> pa.Table:
        """One relation by name (case-insensitive, like SQL in the SRS)."""
        if name in self.tables:
            return self.tables[name]
        for known, table in self.tables.items():
            if known.lower() == name.lower():
                return table
        raise KeyError(f"no relation {name!r} in this extract"
                       f"{did_you_mean(name, self.tables)}")

    def duckdb(self) -> duckdb.DuckDBPyConnection:
        """A new in-memory DuckDB connection with every relation registered (no copy) under its
        SRS name, and also as ``<database>.<name>`` (``npd_i2.spring_census_2011``)."""
        import duckdb

        connection = duckdb.connect()
        for name, table in self.tables.items():
            connection.register(name, table)
        for database in sorted(set(self.databases.values())):
            connection.execute(f'CREATE SCHEMA "{database}"')
        for name, database in self.databases.items():
            connection.execute(f'CREATE VIEW "{database}"."{name}" AS SELECT * FROM "{name}"')
        return connection


def generate(persons: int = 10_000, seed: int = 42, *, request: RequestLike = None,
             format: str | None = None, out: str | PathLike[str] = "out/leo.sqlite",
             if_exists: str = "fail", workers: int | str = 1, iteration: int = 2,
             block_size: int = 5_000, parameters: str | PathLike[str] | None = None,
             progress: Callable[[int, int, int], None] | None = None,
             engine: str = "local", scheduler: str | None = None,
             relation_progress: Callable[[int, int, int], None] | None = None,
             space_check: bool = True) -> GenerateSummary:
    """Generate the extract and write it, like ``leo-synth generate``.

    ``format`` is ``sqlite`` (``out`` a file), ``parquet``, ``duckdb`` or ``csv`` (a folder)
    or ``postgres`` (a ``postgresql://`` URL); when None, the one ``out`` names (a URL,
    ``.sqlite``, ``.parquet``, ``.duckdb``, ``.csv``), else ``sqlite``. An existing output is
    replaced only with ``if_exists="replace"``.
    ``request`` narrows the run to a variable request's tables and variables. The output is
    the same for any ``workers`` (a number, or ``"auto"``: one per core, as the command line's
    default). ``progress(blocks_done, blocks_total, rows)`` is called
    after each block, ``relation_progress(results_done, results_total, rows)`` as each
    relation's rows of a block are written (a result per block and person-driven relation:
    progress within a block). ``engine="dask"`` (with ``format="parquet"``) runs the blocks as Dask
    tasks on ``scheduler`` (an address, or a LocalCluster when None) and writes a partitioned
    Parquet dataset (README "Running on a cluster"). A run whose estimated size exceeds the
    free space where it goes is refused at once, unless ``space_check=False``. Returns a
    :class:`GenerateSummary`; raises :class:`~leo_synth.errors.LeoSynthError` on bad
    settings or an unusable output.
    """
    from leo_synth.engine.generate import generate as run
    from leo_synth.engine.generate import load_checked_catalog
    from leo_synth.secrets import redact

    config = RunConfig().with_overrides(
        persons=persons, seed=seed, format=format or format_of_out(str(out)) or "sqlite",
        out=str(out), if_exists=if_exists,
        workers=workers, iteration=iteration, block_size=block_size,
        parameters=str(parameters) if parameters is not None else None, engine=engine,
        scheduler=scheduler)
    catalog = load_checked_catalog()
    summary = run(config, catalog, progress=progress, select=_request_selector(request, catalog),
                  relation_progress=relation_progress, space_check=space_check)
    return GenerateSummary(
        path=redact(summary.target) if config.format == "postgres" else summary.target,
        format=config.format, relations={rel.name: summary.rows[rel.name]
                                         for rel in summary.relations},
        persons=config.persons, seed=config.seed, seconds=summary.seconds)


def extract(persons: int = 500, seed: int = 1, tables: Iterable[str] | None = None, *,
            iteration: int = 2, request: RequestLike = None, workers: int = 1,
            block_size: int = 5_000, parameters: str | PathLike[str] | None = None
            ) -> Extract:
    """Generate an extract into memory: the relations as Arrow tables, nothing on disk.

    ``tables`` names the relations wanted, by SRS relation name (``leo_employment``,
    ``spring_census_2011``) or by table name for all of a table's relations
    (``school_census``); all relations when None. ``request`` narrows the columns as a
    variable request does. The data are those ``generate`` writes for the same settings.
    Meant for small extracts (notebooks, tests): every row is held in memory.
    """
    from leo_synth.engine.generate import generate as run
    from leo_synth.engine.generate import load_checked_catalog
    from leo_synth.writers.memory import MemoryWriter

    config = RunConfig().with_overrides(
        persons=persons, seed=seed, workers=workers, iteration=iteration,
        block_size=block_size, parameters=str(parameters) if parameters is not None else None)
    catalog = load_checked_catalog()
    narrow = _request_selector(request, catalog)
    wanted = None if tables is None else _relation_picker(catalog, iteration, list(tables))

    def select(relations: list[Relation]) -> list[Relation]:
        chosen = narrow(relations) if narrow else relations
        return [rel for rel in chosen if wanted is None or wanted(rel)]

    writer = MemoryWriter()
    summary = run(config, catalog, select=select, writer=writer)
    assert writer.manifest is not None
    return Extract(tables=writer.tables,
                   databases={rel.name: rel.database for rel in summary.relations},
                   manifest=json.loads(writer.manifest.to_json()))


def _request_selector(request: RequestLike, catalog: Catalog) -> Selector | None:
    from leo_synth.request import load_request, parse_request

    if request is None:
        return None
    if isinstance(request, Mapping):
        return parse_request(dict(request), catalog).select
    return load_request(Path(request), catalog).select


def _relation_picker(catalog: Catalog, iteration: int, names: list[str]
                     ) -> Callable[[Relation], bool]:
    """Whether a relation is among ``names`` (relation or table names, any case)."""
    relations = catalog.relations(iteration)
    by_relation = {rel.name.lower(): rel.name for rel in relations}
    by_table = {rel.table.name.lower(): rel.table.name for rel in relations}
    chosen_relations: set[str] = set()
    chosen_tables: set[str] = set()
    unknown = []
    for name in names:
        if name.lower() in by_relation:
            chosen_relations.add(by_relation[name.lower()])
        elif name.lower() in by_table:
            chosen_tables.add(by_table[name.lower()])
        else:
            unknown.append(f"{name!r}{did_you_mean(name, [*by_relation.values(), *by_table])}")
    if unknown:
        raise LeoSynthError(f"no relation or table {', '.join(unknown)} in iteration "
                            f"{iteration} (see 'leo-synth tables')")
    return lambda rel: rel.name in chosen_relations or rel.table.name in chosen_tables


def run_sql(script: str | PathLike[str], db: str | PathLike[str], *, all_results: bool = False,
            messages: Callable[[str], None] | None = None
            ) -> pd.DataFrame | list[pd.DataFrame] | None:
    """Run a T-SQL script, written as for the SRS, on a leo-synth output, as ``leo-synth sql``
    does, and return its result as a pandas DataFrame.

    ``script`` is the T-SQL itself, or a ``.sql`` file (a path object, or text naming a file
    that ends in ``.sql``; read as the command reads it: UTF-8, UTF-16 or Windows-1252).
    ``db`` is a SQLite file, a ``.duckdb`` file, a Parquet folder or a ``postgresql://`` URL;
    it is not changed (the script's tables are temporary). The last result set is returned
    (None for a script that gives none), or every one, in order, with ``all_results``; each
    DataFrame's ``attrs["line"]`` is the line of the statement that gave it. Columns are
    headed as SSMS heads them (a column without a name ``(No column name)``; a heading met
    twice gets ``_2``). ``PRINT`` and ``RAISERROR`` messages go to ``messages`` (standard
    error when None). A script that cannot be translated, or that stops, raises
    :class:`leo_synth.errors.LeoSynthError` with the line the command prints.
    """
    from leo_synth.tsql.command import read_script, run_text
    from leo_synth.tsql.output import arrow_table

    text = read_script(Path(script)) if _names_a_file(script) else str(script)
    results = run_text(str(db), text, "tsql", None, all_results, messages=messages)
    frames = []
    for result in results if all_results else results[-1:]:
        frame = arrow_table(result).to_pandas()
        frame.attrs["line"] = result.line
        frames.append(frame)
    if all_results:
        return frames
    return frames[0] if frames else None


def _names_a_file(script: str | PathLike[str]) -> bool:
    """Whether ``script`` names a script file rather than holding T-SQL (checked to exist)."""
    if isinstance(script, str) and not (script.strip().lower().endswith(".sql")
                                        and len(script.split()) == 1):
        return False
    path = Path(script)
    if not path.is_file():
        why = "no such file" if not path.exists() else "not a file"
        raise LeoSynthError(f"cannot read the script {path}: {why}")
    return True
