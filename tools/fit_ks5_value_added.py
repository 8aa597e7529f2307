"""Fit the KS4-KS5 value added lines of config/parameters.yaml (``ks5.value_added``): the
national least-squares line, on the KS4 average QCA points (AVGKS4), of the re-scaled A level
score (QCA points per thousand of the entries' maximum) for each grading era (before A*, and
from 2009/10 with it), and of the mean A level grade (E = 1 ... A* = 6) with A*, over the A
level students of one simulated block in the years each line serves (``FITTED_YEARS``). Run
after changing the KS4 or KS5 model:

    .venv/bin/python tools/fit_ks5_value_added.py [persons]
"""

from __future__ import annotations

import sys

import numpy as np

from leo_synth.engine.generate import load_checked_catalog
from leo_synth.engine.keys import KeyMaker
from leo_synth.relations.derive_ks5 import (
    A_STAR_FROM,
    POINTS_QCA,
    RESCALED_MAX,
    ks4_average,
    top_qca_points,
)
from leo_synth.simulation.attainment import SLOTS
from leo_synth.simulation.context import BlockContext
from leo_synth.simulation.life import simulate_block
from leo_synth.simulation.parameters import load_parameters
from leo_synth.simulation.pools import build_pools

FIRST_YEAR = 2001
"""First academic year of the KS5 tables (2001/02): the key of the era before A*."""
FITTED_YEARS = {FIRST_YEAR: (2007, 2008), A_STAR_FROM: (2009, 2009), "grade": (2015, 2015)}
"""KS5 start years each line is fitted on: those the extract holds its measure in (the
re-scaled value added, KS5_CVA45U, 2007/08-2009/10; the grade difference, KS5_T_GRADE_DIFF_CA,
2015/16), as DfE fits each year's line on its own students: KS4 points move with the grade
scale's shift by year, so lines pooled over a grading era put the national CVA 16-42 QCA
points above 0."""


def main(persons: int) -> None:
    catalog = load_checked_catalog()
    params = load_parameters(None)
    life = simulate_block(BlockContext(11, 0, 0, persons, params, build_pools(11, persons, params),
                                       KeyMaker(catalog.keyspaces, 11)))
    ks5, ks4 = life.post16.ks5, life.ks4
    row = np.full(len(life.persons), -1, dtype=np.int64)
    row[ks4["person"]] = np.arange(len(ks4))
    r = row[ks5["person"]]
    raw = np.stack([ks4[f"pts_{slot}"][r].astype(np.int64) for slot in SLOTS], axis=1)
    grades = np.stack([ks5[f"al{i}"] for i in range(1, 5)], axis=1).astype(np.int64)
    # as the KS5 tables record them: no A* before it was first awarded
    grades = np.where((grades == 6) & (ks5["year"][:, None] < A_STAR_FROM), 5, grades)
    taken = grades >= 0
    keep = taken.any(1) & (raw > 0).any(1) & (r >= 0)
    average = ks4_average(raw)[keep]
    top = top_qca_points(ks5["year"])[keep]
    points = (POINTS_QCA[np.maximum(grades, 0)] * taken).sum(1)[keep]
    rescaled = RESCALED_MAX * points / (taken.sum(1)[keep] * top)
    mean_grade = (np.maximum(grades, 0) * taken).sum(1)[keep] / taken.sum(1)[keep]
    year = ks5["year"][keep]
    print("  value_added:")
    print("    rescaled:")
    fitted = {key: (year >= first) & (year <= last) for key, (first, last)
              in FITTED_YEARS.items()}
    for first in (FIRST_YEAR, A_STAR_FROM):  # one line for each grading era
        slope, intercept = np.polyfit(average[fitted[first]], rescaled[fitted[first]], 1)
        print(f"      {first}: {{intercept: {intercept:.2f}, slope: {slope:.4f}}}"
              f"  # {fitted[first].sum():,} students")
    graded = fitted["grade"]
    slope, intercept = np.polyfit(average[graded], mean_grade[graded], 1)
    print(f"    grade: {{intercept: {intercept:.2f}, slope: {slope:.4f}}}"
          f"  # {graded.sum():,} students")

if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
