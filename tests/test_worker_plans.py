"""What a worker would work out on its first block, the parent works out once before forking
(``_plan_for_workers``): a block built afterwards makes no fill plan, no checksum plan, no list
of a relation's quirks and no reference-code pool of its own (counted, never timed)."""

from __future__ import annotations

import pytest

from leo_synth import checksum
from leo_synth.engine import generate
from leo_synth.engine.keys import KeyMaker
from leo_synth.quirks import apply as quirks_apply
from leo_synth.relations import derive, fill, registry
from leo_synth.simulation.parameters import load_parameters
from leo_synth.simulation.pools import build_pools

SEED = 20261201
"""A seed no other test uses: its fill plans are not made yet."""


def test_a_block_after_the_parents_plans_works_out_none(catalog,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    relations = catalog.relations(2)
    params = load_parameters(None)
    state = generate.BlockState(SEED, 2, 10, params, build_pools(SEED, 2, params),
                                KeyMaker(catalog.keyspaces, SEED), relations)
    state.person_relations = [index for index, rel in enumerate(relations)
                              if not registry.BUILDERS[rel.table.builder].static]
    # (checksum plans start empty: a cache near its cap, filled by the tests run before this
    # one in the same process, would be cleared in the middle of the block)
    monkeypatch.setattr(checksum, "_PLANS", {})
    made: list[str] = []
    make_plan = fill._make_plan
    monkeypatch.setattr(fill, "_make_plan", lambda rel, seed: made.append(rel.name)
                        or make_plan(rel, seed))
    generate._plan_for_workers(state)
    assert len(made) == len(state.person_relations)  # (the seed's plans were not made before)
    made.clear()
    kinds_planned = set(checksum._PLANS)
    quirks_listed = set(quirks_apply.quirks_for.cache)
    pools_made = derive._reference_pools.cache_info().misses
    generate._init_worker(state)
    generate.compute_block(0)
    assert made == []
    assert set(checksum._PLANS) == kinds_planned
    assert set(quirks_apply.quirks_for.cache) == quirks_listed
    assert derive._reference_pools.cache_info().misses == pools_made
