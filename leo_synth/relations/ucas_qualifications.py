"""The qualification a UCAS application row declares: one of the applicant's level 3s.

The table's rows are applications, and each carries one qualification the applicant declared
(the extract mixes the grains: see the spec's description). An applicant's rows declare their
A levels in turn (the k-th choice the k-th A level, round again from the first), then the AS
level cashed in after Year 12 if any, so the rows of a cycle together list them. A levels sat
after the application (exams in the summer of the cycle) are ``Pending`` without a grade; sat
before (a gap year, a later cycle), and every AS level, ``Gained`` with the grade the KS5 exam
row records. The A levels are those of the applicant's last KS5 record whose exams are not
after the cycle; an applicant without one declares a BTEC (a vocational
level 3, at school or college) or, from 21 (UCAS's mature applicants), an Access to HE Diploma,
with no subject title.

Rejected: a row per application and qualification (the inferred grain), which would multiply the
table by the applicant's A levels and break its one row per course choice that the other
columns (offers, decisions, routes) describe.
"""

from __future__ import annotations

import numpy as np

from leo_synth.relations.key_stages import A_LEVEL_GRADES
from leo_synth.relations.ks5 import (
    MAX_A_LEVELS,
    a_level_grades,
    as_level_grades,
    as_level_subjects,
    ks5_subjects,
)
from leo_synth.relations.ks5_subjects import subject_titles
from leo_synth.relations.values import Masked
from leo_synth.simulation.life import LifeCourse

A_LEVEL = "GCE Advanced Level"
AS_LEVEL = "GCE Advanced Subsidiary"
BTEC = "BTEC Extended Diploma"
ACCESS = "Access to HE Diploma"
MATURE_AGE = 21
"""UCAS's mature applicants: 21 or over when their course starts."""


def declared_qualifications(life: LifeCourse, person: np.ndarray, cycle: np.ndarray,
                            choice: np.ndarray, age: np.ndarray) -> dict[str, object]:
    """Per application row (applicant ``person``, ``cycle``, ``choice`` 0-4, ``age`` at the
    start of the course): ``qualification_status``, ``qualification_description``,
    ``subject_title``, ``grade`` and ``qualification_year``."""
    a_level, code, grade, exam_year, as_level = _declared_a_level(life, person, cycle, choice)
    level3 = np.asarray(life.post16.level3_year)[person]
    year = np.where(a_level, exam_year, np.where(level3 >= 0, level3 + 1, cycle))
    gained = year < cycle
    titles = subject_titles()
    distinct, inverse = np.unique(code, return_inverse=True)
    title = np.array([titles.get(c, "") for c in distinct], dtype=str)[inverse]
    return {
        "qualification_status": np.where(gained, "Gained", "Pending"),
        "qualification_description": np.where(
            a_level, np.where(as_level, AS_LEVEL, A_LEVEL),
            np.where(age >= MATURE_AGE, ACCESS, BTEC)),
        "subject_title": Masked(np.where(a_level, title, ""), ~a_level | (title == "")),
        "grade": Masked(np.where(a_level & gained, A_LEVEL_GRADES[np.maximum(grade, 0)], ""),
                        ~(a_level & gained)),
        "qualification_year": year,
    }


def _declared_a_level(life: LifeCourse, person: np.ndarray, cycle: np.ndarray,
                      choice: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per application row: whether it declares an A or AS level, and its mapping code, grade
    (0 = U ... 6 = A*), exam year and whether it is the AS level: the ``choice``-th (round
    again) of the A levels, then the AS level (sat the summer before), of the applicant's last
    KS5 record sat by the cycle."""
    ks5 = life.post16.ks5
    n = len(person)
    if not len(ks5):
        return (np.zeros(n, dtype=bool), np.full(n, ""), np.zeros(n, dtype=np.int64),
                np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool))
    # (students, 5): the A levels, then the AS level
    grades = np.column_stack([a_level_grades(life), as_level_grades(life)])
    subjects = np.column_stack([ks5_subjects(life), as_level_subjects(life)])
    # KS5 rows ordered by person and exam year: the last one sat by the cycle
    exam_year = np.asarray(ks5["year"], dtype=np.int64) + 1
    key = np.asarray(ks5["person"], dtype=np.int64) * 10_000 + exam_year
    order = np.argsort(key, kind="stable")
    at = np.searchsorted(key[order], np.asarray(person, dtype=np.int64) * 10_000 + cycle,
                         side="right") - 1
    row = order[np.maximum(at, 0)]
    entered = grades[row] >= 0
    count = entered.sum(axis=1)
    a_level = (at >= 0) & (np.asarray(ks5["person"])[row] == person) & (count > 0)
    # the k-th entered A level (entries packed to the left first)
    packed = np.argsort(~entered, axis=1, kind="stable")
    slot = packed[np.arange(n), np.asarray(choice) % np.maximum(count, 1)]
    as_level = slot == MAX_A_LEVELS
    return (a_level, subjects[row, slot], grades[row, slot], exam_year[row] - as_level,
            as_level)
