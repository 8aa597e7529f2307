"""``-``, ``*``, ``/`` or ``%`` between two texts stops the statement, as SQL Server stops it.

SQL Server's ``+`` joins two texts, but its other arithmetic operators take no text on both
sides: ``SELECT '2' * '3'`` is error 402 when the batch compiles ("The data types varchar and
varchar are incompatible in the multiply operator."), whatever the texts hold. A text beside
a number is converted to the number's type (``'2' * 3`` is 6), so only text on both sides is
refused. SQLite read both texts as numbers (6), DuckDB and PostgreSQL stopped in their own
words. So such an operator whose operands are both text for certain (a string literal, ``N''``
an ``nvarchar``; a cast to a text type; a column that is text wherever met, an ``nvarchar``
when a table of the script declares it so) stops here with SQL Server's message; an operand
of unknown type leaves the statement to the target.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from leo_synth.tsql import char_padding
from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.value_rewrites import cast_parts

OPERATORS = {exp.Sub: "subtract", exp.Mul: "multiply", exp.Div: "divide", exp.Mod: "modulo"}
"""The operators SQL Server refuses two texts, by the name its message gives them."""
_TEXT_NAMES = {exp.DataType.Type.VARCHAR: "varchar", exp.DataType.Type.NVARCHAR: "nvarchar",
               exp.DataType.Type.CHAR: "char", exp.DataType.Type.NCHAR: "nchar"}
"""SQL Server's names of the text types a cast gives."""


def incompatible(left: str, right: str, operator: str) -> str:
    """SQL Server's error 402 for ``operator`` (``multiply``, ...) between types ``left`` and
    ``right``."""
    return f"The data types {left} and {right} are incompatible in the {operator} operator."


def text_type(node: exp.Expression, texts: dict[str, bool],
              unicode: Callable[[str], bool]) -> str | None:
    """SQL Server's name of ``node``'s text type when it is text for certain, else None
    (``texts``: column names, lower case, and whether they hold text wherever met;
    ``unicode``: whether a table of the script declares the column ``NVARCHAR``)."""
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.National):
        return "nvarchar"
    if char_padding.type_name(node) is not None:
        return char_padding.type_name(node)
    if isinstance(node, exp.Literal):
        return "varchar" if node.is_string else None
    parts = cast_parts(node)
    if parts is not None:
        return _TEXT_NAMES.get(parts[1].this)
    if isinstance(node, exp.Column) and texts.get(node.name.lower(), False):
        return "nvarchar" if unicode(node.name.lower()) else "varchar"
    return None


def check(tree: exp.Expression, texts: dict[str, bool], unicode: Callable[[str], bool],
          line: int) -> None:
    """Stop, in SQL Server's words, at ``-``, ``*``, ``/`` or ``%`` between two operands that
    are text for certain."""
    for node in tree.find_all(*OPERATORS):
        names = [text_type(side, texts, unicode) for side in (node.this, node.expression)]
        if None not in names:
            raise ScriptError(line, incompatible(names[0], names[1], OPERATORS[type(node)]))
