"""Text that SQL Server reads as a date, written in the form every target reads.

SQL Server converts a string to a date wherever a date is expected: a function of dates
(``DATEDIFF(day, '20150101', d)``, ``YEAR('20150101')``), a cast, or a comparison with a date
column (``WHERE d BETWEEN '20150101' AND '20151231'``). Its unseparated ISO form
``'YYYYMMDD'`` is the one its documentation recommends, since no language setting changes how
it is read, and scripts use it. SQLite read it as no date at all (``DATEDIFF`` gave NULL) and
compared it with the ISO text it stores dates as (``'2015-03-14' < '20150101'``: every row
matched nothing), DuckDB refused it. So such a literal is rewritten as ISO ``YYYY-MM-DD``;
compared with a date column (or a date the statement computes and names: ``DATEADD(...) AS
FirstMonth``), a literal with a time (``'2012-02-29 00:00:00'``) is cut to its
date, as SQL Server converts it to the column's type (SQLite compared the longer text as
greater). A literal given as the other choice of a date (``ISNULL(d, '20210331')``,
``COALESCE``, ``IIF``, ``CASE``'s results; a value of a date's among them, as
``NULLIF(d, '99991231')``), ``LAG``'s or ``LEAD``'s default for a date, or the other value
``NULLIF`` compares with a date, is rewritten too, since SQL Server converts it to a date
(SQLite gave the text, or found no match, DuckDB stopped). A form whose reading depends on
the session's ``DATEFORMAT`` (``'01/02/2015'``) is read as SQL Server reads it: month first as
``us_english`` has it, day first after ``SET DATEFORMAT dmy`` or ``SET LANGUAGE british``
(PostgreSQL read it month first whatever the script said, SQLite and DuckDB not at all).

A number where ``DATEADD`` expects a date is that many days from 1900-01-01, SQL Server's day
0: the first of the month is ``DATEADD(month, DATEDIFF(month, 0, d), 0)``, its last day
``DATEADD(month, DATEDIFF(month, -1, d), -1)`` (sqlglot already reads ``DATEDIFF``'s number
so; the targets refused ``DATEADD``'s, or SQLite gave a year before Christ).
"""

from __future__ import annotations

import datetime as dt

from sqlglot import exp

from leo_synth.tsql import date_texts, value_rewrites
from leo_synth.tsql.datetime_ticks import ticked_text
from leo_synth.tsql.errors import ScriptError

DATE_FUNCTIONS = (exp.DateAdd, exp.DateDiff, exp.TsOrDsToDate, exp.TimeStrToTime, exp.Extract,
                  exp.LastDay, exp.TimeToStr, exp.TsOrDsAdd, exp.DateTrunc)
"""sqlglot's nodes for T-SQL's functions of a date, whose date argument is ``this`` or
``expression`` (``DATEADD``, ``DATEDIFF``, ``YEAR``/``MONTH``/``DAY``, ``DATEPART``,
``EOMONTH``, ``DATENAME``, ``FORMAT``)."""
DATE_TYPES = (exp.DataType.Type.DATE, *value_rewrites.DATETIME_TYPES)
COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE)
NEUTRAL = "leo_iso"
"""The ``meta`` key of a literal that holds a value already read (a variable's), in ISO
form whatever the ``DATEFORMAT``."""


