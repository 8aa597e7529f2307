"""Parameter series given at some points (years, ages, years of experience) and interpolated
for the others."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np


def interpolate(points: Mapping[int, float], x: np.ndarray | range) -> np.ndarray:
    """Linear interpolation between the given points, flat beyond the first and last."""
    known = np.array(sorted(int(k) for k in points), dtype=float)
    values = np.array([float(points[int(k)]) for k in known])
    return np.interp(np.asarray(x, dtype=float), known, values)
