"""PAYE employment spells and the pay they earn; self-employment; furlough.

Spells follow an alternating renewal process from the day a person leaves education: a job, a
gap (a few days when moving job to job, months when out of work), the next job. Lengths depend
on age, qualification, attachment to work, sex (career breaks) and the economy (longer gaps in
the 2008-09 recession and in 2020/21). Pay is computed per spell and tax year, so earnings,
employers and sectors per tax year all derive from the same spells.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from leo_synth.errors import LeoSynthError
from leo_synth.simulation.calendar import (
    DAY,
    EXTRACT_END,
    FIRST_TAX_YEAR,
    LAST_TAX_YEAR,
    OPEN_END,
    add_days,
    age_on,
    day_of,
    month_of,
    tax_year_end,
    tax_year_of,
    tax_year_start,
    year_of,
    ymd,
)
from leo_synth.simulation.context import BlockContext
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.parameters import Parameters
from leo_synth.simulation.pools import SIC_SECTIONS, sample_enterprises
from leo_synth.simulation.series import interpolate
from leo_synth.simulation.stats import categorical, logistic

MAX_SPELLS = 40
EARLIEST_SPELL_END = np.datetime64("1997-04-06")



@dataclass
class Education:
    """What the labour market needs to know about a person's education."""

    labour_start: np.ndarray  # date full-time education ended (or age 17)
    qualification: np.ndarray  # highest level: 0, 2, 3, 4, 6 (degree), 7, 8
    degree_year: np.ndarray  # academic year of graduation, -1 if none
    degree_class: np.ndarray
    subject_cah2: np.ndarray  # CAH2 subject (index into ``he.subjects``) of the degree, -1
    subject_premium: np.ndarray  # log pay level of the degree subject at 1 YAG
    subject_growth: np.ndarray  # (persons, 2): its extra log growth to 5 and 5 to 10 YAG
    tariff: np.ndarray
    study_years: Frame  # person, year: full-time study years (student jobs)
    apprenticeships: Frame  # person, start_date, end_date, level
    straight_to_work: np.ndarray  # left at 16 for a job, or after a NEET spell: the job
                                  # search is over, work starts within weeks
    adult_learner: np.ndarray  # has ILR learning (not apprenticeships) as an adult
    gap_years: Frame  # person, start, end: jobs between school or college and HE
    study_breaks: Frame  # person, start, end: full-time HE of mature students (no main job)
    full_time_he: Frame  # person, start, end: first to last day of full-time HE, any age


@dataclass
class Labour:
    spells: Frame  # person, start, end, enterprise, part_time, log_rate, flags
    pay: Frame  # person, tax_year, enterprise, amount: pay per spell and tax year
    self_employment: Frame  # person, tax_year, sole, partnership
    self_employment_episodes: Frame  # person, start, end: working, though not in PAYE
    cjrs: Frame  # person, months, month_ends (by month of 2020/21), weeks, march
    seiss: Frame  # person, weeks, amount, months


COVID_TAX_YEAR = 2020
WEEKS_PER_MONTH = 4.3
# SEISS (the scheme's rules, not model choices): the grants paid in tax year 2020/21, each
# as (the month its claims opened, 0 = April; the share of three months' average profit it
# paid; its cap). Grant 1 from 13 May 2020, grant 2 from 17 August (70%, at most 6,570
# pounds), grant 3 from 30 November; grants 4 and 5 opened in April and July 2021, in 2021/22.
SEISS_GRANTS = ((1, 0.8, 7500), (4, 0.7, 6570), (7, 0.8, 7500))
SEISS_WEEKS_PER_GRANT = 12
SEISS_BASE_YEAR = 2018
"""The tax year whose return made a person eligible for the first three grants (2018/19)."""
SEISS_PROFIT_LIMIT = 50_000
"""Trading profits above this (pounds, in 2018/19 or on average) made a trader ineligible."""


