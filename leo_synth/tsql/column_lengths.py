"""``COL_LENGTH('table', 'column')``: the bytes a column is declared to take, NULL without it.

The extract's columns change year by year (``leo_schema.md`` 2.4: ``FSMeligible`` from one
census, ``Sex`` for ``Gender`` in another), and a script that names a missing column stops.
Scripts that loop over the years test for a column first:
``IF COL_LENGTH('NPD_i2.dbo.spring_census_2014', 'FSMeligible_SPR14') IS NOT NULL ...``. The
call is worked out while translating (the targets have no such function), as ``OBJECT_ID``
is: the extract's columns by the spec's types, as ``sys.columns`` shows their
``max_length``; a session table's by what the script declared, or by its kind (an
``NVARCHAR(n)`` of a #temp table gives n, where SQL Server gives its 2n bytes: the session
keeps text lengths, not whether the text is national).

A session table's column gives the ``max_length`` ``tempdb.sys.columns`` shows for it (the
two share the translator's description of the table). Rejected: a subquery of the catalog
views in the call's place, which a statement of no ``FROM`` reads once per call.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from leo_synth.spec.model import ColumnSpec
from leo_synth.tsql.catalog_views import column_type
from leo_synth.tsql.targets import DATE, FLOAT, INT, INTEGER, TEXT


def spec_length(spec: ColumnSpec) -> int:
    """The ``max_length`` of an extract's column, as ``sys.columns`` has it (-1: ``MAX``)."""
    return column_type(spec)[2]


KIND_TYPES = {INT: "int", INTEGER: "bigint", FLOAT: "float", DATE: "date", TEXT: "varchar"}
"""SQL Server's type of a session table's column by the kind the target holds it as
(targets.py)."""


def session_type(kind: str, decimal: tuple[int, int] | None, datetime: bool, bit: bool
                 ) -> str:
    """The SQL Server type name of a session table's column of the target's ``kind``, with
    what the script declared of it (a decimal type, a ``DATETIME``, a ``BIT``): ``datetime``
    for any other number the script did not declare (``catalog_views.session_column`` gives
    its bytes)."""
    if bit:
        return "bit"
    if datetime:
        return "datetime"
    if decimal is not None:
        return "decimal"
    return KIND_TYPES.get(kind, "datetime")


def replaced(tree: exp.Expression, length: Callable[[str, str], int | None],
             constant: Callable[[exp.Expression], str | None]) -> exp.Expression:
    """``tree`` with each ``COL_LENGTH`` of names it can work out (literals, variables, text
    built of them: ``constant``) replaced by ``length(table, column)``, or NULL."""
    for call in list(tree.find_all(exp.Anonymous)):
        if call.name.upper() != "COL_LENGTH" or len(call.expressions) != 2:
            continue
        if any(arg.find(exp.Column, exp.Select) for arg in call.expressions):
            continue  # (names read from a table: left to the target, which says so)
        table, column = (arg.name if isinstance(arg, exp.National) or (
            isinstance(arg, exp.Literal) and arg.is_string) else constant(arg)
            for arg in call.expressions)
        found = None if table is None or column is None else length(table, column)
        call.replace(exp.Null() if found is None else exp.Literal.number(found))
    return tree
