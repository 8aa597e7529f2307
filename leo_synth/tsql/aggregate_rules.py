"""Where an aggregate may stand, checked as SQL Server checks it when it compiles the batch.

- ``WHERE COUNT(*) > 1`` is error 147 ("An aggregate may not appear in the WHERE clause
  unless ..."): the filter of groups is ``HAVING``.
- ``GROUP BY COUNT(*)`` (or a subquery there) is error 144.
- ``GROUP BY 1``, a position as other dialects read it, is a constant in T-SQL: error 164
  ("Each GROUP BY expression must contain at least one column that is not an outer
  reference."), where every target grouped by the first column.
- ``SUM(AVG(x))``, or an aggregate of a subquery (``SUM(CASE WHEN x IN (SELECT ...) THEN 1
  END)``, ``EXISTS``, ``> ALL (...)`` too), is error 130
  ("Cannot perform an aggregate function on an expression containing an aggregate or a
  subquery."); ``SUM(COUNT(*)) OVER ()``, a window over the groups' counts, is allowed.

Each target refused these too, in its own words ("misuse of aggregate: COUNT()"), so the
researcher read SQLite's message where the SRS would give SQL Server's. An aggregate in a
subquery of the clause belongs to the subquery and is let through.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError

IN_WHERE = ("An aggregate may not appear in the WHERE clause unless it is in a subquery "
            "contained in a HAVING clause or a select list, and the column being aggregated "
            "is an outer reference.")
IN_GROUP_BY = ("Cannot use an aggregate or a subquery in an expression used for the group by "
               "list of a GROUP BY clause.")
NO_COLUMN = ("Each GROUP BY expression must contain at least one column that is not an outer "
             "reference.")
NESTED = ("Cannot perform an aggregate function on an expression containing an aggregate or a "
          "subquery.")


def _own(node: exp.Expression, kinds: tuple[type[exp.Expression], ...]) -> list[exp.Expression]:
    """The nodes of ``kinds`` within ``node`` that are not inside a subquery of it (an
    aggregate there is the subquery's)."""
    found = []
    for inner in node.find_all(*kinds):
        scope = inner
        while scope is not node and not isinstance(scope.parent, exp.Query):
            scope = scope.parent
        if scope is node:
            found.append(inner)
    return found


def _plain(aggregate: exp.Expression) -> bool:
    """Whether an aggregate is one of the groups' (not a window's: ``COUNT(*) OVER ()``,
    ``PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY x) OVER ()``)."""
    holder = aggregate.parent
    if isinstance(holder, exp.WithinGroup):
        holder = holder.parent
    return not isinstance(holder, exp.Window)


def check(tree: exp.Expression, line: int) -> None:
    """Raise SQL Server's error for an aggregate where it may not stand (see the module)."""
    for select in tree.find_all(exp.Select):
        where = select.args.get("where")
        if where is not None and any(_plain(a) for a in _own(where, (exp.AggFunc,))):
            raise ScriptError(line, IN_WHERE)
        group = select.args.get("group")
        if group is not None and any(
                isinstance(node, exp.Query) or _plain(node)
                for item in group.expressions
                for node in _own(item, (exp.AggFunc, exp.Subquery))):
            raise ScriptError(line, IN_GROUP_BY)
        if group is not None and any(  # (GROUP BY (): the grand total, a grouping of none)
                item.find(exp.Column) is None and item != exp.Tuple()
                for item in group.expressions):
            raise ScriptError(line, NO_COLUMN)
    for aggregate in tree.find_all(exp.AggFunc):
        if not _plain(aggregate):
            continue
        inner = [node for argument in aggregate.args.values()
                 if isinstance(argument, exp.Expression)
                 for node in _own(argument, (exp.AggFunc, exp.Subquery, exp.Query))]
        if any(not isinstance(node, exp.AggFunc) or _plain(node) for node in inner):
            raise ScriptError(line, NESTED)
