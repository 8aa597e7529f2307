"""Vectorised text helpers that also work on empty arrays (numpy's zfill does not)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np


def zfill(values: np.ndarray, width: int) -> np.ndarray:
    """Left-pad the text form of ``values`` with zeros to ``width`` characters."""
    text = np.asarray(values).astype(str)
    if text.size == 0:
        return text
    return np.char.zfill(text, width)


def labels_of(values: np.ndarray, label: Callable[[Any], object],
              dtype: type | str = object) -> np.ndarray:
    """``label(value)`` of each value, called once per distinct value (a block's rows hold few
    distinct codes, so labelling them row by row is per-value waste)."""
    values = np.asarray(values)
    distinct, inverse = np.unique(values, return_inverse=True)
    labelled = np.array([label(value) for value in distinct.tolist()], dtype=dtype)
    return labelled[inverse].reshape(values.shape)
