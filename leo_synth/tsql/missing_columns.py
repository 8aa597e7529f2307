"""Which occurrence of a column name no table has, for SQL Server's error 207.

The targets name an unknown column in lower case and do not say where it stood. A script
that spells the name two ways (``SELECT Taxyear FROM leo_earnings UNION SELECT TaxYear FROM
leo_employment``) has it wrong in one query only: SQL Server names that query's spelling, and
the columns worth suggesting are those its tables have, not any the extract has (the
suggestion was ``TaxYear`` for ``TaxYear``). DuckDB names the qualifier of such a column,
as if its table were unknown; the column is the one that table lacks."""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from leo_synth.tsql.rewrites import from_sources

TableColumns = Callable[[exp.Table], list[str] | None]
"""The columns of a table the statement reads (None when it cannot say)."""


def _columns_of(select: exp.Select, table_columns: TableColumns) -> list[str] | None:
    """The columns of the tables ``select`` reads directly (None when a source is no table,
    or one whose columns cannot be known)."""
    names: list[str] = []
    for source in from_sources(select):
        if not isinstance(source, exp.Table):
            return None
        columns = table_columns(source)
        if columns is None:
            return None
        names += columns
    return names


def culprit(tree: exp.Expression, column: str | None, qualifier: str | None,
            table_columns: TableColumns) -> tuple[exp.Column | None, list[str]]:
    """The occurrence the target's error is about, and the columns of the tables there
    (empty when unknown). For an unknown ``column`` (any case): the occurrence that none of
    its query's tables has, or else the first (of those qualified by ``qualifier`` when the
    target names one: SQLite says "no such column: e.x" of both). For an unknown
    ``qualifier`` alone (DuckDB says 'Referenced table "m" not found' of ``m.nosuch`` when
    ``m`` reads a table without it): the first column so qualified that the table lacks, or
    else the first so qualified."""
    if column is None:
        return _qualified(tree, qualifier or "", table_columns)
    found = [c for c in tree.find_all(exp.Column) if c.name.lower() == column.lower()]
    # (SQLite names the qualifier too: of those, the occurrence so qualified)
    if qualifier is not None:
        found = [c for c in found if c.table.lower() == qualifier.lower()] or found
    for occurrence in found:
        select = occurrence.find_ancestor(exp.Select)
        columns = _columns_of(select, table_columns) if select is not None else None
        if columns is not None and column.lower() not in {c.lower() for c in columns}:
            return occurrence, columns
    return (found[0] if found else None), []


def _qualified(tree: exp.Expression, qualifier: str, table_columns: TableColumns
               ) -> tuple[exp.Column | None, list[str]]:
    found = [c for c in tree.find_all(exp.Column) if c.table.lower() == qualifier.lower()]
    table = next((t for t in tree.find_all(exp.Table)
                  if t.alias_or_name.lower().lstrip("#") == qualifier.lower().lstrip("#")),
                 None)
    columns = table_columns(table) if table is not None else None
    if columns is not None:
        known = {c.lower() for c in columns}
        lacking = next((c for c in found if c.name.lower() not in known), None)
        if lacking is not None:
            return lacking, columns
    return (found[0] if found else None), []
