"""``SET ROWCOUNT n``: the session's limit on the rows a statement returns or changes.

Older SRS scripts take a sample or a first row with ``SET ROWCOUNT 100`` (or ``1`` before a
``SELECT @x = ...``) and lift it with ``SET ROWCOUNT 0``; loops delete a large set in parts
with ``SET ROWCOUNT 1000`` before each ``DELETE``. Until it is lifted, SQL Server stops a
query (``SELECT``, ``SELECT ... INTO``, a ``UNION``, the query of an ``INSERT``) after n rows,
and a ``DELETE`` or ``UPDATE`` after changing n; a ``TOP`` smaller than n still wins. No
target has the setting, so each such statement is given the limit: a query's ``TOP`` (its
``LIMIT``), a ``DELETE``'s or ``UPDATE``'s ``TOP (n)`` (``row_identity``). Subqueries and
common table expressions are not limited, as in SQL Server.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError


def smaller(top: int | None, rowcount: int) -> int | None:
    """The rows a statement with ``TOP (top)`` (None: no TOP) may touch under ``SET ROWCOUNT
    rowcount`` (0: no limit)."""
    if not rowcount:
        return top
    return rowcount if top is None else min(top, rowcount)


def limited(tree: exp.Expression, rowcount: int, line: int) -> exp.Expression:
    """A query (or an ``INSERT``'s query) limited to ``rowcount`` rows (0: as it is)."""
    if not rowcount:
        return tree
    query = tree.expression if isinstance(tree, exp.Insert) else tree
    if isinstance(query, exp.Select | exp.SetOperation):
        query.set("limit", limit(query, rowcount, line))
    return tree


def limit(statement: exp.Expression, rowcount: int, line: int) -> exp.Limit:
    """The ``TOP`` (``LIMIT``) that ``statement`` (a query, or an ``UPDATE TOP (n)``) has
    under ``SET ROWCOUNT rowcount``: the smaller of its own and ``rowcount``. A ``TOP`` that
    is no number (``PERCENT``, ``WITH TIES``, a variable) stops the script."""
    own = statement.args.get("limit")
    count = own.expression if isinstance(own, exp.Limit) else None
    if own is not None and (own.args.get("limit_options") is not None or not (
            isinstance(count, exp.Literal) and count.is_int)):
        raise ScriptError(line, f"SET ROWCOUNT {rowcount} with a TOP other than a number "
                          "(PERCENT, WITH TIES, a variable) cannot be translated: SET ROWCOUNT "
                          "0 first")
    top = smaller(int(count.name) if count is not None else None, rowcount)
    return exp.Limit(expression=exp.Literal.number(top))
