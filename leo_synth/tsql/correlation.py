"""Which query a subquery's columns read: its own sources', or an enclosing query's."""

from __future__ import annotations

from functools import cached_property

from sqlglot import exp

from leo_synth.tsql.alias_scope import Columns, available_columns
from leo_synth.tsql.rewrites import from_sources

INNER, OUTER = "inner", "outer"


def conditions(query: exp.Select) -> list[exp.Expression]:
    """The conditions of a query's ``WHERE`` that must all hold (its ``AND``-ed terms)."""
    where = query.args.get("where")
    if where is None:
        return []
    return list(where.this.flatten()) if isinstance(where.this, exp.And) else [where.this]


class Sides:
    """Which query each column of the subquery reads: its own sources (``INNER``) or the
    outer query's (``OUTER``)."""

    def __init__(self, query: exp.Select, ctes: dict[str, exp.Expression], columns: Columns):
        self.query, self.ctes, self.columns = query, ctes, columns
        self.names = {source.alias_or_name.lower() for source in from_sources(query)}

    @cached_property
    def known(self) -> set[str] | None:
        """The columns the subquery's sources give it (asked of the target only for an
        unqualified column: most subqueries qualify theirs)."""
        return available_columns(self.query, self.ctes, self.columns)

    def column(self, column: exp.Column) -> str | None:
        """A column's side; None when it cannot be told (an unqualified column of sources
        whose columns are not known, or of none of them)."""
        if column.table:
            return INNER if column.table.lower() in self.names else OUTER
        if self.known is not None and column.name.lower() in self.known:
            return INNER
        return None

    def of(self, node: exp.Expression) -> str | None:
        """The side all of a node's columns are on ("" for none; None for both, or one
        that cannot be told)."""
        sides = {self.column(column) for column in node.find_all(exp.Column)}
        if None in sides or len(sides) > 1:
            return None
        return sides.pop() if sides else ""

    def link(self, condition: exp.Expression) -> tuple[exp.Expression, exp.Expression] | None:
        """``(inner, outer)`` of an equality between an expression of the subquery's own
        columns and one of the outer query's; None for any other condition."""
        if not isinstance(condition, exp.EQ):
            return None
        left, right = self.of(condition.this), self.of(condition.expression)
        if (left, right) == (INNER, OUTER):
            return condition.this, condition.expression
        if (left, right) == (OUTER, INNER):
            return condition.expression, condition.this
        return None
