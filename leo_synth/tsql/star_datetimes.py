"""The date-and-time columns a ``*`` reads from its one source, for the result to show them
as SQL Server shows their type and for a ``SELECT * INTO`` to copy them as that type.

``SELECT * FROM #t``, where ``#t``'s ``StartDate`` is a ``DATETIME`` (``CAST(StartDate AS
DATETIME) AS StartDate``), showed the target's value (``2011-08-02 00:00:00`` on SQLite)
where SQL Server shows ``2011-08-02 00:00:00.000``: the name is the extract's ``DATE``
elsewhere, so the name alone does not say. And ``SELECT * INTO #t FROM (SELECT
DATEADD(hour, 6, ...) AS s ...) d`` made ``#t.s`` of no known type, so ``CONCAT`` wrote its
ISO text. A ``*`` over one source takes the types that source declares (a #temp table's) or
makes (a derived table's); over a join, the same name may be another type in another source,
so none is taken.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from leo_synth.tsql.datetime_display import Columns, Format
from leo_synth.tsql.derived_columns import names
from leo_synth.tsql.rewrites import from_sources


def star_formats(query: exp.Expression, declared: Callable[[str], Columns | None],
                 made: Columns) -> dict[str, Format]:
    """By lower-case name, the date-and-time types of the columns a ``*`` of ``query`` reads
    from its one source (``declared``: a session table's types by its lower-case name, None
    for another; ``made``: the types of the statement's derived tables' columns); empty for
    another query."""
    if not isinstance(query, exp.Select) or not any(
            isinstance(item, exp.Star) for item in query.selects):
        return {}
    sources = from_sources(query)
    if len(sources) != 1:
        return {}
    source = sources[0]
    if isinstance(source, exp.Table):
        return dict(declared(source.name.lower()) or {})
    if isinstance(source, exp.Subquery):
        spelt = [name.lower() for name in names(source)]
        return {name: made[name] for name in spelt if name in made}
    return {}
