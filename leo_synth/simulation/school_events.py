"""Attendance, exclusions and alternative provision, per pupil and year.

Absence rates and exclusion risks rise with disadvantage, SEN, age and (for exclusions) being a
boy, as DfE's statistics show; pupils excluded permanently leave their school's roll and are
placed in pupil referral units or alternative provision. Runs on demand from the relation
builders (own streams), but for the moves after a permanent exclusion, which the block's
schooling takes in before anything reads its schools
(:func:`moves_after_permanent_exclusion`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from leo_synth.simulation.calendar import ymd
from leo_synth.simulation.context import BlockContext
from leo_synth.simulation.enrolments import (
    NEVER,
    TERM_SESSIONS,
    neighbour_schools,
    year_enrolments,
)
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.other_school import another_school
from leo_synth.simulation.per_block import per_block
from leo_synth.simulation.series import interpolate
from leo_synth.simulation.stats import logistic, logit

if TYPE_CHECKING:
    from leo_synth.simulation.schooling import Schooling

TERMS = ("Autumn", "Spring", "Summer")


def _pupil_years(life, first: int, last: int, min_nc: int = 1, max_nc: int = 11) -> Frame:
    return life.schooling.pupil_years.take(_in_years(life, first, last, min_nc, max_nc))


def _in_years(life, first: int, last: int, min_nc: int = 1, max_nc: int = 11) -> np.ndarray:
    """Which pupil-years are in academic years ``first`` .. ``last`` and NC years ``min_nc``
    .. ``max_nc``."""
    py = life.schooling.pupil_years
    return ((py["year"] >= first) & (py["year"] <= last) & (py["ncyear"] >= min_nc)
            & (py["ncyear"] <= max_nc))


ABSENCE_MODEL_RATE = 6.4
"""The overall absence rate (% of sessions) the absence score gives with no year shift, over a
run's pupils: each year's shift moves it to that year's published rate
(``absence.overall_rate``) on the logit scale, which for rates this small scales them."""
UNAUTHORISED_FSM = 0.5
"""Logit step of the unauthorised share of a pupil's absence for FSM eligibility."""


@per_block
def absence(life) -> Frame:
    """Sessions possible and absent (authorised, unauthorised) per term, per pupil-year.

    Each year's overall rate and unauthorised rate are DfE's (``absence.overall_rate``,
    ``absence.unauthorised_rate``); within a year absence rises with disadvantage, SEN and
    age (secondary pupils miss about 40% more sessions than primary pupils), and about a
    tenth of pupils are persistently absent (10% of sessions or more). One row per enrolment
    (:func:`~leo_synth.simulation.enrolments.year_enrolments`): a term's sessions possible are
    those of the days on roll (a late arrival's from the day of joining, a mover's at each
    school), and an enrolment's columns ``entry_date``, ``leave``, ``census``,
    ``sixth_share`` and ``main`` come with it."""
    enrol = year_enrolments(life)
    py = life.schooling.pupil_years
    keep = _in_years(life, 2005, 2020) & (py["year"] != 2019)  # 2019/20 absence is not shared
    enrol = enrol.take(keep[enrol["pupil_year"]])
    rows = py.take(enrol["pupil_year"])
    on_roll = enrol["on_roll"]
    rng = life.ctx.rng("absence")
    params = life.ctx.params
    n = len(rows)
    persons = life.persons
    overall = interpolate(params["absence.overall_rate"], rows["year"]) / 100
    # A lasting propensity of the person's and a year's own: absence is skewed (a tenth of
    # pupils miss 10% of sessions or more at a 4.7% mean) and persists from year to year.
    lasting = life.ctx.rng("absence.person").standard_normal(len(persons))
    score = (-3.37 + logit(overall) - logit(ABSENCE_MODEL_RATE / 100)
             + 0.45 * rows["fsm"] + 0.35 * (rows["sen"] > 0) + 0.6 * (rows["sen"] == 2)
             + 0.11 * np.maximum(rows["ncyear"] - 6, 0)
             - 0.15 * persons["ability"][rows["person"]] + 0.7 * lasting[rows["person"]]
             + 0.5 * rng.standard_normal(n))
    rate = logistic(score)
    # (a late arrival's first year: the sessions from the day of joining)
    possible = np.rint((TERM_SESSIONS[None, :] - rng.integers(0, 6, (n, 3))) * on_roll
                       ).astype(np.int64)
    absent = rng.binomial(possible, rate[:, None])
    share = interpolate(params["absence.unauthorised_rate"], rows["year"]) / 100 / overall
    unauthorised = rng.binomial(absent, logistic(
        logit(share) + UNAUTHORISED_FSM * (rows["fsm"] - 0.2))[:, None])
    return Frame(person=rows["person"], year=rows["year"], school=enrol["school"],
                 ncyear=rows["ncyear"], fsm=rows["fsm"], sen=rows["sen"], possible=possible,
                 authorised=absent - unauthorised, unauthorised=unauthorised,
                 **{name: enrol[name] for name in ("entry_date", "leave", "census",
                                                    "sixth_share", "main")})