def _rewrite(literal: exp.Expression, date_only: bool, order: str, line: int,
             converted: bool = False, moment: bool = False, old_type: bool = False,
             ticks: bool = False) -> None:
    """``literal`` in ISO form where it is a string SQL Server reads as a date; one it cannot
    read stops the statement when it is shaped as a date, or whenever it is ``converted`` (a
    cast's or a date function's value: ``CAST('n/a' AS DATE)``, which SQLite read as NULL).
    ``old_type``: it becomes a ``DATETIME`` or ``SMALLDATETIME``, which read ``YYYY-MM-DD``
    by the ``DATEFORMAT`` (``date_texts.iso``); ``ticks``: a ``DATETIME``, whose time is
    rounded to its 1/300 s (``datetime_ticks``)."""
    if isinstance(literal, exp.Literal) and literal.is_string:
        text = date_texts.iso(literal.name, date_only, order, old_type)
        if text is not None and ticks and not date_only:
            text = ticked_text(text)
        shaped = date_texts.shaped_as_date(literal.name)
        if text is None and (shaped or (converted and literal.name.strip())) and not (
                literal.parent is not None and value_rewrites.is_safe(literal.parent)):
            # '31/12/2015' under us_english's mdy, '2015-02-30': SQL Server stops (SQLite
            # read NULL, or compared the text and found no row)
            hint = (f" ('{literal.name}' under DATEFORMAT {order}; "
                    f"'{_unseparated_hint(literal.name)}' is read the same whatever the "
                    f"DATEFORMAT)") if shaped else ""
            if old_type and date_texts.too_precise(literal.name):
                hint = (" (a DATETIME reads three places of a second at most: cast to "
                        "DATETIME2, or cut the text)")
            raise ScriptError(line, date_texts.DATE_FAILED + hint, runtime=True,
                              said=date_texts.DATE_FAILED)
        if text is not None and not date_only and (len(text) > 10 or moment):
            # a time (a DATETIME variable's value, too): a date and time to the function, as
            # SQL Server converts it (DuckDB read a date, PostgreSQL an interval, SQLite's
            # DATEADD(day, ...) dropped the time)
            literal.replace(exp.cast(exp.Literal.string(text), exp.DataType.build(
                "DATETIME2", dialect="tsql")))
        elif text is not None and text != literal.name:
            literal.replace(exp.Literal.string(text))


def _unseparated_hint(text: str) -> str:
    """An example of the unseparated ISO form (the literal's own, day first, if it reads as
    one)."""
    found = date_texts.NUMBERED.fullmatch(text)
    if found is not None:
        try:
            return dt.date(date_texts.full_year(found["y"]), int(found["b"]),
                           int(found["a"])).strftime("%Y%m%d")
        except ValueError:
            pass
    return "YYYYMMDD"


_WHOLE_DAYS = {"YEAR", "YY", "YYYY", "QUARTER", "QQ", "Q", "MONTH", "MM", "M", "DAYOFYEAR",
               "DY", "Y", "DAY", "DD", "D", "WEEK", "WK", "WW", "WEEKDAY", "DW", "W"}
"""``DATEADD``'s units of whole days or more: day n moved by them stays a date."""


def literal_days(node: exp.Expression) -> float | None:
    """The number a numeric literal, or its negation, writes (``0``, ``-1``, ``1.5``), or
    None: SQL Server reads it as that many days from 1900-01-01 where a date is expected."""
    sign, number = (-1, node.this) if isinstance(node, exp.Neg) else (1, node)
    if not (isinstance(number, exp.Literal) and not number.is_string):
        return None
    try:
        return sign * float(number.this)
    except ValueError:
        return None


def _day_number(node: exp.Expression, line: int) -> exp.Expression | None:
    """The ISO date literal a whole number (``0``, ``-1``) stands for as a date, or None;
    a number of days outside a DATETIME stops with SQL Server's error 8115."""
    days = literal_days(node)
    if days is None or not days.is_integer():
        return None
    try:
        return exp.Literal.string(date_texts.day_number(days)[:10])
    except date_texts.DayNumberOverflow as overflow:
        raise ScriptError(line, str(overflow)) from None


def _is_date_column(node: exp.Expression, dates: set[str]) -> bool:
    """A column holding dates (``dates``), or an expression whose value is a date: a date
    function's or a cast's, or one of a date's (``NULLIF(d, ...)``, ``LAG(d) OVER (...)``,
    ``MAX(d)``, a choice with a date among its values, :func:`_dated_choices`)."""
    while isinstance(node, exp.Paren | exp.Window):
        node = node.this
    if isinstance(node, exp.Column):
        return node.name.lower() in dates
    if isinstance(node, _OF_ITS_VALUE):
        return _is_date_column(node.this, dates)
    if isinstance(node, _CHOICES):
        return bool(_dated_choices(node, dates))
    return isinstance(node, DATE_VALUES) or _is_date_cast(node) or _styled_conversion(node)


