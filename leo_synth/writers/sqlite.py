"""SQLite writer: one file, every relation under its SRS name.

Dates are stored as ISO text (SQLite has no date type; ``date()`` and comparisons work on it),
decimals as REAL. Tables are created from the spec via SQLAlchemy's SQLite dialect (compiled
once, then cached); batches are loaded by ADBC's bulk ingest (the Arrow buffers bound in C, no
Python object per value: about a third of an ``executemany``'s time; ``sqlite_adbc``), in the
worker processes, into small files that the writer copies record by record
(:class:`BlockFiles`) into a fresh file without a journal; a relation's keys and indexes are
added once it has all its rows (:meth:`SqliteWriter.finish`), then the file is renamed into
place. Its pages are SQLite's 4 KiB, or 16 KiB from :data:`LARGE_RUN` persons. The file carries
``PRAGMA application_id`` = "LEOS" and a manifest table: together they mark it as leo-synth's
own, which ``--if-exists replace`` requires before replacing a file.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

from leo_synth.spec.model import Relation
from leo_synth.spec.physical import (
    create_table_statements,
    index_columns,
    sqlalchemy_table,
)
from leo_synth.writers.files import FileWriter, disk_error, remove, sibling
from leo_synth.writers.sqlite_adbc import AdbcSqlite, adbc_errors

if TYPE_CHECKING:
    import sqlalchemy as sa

APPLICATION_ID = 0x4C454F53  # "LEOS": marks the file as leo-synth output
MANIFEST_TABLE = "_leo_synth_manifest"
SQLITE_HEADER = b"SQLite format 3\x00"
CACHE_KIB = 32 * 1024
"""SQLite's page cache while writing (a bound, not an allocation)."""
LARGE_PAGE = 16_384
"""The page size of the output of a run of :data:`LARGE_RUN` persons or more: a quarter of
the pages of SQLite's default 4 KiB, so about a fifth less CPU in the writer's copy and
indexes (SQLite reads and writes a page per system call), for 4% more bytes (the last page of
each table and index is partly empty)."""
LARGE_RUN = 5_000
"""Persons from which the output has :data:`LARGE_PAGE` pages: a smaller run's file is mostly
the first pages of its 780 tables and indexes, which larger pages would more than double
(7 MB at 100 persons, 16 MB with 16 KiB pages)."""


def connect_readonly(path: Path) -> sqlite3.Connection:
    """Open a SQLite file read-only by its path: the path is percent-encoded into the URI, so
    ``?``, ``#`` and ``%`` in a name cannot open (or create) another file."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def foreign_sqlite(path: Path) -> str | None:
    """Why the file at ``path`` is not a leo-synth SQLite output (None when it is, or is
    empty): the header's application_id and the manifest table are both required."""
    with open(path, "rb") as handle:
        header = handle.read(100)
    if not header:
        return None
    if not header.startswith(SQLITE_HEADER) or len(header) < 72:
        return "it is not a SQLite file"
    if int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        return "it is a SQLite database that leo-synth did not make"
    try:
        with contextlib.closing(connect_readonly(path)) as conn:
            conn.execute(f"SELECT manifest FROM {MANIFEST_TABLE}").fetchone()
    except sqlite3.Error:
        return "it has no leo-synth manifest (damaged, or not made by leo-synth)"
    return None


def _plain_table(relation: Relation, metadata: sa.MetaData) -> sa.Table:
    return sqlalchemy_table(relation, metadata, schema=None)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _as_text(t: pa.DataType) -> bool:
    """Dates, timestamps and times: stored as ISO text."""
    return pa.types.is_date(t) or pa.types.is_timestamp(t) or pa.types.is_time(t)


