"""A ``DATETIME`` written as text in SQL Server's default style, ``Jan  2 2020  1:04PM``.

SQL Server writes a ``DATETIME`` or ``SMALLDATETIME`` converted to text without a style (a
``CAST``, a ``CONVERT`` without one, ``PRINT``) in style 0, the same as 100: the month's
short name, the day and the hour of a 12-hour clock padded with a space, minutes, and AM or
PM. Scripts log their progress so (``PRINT 'Started ' + CAST(GETDATE() AS VARCHAR(30))``).
The targets wrote ISO text (DuckDB and PostgreSQL with microseconds and a time zone), and
style 100 itself gave NULL on SQLite, ``Jan 02 2020 1:04PM`` on DuckDB and ``1:04%p`` on
PostgreSQL. So each such conversion is written as the text built from the date's parts, in
T-SQL that the rest of the translation carries to each target. A ``DATE`` keeps its ISO
text, as in SQL Server, and a ``DATETIME2(n)`` is written in style 121, its default, with n
places (``2015-04-06 00:00:00.0000000``; the targets wrote ``2015-04-06 00:00:00`` or
``.000``), in styles 21 and 121 too: the target's microseconds cut to n places, or padded
with a 0 to seven. ``CONCAT`` and ``CONCAT_WS`` convert their arguments
the same way (``CONCAT('Run at ', GETDATE())``), so a ``DATETIME`` among them is first made
a conversion without a style.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlglot import exp

from leo_synth.tsql.datetime_display import Columns, Owned, format_of
from leo_synth.tsql.sql_templates import filled
from leo_synth.tsql.value_rewrites import TEXT_TYPES, cast_parts

MOMENTS = ("datetime", "smalldatetime")
"""The types written in style 0 when converted without one."""


def _part(name: str) -> str:
    """T-SQL for a part of the date and time ``leo_d``."""
    return f"DATEPART({name}, leo_d)"


def _padded(value: str, fill: str = "0", width: int = 2) -> str:
    """T-SQL for a number (``value``, T-SQL) written in ``width`` characters, padded with
    ``fill``."""
    return f"RIGHT('{fill * (width - 1)}' + CAST({value} AS VARCHAR({width})), {width})"


_MONTH_DAY_YEAR = (f"SUBSTRING('JanFebMarAprMayJunJulAugSepOctNovDec', ({_part('month')} - 1) "
                   f"* 3 + 1, 3) + ' ' + {_padded(_part('day'), ' ')} + ' ' "
                   f"+ CAST({_part('year')} AS VARCHAR(4))")
_HOUR = _padded(f"({_part('hour')} + 11) % 12 + 1", " ")
_MINUTE, _SECOND = _padded(_part("minute")), _padded(_part("second"))
_MILLISECOND = _padded(_part("millisecond"), width=3)
_NOON = f"CASE WHEN {_part('hour')} < 12 THEN 'AM' ELSE 'PM' END"
_TEXTS = {
    "0": f"{_MONTH_DAY_YEAR} + ' ' + {_HOUR} + ':' + {_MINUTE} + {_NOON}",
    "9": (f"{_MONTH_DAY_YEAR} + ' ' + {_HOUR} + ':' + {_MINUTE} + ':' + {_SECOND} + ':' "
          f"+ {_MILLISECOND} + {_NOON}"),
    "22": (f"{_padded(_part('month'))} + '/' + {_padded(_part('day'))} + '/' "
           f"+ RIGHT(CAST({_part('year')} AS VARCHAR(4)), 2) + ' ' "
           f"+ {_HOUR} + ':' + {_MINUTE} + ':' + {_SECOND} + ' ' + {_NOON}"),
}
"""Styles 0 (``Jan  2 2020  1:04PM``), 9 (``Jan  2 2020  1:04:05:123PM``) and 22
(``01/02/20  1:04:05 PM``) of the date and time ``leo_d``, in T-SQL: the hour of a 12-hour
clock padded with a space, as the targets' patterns cannot write it."""
_SAME = {"100": "0", "109": "9"}
"""Styles written as another is."""
ODBC_STYLES = ("21", "121")
"""The styles with the fraction of a second (121, ``yyyy-mm-dd hh:mi:ss.fffffff``, is a
``DATETIME2``'s default)."""
_MICROSECONDS = "%Y-%m-%d %H:%M:%S.%f"
_SECONDS_LENGTH = len("2015-04-06 00:00:00")
_HELD_PLACES = 6
"""The places of a second every target holds (microseconds)."""


def _a_date(value: exp.Expression, dates: Collection[str]) -> bool:
    """Whether ``value`` is a ``DATE`` for certain: a column of ``dates`` or a cast to one."""
    if isinstance(value, exp.Column):
        return value.name.lower() in dates
    parts = cast_parts(value)
    return parts is not None and parts[1].is_type(exp.DataType.Type.DATE)


