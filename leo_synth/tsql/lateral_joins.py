"""``CROSS APPLY`` and ``OUTER APPLY`` on SQLite, which has no lateral joins.

Scripts take each pupil's latest record with ``OUTER APPLY (SELECT TOP 1 c.x FROM #c c WHERE
c.pmr = p.pmr ORDER BY c.yr DESC) a``. DuckDB and PostgreSQL run it as a lateral join. On
SQLite the subquery is decorrelated: its equalities with the outer query's columns become a
join's keys, each key's rows are numbered in the subquery's order (``ROW_NUMBER() OVER
(PARTITION BY c.pmr ORDER BY c.yr DESC)``) and the first n kept, so ``TOP n`` means the same
per row of the outer query; ``CROSS APPLY`` is an inner join, ``OUTER APPLY`` a left join.
The subquery's groups (``GROUP BY``) and window functions (``COUNT(*) OVER ()``) are also
taken per key, as they are per outer row.
A subquery that aggregates without ``GROUP BY`` (``OUTER APPLY (SELECT SUM(e.pay) AS total
FROM e WHERE e.pmr = p.pmr) x``) gives one row per outer row, even with no match (its
``COUNT`` 0): each of its columns the query reads (``x.total``) becomes that aggregate as a
correlated scalar subquery, which SQLite has, and the join goes. ``CROSS APPLY (VALUES ('fsm',
p.fsm), ('sen', p.sen)) v(k, x)``, the idiom that turns columns into rows, becomes a join with
the row numbers 1 to n, and each of its columns the query reads a ``CASE`` of the row number
over that column's values. A ``SELECT TOP 1`` that reads the outer query otherwise (``WHERE
e.pmr = b.pmr AND e.yr < YEAR(b.start)``) gives each of its columns the query reads as a
correlated scalar subquery of the first row. Any other subquery that reads the outer query
other than by such equalities is refused with what to write instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NoReturn

from sqlglot import exp

from leo_synth.tsql import derived_columns
from leo_synth.tsql.checksum_aggregates import SQLITE_NAME as CHECKSUM_AGG
from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.rewrites import from_sources, list_stars
from leo_synth.tsql.sqlite_functions import ORDERED_STRING_AGG

ROW = "leo_apply_row"
KEY = "leo_apply_key_"
READ = "leo_apply_read_"
ADVICE = ("number the rows with ROW_NUMBER() OVER (PARTITION BY ...) and join on the first, "
          "or use a DuckDB, Parquet or PostgreSQL output")


def _conjuncts(condition: exp.Expression | None) -> list[exp.Expression]:
    if condition is None:
        return []
    if isinstance(condition, exp.And):
        return _conjuncts(condition.this) + _conjuncts(condition.expression)
    if isinstance(condition, exp.Paren):
        return _conjuncts(condition.this)
    return [condition]


def _inner_names(body: exp.Select) -> set[str]:
    """The names (aliases) the subquery's own FROM and joins give their tables."""
    return {t.alias_or_name.lower() for t in from_sources(body)}


def _outer(node: exp.Expression, inner: set[str]) -> set[str]:
    return {c.table.lower() for c in node.find_all(exp.Column) if c.table
            and c.table.lower() not in inner}


def _refuse(line: int, why: str) -> NoReturn:
    raise ScriptError(line, f"CROSS APPLY and OUTER APPLY on SQLite (no lateral joins): {why}; "
                      f"{ADVICE}")


def for_sqlite(tree: exp.Expression, line: int) -> exp.Expression:
    """The tree with each APPLY of a correlated subquery as a join of a decorrelated one."""
    for lateral in reversed(list(tree.find_all(exp.Lateral))):
        join = lateral.parent
        if not isinstance(join, exp.Join) or lateral.args.get("cross_apply") is None:
            _refuse(line, "only APPLY of a subquery can be translated")
        _decorrelate(join, lateral, line)
    return tree


