"""Degree subjects: the JACS -> CAH2 mapping, who studies what, and subjects' pay shapes."""

from __future__ import annotations

import sqlite3
from collections import Counter

import numpy as np

from leo_synth.simulation.parameters import load_parameters
from leo_synth.simulation.subjects import draw_subjects, subject_catalogue, subject_pay

PARAMS = load_parameters(None)
CATALOGUE = subject_catalogue(PARAMS)


def _cah2_index(code: str) -> int:
    return int(np.flatnonzero(CATALOGUE.cah2_code == code)[0])


def test_every_jacs_area_holds_several_principal_subjects() -> None:
    areas = Counter(CATALOGUE.area)
    assert len(areas) == 20
    assert min(areas.values()) >= 2, areas
    assert {"L100", "L200", "B700", "C100", "C800"} <= set(CATALOGUE.jacs)
    # Principal subject codes: an area letter, a digit, then "00".
    assert all(len(c) == 4 and c[0].isupper() and c[1].isdigit() and c[2:] == "00"
               for c in CATALOGUE.jacs)
    assert len(set(CATALOGUE.jacs)) == len(CATALOGUE.jacs)


def test_principal_subjects_map_to_their_cah2_subject() -> None:
    def cah2_of(jacs: str) -> str:
        return str(CATALOGUE.cah2_code[CATALOGUE.cah2[list(CATALOGUE.jacs).index(jacs)]])

    assert cah2_of("L100") == "CAH15-02"  # economics
    assert cah2_of("B700") == "CAH02-04"  # nursing
    assert cah2_of("W300") == "CAH21-01"  # music: creative arts and design
    assert set(CATALOGUE.cah2) == set(range(len(CATALOGUE.cah2_code)))


def _draw(n: int, female: bool, latent: float) -> np.ndarray:
    rng = np.random.default_rng(5)
    subject = draw_subjects(rng.random(n), rng.random(n), PARAMS, np.full(n, female),
                            np.full(n, latent))
    return np.bincount(CATALOGUE.cah2[subject], minlength=len(CATALOGUE.cah2_code)) / n


def test_subject_shares_differ_by_sex_in_the_published_direction() -> None:
    women, men = _draw(40_000, True, 0.45), _draw(40_000, False, 0.45)
    for code in ("CAH02-04", "CAH02-06", "CAH22-01", "CAH04-01"):  # nursing, allied, ed., psych.
        assert women[_cah2_index(code)] > 2 * men[_cah2_index(code)], code
    for code in ("CAH10-01", "CAH11-01", "CAH15-02"):  # engineering, computing, economics
        assert men[_cah2_index(code)] > 1.5 * women[_cah2_index(code)], code


def test_high_prior_attainment_leans_to_medicine_economics_maths_and_sciences() -> None:
    high, low = _draw(40_000, True, 1.5), _draw(40_000, True, -0.5)
    for code in ("CAH01-01", "CAH15-02", "CAH09-01", "CAH07-01"):
        assert high[_cah2_index(code)] > 2 * low[_cah2_index(code)], code
    assert low[_cah2_index("CAH02-04")] > high[_cah2_index("CAH02-04")]


def test_subject_pay_growth_follows_the_published_shapes() -> None:
    level, growth5, growth10 = subject_pay(PARAMS)
    total = growth5 + growth10
    economics, nursing = _cah2_index("CAH15-02"), _cah2_index("CAH02-04")
    creative = _cah2_index("CAH21-01")
    assert total[economics] > total[creative] > total[nursing]
    assert level[_cah2_index("CAH01-01")] > level[_cah2_index("CAH17-01")] > level[creative]


def test_generated_hesa_subjects_are_in_the_mapping(small_sqlite) -> None:
    path, _ = small_sqlite
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT DISTINCT HE_XJACS01_1, HE_XJACSA01_1 FROM hesa_2015").fetchall()
    codes = {r[0] for r in rows}
    assert codes <= set(CATALOGUE.jacs)
    assert all(code[0] == area for code, area in rows)
    assert len(codes) > 25  # many principal subjects, not one per area


def test_subject_pay_nets_out_womens_share_upwards() -> None:
    """A subject's pay level is its published median net of its students' sex: women earn
    less within a subject, so a subject of more women starts higher than its median alone
    says (same prior-attainment tilt here, so only the women's share differs)."""
    level, _, _ = subject_pay(PARAMS)
    subjects = PARAMS["he.subjects"]
    allied, combined = _cah2_index("CAH02-06"), _cah2_index("CAH23-01")
    assert subjects[allied]["female"] > subjects[combined]["female"]
    assert subjects[allied]["prior"] == subjects[combined]["prior"]
    net = level - np.log([s["median"][0] for s in subjects])
    assert net[allied] > net[combined]
