"""A decimal quotient held at its type's places before anything is computed from it.

SQL Server divides decimals into a ``DECIMAL(p, s)`` whose scale its rules fix (at least six
places, ``decimal_types``), rounding the quotient there; what is computed from the quotient
is computed from that rounded value. So ``1.0 / 3 * 3`` is ``0.999999``, a share written as
``1.0 * SUM(neet) / COUNT(*) * 100`` is ``33.333333333300`` (the quotient's twelve places,
then the product), and the weights ``1.0 / COUNT(*) OVER (PARTITION BY pmr)`` of a pupil's
three placements add up to ``0.999999999999``. The targets went on with the whole quotient
(SQLite's and DuckDB's float, PostgreSQL's sixteen or more places): ``1.000000``,
``33.333333333333``. A quotient shown as it is was already shown at its places
(``decimal_scales``); one that is an operand, an aggregate's or a cast's argument, or compared
is now rounded to its scale first, on every target, half away from zero as SQL Server rounds.
Only quotients whose type is known for certain are rounded (``decimal_types``: not a float's,
a column's of unknown type, an integer's, which the targets divide as integers, nor a
``MONEY``'s, which ``money_quotients`` cuts off).
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.decimal_types import number_type
from leo_synth.tsql.integer_casts import ColumnKinds


def _shown_as_is(node: exp.Expression, tree: exp.Expression) -> bool:
    """Whether ``node``'s value is a projection of the statement's query as it is, shown at
    its scale already (``decimal_scales``), so that rounding it changes nothing; a
    ``SELECT ... INTO``'s is kept, and is rounded."""
    parent = node.parent
    while isinstance(parent, exp.Paren):
        node, parent = parent, parent.parent
    if isinstance(parent, exp.Alias):
        node, parent = parent, parent.parent
    return parent is tree and node.arg_key == "expressions" and not tree.args.get("into")


def for_target(tree: exp.Expression, columns: ColumnKinds) -> exp.Expression:
    """The tree with each decimal quotient of known type that something is computed from
    rounded to its scale (see the module's docstring)."""
    found = []
    for node in tree.find_all(exp.Div):
        typed = number_type(node, columns)
        if typed is None or typed.integer or typed.money or _shown_as_is(node, tree):
            continue
        found.append((node, typed.scale))
    for node, scale in found:
        wrapper = exp.Round(decimals=exp.Literal.number(scale))
        node.replace(wrapper)
        wrapper.set("this", node)
    return tree
