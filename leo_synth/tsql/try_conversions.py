"""``TRY_CAST`` and ``TRY_CONVERT``: the value, or NULL where the conversion would fail.

SQLite casts anything (``'x'`` is 0) and PostgreSQL stops on what it cannot convert, so each
type's check is written out: a pattern the text must match, then the cast. Beyond the plain
types:

- a date in a style, ``TRY_CONVERT(DATE, CAST(KS4_ENTRYDAT AS VARCHAR(8)), 112)``: SQLite
  read only ISO text (NULL for ``'20151231'``), DuckDB and PostgreSQL stopped on text not in
  the style; the style's parts are read by its pattern and checked as a date;
- a decimal, ``TRY_CONVERT(DECIMAL(5, 2), '3.14159')``: 3.14 as in SQL Server (SQLite kept
  every digit), NULL when its digits do not fit (PostgreSQL stopped: numeric field overflow).
"""

from __future__ import annotations

import re

import sqlglot
from sqlglot import exp

from leo_synth.tsql import date_formats, sqlite_functions
from leo_synth.tsql.target_dialects import target_sql

INTEGER_TEXT = r"^\s*[-+]?[0-9]+\s*$"
NUMBER_TEXT = r"^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$"
INTEGER_RANGES = {kind: sqlite_functions.INTEGER_RANGES[name] for kind, name in (
    (exp.DataType.Type.INT, "int"), (exp.DataType.Type.SMALLINT, "smallint"),
    (exp.DataType.Type.TINYINT, "tinyint"), (exp.DataType.Type.UTINYINT, "tinyint"))}
"""SQL Server's ranges of the integer types text is tried as, by sqlglot's type (``tinyint``
has no negative values; sqlglot reads T-SQL's ``TINYINT`` as ``UTINYINT``); a ``bigint`` is
the targets' own."""
TINYINT = "tinyint"
"""The mark (in its ``meta``) of a ``SMALLINT`` that stands for T-SQL's ``TINYINT`` on
PostgreSQL and DuckDB (``value_rewrites``)."""
DECIMAL_TEXT = r"^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)\s*$"
"""Text a ``numeric`` reads: a number without an exponent (``'1e5'`` is a float's alone)."""
_STYLE_PARTS = {"%Y": "([0-9]{4})", "%m": "([0-9]{1,2})", "%d": "([0-9]{1,2})"}
"""How a date style's parts are read (SQL Server reads a month or day of one digit too)."""
_UNSEPARATED_PARTS = {**_STYLE_PARTS, "%m": "([0-9]{2})", "%d": "([0-9]{2})"}
"""How the parts of a style without separators (112: ``yyyymmdd``) are read: two digits of
the month and of the day, eight in all."""



def no_digits(text: exp.Expression) -> exp.Expression:
    """The test that ``text`` holds no digit yet converts to the integer 0 in SQL Server:
    blank, or a sign alone (``sqlite_functions.NO_DIGITS``)."""
    return exp.In(this=exp.Trim(this=text.copy()),
                  expressions=[exp.Literal.string(t) for t in sqlite_functions.NO_DIGITS])


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def try_cast(value: exp.Expression, to: exp.DataType, dialect: str,
             style: exp.Expression | None = None) -> exp.Expression | None:
    """``TRY_CAST(value AS to)`` (or ``TRY_CONVERT`` in ``style``) for the target (None: the
    target's own cast, or its TRY_CAST, is right)."""
    if to.is_type(exp.DataType.Type.DATE) and isinstance(style, exp.Literal):
        styled = _styled_date(value, style.name, dialect)
        if styled is not None:
            return styled
    if to.is_type(exp.DataType.Type.DECIMAL):  # (before REAL_TYPES, which hold it)
        return _decimal(value, to, dialect) if dialect != "duckdb" else None
    if to.is_type(*exp.DataType.INTEGER_TYPES):
        function, pattern = "LEO_TRY_INTEGER", INTEGER_TEXT
    elif to.is_type(*exp.DataType.REAL_TYPES):
        function, pattern = "LEO_TRY_NUMBER", NUMBER_TEXT
    elif dialect == "duckdb":
        return None
    elif to.is_type(exp.DataType.Type.DATE):
        return _iso_date(target_sql(value, dialect), dialect)
    else:
        return None
    text = target_sql(value, dialect)
    # (the type's range: beyond it TRY_CAST is NULL, where SQLite kept the number and
    # PostgreSQL stopped; DuckDB's own TRY_CAST gave NULL beyond an INT's range, but kept
    # TRY_CAST('300' AS TINYINT), whose type is a SMALLINT there)
    bounds = INTEGER_RANGES.get(exp.DataType.Type.TINYINT if to.meta.get(TINYINT) else to.this)
    within = f" BETWEEN {bounds[0]} AND {bounds[1]}" if bounds else ""
    if dialect == "sqlite":
        tried = f"{function}({text})"
        return sqlglot.parse_one(f"CASE WHEN {tried}{within} THEN {tried} END" if within
                                 else tried, read="sqlite")
    as_text, type_sql = f"CAST({text} AS TEXT)", target_sql(to, dialect)
    if dialect == "postgres":
        matches, cast, first = f"{as_text} ~ {_quoted(pattern)}", "CAST", ""
        if within:
            matches += f" AND CAST(TRIM({as_text}) AS NUMERIC){within}"
    else:  # DuckDB's own TRY_CAST read the text '1.5' and '1e3' as the integers 2 and 1000;
        # a number is left to it (its text, '1.0', is no integer)
        matches, cast = f"REGEXP_FULL_MATCH({as_text}, {_quoted(pattern)})", "TRY_CAST"
        if within:
            matches += f" AND TRY_CAST(TRIM({as_text}) AS HUGEINT){within}"
        first = f"WHEN TYPEOF({text}) <> 'VARCHAR' THEN TRY_CAST({text} AS {type_sql}) "
    # (blank text is 0, of an integer or a float, as in SQL Server; a sign alone an integer's)
    zero = (target_sql(no_digits(exp.cast(value.copy(), exp.DataType.build("TEXT"))), dialect)
            if function == "LEO_TRY_INTEGER" else f"TRIM({as_text}) = ''")
    return sqlglot.parse_one(f"CASE {first}WHEN {zero} THEN 0 WHEN {matches} "
                             f"THEN {cast}(TRIM({as_text}) AS {type_sql}) END", read=dialect)


