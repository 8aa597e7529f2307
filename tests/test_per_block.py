"""Per-block results: computed on first use, once per block and argument, keyed by function."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from leo_synth.simulation.per_block import per_block


@dataclass
class _Block:
    results: dict[Any, Any] = field(default_factory=dict)


def test_a_result_is_computed_once_per_block_and_argument() -> None:
    calls: list[tuple[int, int]] = []

    @per_block
    def square(life: _Block, x: int) -> int:
        calls.append((id(life), x))
        return x * x

    @per_block
    def cube(life: _Block, x: int) -> int:
        return x ** 3

    first, second = _Block(), _Block()
    assert [square(first, 3), square(first, 3), square(first, 4), square(second, 3)] == [
        9, 9, 16, 9]
    assert calls == [(id(first), 3), (id(first), 4), (id(second), 3)]
    assert cube(first, 3) == 27  # another function never sees square's result
    assert len(first.results) == 3


def test_a_derivations_intermediate_is_computed_once_per_frame_and_read_only() -> None:
    import numpy as np
    import pytest

    from leo_synth.relations.derive import per_frame
    from leo_synth.simulation.frame import Frame

    calls: list[str] = []

    @per_frame
    def doubled(frame: Frame, name: str) -> np.ndarray:
        calls.append(name)
        return np.asarray(frame[name]) * 2

    first, second = Frame(a=np.arange(3)), Frame(a=np.arange(3) + 1)
    assert doubled(first, "a").tolist() == doubled(first, "a").tolist() == [0, 2, 4]
    assert doubled(second, "a").tolist() == [2, 4, 6]
    assert calls == ["a", "a"]  # once per frame
    with pytest.raises(ValueError, match="read-only"):
        doubled(first, "a")[0] = 1
