"""Rewrites where sqlglot's translation of T-SQL is wrong (or missing) for a target.

Each was checked against the engine (tests/test_tsql.py runs them on every backend):

- ``DATEDIFF(day|month|year, a, b)`` counts the boundaries crossed in T-SQL (``DATEDIFF(year,
  '2011-12-31', '2012-01-01')`` is 1). sqlglot gives SQLite ``julianday`` differences divided by
  30 or 365 and PostgreSQL ``AGE`` (whole elapsed months/years), both wrong; DuckDB's
  ``date_diff`` already counts boundaries. Days count midnights, so both ends become dates.
- SQLite has no ``LEFT``, ``RIGHT``, ``YEAR``, ``MONTH``, ``DAY`` or ``EXTRACT``: ``substr``
  and ``strftime`` instead. ``YEAR``/``MONTH``/``DAY``/``DATEPART`` are integers everywhere
  (PostgreSQL's ``EXTRACT`` is numeric) and read their operand as a date.
- ``DATEADD(month, 1, '2011-01-31')`` is 2011-02-28 in T-SQL (the day is clipped to the
  month's end); SQLite's date modifiers roll over to 2011-03-03, so the earlier of that and
  the target month's last day is taken (ISO dates compare as text).
- ``'text' + x`` concatenates in T-SQL; sqlglot keeps ``+`` (addition elsewhere). A ``+`` with a
  string literal on either side becomes ``||``.
- PostgreSQL's ``ROUND(x, n)`` exists only for ``numeric``: the value is cast first.
- ``DATEFROMPARTS(y, m, d)``: sqlglot names a function neither SQLite nor PostgreSQL has;
  ``MAKE_DATE`` on PostgreSQL, an ISO string built with ``printf`` on SQLite.
- ``DATEDIFF(week|quarter, ...)`` count Sundays and quarters crossed; ``DATEADD(week|quarter,
  ...)`` are 7 days and 3 months; ``DATEPART(quarter|weekday, d)`` are integers, the weekday
  with Sunday as 1 (SQL Server's default ``DATEFIRST``, us_english) unless the script set
  ``DATEFIRST`` (``SET DATEFIRST 1``, ``SET LANGUAGE british``: Monday is 1).
- ``EOMONTH`` and ``DATENAME(month|weekday, ...)`` on SQLite, which has neither.
- ``DATEADD`` on a date is a date in T-SQL; PostgreSQL's and DuckDB's date + interval is a
  timestamp, so the result is cast back to a date (unless it started from ``GETDATE()``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import sqlglot
from sqlglot import exp

from leo_synth.tsql import date_formats, error_messages, sqlite_times, time_texts, value_rewrites
from leo_synth.tsql.date_literals import literal_days
from leo_synth.tsql.target_dialects import target_sql
from leo_synth.tsql.value_rewrites import (
    DATE_READINGS,
    PRECISE_DATETIME,
    cast_parts,
    value_slot,
)

DAY_UNITS = {"DAY", "DD", "D", "DAYOFYEAR", "DY", "Y"}
WEEK_UNITS = {"WEEK", "WK", "WW"}
MONTH_UNITS = {"MONTH", "MM", "M"}
QUARTER_UNITS = {"QUARTER", "QQ", "Q"}
YEAR_UNITS = {"YEAR", "YY", "YYYY"}
PARTS = {"YEAR": "%Y", "MONTH": "%m", "DAY": "%d"}
SUNDAY = "1899-12-31"
"""A Sunday before any date of the extract: T-SQL's weeks start on Sundays (for DATEDIFF,
whatever DATEFIRST says)."""
TIME_PARTS = {"HOUR": "%H", "MINUTE": "%M", "SECOND": "%S"}
TIME_UNITS = {"HOUR": "HOUR", "HH": "HOUR", "MINUTE": "MINUTE", "MI": "MINUTE", "N": "MINUTE",
              "SECOND": "SECOND", "SS": "SECOND", "S": "SECOND", "MILLISECOND": "MILLISECOND",
              "MS": "MILLISECOND"}
"""T-SQL's names of the parts of a time, to the part (sqlglot keeps ``hh``, ``mi``, ``ss``)."""
FINE_PARTS = {"MICROSECOND": 1, "NANOSECOND": 1000}
"""``DATEPART``'s parts of a second finer than a millisecond, by nanoseconds per unit of the
microseconds the targets hold (sqlglot reads ``mcs`` and ``ns`` as these names)."""
SECONDS = {"HOUR": 3600, "MINUTE": 60, "SECOND": 1}
SINCE_1900 = 2208988800
"""Seconds from 1900-01-01 to 1970-01-01: counting from 1900 keeps the extract's times
positive, so integer division rounds down (hours crossed are whole hours since then)."""


