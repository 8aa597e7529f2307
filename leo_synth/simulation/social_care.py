"""Children in need and children looked after, as the DfE collections record them.

A child is referred to children's social care with a yearly hazard that rises with
disadvantage (and in the first year of life) and with the child's own term (the family's
circumstances, which go with lower attainment: children in need do far worse at school); an
episode of need runs from the referral to its closure, a few days later for a referral with no
further action, weeks after an assessment, or months to years for a child who is supported
(disabled children's episodes last longest). Some episodes hold a child protection plan and some
a period of care: a looked-after child is a child in need, so the episode stays open while the
child is in care. A child's episodes do not overlap and none runs past the 18th birthday. The
relations (leo_synth/relations/social_care.py) show an episode in every census year it is open
in, as the CIN census and the SSDA903 return do. Parameters: ``social_care`` in
config/parameters.yaml. Runs on demand (own streams).
"""

from __future__ import annotations

import numpy as np

from leo_synth.simulation.calendar import (
    DAY,
    EXTRACT_END,
    add_days,
    age_on,
    day_of,
    month_of,
    year_of,
    ymd,
)
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.per_block import per_block
from leo_synth.simulation.population import KIND_SCHOOL
from leo_synth.simulation.stats import categorical, logistic, rank_within

CIN_FIRST, CLA_FIRST, LAST = 2008, 2005, 2020
HISTORY_FIRST = 1986
"""First census year simulated: the first cohorts' childhood, so that the episodes and periods
open when the CLA (2005/06) and CIN (2008/09) collections start are all there."""
DISABLED_NEED = 1.5
"""The latent need above which a child is disabled (CIN_Disability)."""
ROUTES = ("adopted", "guardianship", "home", "until_adult", "other")
E4_SPLIT_FROM = 2014
"""Census year from which a return home is E4A/E4B (E4 up to processing year 2014)."""
NEW_REASONS_FROM = 2016
"""Census year from which E13-E16 are recorded (an assumption; E8 or E4/E4A before)."""
ADOPTED = ("E11", "E12")
REMAND = ("E9", "E14")
_BIG = np.int64(10**7)  # more days than any date holds: separates persons in a running maximum


def census_year_of(dates: np.ndarray) -> np.ndarray:
    """The census year (1 April to 31 March, by its start year) of each date."""
    return year_of(dates) - (month_of(dates) < 4)


def birthday(birth: np.ndarray, age: int) -> np.ndarray:
    """The date of each ``age``-th birthday."""
    return ymd(year_of(birth) + age, month_of(birth), day_of(birth))


def eighteenth_birthday(birth: np.ndarray) -> np.ndarray:
    return birthday(birth, 18)


