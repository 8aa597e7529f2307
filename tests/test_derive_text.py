"""Numbers as text, formatted once per distinct value, read exactly as numpy writes them."""

from __future__ import annotations

import numpy as np
import pytest

from leo_synth.relations.derive import as_text


@pytest.mark.parametrize("values", [
    np.array([0.0, -0.0, np.nan, 1.5, 1.5, 27.33, -np.inf, 1e20, 0.1 + 0.2]),
    np.array([3, 1, 3, -2, 10**12]),
    np.array([7, 7], dtype=np.int8),
    np.array([2.5, -0.0], dtype=np.float32),
    np.array([1.0]),
    np.array([], dtype=float),
    np.array([True, False]),
    np.array(["a", "bc", "a"]),
])
def test_text_is_what_astype_str_writes(values: np.ndarray) -> None:
    text = as_text(values)
    expected = values.astype(str)
    assert text.dtype == expected.dtype
    assert text.tolist() == expected.tolist()
