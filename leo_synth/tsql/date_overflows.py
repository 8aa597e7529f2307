"""``DATEADD`` past 9999-12-31 and ``DATEDIFF`` past an ``int`` stop, as SQL Server stops them.

- ``DATEADD(day, 1, EndDate)`` on an open benefit spell (``EndDate`` 9999-12-31, the
  extract's marker of a spell still running) is error 517 in the SRS, "Adding a value to a
  'date' column caused an overflow.": the classic trap of the next day after a spell. SQLite
  gave NULL, DuckDB 10000-01-01 and PostgreSQL stopped in its own words. Each ``DATEADD`` of
  a date the statement reads (a column in it) takes its amount through a check: when
  ``DATEDIFF(unit, date, 9999-12-31 23:59:59.997)`` is below the amount, the result would
  pass SQL Server's last day, and the query stops. Both count the unit's boundaries crossed,
  so the one bounds the other (a week is seven days; the tests try days, weeks, months, hours
  and minutes). The check is on the amount, so it runs before the target adds.
- ``DATEDIFF`` in seconds, minutes or milliseconds beyond an ``int`` is error 535 ("The
  datediff function resulted in an overflow. ..."): ``DATEDIFF(second, StartDate, EndDate)``
  of an open spell, or milliseconds over more than 24 days. The targets gave the large
  number. ``DATEDIFF_BIG`` is not checked, as in SQL Server.

Left alone: a #temp table's computed column; a ``DATEADD`` of a constant date
(``DATEADD(month, DATEDIFF(month, 0, d), 0)``, the month-start idiom, cannot pass 9999); and
dates moved before the first day a type holds (0001-01-01, or 1753 for a ``DATETIME``), which
no script of the extract's dates reaches.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.derived_columns import made_items
from leo_synth.tsql.rewrites import WEEK_UNITS, unit_of
from leo_synth.tsql.sqlite_functions import INT_RANGE
from leo_synth.tsql.text_bounds import raised

LAST_MOMENT = "9999-12-31 23:59:59.997"
"""The last moment a ``DATETIME`` holds (a ``DATE``'s last day is the same day)."""
DATEDIFF_OVERFLOW = ("The datediff function resulted in an overflow. The number of dateparts "
                     "separating two date/time instances is too large. Try to use datediff "
                     "with a less precise datepart.")
"""SQL Server's error 535."""
FINE_UNITS = {"SECOND", "MINUTE", "MILLISECOND", "MICROSECOND", "MCS", "NANOSECOND", "NS"}
"""The units whose count between two of the extract's dates can pass an ``int``."""


def added_overflow(type_name: str) -> str:
    """SQL Server's error 517 for a ``DATEADD`` of a ``type_name`` (``date``, ``datetime``)."""
    return f"Adding a value to a '{type_name}' column caused an overflow."


PASSED_ON = (exp.Max, exp.Min, exp.Lag, exp.Lead, exp.FirstValue, exp.LastValue, exp.Coalesce)
"""Expressions whose value is their first argument's, of its type: a CTE's ``MAX(EndDate)
OVER (...) AS prev_end`` is a date as ``EndDate`` is."""


def _type_name(date: exp.Expression, plain_dates: set[str], datetime2s: set[str],
               made: dict[str, list[exp.Expression]], seen: frozenset[str] = frozenset()) -> str:
    """The name of the date's type as SQL Server's message gives it (``datetime`` when
    unknown: SQL Server reads text as one). A name a CTE or derived table makes has the type
    of what makes it (``MAX(end_date) OVER (...) AS prev_max_end``: 'date', not 'datetime')."""
    while isinstance(date, (exp.Paren, exp.TimeStrToTime, exp.TsOrDsToDate, exp.Window,
                            *PASSED_ON)):
        date = date.this
    if isinstance(date, exp.Cast | exp.TryCast):
        return date.to.this.value.lower()
    if isinstance(date, exp.Column):
        name = date.name.lower()
        if name in datetime2s:
            return "datetime2"
        if name in plain_dates:
            return "date"
        if name in made and name not in seen:
            kinds = {_type_name(item, plain_dates, datetime2s, made, seen | {name})
                     for item in made[name]}
            if len(kinds) == 1:  # (every UNION branch, every CTE of the name, agreeing)
                return kinds.pop()
    return "datetime"


def _checked_amount(add: exp.DateAdd, type_name: str, dialect: str) -> exp.Expression:
    """``add``'s amount, or a stop when the date moved by it passes :data:`LAST_MOMENT`."""
    unit = unit_of(add)
    amount = add.expression
    room: exp.Expression = exp.DateDiff(
        this=exp.cast(exp.Literal.string(LAST_MOMENT), exp.DataType.build("DATETIME")),
        expression=add.this.copy(), unit=exp.var("DAY" if unit in WEEK_UNITS else unit),
        big_int=True)
    if unit in WEEK_UNITS:
        room = exp.Div(this=room, expression=exp.Literal.number(7))
    over = exp.LT(this=room, expression=exp.Paren(this=amount.copy()))
    return exp.Case(ifs=[exp.If(this=over, true=raised(added_overflow(type_name), dialect))],
                    default=amount.copy())


def _checked_count(diff: exp.DateDiff, dialect: str) -> exp.Expression:
    """``diff``, or a stop when it passes an ``int``."""
    low, high = INT_RANGE
    outside = exp.Not(this=exp.Between(this=diff.copy(), low=exp.Literal.number(low),
                                       high=exp.Literal.number(high)))
    return exp.Case(ifs=[exp.If(this=outside, true=raised(DATEDIFF_OVERFLOW, dialect))],
                    default=diff.copy())


def _read(node: exp.Expression) -> bool:
    """Whether ``node`` reads a column, outside a #temp table's computed column (whose
    expression PostgreSQL keeps without the session's functions)."""
    return node.find(exp.Column) is not None and node.find_ancestor(exp.ColumnDef) is None


def for_target(tree: exp.Expression, plain_dates: set[str], datetime2s: set[str],
               dialect: str) -> tuple[exp.Expression, bool]:
    """The tree with each ``DATEADD`` of a read date and each fine ``DATEDIFF`` checked;
    and whether a check calls PostgreSQL's session function (``text_bounds``)."""
    checked = False
    for diff in list(tree.find_all(exp.DateDiff)):
        if not diff.args.get("big_int") and unit_of(diff) in FINE_UNITS and _read(diff):
            diff.replace(_checked_count(diff, dialect))  # (never the whole statement)
            checked = True
    made = made_items(tree)
    for add in list(tree.find_all(exp.DateAdd)):
        if not _read(add.this) or add.args.get("unit") is None:
            continue
        add.set("expression", _checked_amount(
            add, _type_name(add.this, plain_dates, datetime2s, made), dialect))
        checked = True
    return tree, checked
