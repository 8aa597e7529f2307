"""PostgreSQL writer: one schema per source database, loaded with COPY in one transaction.

Tables are built in staging schemas, loaded with ``COPY ... FROM STDIN (FORMAT csv)`` from CSV
that Arrow renders (no per-row Python), keyed and indexed, then swapped in for the previous
schemas, all in one transaction: an error or Ctrl-C rolls everything back and the previous data
stay as they were.

Only the key columns are analysed at load time: they are what the planner needs for the joins
through the lookups. A full ANALYZE of the 18,000-odd columns took ten times longer (11.6 s of a
31 s run at 10,000 persons, against 1.1 s); autovacuum gathers the other columns' statistics
in the background once the tables are in place.

Identifiers are created in lower case, unquoted-style, so the SRS's case-insensitive SQL
(``select PupilMatchingRefAnonymous_spr11 from Spring_Census_2011``) runs unchanged here.

Never destroy what leo-synth did not make: its schemas carry a comment marker, its manifest
table another, and nothing is dropped with CASCADE. Before replacing, :mod:`.postgres_safety`
checks that the schemas are leo-synth's, hold only the relations of the previous run's
manifest, and that nothing outside depends on them; otherwise the run is refused in one line
before anything is simulated (and checked again inside the publishing transaction).
"""

from __future__ import annotations

import io

import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv
import sqlalchemy as sa
from psycopg import sql
from sqlalchemy.dialects import postgresql

from leo_synth.errors import LeoSynthError
from leo_synth.fault_points import pause_point
from leo_synth.secrets import redact, remember_secrets
from leo_synth.spec.model import Relation
from leo_synth.spec.physical import folded_sqlalchemy_table, index_columns
from leo_synth.srs_address import SrsNaming
from leo_synth.writers.base import Writer
from leo_synth.writers.postgres_safety import (
    DATA_MARKER,
    STAGING_MARKER,
    STAGING_SUFFIX,
    drop_replaced,
    drop_stale_staging,
    ident,
    plan_replacement,
    quote_literal,
    store_manifest,
    take_run_lock,
)
from leo_synth.writers.postgres_srs import create_project_schema

APPLICATION_NAME = "leo-synth"
"""Shown in pg_stat_activity, so an administrator (or a test) can find a running load."""


def connect(url: str) -> psycopg.Connection:
    """Connect, turning connection failures into one-line :class:`LeoSynthError`s."""
    remember_secrets(url)
    try:
        return psycopg.connect(url, connect_timeout=10, application_name=APPLICATION_NAME)
    except psycopg.OperationalError as exc:
        detail = " ".join(str(exc).split())
        raise LeoSynthError(f"cannot connect to PostgreSQL at {redact(url)}: {detail}") from exc
    except psycopg.ProgrammingError as exc:
        raise LeoSynthError(f"bad PostgreSQL URL {redact(url)}: {exc}") from exc


def database_error(exc: psycopg.Error, target: str, doing: str) -> LeoSynthError:
    """One line for a server-side failure during a run (the transaction is rolled back)."""
    first_line = next((line for line in str(exc).splitlines() if line.strip()), "")
    detail = " ".join(first_line.split()) or type(exc).__name__
    where = redact(target)
    if isinstance(exc, psycopg.errors.InsufficientPrivilege):
        return LeoSynthError(f"PostgreSQL at {where} refused while {doing}: {detail}; run as a "
                             f"role that owns the leo-synth schemas and may create schemas")
    if isinstance(exc, psycopg.OperationalError):
        return LeoSynthError(f"lost the PostgreSQL connection to {where} while {doing} "
                             f"({detail}); nothing was published and the previous schemas are "
                             f"unchanged: run again when the server is back")
    return LeoSynthError(f"PostgreSQL at {where} failed while {doing}: {detail}; nothing was "
                         f"published and the previous schemas are unchanged")


def copy_csv(relation: Relation, batch: pa.RecordBatch) -> bytes:
    """A batch as the CSV payload of ``COPY ... FROM STDIN (FORMAT csv)``, rendered by Arrow:
    every value quoted except NULLs, which CSV COPY reads as NULL."""
    buffer = io.BytesIO()
    options = pacsv.WriteOptions(include_header=False, quoting_style="all_valid")
    pacsv.write_csv(batch, buffer, write_options=options)
    return buffer.getvalue()