def expand_years(start: np.ndarray, end: np.ndarray, first: int,
                 last: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, census year) for every census year from ``first`` to ``last`` in which the span
    from ``start`` to ``end`` (NaT: still open) is open on some day."""
    open_end = np.where(np.isnat(end), np.datetime64("9999-12-31"), end)
    y0 = np.maximum(census_year_of(start), first)
    y1 = np.minimum(census_year_of(open_end), last)
    count = np.maximum(y1 - y0 + 1, 0)
    row = np.repeat(np.arange(len(start)), count)
    return row, y0[row] + rank_within(row)


def _band(table: dict, age: np.ndarray) -> np.ndarray:
    """Index of each age's band in a table keyed by the bands' first ages."""
    return np.searchsorted(np.array(sorted(table)), age, side="right") - 1


def _codes(rng: np.random.Generator, shares: dict, n: int,
           scale: np.ndarray | None = None) -> np.ndarray:
    """``n`` codes drawn with their shares, each row's shares times ``scale``'s row if given."""
    codes = np.array(list(shares))
    weights = np.array(list(shares.values()), dtype=float)
    probs = weights if scale is None else weights * scale
    return codes[categorical(rng, probs, n)]


def _lognormal_days(rng: np.random.Generator, spec: dict, n: int) -> np.ndarray:
    return rng.lognormal(np.log(spec["median"]), spec["sigma"], n)


def _frailty(rng: np.random.Generator, ability: np.ndarray, correlation: float) -> np.ndarray:
    """Each person's own term in the referral hazard, standard normal and correlated
    ``correlation`` with the person's latent ability. Drawn given ability, so that ability and
    everything it drives (every assessment, from the EYFSP to GCSEs, and what follows them) is
    the same whatever the correlation."""
    return (correlation * ability
            + np.sqrt(1 - correlation**2) * rng.standard_normal(len(ability)))


def _referrals(life) -> Frame:
    """One potential referral per school person and census year of childhood, kept with the
    referral hazard: person, referral date, age at referral, disabled."""
    persons, p = life.persons, life.ctx.params["social_care"]
    who = np.flatnonzero(persons["kind"] == KIND_SCHOOL)
    years = np.arange(HISTORY_FIRST, LAST + 1)
    person = np.repeat(who, len(years))
    year = np.tile(years, len(who))
    rng = life.ctx.rng("cin.referral")
    n = len(person)
    referral = ymd(year, 4, 1) + rng.integers(0, 365, n).astype("timedelta64[D]")
    birth = persons["birth"][person]
    inside = (referral >= birth) & (referral < eighteenth_birthday(birth))
    age = np.clip(age_on(birth, referral), 0, 17)
    b = p["referral_logit"]
    need = persons["need"][person]
    # A family's circumstances persist: a child's own term, drawn once, makes referrals
    # recur for the same children, so that about 1 in 10 are in need over six years (DfE)
    # while a year's referrals stay 5.5% of children. Rejected: yearly draws alone, which
    # put three in ten children in need over six years. The same circumstances hold back the
    # child's schooling: the term goes with lower latent ability (`frailty_ability`), so that
    # children in need average about 20 Attainment 8 points below other pupils, as DfE's
    # outcomes of children in need find (disadvantage and need alone left 10). Drawn given
    # ability, so every attainment target stays as it was; the term lowering attainment
    # directly would add to every assessment's spread.
    term = _frailty(life.ctx.rng("cin.frailty"), persons["ability"],
                    p["frailty_ability"])[person]
    # The family's part of the hazard: the circumstances that bring a child to social care.
    family = b["disadvantage"] * persons["disadvantage"][person] + b["frailty"] * term
    hazard = logistic(b["intercept"] + np.asarray(p["referral_age_logit"])[age]
                      + b["need"] * need + family)
    keep = inside & (rng.random(n) < hazard)
    return Frame(person=person[keep], referral=referral[keep], age=age[keep],
                 disabled=need[keep] > DISABLED_NEED,
                 adult=eighteenth_birthday(birth[keep]), family=family[keep])


def _needs(life, ref: Frame) -> np.ndarray:
    """Primary need at referral; disabled children far more often N2."""
    p = life.ctx.params["social_care"]
    shares = p["primary_need"]
    scale = np.ones((len(ref), len(shares)))
    scale[ref["disabled"], list(shares).index("N2")] = p["disabled_n2_factor"]
    return _codes(life.ctx.rng("cin.need"), shares, len(ref), scale)


def _referral_sources(life, ref: Frame) -> np.ndarray:
    """Referral source: schools and school nurses for children of school age, health visitors
    for the under-5s, the other sources at any age."""
    shares = life.ctx.params["social_care.referral_source"]
    codes = list(shares)
    scale = np.ones((len(ref), len(codes)))
    under_5 = ref["age"] < 5
    for code in ("2A", "2B", "3C"):
        scale[under_5, codes.index(code)] = 0.0
    scale[~under_5, codes.index("3B")] = 0.0
    return _codes(life.ctx.rng("cin.referral_source"), shares, len(ref), scale)


def _care(life, ref: Frame, eligible: np.ndarray) -> dict[str, np.ndarray]:
    """Periods of care started within episodes: whether, start, route, planned end."""
    p = life.ctx.params["social_care"]
    rng = life.ctx.rng("cin.care")
    m = len(ref)
    share = np.array([p["care_share_by_age"][k] for k in sorted(p["care_share_by_age"])])
    # The circumstances that bring a child to social care (the family's part of the referral
    # hazard) also lead to care: looked-after children do worse at school than other children
    # in need (DfE: Attainment 8 about 19 against 22). The odds of care move with that part
    # around its typical value among referrals (`care_family`), so the shares by age hold on
    # average. Rejected: care by age alone, which left looked-after pupils level with other
    # children in need; the child's own term alone, which among referred children picks the
    # less disadvantaged (the two are what got them referred) and left the gap at 1-2 points.
    slope, centre = p["care_family"]["slope"], p["care_family"]["centre"]
    base = share[_band(p["care_share_by_age"], ref["age"])]
    chance = logistic(np.log(base / (1 - base)) + slope * (ref["family"] - centre))
    care = eligible & (rng.random(m) < chance)
    start = add_days(ref["referral"], rng.exponential(p["care_start_days"], m))
    routes = p["care_routes"]
    table = np.array([[routes[k][r] for r in ROUTES] for k in sorted(routes)], dtype=float)
    route = categorical(rng, table[_band(routes, ref["age"])])
    days = np.zeros(m)
    for i, name in enumerate(ROUTES):
        if name != "until_adult":
            days = np.where(route == i, _lognormal_days(rng, p["care_days"][name], m), days)
    early = rng.random(m) < p["early_leaving_share"]
    # Looked after until 18, or until leaving for independent living in the two years before.
    until_adult = add_days(ref["adult"], -(early * rng.integers(0, 730, m)))
    end = np.where(route == ROUTES.index("until_adult"), until_adult, add_days(start, days))
    end = np.maximum(np.minimum(end, ref["adult"]), start + DAY)
    return {"care": care & (start < ref["adult"]), "care_start": start, "care_end": end,
            "route": route, "early": early & (end < ref["adult"])}


def _thin(person: np.ndarray, referral: np.ndarray, closure: np.ndarray) -> np.ndarray:
    """Referrals kept: those after every earlier episode of the child has closed (a child has
    one open episode at a time; rows sorted by person, then referral)."""
    rank = np.cumsum(np.concatenate([[0], person[1:] != person[:-1]])).astype(np.int64)
    end = closure.astype("datetime64[D]").astype(np.int64) + rank * _BIG
    running = np.maximum.accumulate(end) - rank * _BIG
    before = np.concatenate([[np.iinfo(np.int64).min], running[:-1]])
    first = np.concatenate([[True], person[1:] != person[:-1]])
    return first | (referral.astype("datetime64[D]").astype(np.int64) > before)


@per_block
def _simulate(life) -> tuple[Frame, Frame]:
    """Episodes of need (one row each) and the periods of care they hold."""
    p = life.ctx.params["social_care"]
    ref = _referrals(life)
    m = len(ref)
    need = _needs(life, ref)
    rng = life.ctx.rng("cin.episode")
    u = rng.random(m)
    nfa = u < p["nfa_share"]
    assessed = ~nfa & (u < p["nfa_share"] + p["assessed_closed_share"] * (1 - p["nfa_share"]))
    care = _care(life, ref, ~nfa)
    assessed &= ~care["care"]  # a child taken into care was not closed after assessment
    support = ~nfa & ~assessed
    long_days = np.where(need == "N2", _lognormal_days(rng, p["disability_days"], m),
                         _lognormal_days(rng, p["support_days"], m))
    days = np.select([nfa, assessed], [rng.integers(0, 8, m), rng.integers(15, 61, m)],
                     long_days)
    closure = add_days(ref["referral"], days)
    # Child protection plans, from an initial conference weeks after the referral.
    plans = life.ctx.rng("cin.plan")
    lo, hi = p["conference_days"]
    plan_start = add_days(ref["referral"], plans.integers(lo, hi + 1, m))
    plan_end = add_days(plan_start, _lognormal_days(plans, p["plan_days"], m) + 1)
    # A plan protects a child from abuse or neglect (primary need N1).
    plan = support & (need == "N1") & (plans.random(m) < p["plan_share"]) & (
        plan_start < ref["adult"])
    # The episode stays open through its plan and its period of care, and closes by 18.
    closure = np.where(plan, np.maximum(closure, add_days(plan_end, plans.exponential(60, m))),
                       closure)
    closure = np.where(care["care"], np.maximum(closure, add_days(
        care["care_end"], rng.integers(0, 60, m))), closure)
    closure = np.minimum(closure, ref["adult"])
    plan_end = np.maximum(np.minimum(plan_end, closure), plan_start + DAY)
    keep = _thin(ref["person"], ref["referral"], closure)
    episodes = Frame(person=ref["person"], referral=ref["referral"], closure=closure,
                     age=ref["age"], need=need, nfa=nfa, plan=plan, plan_start=plan_start,
                     plan_end=plan_end, disabled=ref["disabled"], adult=ref["adult"],
                     source=_referral_sources(life, ref), reason=_closure_reasons(
                         life, ref, need, nfa | assessed, closure, care), **care).take(keep)
    episodes = _plan_history(life, episodes)
    periods = _periods(life, episodes.take(episodes["care"]))
    for name in ("closure", "plan_end"):
        episodes[name] = _open_after_extract(episodes[name])
    return episodes, periods


def _open_after_extract(dates: np.ndarray) -> np.ndarray:
    """NaT for dates after the extract's end: still open then."""
    return np.where(dates > EXTRACT_END, np.datetime64("NaT"), dates)


