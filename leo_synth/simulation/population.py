"""Who the simulated persons are: kind, birth, sex, ethnicity, language, home area, latent traits.

Latent traits are standard normal scores that later steps turn into outcomes:

* ``disadvantage`` drives FSM eligibility and neighbourhood deprivation (IDACI);
* ``ability`` drives attainment, correlated negatively with disadvantage;
* ``need`` drives special educational needs, and with ``health`` disability benefits.
"""

from __future__ import annotations

import numpy as np

from leo_synth.simulation.calendar import academic_year_of, ymd
from leo_synth.simulation.context import BlockContext
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.parameters import Parameters
from leo_synth.simulation.pools import LSOA_IDACI_SPREAD, home_output_area, pick_member
from leo_synth.simulation.stats import categorical, standard_normal_cdf

KIND_SCHOOL, KIND_ADULT_LEARNER, KIND_HE_ONLY = 0, 1, 2
KINDS = ("school", "adult_learner", "he_only")

ABILITY_DISADVANTAGE = -0.35
"""Correlation of the standard-normal latent traits ability and disadvantage (a calibration
parameter held here, where scores built from both traits can read it)."""


def ethnic_shares(p: Parameters, cohort: np.ndarray) -> np.ndarray:
    """Each person's ethnic group shares (rows, in ``population.ethnicity``'s order) by their
    academic year of birth: the minority groups' 2020/21 shares scaled by
    ``population.minority_trend`` (fewer in older cohorts: 19% of pupils in 2006, 34% in
    2021), White British the rest."""
    shares = p["population.ethnicity"]
    codes = list(shares)
    base = np.array([float(shares[c]) for c in codes])
    trend = p["population.minority_trend"]
    low, high = trend["range"]
    scale = np.clip(1 + trend["per_cohort"] * (cohort - trend["centre"]), low, high)
    minority = np.array([code != "WBRI" for code in codes])
    rows = np.where(minority[None, :], base[None, :] * scale[:, None], 0.0)
    rows[:, ~minority] = base.sum() - rows[:, minority].sum(axis=1, keepdims=True)
    return rows


def simulate_persons(ctx: BlockContext) -> Frame:
    """One row per person of the block."""
    p = ctx.params
    rng = ctx.rng("population.kind")
    n = ctx.size
    kinds = p["population.kinds"]
    kind = categorical(rng, np.array([kinds[k] for k in KINDS]), n).astype(np.int8)

    rng = ctx.rng("population.birth")
    births = p["population.cohort_births"]
    cohorts = np.array(sorted(births), dtype=np.int64)
    cohort = cohorts[categorical(rng, np.array([births[c] for c in cohorts], dtype=float), n)]
    birth = ymd(cohort, 9, 1) + rng.integers(0, 365, n).astype("timedelta64[D]")
    for kind_code, key in ((KIND_ADULT_LEARNER, "adult_learner_birth_years"),
                           (KIND_HE_ONLY, "he_only_birth_years")):
        first, last = p[f"population.{key}"]
        days = (ymd(last, 12, 31) - ymd(first, 1, 1)).astype(int)
        other = ymd(first, 1, 1) + rng.integers(0, days, n).astype("timedelta64[D]")
        birth = np.where(kind == kind_code, other, birth)
    cohort = academic_year_of(birth)

    female_share = np.where(kind == KIND_HE_ONLY, float(p["population.he_only_female_share"]),
                            float(p["population.female_share"]))
    rng = ctx.rng("population.sex_ethnicity_language")
    female = rng.random(n) < female_share
    ethnic_codes = list(p["population.ethnicity"])
    ethnicity = categorical(rng, ethnic_shares(p, cohort))
    eal_p = np.array([p["population.eal_by_ethnicity"][c] for c in ethnic_codes])
    eal = rng.random(n) < eal_p[ethnicity]

    rng = ctx.rng("population.home_area")
    regions = p["geography.regions"]
    white_british = np.array(ethnic_codes)[ethnicity] == "WBRI"
    share_wb = np.array([r["share_white_british"] for r in regions])
    share_other = np.array([r["share_other"] for r in regions])
    region = np.where(white_british, categorical(rng, share_wb, n),
                      categorical(rng, share_other, n))
    la = pick_member(ctx.pools.las["region"], region, rng.random(n))
    oa_u = rng.random(n)

    # Latent traits (see module docstring); the correlations are calibration parameters.
    rng = ctx.rng("population.latent_traits")
    disadvantage = rng.standard_normal(n)
    ability = (ABILITY_DISADVANTAGE * disadvantage
               + np.sqrt(1 - ABILITY_DISADVANTAGE**2) * rng.standard_normal(n))
    # HE-only persons all entered HE: they are selected as HE entrants from English schools are.
    he_only = kind == KIND_HE_ONLY
    selection = p["population.he_only_selection"]
    disadvantage = np.where(he_only, disadvantage + selection["disadvantage"], disadvantage)
    ability = np.where(he_only, ability + selection["ability"], ability)
    need = (-0.55 * ability + 0.25 * (~female) + 0.27 * disadvantage
            + 0.75 * rng.standard_normal(n))
    health = 0.4 * need + 0.2 * disadvantage + 0.88 * rng.standard_normal(n)
    # Neighbourhood deprivation places the home among the LA's LSOAs (IDACI is the LSOA's).
    deprivation = (0.75 * disadvantage + 0.35 * rng.standard_normal(n)) / LSOA_IDACI_SPREAD
    oa = home_output_area(ctx.pools.output_areas, la, standard_normal_cdf(deprivation), oa_u)
    idaci = ctx.pools.output_areas["idaci"][oa]

    return Frame(
        pid=ctx.pid,
        kind=kind,
        birth=birth,
        cohort=cohort.astype(np.int64),
        female=female,
        ethnicity=ethnicity.astype(np.int8),
        eal=eal,
        region=region.astype(np.int8),
        la=la,
        oa=oa,
        idaci=idaci,
        disadvantage=disadvantage,
        ability=ability,
        need=need,
        health=health,
    )
