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


def test_a_result_read_only_by_some_builders_is_dropped_after_their_last_relation(
        monkeypatch) -> None:
    from leo_synth.simulation import per_block as module
    from leo_synth.simulation.per_block import read_only_by, release, release_points

    monkeypatch.setattr(module, "READ_ONLY_BY", {})  # (the marks of this test alone)

    @read_only_by("a", "b")
    @per_block
    def rows(life: _Block, year: int) -> int:
        return year

    @per_block
    def shared(life: _Block) -> int:
        return 1

    points = release_points(["a", "c", "b", "c"])
    assert points == {2: [rows]}
    assert release_points(["c"]) == {}  # (never computed in such a block)
    block = _Block()
    rows(block, 1), rows(block, 2), shared(block)
    release(block, points[2])
    assert list(block.results) == [(shared, ())]


def test_a_blocks_results_read_only_by_some_builders_are_computed_once(
        catalog, monkeypatch) -> None:
    """The marks are right: no builder reads a result after it was dropped (it would be
    computed again, the same, at a cost), and none is left at the block's end."""
    from leo_synth.engine import generate
    from leo_synth.engine.keys import KeyMaker
    from leo_synth.relations import registry
    from leo_synth.simulation import per_block as module
    from leo_synth.simulation.parameters import load_parameters
    from leo_synth.simulation.pools import build_pools

    computed: list[Any] = []

    class Recorded(dict):
        def __setitem__(self, key: Any, value: Any) -> None:
            computed.append(key)
            super().__setitem__(key, value)

    lives: list[Any] = []

    def simulate(ctx: Any) -> Any:
        life = simulate_block(ctx)
        life.results = Recorded()
        lives.append(life)
        return life

    simulate_block = generate.simulate_block
    monkeypatch.setattr(generate, "simulate_block", simulate)
    relations = catalog.relations(2)
    params = load_parameters(None)
    state = generate.BlockState(7, 300, 300, params, build_pools(7, 300, params),
                                KeyMaker(catalog.keyspaces, 7), relations)
    state.person_relations = [index for index, rel in enumerate(relations)
                              if not registry.BUILDERS[rel.table.builder].static]
    generate.compute_block(0, state)
    marked = [key for key in computed if key[0] in module.READ_ONLY_BY]
    assert {key[0] for key in marked} == set(module.READ_ONLY_BY)  # (all computed here)
    assert len(marked) == len(set(marked))
    assert not [key for key in lives[0].results if key[0] in module.READ_ONLY_BY]
