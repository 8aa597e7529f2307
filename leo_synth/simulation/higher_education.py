"""Higher education: entry, provider, subject, mode, continuation, degree class, postgraduate.

Each course is an *instance* (HESA's unit) with one row per year of study; HESA's reporting year
runs 1 August to 31 July, so a course year starting in September 2010 is in ``hesa_2011``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from leo_synth.simulation.calendar import ymd
from leo_synth.simulation.context import BlockContext
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.population import KIND_HE_ONLY, KIND_SCHOOL
from leo_synth.simulation.post16 import Post16
from leo_synth.simulation.series import interpolate
from leo_synth.simulation.stats import logistic, norm_ppf
from leo_synth.simulation.subjects import SINGLE, draw_combinations, draw_subjects

# HESA XLEV601 levels: 1 higher degree (research), 2 higher degree (taught), 4 first degree,
# 5 other undergraduate.
LEVEL_PGR, LEVEL_PGT, LEVEL_FIRST_DEGREE, LEVEL_OTHER_UG = 1, 2, 4, 5
# Degree classes (HESA CLASS): 1 first, 2 upper second, 3 lower second, 4 third, 0 none.
FIRST, UPPER_SECOND, LOWER_SECOND, THIRD = 1, 2, 3, 4


@dataclass
class HigherEducation:
    """HE courses of the block and each person's headline HE outcome."""

    instances: Frame  # one row per course instance
    years: Frame  # one row per instance and year of study
    degree_year: np.ndarray  # per person: academic year of first-degree graduation, -1 if none
    degree_class: np.ndarray  # per person: class of the first degree, 0 if none
    subject: np.ndarray  # per person: principal subject (catalogue index) of the first HE
                         # course, -1 if none
    tariff: np.ndarray  # per person: tariff group of the first provider, -1 if none
    postgraduate: np.ndarray  # per person: highest postgraduate level qualified (0 none)


def simulate_he(ctx: BlockContext, persons: Frame, post16: Post16,
                disadvantaged: np.ndarray) -> HigherEducation:
    """Entry decisions, courses and outcomes; ``disadvantaged`` is FSM in the last six years."""
    # Each sub-step draws from its own stream ("he.<sub-step>"), so a change in one leaves
    # the others' draws alone.
    p = ctx.params
    n = len(persons)
    young = p["he.young_entry"]
    score = p["he.entry_score"]
    z = (score["ability"] * persons["ability"]
         + score["noise_sd"] * ctx.rng("he.entry_score").standard_normal(n))
    # Entry at 18, or at 19 after a gap year, or at 20 after two, for level 3 achievers.
    eligible = post16.level3_year >= 0
    trend = interpolate(p["he.young_entry_trend"], post16.level3_year + 1)
    p_entry = logistic(young["a"] + young["b"] * z + young["female"] * persons["female"]
                       + young["fsm6"] * disadvantaged + trend)
    enters_young = eligible & (ctx.rng("he.young_entry").random(n) < p_entry)
    # one draw: the second gap year is a share of the first's (the same persons take one)
    drawn = ctx.rng("he.gap_year").random(n)
    gap = (drawn < young["gap_year"]).astype(np.int64)
    gap += drawn < young["gap_year"] * young["second_gap_year"]
    entry_year = np.where(enters_young, post16.level3_year + 1 + gap, -1)
    # HE-only persons enter at 18 to 20; everybody else may enter as a mature student.
    he_only = persons["kind"] == KIND_HE_ONLY
    entry_year = np.where(he_only, persons["cohort"] + 19 + gap, entry_year)
    hazard = float(p["he.mature_entry_hazard"]) * np.where(
        persons["female"], float(p["he.mature_female_ratio"]), 1.0)
    wait = ctx.rng("he.mature_entry").geometric(hazard)
    mature_year = persons["cohort"] + 21 + wait
    can_be_mature = ((entry_year < 0) & (wait <= p["he.mature_entry_max_wait"])
                     & (persons["kind"] == KIND_SCHOOL))
    entry_year = np.where(can_be_mature, mature_year, entry_year)
    mature = can_be_mature

    entrants = np.flatnonzero(entry_year >= 0)
    first = _first_courses(ctx, entrants, entry_year, z, mature, persons)
    pg = _postgraduate(ctx, ctx.rng("he.postgraduate"), first)
    instances = Frame.concat([first, pg])
    instances = instances.sort("person", "start_year")
    years = _course_years(instances)

    degree_year = np.full(n, -1, dtype=np.int64)
    degree_class = np.zeros(n, dtype=np.int64)
    subject = np.full(n, -1, dtype=np.int64)
    tariff = np.full(n, -1, dtype=np.int64)
    graduated = (first["level"] == LEVEL_FIRST_DEGREE) & first["qualified"]
    degree_year[first["person"][graduated]] = first["end_year"][graduated]
    degree_class[first["person"][graduated]] = first["degree_class"][graduated]
    subject[first["person"]] = first["subject"]
    tariff[first["person"]] = ctx.pools.he_providers["tariff"][first["provider"]]
    postgraduate = np.zeros(n, dtype=np.int64)
    done = pg["qualified"]
    postgraduate[pg["person"][done]] = np.where(pg["level"][done] == LEVEL_PGR, 8, 7)
    return HigherEducation(instances, years, degree_year, degree_class, subject, tariff,
                           postgraduate)