FRACTION = re.compile(r"\d:\d\d\.\d")
"""A time with a fraction of a second, in text (``13:45:30.123``)."""


def unit_of(node: exp.Expression) -> str:
    """The part a ``DATEADD`` or ``DATEDIFF`` counts, by its full name (``DAY``, ``HOUR``)."""
    unit = node.args.get("unit")
    name = unit.name.upper() if unit is not None else "DAY"
    return TIME_UNITS.get(name, name)


def _seconds(node: exp.Expression, dialect: str) -> str:
    """SQL for the whole seconds from 1900-01-01 to a date or time."""
    value = _timestamp(node, dialect)
    if dialect == "sqlite":
        return f"(CAST(STRFTIME('%s', {value}) AS INTEGER) + {SINCE_1900})"
    epoch = f"EXTRACT(EPOCH FROM {value})" if dialect == "postgres" else f"EPOCH({value})"
    return f"(CAST(FLOOR({epoch}) AS BIGINT) + {SINCE_1900})"


def _timestamp(node: exp.Expression, dialect: str) -> str:
    """SQL for a date or time as a timestamp (SQLite's: text). A ``TIME`` for
    certain (a cast to one, a ``TIME`` variable: :func:`time_texts.places`, on SQLite
    ``sqlite_times``' mark) is on 1900-01-01,
    as SQL Server converts it (neither target casts a ``TIME`` to a ``TIMESTAMP``), so
    ``DATEDIFF(minute, CAST('10:15' AS TIME), CAST('12:00' AS TIME))`` is 105 and
    ``DATEPART(hour, CAST('10:15' AS TIME))`` 10. A #temp table's ``TIME`` column is cast
    to its type first (``time_columns``)."""
    value = target_sql(node, dialect)
    if time_texts.places(node) is None and not (
            isinstance(node, exp.Anonymous) and node.name.upper() == sqlite_times.MARK):
        return value if dialect == "sqlite" else f"CAST({value} AS TIMESTAMP)"
    return (f"('1900-01-01 ' || {value})" if dialect == "sqlite"  # (SQLite's: 2000-01-01)
            else f"(DATE '1900-01-01' + {value})")


def _milliseconds(node: exp.Expression, dialect: str) -> str:
    """SQL for the whole milliseconds from 1900-01-01 to a date or time."""
    value = _timestamp(node, dialect)
    if dialect == "sqlite":  # (days as a float: exact to well under a millisecond)
        return f"CAST(ROUND((JULIANDAY({value}) - JULIANDAY('1900-01-01')) * 86400000) AS INTEGER)"
    epoch = f"EXTRACT(EPOCH FROM {value})" if dialect == "postgres" else f"EPOCH({value})"
    return f"CAST(ROUND(({epoch} + {SINCE_1900}) * 1000) AS BIGINT)"


def _bare(node: exp.Expression) -> exp.Expression:
    """The operand under sqlglot's implicit string-to-time conversion."""
    return node.this if isinstance(node, exp.TimeStrToTime | exp.TsOrDsToDate) else node



