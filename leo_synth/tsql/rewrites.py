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
- ``DATEADD`` on a date is a date in T-SQL; PostgreSQL's and DuckDB's date + interval is a
  timestamp, so the result is cast back to a date (unless it started from ``GETDATE()``).
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp

DAY_UNITS = {"DAY", "DD", "D", "DAYOFYEAR", "DY", "Y"}
MONTH_UNITS = {"MONTH", "MM", "M"}
YEAR_UNITS = {"YEAR", "YY", "YYYY"}
PARTS = {"YEAR": "%Y", "MONTH": "%m", "DAY": "%d"}


def _unit(node: exp.Expression) -> str:
    unit = node.args.get("unit")
    return unit.name.upper() if unit is not None else "DAY"


def _bare(node: exp.Expression) -> exp.Expression:
    """The operand under sqlglot's implicit string-to-time conversion."""
    return node.this if isinstance(node, exp.TimeStrToTime | exp.TsOrDsToDate) else node


def _sql(node: exp.Expression, dialect: str) -> str:
    return node.sql(dialect=dialect)


def _part(node: exp.Expression, part: str, dialect: str) -> str:
    """SQL for the integer year, month or day of a date, in the dialect."""
    if dialect == "sqlite":
        return f"CAST(STRFTIME('{PARTS[part]}', {_sql(node, dialect)}) AS INTEGER)"
    return f"CAST(EXTRACT({part} FROM CAST({_sql(node, dialect)} AS DATE)) AS INTEGER)"


def _datediff(node: exp.DateDiff, dialect: str) -> exp.Expression:
    unit = _unit(node)
    end, start = _bare(node.this), _bare(node.expression)
    if unit in YEAR_UNITS:
        text = f"({_part(end, 'YEAR', dialect)} - {_part(start, 'YEAR', dialect)})"
    elif unit in MONTH_UNITS:
        text = (f"(({_part(end, 'YEAR', dialect)} - {_part(start, 'YEAR', dialect)}) * 12 + "
                f"{_part(end, 'MONTH', dialect)} - {_part(start, 'MONTH', dialect)})")
    elif unit in DAY_UNITS and dialect == "sqlite":
        text = (f"CAST(JULIANDAY(DATE({_sql(end, dialect)})) - "
                f"JULIANDAY(DATE({_sql(start, dialect)})) AS INTEGER)")
    elif unit in DAY_UNITS:
        text = (f"(CAST({_sql(end, dialect)} AS DATE) - "
                f"CAST({_sql(start, dialect)} AS DATE))")
    else:
        return node
    return sqlglot.parse_one(text, read=dialect)


def _date_part(node: exp.Expression, dialect: str) -> exp.Expression:
    part = {exp.Year: "YEAR", exp.Month: "MONTH", exp.Day: "DAY"}.get(type(node))
    operand = node.this
    if isinstance(node, exp.Extract) and node.this.name.upper() in PARTS:
        part, operand = node.this.name.upper(), node.expression
    if part is None:
        return node
    return sqlglot.parse_one(_part(_bare(operand), part, dialect), read=dialect)


def _sqlite_dateadd(node: exp.DateAdd) -> exp.Expression:
    unit, date = _unit(node), _sql(_bare(node.this), "sqlite")
    amount = _sql(node.expression, "sqlite")
    if unit in DAY_UNITS:
        text = f"DATE({date}, ({amount}) || ' days')"
    elif unit in MONTH_UNITS | YEAR_UNITS:
        months = f"(({amount}) * 12)" if unit in YEAR_UNITS else f"({amount})"
        text = (f"MIN(DATE({date}, {months} || ' months'), "
                f"DATE({date}, 'start of month', ({months} + 1) || ' months', '-1 day'))")
    else:
        return node
    return sqlglot.parse_one(text, read="sqlite")


def _sqlite_function(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Left):
        return exp.func("SUBSTR", node.this, exp.Literal.number(1), node.expression)
    if isinstance(node, exp.Right):
        return exp.func("SUBSTR", node.this, exp.Neg(this=node.expression.copy()),
                        node.expression)
    if isinstance(node, exp.DateAdd):
        return _sqlite_dateadd(node)
    return node


def _date_from_parts(node: exp.DateFromParts, dialect: str) -> exp.Expression:
    parts = [_sql(node.args[k], dialect) for k in ("year", "month", "day")]
    if dialect == "sqlite":
        text = f"DATE(PRINTF('%04d-%02d-%02d', {', '.join(parts)}))"
    else:
        text = f"MAKE_DATE({', '.join(parts)})"
    return sqlglot.parse_one(text, read=dialect)


def _is_text(node: exp.Expression) -> bool:
    return (isinstance(node, exp.Literal) and node.is_string) or isinstance(
        node, exp.DPipe | exp.Concat)


def _rewrite(node: exp.Expression, dialect: str) -> exp.Expression:
    if isinstance(node, exp.DateDiff) and dialect in ("sqlite", "postgres"):
        return _datediff(node, dialect)
    if isinstance(node, exp.Add) and (_is_text(node.this) or _is_text(node.expression)):
        return exp.DPipe(this=node.this, expression=node.expression, safe=True)
    if isinstance(node, exp.DateFromParts) and dialect in ("sqlite", "postgres"):
        return _date_from_parts(node, dialect)
    if isinstance(node, exp.Year | exp.Month | exp.Day | exp.Extract):
        return _date_part(node, dialect)
    if dialect == "sqlite":
        return _sqlite_function(node)
    if dialect == "postgres" and isinstance(node, exp.Round) and node.args.get("decimals"):
        node.set("this", exp.cast(node.this, exp.DataType.build("DECIMAL")))
        return node
    if (dialect in ("postgres", "duckdb") and isinstance(node, exp.DateAdd)
            and _unit(node) in DAY_UNITS | MONTH_UNITS | YEAR_UNITS
            and not isinstance(node.this, exp.CurrentTimestamp)):
        if isinstance(node.this, exp.Literal):
            node.set("this", exp.cast(node.this, exp.DataType.build("DATE")))
        return exp.cast(node, exp.DataType.build("DATE"))
    return node


def for_target(tree: exp.Expression, dialect: str) -> exp.Expression:
    """The tree with every rewrite its target needs applied, children before their parents
    (a rewrite renders its operands, which must already be translated)."""
    for node in reversed(list(tree.walk(bfs=False))):
        new = _rewrite(node, dialect)
        if new is not node:
            if node is tree:
                tree = new
            else:
                node.replace(new)
    return tree
