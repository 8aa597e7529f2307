"""SQLite writer: one file, every relation under its SRS name.

Dates are stored as ISO text (SQLite has no date type; ``date()`` and comparisons work on it),
decimals as REAL. Tables are created from the spec via SQLAlchemy's SQLite dialect; keys and
indexes are added after loading, then the file is renamed into place. The file carries
``PRAGMA application_id`` = "LEOS" and a manifest table: together they mark it as leo-synth's
own, which ``--if-exists replace`` requires before replacing a file.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import sqlalchemy as sa
from sqlalchemy.dialects import sqlite as sqlite_dialect

from leo_synth.spec.model import Relation
from leo_synth.spec.physical import index_columns, sqlalchemy_table
from leo_synth.writers.files import FileWriter, remove

APPLICATION_ID = 0x4C454F53  # "LEOS": marks the file as leo-synth output
MANIFEST_TABLE = "_leo_synth_manifest"
SQLITE_HEADER = b"SQLite format 3\x00"


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


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sqlite_values(array: pa.Array | pa.ChunkedArray) -> list:
    """Python values SQLite accepts for one Arrow column (dates as ISO text, decimals as the
    nearest float, booleans as 0/1)."""
    t = array.type
    if pa.types.is_date(t) or pa.types.is_timestamp(t) or pa.types.is_time(t):
        array = pc.cast(array, pa.string())
    elif pa.types.is_decimal(t):  # via text: 7.1 stays 7.1, not 71 * 0.1
        array = pc.cast(pc.cast(array, pa.string()), pa.float64())
    elif pa.types.is_boolean(t):
        array = pc.cast(array, pa.int64())
    return array.to_pylist()


class SqliteWriter(FileWriter):
    what = "file"
    write_errors = (OSError, sqlite3.OperationalError)
    foreign = staticmethod(foreign_sqlite)

    def __init__(self, target: str, if_exists: str):
        super().__init__(target, if_exists)
        self.connection: sqlite3.Connection | None = None

    def _open(self) -> None:
        remove(self.staging)
        try:
            self._create()
        except (OSError, sqlite3.OperationalError) as exc:
            raise self.disk_error(exc) from exc

    def _create(self) -> None:
        self.connection = sqlite3.connect(self.staging)
        self.connection.execute("PRAGMA journal_mode = OFF")
        self.connection.execute("PRAGMA synchronous = OFF")
        self.connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        dialect = sqlite_dialect.dialect()
        metadata = sa.MetaData()
        for rel in self.relations:
            table = sqlalchemy_table(rel, metadata, schema=None)
            self.connection.execute(str(sa.schema.CreateTable(table).compile(dialect=dialect)))
        self.connection.execute(f"CREATE TABLE {MANIFEST_TABLE} (manifest TEXT NOT NULL)")

    def _write(self, relation: Relation, batch: pa.RecordBatch) -> None:
        assert self.connection is not None
        columns = [sqlite_values(batch.column(i)) for i in range(batch.num_columns)]
        placeholders = ", ".join("?" * batch.num_columns)
        self.connection.executemany(
            f"INSERT INTO {_quote(relation.name)} VALUES ({placeholders})", zip(*columns,
                                                                                strict=True))

    def commit(self) -> None:
        assert self.connection is not None and self.manifest is not None
        self.announce("index")
        try:
            for rel in self.relations:
                if rel.primary_key:
                    cols = ", ".join(_quote(c) for c in rel.primary_key)
                    self.connection.execute(f"CREATE UNIQUE INDEX {_quote('pk_' + rel.name)} "
                                            f"ON {_quote(rel.name)} ({cols})")
                for col in index_columns(rel):
                    self.connection.execute(f"CREATE INDEX {_quote(f'ix_{rel.name}_{col}')} "
                                            f"ON {_quote(rel.name)} ({_quote(col)})")
            self.connection.execute(f"INSERT INTO {MANIFEST_TABLE} VALUES (?)",
                                    (self.manifest.to_json(),))
            self.connection.commit()
            self.connection.close()
            self.connection = None
        except sqlite3.IntegrityError as exc:  # a duplicate primary key is a generator bug
            raise RuntimeError(f"primary key violated while indexing: {exc}") from exc
        except (OSError, sqlite3.OperationalError) as exc:
            raise self.disk_error(exc) from exc
        self.publish()

    def _close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None