def sqlite_array(array: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """One Arrow column as SQLite stores it (dates as ISO text, decimals as the nearest float,
    booleans as 0/1)."""
    t = array.type
    if _as_text(t):
        return pc.cast(array, pa.string())
    if pa.types.is_decimal(t):  # via text: 7.1 stays 7.1, not 71 * 0.1
        return pc.cast(pc.cast(array, pa.string()), pa.float64())
    if pa.types.is_boolean(t):
        return pc.cast(array, pa.int64())
    return array


def sqlite_values(array: pa.Array | pa.ChunkedArray) -> list:
    """Python values SQLite accepts for one Arrow column (see :func:`sqlite_array`)."""
    return sqlite_array(array).to_pylist()


def _converted(t: pa.DataType) -> bool:
    """Whether :func:`sqlite_array` changes a column of type ``t``."""
    return _as_text(t) or pa.types.is_decimal(t) or pa.types.is_boolean(t)


_BOUND_AS_IS = frozenset(t.id for t in (  # what ADBC's ingest stores as sqlite_array would
    pa.int8(), pa.int16(), pa.int32(), pa.int64(), pa.float64(), pa.string()))


def sqlite_columns(schema: pa.Schema) -> list[int]:
    """Positions of the columns to convert before ADBC's ingest (see :func:`sqlite_array`):
    all but integers, floats and text. Dates too: ADBC's SQLite driver would bind a date32 as
    the same ISO text, but formats each one with ``printf``: Arrow's cast of the whole column
    first saves about 8% of the ingest of a block."""
    return [i for i, t in enumerate(schema.types) if t.id not in _BOUND_AS_IS]


def sqlite_batch(batch: pa.RecordBatch | pa.Table,
                 convert: list[int] | None = None) -> pa.RecordBatch | pa.Table:
    """A batch with every column as SQLite stores it, or with only its ``convert`` columns
    converted (the writer's :func:`sqlite_columns`, for ADBC's ingest)."""
    if convert is None:
        convert = [i for i, t in enumerate(batch.schema.types) if _converted(t)]
    if not convert:
        return batch
    columns = batch.columns
    for i in convert:
        columns[i] = sqlite_array(columns[i])
    return type(batch).from_arrays(columns, names=batch.schema.names)


SCRATCH_PAGE = 65_536
"""The page size of the workers' files (SQLite's largest)."""

FILE_CELLS = 50_000
"""A batch with fewer cells is sent to the writing process as it is: making a file costs
about as much as ingesting that many cells."""


class BlockFiles:
    """The SQLite writer's ``encoder``, run in the worker processes: each batch is ingested
    into a small SQLite file of its own, made with the output's very table, in the run's
    scratch folder, and its name is what the worker sends. The writing process then copies its
    rows with ``INSERT ... SELECT``, which SQLite does by copying whole records (the transfer
    optimization, same table on both sides, no index yet), about a tenth of the time of
    ingesting them there: the ingest's work is done by the workers, in parallel."""

    def __init__(self, folder: Path, target: Path):
        self.folder = folder
        self.target = target
        """The output (named when a worker cannot write its file)."""
        self.tables: dict[str, str] = {}
        """Each relation's ``CREATE TABLE`` (set by the writer before any worker starts)."""
        self.made = 0

    def __call__(self, relation: Relation, batch: pa.RecordBatch) -> bytes | None:
        if batch.num_rows * batch.num_columns < FILE_CELLS:
            return None  # sent as it is, ingested by the writing process
        self.made += 1
        path = self.folder / f"{os.getpid()}-{self.made}.sqlite"
        try:
            connection = AdbcSqlite(str(path))
            try:
                # SQLite reads and writes a page per system call: the largest pages make the
                # fewest, here and in the copy (the output's pages are its own)
                connection.execute(f"PRAGMA page_size = {SCRATCH_PAGE}")
                connection.execute("PRAGMA journal_mode = OFF")
                connection.execute("PRAGMA synchronous = OFF")
                connection.execute(self.tables[relation.name])
                connection.execute("BEGIN")  # (see SqliteWriter._write)
                connection.ingest(relation.name,
                                  sqlite_batch(batch, sqlite_columns(batch.schema)))
                connection.execute("COMMIT")
            finally:
                connection.close()
        except (OSError, adbc_errors()[0]) as exc:
            raise disk_error(self.target, exc) from None
        return os.fsencode(path)


class SqliteWriter(FileWriter):
    what = "file"
    foreign = staticmethod(foreign_sqlite)
    blocks_together = 2
    """Two blocks are copied relation by relation, so that with two workers a relation is
    indexed as soon as the last two blocks have built it; a fixed number, since the file's
    pages follow the order of the statements."""

    def __init__(self, target: str, if_exists: str):
        super().__init__(target, if_exists)
        self.scratch = sibling(self.path, "scratch")
        """Where the workers put their batches' files (:class:`BlockFiles`)."""
        self.encoder = BlockFiles(self.scratch, self.path)
        self.connection: AdbcSqlite | None = None
        """The ADBC connection to the staging file (``execute``, ``ingest``)."""
        self.convert: dict[str, list[int]] = {}
        """Per relation, its :func:`sqlite_columns` (the same for every batch)."""
        self.write_errors = (OSError, sqlite3.Error, adbc_errors()[0])
        self.indexed: set[str] = set()
        """Relations whose keys and indexes are made (:meth:`finish`)."""

    def _open(self) -> None:
        remove(self.staging)
        remove(self.scratch)
        try:
            self.scratch.mkdir()
            self._create()
        except self.write_errors as exc:
            raise self.disk_error(exc) from exc

    def _create(self) -> None:
        # autocommit: the pragmas of a fresh file are set outside any transaction
        self.connection = connection = AdbcSqlite(str(self.staging))
        assert self.manifest is not None
        if self.manifest.settings.get("persons", 0) >= LARGE_RUN:
            connection.execute(f"PRAGMA page_size = {LARGE_PAGE}")
        connection.execute("PRAGMA journal_mode = OFF")  # a failed run's file is deleted
        connection.execute("PRAGMA synchronous = OFF")  # published by a rename after close
        # room for a small run's pages: with the 2 MiB default, every CREATE INDEX re-read the
        # schema's evicted pages (0.1 s of a 100-person run)
        connection.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        # one process holds the file: its page cache stays valid from statement to statement
        connection.execute("PRAGMA main.locking_mode = EXCLUSIVE")
        statements = create_table_statements(self.relations, "sqlite", _plain_table)
        connection.execute("BEGIN")  # the tables in one transaction, not one each
        for rel, statement in zip(self.relations, statements, strict=True):
            connection.execute(statement)
            self.encoder.tables[rel.name] = statement
        connection.execute(f"CREATE TABLE {MANIFEST_TABLE} (manifest TEXT NOT NULL)")
        connection.execute("COMMIT")

    def _write(self, relation: Relation, batch: pa.RecordBatch) -> None:
        assert self.connection is not None
        convert = self.convert.get(relation.name)
        if convert is None:
            convert = self.convert[relation.name] = sqlite_columns(batch.schema)
        # in a transaction of its own: ADBC's ingest would otherwise make one, and on a
        # failure its rollback's error would hide the cause (e.g. a full disk)
        self.connection.execute("BEGIN")
        self.connection.ingest(relation.name, sqlite_batch(batch, convert))
        self.connection.execute("COMMIT")

    def _write_encoded(self, relation: Relation, encoded: bytes) -> None:
        """Copy the rows of a worker's file (:class:`BlockFiles`), then delete it. Statement
        by statement, without a transaction around the run: SQLite attaches a file only
        outside one (the file is new and unjournaled either way; a failed run's is
        deleted)."""
        assert self.connection is not None
        path = Path(os.fsdecode(encoded))
        self.connection.execute("ATTACH DATABASE ? AS block", str(path))
        try:
            name = _quote(relation.name)
            self.connection.execute(f"INSERT INTO main.{name} SELECT * FROM block.{name}")
        finally:
            self.connection.execute("DETACH DATABASE block")
        path.unlink()

    def finish(self, relation: Relation) -> None:
        """Index a relation as soon as it has all its rows, while the workers still build
        the others (the same statements, in the same order, for any number of workers)."""
        try:
            self._index(relation)
        except self.write_errors as exc:
            raise self._index_error(exc) from exc
        self.indexed.add(relation.name)

    def _index(self, rel: Relation) -> None:
        assert self.connection is not None
        if rel.primary_key:
            cols = ", ".join(_quote(c) for c in rel.primary_key)
            self.connection.execute(f"CREATE UNIQUE INDEX {_quote('pk_' + rel.name)} "
                                    f"ON {_quote(rel.name)} ({cols})")
        for col in index_columns(rel):
            self.connection.execute(f"CREATE INDEX {_quote(f'ix_{rel.name}_{col}')} "
                                    f"ON {_quote(rel.name)} ({_quote(col)})")

    def _index_error(self, exc: Exception) -> Exception:
        """A duplicate primary key is a generator bug; anything else a failed write."""
        if isinstance(exc, adbc_errors()[1]):
            return RuntimeError(f"primary key violated while indexing: {exc}")
        return self.disk_error(exc)

    def commit(self) -> None:
        assert self.connection is not None and self.manifest is not None
        connection = self.connection
        try:
            unindexed = [rel for rel in self.relations if rel.name not in self.indexed]
            if unindexed:  # (relations not finished: a run without blocks)
                self.announce("index")
            for rel in unindexed:
                self._index(rel)
            connection.execute(f"INSERT INTO {MANIFEST_TABLE} VALUES (?)",
                               self.manifest.to_json())
            self._close()
        except self.write_errors as exc:
            raise self._index_error(exc) from exc
        self.publish()

    def _close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None
        remove(self.scratch)
