"""The types a ``SELECT ... INTO`` gives the columns it copies from one of the extract's views.

A new SRS user's first look at a view: ``SELECT TOP 0 * INTO #shape FROM
[LEO_i2].[2002237].[leo_benefit]``, then ``EXEC tempdb..sp_help '#shape'`` or ``SELECT ... FROM
tempdb.sys.columns WHERE object_id = OBJECT_ID('tempdb..#shape')``. SQL Server gives each
column the new table copies the "same name, data type, nullability, and value" as its source
(the ``SELECT ... INTO`` documentation): ``EduKey`` a ``varchar(14)`` that is not nullable,
``StartDate`` a ``date``, ``Out_of_work_benefit`` an ``int``. The catalog described them by the
kinds the target holds, so SQLite's copy showed ``datetime`` and ``bigint`` columns and every
target's a ``varchar`` of 8000 bytes. A column the statement copies as it is (``*``, or a
column, aliased or not) from the one view it reads (no join, which could make it NULL) now has
the spec's type; any other column keeps the rules it had.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.spec.model import ColumnSpec
from leo_synth.tsql import spec_lookup


def copied(query: exp.Expression | None, session: dict[str, tuple[str, ...]]
           ) -> dict[str, ColumnSpec]:
    """Each column (lower-case name) ``query`` copies from the extract's view it reads alone,
    with the spec's description of its source; empty for any other query."""
    if not isinstance(query, exp.Select) or query.args.get("joins"):
        return {}
    source = query.args.get("from_") or query.args.get("from")
    table = source.this if isinstance(source, exp.From) else None
    if not isinstance(table, exp.Table) or table.name.lower() in session or (
            table.name.startswith(("#", "@"))):
        return {}
    rel = spec_lookup.relation(table.name.lower())
    if rel is None:
        return {}
    specs = {col.name.lower(): col.spec for col in rel.columns}
    found: dict[str, ColumnSpec] = {}
    for item in query.selects:
        if item.is_star:
            found.update(specs)
            continue
        inner = item.this if isinstance(item, exp.Alias) else item
        if isinstance(inner, exp.Column) and inner.name.lower() in specs:
            found[item.alias_or_name.lower()] = specs[inner.name.lower()]
    return found
