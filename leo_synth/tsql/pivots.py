"""T-SQL's ``PIVOT`` and ``UNPIVOT``, which none of the targets shares, as plain SQL.

``FROM src PIVOT (SUM(v) FOR k IN ([a], [b])) AS p`` is a derived table grouped by every other
column of ``src``, one aggregate per listed value: ``(SELECT g..., SUM(CASE WHEN k = 'a' THEN v
END) AS [a], ... FROM src GROUP BY g...) AS p``. ``FROM src UNPIVOT (v FOR k IN (a, b)) AS u``
is one SELECT per listed column, joined by ``UNION ALL``, NULL values left out (as SQL Server
does). Both need the columns of ``src``, which the target gives (a query of no rows), whatever
``src`` is: a relation, a #temp table or a subquery. The values of ``IN`` are compared as text
(``CAST(k AS VARCHAR) = '2015'``): SQL Server converts them to the type of ``k``, and text is
what every target can compare an integer, a code or a date with.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError

Columns = Callable[[exp.Expression, exp.Expression], list[str]]
"""The column names of a FROM source (a table or a subquery, with its alias, without its
PIVOT), from the target, given where in the statement the source stands."""


def for_target(tree: exp.Expression, columns: Columns, line: int) -> exp.Expression:
    """The tree with every PIVOT and UNPIVOT written out (innermost first)."""
    for source in reversed(list(tree.find_all(exp.Table, exp.Subquery, exp.Values))):
        pivots = source.args.get("pivots") or []
        if not pivots:
            continue
        if len(pivots) > 1:
            raise ScriptError(line, "one PIVOT or UNPIVOT per table is translated")
        pivot = pivots[0]
        plain = source.copy()
        plain.set("pivots", None)
        alias = pivot.args.get("alias") or exp.TableAlias(this=exp.to_identifier("p"))
        names = columns(plain, source)
        select = _unpivoted(plain, pivot, names, line) if pivot.args.get("unpivot") else (
            _pivoted(plain, pivot, names, line))
        source.replace(exp.Subquery(this=select, alias=alias.copy()))
    return tree


def _name(node: exp.Expression) -> str:
    return node.name if isinstance(node, exp.Column | exp.Identifier) else node.sql("tsql")


def _field(pivot: exp.Pivot, line: int) -> exp.In:
    fields = pivot.args.get("fields") or []
    if len(fields) != 1 or not isinstance(fields[0], exp.In):
        raise ScriptError(line, "PIVOT and UNPIVOT need FOR column IN (...)")
    return fields[0]


def headings(names: list[str], pivot: exp.Pivot) -> list[str] | None:
    """The columns of a source of columns ``names`` pivoted (or unpivoted) by ``pivot``, as
    the script spells them, in the order the translation gives them; None for a form that
    is not translated."""
    fields = pivot.args.get("fields") or []
    if len(fields) != 1 or not isinstance(fields[0], exp.In) or len(pivot.expressions) != 1:
        return None
    field = fields[0]
    kept = _kept(names, pivot, field)
    if pivot.args.get("unpivot"):
        return [*kept, _name(field.this), _name(pivot.expressions[0])]
    return kept + [_name(value) for value in field.expressions]


def _kept(names: list[str], pivot: exp.Pivot, field: exp.In) -> list[str]:
    """The source's columns a PIVOT groups by (all but its key and its aggregate's columns)
    or an UNPIVOT keeps (all but those it lists)."""
    if pivot.args.get("unpivot"):
        used = {_name(c).lower() for c in field.expressions}
    else:
        used = {_name(field.this).lower()} | {
            c.name.lower() for c in pivot.expressions[0].find_all(exp.Column)}
    return [n for n in names if n.lower() not in used]


def _pivoted(source: exp.Expression, pivot: exp.Pivot, names: list[str], line: int
             ) -> exp.Select:
    aggregates = pivot.expressions
    if len(aggregates) != 1 or not isinstance(aggregates[0], exp.AggFunc):
        raise ScriptError(line, "PIVOT needs one aggregate, such as SUM(x) or COUNT(x)")
    aggregate = aggregates[0]
    field = _field(pivot, line)
    key = field.this
    groups = [exp.column(n, quoted=True) for n in _kept(names, pivot, field)]
    pivoted = []
    for value in field.expressions:
        text = _name(value)
        match = exp.EQ(this=exp.cast(exp.column(_name(key), quoted=True),
                                     exp.DataType.build("VARCHAR")),
                       expression=exp.Literal.string(text))
        each = aggregate.copy()
        argument = each.this
        each.set("this", exp.Case(ifs=[exp.If(this=match, true=argument)]))
        pivoted.append(exp.alias_(each, text, quoted=True))
    select = exp.select(*groups, *pivoted).from_(source)
    return select.group_by(*[g.copy() for g in groups]) if groups else select


def _unpivoted(source: exp.Expression, pivot: exp.Pivot, names: list[str], line: int
               ) -> exp.Expression:
    values = pivot.expressions
    if len(values) != 1:
        raise ScriptError(line, "UNPIVOT needs one value column: UNPIVOT (v FOR k IN (...))")
    value_name = _name(values[0])
    field = _field(pivot, line)
    key_name = _name(field.this)
    listed = [_name(c) for c in field.expressions]
    kept = _kept(names, pivot, field)
    parts = []
    for column in listed:
        cell = exp.column(column, quoted=True)
        parts.append(exp.select(*[exp.column(n, quoted=True) for n in kept],
                                exp.alias_(exp.Literal.string(column), key_name, quoted=True),
                                exp.alias_(cell.copy(), value_name, quoted=True))
                     .from_(source.copy()).where(exp.Not(this=exp.Is(this=cell,
                                                                      expression=exp.Null()))))
    union: exp.Expression = parts[0]
    for part in parts[1:]:
        union = exp.union(union, part, distinct=False)
    return union
