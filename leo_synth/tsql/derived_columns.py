"""A derived table's column list (``FROM (SELECT ...) AS y(b, n)``) on SQLite.

SQLite has no column list on a subquery's alias, and sqlglot leaves it out when it writes
SQLite: ``y.b`` then named no column ("The multi-part identifier could not be bound"), and
``SELECT *`` headed the columns with the subquery's own names. The list's names are given
to the subquery's select items instead, in order (a UNION's first query names its columns,
as in SQL Server). Rejected: making the subquery a CTE, which SQLite's column lists allow,
but which moves it out of the query that reads it (and would clash with a CTE's name).
"""

from __future__ import annotations

from sqlglot import exp


def first_query(query: exp.Expression) -> exp.Expression:
    """The query that names a query's columns: itself, or a UNION's (INTERSECT's, EXCEPT's)
    first."""
    while isinstance(query, exp.SetOperation):
        query = query.this
    return query


def branch_selects(query: exp.Expression) -> list[exp.Select]:
    """The ``SELECT``s whose rows a query (or subquery) gives: a ``UNION``'s (``INTERSECT``'s,
    ``EXCEPT``'s) each, in order; none for another form."""
    if isinstance(query, exp.Subquery):
        return branch_selects(query.this)
    if isinstance(query, exp.SetOperation):
        return branch_selects(query.this) + branch_selects(query.expression)
    return [query] if isinstance(query, exp.Select) else []


def names(source: exp.Subquery | exp.Lateral | exp.CTE) -> list[str]:
    """A derived table's (CTE's, APPLY's) column names as the script spells them: its alias's
    column list, or its first query's names ('' for an item it does not name, or a
    ``*``)."""
    alias = source.args.get("alias")
    listed = alias.args.get("columns") if isinstance(alias, exp.TableAlias) else None
    if listed:
        return [column.name for column in listed]
    query = source.this.this if isinstance(source.this, exp.Subquery) else source.this
    first = first_query(query)
    return [item_name(item) for item in first.selects] if isinstance(first, exp.Select) else []


def item_name(item: exp.Expression) -> str:
    """A select item's name: an alias's or a column's ('' for an expression, or a ``*``)."""
    if isinstance(item, exp.Alias) or (isinstance(item, exp.Column) and not isinstance(
            item.this, exp.Star)):
        return item.alias_or_name
    return ""


def made_items(tree: exp.Expression) -> dict[str, list[exp.Expression]]:
    """Per column name (lower case) the statement's derived tables and CTEs make, the select
    items making it, unaliased, in every ``UNION`` branch (named by the first branch)."""
    made: dict[str, list[exp.Expression]] = {}
    for named in tree.find_all(exp.Subquery, exp.CTE):
        if not isinstance(named.this, exp.Query):
            continue
        spelt = [name.lower() for name in names(named)]
        for branch in branch_selects(named.this):
            for name, item in zip(spelt, branch.selects, strict=False):
                if name and not item.is_star:
                    made.setdefault(name, []).append(item.unalias())
    return made


def passed_name(item: exp.Expression) -> str | None:
    """The column a select item is, by name (lower case), or None for another expression."""
    while isinstance(item, exp.Paren):
        item = item.this
    return item.name.lower() if isinstance(item, exp.Column) else None


def for_target(tree: exp.Expression, dialect: str) -> exp.Expression:
    """``tree`` with each derived table's column list given to its select items (SQLite;
    other targets keep the list)."""
    if dialect != "sqlite":
        return tree
    for subquery in list(tree.find_all(exp.Subquery)):
        alias = subquery.args.get("alias")
        columns = alias.args.get("columns") if isinstance(alias, exp.TableAlias) else None
        if not columns:
            continue
        first = first_query(subquery.this)
        if not isinstance(first, exp.Select) or len(first.selects) != len(columns) or any(
                s.is_star for s in first.selects):
            continue  # (a * or a count that differs: the target says what is wrong)
        first.set("expressions", [exp.alias_(item.unalias() if isinstance(item, exp.Alias)
                                             else item, name.copy())
                                  for item, name in zip(first.selects, columns, strict=True)])
        alias.set("columns", None)
    return tree