def _part(node: exp.Expression, part: str, dialect: str, datefirst: int = 7) -> str:
    """SQL for the integer year, quarter, month, day, week, hour, minute or second of a date
    or time, in the dialect (``datefirst``: the session's first day of a week)."""
    if part == "WEEK":  # T-SQL's: week 1 holds 1 January, and a week starts on DATEFIRST's day
        day = _part(node, "DAYOFYEAR", dialect)
        return (f"(({day} - 1 + ({_days(node, dialect)} - {day} + {8 - datefirst}) % 7) / 7 "
                f"+ 1)")
    if part == "WEEKISO":  # ISO 8601: the week of the year of the week's Thursday
        if dialect == "sqlite":
            thursday = f"DATE({target_sql(node, dialect)}, '-3 days', 'weekday 4')"
            return f"((CAST(STRFTIME('%j', {thursday}) AS INTEGER) - 1) / 7 + 1)"
        return f"CAST(EXTRACT(WEEK FROM CAST({target_sql(node, dialect)} AS DATE)) AS INTEGER)"
    if part == "MILLISECOND":  # (of its second: the targets' count the second's too)
        if dialect == "sqlite":
            return f"CAST(SUBSTR(STRFTIME('%f', {target_sql(node, dialect)}), 4, 3) AS INTEGER)"
        return (f"(CAST(ROUND(EXTRACT(MILLISECOND FROM {_timestamp(node, dialect)})) AS "
                f"INTEGER) % 1000)")
    if part in FINE_PARTS:  # (of its second too, as SQL Server counts them)
        scale = FINE_PARTS[part]
        if dialect == "sqlite":  # (SQLite's dates and times hold milliseconds)
            return (f"(CAST(SUBSTR(STRFTIME('%f', {target_sql(node, dialect)}), 4, 3) AS "
                    f"INTEGER) * {1000 * scale})")
        return (f"(CAST(EXTRACT(MICROSECOND FROM {_timestamp(node, dialect)}) AS INTEGER) "
                f"% 1000000 * {scale})")
    if part in TIME_PARTS:
        if dialect == "sqlite":
            return f"CAST(STRFTIME('{TIME_PARTS[part]}', {target_sql(node, dialect)}) AS INTEGER)"
        return (f"CAST(FLOOR(EXTRACT({part} FROM {_timestamp(node, dialect)})) AS INTEGER)")
    if part == "DAYOFYEAR":
        value = target_sql(node, dialect)
        return (f"CAST(STRFTIME('%j', {value}) AS INTEGER)" if dialect == "sqlite"
                else f"CAST(EXTRACT(DOY FROM CAST({value} AS DATE)) AS INTEGER)")
    if dialect == "sqlite" and part == "QUARTER":
        return f"((CAST(STRFTIME('%m', {target_sql(node, dialect)}) AS INTEGER) + 2) / 3)"
    if dialect == "sqlite":
        return f"CAST(STRFTIME('{PARTS[part]}', {target_sql(node, dialect)}) AS INTEGER)"
    return f"CAST(EXTRACT({part} FROM CAST({target_sql(node, dialect)} AS DATE)) AS INTEGER)"


def _days(node: exp.Expression, dialect: str) -> str:
    """SQL for the days from :data:`SUNDAY` to a date (a non-negative integer)."""
    if dialect == "sqlite":
        return (f"CAST(JULIANDAY(DATE({target_sql(node, dialect)})) - JULIANDAY('{SUNDAY}') "
                f"AS INTEGER)")
    return f"(CAST({target_sql(node, dialect)} AS DATE) - DATE '{SUNDAY}')"


def _datediff(node: exp.DateDiff, dialect: str) -> exp.Expression:
    unit = unit_of(node)
    end, start = _bare(node.this), _bare(node.expression)
    if unit in YEAR_UNITS:
        text = f"({_part(end, 'YEAR', dialect)} - {_part(start, 'YEAR', dialect)})"
    elif unit in MONTH_UNITS:
        text = (f"(({_part(end, 'YEAR', dialect)} - {_part(start, 'YEAR', dialect)}) * 12 + "
                f"{_part(end, 'MONTH', dialect)} - {_part(start, 'MONTH', dialect)})")
    elif unit in QUARTER_UNITS:
        text = (f"(({_part(end, 'YEAR', dialect)} - {_part(start, 'YEAR', dialect)}) * 4 + "
                f"{_part(end, 'QUARTER', dialect)} - {_part(start, 'QUARTER', dialect)})")
    elif unit in WEEK_UNITS:  # Sundays crossed
        text = f"({_days(end, dialect)} / 7 - {_days(start, dialect)} / 7)"
    elif unit in SECONDS:  # hours, minutes or seconds crossed
        divide, size = "//" if dialect == "duckdb" else "/", SECONDS[unit]
        text = (f"({_seconds(end, dialect)} {divide} {size} - "
                f"{_seconds(start, dialect)} {divide} {size})")
    elif unit == "MILLISECOND":
        text = f"({_milliseconds(end, dialect)} - {_milliseconds(start, dialect)})"
    elif unit in DAY_UNITS and dialect == "sqlite":
        text = (f"CAST(JULIANDAY(DATE({target_sql(end, dialect)})) - "
                f"JULIANDAY(DATE({target_sql(start, dialect)})) AS INTEGER)")
    elif unit in DAY_UNITS:
        text = (f"(CAST({target_sql(end, dialect)} AS DATE) - "
                f"CAST({target_sql(start, dialect)} AS DATE))")
    else:
        return node
    return sqlglot.parse_one(text, read=dialect)


