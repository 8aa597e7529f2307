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

COLLATION = "Latin1_General_CI_AS"
"""The SRS databases' collation: SQL Server's default for an English (UK) install."""
PROJECT = "2002237"
"""The project schema the extract's views are shown in (the examples' placeholder)."""
COLUMN_TYPE_VALUES = ("data_type", "character_maximum_length", "character_octet_length",
                      "numeric_precision", "numeric_precision_radix", "numeric_scale",
                      "datetime_precision", "character_set_catalog", "character_set_schema",
                      "character_set_name", "collation_catalog", "collation_schema",
                      "collation_name", "domain_catalog", "domain_schema", "domain_name")
"""The columns of ``INFORMATION_SCHEMA.COLUMNS`` that describe a column's type (after
``IS_NULLABLE``), in SQL Server's order."""
VIEWS = {
    "tables": ("table_catalog", "table_schema", "table_name", "table_type"),
    "views": ("table_catalog", "table_schema", "table_name"),
    "columns": ("table_catalog", "table_schema", "table_name", "column_name",
                "ordinal_position", "column_default", "is_nullable", *COLUMN_TYPE_VALUES),
}
INTEGER_COLUMNS = {"ordinal_position", "character_maximum_length", "character_octet_length",
                   "numeric_precision", "numeric_precision_radix", "numeric_scale",
                   "datetime_precision"}
_EXACT = {"tinyint": 3, "smallint": 5, "int": 10, "bigint": 19, "money": 19, "smallmoney": 10}
"""The precision of SQL Server's integer and money types (``sys.types``)."""
_MONEY_SCALE = 4
_APPROXIMATE = {"real": 24, "float": 53}
_MOMENTS = {"date": 0, "time": 7, "datetime2": 7, "datetime": 3, "smalldatetime": 0,
            "datetimeoffset": 7}
"""The places of a second each date and time type keeps (its default ``DATETIME_PRECISION``)."""
_TEXT_SETS = {"char": "iso_1", "varchar": "iso_1", "nchar": "UNICODE", "nvarchar": "UNICODE"}
"""``CHARACTER_SET_NAME`` of the text types under the SRS's ``Latin1_General_CI_AS``."""


def text_bytes(data_type: str, characters: int) -> int:
    """The bytes of a text column of ``characters`` (-1 for ``MAX``, kept): twice the
    characters of an ``NCHAR`` or ``NVARCHAR``, as ``sys.columns.max_length`` and
    ``CHARACTER_OCTET_LENGTH`` count them."""
    return characters * 2 if data_type.startswith("n") and characters > 0 else characters


def type_values(data_type: str, length: int | None, precision: int | None,
                scale: int | None, collation: str | None) -> tuple:
    """The values :data:`COLUMN_TYPE_VALUES` names for a column of SQL Server's type
    ``data_type``, as SQL Server's ``INFORMATION_SCHEMA.COLUMNS`` computes them: a text
    column's length in characters (``length``; -1 for ``MAX``) and in bytes (twice that for
    ``NCHAR``/``NVARCHAR``), its character set and collation; a number's precision and radix
    (10, or 2 for ``FLOAT`` and ``REAL``) and its scale (0 for an integer; a decimal's
    ``precision`` and ``scale``; none for ``FLOAT``, ``REAL`` and ``BIT``); a date or time's
    places of a second (a ``DATETIME2``'s, ``TIME``'s ``scale`` where declared)."""
    text = data_type in _TEXT_SETS
    octets = None if not text or length is None else text_bytes(data_type, length)
    numeric_precision = radix = numeric_scale = moment = None
    if data_type in _EXACT:
        numeric_precision, radix = _EXACT[data_type], 10
        numeric_scale = _MONEY_SCALE if "money" in data_type else 0
    elif data_type in ("decimal", "numeric"):
        numeric_precision, radix, numeric_scale = precision or 18, 10, scale or 0
    elif data_type in _APPROXIMATE:
        numeric_precision, radix = _APPROXIMATE[data_type], 2
    elif data_type in _MOMENTS:
        moment = _MOMENTS[data_type] if scale is None or data_type in (
            "date", "datetime", "smalldatetime") else scale
    return (data_type, length if text else None, octets, numeric_precision, radix,
            numeric_scale, moment, None, None, _TEXT_SETS.get(data_type), None, None,
            collation if text else None, None, None, None)


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
                found.append((catalog, PROJECT, rel.name, col.name, position, None,
                              "YES" if col.spec.nullable else "NO", *type_values(
                                  kind.base, kind.length or -1, kind.precision,
                                  kind.scale if kind.kind == "decimal" else None,
                                  COLLATION)))
    return found


def columns(view: str) -> list[tuple[str, bool]]:
    """The view's columns, each with whether it holds integers."""
    return [(name, name in INTEGER_COLUMNS) for name in VIEWS[view]]
