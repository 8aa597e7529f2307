"""Markdown (GitHub flavoured) rendering of the data dictionary.

One section per table template, with its relations summarised as year runs and one column table
per template (not per physical relation), so the document stays readable as the catalog grows.
Long code lists are folded in ``<details>`` blocks.
"""

from __future__ import annotations

import html
import re

from leo_synth.dictionary import text
from leo_synth.dictionary.mermaid import diagram
from leo_synth.dictionary.model import ColumnDoc, Dictionary, TemplateDoc

_ESCAPE = re.compile(r"([\\`*\[\]~|])")
_EDGE_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_BLOCK_START = re.compile(r"^([#>+=-]|\d+[.)])")


def inline(marked: str, in_table: bool = False) -> str:
    """Marked-up text (backtick code spans) as Markdown; ``in_table`` for a table cell."""
    out = []
    for is_code, piece in text.spans(" ".join(str(marked).split())):
        if is_code:
            out.append(text.code(piece).replace("|", "\\|") if in_table
                       else text.code(piece))
        else:
            piece = _ESCAPE.sub(r"\\\1", piece)
            piece = _EDGE_UNDERSCORE.sub(r"\\_", piece)
            out.append(piece.replace("<", "&lt;").replace(">", "&gt;"))
    return "".join(out)


def paragraph(marked: str) -> str:
    """A paragraph of marked-up text that cannot turn into a heading or list by accident."""
    body = inline(marked)
    return "\\" + body if _BLOCK_START.match(body) else body


def cell(marked: str) -> str:
    """Marked-up text for a table cell (pipes escaped inside code spans too)."""
    return inline(marked, in_table=True)