def _iso_date(text: str, dialect: str) -> exp.Expression:
    """The date of ISO text (SQL), or NULL: on PostgreSQL the pattern, then the day against
    its month's last (nested: PostgreSQL may test an AND's sides in any order)."""
    if dialect == "sqlite":
        return sqlglot.parse_one(f"LEO_TRY_DATE({text})", read="sqlite")
    as_text = f"CAST({text} AS TEXT)"
    month = f"CAST(SUBSTRING(TRIM({as_text}), 1, 7) || '-01' AS DATE)"
    last = f"EXTRACT(DAY FROM {month} + INTERVAL '1 month' - INTERVAL '1 day')"
    value_sql = (f"CASE WHEN CAST(SUBSTRING(TRIM({as_text}), 9, 2) AS INTEGER) <= {last} "
                 f"THEN CAST(TRIM({as_text}) AS DATE) END")
    pattern = _quoted(sqlite_functions.DATE_TEXT)
    return sqlglot.parse_one(f"CASE WHEN {as_text} ~ {pattern} THEN {value_sql} END",
                             read="postgres")


def numeric_date_style(style: str) -> bool:
    """Whether ``CONVERT``'s ``style`` writes a date as its day, month and year in numbers
    (103: ``dd/mm/yyyy``, 112: ``yyyymmdd``, ...), which :func:`_styled_date` reads."""
    pattern = date_formats.STYLES.get(style)
    return pattern is not None and sorted(re.findall(r"%.", pattern)) == ["%Y", "%d", "%m"]


def _styled_date(value: exp.Expression, style: str, dialect: str) -> exp.Expression | None:
    """``TRY_CONVERT(DATE, text, style)`` for a style of numbers (112, 103, 101, 104, ...):
    the date, or NULL for text not in the style or not a date (None: another style)."""
    if not numeric_date_style(style):
        return None
    pattern = date_formats.STYLES[style]
    codes = re.findall(r"%.", pattern)
    text = f"TRIM(CAST({target_sql(value, dialect)} AS VARCHAR))"
    # (unseparated, 112's month and day have two digits each: '150731' is no 1507-03-01)
    parts = _STYLE_PARTS if re.search(r"[^%A-Za-z]", pattern) else _UNSEPARATED_PARTS
    if dialect == "sqlite":  # (STR_TO_DATE, of the run's own functions, gives NULL)
        tried = f"STR_TO_DATE({text}, {_quoted(pattern)})"
        return sqlglot.parse_one(tried if parts is _STYLE_PARTS else
                                 f"CASE WHEN LENGTH({text}) = 8 THEN {tried} END", read="sqlite")
    regex = "^" + "".join(parts.get(p, re.escape(p)) for p in re.findall(r"%.|[^%]+",
                                                                        pattern)) + "$"
    if dialect == "duckdb":  # (its %Y read '1/2/15' as the year 15: four digits first)
        return sqlglot.parse_one(
            f"CASE WHEN REGEXP_FULL_MATCH({text}, {_quoted(regex)}) THEN "
            f"CAST(TRY_STRPTIME({text}, {_quoted(pattern)}) AS DATE) END", read="duckdb")
    match = f"REGEXP_MATCH({text}, {_quoted(regex)})"
    part = {code: f"LPAD(({match})[{codes.index(code) + 1}], {width}, '0')"
            for code, width in (("%Y", 4), ("%m", 2), ("%d", 2))}
    return _iso_date(f"({part['%Y']} || '-' || {part['%m']} || '-' || {part['%d']})",
                     "postgres")


def decimal_digits(to: exp.DataType) -> tuple[int, int]:
    """A ``DECIMAL``'s precision and scale (``DECIMAL`` alone: 18, 0, as in SQL Server)."""
    params = [p.this.name for p in to.expressions if isinstance(p, exp.DataTypeParam)]
    return (int(params[0]) if params else 18), (int(params[1]) if len(params) > 1 else 0)


def _decimal(value: exp.Expression, to: exp.DataType, dialect: str) -> exp.Expression:
    """``TRY_CAST(x AS DECIMAL(p, s))``: the number rounded to s places, NULL when it is not
    a number or does not fit p digits (on SQLite, the run's function that ``CAST`` uses too)."""
    precision, scale = decimal_digits(to)
    text = target_sql(value, dialect)
    if dialect == "sqlite":
        return sqlglot.parse_one(f"LEO_TRY_DECIMAL({text}, {precision}, {scale})",
                                 read="sqlite")
    as_text = f"CAST({text} AS TEXT)"
    number = f"ROUND(CAST(TRIM({as_text}) AS NUMERIC), {scale})"
    return sqlglot.parse_one(
        f"CASE WHEN {as_text} ~ {_quoted(DECIMAL_TEXT)} THEN CASE WHEN ABS({number}) < "
        f"1e{precision - scale} THEN CAST({number} AS DECIMAL({precision}, {scale})) END END",
        read="postgres")
