"""The outputs a script runs against: a SQLite file, a DuckDB file, a Parquet folder (through
DuckDB views over its files) or a PostgreSQL URL.

Every target is opened so that the extract cannot change: SQLite read-only by path (an escaped
``file:`` URI with ``mode=ro``), a DuckDB file attached ``READ_ONLY`` to an in-memory database
(whose temporary tables hold the script's ``#temp`` tables), Parquet files only read, and
PostgreSQL in one transaction that is rolled back at the end (the translation also refuses
statements that write to the extract's relations). A target lists its relations, names their
columns with their physical spelling, and runs translated SQL.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leo_synth.errors import LeoSynthError
from leo_synth.tsql import sqlite_functions
from leo_synth.tsql.error_messages import in_sql_servers_words
from leo_synth.tsql.errors import (
    ScriptError,
    database_message,
    duplicate_key,
    is_database_error,
    null_refused,
)

SKIPPED_SCHEMAS = {"pg_catalog", "information_schema", "leo_synth", "pg_toast"}
POSTGRES_INTEGERS = {20, 21, 23}
"""PostgreSQL's type numbers of bigint, smallint and integer."""
POSTGRES_TEXTS = {25, 1042, 1043}
"""PostgreSQL's type numbers of text, char and varchar."""
POSTGRES_DATES = {1082, 1114, 1184}
"""PostgreSQL's type numbers of date, timestamp and timestamptz."""
INTEGER, INT, TEXT, DATE, FLOAT, OTHER = "integer", "int", "text", "date", "float", "other"
"""The kinds of column :meth:`Target.columns` tells apart (``INT``: an integer of four bytes
or fewer for certain, whose ``SUM`` is an ``int`` in SQL Server; ``INTEGER``: any other;
``FLOAT``: a double or a real, written as text in six digits)."""
POSTGRES_FLOATS = {700, 701}
"""PostgreSQL's type numbers of real and double precision."""
POSTGRES_INTS = {21, 23}
"""PostgreSQL's type numbers of smallint and integer."""
DUCKDB_INTS = {"TINYINT", "SMALLINT", "INTEGER", "UTINYINT", "USMALLINT"}
SQLITE_INTS = {"INTEGER", "SMALLINT", "TINYINT", "MEDIUMINT", "INT2", "INT4"}
"""SQLite's declared types of ``int`` columns (a #temp table's ``BIGINT`` is declared so; the
``INT`` that ``CREATE TABLE ... AS`` declares for any integer column tells no width)."""
DUCKDB_INTEGERS = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT",
                   "USMALLINT", "UINTEGER", "UBIGINT"}


@dataclass
class ResultSet:
    """Rows of one query: column names, the rows fetched and whether more were left."""

    columns: list[str]
    rows: list[tuple]
    more: bool = False
    count: int | None = None
    """All the rows the query gave, when they were fetched to be counted and then cut."""


