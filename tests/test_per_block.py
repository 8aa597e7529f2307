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