def absence_reasons(life, rows: Frame) -> dict[str, np.ndarray]:
    """Each term's authorised and unauthorised sessions split by reason code (parameters
    ``absence.reasons_*``): {code: (rows, terms) sessions}, adding up to the term's totals."""
    rng = life.ctx.rng("absence_reasons")
    out: dict[str, np.ndarray] = {}
    for kind, total in (("authorised", rows["authorised"]), ("unauthorised",
                                                              rows["unauthorised"])):
        shares = life.ctx.params[f"absence.reasons_{kind}"]
        codes = list(shares)
        p = np.array([float(shares[c]) for c in codes])
        split = rng.multinomial(total, p / p.sum())  # (rows, terms, reasons)
        out.update({code: split[..., k] for k, code in enumerate(codes)})
    # Code F (agreed extended family holiday) was withdrawn after 2012/13 (absence from 2013/14
    # has no F column): its sessions count as other authorised absence (C).
    late = (rows["year"] >= F_LAST_YEAR + 1)[:, None]
    out["C"] = out["C"] + np.where(late, out["F"], 0)
    out["F"] = np.where(late, 0, out["F"])
    return out


F_LAST_YEAR = 2013
"""Last academic year (start) of absence code F, as the VRF's years for TermlyReasonF."""


EXCLUSIONS_PER_EXCLUDED = 2.3
"""Fixed-period exclusions per pupil excluded in a year (DfE 2018/19: 5.36% of pupils'
enrolments against 2.33% excluded), the mean of a geometric count from 1."""
PHASE_FACTORS = (0.27, 2.0)
"""A primary and a secondary pupil's exclusion rate against all pupils' (DfE 2018/19: 1.41%
and 10.75% against 5.36%)."""
SPREAD = (1.4, 0.4)
"""Standard deviations of a pupil's lasting and a year's own log exclusion rate."""
SATURATION = 1.3
"""The rates' scale for the chance of being excluded at all (1 - exp(-rate)) falling short of
the rate among the likeliest pupils (measured: the shares of 2001/02 to 2020/21 at 80,000
persons)."""


EXCLUSION_DAYS = 300
"""Exclusions fall on the days 0 .. 299 from 5 September (to the end of June)."""


EXCLUSION_REASONS = np.array(["PP", "PA", "VP", "VA", "BU", "RA", "SM", "DA", "DB", "TH", "DM",
                              "OT"])
EXCLUSION_REASON_WEIGHTS = np.array([15, 4, 7, 11, 2, 2, 1, 4, 35, 2, 7, 10], dtype=float)
"""The exclusion reason codes and their relative frequencies (persistent disruptive behaviour
the most common)."""


