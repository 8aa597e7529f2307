"""A ``SELECT DISTINCT`` is sorted only by what it selects.

``SELECT DISTINCT Benefit_type FROM leo_benefit ORDER BY StartDate`` stops SQL Server with
"ORDER BY items must appear in the select list if SELECT DISTINCT is specified." (error 145):
the rows kept have no one ``StartDate`` to sort by. SQLite, the default output, and DuckDB
run it and sort by some row's ``StartDate`` (PostgreSQL stops, in its own words), so the
mistake passed here and failed in the SRS. Each ``ORDER BY`` item of a ``SELECT DISTINCT``
must be a projection (as written, in any case), a projection's alias, the name of a column it
selects (``ORDER BY EduKey`` for ``e.EduKey``, and the other way round) or a position; a
``SELECT DISTINCT *`` is let through (its columns are the tables').

The same holds of a ``UNION``, ``INTERSECT`` or ``EXCEPT`` sorted by what its first query does
not select (``SELECT EduKey FROM leo_benefit UNION SELECT EduKey FROM leo_employment ORDER BY
StartDate``): error 104, where each target stopped in its own words and PostgreSQL named the
column "invalid".
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.grouped_columns import expression_key

MESSAGE = "ORDER BY items must appear in the select list if SELECT DISTINCT is specified."
COMBINED = ("ORDER BY items must appear in the select list if the statement contains a UNION, "
            "INTERSECT or EXCEPT operator.")


def _selected(select: exp.Select) -> set[str] | None:
    """What an ``ORDER BY`` of ``select`` may name (None: a ``*`` hides it)."""
    keys: set[str] = set()
    for projection in select.selects:
        value = projection.unalias()
        if value.is_star:
            return None
        keys.add(expression_key(value))
        if projection.alias:
            keys.add(projection.alias.lower())
        if isinstance(value, exp.Column):
            keys.add(value.name.lower())
    return keys


def _listed(item: exp.Expression, keys: set[str]) -> bool:
    if isinstance(item, exp.Literal) and not item.is_string:  # (ORDER BY 1)
        return True
    if expression_key(item) in keys:
        return True
    return isinstance(item, exp.Column) and item.name.lower() in keys


def _first(query: exp.Expression) -> exp.Select | None:
    """The first ``SELECT`` of a ``UNION`` (whose columns name the result)."""
    while isinstance(query, exp.SetOperation | exp.Subquery):
        query = query.this
    return query if isinstance(query, exp.Select) else None


def _sorted_by_selected(order: exp.Order, select: exp.Select, message: str,
                        line: int) -> None:
    keys = _selected(select)
    if keys is None:
        return
    for ordered in order.expressions:
        item = ordered.this if isinstance(ordered, exp.Ordered) else ordered
        if not _listed(item, keys):
            raise ScriptError(line, message)


def check(tree: exp.Expression, line: int) -> None:
    """Raise SQL Server's error 145 for a ``SELECT DISTINCT``, and 104 for a ``UNION``
    (``INTERSECT``, ``EXCEPT``), sorted by what it does not select."""
    for select in tree.find_all(exp.Select):
        order = select.args.get("order")
        if select.args.get("distinct") and order is not None:
            _sorted_by_selected(order, select, MESSAGE, line)
    for combined in tree.find_all(exp.SetOperation):
        order, first = combined.args.get("order"), _first(combined)
        if order is not None and first is not None:
            _sorted_by_selected(order, first, COMBINED, line)
