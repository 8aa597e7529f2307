"""Children in need and children looked after, for the small shares who have them.

Episodes start with a yearly hazard that rises steeply with disadvantage; some lead to child
protection plans or periods of care. About 3% of children are in need at 31 March and under 1%
are looked after, as in DfE's statistics. Runs on demand (own streams).
"""

from __future__ import annotations

import numpy as np

from leo_synth.simulation.calendar import DAY, EXTRACT_END, add_days, ymd
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.per_block import per_block
from leo_synth.simulation.population import KIND_SCHOOL
from leo_synth.simulation.stats import logistic

CIN_FIRST, CLA_FIRST, LAST = 2008, 2005, 2020


def _child_years(life, first: int) -> Frame:
    """(person, academic year) for school persons aged 0-17 in the collection years."""
    persons = life.persons
    who = np.flatnonzero(persons["kind"] == KIND_SCHOOL)
    years = np.arange(first, LAST + 1)
    person = np.repeat(who, len(years))
    year = np.tile(years, len(who))
    age = year - persons["cohort"][person]
    keep = (age >= 0) & (age <= 17)
    return Frame(person=person[keep], year=year[keep], age=age[keep])


@per_block
def children_in_need(life) -> Frame:
    """One row per CIN episode: person, year, referral and closure dates, plan, need code."""
    rows = _child_years(life, CIN_FIRST)
    rng = life.ctx.rng("cin")
    n = len(rows)
    disadvantage = life.persons["disadvantage"][rows["person"]]
    hazard = logistic(-4.4 + 1.05 * disadvantage + 0.3 * life.persons["need"][rows["person"]])
    start = rng.random(n) < hazard
    ep = rows.take(start)
    m = len(ep)
    # Referred within the CIN census year of the row, 1 April to 31 March.
    referral = ymd(ep["year"], 4, 1) + rng.integers(0, 365, m).astype("timedelta64[D]")
    length = rng.exponential(220, m) + 20
    closure = add_days(referral, length)
    open_at_end = closure > EXTRACT_END
    needs = np.array(["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9"])
    weights = np.array([52, 4, 3, 17, 15, 3, 1, 1, 4], dtype=float)
    need = needs[np.searchsorted(np.cumsum(weights) / weights.sum(), rng.random(m))]
    plan = rng.random(m) < 0.12
    # the plan starts within the episode (a short one closes before the usual 20-90 days)
    plan_start = np.minimum(add_days(referral, rng.integers(20, 90, m)), closure)
    plan_end = np.minimum(add_days(plan_start, rng.exponential(300, m) + 30), closure)
    return Frame(person=ep["person"], year=ep["year"], age=ep["age"], referral=referral,
                 closure=np.where(open_at_end, np.datetime64("NaT"), closure), need=need,
                 plan=plan, plan_start=plan_start, plan_end=np.maximum(plan_end, plan_start + DAY))


@per_block
def looked_after(life) -> Frame:
    """One row per period of care: person, start, end (NaT while open), legal status."""
    rows = _child_years(life, CLA_FIRST)
    rng = life.ctx.rng("cla")
    disadvantage = life.persons["disadvantage"][rows["person"]]
    hazard = logistic(-6.6 + 1.2 * disadvantage)
    ep = rows.take(rng.random(len(rows)) < hazard)
    m = len(ep)
    start = ymd(ep["year"], 9, 1) + rng.integers(0, 365, m).astype("timedelta64[D]")
    end = add_days(start, rng.exponential(500, m) + 7)
    open_at_end = end > EXTRACT_END
    legal = np.array(["C1", "C2", "V2", "E1", "J2", "L1"])
    weights = np.array([28, 45, 17, 3, 1, 6], dtype=float)
    status = legal[np.searchsorted(np.cumsum(weights) / weights.sum(), rng.random(m))]
    placement = np.array(["U1", "U3", "U4", "U5", "R1", "K2", "P1"])[rng.integers(0, 7, m)]
    # Why a period ended: about one in eight children leaving care is adopted (E11/E12, DfE
    # "Children looked after in England" 2019); the others are recorded as returning home.
    reason = REASONS_CEASED[np.searchsorted(np.cumsum(REASON_WEIGHTS) / REASON_WEIGHTS.sum(),
                                            rng.random(m), side="right")]
    return Frame(person=ep["person"], year=ep["year"], age=ep["age"], start=start,
                 end=np.where(open_at_end, np.datetime64("NaT"), end), legal_status=status,
                 placement=placement, reason_ceased=reason)


REASONS_CEASED = np.array(["E11", "E12", "E13"])
REASON_WEIGHTS = np.array([10.0, 3.0, 87.0])
ADOPTED = ("E11", "E12")


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
    in_care_march = (start <= march) & (end_or_open >= march)
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
