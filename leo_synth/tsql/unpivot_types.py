"""An ``UNPIVOT`` of columns of different types stops, as in SQL Server.

SQL Server puts the columns an ``UNPIVOT`` lists in one column, and refuses columns whose types
differ (a ``float`` beside an ``int``, a ``varchar(4)`` beside a ``varchar(50)``) with error
8167 ("The type of column "KS4_ENTRIES" conflicts with the type of other columns specified in
the UNPIVOT list."): reshaping ``KS4_ATT8`` (a ``float``) and ``KS4_ENTRIES`` (an ``int``)
long stops in the SRS, where every target ran it; each column is cast to one type in a derived
table first. The columns are checked where their types are certain: an extract relation's
(from the spec) or a #temp table's that its ``CREATE TABLE`` declares, and such a column a
derived table or a CTE passes on as it is (``FROM (SELECT pmr, KS1_READING, KS1_SCIENCE FROM
... ) s UNPIVOT (lev FOR subject IN (KS1_READING, KS1_SCIENCE))``, a ``varchar(2)`` beside a
``varchar(1)``, as analysts pick the columns to reshape).
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
    for table in tree.find_all(exp.Table, exp.Subquery):
        for pivot in table.args.get("pivots") or []:
            fields = pivot.args.get("fields") or []
            if not pivot.args.get("unpivot") or len(fields) != 1 or not isinstance(
                    fields[0], exp.In):
                continue
            types = _types(table, tree, types_of, 0)
            listed = [c.name for c in fields[0].expressions if isinstance(c, exp.Column)]
            if types is None or not listed or any(n.lower() not in types for n in listed):
                continue
            first = types[listed[0].lower()]
            other = next((n for n in listed if types[n.lower()] != first), None)
            if other is not None:
                said = (f'The type of column "{other}" conflicts with the type of other columns '
                        "specified in the UNPIVOT list.")
                raise ScriptError(line, said, number=8167, said=said)


def _types(source: exp.Expression, tree: exp.Expression, types_of: Types, depth: int
           ) -> Mapping[str, Hashable] | None:
    """The certain types of the columns of a FROM source: a table's (``types_of``), or
    those a derived table or a CTE of ``tree`` passes on unchanged from its own source (a
    column, under its name or another; ``*``)."""
    query: exp.Expression | None = None
    if isinstance(source, exp.Subquery):
        query = source.this
    elif isinstance(source, exp.Table):
        query = next((cte.this for cte in tree.find_all(exp.CTE) if not source.db
                      and cte.alias.lower() == source.name.lower()), None)
        if query is None:
            return types_of(source)
    if not isinstance(query, exp.Select) or depth > 16:
        return None
    froms = [query.args["from_"].this] if query.args.get("from_") else []
    froms += [join.this for join in query.args.get("joins") or []]
    named = {f.alias_or_name.lower(): f for f in froms}
    found: dict[str, Hashable] = {}
    for projection in query.selects:
        value = projection.unalias()
        if isinstance(value, exp.Star) and len(froms) == 1:
            found.update(_types(froms[0], tree, types_of, depth + 1) or {})
            continue
        if not isinstance(value, exp.Column) or isinstance(value.this, exp.Star):
            continue
        read = named.get(value.table.lower()) if value.table else (
            froms[0] if len(froms) == 1 else None)
        types = None if read is None else _types(read, tree, types_of, depth + 1)
        if types is not None and value.name.lower() in types:
            found[projection.alias_or_name.lower()] = types[value.name.lower()]
    return found
