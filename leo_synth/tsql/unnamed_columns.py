"""Columns without a name, as SQL Server names them (or refuses them).

SQL Server names a result column by its alias or, for a bare column, by the column's name;
any other expression (``COUNT(*)``, ``1 + 1``, ``'x'``, ``CAST(a AS INT)``) has no name:
SSMS heads it "(No column name)". Where a name is needed, SQL Server refuses the statement:
a ``SELECT ... INTO`` (error 1038), a CTE or derived table without a column list (8155) and
a view (4511). The targets named such columns themselves (SQLite ``COUNT(*)``, DuckDB
``count_star()``), so a script that the SRS refuses ran here; it is refused here too.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError

UNNAMED = ""
"""The name of a column SQL Server gives none (its result metadata holds an empty name)."""
SHOWN_UNNAMED = "(No column name)"
"""How a result table shows such a column (as SSMS does)."""


def name_of(projection: exp.Expression) -> str:
    """The name SQL Server gives a select list's item (``UNNAMED`` for none)."""
    if isinstance(projection, exp.Alias | exp.Column):
        return projection.alias_or_name
    return UNNAMED


def check(tree: exp.Expression, line: int) -> None:
    """Refuse a statement whose unnamed columns SQL Server would refuse, with its error."""
    if isinstance(tree, exp.Select) and tree.args.get("into") is not None and (
            _first_unnamed(tree) is not None):
        raise ScriptError(line, "An object or column name is missing or empty. For SELECT "
                              "INTO statements, verify each column has a name (error 1038: "
                              "give it an alias, COUNT(*) AS n)")
    if isinstance(tree, exp.Create) and str(tree.args.get("kind", "")).upper() == "VIEW":
        query = tree.expression
        position = _first_unnamed(query) if isinstance(query, exp.Query) else None
        if position is not None and not _listed(tree.this):
            raise ScriptError(line, "Create View or Function failed because no column name "
                              f"was specified for column {position} (error 4511)")
    for source in tree.find_all(exp.CTE, exp.Subquery):
        if isinstance(source, exp.Subquery) and not isinstance(source.parent,
                                                               exp.From | exp.Join):
            continue  # (a scalar, IN or EXISTS subquery needs no names)
        alias = source.args.get("alias")
        if _listed(alias) or not isinstance(source.this, exp.Query):
            continue
        position = _first_unnamed(source.this)
        if position is not None:
            raise ScriptError(line, f"No column name was specified for column {position} of "
                              f"'{source.alias}' (error 8155: give it an alias)")


def _listed(alias: exp.Expression | None) -> bool:
    """Whether an alias (``x(a, b)``) or a view's name lists its columns."""
    return alias is not None and bool(alias.args.get("columns") or alias.expressions)


def _first_unnamed(query: exp.Query) -> int | None:
    """The position (from 1) of a query's first unnamed column, or None."""
    for position, item in enumerate(query.selects, start=1):
        if not isinstance(item, exp.Star) and name_of(item) == UNNAMED:  # (t.* is named *)
            return position
    return None
