"""T-SQL's ``UPDATE alias ... FROM table alias JOIN ...`` in the form the targets take."""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.row_identity import ROW_IDS, update_through_rows


def _unqualified_sets(tree: exp.Update) -> None:
    """``SET t.v = ...`` as ``SET v = ...``: no target takes a qualified column there."""
    for assignment in tree.expressions:
        if isinstance(assignment, exp.EQ) and isinstance(assignment.this, exp.Column):
            assignment.this.set("table", None)


def update_from(tree: exp.Expression, line: int, dialect: str) -> exp.Expression:
    """T-SQL's ``UPDATE t SET t.v = u.w FROM #x t JOIN #u u ON u.id = t.id``, whose table
    is named by its alias in the FROM, as the targets write it: ``UPDATE #x AS t SET v = u.w
    FROM #u AS u WHERE u.id = t.id``. Inner joins become FROM items with their conditions in
    the WHERE (PostgreSQL lets no join condition of the FROM name the table updated); an
    outer join between two other tables is kept as it is. A table updated through an outer
    join, or named after the FROM's first table, is updated by its rows' ids on the target
    (:func:`row_identity.update_through_rows`), and so is any on DuckDB, which would count
    a row its joins match twice twice in ``@@ROWCOUNT``."""
    if not isinstance(tree, exp.Update):
        return tree
    _unqualified_sets(tree)
    source = tree.args.get("from_")
    if source is None or not isinstance(source.this, exp.Table) or tree.this.args.get("db"):
        return tree
    first, name = source.this, tree.this.name.lower()
    joins = list(first.args.get("joins") or [])
    if first.alias_or_name.lower() != name:
        if any(j.this.alias_or_name.lower() == name for j in joins):
            return update_through_rows(tree, name, ROW_IDS[dialect], line)
        return tree  # (UPDATE #t SET ... FROM #u WHERE ...: already the targets' form)
    if joins and (joins[0].args.get("side") or dialect == "duckdb"):
        return update_through_rows(tree, name, ROW_IDS[dialect], line)
    first.set("joins", None)
    tree.set("this", first)
    conditions = []
    rest: list[exp.Join] = []
    for join in joins:
        if join.args.get("side"):  # (an outer join between two other tables)
            rest.append(join)
            continue
        if join.args.get("on") is not None:
            conditions.append(join.args["on"])
        rest.append(exp.Join(this=join.this))
    where = tree.args.get("where")
    if where is not None:
        conditions.append(where.this)
    if rest:
        head, *others = rest
        table = head.this
        if others:
            table.set("joins", others)
        tree.set("from_", exp.From(this=table))
    else:
        tree.set("from_", None)
    if conditions:
        tree.set("where", exp.Where(this=exp.and_(*conditions)))
    return tree
