"""Early years and key stages 1-3: assessments driven by the same latent ability as KS4.

Each assessment is a noisy reading of the pupil's latent attainment at that age (ability plus
the disadvantage, SEN and sex effects of KS4, damped for younger ages), turned into the levels
or points of its era. These run on demand (from the relation builders) and draw from their own
streams (one for the pupil's latent reading, one for the per-subject noise, per stage), so
adding them changes nothing else. Their coefficients are ``key_stages`` in parameters.yaml.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from leo_synth.simulation.frame import Frame
from leo_synth.simulation.parameters import Parameters
from leo_synth.simulation.schooling import SEN_STATEMENT, SEN_SUPPORT
from leo_synth.simulation.series import interpolate

# NC year and assessment window (start years) of each stage.
STAGES = {"eyfsp": (0, 2002, 2009), "ks1": (2, 1997, 2011), "ks2": (6, 1995, 2015),
          "ks3": (9, 1997, 2012)}
SUBJECTS = {"ks1": ("reading", "writing", "maths", "science"),
            "ks2": ("english", "maths", "science"),
            "ks3": ("english", "maths", "science")}
EYFSP_SCALES = 13
SCALED_SCORES_FROM = 2015
"""Start year of the first KS2 tests reported as scaled scores (2015/16)."""


def assessed_pupils(life, stage: str) -> Frame:
    """Pupils assessed at a stage: on a state-school roll in that NC year, within the window.

    Rows: person, year (start year of the assessment year), school, latent (standardised),
    noise (four per-subject noises) and scores (per subject, or EYFSP scale, before rounding).
    """
    ncyear, first, last = STAGES[stage]
    persons = life.persons
    schooling = life.schooling
    year = persons["cohort"] + 5 + ncyear
    who = np.flatnonzero(schooling.on_roll_in(persons["kind"], ncyear)
                         & (year >= first) & (year <= last))
    person_year = year[who]
    first_school = (schooling.primary_school if ncyear <= 6 else schooling.secondary_school)[who]
    school = schooling.school_in(who, person_year, first_school)
    level = schooling.sen_level_in(who, person_year)
    eff = life.ctx.params["ks4.effects"]
    reading = life.ctx.params["key_stages.latent"]
    # The KS4 effects act fully at NC year 11, less at younger ages.
    damp = reading["damp_at_reception"] + (1 - reading["damp_at_reception"]) * ncyear / 11
    latent = (persons["ability"][who]
              + damp * eff["female"] * persons["female"][who]
              + damp * eff["fsm6"] * (persons["disadvantage"][who] > 1.0)
              + damp * eff["sen_support"] * (level == SEN_SUPPORT)
              + damp * eff["sen_statement"] * (level == SEN_STATEMENT)
              + reading["school_weight"] * eff["school"]
              * life.ctx.pools.schools["effect"][school]
              + reading["noise_sd"] * life.ctx.rng(f"key_stages.{stage}.latent").standard_normal(
                  len(who)))
    noise = life.ctx.rng(f"key_stages.{stage}.subject_noise").standard_normal((len(who), 4))
    return Frame(person=who, year=person_year, school=school, latent=latent, noise=noise,
                 scores=_scores(life.ctx.params, stage, latent, noise, person_year))


def subject_scores(rows: Frame, stage: str) -> dict[str, np.ndarray]:
    """Continuous attainment per subject on the level scale, centred on the expected level."""
    return {subject: rows["scores"][:, i] for i, subject in enumerate(SUBJECTS[stage])}


def subject_levels(rows: Frame, stage: str) -> dict[str, np.ndarray]:
    """National curriculum level per subject (1..7): the whole part of the subject's score."""
    return {subject: np.clip(np.floor(raw), 1, 7 if stage == "ks3" else 6).astype(np.int64)
            for subject, raw in subject_scores(rows, stage).items()}


def eyfsp_scores(rows: Frame) -> np.ndarray:
    """Thirteen EYFSP scale points (0-9 each), one row per pupil."""
    return np.clip(np.rint(rows["scores"]), 0, 9).astype(np.int64)


def _scores(params: Parameters, stage: str, latent: np.ndarray, noise: np.ndarray,
            year: np.ndarray) -> np.ndarray:
    """Scores per subject (columns): the stage's expected level in the assessment's year
    (``expected``: one number, or points by start year that are interpolated), with the
    subject's ``subject_shift`` (the same, per subject), less ``standard_2016`` from 2015/16
    (KS2's new tests set a higher standard than level 4), plus its spread (one number, or one
    per subject) times the latent reading and the subject's noise; EYFSP's thirteen scales
    reuse the four noises."""
    scale = params[f"key_stages.{stage}"]
    if stage == "eyfsp":
        noise = np.tile(noise, (1, 4))[:, :EYFSP_SCALES]
    else:
        noise = noise[:, :len(SUBJECTS[stage])]
    centre = _by_year(scale["expected"], year)
    if "standard_2016" in scale:
        centre = centre - scale["standard_2016"] * (year >= SCALED_SCORES_FROM)
    shift = np.column_stack([_by_year(value, year)
                             for value in scale.get("subject_shift", [0.0] * noise.shape[1])])
    return centre[:, None] + shift + np.asarray(scale["spread"], dtype=float) * (
        scale["latent"] * latent[:, None] + scale["noise"] * noise)


def _by_year(value: float | Mapping[int, float], year: np.ndarray) -> np.ndarray:
    """A parameter that is one number, or points by start year interpolated, in each year."""
    if isinstance(value, Mapping):
        return interpolate(value, year)
    return np.full(len(year), float(value))
