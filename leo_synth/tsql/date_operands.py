"""A ``DATE`` is no number: arithmetic with one, or comparing one with a number, stops.

Researchers used to other SQL write ``EndDate - StartDate`` for a spell's days, ``StartDate +
1`` for the next day or ``WHERE StartDate > 2015`` for a year. SQL Server refuses all three
when it compiles the batch: a ``DATE`` added to or compared with a number is error 206
("Operand type clash: date is incompatible with int"), and two dates taken one from the other
(or any ``DATE`` multiplied or divided) error 8117 ("Operand data type date is invalid for
subtract operator."). The targets answered instead, each its own way: SQLite read the date's
text as its year (``StartDate + 1`` was 2013, ``EndDate - StartDate`` -1, and every date was
above 2015), DuckDB and PostgreSQL counted days. So the script stops here as in the SRS
(``DATEDIFF(day, StartDate, EndDate)`` and ``DATEADD(day, 1, StartDate)`` are the T-SQL).

Only a value that is a ``DATE`` for certain is checked: a column met only as a ``DATE``
(never as a ``DATETIME``, which takes days added, nor as another type) that no derived table
or CTE of the statement makes, and a cast to ``DATE``. A ``DATETIME2`` is refused alike
(``@d + 1`` of a ``DATETIME2`` variable: "Operand type clash: datetime2 is incompatible
with int"; the targets added a day), where it is a cast.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.error_messages import invalid_operand
from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.integer_average import is_integer
from leo_synth.tsql.integer_casts import ColumnKinds
from leo_synth.tsql.value_rewrites import cast_parts

_OPERATORS = {exp.Add: "add", exp.Sub: "subtract", exp.Mul: "multiply", exp.Div: "divide",
              exp.Mod: "modulo"}
_COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE)


def made_names(tree: exp.Expression) -> set[str]:
    """The column names the statement's derived tables and CTEs make (lower case)."""
    names: set[str] = set()
    for named in tree.find_all(exp.Subquery, exp.CTE):
        query = named.this
        if isinstance(query, exp.Query):
            names.update(s.alias_or_name.lower() for s in query.selects if not s.is_star)
        alias = named.args.get("alias")
        if isinstance(alias, exp.TableAlias):
            names.update(c.name.lower() for c in alias.columns)
    return names


def _number_kind(node: exp.Expression, kinds: ColumnKinds) -> str | None:
    """SQL Server's name of the type of a number for certain (``int``, ``numeric``)."""
    while isinstance(node, exp.Paren):
        node = node.this
    if is_integer(node, kinds.integers):
        return "int"
    value = node.this if isinstance(node, exp.Neg) else node
    if isinstance(value, exp.Literal) and not value.is_string:
        return "numeric"
    return None


def date_for_certain(node: exp.Expression, kinds: ColumnKinds, moments: set[str],
                     made: set[str]) -> bool:
    """Whether ``node`` is a ``DATE`` for certain (see the module; ``made``: the statement's
    derived tables' and CTEs' column names, :func:`made_names`)."""
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.Column):
        name = node.name.lower()
        return (name in kinds.dates and name not in kinds.undated
                and name not in moments and name not in made)
    parts = None if node.args.get("style") else cast_parts(node)
    return parts is not None and parts[1].is_type(exp.DataType.Type.DATE)


def _datetime2(node: exp.Expression) -> bool:
    """Whether ``node`` is a cast to ``DATETIME2`` (a ``DATETIME2`` variable is one)."""
    while isinstance(node, exp.Paren):
        node = node.this
    parts = None if node.args.get("style") else cast_parts(node)
    return parts is not None and parts[1].is_type(exp.DataType.Type.DATETIME2)


def check(tree: exp.Expression, kinds: ColumnKinds, moments: set[str], line: int) -> None:
    """Raise SQL Server's error for a ``DATE`` or a ``DATETIME2`` in arithmetic or compared
    with a number (SQL Server's ``+`` and ``-`` take neither, as its documentation says; a
    ``DATETIME`` takes days); ``moments``: the column names ever met holding a date and
    time. A ``DATETIME2`` is known for certain as a cast (so a variable) alone."""
    made = made_names(tree)
    for node in tree.find_all(*_OPERATORS, *_COMPARISONS):
        sides = (node.this, node.expression)
        typed = ["date" if date_for_certain(side, kinds, moments, made) else
                 "datetime2" if _datetime2(side) else None for side in sides]
        if not any(typed):
            continue
        if all(typed) and typed[0] != typed[1]:
            continue  # (a DATE with a DATETIME2: not checked)
        kind = typed[0] or typed[1]
        operator = _OPERATORS.get(type(node))
        if operator is not None and (all(typed) or not isinstance(node, exp.Add | exp.Sub)):
            raise ScriptError(line, invalid_operand(kind, operator))
        if all(typed):
            continue  # (two dates compared)
        number = _number_kind(sides[1] if typed[0] else sides[0], kinds)
        if number is not None:
            raise ScriptError(line, f"Operand type clash: {kind} is incompatible with {number}")