@per_block
def exclusions(life) -> Frame:
    """One row per exclusion: person, year, school, start date, sessions, category, reason,
    and ``leave``, the day a move within the year took the pupil to the next school (``NEVER``
    if none; every exclusion at the school falls before it).

    Each year's fixed-period and permanent rates are DfE's (``exclusions``), for primary and
    secondary pupils at their published ratio. Within a year and phase, boys, disadvantaged
    pupils, pupils with SEN and lower attainers are excluded more often (the year's rate is
    their mean, so a change in the pupils' make-up does not move it). Exclusion is
    concentrated, as published: about 2.3% of pupils are excluded in a year, 2.3 times each on
    average, and a pupil excluded one year is likely to be again (a lasting propensity of the
    person's)."""
    in_years = _in_years(life, 2001, 2020)
    rows = life.schooling.pupil_years.take(in_years)
    # the day a move between February and July takes the pupil to the next school (NEVER if
    # none): the year's exclusions at this school fall before it
    move_out = neighbour_schools(life.schooling.pupil_years)["next_entry"][in_years]
    rng = life.ctx.rng("exclusions")
    params = life.ctx.params
    persons = life.persons
    n = len(rows)
    secondary = rows["ncyear"] >= 7
    male = ~persons["female"][rows["person"]]
    fixed = interpolate(params["exclusions.fixed_period_rate"], rows["year"])
    share = fixed / 100 / EXCLUSIONS_PER_EXCLUDED * np.array(PHASE_FACTORS)[secondary.astype(int)]
    risk = np.exp(0.8 * male + 0.9 * rows["fsm"] + 0.8 * (rows["sen"] > 0)
                  - 0.3 * persons["ability"][rows["person"]])
    group = (rows["year"] - 2001) * 2 + secondary
    mean_risk = np.bincount(group, risk) / np.maximum(np.bincount(group), 1)
    lasting = life.ctx.rng("exclusions.person").standard_normal(len(persons))
    spread = SPREAD[0] * lasting[rows["person"]] + SPREAD[1] * rng.standard_normal(n)
    spread -= (SPREAD[0] ** 2 + SPREAD[1] ** 2) / 2  # (a mean of 1 for exp(spread))
    rate = SATURATION * share * risk / mean_risk[group] * np.exp(spread)
    # (a Poisson chance, 1 - exp(-rate), about the rate itself for all but the likeliest)
    excluded = rng.random(n) < -np.expm1(-rate)
    counts = np.where(excluded, rng.geometric(1 / EXCLUSIONS_PER_EXCLUDED, n), 0)
    counts = np.minimum(counts, 40)
    row = np.repeat(np.arange(n), counts)
    m = len(row)
    # a permanent exclusion among them at the published ratio of the year's two rates
    permanent_share = (interpolate(params["exclusions.permanent_rate"], rows["year"][row])
                       / fixed[row])
    drawn_permanent = rng.random(m) < permanent_share
    lunch_draw = rng.random(m)
    fixed_sessions = 1 + rng.geometric(0.4, m)
    day = on_roll_days(rng.integers(0, EXCLUSION_DAYS, m), rows["year"][row],
                       rows["entry_date"][row], move_out[row])
    permanent = last_of_year(row, day, drawn_permanent)
    lunchtime = ~permanent & (lunch_draw < 0.05)
    category = np.where(permanent, "PERM", np.where(lunchtime, "LNCH", "FIXD"))
    sessions = np.where(permanent, 0, np.where(lunchtime, 1, fixed_sessions))
    start = ymd(rows["year"][row], 9, 5) + day.astype("timedelta64[D]")
    reason = EXCLUSION_REASONS[np.searchsorted(np.cumsum(EXCLUSION_REASON_WEIGHTS)
                                               / EXCLUSION_REASON_WEIGHTS.sum(), rng.random(m))]
    term = np.array(TERMS)[np.searchsorted([97, 206], day, side="right")]
    out = Frame(person=rows["person"][row], year=rows["year"][row], school=rows["school"][row],
                leave=move_out[row], ncyear=rows["ncyear"][row], sen=rows["sen"][row],
                start=start,
                sessions=sessions, category=category, reason=reason, term=term)
    return out.sort("person", "year", "start")


def on_roll_days(day: np.ndarray, year: np.ndarray, entry: np.ndarray,
                 leave: np.ndarray) -> np.ndarray:
    """Exclusion days (from 5 September of ``year``) moved into the time the pupil is on the
    school's roll: a pupil who joined in-year (``entry`` after 5 September) is excluded from
    there only after joining, and one who moves on within the year (``leave``, the day the
    next school's roll starts; ``NEVER`` for none) only before leaving, the days squeezed into
    that span in their order (so the year's last exclusion stays the last)."""
    start = ymd(year, 9, 5)
    earliest = np.clip((entry - start).astype(np.int64), 0, EXCLUSION_DAYS - 1)
    before_leave = np.where(leave == NEVER, EXCLUSION_DAYS,
                            (np.minimum(leave, start + EXCLUSION_DAYS) - start).astype(np.int64))
    latest = np.clip(before_leave, earliest + 1, EXCLUSION_DAYS)
    return earliest + day * (latest - earliest) // EXCLUSION_DAYS