@dataclass
class Target:
    """An opened output: its sqlglot dialect, its relations (lower-case name -> the parts of
    its qualified name, e.g. ``("npd_i2", "spring_census_2011")``) and a DB-API connection."""

    dialect: str
    connection: Any
    relations: dict[str, tuple[str, ...]] = field(default_factory=dict)
    databases: dict[str, str] = field(default_factory=dict)  # relation -> source database
    changed: int | None = None
    """The rows the last statement run without rows wanted inserted, updated or deleted (None
    when the driver does not say: SQLite's ``CREATE TABLE ... AS``, any DDL)."""
    guarded: bool = False
    """Whether a failed statement is caught (a ``BEGIN TRY`` block runs): on PostgreSQL each
    statement then runs under a savepoint, as a failure would end the transaction."""

    def run(self, sql: str, want_rows: bool, limit: int | None) -> ResultSet | None:
        """Run one statement; fetch at most ``limit`` rows of a query (all when None)."""
        before = self.connection.total_changes if self.dialect == "sqlite" else 0
        cursor = self.connection.execute(sql)  # DuckDB: a cursor would be another session
        if not want_rows:
            self.changed = _changed(cursor, self.dialect)
            if self.changed is None and self.dialect == "sqlite":
                # Python's sqlite3 counts only statements that begin INSERT, UPDATE or DELETE:
                # a DELETE through a CTE (WITH d AS (...) DELETE ...) is counted by SQLite's
                # own tally (which a CREATE TABLE ... AS leaves as it is: None, counted later)
                self.changed = (self.connection.total_changes - before) or None
            return None
        columns = [d[0] for d in cursor.description or []]
        if limit is None:
            return ResultSet(columns, [tuple(r) for r in cursor.fetchall()])
        rows = [tuple(r) for r in cursor.fetchmany(limit + 1)]
        return ResultSet(columns, rows[:limit], more=len(rows) > limit)

    def run_at(self, line: int, sql: str, want_rows: bool, limit: int | None
               ) -> ResultSet | None:
        """:meth:`run` for a statement of a script: a driver's error becomes one line naming
        the script's line and what the backend said."""
        sqlite_functions.sql_server_error = None
        saving = self.guarded and self.dialect == "postgres"
        if saving:
            self.connection.execute("SAVEPOINT leo_statement")
        try:
            result = self.run(sql, want_rows, limit)
            if saving:
                self.connection.execute("RELEASE SAVEPOINT leo_statement")
            return result
        except Exception as exc:
            if not is_database_error(exc):
                raise
            if saving:
                self.connection.execute("ROLLBACK TO SAVEPOINT leo_statement")
            said = database_message(exc)
            if self.dialect == "sqlite" and "user-defined function raised" in said and (
                    sqlite_functions.sql_server_error):
                said = sqlite_functions.sql_server_error
            else:
                said = (duplicate_key(said) or null_refused(said, sql)
                        or in_sql_servers_words(said))
            raise ScriptError(line, f"{self.dialect} said: {said}", runtime=True,
                              said=said) from exc

    def load_rows(self, table: str, columns: list[tuple[str, bool]], rows: list[tuple]
                  ) -> None:
        """Make the temporary ``table`` (columns: name and whether it holds integers) and fill
        it with ``rows`` by the target's bulk path (a DuckDB statement of 18,000 literal rows
        took 3 s to parse)."""
        types = ", ".join(f"{name} {'INTEGER' if integer else 'VARCHAR'}"
                          for name, integer in columns)
        self.connection.execute(f"CREATE TEMP TABLE {table} ({types})")
        if not rows:
            return
        if self.dialect == "duckdb":
            import pyarrow as pa

            data = pa.table({name: pa.array([row[i] for row in rows],
                                            pa.int64() if integer else pa.string())
                             for i, (name, integer) in enumerate(columns)})
            self.connection.register("leo_loaded_rows", data)
            try:
                self.connection.execute(f"INSERT INTO {table} SELECT * FROM leo_loaded_rows")
            finally:
                self.connection.unregister("leo_loaded_rows")
        elif self.dialect == "postgres":
            with self.connection.cursor().copy(f"COPY {table} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in columns)
            self.connection.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)

    def columns(self, parts: tuple[str, ...]) -> list[tuple[str, str]]:
        """The physical column names of a relation or temporary table, each with its kind:
        ``integer`` (SQL Server's ``AVG`` of integers is an integer), ``text`` (compared with
        a number as a number), ``date`` (of dates or times: compared with text as a date) or
        ``other``."""
        cursor = self.connection.execute(
            f"SELECT * FROM {'.'.join(quote(p) for p in parts)} WHERE 1 = 0")
        description = cursor.description or []
        cursor.fetchall()
        if self.dialect == "sqlite":  # (its cursor has no types: the declared ones)
            return self._sqlite_columns(parts, [d[0] for d in description])
        if self.dialect == "postgres":
            return [(d[0], INT if d[1] in POSTGRES_INTS else
                     INTEGER if d[1] in POSTGRES_INTEGERS else
                     TEXT if d[1] in POSTGRES_TEXTS else
                     DATE if d[1] in POSTGRES_DATES else
                     FLOAT if d[1] in POSTGRES_FLOATS else OTHER) for d in description]
        return [(d[0], _duckdb_kind(str(d[1]).upper())) for d in description]

    def _sqlite_columns(self, parts: tuple[str, ...], names: list[str]
                        ) -> list[tuple[str, str]]:
        """SQLite's columns with their kinds: by their declared type, or, for a column a
        script's ``SELECT ... INTO`` made from an expression (``SUM(x)``, ``COUNT(*)``,
        ``MIN(StartDate)``: SQLite declares no type), by the values it holds: integers, dates
        (ISO text: ``MIN(StartDate)`` of a ``DATE``), other text, or other numbers."""
        declared = dict(self.connection.execute(
            "SELECT name, type FROM pragma_table_info(?)", (parts[-1],)).fetchall())
        kinds = {name: _sqlite_kind(str(declared.get(name) or "")) for name in names}
        untyped = [name for name in names if not declared.get(name)]
        if untyped:
            table = ".".join(quote(p) for p in parts)
            row = self.connection.execute(f"SELECT {', '.join(map(_held, untyped))} FROM {table}"
                                          ).fetchone()
            kinds.update({name: kind or OTHER for name, kind in zip(untyped, row, strict=True)})
        return [(name, kinds[name]) for name in names]

    def close(self) -> None:
        if self.dialect == "postgres":
            self.connection.rollback()  # nothing the script did outlives it
        self.connection.close()