def _closure_reasons(life, ref: Frame, need: np.ndarray, no_action: np.ndarray,
                     closure: np.ndarray, care: dict[str, np.ndarray]) -> np.ndarray:
    """Why the episode closed: RC8 after no further action, RC6 (disabled) or RC7 at 18, RC1
    after an adoption and RC3/RC4 after an order from care, else drawn."""
    p = life.ctx.params["social_care"]
    reason = _codes(life.ctx.rng("cin.closure_reason"), p["reason_for_closure"], len(ref))
    at_18 = closure >= ref["adult"]
    route = np.where(care["care"], care["route"], -1)
    return np.select(
        [no_action, at_18 & (ref["disabled"] | (need == "N2")), at_18,
         route == ROUTES.index("adopted"), route == ROUTES.index("guardianship")],
        ["RC8", "RC6", "RC7", "RC1", "RC4"], reason)


def _plan_history(life, episodes: Frame) -> Frame:
    """Plans' categories of abuse (initial and latest) and the child's earlier plans."""
    p = life.ctx.params["social_care"]
    rng = life.ctx.rng("cin.abuse")
    n = len(episodes)
    initial = _codes(rng, p["category_of_abuse"], n)
    changed = rng.random(n) < p["category_change_share"]
    episodes["abuse_initial"] = initial
    episodes["abuse_latest"] = np.where(changed, _codes(rng, p["category_of_abuse"], n), initial)
    previous = np.zeros(n, dtype=np.int64)
    with_plan = np.flatnonzero(episodes["plan"])
    previous[with_plan] = rank_within(episodes["person"][with_plan])
    episodes["previous_plans"] = previous
    return episodes


