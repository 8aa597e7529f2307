"""A generated output opened for reading: its kind, its manifest, and its relations read back
as Arrow tables with the columns the output holds, a slice at a time (``leo-synth verify`` and
``leo-synth combine``: what they hold grows far less than the persons).

Each backend is read the fastest way that keeps every value as written: Parquet and CSV by
Arrow (CSV with the spec's types: text is quoted, so an empty text and a NULL stay apart),
SQLite through ADBC into Arrow by ranges of rowids (through sqlite3 for a slice ADBC refuses),
PostgreSQL copied out as CSV and read by Arrow as the text arrives, DuckDB by its own Arrow
export; a Dask dataset at an fsspec URL (``s3://``, ``gs://``...) by Arrow through fsspec.
``leo_synth/readers.py`` reads for the tests and reports, row by row where that is simplest.
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


def held_relation(output: Output, relation: Relation, conn: Any) -> Relation | None:
    """The relation with the spec's columns the output holds, in the spec's order (a
    ``--request`` run keeps some; PostgreSQL folds the names to lower case); None when the
    output does not hold the relation."""
    names = _column_names(output, relation, conn)
    if names is None:
        return None
    present = {name.lower() for name in names}
    return replace(relation, columns=[c for c in relation.columns if c.name.lower() in present])


def _column_names(output: Output, relation: Relation, conn: Any) -> list[str] | None:
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


def _csv_options(relation: Relation, header: bool) -> tuple[Any, Any]:
    """How the CSV writer (or PostgreSQL's ``COPY ... (FORMAT csv)``) writes a relation: text
    quoted (an empty text as ``""``), NULL an empty field without quotes, dates in ISO form;
    read with the spec's types, the columns by position without a header."""
    import pyarrow.csv as pacsv

    schema = arrow_schema(relation)
    read = (pacsv.ReadOptions(block_size=SLICE_BYTES) if header else
            pacsv.ReadOptions(column_names=schema.names, block_size=SLICE_BYTES))
    convert = pacsv.ConvertOptions(column_types=schema, null_values=[""],
                                   strings_can_be_null=True, quoted_strings_can_be_null=False)
    return read, convert


def _csv_slices(path: Path, relation: Relation) -> Iterator[pa.Table]:
    """A CSV file's rows, :data:`SLICE_BYTES` of text at a time."""
    import pyarrow.csv as pacsv

    read, convert = _csv_options(relation, header=True)
    with pacsv.open_csv(path, read_options=read, convert_options=convert) as reader:
        for batch in reader:
            yield pa.Table.from_batches([batch])


def _read_csv(source: pa.NativeFile, relation: Relation) -> pa.Table:
    """Rows of PostgreSQL's ``COPY ... TO STDOUT (FORMAT csv)`` (no header)."""
    import pyarrow.csv as pacsv

    if source.size() == 0:
        return arrow_schema(relation).empty_table()  # (COPY of no rows writes nothing at all)
    read, convert = _csv_options(relation, header=False)
    return pacsv.read_csv(source, read_options=read, convert_options=convert)


def _postgres_slices(conn: Any, relation: Relation) -> Iterator[pa.Table]:
    """A relation copied out of PostgreSQL as CSV and read by Arrow (rows through Python
    objects took several times as long), cut into slices of about :data:`SLICE_BYTES` at
    the end of a record (:func:`record_end`)."""
    names = ", ".join(f'"{c.name.lower()}"' for c in relation.columns)
    query = f'SELECT {names} FROM "{relation.database}"."{relation.name.lower()}"'
    pending = bytearray()
    with conn.cursor() as cursor, cursor.copy(
            f"COPY ({query}) TO STDOUT WITH (FORMAT csv)") as copy:
        for chunk in copy:
            pending += chunk
            if len(pending) >= SLICE_BYTES:
                cut = record_end(pending)
                if cut:
                    yield _read_csv(pa.BufferReader(bytes(pending[:cut])), relation)
                    del pending[:cut]
    if pending:
        yield _read_csv(pa.BufferReader(bytes(pending)), relation)


def record_end(text: bytes | bytearray) -> int:
    """Where the last whole record of CSV ``text`` ends (after its newline; 0: none does): a
    newline ends a record when the quotes before it are even in number (a quote inside a
    quoted value is written twice, and a value may hold a newline)."""
    end = text.rfind(b"\n")
    quotes = text.count(b'"', 0, end) if end >= 0 else 0
    while end >= 0 and quotes % 2:
        previous = text.rfind(b"\n", 0, end)
        quotes -= text.count(b'"', max(previous, 0), end)
        end = previous
    return end + 1


SLICE_CELLS = 1_000_000
"""About this many values are read at a time (rows: this over the relation's columns), and
text of PostgreSQL's and CSV's at most :data:`SLICE_BYTES` at a time: what ``verify`` and
``combine`` hold of an output is a few slices, whatever its persons. (Verifying a
1,000,000-person Parquet folder, its relations read whole, took 6.9 GB; in slices of 1 or 2
million values 0.64 or 0.76 GB, in a little less time. At 200,000 persons, slices of 4 million
values took 0.85 GB.)"""
SLICE_BYTES = 16 * 2**20
"""CSV text (a CSV file's, PostgreSQL's COPY) parsed at a time."""


def slice_rows(relation: Relation) -> int:
    """Rows of a relation read at a time (see :data:`SLICE_CELLS`)."""
    return max(1, SLICE_CELLS // max(1, len(relation.columns)))


def relation_slices(output: Output, relation: Relation, conn: Any) -> Iterator[pa.Table]:
    """The relation's ``columns`` as the output holds them (``conn`` from
    :func:`reading_connection`), a slice at a time, in the output's order (a Parquet or SQLite
    output's is the run's block order). Slices of one relation may type a column differently
    (SQLite's, read by ADBC or sqlite3): ``checksum.spec_cast`` gives them the spec's."""
    if output.kind == "sqlite":
        yield from _sqlite_slices(conn, relation)
    elif output.kind == "parquet":
        for source in parquet_files(output, relation):
            with pq.ParquetFile(source, filesystem=output.filesystem) as file:
                for batch in file.iter_batches(slice_rows(relation),
                                               columns=[c.name for c in relation.columns]):
                    yield pa.Table.from_batches([batch])
    elif output.kind == "duckdb":
        from leo_synth.readers import duckdb_query

        query = conn.sql(duckdb_query(output.settings, relation))
        for batch in query.to_arrow_reader(slice_rows(relation)):
            yield pa.Table.from_batches([batch])
    elif output.kind == "csv":
        yield from _csv_slices(_csv_path(output, relation), relation)
    else:
        yield from _postgres_slices(conn, relation)


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
    text quirk): such a slice is read by sqlite3."""

    lite: Any
    adbc: Any

    def execute(self, sql: str) -> Any:
        return self.lite.execute(sql)


def _read_sqlite(reader: _SqliteReader, relation: Relation, rows: str) -> pa.Table:
    """The relation's columns, of the ``rows`` a clause says."""
    from leo_synth import readers
    from leo_synth.writers.sqlite_adbc import adbc_errors

    names = ", ".join(f'"{c.name}"' for c in relation.columns)
    try:
        with reader.adbc.cursor() as cursor:
            cursor.execute(f'SELECT {names} FROM "{relation.name}"{rows}')
            return cursor.fetch_arrow_table()
    except (adbc_errors()[0], OSError):  # (the mismatch comes as a plain OSError; a real
        return readers.sqlite_table(reader.lite, relation, rows)  # I/O error recurs there)


def _sqlite_rows(reader: _SqliteReader, relation: Relation, after: int | None,
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


def _sqlite_slices(reader: _SqliteReader, relation: Relation) -> Iterator[pa.Table]:
    """A SQLite relation's rows in rowid order (the order they were written),
    :func:`slice_rows` at a time, each read through ADBC or, for a slice ADBC refuses,
    sqlite3."""
    after: int | None = None
    while True:
        table, after = _sqlite_rows(reader, relation, after, slice_rows(relation))
        if table.num_rows:
            yield table
        if after is None:
            return


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


