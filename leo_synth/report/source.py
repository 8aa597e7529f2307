"""Where the report reads from: a generated SQLite file, or a Parquet or DuckDB folder.

All end up as one SQLite connection, so the same SQL serves all: a SQLite extract is opened
read-only (derived tables go to SQLite's TEMP schema, the extract is never written), a Parquet
or DuckDB extract is loaded relation by relation, on first use, into an in-memory database.
"""

from __future__ import annotations

import fnmatch
import sqlite3
import textwrap
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from leo_synth.errors import LeoSynthError
from leo_synth.writers.sqlite import connect_readonly, sqlite_values

Builder = Callable[["Workspace"], list[str]]


def _sql_type(field: pa.Field) -> str:
    t = field.type
    if pa.types.is_integer(t) or pa.types.is_boolean(t):
        return "INTEGER"
    if pa.types.is_floating(t) or pa.types.is_decimal(t):
        return "REAL"
    return "TEXT"


@dataclass(frozen=True)
class Stored:
    """A relation kept outside the SQLite connection (a Parquet file, a DuckDB table)."""

    name: str
    columns: Callable[[], list[str]]
    read: Callable[[], pa.Table]


def parquet_relation(path: Path) -> Stored:
    """A relation stored as one Parquet file."""
    return Stored(path.stem, lambda: list(_parquet(pq.read_schema, path).names),
                  lambda: _parquet(pq.read_table, path))


