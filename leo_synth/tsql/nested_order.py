"""An ``ORDER BY`` inside a query orders nothing, so SQL Server refuses it there.

``WITH t AS (SELECT ... ORDER BY x) SELECT ...`` or ``FROM (SELECT ... ORDER BY x) s`` stops
SQL Server with error 1033, "The ORDER BY clause is invalid in views, inline functions, derived
tables, subqueries, and common table expressions, unless TOP, OFFSET or FOR XML is also
specified." SQLite, DuckDB and PostgreSQL run it, so such a script passed here and failed in
the SRS. A query with an ``ORDER BY`` and no ``TOP``, ``OFFSET`` or ``FOR XML`` inside a
common table expression, a subquery or a view stops the script with SQL Server's message.
(Checked on the script's own statement, before any rewrite adds subqueries of its own.)
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError

MESSAGE = ("The ORDER BY clause is invalid in views, inline functions, derived tables, "
           "subqueries, and common table expressions, unless TOP, OFFSET or FOR XML is also "
           "specified.")


def _nested(query: exp.Expression) -> bool:
    """Whether the query is a common table expression, a subquery or a view's body (not a
    statement's own query, an INSERT's or a UNION's branch of one)."""
    node = query
    while node.parent is not None:
        parent = node.parent
        if isinstance(parent, exp.CTE | exp.Subquery | exp.Exists | exp.In) or (
                isinstance(parent, exp.Create) and node.arg_key == "expression"
                and str(parent.args.get("kind")).upper() == "VIEW"):
            return True
        if not isinstance(parent, exp.Union):
            return False
        node = parent
    return False


def check(tree: exp.Expression, line: int) -> None:
    """Stop, as SQL Server does, at an ORDER BY that orders nothing."""
    for query in tree.find_all(exp.Select, exp.Union):
        if query.args.get("order") is None or any(
                query.args.get(k) is not None for k in ("limit", "offset", "for_", "fetch")):
            continue
        if _nested(query):
            raise ScriptError(line, MESSAGE, runtime=True, number=1033, said=MESSAGE)
