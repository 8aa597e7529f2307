"""DuckDB writer: one ``.duckdb`` file per SRS database, each a catalog with the project schema.

The output folder holds ``NPD_i2.duckdb``, ``LEO_i2.duckdb`` ... (``NPD.duckdb``, ``LEO.duckdb``
... for Iteration 1). A file attached in DuckDB becomes a catalog named after its stem, and
each file keeps its relations in a schema named by the SRS project number, so after
``ATTACH 'NPD_i2.duckdb'`` a relation is reachable by its SRS three-part name,
``NPD_i2."2002237".spring_census_2011`` (DuckDB names are case-insensitive), and a relation
asked for in the wrong database fails as it would in the SRS. ``attach.sql`` in the folder
attaches every file read-only and sets the search path so bare names work too::

    cd out/leo_duckdb && duckdb -init attach.sql

Tables are created from the spec (the SQLAlchemy table of ``spec/physical.py``, compiled with
the PostgreSQL dialect, whose DDL DuckDB accepts) and loaded from the run's Arrow batches with
``INSERT ... SELECT`` over the registered batches (DuckDB reads Arrow directly, no row inserts;
a relation's batches are gathered up to ``INSERT_BYTES`` and inserted together).
Primary keys are added after loading; no secondary indexes (DuckDB joins by hashing, an ART
index would only cost space). The folder is built next to the target and renamed into place;
the manifest is ``_manifest.json``, as in a Parquet extract.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

from leo_synth.errors import LeoSynthError
from leo_synth.spec.model import Relation
from leo_synth.spec.physical import create_table_statements, sqlalchemy_table, table_comment
from leo_synth.srs_address import SrsNaming
from leo_synth.writers.files import FileWriter, remove
from leo_synth.writers.parquet import MANIFEST_FILE, foreign_folder

if TYPE_CHECKING:  # SQLAlchemy is imported only where DDL is compiled (a cache miss)
    import sqlalchemy as sa

ATTACH_SCRIPT = "attach.sql"
SUFFIX = ".duckdb"
INSERT_BYTES = 16 * 2**20
"""Batches are inserted together once a relation has this much waiting: an INSERT costs
DuckDB about 0.1 ms per column whatever its rows, and most relations get small batches."""


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def attach_statements(databases: list[str], project: str, folder: Path | None = None
                      ) -> list[str]:
    """ATTACH every database file read-only under its SRS name, then put every project schema
    on the search path. Paths are relative to the extract folder unless ``folder`` is given."""
    statements = []
    for database in databases:
        path = str(folder / f"{database}{SUFFIX}") if folder else f"{database}{SUFFIX}"
        statements.append(f"ATTACH '{path.replace(chr(39), chr(39) * 2)}' AS "
                          f"{_quote(database)} (READ_ONLY)")
    search_path = ",".join(f"{_quote(db)}.{_quote(project)}" for db in databases)
    statements.append(f"SET search_path = '{search_path}'")
    return statements


def attach_script(databases: list[str], project: str) -> str:
    """The folder's ``attach.sql``: :func:`attach_statements` with relative paths."""
    lines = ["-- leo-synth synthetic data: no row describes a real person.",
             "-- Run from this folder: duckdb -init attach.sql"]
    return "\n".join([*lines, *(f"{s};" for s in attach_statements(databases, project))]) + "\n"


