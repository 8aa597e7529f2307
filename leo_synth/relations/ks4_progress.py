"""Progress 8 by DfE's method: a pupil's Attainment 8 element scores against the national mean
of pupils with the same KS2 prior attainment.

Pupils are grouped by their KS2 prior attainment: the mean of English and maths fine levels
(``KS4_KS2EMFG``, to 2019/20) or of reading and maths scaled scores (``KS4_KS2EMSS``, pupils
with the 2015/16 KS2 tests). Each element's estimate is the national mean score of the group,
published once for 2018/19 (``ks4.progress8`` in config/parameters.yaml, fitted by
``tools/fit_progress8.py``) and moved by the year's national grade shift (``ks4.year_shift``),
so every year's estimates are that year's national means. P8 = (A8 - estimate) / 10; the
element scores divide by 2 (English, maths) or 3 (EBacc, open slots).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from leo_synth.simulation.frame import Frame
from leo_synth.simulation.key_stages import SCALED_SCORES_FROM
from leo_synth.simulation.series import interpolate

ELEMENT_WEIGHTS = {"eng": 2, "mat": 2, "ebacc": 3, "open": 3}
"""Slots of each element (English and maths double-weighted): its P8 divisor and the weight of
the national grade shift on its score."""
MAX_POINTS = 9
"""Points of the best grade (9) in a slot."""
GROUPS = 20


def element_scores(points: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Score of each A8 element from the slot grades (``pts_<slot>``, 9-1 points)."""
    pts = {k: np.asarray(v, dtype=float) for k, v in points.items()}
    return {"eng": 2 * pts["pts_eng"], "mat": 2 * pts["pts_mat"],
            "ebacc": pts["pts_eb1"] + pts["pts_eb2"] + pts["pts_eb3"],
            "open": pts["pts_op1"] + pts["pts_op2"] + pts["pts_op3"]}


def prior_score(prior: Frame, scale: str) -> np.ndarray:
    """KS2 prior attainment: mean English and maths fine level (``fine``) or mean reading and
    maths scaled score (``scaled``)."""
    if scale == "fine":
        return np.round((prior["ks2_eng_fine"] + prior["ks2_mat_fine"]) / 2, 2)
    return (prior["ks2_read_score"] + prior["ks2_mat_score"]) / 2


def prior_group(prior: Frame, scale: str) -> np.ndarray:
    """Prior-attainment group 1..20: quarter levels from level 2 (fine), or two scaled-score
    points from 80 (scaled)."""
    score = prior_score(prior, scale)
    low, width = (2.0, 0.25) if scale == "fine" else (80.0, 2.0)
    return np.clip(1 + np.floor((score - low) / width), 1, GROUPS).astype(np.int64)


def cohort_shift(params: Mapping, year: np.ndarray, measure: str) -> np.ndarray:
    """Grade points a slot by which a year's estimates move from the fitted tables: the grade
    scale's shift (``ks4.year_shift``) and the year's prior-attainment offset of the
    ``measure`` (``ks4.prior_offset``: progress8, value_added and median_line from KS2,
    value_added_ks3 and median_line_ks3 from KS3; 0 outside its years): KS2 and KS3 results
    rose over the years where KS4's did not, so a prior group stood for a different cohort
    each year, and DfE fitted each year's estimates on its own cohort (national Progress 8
    near 0 in every year)."""
    shift = interpolate(params["ks4.year_shift"], year)
    offsets = params[f"ks4.prior_offset.{measure}"]
    inside = (year >= min(offsets)) & (year <= max(offsets))
    return shift + np.where(inside, interpolate(offsets, year), 0.0)


def estimates(params: Mapping, prior: Frame, year: np.ndarray) -> dict[str, np.ndarray]:
    """Each element's estimate for every pupil (the group's national mean in the pupil's year),
    with ``group``, the prior score ``emfg``/``emss`` and the group's P8 ``sigma``."""
    table = params["ks4.progress8"]
    scaled = prior["ks2_year"] >= SCALED_SCORES_FROM
    group = np.where(scaled, prior_group(prior, "scaled"), prior_group(prior, "fine"))
    shift = cohort_shift(params, year, "progress8")
    out = {"group": group}
    for element, weight in ELEMENT_WEIGHTS.items():
        by_scale = [np.asarray(table[scale][element], dtype=float)[group - 1]
                    for scale in ("fine", "scaled")]
        # a mean of slot points lies between 0 and 9 points a slot, whatever the year's shift
        out[element] = np.round(np.clip(np.where(scaled, by_scale[1], by_scale[0])
                                        + weight * shift, 0, MAX_POINTS * weight), 2)
    out["sigma"] = np.where(scaled, np.asarray(table["scaled"]["sigma"])[group - 1],
                            np.asarray(table["fine"]["sigma"])[group - 1])
    return out


# -- Value added (2010/11 to 2015/16 best 8 and EBacc subject measures) ---------------------------

VA_MEASURES = {"b8": 10, "eng": 1, "mat": 1, "sci": 1, "hum": 1, "lan": 1}
"""Value added outcomes and their slots: ``b8`` the capped best 8 new-style point score plus
the English and maths bonuses (their points counted again, so 10 slots), the EBacc subjects'
new-style points (one slot each)."""
NEWSTYLE_PER_POINT = 6
"""New-style points per grade point (a letter grade is 6 new-style points): the year's grade
shift moves a slot's expected new-style points by 6 x the shift."""
VA_SLOTS = {"eng": "pts_eng", "mat": "pts_mat", "sci": "pts_eb1", "hum": "pts_eb2",
            "lan": "pts_eb3"}