def _date_part(node: exp.Expression, dialect: str, datefirst: int) -> exp.Expression:
    part = {exp.Year: "YEAR", exp.Month: "MONTH", exp.Day: "DAY"}.get(type(node))
    operand = node.this
    if isinstance(node, exp.Extract) and node.this.name.upper() == "DAYOFWEEK":
        # the session's DATEFIRST is day 1 (7, Sunday, unless the script set it)
        text = f"(({_days(_bare(node.expression), dialect)} + {7 - datefirst}) % 7 + 1)"
        return sqlglot.parse_one(text, read=dialect)
    if isinstance(node, exp.Extract) and node.this.name.upper() in {
            *PARTS, *TIME_PARTS, *FINE_PARTS, "QUARTER", "WEEK", "WEEKISO", "DAYOFYEAR",
            "MILLISECOND"}:
        part, operand = node.this.name.upper(), node.expression
    if part is None:
        return node
    return sqlglot.parse_one(_part(_bare(operand), part, dialect, datefirst), read=dialect)


def _sqlite_dateadd(node: exp.DateAdd) -> exp.Expression:
    unit, date = unit_of(node), target_sql(_bare(node.this), "sqlite")
    amount = target_sql(node.expression, "sqlite")
    day = "DATETIME" if _is_datetime(_bare(node.this)) else "DATE"  # (a time is kept)
    precise = isinstance(_bare(node.this), exp.TimeToStr | exp.CurrentTimestamp
                         | exp.Anonymous) and (
        _is_datetime(_bare(node.this)))  # (GETDATE(): milliseconds, translate's _within_target)

    def moved(function: str, modifier: str) -> str:
        """The date moved by ``modifier`` (a time with its fraction of a second kept)."""
        if precise and function == "DATETIME":
            return f"STRFTIME('{PRECISE_DATETIME}', {date}, {modifier})"
        return f"{function}({date}, {modifier})"

    if unit in DAY_UNITS | WEEK_UNITS:
        days = f"(({amount}) * 7)" if unit in WEEK_UNITS else f"({amount})"
        text = moved(day, f"{days} || ' days'")
    elif unit in SECONDS:
        text = moved("DATETIME", f"({amount}) || ' {unit.lower()}s'")
    elif unit == "MILLISECOND":  # (DATETIME() would drop the fraction)
        text = f"STRFTIME('{PRECISE_DATETIME}', {date}, (({amount}) / 1000.0) || ' seconds')"
    elif unit in MONTH_UNITS | QUARTER_UNITS | YEAR_UNITS:
        factor = 12 if unit in YEAR_UNITS else 3 if unit in QUARTER_UNITS else 1
        months = f"(({amount}) * {factor})"
        text = (f"MIN({day}({date}, {months} || ' months'), "
                f"{day}({date}, 'start of month', ({months} + 1) || ' months', '-1 day'))")
    else:
        return node
    return sqlglot.parse_one(text, read="sqlite")


def _sqlite_last_day(node: exp.LastDay) -> exp.Expression:
    """``EOMONTH(d)``: the last day of d's month (sqlglot has already added any months)."""
    date = target_sql(_bare(node.this), "sqlite")
    return sqlglot.parse_one(f"DATE({date}, 'start of month', '+1 month', '-1 day')",
                             read="sqlite")


def _datetime_cast(node: exp.Expression) -> exp.Expression | None:
    """The value a ``CAST`` or ``CONVERT`` (without a style) to a date and time converts."""
    parts = None if node.args.get("style") else cast_parts(node)
    return parts[0] if parts and parts[1].is_type(*value_rewrites.DATETIME_TYPES) else None


def _sqlite_function(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Left):
        return exp.func("SUBSTR", node.this, exp.Literal.number(1), node.expression)
    if isinstance(node, exp.Right):
        # (the length in brackets: RIGHT(x, n - 1) was SUBSTR(x, -n - 1, ...))
        return exp.func("SUBSTR", node.this, exp.Neg(this=exp.Paren(
            this=node.expression.copy())), node.expression)
    if isinstance(node, exp.DateAdd):
        return _sqlite_dateadd(node)
    value = _datetime_cast(node)
    if (isinstance(value, exp.Literal) and value.is_string
            and FRACTION.search(value.name)):  # (SQLite's DATETIME() drops the fraction)
        return exp.TimeToStr(this=value, format=exp.Literal.string(PRECISE_DATETIME))
    if (isinstance(value, exp.TimeToStr) and _is_datetime(value)) or _moved_precisely(value) or (
            isinstance(value, exp.CurrentTimestamp)):  # (GETDATE(), SYSDATETIME(): see below)
        return value  # (a cast of one: DATETIME() again would drop its fraction)
    if isinstance(value, exp.Anonymous) and value.name.upper() in DATE_READINGS:
        # (text read as a date and time, its fraction kept)
        return exp.TimeToStr(this=value, format=exp.Literal.string(PRECISE_DATETIME))
    if isinstance(node, exp.LastDay):
        return _sqlite_last_day(node)
    if isinstance(node, exp.TimeToStr) and node.args.get("format") is not None:
        return date_formats.sqlite_pattern(node)
    return node