def _decorrelate(join: exp.Join, lateral: exp.Lateral, line: int) -> None:
    subquery = lateral.this
    body = subquery.this if isinstance(subquery, exp.Subquery) else None
    if isinstance(body, exp.Values) and lateral.alias:
        _values_as_cases(join, lateral, body, line)
        return
    if not isinstance(body, exp.Select) or not lateral.alias:
        _refuse(line, "the applied subquery must be a SELECT with an alias")
    if body.args.get("from_") is None:
        _as_expressions(join, lateral.alias, body, line)
        return
    inner = _inner_names(body)
    if body.args.get("group") is None and any(_aggregates(s) for s in body.selects):
        _as_scalars(join, lateral.alias, body, line)
        return
    try:
        keys, kept, joined = _keys(body, inner, line)
    except ScriptError:
        if not _first_row_only(body):
            raise
        _as_first_row(join, lateral, body, line)
        return
    limit = body.args.get("limit")
    order = body.args.get("order")
    decorrelated = body.copy()
    for part in ("limit", "order", "where"):
        decorrelated.set(part, None)
    if kept:
        decorrelated.set("where", exp.Where(this=exp.and_(*[k.copy() for k in kept])))
    columns = [exp.alias_(inside.copy(), f"{KEY}{i}") for i, (inside, _) in enumerate(keys)]
    if limit is not None:
        number = exp.Window(this=exp.RowNumber(),
                            partition_by=[inside.copy() for inside, _ in keys] or None,
                            order=order.copy() if order is not None else None)
        columns.append(exp.alias_(number, ROW))
    _windows_per_key(decorrelated, [inside for inside, _ in keys])
    group = decorrelated.args.get("group")
    if group is not None and keys:  # (one outer row's groups: its key is one value)
        group.set("expressions", [*group.expressions, *(inside.copy() for inside, _ in keys)])
    alias = lateral.alias
    conditions: list[exp.Expression] = [
        exp.EQ(this=exp.column(f"{KEY}{i}", table=alias), expression=outside.copy())
        for i, (_, outside) in enumerate(keys)]
    conditions += _read_inside(joined, inner, alias, columns)
    decorrelated.set("expressions", [*decorrelated.expressions, *columns])
    if limit is not None:
        conditions.append(exp.LTE(this=exp.column(ROW, table=alias),
                                  expression=limit.expression.copy()))
    join.set("this", exp.Subquery(this=decorrelated, alias=exp.TableAlias(
        this=exp.to_identifier(alias))))
    join.set("on", exp.and_(*conditions) if conditions else exp.true())
    join.set("side", None if lateral.args["cross_apply"] else "LEFT")
    join.set("kind", None)
    _stars_without_helpers(_query_of(join), alias, body)


SESSION_AGGREGATES = frozenset({ORDERED_STRING_AGG, CHECKSUM_AGG})
"""The aggregates SQLite's session adds, written as calls of a function (``STRING_AGG(x, ';')
WITHIN GROUP (ORDER BY x)`` is one by then: an applied subquery of it was joined as one of
no aggregate, its rows' keys unchecked, and the join lost every row)."""


def _aggregates(item: exp.Expression) -> bool:
    """Whether a select item aggregates its query's rows (``SUM(x)``; not ``SUM(x) OVER
    (...)``, a window, which keeps them)."""
    return any(not aggregate.find_ancestor(exp.Window)
               for aggregate in item.find_all(exp.AggFunc, exp.Anonymous)
               if not isinstance(aggregate, exp.Anonymous)
               or aggregate.name.upper() in SESSION_AGGREGATES)


def _windows_per_key(select: exp.Select, keys: list[exp.Expression]) -> None:
    """The select list's window functions (``COUNT(*) OVER ()``) over the rows of one outer
    row, as in the lateral subquery: partitioned by the join's keys first."""
    if not keys:
        return
    for item in select.expressions:
        for window in item.find_all(exp.Window):
            if window.find_ancestor(exp.Select) is not select:
                continue  # (a nested query's own)
            window.set("partition_by", [k.copy() for k in keys]
                       + list(window.args.get("partition_by") or []))


def _stars_without_helpers(query: exp.Expression, alias: str, body: exp.Select) -> None:
    """The query's ``x.*`` (and ``*``) of the decorrelated subquery ``x`` as its own columns,
    listed: the join's keys and row numbers are the translation's, not the script's (they
    were shown as ``leo_apply_key_0`` and ``leo_apply_row``). Left as they are when the
    subquery's columns are not all named (its own ``*``)."""
    names = [derived_columns.item_name(projection) for projection in body.selects]
    if isinstance(query, exp.Select) and all(names):
        list_stars(query, alias, [exp.column(name, table=alias, quoted=True) for name in names])


