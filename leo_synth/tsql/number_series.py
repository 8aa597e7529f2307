"""``GENERATE_SERIES(start, stop [, step])`` (SQL Server 2022), a table of the numbers from
``start`` to ``stop`` in its one column ``value``.

Scripts make a row per year or per month with it (``SELECT value AS year FROM
GENERATE_SERIES(2010, 2019)``), or per row of another table (``CROSS APPLY
GENERATE_SERIES(0, DATEDIFF(month, s.start_date, s.end_date)) AS m``). Without a step it
counts up by 1, or down by 1 when ``start`` is above ``stop``; a step that points away from
``stop`` gives no rows, as in SQL Server. PostgreSQL and DuckDB have the function, with a
column of another name: the table is a subquery naming it ``value``. SQLite has neither the
function nor lateral joins, but its ``JSON_EACH`` may read the tables before it: the series is
``start + key * step`` over the keys of a JSON array of as many elements as the series has
(made of ``ZEROBLOB``'s hex), in a subquery when it reads no column, else as the table itself,
its ``value`` read as that sum (the rejected alternative, a recursive common table expression,
cannot read a column of the row it is joined to).
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp

from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.rewrites import list_stars
from leo_synth.tsql.table_functions import (
    TableFunction,
    json_each,
    place,
    reading_query,
    stand_for,
)
from leo_synth.tsql.target_dialects import target_sql

NAME = "leo_series"


def _parts(series: exp.GenerateSeries, dialect: str, line: int) -> tuple[str, str, str]:
    """The series' start, stop and step as the target reads them (the step as SQL Server
    defaults it: 1, or -1 when the series counts down)."""
    start, stop = series.args.get("start"), series.args.get("end")
    if start is None or stop is None:
        raise ScriptError(line, "GENERATE_SERIES takes a start, a stop and, optionally, a step")
    first, last = (f"({target_sql(part, dialect)})" for part in (start, stop))
    step = series.args.get("step")
    by = (f"({target_sql(step, dialect)})" if step is not None
          else f"(CASE WHEN {first} <= {last} THEN 1 ELSE -1 END)")
    return first, last, by


def _json_array(first: str, last: str, by: str) -> str:
    """SQLite: a JSON array of as many zeros as the series has numbers (none when the step
    points away from the stop; the small addition keeps a decimal step's count whole)."""
    count = (f"(CASE WHEN ({by} > 0 AND {first} <= {last}) OR ({by} < 0 AND {first} >= {last})"
             f" THEN CAST(({last} - {first}) / {by} + 1e-9 AS INTEGER) + 1 ELSE 0 END)")
    return f"'[' || RTRIM(REPLACE(HEX(ZEROBLOB({count})), '00', '0,'), ',') || ']'"


def _query(series: exp.GenerateSeries, dialect: str, line: int) -> exp.Expression:
    first, last, by = _parts(series, dialect, line)
    if dialect == "sqlite":
        sql = (f"SELECT {first} + {NAME}.key * {by} AS value "
               f"FROM JSON_EACH({_json_array(first, last, by)}) AS {NAME}")
    else:
        sql = f"SELECT {NAME}.value FROM GENERATE_SERIES({first}, {last}, {by}) AS {NAME}(value)"
    return sqlglot.parse_one(sql, read=dialect)


def _json_table(series: exp.Expression, alias: exp.TableAlias, line: int) -> exp.Table:
    """SQLite's series of a column: the ``JSON_EACH`` table, aliased as the script has it."""
    table = json_each(_json_array(*_parts(series, "sqlite", line)))
    table.set("alias", alias)
    return table


def _values_read(table: exp.Table, series: exp.Expression, line: int) -> None:
    """The query reading a ``_json_table``: its ``value`` (and ``*``) the series' number,
    ``start + key * step``."""
    query = reading_query(table)
    if query is None:
        return
    alias = table.alias_or_name
    first, _, by = _parts(series, "sqlite", line)
    value = sqlglot.parse_one(f"({first} + {alias}.key * {by})", read="sqlite")
    stand_for(query, alias, "value", value.copy)
    list_stars(query, alias, [exp.alias_(value.copy(), "value")])


def for_target(tree: exp.Expression, dialect: str, line: int) -> exp.Expression:
    """The tree with each ``GENERATE_SERIES`` table (``FROM``, ``JOIN``, ``CROSS APPLY``,
    ``OUTER APPLY``) read from a subquery (on SQLite, one of a column from ``JSON_EACH``)."""
    return place(tree, dialect, TableFunction(
        NAME, lambda node: isinstance(node, exp.GenerateSeries),
        lambda series: _query(series, dialect, line),
        lambda series: series.find(exp.Column) is not None,
        lambda series, alias: _json_table(series, alias, line),
        lambda table, series: _values_read(table, series, line)))
