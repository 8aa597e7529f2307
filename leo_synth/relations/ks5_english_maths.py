"""Post-16 English and maths entries of KS5 students, for the 16-18 English and maths progress
measure's columns of the student table (``KS5_NO_ENTRIES_*``, ``KS5_GCSE3_*``).

The entries are the resits the simulation holds: a school sixth former's GCSE resits
(:func:`~leo_synth.simulation.condition_of_funding.school_resits`, the KS5 exam table's GCSE
rows) and a college learner's condition of funding aims (a GCSE or Functional Skills, in the
ILR), in the student's reporting year (RY, the KS5 year) and the two years before (RY-1,
RY-2), as the measure counts them.
"""

from __future__ import annotations

import numpy as np

from leo_synth.simulation.condition_of_funding import GRADE_4, NO_SUBJECT, school_resits
from leo_synth.simulation.frame import Frame, last_row_of
from leo_synth.simulation.life import LifeCourse

SUBJECT_SUFFIX = ("e", "m")
"""The student table's suffix of each condition of funding subject (English, maths)."""
GRADE_3 = 3
"""Grade D / 3: a student with it needs a GCSE at 4 to leave the measure's scope."""
ENTRY_ATTRIBUTES = (*(f"{name}_{s}" for name in ("entries", "no_entries")
                      for s in SUBJECT_SUFFIX),
                    *(f"gcse3_{k}_{s}" for k in (1, 2) for s in SUBJECT_SUFFIX))


def post16_entries(life: LifeCourse) -> Frame:
    """Every post-16 English or maths entry with a result: person, academic year, ``subject``
    (0 English, 1 maths) and ``grade_3`` (a GCSE achieved at grade 3); a school resit sat, a
    college aim not withdrawn."""
    school = school_resits(life)
    school = school.take(school["sat"])
    aims = life.fe.aims
    learners = life.fe.learners
    cof = aims.take((aims["cof_subject"] != NO_SUBJECT) & ~aims["withdrawn"])
    return Frame.concat([
        Frame(person=school["person"], year=school["year"], subject=school["subject"],
              grade_3=school["grade"] == GRADE_3),
        Frame(person=learners["person"][cof["learner"]], year=learners["year"][cof["learner"]],
              subject=cof["cof_subject"],
              grade_3=cof["gcse"] & cof["achieved"] & (cof["gcse_grade"] == GRADE_3)),
    ])


def english_maths_entries(life: LifeCourse, person: np.ndarray, year: np.ndarray,
                          ks4_grades: tuple[np.ndarray, np.ndarray]) -> dict[str, np.ndarray]:
    """Per KS5 student (``person``, reporting year ``year``, KS4 English and maths grades on
    the 9-1 scale): the number of English / maths entries in RY-2 .. RY (``entries_e``,
    ``entries_m``), whether the student is in the measure's scope (below grade 4 at KS4)
    without one (``no_entries_e``, ``no_entries_m``) and whether a GCSE was achieved at grade
    3 in RY-1 / RY-2 (``gcse3_1_e`` ... ``gcse3_2_m``), 0/1."""
    entries = post16_entries(life)
    # (a person has one KS5 row: index the entries' persons by it)
    row = last_row_of(person, len(life.persons))[entries["person"]]
    entries, row = entries.take(row >= 0), row[row >= 0]
    back = year[row] - entries["year"]  # 0 in RY, 1 in RY-1, 2 in RY-2
    out: dict[str, np.ndarray] = {}
    for index, suffix in enumerate(SUBJECT_SUFFIX):
        mine = entries["subject"] == index
        out[f"entries_{suffix}"] = np.bincount(row[mine & (back >= 0) & (back <= 2)],
                                               minlength=len(person))
        out[f"no_entries_{suffix}"] = ((np.asarray(ks4_grades[index]) < GRADE_4)
                                       & (out[f"entries_{suffix}"] == 0)).astype(np.int64)
        for k in (1, 2):
            out[f"gcse3_{k}_{suffix}"] = (np.bincount(
                row[mine & (back == k) & entries["grade_3"]], minlength=len(person)) > 0
            ).astype(np.int64)
    return out

