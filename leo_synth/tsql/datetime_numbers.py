"""A ``DATETIME`` and a number converted as SQL Server converts them: days from 1900-01-01.

Older scripts strip the time from a ``DATETIME`` through a float, ``CAST(FLOOR(CAST(d AS
FLOAT)) AS DATETIME)``, and count days as ``CAST(d AS INT)``. SQL Server holds a ``DATETIME``
as days from 1900-01-01 and their fraction, so a cast to ``FLOAT`` (or ``REAL``, ``DECIMAL``)
is that number (42065.5 at noon on 2015-03-04), a cast to an integer is it rounded to the
nearest day (from noon the next), and a number cast to a ``DATETIME`` is that many days from
1900-01-01 (``CAST(42065.5 AS DATETIME)``); one ``DATETIME`` taken from another is the time between
them from 1900-01-01. The targets refused the first two or read the
date's text as a number (SQLite: an error in SQL Server's words for text), and only a number
written in the script could be cast to a date and time (``date_casts``).

So, before translation, a cast of a value that is a ``DATETIME`` or ``SMALLDATETIME`` for
certain (``datetime_display.format_of``) to a number becomes ``DATEDIFF_BIG`` in
milliseconds from day 0 over a day's milliseconds, and a cast of a value that is a number for
certain (a cast to a number, ``FLOOR``, ``CEILING``, ``ROUND``, ``ABS``, arithmetic of those
and of literals) to a ``DATETIME`` becomes ``DATEADD`` of its whole days and the rest in
milliseconds from day 0. A ``DATE`` or ``DATETIME2`` cast to a number stops the script
with SQL Server's error 529 ("Explicit conversion from data type date to float is not
allowed."), where the targets stopped in their own words (SQLite: as if the date were
text); so does a column every table the script met holds as a ``DATE``
(``CAST(StartDate AS INT)``).
"""

from __future__ import annotations

from collections.abc import Collection

from sqlglot import exp

from leo_synth.tsql import date_texts
from leo_synth.tsql.datetime_display import format_of
from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.integer_average import INTEGER_TYPES
from leo_synth.tsql.rewrites import replaced
from leo_synth.tsql.sql_templates import filled
from leo_synth.tsql.value_rewrites import cast_parts

_DAYS = ("CAST(DATEDIFF_BIG(millisecond, CAST('1900-01-01' AS DATETIME), leo_d) AS FLOAT) "
         "/ 86400000")
"""A DATETIME's days from day 0 and their fraction, as a FLOAT."""
_MOMENT = ("DATEADD(millisecond, CAST(ROUND((leo_n - FLOOR(leo_n)) * 86400000, 0) AS INT), "
           "DATEADD(day, CAST(FLOOR(leo_n) AS INT), CAST('1900-01-01' AS DATETIME)))")
"""The DATETIME a number of days from day 0 stands for."""
_SPAN = ("DATEADD(millisecond, DATEDIFF_BIG(millisecond, leo_b, leo_a), "
         "CAST('1900-01-01' AS DATETIME))")
"""A DATETIME taken from another: the time between them from day 0."""
_NAMES = {exp.DataType.Type.INT: "int", exp.DataType.Type.BIGINT: "bigint",
          exp.DataType.Type.SMALLINT: "smallint", exp.DataType.Type.UTINYINT: "tinyint",
          exp.DataType.Type.TINYINT: "tinyint", exp.DataType.Type.FLOAT: "float",
          exp.DataType.Type.DOUBLE: "float", exp.DataType.Type.DECIMAL: "numeric",
          exp.DataType.Type.BIGDECIMAL: "numeric", exp.DataType.Type.MONEY: "money"}
"""The numbers by SQL Server's names for them in its messages (sqlglot reads T-SQL's REAL
as its FLOAT)."""
_NUMBERS = tuple(_NAMES)
_MOMENTS = (exp.DataType.Type.DATETIME, exp.DataType.Type.SMALLDATETIME)
_NUMBER_FUNCTIONS = (exp.Floor, exp.Ceil, exp.Round, exp.Abs)