def simulate_labour(ctx: BlockContext, persons: Frame, edu: Education) -> Labour:
    """Spells, pay, self-employment and furlough for the block."""
    # Each sub-step draws from its own stream ("labour.<sub-step>"), so a change in one
    # leaves the others' draws alone.
    a = ctx.params["labour.attachment"]
    # Adults in FE are often learning because they are out of work.
    attachment = (a["ability"] * persons["ability"] + a["health"] * persons["health"]
                  + a["disadvantage"] * persons["disadvantage"]
                  + a["noise_sd"] * ctx.rng("labour.attachment").standard_normal(len(persons))
                  + ctx.params["labour.adult_learner_attachment"] * edu.adult_learner)
    main = _main_spells(ctx, persons, edu, attachment)
    students = _student_jobs(ctx, ctx.rng("labour.student_jobs"), edu)
    apprentices = _apprentice_spells(ctx, ctx.rng("labour.apprentices"), edu)
    main = _after_apprenticeships(main, apprentices, len(persons))
    main = _outside_study(main, edu.study_breaks, len(persons))
    gap_jobs = edu.gap_years
    gap_jobs = Frame(person=gap_jobs["person"], start=gap_jobs["start"], end=gap_jobs["end"],
                     kind=np.full(len(gap_jobs), 1, dtype=np.int8))
    spells = Frame.concat([main, students, gap_jobs, apprentices])
    spells = _add_concurrent(ctx, ctx.rng("labour.concurrent"), spells)
    self_emp, episodes, spells = _self_employment(ctx, ctx.rng("labour.self_employment"),
                                                  persons, spells)
    spells = _assign_employers(ctx, ctx.rng("labour.employers"), edu, spells)
    spells = _subject_sectors(ctx, ctx.rng("labour.subject_sectors"), edu, spells)
    spells = _rates(ctx, persons, edu, spells)
    spells = _uncertain_dates(ctx, spells, persons["birth"])
    spells = spells.sort("person", "start")
    pay = _pay(ctx, ctx.rng("labour.pay"), persons, edu, spells)
    cjrs = _cjrs(ctx, ctx.rng("labour.cjrs"), spells)
    seiss = _seiss(ctx, ctx.rng("labour.seiss"), self_emp, pay)
    return Labour(spells, pay, self_emp, episodes, cjrs, seiss)


def _main_spells(ctx: BlockContext, persons: Frame, edu: Education,
                 attachment: np.ndarray) -> Frame:
    """Alternating jobs and gaps from the end of education; its draws come from one stream
    per sub-step (first job, career breaks, spell lengths, downturn job losses, gaps)."""
    p = ctx.params
    spell = p["labour.spell_shape"]
    cb = p["labour.career_break_age"]
    length_rng, shock_rng = ctx.rng("labour.spell_lengths"), ctx.rng("labour.shocks")
    gap_rng, break_rng = ctx.rng("labour.gaps"), ctx.rng("labour.career_breaks")
    n = len(persons)
    birth = persons["birth"]
    first_delay = p["labour.first_job_months"]
    delay_months = np.select(
        [edu.qualification >= 6, edu.qualification == 3, edu.qualification == 2],
        [first_delay["degree"], first_delay["level3"], first_delay["level2"]],
        first_delay["no_level2"])
    gap_scale = np.exp(-p["labour.attachment_strength"] * attachment)
    delay_months = np.where(edu.straight_to_work, first_delay["straight_to_work"],
                            delay_months)
    t = add_days(edu.labour_start, ctx.rng("labour.first_job").exponential(
        delay_months * 30.4 * gap_scale))
    women_break = persons["female"] & (break_rng.random(n) < p["labour.career_break_share"])
    break_at = add_days(birth, (cb[0] + (cb[1] - cb[0]) * break_rng.random(n)) * 365.25)
    break_len = break_rng.exponential(p["labour.career_break_years"] * 365.25, n)
    grad_factor = np.where(edu.qualification >= 6, p["labour.graduate_spell_factor"], 1.0)
    starts, ends = [], []
    for _ in range(MAX_SPELLS):  # loop over spell number, vectorised over persons
        age = (t - birth).astype(np.int64) / 365.25
        mean_days = interpolate(p["labour.spell_years_by_age"], age) * 365.25 * grad_factor
        duration = length_rng.weibull(spell["weibull_shape"], n) * mean_days * spell["scale"]
        end = add_days(t, np.maximum(duration, spell["min_days"]))
        end, laid_off = _shocks(p["labour.shocks"], t, end, age, shock_rng)
        starts.append(t)
        ends.append(end)
        gap = _gap_days(p, gap_rng, end, laid_off, persons, attachment, gap_scale)
        taking_break = women_break & (end > break_at)
        gap = np.where(taking_break, gap + break_len, gap)
        women_break &= ~taking_break
        t = add_days(end, gap + 1)
    start = np.stack(starts, axis=1)
    end = np.stack(ends, axis=1)
    person = np.repeat(np.arange(n), MAX_SPELLS)
    spells = Frame(person=person, start=start.ravel(), end=end.ravel(),
                   kind=np.zeros(n * MAX_SPELLS, dtype=np.int8))
    keep = (spells["start"] <= EXTRACT_END) & (spells["end"] >= EARLIEST_SPELL_END)
    return spells.take(keep)


