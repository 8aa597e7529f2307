"""Physical forms of a relation derived from its spec: the Arrow schema and SQLAlchemy table.

Both come from the same :class:`~leo_synth.spec.model.Relation`, so the batches every writer
receives and the DDL every database gets cannot drift apart.
"""

from __future__ import annotations

import pyarrow as pa
import sqlalchemy as sa

from leo_synth.spec.model import Relation


def arrow_schema(relation: Relation) -> pa.Schema:
    """Arrow schema of a relation, with column descriptions as field metadata."""
    fields = [
        pa.field(col.name, col.spec.type.arrow_type(), nullable=col.spec.nullable,
                 metadata={"description": col.spec.description})
        for col in relation.columns
    ]
    return pa.schema(fields, metadata={
        "relation": relation.name,
        "database": relation.database,
        "grain": relation.table.grain,
        "synthetic": "leo-synth synthetic data: no row describes a real person",
    })


def sqlalchemy_table(relation: Relation, metadata: sa.MetaData, schema: str | None) -> sa.Table:
    """A SQLAlchemy table for DDL, without keys (they are added after loading)."""
    columns = [
        sa.Column(col.name, col.spec.type.sqlalchemy_type(), nullable=col.spec.nullable,
                  comment=col.spec.description[:1000])
        for col in relation.columns
    ]
    comment = f"{relation.table.description} Grain: {relation.table.grain}. (leo-synth, synthetic)"
    return sa.Table(relation.name, metadata, *columns, schema=schema, comment=comment[:1000],
                    quote=True)


def folded_sqlalchemy_table(relation: Relation, metadata: sa.MetaData, schema: str | None
                            ) -> sa.Table:
    """:func:`sqlalchemy_table` with the relation and column names in lower case, as
    PostgreSQL folds unquoted names (so the SRS's case-insensitive SQL runs unchanged)."""
    table = sqlalchemy_table(relation, metadata, schema=schema)
    table.name = relation.name.lower()
    for column in table.columns:
        column.name = column.name.lower()
    return table


def index_columns(relation: Relation) -> list[str]:
    """Columns worth an index: keys and references (primary-key columns excluded)."""
    primary = set(relation.primary_key)
    return [col.name for col in relation.columns
            if (col.spec.key or col.spec.references) and col.name not in primary]
