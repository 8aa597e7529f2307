"""T-SQL's bitwise operators: ``&``, ``|`` and ``^`` of two integers (``~`` of one) are
integers, and SQLite computes ``^`` too.

Analysts combine 0/1 flags so (``SUM(autumn & spring)`` counts a destination sustained in
both terms, ``everfsm | cla`` a pupil either disadvantaged or in care). SQL Server types the
result as an integer of the larger operand's type, so ``AVG(autumn & spring)`` is truncated
as any integer average is (``integer_average``) and ``SUM(autumn & spring) * 1.0`` has one
place (``decimal_types``): leo-synth showed 0.6666666667 and 1 where SQL Server shows 0 and
1.0. SQLite has no ``^`` (exclusive or: "unrecognized token"): it is written ``(a | b) - (a &
b)``, which equals it for every pair of integers (``a | b`` is ``a ^ b`` plus ``a & b``).
T-SQL's ``~`` binds before any other operator (``~flag * 1.0`` is ``(~flag) * 1.0``), where
PostgreSQL's and DuckDB's bind after ``*`` ("operator does not exist: ~ numeric"): it is
written in parentheses beside another operator. ``&``, ``^`` and ``|`` rank with ``+`` and
``-`` in T-SQL, read left to right (``flags & 1 + 1`` is ``(flags & 1) + 1``; the parser,
``script``, reads them so), where the targets rank them below: one that is an operand of
arithmetic is written in parentheses.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.rewrites import replaced

BINARY = (exp.BitwiseAnd, exp.BitwiseOr, exp.BitwiseXor)
"""The operators of two integers."""
ARITHMETIC = (exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod, exp.Neg)
"""The operators the targets rank above ``&``, ``|`` and ``^`` (and their ``#``, ``XOR``)."""


def for_target(tree: exp.Expression) -> exp.Expression:
    """``~x`` beside another operator as ``(~x)``; ``a & b`` an operand of arithmetic as
    ``(a & b)``."""
    for node in list(tree.find_all(exp.BitwiseNot, *BINARY)):
        parent = node.parent
        if isinstance(node, exp.BitwiseNot):
            wrap = isinstance(parent, exp.Binary | exp.Unary) and not isinstance(
                parent, exp.Paren)
        else:
            wrap = isinstance(parent, ARITHMETIC)
        if wrap:
            node.replace(exp.Paren(this=node.copy()))
    return tree


def for_sqlite(tree: exp.Expression) -> exp.Expression:
    """``a ^ b`` as ``((a | b) - (a & b))``."""
    while (node := tree.find(exp.BitwiseXor)) is not None:
        left, right = exp.Paren(this=node.this.copy()), exp.Paren(this=node.expression.copy())
        either = exp.Paren(this=exp.BitwiseOr(this=left, expression=right))
        both = exp.Paren(this=exp.BitwiseAnd(this=left.copy(), expression=right.copy()))
        tree = replaced(tree, node, exp.Paren(this=exp.Sub(this=either, expression=both)))
    return tree