class Workspace:
    """A connection over the extract plus the derived tables and results built so far."""

    def __init__(self, conn: sqlite3.Connection, parquet: dict[str, Stored] | None = None):
        self.conn = conn
        self._parquet = parquet  # lower-case relation name -> stored relation, loaded on use
        self._names: dict[str, str] = {}  # lower-case name -> relation name as stored
        self._columns: dict[str, list[str]] = {}
        self._built: set[str] = set()
        self.cache: dict[Any, Any] = {}
        self.sql_log: dict[Any, list[str]] = {}
        """The queries run under each :meth:`recording` key (for the report's lessons)."""
        self.derived_sql: dict[str, list[str]] = {}
        """The statements that built each derived table."""
        self._recording: list[list[str]] = []
        if parquet is None:
            rows = conn.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')").fetchall()
            self._names = {r[0].lower(): r[0] for r in rows}
        else:
            self._names = {k: stored.name for k, stored in parquet.items()}

    # -- relations and columns -------------------------------------------------------------

    def relations(self, pattern: str = "*") -> list[str]:
        """Relation names matching a shell pattern (case-insensitive), sorted."""
        pat = pattern.lower()
        return sorted(v for k, v in self._names.items() if fnmatch.fnmatchcase(k, pat))

    def has(self, relation: str) -> bool:
        """True when the extract holds the relation."""
        return relation.lower() in self._names

    def columns(self, relation: str) -> list[str]:
        """Column names of a relation."""
        key = relation.lower()
        if key not in self._columns:
            if key not in self._names:
                raise LeoSynthError(f"relation {relation} is missing from the extract")
            if self._parquet is not None and key not in self._loaded():
                self._columns[key] = self._parquet[key].columns()
            else:
                rows = self.conn.execute(f'PRAGMA table_info("{self._names[key]}")').fetchall()
                self._columns[key] = [r[1] for r in rows]
        return self._columns[key]

    def has_column(self, relation: str, column: str) -> bool:
        """True when the relation exists and has the column (case-insensitive)."""
        return self.has(relation) and column.lower() in {c.lower() for c in
                                                          self.columns(relation)}

    def column(self, relation: str, *candidates: str) -> str | None:
        """The first candidate column the relation has, with its stored spelling."""
        if not self.has(relation):
            return None
        stored = {c.lower(): c for c in self.columns(relation)}
        for cand in candidates:
            if cand.lower() in stored:
                return stored[cand.lower()]
        return None

    def missing(self, requirements: Iterable[str]) -> list[str]:
        """Requirements not met: ``relation``, ``relation.column`` or a pattern ``hesa_*``."""
        out = []
        for req in requirements:
            rel, _, col = req.partition(".")
            if any(ch in rel for ch in "*?["):
                if not self.relations(rel):
                    out.append(f"a relation matching {rel}")
            elif not self.has(rel):
                out.append(rel)
            elif col and not self.has_column(rel, col):
                out.append(f"{rel}.{col}")
        return out

    # -- Parquet loading -----------------------------------------------------------------------

    def _loaded(self) -> set[str]:
        return self.cache.setdefault("_loaded", set())

    def load(self, requirements: Iterable[str]) -> None:
        """Make sure the relations named by the requirements are in the database."""
        if self._parquet is None:
            return
        for req in requirements:
            rel = req.partition(".")[0]
            names = self.relations(rel) if any(ch in rel for ch in "*?[") else [rel]
            for name in names:
                self._load_one(name)

    def _load_one(self, relation: str) -> None:
        key = relation.lower()
        if self._parquet is None or key in self._loaded() or key not in self._parquet:
            return
        table = self._parquet[key].read()
        name = self._names[key]
        cols = ", ".join(f'"{f.name}" {_sql_type(f)}' for f in table.schema)
        self.conn.execute(f'CREATE TABLE "{name}" ({cols})')
        marks = ", ".join("?" for _ in table.schema)
        insert = f'INSERT INTO "{name}" VALUES ({marks})'
        for batch in table.to_batches(max_chunksize=200_000):
            data = [sqlite_values(column) for column in batch.columns]
            self.conn.executemany(insert, zip(*data, strict=True))
        self._loaded().add(key)
        self._columns.pop(key, None)

    # -- derived tables ----------------------------------------------------------------------

    def ensure(self, name: str) -> None:
        """Build a derived TEMP table (and the ones it depends on) once."""
        from leo_synth.report.derived import DERIVED

        if name in self._built:
            return
        spec = DERIVED[name]
        for dep in spec.deps:
            self.ensure(dep)
        self.load(spec.requires)
        statements = spec.build(self)
        self.derived_sql[name] = [textwrap.dedent(st).strip() for st in statements]
        for statement in statements:
            try:
                self.conn.execute(statement)
            except sqlite3.Error as exc:
                raise LeoSynthError(f"building the derived table {name} failed: {exc}") from exc
        self._built.add(name)

    @contextmanager
    def recording(self, key: Any) -> Iterator[list[str]]:
        """Record the queries run inside the block under ``key`` (nested blocks record into
        every enclosing one too)."""
        log = self.sql_log.setdefault(key, [])
        self._recording.append(log)
        try:
            yield log
        finally:
            self._recording.pop()

    def replay(self, key: Any) -> None:
        """Credit the queries recorded under ``key`` to the enclosing recordings (a memoised
        result reused inside another computation)."""
        for sql in self.sql_log.get(key, []):
            self._note(sql)

    def _note(self, text: str) -> None:
        for log in self._recording:
            if text not in log:
                log.append(text)

    def query(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> list[tuple]:
        """Run a query and return every row (recorded when a :meth:`recording` is open)."""
        if self._recording:
            shown = params if isinstance(params, dict) else tuple(params)
            lines = [line for line in textwrap.dedent(sql).strip().splitlines() if line.strip()]
            self._note("\n".join(lines) + (f"\n-- parameters: {shown!r}" if shown else ""))
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            first = " ".join(sql.split())[:200]
            raise LeoSynthError(f"report query failed: {exc} (in: {first} ...)") from exc

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def open_sqlite(path: Path) -> Workspace:
    """A workspace over a generated SQLite file, opened read-only."""
    if not path.is_file():
        raise LeoSynthError(f"no SQLite extract at {path}")
    try:
        conn = connect_readonly(path)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        raise LeoSynthError(f"cannot read {path} as SQLite: {exc}") from exc
    _tune(conn)
    return Workspace(conn)


def open_parquet(folder: Path) -> Workspace:
    """A workspace over a Parquet extract (one folder per source database)."""
    if not folder.is_dir():
        raise LeoSynthError(f"no Parquet extract folder at {folder}")
    files = {p.stem.lower(): p for p in sorted(folder.glob("*/*.parquet"))}
    files.update({p.stem.lower(): p for p in sorted(folder.glob("*.parquet"))})
    if not files:
        raise LeoSynthError(f"{folder} holds no Parquet relations (expected <database>/<name>."
                            f"parquet files)")
    conn = sqlite3.connect(":memory:")
    _tune(conn)
    return Workspace(conn, parquet={k: parquet_relation(p) for k, p in files.items()})


def open_duckdb(folder: Path) -> Workspace:
    """A workspace over a DuckDB extract (one file per SRS database); each relation is read
    through DuckDB's Arrow output when first used."""
    from leo_synth.writers.duckdb import connect_extract

    if not folder.is_dir():
        raise LeoSynthError(f"no DuckDB extract folder at {folder}")
    duck = connect_extract(folder)
    rows = duck.execute("SELECT database_name, schema_name, table_name FROM duckdb_tables() "
                        "WHERE NOT internal").fetchall()

    def stored(database: str, schema: str, name: str) -> Stored:
        table = f'"{database}"."{schema}"."{name}"'
        return Stored(name, lambda: [r[0] for r in duck.execute(f"DESCRIBE {table}").fetchall()],
                      lambda: duck.sql(f"SELECT * FROM {table}").to_arrow_table())

    conn = sqlite3.connect(":memory:")
    _tune(conn)
    return Workspace(conn, parquet={name.lower(): stored(db, schema, name)
                                    for db, schema, name in rows})


def _parquet(read: Callable[[Path], Any], path: Path) -> Any:
    """``read(path)``, with a damaged or truncated file reported as one line."""
    try:
        return read(path)
    except (OSError, pa.ArrowException) as exc:
        why = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise LeoSynthError(f"cannot read {path} as Parquet: {why} (the file is damaged or "
                            f"truncated: generate the extract again)") from exc


def _tune(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA cache_size = -262144")  # 256 MiB page cache
