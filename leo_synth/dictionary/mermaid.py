"""The Mermaid diagram of the id spaces, derived from key columns and references.

Keyspace nodes (stadiums) are linked to every template carrying them: a thick edge to the
keyspace's home lookup, a plain edge to other carriers. References are arrows between
templates. Templates are grouped by database; lookups are styled apart. Edges are oriented by
each keyspace's distance from the first data keyspace (PMR), so the layout reads from education
records on the left, through the lookups, to outcome records on the right.

When a database has more than :data:`GROUP_AT` plain carriers of one keyspace (templates that
carry only that person key, are no lookup and take part in no reference), they are drawn as one
node listing their names, so the diagram stays legible as the catalog grows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from leo_synth.dictionary.model import Dictionary, TemplateDoc

MAX_EDGE_COLUMNS = 3
GROUP_AT = 8
NAMES_PER_LINE = 3


@dataclass(frozen=True)
class _Node:
    """A drawn node: one template, or a group of plain carriers of one keyspace."""

    id: str
    label: str
    templates: tuple[str, ...]
    lookup: bool = False


def _id(prefix: str, name: str) -> str:
    """A Mermaid node id from a prefix and a name."""
    return prefix + re.sub(r"[^A-Za-z0-9_]", "_", name)


def _quote(text: str) -> str:
    """A quoted Mermaid label."""
    return '"' + text.replace('"', "#quot;") + '"'


def _pipe(text: str) -> str:
    """A quoted Mermaid edge label."""
    return f"|{_quote(text)}|"


def _template_label(t: TemplateDoc) -> str:
    """A template node's label: its name and physical name patterns."""
    patterns = t.display.split(" / ")
    if patterns == [t.name]:
        return t.name
    return "<br/>".join([f"<b>{t.name}</b>", *patterns])


def _columns_text(cols: list[str]) -> str:
    """Edge label: the distinct key column names, shortened."""
    distinct = list(dict.fromkeys(cols))
    more = " …" if len(distinct) > MAX_EDGE_COLUMNS else ""
    return ", ".join(distinct[:MAX_EDGE_COLUMNS]) + more


def _nodes(d: Dictionary) -> list[tuple[str, list[_Node]]]:
    """Per database, the nodes to draw (templates and groups), in spec order."""
    graph = d.graph
    in_refs = {r.template for r in d.references} | {r.target_template for r in d.references}
    keys_of: dict[str, list[str]] = {}
    for ks in graph.nodes:
        for t in graph.carriers.get(ks, {}):
            keys_of.setdefault(t, []).append(ks)
    out = []
    for db in d.databases:
        members = [t for t in db.templates if t.name in keys_of or t.name in in_refs]
        plain: dict[str, list[TemplateDoc]] = {}
        for t in members:
            keys = keys_of.get(t.name, [])
            if len(keys) == 1 and t.name not in graph.home_templates and t.name not in in_refs:
                plain.setdefault(keys[0], []).append(t)
        grouped = {t.name: ks for ks, ts in plain.items() if len(ts) > GROUP_AT for t in ts}
        nodes: list[_Node] = []
        done: set[str] = set()
        for t in members:
            ks = grouped.get(t.name)
            if ks is None:
                nodes.append(_Node(_id("t_", t.name), _template_label(t), (t.name,),
                                   t.name in graph.home_templates))
            elif ks not in done:
                done.add(ks)
                names = [m.name for m in plain[ks]]
                rows = [", ".join(names[i:i + NAMES_PER_LINE])
                        for i in range(0, len(names), NAMES_PER_LINE)]
                label = "<br/>".join([f"<b>{len(names)} {db.name} tables</b>", *rows])
                nodes.append(_Node(_id("g_", f"{db.name}_{ks}"), label, tuple(names)))
        if nodes:
            out.append((db.name, nodes))
    return out


@dataclass(frozen=True)
class Edge:
    """A drawn edge: keyspace to carrier (``home`` or ``key``) or a ``reference``."""

    source: str
    target: str
    label: str
    kind: str


