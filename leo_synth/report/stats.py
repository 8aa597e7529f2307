"""Estimates with sampling standard errors, and how they combine.

Every figure of the report is an :class:`Estimate`: a value in natural units (a fraction for
rates and shares, pounds, points), its sampling standard error and the sample size behind it.
Standard errors are binomial for rates, ``sd / sqrt(n)`` for means and, for medians, derived
from the distribution-free order-statistic confidence interval (the ranks
``n/2 -+ 1.96 sqrt(n)/2``), so no resampling and no random numbers are involved.
Combinations (differences, ratios, annualised growth) propagate the errors with the delta
method, treating the parts as independent.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

Z95 = 1.959963984540054
"""Normal quantile of the two-sided 95% interval."""


@dataclass(frozen=True)
class Estimate:
    """A computed figure: value (None when there are no observations), SE and sample size."""

    value: float | None
    se: float | None
    n: int

    @property
    def ok(self) -> bool:
        """True when the value is a finite number."""
        return self.value is not None and math.isfinite(self.value)


def empty() -> Estimate:
    """The estimate of an empty population."""
    return Estimate(None, None, 0)


def rate(numerator: float | None, denominator: float | None) -> Estimate:
    """A proportion with its binomial standard error."""
    den = int(denominator or 0)
    if den <= 0:
        return empty()
    p = float(numerator or 0) / den
    return Estimate(p, math.sqrt(max(p * (1 - p), 0.0) / den), den)


def mean(n: float | None, total: float | None, total_sq: float | None) -> Estimate:
    """A mean from its count, sum and sum of squares, with SE = sd / sqrt(n)."""
    count = int(n or 0)
    if count <= 0:
        return empty()
    m = float(total or 0) / count
    if count < 2:
        return Estimate(m, None, count)
    var = max((float(total_sq or 0) - count * m * m) / (count - 1), 0.0)
    return Estimate(m, math.sqrt(var / count), count)


MEDIAN_SE_FACTOR = math.sqrt(math.pi / 2)
"""The asymptotic SE of a median over that of a mean (normal data): 1.2533."""


def median(values: Sequence[float] | np.ndarray) -> Estimate:
    """The median with an SE from the order-statistic 95% interval (width / 3.92). Fewer than
    eight values have no such interval (it runs past the first or last value): their SE is
    then the median's asymptotic one, 1.2533 sd / sqrt(n) (without an SE, a median of a
    handful of doctorates was judged as if it had no sampling noise at all)."""
    x = np.sort(np.asarray(values, dtype=float))
    n = len(x)
    if n == 0:
        return empty()
    med = float(np.median(x))
    half = Z95 * math.sqrt(n) / 2
    lo, hi = math.floor(n / 2 - half), math.ceil(n / 2 + half)
    if lo < 0 or hi > n - 1:
        se = MEDIAN_SE_FACTOR * float(np.std(x, ddof=1)) / math.sqrt(n) if n > 1 else None
        return Estimate(med, se, n)
    return Estimate(med, float(x[hi] - x[lo]) / (2 * Z95), n)


def summed_rates(parts: Sequence[tuple[float, float]]) -> Estimate:
    """A sum of independent proportions (numerator, denominator), e.g. age-specific rates."""
    total, var, n = 0.0, 0.0, 0
    for num, den in parts:
        if den > 0:
            p = num / den
            total += p
            var += p * (1 - p) / den
            n += int(den)
    if n == 0:
        return empty()
    return Estimate(total, math.sqrt(var), n)


def weighted_rates(parts: Sequence[tuple[float, float, float]]) -> Estimate:
    """A weighted average of independent proportions (weight, numerator, denominator), e.g.
    age-specific rates standardised to a reference population; the weights of the parts with
    observations are rescaled to sum to one."""
    present = [(w, num, den) for w, num, den in parts if den > 0]
    weight = sum(w for w, _, _ in present)
    if not present or weight <= 0:
        return empty()
    total, var = 0.0, 0.0
    for w, num, den in present:
        p = num / den
        total += w / weight * p
        var += (w / weight) ** 2 * p * (1 - p) / den
    return Estimate(total, math.sqrt(var), int(sum(den for _, _, den in present)))


def _se(e: Estimate) -> float:
    return e.se if e.se is not None else math.nan


def difference(left: Estimate, right: Estimate) -> Estimate:
    """left - right."""
    if not (left.ok and right.ok):
        return Estimate(None, None, left.n + right.n)
    se = math.hypot(_se(left), _se(right))
    return Estimate(left.value - right.value, se if math.isfinite(se) else None,
                    left.n + right.n)


def ratio(left: Estimate, right: Estimate) -> Estimate:
    """left / right - 1 (e.g. a premium or a growth of 0.37 = 37%)."""
    return growth(left, right, 1.0)


def growth(left: Estimate, right: Estimate, years: float) -> Estimate:
    """Annualised growth from right to left over ``years``: (left/right)^(1/years) - 1."""
    if not (left.ok and right.ok) or right.value == 0 or left.value / right.value <= 0:
        return Estimate(None, None, left.n + right.n)
    r = left.value / right.value
    g = r ** (1.0 / years)
    rel = math.hypot(_se(left) / left.value if left.value else math.nan,
                     _se(right) / right.value)
    se = g * rel / years
    return Estimate(g - 1.0, se if math.isfinite(se) else None, left.n + right.n)


COMBINERS = {"difference", "ratio", "growth"}


def combine(op: str, left: Estimate, right: Estimate, years: float = 1.0) -> Estimate:
    """Apply a named combination (one of :data:`COMBINERS`)."""
    if op == "difference":
        return difference(left, right)
    if op == "ratio":
        return ratio(left, right)
    if op == "growth":
        return growth(left, right, years)
    raise ValueError(f"unknown combination {op!r}")
