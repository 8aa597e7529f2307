"""What the PostgreSQL writer may replace: only schemas, tables and a manifest leo-synth made.

leo-synth marks what it creates: every data schema carries :data:`DATA_MARKER` as its comment,
a staging schema :data:`STAGING_MARKER`, the ``leo_synth`` schema :data:`META_MARKER` and its
manifest table :data:`MANIFEST_MARKER`. Before a replace (in ``check``, before anything is
simulated, and again inside the publishing transaction) :func:`plan_replacement` refuses when

- a schema the run needs exists but is not marked as leo-synth's (a user's ``leo_i2`` or
  ``leo_i2__leo_synth_staging``, a user's ``leo_synth`` schema or ``leo_synth.manifest``);
- a leo-synth schema holds anything not listed in the previous run's manifest (a user's
  table, view, sequence, function or type);
- anything outside the leo-synth schemas depends on them (a view, a foreign key, a function);
- the role may not create schemas, or does not own what it would drop.

Every leo-synth data schema is replaced, also those the new run does not write (a narrowed
``--request`` run replacing a full one), so the database always holds exactly one run. Tables
are dropped one by one and schemas without CASCADE: should anything slip past the checks,
PostgreSQL refuses and the transaction rolls back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import psycopg

from leo_synth.errors import LeoSynthError
from leo_synth.secrets import redact
from leo_synth.writers.postgres_srs import PROJECT_SCHEMA_MARK

STAGING_SUFFIX = "__leo_synth_staging"
META_SCHEMA = "leo_synth"
MANIFEST_TABLE = "manifest"
DATA_MARKER = "leo-synth synthetic data: no row describes a real person"
STAGING_MARKER = "leo-synth staging: a run in progress (removed by the next leo-synth run)"
META_MARKER = "leo-synth run metadata"
MANIFEST_MARKER = "leo-synth run manifest"
RUN_LOCK_KEY = 0x4C454F53
"""Advisory lock held by a run's transaction: one leo-synth run per database at a time."""

_KINDS = {"r": "table", "p": "table", "v": "view", "m": "materialized view", "S": "sequence",
          "f": "foreign table", "c": "type"}
_SHOWN = 4
"""Objects named in a refusal before "and N more"."""


def quote_literal(text: str) -> str:
    """A string constant that reads back as ``text`` whatever ``standard_conforming_strings``
    says (an escape string when it holds a backslash)."""
    quoted = text.replace("'", "''")
    if "\\" in quoted:
        return "E'" + quoted.replace("\\", "\\\\") + "'"
    return "'" + quoted + "'"


def ident(name: str) -> str:
    """An identifier as PostgreSQL folds an unquoted one, quoted for safety."""
    return '"' + name.lower().replace('"', '""') + '"'


@dataclass
class Replacement:
    """The leo-synth schemas to drop, with the previous run's tables in each, and its SRS
    project schemas with their views (dropped first: they depend on the tables)."""

    tables: dict[str, list[str]] = field(default_factory=dict)
    views: dict[str, list[str]] = field(default_factory=dict)


def _listing(items: list[str]) -> str:
    shown = ", ".join(items[:_SHOWN])
    return shown + (f" and {len(items) - _SHOWN} more" if len(items) > _SHOWN else "")


def _schemas(conn: psycopg.Connection) -> dict[str, tuple[int, str | None, bool]]:
    """Every schema: oid, comment, and whether the current role owns it (or is a member)."""
    rows = conn.execute(
        "select nspname, oid::bigint, obj_description(oid, 'pg_namespace'), "
        "pg_has_role(nspowner, 'USAGE') from pg_namespace").fetchall()
    return {name: (oid, comment, owned) for name, oid, comment, owned in rows}