def _is_moment(node: exp.Expression, moments: set[str]) -> bool:
    """A column holding a date and time (``moments``), or a value of one's (``NULLIF(d,
    ...)``, ``LAG(d) OVER (...)``), or a cast to one."""
    while isinstance(node, (exp.Paren, exp.Window, *_OF_ITS_VALUE)):
        node = node.this
    if isinstance(node, exp.Column):
        return node.name.lower() in moments
    return _is_date_cast(node, value_rewrites.DATETIME_TYPES) or _styled_conversion(
        node, value_rewrites.DATETIME_TYPES)


_CHOICES = (exp.Coalesce, exp.Case, exp.If, exp.Greatest, exp.Least)
"""Functions whose value is one of their values (``GREATEST`` and ``LEAST``: SQL Server
2022's)."""
_OF_ITS_VALUE = (exp.Nullif, exp.Lag, exp.Lead, exp.FirstValue, exp.LastValue, exp.NthValue,
                 exp.Min, exp.Max)
"""Functions whose value has their first argument's type."""


DATE_VALUES = (exp.DateAdd, exp.LastDay, exp.DateFromParts, exp.CurrentTimestamp)
"""Functions whose value is a date (``DATEADD``, ``EOMONTH``, ``DATEFROMPARTS``,
``GETDATE()``)."""


def _dated_aliases(tree: exp.Expression, dates: set[str]) -> set[str]:
    """The names the statement gives to dates (``DATEADD(month, ..., 0) AS FirstMonth`` in a
    common table expression or subquery), so that its outer query's comparisons with them
    are read as comparisons with dates."""
    return {alias.alias.lower() for alias in tree.find_all(exp.Alias)
            if alias.alias and _is_date_column(alias.this, dates)}


def _is_date_cast(node: exp.Expression, types: tuple[exp.DataType.Type, ...] = DATE_TYPES
                  ) -> bool:
    """Whether ``node`` converts to one of the date ``types`` (without a style)."""
    to = node.args.get("to") if isinstance(node, exp.Cast | exp.TryCast) else None
    if isinstance(node, exp.Convert) and not node.args.get("style"):
        to = node.this
    return isinstance(to, exp.DataType) and to.is_type(*types)


def _styled_conversion(node: exp.Expression, types: tuple[exp.DataType.Type, ...] = DATE_TYPES
                       ) -> bool:
    """Whether ``node`` converts text in a style to one of the date ``types``
    (``TRY_CONVERT(DATE, x, 103)``): its value is a date whatever the style, so a literal
    compared with it is read as one (``NULLIF(TRY_CONVERT(DATE, x, 103), '19000101')``:
    SQLite compared the text and kept the placeholder, DuckDB stopped). Its own text is read
    in its style (``styled_dates``), not as :func:`_is_date_cast`'s are."""
    return (isinstance(node, exp.Convert) and node.args.get("style") is not None
            and isinstance(node.this, exp.DataType) and node.this.is_type(*types))