def va_outcomes(points: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each VA outcome in new-style points from the grades of the pupil's GCSEs
    (``pts_<slot>``, the extra entries' too): the subjects' and the best eight's (``b8``)."""
    from leo_synth.simulation.attainment import NEWSTYLE_OF_POINTS, best_eight

    news = {k: NEWSTYLE_OF_POINTS[np.asarray(v, dtype=np.int64)].astype(float)
            for k, v in points.items()}
    out = {m: news[slot] for m, slot in VA_SLOTS.items()}
    out["b8"] = (best_eight(np.column_stack(list(news.values()))).sum(axis=1)
                 + news["pts_eng"] + news["pts_mat"])
    return out


def va_group(prior: Frame) -> np.ndarray:
    """VA prior-attainment group 1..20: the KS2 average fine level over English, maths and
    science in quarter levels from level 2."""
    fine = (prior["ks2_eng_fine"] + prior["ks2_mat_fine"] + prior["ks2_sci_fine"]) / 3
    return np.clip(1 + np.floor((np.round(fine, 2) - 2.0) / 0.25), 1, GROUPS).astype(np.int64)


def va_estimates(params: Mapping, prior: Frame, year: np.ndarray) -> dict[str, np.ndarray]:
    """Each VA outcome's prediction for every pupil: the national mean of the pupil's KS2 group
    in the pupil's year (``ks4.value_added`` on the 2018/19 grade scale, moved by the year's
    shift), with the ``group``; ``b8_ks3`` the best 8 outcome's by KS3 group."""
    table = params["ks4.value_added"]
    group = va_group(prior)
    shift = cohort_shift(params, year, "value_added")
    out = {"group": group}
    for measure, slots in VA_MEASURES.items():
        out[measure] = np.round(np.maximum(np.asarray(table[measure], dtype=float)[group - 1]
                                           + NEWSTYLE_PER_POINT * slots * shift, 0), 2)
    out["b8_ks3"] = np.round(np.maximum(
        np.asarray(table["b8_ks3"], dtype=float)[ks3_group(prior) - 1]
        + NEWSTYLE_PER_POINT * VA_MEASURES["b8"] * cohort_shift(params, year, "value_added_ks3"),
        0), 2)
    return out


def ceiling_floor(predicted: np.ndarray, high: float, knot: float) -> np.ndarray:
    """A prediction corrected for ceiling and floor effects (DfE's arctan spline): unchanged
    between ``knot`` and ``high - knot``, beyond them squeezed by an arctan (same value and
    slope at the knot) that approaches 0 or ``high`` without reaching it."""
    def squeeze(excess: np.ndarray) -> np.ndarray:
        return knot * 2 / np.pi * np.arctan(excess / knot * np.pi / 2)

    predicted = np.asarray(predicted, dtype=float)
    top = high - knot
    return np.where(predicted > top, top + squeeze(predicted - top),
                    np.where(predicted < knot, knot - squeeze(knot - predicted), predicted))


# -- Median-line value added (2002/03 to 2005/06) -------------------------------------------------

MEDIAN_SCALES = {"new": NEWSTYLE_PER_POINT, "old": 1}
"""Capped point scores of the median-line VA and their points per grade point: new style (a
letter grade 6 points) and old style (1 point)."""
KS3_GROUPS = 16


def median_outcomes(points: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Capped (the best eight GCSEs) new- and old-style point scores from the grades of the
    pupil's GCSEs (``pts_<slot>``, the extra entries' too)."""
    from leo_synth.relations.ks4_subjects import OLD_POINTS_OF_POINTS
    from leo_synth.simulation.attainment import NEWSTYLE_OF_POINTS, best_eight

    pts = np.column_stack([np.asarray(v, dtype=np.int64) for v in points.values()])
    return {"new": best_eight(NEWSTYLE_OF_POINTS[pts]).sum(axis=1).astype(float),
            "old": best_eight(OLD_POINTS_OF_POINTS[pts]).sum(axis=1).astype(float)}


def ks3_group(prior: Frame) -> np.ndarray:
    """KS3 prior-attainment group 1..16: the average KS3 level of English, maths and science in
    thirds of a level from level 3."""
    mean = (prior["ks3_eng_level"] + prior["ks3_mat_level"] + prior["ks3_sci_level"]) / 3
    return np.clip(1 + np.rint((mean - 3) * 3), 1, KS3_GROUPS).astype(np.int64)


def median_estimates(params: Mapping, prior: Frame, year: np.ndarray) -> dict[str, np.ndarray]:
    """The national median capped score (``ks2_new``, ``ks2_old``, ``ks3_new``, ``ks3_old``)
    of the pupil's KS2 (``va_group``) or KS3 (``ks3_group``) group in the pupil's year
    (``ks4.median_line`` on the 2018/19 scale, moved by the year's shift over 8 slots)."""
    table = params["ks4.median_line"]
    out = {}
    for stage, group in (("ks2", va_group(prior)), ("ks3", ks3_group(prior))):
        shift = cohort_shift(params, year, "median_line" if stage == "ks2" else "median_line_ks3")
        for scale, per_point in MEDIAN_SCALES.items():
            out[f"{stage}_{scale}"] = np.round(np.maximum(  # a score is never below 0
                np.asarray(table[stage][scale], dtype=float)[group - 1] + 8 * per_point * shift,
                0), 1)
    return out
