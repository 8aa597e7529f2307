"""A generated output opened for reading: its kind, its manifest, and its relations read back
as Arrow tables with the columns the output holds (``leo-synth verify``).

Each backend is read the fastest way that keeps every value as written: Parquet and CSV by
Arrow (CSV with the spec's types: text is quoted, so an empty text and a NULL stay apart),
SQLite through ADBC into Arrow (through sqlite3 for a table ADBC refuses), PostgreSQL copied
out as CSV and read by Arrow, DuckDB by its own Arrow export; a Dask dataset at an fsspec URL
(``s3://``, ``gs://``...) by Arrow through fsspec. ``leo_synth/readers.py`` reads
for the tests and reports, row by row where that is simplest.
"""

from __future__ import annotations

import contextlib
import csv
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from leo_synth.errors import LeoSynthError
from leo_synth.secrets import redact
from leo_synth.spec.model import Relation
from leo_synth.spec.physical import arrow_schema
from leo_synth.writers.parquet import MANIFEST_FILE
from leo_synth.writers.sqlite import MANIFEST_TABLE


@dataclass
class Output:
    """A generated output: where it is, its kind and its manifest."""

    location: str
    kind: str
    """sqlite, parquet (also the Dask engine's dataset), duckdb, csv or postgres."""
    manifest: dict[str, Any]
    filesystem: Any = None
    """The fsspec filesystem of a dataset at a URL (None: a local path or a database)."""
    root: str = ""
    """The dataset's path in ``filesystem``."""

    @property
    def settings(self) -> dict[str, Any]:
        return self.manifest.get("leo_synth", {})

    @property
    def shown(self) -> str:
        return redact(self.location)

    @property
    def part(self) -> dict[str, Any] | None:
        return self.settings.get("part")


def open_output(location: str) -> Output:
    """The output at ``location`` with its manifest; a one-line error for anything else."""
    from leo_synth.readers import read_manifest

    if location.startswith(("postgresql://", "postgres://")):
        return Output(location, "postgres", _postgres_manifest(location))
    location = location.removeprefix("file://")  # (a local path, as the writers read it)
    if "://" in location:
        return _dataset_at_url(location)
    path = Path(location)
    if not path.exists():
        raise LeoSynthError(f"{location} does not exist (give a SQLite file, a Parquet, DuckDB "
                            f"or CSV folder, a postgresql:// URL or a Dask dataset's URL)")
    try:
        manifest = read_manifest(path)
    except (OSError, ValueError, TypeError, sqlite3.Error):  # (no file, no table, no row)
        raise LeoSynthError(f"{location} is not a leo-synth output: it has no readable manifest "
                            f"({MANIFEST_FILE} in a folder, a table {MANIFEST_TABLE} in a "
                            f"SQLite file)") from None
    if not path.is_dir():
        kind = "sqlite"
    elif any(path.glob("*.duckdb")):
        kind = "duckdb"
    elif (path / "load_sqlite.sql").exists():
        kind = "csv"
    else:
        kind = "parquet"
    return Output(location, kind, _checked(manifest, location))


def _dataset_at_url(url: str) -> Output:
    """A Dask dataset at an fsspec URL other than a local path (the engine writes no other
    output there), with its manifest."""
    import fsspec

    shown = redact(url)
    try:
        fs, root = fsspec.core.url_to_fs(url)
        root = root.rstrip("/")
        data = fs.cat_file(f"{root}/{MANIFEST_FILE}")
    except FileNotFoundError:
        raise LeoSynthError(f"{shown} is not a leo-synth output: it has no {MANIFEST_FILE} "
                            f"(a Dask dataset's manifest, written last)") from None
    except (OSError, ValueError, ImportError) as exc:  # (unknown protocol, its package absent)
        raise LeoSynthError(f"cannot read {shown}: {_first_line(exc)}") from None
    try:
        manifest = json.loads(data)
    except ValueError:
        raise LeoSynthError(f"{shown} is not a leo-synth output: its {MANIFEST_FILE} is not "
                            f"JSON") from None
    return Output(url, "parquet", _checked(manifest, url), filesystem=fs, root=root)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _checked(manifest: Any, location: str) -> dict[str, Any]:
    if not (isinstance(manifest, dict) and isinstance(manifest.get("leo_synth"), dict)
            and isinstance(manifest.get("relations"), dict)):
        raise LeoSynthError(f"{redact(location)} is not a leo-synth output: its manifest has "
                            f"no settings and relations")
    return manifest


def _postgres_manifest(url: str) -> dict[str, Any]:
    import psycopg

    from leo_synth.readers import postgres_manifest

    try:
        with psycopg.connect(url, connect_timeout=10) as conn:
            manifest = postgres_manifest(conn)
    except psycopg.Error as exc:
        raise LeoSynthError(f"cannot read {redact(url)}: {_first_line(exc)}") from None
    if manifest is None:
        raise LeoSynthError(f"{redact(url)} holds no leo-synth output (no run manifest)")
    return _checked(manifest, url)


