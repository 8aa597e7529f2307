"""The calibration targets file (``config/calibration_targets.yaml``): loading and checks.

A target names a published figure (value, unit, year, source, tolerance) and how the report
computes it: either one ``definition`` with its ``params`` or a ``combine`` of two metrics
(difference, ratio or annualised growth). A target whose relations do not exist yet carries
``status: needs <relation>[.<column>]`` (computed as soon as the extract has them and a
definition is given), and one that cannot be computed from LEO at all ``status: skip`` with a
``reason``; both are shown as n/a. Relationships are checks of a direction and a minimum (or
maximum) size on a metric.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from leo_synth.errors import LeoSynthError
from leo_synth.report.registry import load_all
from leo_synth.report.stats import COMBINERS

UNITS = {"rate": 100.0, "share": 100.0, "percent": 100.0, "pounds": 1.0, "points": 1.0}
"""Units and the factor from the computed value (a fraction for rates) to the shown one."""
BOUNDS = ("point", "lower", "upper")
ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
TARGET_KEYS = {"id", "description", "value", "unit", "breakdown", "year", "source",
               "tolerance", "definition", "params", "combine", "status", "reason", "bound",
               "note"}
RELATIONSHIP_KEYS = {"id", "description", "unit", "source", "definition", "params", "combine",
                     "min", "max", "note"}


@dataclass(frozen=True)
class Metric:
    """A definition with parameters, or a combination of two metrics."""

    definition: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    op: str | None = None
    left: Metric | None = None
    right: Metric | None = None
    years: float = 1.0

    @property
    def is_gap(self) -> bool:
        """True for a difference (shown in percentage points for rates)."""
        return self.op == "difference"

    def leaves(self) -> list[Metric]:
        """The definition metrics this one is made of."""
        if self.op is None:
            return [self]
        assert self.left is not None and self.right is not None
        return self.left.leaves() + self.right.leaves()


@dataclass(frozen=True)
class Tolerance:
    """An absolute (in shown units: percentage points, pounds, points) or relative band."""

    kind: str  # "abs" or "rel"
    amount: float

    def absolute(self, value: float) -> float:
        """The band in shown units around a target value."""
        return self.amount if self.kind == "abs" else abs(value) * self.amount

    def text(self, unit: str) -> str:
        """The band as written, e.g. '±2.0 pp' or '±5%'."""
        if self.kind == "rel":
            return f"±{self.amount * 100:g}%"
        suffix = {"rate": " pp", "share": " pp", "percent": " pp", "pounds": "",
                  "points": ""}[unit]
        prefix = "£" if unit == "pounds" else ""
        return f"±{prefix}{self.amount:g}{suffix}"


@dataclass(frozen=True)
class Target:
    """One published figure and how to compute it."""

    id: str
    description: str
    value: float
    unit: str
    breakdown: str
    year_source: str
    start_year: int | None
    source: str
    tolerance: Tolerance
    bound: str
    metric: Metric | None
    status: str | None
    reason: str | None
    note: str | None

    @property
    def needs(self) -> list[str]:
        """Relations or columns named by ``status: needs ...``."""
        if not self.status or not self.status.startswith("needs"):
            return []
        return [n.strip() for n in self.status[len("needs"):].split(",") if n.strip()]


@dataclass(frozen=True)
class Relationship:
    """A check of direction and size: min <= metric <= max."""

    id: str
    description: str
    unit: str
    source: str
    metric: Metric
    min: float | None
    max: float | None
    note: str | None


@dataclass(frozen=True)
class TargetsFile:
    """Every target and relationship of a targets file."""

    path: Path
    targets: list[Target]
    relationships: list[Relationship]


def _metric(entry: Mapping[str, Any], where: str, problems: list[str]) -> Metric | None:
    definitions = load_all()
    if "combine" in entry and entry["combine"] is not None:
        spec = entry["combine"]
        if not isinstance(spec, Mapping):
            problems.append(f"{where}: combine must be a mapping")
            return None
        op = spec.get("op")
        if op not in COMBINERS:
            problems.append(f"{where}: combine.op must be one of {sorted(COMBINERS)}")
            return None
        left = _metric(spec.get("left") or {}, f"{where}.left", problems)
        right = _metric(spec.get("right") or {}, f"{where}.right", problems)
        if left is None or right is None:
            return None
        years = float(spec.get("years", 1.0))
        if years <= 0:
            problems.append(f"{where}: combine.years must be positive")
        return Metric(op=op, left=left, right=right, years=years)
    key = entry.get("definition")
    if not key:
        problems.append(f"{where}: needs a definition (or combine)")
        return None
    if key not in definitions:
        problems.append(f"{where}: unknown definition {key!r}")
        return None
    params = entry.get("params") or {}
    if not isinstance(params, Mapping):
        problems.append(f"{where}: params must be a mapping")
        return None
    return Metric(definition=key, params=dict(params))


def _tolerance(raw: Any, where: str, problems: list[str]) -> Tolerance | None:
    if not isinstance(raw, Mapping) or len(raw) != 1 or next(iter(raw)) not in ("abs", "rel"):
        problems.append(f"{where}: tolerance must be {{abs: N}} or {{rel: N}}")
        return None
    kind, amount = next(iter(raw.items()))
    if not isinstance(amount, int | float) or amount <= 0:
        problems.append(f"{where}: tolerance must be a positive number")
        return None
    return Tolerance(kind, float(amount))


def _check_entry(entry: Mapping[str, Any], where: str, allowed: set[str],
                 required: tuple[str, ...], problems: list[str]) -> None:
    """The checks targets and relationships share: known keys, id, required texts, unit."""
    unknown = set(entry) - allowed
    if unknown:
        problems.append(f"{where}: unknown keys {sorted(unknown)}")
    if not isinstance(entry.get("id"), str) or not ID_RE.match(entry["id"]):
        problems.append(f"{where}: id must be snake_case")
    for key in required:
        if not isinstance(entry.get(key), str) or not entry.get(key):
            problems.append(f"{where}: {key} is required")
    if entry.get("unit") not in UNITS:
        problems.append(f"{where}: unit must be one of {sorted(UNITS)}")


def _target(entry: Mapping[str, Any], problems: list[str]) -> Target | None:
    tid = entry.get("id")
    where = f"target {tid!r}"
    start = len(problems)
    _check_entry(entry, where, TARGET_KEYS, ("description", "source", "breakdown"), problems)
    value = entry.get("value")
    if not isinstance(value, int | float) or isinstance(value, bool):
        problems.append(f"{where}: value must be a number")
    unit = entry.get("unit")
    year = entry.get("year")
    if not isinstance(year, Mapping) or not year.get("source"):
        problems.append(f"{where}: year needs source (as in the publication) and start_year")
        year = {}
    bound = entry.get("bound", "point")
    if bound not in BOUNDS:
        problems.append(f"{where}: bound must be one of {BOUNDS}")
    tolerance = _tolerance(entry.get("tolerance"), where, problems)
    status = entry.get("status")
    if status is not None and not (status == "skip" or str(status).startswith("needs ")):
        problems.append(f"{where}: status must be 'skip' or 'needs <relation>'")
    if status == "skip" and not entry.get("reason"):
        problems.append(f"{where}: a skipped target needs a reason")
    metric = None
    if entry.get("definition") or entry.get("combine"):
        metric = _metric(entry, where, problems)
    elif status is None:
        problems.append(f"{where}: needs a definition (or combine), or a status")
    if len(problems) > start:
        return None
    assert tolerance is not None
    return Target(
        id=tid, description=entry["description"], value=float(value), unit=unit,
        breakdown=entry["breakdown"], year_source=str(year.get("source")),
        start_year=year.get("start_year"), source=entry["source"], tolerance=tolerance,
        bound=bound, metric=metric, status=status, reason=entry.get("reason"),
        note=entry.get("note"))


def _relationship(entry: Mapping[str, Any], problems: list[str]) -> Relationship | None:
    rid = entry.get("id")
    where = f"relationship {rid!r}"
    start = len(problems)
    _check_entry(entry, where, RELATIONSHIP_KEYS, ("description", "source"), problems)
    low, high = entry.get("min"), entry.get("max")
    if low is None and high is None:
        problems.append(f"{where}: give min and/or max")
    metric = _metric(entry, where, problems)
    if len(problems) > start or metric is None:
        return None
    return Relationship(rid, entry["description"], entry["unit"], entry["source"], metric,
                        None if low is None else float(low),
                        None if high is None else float(high), entry.get("note"))


def load_targets(path: Path) -> TargetsFile:
    """Read and check a targets file; every problem is reported at once."""
    if not path.is_file():
        raise LeoSynthError(f"no targets file at {path}")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise LeoSynthError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, Mapping) or not isinstance(raw.get("targets"), list):
        raise LeoSynthError(f"{path}: expected a mapping with a 'targets' list")
    problems: list[str] = []
    targets = [t for t in (_target(e if isinstance(e, Mapping) else {}, problems)
                           for e in raw["targets"]) if t is not None]
    relationships = [r for r in (_relationship(e if isinstance(e, Mapping) else {}, problems)
                                 for e in raw.get("relationships") or []) if r is not None]
    ids = [t.id for t in targets] + [r.id for r in relationships]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        problems.append(f"duplicate ids: {', '.join(duplicates)}")
    if problems:
        raise LeoSynthError(f"{path}: {len(problems)} problem(s) in the targets file\n"
                            + "\n".join(problems))
    return TargetsFile(path, targets, relationships)
