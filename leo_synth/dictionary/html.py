"""Self-contained HTML rendering of the data dictionary (no scripts, fonts or other assets).

The same sections as the Markdown rendering. The Mermaid diagram is a ``<pre class="mermaid">``
block holding its source: a page that loads Mermaid draws it, any other shows the text.
"""

from __future__ import annotations

from html import escape

from leo_synth.dictionary import text
from leo_synth.dictionary.mermaid import diagram
from leo_synth.dictionary.model import ColumnDoc, Dictionary, TemplateDoc

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 78em; padding: 0 1em;
       color: #1b1f23; }
h1, h2, h3 { line-height: 1.2; } h2 { border-bottom: 1px solid #d0d7de; padding-bottom: .2em; }
h3 { margin-top: 2em; }
code { background: #f3f4f6; padding: 0 .25em; border-radius: 3px; font-size: 90%; }
table { border-collapse: collapse; margin: .8em 0; font-size: 14px; }
th, td { border: 1px solid #d0d7de; padding: .3em .5em; vertical-align: top; text-align: left; }
th { background: #f6f8fa; }
pre.mermaid { background: #f6f8fa; padding: 1em; overflow-x: auto; font-size: 13px; }
details { margin: .4em 0 .8em; } summary { cursor: pointer; }
""".strip()


def inline(marked: str) -> str:
    """Marked-up text (backtick code spans) as HTML."""
    return "".join(f"<code>{escape(piece)}</code>" if is_code else escape(piece)
                   for is_code, piece in text.spans(" ".join(str(marked).split())))


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """An HTML table from header cells and rows of cell HTML."""
    out = ["<table>", "<thead><tr>" + "".join(f"<th>{h}</th>" for h in header) + "</tr></thead>",
           "<tbody>"]
    out += ["<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows]
    return [*out, "</tbody>", "</table>"]


def _list(items: list[str]) -> list[str]:
    """An HTML bullet list of item HTML."""
    return ["<ul>", *(f"<li>{item}</li>" for item in items), "</ul>"]


def _link(name: str, anchor: str) -> str:
    """A code-styled link to an anchor in the page."""
    return f'<a href="#{escape(anchor)}"><code>{escape(name)}</code></a>'


def render_html(d: Dictionary) -> str:
    """The whole dictionary as one self-contained HTML page."""
    title = f"{text.TITLE}: Iteration {d.iteration}"
    lines = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             f"<title>{escape(title)}</title>", f"<style>\n{STYLE}\n</style>", "</head>",
             "<body>", f"<h1>{escape(title)}</h1>"]
    lines += [f"<p>{inline(p)}</p>" for p in text.intro(d)]
    lines += _contents(d) + _databases(d) + _calendars(d) + _keys(d) + _linkage(d)
    for db in d.databases:
        if not db.templates:
            continue
        lines += [f'<h2 id="{escape(db.name)}">{escape(db.name)}</h2>',
                  f"<p>{inline(db.description)}</p>"]
        for template in db.templates:
            lines += _template(template)
    lines += _index(d)
    lines += ["</body>", "</html>"]
    return "\n".join(lines) + "\n"


def _contents(d: Dictionary) -> list[str]:
    """The table of contents."""
    items = ['<a href="#source-databases">Source databases</a>',
             '<a href="#calendars-and-names">Calendars and names</a>',
             '<a href="#pseudonymous-keys">Pseudonymous keys</a>',
             '<a href="#how-the-id-spaces-join">How the id spaces join</a>']
    for db in d.databases:
        if db.templates:
            links = ", ".join(_link(t.name, t.anchor) for t in db.templates)
            items.append(f'<a href="#{escape(db.name)}">{escape(db.name)}</a>: {links}')
    items.append('<a href="#index-of-relations">Index of relations</a>')
    return ["<h2>Contents</h2>", *_list(items)]


def _databases(d: Dictionary) -> list[str]:
    """The source databases and their tables."""
    rows = []
    for db in d.databases:
        count = sum(len(t.relations) for t in db.templates)
        tables = ", ".join(_link(t.name, t.anchor) for t in db.templates)
        rows.append([f"<code>{escape(db.name)}</code>",
                     f"<code>{escape(db.srs_name)}</code>" if db.srs_name else "",
                     inline(db.description), tables or "none in this release", str(count)])
    return ['<h2 id="source-databases">Source databases</h2>', f"<p>{inline(text.SRS_NAMES)}</p>",
            *_table(["Database", "SRS database", "Contents", "Tables", "Relations"], rows)]


def _calendars(d: Dictionary) -> list[str]:
    """Calendars and the name placeholders."""
    lines = ['<h2 id="calendars-and-names">Calendars and names</h2>']
    lines += _list([inline(line) for line in text.calendars()])
    lines.append("<p>Column and relation names are written as in the specs, with "
                 "placeholders:</p>")
    lines += _list([f"<code>{escape(name)}</code>: {inline(meaning)}"
                    for name, meaning in d.placeholders])
    return lines


def _keys(d: Dictionary) -> list[str]:
    """The keyspaces, their homes and synthetic markers."""
    rows = [[f"<code>{escape(k.name)}</code>", inline(text.code(k.label)),
             f"<code>{escape(k.type)}</code>", inline(text.code(k.home)) if k.home else "none",
             inline(text.carriers(k)), inline(k.marker), inline(k.description)]
            for k in d.keyspaces]
    return ['<h2 id="pseudonymous-keys">Pseudonymous keys</h2>',
            "<p>Every key of the synthetic extract carries a synthetic marker, so no synthetic "
            "row can pass for a real one. A keyspace's home is the relation listing all its "
            "keys.</p>",
            *_table(["Keyspace", "Column", "Type", "Home", "Carried by", "Synthetic marker",
                     "Description"], rows)]


def _linkage(d: Dictionary) -> list[str]:
    """The id-space diagram, canonical routes and references."""
    lines = ['<h2 id="how-the-id-spaces-join">How the id spaces join</h2>',
             "<p>Person keys meet in the linkage lookups (derived from the specs' "
             "<code>key</code> and <code>references</code> declarations): thick edges lead to a "
             "keyspace's home, plain edges to other relations carrying it, arrows are "
             "references. The diagram source is Mermaid (paste it into any Mermaid viewer).</p>",
             f'<pre class="mermaid">\n{escape(diagram(d))}</pre>',
             "<p>Canonical join routes (each lookup is 1:N from AE_ID, and some education "
             "records are deliberately unmatched):</p>"]
    lines += _list([inline(text.route_line(r)) for r in d.routes])
    if d.references:
        lines.append("<p>References (foreign keys):</p>")
        lines += _list([f"{inline(text.code(f'{r.source}.{r.column}'))} → "
                        f"{inline(text.code(r.target))}" for r in d.references])
    return lines


def _template(t: TemplateDoc) -> list[str]:
    """One table template: facts, relations, joins, routes and columns."""
    calendar = text.calendar_label(t.calendar) + (f"; years {t.years_label}"
                                                  if t.years_label else "")
    facts = [f"<b>Database:</b> <code>{escape(t.database)}</code> "
             f"(family <code>{escape(t.family)}</code>)",
             f"<b>Grain:</b> {inline(t.grain)}",
             f"<b>Calendar:</b> {escape(calendar)}"]
    single = (len(t.variants) == 1 and len(t.variants[0].runs) == 1
              and t.variants[0].runs[0].count == 1)
    if single:
        facts.append(f"<b>Relation:</b> {inline(text.variant_line(t.variants[0]))}")
    else:
        facts.append("<b>Relations:</b>" + "".join(
            _list([inline(text.variant_line(v)) for v in t.variants])))
    pk = ", ".join(text.code(c) for c in t.primary_key) or "none declared"
    facts.append(f"<b>Primary key:</b> {inline(pk)}")
    if t.joins:
        facts.append("<b>Joins:</b>" + "".join(_list([inline(text.join_line(j))
                                                      for j in t.joins])))
    if t.routes:
        facts.append("<b>Routes to other person keys:</b>" + "".join(
            _list([inline(text.route_line(r)) for r in t.routes])))
    if t.quirks:
        facts.append("<b>Quirks</b> (<code>--profile</code>, rate under realistic / messy):"
                     + "".join(_list([inline(text.quirk_line(q)) for q in t.quirks])))
    facts.append(f"<b>Columns:</b> {len(t.columns)}")
    lines = [f'<h3 id="{escape(t.anchor)}">{escape(t.name)}</h3>',
             f"<p>{inline(t.description)}</p>", *_list(facts)]
    return lines + _columns(t)


def _columns(t: TemplateDoc) -> list[str]:
    """A template's column table."""
    if not t.columns:
        return [f"<p>{text.NO_COLUMNS}</p>"]
    layout = text.ColumnLayout.of(t)
    rows = [[f"<code>{escape(col.name)}</code>", f"<code>{escape(col.type)}</code>",
             *(escape(fact) for fact in layout.facts(col)), inline(text.described(col)),
             _values(col)] for col in t.columns]
    return _table(layout.header(), rows)


def _values(col: ColumnDoc) -> str:
    """Key, range and code facts of a column (long code lists folded)."""
    parts = [inline(text.values_label(col))] if text.values_label(col) else []
    items = [inline(text.code_item(c.code, c.label)) for c in col.codes]
    if col.codes and len(col.codes) <= text.INLINE_CODES:
        parts.append("; ".join(items))
    elif col.codes:
        parts.append(f"<details><summary>{len(col.codes)} codes</summary>"
                     + "<br>".join(items) + "</details>")
    return "<br>".join(parts)


def _index(d: Dictionary) -> list[str]:
    """Every physical relation, with its template and years."""
    rows = [[f"<code>{escape(r.name)}</code>", f"<code>{escape(r.database)}</code>",
             f"<code>{escape(r.srs_name)}</code>", _link(r.template, t.anchor),
             escape(r.years_label or ""), str(len(r.columns))]
            for t in d.templates for r in t.relations]
    return ['<h2 id="index-of-relations">Index of relations</h2>',
            *_table(["Relation", "Database", "SRS name", "Template", "Years", "Columns"], rows)]
