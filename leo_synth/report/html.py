"""The report as one self-contained HTML page: the tables plus inline-SVG charts."""

from __future__ import annotations

import importlib
import inspect
import re
import sqlite3
from collections.abc import Callable
from html import escape
from pathlib import Path

from leo_synth.errors import LeoSynthError
from leo_synth.report import svg
from leo_synth.report.evaluate import STAT_FACTOR, Report, TargetResult
from leo_synth.report.registry import FAMILIES, recorded_sql
from leo_synth.report.render import band, fmt, is_gap, summary, target_text
from leo_synth.report.source import Workspace
from leo_synth.report.stats import Z95

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; padding: 0 1em; color: #222;
       max-width: 1100px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 13px; margin: 1em 0; }
svg { max-width: 100%; height: auto; display: block; }
th, td { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: right; }
th { background: #f3f3f3; }
td.l, th.l { text-align: left; }
tr.fail td.v { color: #b00; font-weight: bold; }
tr.pass td.v { color: #080; }
tr.na td { color: #888; }
figure { margin: 1.5em 0; }
figcaption { font-size: 14px; color: #555; }
pre { font-size: 12px; background: #f6f8fa; padding: 0.8em; overflow-x: auto; }
details.sql { margin: .3em 0; } details.sql summary { cursor: pointer; }
code { background: #f3f4f6; padding: 0 .2em; border-radius: 3px; }
"""
CATEGORY_COLORS = {"education": "#1f77b4", "apprenticeship": "#2ca02c",
                   "employment": "#ff7f0e", "combination": "#9467bd",
                   "not_sustained": "#d62728", "unknown": "#7f7f7f"}
INSTITUTION_COLORS = {"school_sixth_form": "#17becf", "sixth_form_college": "#8c564b",
                      "fe_college": "#e377c2"}


def _verdict(passed: bool | None, achieved: float | None) -> tuple[str, str]:
    if passed is None:
        return "na", "n/a"
    if achieved is None:
        return "fail", "no data"
    return ("pass", "pass") if passed else ("fail", "fail")


def _targets_table(report: Report) -> str:
    rows = []
    for r in report.targets:
        cls, text = _verdict(r.passed, r.achieved)
        _, stat = _verdict(r.passed_statistical, r.achieved)
        unit = r.target.unit
        description = r.target.description + (f" ({r.target.note})" if r.target.note else "")
        if r.passed is None:
            cells = [r.target.id, description, target_text(r), "-", "-", "-", "-",
                     "-", "n/a", r.reason]
        else:
            cells = [r.target.id, description, target_text(r),
                     fmt(r.achieved, unit, gap=is_gap(r.target.metric)),
                     band(r.tolerance, unit),
                     band(r.effective_tolerance, unit),
                     band(r.se, unit).replace("±", "") if r.se is not None else "-",
                     f"{r.n:,}", text, stat]
        tds = "".join(f'<td class="{"l" if i in (0, 1, 9) else ("v" if i == 8 else "")}">'
                      f"{escape(c)}</td>" for i, c in enumerate(cells))
        rows.append(f'<tr class="{cls}">{tds}</tr>')
    head = "".join(f'<th class="{"l" if i in (0, 1, 9) else ""}">{h}</th>' for i, h in
                   enumerate(["id", "description", "target", "achieved", "tolerance",
                              "stat. tol", "SE", "n", "strict", "statistical / reason"]))
    return f'<div class="scroll"><table><tr>{head}</tr>{"".join(rows)}</table></div>'


def _relationships_table(report: Report) -> str:
    rows = []
    for r in report.relationships:
        rel = r.relationship
        cls, text = _verdict(r.passed, r.achieved)
        _, stat = _verdict(r.passed_statistical, r.achieved)
        gap = is_gap(rel.metric)
        need = ", ".join(p for p in (
            f"min {fmt(rel.min, rel.unit, True, gap)}" if rel.min is not None else "",
            f"max {fmt(rel.max, rel.unit, True, gap)}" if rel.max is not None else "") if p)
        cells = [rel.id, rel.description, need, fmt(r.achieved, rel.unit, True, gap),
                 band(r.se, rel.unit).replace("±", "") if r.se is not None else "-",
                 f"{r.n:,}", text, stat]
        tds = "".join(f'<td class="{"l" if i < 2 else ("v" if i == 6 else "")}">'
                      f"{escape(c)}</td>" for i, c in enumerate(cells))
        rows.append(f'<tr class="{cls}">{tds}</tr>')
    head = "".join(f'<th class="{"l" if i < 2 else ""}">{h}</th>' for i, h in
                   enumerate(["id", "description", "required", "achieved", "SE", "n",
                              "strict", "statistical"]))
    return f'<div class="scroll"><table><tr>{head}</tr>{"".join(rows)}</table></div>'


def _deviation_chart(report: Report) -> str:
    items = []
    for r in report.targets:
        if r.passed is None or r.achieved is None:
            continue
        gap = r.achieved - r.target.value
        if r.target.bound == "lower":
            gap = min(gap, 0.0)
        elif r.target.bound == "upper":
            gap = max(gap, 0.0)
        z = gap / (r.tolerance or 1.0)
        stat = STAT_FACTOR * r.se / (r.tolerance or 1.0) if r.se is not None else 0.0
        items.append(svg.Deviation(r.target.id, z, bool(r.passed), stat))
    return svg.deviation_plot(items, "Distance from each target, in tolerances")


def _fsm_chart(report: Report) -> str:
    series = []
    for phase, color in (("all", svg.PALETTE[0]), ("secondary", svg.PALETTE[1])):
        results = [r for r in report.targets if r.target.metric is not None
                   and r.target.metric.definition == "census_fsm_rate"
                   and r.target.metric.params.get("phase") == phase]
        shown = [r for r in results
                 if r.achieved is not None and r.target.start_year is not None]
        achieved = [(float(r.target.start_year), r.achieved) for r in shown]
        errors = [Z95 * (r.se or 0) for r in shown]
        dated = [r for r in results if r.target.start_year is not None]
        published = [(float(r.target.start_year), r.target.value) for r in dated]
        bands = [(r.tolerance, r.effective_tolerance) for r in dated]
        if achieved:
            series.append(svg.Series(f"{phase}: achieved", achieved, color, errors=errors))
        if published:
            series.append(svg.Series(f"{phase}: published", published, color, line=False,
                                     marker="cross", bands=bands))
    return svg.line_chart(series, "Pupils eligible for FSM (spring census)", "academic year",
                          "% of pupils", y_fmt=lambda v: f"{v:g}%",
                          x_fmt=lambda v: f"{int(v)}/{(int(v) + 1) % 100:02d}")


def _earnings_chart(ws: Workspace, report: Report) -> str:
    from leo_synth.report.families.graduates import earnings_by_yag

    series = []
    for i, tax_year in enumerate((2016, 2018, 2020)):
        color = svg.PALETTE[i]
        est = earnings_by_yag(ws, tax_year, range(1, 11))
        points = [(float(y), e.value) for y, e in est.items() if e.ok]
        errors = [Z95 * (e.se or 0) for e in est.values() if e.ok]
        label = f"{tax_year}/{(tax_year + 1) % 100:02d}"
        series.append(svg.Series(f"achieved {label}", points, color, errors=errors))
        shown = [r for r in report.targets if r.target.metric is not None
                 and r.target.metric.definition == "graduate_median_earnings"
                 and r.target.metric.params.get("level") == "first_degree"
                 and r.target.metric.params.get("tax_year") == tax_year]
        published = [(float(r.target.metric.params["yag"]), r.target.value) for r in shown]
        if published:
            series.append(svg.Series(f"published {label}", published, color, line=False,
                                     marker="cross", bands=[(r.tolerance, r.effective_tolerance)
                                                            for r in shown]))
    return svg.line_chart(series, "Median earnings of first-degree graduates by years after "
                          "graduation", "years after graduation (YAG)", "median earnings",
                          y_fmt=lambda v: f"£{v / 1000:g}k", y_zero=True)


def _age_chart(ws: Workspace) -> str:
    from leo_synth.report.families.graduates import earnings_by_age_groups

    groups = earnings_by_age_groups(ws, 2020, (21, 40))
    series = []
    for i, (group, label) in enumerate((("graduate", "graduates"),
                                        ("non_graduate", "non-graduates"))):
        est = groups[group]
        series.append(svg.Series(label, [(float(a), e.value) for a, e in est.items()],
                                 svg.PALETTE[i],
                                 errors=[Z95 * (e.se or 0) for e in est.values()]))
    return svg.line_chart(series, "Median earnings by age, tax year 2020/21 (sustained "
                          "employment)", "age on 6 April 2020", "median earnings",
                          y_fmt=lambda v: f"£{v / 1000:g}k", y_zero=True)


def _a8_chart(ws: Workspace) -> str:
    from leo_synth.report.families.ks4 import a8_histogram

    hist = a8_histogram(ws, 2018)
    bins = list(range(0, 95, 5))
    groups = []
    for flag, name, color in ((0, "not FSM6", svg.PALETTE[0]), (1, "FSM6", svg.PALETTE[1])):
        total = sum(hist[flag].values()) or 1
        groups.append((name, [100 * hist[flag].get(b, 0) / total for b in bins], color))
    return svg.bar_chart([str(b) for b in bins], groups,
                         "Attainment 8 of KS4 pupils 2018/19, by disadvantage (FSM6)",
                         "% of group", y_fmt=lambda v: f"{v:g}%")


def _destination_targets(report: Report, year: int) -> dict[str, TargetResult]:
    """The report's KS4 destination targets of leavers of ``year``, by category (filtered
    variants, as the relationships use, left out)."""
    return {r.target.metric.params["category"]: r for r in report.targets
            if r.target.metric is not None
            and r.target.metric.definition == "ks4_destination_share"
            and r.target.metric.params.keys() == {"year", "category"}
            and r.target.metric.params["year"] == year}


def _destinations_chart(ws: Workspace, report: Report) -> str:
    from leo_synth.report.families.destinations import destination_breakdown

    shares = destination_breakdown(ws, 2018)
    achieved = [(c, 100 * shares[c]) for c in CATEGORY_COLORS]
    targets = _destination_targets(report, 2018)
    published = [(c, targets[c].target.value) for c in CATEGORY_COLORS if c in targets]
    return svg.stacked_bars([("achieved", achieved), ("published", published)],
                            CATEGORY_COLORS, "Destinations of KS4 leavers 2018/19 "
                            "(October 2019 - March 2020)")


def _institutions_chart(report: Report) -> str:
    """Where 2014/15 KS4 leavers studied: the three institution targets' achieved and
    published shares, the rest of the leavers as one part."""
    targets = _destination_targets(report, 2014)
    rows = []
    for label, value in (("achieved", lambda r: r.achieved),
                         ("published", lambda r: r.target.value)):
        parts = [(c, value(targets[c])) for c in INSTITUTION_COLORS
                 if c in targets and value(targets[c]) is not None]
        if not parts:
            continue
        rows.append((label, [*parts, ("elsewhere", 100 - sum(v for _, v in parts))]))
    if not rows:
        raise LeoSynthError("the report has no KS4 institution targets of 2014/15 leavers")
    return svg.stacked_bars(rows, {**INSTITUTION_COLORS, "elsewhere": "#c7c7c7"},
                            "Where KS4 leavers 2014/15 studied (October 2015 - March 2016)")


FIGURES: list[tuple[str, str]] = [
    ("fsm", "FSM eligibility by year: achieved (with 95% intervals) and published."),
    ("earnings", "Median earnings by YAG in three tax years; crosses mark the published "
                 "medians, bars are 95% intervals."),
    ("a8", "Distribution of Attainment 8 (5-point bins) for disadvantaged and other pupils."),
    ("destinations", "Sustained destinations of KS4 leavers; the published split is "
                     "DfE's (education 86-89%)."),
    ("institutions", "KS4 leavers in sustained education by institution: a school sixth "
                     "form, a sixth-form college or an FE college; the rest are elsewhere "
                     "(apprenticeships, employment, not sustained or not captured)."),
    ("age", "Graduates' and non-graduates' median earnings by age."),
]


def _figure(ws: Workspace, key: str, make: Callable[[], str], caption: str,
            extra_sql: list[str]) -> str:
    """A chart, its caption and the SQL it ran (or that computed the targets it plots)."""
    with ws.recording(("figure", key)) as queries:
        try:
            body = make()
        except (LeoSynthError, sqlite3.Error, KeyError) as exc:
            body = f"<p>not available: {escape(str(exc))}</p>"
    sql = _sql_block(list(queries) + [q for q in extra_sql if q not in queries],
                     "The SQL behind this figure")
    return (f'<figure id="figure-{key}">{body}<figcaption>{escape(caption)}</figcaption>'
            f"{sql}</figure>")


def _sql_block(queries: list[str], summary_text: str) -> str:
    """A folded ``<pre>`` of queries, or nothing when there are none."""
    if not queries:
        return ""
    body = "\n\n".join(q if q.rstrip().endswith(";") or "\n-- " in q else q + ";"
                        for q in queries)
    return (f'<details class="sql"><summary>{escape(summary_text)}</summary>'
            f"<pre>{escape(body)}</pre></details>")


def target_sql(ws: Workspace, result: TargetResult) -> list[str]:
    """The queries that computed a target (every part of a combined metric)."""
    metric = result.target.metric
    if metric is None or result.passed is None:
        return []
    out: list[str] = []
    for leaf in metric.leaves():
        assert leaf.definition is not None
        out += [q for q in recorded_sql(ws, leaf.definition, leaf.params) if q not in out]
    return out


def _target_lessons(ws: Workspace, report: Report) -> str:
    """Per computed target, the SQL that computed it."""
    items = []
    for r in report.targets:
        queries = target_sql(ws, r)
        if queries:
            label = f"SQL ({len(queries)} {'query' if len(queries) == 1 else 'queries'})"
            items.append(f'<div id="sql-{escape(r.target.id)}"><b>{escape(r.target.id)}</b>: '
                         f"{escape(r.target.description)}{_sql_block(queries, label)}</div>")
    derived = [f'<div id="derived-{escape(name)}"><b><code>{escape(name)}</code></b>'
               f"{_sql_block(statements, 'SQL that builds it')}</div>"
               for name, statements in sorted(ws.derived_sql.items())]
    return ("<p>Each computed target, with the queries the report ran for it (names like "
            "<code>t_person</code> are derived tables, built once; their SQL follows).</p>"
            + "\n".join(items) + "<h3>Derived tables</h3>" + "\n".join(derived))


def definition_html(doc: str) -> str:
    """A docstring as HTML: paragraphs and bullet lists, ````code```` spans kept."""
    blocks = re.split(r"\n\s*\n", inspect.cleandoc(doc)) if doc.strip() else []
    out = []
    for block in blocks:
        lines = block.splitlines()
        if lines[0].lstrip().startswith(("* ", "- ")):
            items: list[str] = []
            for line in lines:
                stripped = line.strip()
                if stripped.startswith(("* ", "- ")):
                    items.append(stripped[2:])
                elif items:
                    items[-1] += " " + stripped
            out.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + "</ul>")
        else:
            out.append(f"<p>{_inline(' '.join(line.strip() for line in lines))}</p>")
    return "\n".join(out)


def _inline(text: str) -> str:
    """Text with ````code```` or ```code``` spans as ``<code>``."""
    parts = re.split(r"``?([^`]+)``?", text)
    return "".join(f"<code>{escape(p)}</code>" if i % 2 else escape(p)
                   for i, p in enumerate(parts))


def render_html(ws: Workspace, report: Report, source: str) -> str:
    """The whole page."""
    makers: dict[str, Callable[[], str]] = {
        "fsm": lambda: _fsm_chart(report),
        "earnings": lambda: _earnings_chart(ws, report),
        "a8": lambda: _a8_chart(ws),
        "destinations": lambda: _destinations_chart(ws, report),
        "institutions": lambda: _institutions_chart(report),
        "age": lambda: _age_chart(ws),
    }
    fsm_sql = [q for r in report.targets if r.target.metric is not None
               and r.target.metric.definition == "census_fsm_rate"
               for q in target_sql(ws, r)][:2]
    institution_sql = [q for r in _destination_targets(report, 2014).values()
                       for q in target_sql(ws, r)]
    extra_sql = {"fsm": fsm_sql, "institutions": list(dict.fromkeys(institution_sql))}
    figures = "\n".join(_figure(ws, key, makers[key], caption, extra_sql.get(key, []))
                        for key, caption in FIGURES)
    modules = [("shared conventions", "leo_synth.report.derived"),
               *((f, f"leo_synth.report.families.{f}") for f in FAMILIES)]
    docs = "\n".join(
        f"<h3>{escape(title)}</h3>{definition_html(importlib.import_module(name).__doc__ or '')}"
        for title, name in modules)
    mode = "statistical" if report.statistical else "strict"
    return f"""<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en">
<head><meta charset="utf-8"/><title>leo-synth calibration report</title>
<style>{STYLE}</style></head>
<body>
<h1>leo-synth calibration report</h1>
<p>Extract: {escape(source)}. Verdict for the exit status: {mode}.
{escape(summary(report))}</p>
<figure>{_deviation_chart(report)}<figcaption>Each computed target's distance from the
published value in units of its tolerance (bounds: distance beyond the bound).</figcaption>
</figure>
<h2>Targets</h2>
{_targets_table(report)}
<h2>Relationships</h2>
{_relationships_table(report)}
<h2>Charts</h2>
{figures}
<h2>Definitions</h2>
{docs}
<h2>How each target is computed</h2>
{_target_lessons(ws, report)}
</body>
</html>
"""


def write_html(ws: Workspace, report: Report, path: Path, source: str) -> None:
    """Write the page to ``path``."""
    page = render_html(ws, report, source)
    try:
        path.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise LeoSynthError(f"cannot write {path}: {exc.strerror or exc}") from exc
