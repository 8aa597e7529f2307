"""The SQL of a PostgreSQL run as a few scripts, each sent in one round trip.

A run creates 188 staging tables with some 18,800 column comments, then about 600 keys and
indexes and 181 ANALYZEs, and publishes by dropping the previous run's tables and creating a
view per relation. Built with SQLAlchemy and sent statement by statement, the staging tables
alone kept the writing process busy for over a second before the workers could start. Here:

* the ``CREATE TABLE`` statements are compiled by SQLAlchemy once and cached on disk
  (:func:`~leo_synth.spec.physical.create_table_statements`, keyed by everything they depend
  on, the staging schemas included); the comments are plain strings from the spec's texts;
* each phase is one script (statements joined by ``;``), which PostgreSQL runs in the
  writer's transaction as it would run them one by one: the first error stops it, and the
  transaction rolls back as before.

The scripts change how the statements travel, not what they do: the same tables, comments,
keys, indexes (named by PostgreSQL as before) and statistics.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from leo_synth.spec.model import Relation
from leo_synth.spec.physical import (
    column_comment,
    create_table_statements,
    folded_sqlalchemy_table,
    index_columns,
    table_comment,
)
from leo_synth.writers.postgres_safety import (
    STAGING_MARKER,
    STAGING_SUFFIX,
    ident,
    quote_literal,
)

if TYPE_CHECKING:  # SQLAlchemy is imported only where DDL is compiled (a cache miss)
    import sqlalchemy as sa


def staging_schema(relation: Relation) -> str:
    return relation.database + STAGING_SUFFIX


def staging_name(relation: Relation) -> str:
    """A relation's table in its staging schema, quoted."""
    return f"{ident(staging_schema(relation))}.{ident(relation.name)}"


def _staging_table(relation: Relation, metadata: sa.MetaData) -> sa.Table:
    return folded_sqlalchemy_table(relation, metadata, staging_schema(relation))


def staging_script(relations: list[Relation]) -> str:
    """Create (in the current transaction) the marked staging schemas and every relation's
    empty table with its table and column comments."""
    schemas = sorted({staging_schema(rel) for rel in relations})
    statements = [f"CREATE SCHEMA {ident(schema)}; COMMENT ON SCHEMA {ident(schema)} IS "
                  f"{quote_literal(STAGING_MARKER)}" for schema in schemas]
    tables = create_table_statements(relations, "postgresql", _staging_table,
                                     salt=" ".join(schemas))
    for rel, create in zip(relations, tables, strict=True):
        name = staging_name(rel)
        statements.append(create.strip())
        statements.append(f"COMMENT ON TABLE {name} IS {quote_literal(table_comment(rel))}")
        statements += [f"COMMENT ON COLUMN {name}.{ident(col.name)} IS "
                       f"{quote_literal(column_comment(col))}" for col in rel.columns]
    return ";\n".join(statements)


def key_statements(relation: Relation) -> list[str]:
    """A loaded relation's primary key and indexes, then the statistics of those columns
    (what the planner needs for the joins through the lookups)."""
    table = staging_name(relation)
    statements = []
    if relation.primary_key:
        statements.append(f"ALTER TABLE {table} ADD PRIMARY KEY "
                          f"({', '.join(ident(c) for c in relation.primary_key)})")
    statements += [f"CREATE INDEX ON {table} ({ident(col)})" for col in index_columns(relation)]
    keyed = [*relation.primary_key, *index_columns(relation)]
    if keyed:
        statements.append(f"ANALYZE {table} ({', '.join(ident(c) for c in keyed)})")
    return statements
