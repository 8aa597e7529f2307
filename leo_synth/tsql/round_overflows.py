"""``ROUND`` of a decimal that rounds past its type's digits stops, as SQL Server stops it.

SQL Server's ``ROUND`` of a ``DECIMAL(p, s)`` is a ``DECIMAL(p, s)``: when the rounded value
needs more than ``p - s`` digits before the point, it does not fit, and the query fails with
error 8115, "Arithmetic overflow error converting expression to data type numeric." Its
documentation's example is ``ROUND(748.58, -3)``: the literal is a ``decimal(5, 2)``, which
cannot hold 1000.00; ``ROUND(CAST(9.99 AS DECIMAL(3, 2)), 0)`` fails the same way. The targets
widened the value and gave 1000.00 and 10.00.

So each ``ROUND`` whose argument is a decimal of a type known for certain
(``decimal_types``) is checked: when the magnitude of its value reaches ``10 ** (p - s)``,
the query stops with SQL Server's message, by the target's own means
(``text_bounds.raised``). Left alone: a length at or above the scale (nothing is rounded),
truncation (``ROUND(x, n, 1)`` never grows), and arguments that are integers (``ROUND(
COUNT(*), -1)``), ``MONEY`` (nineteen digits) or of unknown type (a float does not overflow).
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.decimal_types import number_type
from leo_synth.tsql.error_messages import expression_overflow
from leo_synth.tsql.integer_casts import ColumnKinds
from leo_synth.tsql.text_bounds import literal_number, raised


def _may_grow(node: exp.Round, scale: int) -> bool:
    """Whether ``node`` can give a value of more digits before the point than its argument:
    not when it truncates, nor when its length keeps every place of the scale."""
    truncate = literal_number(node.args.get("truncate"))
    if node.args.get("truncate") is not None and truncate != 0:
        return False  # (a truncation, or a flag not known: SQL Server truncates unless 0)
    length = literal_number(node.args.get("decimals") or exp.Literal.number(0))
    return length is None or length < scale


def for_target(tree: exp.Expression, columns: ColumnKinds, dialect: str
               ) -> tuple[exp.Expression, bool]:
    """The tree with each ``ROUND`` of a decimal of known type checked for overflow; and
    whether PostgreSQL's session function is called (``text_bounds.POSTGRES_SETUP``)."""
    raising = False
    for node in list(tree.find_all(exp.Round)):
        typed = number_type(node.this, columns)
        if typed is None or typed.integer or typed.money or not _may_grow(node, typed.scale):
            continue
        limit = exp.Literal.number(10 ** (typed.precision - typed.scale))
        over = exp.GTE(this=exp.Abs(this=node.copy()), expression=limit)
        node.replace(exp.Case(ifs=[exp.If(this=over, true=raised(
            expression_overflow("numeric"), dialect))], default=node.copy()))
        raising = True
    return tree, raising
