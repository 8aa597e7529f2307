"""A ``*`` that reads a derived table or CTE whose columns ``shadowing_columns`` renames,
written out as the columns it stands for, each headed as the script names it.

``SELECT d.StartDate + 1 AS next_day, b.* FROM d JOIN leo_benefit b ...``, with ``d``'s
``StartDate`` a ``CAST(StartDate AS DATETIME)``, had its renaming given up for the ``*``
(whose headings would have shown the internal name): SQLite then added 1 to the year of the
extract's ``DATE`` and DuckDB stopped. Written out, the renamed column is read by its own
name and headed by the script's (``d.StartDate_leo_1 AS StartDate``), so the renaming goes
on and no internal name reaches a heading or a message.
"""

from __future__ import annotations

from sqlglot import exp

Source = tuple[str, list[str] | None]
"""A source of a query by the name that qualifies its columns, and its column names as the
script spells them (None: not known)."""


def listable(select: exp.Select, sources: list[Source]) -> bool:
    """Whether each ``*`` of ``select`` stands for columns all known."""
    known = {name.lower(): listed is not None for name, listed in sources}
    for item in select.selects:
        if isinstance(item, exp.Star) and not all(known.values()):
            return False
        if isinstance(item, exp.Column) and item.is_star and not known.get(
                item.table.lower(), False):
            return False
    return True


def written_out(select: exp.Select, sources: list[Source],
                renamed: dict[str, dict[str, str]]) -> None:
    """``select`` with each ``*`` (``t.*``) over a source of ``renamed`` (by lower-case
    qualifier, its columns' new names by lower-case name) written as that source's columns,
    a renamed one aliased by its script name; ``sources`` as :func:`listable` took them."""
    items: list[exp.Expression] = []
    for item in select.selects:
        star_of = ([name for name, _ in sources] if isinstance(item, exp.Star) else
                   [item.table] if isinstance(item, exp.Column) and item.is_star else None)
        if star_of is None or not any(q.lower() in renamed for q in star_of):
            items.append(item)
            continue
        listed = {name.lower(): columns or [] for name, columns in sources}
        for qualifier in star_of:
            new = renamed.get(qualifier.lower(), {})
            for name in listed[qualifier.lower()]:
                column = exp.column(new.get(name.lower(), name), table=qualifier)
                items.append(exp.alias_(column, name)
                             if name.lower() in new else column)
    select.set("expressions", items)
