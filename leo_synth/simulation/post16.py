"""After Year 11: the route taken at 16, sixth-form years, KS5 results and youth FE years.

The route is a multinomial logit on the KS4 latent score, its intercepts shifted by the KS4
year (``post16.route_shift``: fewer stayed in full-time education before the participation age
rose). School sixth-formers stay on the school census (Years 12 and 13); sixth-form and FE
colleges are recorded in the ILR; everyone who completes a level 3 programme gets a KS5 record.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from leo_synth.simulation.calendar import ymd
from leo_synth.simulation.context import BlockContext
from leo_synth.simulation.frame import Frame, last_row_of
from leo_synth.simulation.schooling import Schooling
from leo_synth.simulation.series import interpolate
from leo_synth.simulation.stats import categorical, softmax_rows

ROUTES = ("school_sixth_form", "sixth_form_college", "fe_college", "apprenticeship",
          "employment", "neet")
SIXTH_FORM, SFC, FE, APPRENTICESHIP, EMPLOYMENT, NEET = range(len(ROUTES))
NO_ROUTE = -1


@dataclass
class Post16:
    """Post-16 histories of the block's persons (arrays indexed by person)."""

    route: np.ndarray  # route index, NO_ROUTE for persons without KS4
    start_year: np.ndarray  # academic year of Year 12 (age 16 at its start)
    sixth_form_years: Frame  # extra pupil-year rows (Years 12-13 at school)
    ks5: Frame  # one row per KS5 student
    youth_fe: Frame  # person, year, level, kind ("fe", "sfc", "app"), achieved
    level3_year: np.ndarray  # academic year a level 3 was achieved, -1 if not (by 18)
    leave_date: np.ndarray  # date post-16 learning ended (NaT if none)
    neet_months: np.ndarray  # months NEET after leaving (0 if none)
    sixth_form_dropout: np.ndarray  # left the school sixth form after Year 12 for an FE year


