"""tempdb's catalog: the session's #temp tables, as the old idiom that tests for one reads them.

Scripts written before ``DROP TABLE IF EXISTS`` test for a #temp table in tempdb's catalog:
``IF EXISTS (SELECT * FROM tempdb..sysobjects WHERE id = OBJECT_ID('tempdb..#t')) DROP TABLE
#t``, or ``SELECT * FROM tempdb.sys.objects WHERE name LIKE '#t%'``; dynamic SQL lists a #temp
table's columns from ``tempdb.sys.columns WHERE object_id = OBJECT_ID('tempdb..#t')``. These
views list the session's #temp tables, made anew for each statement that reads them (tables
come and go), with the numbers ``OBJECT_ID`` gives them and their names as SQL Server keeps
them: padded with underscores to 116 characters and ended by 12 hexadecimal digits, so that
``LIKE '#t%'`` finds what it finds in SQL Server (``#t2`` too).
"""

from __future__ import annotations

from collections.abc import Callable

from leo_synth.tsql.catalog_views import CREATED, TYPES
from leo_synth.tsql.catalog_views import VIEWS as CATALOG_VIEWS
from leo_synth.tsql.information_schema import INTEGER_COLUMNS, type_values
from leo_synth.tsql.information_schema import VIEWS as INFORMATION_SCHEMA_VIEWS

_OBJECT = ("name", "object_id", "principal_id", "schema_id", "parent_object_id", "type",
           "type_desc", "create_date", "modify_date", "is_ms_shipped")
VIEWS: dict[str, tuple[str, ...]] = {
    "objects": _OBJECT, "all_objects": _OBJECT, "tables": _OBJECT,
    "sysobjects": ("name", "id", "xtype", "uid", "parent_obj", "crdate", "type"),
    "columns": CATALOG_VIEWS["columns"],
}
SCHEMA_VIEWS = {f"information_schema.{view}": columns
                for view, columns in INFORMATION_SCHEMA_VIEWS.items() if view != "views"}
"""``tempdb.INFORMATION_SCHEMA.TABLES`` and ``.COLUMNS``: the #temp tables in the shapes
``information_schema`` gives the extract's views."""
_TEXT_COLUMNS = {"name", "type", "type_desc", "create_date", "modify_date", "xtype", "crdate",
                 "collation_name"}
Described = Callable[[str], list[tuple[str, tuple]]]
"""A #temp table's columns (by the table's name): each name with its ``sys.columns`` values
after ``column_id`` (``catalog_views.session_column``)."""
PADDED = 116
"""The length SQL Server pads a #temp table's name to, before its 12-digit suffix."""


def columns(view: str) -> list[tuple[str, bool]]:
    """The view's columns, each with whether it holds integers."""
    if view in SCHEMA_VIEWS:
        return [(name, name in INTEGER_COLUMNS) for name in SCHEMA_VIEWS[view]]
    return [(name, name not in _TEXT_COLUMNS) for name in VIEWS[view]]


def _schema_rows(view: str, tables: dict[str, int], described: Described) -> list[tuple]:
    """``INFORMATION_SCHEMA.TABLES`` or ``.COLUMNS`` of tempdb: each #temp table a base table
    of ``dbo``, its columns with their SQL Server types (from ``sys.columns``' values)."""
    type_names = {row[2]: row[0] for row in TYPES}  # by user_type_id
    found: list[tuple] = []
    for name, number in sorted(tables.items()):
        stored = stored_name(name, number)
        if view == "information_schema.tables":
            found.append(("tempdb", "dbo", stored, "BASE TABLE"))
            continue
        for position, (column, values) in enumerate(described(name), start=1):
            _, user, length, precision, scale, collation, nullable = values[:7]
            kind = type_names.get(user, "sql_variant")
            wide = kind in ("nchar", "nvarchar")
            found.append(("tempdb", "dbo", stored, column, position, None,
                          "YES" if nullable else "NO", *type_values(
                              kind, length // 2 if wide and length > 0 else length,
                              precision, scale, collation)))
    return found


def stored_name(name: str, number: int) -> str:
    """A #temp table's name as tempdb holds it (``#t`` + underscores + 12 hex digits)."""
    return name.ljust(PADDED, "_") + f"{number & 0xFFFFFFFFFFFF:012X}"


def rows(view: str, tables: dict[str, int], described: Described) -> list[tuple]:
    """The view's rows for the session's #temp tables (name: the number OBJECT_ID gives;
    ``described``: their columns, for ``tempdb.sys.columns``)."""
    if view in SCHEMA_VIEWS:
        return _schema_rows(view, tables, described)
    if view == "columns":
        return [(number, column, position, *values)
                for name, number in sorted(tables.items())
                for position, (column, values) in enumerate(described(name), start=1)]
    if view == "sysobjects":
        return [(stored_name(name, number), number, "U", 1, 0, CREATED, "U")
                for name, number in sorted(tables.items())]
    return [(stored_name(name, number), number, None, 1, 0, "U", "USER_TABLE", CREATED,
             CREATED, 0) for name, number in sorted(tables.items())]