def _gap_days(p: Parameters, rng: np.random.Generator, end: np.ndarray, laid_off: np.ndarray,
              persons: Frame, attachment: np.ndarray, gap_scale: np.ndarray) -> np.ndarray:
    """Days until the next job after a spell ending on ``end``: a few days for a direct move,
    months otherwise (longer in recessions and with weak attachment), years for some."""
    n = len(end)
    # Recessions lengthen gaps and make direct job-to-job moves rarer; a job lost in a
    # downturn is always followed by a gap.
    year_factor = interpolate(p["labour.recession_gap_factor"], year_of(end).astype(float))
    job_to_job = (rng.random(n) < 1 - (1 - p["labour.job_to_job_share"]) * year_factor)
    job_to_job &= ~laid_off
    gap = np.where(job_to_job, rng.integers(1, p["labour.job_to_job_max_days"] + 1, n),
                   rng.exponential(p["labour.gap_months"] * 30.4, n) * gap_scale * year_factor)
    # Some job endings start years out of the labour market: ill health, caring, early
    # retirement (more likely in poor health, with weak attachment and after 50).
    inactivity = p["labour.inactivity"]
    age_end = (end - persons["birth"]).astype(np.int64) / 365.25
    inactive = rng.random(n) < logistic(
        inactivity["a"] + inactivity["health"] * persons["health"]
        + inactivity["attachment"] * attachment
        + inactivity["under_25"] * (age_end < 25)
        + inactivity["after_50"] * np.clip(age_end - 50, 0, 15) / 10)
    return np.where(inactive, rng.exponential(inactivity["years"] * 365.25, n), gap)