def for_target(tree: exp.Expression, dates: set[str], order: str,
               line: int, moments: set[str] = frozenset(),
               ticked: set[str] = frozenset()) -> exp.Expression:
    """The tree with each string literal read as a date in ISO form; ``dates``: the column
    names (lower case) that hold dates wherever the script met them (``moments``: those of
    them that hold a date and time, ``DATETIME``, with which a literal keeps its time;
    ``ticked``: those that hold a ``DATETIME`` itself, with which it is rounded to 1/300 s);
    ``order``: the session's ``DATEFORMAT``; ``line``: the statement's. A literal shaped as
    a date that SQL Server cannot read as one (``'31/12/2015'`` month first,
    ``'2015-02-30'``) stops it with SQL Server's error where a date is expected
    (``TRY_CAST`` aside)."""
    for node in list(tree.find_all(exp.Literal)):
        parent = node.parent
        if node.arg_key in ("this", "expression") and (
                isinstance(parent, DATE_FUNCTIONS) or _is_date_cast(parent)):
            _rewrite(node, False, order, line, converted=True,
                     old_type=_is_date_cast(parent, value_rewrites.OLD_DATETIME_TYPES)
                     and not node.meta.get(NEUTRAL),
                     ticks=_is_date_cast(parent, (exp.DataType.Type.DATETIME,))
                     or isinstance(parent, exp.DateAdd))
    for add in list(tree.find_all(exp.DateAdd)):
        day = _day_number(add.this, line)
        unit = add.args.get("unit")
        if day is not None and unit is not None and unit.name.upper() not in _WHOLE_DAYS:
            # (hours from day 0: PostgreSQL read the bare text as an interval)
            add.set("this", exp.cast(day, exp.DataType.build("DATETIME")))
        elif day is not None:
            add.set("this", day)
    dates = dates | _dated_aliases(tree, dates)
    def compared(value: exp.Expression, column: exp.Expression) -> None:
        """A literal compared with a date (with a ``DATETIME`` column or a cast to a date
        and time, a date and time: ``CAST(x AS SMALLDATETIME) = '2020-01-01 10:16'`` was
        compared with the date alone)."""
        while isinstance(column, exp.Paren):
            column = column.this
        named = isinstance(column, exp.Column) and column.name.lower() in moments
        moment = named or _is_date_cast(column, value_rewrites.DATETIME_TYPES)
        _rewrite(value, not moment, order, line, moment=moment,
                 ticks=(named and column.name.lower() in ticked) or _is_date_cast(
                     column, (exp.DataType.Type.DATETIME,)))

    for comparison in list(tree.find_all(*COMPARISONS, exp.In, exp.Between)):
        if isinstance(comparison, exp.In):
            if _is_date_column(comparison.this, dates):
                for value in comparison.expressions:
                    compared(value, comparison.this)
        elif isinstance(comparison, exp.Between):
            if _is_date_column(comparison.this, dates):
                compared(comparison.args["low"], comparison.this)
                compared(comparison.args["high"], comparison.this)
        elif _is_date_column(comparison.this, dates):
            compared(comparison.expression, comparison.this)
        elif _is_date_column(comparison.expression, dates):
            compared(comparison.this, comparison.expression)
    for nullif in list(tree.find_all(exp.Nullif)):  # (NULLIF compares its values)
        if _is_date_column(nullif.this, dates):
            compared(nullif.expression, nullif.this)
        elif _is_date_column(nullif.expression, dates):
            compared(nullif.this, nullif.expression)
    for shifted in list(tree.find_all(exp.Lag, exp.Lead)):
        # the default of LAG(d, 1, '19000101') is converted to the date's type (SQLite gave
        # the text, DuckDB stopped)
        default = shifted.args.get("default")
        if default is not None and _is_date_column(shifted.this, dates):
            moment = isinstance(shifted.this, exp.Column) and shifted.this.name.lower() in moments
            _rewrite(default, not moment, order, line, converted=True, moment=moment)
    for choice in list(tree.find_all(*_CHOICES)):
        values = _dated_choices(choice, dates)
        # (beside a date and time, a literal keeps its time: ISNULL(d, '20991231 23:00'))
        moment = any(_is_moment(value, moments)
                     for value in value_rewrites.choice_values(choice))
        for value in values:
            # (converted: ISNULL(d, 'none') stops, as on DuckDB and PostgreSQL; SQLite gave
            # the text)
            _rewrite(value, not moment, order, line, converted=True, moment=moment)
    return tree


def _dated_choices(choice: exp.Expression, dates: set[str]) -> list[exp.Expression]:
    """The other values of a choice between values one of which is a date, which SQL Server
    converts to a date (a date outranks text): ``ISNULL(d, '20210331')`` (whose type is its
    first argument's), ``COALESCE``, ``IIF`` and ``CASE``'s results, ``GREATEST`` and
    ``LEAST``'s values. SQLite gave the text as it was, DuckDB stopped at it."""
    values = value_rewrites.choice_values(choice)
    if isinstance(choice, exp.Coalesce) and choice.args.get("is_null"):
        # ISNULL: the first argument's type
        return values[1:] if values and _is_date_column(values[0], dates) else []
    if not any(_is_date_column(value, dates) for value in values):
        return []
    return values
