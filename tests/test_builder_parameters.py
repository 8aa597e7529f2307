"""Rates the relation builders use live in config/parameters.yaml and are validated there."""

from __future__ import annotations

import copy

import pytest
import yaml
from conftest import ROOT

from leo_synth.simulation.parameters_schema import parameter_problems

DEFAULTS = yaml.safe_load((ROOT / "config" / "parameters.yaml").read_text())


@pytest.mark.parametrize(("section", "key", "bad", "shown"), [
    ("alternative_provision", "pru_in_census_share", 1.5, "probability"),
    ("alternative_provision", "pru_census_share", -0.1, "probability"),
    ("alternative_provision", "ap_census_share", 2, "probability"),
    ("pools", "enterprise_death_share", -1, "probability"),
    ("exams", "teacher_assessed_from", 3000, "year"),
    ("cjrs", "weeks_capped_above", -3, "whole number"),
    ("school_types", "selective_la_share", 1.2, "probability"),
    ("school_types", "sponsored_until", 20100, "year"),
    ("social_care", "frailty_ability", -1.5, "correlation"),
])
def test_builder_rates_are_checked(section: str, key: str, bad: float, shown: str) -> None:
    assert parameter_problems(DEFAULTS, DEFAULTS) == []
    tree = copy.deepcopy(DEFAULTS)
    tree[section][key] = bad
    problems = parameter_problems(tree, DEFAULTS)
    assert len(problems) == 1 and problems[0].startswith(f"{section}.{key}:")
    assert shown in problems[0]


def test_academy_shares_must_not_fall() -> None:
    """A school converts once (simulation/school_types.py), so a phase's academy share may not
    fall from one year to the next."""
    tree = copy.deepcopy(DEFAULTS)
    tree["school_types"]["academy_share"]["special"][2016] = 0.1
    problems = parameter_problems(tree, DEFAULTS)
    assert len(problems) == 1 and problems[0].startswith("school_types.academy_share.special:")
    assert "must not fall" in problems[0]
    tree = copy.deepcopy(DEFAULTS)
    tree["school_types"]["maintained_shares"]["primary"] = [0.5, 0.2, 0.2, 0.2]
    (problem,) = parameter_problems(tree, DEFAULTS)
    assert "sum to 1" in problem


def test_a_negative_referral_frailty_is_refused() -> None:
    """The frailty is a standard deviation (simulation/social_care.py): a negative one would
    stop the run inside numpy instead of in one line before it."""
    tree = copy.deepcopy(DEFAULTS)
    tree["social_care"]["referral_logit"]["frailty"] = -1
    (problem,) = parameter_problems(tree, DEFAULTS)
    assert problem.startswith("social_care.referral_logit.frailty:") and "0 or more" in problem
