"""``BIT`` columns of the script's own tables, as SQL Server keeps them.

Researchers flag rows in #temp tables with ``BIT`` columns (``CREATE TABLE #c (pmr
VARCHAR(20), fsm BIT)``). SQL Server keeps such a column 0 or 1, whatever a number put in it
(2 is 1, ``'true'`` 1), and refuses to add or average it: ``SUM(fsm)`` stops the batch with
"Operand data type bit is invalid for sum operator." (error 8117), so scripts write
``SUM(CAST(fsm AS INT))``. The targets kept the 2 and summed the flags, so a script that
would stop in the SRS ran here. The extract's own bits are ``leo_employment``'s
``UncertainStartDate`` and ``UncertainEndDate``, which the targets hold as small integers:
``SUM(UncertainStartDate)`` ran here and stops in the SRS. A bit compared with ``'true'`` or
``'false'`` (any case) compares with 1 or 0, as SQL Server converts the text to a bit, and
``~`` of a bit is its other value (the targets' ``~0`` is -1).

A column is known as a bit by its name, as the translator knows its other kinds: a name
every table met holds as a ``BIT`` (the spec's, declared so, or made by ``SELECT CAST(x AS
BIT) AS f INTO``, or copied from such a column).
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.error_messages import invalid_operand
from leo_synth.tsql.errors import ScriptError

AGGREGATES = {exp.Sum: "sum", exp.Avg: "avg", exp.Max: "max", exp.Min: "min"}
"""The aggregates SQL Server refuses a ``BIT`` (by the name its message gives)."""
BIT = exp.DataType.Type.BIT


def _is_bit_type(kind: object) -> bool:
    return isinstance(kind, exp.DataType) and kind.is_type(BIT)


def _is_bit(node: exp.Expression, bits: dict[str, bool]) -> bool:
    """Whether ``node`` is a bit for certain: a bit column, or a cast to ``BIT``."""
    node = node.unalias()
    if isinstance(node, exp.Column):
        return bits.get(node.name.lower(), False)
    if isinstance(node, exp.Cast | exp.TryCast):
        return _is_bit_type(node.args.get("to"))
    return isinstance(node, exp.Convert) and _is_bit_type(node.this)


def declared(tree: exp.Create, bits: dict[str, bool]) -> set[str]:
    """The ``BIT`` columns (lower case) of the table ``tree`` makes: those its column list
    declares so, or a ``SELECT ... INTO``'s bits."""
    if isinstance(tree.this, exp.Schema):
        return {column.name.lower() for column in tree.this.expressions
                if isinstance(column, exp.ColumnDef) and _is_bit_type(column.args.get("kind"))}
    if isinstance(tree.expression, exp.Select):
        return {projection.alias_or_name.lower() for projection in tree.expression.selects
                if _is_bit(projection, bits)}
    return set()


def check(tree: exp.Expression, bits: dict[str, bool], line: int) -> None:
    """Stop, in SQL Server's words, at a ``SUM``, ``AVG``, ``MAX`` or ``MIN`` of a bit."""
    for aggregate in tree.find_all(*AGGREGATES):
        if _is_bit(aggregate.this, bits):
            raise ScriptError(line, invalid_operand("bit", AGGREGATES[type(aggregate)]))


BIT_WORDS = {"TRUE": 1, "FALSE": 0}
"""The text SQL Server converts to a bit besides numbers."""


def for_target(tree: exp.Expression, bits: dict[str, bool]) -> None:
    """Put 1 or 0 for ``'true'`` or ``'false'`` where a bit is compared with one (``=``,
    ``<>``, ``IN``), as SQL Server converts the text (the targets compared an integer with
    text, and leo-synth stopped with a conversion error); ``~flag`` as ``1 - flag``."""
    for node in list(tree.find_all(exp.BitwiseNot)):
        if _is_bit(node.this, bits):
            node.replace(exp.Paren(this=exp.Sub(this=exp.Literal.number(1),
                                                expression=node.this.copy())))
    for node in list(tree.find_all(exp.EQ, exp.NEQ, exp.In)):
        if isinstance(node, exp.In):
            pairs = [(node.this, value) for value in node.expressions]
        else:
            pairs = [(node.this, node.expression), (node.expression, node.this)]
        for bit, other in pairs:
            if _is_bit(bit, bits) and isinstance(other, exp.Literal) and other.is_string and (
                    other.name.strip().upper() in BIT_WORDS):
                other.replace(exp.Literal.number(BIT_WORDS[other.name.strip().upper()]))