def last_of_year(row: np.ndarray, day: np.ndarray, permanent: np.ndarray) -> np.ndarray:
    """The permanent exclusion of a pupil-year (``row``: its exclusions' pupil-year, grouped)
    is the year's last exclusion (latest ``day``): it takes the pupil off the school's roll,
    so none follows it there. One per pupil-year: a year that drew any has one."""
    groups = int(row.max()) + 1 if len(row) else 0
    latest = np.full(groups, -1, dtype=np.int64)
    np.maximum.at(latest, row, day)
    at_latest = np.flatnonzero(day == latest[row])
    # (a tie: the last of them, which a stable sort by date keeps last)
    last = np.full(groups, -1, dtype=np.int64)
    np.maximum.at(last, row[at_latest], at_latest)
    out = np.zeros(len(row), dtype=bool)
    out[last[np.unique(row[permanent])]] = True
    return out


@dataclass
class _Pupils:
    """What :func:`exclusions` reads of a block (its persons and schooling), before the
    block's life course exists."""

    ctx: BlockContext
    persons: Frame
    schooling: Schooling
    results: dict[tuple[Callable[..., Any], tuple[Hashable, ...]], Any] = field(
        default_factory=dict)


@dataclass
class SchoolMoves:
    """Per person of a block: the academic year after which the pupil left a school, the school
    left (-1: none) and the school joined instead."""

    left_in: np.ndarray
    left: np.ndarray
    joined: np.ndarray

    def apply(self, pupil_years: Frame) -> None:
        """Put the pupil-years after a move at the school joined, in place (with the school
        joined's entry on 1 September of the next academic year: the rest of the year of the
        exclusion is spent out of school or in a pupil referral unit). Later years already at
        the school joined (a mover's second school, drawn before the exclusion was known) are
        the same stay, so they take its entry too, not one of their own."""
        person = pupil_years["person"]
        moved = ((pupil_years["year"] > self.left_in[person])
                 & ((pupil_years["school"] == self.left[person])
                    | (pupil_years["school"] == self.joined[person])))
        pupil_years["school"] = np.where(moved, self.joined[person], pupil_years["school"])
        pupil_years["entry_year"] = np.where(moved, self.left_in[person] + 1,
                                             pupil_years["entry_year"])
        pupil_years["entry_date"] = np.where(moved, ymd(pupil_years["entry_year"], 9, 1),
                                             pupil_years["entry_date"])


def moves_after_permanent_exclusion(ctx: BlockContext, persons: Frame,
                                    schooling: Schooling) -> SchoolMoves:
    """A permanently excluded pupil is taken off the excluding school's roll: the later years
    the pupil would have spent there (sixth form included) are at another school of the phase
    (:func:`~leo_synth.simulation.other_school.another_school`). The block applies the moves to its
    pupil-years before anything reads their schools, so every relation reading a pupil's
    school (census, key stages, exclusions) agrees.

    The exclusions are drawn from the pupil-years' persons, years, NC years, FSM and SEN, not
    their schools, so the block's :func:`exclusions`, computed again later from the moved
    pupil-years, are the same ones, with the new school on the later years' rows. (Rejected:
    dropping the excluded pupil's later census rows, which would lose the pupil from the
    census and its key stage results.)"""
    n = len(persons)
    moves = SchoolMoves(np.full(n, np.iinfo(np.int64).max), np.full(n, -1, dtype=np.int64),
                        np.full(n, -1, dtype=np.int64))
    excluded = exclusions(_Pupils(ctx, persons, schooling))
    perm = excluded.take(excluded["category"] == "PERM")
    if not len(perm):
        return moves
    # each pupil's first permanent exclusion (the rows are sorted by person, year and date)
    perm = perm.take(np.r_[True, perm["person"][1:] != perm["person"][:-1]])
    draw = ctx.rng("schooling.after_exclusion").random(len(perm))
    new = another_school(ctx.pools, perm["school"], draw)
    moves.left_in[perm["person"]] = perm["year"]
    moves.left[perm["person"]] = perm["school"]
    moves.joined[perm["person"]] = new
    return moves


def alternative_provision(life, first: int, last: int, share: float,
                          stream: str) -> Frame:
    """Pupil-years placed in a PRU or alternative provision: the permanently excluded, and a
    small share of secondary pupils with high needs."""
    rows = _pupil_years(life, first, last, min_nc=5, max_nc=11)
    rng = life.ctx.rng(stream)
    excluded = exclusions(life)
    perm = excluded.take(excluded["category"] == "PERM")
    key = rows["person"] * 10_000 + rows["year"]
    after_perm = np.isin(key, perm["person"] * 10_000 + perm["year"] + 1) | np.isin(
        key, perm["person"] * 10_000 + perm["year"])
    need = life.persons["need"][rows["person"]]
    disadvantage = life.persons["disadvantage"][rows["person"]]
    # (disadvantage's weight: about half of a pupil referral unit's pupils are eligible for
    # FSM, DfE 2020/21)
    chosen = after_perm | (rng.random(len(rows)) < share * np.exp(0.6 * need + 1.0 * disadvantage))
    return rows.take(chosen)