def _first_courses(ctx: BlockContext, who: np.ndarray, entry_year: np.ndarray, z: np.ndarray,
                   mature: np.ndarray, persons: Frame) -> Frame:
    p = ctx.params
    m = len(who)
    course = ctx.rng("he.course_type")
    first_degree = course.random(m) < p["he.first_degree_share"]
    level = np.where(first_degree, LEVEL_FIRST_DEGREE, LEVEL_OTHER_UG)
    pt_share = np.where(mature[who], p["he.part_time_share_mature"], p["he.part_time_share_young"])
    part_time = course.random(m) < pt_share
    length = np.where(first_degree, 3 + (course.random(m) < p["he.four_year_share"]), 2)
    length = np.where(part_time, length * 2, length)
    # The CAH2 subject and the principal subject within it.
    subject = draw_subjects(ctx.rng("he.subject").random(m),
                            ctx.rng("he.principal_subject").random(m), p,
                            persons["female"][who], z[who])
    joint = ctx.rng("he.joint_honours")
    combination, subject2, subject3 = draw_combinations(
        joint.random(m), joint.random(m), joint.random(m), joint.random(m), subject,
        first_degree, p)
    provider_rng = ctx.rng("he.provider")
    tg = p["he.tariff_group"]
    tariff_draw = np.clip(np.rint(tg["a"] + tg["b"] * z[who]
                                  + provider_rng.normal(0, tg["noise_sd"], m)), 0, 2)
    provider = pick_provider(ctx, provider_rng, tariff_draw.astype(np.int64))
    dropout = ctx.rng("he.dropout")
    drop1 = dropout.random(m) < logistic(
        p["he.dropout_first_year.a"] + p["he.dropout_first_year.b"] * z[who]
        + p["he.dropout_first_year.male"] * ~persons["female"][who])
    # After the first year, each further year is left with a small probability.
    years_before_later_drop = 1 + dropout.geometric(float(p["he.dropout_later_year"]), m)
    completed_years = np.where(drop1, 1, np.minimum(length, years_before_later_drop))
    qualified = completed_years == length
    start_year = entry_year[who]
    end_year = start_year + completed_years - 1
    degree_class = (_degree_class(ctx, ctx.rng("he.degree_class"), z[who], end_year)
                    * (qualified & first_degree))
    dates = ctx.rng("he.dates")
    return Frame(
        person=who, start_year=start_year, end_year=end_year, level=level,
        part_time=part_time, length=length, subject=subject, combination=combination,
        subject2=subject2, subject3=subject3, provider=provider,
        qualified=qualified, degree_class=degree_class,
        # Courses start in the last ten days of September; leavers go in January to June.
        start_date=ymd(start_year, 9, 20 + dates.integers(0, 10, m)),
        end_date=np.where(qualified, ymd(end_year + 1, 6, 30),
                          ymd(end_year + 1, 1 + dates.integers(0, 6, m), 15)),
        age_start=start_year - persons["cohort"][who] - 1,
    )


