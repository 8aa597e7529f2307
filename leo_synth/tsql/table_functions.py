"""Where a T-SQL table-valued function (``STRING_SPLIT``, ``GENERATE_SERIES``) goes on a target.

A function in ``FROM``, a join, ``CROSS APPLY`` or ``OUTER APPLY`` becomes a subquery the
function module writes; PostgreSQL and DuckDB join it laterally. SQLite has no lateral joins,
but its table-valued functions (``JSON_EACH``) may read the tables before them: a function of
another table's column is such a table, which the function module makes and whose reading
query it then rewrites (``finish``); ``OUTER APPLY`` is then a left join on true.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlglot
from sqlglot import exp


@dataclass(frozen=True)
class TableFunction:
    """How one function module places its function (``node`` is the function's expression)."""

    name: str  # the alias of an unaliased function
    matches: Callable[[exp.Expression | None], bool]
    query: Callable[[exp.Expression], exp.Expression]  # the subquery that stands for it
    reads_columns: Callable[[exp.Expression], bool]
    sqlite_table: Callable[[exp.Expression, exp.TableAlias], exp.Table]  # a JSON_EACH table
    finish: Callable[[exp.Table, exp.Expression], None]  # rewrites the query reading it


def place(tree: exp.Expression, dialect: str, function: TableFunction) -> exp.Expression:
    """The tree with each of ``function``'s tables read from a subquery (on SQLite, one of a
    column from the module's ``JSON_EACH`` table)."""
    for table in list(tree.find_all(exp.Table)):
        if not function.matches(table.this):
            continue
        alias = table.args.get("alias")
        if dialect == "sqlite" and function.reads_columns(table.this):
            _on_sqlite(table, table.this, alias or _alias(function.name), function)
            continue
        table.replace(exp.Subquery(this=function.query(table.this),
                                   alias=(alias or _alias(function.name + "_table")).copy()))
    for lateral in list(tree.find_all(exp.Lateral)):
        if not function.matches(lateral.this):
            continue
        alias = lateral.args.get("alias") or _alias(function.name)
        if dialect != "sqlite":
            lateral.set("this", exp.Subquery(this=function.query(lateral.this)))
            lateral.set("alias", alias)  # (PostgreSQL's subqueries in FROM need one)
            continue
        join = lateral.parent
        if isinstance(join, exp.Join) and lateral.args.get("cross_apply") is False:
            join.set("side", "LEFT")  # OUTER APPLY
            join.set("on", exp.true())
        if function.reads_columns(lateral.this):
            _on_sqlite(lateral, lateral.this, alias, function)
        else:  # a subquery that reads no table
            lateral.replace(exp.Subquery(this=function.query(lateral.this), alias=alias.copy()))
    return tree


def _alias(name: str) -> exp.TableAlias:
    return exp.TableAlias(this=exp.to_identifier(name))


def _on_sqlite(node: exp.Expression, call: exp.Expression, alias: exp.TableAlias,
               function: TableFunction) -> None:
    table = function.sqlite_table(call, alias.copy())
    node.replace(table)
    function.finish(table, call)


def json_each(array: str) -> exp.Table:
    """SQLite's ``JSON_EACH`` table of ``array`` (SQL of a JSON array's text), unaliased."""
    return sqlglot.parse_one(f"SELECT * FROM JSON_EACH({array})", read="sqlite").args[
        "from_"].this


def reading_query(table: exp.Table) -> exp.Select | None:
    """The query whose ``FROM`` or join holds ``table``."""
    query = table.parent.parent if table.parent is not None else None
    return query if isinstance(query, exp.Select) else None


def stand_for(query: exp.Select, alias: str, name: str,
              value: Callable[[], exp.Expression]) -> None:
    """Each reading of column ``name`` of the table ``alias`` (or unqualified) in ``query``
    is ``value()``, named ``name`` where the query lists it."""
    for column in list(query.find_all(exp.Column)):
        if column.name.lower() == name and column.table.lower() in ("", alias.lower()):
            named = isinstance(column.parent, exp.Select) and column.arg_key == "expressions"
            column.replace(exp.alias_(value(), name) if named else value())