SUMMER6TH_FROM = 2012
"""First academic year whose Summer term returns cover the 5th half term only, the 6th half
term being collected separately (the Autumn Census after)."""
ATTENDANCE_CODES = ("AM", "PM", "L", "B", "J", "P", "V", "W", "D", "X")
"""Attendance codes other than absence: present (AM, PM), late before registers closed (L),
approved educational activities (B off-site, J interview, P sport, V visit, W work experience),
and sessions not counted as possible (D dual registration, X non-compulsory school age)."""
# Shares of attended sessions marked late (L) or spent in approved educational activities
# (B J P V W; W only in Years 10 and 11), roughly DfE's published attendance codes.
ATTENDANCE_SHARES = {"L": 0.025, "B": 0.003, "J": 0.0005, "P": 0.001, "V": 0.003, "W": 0.004}


def summer_halves(life, rows: Frame, reasons: dict[str, np.ndarray]
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """The four collection periods of each pupil-year (autumn, spring, summer, summer 6th
    half): from ``SUMMER6TH_FROM`` the summer term's sessions, absences and reasons are split
    between its two half terms (each absent session falls in the 6th half term with the share of
    possible sessions there: a multivariate hypergeometric split), before it the 6th half term
    is empty. Returns possible, authorised, unauthorised (rows, 4) and reasons {code: (rows, 4)}."""
    rng = life.ctx.rng("absence_summer6th")
    n = len(rows)
    split = rows["year"] >= SUMMER6TH_FROM
    possible = rows["possible"][:, 2]
    # (an enrolment on roll for part of the summer term: the share of its days in the second
    # half)
    share = np.where(rows["sixth_share"] >= 0, rows["sixth_share"], rng.uniform(0.44, 0.52, n))
    sixth = np.where(split, np.rint(possible * share), 0).astype(np.int64)
    codes = list(reasons)
    summer = {code: reasons[code][:, 2] for code in codes}
    absent = sum(summer.values())
    # Absent sessions in the 6th half: hypergeometric among the term's sessions; then the
    # reasons one by one, each conditional on what the previous ones took.
    remaining_sample = rng.hypergeometric(absent, possible - absent, np.maximum(sixth, 0))
    remaining_pool = absent.copy()
    in_sixth: dict[str, np.ndarray] = {}
    for code in codes:
        take = rng.hypergeometric(summer[code], remaining_pool - summer[code], remaining_sample)
        in_sixth[code] = take
        remaining_pool = remaining_pool - summer[code]
        remaining_sample = remaining_sample - take
    out_reasons = {code: np.column_stack([reasons[code][:, :2], summer[code] - in_sixth[code],
                                          in_sixth[code]]) for code in codes}
    possible4 = np.column_stack([rows["possible"][:, :2], possible - sixth, sixth])
    authorised = sum(out_reasons[c] for c in life.ctx.params["absence.reasons_authorised"])
    unauthorised = sum(out_reasons[c] for c in life.ctx.params["absence.reasons_unauthorised"])
    return possible4, authorised, unauthorised, out_reasons


def attendance_codes(life, rows: Frame, possible: np.ndarray,
                     absent: np.ndarray) -> dict[str, np.ndarray]:
    """Sessions by attendance code per period (rows, periods): the attended sessions (possible
    minus absent) are late (L), in approved activities (B J P V W) or present, the present ones
    marked in the morning (AM, half rounded up) and afternoon (PM) registers; D and X are 0
    (no simulated pupil is dual registered; Years 1 to 11 are of compulsory school age)."""
    rng = life.ctx.rng("absence_attendance")
    attended = possible - absent
    left = attended.copy()
    out: dict[str, np.ndarray] = {}
    year_10_11 = (rows["ncyear"] >= 10)[:, None]
    for code, share in ATTENDANCE_SHARES.items():
        p = np.where(year_10_11, share, 0.0) if code == "W" else np.full((len(rows), 1), share)
        out[code] = rng.binomial(left, np.broadcast_to(p, left.shape))
        left = left - out[code]
    out["AM"] = (left + 1) // 2
    out["PM"] = left // 2
    out["D"] = np.zeros_like(left)
    out["X"] = np.zeros_like(left)
    return out