def _date_from_parts(node: exp.DateFromParts, dialect: str) -> exp.Expression:
    """``DATEFROMPARTS`` as ``MAKE_DATE``, or on SQLite the ISO text checked: SQLite's
    ``DATE`` keeps a day the month does not have (2015-02-29), where SQL Server stops with
    error 289 (a day moved by ``+0 days`` is not the day given); NULL if any part is NULL."""
    parts = [target_sql(node.args[k], dialect) for k in ("year", "month", "day")]
    if dialect == "sqlite":
        text = f"PRINTF('%04d-%02d-%02d', {', '.join(parts)})"
        missing = " OR ".join(f"({part}) IS NULL" for part in parts)
        failed = exp.Literal.string(error_messages.NOT_CONSTRUCTED).sql()
        text = (f"CASE WHEN {missing} THEN NULL WHEN CAST(({parts[0]}) AS INTEGER) BETWEEN 1 "
                f"AND 9999 AND DATE({text}, '+0 days') = {text} THEN DATE({text}) "
                f"ELSE LEO_RAISE({failed}) END")
    else:
        text = f"MAKE_DATE({', '.join(parts)})"
    return sqlglot.parse_one(text, read=dialect)


TEXT_FUNCTIONS = (exp.DPipe, exp.Concat, exp.Upper, exp.Lower, exp.Substring, exp.Trim,
                  exp.Left, exp.Right, exp.Repeat, exp.Replace, exp.TimeToStr, exp.Chr,
                  exp.Reverse, exp.Stuff, exp.Translate, exp.NumberToStr, exp.ConcatWs,
                  exp.GroupConcat, exp.Space)
"""Functions whose value is text (sqlglot reads LTRIM/RTRIM as Trim, REPLICATE as Repeat,
CHAR as Chr, FORMAT as NumberToStr, DATENAME as TimeToStr, STRING_AGG as GroupConcat)."""
TEXT_NAMES = {"NCHAR", "QUOTENAME", "STR", "STRING_ESCAPE", "FORMATMESSAGE"}
"""T-SQL's functions of text that sqlglot reads as functions it does not know."""


def from_sources(select: exp.Select) -> list[exp.Expression]:
    """What a query reads: its FROM's source, then each join's (tables, subqueries, ...)."""
    source = select.args.get("from_")
    return ([source.this] if source is not None else []) + [
        j.this for j in select.args.get("joins") or []]


def list_stars(query: exp.Select, alias: str, own: list[exp.Expression]) -> None:
    """The query's ``alias.*``, and ``alias``'s share of its ``*``, as the columns ``own``
    (a source whose target form has columns of its own, which the script never named); the
    other sources' share of a ``*`` as their own ``x.*``."""
    items: list[exp.Expression] = []
    for item in query.expressions:
        if isinstance(item, exp.Column) and isinstance(item.this, exp.Star) and (
                item.table.lower() == alias.lower()):
            items += [column.copy() for column in own]
        elif isinstance(item, exp.Star):
            for source in from_sources(query):
                items += [column.copy() for column in own] if (
                    source.alias_or_name.lower() == alias.lower()) else [
                    exp.Column(this=exp.Star(), table=exp.to_identifier(source.alias_or_name))]
        else:
            items.append(item)
    query.set("expressions", items)


def is_assignment(node: exp.Expression) -> bool:
    """Whether ``node`` is a ``SET column = value`` of an UPDATE (an ``=`` that assigns,
    which the rules for comparisons must leave as written)."""
    return node.arg_key == "expressions" and isinstance(node.parent, exp.Update)


