"""Headings of a ``SELECT *`` over the extract's relations, column by column.

SQL Server heads the columns a ``*`` (or ``b.*``) stands for as each relation spells them,
source after source in the order of the ``FROM``. The extract spells one name differently in
different relations (``EduKey`` in ``leo_benefit``, ``Edukey`` in ``leo_earnings``), so the
targets' names, looked up by name alone, gave ``SELECT b.*, e.TaxYear FROM leo_benefit b JOIN
leo_earnings e ...`` the heading ``Edukey`` of the other relation. Here the headings are the
spec's, by position. Only a query whose sources are all relations of the extract is headed so
(its columns are known before it runs); any other keeps the heading by name.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from leo_synth.tsql import information_schema, unnamed_columns

_NOT_EXTRACT = ("sys", "information_schema")
"""Schemas whose views are SQL Server's catalog, not the extract's relations."""


def _columns(table: exp.Expression, own: Callable[[str], bool]) -> list[str] | None:
    """The spellings of a source's columns, in order, if it is a relation of the extract."""
    if not isinstance(table, exp.Table) or not table.name or own(table.name.lower()):
        return None
    if table.db.lower() in _NOT_EXTRACT or table.catalog.lower() in ("master", "tempdb"):
        return None
    if table.this.args.get("temporary") or table.this.args.get("global_") or isinstance(
            table.this, exp.Parameter):
        return None
    spellings = information_schema.column_spellings(table.name.lower())
    return list(spellings.values()) or None


def headings(tree: exp.Expression, own: Callable[[str], bool]) -> list[str] | None:
    """The headings of ``tree``'s result when it is a ``SELECT`` with a ``*`` over relations
    of the extract alone, else None; ``own(name)``: whether a (lower-case) name is one the
    script made (a common table expression, a table of its session)."""
    if not isinstance(tree, exp.Select) or not any(s.is_star for s in tree.selects):
        return None
    found = tree.args.get("from_")
    sources = [found.this] if found is not None else []
    sources += [join.this for join in tree.args.get("joins") or []]
    named: list[tuple[str, list[str]]] = []
    for source in sources:
        columns = _columns(source, own)
        if columns is None:
            return None
        named.append(((source.alias or source.name).lower(), columns))
    result: list[str] = []
    for item in tree.selects:
        if isinstance(item, exp.Star):
            result += [name for _, columns in named for name in columns]
        elif isinstance(item, exp.Column) and isinstance(item.this, exp.Star):
            chosen = [columns for key, columns in named if key == item.table.lower()]
            if len(chosen) != 1:
                return None
            result += chosen[0]
        else:
            result.append(unnamed_columns.name_of(item))
    return result