class PostgresWriter(Writer):
    def __init__(self, target: str, if_exists: str):
        super().__init__(target, if_exists)
        remember_secrets(target)
        self.connection: psycopg.Connection | None = None
        self.loaded_any = False

    def _databases(self) -> list[str]:
        return sorted({rel.database for rel in self.relations})

    def check(self, relations: list[Relation]) -> None:
        databases = sorted({rel.database for rel in relations})
        with connect(self.target) as conn:
            try:
                plan_replacement(conn, databases, self.if_exists, self.target)
            except psycopg.Error as exc:
                raise database_error(exc, self.target, "checking the target") from exc

    def _open(self) -> None:
        self.connection = connect(self.target)
        try:
            self._create_staging()
        except psycopg.Error as exc:
            raise database_error(exc, self.target, "creating the staging schemas") from exc

    def _create_staging(self) -> None:
        assert self.connection is not None
        dialect = postgresql.dialect()
        metadata = sa.MetaData()
        with self.connection.cursor() as cur:
            take_run_lock(cur, self.target)
            for database in self._databases():
                staging = database + STAGING_SUFFIX
                drop_stale_staging(cur, staging, self.target)
                cur.execute(f"CREATE SCHEMA {ident(staging)}")
                cur.execute(f"COMMENT ON SCHEMA {ident(staging)} IS "
                            f"{quote_literal(STAGING_MARKER)}")
            for rel in self.relations:
                table = folded_sqlalchemy_table(rel, metadata, rel.database + STAGING_SUFFIX)
                cur.execute(str(sa.schema.CreateTable(table).compile(dialect=dialect)))
                self._comment(cur, table, dialect)

    @staticmethod
    def _comment(cur: psycopg.Cursor, table: sa.Table, dialect: sa.engine.Dialect) -> None:
        """Descriptions from the spec as table and column comments (shown by \\d+)."""
        name = f"{ident(table.schema)}.{ident(table.name)}"
        statements = [sql.SQL(f"COMMENT ON TABLE {name} IS {{}}").format(
            sql.Literal(table.comment))]
        statements += [sql.SQL(f"COMMENT ON COLUMN {name}.{ident(column.name)} IS {{}}").format(
            sql.Literal(column.comment)) for column in table.columns]
        cur.execute(sql.SQL("; ").join(statements))

    encoder = staticmethod(copy_csv)

    def _write(self, relation: Relation, batch: pa.RecordBatch) -> None:
        self._write_encoded(relation, copy_csv(relation, batch))

    def _write_encoded(self, relation: Relation, encoded: bytes) -> None:
        """COPY one batch's CSV (rendered by :func:`copy_csv`, usually in a worker)."""
        assert self.connection is not None
        columns = ", ".join(ident(c.name) for c in relation.columns)
        table = f"{ident(relation.database + STAGING_SUFFIX)}.{ident(relation.name)}"
        try:
            with self.connection.cursor() as cur, cur.copy(
                    f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)") as copy:
                copy.write(encoded)
        except psycopg.Error as exc:
            raise database_error(exc, self.target, f"loading {relation.qualified_name}") from exc
        if not self.loaded_any:
            self.loaded_any = True
            pause_point("postgres-load")

    def commit(self) -> None:
        assert self.connection is not None and self.manifest is not None
        try:
            with self.connection.cursor() as cur:
                self.announce("index")
                self._key_and_analyse(cur)
                self.announce("publish")
                pause_point("postgres-publish")
                replaced = plan_replacement(self.connection, self._databases(), self.if_exists,
                                            self.target)
                drop_replaced(cur, replaced)
                for database in self._databases():
                    cur.execute(f"ALTER SCHEMA {ident(database + STAGING_SUFFIX)} RENAME TO "
                                f"{ident(database)}")
                    cur.execute(f"COMMENT ON SCHEMA {ident(database)} IS "
                                f"{quote_literal(DATA_MARKER)}")
                create_project_schema(cur, self.relations,
                                      SrsNaming.from_settings(self.manifest.settings).project)
                store_manifest(cur, self.manifest.to_json())
            self.connection.commit()
        except psycopg.Error as exc:
            raise database_error(exc, self.target, "publishing the schemas") from exc
        self.connection.close()
        self.connection = None

    def _key_and_analyse(self, cur: psycopg.Cursor) -> None:
        for rel in self.relations:
            table = f"{ident(rel.database + STAGING_SUFFIX)}.{ident(rel.name)}"
            if rel.primary_key:
                cols = ", ".join(ident(c) for c in rel.primary_key)
                cur.execute(f"ALTER TABLE {table} ADD PRIMARY KEY ({cols})")
            for col in index_columns(rel):
                cur.execute(f"CREATE INDEX ON {table} ({ident(col)})")
            keyed = [*rel.primary_key, *index_columns(rel)]
            if keyed:
                cur.execute(f"ANALYZE {table} ({', '.join(ident(c) for c in keyed)})")

    def abort(self) -> None:
        if self.connection is not None:
            try:
                self.connection.rollback()
                self.connection.close()
            except psycopg.Error:
                pass
            self.connection = None
