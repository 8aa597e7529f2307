"""The id-space diagram as inline SVG, drawn from the model behind the Mermaid source.

Layout is simple and deterministic: every node gets a column by the longest path of oriented
edges reaching it (education records left, lookups in the middle, outcome records right), and
the nodes of a column are stacked in model order. Edges are curves from the right side of their
source to the left side of their target; a label sits beside the template end (keyspaces are
hubs, so labels there would pile up). Text widths are estimated, so no font metrics are needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from leo_synth.dictionary.mermaid import Diagram, model
from leo_synth.dictionary.model import Dictionary

CHAR = 6.6
"""Estimated width of a character at the 11 px label size."""
LINE = 15
PAD = 8
GAP_Y = 18
LABEL_CHARS = 30
STYLE = {"key": ("#fff4c2", "#9a7b00"), "lookup": ("#e3f0ff", "#2b6cb0"),
         "table": ("#ffffff", "#57606a")}


@dataclass
class _Box:
    """A node to draw: its lines of text, kind, database and position."""

    id: str
    lines: list[str]
    kind: str
    database: str
    column: int = 0
    x: float = 0.0
    y: float = 0.0

    @property
    def width(self) -> float:
        return max(len(line) for line in self.lines) * CHAR + 2 * PAD

    @property
    def height(self) -> float:
        return len(self.lines) * LINE + PAD


def _plain(label: str) -> list[str]:
    """A Mermaid label's lines without its markup."""
    return [re.sub(r"<[^>]+>", "", part) for part in label.split("<br/>")]


def _short(label: str) -> str:
    """An edge label cut to :data:`LABEL_CHARS` characters (a thick line marks the home)."""
    label = label.removesuffix(" (home)")
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "…"


def _boxes(m: Diagram) -> dict[str, _Box]:
    """Boxes for every node, with their columns (longest path from a source)."""
    boxes = {n.id: _Box(n.id, [db, *_plain(n.label)], "lookup" if n.lookup else "table", db)
             for db, nodes in m.groups for n in nodes}
    boxes.update({k_id: _Box(k_id, [label], "key", "") for k_id, label in m.keys})
    for _ in range(len(boxes)):  # relax until stable: the oriented graph has no cycle
        changed = False
        for e in m.edges:
            want = boxes[e.source].column + 1
            if boxes[e.target].column < want:
                boxes[e.target].column = want
                changed = True
        if not changed:
            break
    return boxes


def render_svg(d: Dictionary) -> str:
    """The id-space diagram of a dictionary as one ``<svg>`` element."""
    m = model(d)
    boxes = _boxes(m)
    if not boxes:
        return ('<svg xmlns="http://www.w3.org/2000/svg" class="diagram" width="300" '
                'height="30"><text x="10" y="20">no linked keyspaces</text></svg>')
    columns = sorted({b.column for b in boxes.values()})
    gaps = {c: 50.0 for c in columns}  # the space after each column fits its labels
    for e in m.edges:
        beside = e.target if boxes[e.source].kind == "key" else None
        gap_of = boxes[beside].column - 1 if beside else boxes[e.source].column
        if gap_of in gaps:
            gaps[gap_of] = max(gaps[gap_of], len(_short(e.label)) * CHAR + 30)
    x = 10.0
    height = 0.0
    for c in columns:
        members = [b for b in boxes.values() if b.column == c]
        width = max(b.width for b in members)
        y = 40.0
        for b in members:
            b.x, b.y = x + (width - b.width) / 2, y
            y += b.height + GAP_Y
        height = max(height, y)
        x += width + gaps[c]
    gap = gaps[columns[-1]]
    width_total = x - gap + 10
    for c in columns:  # centre each column vertically
        members = [b for b in boxes.values() if b.column == c]
        used = members[-1].y + members[-1].height - members[0].y
        for b in members:
            b.y += (height - 40 - used) / 2
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="diagram" role="img" '
           f'width="{width_total:.0f}" height="{height + 10:.0f}" '
           f'viewBox="0 0 {width_total:.0f} {height + 10:.0f}" font-family="sans-serif" '
           'font-size="11">',
           "<title>How the id spaces join: keyspaces, lookups and the tables carrying "
           "them</title>",
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
           'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
           'fill="#57606a"/></marker></defs>']
    out += _legend()
    for e in m.edges:
        out += _edge(boxes[e.source], boxes[e.target], e.label, e.kind)
    for b in boxes.values():
        out += _box(b)
    out.append("</svg>")
    return "\n".join(out)


