"""Read relations back from any backend as Arrow tables (for checks, checksums and reports)."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

from leo_synth.checksum import table_checksum
from leo_synth.spec.model import Relation
from leo_synth.spec.physical import arrow_schema
from leo_synth.writers.parquet import MANIFEST_FILE, relation_file
from leo_synth.writers.sqlite import MANIFEST_TABLE, connect_readonly

_READING = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION,
            sqlite3.SQLITE_RECURSIVE, sqlite3.SQLITE_PRAGMA}
"""Authorizer actions a query may use; ATTACH (also behind VACUUM INTO) and writes are not."""


def _reading_only(action: int, *_: object) -> int:
    return sqlite3.SQLITE_OK if action in _READING else sqlite3.SQLITE_DENY


def connect_for_query(path: Path) -> sqlite3.Connection:
    """A read-only connection to a SQLite file that refuses every statement but reading ones
    (``not authorized``), so user SQL cannot create, attach or change any file."""
    conn = connect_readonly(path)
    conn.set_authorizer(_reading_only)
    return conn

if TYPE_CHECKING:
    import duckdb
    import psycopg


def _from_rows(relation: Relation, rows: list[tuple]) -> pa.Table:
    schema = arrow_schema(relation)
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in schema]
    arrays = [pa.array(list(col), from_pandas=True) if len(col) else pa.nulls(0, field.type)
              for col, field in zip(columns, schema, strict=True)]
    return pa.table(arrays, names=[f.name for f in schema])


def read_sqlite(path: Path, relation: Relation) -> pa.Table:
    """A relation of a generated SQLite file (dates come back as ISO text)."""
    with contextlib.closing(connect_readonly(path)) as conn:
        return sqlite_table(conn, relation)


def read_sqlite_relations(path: Path, relations: Iterable[Relation]
                          ) -> Iterator[tuple[Relation, pa.Table]]:
    """Relations of a generated SQLite file, each with its table, read through one connection
    (a connection reads the whole schema, 770 statements, before its first query: a
    connection per relation spent most of a small file's reading there)."""
    with contextlib.closing(connect_readonly(path)) as conn:
        for relation in relations:
            yield relation, sqlite_table(conn, relation)


def sqlite_table(conn: sqlite3.Connection, relation: Relation, rows: str = "") -> pa.Table:
    """A relation's columns (``relation.columns``) read through an open connection, of the
    ``rows`` a clause says (default: all)."""
    names = ", ".join(f'"{c.name}"' for c in relation.columns)
    return _from_rows(relation, conn.execute(
        f'SELECT {names} FROM "{relation.name}"{rows}').fetchall())


def read_postgres(url: str, relation: Relation) -> pa.Table:
    """A relation of a generated PostgreSQL database (lower-case identifiers)."""
    import psycopg

    names = ", ".join(f'"{c.name.lower()}"' for c in relation.columns)
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            f'SELECT {names} FROM "{relation.database}"."{relation.name.lower()}"').fetchall()
    return _from_rows(relation, rows)


def relation_files(folder: Path, relation: Relation) -> list[Path]:
    """A relation's Parquet files in block order: its file in a Parquet folder, or the files of
    its folder in a Dask dataset (``block-000042.parquet`` sort by block); none when it is not
    there."""
    path = relation_file(folder, relation)
    return [path] if path.exists() else sorted(path.with_suffix("").glob("*.parquet"))


def read_parquet(folder: Path, relation: Relation) -> pa.Table:
    """A relation of a generated Parquet folder (one file per relation, or the Dask engine's
    folder of parts per relation, read with the spec's schema)."""
    path = relation_file(folder, relation)
    files = relation_files(folder, relation)
    if not files or files == [path]:  # (none: the reader's own error names the file)
        return pq.read_table(path)
    return pq.read_table([str(f) for f in files], schema=arrow_schema(relation))


def read_duckdb(folder: Path, relation: Relation,
                conn: duckdb.DuckDBPyConnection | None = None) -> pa.Table:
    """A relation of a generated DuckDB extract, read by its SRS three-part name (through
    ``conn``, a :func:`~leo_synth.writers.duckdb.connect_extract` connection, when given)."""
    from leo_synth.writers.duckdb import connect_extract

    query = duckdb_query(read_manifest(folder)["leo_synth"], relation)
    if conn is not None:
        return conn.sql(query).to_arrow_table()
    with connect_extract(folder) as own:
        return own.sql(query).to_arrow_table()


def duckdb_query(settings: dict, relation: Relation) -> str:
    """The query of a relation's columns in a DuckDB extract made with run ``settings`` (its
    manifest's), by the relation's SRS three-part name."""
    from leo_synth.srs_address import SrsNaming

    database, project, name = SrsNaming.from_settings(settings).parts(relation)
    names = ", ".join(f'"{c.name}"' for c in relation.columns)
    return f'SELECT {names} FROM "{database}"."{project}"."{name}"'


def read_manifest(path: Path) -> dict:
    """The run manifest of a generated SQLite file, or Parquet or DuckDB folder."""
    if path.is_dir():
        return json.loads((path / MANIFEST_FILE).read_text())
    with contextlib.closing(connect_readonly(path)) as conn:
        return json.loads(conn.execute(f"SELECT manifest FROM {MANIFEST_TABLE}").fetchone()[0])


def postgres_manifest(conn: psycopg.Connection) -> dict | None:
    """The run manifest of a PostgreSQL database (None when it holds no leo-synth run)."""
    from leo_synth.writers.postgres_safety import MANIFEST_TABLE, META_SCHEMA

    table = f"{META_SCHEMA}.{MANIFEST_TABLE}"
    if not conn.execute("SELECT to_regclass(%s) IS NOT NULL", (table,)).fetchone()[0]:
        return None
    row = conn.execute(f'SELECT manifest FROM "{META_SCHEMA}"."{MANIFEST_TABLE}"').fetchone()
    if row is None:
        return None
    return row[0] if isinstance(row[0], dict) else json.loads(row[0])


def checksums(reader: Iterable[tuple[Relation, pa.Table]]) -> dict[str, str]:
    """Order-independent checksum of every relation read."""
    return {rel.name: table_checksum(table, arrow_schema(rel)) for rel, table in reader}
