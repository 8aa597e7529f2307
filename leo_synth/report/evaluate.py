"""Compute every target and relationship of a targets file over a workspace."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from statistics import NormalDist

from leo_synth.errors import LeoSynthError
from leo_synth.report.registry import DEFINITIONS, run
from leo_synth.report.source import Workspace
from leo_synth.report.stats import MEDIAN_SE_FACTOR, Estimate, combine
from leo_synth.report.targets import UNITS, Metric, Relationship, Target, TargetsFile

STAT_FACTOR = 2.5
"""In statistical mode a figure passes within max(tolerance, 2.5 standard errors)."""


def family_factor(checks: int, error: float = 0.01) -> float:
    """The band, in standard errors, within which *all* of ``checks`` figures of a perfectly
    calibrated extract fall with probability ``1 - error`` (Bonferroni, two-sided).

    A verdict over the whole family needs it: 2.5 standard errors each leave 1.2% of the
    figures outside by chance, so with 139 figures a perfectly calibrated redraw would fail
    somewhere four times in five. Rejected: a fixed factor per figure for a pass/fail verdict
    over all of them.
    """
    return NormalDist().inv_cdf(1 - error / (2 * max(checks, 1)))


@dataclass(frozen=True)
class TargetResult:
    """A target's outcome, in the units shown (percent for rates)."""

    target: Target
    achieved: float | None
    se: float | None
    n: int
    tolerance: float
    effective_tolerance: float
    passed: bool | None  # None: not applicable
    passed_statistical: bool | None
    reason: str

    @property
    def status(self) -> str:
        """n/a, no data, pass or fail (strict tolerance)."""
        return _status(self.passed, self.achieved, self.reason)


@dataclass(frozen=True)
class RelationshipResult:
    """A relationship check's outcome, in the units shown."""

    relationship: Relationship
    achieved: float | None
    se: float | None
    n: int
    passed: bool | None
    passed_statistical: bool | None
    reason: str

    @property
    def status(self) -> str:
        """no data, pass or fail."""
        return _status(self.passed, self.achieved, self.reason)


@dataclass(frozen=True)
class Report:
    """Every result of a run."""

    targets: list[TargetResult]
    relationships: list[RelationshipResult]
    statistical: bool

    def failures(self) -> int:
        """Targets and relationships failing under the selected mode."""
        key = "passed_statistical" if self.statistical else "passed"
        return sum(1 for r in [*self.targets, *self.relationships] if getattr(r, key) is False)


def _status(passed: bool | None, achieved: float | None, reason: str) -> str:
    if passed is None:
        return "n/a"
    if achieved is None:
        return "no data"
    return "pass" if passed else "fail"


def compute(ws: Workspace, metric: Metric) -> Estimate:
    """A metric's estimate (combinations computed from their parts)."""
    if metric.op is None:
        assert metric.definition is not None
        return run(ws, metric.definition, metric.params)
    assert metric.left is not None and metric.right is not None
    return combine(metric.op, compute(ws, metric.left), compute(ws, metric.right), metric.years)


def metric_needs(metric: Metric, optional: bool = False) -> list[str]:
    """Every extract requirement of a metric (with ``optional``, every relation it reads when
    the extract has it too)."""
    out: list[str] = []
    for leaf in metric.leaves():
        assert leaf.definition is not None
        definition = DEFINITIONS[leaf.definition]
        out.extend(definition.reads(leaf.params) if optional else definition.needs(leaf.params))
    return out


def _not_applicable(target: Target, reason: str) -> TargetResult:
    return TargetResult(target, None, None, 0, target.tolerance.absolute(target.value),
                        target.tolerance.absolute(target.value), None, None, reason)


def plan(ws: Workspace, targets: TargetsFile) -> dict[str, str]:
    """Targets that will not be computed, with why; raises when an active target or a
    relationship needs a relation the extract lacks."""
    skipped: dict[str, str] = {}
    missing: dict[str, list[str]] = defaultdict(list)
    for target in targets.targets:
        if target.status == "skip":
            skipped[target.id] = f"skipped: {target.reason}"
            continue
        if target.needs:
            # waiting for relations: computed once everything it reads exists
            reads = target.needs + (metric_needs(target.metric) if target.metric else [])
            absent = ws.missing(reads)
            if absent:
                skipped[target.id] = f"needs {', '.join(absent)}"
                continue
            if target.metric is None:
                skipped[target.id] = f"{target.status} (now present): no definition yet"
                continue
        assert target.metric is not None
        for req in ws.missing(metric_needs(target.metric)):
            missing[req].append(target.id)
    for rel in targets.relationships:
        for req in ws.missing(metric_needs(rel.metric)):
            missing[req].append(rel.id)
    if missing:
        lines = [f"{req} (needed by {', '.join(sorted(set(ids))[:6])}"
                 f"{' ...' if len(set(ids)) > 6 else ''})" for req, ids in sorted(missing.items())]
        raise LeoSynthError("the extract lacks relations or columns the report needs: "
                            + "; ".join(lines[:1]) + ("\n" + "\n".join(lines[1:])
                                                      if len(lines) > 1 else ""))
    return skipped