def is_text(node: exp.Expression, texts: dict[str, bool] | None = None) -> bool:
    """Whether ``node`` is text for certain: a string literal, a cast to text or a function
    of text (``CAST(a AS VARCHAR(4)) + CAST(b AS VARCHAR(2))`` joins the two; SQLite would
    add them as numbers), or a column that ``texts`` (lower-case names) says holds text."""
    if isinstance(node, exp.Column):
        return texts is not None and texts.get(node.name.lower(), False)
    if isinstance(node, exp.Cast | exp.TryCast) and isinstance(node.args.get("to"),
                                                               exp.DataType):
        return node.args["to"].this in value_rewrites.TEXT_TYPES
    if isinstance(node, exp.Convert) and isinstance(node.this, exp.DataType):
        return node.this.this in value_rewrites.TEXT_TYPES
    if isinstance(node, exp.Paren | exp.Max | exp.Min | exp.Nullif):
        return is_text(node.this, texts)  # (NULLIF has its first argument's type)
    if isinstance(node, exp.Coalesce | exp.Case | exp.If):
        return _texts_alone(_results(node), texts)
    if isinstance(node, exp.Add):  # (T-SQL's + of two texts joins them)
        return is_text(node.this, texts) and is_text(node.expression, texts)
    if isinstance(node, exp.Anonymous):
        return node.name.upper() in TEXT_NAMES
    return (isinstance(node, exp.Literal) and node.is_string) or isinstance(
        node, TEXT_FUNCTIONS)


def _results(node: exp.Coalesce | exp.Case | exp.If) -> list[exp.Expression]:
    """The values that ``node`` may take: ISNULL's first (its type is the first argument's,
    unless that is a bare NULL), COALESCE's every argument, a CASE's or IIF's every result."""
    if isinstance(node, exp.Coalesce) and node.args.get("is_null") and not isinstance(
            node.this, exp.Null):
        return [node.this]
    return value_rewrites.choice_values(node)


def _texts_alone(values: list[exp.Expression | None], texts: dict[str, bool] | None) -> bool:
    """Whether ``values`` are all text or NULL, one at least text (a number among them gives
    the whole its type in SQL Server)."""
    present = [v for v in values if v is not None and not isinstance(v, exp.Null)]
    return bool(present) and all(is_text(v, texts) for v in present)


def _moved_precisely(node: exp.Expression | None) -> bool:
    """SQLite's ``DATEADD`` of a time with its fraction of a second (``STRFTIME`` with the
    fraction's pattern and a modifier): a cast of it to a ``DATETIME`` (a variable's value,
    ``DATEADD(ms, -3, @d)``) lost the milliseconds to ``DATETIME()``."""
    return isinstance(node, exp.Anonymous) and node.name.upper() == "STRFTIME" and bool(
        node.expressions) and node.expressions[0].name == PRECISE_DATETIME


def _is_datetime(node: exp.Expression) -> bool:
    """A DATETIME for certain (``GETDATE()``, a cast or CONVERT to DATETIME), to which T-SQL
    adds a number as days (``GETDATE() - 30``)."""
    if isinstance(node, exp.CurrentTimestamp) or (
            isinstance(node, exp.Anonymous) and node.name.upper() == sqlite_times.MARK):
        return True  # (GETDATE(); a TIME on SQLite, which keeps its fraction)
    if isinstance(node, exp.TimeToStr) and node.args["format"].name == PRECISE_DATETIME:
        return True  # (a DATETIME with a fraction, on SQLite)
    to = node.args.get("to") if isinstance(node, exp.Cast | exp.TryCast) else (
        node.this if isinstance(node, exp.Convert) else None)
    return isinstance(to, exp.DataType) and to.this in value_rewrites.DATETIME_TYPES


