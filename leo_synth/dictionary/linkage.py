"""The person-linkage graph of the extract, derived from keyspaces and key columns.

A keyspace's ``home`` is the lookup listing all its keys; a *home template* is a relation that
is the home of some keyspace (the three linkage lookups, and ``learners`` for ``external_id``).
The linkage keyspaces are those with a home plus those shared by two or more home templates
(AE_ID, the bridge between the lookups). Two linkage keyspaces are adjacent when a home template
carries both: that template is one hop of a join route. Routes are shortest paths, found by a
breadth-first search in spec order, so they are deterministic.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field

from leo_synth.spec.model import Catalog, TableSpec


@dataclass(frozen=True)
class Hop:
    """Enter ``relation`` on column ``enter`` and leave it on ``leave``, reaching ``keyspace``."""

    relation: str
    enter: str
    leave: str
    keyspace: str


@dataclass(frozen=True)
class Route:
    """A join route from one keyspace to another through lookups."""

    source: str
    target: str
    hops: tuple[Hop, ...]
    start: str | None = None
    """The column of the relation the route starts from (for routes of one template)."""


@dataclass
class LinkGraph:
    """Keyspace carriers, homes and the lookups that bridge keyspaces."""

    nodes: tuple[str, ...] = ()
    """Linkage keyspaces, in keyspace declaration order."""
    data: tuple[str, ...] = ()
    """Linkage keyspaces carried by data (non-home) templates, in spec order of first use."""
    labels: dict[str, str] = field(default_factory=dict)
    carriers: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    """keyspace -> template name -> physical key columns (every keyspace)."""
    homes: dict[str, tuple[str, str]] = field(default_factory=dict)
    """keyspace -> (home template name, physical home column)."""
    home_templates: frozenset[str] = frozenset()
    edges: dict[str, list[tuple[str, Hop]]] = field(default_factory=dict)

    def route(self, source: str, target: str) -> Route | None:
        """The shortest route from one linkage keyspace to another, or None."""
        previous: dict[str, tuple[str, Hop] | None] = {source: None}
        queue = deque([source])
        while queue:
            here = queue.popleft()
            if here == target:
                hops: list[Hop] = []
                step = previous[here]
                while step is not None:
                    hops.append(step[1])
                    step = previous[step[0]]
                return Route(source, target, tuple(reversed(hops)))
            for there, hop in self.edges.get(here, []):
                if there not in previous:
                    previous[there] = (here, hop)
                    queue.append(there)
        return None

    def canonical_routes(self) -> tuple[Route, ...]:
        """Routes between every pair of data keyspaces, earlier (education) keys first."""
        routes = []
        for i, source in enumerate(self.data):
            for target in self.data[i + 1:]:
                route = self.route(source, target)
                if route is not None:
                    routes.append(route)
        return tuple(routes)

    def routes_from(self, template: str) -> tuple[Route, ...]:
        """Routes from the data keyspaces a template carries to the other data keyspaces."""
        routes = []
        for source in self.data:
            if template not in self.carriers.get(source, {}):
                continue
            if self.homes.get(source, ("", ""))[0] == template:
                continue
            start = self.carriers[source][template][0]
            for target in self.data:
                route = self.route(source, target) if target != source else None
                if route is not None:
                    routes.append(Route(route.source, route.target, route.hops, start))
        return tuple(routes)


def build_graph(catalog: Catalog, tables: list[TableSpec], display: dict[str, str],
                iteration: int) -> LinkGraph:
    """Derive the linkage graph from the key columns of the iteration's templates."""
    graph = LinkGraph()
    present = {t.name for t in tables}
    for table in tables:
        for col in table.columns:
            if col.key and iteration in col.iterations:
                name = col.i1_name if iteration == 1 and col.i1_name else col.name
                graph.carriers.setdefault(col.key, {}).setdefault(table.name, []).append(name)
    for ks in catalog.keyspaces.values():
        home_table, _, home_col = (ks.home or "").partition(".")
        if home_table in present:
            col = catalog.table(home_table).column(home_col)
            name = col.i1_name if iteration == 1 and col.i1_name else col.name
            graph.homes[ks.name] = (home_table, name)
    graph.home_templates = frozenset(t for t, _ in graph.homes.values())
    nodes = []
    for ks in catalog.keyspaces:
        at_homes = [t for t in graph.carriers.get(ks, {}) if t in graph.home_templates]
        if ks in graph.homes or len(at_homes) >= 2:
            nodes.append(ks)
    graph.nodes = tuple(nodes)
    for ks in catalog.keyspaces:
        graph.labels[ks] = _label(graph, ks)
    for template in sorted(graph.home_templates, key=[t.name for t in tables].index):
        carried = [(ks, _column_in(graph, ks, template)) for ks in graph.nodes
                   if template in graph.carriers.get(ks, {})]
        for ks, col in carried:
            for other, other_col in carried:
                if other != ks:
                    hop = Hop(display[template], col, other_col, other)
                    graph.edges.setdefault(ks, []).append((other, hop))
    order = {t.name: i for i, t in enumerate(tables)}
    firsts = {}
    for ks in graph.nodes:
        data_users = [order[t] for t in graph.carriers.get(ks, {})
                      if t not in graph.home_templates]
        if data_users:
            firsts[ks] = min(data_users)
    graph.data = tuple(sorted(firsts, key=lambda ks: (firsts[ks], graph.nodes.index(ks))))
    return graph


def _column_in(graph: LinkGraph, ks: str, template: str) -> str:
    """The column by which a template carries a keyspace (its home column if it is home)."""
    home = graph.homes.get(ks)
    if home is not None and home[0] == template:
        return home[1]
    return graph.carriers[ks][template][0]


def _label(graph: LinkGraph, ks: str) -> str:
    """The column name researchers know a keyspace by: its home column, else the most used."""
    if ks in graph.homes:
        return graph.homes[ks][1]
    names = Counter(n for cols in graph.carriers.get(ks, {}).values() for n in cols)
    if names:
        return names.most_common(1)[0][0]
    return ks.upper()
