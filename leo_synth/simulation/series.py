"""Yearly parameter series given at some years and interpolated for the others."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np


def year_series(points: Mapping[int, float], years: np.ndarray | range) -> np.ndarray:
    """Linear interpolation between the given years, flat beyond the first and last."""
    known = np.array(sorted(int(y) for y in points), dtype=float)
    values = np.array([float(points[int(y)]) for y in known])
    return np.interp(np.asarray(years, dtype=float), known, values)
