"""The report as a text table (stdout) and as JSON."""

from __future__ import annotations

import json
from typing import Any

from leo_synth.report.evaluate import RelationshipResult, Report, TargetResult
from leo_synth.report.targets import Metric


def fmt(value: float | None, unit: str, signed: bool = False, gap: bool = False) -> str:
    """A value in its unit: 14.3%, £19,900, 46.7, +37.0%, or +12.0 pp for a gap."""
    if value is None:
        return "-"
    sign = "+" if signed and value > 0 else ""
    if unit == "pounds":
        return f"{sign}£{value:,.0f}"
    if unit in ("rate", "share", "percent"):
        return f"{sign}{value:.1f}{' pp' if gap else '%'}"
    return f"{sign}{value:.1f}"


def is_gap(metric: Metric | None) -> bool:
    """True when a figure is a difference (percentage points for rates)."""
    return metric is not None and metric.is_gap


def band(value: float | None, unit: str) -> str:
    """A tolerance band in shown units: ±2.0 pp, ±£995, ±1.5."""
    if value is None:
        return "-"
    if unit in ("rate", "share", "percent"):
        return f"±{value:.1f} pp"
    if unit == "pounds":
        return f"±£{value:,.0f}"
    return f"±{value:.1f}"


def target_text(r: TargetResult) -> str:
    """The published value with its bound: 46.7, ≥40.0%, ≤30.0%."""
    prefix = {"lower": "≥", "upper": "≤"}.get(r.target.bound, "")
    return prefix + fmt(r.target.value, r.target.unit, gap=is_gap(r.target.metric))


def _verdict(passed: bool | None, achieved: float | None) -> str:
    if passed is None:
        return "n/a"
    if achieved is None:
        return "NO DATA"
    return "pass" if passed else "FAIL"


def _table(headers: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *[line(r) for r in rows]]


def render_text(report: Report) -> str:
    """Targets, n/a targets and relationships as aligned plain-text tables."""
    active = [r for r in report.targets if r.passed is not None]
    skipped = [r for r in report.targets if r.passed is None]
    rows = [[r.target.id, target_text(r),
             fmt(r.achieved, r.target.unit, gap=is_gap(r.target.metric)),
             band(r.tolerance, r.target.unit), band(r.effective_tolerance, r.target.unit),
             band(r.se, r.target.unit).replace("±", "") if r.se is not None else "-",
             f"{r.n:,}", _verdict(r.passed, r.achieved),
             _verdict(r.passed_statistical, r.achieved)] for r in active]
    mode = "statistical" if report.statistical else "strict"
    out = [f"Calibration targets ({len(active)} computed, {len(skipped)} n/a; "
           f"verdict used for the exit status: {mode})", ""]
    out += _table(["id", "target", "achieved", "tolerance", "stat. tol", "SE", "n",
                   "strict", "statistical"], rows, right={1, 2, 3, 4, 5, 6})
    if skipped:
        out += ["", "Not computed (n/a):"]
        out += [f"  {r.target.id}: {r.reason}" for r in skipped]
    rel_rows = [[r.relationship.id, _bounds(r),
                 fmt(r.achieved, r.relationship.unit, signed=True,
                     gap=is_gap(r.relationship.metric)),
                 band(r.se, r.relationship.unit).replace("±", "") if r.se is not None else "-",
                 f"{r.n:,}", _verdict(r.passed, r.achieved),
                 _verdict(r.passed_statistical, r.achieved)] for r in report.relationships]
    if rel_rows:
        out += ["", "Relationships", ""]
        out += _table(["id", "required", "achieved", "SE", "n", "strict", "statistical"],
                      rel_rows, right={1, 2, 3, 4})
    out += ["", summary(report)]
    return "\n".join(out)


def _bounds(r: RelationshipResult) -> str:
    rel = r.relationship
    gap = is_gap(rel.metric)
    parts = []
    if rel.min is not None:
        parts.append(f">= {fmt(rel.min, rel.unit, signed=True, gap=gap)}")
    if rel.max is not None:
        parts.append(f"<= {fmt(rel.max, rel.unit, signed=True, gap=gap)}")
    return ", ".join(parts)


def summary(report: Report) -> str:
    """One line: passes and failures of targets and relationships, in both modes."""
    def count(items: list[Any], key: str) -> tuple[int, int]:
        values = [getattr(i, key) for i in items if getattr(i, key) is not None]
        return sum(values), len(values) - sum(values)

    tp, tf = count(report.targets, "passed")
    sp, sf = count(report.targets, "passed_statistical")
    rp, rf = count(report.relationships, "passed")
    rsp, rsf = count(report.relationships, "passed_statistical")
    na = sum(1 for t in report.targets if t.passed is None)
    return (f"targets: {tp} pass, {tf} fail, {na} n/a (statistical: {sp} pass, {sf} fail); "
            f"relationships: {rp} pass, {rf} fail (statistical: {rsp} pass, {rsf} fail)")


def to_json(report: Report) -> str:
    """Every result as JSON (values in shown units)."""
    targets = [{
        "id": r.target.id, "description": r.target.description, "unit": r.target.unit,
        "target": r.target.value, "bound": r.target.bound, "achieved": r.achieved,
        "se": r.se, "n": r.n, "tolerance": r.tolerance,
        "statistical_tolerance": r.effective_tolerance, "status": r.status,
        "pass": r.passed, "pass_statistical": r.passed_statistical, "reason": r.reason,
        "year": r.target.year_source, "start_year": r.target.start_year,
        "source": r.target.source, "note": r.target.note,
    } for r in report.targets]
    relationships = [{
        "id": r.relationship.id, "description": r.relationship.description,
        "unit": r.relationship.unit, "min": r.relationship.min, "max": r.relationship.max,
        "achieved": r.achieved, "se": r.se, "n": r.n, "status": r.status, "pass": r.passed,
        "pass_statistical": r.passed_statistical,
    } for r in report.relationships]
    return json.dumps({"statistical": report.statistical, "targets": targets,
                       "relationships": relationships, "summary": summary(report)}, indent=2)
