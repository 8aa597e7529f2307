"""T-SQL's ``UPDATE alias ... FROM table alias JOIN ...`` in the form the targets take."""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.row_identity import ROW_IDS, update_through_rows


def _unqualified_sets(tree: exp.Update) -> None:
    """``SET t.v = ...`` as ``SET v = ...``: no target takes a qualified column there."""
    for assignment in tree.expressions:
        if isinstance(assignment, exp.EQ) and isinstance(assignment.this, exp.Column):
            assignment.this.set("table", None)


def update_from(tree: exp.Expression, line: int, dialect: str) -> exp.Expression:
    """T-SQL's ``UPDATE t SET t.v = u.w FROM #x t JOIN #u u ON u.id = t.id``, whose table
    is named by its alias in the FROM, as the targets can run it. With joins (inner or
    outer, the table updated named first or not), by its rows' ids on the target
    (:func:`row_identity.update_through_rows`): the FROM as written picks the rows and
    computes the values, and a row matched twice is updated once, from the same match on
    every target. Without, as ``UPDATE #x AS t SET v = ... WHERE ...``.

    (Rejected: the join conditions moved to the WHERE and the other tables to the targets'
    own ``UPDATE ... FROM``, as before: an outer join's condition is no filter, and each
    target then chose its own match for a row matched twice, DuckDB counting each in
    ``@@ROWCOUNT``.)"""
    if not isinstance(tree, exp.Update):
        return tree
    _no_variables_set(tree, line)
    _unqualified_sets(tree)
    source = tree.args.get("from_")
    if source is None or not isinstance(source.this, exp.Table) or tree.this.args.get("db"):
        return tree
    first, name = source.this, tree.this.name.lower()
    joins = first.args.get("joins") or []
    if not any(t.alias_or_name.lower() == name for t in [first, *(j.this for j in joins)]):
        return tree  # (UPDATE #t SET ... FROM #u WHERE ...: already the targets' form)
    if joins:
        return update_through_rows(tree, name, ROW_IDS[dialect], line)
    tree.set("this", first)  # (UPDATE t SET ... FROM #t t WHERE ...)
    tree.set("from_", None)
    return tree


def _no_variables_set(tree: exp.Update, line: int) -> None:
    """``UPDATE #t SET @v = x`` and the running total ``SET @run = run = @run + x``: no
    target sets a variable row by row in an UPDATE (each stopped with its own syntax error),
    so the script stops with one line that says what can."""
    for assignment in tree.expressions:
        if isinstance(assignment, exp.EQ) and isinstance(assignment.this, exp.Parameter):
            raise ScriptError(line, f"UPDATE ... SET @{assignment.this.name} = ... cannot be "
                              "translated: set the variable with SELECT @v = ... FROM ..., "
                              "and a running total with SUM(x) OVER (ORDER BY ... ROWS "
                              "UNBOUNDED PRECEDING)")