def _rewrite(node: exp.Expression, dialect: str, datefirst: int) -> exp.Expression:
    if isinstance(node, exp.DateAdd | exp.DateDiff) and node.args.get("unit") is not None:
        node.set("unit", exp.var(unit_of(node)))  # (DATEADD(hh, ...): INTERVAL '1 HH' otherwise)
    parts = cast_parts(node)
    if dialect in ("duckdb", "postgres") and parts is not None and parts[1].this in (
            value_rewrites.DATETIME_TYPES) and time_texts.places(parts[0]) is not None:
        # a TIME as a date and time: on 1900-01-01, as SQL Server converts it (neither target
        # casts a TIME to a TIMESTAMP; SQLite's cast is sqlite_times')
        node.set(value_slot(node), exp.Add(this=exp.cast(exp.Literal.string("1900-01-01"),
                                                          exp.DataType.build("DATE")),
                                           expression=parts[0].copy()))
    if isinstance(node, exp.DateAdd) and isinstance(node.expression, exp.Binary):
        # (the number in brackets: sqlglot wrote PostgreSQL's INTERVAL '1 DAY' * n / 7 * 7,
        # dividing the interval, so DATEADD(day, n / 7 * 7, 0) fell a day short)
        node.set("expression", exp.Paren(this=node.expression))
    if isinstance(node, exp.Add) and _is_datetime(node.expression) and not _is_datetime(
            node.this):  # (days + a DATETIME: the DATETIME first)
        node = exp.Add(this=node.expression, expression=node.this)
    if isinstance(node, exp.Add | exp.Sub) and _is_datetime(node.this) and not _is_datetime(
            node.expression):
        days = node.expression.copy()
        part = literal_days(days)
        if part is not None and not part.is_integer():  # (d + 0.5: twelve hours)
            milliseconds = round(part * 86400000) * (1 if isinstance(node, exp.Add) else -1)
            return _rewrite(exp.DateAdd(this=node.this.copy(), unit=exp.var("MILLISECOND"),
                                        expression=exp.Literal.number(milliseconds)),
                            dialect, datefirst)
        shifted = exp.DateAdd(this=node.this.copy(), unit=exp.var("DAY"),
                              expression=days if isinstance(node, exp.Add)
                              else exp.Neg(this=exp.Paren(this=days)))
        return _rewrite(shifted, dialect, datefirst)
    if isinstance(node, exp.Add) and (is_text(node.this) or is_text(node.expression)):
        return exp.DPipe(this=node.this, expression=node.expression, safe=True)
    if isinstance(node, exp.Convert) and isinstance(node.this, exp.DataType) and (
            node.this.this in value_rewrites.TEXT_TYPES):
        written = date_formats.styled(node, dialect)
        if written is not None:
            return value_rewrites.rewrite(written, dialect)
    new = value_rewrites.rewrite(node, dialect)
    if new is not node:
        return new
    if isinstance(node, exp.DateDiff) and (dialect in ("sqlite", "postgres")
                                           or unit_of(node) in WEEK_UNITS | set(SECONDS)
                                           | {"MILLISECOND"}):
        return _datediff(node, dialect)
    if isinstance(node, exp.DateFromParts) and dialect in ("sqlite", "postgres"):
        return _date_from_parts(node, dialect)
    if isinstance(node, exp.Year | exp.Month | exp.Day | exp.Extract):
        return _date_part(node, dialect, datefirst)
    pattern = node.args.get("format") if isinstance(node, exp.TimeToStr) else None
    if isinstance(pattern, exp.Literal) and dialect == "postgres":
        return date_formats.postgres_pattern(node)
    if dialect == "sqlite":
        return _sqlite_function(node)
    if dialect == "postgres" and isinstance(node, exp.Round) and node.args.get("decimals"):
        node.set("this", exp.cast(node.this, exp.DataType.build("DECIMAL")))
        return node
    if dialect == "duckdb" and isinstance(node, exp.Round) and node.args.get("decimals"):
        # DuckDB rounds a DOUBLE in binary (a mean of 39.05 to one place was 39.0, 2.675 to
        # two 2.67); SQLite and PostgreSQL round the number as written (39.1, 2.68): so as a
        # decimal of ten places, then a DOUBLE again; a value too large for that decimal
        # (1E+30) is rounded as it is (the cast alone stopped the script with an overflow);
        # more places than ten are kept to the last (ROUND(x, 12): ten had been)
        places = node.args["decimals"]
        scale = max(10, min(int(places.name), 38)) if isinstance(
            places, exp.Literal) and places.name.isdigit() else 10
        exact = node.copy()
        exact.set("this", exp.TryCast(this=node.this.copy(),
                                      to=exp.DataType.build(f"DECIMAL(38, {scale})")))
        return exp.Coalesce(this=exp.cast(exact, exp.DataType.build("DOUBLE")),
                            expressions=[node.copy()])
    if (dialect in ("postgres", "duckdb") and isinstance(node, exp.DateAdd)
            and unit_of(node) in DAY_UNITS | WEEK_UNITS | MONTH_UNITS | QUARTER_UNITS | YEAR_UNITS
            and not _is_datetime(node.this)):  # (a date and time stays one)
        if isinstance(node.this, exp.Literal):
            node.set("this", exp.cast(node.this, exp.DataType.build("DATE")))
        return exp.cast(node, exp.DataType.build("DATE"))
    return node


def replaced(tree: exp.Expression, node: exp.Expression, new: exp.Expression
             ) -> exp.Expression:
    """The tree with ``node`` replaced by ``new`` (``new`` itself when ``node`` is the tree,
    which has no parent to be replaced in)."""
    if node is tree:
        return new
    node.replace(new)
    return tree


