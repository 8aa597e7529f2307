"""The subjects and grades of a KS4 pupil's GCSEs, shared by the pupil and exam tables.

Each Attainment 8 slot holds one full GCSE: English language, maths, double award science,
geography, French, and three open-slot subjects that differ by pupil. The open subjects are
drawn once per block (their own stream), so the KS4 exam rows and the pupil table's
per-subject grades (``KS4_AP<subject>``) name the same subjects.
"""

from __future__ import annotations

import numpy as np

from leo_synth.simulation.attainment import LETTER_OF_POINTS, SLOTS
from leo_synth.simulation.life import LifeCourse
from leo_synth.simulation.per_block import per_block

SLOT_SUBJECTS = {"eng": "5030", "mat": "2210", "eb1": "1370", "eb2": "3910", "eb3": "5650"}
"""English language, maths, double award science, geography, French (plams.mapping codes)."""
OPEN_SUBJECTS = np.array(["3210", "3510", "4610", "5210", "4850", "7010", "7210"])
"""Open-slot subjects: business studies, art and design, religious studies, drama,
psychology, music, physical education. None counts towards the EBacc, so the EBacc slots
hold exactly the science, humanity and language GCSEs, as the A8 slot-filling rules need."""
REFORMED_FROM = {"eng": 2016, "mat": 2016}
"""First academic year graded 9-1: English and maths from 2016/17, the rest from 2017/18."""
REFORMED_OTHERS = 2017
OLD_POINTS = {"A*": 8, "A": 7, "B": 6, "C": 5, "D": 4, "E": 3, "F": 2, "G": 1, "U": 0}
OLD_POINTS_OF_POINTS = np.array([OLD_POINTS[letter] for letter in LETTER_OF_POINTS])
"""Old-style GCSE points (A* = 8 ... G = 1) of each 9-1 grade."""


@per_block
def open_subjects(life: LifeCourse) -> np.ndarray:
    """(KS4 pupils, 3) plams.mapping codes of the open slots: three different subjects each."""
    rng = life.ctx.rng("ks4.open_subjects")
    keys = rng.random((len(life.ks4), len(OPEN_SUBJECTS)))
    return OPEN_SUBJECTS[np.argsort(keys, axis=1)[:, :3]]


def slot_subjects(life: LifeCourse) -> dict[str, np.ndarray]:
    """plams.mapping code of each slot's GCSE, one per KS4 pupil."""
    n = len(life.ks4)
    chosen = open_subjects(life)
    return {slot: (np.full(n, SLOT_SUBJECTS[slot]) if slot in SLOT_SUBJECTS
                   else chosen[:, int(slot[-1]) - 1]) for slot in SLOTS}


def reformed(slot: str, year: np.ndarray) -> np.ndarray:
    """True where the slot's GCSE is a reformed (9-1 graded) one in that academic year."""
    return np.asarray(year) >= REFORMED_FROM.get(slot, REFORMED_OTHERS)


def exam_grade(slot: str, points: np.ndarray, year: np.ndarray) -> np.ndarray:
    """The grade as the exam row records it: 9-1 for reformed GCSEs, else the letter of the
    grade (A* coded ``*``)."""
    points = np.asarray(points, dtype=np.int64)
    return np.where(reformed(slot, year), _DIGITS[points], _LETTERS[points])


_DIGITS = np.arange(len(LETTER_OF_POINTS)).astype(str)
"""The 9-1 grades as text, as ``points.astype(str)`` writes them (looked up, not formatted)."""
_LETTERS = np.where(LETTER_OF_POINTS == "A*", "*", LETTER_OF_POINTS)
