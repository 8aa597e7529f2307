"""``OVER (ORDER BY (SELECT NULL))``: an order by a constant is no order at all.

SQL Server refuses a literal in a window's ``ORDER BY`` but not a subquery of one, so scripts
number rows in no particular order with ``ROW_NUMBER() OVER (ORDER BY (SELECT NULL))``: the
tally idiom ``SELECT TOP (1000000) ROW_NUMBER() OVER (ORDER BY (SELECT NULL)) FROM
sys.all_columns a CROSS JOIN sys.all_columns b``. The targets ran the subquery for every row
of the cross join (guarded as any scalar subquery is, ``scalar_subqueries``) and sorted them
all before the ``TOP``: 20 seconds or more for a million numbers. Such an order is dropped
(``OVER ()``), which every target numbers as it reads and stops at the ``TOP``, and so is a
query's own ``ORDER BY (SELECT NULL)``. Both leave the order as unspecified as SQL Server
does. Rewritten after ``window_rules`` has checked the script's own ``OVER``: a ranking
function still needs its ``ORDER BY`` as written.
"""

from __future__ import annotations

from sqlglot import exp


def _constant(node: exp.Expression) -> bool:
    """A subquery of one constant and no ``FROM`` (``(SELECT NULL)``, ``(SELECT 1)``)."""
    query = node.this if isinstance(node, exp.Subquery) else None
    if not isinstance(query, exp.Select) or query.args.get("from_") or (
            len(query.expressions) != 1):
        return False
    value = query.expressions[0].unalias()
    while isinstance(value, exp.Paren):
        value = value.this
    return isinstance(value, exp.Null | exp.Literal)


def for_target(tree: exp.Expression) -> exp.Expression:
    """The tree with each ``ORDER BY`` of constant subqueries alone dropped."""
    for order in list(tree.find_all(exp.Order)):
        items = order.expressions
        if items and all(isinstance(item, exp.Ordered) and _constant(item.this)
                         for item in items):
            order.pop()
    return tree
