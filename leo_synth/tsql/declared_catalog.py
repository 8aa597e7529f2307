"""A #temp table's columns in tempdb's catalog with the types its ``CREATE TABLE`` declares.

Workshops check what they made: ``EXEC tempdb..sp_help '#people'``, ``SELECT name,
TYPE_NAME(user_type_id), max_length FROM tempdb.sys.columns WHERE object_id =
OBJECT_ID('tempdb..#people')``, ``tempdb.INFORMATION_SCHEMA.COLUMNS``. The catalog described
a column by the kind the target holds it as, so an ``NVARCHAR(50)`` was a ``varchar`` of 50
bytes, a ``DATETIME2(3)`` or a ``MONEY`` a ``datetime`` (or a ``float`` on SQLite) and a
``TINYINT`` a ``bigint``. A column the script declared now shows the type it declared, as SQL
Server's ``sys.columns`` holds it: its ``max_length`` in bytes (twice the characters of an
``NVARCHAR``; -1 for ``MAX``), and a ``DATETIME2(n)``'s or ``TIME(n)``'s precision, scale and
bytes by its places. sqlglot reads ``REAL`` as ``FLOAT`` and ``NUMERIC`` as ``DECIMAL``, so
those are shown as ``float`` and ``decimal`` (their sizes are the same but for ``REAL``'s).
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.catalog_views import session_column
from leo_synth.tsql.information_schema import text_bytes

DType = exp.DataType.Type
_NAMES = {DType.TINYINT: "tinyint", DType.UTINYINT: "tinyint", DType.SMALLINT: "smallint",
          DType.INT: "int", DType.BIGINT: "bigint", DType.BIT: "bit", DType.DATE: "date",
          DType.DATETIME: "datetime", DType.SMALLDATETIME: "smalldatetime",
          DType.MONEY: "money", DType.SMALLMONEY: "smallmoney", DType.UUID: "uniqueidentifier",
          DType.CHAR: "char", DType.VARCHAR: "varchar", DType.NCHAR: "nchar",
          DType.NVARCHAR: "nvarchar"}
_PLACES = {DType.DATETIME2: "datetime2", DType.TIME: "time"}
"""Types of a number of places of a second (7 unless declared)."""
_VARYING = {DType.VARCHAR: DType.CHAR, DType.NVARCHAR: DType.NCHAR}
_TEXT = {DType.CHAR, DType.VARCHAR, DType.NCHAR, DType.NVARCHAR}


def _parameter(kind: exp.DataType) -> str | None:
    """The first parameter of a declared type (``10`` of ``VARCHAR(10)``, ``MAX``), or None."""
    return kind.expressions[0].name.upper() if kind.expressions else None


def declared_column(declared: str, nullable: bool, fixed: bool = False) -> tuple | None:
    """``sys.columns``' values after ``column_id`` (``catalog_views.session_column``'s) of a
    column declared as ``declared`` (its T-SQL, ``NVARCHAR(10)``), or None for a type this
    does not describe (a decimal, a ``FLOAT``, ``SYSNAME``: the caller's own rules).
    ``fixed``: the script declared it ``CHAR(n)`` or ``NCHAR(n)``, which PostgreSQL is given
    as varying text (``char_padding``)."""
    try:
        kind = exp.DataType.build(declared, dialect="tsql")
    except Exception:  # (sqlglot's errors: a type it cannot read)
        return None
    if fixed and kind.this in _VARYING:
        kind.set("this", _VARYING[kind.this])
    if kind.this in _PLACES:
        given = _parameter(kind)
        places = int(given) if given and given.isdigit() else 7
        values = list(session_column(_PLACES[kind.this], None, None, nullable))
        whole = 19 if kind.this == DType.DATETIME2 else 8  # (its characters without places)
        values[2] = (6 if places <= 2 else 7 if places <= 4 else 8) - (
            3 if kind.this == DType.TIME else 0)
        values[3], values[4] = whole + places + (places > 0), places
        return tuple(values)
    name = _NAMES.get(kind.this)
    if name is None:
        return None
    values = list(session_column(name, None, None, nullable))
    if kind.this in _TEXT:
        given = _parameter(kind)
        characters = -1 if given == "MAX" else int(given) if given and given.isdigit() else 1
        values[2] = text_bytes(name, characters)
    return tuple(values)
