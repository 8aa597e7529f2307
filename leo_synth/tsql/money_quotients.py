"""A ``MONEY`` divided by a ``MONEY`` or an integer, cut off at four places as SQL Server
cuts it.

SQL Server converts the integer to money, which outranks it, and divides money by money into
money: four places, the rest cut off, not rounded (``CAST(100 AS MONEY) / 339`` is
``0.2949``, so ``... * 10000`` is ``2949.0000``; a decimal's quotient ``0.294985...``). The
targets divided the numbers: SQLite showed ``0.2949852507``, PostgreSQL twenty places, and a
product of the quotient went on with them all (``2949.852507``). So such a quotient
(``decimal_types`` types it ``MONEY``) is cut off at four places toward zero on every target,
as ``ROUND(quotient, 4, 1)``: PostgreSQL's exact numeric so; SQLite's and DuckDB's float made
a number of ten-thousandths first, rounded at five places, so that a float just below a
quotient that ends within four places (``0.57``, held as ``0.56999...``) is not cut to
``0.5699``: ``ROUND(ROUND(quotient * 10000, 5), 0, 1) / 10000.0``.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.decimal_types import MONEY_SCALE, number_type
from leo_synth.tsql.integer_casts import ColumnKinds


def _cut(value: exp.Expression, places: int) -> exp.Round:
    """``ROUND(value, places, 1)``: ``value`` cut off toward zero."""
    return exp.Round(this=value, decimals=exp.Literal.number(places),
                     truncate=exp.Literal.number(1))


def for_target(tree: exp.Expression, columns: ColumnKinds, dialect: str) -> exp.Expression:
    """The tree with each quotient ``decimal_types`` types ``MONEY`` cut off at four places
    (see the module's docstring)."""
    found = [node for node in tree.find_all(exp.Div)
             if (typed := number_type(node, columns)) is not None and typed.money]
    for node in found:
        if dialect == "postgres":
            node.replace(_cut(node.copy(), MONEY_SCALE))
            continue
        scale = exp.Literal.number(10 ** MONEY_SCALE)
        units = exp.Round(this=exp.Mul(this=node.copy(), expression=scale.copy()),
                          decimals=exp.Literal.number(MONEY_SCALE + 1))
        node.replace(exp.Paren(this=exp.Div(this=_cut(units, 0),
                                            expression=exp.Literal.number(f"{scale.name}.0"))))
    return tree
