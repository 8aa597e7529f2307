"""Local change, local effect: each simulation sub-step draws from its own keyed stream, so an
extra draw in one sub-step leaves every other sub-step's draws unchanged."""

from __future__ import annotations

import numpy as np
import pytest

from leo_synth.engine.keys import KeyMaker
from leo_synth.simulation.context import BlockContext
from leo_synth.simulation.life import LifeCourse, simulate_block
from leo_synth.simulation.parameters import load_parameters
from leo_synth.simulation.pools import build_pools

N = 1_500


def _block(catalog, greedy: str | None = None) -> LifeCourse:
    """One block of persons; with ``greedy``, that stream gives away 1,000 draws first, as if
    its sub-step had started drawing more."""
    params = load_parameters(None)
    ctx = BlockContext(11, 0, 0, N, params, build_pools(11, N, params),
                       KeyMaker(catalog.keyspaces, 11))
    plain = ctx.rng

    def rng(name: str) -> np.random.Generator:
        generator = plain(name)
        if name == greedy:
            generator.random(1_000)
        return generator

    ctx.rng = rng  # type: ignore[method-assign]
    return simulate_block(ctx)


@pytest.fixture(scope="module")
def baseline(catalog) -> LifeCourse:
    return _block(catalog)


def test_an_extra_draw_in_ks5_grades_moves_only_ks5_grades(catalog, baseline) -> None:
    changed = _block(catalog, greedy="post16.ks5")
    assert not np.array_equal(changed.post16.ks5["al1"], baseline.post16.ks5["al1"])
    p16, base = changed.post16, baseline.post16
    for name in ("route", "level3_year", "leave_date", "neet_months"):
        np.testing.assert_array_equal(getattr(p16, name), getattr(base, name), err_msg=name)
    for name in p16.youth_fe.columns():
        np.testing.assert_array_equal(p16.youth_fe[name], base.youth_fe[name], err_msg=name)
    np.testing.assert_array_equal(changed.fe.aims["end_date"], baseline.fe.aims["end_date"])


def test_an_extra_draw_in_fsm_histories_leaves_sen_and_schools_alone(catalog, baseline) -> None:
    changed = _block(catalog, greedy="schooling.fsm")
    assert not np.array_equal(changed.schooling.fsm, baseline.schooling.fsm)
    for name in ("sen", "sen_need", "primary_school", "secondary_school", "entry_nc", "exit_nc"):
        np.testing.assert_array_equal(getattr(changed.schooling, name),
                                      getattr(baseline.schooling, name), err_msg=name)
    for name in baseline.persons.columns():
        np.testing.assert_array_equal(changed.persons[name], baseline.persons[name],
                                      err_msg=name)