def _periods(life, episodes: Frame) -> Frame:
    """One row per period of care: person, start, end (NaT while open), planned end, route,
    reason ceased, legal status timing, need and the placement draws."""
    p = life.ctx.params["social_care"]
    rng = life.ctx.rng("cla.period")
    n = len(episodes)
    start, end, route = episodes["care_start"], episodes["care_end"], episodes["route"]
    reason = np.empty(n, dtype=object)
    for i, name in enumerate(ROUTES):
        reason = np.where(route == i, _codes(rng, p["reasons_ceased"][name], n), reason)
    reason = np.where(episodes["early"], _codes(rng, p["reasons_ceased"]["until_adult_early"],
                                                n), reason)
    year = census_year_of(end)
    new = np.isin(reason, ("E13", "E14", "E15", "E16")) & (year < NEW_REASONS_FROM)
    reason = np.where(new, np.where(reason == "E13", "E4A", "E8"), reason)
    reason = np.where(np.isin(reason, ("E4A", "E4B")) & (year < E4_SPLIT_FROM), "E4", reason)
    age = age_on(life.persons["birth"][episodes["person"]], start)
    share = np.array([p["voluntary_share"][r] for r in ROUTES])[route]
    voluntary = rng.random(n) < np.where(age >= 16, p["voluntary_from_16"], share)
    lo, hi = p["interim_days"]
    po_lo, po_hi = p["placement_order_days"]
    need = np.where(np.isin(episodes["need"], ("N0", "N9")), "N1", episodes["need"])
    return Frame(person=episodes["person"], start=start, end=_open_after_extract(end),
                 planned_end=end, route=route, reason_ceased=reason.astype(str),
                 voluntary=voluntary & ~np.isin(reason, REMAND),
                 remand=np.isin(reason, REMAND), interim_days=rng.integers(lo, hi + 1, n),
                 placement_order_days=rng.integers(po_lo, po_hi + 1, n), need=need,
                 placement_u=rng.random(n), foster_u=rng.random(n), age=age)


def children_in_need(life) -> Frame:
    """One row per CIN episode: person, referral and closure (NaT while open) dates, age at
    referral, need, source, closure reason, plan, care."""
    return _simulate(life)[0]


def looked_after(life) -> Frame:
    """One row per period of care: person, start, end (NaT while open), route, reason ceased."""
    return _simulate(life)[1]