def _legend() -> list[str]:
    """Key to the box colours and edge styles."""
    items = [("key", "keyspace"), ("lookup", "lookup (a keyspace's home)"), ("table", "table")]
    out, x = [], 10.0
    for kind, text in items:
        fill, stroke = STYLE[kind]
        out.append(f'<rect x="{x:.0f}" y="10" width="14" height="12" fill="{fill}" '
                   f'stroke="{stroke}"/>')
        out.append(f'<text x="{x + 20:.0f}" y="20">{escape(text)}</text>')
        x += 30 + len(text) * CHAR
    for style, text in (('stroke-width="3"', "to the home"), ("", "carries the key"),
                        ('stroke-dasharray="5,3" marker-end="url(#arrow)"', "references")):
        out.append(f'<line x1="{x:.0f}" y1="16" x2="{x + 30:.0f}" y2="16" stroke="#57606a" '
                   f"{style}/>")
        out.append(f'<text x="{x + 36:.0f}" y="20">{escape(text)}</text>')
        x += 50 + len(text) * CHAR
    return out


def _box(b: _Box) -> list[str]:
    """A node: a rounded box (a stadium for keyspaces), its database in grey, its lines."""
    fill, stroke = STYLE[b.kind]
    radius = b.height / 2 if b.kind == "key" else 4
    out = [f'<g class="node" id="diagram-{escape(b.id)}">',
           f'<rect x="{b.x:.1f}" y="{b.y:.1f}" width="{b.width:.1f}" height="{b.height:.1f}" '
           f'rx="{radius:.1f}" fill="{fill}" stroke="{stroke}"/>']
    for i, line in enumerate(b.lines):
        first = i == 0 and b.kind != "key"
        attrs = ' fill="#6e7781" font-size="10"' if first else (
            ' font-weight="bold"' if i == 1 and len(b.lines) > 2 else "")
        out.append(f'<text x="{b.x + b.width / 2:.1f}" y="{b.y + PAD / 2 + 11 + i * LINE:.1f}" '
                   f'text-anchor="middle"{attrs}>{escape(line)}</text>')
    return [*out, "</g>"]


def _edge(a: _Box, b: _Box, label: str, kind: str) -> list[str]:
    """A curve from ``a``'s right side to ``b``'s left, labelled beside the template end."""
    x1, y1 = a.x + a.width, a.y + a.height / 2
    x2, y2 = b.x, b.y + b.height / 2
    mid = (x1 + x2) / 2
    style = {"home": 'stroke-width="3"', "key": 'stroke-width="1.2"',
             "reference": 'stroke-width="1.2" stroke-dasharray="5,3" marker-end="url(#arrow)"'}
    out = [f'<path d="M{x1:.1f},{y1:.1f} C{mid:.1f},{y1:.1f} {mid:.1f},{y2:.1f} {x2:.1f},'
           f'{y2:.1f}" fill="none" stroke="#57606a" {style[kind]}><title>{escape(label)}'
           "</title></path>"]
    text = escape(_short(label))
    if kind == "reference":  # at the middle: the target's own key label sits by its side
        out.append(f'<text x="{mid:.1f}" y="{(y1 + y2) / 2 - 4:.1f}" text-anchor="middle" '
                   f'fill="#24292f">{text}</text>')
    elif a.kind == "key":
        out.append(f'<text x="{x2 - 6:.1f}" y="{y2 - 4:.1f}" text-anchor="end" '
                   f'fill="#24292f">{text}</text>')
    else:
        out.append(f'<text x="{x1 + 6:.1f}" y="{y1 - 4:.1f}" fill="#24292f">{text}</text>')
    return out
