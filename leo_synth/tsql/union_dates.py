"""A ``UNION``'s column holding a ``DATE`` in one branch and a ``DATETIME`` in another is a
``DATETIME``, as in SQL Server, where the date and time's type outranks the date's.

``SELECT StartDate AS d FROM leo_benefit UNION ALL SELECT 'now', GETDATE()``: each branch
kept its own type on SQLite, so the column held ``'2020-01-02'`` beside ``'2020-01-02
10:00:00'``, compared as text (``d >= CAST('2020-01-02' AS DATETIME)`` missed the date) and
was read as neither type by the passes that follow (``d + 1`` added 1 to the year on SQLite
and stopped DuckDB and PostgreSQL; ``CONVERT(VARCHAR, d)`` gave ISO text, DuckDB's with a
time zone). So, where every type is certain, a branch's value of a lower type is cast to
the column's (a ``DATE`` or ``SMALLDATETIME`` beside a ``DATETIME``, any of them beside a
``DATETIME2``): the column then holds one type on every target, which a derived table's or
CTE's column takes on (``made_datetimes``) and a ``UNION``'s result is shown as
(``datetime_display.formats``).
"""

from __future__ import annotations

from collections.abc import Collection

from sqlglot import exp

from leo_synth.tsql.datetime_display import Columns, Format, Owned, format_of
from leo_synth.tsql.union_types import branches
from leo_synth.tsql.value_rewrites import cast_parts

_RANKS = {"smalldatetime": 1, "datetime": 2, "datetime2": 3}
"""SQL Server's precedence among the date-and-time types (a ``DATE`` below them all)."""
_TYPES = {"smalldatetime": "SMALLDATETIME", "datetime": "DATETIME", "datetime2": "DATETIME2"}


def is_date(value: exp.Expression, dates: Collection[str]) -> bool:
    """Whether ``value`` is a ``DATE`` for certain: a column that holds one wherever met
    (``dates``), or a cast to one."""
    if isinstance(value, exp.Column):
        return value.name.lower() in dates
    parts = cast_parts(value)
    return parts is not None and parts[1].is_type(exp.DataType.Type.DATE)


def column_format(items: list[exp.Expression], datetimes: dict[str, bool], columns: Columns,
                  owned: Owned, dates: Collection[str] = frozenset()) -> Format | None:
    """The date-and-time type of a ``UNION``'s column made of ``items`` (one a branch,
    unaliased): the highest of theirs when each is a date, a date and time, or NULL, and
    one at least a date and time; else None."""
    found: list[Format] = []
    for item in items:
        shown = format_of(item, datetimes, columns, owned)
        if shown is not None:
            found.append(shown)
        elif not (isinstance(item, exp.Null) or is_date(item, dates)):
            return None
    return max(found, key=lambda f: (_RANKS[f[0]], f[1])) if found else None


def _type(shown: Format) -> exp.DataType:
    kind, places = shown
    return exp.DataType.build(f"DATETIME2({places})" if kind == "datetime2" else _TYPES[kind])


def for_target(tree: exp.Expression, datetimes: dict[str, bool], columns: Columns,
               owned: Owned, dates: Collection[str]) -> exp.Expression:
    """``tree`` with each ``UNION``'s date or date-and-time values of a lower type than
    their column's cast to it (``datetimes``, ``columns``, ``owned``: as ``format_of``
    reads them; ``dates``: the columns that hold a ``DATE`` wherever met)."""
    for union in tree.find_all(exp.SetOperation):
        if isinstance(union.parent, exp.SetOperation):
            continue  # (the outermost joins them all)
        selects = branches(union)
        if len(selects) < 2 or any(s.is_star for b in selects for s in b.selects):
            continue
        for position in range(min(len(b.selects) for b in selects)):
            items = [b.selects[position] for b in selects]
            shown = column_format([i.unalias() for i in items], datetimes, columns, owned,
                                  dates)
            if shown is None:
                continue
            for item in items:
                value = item.unalias()
                if isinstance(value, exp.Null) or format_of(
                        value, datetimes, columns, owned) == shown:
                    continue
                # (the value itself moved into the cast: ``owned`` knows a column by its id;
                # a bare column keeps its name as the UNION's heading)
                cast = exp.Cast(to=_type(shown))
                value.replace(exp.alias_(cast, value.name, copy=False) if value is item and (
                    isinstance(value, exp.Column)) else cast)
                cast.set("this", value)
    return tree


def formats(tree: exp.Expression, datetimes: dict[str, bool], columns: Columns,
            owned: Owned) -> list[Format | None] | None:
    """Per column of a ``UNION`` statement, its date-and-time type when certain (None: not a
    ``UNION``, or no such column), for the result to show its values as SQL Server shows
    that type."""
    if not isinstance(tree, exp.SetOperation):
        return None
    selects = branches(tree)
    if not selects or any(s.is_star for b in selects for s in b.selects):
        return None
    found = [column_format([b.selects[position].unalias() for b in selects], datetimes,
                           columns, owned)
             for position in range(min(len(b.selects) for b in selects))]
    return found if any(f is not None for f in found) else None
