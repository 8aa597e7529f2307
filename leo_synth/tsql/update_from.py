"""T-SQL's ``UPDATE alias ... FROM table alias JOIN ...`` in the form the targets take."""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError


def _unqualified_sets(tree: exp.Update) -> None:
    """``SET t.v = ...`` as ``SET v = ...``: no target takes a qualified column there."""
    for assignment in tree.expressions:
        if isinstance(assignment, exp.EQ) and isinstance(assignment.this, exp.Column):
            assignment.this.set("table", None)


def update_from(tree: exp.Expression, line: int) -> exp.Expression:
    """T-SQL's ``UPDATE t SET t.v = u.w FROM #x t JOIN #u u ON u.id = t.id``, whose table
    is named by its alias in the FROM, as the targets write it: ``UPDATE #x AS t SET v = u.w
    FROM #u AS u WHERE u.id = t.id``. Inner joins become FROM items with their conditions in
    the WHERE (PostgreSQL lets no join condition of the FROM name the table updated); an
    outer join between two other tables is kept as it is."""
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
            raise ScriptError(line, "UPDATE ... FROM: name the table updated first in the FROM")
        return tree  # (UPDATE #t SET ... FROM #u WHERE ...: already the targets' form)
    first.set("joins", None)
    tree.set("this", first)
    conditions = []
    if joins and joins[0].args.get("side"):
        raise ScriptError(line, "UPDATE ... FROM with an outer join to the table updated "
                          "cannot be translated (join with INNER JOIN, or use a subquery)")
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
