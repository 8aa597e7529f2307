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
(never as a ``DATETIME``, which takes days added, nor as another type), a cast to ``DATE``,
and a column of the statement's derived tables and CTEs that is one of those (or the ``MIN``
or ``MAX`` of one) wherever they make it (:func:`made_names`). A ``DATETIME2`` is refused alike
(``@d + 1`` of a ``DATETIME2`` variable: "Operand type clash: datetime2 is incompatible
with int"; the targets added a day), where it is a cast.

``AVG(StartDate)`` (a cohort's mean start date) and ``SUM`` of a ``DATE`` are error 8117 too
("Operand data type date is invalid for avg operator."): SQLite averaged the dates' years
(2012.248731 for the benefit spells of a small run), DuckDB gave a moment and PostgreSQL
stopped in its own words. The SRS's way is ``DATEADD(day, AVG(DATEDIFF(day, '19000101',
StartDate)), '19000101')``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlglot import exp

from leo_synth.tsql.derived_columns import made_items, passed_name
from leo_synth.tsql.error_messages import invalid_operand
from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.integer_average import is_integer
from leo_synth.tsql.integer_casts import ColumnKinds
from leo_synth.tsql.value_rewrites import cast_parts

_OPERATORS = {exp.Add: "add", exp.Sub: "subtract", exp.Mul: "multiply", exp.Div: "divide",
              exp.Mod: "modulo"}
_COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE)
_AGGREGATES = {exp.Sum: "sum", exp.Avg: "avg"}
"""The aggregates SQL Server refuses a ``DATE`` (by the name its message gives)."""


@dataclass(frozen=True)
class MadeNames:
    """The column names (lower case) a statement's derived tables and CTEs make, and those of
    them that are a ``DATE`` for certain wherever made."""

    names: frozenset[str]
    dates: frozenset[str]


def made_names(tree: exp.Expression, kinds: ColumnKinds, moments: set[str]) -> MadeNames:
    """The column names the statement's derived tables and CTEs make, and which are dates.

    A made name is a ``DATE`` for certain when every select item making it (in any derived
    table, CTE or ``UNION`` branch of the statement) is one: a cast to ``DATE``, the ``MIN``
    or ``MAX`` of one, or a column that is (a table's column met only as a ``DATE``, or a
    made date). Found as the largest set that holds (a name passed through unchanged,
    ``SELECT StartDate FROM t``, must be a table's date). Names are not scoped: a name made
    as a date in one derived table and as text in another is no date anywhere."""
    made = made_items(tree)
    dates = set(made)
    while True:
        lost = {name for name in dates
                if not all(_made_date(name, item, kinds, moments, made, dates)
                           for item in made[name])}
        if not lost:
            return MadeNames(frozenset(made), frozenset(dates))
        dates -= lost


def _made_date(name: str, item: exp.Expression, kinds: ColumnKinds, moments: set[str],
               made: dict[str, list[exp.Expression]], dates: set[str]) -> bool:
    """Whether a select item making ``name`` is a ``DATE`` for certain, given the made names
    that are taken to be (``dates``). An item of the same name (``SELECT d FROM ...``) is
    one when it may only come from a table's column met only as a ``DATE`` or from another
    item making the name that is not the name itself (not a function's column that no
    derived table makes, ``GENERATE_SERIES``'s ``value``)."""
    while isinstance(item, exp.Paren | exp.Min | exp.Max):
        item = item.this
    if isinstance(item, exp.Column):
        column = item.name.lower()
        if column != name:
            return _date_column(column, kinds, moments, made.keys(), dates)
        if column in kinds.texts:  # (met in a table: it may be the table's)
            return _date_column(column, kinds, moments, (), ())
        return name in dates and any(passed_name(other) != name for other in made[name])
    parts = None if item.args.get("style") else cast_parts(item)
    return parts is not None and parts[1].is_type(exp.DataType.Type.DATE)


def _date_column(name: str, kinds: ColumnKinds, moments: set[str],
                 made: Collection[str], dates: Collection[str]) -> bool:
    """Whether a column of this name is a ``DATE`` for certain: a made name must be a made
    date, and a name ever met in a table (``kinds.texts`` holds every name met) must be met
    only as a ``DATE`` too, since the column may be the table's."""
    if name in made and name not in dates:
        return False
    if name in kinds.texts or name not in made:
        return name in kinds.dates and name not in kinds.undated and name not in moments
    return True


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
                     made: MadeNames) -> bool:
    """Whether ``node`` is a ``DATE`` for certain (see the module; ``made``: the statement's
    derived tables' and CTEs' column names, :func:`made_names`)."""
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.Column):
        return _date_column(node.name.lower(), kinds, moments, made.names, made.dates)
    parts = None if node.args.get("style") else cast_parts(node)
    return parts is not None and parts[1].is_type(exp.DataType.Type.DATE)


def _datetime2(node: exp.Expression) -> bool:
    """Whether ``node`` is a cast to ``DATETIME2`` (a ``DATETIME2`` variable is one)."""
    while isinstance(node, exp.Paren):
        node = node.this
    parts = None if node.args.get("style") else cast_parts(node)
    return parts is not None and parts[1].is_type(exp.DataType.Type.DATETIME2)


def _qualifiers(tree: exp.Expression) -> set[str]:
    """The names (lower case, without ``#``) that may qualify a column of ``tree``: its
    tables', derived tables' and CTEs' names and aliases."""
    named = tree.find_all(exp.Table, exp.Subquery, exp.CTE, exp.Lateral)
    return {node.alias_or_name.lower().lstrip("#") for node in named} | {
        table.name.lower().lstrip("#") for table in tree.find_all(exp.Table)}


def check(tree: exp.Expression, kinds: ColumnKinds, moments: set[str], line: int) -> None:
    """Raise SQL Server's error for a ``DATE`` or a ``DATETIME2`` in arithmetic or compared
    with a number (SQL Server's ``+`` and ``-`` take neither, as its documentation says; a
    ``DATETIME`` takes days); ``moments``: the column names ever met holding a date and
    time. A ``DATETIME2`` is known for certain as a cast (so a variable) alone."""
    made = made_names(tree, kinds, moments)
    bound = _qualifiers(tree)
    for aggregate in tree.find_all(*_AGGREGATES):
        value = aggregate.this
        if isinstance(value, exp.Distinct) and len(value.expressions) == 1:
            value = value.expressions[0]
        if date_for_certain(value, kinds, moments, made):
            raise ScriptError(line, invalid_operand("date", _AGGREGATES[type(aggregate)]))
    for node in tree.find_all(*_OPERATORS, *_COMPARISONS):
        sides = (node.this, node.expression)
        if any(isinstance(side, exp.Column) and side.table and side.table.lower().lstrip("#")
               not in bound for side in sides):
            continue  # (a qualifier naming no table: SQL Server's error 4104 comes first)
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
