"""PostgreSQL writer: one schema per source database, loaded with COPY in one transaction.

Tables are built in staging schemas, loaded with ``COPY ... FROM STDIN (FORMAT csv)`` from CSV
that Arrow renders (no per-row Python), keyed and indexed, then swapped in for the previous
schemas, all in one transaction on one connection: an error, Ctrl-C or a lost connection rolls
everything back, the previous data stay as they were and no staging schema is ever visible to
another session.

The server does one thing at a time for this connection, so the writer keeps it busy when it
would otherwise wait (writers/postgres_ddl.py sends the statements as scripts): the staging
tables are created by a script sent without waiting for its answer, so the server creates them
while the workers build the first blocks; the blocks the workers build at once arrive relation
by relation (``blocks_together = 0``), and a relation's keys, indexes and statistics are made
once it has all its rows (``finish``), while the workers build the next relations (at 10,000
persons the keys, over a third of the server's work, were otherwise all left for the commit);
whatever is not finished then is keyed at commit. Each script's answer is read before
the connection is used again, and its error fails the run like any other. Rejected: a second
connection building indexes in parallel, which would see the staging tables only once
committed, so that a killed run would leave them behind and other sessions would see them;
and indexes made with the empty tables for COPY to maintain, which cost the server as much in
all (measured) and lengthened the load.

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

import contextlib
import io

import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv
from psycopg import generators, pq

from leo_synth.errors import LeoSynthError
from leo_synth.fault_points import pause_point
from leo_synth.secrets import redact, remember_secrets
from leo_synth.spec.model import Relation
from leo_synth.srs_address import SrsNaming
from leo_synth.writers.base import Writer
from leo_synth.writers.postgres_ddl import key_statements, staging_name, staging_script
from leo_synth.writers.postgres_safety import (
    DATA_MARKER,
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
        self.pending: str | None = None
        """What the script sent last is doing, until its answer is read (``_settle``)."""
        self.keyed: set[str] = set()
        """Relations whose keys and indexes are made (at ``finish``)."""
        self.indexing = False

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
            with self.connection.cursor() as cur:
                take_run_lock(cur, self.target)
                for database in self._databases():
                    drop_stale_staging(cur, database + STAGING_SUFFIX, self.target)
            # the server creates the tables while the workers build the first blocks
            self._send(staging_script(self.relations), "creating the staging schemas")
        except psycopg.Error as exc:
            raise database_error(exc, self.target, "creating the staging schemas") from exc

    def _send(self, script: str, doing: str) -> None:
        """Send a script without waiting for its answer, which :meth:`_settle` reads before
        the connection is used again (the server runs it meanwhile)."""
        assert self.connection is not None and self.pending is None
        pgconn = self.connection.pgconn
        try:
            pgconn.send_query(script.encode())
            self.connection.wait(generators.send(pgconn))
        except psycopg.Error as exc:
            raise database_error(exc, self.target, doing) from exc
        self.pending = doing

    def _settle(self) -> None:
        """Wait for the answer to the script sent last; raise its error as a one-line
        :class:`LeoSynthError` (the transaction is then rolled back by ``abort``)."""
        if self.pending is None:
            return
        assert self.connection is not None
        doing, self.pending = self.pending, None
        try:
            results = self.connection.wait(generators.fetch_many(self.connection.pgconn))
            for result in results:
                if result.status == pq.ExecStatus.FATAL_ERROR:
                    raise psycopg.errors.error_from_result(
                        result, encoding=self.connection.info.encoding)
        except psycopg.Error as exc:
            raise database_error(exc, self.target, doing) from exc

    encoder = staticmethod(copy_csv)

    blocks_together = 0
    """The blocks the workers build at once arrive relation by relation, so a relation is
    finished (and keyed) while the workers build the next ones; the tables hold the same rows
    in the same order whatever the order of relations."""

    def _write(self, relation: Relation, batch: pa.RecordBatch) -> None:
        self._write_encoded(relation, copy_csv(relation, batch))

    def _write_encoded(self, relation: Relation, encoded: bytes) -> None:
        """COPY one batch's CSV (rendered by :func:`copy_csv`, usually in a worker)."""
        assert self.connection is not None
        self._settle()
        columns = ", ".join(ident(c.name) for c in relation.columns)
        table = staging_name(relation)
        try:
            with self.connection.cursor() as cur, cur.copy(
                    f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)") as copy:
                copy.write(encoded)
        except psycopg.Error as exc:
            raise database_error(exc, self.target, f"loading {relation.qualified_name}") from exc
        if not self.loaded_any:
            self.loaded_any = True
            pause_point("postgres-load")

    def finish(self, relation: Relation) -> None:
        """Key, index and analyse a relation once it has all its rows, while the workers
        build the others' (sent without waiting: the server works while this process
        receives the next batches)."""
        assert self.connection is not None
        self.keyed.add(relation.name)
        statements = key_statements(relation)
        if not statements:
            return
        self._settle()
        self._send(";\n".join(statements), f"indexing {relation.qualified_name}")
        if not self.indexing:
            self.indexing = True
            pause_point("postgres-index")  # a fault test's moment: a script in flight

    def commit(self) -> None:
        assert self.connection is not None and self.manifest is not None
        self.announce("index")
        self._settle()
        rest = [statement for rel in self.relations if rel.name not in self.keyed
                for statement in key_statements(rel)]
        if rest:
            self._send(";\n".join(rest), "creating keys and indexes")
            self._settle()
        try:
            with self.connection.cursor() as cur:
                self.announce("publish")
                pause_point("postgres-publish")
                replaced = plan_replacement(self.connection, self._databases(), self.if_exists,
                                            self.target)
                drop_replaced(cur, replaced)
                cur.execute(";\n".join(
                    f"ALTER SCHEMA {ident(database + STAGING_SUFFIX)} RENAME TO "
                    f"{ident(database)}; COMMENT ON SCHEMA {ident(database)} IS "
                    f"{quote_literal(DATA_MARKER)}" for database in self._databases()))
                create_project_schema(cur, self.relations,
                                      SrsNaming.from_settings(self.manifest.settings).project)
                store_manifest(cur, self.manifest.to_json())
            self.connection.commit()
        except psycopg.Error as exc:
            raise database_error(exc, self.target, "publishing the schemas") from exc
        self.connection.close()
        self.connection = None

    def abort(self) -> None:
        if self.connection is not None:
            # closing rolls the transaction back, also with a script still running
            with contextlib.suppress(psycopg.Error):
                self.connection.close()
            self.connection = None
