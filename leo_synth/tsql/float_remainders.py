"""``%`` with a ``FLOAT`` operand stops the statement, as SQL Server stops it.

SQL Server's modulo takes integers, decimals and money, never a ``float`` or ``real``:
``CAST(pay AS FLOAT) % 2`` is error 402 when the batch compiles ("The data types float and int
are incompatible in the modulo operator."), whatever the values. The targets answered instead:
SQLite took both operands as integers (``CAST(5.5 AS FLOAT) % 2`` was 1.0), DuckDB gave the
float's remainder (1.5) and PostgreSQL stopped in its own words. So a ``%`` with an operand
that is a ``FLOAT`` for certain (``float_texts.is_float``: a cast to one, ``SQRT``, ``LOG``,
a FLOAT column, a literal with an exponent) stops here with SQL Server's message, when the
other operand's type is known well enough to be named as SQL Server names it
(:func:`type_name`); otherwise the statement is left to the target. sqlglot reads ``REAL``
as a ``FLOAT``, so a cast to ``REAL`` is named ``float``.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.float_texts import is_float
from leo_synth.tsql.integer_casts import ColumnKinds
from leo_synth.tsql.value_rewrites import cast_parts

INT_MAX = 2**31 - 1
"""The largest integer literal SQL Server types as an ``int`` (a larger one is numeric)."""
_INTEGER_NAMES = {exp.DataType.Type.TINYINT: "tinyint", exp.DataType.Type.UTINYINT: "tinyint",
                  exp.DataType.Type.SMALLINT: "smallint", exp.DataType.Type.INT: "int",
                  exp.DataType.Type.BIGINT: "bigint"}
"""SQL Server's names of the integer types a cast gives."""


def incompatible(left: str, right: str) -> str:
    """SQL Server's error 402 for ``%`` between types ``left`` and ``right``."""
    return f"The data types {left} and {right} are incompatible in the modulo operator."


def type_name(node: exp.Expression, kinds: ColumnKinds, floats: dict[str, bool]) -> str | None:
    """SQL Server's name of ``node``'s number type when known for certain (``float``,
    ``int``, ``bigint``, ``numeric`` for a literal with a point), else None."""
    while isinstance(node, exp.Paren):
        node = node.this
    if is_float(node, floats):
        return "float"
    value = node.this if isinstance(node, exp.Neg) else node
    if isinstance(value, exp.Literal) and not value.is_string:
        whole = value.name.isdigit()
        return "int" if whole and int(value.name) <= INT_MAX else "numeric"
    parts = cast_parts(node)
    if parts is not None:
        return _INTEGER_NAMES.get(parts[1].this)
    if isinstance(node, exp.Column) and kinds.integers.get(node.name.lower(), False):
        return "int" if kinds.ints.get(node.name.lower(), False) else "bigint"
    if isinstance(node, exp.Count):
        return "int"
    return None


def check(tree: exp.Expression, kinds: ColumnKinds, floats: dict[str, bool],
          line: int) -> None:
    """Stop, in SQL Server's words, at a ``%`` one of whose operands is a FLOAT for certain
    and the other of a type that can be named (``floats``: column names, lower case, and
    whether they hold a FLOAT wherever met)."""
    for node in tree.find_all(exp.Mod):
        names = [type_name(side, kinds, floats) for side in (node.this, node.expression)]
        if "float" in names and None not in names:
            raise ScriptError(line, incompatible(names[0], names[1]))