def _changed(cursor: Any, dialect: str) -> int | None:
    """The rows a statement inserted, updated or deleted, as its driver reports them: DuckDB
    as a result of one ``Count`` column, the others by the cursor's ``rowcount``."""
    if dialect == "duckdb":
        description = cursor.description or []
        if len(description) == 1 and description[0][0] == "Count":
            row = cursor.fetchone()
            return int(row[0]) if row else None
        return None
    count = getattr(cursor, "rowcount", -1)
    return count if isinstance(count, int) and count >= 0 else None


def _held(name: str) -> str:
    """SQLite's expression for the kind of the values a column without a declared type holds:
    ``integer`` when all are integers, ``date`` all ISO dates (or times), ``text`` all other
    text; NULL for none, or other numbers, or a mix."""
    column = quote(name)
    return (f"CASE WHEN COUNT({column}) = 0 THEN NULL "
            f"WHEN SUM(typeof({column}) = 'integer') = COUNT({column}) THEN '{INTEGER}' "
            f"WHEN SUM(typeof({column}) = 'text' AND {column} GLOB '{_ISO_DATE}*') "
            f"= COUNT({column}) THEN '{DATE}' "
            f"WHEN SUM(typeof({column}) = 'text') = COUNT({column}) THEN '{TEXT}' END")


_ISO_DATE = "[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]"


def _sqlite_kind(declared: str) -> str:
    """A column's kind by its declared type, as SQLite reads one (its affinity rules; a
    ``DATE`` column holds ISO text)."""
    upper = declared.upper()
    if upper in SQLITE_INTS:
        return INT
    if "INT" in upper:
        return INTEGER
    if any(word in upper for word in ("CHAR", "CLOB", "TEXT")):
        return TEXT
    if any(word in upper for word in ("REAL", "FLOA", "DOUB")):
        return FLOAT
    time_of_day = upper == "TIME" or upper.startswith("TIME(")  # (a TIME holds no date)
    return DATE if ("DATE" in upper or "TIME" in upper) and not time_of_day else OTHER


def _duckdb_kind(declared: str) -> str:
    if declared in DUCKDB_INTS:
        return INT
    if declared in DUCKDB_INTEGERS:
        return INTEGER
    if declared == "VARCHAR":
        return TEXT
    if declared in ("DOUBLE", "FLOAT", "REAL"):
        return FLOAT
    return DATE if declared == "DATE" or declared.startswith("TIMESTAMP") else OTHER


def quote(name: str) -> str:
    """A double-quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def connect_sqlite_readonly(path: Path) -> sqlite3.Connection:
    """Open a SQLite file read-only: ``mode=ro`` on a ``file:`` URI built from the escaped
    absolute path (``Path.as_uri`` percent-encodes ``?``, ``#`` and ``%``), so no character of
    the path can add URI parameters."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        connection = sqlite3.connect(uri, uri=True)
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        raise LeoSynthError(f"cannot open {path} as a SQLite database: {exc}") from exc
    return connection


def _no_other_files(action: int, *_: object) -> int:
    """SQLite authorizer: no ATTACH or DETACH (so also no ``VACUUM INTO``, which attaches),
    the only ways a statement on a read-only file can create or change another file."""
    if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def _sqlite(path: Path) -> Target:
    connection = connect_sqlite_readonly(path)
    connection.set_authorizer(_no_other_files)  # #temp tables still work (the temp schema)
    sqlite_functions.register(connection)  # T-SQL functions SQLite lacks
    names = [row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
        "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_leo\\_synth%' ESCAPE '\\'")]
    return Target("sqlite", connection, {n.lower(): (n,) for n in names})


def _duckdb_memory() -> Any:
    import duckdb

    connection = duckdb.connect(":memory:")
    connection.execute("SET integer_division = true")  # T-SQL: int / int is an int
    sqlite_functions.register_duckdb(connection)  # (dates SQL Server reads and DuckDB not)
    return connection


