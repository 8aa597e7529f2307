"""A table or derived table the script makes may not have two columns of one name.

Joining two extract tables and keeping every column gives two ``EduKey`` columns, which SQL
Server refuses wherever they would make a table:

- ``SELECT e.*, m.* INTO #both FROM leo_earnings e JOIN leo_employment m ON ...`` (and a
  ``CREATE TABLE`` naming a column twice) stops with error 2705, "Column names in each table
  must be unique. Column name 'EduKey' in table '#both' is specified more than once.";
- a derived table or common table expression with them, read by its name (``SELECT * FROM
  (SELECT e.EduKey, m.EduKey FROM ...) d``), stops with error 8156, "The column 'EduKey' was
  specified multiple times for 'd'.".

SQLite and DuckDB made the table, renaming the second column (``Edukey:1``, ``EduKey_1``) or
keeping both, and PostgreSQL stopped in its own words only for the first. A query's own
result may repeat a name (``SELECT EduKey, EduKey``), as SQL Server allows. A ``*`` is
counted as the columns of the table it reads when they are known (an extract's relation, a
table of the session); a derived table's ``*`` is not counted.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.names import as_written
from leo_synth.tsql.rewrites import from_sources

Columns = Callable[[exp.Table], list[str] | None]
"""The columns of a table (None when unknown): the translator's ``table_columns``."""


def _starred(star: exp.Expression, select: exp.Select, columns: Columns) -> list[str] | None:
    """The names a ``*`` or ``t.*`` of ``select`` stands for (None when not all are known)."""
    qualifier = star.table.lower() if isinstance(star, exp.Column) else ""
    names: list[str] = []
    for source in from_sources(select):
        if qualifier and source.alias_or_name.lower() != qualifier:
            continue
        if not isinstance(source, exp.Table):
            return None
        found = columns(source)
        if found is None:
            return None
        names.extend(found)
    return names


def _names(select: exp.Select, columns: Columns) -> list[str] | None:
    """The names of a query's columns in order (None when a ``*`` hides some)."""
    names: list[str] = []
    for projection in select.selects:
        if projection.is_star:
            starred = _starred(projection, select, columns)
            if starred is None:
                return None
            names.extend(starred)
        else:
            names.append(projection.alias_or_name)
    return names


def _twice(names: list[str]) -> str | None:
    """The first name met a second time (ignoring case, as SQL Server's collation does)."""
    seen: set[str] = set()
    for name in names:
        if name and name.lower() in seen:
            return name
        seen.add(name.lower())
    return None


def check(tree: exp.Expression, columns: Columns, line: int) -> None:
    """Raise SQL Server's error for a table or derived table made with a name twice."""
    if isinstance(tree, exp.Create) and isinstance(tree.this, exp.Table | exp.Schema):
        table = tree.this.this if isinstance(tree.this, exp.Schema) else tree.this
        if isinstance(tree.this, exp.Schema):
            names: list[str] | None = [c.name for c in tree.this.expressions
                                       if isinstance(c, exp.ColumnDef)]
        else:
            query = tree.expression
            names = _names(query, columns) if isinstance(query, exp.Select) else None
        repeated = _twice(names or [])
        if repeated is not None:
            message = (f"Column names in each table must be unique. Column name '{repeated}' "
                       f"in table '{as_written(table)}' is specified more than once.")
            raise ScriptError(line, message, runtime=True, number=2705, said=message)
    for named in tree.find_all(exp.Subquery, exp.CTE):
        query, alias = named.this, named.args.get("alias")
        if not (isinstance(query, exp.Select) and named.alias) or (
                isinstance(alias, exp.TableAlias) and alias.columns):
            continue  # (columns named by the alias's own list are checked by the target)
        repeated = _twice(_names(query, columns) or [])
        if repeated is not None:
            raise ScriptError(line, f"The column '{repeated}' was specified multiple times for "
                              f"'{named.alias}'.")
