"""Vectorised text helpers that also work on empty arrays (numpy's zfill does not)."""

from __future__ import annotations

import numpy as np


def zfill(values: np.ndarray, width: int) -> np.ndarray:
    """Left-pad the text form of ``values`` with zeros to ``width`` characters."""
    text = np.asarray(values).astype(str)
    if text.size == 0:
        return text
    return np.char.zfill(text, width)