def _shown(estimate: Estimate, unit: str) -> tuple[float | None, float | None]:
    factor = UNITS[unit]
    value = estimate.value * factor if estimate.ok else None
    se = estimate.se * factor if estimate.se is not None and math.isfinite(estimate.se) else None
    return value, se


def _judge(achieved: float, target: Target, band: float) -> bool:
    if target.bound == "lower":
        return achieved >= target.value - band
    if target.bound == "upper":
        return achieved <= target.value + band
    return abs(achieved - target.value) <= band


EARNINGS_SPREAD = 0.43
"""Graduates' earnings' standard deviation over their median, about: DfE's LEO graduate
outcomes put the interquartile range at about 0.58 of the median (about 20,900 to 35,500
pounds at 5 YAG), 0.58 / 1.349 as a normal spread."""


def _null_se(target: Target, n: int) -> float | None:
    """The standard error of a simple rate (shown in percent) or median of earnings if it were
    exactly on target.

    The statistical verdict asks whether a miss is bigger than the noise at this size; for a
    rate that is a test of "the rate is the target", whose noise is sqrt(t(1-t)/n) at the
    target t. Rejected: the estimate's own binomial SE, which shrinks towards 0 as the
    estimate does, so a small group that happens to fall well below its target (2 of 42
    pupils against 13%) is judged by a band narrower than its real noise. A median of
    earnings likewise: its noise on target is 1.2533 times earnings' spread at the target
    (:data:`EARNINGS_SPREAD`) over sqrt(n); the spread of a handful of values can be far
    narrower (8 doctorates within about 4,500 pounds of each other: an SE of 2,300 pounds
    where earnings' spread gives 8,400). None (use the estimate's SE) for combinations,
    bounds and other units.
    """
    if (target.metric is None or target.metric.op or target.bound != "point" or n <= 0):
        return None
    if target.unit == "pounds" and "median" in (target.metric.definition or ""):
        return MEDIAN_SE_FACTOR * EARNINGS_SPREAD * target.value / math.sqrt(n)
    if target.unit not in ("rate", "share") or not 0 < target.value < 100:
        return None
    t = target.value / 100
    return 100 * math.sqrt(t * (1 - t) / n)


def evaluate_target(ws: Workspace, target: Target, factor: float = STAT_FACTOR
                    ) -> TargetResult:
    """Compute and judge one active target (statistically: within ``factor`` standard
    errors or its tolerance)."""
    assert target.metric is not None
    estimate = compute(ws, target.metric)
    value, se = _shown(estimate, target.unit)
    tol = target.tolerance.absolute(target.value)
    # A simple rate's (or earnings median's) band uses the larger of its noise on target and
    # its own SE: the former keeps a small group far from target from shrinking its own band
    # (or a handful of alike earnings); the latter covers
    # rates summed over ages (HEIPR) or weighted, whose noise is several times a single
    # rate's over the same n.
    null_se = _null_se(target, estimate.n)
    band_se = max(null_se, se) if null_se is not None and se is not None else null_se or se
    effective = max(tol, factor * band_se) if band_se is not None else tol
    if value is None:
        return TargetResult(target, None, None, estimate.n, tol, effective, False, False,
                            "no observations")
    return TargetResult(target, value, se, estimate.n, tol, effective,
                        _judge(value, target, tol), _judge(value, target, effective), "")


def evaluate_relationship(ws: Workspace, rel: Relationship, factor: float = STAT_FACTOR
                          ) -> RelationshipResult:
    """Compute and judge one relationship check."""
    estimate = compute(ws, rel.metric)
    value, se = _shown(estimate, rel.unit)
    if value is None:
        return RelationshipResult(rel, None, None, estimate.n, False, False, "no observations")
    margin = factor * se if se is not None else 0.0

    def ok(slack: float) -> bool:
        low_ok = rel.min is None or value >= rel.min - slack
        high_ok = rel.max is None or value <= rel.max + slack
        return low_ok and high_ok

    return RelationshipResult(rel, value, se, estimate.n, ok(0.0), ok(margin), "")


def evaluate(ws: Workspace, targets: TargetsFile, statistical: bool = False,
             factor: float = STAT_FACTOR) -> Report:
    """Compute every target (n/a ones with their reason) and every relationship; the
    statistical verdict allows ``factor`` standard errors."""
    skipped = plan(ws, targets)
    results = [(_not_applicable(t, skipped[t.id]) if t.id in skipped
                else evaluate_target(ws, t, factor)) for t in targets.targets]
    checks = [evaluate_relationship(ws, r, factor) for r in targets.relationships]
    return Report(results, checks, statistical)