def column_names(output: Output, relation: Relation, conn: Any) -> list[str] | None:
    """The columns the output holds for ``relation`` (None: the relation is not there)."""
    if output.kind == "sqlite":
        rows = conn.execute(f'PRAGMA table_info("{relation.name}")').fetchall()
        return [row[1] for row in rows] or None
    if output.kind == "parquet":
        files = parquet_files(output, relation)
        return pq.read_schema(files[0], filesystem=output.filesystem).names if files else None
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


def parquet_files(output: Output, relation: Relation) -> list[str]:
    """A relation's Parquet files in block order (in ``output.filesystem`` for a dataset at a
    URL; see :func:`~leo_synth.readers.relation_files`); none when it is not there."""
    from leo_synth.readers import relation_files
    from leo_synth.writers.parquet_dataset import relation_folder

    if output.filesystem is None:
        return [str(path) for path in relation_files(Path(output.location), relation)]
    return sorted(output.filesystem.glob(f"{relation_folder(output.root, relation)}/*.parquet"))


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
    if not header and isinstance(source, pa.NativeFile) and source.size() == 0:
        return schema.empty_table()  # (a relation without rows: COPY writes nothing at all)
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


def held_columns(relation: Relation, names: list[str]) -> Relation:
    """The relation with the spec's columns the output holds, in the spec's order (a
    ``--request`` run keeps some); PostgreSQL folds the names to lower case."""
    present = {name.lower() for name in names}
    return replace(relation, columns=[c for c in relation.columns if c.name.lower() in present])


def read_relation(output: Output, relation: Relation, conn: Any) -> pa.Table:
    """The relation's ``columns`` as the output holds them (``conn`` from
    :func:`reading_connection`)."""
    from leo_synth import readers

    if output.kind == "sqlite":
        return _read_sqlite(conn, relation)
    if output.filesystem is not None:
        return pq.read_table(parquet_files(output, relation), schema=arrow_schema(relation),
                             filesystem=output.filesystem)
    if output.kind == "parquet":
        return readers.read_parquet(Path(output.location), relation)
    if output.kind == "duckdb":
        return readers.read_duckdb(Path(output.location), relation, conn)
    if output.kind == "csv":
        return _read_csv(_csv_path(output, relation), relation)
    return _read_postgres(conn, relation)


def reading_errors(output: Output) -> tuple[type[Exception], ...]:
    """What reading a relation of this output raises when the relation is damaged (Arrow's
    errors are mostly ValueError, TypeError or OSError, a cast it cannot make its own; each
    backend's own)."""
    errors: tuple[type[Exception], ...] = (OSError, ValueError, TypeError, pa.ArrowException)
    if output.kind == "sqlite":
        import sqlite3

        errors += (sqlite3.Error,)
    elif output.kind == "duckdb":
        import duckdb

        errors += (duckdb.Error,)
    elif output.kind == "postgres":
        import psycopg

        errors += (psycopg.Error,)
    return errors


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


def _read_sqlite(reader: _SqliteReader, relation: Relation, rows: str = "") -> pa.Table:
    """The relation's columns, of the ``rows`` a clause says (default: all)."""
    from leo_synth import readers
    from leo_synth.writers.sqlite_adbc import adbc_errors

    names = ", ".join(f'"{c.name}"' for c in relation.columns)
    try:
        with reader.adbc.cursor() as cursor:
            cursor.execute(f'SELECT {names} FROM "{relation.name}"{rows}')
            return cursor.fetch_arrow_table()
    except (adbc_errors()[0], OSError):  # (the mismatch comes as a plain OSError; a real
        return readers.sqlite_table(reader.lite, relation, rows)  # I/O error recurs there)


def read_sqlite_rows(reader: _SqliteReader, relation: Relation, after: int | None,
                     limit: int) -> tuple[pa.Table, int | None]:
    """At most ``limit`` rows of a SQLite relation in rowid order (the order they were
    written), those after rowid ``after`` (None: from the first), and the rowid to read on
    from (None: no rows are left)."""
    start = "" if after is None else f"rowid > {int(after)}"
    row = reader.lite.execute(f'SELECT rowid FROM "{relation.name}"'
                              f"{' WHERE ' + start if start else ''} "
                              f"ORDER BY rowid LIMIT 1 OFFSET {int(limit) - 1}").fetchone()
    bounds = [start] if start else []
    if row is not None:
        bounds.append(f"rowid <= {int(row[0])}")
    where = f" WHERE {' AND '.join(bounds)}" if bounds else ""
    return _read_sqlite(reader, relation, f"{where} ORDER BY rowid"), (
        None if row is None else int(row[0]))


@contextlib.contextmanager
def reading_connection(output: Output) -> Iterator[Any]:
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


