"""In a grouped query, a column is read only through its group or an aggregate.

``SELECT Benefit_type, EduKey, COUNT(*) FROM leo_benefit GROUP BY Benefit_type`` stops SQL
Server with "Column 'leo_benefit.EduKey' is invalid in the select list because it is not
contained in either an aggregate function or the GROUP BY clause." SQLite, the default output,
runs it and gives some row's ``EduKey`` for each group, so the mistake passed here and failed
in the SRS (DuckDB and PostgreSQL stop, in their own words). So a query that groups (``GROUP
BY``, or an aggregate in its select list or ``HAVING``) has its select list, ``HAVING`` and
``ORDER BY`` checked: each column must be a ``GROUP BY`` expression or inside one, or inside
an aggregate (a window function's arguments, partitions and order likewise: ``SUM(SUM(n))
OVER ()``); an ``ORDER BY`` may name the select list's aliases. What cannot be judged is let
through, so that the check never stops a script SQL Server would run: a subquery (its columns
are its own), a function sqlglot does not know (it may be an aggregate, ``VARP``,
``CHECKSUM_AGG``), and in a subquery that may read its outer query (scalar, ``IN``,
``EXISTS``, ``APPLY``) a column that is not plainly one of its own tables'. A column that no
table of the query has is left to the target's "Invalid column name" (SQL Server's 207,
which it reports first).
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.alias_scope import Columns, available_columns, common_tables
from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.rewrites import from_sources

CLAUSES = {"select": "select list", "having": "HAVING clause", "order": "ORDER BY clause"}


def expression_key(node: exp.Expression) -> str:
    """An expression as compared with another (the GROUP BY's, a SELECT DISTINCT's
    projections): its T-SQL, in lower case."""
    return node.sql(dialect="tsql").lower()


def _group_expressions(group: exp.Group | None) -> list[exp.Expression]:
    """The GROUP BY's expressions, those inside ROLLUP, CUBE and GROUPING SETS included."""
    if group is None:
        return []
    found: list[exp.Expression] = []
    pending = list(group.expressions) + [
        e for k in ("rollup", "cube", "grouping_sets") for e in group.args.get(k) or []]
    while pending:
        node = pending.pop()
        if isinstance(node, exp.Rollup | exp.Cube | exp.GroupingSets | exp.Tuple):
            pending.extend(node.expressions)
        elif isinstance(node, exp.Paren):  # (a one-column grouping set: ``GROUPING SETS ((a))``)
            pending.append(node.this)
        else:
            found.append(node)
    return found


def _aggregates(select: exp.Select) -> bool:
    """Whether the query aggregates: an aggregate of its own (no window's) in its select list
    or HAVING."""
    places = [*select.selects, select.args.get("having")]
    return any(a.find_ancestor(exp.Select) is select and not a.find_ancestor(exp.Window)
               for place in places if place is not None for a in place.find_all(exp.AggFunc))


class _Groups:
    """A grouped query's GROUP BY, as what may be read through it."""

    def __init__(self, select: exp.Select):
        expressions = _group_expressions(select.args.get("group"))
        self.keys = {expression_key(e) for e in expressions}
        self.columns = [c for c in expressions if isinstance(c, exp.Column)]

    def holds(self, column: exp.Column) -> bool:
        """A GROUP BY column: the same name, and the same table where both name one."""
        return any(c.name.lower() == column.name.lower() and (
            not c.table or not column.table or c.table.lower() == column.table.lower())
            for c in self.columns)


def _reads_outer(select: exp.Select) -> bool:
    """Whether the query may read an outer query's columns (a scalar, ``IN`` or ``EXISTS``
    subquery, or an applied one), which SQL Server lets a grouped query read as it likes: a
    constant of each of its runs."""
    node: exp.Expression = select
    while node.parent is not None:
        parent = node.parent
        if isinstance(parent, exp.Lateral | exp.Exists | exp.In | exp.Any | exp.All) or (
                isinstance(parent, exp.Subquery)
                and not isinstance(parent.parent, exp.From | exp.Join)):
            return True
        node = parent
    return False


def _stray(node: exp.Expression, groups: _Groups, aliases: set[str]) -> exp.Column | None:
    """The first column of ``node`` read neither through the groups nor an aggregate."""
    if expression_key(node) in groups.keys or isinstance(
            node, exp.AggFunc | exp.Subquery | exp.Select | exp.Anonymous):
        return None
    if isinstance(node, exp.Window):  # its function's arguments, partitions and order
        function, order = node.this, node.args.get("order")
        parts = [*(function.iter_expressions() if function is not None else []),
                 *(node.args.get("partition_by") or []),
                 *(o.this for o in (order.expressions if order is not None else []))]
        return next((found for part in parts
                     if (found := _stray(part, groups, aliases)) is not None), None)
    if isinstance(node, exp.Column):
        if node.is_star or groups.holds(node) or (not node.table
                                                   and node.name.lower() in aliases):
            return None
        return node
    for child in node.iter_expressions():
        found = _stray(child, groups, aliases)
        if found is not None:
            return found
    return None


def check(tree: exp.Expression, columns: Columns, line: int) -> None:
    """Stop, as SQL Server does, at a column a grouped query reads outside its groups and
    aggregates (``columns``: a table's columns, as for ``alias_scope``)."""
    ctes = common_tables(tree)
    for select in tree.find_all(exp.Select):
        if select.args.get("group") is None and not _aggregates(select):
            continue
        groups = _Groups(select)
        places = {"select": [s.unalias() for s in select.selects],
                  "having": [select.args["having"]] if select.args.get("having") else [],
                  "order": [o.this for o in select.args["order"].expressions]
                  if select.args.get("order") else []}
        aliases = {s.alias.lower() for s in select.selects if isinstance(s, exp.Alias)}
        outer = _reads_outer(select)
        own = {item.alias_or_name.lower() for item in from_sources(select)}
        for place, expressions in places.items():
            for expression in expressions:
                stray = _stray(expression, groups, aliases if place == "order" else set())
                if stray is None or (outer and (not stray.table
                                                or stray.table.lower() not in own)):
                    continue  # (none, or perhaps the outer query's: let through)
                known = available_columns(select, ctes, columns)
                if known is not None and stray.name.lower() not in known:
                    continue  # (no column at all: the target's 207, as SQL Server's)
                name = f"{stray.table}.{stray.name}" if stray.table else stray.name
                message = (f"Column '{name}' is invalid in the {CLAUSES[place]} because it "
                           "is not contained in either an aggregate function or the GROUP BY "
                           "clause.")
                raise ScriptError(line, message, runtime=True, number=8120, said=message)
