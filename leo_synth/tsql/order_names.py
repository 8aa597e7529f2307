"""An ``ORDER BY`` name that two result columns bear is ambiguous.

``SELECT * FROM leo_employment e JOIN leo_benefit b ON b.EduKey = e.EduKey ORDER BY EduKey``
stops SQL Server with "Ambiguous column name 'EduKey'." (error 209): ``ORDER BY`` reads the
select list's names first, and two of its columns are called ``EduKey``. SQLite, the default
output, sorted by the first of them, so the script passed here and failed in the SRS (DuckDB
and PostgreSQL stop, in their own words). A bare ``ORDER BY`` name borne by result columns
of two different sources (two tables' columns through ``*``, or ``e.EduKey`` and
``b.EduKey``) stops the script. Where a source's columns are not known, or a projection is a
bare column whose table is not written, nothing is said: the check never stops a script that
SQL Server would run. A name borne by one result column that is a table's column read as
it is (``SELECT e.EduKey, b.StartDate ... ORDER BY EduKey``) is sorted by that table's column:
SQLite looked the name up in the tables, where it is ambiguous, and stopped.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.alias_scope import Columns, common_tables, projected_names
from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.grouped_columns import expression_key
from leo_synth.tsql.rewrites import from_sources


def _source_names(item: exp.Expression, ctes: dict[str, exp.Expression],
                  columns: Columns) -> list[str] | None:
    """The lower-case column names of one FROM source (None: not known)."""
    if isinstance(item, exp.Table) and not item.args.get("db") and item.name.lower() in ctes:
        return projected_names(ctes[item.name.lower()])
    if isinstance(item, exp.Table):
        given = columns(item)
        return None if given is None else [name.lower() for name in given]
    if isinstance(item, exp.Subquery):
        listed = item.args["alias"].columns if item.args.get("alias") else []
        return [c.name.lower() for c in listed] or projected_names(item.this)
    return None


Bearer = tuple[str, str, str | None]
"""A result column: its name and what it is (lower case), and the table of a column read as
it is (None for an expression)."""


def _result_columns(select: exp.Select, ctes: dict[str, exp.Expression],
                    columns: Columns) -> list[Bearer] | None:
    """Each result column (a star's columns are their source's); None where that is not
    known."""
    sources = {(item.alias_or_name or "").lower(): item for item in from_sources(select)}
    found: list[Bearer] = []
    for projection in select.selects:
        value = projection.unalias()
        star = value.is_star
        if star:
            wanted = value.table.lower() if isinstance(value, exp.Column) else ""
            for alias, item in sources.items():
                if wanted and alias != wanted:
                    continue
                names = _source_names(item, ctes, columns)
                if names is None:
                    return None
                spelt = item.alias_or_name  # (the script's spelling, for the target)
                found += [(name, f"{alias}.{name}", spelt) for name in names]
        elif isinstance(value, exp.Column) and not projection.alias:
            if not value.table:
                return None  # (its table is the target's to find)
            found.append((value.name.lower(), f"{value.table.lower()}.{value.name.lower()}",
                          value.table))
        else:
            found.append((projection.alias_or_name.lower(), expression_key(value),
                          None))
    return found


def check(tree: exp.Expression, columns: Columns, line: int) -> None:
    """Raise SQL Server's error 209 for an ``ORDER BY`` name that two result columns
    bear."""
    ctes = common_tables(tree)
    for select in tree.find_all(exp.Select):
        order = select.args.get("order")
        if order is None:
            continue
        named = [ordered.this for ordered in order.expressions
                 if isinstance(ordered, exp.Ordered) and isinstance(ordered.this, exp.Column)
                 and not ordered.this.table]
        result = _result_columns(select, ctes, columns) if named else None
        if result is None:
            continue
        for column in named:
            bearers = {(what, table) for name, what, table in result
                       if name == column.name.lower()}
            if len(bearers) == 1 and (table := next(iter(bearers))[1]) is not None:
                # (SQLite reads an unaliased result column's name from the tables instead,
                # and called e.EduKey's EduKey ambiguous beside b's: it is sorted by its table)
                column.set("table", exp.to_identifier(table))
            if len(bearers) > 1:
                message = f"Ambiguous column name '{column.name}'."
                raise ScriptError(line, message + " (two result columns bear it: name the "
                                  "table, as in ORDER BY e." + column.name + ")",
                                  runtime=True, number=209, said=message)
