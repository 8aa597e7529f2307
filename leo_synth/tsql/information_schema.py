"""``INFORMATION_SCHEMA.TABLES``, ``.VIEWS`` and ``.COLUMNS`` as the SRS shows the extract.

Scripts look a relation's columns up before they query it (``SELECT COLUMN_NAME FROM
[NPD_i2].INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'spring_census_2011'``), and census
years differ in their columns. No target can answer that as the SRS does: SQLite has no such
catalog, and PostgreSQL's and DuckDB's name their own schemas and types. So the first
statement that reads one of these views has it made, as a temporary table of the session
(``Target.load_rows``), from the spec: each relation of the output is a view of its SRS
database (``TABLE_CATALOG``) in the project's schema, its columns in order with their SQL
Server types. With a database (``[NPD_i2].INFORMATION_SCHEMA.COLUMNS``), or after ``USE
[NPD_i2]``, the view holds that database's relations only, as in SQL Server; before any
``USE`` and with none named, every database's.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from leo_synth.spec.model import Relation
from leo_synth.tsql import spec_lookup

PROJECT = "2002237"
"""The project schema the extract's views are shown in (the examples' placeholder)."""
VIEWS = {
    "tables": ("table_catalog", "table_schema", "table_name", "table_type"),
    "views": ("table_catalog", "table_schema", "table_name"),
    "columns": ("table_catalog", "table_schema", "table_name", "column_name",
                "ordinal_position", "column_default", "is_nullable", "data_type",
                "character_maximum_length", "numeric_precision", "numeric_scale"),
}
INTEGER_COLUMNS = {"ordinal_position", "character_maximum_length", "numeric_precision",
                   "numeric_scale"}


@cache
def _srs_databases() -> dict[str, str]:
    """Each database's SRS name (Iteration 2's, else Iteration 1's)."""
    return {database: dict(names).get(2) or dict(names).get(1) or database
            for database, names in spec_lookup.catalog().databases.items()}


@cache
def column_spellings(relation: str) -> dict[str, str]:
    """The SRS spelling of each column of the spec's relation of that (lower-case) name, by
    lower case; empty for a relation the spec does not have."""
    rel = spec_lookup.relation(relation)
    return {c.name.lower(): c.name for c in rel.columns} if rel is not None else {}


def spec_relations(held: list[str], database: str | None) -> list[tuple[Relation, str]]:
    """The spec's relations among those ``held`` by the output (lower-case names), of the
    extract's ``database`` (``npd_i2``) only when one is given, by name, each with its SRS
    database's name (leo-synth's own, its answer key, left out)."""
    srs = _srs_databases()
    found = []
    for name in sorted(held):
        rel = spec_lookup.relation(name)
        if rel is None:
            continue
        if database is not None and rel.database != database:
            continue
        found.append((rel, srs.get(rel.database, rel.database)))
    return found


def rows(view: str, held: list[str], database: str | None,
         columns_of: Callable[[str], set[str]]) -> list[tuple]:
    """The view's rows for the relations ``held`` by the output (lower-case names), of the
    extract's ``database`` (``npd_i2``) only when one is given; a relation's columns are
    those of the spec that the output has (``columns_of``, lower case: a run made from a
    variable request holds fewer)."""
    found: list[tuple] = []
    for rel, catalog in spec_relations(held, database):
        if view == "tables":
            found.append((catalog, PROJECT, rel.name, "VIEW"))
        elif view == "views":
            found.append((catalog, PROJECT, rel.name))
        else:
            present = columns_of(rel.name.lower())
            kept = [col for col in rel.columns if col.name.lower() in present]
            for position, col in enumerate(kept, start=1):
                kind = col.spec.type
                text = kind.kind == "string"
                found.append((catalog, PROJECT, rel.name, col.name, position, None,
                              "YES" if col.spec.nullable else "NO", kind.base,
                              (kind.length or -1) if text else None,
                              kind.precision if kind.kind == "decimal" else None,
                              kind.scale if kind.kind == "decimal" else None))
    return found


def columns(view: str) -> list[tuple[str, bool]]:
    """The view's columns, each with whether it holds integers."""
    return [(name, name in INTEGER_COLUMNS) for name in VIEWS[view]]
