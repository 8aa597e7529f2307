"""A value cast to a date converts as SQL Server converts it, or stops the query.

SQL Server reads text cast to a ``DATE`` or ``DATETIME`` in the forms ``date_texts`` knows
(``'20150131'``, ``'2015-01-31'``, ``'1 Mar 2015'``, ``'03/04/2015'`` by the session's
``DATEFORMAT``) and stops at any other text with error 241; an integer cast to a ``DATE``
stops with error 529 ("Explicit conversion from data type int to date is not allowed."), and
one cast to a ``DATETIME`` is that many days from 1900-01-01. SQLite's ``DATE()`` read
anything but ISO text as NULL, without an error: ``CAST(KS4_ENTRYDAT AS DATE)`` of the
integer 20160901 was NULL on every row, and so was a #temp table's ``'20150131'``. So on
SQLite a cast to a date or a date and time of a value that may not be a date already goes
through the run's conversion function (``LEO_TO_DATE``); a cast of an integer column to a
``DATE`` stops on every target when the script is read (PostgreSQL and DuckDB stopped in their
own words), and a number written in the script cast to a ``DATETIME`` is read as that day
(``CAST(0 AS DATETIME)``; they refused it). String literals are read when translating
(``date_literals``), ``CONVERT`` with a style by its style (``value_rewrites``), and
``TRY_CAST`` gives NULL as before.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql import date_texts
from leo_synth.tsql.date_literals import DATE_TYPES, literal_days
from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.integer_average import is_integer
from leo_synth.tsql.integer_casts import ColumnKinds
from leo_synth.tsql.value_rewrites import cast_parts, is_safe, value_slot

_NO_INTEGERS = {exp.DataType.Type.DATE: "date", exp.DataType.Type.DATETIME2: "datetime2"}
"""The date types SQL Server will not convert an integer to, by its name for them."""
_DATED = (exp.CurrentTimestamp, exp.CurrentDate, exp.DateAdd, exp.Cast, exp.Convert,
         exp.TryCast)
"""Values that are dates already on SQLite (a cast of any kind is converted itself)."""


def _is_date(value: exp.Expression, kinds: ColumnKinds) -> bool:
    """Whether ``value`` is a date for certain: a date column, a date function's value, a
    cast, or a string literal (``date_literals`` reads those)."""
    if isinstance(value, exp.Column):
        return value.name.lower() in kinds.dates
    return isinstance(value, _DATED) or (isinstance(value, exp.Literal) and value.is_string)


def for_target(tree: exp.Expression, kinds: ColumnKinds, order: str, dialect: str,
               line: int) -> exp.Expression:
    """The tree with each cast to a date type converting as SQL Server's does (``order``:
    the session's ``DATEFORMAT``; ``line``: the statement's)."""
    for node in list(tree.find_all(exp.Cast, exp.Convert)):
        parts = cast_parts(node)
        if parts is None or is_safe(node) or node.args.get("style"):
            continue
        value, to = parts
        if not to.is_type(*DATE_TYPES):
            continue
        refused = _NO_INTEGERS.get(to.this)
        if refused and is_integer(value, kinds.integers):
            raise ScriptError(line, date_texts.not_allowed("int", refused))
        days = literal_days(value)
        if days is not None:  # CAST(0 AS DATETIME) (PostgreSQL and DuckDB refused the number)
            node.set(value_slot(node), exp.Literal.string(date_texts.day_number(days)))
        elif dialect == "sqlite" and not _is_date(value, kinds):
            date_only = exp.Literal.number(int(to.is_type(exp.DataType.Type.DATE)))
            node.set(value_slot(node), exp.Anonymous(this="LEO_TO_DATE", expressions=[
                value.copy(), exp.Literal.string(order), date_only]))
    return tree