def connect_extract(folder: Path, conn: duckdb.DuckDBPyConnection | None = None
                    ) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection (``conn``, or a new one) with every database file of a
    DuckDB extract attached read-only under its SRS name and the search path set, so both
    three-part SRS names and bare relation names resolve; no other file can be reached."""
    manifest = folder / MANIFEST_FILE
    databases = sorted(p.name[:-len(SUFFIX)] for p in folder.glob(f"*{SUFFIX}"))
    try:
        settings = json.loads(manifest.read_text())["leo_synth"]
    except (OSError, ValueError, KeyError):
        settings = None
    if settings is None or not databases:
        raise LeoSynthError(f"{folder} is not a leo-synth DuckDB extract (expected "
                            f"{MANIFEST_FILE} and <database>{SUFFIX} files)")
    naming = SrsNaming.from_settings(settings)
    conn = conn or duckdb.connect()
    try:
        for statement in attach_statements(databases, naming.project, folder.resolve()):
            conn.execute(statement)
        # The files are attached read-only; no file may be read or written after this
        # (COPY TO, ATTACH, read_csv...), and the setting cannot be turned back on.
        conn.execute("SET enable_external_access = false")
        conn.execute("SET lock_configuration = true")
    except duckdb.Error as exc:
        conn.close()
        raise LeoSynthError(f"cannot open the DuckDB extract {folder}: {exc}") from exc
    return conn


def foreign_duckdb(folder: Path) -> str | None:
    """Why ``folder`` is not a leo-synth DuckDB output (None when it is, or is empty)."""
    return foreign_folder(folder, lambda item: len(item.parts) == 1 and (
        item.suffix == SUFFIX or item.name == ATTACH_SCRIPT))


class DuckdbWriter(FileWriter):
    what = "folder"
    foreign = staticmethod(foreign_duckdb)
    write_errors = (OSError, duckdb.IOException)

    def __init__(self, target: str, if_exists: str):
        super().__init__(target, if_exists)
        self.connections: dict[str, duckdb.DuckDBPyConnection] = {}
        self.naming = SrsNaming()
        self.waiting: dict[str, list[pa.RecordBatch]] = {}

    def _open(self) -> None:
        assert self.manifest is not None
        self.naming = SrsNaming.from_settings(self.manifest.settings)
        remove(self.staging)
        self.staging.mkdir(parents=True)
        project = self.naming.project
        for database in self.naming.databases(self.relations):
            conn = duckdb.connect(str(self.staging / f"{database}{SUFFIX}"))
            self.connections[database] = conn
            conn.execute("BEGIN TRANSACTION")  # one commit at the end: no sync per statement
            conn.execute(f"CREATE SCHEMA {_quote(project)}")

        def project_table(relation: Relation, metadata: sa.MetaData) -> sa.Table:
            return sqlalchemy_table(relation, metadata, schema=project)

        tables = create_table_statements(self.relations, "postgresql", project_table,
                                         salt=project)
        for rel, create in zip(self.relations, tables, strict=True):
            conn = self.connections[self.naming.database(rel)]
            conn.execute(create)
            conn.execute(f"COMMENT ON TABLE {self._table(rel)} IS "
                         f"'{table_comment(rel).replace(chr(39), chr(39) * 2)}'")

    def _table(self, relation: Relation) -> str:
        return f"{_quote(self.naming.project)}.{_quote(relation.name)}"

    def _write(self, relation: Relation, batch: pa.RecordBatch) -> None:
        waiting = self.waiting.setdefault(relation.name, [])
        waiting.append(batch)
        if sum(b.nbytes for b in waiting) >= INSERT_BYTES:
            self._insert(relation)

    def _insert(self, relation: Relation) -> None:
        """Insert the relation's waiting batches with one statement."""
        batches = self.waiting.pop(relation.name, [])
        if not batches:
            return
        conn = self.connections[self.naming.database(relation)]
        conn.register("arrow_batch", pa.Table.from_batches(batches,
                                                           schema=self.schemas[relation.name]))
        try:
            # by position: the batches' schema and the table are both the relation's columns
            # in spec order (naming every column cost DuckDB a third more per INSERT)
            conn.execute(f"INSERT INTO {self._table(relation)} SELECT * FROM arrow_batch")
        finally:
            conn.unregister("arrow_batch")

    def commit(self) -> None:
        assert self.manifest is not None
        self.announce("index")
        try:
            for rel in self.relations:
                self._insert(rel)
                if rel.primary_key:
                    cols = ", ".join(_quote(c) for c in rel.primary_key)
                    self.connections[self.naming.database(rel)].execute(
                        f"ALTER TABLE {self._table(rel)} ADD PRIMARY KEY ({cols})")
            for conn in self.connections.values():
                conn.execute("COMMIT")
                conn.execute("CHECKPOINT")
            self._close()
            databases = self.naming.databases(self.relations)
            (self.staging / ATTACH_SCRIPT).write_text(
                attach_script(databases, self.naming.project), encoding="utf-8")
            (self.staging / MANIFEST_FILE).write_text(self.manifest.to_json() + "\n")
        except duckdb.ConstraintException as exc:  # a duplicate primary key is a generator bug
            raise RuntimeError(f"primary key violated while keying: {exc}") from exc
        except (OSError, duckdb.IOException) as exc:
            raise self.disk_error(exc) from exc
        self.publish()

    def _close(self) -> None:
        self.waiting.clear()
        for conn in self.connections.values():
            with contextlib.suppress(duckdb.Error):
                conn.close()
        self.connections.clear()