def pick_provider(ctx: BlockContext, rng: np.random.Generator, tariff: np.ndarray) -> np.ndarray:
    """A provider of each tariff group (0 high, 1 medium, 2 low), uniformly among the group's."""
    providers = ctx.pools.he_providers["tariff"]
    counts = np.bincount(providers, minlength=3)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    return starts[tariff] + (rng.random(len(tariff)) * counts[tariff]).astype(np.int64)


def _degree_class(ctx: BlockContext, rng: np.random.Generator, z: np.ndarray,
                  end_year: np.ndarray) -> np.ndarray:
    """Class by a latent score against year-specific thresholds (grade inflation)."""
    p = ctx.params
    c = p["he.degree_class_score"]
    score = (c["weight"] * (z - interpolate(c["graduate_mean"], end_year))
             / interpolate(c["graduate_sd"], end_year)
             + c["noise_sd"] * rng.standard_normal(len(z)))
    first_share = interpolate(p["he.first_class_share"], end_year)
    upper = float(p["he.upper_second_share"])
    third = interpolate(p["he.third_share"], end_year)
    t_first = norm_ppf(1 - first_share)
    t_upper = norm_ppf(1 - first_share - upper)
    t_third = norm_ppf(third)
    return np.select([score > t_first, score > t_upper, score > t_third],
                     [FIRST, UPPER_SECOND, LOWER_SECOND], THIRD)


def _postgraduate(ctx: BlockContext, rng: np.random.Generator, first: Frame) -> Frame:
    """Taught master's or doctorate for some first-degree graduates."""
    p = ctx.params["he.postgraduate"]
    grads = first["qualified"] & (first["level"] == LEVEL_FIRST_DEGREE)
    cls = first["degree_class"]
    score = p["a"] + np.select([cls == FIRST, cls == UPPER_SECOND, cls == LOWER_SECOND],
                               [p["first"], p["upper_second"], p["lower_second"]], 0.0)
    goes = grads & (rng.random(len(first)) < logistic(score))
    idx = np.flatnonzero(goes)
    m = len(idx)
    phd = rng.random(m) < p["phd_share"] * np.where(cls[idx] == FIRST, p["phd_first_factor"],
                                                    p["phd_other_factor"])
    # Straight on the next year, or after one to three years away.
    delay = np.where(rng.random(m) < p["straight_on_share"], 1,
                     1 + rng.integers(1, p["max_years_away"] + 1, m))
    start_year = first["end_year"][idx] + delay
    length = np.where(phd, p["phd_years"], 1)
    qualified = rng.random(m) < np.where(phd, p["phd_completion"], p["taught_completion"])
    end_year = start_year + length - 1
    return Frame(
        person=first["person"][idx], start_year=start_year, end_year=end_year,
        level=np.where(phd, LEVEL_PGR, LEVEL_PGT), part_time=rng.random(m) < p["part_time_share"],
        length=length, subject=first["subject"][idx], combination=np.full(m, SINGLE),
        subject2=np.full(m, -1), subject3=np.full(m, -1), provider=first["provider"][idx],
        qualified=qualified, degree_class=np.zeros(m, dtype=np.int64),
        start_date=ymd(start_year, 9, 25), end_date=ymd(end_year + 1, 9, 30),
        age_start=first["age_start"][idx] + (start_year - first["start_year"][idx]),
    )


def _course_years(instances: Frame) -> Frame:
    """One row per instance and year of study (year of course 1..n)."""
    n_years = (instances["end_year"] - instances["start_year"] + 1).astype(np.int64)
    rows = np.repeat(np.arange(len(instances)), n_years)
    year_of_course = np.arange(len(rows)) - np.repeat(np.cumsum(n_years) - n_years, n_years) + 1
    return Frame(
        instance=rows, person=instances["person"][rows],
        year=instances["start_year"][rows] + year_of_course - 1,
        year_of_course=year_of_course,
        final=(year_of_course == n_years[rows]),
    )