def _keys(body: exp.Select, inner: set[str], line: int
          ) -> tuple[list[tuple[exp.Expression, exp.Expression]], list[exp.Expression],
                     list[exp.Expression]]:
    """The subquery's equalities with the outer query's columns (its column, the outer one),
    its conditions of its own rows, and its other conditions reading the outer query (those
    of a subquery whose rows are each a row of its tables, :func:`_row_per_row`: the join's
    then); refused when it reads the outer query otherwise."""
    keys: list[tuple[exp.Expression, exp.Expression]] = []
    kept: list[exp.Expression] = []
    joined: list[exp.Expression] = []
    for condition in _conjuncts(body.args.get("where") and body.args["where"].this):
        if not _outer(condition, inner):
            kept.append(condition)
            continue
        sides = (condition.this, condition.expression) if isinstance(condition, exp.EQ) else ()
        pair = [s for s in sides if isinstance(s, exp.Column)]
        if len(pair) != 2 or sum(bool(_outer(s, inner)) for s in pair) != 1:
            if _row_per_row(body) and not condition.find(exp.Subquery, exp.Exists):
                joined.append(condition)
                continue
            _refuse(line, "the subquery may read the outer query only by equalities "
                    "(c.pmr = p.pmr), or take its TOP 1 row")
        inside, outside = (pair[0], pair[1]) if not _outer(pair[0], inner) else (pair[1],
                                                                                 pair[0])
        keys.append((inside, outside))
    for part in ("expressions", "order", "having", "group"):
        value = body.args.get(part)
        values = value if isinstance(value, list) else [value] if value is not None else []
        if any(_outer(v, inner) for v in values):
            _refuse(line, "the subquery may read the outer query only in its WHERE, or take "
                    "its TOP 1 row")
    return keys, kept, joined


def _row_per_row(body: exp.Select) -> bool:
    """Whether each row of the subquery is one row of its tables, whatever the outer row:
    no ``TOP``, ``DISTINCT``, groups, aggregates or windows, which count rows per outer row
    (a condition on the outer query may then be the join's)."""
    return not any(body.args.get(part) for part in ("limit", "distinct", "group", "having")) \
        and not any(item.find(exp.AggFunc, exp.Window) for item in body.selects)


def _read_inside(conditions: list[exp.Expression], inner: set[str], alias: str,
                 columns: list[exp.Expression]) -> list[exp.Expression]:
    """The subquery's conditions on the outer query (``bb.start <= y.ty_end``) as the join's:
    each of its own columns they read passed on (added to ``columns``) and read as the
    decorrelated subquery's."""
    passed: dict[str, str] = {}
    moved = []
    for condition in conditions:
        condition = condition.copy()
        for column in list(condition.find_all(exp.Column)):
            if _outer(column, inner):
                continue
            key = column.sql()
            if key not in passed:
                passed[key] = f"{READ}{len(passed)}"
                columns.append(exp.alias_(column.copy(), passed[key]))
            column.replace(exp.column(passed[key], table=alias))
        moved.append(condition)
    return moved


def _as_expressions(join: exp.Join, alias: str, body: exp.Select, line: int) -> None:
    """``CROSS APPLY (SELECT DATEDIFF(day, b.start, b.end) + 1 AS days) d``, the idiom that
    names an expression of the outer row once: one row for each outer row (``OUTER APPLY``
    too), so each of its columns the query reads becomes its expression, and the join goes."""
    query = _query_of(join)
    named = {s.alias_or_name.lower(): s.unalias() for s in body.selects}
    if not isinstance(query, exp.Select) or "" in named or body.args.get("where"):
        _refuse(line, "name each column of an applied SELECT without FROM, and filter in "
                "the outer query")
    _no_star(query, alias, "SELECT", line)
    join.pop()
    _replace_columns(query, alias, set(named), lambda name: exp.Paren(this=named[name].copy()))


def _first_row_only(body: exp.Select) -> bool:
    """A ``SELECT TOP 1`` (no ``PERCENT``, no ``WITH TIES``) of no ``GROUP BY``."""
    limit = body.args.get("limit")
    count = limit.expression if isinstance(limit, exp.Limit) else None
    return (isinstance(count, exp.Literal) and count.this == "1" and not count.is_string
            and not limit.args.get("percent") and not limit.args.get("with_ties")
            and body.args.get("group") is None)


def _as_first_row(join: exp.Join, lateral: exp.Lateral, body: exp.Select, line: int) -> None:
    """``OUTER APPLY (SELECT TOP 1 e.yr, e.pay FROM e WHERE e.pmr = b.pmr AND e.yr < b.yr
    ORDER BY e.yr DESC) x``, whose subquery reads the outer query other than by equalities:
    each of its columns the query reads becomes that column of the first row, a correlated
    scalar subquery (NULL when there is none, as the ``OUTER APPLY`` gives), in the
    subquery's own order; a ``CROSS APPLY`` also keeps only the outer rows that have a
    first row (``EXISTS``). (Rejected: a join on a row number, which needs the outer rows'
    own key.)"""
    query = _query_of(join)
    alias = lateral.alias
    _as_scalars(join, alias, body, line)
    if lateral.args["cross_apply"]:
        exists = body.copy()
        exists.set("expressions", [exp.Literal.number(1)])
        query.where(exp.Exists(this=exists), copy=False)