def _manifest_is_ours(conn: psycopg.Connection) -> tuple[bool | None, set[str]]:
    """(None when there is no manifest table | whether it is leo-synth's, its relations).

    Ours means the marker comment, or (outputs made before the marker) exactly one jsonb
    column named ``manifest`` whose rows are leo-synth manifests.
    """
    row = conn.execute(
        "select c.oid, obj_description(c.oid, 'pg_class') from pg_class c join pg_namespace n "
        "on n.oid = c.relnamespace where n.nspname = %s and c.relname = %s",
        (META_SCHEMA, MANIFEST_TABLE)).fetchone()
    if row is None:
        return None, set()
    oid, comment = row
    columns = conn.execute(
        "select attname, format_type(atttypid, atttypmod) from pg_attribute "
        "where attrelid = %s and attnum > 0 and not attisdropped", (oid,)).fetchall()
    if columns != [("manifest", "jsonb")]:
        return False, set()
    docs = [doc for (doc,) in conn.execute(
        f"select manifest from {ident(META_SCHEMA)}.{ident(MANIFEST_TABLE)}").fetchall()]
    if comment != MANIFEST_MARKER and not all(
            isinstance(doc, dict) and "leo_synth" in doc for doc in docs):
        return False, set()
    names = {str(name).lower() for doc in docs if isinstance(doc, dict)
             for name in (doc.get("relations") or {})}
    return True, names


def _foreign_objects(conn: psycopg.Connection, oids: list[int], ours: set[str],
                     kinds: str = "rp") -> list[str]:
    """Objects in these schemas that are not relations of the previous run of these
    ``kinds`` (tables; views in a project schema), with their kind."""
    found = []
    for schema, name, kind in conn.execute(
            "select relnamespace::regnamespace::text, relname, relkind::text from pg_class "
            "where relnamespace = any(%s) and relkind in ('r','p','v','m','S','f') "
            "order by 1, 2", (oids,)).fetchall():
        if not (kind in kinds and name.lower() in ours):
            found.append(f"{_KINDS[kind]} {schema}.{name}")
    for (signature,) in conn.execute(
            "select oid::regprocedure::text from pg_proc where pronamespace = any(%s) "
            "order by 1", (oids,)).fetchall():
        found.append(f"function {signature}")
    for (name,) in conn.execute(
            "select oid::regtype::text from pg_type where typnamespace = any(%s) "
            "and typrelid = 0 and typelem = 0 order by 1", (oids,)).fetchall():
        found.append(f"type {name}")
    return found


def _outside_dependents(conn: psycopg.Connection, oids: list[int]) -> list[str]:
    """Views, foreign keys and functions outside these schemas that use their relations."""
    rows = conn.execute(
        """
        select distinct format('%%s %%s (uses %%s)',
               case v.relkind when 'm' then 'materialized view' else 'view' end,
               v.relnamespace::regnamespace || '.' || v.relname,
               t.relnamespace::regnamespace || '.' || t.relname)
        from pg_depend d
        join pg_rewrite r on d.classid = 'pg_rewrite'::regclass and d.objid = r.oid
        join pg_class v on v.oid = r.ev_class
        join pg_class t on d.refclassid = 'pg_class'::regclass and d.refobjid = t.oid
        where t.relnamespace = any(%(s)s) and v.relnamespace <> all(%(s)s)
        union
        select distinct format('foreign key %%s on %%s (references %%s)', c.conname,
               f.relnamespace::regnamespace || '.' || f.relname,
               t.relnamespace::regnamespace || '.' || t.relname)
        from pg_constraint c join pg_class t on t.oid = c.confrelid
        join pg_class f on f.oid = c.conrelid
        where c.contype = 'f' and t.relnamespace = any(%(s)s) and f.relnamespace <> all(%(s)s)
        union
        select distinct format('function %%s.%%s (uses %%s)',
               p.pronamespace::regnamespace, p.proname,
               t.relnamespace::regnamespace || '.' || t.relname)
        from pg_depend d
        join pg_proc p on d.classid = 'pg_proc'::regclass and d.objid = p.oid
        join pg_class t on d.refclassid = 'pg_class'::regclass and d.refobjid = t.oid
        where t.relnamespace = any(%(s)s) and p.pronamespace <> all(%(s)s)
        order by 1
        """, {"s": oids}).fetchall()
    return [text for (text,) in rows]


