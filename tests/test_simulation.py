"""Simulation modules and derivations checked directly, at sizes where shares can be measured."""

from __future__ import annotations

import numpy as np

from leo_synth.engine.keys import KeyMaker
from leo_synth.relations.derive import date_in_year
from leo_synth.relations.registry import YEAR_ATTRIBUTE
from leo_synth.simulation.calendar import academic_year_end, academic_year_start
from leo_synth.simulation.context import BlockContext
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.parameters import load_parameters
from leo_synth.simulation.pools import build_pools
from leo_synth.simulation.residence import COUNTRIES, simulate_residence


def test_residence_countries_follow_their_shares(catalog) -> None:
    """Each country outside England is drawn with its own parameter share (labels included)."""
    n = 20_000
    params = load_parameters(None)
    pools = build_pools(3, n, params)
    ctx = BlockContext(3, 0, 0, n, params, pools, KeyMaker(catalog.keyspaces, 3))
    la = np.zeros(n, dtype=np.int64)
    oa = np.flatnonzero(pools.output_areas["la"] == 0)[np.zeros(n, dtype=np.int64)]
    persons = Frame(cohort=np.full(n, 1990), la=la, oa=oa)
    residence = simulate_residence(ctx, persons, np.full(n, -1))
    away = residence["country"] > 0
    person_country = dict(zip(residence["person"][away], residence["country"][away],
                              strict=True))
    drawn = np.bincount(list(person_country.values()), minlength=len(COUNTRIES))[1:]
    p = params["geography"]
    share = {"Abroad": p["abroad_share"], **p["other_uk_share"], "Unknown": p["unknown_share"]}
    expected = np.array([share[name] for name in COUNTRIES[1:]])
    assert drawn.sum() > 1000
    np.testing.assert_allclose(drawn / drawn.sum(), expected / expected.sum(), atol=0.04)


def test_date_in_year_stays_in_the_academic_year_in_leap_years() -> None:
    years = np.repeat([2011, 2012, 2015, 2016], 50_000)
    dates = date_in_year(Frame(**{YEAR_ATTRIBUTE: years}), None, None,
                         np.random.default_rng(5), {})
    assert (dates >= academic_year_start(years)).all()
    assert (dates <= academic_year_end(years)).all()
    leap = years == 2015  # 2015/16 holds 29 February 2016
    assert (dates[leap] == np.datetime64("2016-08-31")).any()