def _shocks(shocks: list[dict], start: np.ndarray, end: np.ndarray, age: np.ndarray,
            rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Job losses in downturns: a spell running through a shock's start may end within it,
    young workers' more often (``young_factor`` for those under 25 when the spell began).
    Returns the new end dates and which spells were cut."""
    cut = np.zeros(len(end), dtype=bool)
    for shock in shocks:
        begin = np.datetime64(shock["start"])
        chance = shock["probability"] * np.where(age < 25, shock["young_factor"], 1.0)
        hit = (start < begin) & (end > begin) & (rng.random(len(end)) < chance)
        lost = begin + rng.integers(0, int(shock["days"]), len(end)).astype("timedelta64[D]")
        cut |= hit & (lost < end)
        end = np.where(hit, np.minimum(end, lost), end)
    return end, cut


def _student_jobs(ctx: BlockContext, rng: np.random.Generator, edu: Education) -> Frame:
    """Part-time jobs alongside full-time study: one job through a run of consecutive study
    years (September to August, some ending with the summer term)."""
    study = edu.study_years.sort("person", "year")
    person, year = study["person"], study["year"]
    new_run = np.ones(len(study), dtype=bool)
    new_run[1:] = (person[1:] != person[:-1]) | (year[1:] != year[:-1] + 1)
    run = np.cumsum(new_run) - 1
    first_year = year[new_run]
    last_year = np.zeros(len(first_year), dtype=np.int64)
    last_year[run] = year  # rows are in year order, so the last write is the run's last year
    working = rng.random(len(first_year)) < ctx.params["labour.student_job_share"]
    study = Frame(person=person[new_run], first=first_year, last=last_year).take(working)
    m = len(study)
    job = ctx.params["labour.student_job"]
    start = ymd(study["first"], 9, 1) + rng.integers(0, job["start_spread_days"], m).astype(
        "timedelta64[D]")
    term_only = rng.random(m) < job["term_only_share"]
    end = np.where(term_only, ymd(study["last"] + 1, 6, 30), ymd(study["last"] + 1, 8, 31)
                   ) - rng.integers(0, job["end_spread_days"], m).astype("timedelta64[D]")
    return Frame(person=study["person"], start=start, end=end, kind=np.full(m, 1, dtype=np.int8))


def _apprentice_spells(ctx: BlockContext, rng: np.random.Generator, edu: Education) -> Frame:
    """Apprentices are employed while training; most stay on afterwards."""
    app = edu.apprenticeships
    m = len(app)
    stays = rng.random(m) < ctx.params["labour.apprentice_retention"]
    stay_days = ctx.params["labour.apprentice_stay_years"] * 365.25
    end = np.where(stays, add_days(app["end_date"], rng.exponential(stay_days, m)),
                   app["end_date"])
    return Frame(person=app["person"], start=app["start_date"], end=end,
                 kind=np.full(m, 2, dtype=np.int8))


def _outside_study(main: Frame, breaks: Frame, n: int) -> Frame:
    """Mature students leave their job for full-time HE: a job running into the study period
    ends when it starts, one running through it resumes (at another employer, as a new
    spell) when it ends, and jobs inside it are dropped."""
    start = np.full(n, np.datetime64("9999-12-31"), dtype="datetime64[D]")
    end = np.full(n, np.datetime64("0001-01-01"), dtype="datetime64[D]")
    start[breaks["person"]] = breaks["start"]
    end[breaks["person"]] = breaks["end"]
    b0, b1 = start[main["person"]], end[main["person"]]
    overlaps = (main["start"] <= b1) & (main["end"] >= b0)
    before = main.take(overlaps & (main["start"] < b0))
    before["end"] = np.minimum(before["end"], start[before["person"]] - DAY)
    after = main.take(overlaps & (main["end"] > b1))
    after["start"] = np.maximum(after["start"], end[after["person"]] + DAY)
    return Frame.concat([main.take(~overlaps), before, after]).sort("person", "start")


def _after_apprenticeships(main: Frame, apprentices: Frame, n: int) -> Frame:
    """The apprenticeship is the apprentice's job: other jobs start after it ends (a job
    that would have run through it is cut to its part after the apprenticeship)."""
    app_start = np.full(n, np.datetime64("9999-12-31"), dtype="datetime64[D]")
    app_end = np.full(n, np.datetime64("0001-01-01"), dtype="datetime64[D]")
    np.minimum.at(app_start, apprentices["person"], apprentices["start"])
    np.maximum.at(app_end, apprentices["person"], apprentices["end"])
    person = main["person"]
    overlaps = (main["start"] <= app_end[person]) & (main["end"] >= app_start[person])
    main["start"] = np.where(overlaps, np.maximum(main["start"], app_end[person] + DAY),
                             main["start"])
    return main.take(main["end"] > main["start"])


def _add_concurrent(ctx: BlockContext, rng: np.random.Generator, spells: Frame) -> Frame:
    """A second job held alongside some spells (overlapping spells at another employer)."""
    c = ctx.params["labour.concurrent"]
    pick = rng.random(len(spells)) < c["share"]
    base = spells.take(pick)
    m = len(base)
    length = (base["end"] - base["start"]).astype(np.int64)
    offset = (rng.random(m) * np.maximum(length, 1) * c["max_offset"]).astype(np.int64)
    start = base["start"] + offset.astype("timedelta64[D]")
    end = start + np.maximum((rng.random(m) * length * c["max_length"]).astype(np.int64),
                             c["min_days"]).astype("timedelta64[D]")
    extra = Frame(person=base["person"], start=start, end=end, kind=np.full(m, 3, dtype=np.int8))
    return Frame.concat([spells, extra])


def _self_employment(ctx: BlockContext, rng: np.random.Generator, persons: Frame,
                     spells: Frame) -> tuple[Frame, Frame, Frame]:
    """Self-employment episodes (SA rows from 2013/14); some PAYE jobs stop meanwhile.

    A year's profit is the person's own level (``person_log_sd``, lower for women by
    ``female_log_gap``) and a year's shock (``year_log_sd``), so that a trader's profits
    persist from year to year as HMRC's do; a year of a loss or none is recorded as 0
    (``loss_share``). Whether a person trades alone, in a partnership or both is the
    person's, not the year's (``partnership_share``, ``both_share``)."""
    p = ctx.params["self_employment"]
    n = len(persons)
    share = np.where(persons["female"], p["ever_share"]["female"], p["ever_share"]["male"])
    ever = rng.random(n) < share
    start_age = rng.uniform(*p["start_age"], n)
    start = add_days(persons["birth"], start_age * 365.25)
    years = rng.integers(p["years"][0], p["years"][1] + 1, n)
    first_ty = tax_year_of(start)
    who = np.flatnonzero(ever)
    counts = years[who]
    person = np.repeat(who, counts)
    ty = first_ty[person] + (np.arange(len(person)) - np.repeat(np.cumsum(counts) - counts,
                                                                counts))
    keep = (ty >= p["first_tax_year"]) & (ty <= LAST_TAX_YEAR)
    person, ty = person[keep], ty[keep]
    m = len(person)
    year_shock = rng.standard_normal(m)
    rng.random(m)  # (a draw per row once made the partnership; kept, so the PAYE jobs
    #              stopped below stay the same draws)
    traders = ctx.rng("labour.self_employment.traders")
    level = (traders.standard_normal(n) * p["person_log_sd"]
             - p["female_log_gap"] * (persons["female"] - p["female_share"]))
    kind = traders.random(n)
    partnership = (kind < p["partnership_share"] + p["both_share"])[person]
    sole = (kind >= p["partnership_share"])[person]
    yearly = ctx.rng("labour.self_employment.years")
    profit = np.exp(p["log_earnings"] + level[person] + p["year_log_sd"] * year_shock)
    profit = np.where(yearly.random(m) < p["loss_share"], 0.0, profit)
    sole_part = np.where(partnership & sole, yearly.uniform(0.2, 0.8, m), sole.astype(float))
    sole_profit = np.rint(profit * sole_part).astype(np.int64)
    self_emp = Frame(person=person, tax_year=ty, sole=sole_profit,
                     partnership=np.rint(profit).astype(np.int64) - sole_profit,
                     has_sole=sole, has_partnership=partnership)
    episode_start = start[spells["person"]]
    episode_end = add_days(episode_start, years[spells["person"]] * 365.25)
    overlaps = (ever[spells["person"]] & (spells["start"] < episode_end)
                & (spells["end"] > episode_start) & (spells["kind"] == 0))
    drop = overlaps & (rng.random(len(spells)) < p["drop_paye"])
    episodes = Frame(person=who, start=start[who],
                     end=add_days(start[who], years[who] * 365.25))
    return self_emp, episodes, spells.take(~drop)


def _assign_employers(ctx: BlockContext, rng: np.random.Generator, edu: Education,
                      spells: Frame) -> Frame:
    """The employer of each spell: a SIC section by qualification group, then an enterprise."""
    qual = edu.qualification[spells["person"]]
    group = np.where(qual >= 6, 2, np.where(qual >= 2, 1, 0))
    section_mix = ctx.params["labour.section_mix"]
    mix = np.array([section_mix[g] for g in ("low", "mid", "high")], dtype=float)
    section = categorical(rng, mix[group])
    spells["enterprise"] = sample_enterprises(ctx.pools, section, rng.random(len(spells)),
                                              year_of(spells["start"]), spells["end"],
                                              ctx.rng("labour.employers.closed"))
    return spells


def _subject_sectors(ctx: BlockContext, rng: np.random.Generator, edu: Education,
                     spells: Frame) -> Frame:
    """Graduates of vocational subjects work in the sector their degree trains for
    (``labour.subject_sectors``: nurses and allied health professionals in health, teachers
    in education): such a graduate's job after the degree is there with the subject's share,
    its employer redrawn within the sector."""
    sectors = ctx.params["labour.subject_sectors"]
    codes = [s["cah2"] for s in ctx.params["he.subjects"]]
    letters = [s[0] for s in SIC_SECTIONS]
    section_of = np.full(len(codes) + 1, -1, dtype=np.int64)  # last: no degree (-1)
    share_of = np.zeros(len(codes) + 1)
    for code, target in sectors.items():  # (the section letters are checked at load)
        if code not in codes:
            raise LeoSynthError(f"labour.subject_sectors: {code} is not a CAH2 code of "
                                "he.subjects; use one of them")
        section_of[codes.index(code)] = letters.index(target["section"])
        share_of[codes.index(code)] = target["share"]
    person = spells["person"]
    subject = edu.subject_cah2[person]
    degree_year = edu.degree_year[person]  # academic year of the final year: ends in June
    graduated = ymd(np.maximum(degree_year, 1900) + 1, 6, 1)
    after_degree = (degree_year >= 0) & (spells["start"] >= graduated) & (spells["kind"] == 0)
    u_move, u_employer = rng.random(len(spells)), rng.random(len(spells))
    moved = after_degree & (u_move < share_of[subject])
    if moved.any():
        spells["enterprise"] = np.where(moved, sample_enterprises(
            ctx.pools, np.maximum(section_of[subject], 0), u_employer,
            year_of(spells["start"]), spells["end"], ctx.rng("labour.subject_sectors.closed")),
            spells["enterprise"])
    return spells


def _rates(ctx: BlockContext, persons: Frame, edu: Education, spells: Frame) -> Frame:
    """Part-time status and the spell's pay level (log annual full-time pay, before age and
    year effects, which vary within a spell and are applied per tax year)."""
    p = ctx.params
    person = spells["person"]
    female = persons["female"][person]
    pt = p["labour.part_time"]
    # Graduate women work part-time less than other women until children (late 20s, 30s).
    age = (spells["start"] - persons["birth"][person]).astype(np.int64) / 365.25
    female_share = np.where(edu.degree_year[person] >= 0,
                            interpolate(pt["graduate_female_by_age"], age), pt["female"])
    pt_share = np.where(spells["kind"] == 1, pt["student"],
                        np.where(female, female_share, pt["male"]))
    spells["part_time"] = ctx.rng("labour.part_time").random(len(spells)) < pt_share
    e = p["earnings"]
    rng = ctx.rng("labour.pay_level")
    qual_effect = np.array([e["qualification"].get(q, 0.0) for q in range(9)])
    ability = e["person_ability_weight"]
    # Ability's weight and the noise's make a unit variance, so person_sd stays the spread.
    person_effect = e["person_sd"] * (ability * persons["ability"] + np.sqrt(1 - ability**2)
                                      * rng.standard_normal(len(persons)))
    level = (e["base"] + qual_effect[edu.qualification[person]]
             + np.select([edu.degree_class[person] == c for c in (1, 2, 3, 4)],
                         [e["degree_class"][c] for c in (1, 2, 3, 4)], 0.0)
             + np.where(edu.degree_year[person] >= 0, edu.subject_premium[person], 0.0)
             + np.array([e["tariff"].get(t, 0.0) for t in (0, 1, 2)] + [0.0])[edu.tariff[person]]
             + e["female"] * female
             + person_effect[person]
             + e["spell_sd"] * rng.standard_normal(len(spells)))
    spells["log_rate"] = level
    return spells


def _uncertain_dates(ctx: BlockContext, spells: Frame, birth: np.ndarray) -> Frame:
    """Unknown start dates default to 6 April, unknown end dates to 5 April, both flagged.

    A default that would date a job before the person's 16th birthday is not applied (HMRC
    would hold the real start date of a school leaver's first job).
    """
    p = ctx.params
    m = len(spells)
    unsure_start = ctx.rng("labour.uncertain_start").random(m) < p["labour.uncertain_start_share"]
    sixteenth = ymd(year_of(birth[spells["person"]]) + 16, month_of(birth[spells["person"]]),
                    np.minimum(day_of(birth[spells["person"]]), 28))
    unsure_end = ctx.rng("labour.uncertain_end").random(m) < p["labour.uncertain_end_share"]
    defaulted = tax_year_start(tax_year_of(spells["start"]))
    unsure_start &= defaulted >= sixteenth
    start = np.where(unsure_start, defaulted, spells["start"])
    end = np.where(unsure_end, tax_year_end(tax_year_of(spells["end"])), spells["end"])
    end = np.maximum(end, start)
    ongoing = end > EXTRACT_END
    spells["start"] = start
    spells["end"] = np.where(ongoing, OPEN_END, end)
    spells["uncertain_start"] = unsure_start
    spells["uncertain_end"] = unsure_end & ~ongoing
    return spells


def _pay(ctx: BlockContext, rng: np.random.Generator, persons: Frame, edu: Education,
         spells: Frame) -> Frame:
    """Pay per spell and tax year: full-time rate x share of the year worked (x part-time)."""
    e = ctx.params["earnings"]
    start = spells["start"]
    end = np.minimum(spells["end"], EXTRACT_END)
    first = np.maximum(tax_year_of(start), FIRST_TAX_YEAR)
    last = np.minimum(tax_year_of(end), LAST_TAX_YEAR)
    count = np.maximum(last - first + 1, 0)
    row = np.repeat(np.arange(len(spells)), count)
    ty = first[row] + (np.arange(len(row)) - np.repeat(np.cumsum(count) - count, count))
    lo = np.maximum(start[row], tax_year_start(ty))
    hi = np.minimum(end[row], tax_year_end(ty))
    days = ((hi - lo) // DAY + 1).astype(float)
    person = spells["person"][row]
    mid_year = tax_year_start(ty) + np.timedelta64(182, "D")
    age = age_on(persons["birth"][person], mid_year).astype(float)
    log_pay = (spells["log_rate"][row] + interpolate(e["age_profile"], age)
               + np.log(interpolate(e["nominal_index"], ty))
               + e["female_after_30"] * (persons["female"][person] & (age >= 30))
               + e["year_sd"] * rng.standard_normal(len(row)))
    # Pay rises with experience (years since full-time education ended) more than with age:
    # that is why graduates, starting later, catch up and overtake.
    experience = np.maximum((mid_year - edu.labour_start[person]) / DAY / 365.25, 0.0)
    log_pay += interpolate(e["experience_profile"], experience)
    # Graduates' pay grows faster with experience than others' (``earnings.graduate_growth``),
    # and subjects differ in growth as well as level (economics' pay grows far more than
    # nursing's): graduates' pay moves by that growth from 1 to 5 YAG and 5 to 10.
    graduate = edu.degree_year[person] >= 0
    growth = edu.subject_growth[person] + np.asarray(e["graduate_growth"], dtype=float)
    one, five, ten = e["subject_growth_experience"]  # experience (years) at 1, 5, 10 YAG
    log_pay += np.where(graduate, growth[:, 0] * np.clip((experience - one) / (five - one), 0, 1)
                        + growth[:, 1] * np.clip((experience - five) / (ten - five), 0, 1), 0.0)
    # COVID-19 cut young workers' pay in 2020/21 by sector: most in hospitality and the
    # arts, not at all where staff kept working on full pay (health, education, public
    # administration).
    factor = by_section(e["covid_pay_shift_sections"])
    section = ctx.pools.enterprises["section"][spells["enterprise"][row]]
    log_pay += np.where(ty == COVID_TAX_YEAR,
                        interpolate(e["covid_pay_shift"], age) * factor[section], 0.0)
    factor = np.where(spells["part_time"][row], ctx.params["labour.part_time_pay_factor"], 1.0)
    amount = np.exp(log_pay) * factor * days / 365.0
    return Frame(person=person, tax_year=ty.astype(np.int64), spell_start=start[row],
                 enterprise=spells["enterprise"][row], amount=amount, days=days)


def _cjrs(ctx: BlockContext, rng: np.random.Generator, spells: Frame) -> Frame:
    """Furlough in 2020/21 for employees in post, more in hospitality and leisure: a first wave
    from April or May, part of it furloughed on through the autumn, some furloughed again (or
    for the first time) from the November or the January lockdown to March; never in a month
    after the job furloughed has ended (a claim is for an employment on the payroll)."""
    p = ctx.params["cjrs"]
    start_2020 = tax_year_start(COVID_TAX_YEAR)
    in_post = (spells["start"] <= start_2020 + np.timedelta64(p["in_post_days"], "D")) & (
        spells["end"] >= start_2020)
    share = _furlough_share(ctx, spells)
    furloughed = in_post & (rng.random(len(spells)) < share)
    idx = _first_per_person(spells, np.flatnonzero(furloughed))
    m = len(idx)
    months = np.clip(rng.poisson(p["months_mean"], m), 1, 12)
    begin = np.where(rng.random(m) < p["april_start_share"], 0, 1)
    autumn = ctx.rng("labour.cjrs_autumn").random(m) < p["through_autumn_share"]
    months = np.where(autumn, np.maximum(months, AUTUMN_END_MONTH + 1 - begin), months)
    month = np.arange(12)[None, :]
    pattern = (month >= begin[:, None]) & (month < np.minimum(begin + months, 12)[:, None])
    # The second wave: some are furloughed again from the November or the January lockdown
    # to the end of the tax year (HMRC: about 4m in November 2020 and 5m in January 2021,
    # half the May peak), and some for the first time (``new_in_second_wave``).
    again = ctx.rng("labour.cjrs_second_wave")
    second = again.random(m) < p["second_wave_share"]
    from_month = np.where(again.random(m) < p["second_wave_november"], 7, 9)
    pattern |= second[:, None] & (month >= from_month[:, None])
    fresh_idx, fresh_pattern = _first_furloughed_in_winter(ctx, spells, share, idx)
    idx = np.concatenate([idx, fresh_idx])
    pattern = np.concatenate([pattern, fresh_pattern]) & _months_in_post(spells, idx)
    keep = pattern.any(1)
    idx, pattern = idx[keep], pattern[keep]
    order = np.argsort(spells["person"][idx], kind="stable")
    idx, pattern = idx[order], pattern[order]
    ends = ctx.rng("labour.cjrs_month_ends")
    # A furlough that stops before March 2021 stops during its last month or at its end.
    last = pattern & ~np.concatenate([pattern[:, 1:], np.ones((len(idx), 1), bool)], axis=1)
    stopped_during = last & (ends.random(pattern.shape) < p["ends_during_month_share"])
    march = (pattern[:, 0] & (spells["start"][idx] <= MARCH_PAYROLL_DAY)
             & (ends.random(len(idx)) < p["march_start_share"]))
    # (nor is anyone on furlough at the end of a month their job ended in); a month left
    # during counts as half a month
    month_ends = pattern & ~stopped_during & (spells["end"][idx, None] >= _month_last_days())
    weeks = np.rint((pattern.sum(1) - 0.5 * (pattern & ~month_ends).sum(1)) * WEEKS_PER_MONTH)
    return Frame(person=spells["person"][idx], months=pattern, month_ends=month_ends,
                 weeks=weeks.astype(np.int64), march=march)


MARCH_PAYROLL_DAY = np.datetime64("2020-03-19")
"""Employees on a payroll by this day could be furloughed from March 2020 (the scheme's
first cut-off date); a furlough of March 2020 is in the 2019/20 record."""


AUTUMN_END_MONTH = 6
"""October (0 = April): the first wave's furloughs ``through_autumn_share`` last at least to
its end (HMRC: about 2.5m jobs still furloughed in October 2020, before the second lockdown)."""
WINTER_MONTHS = (7, 9)
"""November and January: the months the second wave's furloughs begin in."""