def _may_rewrite_manifest(conn: psycopg.Connection) -> bool:
    table = f"{ident(META_SCHEMA)}.{ident(MANIFEST_TABLE)}"
    return conn.execute("select has_table_privilege(%s, 'INSERT, DELETE')",
                        (table,)).fetchone()[0]


def _not_owned_tables(conn: psycopg.Connection, oids: list[int]) -> list[str]:
    return [name for (name,) in conn.execute(
        "select oid::regclass::text from pg_class where relnamespace = any(%s) "
        "and relkind in ('r','p') and not pg_has_role(relowner, 'USAGE') order by 1",
        (oids,)).fetchall()]


def plan_replacement(conn: psycopg.Connection, databases: list[str], if_exists: str,
                     target: str) -> Replacement:
    """Check that a run writing these schemas may proceed; what it will drop when it does.

    Raises one :class:`LeoSynthError` naming everything in the way.
    """
    where = redact(target)
    database_name, may_create = conn.execute(
        "select current_database(), has_database_privilege(current_database(), 'CREATE')"
    ).fetchone()
    if not may_create:
        raise LeoSynthError(f"permission denied for database {database_name} at {where}: the "
                            f"role may not create schemas; grant it CREATE on the database or "
                            f"use another database")
    schemas = _schemas(conn)
    problems: list[str] = []
    for staging in (db + STAGING_SUFFIX for db in databases):
        if staging in schemas and schemas[staging][1] != STAGING_MARKER:
            problems.append(f"schema {staging} was not made by leo-synth")
        elif staging in schemas and not schemas[staging][2]:
            problems.append(f"must be owner of the stale staging schema {staging}")
    manifest_ours, previous = _manifest_is_ours(conn)
    if META_SCHEMA in schemas:
        _, meta_comment, _ = schemas[META_SCHEMA]
        if manifest_ours is False or (manifest_ours is None and meta_comment != META_MARKER):
            problems.append(f"schema {META_SCHEMA} (where leo-synth keeps its run manifest) "
                            f"was not made by leo-synth")
        elif manifest_ours and not _may_rewrite_manifest(conn):
            problems.append(f"must be owner of {META_SCHEMA}.{MANIFEST_TABLE}")
    unmarked = sorted(db for db in databases
                      if db in schemas and schemas[db][1] != DATA_MARKER)
    problems += [f"schema {db} was not made by leo-synth" for db in unmarked]
    ours = sorted(name for name, (_, comment, _) in schemas.items() if comment == DATA_MARKER)
    if ours and if_exists != "replace" and not problems:
        raise LeoSynthError(f"schema {', '.join(ours)} already exists in {where}; use "
                            f"--if-exists replace to overwrite it")
    replacement = Replacement()
    projects = sorted(name for name, (_, comment, _) in schemas.items()
                      if comment == PROJECT_SCHEMA_MARK)
    if ours or projects:
        oids = [schemas[name][0] for name in ours]
        project_oids = [schemas[name][0] for name in projects]
        foreign = _foreign_objects(conn, oids, previous)
        foreign += _foreign_objects(conn, project_oids, previous, kinds="v")
        if foreign:
            problems.append(f"leo-synth schemas hold objects it did not make: "
                            f"{_listing(foreign)}")
        # The project schemas' views use the data schemas' tables: they are replaced too,
        # so only dependents outside both count.
        outside = _outside_dependents(conn, oids + project_oids)
        if outside:
            problems.append(f"objects outside depend on leo-synth schemas: {_listing(outside)}")
        not_owned = [f"schema {name}" for name in ours + projects if not schemas[name][2]]
        not_owned += [f"table {name}" for name in _not_owned_tables(conn, oids)]
        if not_owned:
            problems.append(f"must be owner of {_listing(not_owned)} to replace it")
        for name in ours:
            replacement.tables[name] = [table for (table,) in conn.execute(
                "select relname from pg_class where relnamespace = %s and relkind in ('r','p') "
                "order by 1", (schemas[name][0],)).fetchall()]
        for name in projects:
            replacement.views[name] = [view for (view,) in conn.execute(
                "select relname from pg_class where relnamespace = %s and relkind = 'v' "
                "order by 1", (schemas[name][0],)).fetchall()]
    if problems:
        raise LeoSynthError(f"refusing to write to {where}: {'; '.join(problems)}; leo-synth "
                            f"replaces only what it made: move, rename or drop these, or "
                            f"write to another database")
    return replacement


