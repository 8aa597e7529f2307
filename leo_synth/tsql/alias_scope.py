"""A select-list alias is no column in its own query's ``WHERE``, ``GROUP BY``, ``HAVING``,
select list or ``ORDER BY`` expressions (``ORDER BY n`` reads it, ``ORDER BY n * 2`` does not).

SQL Server names a query's result columns after it has filtered and grouped the rows, so
``SELECT CASE ... END AS kind, COUNT(*) AS n FROM t GROUP BY kind HAVING n > 5`` stops there
with "Invalid column name 'kind'." SQLite and DuckDB read the alias (PostgreSQL too, in
``GROUP BY``; DuckDB also in the select list, ``SELECT n + 1 AS x, x * 2``), so such a script
ran here and failed in the SRS. A bare column name in those clauses that is an alias of the
same query, and no column of any table it reads, stops the script with SQL Server's message.
Where a source's columns are not known (``SELECT *`` of a subquery, a table function) nothing
is said: the check never stops a script that SQL Server would run.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.rewrites import from_sources

Columns = Callable[[exp.Table], list[str] | None]
"""The column names (any case) of a table the statement reads, or None if not known."""


def projected_names(select: exp.Expression) -> list[str] | None:
    """The lower-case names a query gives its columns, in order (None: one is ``*``)."""
    if isinstance(select, exp.Union):
        return projected_names(select.this)
    if not isinstance(select, exp.Select) or any(s.is_star for s in select.selects):
        return None
    return [s.alias_or_name.lower() for s in select.selects]


def _projected(select: exp.Expression) -> set[str] | None:
    """The lower-case names a query gives its columns (None: one is ``*``)."""
    names = projected_names(select)
    return None if names is None else set(names)


def common_tables(tree: exp.Expression) -> dict[str, exp.Expression]:
    """The statement's common table expressions' queries, by name (lower case)."""
    return {cte.alias.lower(): cte.this for cte in tree.find_all(exp.CTE)}


def available_columns(select: exp.Select, ctes: dict[str, exp.Expression], columns: Columns
                      ) -> set[str] | None:
    """The lower-case names of the columns the query's FROM and joins give it (None: not
    known)."""
    found: set[str] = set()
    for item in from_sources(select):
        if isinstance(item, exp.Table) and not item.args.get("db") and (
                item.name.lower() in ctes):
            names = _projected(ctes[item.name.lower()])
        elif isinstance(item, exp.Table):
            given = columns(item)
            names = None if given is None else {name.lower() for name in given}
        elif isinstance(item, exp.Subquery):
            listed = item.args["alias"].columns if item.args.get("alias") else []
            names = {c.name.lower() for c in listed} or _projected(item.this)
        elif isinstance(item, exp.Values) and item.args.get("alias") is not None:
            names = {c.name.lower() for c in item.args["alias"].columns} or None
        else:
            names = None
        if names is None:
            return None
        found |= names
    return found


def _order_expressions(select: exp.Select) -> list[exp.Expression]:
    """The query's ``ORDER BY`` items that are expressions, not a bare name: an alias is an
    ``ORDER BY`` item only as a whole (``ORDER BY n * 2`` is "Invalid column name 'n'.")."""
    order = select.args.get("order")
    items = [o.this if isinstance(o, exp.Ordered) else o
             for o in (order.expressions if order is not None else [])]
    return [item for item in items if not isinstance(item, exp.Column)]


def check(tree: exp.Expression, columns: Columns, line: int) -> None:
    """Stop, as SQL Server does, at an alias read in its own query's WHERE, GROUP BY or
    HAVING."""
    ctes = common_tables(tree)
    for select in tree.find_all(exp.Select):
        aliases = {s.alias.lower() for s in select.selects if isinstance(s, exp.Alias)}
        if not aliases:
            continue
        clauses = [select.args.get(k) for k in ("where", "group", "having")] + [
            s.unalias() for s in select.selects] + (  # (DuckDB: an earlier item's alias)
            _order_expressions(select))
        suspects = [c for clause in clauses if clause is not None
                    for c in clause.find_all(exp.Column)
                    if not c.table and c.name.lower() in aliases
                    and c.find_ancestor(exp.Select) is select]
        if not suspects:
            continue
        available = available_columns(select, ctes, columns)
        if available is None:
            continue
        for column in suspects:
            if column.name.lower() not in available:
                message = f"Invalid column name '{column.name}'."
                raise ScriptError(line, message + " (a column's alias is not known in "
                                  "its own query's select list, WHERE, GROUP BY or HAVING, "
                                  "nor inside an ORDER BY expression)",
                                  runtime=True, number=207, said=message)