def _furlough_share(ctx: BlockContext, spells: Frame) -> np.ndarray:
    """Each spell's chance of a first-wave furlough, by its employer's SIC section."""
    share = by_section(ctx.params["cjrs"]["furlough_share"])
    return share[ctx.pools.enterprises["section"][spells["enterprise"]]]


def by_section(values: dict) -> np.ndarray:
    """A parameter given by SIC section letter (``default`` for the others), per section
    index of ``SIC_SECTIONS``."""
    return np.array([values.get(letter, values["default"]) for letter, *_ in SIC_SECTIONS])


def _first_per_person(spells: Frame, idx: np.ndarray) -> np.ndarray:
    """Of spells ``idx`` (ascending), each person's first."""
    _, first = np.unique(spells["person"][idx], return_index=True)
    return idx[first]


def _first_furloughed_in_winter(ctx: BlockContext, spells: Frame, share: np.ndarray,
                                first_wave: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Employees furloughed for the first time from the November or the January lockdown to
    the end of the tax year (HMRC: 11.7m jobs furloughed in all, 9.4m of them by the end of
    June 2020): among those in post when their wave begins and not furloughed before, at
    ``new_in_second_wave`` times their sector's first-wave chance. Their own stream."""
    p = ctx.params["cjrs"]
    rng = ctx.rng("labour.cjrs_new_furloughs")
    n = len(spells)
    from_month = np.where(rng.random(n) < p["second_wave_november"], *WINTER_MONTHS)
    first_day = (np.datetime64("2020-04", "M") + from_month).astype("datetime64[D]")
    eligible = (spells["start"] <= first_day) & (spells["end"] >= first_day)
    eligible &= ~np.isin(spells["person"], spells["person"][first_wave])
    chosen = eligible & (rng.random(n) < share * p["new_in_second_wave"])
    idx = _first_per_person(spells, np.flatnonzero(chosen))
    return idx, np.arange(12)[None, :] >= from_month[idx, None]


def _months_in_post(spells: Frame, idx: np.ndarray) -> np.ndarray:
    """Per spell of ``idx``, the months of 2020/21 (0 = April) it is open on any day of."""
    first = (np.datetime64("2020-04", "M") + np.arange(12)).astype("datetime64[D]")
    return (spells["start"][idx, None] <= _month_last_days()) & (
        spells["end"][idx, None] >= first[None, :])


def _month_last_days() -> np.ndarray:
    """The last day of each month of 2020/21 (April 2020 to March 2021), as a row."""
    return ((np.datetime64("2020-05", "M") + np.arange(12)).astype("datetime64[D]") - 1)[None, :]


def _seiss(ctx: BlockContext, rng: np.random.Generator, self_emp: Frame,
           pay: Frame) -> Frame:
    """SEISS grants in 2020/21, by the scheme's rules for its first three grants: self-employed
    in 2018/19 and still in 2019/20, with trading profits of at most 50,000 pounds and at
    least the person's other income (PAYE pay), in 2018/19 or on average over the years
    2016/17 to 2018/19 the person traded in. Each grant pays its share of three months of that
    average profit, capped (``SEISS_GRANTS``). Claimed by ``seiss_take_up`` of those eligible,
    and each further grant by ``seiss_further_grant_share`` of those who took the one before."""
    p = ctx.params["self_employment"]
    n = ctx.size
    profit = self_emp["sole"] + self_emp["partnership"]
    person, year = self_emp["person"], self_emp["tax_year"]
    base = year == SEISS_BASE_YEAR
    averaged = (year >= SEISS_BASE_YEAR - 2) & (year <= SEISS_BASE_YEAR)
    traded = np.zeros((2, n), dtype=bool)  # in 2018/19, in 2019/20
    traded[0, person[base]] = True
    traded[1, person[year == SEISS_BASE_YEAR + 1]] = True
    key = person * 10_000 + year
    pay_key = pay["person"] * 10_000 + pay["tax_year"]
    eligible = np.zeros(n, dtype=bool)
    for rows in (base, averaged):  # (the last: the average the grants pay from)
        count = np.maximum(np.bincount(person[rows], minlength=n), 1)
        paid_rows = np.isin(pay_key, key[rows])
        average = np.bincount(person[rows], profit[rows], minlength=n) / count
        other = np.bincount(pay["person"][paid_rows], pay["amount"][paid_rows],
                            minlength=n) / count
        eligible |= (average <= SEISS_PROFIT_LIMIT) & (average >= other)
    eligible &= traded.all(axis=0)
    took = np.flatnonzero(eligible & (rng.random(n) < p["seiss_take_up"]))
    further = rng.random((n, len(SEISS_GRANTS) - 1))[took] < p["seiss_further_grant_share"]
    grants = 1 + np.cumprod(further, axis=1).sum(axis=1)
    quarter = average[took] / 4
    amount = np.zeros(len(took))
    months = np.zeros((len(took), 12), dtype=bool)
    for g, (month, share, cap) in enumerate(SEISS_GRANTS):
        paid = grants > g
        amount += np.where(paid, np.minimum(share * quarter, cap), 0.0)
        months[:, month] |= paid
    return Frame(person=took, weeks=(grants * SEISS_WEEKS_PER_GRANT).astype(np.int64),
                 amount=np.rint(amount).astype(np.int64), months=months)
