"""The 16-19 condition of funding: English and maths aims of college learners without GCSE C / 4.

From 2014/15 a 16-18 year old on a college study programme (not an apprenticeship) who has not
got GCSE English (maths) at grade C / 4 must study it each year, towards a GCSE (a resit) or
Functional Skills; from 2015/16 those with grade D / 3 must take the GCSE. Each such learner
record gets one aim per subject in scope, running September to June like the programme. A
resit achieved at grade 4 / C ends the condition for the later years, so the scope of a year
depends on the years before: the learner's records are walked year by year (at most three
16-18 years), each step vectorised over learners.

The aims join the ILR's other aims (their LARS references are the GCSE or Functional Skills in
the subject, ``derive_ilr.aim_lars``), and YPMAD's condition of funding columns read them.
"""

from __future__ import annotations

import numpy as np

from leo_synth.simulation.calendar import ymd
from leo_synth.simulation.context import BlockContext
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.per_block import per_block
from leo_synth.simulation.stats import rank_within

NO_SUBJECT = -1
"""``cof_subject`` of an aim that is not a condition of funding English or maths aim."""
SUBJECTS = ("english", "maths")
"""Condition of funding subjects; ``cof_subject`` is the index here."""
GRADE_4 = 4
"""Grade C / 4 on the 9-1 points scale of the KS4 slots: the condition's threshold."""
NO_GRADE = 0
GCSE_LEVEL = 2
"""Notional level of a GCSE aim (GCSEs at 9-4 / A*-C make level 2)."""
GCSE_ONLY_FROM = 2015
"""From 2015/16 a learner with grade D / 3 must take the GCSE (``gcse_share``'s last entry)."""
UNACHIEVED_WITHDRAWN = 0.7
"""Share of the aims of a learner year not achieved that are withdrawn before their end (the
rest are completed without achievement): the programme's aims and these alike."""


def ks4_grades(persons: Frame, ks4: Frame) -> np.ndarray:
    """Per person: KS4 English and maths grade points (rows 0 and 1), 0 without an entry or a
    KS4 record."""
    grades = np.zeros((len(SUBJECTS), len(persons)), dtype=np.int64)
    grades[0, ks4["person"]] = ks4["pts_eng"]
    grades[1, ks4["person"]] = ks4["pts_mat"]
    return grades


NO_A_LEVEL = -1
"""An ILR aim's ``a_level`` when it is not one of the student's KS5 A levels."""
AS_LEVEL_SLOT = 4
"""An ILR aim's ``a_level`` when it is the student's KS5 AS level (A levels are slots 0-3)."""


def condition_of_funding_aims(ctx: BlockContext, rng: np.random.Generator, records: Frame,
                              college: np.ndarray, grades: np.ndarray,
                              first_aim: int) -> Frame:
    """English and maths aims of the learner ``records`` (sorted by person and year) in scope:
    ``college`` learning years from ``from_year`` at academic age 16-18, the subject below
    grade 4 at KS4 and not passed at a resit before. Columns as ``further_education._aims``,
    with ``cof_subject`` (0 English, 1 maths), ``gcse`` (a GCSE, else Functional Skills) and
    ``gcse_grade`` (an achieved GCSE's grade points, else 0); aim ids from ``first_aim``."""
    p = ctx.params["fe.condition_of_funding"]
    age, year = records["age"], records["year"]
    rows = np.flatnonzero(college & (age >= 16) & (age <= 18) & (year >= p["from_year"]))
    person = records["person"][rows]
    step = rank_within(person)
    frames = []
    for subject_index, subject in enumerate(SUBJECTS):
        prior = grades[subject_index][person]
        # Each draw is made once for all rows before the walk over the years, so no outcome
        # depends on the walk's order.
        u_enrol, u_gcse, u_pass, u_higher, u_achieved, u_day, u_withdraw, u_end = rng.random(
            (8, len(rows)))
        gcse_share = np.array(p["gcse_share"], dtype=float)[np.clip(prior, 0, GRADE_4 - 1)]
        gcse_share = np.where((prior == GRADE_4 - 1) & (year[rows] < GCSE_ONLY_FROM),
                              p["gcse_share_2014"], gcse_share)
        gcse = u_gcse < gcse_share
        withdrawn = ~np.isnat(records["withdraw_date"][rows]) | (
            ~records["achieved"][rows] & (u_withdraw < UNACHIEVED_WITHDRAWN))
        studies, passed_at = _walk(person, step, (prior < GRADE_4) & (u_enrol < p["enrolled"]),
                                   gcse & ~withdrawn & (u_pass < _pass_rate(p, subject, prior)))
        frames.append(_aims_of(records, rows[studies], subject_index, gcse[studies],
                               prior[studies], passed_at[studies], u_higher[studies],
                               u_achieved[studies] < p["functional_achieved"],
                               u_day[studies], withdrawn[studies], u_end[studies]))
    aims = Frame.concat(frames)
    aims["aim"] = first_aim + np.arange(len(aims))
    return aims


def _pass_rate(p: dict, subject: str, prior: np.ndarray) -> np.ndarray:
    """Chance that a GCSE resit reaches grade 4 / C: ``gcse_grade_4`` from KS4 grade 3 / D, a
    third of it from lower grades."""
    return float(p["gcse_grade_4"][subject]) * np.where(prior == GRADE_4 - 1, 1, 1 / 3)


