"""School types (leo_synth/simulation/school_types.py): academies' shares by phase and year as
the parameters say, a school once an academy stays one, and the codes agree with each other."""

from __future__ import annotations

import numpy as np
import pytest

from leo_synth.simulation.frame import Frame
from leo_synth.simulation.parameters import load_parameters
from leo_synth.simulation.school_types import (
    SPECIAL_ACADEMY,
    TOE_OF_NFTYPE,
    academy_year,
    is_academy,
    school_codes,
    school_type_columns,
)

PHASES = {"primary": 0, "secondary": 1, "special": 2}
YEARS = np.arange(2000, 2021)


@pytest.fixture(scope="module")
def setup():
    params = load_parameters()
    phase = np.repeat(np.array([0, 1, 2], dtype=np.int8), [12_000, 4_000, 2_000])
    la = np.arange(len(phase)) % 150
    grammar = (phase == 1) & (la < 30) & (np.arange(len(phase)) < 12_150)
    schools = Frame(phase=phase, la=la, grammar=grammar)
    for name, values in school_type_columns(11, schools, params).items():
        schools[name] = values
    return params, schools


def _every_year(params, schools, name: str) -> np.ndarray:
    """``school_codes(...)[name]`` as a (school, year) matrix."""
    n = len(schools["phase"])
    school = np.tile(np.arange(n), len(YEARS))
    year = np.repeat(YEARS, n)
    return school_codes(schools, params, school, year)[name].reshape(len(YEARS), n).T


def test_academies_share_of_each_phase_follows_the_published_shares(setup) -> None:
    params, schools = setup
    n = len(schools["phase"])
    for name, code in PHASES.items():
        stated = params["school_types.academy_share"][name]
        members = np.flatnonzero(schools["phase"] == code)
        for year, share in stated.items():
            got = is_academy(schools, params, members, np.full(len(members), year)).mean()
            assert abs(got - share) < 0.03, (name, year, got, share)
    # Before the first academies, none.
    assert not is_academy(schools, params, np.arange(n), np.full(n, 2001)).any()


def test_a_school_once_an_academy_stays_one(setup) -> None:
    params, schools = setup
    nftype = _every_year(params, schools, "nftype")
    academy = np.isin(nftype, [20, 51, SPECIAL_ACADEMY])
    assert academy.any() and not (academy[:, :-1] & ~academy[:, 1:]).any()
    # Before an academy it was maintained, the same maintained type every year.
    maintained = np.where(academy, 0, nftype)
    per_school = np.array([len(set(row[row > 0])) for row in maintained[:2000]])
    assert per_school.max() == 1
    # The first academies, to 2009/10, had sponsors (NFTYPE 20).
    early = nftype[:, YEARS <= 2009]
    assert set(np.unique(early[np.isin(early, [20, 51])])) == {20}


def test_the_codes_of_a_school_agree(setup) -> None:
    params, schools = setup
    codes = {name: _every_year(params, schools, name).ravel()
             for name in ("nftype", "toe_code", "new_type", "newer_type", "admpol")}
    phase = np.repeat(schools["phase"][:, None], len(YEARS), axis=1).ravel()
    nftype, toe = codes["nftype"], codes["toe_code"]
    mapped = np.array([TOE_OF_NFTYPE.get(int(t), -1) for t in nftype])
    assert np.array_equal(np.where(nftype == SPECIAL_ACADEMY, -1, toe),
                          np.where(nftype == SPECIAL_ACADEMY, -1, mapped))
    assert set(np.unique(toe[nftype == SPECIAL_ACADEMY])) == {33, 44}
    special = phase == 2
    assert set(np.unique(nftype[special])) == {26, 27, SPECIAL_ACADEMY}
    assert set(np.unique(nftype[~special])) == {20, 21, 22, 23, 24, 51}
    assert (codes["new_type"][special] == 4).all() and (codes["newer_type"][special] == 5).all()
    assert (codes["admpol"][phase != 1] == 0).all()
    secondary = phase == 1
    assert np.array_equal(codes["new_type"][secondary], codes["admpol"][secondary])
    assert np.array_equal(codes["newer_type"][secondary], codes["admpol"][secondary])
    # A grammar school selects; beside it, in its LA, a share of secondary moderns; elsewhere
    # every secondary school is comprehensive.
    admissions, la = schools["admissions"], schools["la"]
    assert np.array_equal(admissions == 2, schools["grammar"])
    selective_la = (la < 30) & (schools["phase"] == 1) & ~schools["grammar"]
    modern = (admissions[selective_la] == 3).mean()
    assert abs(modern - params["school_types.modern_share"]) < 0.05, modern
    assert (admissions[(schools["phase"] == 1) & (la >= 30)] == 1).all()


def test_the_academy_year_is_the_first_year_as_an_academy(setup) -> None:
    params, schools = setup
    n = len(schools["phase"])
    opened = academy_year(schools, params, np.arange(n))
    converted = np.flatnonzero(opened > 0)
    assert 0.2 * n < len(converted) < n
    assert is_academy(schools, params, converted, opened[converted]).all()
    assert not is_academy(schools, params, converted, opened[converted] - 1).any()
    never = np.flatnonzero(opened == 0)
    assert not is_academy(schools, params, never, np.full(len(never), 2020)).any()
