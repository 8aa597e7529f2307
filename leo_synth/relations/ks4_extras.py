"""The GCSEs a KS4 pupil sits beyond the eight filling Attainment 8 slots (a 9th, 10th ...).

DfE's KS4 statistics count 9 to 10 GCSE entries per pupil before the reformed GCSEs and 8 to
9 after; the life course simulates the grades of the eight Attainment 8 slots
(simulation/attainment.py), and the extras are drawn here, once per block, where the slots'
subjects (``ks4_subjects``) tell which GCSEs fill which slot. An extra is a non-EBacc subject
(``slot_subjects``' ``x1..x4``, open subjects beside the pupil's others) graded at most the
lowest grade the open element counts, and only where every open slot is filled: it fills no
slot, so Attainment 8 and every element are unchanged. It moves no threshold measure either:
a pupil sits extras only with five or more A*-G GCSEs already, and a pupil with fewer than
five A*-C (GCSEs alone, or with equivalents) sits at most as many extras at A*-C as keep the
count below five, so 5+ A*-C, 5+ A*-G and their English-and-maths forms are as simulated.
"""

from __future__ import annotations

import numpy as np

from leo_synth.relations.ks4_subjects import a8_positions, filled_grades, slot_subjects
from leo_synth.simulation.attainment import (
    EXTRA_SLOTS,
    NEWSTYLE_OF_POINTS,
    SLOTS,
    best_eight,
    with_equivalents,
)
from leo_synth.simulation.life import LifeCourse
from leo_synth.simulation.per_block import per_block
from leo_synth.simulation.series import interpolate
from leo_synth.simulation.stats import logistic

PASS = 4
"""The 9-1 points of a pass at A*-C (grade C / 4)."""


@per_block
def entry_points(life: LifeCourse) -> np.ndarray:
    """(pupils, 12) grades (9-1 points, 0 = no entry) of each KS4 pupil's GCSEs in
    ``ENTRY_SLOTS`` order (simulation/attainment.py): the Attainment 8 slots', then the
    extras' (best first)."""
    ks4 = life.ks4
    points = np.stack([np.asarray(ks4[f"pts_{slot}"], dtype=np.int64) for slot in SLOTS],
                      axis=1)
    return np.column_stack([points, _extra_points(life, points)])


def _extra_points(life: LifeCourse, points: np.ndarray) -> np.ndarray:
    """(pupils, len(EXTRA_SLOTS)) the extras' grades: how many (up to four) rises with
    attainment, follows the year and is higher for a pupil without an EBacc humanity or
    language (``ks4.extra_entries``: the logit of a j-th extra is a + b x latent + gap x
    [an EBacc slot empty] - step x (j - 1)); the grades are drawn as the slots' are, then capped
    (module docstring). A stream of its own: no other value changes."""
    ks4, params = life.ks4, life.ctx.params
    p = params["ks4.extra_entries"]
    rng = life.ctx.rng("ks4.extra_entries")
    n, k = len(points), len(EXTRA_SLOTS)
    year = np.asarray(ks4["year"], dtype=np.int64)
    latent = np.asarray(ks4["latent"], dtype=float)
    subjects = slot_subjects(life)
    filled = filled_grades(points, a8_positions(
        points, np.stack([subjects[slot] for slot in SLOTS], axis=1)))
    lowest_open = filled[:, SLOTS.index("op1"):].min(axis=1)
    passes = (points >= PASS).sum(axis=1)
    with_equivalents_passes = passes + np.asarray(ks4["equiv_counted_ac"], dtype=np.int64)
    # (at A*-C: as many as leave both counts below five where either is)
    allowed = np.where(with_equivalents_passes < 5, 4 - with_equivalents_passes,
                       np.where(passes < 5, 4 - passes, k))
    sits = (lowest_open > 0) & ((points > 0).sum(axis=1) >= 5)
    gap = (points[:, SLOTS.index("eb2")] == 0) | (points[:, SLOTS.index("eb3")] == 0)
    level = interpolate(p["a"], year) + float(p["b"]) * latent + float(p["gap"]) * gap
    count = (rng.random(n)[:, None] < logistic(
        level[:, None] - float(p["step"]) * np.arange(k)[None, :])).sum(axis=1)
    count = np.where(sits, count, 0)
    centre = float(params["ks4.mean_points"]) + interpolate(params["ks4.year_shift"], year)
    raw = (centre + float(params["ks4.spread"]) * latent)[:, None] + rng.normal(
        0, params["ks4.subject_noise"], (n, k))
    grades = np.clip(np.minimum(np.rint(raw), lowest_open[:, None]), 1, 9).astype(np.int64)
    grades = -np.sort(-grades, axis=1)  # (best first, as the exam rows' ranks read them)
    grades = np.where(np.arange(k) < allowed[:, None], grades, np.minimum(grades, PASS - 1))
    return np.where(np.arange(k) < count[:, None], grades, 0)


def entry_measures(life: LifeCourse) -> dict[str, np.ndarray]:
    """The KS4 pupil's measures over all the pupil's GCSEs, extras too: ``entries`` (GCSE
    entries), ``ptstnewe`` (total new-style points, with equivalents) and ``ptscnewe`` (the
    eight best new-style points of GCSEs and equivalents)."""
    ks4 = life.ks4
    points = entry_points(life)
    scored = with_equivalents(NEWSTYLE_OF_POINTS[points],
                              np.asarray(ks4["equiv_counted_units"], dtype=np.int64),
                              np.asarray(ks4["equiv_unit_points"], dtype=np.int64))
    return {"entries": (points > 0).sum(axis=1), "ptstnewe": scored.sum(axis=1),
            "ptscnewe": best_eight(scored).sum(axis=1)}

