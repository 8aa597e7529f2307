"""UCAS's unconditional offers (its 2019 end of cycle analysis): the applications it
considered, the three kinds of unconditional offer at their published shares of
18-year-old applicants, and the June 30 decision each kind stands at."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import simulated_block

from leo_synth.relations import ucas
from leo_synth.relations.values import Masked
from leo_synth.simulation.frame import Frame

N = 40_000
KINDS = ("direct_unconditional_offer_flag", "conditional_unconditional_offer_flag",
         "other_unconditional_offer_flag")


@pytest.fixture(scope="module")
def rows(catalog) -> Frame:
    relation = next(rel for rel in catalog.relations(2) if rel.name == "ucas_2007_to_2021")
    return ucas.applications(simulated_block(catalog, 42, N), relation)


def _array(column) -> np.ndarray:
    return column.values if isinstance(column, Masked) else np.asarray(column)


def _applicant_share(rows: Frame, flag: str, cycles: tuple[int, ...]) -> float:
    """Share of the analysed applicants of the cycles with the flag on any application."""
    cycle, applicant = _array(rows["application_cycle"]), _array(rows["applicant_id"])
    analysed = (_array(rows["ucas_unconditional_offer_flag"]) == 1) & np.isin(cycle, cycles)
    flagged = analysed & (_array(rows[flag]) == 1)
    return len(np.unique(applicant[flagged])) / len(np.unique(applicant[analysed]))


def test_each_kind_of_unconditional_offer_is_made(rows) -> None:
    """Direct and other unconditional offers were never made (every one was coded
    conditional unconditional): each kind is near its share of 18-year-old applicants, and
    conditional unconditional offers fall after 2019 (the moratorium)."""
    assert 0.05 < _applicant_share(rows, KINDS[0], (2019,)) < 0.11
    assert 0.13 < _applicant_share(rows, KINDS[1], (2019,)) < 0.24
    assert 0.10 < _applicant_share(rows, KINDS[2], (2019,)) < 0.20
    assert _applicant_share(rows, KINDS[1], (2021,)) < 0.09
    assert _applicant_share(rows, KINDS[1], (2013,)) < 0.02


def test_the_flags_agree_with_the_analysis_and_the_decision(rows) -> None:
    """Only analysed applications (main scheme, aged 18, from 2013) carry a flag, one kind at
    most, the component flag being any; a direct or other unconditional offer is U at June
    30, a conditional unconditional one U if held firm (F), else C."""
    flags = np.stack([_array(rows[k]) for k in KINDS])
    analysed = _array(rows["ucas_unconditional_offer_flag"]) == 1
    assert (flags.sum(0) <= 1).all()
    assert (_array(rows["unconditional_component_flag"]) == flags.sum(0)).all()
    assert not flags[:, ~analysed].any()
    cycle = _array(rows["application_cycle"])
    main = _array(rows["main_scheme_application_flag"]) == 1
    assert (analysed <= (main & (cycle >= 2013) & (_array(rows["applicant_age"]) == 18))).all()
    assert analysed.sum() > 1000
    decision = rows["june30_hep_decision_code"]
    code = np.where(decision.null, "", decision.values)
    firm = np.where(rows["june30_app_response_code"].null, "",
                    rows["june30_app_response_code"].values) == "F"
    assert (code[(flags[0] == 1) | (flags[2] == 1)] == "U").all()
    conditional_unconditional = flags[1] == 1
    assert (code[conditional_unconditional] == np.where(firm, "U", "C")[
        conditional_unconditional]).all()