def simulate_post16(ctx: BlockContext, persons: Frame, schooling: Schooling,
                    ks4: Frame) -> Post16:
    """Routes, sixth-form and FE years and KS5 results for the block's KS4 pupils."""
    p = ctx.params
    n = len(persons)
    route = np.full(n, NO_ROUTE, dtype=np.int64)
    latent = np.full(n, np.nan)
    latent[ks4["person"]] = ks4["latent"]
    start = persons["cohort"] + 17
    has_ks4 = np.zeros(n, dtype=bool)
    has_ks4[ks4["person"]] = True

    coeffs = p["post16.routes"]
    a = np.array([coeffs[r]["a"] for r in ROUTES])
    b = np.array([coeffs[r]["b"] for r in ROUTES])
    z = np.nan_to_num(latent[has_ks4])
    ks4_year = np.zeros(n, dtype=np.int64)
    ks4_year[ks4["person"]] = ks4["year"]
    shift = np.column_stack([interpolate(p["post16.route_shift"][r], ks4_year[has_ks4])
                             for r in ROUTES])
    probs = softmax_rows(a[None, :] + shift + b[None, :] * z[:, None])
    route[has_ks4] = categorical(ctx.rng("post16.route"), probs)

    dropout = ctx.rng("post16.sixth_form_dropout").random(n) < p["post16.sixth_form_dropout"]
    # College students abandoning their course during Year 12 (then NEET for a while).
    withdrawal = p["post16.college_withdrawal"]
    rng = ctx.rng("post16.college_withdrawal")
    withdraws = rng.random(n) < np.select([route == FE, route == SFC],
                                          [withdrawal["fe"], withdrawal["sfc"]], 0.0)
    withdraw_date = np.where(withdraws, ymd(start, 9, 1) + rng.integers(
        20, 270, n).astype("timedelta64[D]"), np.datetime64("NaT")).astype("datetime64[D]")
    in_sixth = route == SIXTH_FORM
    py = schooling.pupil_years
    last_row = last_row_of(py["person"], n)
    # A sixth former eligible for free school meals stays eligible from one year to the next
    # with this chance (one draw per person and year of the sixth form; per person: Year 11's
    # eligibility, then each sixth-form year's)
    fsm_draw = ctx.rng("post16.sixth_form_fsm").random((2, n))
    eligible = np.zeros(n, dtype=bool)
    has_row = last_row >= 0
    eligible[has_row] = py["fsm"][last_row[has_row]]
    sixth = []
    for offset, ncyear in ((0, 12), (1, 13)):
        who = np.flatnonzero(in_sixth & ((offset == 0) | ~dropout))
        rows = last_row[who]
        eligible &= fsm_draw[offset] < p["post16.sixth_form_fsm_kept"]
        fsm = eligible[who]
        sixth.append(Frame(
            person=who, year=start[who] + offset, ncyear=np.full(len(who), ncyear),
            school=py["school"][rows], entry_year=py["entry_year"][rows],
            entry_date=py["entry_date"][rows],
            fsm=fsm, ever_fsm_6=py["ever_fsm_6"][rows],
            ever_fsm_all=py["ever_fsm_all"][rows], sen=py["sen"][rows],
            arrived=np.zeros(len(who), dtype=bool),
        ))
    sixth_form_years = Frame.concat(sixth)

    # Level 3 programmes: sixth form, sixth-form college, and FE for the stronger students.
    z_all = np.nan_to_num(latent, nan=-1.0)
    fe_level = np.where(z_all > 0.3, 3, np.where(z_all > -0.6, 2, 1))
    level3_programme = ((route == SIXTH_FORM) | (route == SFC)) & ~dropout
    level3_programme |= (route == FE) & (fe_level == 3)
    level3_programme &= ~withdraws
    ks5_latent = 0.8 * z_all + 0.6 * ctx.rng("post16.ks5_latent").standard_normal(n)
    level3_achieved = level3_programme & (ks5_latent > -1.6)
    level3_year = np.where(level3_achieved, start + 1, -1)
    ks5 = _ks5(ctx, ctx.rng("post16.ks5"), np.flatnonzero(level3_programme), start, ks5_latent,
               route)
    ks5["as_level"] = _as_level(ctx, ks5)

    # College learners below level 3 mostly stay a second year, at level 2 (the next level,
    # or another level 2 course such as English and maths resits).
    second_year = ((route == FE) & (fe_level < 3) & ~withdraws
                   & (ctx.rng("post16.fe_second_year").random(n) < p["post16.fe_second_year"]))
    # Some who completed that second year go on to a level 3 course at 18, the last year of
    # 16-18 funding: the ILR's 18-year-olds (almost none were).
    third_year = second_year & (ctx.rng("post16.fe_third_year").random(n)
                                < p["post16.fe_third_year"])
    youth_fe = _youth_fe(ctx.rng("post16.youth_fe"), route, start, fe_level, dropout,
                         level3_achieved, withdraw_date, second_year, third_year)
    # A school sixth-former who drops out after Year 12 spends the next year at an FE college
    # (the ILR year of ``_youth_fe``): learning ends after that year, not with Year 12.
    years_in_learning = np.select(
        [route == SIXTH_FORM, route == SFC, route == FE, route == APPRENTICESHIP],
        [np.full(n, 2), np.where(dropout, 1, 2),
         np.where((fe_level == 3) | second_year, 2 + third_year, 1),
         np.ones(n, dtype=np.int64)], 0)
    leave_date = np.where(has_ks4, ymd(start + years_in_learning, 7, 31), np.datetime64("NaT"))
    leave_date = np.where(withdraws, withdraw_date, leave_date)
    neet = np.where((route == NEET) | withdraws,
                    ctx.rng("post16.neet").exponential(p["post16.neet_months"], n), 0.0)
    rng = ctx.rng("post16.neet_after_learning")
    neet = np.where(has_ks4 & (route != NEET) & ~withdraws
                    & (rng.random(n) < p["post16.neet_after_learning"]),
                    rng.exponential(p["post16.neet_after_learning_months"], n), neet)
    return Post16(route, start, sixth_form_years, ks5, youth_fe, level3_year,
                  leave_date.astype("datetime64[D]"), neet, (route == SIXTH_FORM) & dropout)


def _ks5(ctx: BlockContext, rng: np.random.Generator, who: np.ndarray, start: np.ndarray,
         latent: np.ndarray, route: np.ndarray) -> Frame:
    """KS5 student rows: number of A levels and a grade per A level (0 = U ... 6 = A*)."""
    p = ctx.params
    m = len(who)
    n_alevels = 1 + categorical(rng, np.array(p["ks5.a_levels"], dtype=float), m)
    vocational = route[who] == FE
    n_alevels = np.where(vocational, 0, n_alevels)
    g = p["ks5.grade"]
    # (the centre- and teacher-assessed years' grades stand higher: by_year's shift)
    shift = np.zeros(m)
    for year, step in g["by_year"].items():
        shift = np.where(start[who] + 1 == int(year), float(step), shift)
    grades = np.clip(np.rint(g["intercept"] + shift[:, None]
                             + g["ability"] * latent[who][:, None]
                             + rng.normal(0, g["noise_sd"], (m, 4))), 0, 6).astype(np.int8)
    grades = np.where(np.arange(4)[None, :] < n_alevels[:, None], grades, -1)
    points_per_entry = (p["ks5.points_per_entry_mean"]
                        + p["ks5.points_per_entry_spread"] * latent[who])
    return Frame(
        person=who, year=start[who] + 1, latent=latent[who], vocational=vocational,
        n_alevels=n_alevels, **{f"al{i + 1}": grades[:, i] for i in range(4)},
        points_per_entry=np.clip(points_per_entry, 0, 60),
    )


