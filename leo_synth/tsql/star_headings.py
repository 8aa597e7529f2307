"""Headings of a ``SELECT *`` over the extract's relations, column by column.

SQL Server heads the columns a ``*`` (or ``b.*``) stands for as each relation spells them,
source after source in the order of the ``FROM``. The extract spells one name differently in
different relations (``EduKey`` in ``leo_benefit``, ``Edukey`` in ``leo_earnings``), so the
targets' names, looked up by name alone, gave ``SELECT b.*, e.TaxYear FROM leo_benefit b JOIN
leo_earnings e ...`` the heading ``Edukey`` of the other relation. Here the headings are the
spec's, by position, and a derived table's (or an ``APPLY``'s) as the script names them. Only
a query whose stars stand for such sources alone is headed so (their columns are known before
it runs); any other keeps the heading by name, but for the columns it names itself.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from leo_synth.tsql import derived_columns, information_schema, pivots, unnamed_columns

_NOT_EXTRACT = ("sys", "information_schema")
"""Schemas whose views are SQL Server's catalog, not the extract's relations."""


def _columns(table: exp.Expression, own: Callable[[str], bool]) -> list[str] | None:
    """The spellings of a source's columns, in order, if it is a relation of the extract or
    a derived table (or ``APPLY``) whose columns are all named, pivoted as its ``PIVOT`` or
    ``UNPIVOT`` says."""
    turned = table.args.get("pivots")
    if turned:
        plain = table.copy()
        plain.set("pivots", None)
        names = _columns(plain, own)
        return pivots.headings(names, turned[0]) if names and len(turned) == 1 else None
    if isinstance(table, exp.Lateral | exp.Subquery):
        return _derived_columns(table)
    if not isinstance(table, exp.Table) or not table.name or own(table.name.lower()):
        return None
    if table.db.lower() in _NOT_EXTRACT or table.catalog.lower() in ("master", "tempdb"):
        return None
    if table.this.args.get("temporary") or table.this.args.get("global_") or isinstance(
            table.this, exp.Parameter):
        return None
    spellings = information_schema.column_spellings(table.name.lower())
    return list(spellings.values()) or None


def _derived_columns(source: exp.Lateral | exp.Subquery) -> list[str] | None:
    """A derived table's columns as the script names them (``derived_columns.names``; None
    when one is unnamed, or a ``*``)."""
    named = derived_columns.names(source)
    return named if named and all(named) else None


def star_columns(select: exp.Select, own: Callable[[str], bool]
                 ) -> list[exp.Expression] | None:
    """``select``'s select list with each ``*`` (or ``x.*``) replaced by the columns it stands
    for, each qualified by its source's alias or name, when every source a star stands for is
    a relation of the extract or a derived table (their columns are known before the query
    runs), else None; ``own(name)``: whether a (lower-case) name is one the script made (a
    common table expression, a table of its session)."""
    found = select.args.get("from_")
    sources = [found.this] if found is not None else []
    sources += [join.this for join in select.args.get("joins") or []]
    named = [(source.alias_or_name, _columns(source, own)) for source in sources]
    result: list[exp.Expression] = []
    for item in select.selects:
        if isinstance(item, exp.Star):
            chosen = named
        elif isinstance(item, exp.Column) and isinstance(item.this, exp.Star):
            chosen = [(key, columns) for key, columns in named
                      if key.lower() == item.table.lower()]
            if len(chosen) != 1:
                return None
        else:
            result.append(item)
            continue
        if any(columns is None for _, columns in chosen):
            return None
        result += [exp.column(name, table=key, quoted=True)
                   for key, columns in chosen for name in columns or []]
    return result


def headings(tree: exp.Expression, own: Callable[[str], bool]) -> list[str] | None:
    """The headings of ``tree``'s result when it is a ``SELECT`` with a ``*`` (or ``x.*``) over
    relations of the extract or derived tables alone (the sources the stars stand for, see
    :func:`star_columns`), else None."""
    if not isinstance(tree, exp.Select) or not any(s.is_star for s in tree.selects):
        return None
    columns = star_columns(tree, own)
    return None if columns is None else [unnamed_columns.name_of(c) for c in columns]


def around_star(tree: exp.Expression) -> list[str | None] | None:
    """The headings of a ``SELECT`` with one ``*`` (or ``x.*``) whose columns are not known
    before it runs: its other columns as the script names them (``k.a AS A`` is ``A``, where
    the heading by name would take the spelling of a table that has ``a``), None for the
    ``*``'s (:func:`filled`); None for any other query."""
    if not isinstance(tree, exp.Select) or sum(s.is_star for s in tree.selects) != 1:
        return None
    return [None if s.is_star else unnamed_columns.name_of(s) for s in tree.selects]


def filled(headings: list[str | None], columns: list[str]) -> list[str]:
    """The result's ``columns`` (headed by name) with ``headings`` in place: all of them
    when they are as many, or those around the one ``*`` (None), whose columns are the rest;
    ``columns`` as they are when they do not fit."""
    if None not in headings:
        return headings if len(headings) == len(columns) else columns  # type: ignore[return-value]
    star = headings.index(None)
    width = len(columns) - (len(headings) - 1)
    if width < 0:
        return columns
    return [*headings[:star], *columns[star:star + width],
            *headings[star + 1:]]  # type: ignore[list-item]
