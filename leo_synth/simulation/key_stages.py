"""Early years and key stages 1-3: assessments driven by the same latent ability as KS4.

Each assessment is a noisy reading of the pupil's latent attainment at that age (ability plus
the disadvantage, SEN and sex effects of KS4, damped for younger ages), turned into the levels
or points of its era. These run on demand (from the relation builders) and draw from their own
streams, so adding them changes nothing else.
"""

from __future__ import annotations

import numpy as np

from leo_synth.simulation.frame import Frame
from leo_synth.simulation.schooling import SEN_STATEMENT, SEN_SUPPORT

# NC year and assessment window (start years) of each stage.
STAGES = {"eyfsp": (0, 2002, 2009), "ks1": (2, 1997, 2011), "ks2": (6, 1995, 2015),
          "ks3": (9, 1997, 2012)}
SUBJECTS = {"ks1": ("reading", "writing", "maths", "science"),
            "ks2": ("english", "maths", "science"),
            "ks3": ("english", "maths", "science")}


def assessed_pupils(life, stage: str) -> Frame:
    """Pupils assessed at a stage: on a state-school roll in that NC year, within the window.

    Rows: person, year (start year of the assessment year), school, latent (standardised).
    """
    ncyear, first, last = STAGES[stage]
    persons = life.persons
    schooling = life.schooling
    year = persons["cohort"] + 5 + ncyear
    who = np.flatnonzero(schooling.on_roll_in(persons["kind"], ncyear)
                         & (year >= first) & (year <= last))
    rng = life.ctx.rng(f"assessment:{stage}")
    person_year = year[who]
    school = (schooling.primary_school if ncyear <= 6 else schooling.secondary_school)[who]
    level = schooling.sen_level_in(who, person_year)
    eff = life.ctx.params["ks4.effects"]
    damp = 0.5 + 0.5 * ncyear / 11
    latent = (persons["ability"][who]
              + damp * eff["female"] * persons["female"][who]
              + damp * eff["fsm6"] * (persons["disadvantage"][who] > 1.0)
              + damp * eff["sen_support"] * (level == SEN_SUPPORT)
              + damp * eff["sen_statement"] * (level == SEN_STATEMENT)
              + 0.5 * eff["school"] * life.ctx.pools.schools["effect"][school]
              + 0.35 * rng.standard_normal(len(who)))
    return Frame(person=who, year=person_year, school=school, latent=latent,
                 noise=rng.standard_normal((len(who), 4)))


def subject_scores(rows: Frame, stage: str) -> dict[str, np.ndarray]:
    """Continuous attainment per subject on the level scale, centred on the expected level."""
    expected = {"ks1": 2.3, "ks2": 4.2, "ks3": 5.4}[stage]
    spread = {"ks1": 0.75, "ks2": 0.85, "ks3": 1.0}[stage]
    return {subject: expected + spread * (0.85 * rows["latent"] + 0.5 * rows["noise"][:, i])
            for i, subject in enumerate(SUBJECTS[stage])}


def subject_levels(rows: Frame, stage: str) -> dict[str, np.ndarray]:
    """National curriculum level per subject (1..7): the whole part of the subject's score."""
    return {subject: np.clip(np.floor(raw), 1, 7 if stage == "ks3" else 6).astype(np.int64)
            for subject, raw in subject_scores(rows, stage).items()}


def eyfsp_scores(rows: Frame) -> np.ndarray:
    """Thirteen EYFSP scale points (0-9 each), one row per pupil."""
    scales = 13
    noise = np.tile(rows["noise"], (1, 4))[:, :scales]
    raw = 6.4 + 1.6 * (0.8 * rows["latent"][:, None] + 0.6 * noise)
    return np.clip(np.rint(raw), 0, 9).astype(np.int64)
