"""School cohort statistics of the CVA years: the mean and spread of a school's pupils' prior
attainment (KS4_SC_P2APS, KS4_SC_KS2STDEV, KS4_SC_P3APS, KS4_SC_KS3STDEV, KS3_SC_PAPS,
KS3_SC_KS2STDEV).

DfE computed them over the school's whole cohort; a block holds a few of a school's pupils,
and a block's rows may not depend on another block's persons, so they are drawn once per
school and year (keyed by the school and the year, the same in every block) around the
simulated pupils' national mean, with a between-school spread, a grammar school's abler
intake and a special school's lower one (``key_stages.school_cohort`` in
config/parameters.yaml).
"""

from __future__ import annotations

import numpy as np

from leo_synth.engine.rng import stream_keys, value_uniforms
from leo_synth.relations.values import Masked
from leo_synth.simulation.life import LifeCourse
from leo_synth.simulation.pools import SPECIAL_PHASE
from leo_synth.simulation.stats import norm_ppf

COHORT_MEASURES = ("aps", "sd")
"""What each prior stage has: the cohort's mean average point score and its standard
deviation."""


def school_cohort(life: LifeCourse, stage: str, prior: str, school: np.ndarray,
                  year: np.ndarray, at_unit: np.ndarray | None = None) -> dict[str, Masked]:
    """``sc_<prior>_aps`` and ``sc_<prior>_sd`` of the ``stage`` (ks3, ks4) rows' schools in
    their years, from a stream per stage, prior stage and measure: the rows of one school and
    year share them in every block. NULL for ``at_unit`` rows: a pupil on a pupil referral
    unit's roll carries the unit's URN, and units had no school-level CVA."""
    p = life.ctx.params[f"key_stages.school_cohort.{prior}"]
    school = np.asarray(school, dtype=np.int64)
    grammar = life.ctx.pools.schools["grammar"][school]
    special = life.ctx.pools.schools["phase"][school] == SPECIAL_PHASE
    names = [f"school_cohort.{stage}.{prior}.{measure}" for measure in COHORT_MEASURES]
    keys = stream_keys(life.ctx.seed, names)
    z = {measure: norm_ppf(value_uniforms(key, [school, np.asarray(year)]))
         for measure, key in zip(COHORT_MEASURES, keys, strict=True)}
    aps = (p["mean"] + p["grammar_shift"] * grammar + p["special_shift"] * special
           + p["between_sd"] * z["aps"])
    sd = (p["sd_mean"] * np.where(grammar, p["grammar_sd_factor"], 1.0)
          + p["sd_spread"] * z["sd"])
    null = np.zeros(len(school), dtype=bool) if at_unit is None else np.asarray(at_unit)
    return {f"sc_{prior}_aps": Masked(np.round(aps, 2), null),
            f"sc_{prior}_sd": Masked(np.round(np.maximum(sd, p["sd_floor"]), 2), null)}
