"""DWP benefit spells: out-of-work claims in the gaps between jobs, health, lone-parent,
disability and carer benefits, and in-work Universal Credit.

Out-of-work claims are drawn inside periods without PAYE employment, so "people on out-of-work
benefits are mostly not employed at the same time" holds by construction (concurrent second
jobs and student jobs are the exceptions, as in the real data). Claim types follow the calendar:
legacy benefits until Universal Credit reaches the claimant's local authority.
"""

from __future__ import annotations

import numpy as np

from leo_synth.simulation.calendar import (
    DAY,
    EXTRACT_END,
    OPEN_END,
    add_days,
    age_on,
    ymd,
)
from leo_synth.simulation.context import BlockContext
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.labour import Education, Labour
from leo_synth.simulation.stats import drawn_codes, group_starts, logistic, norm_ppf

FIRST_BENEFIT_DAY = np.datetime64("1999-04-06")
ESA_START = np.datetime64("2008-10-27")
PIP_START = np.datetime64("2013-04-08")
IN_WORK_UC_FROM = np.datetime64("2016-04-06")
COVID_CLAIMS = (np.datetime64("2020-03-16"), np.datetime64("2021-03-31"))
"""Claims made easier and more often during the pandemic (UC advances, no face-to-face)."""
INTRODUCED = {"IS": "1988-04-11", "DLA": "1992-04-06", "IB": "1995-04-13", "JSA": "1996-10-07",
              "ESA": str(ESA_START), "PIP": str(PIP_START)}
"""When each legacy benefit began: DWP holds no spell of it before (an unemployed person's
claim from 1980 is JSA from its first day, 7 October 1996)."""


def simulate_benefits(ctx: BlockContext, persons: Frame, edu: Education,
                      labour: Labour) -> Frame:
    """Benefit spells of the block: person, start, end, type (VRF code)."""
    uc_date = _uc_dates(ctx)
    # Self-employment is work too, and full-time students cannot claim (young ones too: the
    # gaps between their student jobs were claims, JSA among them): only periods with none
    # of these are gaps.
    episodes = labour.self_employment_episodes
    working = Frame.concat([labour.spells.select(("person", "start", "end")),
                            episodes.take(episodes["end"] > episodes["start"]),
                            edu.full_time_he])
    gaps = _gaps(persons, edu, working)
    out_of_work = _out_of_work(ctx, ctx.rng("benefits.out_of_work"), persons, edu, gaps, uc_date)
    frames = [
        _ib_reassessed(ctx, ctx.rng("benefits.ib_reassessment"), out_of_work),
        _disability(ctx, ctx.rng("benefits.disability"), persons),
        _carers(ctx, ctx.rng("benefits.carers"), persons),
        _in_work_uc(ctx, ctx.rng("benefits.in_work_uc"), labour.spells, uc_date, persons),
    ]
    spells = Frame.concat(frames)
    spells["start"] = _from_introduction(spells["start"], spells["type"])
    spells = spells.take((spells["end"] >= FIRST_BENEFIT_DAY) & (spells["start"] <= EXTRACT_END)
                         & (spells["end"] >= spells["start"]))
    degenerate = (ctx.rng("benefits.degenerate").random(len(spells))
                  < ctx.params["benefits.degenerate_share"])
    spells["end"] = np.where(degenerate, spells["start"], spells["end"])
    spells["end"] = np.where(spells["end"] > EXTRACT_END, OPEN_END, spells["end"])
    return spells.sort("person", "start")


def _from_introduction(start: np.ndarray, btype: np.ndarray) -> np.ndarray:
    """Start dates no earlier than their benefit's introduction (:data:`INTRODUCED`)."""
    earliest = np.full(len(start), np.datetime64("1900-01-01"), dtype="datetime64[D]")
    for code, day in INTRODUCED.items():
        earliest[btype == code] = np.datetime64(day)
    return np.maximum(start, earliest)


