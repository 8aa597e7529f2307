"""``POWER(x, y)``, ``SIGN``, ``ROUND``, ``FLOOR`` and ``CEILING`` have the type of their
first argument, as SQL Server gives it.

SQL Server's ``POWER`` returns its first argument's type: an ``int`` for an integer (the
power truncated, as a float converted to an ``int`` is: ``POWER(2, 0.5)`` is 1,
``POWER(2, -1)`` 0), a ``DECIMAL(38, s)`` for a decimal of scale ``s`` (``POWER(1.02, 5)``,
an inflation factor, is 1.10, and ``POWER(2.0, 0.5)`` 1.4), a float for a float. The
targets computed a float or a numeric of many places (1.1040808032, 1.4142135624), so an
earnings series uprated with ``POWER(1.02, n)`` gave other pounds than in the SRS. The power
is cast to SQL Server's type (whose display and rounding the casts' own rules then give);
where the first argument's type is not known for certain (``decimal_types``: a float, text,
a column of the extract that is not an integer), it is left as the target computes it.
``SQUARE`` is always a float (the parser reads it so, ``script``). ``SIGN``, ``ROUND``,
``FLOOR`` and ``CEILING`` of an integer are an integer of its type too: the disclosure
rounding ``ROUND(COUNT(*), -1)``, ``ROUND(Earnings, -2) / 7`` and ``FLOOR(Earnings / 1000)
/ 2`` divide as integers, and an average of them is truncated (the targets' were floats or
numerics on one target or another: 7.5 for ``FLOOR(15) / 2``, 0.5 for ``SIGN(n) / 2``).
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.decimal_types import number_type
from leo_synth.tsql.integer_casts import ColumnKinds

INT_PRECISION = 10
"""The digits of an ``int``: an integer of more (a ``bigint``) keeps a ``bigint``."""


def for_target(tree: exp.Expression, columns: ColumnKinds) -> exp.Expression:
    """The tree with each ``POWER`` whose first argument's type is known cast to it, and
    each ``SIGN``, ``ROUND``, ``FLOOR`` and ``CEILING`` of an integer cast to its type."""
    # deepest first (a breadth-first list, reversed): an inner power is typed before the
    # power whose argument it is
    for node in reversed(list(tree.find_all(exp.Pow))):
        base = number_type(node.this, columns)
        if base is None or base.money:
            continue
        if base.integer:
            to = "BIGINT" if base.precision > INT_PRECISION else "INT"
        else:
            to = f"DECIMAL(38, {base.scale})"
        node.replace(exp.cast(node.copy(), exp.DataType.build(to, dialect="tsql")))
    # (of integer_average.ARGUMENT_TYPED, those a target types otherwise: ABS and NULLIF of
    # an integer are an integer on every target)
    for node in list(tree.find_all(exp.Sign, exp.Round, exp.Floor, exp.Ceil)):
        base = number_type(node.this, columns)
        if base is not None and base.integer and not base.money:
            to = "BIGINT" if base.precision > INT_PRECISION else "INT"
            node.replace(exp.cast(node.copy(), exp.DataType.build(to)))
    return tree