def drop_replaced(cur: psycopg.Cursor, replacement: Replacement) -> None:
    """Drop the previous run's views, tables and schemas, without CASCADE (one statement per
    schema's views or tables, refused as a whole should anything else depend on one)."""
    statements = []
    for kind, held in (("VIEW", replacement.views), ("TABLE", replacement.tables)):
        for schema, names in held.items():
            if names:
                statements.append(f"DROP {kind} "
                                  f"{', '.join(f'{ident(schema)}.{ident(n)}' for n in names)}")
            statements.append(f"DROP SCHEMA {ident(schema)}")
    if statements:
        cur.execute(";\n".join(statements))


def drop_stale_staging(cur: psycopg.Cursor, staging: str, target: str) -> None:
    """Remove a staging schema an earlier run left (only when marked as leo-synth's)."""
    row = cur.execute("select oid, obj_description(oid, 'pg_namespace') from pg_namespace "
                      "where nspname = %s", (staging,)).fetchone()
    if row is None:
        return
    if row[1] != STAGING_MARKER:
        raise LeoSynthError(f"refusing to write to {redact(target)}: schema {staging} was not "
                            f"made by leo-synth; rename or drop it")
    for (table,) in cur.execute("select relname from pg_class where relnamespace = %s "
                                "and relkind in ('r','p')", (row[0],)).fetchall():
        cur.execute(f"DROP TABLE {ident(staging)}.{ident(table)}")
    cur.execute(f"DROP SCHEMA {ident(staging)}")


def take_run_lock(cur: psycopg.Cursor, target: str) -> None:
    """Fail at once when another leo-synth run is loading into the same database."""
    if not cur.execute("select pg_try_advisory_xact_lock(%s)", (RUN_LOCK_KEY,)).fetchone()[0]:
        raise LeoSynthError(f"another leo-synth run is writing to {redact(target)}; wait for it "
                            f"to finish (or stop it) and run again")


def store_manifest(cur: psycopg.Cursor, manifest_json: str) -> None:
    """Replace the rows of leo-synth's own manifest table (checked by plan_replacement)."""
    meta, table = ident(META_SCHEMA), f"{ident(META_SCHEMA)}.{ident(MANIFEST_TABLE)}"
    cur.execute(f"CREATE SCHEMA IF NOT EXISTS {meta}")
    cur.execute(f"CREATE TABLE IF NOT EXISTS {table} (manifest jsonb NOT NULL)")
    marked = cur.execute(f"select obj_description({quote_literal(META_SCHEMA)}::regnamespace, "
                         f"'pg_namespace') = {quote_literal(META_MARKER)}, "
                         f"obj_description({quote_literal(table)}::regclass, 'pg_class') = "
                         f"{quote_literal(MANIFEST_MARKER)}").fetchone()
    if not marked[0]:  # outputs made before the markers get them now
        cur.execute(f"COMMENT ON SCHEMA {meta} IS {quote_literal(META_MARKER)}")
    if not marked[1]:
        cur.execute(f"COMMENT ON TABLE {table} IS {quote_literal(MANIFEST_MARKER)}")
    cur.execute(f"DELETE FROM {table}")
    cur.execute(f"INSERT INTO {table} VALUES (%s)", (manifest_json,))
