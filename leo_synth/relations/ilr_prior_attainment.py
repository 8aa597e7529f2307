"""An ILR learner record's prior attainment (``PriorAttain``): the highest level the person held
before the record's academic year, from the person's own records where the extract holds them.

A young person's level comes from the KS4 results (full level 2 for five GCSEs at A*-C or
equivalents, level 1 for five at A*-G, "other qualifications below level 1" for fewer, "no
qualifications" without entries), then a level 3 achieved at 17-18, earlier ILR achievements
of a full level and a first degree. An adult the education records do not know (an adult
learner only in the ILR) is taken to hold the level below the course's; an adult they do know
holds the higher of the two. Rejected: the level below the course for everyone, which gave a
16-year-old with eight good GCSEs on a level 2 course "level 1" and used a code (0) that is
not in the VRF's list.
"""

from __future__ import annotations

import numpy as np

from leo_synth.simulation.frame import Frame, last_row_of
from leo_synth.simulation.life import LifeCourse
from leo_synth.simulation.per_block import per_block

NONE, BELOW_LEVEL_1, UNKNOWN = -3, -2, -1
"""Ordinal levels below level 1 (entry level is 0): no qualifications, GCSEs below level 1,
and not known."""
DEGREE = 5
"""A first degree: "Level 5 and above" (code 5)."""
CODES = {NONE: 99, BELOW_LEVEL_1: 7, UNKNOWN: -1, 0: 9}
"""VRF PriorAttain codes of the ordinal levels below level 1 (99 no qualifications, 7 other
qualifications below level 1, -1 not known, 9 entry level); levels 1 to 5 are their own
codes."""
YOUNG = 19
"""Academic age from which a learner is an adult."""


@per_block
def prior_levels(life: LifeCourse) -> np.ndarray:
    """Per learner record of ``life.fe.learners``: the ordinal prior level (``NONE`` ..
    ``DEGREE``, see the module), ordered so that a level compares with a course's."""
    rec = life.fe.learners
    person, year = rec["person"], rec["year"]
    ks4_row = last_row_of(life.ks4["person"], len(life.persons))[person]
    known = np.maximum.reduce([_ks4_levels(life.ks4, ks4_row, year), _ilr_levels(rec),
                               np.where(_before(life.post16.level3_year[person], year), 3, NONE),
                               np.where(_before(life.he.degree_year[person], year), DEGREE,
                                        NONE)])
    below_course = np.clip(rec["level"] - 1, UNKNOWN, DEGREE)
    return np.where((rec["age"] < YOUNG) & (ks4_row >= 0), known,
                    np.maximum(known, below_course))


def prior_attainment_codes(life: LifeCourse) -> np.ndarray:
    """Per learner record: the VRF PriorAttain code of :func:`prior_levels`."""
    level = prior_levels(life)
    codes = level.copy()
    for ordinal, code in CODES.items():
        codes[level == ordinal] = code
    return codes


def _before(achieved: np.ndarray, year: np.ndarray) -> np.ndarray:
    """Whether an achievement of academic year ``achieved`` (-1: none) came before ``year``."""
    return (achieved >= 0) & (achieved < year)


def _ks4_levels(ks4: Frame, row: np.ndarray, year: np.ndarray) -> np.ndarray:
    """The level of the KS4 results (``ks4`` rows ``row``, -1 for none) once taken by academic
    ``year`` (``NONE`` before or without them)."""
    held = np.flatnonzero(row >= 0)
    at = row[held]
    level = np.full(len(row), NONE)
    level[held] = np.select([ks4["level2"][at], ks4["level1"][at], ks4["entries"][at] > 0],
                            [2, 1, BELOW_LEVEL_1], NONE)
    taken = np.full(len(row), -1)
    taken[held] = ks4["year"][at]
    return np.where(_before(taken, year), level, NONE)


def _ilr_levels(rec: Frame) -> np.ndarray:
    """Per learner record: the highest level (to 4) of the person's records achieved in an
    earlier academic year, ``NONE`` if none."""
    key = rec["person"] * 10_000 + rec["year"]
    keys, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    best = np.full(len(keys), NONE)
    np.maximum.at(best, inverse, np.where(rec["achieved"], np.minimum(rec["level"], 4), NONE))
    # a running maximum within each person (keys are sorted by person, then year): offset by
    # the person's rank, each person's values sit above every earlier person's
    rank = np.cumsum(np.r_[True, rec["person"][first][1:] != rec["person"][first][:-1]])
    offset = rank * 100
    running = np.maximum.accumulate(best + offset) - offset
    same = np.r_[False, rank[1:] == rank[:-1]]
    earlier = np.where(same, np.r_[NONE, running[:-1]], NONE)
    return earlier[inverse]
