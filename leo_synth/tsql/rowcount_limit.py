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
        _limit(query, rowcount, line)
    return tree


def _limit(query: exp.Select | exp.SetOperation, rowcount: int, line: int) -> None:
    limit = query.args.get("limit")
    if limit is None:
        query.set("limit", exp.Limit(expression=exp.Literal.number(rowcount)))
        return
    count = limit.expression if isinstance(limit, exp.Limit) else None
    options = limit.args.get("limit_options") if isinstance(limit, exp.Limit) else None
    if options is not None or not (isinstance(count, exp.Literal) and count.is_int):
        raise ScriptError(line, f"SET ROWCOUNT {rowcount} with a TOP other than a number "
                          "(PERCENT, WITH TIES, a variable) cannot be translated: SET ROWCOUNT "
                          "0 first")
    count.replace(exp.Literal.number(min(int(count.name), rowcount)))
