"""A ``DATETIME`` result shown as SQL Server shows it, on every target.

SSMS shows a ``DATETIME`` with its milliseconds (``2015-01-01 00:00:00.000``, in steps of
1/300 of a second), a ``DATETIME2(n)`` with n places (seven unless given), a
``SMALLDATETIME`` to the minute (``2015-01-01 10:11:00``). The targets had no such types in
common: SQLite's ``CAST(d AS DATETIME)`` is text without a fraction (``2015-01-01 00:00:00``),
PostgreSQL's and DuckDB's a timestamp, which the result table shows as a date at midnight
(``2015-01-01``, as it must for a date a target widened to a timestamp), so one script showed
three ways. A projection that is a ``DATETIME`` for certain (a cast or ``CONVERT`` to one,
``GETDATE()``, ``DATEADD``, ``MIN``/``MAX``, ``NULLIF`` or ``LAG``/``LEAD`` of one,
``DATEADD`` of a date written as text, which SQL Server makes a ``DATETIME``, a #temp
table's ``DATETIME`` column (a ``DATETIME2(n)`` or ``SMALLDATETIME`` column as its type, when
every table met with its name holds it so), ``COALESCE``,
``IIF`` or ``CASE`` with one among their values, ``ISNULL`` of one) has its values
made :class:`Shown` values, which the table, a CSV and a Parquet file (a timestamp) take as
SQL Server's. A ``*`` keeps the target's values; a ``UNION``'s column is shown by its
branches' types (``union_dates``).

A #temp table's ``DATETIME`` columns are noted when it is made (:func:`declared`), so that
``DATEADD`` of one keeps its time (:func:`typed_dates`; ``rewrites`` casts ``DATEADD`` of a
column of unknown type back to a date), as do literals compared with one
(``date_literals``) and text put in one (``inserted_values``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Mapping
from functools import cache

from sqlglot import exp

from leo_synth.tsql import datetime_parts
from leo_synth.tsql.date_literals import literal_days
from leo_synth.tsql.declared_columns import declared_types
from leo_synth.tsql.rewrites import from_sources
from leo_synth.tsql.value_rewrites import cast_parts, choice_values

Format = tuple[str, int]
"""(SQL Server's type, places of a second) of a projection."""
_TYPES = {exp.DataType.Type.DATETIME: ("datetime", 3),
          exp.DataType.Type.DATETIME2: ("datetime2", 7),
          exp.DataType.Type.TIMESTAMP: ("datetime2", 7),
          exp.DataType.Type.SMALLDATETIME: ("smalldatetime", 0)}
DATETIME = _TYPES[exp.DataType.Type.DATETIME]
Columns = Mapping[str, Format]
"""The date-and-time type of columns (lower-case names) that hold one type wherever met; a
column of ``datetimes`` not among them is shown as a ``DATETIME``."""
_TICKS = {"datetime": 300, "smalldatetime": 1 / 60}
"""Steps per second each type holds (a DATETIME's 1/300 s; a SMALLDATETIME's minute); a
DATETIME2 holds its places' steps."""


class Shown(dt.datetime):
    """A date and time that the result table writes as SQL Server shows its type."""

    places = 3

    def __str__(self) -> str:
        if not self.places:
            return self.strftime("%Y-%m-%d %H:%M:%S")
        fraction = f"{self.microsecond:06d}{'0' * 7}"[:self.places]
        return f"{self.strftime('%Y-%m-%d %H:%M:%S')}.{fraction}"


@cache
def _shown_class(places: int) -> type[Shown]:
    return type(f"Shown{places}", (Shown,), {"places": places, "__slots__": ()})


def type_format(to: exp.DataType) -> Format | None:
    """SQL Server's date-and-time type ``to`` (``DATETIME2(3)``: 3 places), if it is one."""
    if to.this not in _TYPES:
        return None
    kind, places = _TYPES[to.this]
    given = to.expressions[0].this if kind == "datetime2" and to.expressions else None
    if isinstance(given, exp.Literal) and given.is_int:
        places = min(int(given.name), 7)
    return kind, places


Owned = Mapping[int, Format]
"""The type of columns (by ``id`` of the node) read from a table of the session that declares
it (:func:`table_formats`), whatever other tables hold under their names."""


def format_of(node: exp.Expression, datetimes: dict[str, bool], columns: Columns | None = None,
              owned: Owned | None = None) -> Format | None:
    """SQL Server's date-and-time type of ``node`` when it is one for certain (``datetimes``:
    column names and whether they hold one wherever met; ``columns``: the type of those
    whose type is known, a ``DATETIME`` for the others; ``owned``: columns whose table
    declares their type)."""
    known, own = columns or {}, owned or {}

    def inner(value: exp.Expression) -> Format | None:
        return format_of(value, datetimes, known, own)

    if isinstance(node, exp.Paren | exp.Alias | exp.Window):
        return inner(node.this)
    if isinstance(node, exp.Column):
        name = node.name.lower()
        if id(node) in own:
            return own[id(node)]
        return known.get(name, DATETIME) if datetimes.get(name) else None
    if isinstance(node, exp.Subquery) and isinstance(node.this, exp.Select) and len(
            node.this.selects) == 1:  # (a scalar subquery: its one value's type)
        return inner(node.this.selects[0])
    if isinstance(node, exp.CurrentTimestamp) or (
            isinstance(node, exp.Anonymous) and not node.expressions
            and node.name.upper() in ("GETUTCDATE", "SYSUTCDATETIME")):
        return DATETIME
    parts = cast_parts(node)
    if parts is not None and type_format(parts[1]) is not None:
        return type_format(parts[1])
    if isinstance(node, exp.DateAdd):
        date = node.this
        if (isinstance(date, exp.Literal) and date.is_string) or literal_days(date) is not None:
            return DATETIME  # (a date written as text, or day n)
        return inner(date)
    if isinstance(node, exp.Add | exp.Sub):  # (a DATETIME and a number of days)
        left, right = (inner(side) for side in (node.this, node.expression))
        if isinstance(node, exp.Add) and left is None:
            return right
        return left if right is None else None
    if isinstance(node, exp.Min | exp.Max | exp.Nullif | exp.Lag | exp.Lead | exp.FirstValue
                  | exp.LastValue):  # (their first argument's type)
        return inner(node.this)
    if isinstance(node, exp.Coalesce) and node.args.get("is_null"):
        return inner(node.this)  # (ISNULL: its first argument's type)
    # (COALESCE, IIF and CASE: the type of highest precedence, a date and time's over a date's)
    for value in choice_values(node):
        found = inner(value)
        if found is not None:
            return found
    return datetime_parts.shown_type(node)


def formats(tree: exp.Expression, datetimes: dict[str, bool], columns: Columns | None = None,
            owned: Owned | None = None, starred: Columns | None = None
            ) -> list[Format | None] | dict[str, Format] | None:
    """Per projection of a plain SELECT, its date-and-time type (None: not one for certain);
    None when there is none, or the statement is not a plain SELECT. With a ``*`` among
    them, by result column name instead (lower case): the columns that hold a ``DATETIME``
    wherever met and the projections' names (``SELECT * FROM #t`` showed a #temp table's
    DATETIME as the target holds it: ``2016-01-02`` on DuckDB); ``columns`` and ``owned``
    as :func:`format_of` reads them; ``starred``: the types of the columns the ``*`` reads
    from its one source (``star_datetimes``), whatever other tables hold under their names."""
    if not isinstance(tree, exp.Select):
        return None
    if any(s.is_star for s in tree.selects):
        named = {name: (columns or {}).get(name, DATETIME)
                 for name, held in datetimes.items() if held}
        named.update(starred or {})
        for projection in tree.selects:
            shown = None if projection.is_star else format_of(projection, datetimes, columns,
                                                              owned)
            if shown is not None:
                named[projection.alias_or_name.lower()] = shown
            elif not projection.is_star:
                named.pop(projection.alias_or_name.lower(), None)
        return named or None
    found = [format_of(projection, datetimes, columns, owned) for projection in tree.selects]
    return found if any(f is not None for f in found) else None


def declared(tree: exp.Create, datetimes: dict[str, bool], columns: Columns | None = None,
             owned: Owned | None = None) -> dict[str, Format]:
    """The date-and-time columns (lower-case names) of the table a ``CREATE TABLE`` declares
    or a ``SELECT ... INTO`` computes (``CAST(d AS DATETIME) AS d``, ``GETDATE() AS at``),
    each with SQL Server's type (``("datetime2", 7)``, ...)."""
    if isinstance(tree.this, exp.Schema):
        typed = {name: type_format(kind) for name, kind in declared_types(tree).items()}
        return {name: shown for name, shown in typed.items() if shown is not None}
    query = tree.expression
    if not isinstance(query, exp.Select):
        return {}
    found = {projection.alias_or_name.lower(): format_of(projection, datetimes, columns, owned)
             for projection in query.selects if not projection.is_star}
    return {name: shown for name, shown in found.items() if shown is not None}


def table_formats(tree: exp.Expression, declared: Callable[[str], Columns | None],
                  columns_of: Callable[[exp.Table], list[str] | None]) -> dict[int, Format]:
    """The columns of ``tree`` (by ``id``) read from a table of the session that declares
    their date-and-time type (``declared``: a table's types by its lower-case name, None
    for a table not the session's), with that type: qualified by the table's name or alias,
    or unqualified where that table alone of the query's tables has the column
    (``columns_of``). A #temp table's ``DATETIME2`` column named as a ``DATE`` column of the
    extract (``CAST(StartDate AS DATETIME2) AS StartDate``) was shown as a date."""
    found: dict[int, Format] = {}
    ctes = {cte.alias.lower() for cte in tree.find_all(exp.CTE)}
    for select in tree.find_all(exp.Select):
        sources = from_sources(select)
        tables = [s for s in sources if isinstance(s, exp.Table) and s.name.lower() not in ctes]
        for column in select.find_all(exp.Column):
            if column.find_ancestor(exp.Select) is not select or not column.name:
                continue
            name = column.name.lower()
            if column.table:
                held = [t for t in tables if t.alias_or_name.lower() == column.table.lower()]
            elif len(tables) == len(sources) and any(
                    name in (declared(t.name.lower()) or {}) for t in tables):
                held = tables if len(tables) == 1 else [
                    t for t in tables if name in {c.lower() for c in columns_of(t) or []}]
            else:
                continue  # (a derived table's or a CTE's columns: by their names)
            shown = (declared(held[0].name.lower()) or {}).get(name) if len(held) == 1 else None
            if shown is not None:
                found[id(column)] = shown
    return found


def typed_dates(tree: exp.Expression, datetimes: dict[str, bool],
                owned: Owned | None = None) -> None:
    """A ``DATETIME`` column that ``DATEADD`` moves, or that a number of days is added to or
    taken from (``d + 1``, ``d - 0.5``), cast to one: the targets' ``DATEADD`` of a column of
    unknown type was cast back to a date (``rewrites``) and SQLite's dropped the time, and a
    number added to the column was added to its text (SQLite: 2016) or refused. So is a
    #temp table's ``DATETIME`` or ``SMALLDATETIME`` column named as a ``DATE`` column of the
    extract (``owned``: :func:`table_formats`; ``CAST(StartDate AS DATETIME) AS StartDate``)."""

    def held(node: exp.Expression) -> bool:
        return isinstance(node, exp.Column) and (bool(datetimes.get(node.name.lower())) or (
            (owned or {}).get(id(node), ("",))[0] in ("datetime", "smalldatetime")))

    def typed(node: exp.Expression) -> exp.Expression:
        return exp.cast(node.copy(), exp.DataType.build("DATETIME"))

    for add in tree.find_all(exp.DateAdd):
        if held(add.this):
            add.set("this", typed(add.this))
    for node in list(tree.find_all(exp.Add, exp.Sub)):
        left, right = node.this, node.expression
        if held(left) and format_of(right, datetimes) is None:
            node.set("this", typed(left))
        elif isinstance(node, exp.Add) and held(right) and format_of(left, datetimes) is None:
            node.set("expression", typed(right))


def _as_datetime(value: object) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:  # (a current time, as the session's local time)
            value = value.astimezone().replace(tzinfo=None)
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def _rounded(value: dt.datetime, kind: str, places: int) -> dt.datetime:
    """``value`` rounded to the steps its type holds, then to the places it is shown with
    (half away from zero, as SQL Server rounds: 12.345 s as a DATETIME is 12.347)."""
    steps = _TICKS.get(kind, 10 ** places)
    seconds = value.second + value.microsecond / 1e6
    kept = int(seconds * steps + 0.5) / steps
    unit = 10 ** (6 - places)  # (microseconds per place shown)
    start = value.replace(second=0, microsecond=0)
    return start + dt.timedelta(microseconds=int(kept * 1e6 / unit + 0.5) * unit)


def shown(rows: list[tuple], found: list[Format | None]) -> list[tuple]:
    """``rows`` with the values of the columns ``found`` types as :class:`Shown` values
    (a value that is no date and time left as it is)."""
    columns = [(i, kind, places) for i, f in enumerate(found) if f is not None
               for kind, places in [f]]
    result = []
    for row in rows:
        values = list(row)
        for i, kind, places in columns:
            moment = _as_datetime(values[i])
            if moment is not None:
                # (9999-12-31 23:59:59.9999 would round past the last day: kept as it is)
                with contextlib.suppress(OverflowError):
                    moment = _rounded(moment, kind, places)
                values[i] = _shown_class(places)(
                    moment.year, moment.month, moment.day, moment.hour, moment.minute,
                    moment.second, moment.microsecond)
        result.append(tuple(values))
    return result