def _row(cells: list[str]) -> str:
    """One Markdown table row."""
    return "| " + " | ".join(cells) + " |"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table from header cells and rows, then a blank line."""
    return [_row(header), _row(["---"] * len(header)), *(_row(r) for r in rows), ""]


def render_markdown(d: Dictionary) -> str:
    """The whole dictionary as one Markdown document."""
    lines = [f"# {text.TITLE}: Iteration {d.iteration}", ""]
    for para in text.intro(d):
        lines += [paragraph(para), ""]
    lines += _contents(d)
    lines += _databases(d)
    lines += _calendars(d)
    lines += _keys(d)
    lines += _linkage(d)
    for db in d.databases:
        if not db.templates:
            continue
        lines += [f"## {db.name}", "", paragraph(db.description), ""]
        for template in db.templates:
            lines += _template(template)
    lines += _index(d)
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


def _contents(d: Dictionary) -> list[str]:
    """The table of contents."""
    lines = ["## Contents", "",
             "- [Source databases](#source-databases)",
             "- [Calendars and names](#calendars-and-names)",
             "- [Pseudonymous keys](#pseudonymous-keys)",
             "- [How the id spaces join](#how-the-id-spaces-join)"]
    for db in d.databases:
        if db.templates:
            links = ", ".join(f"[{inline(t.name)}](#{t.anchor})" for t in db.templates)
            lines.append(f"- [{db.name}](#{db.name}): {links}")
    lines += ["- [Index of relations](#index-of-relations)", ""]
    return lines


def _databases(d: Dictionary) -> list[str]:
    """The source databases and their tables."""
    rows = []
    for db in d.databases:
        count = sum(len(t.relations) for t in db.templates)
        tables = ", ".join(f"[{cell(t.name)}](#{t.anchor})" for t in db.templates)
        rows.append([f"`{db.name}`", f"`{db.srs_name}`" if db.srs_name else "",
                     cell(db.description), tables or "none in this release", str(count)])
    return ["## Source databases", "", inline(text.SRS_NAMES), "",
            *_table(["Database", "SRS database", "Contents", "Tables", "Relations"], rows)]


def _calendars(d: Dictionary) -> list[str]:
    """Calendars and the name placeholders."""
    lines = ["## Calendars and names", ""]
    lines += [f"- {inline(line)}" for line in text.calendars()]
    lines += ["", "Column and relation names are written as in the specs, with placeholders:", ""]
    lines += [f"- `{name}`: {inline(meaning)}" for name, meaning in d.placeholders]
    return [*lines, ""]


def _keys(d: Dictionary) -> list[str]:
    """The keyspaces, their homes and synthetic markers."""
    rows = [[f"`{k.name}`", cell(text.code(k.label)), f"`{k.type}`",
             cell(text.code(k.home)) if k.home else "none", cell(text.carriers(k)),
             cell(k.marker), cell(k.description)] for k in d.keyspaces]
    return ["## Pseudonymous keys", "",
            "Every key of the synthetic extract carries a synthetic marker, so no synthetic row "
            "can pass for a real one. A keyspace's home is the relation listing all its keys.",
            "", *_table(["Keyspace", "Column", "Type", "Home", "Carried by",
                         "Synthetic marker", "Description"], rows)]


def _linkage(d: Dictionary) -> list[str]:
    """The id-space diagram, canonical routes and references."""
    lines = ["## How the id spaces join", "",
             "Person keys meet in the linkage lookups (derived from the specs' `key` and "
             "`references` declarations): thick edges lead to a keyspace's home, plain edges to "
             "other relations carrying it, arrows are references.", "",
             "```mermaid", diagram(d).rstrip("\n"), "```", "",
             "Canonical join routes (each lookup is 1:N from AE_ID, and some education records "
             "are deliberately unmatched):", ""]
    lines += [f"- {inline(text.route_line(r))}" for r in d.routes]
    if d.references:
        lines += ["", "References (foreign keys):", ""]
        lines += [f"- {inline(text.code(f'{r.source}.{r.column}'))} → "
                  f"{inline(text.code(r.target))}" for r in d.references]
    return [*lines, ""]


def _template(t: TemplateDoc) -> list[str]:
    """One table template: facts, relations, joins, routes and columns."""
    lines = [f"### {t.name}", "", paragraph(t.description), "",
             f"- **Database:** `{t.database}` (family `{t.family}`)",
             f"- **Grain:** {inline(t.grain)}",
             f"- **Calendar:** {text.calendar_label(t.calendar)}"
             + (f"; years {t.years_label}" if t.years_label else "")]
    if len(t.variants) == 1 and len(t.variants[0].runs) == 1 and t.variants[0].runs[0].count == 1:
        lines.append(f"- **Relation:** {inline(text.variant_line(t.variants[0]))}")
    else:
        lines.append("- **Relations:**")
        lines += [f"  - {inline(text.variant_line(v))}" for v in t.variants]
    pk = ", ".join(text.code(c) for c in t.primary_key) or "none declared"
    lines.append(f"- **Primary key:** {inline(pk)}")
    if t.joins:
        lines.append("- **Joins:**")
        lines += [f"  - {inline(text.join_line(j))}" for j in t.joins]
    if t.routes:
        lines.append("- **Routes to other person keys:**")
        lines += [f"  - {inline(text.route_line(r))}" for r in t.routes]
    if t.quirks:
        lines.append("- **Quirks** (`--profile`, rate under realistic / messy):")
        lines += [f"  - {inline(text.quirk_line(q))}" for q in t.quirks]
    lines.append(f"- **Columns:** {len(t.columns)}")
    lines.append("")
    lines += _columns(t)
    return lines


def _columns(t: TemplateDoc) -> list[str]:
    """A template's column table, then its folded long code lists."""
    if not t.columns:
        return [text.NO_COLUMNS, ""]
    layout = text.ColumnLayout.of(t)
    folded: list[ColumnDoc] = []
    rows = [[cell(text.code(col.name)), f"`{col.type}`",
             *(cell(fact) for fact in layout.facts(col)), cell(text.described(col)),
             _values(col, folded)] for col in t.columns]
    lines = _table(layout.header(), rows)
    for col in folded:
        lines += [f"<details><summary><code>{html.escape(col.name)}</code>: "
                  f"{len(col.codes)} codes</summary>", ""]
        lines += _table(["Code", "Label"],
                        [[cell(text.code(c.code)), cell(c.label or "")] for c in col.codes])
        lines += ["</details>", ""]
    return lines


def _values(col: ColumnDoc, folded: list[ColumnDoc]) -> str:
    """Key, range and code facts of a column; long code lists go to ``folded``."""
    parts = [cell(text.values_label(col))] if text.values_label(col) else []
    if col.codes and len(col.codes) <= text.INLINE_CODES:
        parts.append("; ".join(cell(text.code_item(c.code, c.label)) for c in col.codes))
    elif col.codes:
        parts.append(f"{len(col.codes)} codes (below)")
        folded.append(col)
    return "<br>".join(parts)


def _index(d: Dictionary) -> list[str]:
    """Every physical relation, with its template and years."""
    rows = [[f"`{r.name}`", f"`{r.database}`", f"`{r.srs_name}`",
             f"[{cell(r.template)}](#{t.anchor})", cell(r.years_label or ""), str(len(r.columns))]
            for t in d.templates for r in t.relations]
    return ["## Index of relations", "",
            *_table(["Relation", "Database", "SRS name", "Template", "Years", "Columns"], rows)]
