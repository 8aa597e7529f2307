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
        pass_rate = float(p["gcse_grade_4"][subject]) * np.where(prior == GRADE_4 - 1, 1, 1 / 3)
        withdrawn = ~np.isnat(records["withdraw_date"][rows]) | (
            ~records["achieved"][rows] & (u_withdraw < UNACHIEVED_WITHDRAWN))
        studies = np.zeros(len(rows), dtype=bool)
        passed_at = np.zeros(len(rows), dtype=bool)
        for k in range(int(step.max()) + 1 if len(rows) else 0):
            now = step == k
            # A resit passed in an earlier year ends the condition: ``passed_at`` holds the
            # learner's rows at steps below k.
            passed_before = np.isin(person, person[passed_at])
            studies |= now & (prior < GRADE_4) & ~passed_before & (u_enrol < p["enrolled"])
            passed_at |= now & studies & gcse & ~withdrawn & (u_pass < pass_rate)
        frames.append(_aims_of(records, rows[studies], subject_index, gcse[studies],
                               prior[studies], passed_at[studies], u_higher[studies],
                               u_achieved[studies] < p["functional_achieved"],
                               u_day[studies], withdrawn[studies], u_end[studies]))
    aims = Frame.concat(frames)
    aims["aim"] = first_aim + np.arange(len(aims))
    return aims


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
    )