def bottom_up(tree: exp.Expression, rewrite: Callable[[exp.Expression], exp.Expression]
              ) -> exp.Expression:
    """The tree with ``rewrite`` applied to every node, children before their parents (a
    rewrite renders its operands, which must already be translated)."""
    for node in reversed(list(tree.walk(bfs=False))):
        new = rewrite(node)
        if new is not node:
            tree = replaced(tree, node, new)
    return tree


def joined_texts(tree: exp.Expression, texts: dict[str, bool]) -> exp.Expression:
    """The tree with ``+`` between two text values joining them, as in SQL Server:
    ``CHAR(13) + CHAR(10)``, ``Benefit_type + Benefit_type``, ``MAX(code) + MIN(code)``,
    ``ISNULL(a, '') + ISNULL(b, '')``, and text with a bare NULL (NULL). SQLite added them as
    numbers (0, without an error) and PostgreSQL and DuckDB had no ``+`` for text. Decided on
    the script's own functions, before they are translated (``+`` with a string literal or a
    cast to text on one side is joined by :func:`_rewrite` whatever the other side: it also
    sees what the translation made text, ``CHOOSE(...)`` made a ``CASE``; deciding that here
    alone lost ``CHOOSE(1, 'a', 'b') + CHOOSE(2, 'a', 'b')``)."""

    def text_or_null(node: exp.Expression) -> bool:
        return isinstance(node, exp.Null) or is_text(node, texts)

    return bottom_up(tree, lambda node: exp.DPipe(
        this=node.this, expression=node.expression, safe=True) if isinstance(
        node, exp.Add) and text_or_null(node.this) and text_or_null(node.expression) and not (
        isinstance(node.this, exp.Null) and isinstance(node.expression, exp.Null)) else node)


def system_names(tree: exp.Expression) -> exp.Expression:
    """A copy of the tree with ``SYSNAME`` as the type it stands for in SQL Server,
    ``NVARCHAR(128)``: no target knows the name (``CREATE TABLE #c (name SYSNAME)``, as the
    columns ``INSERT ... EXEC sp_columns`` fills are declared)."""
    def named(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.DataType) and node.this == exp.DataType.Type.USERDEFINED and (
                str(node.args.get("kind", "")).upper() == "SYSNAME"):
            return exp.DataType.build("NVARCHAR(128)")
        return node
    return tree.transform(named)


def plain_strings(tree: exp.Expression) -> exp.Expression:
    """The tree with ``N'...'`` literals as plain string literals: the targets have no such
    prefix (all their text is Unicode), and the passes that read string literals (collation,
    trailing spaces, FORMATMESSAGE) then read both alike (``Gender_spr11 = N'f'`` found no
    girl while ``= 'f'`` found them all)."""
    return bottom_up(tree, lambda node: exp.Literal.string(node.name)
                     if isinstance(node, exp.National) else node)


def for_target(tree: exp.Expression, dialect: str, datefirst: int = 7,
               texts: dict[str, bool] | None = None) -> exp.Expression:
    """The tree with every rewrite its target needs applied; ``datefirst``: the session's
    ``DATEFIRST`` (the weekday ``DATEPART`` numbers 1); ``texts``: the columns that hold text
    (lower-case names)."""
    tree = joined_texts(tree, texts or {})
    _whole_days(tree)
    value_rewrites.mark_cased_likes(tree)  # (before the collations go)
    return bottom_up(tree, lambda node: _rewrite(node, dialect, datefirst))


DAYS_BY_OTHER_NAMES = {"WEEKDAY", "DW", "W", "DAYOFYEAR", "DY", "Y"}
"""The parts ``DATEADD`` and ``DATEDIFF`` count as days (the targets knew them as no unit:
NULL on SQLite, a parser error on DuckDB)."""


def _whole_days(tree: exp.Expression) -> None:
    """Each ``DATEADD`` and ``DATEDIFF`` in days by another name counted in days, and a
    ``DATEADD`` of a number with a fraction by its whole part, as SQL Server truncates it
    (``DATEADD(month, 1.9, d)`` adds one month; SQLite added 1.9 months' days)."""
    for node in tree.find_all(exp.DateAdd, exp.DateDiff):
        unit = node.args.get("unit")
        if unit is not None and unit.name.upper() in DAYS_BY_OTHER_NAMES:
            node.set("unit", exp.var("DAY"))
        days = literal_days(node.expression) if isinstance(node, exp.DateAdd) else None
        if days is not None and not days.is_integer():  # (a number written, -1.5 too)
            node.set("expression", exp.Literal.number(math.trunc(days)))
