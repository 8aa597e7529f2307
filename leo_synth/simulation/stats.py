"""Small vectorised statistical helpers (numpy only)."""

from __future__ import annotations

import numpy as np

# Acklam's rational approximation of the inverse normal CDF (relative error < 1.2e-9).
_A = (-3.969683028665376e01, 2.209460984245205e02, -2.759285104469687e02,
      1.383577518672690e02, -3.066479806614716e01, 2.506628277459239e00)
_B = (-5.447609879822406e01, 1.615858368580409e02, -1.556989798598866e02,
      6.680131188771972e01, -1.328068155288572e01)
_C = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e00,
      -2.549732539343734e00, 4.374664141464968e00, 2.938163982698783e00)
_D = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00,
      3.754408661907416e00)


def norm_ppf(p: np.ndarray | float) -> np.ndarray:
    """Quantile function of the standard normal distribution."""
    p = np.clip(np.asarray(p, dtype=float), 1e-12, 1 - 1e-12)
    out = np.empty_like(p)
    low, high = p < 0.02425, p > 1 - 0.02425
    mid = ~(low | high)
    q = np.sqrt(-2 * np.log(p[low]))
    out[low] = _tail(q)
    q = np.sqrt(-2 * np.log(1 - p[high]))
    out[high] = -_tail(q)
    q = p[mid] - 0.5
    r = q * q
    num = (((((_A[0] * r + _A[1]) * r + _A[2]) * r + _A[3]) * r + _A[4]) * r + _A[5]) * q
    den = ((((_B[0] * r + _B[1]) * r + _B[2]) * r + _B[3]) * r + _B[4]) * r + 1
    out[mid] = num / den
    return out


def _tail(q: np.ndarray) -> np.ndarray:
    num = ((((_C[0] * q + _C[1]) * q + _C[2]) * q + _C[3]) * q + _C[4]) * q + _C[5]
    den = (((_D[0] * q + _D[1]) * q + _D[2]) * q + _D[3]) * q + 1
    return num / den


def norm_cdf(x: np.ndarray | float) -> np.ndarray:
    """CDF of the standard normal distribution (Abramowitz-Stegun 7.1.26, error < 1.5e-7)."""
    x = np.asarray(x, dtype=float)
    z = np.abs(x) / np.sqrt(2.0)
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027
                + t * 1.061405429))))
    erf = 1.0 - poly * np.exp(-z * z)
    return 0.5 * (1.0 + np.sign(x) * erf)


def logistic(x: np.ndarray) -> np.ndarray:
    """1 / (1 + e^-x). Far below zero e^-x overflows to infinity and the result is 0, its
    limit: the overflow is expected, not a bad value (a stable form would change the bits of
    ordinary values, and so the data)."""
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))


def standard_normal_cdf(z: np.ndarray) -> np.ndarray:
    """The standard normal distribution function, by the logistic approximation (Bowling et al.
    2009, error below 1.4e-4): close enough to turn a score into a quantile, without scipy."""
    z = np.asarray(z, dtype=float)
    return logistic(0.07056 * z**3 + 1.5976 * z)


def logit(p: np.ndarray | float) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=float), 1e-9, 1 - 1e-9)
    return np.log(p / (1 - p))


def categorical(rng: np.random.Generator, probs: np.ndarray, size: int | None = None) -> np.ndarray:
    """Draw category indexes.

    ``probs`` is either one probability vector (then ``size`` draws) or a matrix with one row of
    probabilities per draw. Rows need not be normalised.
    """
    probs = np.asarray(probs, dtype=float)
    if probs.ndim == 1:
        cum = np.cumsum(probs / probs.sum())
        draws = np.searchsorted(cum, rng.random(size), side="right")
        return np.minimum(draws, len(probs) - 1)
    cum = np.cumsum(probs, axis=1)
    u = rng.random(len(probs)) * cum[:, -1]
    return np.minimum((cum <= u[:, None]).sum(axis=1), probs.shape[1] - 1)


def drawn_codes(rng: np.random.Generator, shares: dict, n: int) -> np.ndarray:
    """``n`` codes (the keys of ``shares``) drawn with their shares."""
    codes = np.array(list(shares))
    return codes[categorical(rng, np.array(list(shares.values()), dtype=float), n)]


def codes_of_uniforms(shares: dict, u: np.ndarray) -> np.ndarray:
    """The code (a key of ``shares``) each uniform draw ``u`` falls on by the codes' cumulative
    shares: for draws taken from a stream beforehand (one uniform serving several choices, or
    a person's draw reused by each of their records), where :func:`drawn_codes` draws its own."""
    weights = np.array(list(shares.values()), dtype=float)
    index = np.searchsorted(np.cumsum(weights) / weights.sum(), u, side="right")
    return np.array(list(shares))[np.minimum(index, len(shares) - 1)]


def softmax_rows(scores: np.ndarray) -> np.ndarray:
    scores = scores - scores.max(axis=1, keepdims=True)
    e = np.exp(scores)
    return e / e.sum(axis=1, keepdims=True)


def group_starts(sorted_keys: np.ndarray) -> np.ndarray:
    """Start offsets of runs of equal values in a sorted array."""
    if len(sorted_keys) == 0:
        return np.zeros(0, dtype=np.int64)
    change = np.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1
    return np.concatenate([[0], change])


def rank_within(groups: np.ndarray) -> np.ndarray:
    """0-based position of each element within its group, groups given in sorted order."""
    n = len(groups)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    starts = group_starts(groups)
    lengths = np.diff(np.concatenate([starts, [n]]))
    return np.arange(n) - np.repeat(starts, lengths)
