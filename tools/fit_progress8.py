"""Fit the Progress 8 and value added estimates of config/parameters.yaml (``ks4.progress8``,
``ks4.value_added``): the national mean score of each Attainment 8 element and VA outcome by
KS2 prior-attainment group, as DfE publishes them, measured on one simulated block and put
back on the 2018/19 grade scale (the year's grade shift taken off); a subject's VA counts only
the pupils who entered it. Run after changing the KS4, KS2 or KS3 model:

    .venv/bin/python tools/fit_progress8.py [persons]
"""

from __future__ import annotations

import sys

import numpy as np

from leo_synth.engine.generate import load_checked_catalog
from leo_synth.engine.keys import KeyMaker
from leo_synth.relations.key_stages import ks4_prior_attainment
from leo_synth.relations.ks4_extras import entry_points
from leo_synth.relations.ks4_progress import (
    ELEMENT_WEIGHTS,
    KS3_GROUPS,
    MEDIAN_SCALES,
    NEWSTYLE_PER_POINT,
    VA_MEASURES,
    VA_SLOTS,
    element_scores,
    ks3_group,
    median_outcomes,
    prior_group,
    va_group,
    va_outcomes,
)
from leo_synth.simulation.attainment import ENTRY_SLOTS, SLOTS
from leo_synth.simulation.context import BlockContext
from leo_synth.simulation.life import simulate_block
from leo_synth.simulation.parameters import load_parameters
from leo_synth.simulation.pools import build_pools
from leo_synth.simulation.series import interpolate

ERAS = {"fine": (2015, 2019), "scaled": (2020, 2020), "value_added": (2010, 2015),
        "b8_ks3": (2004, 2007), "median_line": (2002, 2004)}
"""KS4 start years each table is fitted on: those of the measure it serves (Progress 8 from
KS2 levels 2015/16-2019/20, from 2016 scaled scores 2020/21; best 8 value added 2010/11-
2015/16; contextual value added 2004/05-2007/08; median-line value added 2002/03-2004/05),
as DfE fits each year's on its own cohort: KS2 results rose over the years while KS4's grade
scale moved by its own shift, so a table fitted on every year would miss each year's mean."""