@dataclass(frozen=True)
class Diagram:
    """The drawing model shared by the Mermaid source and the SVG picture."""

    groups: tuple[tuple[str, tuple[_Node, ...]], ...]
    """Per database, its template and group nodes."""
    keys: tuple[tuple[str, str], ...]
    """(node id, label) of each linkage keyspace."""
    edges: tuple[Edge, ...]


def model(d: Dictionary) -> Diagram:
    """The nodes and oriented edges of the id-space diagram."""
    graph = d.graph
    groups = [(db_name, tuple(nodes)) for db_name, nodes in _nodes(d)]
    drawn = [n for _, nodes in groups for n in nodes]
    node_of = {t: n.id for n in drawn for t in n.templates}
    keys = tuple((_id("k_", ks), f"{ks}: {graph.labels[ks]}") for ks in graph.nodes)
    levels = _levels(d)
    edges: list[Edge] = []
    for ks in graph.nodes:
        carriers = graph.carriers.get(ks, {})
        home = graph.homes.get(ks)
        for node in drawn:
            cols = [c for t in node.templates for c in carriers.get(t, [])]
            if not cols:
                continue
            is_home = home is not None and home[0] in node.templates
            text = _columns_text(cols) + (" (home)" if is_home else "")
            if node.lookup:
                bridged = [levels[k] for k in graph.nodes
                           if node.templates[0] in graph.carriers.get(k, {})]
                key_first = levels[ks] == min(bridged)
            else:
                key_first = levels[ks] > 0
            k_id = _id("k_", ks)
            kind = "home" if is_home else "key"
            edges.append(Edge(k_id, node.id, text, kind) if key_first else
                         Edge(node.id, k_id, text, kind))
    for ref in d.references:
        target_col = ref.target.rpartition(".")[2]
        edges.append(Edge(node_of[ref.template], node_of[ref.target_template],
                          f"{ref.column} → {target_col}", "reference"))
    return Diagram(tuple(groups), keys, tuple(edges))


ARROWS = {"home": "===", "key": "---", "reference": "-->"}


def diagram(d: Dictionary) -> str:
    """Mermaid ``flowchart`` source of the linkage keyspaces, lookups and references."""
    m = model(d)
    lines = ["flowchart LR"]
    for db_name, nodes in m.groups:
        lines.append(f"  subgraph {_id('db_', db_name)}[{_quote(db_name)}]")
        lines += [f"    {n.id}[{_quote(n.label)}]" for n in nodes]
        lines.append("  end")
    lines += [f"  {k_id}([{_quote(label)}])" for k_id, label in m.keys]
    lines += [f"  {e.source} {ARROWS[e.kind]}{_pipe(e.label)} {e.target}" for e in m.edges]
    lines.append("  classDef key fill:#fff4c2,stroke:#9a7b00")
    lines.append("  classDef lookup fill:#e3f0ff,stroke:#2b6cb0")
    if m.keys:
        lines.append(f"  class {','.join(k_id for k_id, _ in m.keys)} key")
    lookups = [n.id for _, nodes in m.groups for n in nodes if n.lookup]
    if lookups:
        lines.append(f"  class {','.join(lookups)} lookup")
    return "\n".join(lines) + "\n"


def _levels(d: Dictionary) -> dict[str, int]:
    """Hops from the first data keyspace (education keys sit left, outcome keys right)."""
    graph = d.graph
    levels: dict[str, int] = {}
    frontier = list(graph.data[:1])
    for ks in frontier:
        levels[ks] = 0
    while frontier:
        nxt = []
        for ks in frontier:
            for other, _ in graph.edges.get(ks, []):
                if other not in levels:
                    levels[other] = levels[ks] + 1
                    nxt.append(other)
        frontier = nxt
    far = max(levels.values(), default=0) + 1
    return {ks: levels.get(ks, far) for ks in graph.nodes}