def _is_number(node: exp.Expression) -> bool:
    """A number for certain: a numeric literal, a cast to a number, ``FLOOR`` and its kin,
    ``DATEDIFF``, and arithmetic of those."""
    if isinstance(node, exp.Paren | exp.Neg):
        return _is_number(node.this)
    if isinstance(node, exp.Literal):
        return not node.is_string
    if isinstance(node, (*_NUMBER_FUNCTIONS, exp.DateDiff)):
        return True
    if isinstance(node, exp.Add | exp.Sub | exp.Mul | exp.Div):
        return _is_number(node.this) and _is_number(node.expression)
    parts = cast_parts(node)
    return parts is not None and parts[1].is_type(*_NUMBERS)


def _refused(value: exp.Expression, shown: tuple[str, int] | None, dates: Collection[str]
             ) -> str | None:
    """SQL Server's name of the type of ``value`` when it is a ``DATE`` or ``DATETIME2`` for
    certain (a cast to one, or a column of ``dates``: a name every table met holds as a
    ``DATE``, never a ``DATETIME``), which it will not make a number."""
    if shown is not None:
        return shown[0] if shown[0] == "datetime2" else None
    if isinstance(value, exp.Column) and value.name.lower() in dates:
        return "date"
    parts = cast_parts(value)
    return "date" if parts is not None and parts[1].is_type(exp.DataType.Type.DATE) else None


def _converted(node: exp.Expression, datetimes: dict[str, bool], dates: Collection[str],
               line: int) -> exp.Expression | None:
    parts = None if node.args.get("style") else cast_parts(node)
    if parts is None:
        return None
    value, to = parts
    if to.is_type(*_NUMBERS):
        shown = format_of(value, datetimes)
        refused = _refused(value, shown, dates)
        if refused is not None:
            raise ScriptError(line, date_texts.not_allowed(refused, _NAMES[to.this]))
        if shown is None:
            return None
        days = filled(_DAYS, {"leo_d": value})
        if to.is_type(*INTEGER_TYPES):  # (rounded to the nearest day, noon up)
            days = exp.Floor(this=exp.Add(this=days, expression=exp.Literal.number(0.5)))
        return exp.cast(days, to.copy())
    if to.is_type(*_MOMENTS) and _is_number(value) and not isinstance(value, exp.Literal):
        moment = filled(_MOMENT, {"leo_n": value})
        return exp.cast(moment, to.copy()) if to.is_type(exp.DataType.Type.SMALLDATETIME) else (
            moment)
    return None


def _span(node: exp.Sub, datetimes: dict[str, bool]) -> exp.Expression | None:
    """``a - b`` of two ``DATETIME`` values: the time between them from day 0, as SQL
    Server gives it (``CONVERT(VARCHAR(8), GETDATE() - @start, 108)``, the time a script
    took)."""
    moments = ("datetime", "smalldatetime")
    shown = [format_of(side, datetimes) for side in (node.this, node.expression)]
    if not all(found is not None and found[0] in moments for found in shown):
        return None
    return filled(_SPAN, {"leo_a": node.this, "leo_b": node.expression})


def _numbered_date(node: exp.DateAdd) -> None:
    """``DATEADD(day, 0, DATEDIFF(day, 0, GETDATE()))``, today at midnight: a number computed
    where ``DATEADD`` expects a date is the ``DATETIME`` that many days from day 0, as SQL
    Server converts it (SQLite gave a year before Christ, DuckDB and PostgreSQL refused to
    add an interval to a number; a number written out is ``date_literals``')."""
    value = node.this
    written = isinstance(value, exp.Literal) or (
        isinstance(value, exp.Neg) and isinstance(value.this, exp.Literal))
    if value is not None and not written and _is_number(value):
        node.set("this", filled(_MOMENT, {"leo_n": value}))


def for_target(tree: exp.Expression, datetimes: dict[str, bool], line: int,
               dates: Collection[str] = frozenset()) -> exp.Expression:
    """The tree with each cast between a ``DATETIME`` and a number written as days from day 0
    (see the module); ``datetimes``: the columns that hold a ``DATETIME`` (lower-case
    names); ``dates``: those that hold a ``DATE`` wherever met, whose cast to a number is
    refused."""
    for node in reversed(list(tree.find_all(exp.Cast, exp.Convert, exp.Sub, exp.DateAdd))):
        if isinstance(node, exp.DateAdd):
            _numbered_date(node)
            continue
        new = _span(node, datetimes) if isinstance(node, exp.Sub) else _converted(
            node, datetimes, dates, line)
        if new is not None:
            tree = replaced(tree, node, new)
    return tree
