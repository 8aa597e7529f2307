"""Indexes SQLite needs to run a correlated subquery on a script's own table in SQL Server's
time.

``SELECT b.pmr, (SELECT COUNT(*) FROM #a a WHERE a.pmr = b.pmr) FROM #b b``, or ``UPDATE #t
SET first_job = (SELECT MIN(start_date) FROM #jobs j WHERE j.edukey = #t.edukey)``: SQL
Server turns the subquery into a join and hashes ``#a`` once; SQLite runs it again for each
outer row, reading all of ``#a`` each time unless an index finds the rows (it makes indexes of
its own for joins, not for subqueries): 30,000 rows against 30,000 took 87 s. So on SQLite,
before such a statement, the script's table that a subquery reads by an equality with its
outer query (``a.pmr = b.pmr``) gets an index on those columns, in the table's temporary
schema, when SQLite's plan would otherwise scan it (``exists_lookups.Scans``). The index is
kept with the table (SQLite drops it with it) and made once (``IF NOT EXISTS``, under a name
made of the table's and the columns'). An index changes no answer. The extract's tables
already have indexes on their keys and are never changed; a correlated ``EXISTS`` that
``exists_lookups`` made a lookup needs none.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from leo_synth.tsql.alias_scope import Columns, common_tables
from leo_synth.tsql.correlation import Sides, conditions
from leo_synth.tsql.exists_lookups import Scans
from leo_synth.tsql.rewrites import from_sources
from leo_synth.tsql.targets import quote

PREFIX = "leo_lookup_"

Temporary = Callable[[str], bool]
"""Whether the name is one of the session's temporary tables on SQLite."""


def statements(tree: exp.Expression, dialect: str, columns: Columns, temporary: Temporary,
               scans: Scans) -> tuple[str, ...]:
    """The ``CREATE INDEX`` statements to run before the statement ``tree`` (SQLite's SQL)."""
    if dialect != "sqlite":
        return ()
    ctes = common_tables(tree)
    made: dict[str, str] = {}
    for query in tree.find_all(exp.Select):
        if query is tree:  # (a statement's own query reads no outer one)
            continue
        for table, keys in _linked(query, ctes, columns).items():
            name = PREFIX + "_".join((table, *keys))
            if name in made or not temporary(table):
                continue
            found = " AND ".join(f"{quote(key)} = 0" for key in keys)
            if scans(f"SELECT 1 FROM {quote(table)} WHERE {found}"):
                made[name] = (f"CREATE INDEX IF NOT EXISTS temp.{quote(name)} ON "
                              f"{quote(table)} ({', '.join(quote(key) for key in keys)})")
    return tuple(made.values())


def _linked(query: exp.Select, ctes: dict[str, exp.Expression], columns: Columns
            ) -> dict[str, tuple[str, ...]]:
    """Per table the subquery reads (by its name), the columns it compares with the outer
    query by ``=``, in the order met."""
    sources = {source.alias_or_name.lower(): source for source in from_sources(query)}
    sides = Sides(query, ctes, columns)
    linked: dict[str, tuple[str, ...]] = {}
    for condition in conditions(query):
        link = sides.link(condition)
        inner = link[0] if link is not None else None
        if not isinstance(inner, exp.Column):
            continue
        qualifier = inner.table.lower() if inner.table else (
            next(iter(sources)) if len(sources) == 1 else None)
        source = sources.get(qualifier) if qualifier is not None else None
        if not isinstance(source, exp.Table) or source.args.get("db"):
            continue
        keys = linked.setdefault(source.name, ())
        if inner.name not in keys:
            linked[source.name] = (*keys, inner.name)
    return linked
