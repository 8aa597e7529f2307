"""An ``UNPIVOT`` of columns of different types stops, as in SQL Server.

SQL Server puts the columns an ``UNPIVOT`` lists in one column, and refuses columns whose types
differ (a ``float`` beside an ``int``, a ``varchar(4)`` beside a ``varchar(50)``) with error
8167 ("The type of column "KS4_ENTRIES" conflicts with the type of other columns specified in
the UNPIVOT list."): reshaping ``KS4_ATT8`` (a ``float``) and ``KS4_ENTRIES`` (an ``int``)
long stops in the SRS, where every target ran it; each column is cast to one type in a derived
table first. The columns are checked where their types are certain: an extract relation's
(from the spec) or a #temp table's that its ``CREATE TABLE`` declares.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError

Types = Callable[[exp.Table], Mapping[str, Hashable] | None]
"""The SQL Server types of a table's columns (by lower-case name), each as a value equal to
another column's only for the same type; None where they are not certain."""


def check(tree: exp.Expression, types_of: Types, line: int) -> None:
    """Stop with SQL Server's error 8167 where an ``UNPIVOT`` of a table lists columns of
    different types, naming the first whose type is not the first column's."""
    for table in tree.find_all(exp.Table):
        for pivot in table.args.get("pivots") or []:
            fields = pivot.args.get("fields") or []
            if not pivot.args.get("unpivot") or len(fields) != 1 or not isinstance(
                    fields[0], exp.In):
                continue
            types = types_of(table)
            listed = [c.name for c in fields[0].expressions if isinstance(c, exp.Column)]
            if types is None or not listed or any(n.lower() not in types for n in listed):
                continue
            first = types[listed[0].lower()]
            other = next((n for n in listed if types[n.lower()] != first), None)
            if other is not None:
                said = (f'The type of column "{other}" conflicts with the type of other columns '
                        "specified in the UNPIVOT list.")
                raise ScriptError(line, said, number=8167, said=said)
