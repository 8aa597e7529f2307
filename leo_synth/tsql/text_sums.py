"""``SUM`` or ``AVG`` of a text column stops the statement, as SQL Server stops it.

SQL Server adds up numbers only: ``SUM(Benefit_type)`` is error 8117 ("Operand data type
varchar is invalid for sum operator."), whatever the text holds, where SQLite gave 0 (for
``Benefit_type``'s codes) and DuckDB and PostgreSQL stopped in their own words.
A column counts as text where every table the script met holds it as text (a name that is a
number in another table is left to the target). The extract has no ``NVARCHAR`` columns, so
the message names ``varchar``; a #temp table's ``NVARCHAR`` column is named so too.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.error_messages import invalid_operand
from leo_synth.tsql.errors import ScriptError

OPERATORS = {exp.Sum: "sum", exp.Avg: "avg"}
"""The aggregates SQL Server refuses text (by the name its message gives)."""


def check(tree: exp.Expression, texts: dict[str, bool], line: int) -> None:
    """Stop, in SQL Server's words, at a ``SUM`` or ``AVG`` of a text column (``texts``:
    column names, lower case, and whether they hold text wherever met)."""
    for aggregate in tree.find_all(*OPERATORS):
        value = aggregate.this
        if isinstance(value, exp.Distinct) and len(value.expressions) == 1:
            value = value.expressions[0]
        if isinstance(value, exp.Column) and texts.get(value.name.lower()):
            raise ScriptError(line, invalid_operand("varchar", OPERATORS[type(aggregate)]))