def _walk(person: np.ndarray, step: np.ndarray, would_study: np.ndarray,
          would_pass: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which of a learner's rows (``step``: 0, 1, 2 ... within the person, in year order) study
    the subject (``would_study``, unless a resit was passed in an earlier year) and pass a
    resit (``would_pass``, where studied): the years walked in order, each vectorised over
    learners."""
    studies = np.zeros(len(person), dtype=bool)
    passed_at = np.zeros(len(person), dtype=bool)
    for k in range(int(step.max()) + 1 if len(person) else 0):
        now = step == k
        # A resit passed in an earlier year ends the condition: ``passed_at`` holds the
        # learner's rows at steps below k.
        passed_before = np.isin(person, person[passed_at])
        studies |= now & would_study & ~passed_before
        passed_at |= now & studies & would_pass
    return studies, passed_at


@per_block
def school_resits(life) -> Frame:
    """GCSE English and maths resits of school sixth formers in scope of the condition of
    funding: from ``from_year``, a Year 12 or 13 pupil without the subject at grade 4 / C by
    KS4 (or a resit passed in an earlier year) takes the GCSE again in the year
    (``enrolled``), passing at the colleges' rates (``gcse_grade_4``). Schools enter their
    students for the GCSE, not Functional Skills (an assumption). A sixth former who leaves
    during Year 12 (not a KS5 student) studies the subject but sits no exam. One row per resit
    studied: person, year, ``subject`` (0 English, 1 maths), ``sat`` and ``grade`` (points on
    the KS4 slots' 9-1 scale: 4, or 5 for one in seven passes, else the KS4 grade, at least 1;
    0 where not sat); own stream."""
    p = life.ctx.params["fe.condition_of_funding"]
    py = life.schooling.pupil_years
    rows = np.flatnonzero((py["ncyear"] >= 12) & (py["year"] >= p["from_year"]))
    person, year = py["person"][rows], py["year"][rows]
    sat = np.isin(person, life.post16.ks5["person"])
    step = rank_within(person)
    grades = ks4_grades(life.persons, life.ks4)
    rng = life.ctx.rng("fe.condition_of_funding.school")
    frames = []
    for subject_index, subject in enumerate(SUBJECTS):
        prior = grades[subject_index][person]
        u_enrol, u_pass, u_higher = rng.random((3, len(rows)))
        studies, passed = _walk(person, step, (prior < GRADE_4) & (u_enrol < p["enrolled"]),
                                sat & (u_pass < _pass_rate(p, subject, prior)))
        grade = np.where(passed, GRADE_4 + (u_higher < 1 / 7), np.maximum(prior, 1) * sat)
        frames.append(Frame(person=person[studies], year=year[studies],
                            subject=np.full(int(studies.sum()), subject_index, dtype=np.int64),
                            sat=sat[studies], grade=grade[studies]))
    return Frame.concat(frames).sort("person", "year")


def _aims_of(records: Frame, rows: np.ndarray, subject: int, gcse: np.ndarray,
             prior: np.ndarray, passed: np.ndarray, u_higher: np.ndarray,
             functional_achieved: np.ndarray, u_day: np.ndarray, withdrawn: np.ndarray,
             u_end: np.ndarray) -> Frame:
    """The aim rows of learner records ``rows``: September to June; withdrawn on the day an
    abandoned programme was, else (``withdrawn``) on a day before the planned end; a GCSE
    achieved with a grade (4, or 5 for one in seven passes; else the KS4 grade, at least 1),
    Functional Skills at level 2 from grade 3, level 1 from grade 1, else entry level."""
    m = len(rows)
    year = records["year"][rows]
    start = ymd(year, 9, 1 + (u_day * 28).astype(np.int64))
    planned_end = ymd(year + 1, 6, 1 + (u_day * 28).astype(np.int64))
    withdraw_date = records["withdraw_date"][rows]
    early = start + ((planned_end - start) * u_end).astype("timedelta64[D]")
    end = np.where(withdrawn, np.where(np.isnat(withdraw_date), early, withdraw_date),
                   planned_end)
    end = np.maximum(end, start + np.timedelta64(1, "D"))
    grade = np.where(passed, GRADE_4 + (u_higher < 1 / 7), np.maximum(prior, 1))
    level = np.where(gcse, GCSE_LEVEL, np.select([prior >= GRADE_4 - 1, prior >= 1], [2, 1], 0))
    achieved = ~withdrawn & (gcse | functional_achieved)
    return Frame(
        aim=np.zeros(m, dtype=np.int64), learner=rows,
        # the sequence in the record is set when records are split by year
        sequence=np.zeros(m, dtype=np.int64), level=level,
        programme_aim=np.zeros(m, dtype=bool), apprenticeship=np.zeros(m, dtype=bool),
        kind=records["kind"][rows], start_date=start, planned_end=planned_end, end_date=end,
        achieved=achieved, withdrawn=withdrawn,
        cof_subject=np.full(m, subject, dtype=np.int64), gcse=gcse,
        gcse_grade=np.where(gcse & achieved, grade, NO_GRADE),
        a_level=np.full(m, NO_A_LEVEL, dtype=np.int64),
    )