def main(persons: int) -> None:
    catalog = load_checked_catalog()
    params = load_parameters(None)
    life = simulate_block(BlockContext(11, 0, 0, persons, params, build_pools(11, persons, params),
                                       KeyMaker(catalog.keyspaces, 11)))
    ks4 = life.ks4
    prior = ks4_prior_attainment(life)
    keep = prior["has_ks2"]  # every pupil with prior attainment, those with no entries too
    era = {name: (ks4["year"] >= first) & (ks4["year"] <= last)
           for name, (first, last) in ERAS.items()}
    shift = interpolate(params["ks4.year_shift"], ks4["year"])
    scores = element_scores({f"pts_{s}": ks4[f"pts_{s}"] for s in SLOTS})
    # each pupil's estimate of A8 (P8 years) and best 8 (VA years) from the fitted tables
    estimate = np.zeros(len(ks4["year"]))
    b8_estimate = np.zeros(len(ks4["year"]))
    for scale in ("fine", "scaled"):
        group = prior_group(prior, scale)
        print(f"    {scale}:")
        for element, weight in ELEMENT_WEIGHTS.items():
            means = _group_means(scores[element] - weight * shift, keep & era[scale], group)
            estimate += np.where(era[scale], means[group - 1], 0.0)
            print(f"      {element}: [{', '.join(f'{m:.2f}' for m in means)}]")
        a8 = sum(scores.values()) - 10 * shift
        fitted = keep & era[scale]
        sigma = np.array([float(np.std(a8[fitted & (group == g)]) / 10)
                          if (fitted & (group == g)).sum() > 1 else np.nan for g in range(1, 21)])
        sigma = np.where(np.isnan(sigma), np.nanmean(sigma), sigma)
        print(f"      sigma: [{', '.join(f'{m:.2f}' for m in sigma)}]")
    print("  value_added:")
    # (best 8 outcomes over all the pupil's GCSEs, the extras beyond the slots too)
    grades = dict(zip((f"pts_{s}" for s in ENTRY_SLOTS), entry_points(life).T, strict=True))
    outcomes = va_outcomes(grades)
    group = va_group(prior)
    for measure, slots in VA_MEASURES.items():
        values = outcomes[measure] - NEWSTYLE_PER_POINT * slots * shift
        entered = ks4[VA_SLOTS[measure]] > 0 if measure in VA_SLOTS else True
        means = _group_means(values, keep & entered & era["value_added"], group)
        if measure == "b8":
            b8 = values
            b8_estimate = means[group - 1]
        print(f"    {measure}: [{', '.join(f'{m:.1f}' for m in means)}]")
    gaps = {"progress8": (sum(scores.values()) - 10 * shift - estimate, 10, keep),
            "value_added": (b8 - b8_estimate, 10 * NEWSTYLE_PER_POINT, keep)}

    # the KS3-KS4 contextual value added (2004-2007) predicts the same best 8 outcome by KS3 group
    ks3 = ks3_group(prior)
    values = outcomes["b8"] - NEWSTYLE_PER_POINT * VA_MEASURES["b8"] * shift
    means = _group_means(values, prior["has_ks3"] & era["b8_ks3"], ks3, KS3_GROUPS)
    print(f"    b8_ks3: [{', '.join(f'{m:.1f}' for m in means)}]")
    gaps["value_added_ks3"] = (values - means[ks3 - 1], 10 * NEWSTYLE_PER_POINT,
                               prior["has_ks3"])

    print("  median_line:")
    outcomes = median_outcomes(grades)
    for stage, group, groups in (("ks2", va_group(prior), 20),
                                 ("ks3", ks3_group(prior), KS3_GROUPS)):
        has = prior[f"has_{stage}"] & era["median_line"]
        print(f"    {stage}:")
        for scale, per_point in MEDIAN_SCALES.items():
            values = outcomes[scale] - 8 * per_point * shift
            medians = np.array([float(np.median(values[has & (group == g)]))
                                if (has & (group == g)).any() else np.nan
                                for g in range(1, groups + 1)])
            known = ~np.isnan(medians)
            medians = np.where(known, medians, np.interp(np.arange(groups), np.flatnonzero(
                known), medians[known]))
            print(f"      {scale}: [{', '.join(f'{m:.1f}' for m in medians)}]")
            if scale == "new":
                gaps["median_line" if stage == "ks2" else "median_line_ks3"] = (
                    values - medians[group - 1], 8 * per_point, prior[f"has_{stage}"])
    _print_offsets(ks4["year"], gaps)


OFFSET_YEARS = {"progress8": (ERAS["fine"][0], ERAS["scaled"][1]),
                "value_added": (ERAS["b8_ks3"][0], ERAS["value_added"][1]),
                "median_line": ERAS["median_line"],
                "value_added_ks3": ERAS["b8_ks3"],
                "median_line_ks3": ERAS["median_line"]}
"""KS4 start years of each ``prior_offset``: Progress 8's, those of the KS2 value added and
contextual value added predictions (both from the best 8 table), the median line's; and from
KS3, the contextual value added's (the best 8 table by KS3 group) and the median line's."""


def _print_offsets(year: np.ndarray, gaps: dict[str, tuple[np.ndarray, int, np.ndarray]]
                   ) -> None:
    """``prior_offset``: each year's mean (the median line's: median) outcome less its
    estimate (``gaps``: the differences, the points a grade point is over all slots, the
    pupils counted), in grade points a slot."""
    print("  prior_offset:")
    for name, (start, end) in OFFSET_YEARS.items():
        gap, per_grade, keep = gaps[name]
        centre = np.median if name == "median_line" else np.mean
        points = {y: float(centre(gap[keep & (year == y)])) / per_grade
                  for y in range(start, end + 1)}
        print(f"    {name}: {{{', '.join(f'{y}: {v:.3f}' for y, v in points.items())}}}")


def _group_means(values: np.ndarray, keep: np.ndarray, group: np.ndarray,
                 groups: int = 20) -> np.ndarray:
    """Mean of each group 1..groups, groups without pupils interpolated from their
    neighbours."""
    means = np.array([float(np.mean(values[keep & (group == g)]))
                      if (keep & (group == g)).any() else np.nan for g in range(1, groups + 1)])
    known = ~np.isnan(means)
    return np.where(known, means, np.interp(np.arange(groups), np.flatnonzero(known),
                                            means[known]))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
