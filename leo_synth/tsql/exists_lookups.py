"""A correlated ``[NOT] EXISTS`` on SQLite as a lookup in its subquery's rows, run once.

``WHERE NOT EXISTS (SELECT 1 FROM #seen s WHERE s.pmr = c.pmr)`` is how T-SQL writes an
anti-join, and SQL Server (like DuckDB and PostgreSQL) runs it as one: it hashes ``#seen``
once. SQLite (3.40, Python 3.11's) runs the subquery again for every outer row, scanning the
whole table each time unless the script made an index: 30,000 rows against 30,000 took 87 s
where ``NOT IN`` took 0.05 s. So on SQLite a subquery whose only links to the outer query
are equalities ``inner = outer`` becomes ``COALESCE((outer, ...) IN (SELECT inner, ... FROM
... WHERE rest AND inner IS NOT NULL ...), 0)``: the ``IN`` list is built once, as an index,
and each row looks its key up. The two agree row for row: a NULL outer key is ``NULL IN
(...)``, which the ``COALESCE`` makes false, as ``NULL = x`` finds no row; the inner keys
that are NULL are left out, so a key not found is false, not NULL. ``IN`` compares as ``=``
does (the left operand's collation and the two sides' affinities).

Where SQLite would find the inner rows by an index instead (the extract's key columns, or a
script's ``CREATE INDEX``), the subquery is left as it is: a lookup by index for each outer row
costs less than reading the whole inner table first when the outer rows are few. SQLite's own
plan for the inner query, keyed by the links (``Scans``), tells which.

Anything else is left as written (it is only slower): a subquery that reads the outer query
other than by such an equality, or one with ``GROUP BY``, ``HAVING``, ``OFFSET``, a window,
an aggregate in its select list (``EXISTS (SELECT COUNT(*) ...)`` is always true), a nested
subquery, or a column whose table cannot be told.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlglot import exp

from leo_synth.tsql.alias_scope import Columns, common_tables
from leo_synth.tsql.correlation import INNER, Sides, conditions
from leo_synth.tsql.rewrites import replaced
from leo_synth.tsql.target_dialects import target_sql

Scans = Callable[[str], bool]
"""Whether SQLite reads a whole table for the query given (SQLite's SQL): its plan scans one
(:func:`plan_scans` of its ``EXPLAIN QUERY PLAN``)."""


def plan_scans(details: Iterable[str]) -> bool:
    """Whether the lines of an ``EXPLAIN QUERY PLAN`` read a table whole: ``SCAN t``, or
    ``SEARCH t`` without an index (as SQLite words a ``MAX`` it reads all rows for)."""
    return any(line.startswith("SCAN ") or (line.startswith("SEARCH ") and " USING " not in line)
               for line in details)


def for_target(tree: exp.Expression, dialect: str, columns: Columns, scans: Scans
               ) -> exp.Expression:
    """The tree with each correlated ``EXISTS`` that can be a lookup made one, on SQLite."""
    if dialect != "sqlite" or not tree.find(exp.Exists):
        return tree
    ctes = common_tables(tree)
    for node in list(tree.find_all(exp.Exists)):
        lookup = _lookup(node, ctes, columns, scans)
        if lookup is not None:
            tree = replaced(tree, node, lookup)
    return tree


def _lookup(node: exp.Exists, ctes: dict[str, exp.Expression], columns: Columns,
            scans: Scans) -> exp.Expression | None:
    """``node`` as a lookup, or None when it must stay as written."""
    query = node.this
    if not isinstance(query, exp.Select) or _not_plain(query):
        return None
    sides = Sides(query, ctes, columns)
    links: list[tuple[exp.Expression, exp.Expression]] = []
    rest: list[exp.Expression] = []
    for condition in conditions(query):
        link = sides.link(condition)
        if link is not None:
            links.append(link)
        elif sides.of(condition) in ("", INNER):
            rest.append(condition)
        else:
            return None
    if not links or any(sides.of(join) not in ("", INNER)
                        for join in query.args.get("joins") or []):
        return None
    inner = [pair[0] for pair in links]
    outer = [pair[1] for pair in links]
    probe = query.copy()  # the inner rows of one outer row, as SQLite would find them
    probe.set("expressions", [exp.Literal.number(1)])
    probe.set("where", exp.Where(this=exp.and_(*[exp.EQ(this=key.copy(),
                                                         expression=exp.Literal.number(0))
                                                  for key in inner])))
    if not scans(target_sql(probe, "sqlite")):
        return None
    keys = query.copy()
    keys.set("expressions", [key.copy() for key in inner])
    keys.set("limit", None)
    keys.set("distinct", None)
    kept = [c.copy() for c in rest] + [exp.Not(this=exp.Is(this=key.copy(), expression=exp.Null()))
                                      for key in inner]
    keys.set("where", exp.Where(this=exp.and_(*kept)))
    looked_up = outer[0].copy() if len(outer) == 1 else exp.Tuple(
        expressions=[key.copy() for key in outer])
    found = exp.In(this=looked_up, query=exp.Subquery(this=keys))
    return exp.Paren(this=exp.Coalesce(this=found, expressions=[exp.Literal.number(0)]))


def _not_plain(query: exp.Select) -> bool:
    """Whether the subquery does more than filter rows (then its rows are not its keys')."""
    limit = query.args.get("limit")
    return bool(
        query.args.get("group") or query.args.get("having") or query.args.get("offset")
        or query.args.get("with_") or query.args.get("qualify")
        or (limit is not None and not _positive(limit.expression))
        or any(s.find(exp.AggFunc) for s in query.selects) or query.find(exp.Window)
        or any(isinstance(n, exp.Subquery | exp.Exists) or (
            isinstance(n, exp.Select) and n is not query) for n in query.walk()))


def _positive(count: exp.Expression | None) -> bool:
    """A ``TOP n`` that keeps at least one row (``EXISTS`` reads one)."""
    return isinstance(count, exp.Literal) and count.is_int and int(count.name) > 0