def _as_scalars(join: exp.Join, alias: str, body: exp.Select, line: int) -> None:
    """An applied subquery that aggregates (one row per outer row): each of its columns the
    query reads, by the subquery's alias or by its bare name (which T-SQL would find
    ambiguous were it another table's too), becomes a scalar subquery of that column alone;
    the join is dropped."""
    query = _query_of(join)
    named = {s.alias_or_name.lower(): s for s in body.selects}
    if not isinstance(query, exp.Select) or "" in named:
        _refuse(line, "name each column of an applied subquery that aggregates")
    _stars_without_helpers(query, alias, body)  # (x.* as x's columns, each read below)
    _no_star(query, alias, "subquery", line)
    join.pop()

    def scalar(name: str) -> exp.Expression:
        select = body.copy()
        select.set("expressions", [named[name].unalias().copy()])
        return exp.Subquery(this=select)

    _replace_columns(query, alias, set(named), scalar)


def _values_as_cases(join: exp.Join, lateral: exp.Lateral, body: exp.Values,
                     line: int) -> None:
    """``APPLY (VALUES (a1, b1), (a2, b2)) v(a, b)``: a join with the row numbers 1 and 2
    (every outer row has them all, so CROSS and OUTER APPLY are the same), each of ``v``'s
    columns read by the query ``CASE v.row WHEN 1 THEN a1 WHEN 2 THEN a2 END``."""
    query = _query_of(join)
    alias = lateral.alias
    names = [c.name.lower() for c in lateral.args["alias"].columns]
    rows = [t.expressions if isinstance(t, exp.Tuple) else [t] for t in body.expressions]
    if not isinstance(query, exp.Select) or not names or any(len(r) != len(names)
                                                             for r in rows):
        _refuse(line, "name each column of the applied VALUES, one value per column in "
                "every row")
    _no_star(query, alias, "VALUES", line)
    numbers = exp.union(*[exp.select(exp.alias_(exp.Literal.number(i + 1), ROW))
                          for i in range(len(rows))], distinct=False) if len(rows) > 1 else \
        exp.select(exp.alias_(exp.Literal.number(1), ROW))
    join.set("this", exp.Subquery(this=numbers, alias=exp.TableAlias(
        this=exp.to_identifier(alias))))
    join.set("on", None)
    join.set("side", None)
    join.set("kind", "CROSS")
    position = {name: i for i, name in enumerate(names)}

    def case(name: str) -> exp.Expression:
        ifs = [exp.If(this=exp.EQ(this=exp.column(ROW, table=alias),
                                  expression=exp.Literal.number(i + 1)),
                      true=row[position[name]].copy()) for i, row in enumerate(rows)]
        return exp.Paren(this=exp.Case(ifs=ifs))

    _replace_columns(query, alias, set(names), case)


def _query_of(join: exp.Join) -> exp.Expression | None:
    """The query whose join ``join`` is: its parent, or the query of the table the join
    hangs on (``UPDATE t SET v = x.total FROM #t t CROSS APPLY (...) x``, whose rows
    ``update_from`` selects from that table with its joins)."""
    parent = join.parent
    return parent.find_ancestor(exp.Select) if isinstance(parent, exp.Table) else parent


def _no_star(query: exp.Select, alias: str, what: str, line: int) -> None:
    """Refused: a ``*`` (or ``x.*``) over an applied ``what`` whose columns become
    expressions, where there is no table left to stand for."""
    if any(isinstance(s, exp.Star) or (isinstance(s, exp.Column) and isinstance(
            s.this, exp.Star) and s.table.lower() in ("", alias.lower()))
           for s in query.expressions):
        _refuse(line, f"list the columns of an applied {what} rather than *")


def _replace_columns(query: exp.Select, alias: str, names: set[str],
                     value: Callable[[str], exp.Expression]) -> None:
    """Each column of ``alias`` in ``names`` that ``query`` reads, by the alias or by its
    bare name (which T-SQL would find ambiguous were it another table's too), replaced by
    ``value(name)``; columns of the queries nested in it are theirs."""
    for column in list(query.find_all(exp.Column)):
        table, name = column.table.lower(), column.name.lower()
        if name not in names or table not in (alias.lower(), ""):
            continue
        if isinstance(column.parent, exp.Dot) or column.find_ancestor(exp.Select) is not query:
            continue  # (a column of another query's, nested in this one)
        if column.parent is query and column.arg_key == "expressions":  # (keeps its name)
            column.replace(exp.alias_(value(name), column.name, quoted=True))
        else:
            column.replace(value(name))