def _a_moment(value: exp.Expression, datetimes: dict[str, bool],
              precise: Collection[str], columns: Columns, owned: Owned) -> bool:
    """Whether ``value`` is a ``DATETIME`` or ``SMALLDATETIME`` (not a #temp table's
    ``DATETIME2`` column), written in style 0 when converted without one."""
    shown = format_of(value, datetimes, columns, owned)
    if isinstance(value, exp.Column) and id(value) in owned:
        return shown is not None and shown[0] in MOMENTS
    return shown is not None and shown[0] in MOMENTS and not (
        isinstance(value, exp.Column) and value.name.lower() in precise)


def _places(value: exp.Expression, datetimes: dict[str, bool], columns: Columns,
            owned: Owned) -> int | None:
    """The places of a second of ``value`` when it is a ``DATETIME2`` for certain."""
    shown = format_of(value, datetimes, columns, owned)
    return shown[1] if shown is not None and shown[0] == "datetime2" else None


def _odbc(value: exp.Expression, places: int, to: exp.DataType) -> exp.Expression:
    """A ``DATETIME2(places)`` in style 121: the target's text with microseconds cut to
    ``places``, or padded with a 0 to seven (no point when there are none)."""
    text: exp.Expression = exp.Substring(
        this=exp.TimeToStr(this=value.copy(), format=exp.Literal.string(_MICROSECONDS)),
        start=exp.Literal.number(1),
        length=exp.Literal.number(_SECONDS_LENGTH + (min(places, _HELD_PLACES) + 1
                                                     if places else 0)))
    if places > _HELD_PLACES:
        text = exp.DPipe(this=text, expression=exp.Literal.string(
            "0" * (places - _HELD_PLACES)), safe=True)
    return exp.cast(text, to.copy())  # (the type's length still cuts it, as there)


def _written(node: exp.Expression, datetimes: dict[str, bool], precise: Collection[str],
             dates: Collection[str], columns: Columns, owned: Owned
             ) -> exp.Expression | None:
    """The text ``node`` (a conversion) gives in style 0, or a ``DATETIME2``'s in style 121;
    None for another conversion."""
    parts = cast_parts(node)
    if parts is None or parts[1].this not in TEXT_TYPES:
        return None
    value, to, style = parts[0], parts[1], node.args.get("style")
    places = _places(value, datetimes, columns, owned)
    if places is not None and (style is None or (
            isinstance(style, exp.Literal) and style.name in ODBC_STYLES)):
        return _odbc(value, places, to)
    moment = _a_moment(value, datetimes, precise, columns, owned)
    if style is None and not moment:
        return None
    named = "0" if style is None else _SAME.get(style.name, style.name) if isinstance(
        style, exp.Literal) else None
    if named not in _TEXTS or (style is not None and not (moment or _a_date(value, dates))):
        return None  # (another style; or a number's, text's or money's style 0)
    text = filled(_TEXTS[named], {"leo_d": value})
    return exp.cast(text, to.copy())  # (the type's length still cuts it, as there)


def for_target(tree: exp.Expression, datetimes: dict[str, bool],
               precise: Collection[str] = frozenset(), dates: Collection[str] = frozenset(),
               columns: Columns | None = None, owned: Owned | None = None
               ) -> exp.Expression:
    """``tree`` with each ``DATETIME`` converted to text in the default style, or any date in
    style 0 or 100, written out from its parts (``datetimes``: column names, lower case, and
    whether they hold a date and time wherever met; ``precise``: those of them that a #temp
    table holds as ``DATETIME2``, which keep their ISO text; ``dates``: those that hold a
    ``DATE``, whose style 100 is written so too; ``columns``: the date-and-time type of
    those whose type is known; ``owned``: the columns whose #temp table declares their type,
    ``datetime_display.table_formats``: a ``DATETIME`` column named as a ``DATE`` column of
    the extract is written in style 0 too)."""
    known, own = columns or {}, owned or {}
    for joined in list(tree.find_all(exp.Concat, exp.ConcatWs)):
        for value in joined.expressions:
            if _a_moment(value, datetimes, precise, known, own):
                # (the value itself moved into the cast, not a copy: ``owned`` knows a #temp
                # table's column by its id)
                converted = exp.Cast(to=exp.DataType.build("VARCHAR(30)"))
                value.replace(converted)
                converted.set("this", value)
    for node in reversed(list(tree.find_all(exp.Convert, exp.Cast))):  # (inner ones first)
        new = _written(node, datetimes, precise, dates, known, own)
        if new is not None:
            if node is tree:
                return new
            node.replace(new)
    return tree
