"""A number too large for the ``DECIMAL`` it is cast to stops with SQL Server's words, which
name the type converted from.

``CAST(100000 AS DECIMAL(4, 1))`` stops in SQL Server with error 8115, "Arithmetic overflow
error converting int to data type numeric.", and a ``FLOAT`` with "... converting float to
data type numeric." Every target stops too, but its words were all given as a decimal's
("converting numeric to data type numeric."), the one message leo-synth knew. So a cast (not
a ``TRY_CAST``) to a decimal of a value that is an ``int`` or a ``FLOAT`` for certain checks
it first: beyond the digits the decimal holds before its point (a ``FLOAT`` rounded to its
places first, as the conversion rounds it), the statement stops in SQL Server's words. Other
values (decimals, text, a ``BIGINT``) are left to the target, whose words stay a decimal's.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.error_messages import numeric_overflow
from leo_synth.tsql.integer_average import is_integer
from leo_synth.tsql.integer_casts import ColumnKinds
from leo_synth.tsql.text_bounds import raised
from leo_synth.tsql.try_conversions import decimal_digits
from leo_synth.tsql.value_rewrites import cast_parts, is_safe, value_slot

_FLOATS = (exp.DataType.Type.FLOAT, exp.DataType.Type.DOUBLE)


def source_type(value: exp.Expression, kinds: ColumnKinds, floats: dict[str, bool]
                ) -> str | None:
    """SQL Server's name of ``value``'s type where it is an ``int`` or ``float`` for
    certain (an integer whose every column is an ``int`` wherever met), else None."""
    while isinstance(value, exp.Paren):
        value = value.this
    if isinstance(value, exp.Column):
        name = value.name.lower()
        return "int" if kinds.ints.get(name) else "float" if floats.get(name) else None
    parts = cast_parts(value)
    if parts is not None and parts[1].is_type(*_FLOATS):
        return "float"
    if is_integer(value, kinds.integers) and all(
            kinds.ints.get(column.name.lower()) for column in value.find_all(exp.Column)):
        return "int"
    return None


def for_target(tree: exp.Expression, kinds: ColumnKinds, floats: dict[str, bool],
               dialect: str) -> exp.Expression:
    """``tree`` with each cast of an ``int`` or ``float`` to a decimal checked against the
    decimal's digits (``floats``: column names and whether they hold FLOATs wherever met)."""
    for node in list(tree.find_all(exp.Cast, exp.Convert)):
        parts = cast_parts(node)
        if parts is None or is_safe(node) or not parts[1].is_type(
                exp.DataType.Type.DECIMAL, exp.DataType.Type.BIGDECIMAL):
            continue
        value, to = parts
        source = source_type(value, kinds, floats)
        if source is None:
            continue
        precision, scale = decimal_digits(to)
        placed = value.copy() if source == "int" else exp.func(
            "ROUND", value.copy(), exp.Literal.number(scale))
        beyond = exp.GTE(this=exp.Abs(this=placed),
                         expression=exp.Literal.number(10 ** (precision - scale)))
        node.set(value_slot(node), exp.Case(
            ifs=[exp.If(this=beyond, true=raised(numeric_overflow("numeric", source),
                                                 dialect))],
            default=value.copy()))
    return tree