def _uc_dates(ctx: BlockContext) -> np.ndarray:
    """Date Universal Credit full service reached each LA (static: same for every block)."""
    first, last = (np.datetime64(d) for d in ctx.params["benefits.uc_rollout"])
    n_la = len(ctx.pools.las)
    # Spread evenly in LA order, shuffled by a fixed permutation of the pool.
    order = np.argsort(np.sin(np.arange(n_la) * 12.9898) * 43758.5453 % 1)
    span = (last - first) // DAY
    dates = np.empty(n_la, dtype="datetime64[D]")
    dates[order] = first + (np.arange(n_la) * span // max(n_la - 1, 1)).astype("timedelta64[D]")
    return dates


def _gaps(persons: Frame, edu: Education, spells: Frame) -> Frame:
    """Periods without any PAYE job after leaving education.

    Spells can overlap (apprenticeships, student jobs), so a gap starts after the latest end
    of all earlier spells of the person, not just the previous one.
    """
    main = spells.sort("person", "start")
    person = main["person"]
    starts = group_starts(person)
    first_of_person = np.zeros(len(main), dtype=bool)
    first_of_person[starts] = True
    # Running maximum of end dates within each person (persons offset so one pass works).
    offset = person.astype(np.int64) * 10**7
    latest_end = np.maximum.accumulate(main["end"].astype(np.int64) + offset) - offset
    prev_end = np.empty(len(main), dtype="datetime64[D]")
    prev_end[1:] = latest_end[:-1].astype("datetime64[D]")
    prev_end[first_of_person] = edu.labour_start[person[first_of_person]] - DAY
    gap_start = prev_end + DAY
    gap_end = main["start"] - DAY
    gaps = Frame(person=person, start=gap_start, end=gap_end)
    # The gap after each person's last job, if it ended before the extract date.
    last = np.concatenate([starts[1:] - 1, [len(main) - 1]]) if len(main) else starts
    tail_person = person[last]
    tail_end = latest_end[last].astype("datetime64[D]")
    ended = tail_end < EXTRACT_END
    tail_gaps = Frame(person=tail_person[ended], start=tail_end[ended] + DAY,
                      end=np.full(int(ended.sum()), OPEN_END))
    has_job = np.zeros(len(persons), dtype=bool)
    has_job[person] = True
    never = np.flatnonzero(~has_job & ~np.isnat(edu.labour_start))
    never_gaps = Frame(person=never, start=edu.labour_start[never],
                       end=np.full(len(never), OPEN_END))
    out = Frame.concat([gaps, tail_gaps, never_gaps])
    return out.take(out["end"] > out["start"])


def _out_of_work(ctx: BlockContext, rng: np.random.Generator, persons: Frame, edu: Education,
                 gaps: Frame, uc_date: np.ndarray) -> Frame:
    p = ctx.params["benefits"]
    person = gaps["person"]
    m = len(gaps)
    end_for_length = np.minimum(gaps["end"], EXTRACT_END)
    days = np.maximum((end_for_length - gaps["start"]) // DAY, 1).astype(float)
    age = age_on(persons["birth"][person], gaps["start"])
    health = persons["health"][person]
    low_qual = edu.qualification[person] < 2
    claim = p["claim"]
    start = add_days(gaps["start"], rng.integers(3, 30, m))
    covid = (start >= COVID_CLAIMS[0]) & (start <= COVID_CLAIMS[1])
    graduate = edu.qualification[person] >= 6
    score = (claim["a"] + claim["b"] * np.log(days) + claim["low_qualification"] * low_qual
             + claim["graduate"] * graduate
             + claim["health"] * health + claim["under_18"] * (age < 18)
             + claim["under_25"] * ((age >= 18) & (age < 25)) + claim["covid"] * covid)
    claims = (rng.random(m) < logistic(score)) & (days >= p["min_gap_days"])
    end = np.where(gaps["end"] == OPEN_END, OPEN_END,
                   add_days(gaps["end"], -rng.integers(0, 10, m)))
    claims &= end > start
    # Long gaps of people in poor health are spent on health-related benefits.
    sick = (((health > p["health_threshold"]) & (days > 180))
            | ((health > p["long_gap_health_threshold"]) & (days > 365)))
    # Lone parents: women 18-40. Before Universal Credit, Income Support took those with a
    # child at home (any qualification, more often the low qualified); under UC only those
    # with a child under three have no work search (the narrower ``lone_parent_share`` of the
    # low qualified, the same draw, so the UC claims are unchanged by ``income_support``).
    parent_age = persons["female"][person] & (age >= 18) & (age <= 40)
    parent_draw = rng.random(m)
    lone_parent = parent_age & low_qual & (parent_draw < p["lone_parent_share"])
    on_income_support = parent_age & (parent_draw < np.where(
        low_qual, p["income_support"]["low_qualification"], p["income_support"]["other"]))
    legacy = np.where(sick, np.where(start >= ESA_START, "ESA", "IB"),
                      np.where(on_income_support, "IS", "JSA"))
    on_uc = start >= uc_date[persons["la"][person]]
    # UC conditionality regimes: no work requirements (UBC: limited capability for work, or
    # a child under one), planning (UCE) or preparing (UDF) for work, searching (UAA).
    regime = p["uc_regimes"]
    uc_sick = drawn_codes(rng, regime["sick"], m)
    uc_parent = drawn_codes(rng, regime["lone_parent"], m)
    uc = np.where(sick, uc_sick, np.where(lone_parent, uc_parent, "UAA"))
    btype = np.where(on_uc, uc, legacy)
    keep = claims
    return Frame(person=person[keep], start=start[keep], end=end[keep], type=btype[keep])


def _ib_reassessed(ctx: BlockContext, rng: np.random.Generator, spells: Frame) -> Frame:
    """The out-of-work spells with each Incapacity Benefit claim open at its reassessment
    (``benefits.ib_reassessment``: a day drawn in DWP's programme, April 2011 to spring 2014)
    ended that day and followed the next by ESA (``esa_share``) or, for those found fit for
    work, JSA, to the claim's end. (Rejected: ending IB when ESA began in October 2008: only
    new claims went to ESA then; IB claims ran on until they were reassessed.)"""
    p = ctx.params["benefits.ib_reassessment"]
    first, last = (np.datetime64(d) for d in p["dates"])
    m = len(spells)
    day = first + (rng.random(m) * ((last - first) // DAY + 1)).astype("timedelta64[D]")
    esa = rng.random(m) < p["esa_share"]
    ib = spells["type"] == "IB"
    reassessed = np.flatnonzero(ib & (spells["start"] < day) & (spells["end"] > day))
    after = Frame(person=spells["person"][reassessed], start=day[reassessed] + DAY,
                  end=spells["end"][reassessed],
                  type=np.where(esa[reassessed], "ESA", "JSA").astype(spells["type"].dtype))
    spells["end"] = spells["end"].copy()
    spells["end"][reassessed] = day[reassessed]
    return Frame.concat([spells, after])


def _disability(ctx: BlockContext, rng: np.random.Generator, persons: Frame) -> Frame:
    """DLA from 16 for the least healthy; PIP replaces it (reassessment) or starts new claims,
    fixed-term awards reviewed until one is disallowed (:func:`pip_end`)."""
    p = ctx.params["benefits"]
    n = len(persons)
    disabled = persons["health"] > norm_ppf(1 - p["disability_share"])
    onset = add_days(persons["birth"], rng.uniform(16, 45, n) * 365.25)
    who = np.flatnonzero(disabled)
    start = onset[who]
    first_r, last_r = p["pip_reassessment_years"]
    reassess = ymd(rng.integers(first_r, last_r + 1, len(who)), rng.integers(1, 13, len(who)), 1)
    is_dla = start < PIP_START
    dla_end = np.where(is_dla, np.maximum(reassess, start + DAY), OPEN_END)
    awarded = rng.random(len(who)) < p["pip_award_rate"]
    dla = Frame(person=who[is_dla], start=start[is_dla], end=dla_end[is_dla],
                type=np.full(int(is_dla.sum()), "DLA"))
    pip_start = np.where(is_dla, reassess + DAY, start)
    get_pip = ~is_dla | awarded
    pip_start = pip_start[get_pip]
    pip = Frame(person=who[get_pip], start=pip_start,
                end=pip_end(ctx, ctx.rng("benefits.pip_reviews"), pip_start),
                type=np.full(int(get_pip.sum()), "PIP"))
    return Frame.concat([dla, pip])


MAX_REVIEWS = 9
"""Reviews drawn per PIP award: awards start from April 2013 and run at least a year between
reviews, so no award reaches a ninth review before the extract ends (April 2021)."""


def pip_end(ctx: BlockContext, rng: np.random.Generator, start: np.ndarray) -> np.ndarray:
    """When each PIP award (``start``) ends: awards are fixed-term, reviewed after a term drawn
    uniformly in ``benefits.pip_review_years``, renewed at a review or ended by disallowance
    (``benefits.pip_review_disallowed``) on the review day; an award still in payment when
    the extract ends (5 April 2021) is open (OPEN_END)."""
    p = ctx.params["benefits"]
    n = len(start)
    first, last = p["pip_review_years"]
    reviews = np.cumsum(rng.uniform(first, last, (n, MAX_REVIEWS)) * 365.25, axis=1)
    disallowed = rng.random((n, MAX_REVIEWS)) < p["pip_review_disallowed"]
    at = np.argmax(disallowed, axis=1)
    end = add_days(start, reviews[np.arange(n), at])
    return np.where(disallowed.any(axis=1) & (end <= EXTRACT_END), end, OPEN_END).astype(
        "datetime64[D]")


def _carers(ctx: BlockContext, rng: np.random.Generator, persons: Frame) -> Frame:
    n = len(persons)
    carer = persons["female"] & (rng.random(n) < ctx.params["benefits.carer_share"])
    who = np.flatnonzero(carer)
    start = add_days(persons["birth"][who], rng.uniform(25, 55, len(who)) * 365.25)
    end = add_days(start, rng.exponential(4 * 365, len(who)))
    return Frame(person=who, start=start, end=end, type=np.full(len(who), "ICA"))


def _in_work_uc(ctx: BlockContext, rng: np.random.Generator, spells: Frame, uc_date: np.ndarray,
                persons: Frame) -> Frame:
    """In-work UC for some low-paid spells once UC is available."""
    p = ctx.params["benefits"]
    if len(spells) == 0:
        return Frame(person=np.zeros(0, dtype=np.int64), start=np.zeros(0, "datetime64[D]"),
                     end=np.zeros(0, "datetime64[D]"), type=np.zeros(0, dtype="<U3"))
    low_paid = spells["log_rate"] < np.quantile(spells["log_rate"], 0.2)
    available = np.maximum(uc_date[persons["la"][spells["person"]]], IN_WORK_UC_FROM)
    in_window = (spells["end"] > available) & (spells["kind"] != 1)
    take = low_paid & in_window & (rng.random(len(spells)) < p["in_work_uc_share"])
    chosen = spells.take(take)
    start = np.maximum(chosen["start"], available[take]) + np.timedelta64(30, "D")
    end = np.minimum(chosen["end"], add_days(start, rng.exponential(400, len(chosen))))
    btype = np.where(rng.random(len(chosen)) < 0.7, "UAB", "UBD")
    keep = end > start
    return Frame(person=chosen["person"][keep], start=start[keep], end=end[keep],
                 type=btype[keep])
