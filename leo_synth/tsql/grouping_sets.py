"""``ROLLUP``, ``CUBE`` and ``GROUPING SETS``: the totals rows of a table, on every target.

Scripts add subtotals and a grand total to a table with ``GROUP BY ROLLUP(region, fsm)`` or
the older ``GROUP BY region, fsm WITH ROLLUP``. PostgreSQL and DuckDB have the modern forms
(the older one is rewritten to them); SQLite has none. There, the query becomes one grouped
query per grouping set, joined by ``UNION ALL``: in each, a grouping column the set leaves out
is NULL and ``GROUPING(col)`` is 1 (0 for a column it keeps), as SQL Server's totals rows
show; aggregates still read the rows' own values. The ``ORDER BY`` and ``TOP`` apply to the
whole, over the columns each branch carries (hidden ones for an order by an expression such
as ``GROUPING(region)``, which SQLite could not name after a ``UNION``). A window function
(``SUM(COUNT(*)) OVER (PARTITION BY region)``) runs over the whole too, totals rows included,
as SQL Server's does: each branch carries what it reads (the aggregates, grouping columns and
``GROUPING`` calls inside it) and the outer query computes it (:func:`_lifted`). So does
``DISTINCT``: a totals row equal to another set's is one row.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from functools import reduce

from sqlglot import exp

HIDDEN = "leo_order_"
SHOWN = "leo_column_"
WINDOWED = "leo_window_"


def old_forms(tree: exp.Expression) -> exp.Expression:
    """``GROUP BY a, b WITH ROLLUP`` (``WITH CUBE``) as ``GROUP BY ROLLUP(a, b)``, and ``GROUP
    BY ()``, the grand total alone, as no ``GROUP BY`` (SQLite cannot read it; one row either
    way, of an empty table too)."""
    for group in list(tree.find_all(exp.Group)):
        if group.expressions and all(item == exp.Tuple() for item in group.expressions) and (
                not any(group.args.get(key) for key in group.args if key != "expressions")):
            group.pop()
            continue
        for key, kind in (("rollup", exp.Rollup), ("cube", exp.Cube)):
            marks = group.args.get(key)
            if marks and not any(m.expressions for m in marks):
                group.set(key, None)
                group.set("expressions", [kind(expressions=list(group.expressions))])
    return tree


def group_by_all(tree: exp.Expression) -> exp.Expression:
    """SQL Server's old ``GROUP BY ALL a``: a group for every value of ``a`` in the rows
    before the ``WHERE``, its aggregates over the rows the ``WHERE`` keeps (a group none of
    whose rows it keeps counts 0, sums NULL). So the ``WHERE`` moves into each aggregate of
    the query (``SUM(CASE WHEN w THEN x END)``, ``COUNT(CASE WHEN w THEN 1 END)`` for
    ``COUNT(*)``) and goes; the targets have no ``GROUP BY ALL`` (DuckDB's means another
    thing: group by every column not aggregated)."""
    for group in list(tree.find_all(exp.Group)):
        if not group.args.get("all"):
            continue
        group.set("all", None)
        select = group.parent
        where = select.args.get("where") if isinstance(select, exp.Select) else None
        if where is None:
            continue
        for aggregate in list(select.find_all(exp.AggFunc)):
            if aggregate.parent_select is not select or aggregate.find_ancestor(exp.Window):
                continue
            _kept_by(aggregate, where.this)
        select.set("where", None)
    return tree


def _kept_by(aggregate: exp.AggFunc, condition: exp.Expression) -> None:
    """An aggregate over only the rows ``condition`` keeps."""
    def kept(value: exp.Expression) -> exp.Case:
        return exp.Case(ifs=[exp.If(this=condition.copy(), true=value)])

    argument = aggregate.this
    if isinstance(argument, exp.Star) or argument is None:
        aggregate.set("this", kept(exp.Literal.number(1)))
    elif isinstance(argument, exp.Distinct):
        argument.set("expressions", [kept(e.copy()) for e in argument.expressions])
    else:
        aggregate.set("this", kept(argument.copy()))


def grouping_ids(tree: exp.Expression) -> exp.Expression:
    """``GROUPING_ID(a, b, ...)`` as the number its ``GROUPING`` bits make, the first column
    the highest (``GROUPING(a) * 2 + GROUPING(b)``): SQLite has neither, and each target's
    ``GROUPING`` of one column gives the same bits (rejected: PostgreSQL's and DuckDB's
    ``GROUPING(a, b)``, which SQL Server refuses and SQLite's rewrite would need too)."""
    for node in list(tree.find_all(exp.GroupingId)):
        columns = node.expressions
        terms: list[exp.Expression] = [
            exp.Mul(this=exp.Grouping(expressions=[column.copy()]),
                    expression=exp.Literal.number(2 ** (len(columns) - 1 - i)))
            for i, column in enumerate(columns)]
        total = terms[0] if terms else exp.Literal.number(0)
        for term in terms[1:]:
            total = exp.Add(this=total, expression=term)
        node.replace(exp.Paren(this=total))
    return tree


def plain_groupings(tree: exp.Expression) -> exp.Expression:
    """``GROUPING(g)`` of a column every grouping set keeps (``GROUP BY g, ROLLUP(h)``) as 0,
    as SQL Server gives it: DuckDB refuses it ("GROUPING child must be a grouping column")."""
    for select in tree.find_all(exp.Select):
        group = select.args.get("group")
        if not isinstance(group, exp.Group) or grouping_sets(group) is None:
            continue
        plain = {_key(e) for e in group.expressions
                 if not isinstance(e, exp.Rollup | exp.Cube | exp.GroupingSets)}
        for node in list(select.find_all(exp.Grouping)):
            if node.parent_select is select and node.expressions and all(
                    _key(e) in plain for e in node.expressions):
                node.replace(exp.Literal.number(0))
    return tree


def _key(node: exp.Expression) -> str:
    """How a grouping expression is recognised in the select list: a column by its name
    (``t.region`` and ``region`` are one), anything else by its SQL."""
    return node.name.lower() if isinstance(node, exp.Column) else node.sql()


def _members(item: exp.Expression) -> list[exp.Expression]:
    if isinstance(item, exp.Tuple):
        return list(item.expressions)
    return [item.this] if isinstance(item, exp.Paren) else [item]


def grouping_sets(group: exp.Group) -> list[list[exp.Expression]] | None:
    """The grouping sets a GROUP BY lists, in SQL Server's order (the finest first); None
    when it has no ROLLUP, CUBE or GROUPING SETS."""
    plain: list[exp.Expression] = []
    choices: list[list[list[exp.Expression]]] = []
    for item in group.expressions:
        if isinstance(item, exp.Rollup):
            parts = list(item.expressions)
            choices.append([parts[:n] for n in range(len(parts), -1, -1)])
        elif isinstance(item, exp.Cube):
            parts = list(item.expressions)
            choices.append([[p for j, p in enumerate(parts) if not mask >> j & 1]
                            for mask in range(2 ** len(parts))])
        elif isinstance(item, exp.GroupingSets):
            choices.append([_members(s) for s in item.expressions])
        else:
            plain.append(item)
    if not choices:
        return None
    return [plain + [e for part in combination for e in part]
            for combination in itertools.product(*choices)]


def _blanked(node: exp.Expression, grouped: dict[str, exp.Expression], kept: set[str]
             ) -> exp.Expression:
    """``node`` for one grouping set: grouping columns it leaves out are NULL, ``GROUPING``
    is 1 for those and 0 for the kept (aggregates' arguments untouched)."""
    def blank(inner: exp.Expression) -> exp.Expression:
        if isinstance(inner, exp.Grouping):
            left_out = any(_key(e) not in kept for e in inner.expressions)
            return exp.Literal.number(1 if left_out else 0)
        if isinstance(inner, exp.AggFunc):
            return inner
        key = _key(inner)
        return exp.Null() if key in grouped and key not in kept else inner

    return _transform(node.copy(), blank)


def _transform(node: exp.Expression, rewrite) -> exp.Expression:  # type: ignore[no-untyped-def]
    """``rewrite`` applied top-down; a node it replaces (or an aggregate) is not entered."""
    new = rewrite(node)
    if new is not node or isinstance(node, exp.AggFunc):
        return new
    for child in list(node.iter_expressions()):
        replaced = _transform(child, rewrite)
        if replaced is not child:
            child.replace(replaced)
    return node


def _order_column(ordered: exp.Ordered, outputs: list[str], count: int) -> int | None:
    """The output column an ORDER BY item names (its alias or name, or its position)."""
    this = ordered.this
    if isinstance(this, exp.Literal) and not this.is_string and this.this.isdigit():
        position = int(this.this) - 1
        return position if 0 <= position < count else None
    if isinstance(this, exp.Column) and not this.table and this.name.lower() in outputs:
        return outputs.index(this.name.lower())
    return None


def _lifted(node: exp.Expression,
            hide: Callable[[exp.Expression], exp.Expression]) -> exp.Expression:
    """``node``, an expression with a window function, as the outer query of the union computes
    it: what a branch must compute (an aggregate, a column, a ``GROUPING`` call, a subquery,
    which may read the grouped row's columns; not the window's own function) replaced by
    ``hide(part)``, a column of the union."""
    if isinstance(node, exp.Window):
        for child in list(node.iter_expressions()):
            inner = child.iter_expressions() if child is node.this else [child]
            for part in list(inner):
                replaced = _lifted(part, hide)
                if replaced is not part:
                    part.replace(replaced)
        return node
    if isinstance(node, (exp.AggFunc, exp.Column, exp.Grouping, exp.Subquery)):
        return hide(node)
    for child in list(node.iter_expressions()):
        replaced = _lifted(child, hide)
        if replaced is not child:
            child.replace(replaced)
    return node


def for_sqlite(tree: exp.Expression) -> exp.Expression:
    """The tree with each query of grouping sets as a UNION ALL of grouped queries."""
    for select in reversed(list(tree.find_all(exp.Select))):
        group = select.args.get("group")
        sets = grouping_sets(group) if group is not None else None
        if sets is None:
            continue
        replacement = _union_of_sets(select, sets)
        if select is tree:
            return replacement
        select.replace(replacement)
    return tree


def _union_of_sets(select: exp.Select, sets: list[list[exp.Expression]]) -> exp.Select:
    grouped = {_key(e): e for s in sets for e in s}
    outputs = [s.alias_or_name.lower() for s in select.selects]
    order = select.args.get("order")
    ordered = list(order.expressions) if order is not None else []
    hidden: list[tuple[exp.Ordered, int | None]] = [
        (o, _order_column(o, outputs, len(outputs))) for o in ordered]
    read: list[exp.Expression] = []
    """What the window functions read, computed by every branch (:func:`_lifted`)."""

    def hide(part: exp.Expression) -> exp.Column:
        read.append(part)
        return exp.column(f"{WINDOWED}{len(read) - 1}")

    def lifted(node: exp.Expression) -> exp.Expression | None:
        return _lifted(node.copy(), hide) if node.find(exp.Window) else None

    windowed = [lifted(s.unalias() if isinstance(s, exp.Alias) else s) for s in select.selects]
    ordered_windows = [lifted(o.this) if named is None else None for o, named in hidden]
    body = select.copy()
    ctes = body.args.get("with_")
    distinct = body.args.get("distinct")  # (over the whole, totals rows too, after windows)
    for key in ("with_", "order", "limit", "distinct"):
        body.set(key, None)
    branches = []
    for grouping in sets:
        kept = {_key(e) for e in grouping}
        branch = body.copy()
        branch.set("group", exp.Group(expressions=[e.copy() for e in grouping])
                   if grouping else None)
        columns = [exp.alias_(_blanked(s.unalias() if isinstance(s, exp.Alias) else s,
                                       grouped, kept), f"{SHOWN}{i}")
                   for i, s in enumerate(select.selects) if windowed[i] is None]
        columns += [exp.alias_(_blanked(o.this, grouped, kept), f"{HIDDEN}{j}")
                    for j, (o, named) in enumerate(hidden)
                    if named is None and ordered_windows[j] is None]
        columns += [exp.alias_(_blanked(part, grouped, kept), f"{WINDOWED}{k}")
                    for k, part in enumerate(read)]
        branch.set("expressions", columns)
        having = branch.args.get("having")
        if having is not None:
            branch.set("having", exp.Having(this=_blanked(having.this, grouped, kept)))
        branches.append(branch)
    union = reduce(lambda a, b: exp.union(a, b, distinct=False), branches)

    def shown(i: int) -> exp.Expression:
        window = windowed[i]
        return exp.column(f"{SHOWN}{i}") if window is None else window.copy()

    def order_value(j: int, named: int | None) -> exp.Expression:
        if named is not None:
            return shown(named)
        window = ordered_windows[j]
        return exp.column(f"{HIDDEN}{j}") if window is None else window.copy()

    outer = exp.select(*[exp.alias_(shown(i), name or f"{SHOWN}{i}")
                         for i, name in enumerate(outputs)]
                       ).from_(exp.Subquery(this=union, alias=exp.TableAlias(
                           this=exp.to_identifier("leo_sets"))))
    if ordered:
        outer.set("order", exp.Order(expressions=[
            exp.Ordered(this=order_value(j, named),
                        desc=o.args.get("desc"), nulls_first=o.args.get("nulls_first"))
            for j, (o, named) in enumerate(hidden)]))
    if distinct is not None:
        outer.set("distinct", distinct)
    if select.args.get("limit") is not None:
        outer.set("limit", select.args["limit"].copy())
    if ctes is not None:
        outer.set("with_", ctes)
    return outer
