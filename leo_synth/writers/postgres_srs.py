"""SRS addressing in PostgreSQL: a schema named by the project number, a view per relation.

A PostgreSQL query cannot cross databases, so the SRS's three-part names
(``LEO_i2."2002237".leo_employment``) cannot be reproduced as they are. The data stay in one
schema per source database (``leo_i2``, ``npd_i2`` ...), and a schema named by the project
holds a view of every relation under its SRS name. A three-part name therefore becomes a
two-part one by dropping the database (``"2002237".leo_employment``), which is how
``leo-synth sql`` translates it, and ``SET search_path TO "2002237"`` makes bare names work.
Relation names are unique across the SRS databases, so nothing is lost by the drop.

The project schema is marked by its comment; a later run replaces only schemas carrying that
mark, never a schema leo-synth did not make.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from leo_synth.errors import LeoSynthError
from leo_synth.spec.model import Relation

if TYPE_CHECKING:  # the CSV writer's scripts use this module without a database
    import psycopg

PROJECT_SCHEMA_MARK = "leo-synth SRS project schema: a view of every relation of the extract"


def _ident(name: str) -> str:
    return '"' + name.lower().replace('"', '""') + '"'


def project_schema_statements(relations: list[Relation], project: str) -> list[str]:
    """DDL creating the project schema and its views over the per-database schemas."""
    schema = _ident(project)
    statements = [f"CREATE SCHEMA {schema}",
                  f"COMMENT ON SCHEMA {schema} IS '{PROJECT_SCHEMA_MARK}'"]
    statements += [f"CREATE VIEW {schema}.{_ident(rel.name)} AS SELECT * FROM "
                   f"{_ident(rel.database)}.{_ident(rel.name)}" for rel in relations]
    return statements


def create_project_schema(cur: psycopg.Cursor, relations: list[Relation], project: str) -> None:
    """Create this run's project schema (inside the writer's transaction, after the data
    schemas are in place; earlier runs' project schemas were dropped with their data schemas
    by ``postgres_safety.drop_replaced``). A schema of that name that leo-synth did not make
    is refused, and the transaction rolls back."""
    row = cur.execute("select obj_description(oid, 'pg_namespace') from pg_namespace "
                      "where nspname = %s", (project,)).fetchone()
    if row is not None:
        raise LeoSynthError(f"schema {project} exists and was not made by leo-synth; choose "
                            f"another --srs-project or drop the schema")
    cur.execute(";\n".join(project_schema_statements(relations, project)))
