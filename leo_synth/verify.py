"""Check generated outputs against their manifests, and the parts of a run against each other.

A run's manifest records, per relation, the rows it wrote and their order-independent checksum
(``leo_synth/checksum.py``): the same rows give the same checksum in any backend and any row
order, and the checksums of a run's parts add up to the whole run's. So an output copied from
another machine, a database a test suite may have changed, or the ``--part K/N`` outputs of a
run split across machines can be checked by reading their relations back:

* :func:`check_output` reads every relation of an output (SQLite, Parquet or a Dask dataset,
  DuckDB, CSV, PostgreSQL) and compares rows and checksum with its manifest (columns as the
  output holds them: a ``--request`` run keeps fewer);
* :func:`combine_parts` checks that outputs are the parts of one run (the same settings but
  the part, each part once, the blocks contiguous) and adds their manifests up to the whole
  run's;
* :func:`compare_manifests` compares per-relation rows and checksums of two manifests (the
  parts' sum with a whole run made elsewhere, or a SQLite file with a Parquet folder).

Reading back takes as long as the backend's reader (about 5 s for a 10,000-person SQLite
file, 4 s for a Parquet folder, with the checksums): checking the manifests alone is instant.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from leo_synth.checksum import Checksum, table_checksum
from leo_synth.errors import LeoSynthError
from leo_synth.secrets import redact
from leo_synth.spec.model import Catalog, Relation
from leo_synth.spec.physical import arrow_schema
from leo_synth.writers.parquet import MANIFEST_FILE, relation_file

RUN_SETTINGS = ("seed", "persons", "block_size", "iteration", "srs_project", "spec_sha256",
                "parameters_sha256", "profile", "quirk_rates", "ledger", "version")
"""The settings that make two outputs parts of one run (the part itself aside): what decides
the rows. (The libraries' versions are told apart in a problem, as they may change values.)"""


@dataclass
class Output:
    """A generated output: where it is, its kind and its manifest."""

    location: str
    kind: str
    """sqlite, parquet (also the Dask engine's dataset), duckdb, csv or postgres."""
    manifest: dict[str, Any]

    @property
    def settings(self) -> dict[str, Any]:
        return self.manifest.get("leo_synth", {})

    @property
    def shown(self) -> str:
        return redact(self.location)

    @property
    def part(self) -> dict[str, Any] | None:
        return self.settings.get("part")


@dataclass
class Finding:
    """What checking an output found: its problems (one line each) and what it holds."""

    problems: list[str] = field(default_factory=list)
    relations: int = 0
    rows: int = 0


def open_output(location: str) -> Output:
    """The output at ``location`` with its manifest; a one-line error for anything else."""
    if location.startswith(("postgresql://", "postgres://")):
        return Output(location, "postgres", _postgres_manifest(location))
    path = Path(location)
    if not path.exists():
        raise LeoSynthError(f"{location} does not exist (give a SQLite file, a Parquet, DuckDB "
                            f"or CSV folder, or a postgresql:// URL)")
    if path.is_dir():
        try:
            manifest = json.loads((path / MANIFEST_FILE).read_text())
        except (OSError, ValueError):
            raise LeoSynthError(f"{location} is not a leo-synth output: it has no readable "
                                f"{MANIFEST_FILE}") from None
        if any(path.glob("*.duckdb")):
            kind = "duckdb"
        elif (path / "load_sqlite.sql").exists():
            kind = "csv"
        else:
            kind = "parquet"
        return Output(location, kind, _checked(manifest, location))
    return Output(location, "sqlite", _sqlite_manifest(path))


def _checked(manifest: Any, location: str) -> dict[str, Any]:
    if not (isinstance(manifest, dict) and isinstance(manifest.get("leo_synth"), dict)
            and isinstance(manifest.get("relations"), dict)):
        raise LeoSynthError(f"{redact(location)} is not a leo-synth output: its manifest has "
                            f"no settings and relations")
    return manifest


def _sqlite_manifest(path: Path) -> dict[str, Any]:
    import sqlite3

    from leo_synth.writers.sqlite import MANIFEST_TABLE, connect_readonly

    try:
        with contextlib.closing(connect_readonly(path)) as conn:
            text = conn.execute(f"SELECT manifest FROM {MANIFEST_TABLE}").fetchone()[0]
        return _checked(json.loads(text), str(path))
    except (sqlite3.Error, TypeError, ValueError):
        raise LeoSynthError(f"{path} is not a leo-synth output: not a SQLite file with a "
                            f"{MANIFEST_TABLE} table") from None


def _postgres_manifest(url: str) -> dict[str, Any]:
    import psycopg

    from leo_synth.writers.postgres_safety import MANIFEST_TABLE, META_SCHEMA

    try:
        with psycopg.connect(url, connect_timeout=10) as conn:
            row = conn.execute(f'SELECT manifest FROM "{META_SCHEMA}"."{MANIFEST_TABLE}"'
                               ).fetchone()
    except psycopg.errors.UndefinedTable:
        raise LeoSynthError(f"{redact(url)} holds no leo-synth output (no "
                            f"{META_SCHEMA}.{MANIFEST_TABLE} table)") from None
    except psycopg.Error as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise LeoSynthError(f"cannot read {redact(url)}: {message}") from None
    if row is None:
        raise LeoSynthError(f"{redact(url)} holds no leo-synth output (its manifest is empty)")
    manifest = row[0] if isinstance(row[0], dict) else json.loads(row[0])
    return _checked(manifest, url)


def _column_names(output: Output, relation: Relation, conn: Any) -> list[str] | None:
    """The columns the output holds for ``relation`` (None: the relation is not there)."""
    if output.kind == "sqlite":
        rows = conn.execute(f'PRAGMA table_info("{relation.name}")').fetchall()
        return [row[1] for row in rows] or None
    if output.kind == "parquet":
        path = relation_file(Path(output.location), relation)
        if not path.exists() and path.with_suffix("").is_dir():  # a Dask dataset's folder
            files = sorted(path.with_suffix("").glob("*.parquet"))
            return pq.read_schema(files[0]).names if files else None
        return pq.read_schema(path).names if path.exists() else None
    if output.kind == "csv":
        path = _csv_path(output, relation)
        if not path.exists():
            return None
        with path.open(newline="", encoding="utf-8") as handle:
            return next(csv.reader(handle), None)
    if output.kind == "duckdb":
        import duckdb

        from leo_synth.srs_address import SrsNaming

        database, project, name = SrsNaming.from_settings(output.settings).parts(relation)
        try:
            cursor = conn.execute(f'SELECT * FROM "{database}"."{project}"."{name}" LIMIT 0')
        except duckdb.CatalogException:  # (the relation is not there)
            return None
        return [d[0] for d in cursor.description]
    rows = conn.execute("SELECT column_name FROM information_schema.columns WHERE "
                        "table_schema = %s AND table_name = %s ORDER BY ordinal_position",
                        (relation.database, relation.name.lower())).fetchall()
    return [row[0] for row in rows] or None


def _csv_path(output: Output, relation: Relation) -> Path:
    from leo_synth.writers.schema_scripts import csv_file

    return Path(output.location) / csv_file(relation)


def _read_csv(source: Path | pa.NativeFile, relation: Relation, header: bool = True
              ) -> pa.Table:
    """A relation's CSV as the CSV writer (or PostgreSQL's ``COPY ... (FORMAT csv)``) writes
    it: text quoted (an empty text as ``""``), NULL an empty field without quotes, dates in
    ISO form; read with the spec's types, the columns by position without a header."""
    import pyarrow.csv as pacsv

    schema = arrow_schema(relation)
    read = pacsv.ReadOptions() if header else pacsv.ReadOptions(column_names=schema.names)
    options = pacsv.ConvertOptions(column_types=schema, null_values=[""],
                                   strings_can_be_null=True, quoted_strings_can_be_null=False)
    return pacsv.read_csv(source, read_options=read, convert_options=options)


def _read_postgres(conn: Any, relation: Relation) -> pa.Table:
    """A relation copied out of PostgreSQL as CSV and read by Arrow (rows through Python
    objects took several times as long)."""
    names = ", ".join(f'"{c.name.lower()}"' for c in relation.columns)
    query = f'SELECT {names} FROM "{relation.database}"."{relation.name.lower()}"'
    data = bytearray()
    with conn.cursor() as cursor, cursor.copy(
            f"COPY ({query}) TO STDOUT WITH (FORMAT csv)") as copy:
        for chunk in copy:
            data += chunk
    return _read_csv(pa.BufferReader(bytes(data)), relation, header=False)


def _held(relation: Relation, names: list[str]) -> Relation:
    """The relation with the spec's columns the output holds, in the spec's order (a
    ``--request`` run keeps some); PostgreSQL folds the names to lower case."""
    present = {name.lower() for name in names}
    return replace(relation, columns=[c for c in relation.columns if c.name.lower() in present])


def _read(output: Output, relation: Relation, conn: Any) -> pa.Table:
    from leo_synth import readers

    if output.kind == "sqlite":
        return _read_sqlite(conn, relation)
    if output.kind == "parquet":
        return readers.read_parquet(Path(output.location), relation)
    if output.kind == "duckdb":
        return readers.read_duckdb(Path(output.location), relation, conn)
    if output.kind == "csv":
        return _read_csv(_csv_path(output, relation), relation)
    return _read_postgres(conn, relation)


@dataclass
class _SqliteReader:
    """A SQLite output opened read-only twice: by Python's sqlite3 (the schema; any table) and
    by ADBC, which reads a table into Arrow in C, twice as fast as rows through Python, but
    refuses a column whose values change storage class (an integer code column holding a
    text quirk): such a table is read by sqlite3."""

    lite: Any
    adbc: Any

    def execute(self, sql: str) -> Any:
        return self.lite.execute(sql)


def _read_sqlite(reader: _SqliteReader, relation: Relation) -> pa.Table:
    from leo_synth import readers
    from leo_synth.writers.sqlite_adbc import adbc_errors

    names = ", ".join(f'"{c.name}"' for c in relation.columns)
    try:
        with reader.adbc.cursor() as cursor:
            cursor.execute(f'SELECT {names} FROM "{relation.name}"')
            return cursor.fetch_arrow_table()
    except (adbc_errors()[0], OSError):  # (the mismatch comes as a plain OSError; a real
        return readers.sqlite_table(reader.lite, relation)  # I/O error recurs in sqlite3)


@contextlib.contextmanager
def _connection(output: Output) -> Iterator[Any]:
    """One connection for reading all of an output's relations (None for Parquet)."""
    if output.kind == "sqlite":
        import adbc_driver_sqlite.dbapi

        from leo_synth.writers.sqlite import connect_readonly

        path = Path(output.location)
        with contextlib.closing(connect_readonly(path)) as lite, \
                adbc_driver_sqlite.dbapi.connect(f"{path.resolve().as_uri()}?mode=ro") as adbc:
            yield _SqliteReader(lite, adbc)
    elif output.kind == "duckdb":
        from leo_synth.writers.duckdb import connect_extract

        with connect_extract(Path(output.location)) as conn:
            yield conn
    elif output.kind == "postgres":
        import psycopg

        with psycopg.connect(output.location) as conn:
            yield conn
    else:
        yield None


def check_output(output: Output, catalog: Catalog,
                 advance: Callable[[], None] | None = None) -> Finding:
    """Read every relation the manifest lists and compare its rows and checksum with it
    (``advance`` is called after each relation)."""
    listed: dict[str, dict[str, Any]] = output.manifest["relations"]
    known = {rel.name: rel for rel in catalog.relations(int(output.settings.get("iteration", 2)))}
    finding = Finding(relations=len(listed))
    with _connection(output) as conn:
        for name, recorded in listed.items():
            relation = known.get(name)
            problem = (f"{name}: not a relation of this leo-synth's specs"
                       if relation is None else _relation_problem(output, relation, recorded,
                                                                   conn, finding))
            if problem:
                finding.problems.append(problem)
            if advance:
                advance()
    return finding


def _relation_problem(output: Output, relation: Relation, recorded: dict[str, Any], conn: Any,
                      finding: Finding) -> str | None:
    where = f"{relation.qualified_name}"
    names = _column_names(output, relation, conn)
    if names is None:
        return f"{where}: missing"
    held = _held(relation, names)
    table = _read(output, held, conn)
    finding.rows += table.num_rows
    digest = table_checksum(table, arrow_schema(held))
    if table.num_rows != recorded.get("rows"):
        return (f"{where}: {table.num_rows:,} rows, the manifest says "
                f"{recorded.get('rows', 0):,}")
    if digest != recorded.get("checksum"):
        return f"{where}: the rows differ from those the run wrote (checksum {digest}, " \
               f"the manifest's {recorded.get('checksum')})"
    return None


def combine_parts(outputs: list[Output]) -> tuple[dict[str, Any], list[str]]:
    """The manifest of the whole run whose parts ``outputs`` are, and the problems that stop
    them from making it (different runs, a part missing or given twice, blocks not
    contiguous, an output that is a whole run)."""
    problems: list[str] = []
    whole = [o.shown for o in outputs if o.part is None]
    if whole:
        problems.append(f"not a part of a run (made without --part): {', '.join(whole)}")
        return {}, problems
    first = outputs[0]
    for other in outputs[1:]:
        differing = [key for key in RUN_SETTINGS
                     if other.settings.get(key) != first.settings.get(key)]
        if other.part["of"] != first.part["of"]:
            differing.append("part count")
        if differing:
            problems.append(f"{other.shown} is not a part of the same run as {first.shown} "
                            f"(they differ in {', '.join(differing)})")
    if problems:
        return {}, problems
    if len({json.dumps(o.settings.get("libraries"), sort_keys=True) for o in outputs}) > 1:
        problems.append("the parts were made with different library versions (numpy, pyarrow, "
                        "faker or Python), which may change generated values")
    count = first.part["of"]
    given: dict[int, list[Output]] = {}
    for output in outputs:
        given.setdefault(output.part["index"], []).append(output)
    for index in range(1, count + 1):
        if index not in given:
            problems.append(f"part {index} of {count} is missing")
        elif len(given[index]) > 1:
            problems.append(f"part {index} of {count} is given twice: "
                            f"{', '.join(o.shown for o in given[index])}")
    ranges = sorted(tuple(o.part["blocks"]) for o in outputs)
    for (_, stop), (start, _) in itertools.pairwise(ranges):
        if start != stop and not problems:
            problems.append(f"the parts' blocks are not contiguous ({ranges})")
    return _summed(outputs), problems


def _summed(outputs: list[Output]) -> dict[str, Any]:
    """The manifests of the parts added up: settings without the part, per relation the rows
    and the combined checksum."""
    totals: dict[str, Checksum] = {}
    for output in outputs:
        for name, recorded in output.manifest["relations"].items():
            totals.setdefault(name, Checksum()).absorb(Checksum.from_digest(recorded["checksum"]))
    settings = {key: value for key, value in outputs[0].settings.items() if key != "part"}
    return {"leo_synth": settings,
            "relations": {name: {"checksum": c.digest, "rows": c.rows}
                          for name, c in totals.items()}}


def compare_manifests(mine: dict[str, Any], theirs: dict[str, Any], shown: str) -> list[str]:
    """Where two manifests' relations differ in rows or checksum (or are in one only)."""
    problems = []
    ours, other = mine["relations"], theirs["relations"]
    for name in sorted(set(ours) | set(other)):
        if name not in other:
            problems.append(f"{name}: not in {shown}")
        elif name not in ours:
            problems.append(f"{name}: only in {shown}")
        elif ours[name]["checksum"] != other[name]["checksum"]:
            problems.append(f"{name}: {ours[name]['rows']:,} rows, {other[name]['rows']:,} in "
                            f"{shown}, and other values (the checksums differ)"
                            if ours[name]["rows"] != other[name]["rows"] else
                            f"{name}: {ours[name]['rows']:,} rows as in {shown}, but other "
                            f"values (the checksums differ)")
    return problems
