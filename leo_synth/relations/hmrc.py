"""HMRC relations: employment spells, earnings per tax year, self assessment, CJRS, SEISS."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from leo_synth.engine.rng import STATIC_BLOCK, stream
from leo_synth.relations.common import edukeys_at, in_labour_data
from leo_synth.relations.registry import StaticContext, builder
from leo_synth.relations.values import Masked
from leo_synth.simulation.calendar import EXTRACT_END, tax_year_start, ymd
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.life import LifeCourse
from leo_synth.simulation.pools import SIC_SECTIONS
from leo_synth.simulation.stats import drawn_codes
from leo_synth.spec.model import Relation
from leo_synth.spec.years import tax_year_code

FIRST_EARNINGS_YEAR = 2003  # P14 earnings from 2003/04


@builder("hmrc.employment", provides=["edukey", "start_date", "end_date", "uncertain_start",
                                      "uncertain_end"])
def employment(life: LifeCourse, relation: Relation) -> Frame:
    """One row per employment spell (per EDUKEY) that started by the extract's end: the
    simulation runs on past it (students' part-time jobs in the 2020s, and second jobs), but
    HMRC holds no spell that has not begun (they ran to 2054 before, 4% of the rows)."""
    spells = life.labour.spells
    spells = spells.take(in_labour_data(life)[spells["person"]]
                         & (spells["start"] <= EXTRACT_END))
    return Frame(
        edukey=edukeys_at(life, spells["person"], spells["start"]),
        start_date=spells["start"], end_date=spells["end"],
        uncertain_start=spells["uncertain_start"].astype(np.int8),
        uncertain_end=spells["uncertain_end"].astype(np.int8),
    )


def _enterprise_keys(life: LifeCourse, enterprise: np.ndarray) -> np.ndarray:
    return life.ctx.keys.make("enterprise", enterprise).astype(str)


class MainBy(NamedTuple):
    """Per group: the value with most pay (its code), that pay, whether the runner-up earned as
    much (a tie), and the number of distinct values."""

    main: np.ndarray
    amount: np.ndarray
    tied: np.ndarray
    count: np.ndarray


def _main_by(group: np.ndarray, code: np.ndarray, amount: np.ndarray) -> MainBy:
    """Per group (ids 0 .. groups - 1, each present): the value code with most pay (ties: the
    lowest code, codes numbering the values in their sort order), its pay, a tie flag and the
    number of distinct codes."""
    codes = int(code.max()) + 1
    pair = group.astype(np.int64) * codes + code
    order = np.argsort(pair, kind="stable")
    pair = pair[order]
    first = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]])
    totals = np.add.reduceat(amount[order], first)  # pay per (group, code), by group and code
    pair_group, pair_code = pair[first] // codes, pair[first] % codes
    start = np.flatnonzero(np.r_[True, pair_group[1:] != pair_group[:-1]])  # group's first
    best = np.maximum.reduceat(totals, start)
    at_best = totals == best[pair_group]
    # The leader: the first (lowest) code with the most pay; a tie: another code with as much.
    leader = np.minimum.reduceat(np.where(at_best, np.arange(len(totals)), len(totals)), start)
    tied = np.add.reduceat(at_best.astype(np.int64), start) > 1
    return MainBy(pair_code[leader], best, tied, np.diff(np.r_[start, len(totals)]))


def _groups(*keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Group id of each row by the keys (ids in the keys' sort order) and each group's first
    row in that order."""
    order = np.lexsort(keys[::-1])
    change = np.zeros(len(order), dtype=bool)
    change[:1] = True
    for key in keys:
        change[1:] |= key[order][1:] != key[order][:-1]
    group = np.empty(len(order), dtype=np.int64)
    group[order] = np.cumsum(change) - 1
    return group, order[change]


REFUND_RANGE = (5.0, 1500.0)
"""Pounds refunded by one pay record of a person-year with a negative total (log-uniform):
an assumption; the VRF says only that such totals are set to 0."""
EARNINGS_ATTRIBUTES = (
    "edukey", "tax_year", "earnings", "main_enterprise", "enterprise_earnings",
    "tied_enterprise", "num_employments", "main_section", "section_earnings", "tied_section",
    "num_sections", "main_sic", "sic_earnings", "tied_sic", "num_sic",
    "main_enterprise_sic", "main_enterprise_section",
)


@builder("hmrc.earnings", provides=EARNINGS_ATTRIBUTES)
def earnings(life: LifeCourse, relation: Relation) -> Frame:
    """One row per EDUKEY and tax year with pay: totals and the main employer, section, SIC.

    Pay is recorded under the EDUKEY its employment spell is held under, so every earnings row
    has an employment spell of the same EDUKEY in that tax year, and a person whose spells sit
    under two EDUKEYs in one year has two rows for it (as resolving EDUKEYs shows in the real
    table).
    """
    pay = life.labour.pay
    pay = pay.take(in_labour_data(life)[pay["person"]] & (pay["tax_year"] >= FIRST_EARNINGS_YEAR))
    if len(pay) == 0:
        return Frame({name: np.zeros(0) for name in EARNINGS_ATTRIBUTES})
    slot = life.linkage.edukey_slot(pay["person"], pay["spell_start"])
    slot = np.minimum(slot, life.linkage.edukey_count[pay["person"]] - 1)
    amount = np.rint(pay["amount"]).astype(np.int64)
    group, head = _groups(pay["person"], slot, pay["tax_year"])
    # A small share of person-years net to a negative total (refunds of deductions beyond
    # the year's pay): each of their pay records is a refund, so the main enterprise's,
    # section's and SIC's earnings are negative where the total is set to 0, as in the VRF.
    zero = life.ctx.rng("earnings_zero").random(len(head)) < life.ctx.params["earnings.zero_share"]
    refund = np.exp(life.ctx.rng("earnings_refund").uniform(*np.log(REFUND_RANGE), len(amount)))
    amount = np.where(zero[group], -np.rint(refund).astype(np.int64), amount)
    total = np.zeros(len(head), dtype=np.int64)
    np.add.at(total, group, amount)
    # The block's employers in the order of their keys (text: the order ties are broken in),
    # each pay row's employer numbered in that order, and the employers' sections and SICs.
    present, code = np.unique(pay["enterprise"], return_inverse=True)
    keys = _enterprise_keys(life, present)
    by_key = np.argsort(keys, kind="stable")
    employer, keys = present[by_key], keys[by_key]
    code = np.argsort(by_key)[code]
    ent = life.ctx.pools.enterprises
    section = np.array([s[1] for s in SIC_SECTIONS])[ent["section"][employer]]
    sic = ent["sic"][employer]
    main = _main_by(group, code, amount)
    person = pay["person"][head]
    out = {
        "edukey": life.ctx.keys.make("edukey", life.persons["pid"][person], slot[head]),
        "tax_year": tax_year_code(pay["tax_year"][head]),
        "earnings": np.maximum(total, 0),  # (negative totals set to 0)
        "main_enterprise": keys[main.main], "enterprise_earnings": main.amount,
        "tied_enterprise": main.tied.astype(np.int8), "num_employments": main.count,
        "main_enterprise_sic": sic[main.main], "main_enterprise_section": section[main.main],
    }
    for name, count, values in (("section", "num_sections", section),
                                ("sic", "num_sic", sic)):
        labels, value_code = np.unique(values, return_inverse=True)
        by = _main_by(group, value_code[code], amount)
        out.update({f"main_{name}": labels[by.main], f"{name}_earnings": by.amount,
                    f"tied_{name}": by.tied.astype(np.int8), count: by.count})
    return Frame(out)


@builder("hmrc.self_assessment", provides=["edukey", "tax_year", "self_employed",
                                           "earnings_ptr", "earnings_sole", "earnings_total"])
def self_assessment(life: LifeCourse, relation: Relation) -> Frame:
    """One row per self-employed person and tax year (2013/14 on)."""
    sa = life.labour.self_employment
    sa = sa.take(in_labour_data(life)[sa["person"]])
    return Frame(
        edukey=edukeys_at(life, sa["person"], tax_year_start(sa["tax_year"])),
        tax_year=tax_year_code(sa["tax_year"]),
        self_employed=np.ones(len(sa), dtype=np.int64),
        earnings_ptr=Masked(sa["partnership"], ~sa["has_partnership"]),
        earnings_sole=Masked(sa["sole"], ~sa["has_sole"]),
        earnings_total=sa["sole"] + sa["partnership"],
    )


def _month_string(months: np.ndarray) -> np.ndarray:
    """12-character '0'/'1' strings, one character per month of the tax year."""
    chars = np.where(months, ord("1"), ord("0")).astype(np.uint8)
    return np.ascontiguousarray(chars).view("S12").ravel()


@builder("hmrc.cjrs", provides=["edukey", "tax_year", "eom", "dtm", "weeks_capped", "weeks"])
def cjrs(life: LifeCourse, relation: Relation) -> Frame:
    """Furlough (CJRS), one row per furloughed person and tax year: 2019/20 for a furlough
    from March 2020 (its last month flagged), 2020/21 for one in that year."""
    cj = life.labour.cjrs
    cj = cj.take(in_labour_data(life)[cj["person"]])
    march = cj.take(cj["march"])
    in_march = np.zeros((len(march), 12), dtype=bool)
    in_march[:, -1] = True
    person = np.concatenate([march["person"], cj["person"]])
    year = np.repeat([2019, 2020], [len(march), len(cj)])
    weeks = np.concatenate([np.full(len(march), MARCH_WEEKS), cj["weeks"]])
    order = np.lexsort((year, person))
    person, year, weeks = person[order], year[order], weeks[order]
    dtm = _month_string(np.concatenate([in_march, cj["months"]]))[order]
    eom = _month_string(np.concatenate([in_march, cj["month_ends"]]))[order]
    return Frame(
        edukey=edukeys_at(life, person, tax_year_start(year)),
        tax_year=tax_year_code(year), eom=eom, dtm=dtm,
        weeks_capped=(weeks > life.ctx.params["cjrs.weeks_capped_above"]).astype(np.int64),
        weeks=np.minimum(weeks, 52),
    )


MARCH_WEEKS = 1
"""CJRS_TOT_WKS of a 2019/20 record: furloughed from the lockdown of 23 March 2020."""


@builder("hmrc.seiss", provides=["edukey", "tax_year", "weeks", "amount", "eom", "dtm"])
def seiss(life: LifeCourse, relation: Relation) -> Frame:
    """SEISS grants in 2020/21, one row per person who claimed."""
    se = life.labour.seiss
    se = se.take(in_labour_data(life)[se["person"]])
    months = _month_string(se["months"])
    return Frame(
        edukey=edukeys_at(life, se["person"], tax_year_start(np.full(len(se), 2020))),
        tax_year=np.full(len(se), 202021), weeks=se["weeks"], amount=se["amount"],
        eom=months, dtm=months,
    )


@builder("hmrc.idbr", static=True, provides=[
    "entkey", "sic2007", "region", "legal_status", "employees", "birth_month", "death_month",
    "section_name", "source_year",
])
def idbr(ctx: StaticContext, relation: Relation) -> Frame:
    """One row per enterprise and IDBR source year (2019: January 2018 ingest; 2020)."""
    ent = ctx.pools.enterprises
    n = len(ent)
    death = ent["death"]  # (drawn with the pool: no one is paid by a closed enterprise)
    status = legal_status(ctx, ent)
    frames = []
    for source_year in (2019, 2020):
        dead = death < ymd(source_year - 1, 1, 1)  # (NaT, never closing, compares False)
        frames.append(Frame(
            entkey=ctx.keys.make("enterprise", np.arange(n)).astype(str), sic2007=ent["sic"],
            region=ctx.pools.regions["code"][ent["region"]],
            legal_status=status,
            employees=ent["employees_band"],
            birth_month=ent["birth"],
            death_month=Masked(death, ~dead),
            section_name=np.array([s[1] for s in SIC_SECTIONS])[ent["section"]],
            source_year=np.full(n, str(source_year)),
        ))
    return Frame.concat(frames)


SMALL_BANDS = 2
"""Employees bands up to this one (fewer than 20) draw from ``legal_status_small``."""
PUBLIC_BAND = 6
"""From this Employees band (250 or more), health and education employers are public."""
CENTRAL_GOVERNMENT, LOCAL_AUTHORITY = "5", "6"


def legal_status(ctx: StaticContext, ent: Frame) -> np.ndarray:
    """Each enterprise's IDBR legal status, one for both source years: by size from the
    published shares, public administration central or local government, and the largest
    health and education employers public (``pools`` in config/parameters.yaml). Its own
    stream (``idbr.legal_status``)."""
    p = ctx.params["pools"]
    rng = stream(ctx.seed, "idbr.legal_status", STATIC_BLOCK)
    n = len(ent)
    small = ent["employees_band"] <= SMALL_BANDS
    status = np.where(small, drawn_codes(rng, p["legal_status_small"], n),
                      drawn_codes(rng, p["legal_status_large"], n))
    letter = np.array([s[0] for s in SIC_SECTIONS])[ent["section"]]
    central = rng.random(n) < p["central_government_share"]
    status = np.where(letter == "O", np.where(central, CENTRAL_GOVERNMENT, LOCAL_AUTHORITY),
                      status)
    large = ent["employees_band"] >= PUBLIC_BAND
    status = np.where(large & (letter == "Q"), CENTRAL_GOVERNMENT, status)
    return np.where(large & (letter == "P"), LOCAL_AUTHORITY, status)
