"""``DATALENGTH`` counts the bytes SQL Server stores, on every target, where the type is
certain.

SQL Server stores an ``NVARCHAR``'s characters in two bytes each (``DATALENGTH(N'abc')`` is
6), a ``DATE`` in 3 bytes, a ``DATETIME`` in 8, a ``SMALLDATETIME`` in 4 and a
``DATETIME2(n)`` in 6 to 8. The targets counted the bytes of the value's text: 3 for
``N'abc'``, 10 for a date and 23 or 29 for a date and time. So ``DATALENGTH`` of a
Unicode literal is its length, of other Unicode text (a cast to ``NVARCHAR`` or ``NCHAR``,
a #temp table's ``NVARCHAR`` column) twice the target's count, and of a date or date and
time for certain its type's size (NULL stays NULL). Text of other types is left as the
target counts it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from sqlglot import exp

from leo_synth.tsql.datetime_display import Columns, Format, Owned, format_of
from leo_synth.tsql.union_dates import is_date
from leo_synth.tsql.value_rewrites import cast_parts

UNICODE = (exp.DataType.Type.NCHAR, exp.DataType.Type.NVARCHAR)
DATE_SIZE = 3
"""Bytes of a ``DATE``."""


def moment_size(shown: Format) -> int:
    """Bytes of a date-and-time type: a ``DATETIME2``'s by its places (6 to 8)."""
    kind, places = shown
    if kind == "datetime2":
        return 6 if places <= 2 else 7 if places <= 4 else 8
    return 4 if kind == "smalldatetime" else 8


def _unicode(value: exp.Expression, unicode: Callable[[str], bool]) -> bool:
    """Whether ``value`` is Unicode text for certain."""
    if isinstance(value, exp.Column):
        return unicode(value.name.lower())
    parts = cast_parts(value)
    return parts is not None and parts[1].this in UNICODE


def _sized(value: exp.Expression, size: int) -> exp.Expression:
    """``size``, or NULL where ``value`` is NULL."""
    return exp.Case(ifs=[exp.If(this=exp.Is(this=value.copy(), expression=exp.Null()),
                                true=exp.Null())], default=exp.Literal.number(size))


def for_target(tree: exp.Expression, unicode: Callable[[str], bool],
               datetimes: dict[str, bool], columns: Columns, owned: Owned,
               dates: Collection[str]) -> exp.Expression:
    """``tree`` with each ``DATALENGTH`` of Unicode text, a date or a date and time counted
    as SQL Server stores it (``unicode``: whether a column name is an ``NVARCHAR`` or
    ``NCHAR`` column of the session's tables; ``datetimes``, ``columns``, ``owned``: as
    ``format_of`` reads them; ``dates``: the columns that hold a ``DATE`` wherever met)."""
    for node in list(tree.find_all(exp.Anonymous)):
        if node.name.upper() != "DATALENGTH" or len(node.expressions) != 1:
            continue
        value = node.expressions[0]
        while isinstance(value, exp.Paren):
            value = value.this
        if isinstance(value, exp.National):
            new: exp.Expression = exp.Literal.number(len(value.name.encode("utf-16-le")))
        elif _unicode(value, unicode):
            new = exp.Mul(this=node.copy(), expression=exp.Literal.number(2))
        elif is_date(value, dates):
            new = _sized(value, DATE_SIZE)
        elif (shown := format_of(value, datetimes, columns, owned)) is not None:
            new = _sized(value, moment_size(shown))
        else:
            continue
        node.replace(exp.Paren(this=new) if isinstance(new, exp.Mul) else new)
    return tree