CARE_LEAVER_DAYS = 91
"""Days in care after the 14th birthday that make a care leaver, if the care lasted to the 16th
birthday or beyond (the Children (Leaving Care) Act's eligible child: 13 weeks since 14, in
care at 16; UCAS and HESA ask students about care of three months or more)."""


def care_leavers(life) -> np.ndarray:
    """Per person of the block: True for a care leaver, looked after for
    :data:`CARE_LEAVER_DAYS` or more after the 14th birthday in a period of care that lasted
    to the 16th birthday or beyond."""
    periods = looked_after(life)
    birth = life.persons["birth"][periods["person"]]
    fourteen, sixteen = birthday(birth, 14), birthday(birth, 16)
    end = np.where(np.isnat(periods["end"]), np.datetime64("9999-12-31"), periods["end"])
    since_fourteen = (end - np.maximum(periods["start"], fourteen)) // DAY
    leaver = (end >= sixteen) & (since_fourteen >= CARE_LEAVER_DAYS)
    out = np.zeros(len(life.persons), dtype=bool)
    out[periods["person"][leaver]] = True
    return out


def legal_status_at(periods: Frame, dates: np.ndarray) -> tuple[np.ndarray, np.ndarray,
                                                                   np.ndarray]:
    """Legal status of each period's episode on each date, with the episode's start and index
    in its period: V2 (section 20) or J1 (remand) throughout, else an interim care order (C1)
    then a full care order (C2), and a placement order (E1) before an adoption."""
    start = periods["start"]
    since = (dates - start) // DAY
    order_start = start + periods["interim_days"].astype("timedelta64[D]")
    full = ~periods["voluntary"] & ~periods["remand"] & (since >= periods["interim_days"])
    po_start = np.maximum(periods["planned_end"] - periods["placement_order_days"].astype(
        "timedelta64[D]"), start)
    placement_order = (periods["route"] == ROUTES.index("adopted")) & (dates >= po_start)
    status = np.select([placement_order, periods["remand"], periods["voluntary"], full],
                       ["E1", "J1", "V2", "C2"], "C1")
    episode_start = np.select([placement_order, full], [po_start, order_start], start)
    index = 1 + full.astype(np.int64) + placement_order
    return status, episode_start, index


def care_in_year(periods: Frame, person: np.ndarray, year: np.ndarray) -> dict[str, np.ndarray]:
    """The care history of (person, academic year) rows as the KS4 tables record it, for the
    year ending 31 March: looked after for a day or more (``cla_pp_1_day``), continuously for 6
    months (``cla_pp_6_months``), continuously since 1 October and since 1 April
    (``cla_6_months``, ``cla_12_months``, both NULL-coded -1 when not in care on 31 March) and
    ever adopted from care by then (``adopted``)."""
    n = len(person)
    order = np.argsort(person, kind="stable")
    lo = np.searchsorted(person[order], periods["person"], side="left")
    hi = np.searchsorted(person[order], periods["person"], side="right")
    counts = hi - lo
    # One pair per period and row of the same person (persons have one or two KS4 rows).
    pair_period = np.repeat(np.arange(len(periods)), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    pair_row = order[np.repeat(lo, counts) + offsets]
    start = periods["start"][pair_period]
    end = periods["end"][pair_period]
    end_or_open = np.where(np.isnat(end), np.datetime64("9999-12-31"), end)
    y = year[pair_row]
    march = ymd(y + 1, 3, 31)
    april = ymd(y, 4, 1)
    inside = np.maximum(np.minimum(end_or_open, march) - np.maximum(start, april),
                        np.timedelta64(-1, "D")) // DAY + 1
    # Looked after on 31 March: in care that day and not leaving care on it.
    in_care_march = (start <= march) & (end_or_open > march)
    adopted = np.isin(periods["reason_ceased"][pair_period], ADOPTED) & ~np.isnat(end) & (
        end <= march)

    def per_row(values: np.ndarray) -> np.ndarray:
        out = np.zeros(n, dtype=bool)
        np.logical_or.at(out, pair_row, values)
        return out

    march_rows = per_row(in_care_march)
    return {
        "cla_pp_1_day": per_row(inside >= 1),
        "cla_pp_6_months": per_row(inside >= 182),
        "cla_6_months": np.where(march_rows, per_row(in_care_march & (start <= ymd(y, 10, 1))),
                                 -1),
        "cla_12_months": np.where(march_rows, per_row(in_care_march & (start <= april)), -1),
        "adopted": per_row(adopted),
    }
