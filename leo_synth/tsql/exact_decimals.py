"""Decimal sums, differences and products on SQLite held at their type's places, so that they
compare as SQL Server's exact decimals do.

SQL Server computes decimals exactly: ``0.1 + 0.2`` is a ``DECIMAL(3, 1)`` holding 0.3, so
``CASE WHEN 0.1 + 0.2 = 0.3 THEN 1 ELSE 0 END`` is 1, as is ``SUM(amount) = 1.00`` over ten
rows of 0.10 in a ``DECIMAL(12, 2)`` column. SQLite has no decimals: it computes with binary
floats, whose 0.1 + 0.2 is 0.30000000000000004, so the comparison gave 0 (shown as decimals
of their scale, the values looked right; compared, grouped, floored or stored, they were
not). DuckDB and PostgreSQL compute decimals exactly and are left alone.

The rule: a sum, difference or product of decimals (``+``, ``-``, ``*``, and ``SUM``, a window's
too) whose type SQL Server works out for certain (``decimal_types``: a ``DECIMAL(p, s)`` or
``MONEY``) holds, in SQL Server, a value with at most ``s`` places, and that exact value is
what it compares, groups and stores. On SQLite each such expression is computed as
``ROUND(expression, s)``: the float nearest to the exact decimal, as long as the float's
error is below half a unit of the last place (for a value of fifteen significant digits or
fewer). Equal decimals then give the same float, so ``=``, ``<``, ``GROUP BY`` and
``FLOOR`` answer as SQL Server does. An expression of a type not known for certain (a float
anywhere in it, a column of unknown type) is left as the target computes it. Left too:
quotients and averages, whose places SQL Server fills by rules of its own (rounding or
cutting off the last place), and integers, which SQLite computes exactly.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.decimal_types import number_type
from leo_synth.tsql.integer_casts import ColumnKinds

_EXACT = (exp.Add, exp.Sub, exp.Mul, exp.Sum)
"""What computes a decimal with no more places than its type's scale."""


def _held(node: exp.Expression) -> exp.Expression:
    """The node that holds ``node``'s value: its window, for an aggregate over one."""
    parent = node.parent
    return parent if isinstance(parent, exp.Window) and parent.this is node else node


def for_sqlite(tree: exp.Expression, columns: ColumnKinds) -> exp.Expression:
    """The tree with each decimal ``+``, ``-``, ``*`` and ``SUM`` of a type known for certain
    rounded to that type's scale (see the module's docstring)."""
    rounded: list[tuple[exp.Expression, int]] = []
    for node in tree.find_all(*_EXACT):
        typed = number_type(node, columns)
        if typed is not None and not typed.integer and typed.scale > 0:
            rounded.append((_held(node), typed.scale))
    for node, scale in rounded:
        wrapper = exp.Round(decimals=exp.Literal.number(scale))
        node.replace(wrapper)
        wrapper.set("this", node)
    return tree
