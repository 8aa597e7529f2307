"""SQL Server's catalog views (``sys.views``, ``sys.columns``, ...) as the SRS shows the extract.

Researchers explore a database before they query it: ``SELECT v.name, c.name FROM sys.columns
c JOIN sys.views v ON v.object_id = c.object_id WHERE c.name LIKE '%FSM%'``, or ``SELECT name
FROM sys.columns WHERE object_id = OBJECT_ID('NPD_i2.2002237.KS4Pupil_2002_to_2014')``. As
with ``INFORMATION_SCHEMA`` (information_schema.py), the first statement that reads one has it
made as a temporary table of the session, from the spec: the extract's relations are views
(the SRS shows no tables: ``sys.tables`` is empty, as there), in the project's schema, each
with an ``object_id`` of its own that ``OBJECT_ID`` and ``OBJECT_NAME`` agree on, and its
columns with SQL Server's type ids, lengths and the SRS's collation.

An ``object_id`` is a hash of the view's database and name (SQL Server's numbers are
arbitrary; rejected: numbering the views in order, which would change a view's number with
the relations an output holds). ``#temp`` tables live in tempdb, whose catalog shows them
(tempdb_views.py).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

from sqlglot import exp

from leo_synth.spec.model import ColumnSpec
from leo_synth.tsql import server_databases
from leo_synth.tsql.information_schema import COLLATION, PROJECT, spec_relations, text_bytes

CREATED = "2024-05-20 00:00:00.000"
"""When the views were made, as shown (the date of the VRF the extract follows)."""
SCHEMAS = (("dbo", 1), ("guest", 2), ("INFORMATION_SCHEMA", 3), ("sys", 4), (PROJECT, 5))
"""The schemas of each SRS database (the project's holds the views)."""
PROJECT_SCHEMA_ID = 5

# name, system_type_id, user_type_id, max_length, precision, scale (SQL Server's sys.types)
TYPES = (("bigint", 127, 127, 8, 19, 0), ("binary", 173, 173, 8000, 0, 0),
         ("bit", 104, 104, 1, 1, 0), ("char", 175, 175, 8000, 0, 0),
         ("date", 40, 40, 3, 10, 0), ("datetime", 61, 61, 8, 23, 3),
         ("datetime2", 42, 42, 8, 27, 7), ("decimal", 106, 106, 17, 38, 38),
         ("float", 62, 62, 8, 53, 0), ("int", 56, 56, 4, 10, 0), ("money", 60, 60, 8, 19, 4),
         ("nchar", 239, 239, 8000, 0, 0), ("numeric", 108, 108, 17, 38, 38),
         ("nvarchar", 231, 231, 8000, 0, 0), ("real", 59, 59, 4, 24, 0),
         ("smalldatetime", 58, 58, 4, 16, 0), ("smallint", 52, 52, 2, 5, 0),
         ("smallmoney", 122, 122, 4, 10, 4), ("sysname", 231, 256, 256, 0, 0),
         ("time", 41, 41, 5, 16, 7), ("tinyint", 48, 48, 1, 3, 0),
         ("uniqueidentifier", 36, 36, 16, 0, 0), ("varbinary", 165, 165, 8000, 0, 0),
         ("varchar", 167, 167, 8000, 0, 0))
_TYPE = {row[0]: row for row in TYPES}
_TEXT_TYPES = {"char", "varchar", "nchar", "nvarchar"}

SYSTEM_OBJECTS = 2000
"""How many of SQL Server's own objects (its system views, procedures and functions, in the
``sys`` schema) ``sys.all_objects`` lists beside the extract's views: SQL Server lists
thousands, a number that changes with its version (this one is an assumption, of that
order, not a count of the SRS's). Scripts count on them: the tally idiom ``SELECT TOP
(50000) ROW_NUMBER() OVER (ORDER BY (SELECT NULL)) FROM sys.all_objects a CROSS JOIN
sys.all_objects b`` gives the numbers it asks for in the SRS, where the 187 views alone gave
34,969 and no more. Their names (``leo_system_0001``) and numbers are not SQL Server's
(rejected: a list of SQL Server's names, which change with each version and which no
script of the extract reads)."""
SYSTEM_COLUMNS = 5
"""The columns of each of those objects in ``sys.all_columns`` (10,000 in all; SQL Server's
are of that order too, by the same assumption): the tally idiom reads ``sys.all_columns``
too, after a ``USE LEO_i2`` whose 11 views have 70 columns."""
SYSTEM_SCHEMA_ID = dict(SCHEMAS)["sys"]
SYSTEM_OBJECT_BASE = 1_073_000_000
"""System objects' numbers are negative in SQL Server; theirs here count down from this."""
_OBJECT = ("name", "object_id", "principal_id", "schema_id", "parent_object_id", "type",
           "type_desc", "create_date", "modify_date", "is_ms_shipped")
VIEWS: dict[str, tuple[str, ...]] = {
    "views": _OBJECT, "objects": _OBJECT, "all_objects": _OBJECT, "tables": _OBJECT,
    "columns": ("object_id", "name", "column_id", "system_type_id", "user_type_id",
                "max_length", "precision", "scale", "collation_name", "is_nullable",
                "is_identity", "is_computed"),
    "schemas": ("name", "schema_id", "principal_id"),
    "types": ("name", "system_type_id", "user_type_id", "schema_id", "max_length",
              "precision", "scale", "collation_name", "is_nullable", "is_user_defined"),
}
VIEWS["all_columns"] = VIEWS["columns"]
VIEWS["databases"] = server_databases.COLUMNS
SERVER_VIEWS = {"databases"}
"""Views of the server, the same from every database (``master.sys.databases`` too)."""
_TEXT_COLUMNS = {"name", "type", "type_desc", "create_date", "modify_date", "collation_name",
                 *server_databases.TEXT_COLUMNS}


def columns(view: str) -> list[tuple[str, bool]]:
    """The view's columns, each with whether it holds integers."""
    return [(name, name not in _TEXT_COLUMNS) for name in VIEWS[view]]


def object_id(database: str, name: str) -> int:
    """The ``object_id`` of the view ``name`` (any case) of the SRS database ``database``: a
    positive 31-bit number, the same in every run."""
    return zlib.crc32(f"{database}.{name}".lower().encode()) & 0x7FFFFFFF or 1


def rows(view: str, held: list[str], database: str | None,
         columns_of: Callable[[str], set[str]]) -> list[tuple]:
    """The view's rows for the relations ``held`` by the output (lower-case names), of the
    extract's ``database`` (``npd_i2``) only when one is given; a relation's columns are those
    of the spec the output has (``columns_of``, lower case)."""
    if view == "schemas":
        return [(name, number, 1) for name, number in SCHEMAS]
    if view == "types":
        return [(name, system, user, 4, length, precision, scale,
                 COLLATION if name in _TEXT_TYPES or name == "sysname" else None, 1, 0)
                for name, system, user, length, precision, scale in TYPES]
    if view == "tables":
        return []  # (the extract is views)
    if view == "databases":
        return server_databases.rows(held, CREATED, COLLATION)
    found: list[tuple] = []
    for rel, srs_database in spec_relations(held, database):
        number = object_id(srs_database, rel.name)
        if view in ("columns", "all_columns"):
            present = columns_of(rel.name.lower())
            kept = [col for col in rel.columns if col.name.lower() in present]
            found.extend((number, col.name, position, *column_type(col.spec))
                         for position, col in enumerate(kept, start=1))
        else:
            found.append((rel.name, number, None, PROJECT_SCHEMA_ID, 0, "V", "VIEW", CREATED,
                          CREATED, 0))
    if view in ("all_objects", "all_columns"):
        found.extend(_system_rows(view))
    return found


def _system_rows(view: str) -> list[tuple]:
    """The rows of SQL Server's own objects (SYSTEM_OBJECTS) in ``sys.all_objects``, or of
    their columns (SYSTEM_COLUMNS each) in ``sys.all_columns``."""
    numbers = range(1, SYSTEM_OBJECTS + 1)
    if view == "all_objects":
        return [(f"leo_system_{i:04d}", -SYSTEM_OBJECT_BASE - i, None, SYSTEM_SCHEMA_ID, 0,
                 "V", "VIEW", CREATED, CREATED, 1) for i in numbers]
    _, system, user, length, precision, scale = _TYPE["int"]
    return [(-SYSTEM_OBJECT_BASE - i, f"leo_column_{k}", k, system, user, length, precision,
             scale, None, 1, 0, 0) for i in numbers for k in range(1, SYSTEM_COLUMNS + 1)]


def column_type(spec: ColumnSpec) -> tuple:
    """system_type_id, user_type_id, max_length, precision, scale, collation_name,
    is_nullable, is_identity, is_computed of a column of the spec."""
    kind = spec.type
    _, system, user, length, precision, scale = _TYPE.get(kind.base, _TYPE["varchar"])
    collation = None
    if kind.base in _TEXT_TYPES:
        size = kind.length
        length = -1 if size is None else text_bytes(kind.base, size)
        collation = COLLATION
    elif kind.base in ("decimal", "numeric"):
        precision, scale = kind.precision or 18, kind.scale or 0
        length = decimal_length(precision)
    return system, user, length, precision, scale, collation, int(spec.nullable), 0, 0


def session_column(type_name: str, text_length: int | None,
                   decimal: tuple[int, int] | None, nullable: bool = True) -> tuple:
    """system_type_id, user_type_id, max_length, precision, scale, collation_name,
    is_nullable, is_identity, is_computed of a #temp table's column (``type_name`` one of
    :data:`TYPES`; ``text_length`` a text column's declared length, None when the script
    does not say it: SQL Server's longest short of ``MAX``, 8000; ``decimal`` a decimal's
    precision and scale; ``nullable`` False for a column declared ``NOT NULL``)."""
    _, system, user, length, precision, scale = _TYPE[type_name]
    if decimal is not None:
        precision, scale = decimal
        length = decimal_length(precision)
    elif type_name in _TEXT_TYPES and text_length:
        length = text_length
    return (system, user, length, precision, scale,
            COLLATION if type_name in _TEXT_TYPES else None, int(nullable), 0, 0)


def decimal_length(precision: int) -> int:
    """The bytes a ``DECIMAL`` of that precision takes (its ``max_length``)."""
    return 5 if precision <= 9 else 9 if precision <= 19 else 13 if precision <= 28 else 17


LOOKUP_FUNCTIONS = {"OBJECT_NAME": ("objects", "object_id", "name"),
                    "SCHEMA_NAME": ("schemas", "schema_id", "name"),
                    "TYPE_NAME": ("types", "user_type_id", "name"),
                    "DB_NAME": ("databases", "database_id", "name"),
                    "DB_ID": ("databases", "name", "database_id")}
"""Functions that give a value of a catalog view's row found by another of its columns: the
view, the column matched with the argument, the column given."""


def name_lookups(tree: exp.Expression) -> exp.Expression:
    """``OBJECT_NAME(x)``, ``SCHEMA_NAME(x)``, ``TYPE_NAME(x)`` and ``DB_NAME(x)`` as the name
    their catalog view holds for that number, ``DB_ID('LEO_i2')`` as the number of that name
    (a subquery of ``sys.objects``, ``sys.schemas``, ``sys.types``, ``sys.databases``, made
    when read, as any catalog view; NULL where none matches, as in SQL Server).
    ``SCHEMA_NAME()`` with no number is the caller's default schema, dbo."""
    # the innermost first: a call's argument is copied into its lookup (DB_NAME(DB_ID(x)))
    for call in reversed(list(tree.find_all(exp.Anonymous, exp.CurrentSchema))):
        if isinstance(call, exp.CurrentSchema):  # (sqlglot's reading of SCHEMA_NAME)
            if call.this is None:
                call.replace(exp.Literal.string("dbo"))
                continue
            name, argument = "SCHEMA_NAME", call.this
        elif len(call.expressions) == 1:
            name, argument = call.name.upper(), call.expressions[0]
        else:
            continue
        found = LOOKUP_FUNCTIONS.get(name)
        if found is None:
            continue
        view, key, value = found
        # a derived table whose columns no outer column shares: the argument's own unqualified
        # columns (OBJECT_NAME(object_id) FROM sys.columns) still read the outer query
        rows = exp.select(exp.alias_(key, "leo_key"), exp.alias_(value, "leo_value")).from_(
            exp.Table(this=exp.to_identifier(view), db=exp.to_identifier("sys")))
        matched: exp.Expression = exp.column("leo_key")
        if key == "name":  # (a name is found whatever its case, as in the SRS)
            matched, argument = exp.Upper(this=matched), exp.Upper(this=argument)
        lookup = exp.select("leo_value").from_(rows.subquery("leo_catalog")).where(
            exp.EQ(this=matched, expression=argument))
        call.replace(lookup.subquery())
    return tree
