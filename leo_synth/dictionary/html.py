"""Self-contained HTML rendering of the data dictionary (no fonts, assets or network).

The same sections as the Markdown rendering, made navigable: a filter box (a small embedded
script) hides relations and columns whose name and description do not match, every template,
column and physical relation has an anchor (``#school_census``, ``#col-school_census-...``,
``#rel-spring_census_2011``), templates fold into ``<details>`` grouped by source database, and
the id-space diagram is inline SVG (:mod:`leo_synth.dictionary.svg_diagram`).
"""

from __future__ import annotations

import re
from html import escape

from leo_synth.dictionary import text
from leo_synth.dictionary.model import ColumnDoc, Dictionary, TemplateDoc
from leo_synth.dictionary.svg_diagram import render_svg

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 80em; padding: 0 1em 2em;
       color: #1b1f23; }
h1, h2, h3 { line-height: 1.2; } h2 { border-bottom: 1px solid #d0d7de; padding-bottom: .2em; }
code { background: #f3f4f6; padding: 0 .25em; border-radius: 3px; font-size: 90%; }
.scroll { overflow-x: auto; max-width: 100%; margin: .8em 0; }
table { border-collapse: collapse; font-size: 14px; width: 100%; table-layout: auto; }
th, td { border: 1px solid #d0d7de; padding: .3em .5em; vertical-align: top; text-align: left;
         overflow-wrap: break-word; }
table.columns td:first-child { min-width: 13em; } td:first-child code { overflow-wrap: anywhere; }
th { background: #f6f8fa; }
table.keys { table-layout: fixed; min-width: 60em; }
table.keys code { overflow-wrap: anywhere; }
table.keys th:nth-child(1) { width: 7%; } table.keys th:nth-child(2) { width: 13%; }
table.keys th:nth-child(3) { width: 8%; } table.keys th:nth-child(4) { width: 17%; }
table.keys th:nth-child(5) { width: 21%; } table.keys th:nth-child(6) { width: 14%; }
table.columns td.desc { min-width: 18em; }
.diagram-box { overflow-x: auto; border: 1px solid #d0d7de; border-radius: 6px; padding: .5em; }
.diagram-box svg { display: block; }
#search { position: sticky; top: 0; background: #fff; padding: .6em 0; z-index: 2;
          border-bottom: 1px solid #d0d7de; display: flex; gap: 1em; align-items: center;
          flex-wrap: wrap; }
#filter { font: inherit; padding: .35em .6em; flex: 1 1 20em; max-width: 40em;
          border: 1px solid #8c959f; border-radius: 6px; }
#filter-count { color: #57606a; font-size: 14px; }
details.template { border: 1px solid #d0d7de; border-radius: 6px; margin: .5em 0;
                   padding: 0 .8em; }
details.template > summary { cursor: pointer; padding: .5em 0; }
details.template > summary h3 { display: inline; font-size: 1.1em; }
details.template[open] > summary { border-bottom: 1px solid #d0d7de; margin-bottom: .5em; }
.tdesc { color: #57606a; }
details { margin: .4em 0 .8em; } summary { cursor: pointer; }
[hidden] { display: none !important; }
:target { background: #fff8c5; }
""".strip()

SCRIPT = """
(function () {
  var box = document.getElementById("filter"), count = document.getElementById("filter-count");
  function low(el) { return el ? el.textContent.toLowerCase() : ""; }
  var templates = Array.prototype.map.call(document.querySelectorAll("details.template"),
    function (d) {
      return { d: d, text: (d.id + " " + low(d.querySelector("summary"))),
        rows: Array.prototype.map.call(d.querySelectorAll("tr[id^='col-']"), function (r) {
          return { r: r, text: low(r.cells[0]) + " " + low(r.querySelector(".desc")) }; }) };
    });
  var rels = Array.prototype.map.call(document.querySelectorAll("tr[id^='rel-']"),
    function (r) { return { r: r, text: low(r) }; });
  var dbs = document.querySelectorAll("section.db");
  function apply() {
    var q = box.value.trim().toLowerCase(), shown = 0, cols = 0;
    templates.forEach(function (t) {
      var whole = !q || t.text.indexOf(q) >= 0, any = whole;
      t.rows.forEach(function (c) {
        var hit = whole || c.text.indexOf(q) >= 0;
        c.r.hidden = !hit; if (hit) { any = true; cols++; }
      });
      t.d.hidden = !any; if (any) shown++;
      if (q) t.d.open = any && t.rows.length > 0;
    });
    Array.prototype.forEach.call(dbs, function (s) {
      s.hidden = !s.querySelector("details.template:not([hidden])");
    });
    var nrel = 0;
    rels.forEach(function (x) {
      x.r.hidden = !!q && x.text.indexOf(q) < 0; if (!x.r.hidden) nrel++;
    });
    count.textContent = q ? shown + " tables, " + cols + " columns, " + nrel + " relations match"
                          : "";
  }
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1)), el = id && document.getElementById(id);
    for (var p = el; p; p = p.parentElement) {
      if (p.tagName === "DETAILS") p.open = true;
      p.hidden = false;
    }
    if (el) el.scrollIntoView();
  }
  box.addEventListener("input", apply);
  window.addEventListener("hashchange", reveal);
  reveal();
})();
""".strip()


def inline(marked: str) -> str:
    """Marked-up text (backtick code spans) as HTML."""
    return "".join(f"<code>{escape(piece)}</code>" if is_code else escape(piece)
                   for is_code, piece in text.spans(" ".join(str(marked).split())))


def _table(header: list[str], rows: list[list[str]], css: str = "",
           ids: list[str] | None = None, desc: int | None = None) -> list[str]:
    """An HTML table from header cells and rows of cell HTML, in a scrolling container.

    ``ids`` gives each row an anchor; ``desc`` marks the description cell (the filter reads it).
    """
    out = ['<div class="scroll">', f'<table class="{css}">' if css else "<table>",
           "<thead><tr>" + "".join(f"<th>{h}</th>" for h in header) + "</tr></thead>",
           "<tbody>"]
    for i, row in enumerate(rows):
        attr = f' id="{escape(ids[i])}"' if ids else ""
        cells = "".join(f'<td class="desc">{c}</td>' if j == desc else f"<td>{c}</td>"
                        for j, c in enumerate(row))
        out.append(f"<tr{attr}>{cells}</tr>")
    return [*out, "</tbody>", "</table>", "</div>"]


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
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{escape(title)}</title>", f"<style>\n{STYLE}\n</style>", "</head>",
             "<body>", f"<h1>{escape(title)}</h1>",
             '<div id="search"><input id="filter" type="search" autocomplete="off" '
             'placeholder="Filter tables and columns by name or description" '
             'aria-label="Filter tables and columns"><span id="filter-count"></span></div>']
    lines += [f"<p>{inline(p)}</p>" for p in text.intro(d)]
    lines += _contents(d) + _databases(d) + _calendars(d) + _keys(d) + _linkage(d)
    for db in d.databases:
        if not db.templates:
            continue
        srs = f" (SRS database <code>{escape(db.srs_name)}</code>)" if db.srs_name else ""
        lines += [f'<section class="db" id="db-{escape(db.name)}">',
                  f"<h2>{escape(db.name)}{srs}</h2>", f"<p>{inline(db.description)}</p>"]
        for template in db.templates:
            lines += _template(template)
        lines.append("</section>")
    lines += _index(d)
    lines += [f"<script>\n{SCRIPT}\n</script>", "</body>", "</html>"]
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
            items.append(f'<a href="#db-{escape(db.name)}">{escape(db.name)}</a>: {links}')
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
                     "Description"], rows, css="keys")]


def _linkage(d: Dictionary) -> list[str]:
    """The id-space diagram, canonical routes and references."""
    lines = ['<h2 id="how-the-id-spaces-join">How the id spaces join</h2>',
             "<p>Person keys meet in the linkage lookups (derived from the specs' "
             "<code>key</code> and <code>references</code> declarations): thick edges lead to a "
             "keyspace's home, plain edges to other relations carrying it, arrows are "
             "references (dashed). The Markdown dictionary holds the same diagram as Mermaid "
             "source.</p>",
             f'<div class="diagram-box">\n{render_svg(d)}\n</div>',
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
    count = len(t.relations)
    lines = [f'<details class="template" id="{escape(t.anchor)}">',
             f"<summary><h3>{escape(t.name)}</h3> <span class=\"tdesc\">"
             f"({count} relation{'s' if count != 1 else ''}, {len(t.columns)} columns): "
             f"{inline(t.description)}</span></summary>", *_list(facts)]
    return [*lines, *_columns(t), "</details>"]


def _columns(t: TemplateDoc) -> list[str]:
    """A template's column table."""
    if not t.columns:
        return [f"<p>{text.NO_COLUMNS}</p>"]
    layout = text.ColumnLayout.of(t)
    ids = column_ids(t)
    rows = [[f'<a href="#{escape(ids[i])}"><code>{escape(col.name)}</code></a>',
             f"<code>{escape(col.type)}</code>",
             *(escape(fact) for fact in layout.facts(col)), inline(text.described(col)),
             _values(col)] for i, col in enumerate(t.columns)]
    return _table(layout.header(), rows, css="columns", ids=ids,
                  desc=len(layout.header()) - 2)


def column_ids(t: TemplateDoc) -> list[str]:
    """One unique anchor per template column: ``col-TEMPLATE-NAME`` without punctuation."""
    ids: list[str] = []
    for col in t.columns:
        base = f"col-{t.anchor}-" + re.sub(r"[^A-Za-z0-9_.-]", "", col.name)
        anchor, n = base, 2
        while anchor in ids:
            anchor, n = f"{base}-{n}", n + 1
        ids.append(anchor)
    return ids


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
    rels = [r for t in d.templates for r in t.relations]
    rows = [[f'<a href="#rel-{escape(r.name)}"><code>{escape(r.name)}</code></a>',
             f"<code>{escape(r.database)}</code>",
             f"<code>{escape(r.srs_name)}</code>", _link(r.template, t.anchor),
             escape(r.years_label or ""), str(len(r.columns))]
            for t in d.templates for r in t.relations]
    return ['<h2 id="index-of-relations">Index of relations</h2>',
            *_table(["Relation", "Database", "SRS name", "Template", "Years", "Columns"], rows,
                    ids=[f"rel-{r.name}" for r in rels])]
