"""``x >= ALL (SELECT ...)`` and ``x = ANY (SELECT ...)`` (``SOME``) on SQLite, which has
neither.

``HAVING COUNT(*) >= ALL (SELECT COUNT(*) ... GROUP BY ...)`` (the largest group) and
``WHERE code = ANY (SELECT ...)`` stopped with a syntax error there. Each becomes a comparison
with the subquery's least or greatest value, computed in a subquery of its own, so that the
left side stays outside it (SQLite refuses an outer aggregate inside a subquery's
``WHERE``): ``x > ALL (q)`` is ``x > MAX(q)``, ``x > ANY (q)`` is ``x > MIN(q)``, ``= ANY``
is ``IN``, ``<> ALL`` is ``NOT IN``, ``= ALL`` is equal to both ends. ``ALL`` of no rows is
true, as in SQL Server; a NULL among the values makes an ``ALL`` not true, where SQL Server's
answer is unknown, which a ``WHERE`` or ``HAVING`` reads alike. PostgreSQL and DuckDB take the
comparison as it is.
"""

from __future__ import annotations

from sqlglot import exp

COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE)
RELATION, VALUE = "leo_quantified", "leo_value"
ENDS = {exp.GT: ("MAX", "MIN"), exp.GTE: ("MAX", "MIN"), exp.LT: ("MIN", "MAX"),
        exp.LTE: ("MIN", "MAX")}
"""Per comparison, the end of the values ``ALL`` and ``ANY`` compare with."""


def for_sqlite(tree: exp.Expression) -> exp.Expression:
    """The tree with each comparison with ``ALL`` or ``ANY`` of a subquery written out."""
    for node in list(tree.find_all(*COMPARISONS)):
        quantifier = node.expression
        if not isinstance(quantifier, exp.All | exp.Any):
            continue
        query = quantifier.this.this if isinstance(quantifier.this, exp.Subquery) else (
            quantifier.this)
        if not isinstance(query, exp.Select) or len(query.selects) != 1:
            continue
        node.replace(exp.Paren(this=_written_out(node, query, isinstance(quantifier, exp.All))))
    return tree


def _over(query: exp.Select, what: exp.Expression) -> exp.Expression:
    """``(SELECT what FROM (query) AS leo_quantified)``, the query's column named ``VALUE``."""
    inner = query.copy()
    inner.set("expressions", [exp.alias_(inner.selects[0].unalias(), VALUE)])
    return exp.Subquery(this=exp.select(what).from_(exp.Subquery(
        this=inner, alias=exp.TableAlias(this=exp.to_identifier(RELATION)))))


def _written_out(node: exp.Expression, query: exp.Select, every: bool) -> exp.Expression:
    left, kind = node.this.copy(), type(node)
    value = exp.column(VALUE)

    def end(name: str) -> exp.Expression:
        return _over(query, exp.func(name, value.copy()))

    def rows(condition: exp.Expression | None = None) -> exp.Expression:
        counted = _over(query, exp.Count(this=exp.Star()))
        if condition is not None:
            counted.this.set("where", exp.Where(this=condition))
        return counted

    if kind is exp.EQ and not every:
        return exp.In(this=left, query=_over(query, value.copy()))
    if kind is exp.NEQ and every:
        return exp.Not(this=exp.In(this=left, query=_over(query, value.copy())))
    if kind is exp.NEQ:  # some value differs: the ends differ, or x is not the one value
        return exp.or_(exp.NEQ(this=end("MIN"), expression=end("MAX")),
                       exp.NEQ(this=left, expression=end("MIN")))
    if kind is exp.EQ:
        compared: exp.Expression = exp.and_(exp.EQ(this=left, expression=end("MIN")),
                                            exp.EQ(this=left.copy(), expression=end("MAX")))
    else:
        compared = kind(this=left, expression=end(ENDS[kind][0 if every else 1]))
    if not every:
        return compared
    empty = exp.EQ(this=rows(), expression=exp.Literal.number(0))
    nulls = exp.GT(this=rows(exp.Is(this=value.copy(), expression=exp.Null())),
                   expression=exp.Literal.number(0))
    return exp.or_(empty, exp.and_(exp.Not(this=nulls), compared))
