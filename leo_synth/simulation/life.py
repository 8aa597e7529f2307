"""One block's life courses, step by step: who, school, KS4, post-16, HE, FE, work, benefits.

Each step reads the results of the earlier ones and draws from its own named stream, so the
order of steps is the only coupling and every step can be read (and tested) on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from leo_synth.simulation.attainment import simulate_ks4
from leo_synth.simulation.benefits import simulate_benefits
from leo_synth.simulation.calendar import add_days
from leo_synth.simulation.context import BlockContext
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.further_education import FurtherEducation, simulate_fe
from leo_synth.simulation.higher_education import HigherEducation, simulate_he
from leo_synth.simulation.labour import Education, Labour, simulate_labour
from leo_synth.simulation.linkage import Linkage, simulate_linkage
from leo_synth.simulation.population import (
    KIND_ADULT_LEARNER,
    KIND_HE_ONLY,
    KIND_SCHOOL,
    simulate_persons,
)
from leo_synth.simulation.post16 import EMPLOYMENT, Post16, simulate_post16
from leo_synth.simulation.residence import simulate_residence
from leo_synth.simulation.school_events import moves_after_permanent_exclusion
from leo_synth.simulation.schooling import Schooling, simulate_schooling
from leo_synth.simulation.stats import categorical
from leo_synth.simulation.subjects import subject_catalogue, subject_pay


@dataclass
class LifeCourse:
    """Everything simulated for one block of persons."""

    ctx: BlockContext
    persons: Frame
    schooling: Schooling
    ks4: Frame
    post16: Post16
    he: HigherEducation
    fe: FurtherEducation
    education: Education
    labour: Labour
    benefits: Frame
    residence: Frame
    linkage: Linkage
    results: dict[tuple[Callable[..., Any], tuple[Hashable, ...]], Any] = field(
        default_factory=dict, repr=False)
    """Results shared by several relations of the block, keyed by the function that computes
    them (see ``simulation/per_block.py``)."""


def simulate_block(ctx: BlockContext) -> LifeCourse:
    """Simulate every person of a block."""
    persons = simulate_persons(ctx)
    schooling = simulate_schooling(ctx, persons)
    moves = moves_after_permanent_exclusion(ctx, persons, schooling)
    moves.apply(schooling.pupil_years)
    ks4 = simulate_ks4(ctx, persons, schooling)
    post16 = simulate_post16(ctx, persons, schooling, ks4)
    moves.apply(post16.sixth_form_years)  # (a pupil excluded in Year 11 stays elsewhere)
    schooling.take_in_fsm(post16.sixth_form_years)
    schooling.pupil_years = Frame.concat([schooling.pupil_years,
                                          post16.sixth_form_years]).sort("person", "year")
    fsm6 = np.zeros(len(persons), dtype=bool)
    fsm6[ks4["person"]] = ks4["fsm6"]
    he = simulate_he(ctx, persons, post16, fsm6)
    fe = simulate_fe(ctx, persons, post16, ks4)
    education = summarise_education(ctx, persons, ks4, post16, he, fe)
    labour = simulate_labour(ctx, persons, education)
    benefits = simulate_benefits(ctx, persons, education, labour)
    residence = simulate_residence(ctx, persons, he.degree_year)
    linkage = _linkage(ctx, persons, schooling, he, fe)
    return LifeCourse(ctx, persons, schooling, ks4, post16, he, fe, education, labour, benefits,
                      residence, linkage)


def _linkage(ctx: BlockContext, persons: Frame, schooling: Schooling,
             he: HigherEducation, fe: FurtherEducation) -> Linkage:
    n = len(persons)
    py = schooling.pupil_years
    first = np.full(n, -1, dtype=np.int64)
    last = np.full(n, -1, dtype=np.int64)
    order = np.argsort(-py["year"], kind="stable")
    first[py["person"][order]] = py["year"][order]
    last[py["person"]] = py["year"]
    last_record = last.copy()
    np.maximum.at(last_record, he.instances["person"], he.instances["end_year"])
    np.maximum.at(last_record, fe.learners["person"], fe.learners["year"])
    linkage = simulate_linkage(ctx, persons, first, last, last_record)
    has_hesa = np.zeros(n, dtype=bool)
    has_hesa[he.instances["person"]] = True
    linkage.pmr_count = np.where((first < 0) & ~has_hesa, 0, linkage.pmr_count)
    return linkage


def summarise_education(ctx: BlockContext, persons: Frame, ks4: Frame, post16: Post16,
                        he: HigherEducation, fe: FurtherEducation) -> Education:
    """Highest qualification, the date full-time education ended, and study years."""
    n = len(persons)
    qual = np.zeros(n, dtype=np.int64)
    qual[ks4["person"][ks4["level2_gcse"]]] = 2
    # People without English school records bring qualifications gained elsewhere.
    rng = ctx.rng("education.prior_qualification")
    prior = ctx.params["earnings.prior_qualification"]
    for kind, key in ((KIND_ADULT_LEARNER, "adult_learner"), (KIND_HE_ONLY, "he_only")):
        levels = np.array([int(k) for k in prior[key]])
        shares = np.array(list(prior[key].values()), dtype=float)
        who = persons["kind"] == kind
        qual = np.where(who, levels[categorical(rng, shares, n)], qual)
    fe_done = fe.learners.take(fe.learners["achieved"])
    np.maximum.at(qual, fe_done["person"], np.minimum(fe_done["level"], 4))
    qual = np.where(post16.level3_year >= 0, np.maximum(qual, 3), qual)
    inst = he.instances
    other_ug = inst.take(inst["qualified"] & (inst["level"] == 5))
    qual[other_ug["person"]] = np.maximum(qual[other_ug["person"]], 4)
    qual = np.where(he.degree_year >= 0, np.maximum(qual, 6), qual)
    qual = np.maximum(qual, he.postgraduate)

    school = persons["kind"] == KIND_SCHOOL
    default_start = persons["birth"] + np.timedelta64(int(16.8 * 365.25), "D")
    labour_start = np.where(np.isnat(post16.leave_date), default_start, post16.leave_date)
    labour_start = add_days(labour_start, post16.neet_months * 30.4)
    # Full-time HE: entered by 20, it delays the start of working life (with a gap-year job
    # for some); entered later, it interrupts a working life that had begun.
    ft = inst.take(~inst["part_time"])
    ft_start = np.full(n, np.datetime64("9999-12-31"), dtype="datetime64[D]")
    ft_end = np.full(n, np.datetime64("0001-01-01"), dtype="datetime64[D]")
    np.minimum.at(ft_start, ft["person"], ft["start_date"])
    np.maximum.at(ft_end, ft["person"], ft["end_date"])
    in_ft_he = ft_end >= ft_start
    young_he = in_ft_he & (ft_start < persons["birth"] + np.timedelta64(int(20.9 * 365.25), "D"))
    gap_years = _gap_years(ctx, persons, labour_start, ft_start, young_he & school)
    labour_start = np.where(young_he, np.maximum(labour_start, ft_end), labour_start)
    labour_start = np.where(school | young_he, labour_start, default_start)
    mature = in_ft_he & ~young_he
    study_breaks = Frame(person=np.flatnonzero(mature), start=ft_start[mature],
                         end=ft_end[mature])

    ft_he = he.years.take(~he.instances["part_time"][he.years["instance"]])
    sixth = post16.youth_fe
    study = Frame.concat([
        Frame(person=ft_he["person"], year=ft_he["year"]),
        Frame(person=sixth["person"], year=sixth["year"]),
        Frame(person=np.flatnonzero(post16.route == 0), year=post16.start_year[post16.route == 0]),
    ])
    # Subject pay per principal subject, and a trailing 0 that subject -1 (none) picks.
    cah2 = subject_catalogue(ctx.params).cah2
    level, growth5, growth10 = (np.append(x[cah2], 0.0) for x in subject_pay(ctx.params))
    adult_learner = np.zeros(n, dtype=bool)
    learners = fe.learners
    adult_learner[learners["person"][(learners["age"] >= 19) & ~learners["apprenticeship"]]] = True
    return Education(
        labour_start=labour_start.astype("datetime64[D]"),
        qualification=qual,
        degree_year=he.degree_year,
        degree_class=he.degree_class,
        subject_cah2=np.append(cah2, -1)[he.subject],
        subject_premium=level[he.subject],
        subject_growth=np.stack([growth5[he.subject], growth10[he.subject]], axis=1),
        tariff=he.tariff,
        study_years=study,
        apprenticeships=fe.apprenticeships,
        straight_to_work=(post16.route == EMPLOYMENT) | (post16.neet_months > 0),
        adult_learner=adult_learner,
        gap_years=gap_years,
        study_breaks=study_breaks,
        full_time_he=Frame(person=np.flatnonzero(in_ft_he), start=ft_start[in_ft_he],
                           end=ft_end[in_ft_he]),
    )


def _gap_years(ctx: BlockContext, persons: Frame, leave: np.ndarray, he_start: np.ndarray,
               who: np.ndarray) -> Frame:
    """Jobs in a gap year between school or college and HE (most gap-year students work)."""
    rng = ctx.rng("education.gap_years")
    n = len(persons)
    gap = who & ~np.isnat(leave) & ((he_start - leave).astype("timedelta64[D]").astype(np.int64)
                                    > 240)
    works = gap & (rng.random(n) < ctx.params["labour.gap_year_work_share"])
    idx = np.flatnonzero(works)
    start = add_days(leave[idx], rng.integers(10, 75, len(idx)))
    end = add_days(he_start[idx], -rng.integers(7, 35, len(idx)))
    keep = end > start
    return Frame(person=idx[keep], start=start[keep], end=end[keep])

