"""The IDBR lookup's enterprises: one legal status each, in ONS's published mix, public
bodies where the sector is public."""

from __future__ import annotations

import numpy as np
import pytest

from leo_synth.engine.keys import KeyMaker
from leo_synth.relations.hmrc import idbr
from leo_synth.relations.registry import StaticContext
from leo_synth.simulation.parameters import load_parameters
from leo_synth.simulation.pools import SIC_SECTIONS, build_pools


@pytest.fixture(scope="module")
def lookup(catalog):
    """The enterprises of a 200,000-person run's pools and their IDBR rows."""
    params = load_parameters(None)
    pools = build_pools(9, 200_000, params)
    ctx = StaticContext(9, params, pools, KeyMaker(catalog.keyspaces, 9))
    return pools.enterprises, idbr(ctx, None)


def test_legal_status_is_the_enterprises_in_both_source_years(lookup) -> None:
    """An enterprise keeps its legal status from the 2019 to the 2020 load (half of them
    changed between sole proprietor and partnership)."""
    _, rows = lookup
    first = rows["source_year"] == "2019"
    assert (rows["entkey"][first] == rows["entkey"][~first]).all()
    assert (rows["legal_status"][first] == rows["legal_status"][~first]).all()


def test_legal_status_mix_and_public_bodies(lookup) -> None:
    """About three in four enterprises are companies and about one in seven sole proprietors
    (ONS 2019: 74% and 15%); sole proprietors are small; public administration is central or
    local government (it held companies and sole proprietors, and no enterprise was public)."""
    ent, rows = lookup
    status = rows["legal_status"][rows["source_year"] == "2019"]
    private = ~np.isin(status, ["4", "5", "6"])
    assert 0.68 < (status[private] == "1").mean() < 0.8
    assert 0.1 < (status[private] == "2").mean() < 0.2
    assert (ent["employees_band"][status == "2"] <= 2).all()
    letter = np.array([s[0] for s in SIC_SECTIONS])[ent["section"]]
    assert np.isin(status[letter == "O"], ["5", "6"]).all()
    assert not np.isin(status[letter != "O"][ent["employees_band"][letter != "O"] < 6],
                       ["4", "5", "6"]).any()