def _as_level(ctx: BlockContext, ks5: Frame) -> np.ndarray:
    """Per KS5 student, the grade (0 = U ... 5 = A; -1 = none) of a GCE AS level cashed in
    after Year 12 in a subject not carried on to A level (the fourth subject a student drops).

    Only students of one to three A levels take one (four subjects were the usual Year 12
    load), at the share of the KS5 year (``ks5.as_level.share``, falling after AS levels were
    decoupled from A levels from 2015); the grade is the A level grade's line shifted by
    ``ks5.as_level.grade_shift`` (the subject dropped is the weaker one), at most an A (AS
    levels have no A*). Its own stream: the A level draws stay as they were."""
    p = ctx.params
    rng = ctx.rng("post16.ks5_as_level")
    m = len(ks5)
    year = np.asarray(ks5["year"])
    takes = ((ks5["n_alevels"] >= 1) & (ks5["n_alevels"] < 4)
             & (rng.random(m) < interpolate(p["ks5.as_level.share"], year)))
    g = p["ks5.grade"]
    grade = np.clip(np.rint(g["intercept"] + p["ks5.as_level.grade_shift"]
                            + g["ability"] * ks5["latent"] + rng.normal(0, g["noise_sd"], m)),
                    0, 5).astype(np.int8)
    return np.where(takes, grade, -1).astype(np.int8)


def a_level_row(ks5: Frame, person: np.ndarray, year: np.ndarray, n: int) -> np.ndarray:
    """Per (``person``, academic ``year``): the person's KS5 row (``ks5`` of a block of ``n``
    persons) when its A levels were studied that year (the KS5 year, Year 13, or the year
    before), else -1; -1 for the vocational programme, which has none."""
    row = last_row_of(ks5["person"], n)[person]
    held = np.flatnonzero(row >= 0)
    at = row[held]
    studied = (ks5["n_alevels"][at] > 0) & (
        (ks5["year"][at] == year[held]) | (ks5["year"][at] == year[held] + 1))
    out = np.full(len(person), -1)
    out[held[studied]] = at[studied]
    return out


def _youth_fe(rng: np.random.Generator, route: np.ndarray, start: np.ndarray,
              fe_level: np.ndarray, dropout: np.ndarray, level3: np.ndarray,
              withdraw_date: np.ndarray, second_year: np.ndarray,
              third_year: np.ndarray) -> Frame:
    """ILR learning years at 16-18: colleges, apprenticeships, and sixth-form drop-outs;
    a course abandoned in Year 12 is its only year, with its withdrawal date; a college
    learner below level 3 staying a ``second_year`` takes it at level 2, and a ``third_year``
    at level 3 (achieved as a level 2 year is: it does not count towards HE entry, which
    reads ``level3_year``)."""
    frames = []
    n = len(route)
    withdrawn = ~np.isnat(withdraw_date)
    ones = np.ones(n, dtype=np.int64)
    apprenticeship_level = np.where(fe_level >= 3, 3, 2)
    college = np.where((fe_level == 3) | second_year, 2 + third_year, 1)
    for kind, who, years, levels in (
        ("sfc", route == SFC, np.where(dropout, 1, 2), (np.full(n, 3),) * 2),
        ("fe", route == FE, college,
         (fe_level, np.where(second_year, 2, fe_level), np.full(n, 3))),
        # one start: the ILR repeats the apprenticeship in the years it continues
        ("app", route == APPRENTICESHIP, ones, (apprenticeship_level,)),
        ("fe", (route == SIXTH_FORM) & dropout, ones, (np.full(n, 2),)),
    ):
        people = np.flatnonzero(who)
        years = np.where(withdrawn, 1, years)
        for offset, level in enumerate(levels):
            stay = people[years[people] > offset]
            year = start[stay] + offset + ((route[stay] == SIXTH_FORM) * 1)
            frames.append(Frame(
                person=stay, year=year, level=level[stay],
                kind=np.full(len(stay), kind), achieved=np.where(
                    (level[stay] == 3) & (offset < 2), level3[stay],
                    rng.random(len(stay)) < 0.8) & ~withdrawn[stay],
                withdraw_date=withdraw_date[stay],
            ))
    return Frame.concat(frames).sort("person", "year")