def _duckdb_file(path: Path) -> Target:
    import duckdb

    connection = _duckdb_memory()
    try:
        connection.execute(f"ATTACH {_literal(str(path))} AS leo (READ_ONLY)")
    except duckdb.Error as exc:
        raise LeoSynthError(f"cannot open {path} as a DuckDB database: {exc}") from exc
    rows = connection.execute(
        "SELECT table_schema, table_name FROM information_schema.tables "
        "WHERE table_catalog = 'leo' AND table_name NOT LIKE '\\_leo\\_synth%' ESCAPE '\\' "
        "ORDER BY table_schema, table_name").fetchall()
    relations: dict[str, tuple[str, ...]] = {}
    databases: dict[str, str] = {}
    for schema, name in rows:
        relations.setdefault(name.lower(), ("leo", schema, name))
        databases.setdefault(name.lower(), schema)
    return Target("duckdb", connection, relations, databases)


def _duckdb_folder(folder: Path) -> Target:
    """A DuckDB extract (``--format duckdb``): one file per SRS database, each attached
    read-only under its SRS name, so three-part names resolve as they are."""
    from leo_synth.writers.duckdb import connect_extract

    # integer_division is set before connect_extract locks the configuration
    connection = connect_extract(folder, _duckdb_memory())
    rows = connection.execute(
        "SELECT database_name, schema_name, table_name FROM duckdb_tables() WHERE NOT internal "
        "AND database_name <> 'memory' ORDER BY 1, 2, 3").fetchall()
    relations: dict[str, tuple[str, ...]] = {}
    databases: dict[str, str] = {}
    for database, schema, name in rows:
        relations.setdefault(name.lower(), (database, schema, name))
        databases.setdefault(name.lower(), database)
    return Target("duckdb", connection, relations, databases)


def _parquet(folder: Path) -> Target:
    from leo_synth.writers.parquet import MANIFEST_FILE  # (loads pyarrow: only when needed)

    files = sorted(folder.glob("*/*.parquet"))
    datasets = sorted({file.parent for file in folder.glob("*/*/*.parquet")})  # --engine dask
    if not files and not datasets:
        raise LeoSynthError(f"{folder} holds no Parquet extract (<database>/<relation>.parquet "
                            f"or <database>/<relation>/*.parquet; {MANIFEST_FILE} at the top)")
    connection = _duckdb_memory()
    relations: dict[str, tuple[str, ...]] = {}
    databases: dict[str, str] = {}
    for file in [*files, *datasets]:
        name = file.stem
        source = str(file / "*.parquet") if file.is_dir() else str(file)
        connection.execute(f"CREATE VIEW {quote(name)} AS SELECT * FROM "
                           f"read_parquet({_literal(source)})")
        relations[name.lower()] = (name,)
        databases[name.lower()] = file.parent.name
    return Target("duckdb", connection, relations, databases)


def _postgres(url: str) -> Target:
    from leo_synth.writers.postgres import STAGING_SUFFIX, connect

    connection = connect(url)
    rows = connection.execute(
        "SELECT table_schema, table_name FROM information_schema.tables "
        "WHERE table_schema NOT LIKE 'pg\\_temp%' ORDER BY table_schema, table_name").fetchall()
    relations: dict[str, tuple[str, ...]] = {}
    databases: dict[str, str] = {}
    for schema, name in rows:
        if schema in SKIPPED_SCHEMAS or schema.endswith(STAGING_SUFFIX):
            continue
        relations.setdefault(name.lower(), (schema, name))
        databases.setdefault(name.lower(), schema)
    return Target("postgres", connection, relations, databases)


def open_target(db: str) -> Target:
    """Open ``db``: a ``postgresql://`` URL, a DuckDB extract folder, a Parquet folder, a
    ``.duckdb`` file or a SQLite file."""
    if db.startswith(("postgresql://", "postgres://")):
        target = _postgres(db)
    else:
        path = Path(db)
        if not path.exists():
            raise LeoSynthError(f"{db} does not exist (give a SQLite file, a DuckDB or Parquet "
                                f"folder, a .duckdb file or a postgresql:// URL)")
        if path.is_dir() and any(path.glob("*.duckdb")):
            target = _duckdb_folder(path)
        elif path.is_dir():
            target = _parquet(path)
        elif path.suffix.lower() in (".duckdb", ".ddb"):
            target = _duckdb_file(path)
        else:
            target = _sqlite(path)
    if not target.relations:
        target.close()
        raise LeoSynthError(f"{db} holds no relations: generate an extract there first")
    return target
