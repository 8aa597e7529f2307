"""Compulsory schooling: enrolment by year, schools, FSM and SEN histories.

Histories are first simulated as (person x academic year) matrices over the extract's years
(2001/02 to 2020/21), which makes rolling measures such as "ever FSM in the last six years" plain
array operations, then flattened to one row per pupil-year.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from leo_synth.simulation.calendar import FIRST_ACADEMIC_YEAR, LAST_ACADEMIC_YEAR, ymd
from leo_synth.simulation.context import BlockContext
from leo_synth.simulation.frame import Frame, sorted_lookup
from leo_synth.simulation.move_dates import MONTH_WINDOWS, move_dates
from leo_synth.simulation.other_school import another_school
from leo_synth.simulation.parameters import Parameters
from leo_synth.simulation.pools import SECONDARY_PHASE
from leo_synth.simulation.population import ABILITY_DISADVANTAGE, KIND_SCHOOL
from leo_synth.simulation.series import interpolate
from leo_synth.simulation.stats import categorical, norm_ppf

YEARS = np.arange(FIRST_ACADEMIC_YEAR, LAST_ACADEMIC_YEAR + 1)
NURSERY, RECEPTION, YEAR_6, YEAR_11 = -1, 0, 6, 11
SEN_NONE, SEN_SUPPORT, SEN_STATEMENT = 0, 1, 2


@dataclass
class Schooling:
    """Compulsory-school histories of the block's school persons."""

    pupil_years: Frame  # one row per person and academic year on a school roll (N2 .. Y11)
    fsm: np.ndarray  # (persons x YEARS) eligible on census day, False when not on roll
    sen: np.ndarray  # (persons x YEARS) SEN level 0/1/2, -1 when not on roll
    sen_need: np.ndarray  # per person: index into the need list of its SEN level
    primary_school: np.ndarray
    secondary_school: np.ndarray
    entry_nc: np.ndarray  # per person: first NC year on a state-school roll
    exit_nc: np.ndarray  # per person: last NC year of compulsory school on a roll
    fsm_to_date: np.ndarray = field(init=False, repr=False)  # cumulative FSM years

    def __post_init__(self) -> None:
        self.fsm_to_date = np.cumsum(self.fsm, axis=1)

    def take_in_fsm(self, rows: Frame) -> None:
        """Record the FSM eligibility of pupil-years added after schooling (the sixth form's)
        in the history, so :meth:`fsm_in` and :meth:`ever_fsm` read them too."""
        idx, inside = year_index(rows["year"])
        self.fsm[rows["person"][inside], idx[inside]] = rows["fsm"][inside]
        self.fsm_to_date = np.cumsum(self.fsm, axis=1)

    def sen_level_in(self, person: np.ndarray, year: np.ndarray) -> np.ndarray:
        """SEN level (0 none, 1 support, 2 statement/EHC plan) in academic years."""
        idx, inside = year_index(year)
        return np.where(inside, np.maximum(self.sen[person, idx], 0), 0)

    def fsm_in(self, person: np.ndarray, year: np.ndarray) -> np.ndarray:
        """FSM eligibility on census day in academic years (False off the extract's years)."""
        idx, inside = year_index(year)
        return inside & self.fsm[person, idx]

    def ever_fsm(self, person: np.ndarray, year: np.ndarray, window: int) -> np.ndarray:
        """Recorded FSM-eligible in any of the ``window`` years up to and including ``year``."""
        idx, inside = year_index(year)
        cum = self.fsm_to_date
        before = idx - window
        total = cum[person, idx] - np.where(before >= 0, cum[person, np.maximum(before, 0)], 0)
        return inside & (total > 0)

    def rows_in(self, person: np.ndarray, year: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Position in ``pupil_years`` (sorted by person and year) of each (person, academic
        year), and whether the person is on a roll that year."""
        py = self.pupil_years
        return sorted_lookup(py["person"] * 10_000 + py["year"],
                             np.asarray(person) * 10_000 + np.asarray(year))

    def school_in(self, person: np.ndarray, year: np.ndarray,
                  otherwise: np.ndarray) -> np.ndarray:
        """The school on whose roll each person is in academic year ``year`` (a mover's second
        school, or the school joined after a permanent exclusion, from then on), or
        ``otherwise`` where the person has no pupil-year then."""
        pos, found = self.rows_in(person, year)
        if not len(self.pupil_years):
            return np.asarray(otherwise)
        return np.where(found, self.pupil_years["school"][pos], otherwise)

    def on_roll_in(self, persons_kind: np.ndarray, ncyear: int) -> np.ndarray:
        """Per person: on a state-school roll in the given NC year (any calendar year)."""
        return ((persons_kind == KIND_SCHOOL) & (self.entry_nc <= ncyear)
                & (self.exit_nc >= ncyear))


def year_index(year: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Column of each academic year in the history matrices, and whether it is inside them."""
    idx = np.asarray(year) - YEARS[0]
    inside = (idx >= 0) & (idx < len(YEARS))
    return np.clip(idx, 0, len(YEARS) - 1), inside


def nc_year(cohort: np.ndarray, year: np.ndarray) -> np.ndarray:
    """National Curriculum year (reception = 0) of a birth cohort in an academic year."""
    return year - cohort - 5


def simulate_schooling(ctx: BlockContext, persons: Frame) -> Schooling:
    """Enrolment, schools, FSM and SEN for every school person of the block."""
    p = ctx.params
    rng = ctx.rng("schooling.enrolment")
    n = len(persons)
    is_school = persons["kind"] == KIND_SCHOOL
    cohort = persons["cohort"]
    nc = nc_year(cohort[:, None], YEARS[None, :])  # (n, years)

    entry = np.where(rng.random(n) < p["schooling.late_entry_share"],
                     rng.integers(1, 11, n), RECEPTION)
    entry = np.where((entry == RECEPTION) & (rng.random(n) < p["schooling.nursery_share"]),
                     NURSERY, entry)
    exit_after = np.where(rng.random(n) < p["schooling.early_exit_share"],
                          rng.integers(1, 11, n), YEAR_11)
    exit_after = np.maximum(exit_after, entry)
    on_roll = is_school[:, None] & (nc >= entry[:, None]) & (nc <= exit_after[:, None])

    fsm = _fsm(ctx, persons, nc, on_roll, ctx.rng("schooling.fsm"))
    sen, sen_need = _sen(ctx, persons, nc, on_roll, ctx.rng("schooling.sen"))
    primary, secondary, moves, special = _schools(ctx, persons, sen,
                                                  ctx.rng("schooling.schools"))
    # A special school's pupils hold a statement or EHC plan in every year on its roll (the
    # plan is what places them there), not only in the years their need crosses the bar.
    sen = np.where(special[:, None] & (sen >= 0), SEN_STATEMENT, sen).astype(np.int8)

    person_idx, year_idx = np.nonzero(on_roll)
    year = YEARS[year_idx]
    ncy = nc[person_idx, year_idx]
    secondary_phase = ncy > YEAR_6
    moved = moves[person_idx, secondary_phase.astype(int)]
    # A mover's second school applies from the move year onwards.
    school = np.where(secondary_phase, secondary[person_idx, 0], primary[person_idx, 0])
    school2 = np.where(secondary_phase, secondary[person_idx, 1], primary[person_idx, 1])
    after_move = (moved >= 0) & (ncy >= moved)
    school = np.where(after_move, school2, school)
    # (a special school takes its pupils through both phases: Year 7 is no new entry there)
    joins_in_y7 = secondary_phase & ~special[person_idx]
    first_nc_here = np.where(after_move, moved,
                             np.where(joins_in_y7, 7, np.maximum(entry[person_idx], NURSERY)))
    first_nc_here = np.maximum(first_nc_here, entry[person_idx])
    entry_year = (cohort[person_idx] + 5 + first_nc_here).astype(np.int64)
    # (a move: the pupil was on another school's roll the year before, not a late entrant)
    mover = after_move & (moved > entry[person_idx])
    # a late entrant's first school: joined in the year of arrival
    arrival = ((entry[person_idx] > RECEPTION) & ~after_move
               & (first_nc_here == entry[person_idx]))
    pupil_years = Frame(
        person=person_idx.astype(np.int64),
        year=year.astype(np.int64),
        ncyear=ncy.astype(np.int64),
        school=school.astype(np.int64),
        entry_year=entry_year,
        entry_date=_entry_dates(ctx, n, entry_year, mover, arrival, person_idx,
                                secondary_phase),
        fsm=fsm[person_idx, year_idx],
        sen=sen[person_idx, year_idx],
        # the year a late entrant joins (a census or register before the day has no row)
        arrived=arrival & (year == entry_year),
    )
    schooling = Schooling(pupil_years, fsm, sen, sen_need, primary[:, 0], secondary[:, 0], entry,
                          exit_after)
    pupil_years["ever_fsm_6"] = schooling.ever_fsm(pupil_years["person"], pupil_years["year"], 6)
    pupil_years["ever_fsm_all"] = schooling.ever_fsm(pupil_years["person"], pupil_years["year"],
                                                     len(YEARS))
    return schooling


def _entry_dates(ctx: BlockContext, n: int, entry_year: np.ndarray, mover: np.ndarray,
                 arrival: np.ndarray, person: np.ndarray, secondary: np.ndarray) -> np.ndarray:
    """Each pupil-year's school entry date: 1 September of the entry year, but a mover's
    (``mover``: the school joined by a move within the phase) and a late arrival's
    (``arrival``: the first school of a pupil who joins after Reception) drawn within its year
    (:func:`~leo_synth.simulation.move_dates.move_dates`; own streams, one draw per person and
    phase of the block's ``n`` persons, so all of a school's years carry one date). Arrivals
    join from September to spring census day (``arrival_month_shares``)."""
    p = ctx.params
    out = ymd(entry_year, 9, 1)
    arrival_shares = list(p["schooling.arrival_month_shares"])
    # A move's draw is its phase's; a pupil arrives once (a special school's arrival keeps its
    # day through both phases).
    for which, stream, shares, by_phase in (
            (mover, "schooling.move_date", p["schooling.move_month_shares"], True),
            (arrival, "schooling.arrival_date",
             arrival_shares + [0.0] * (len(MONTH_WINDOWS) - len(arrival_shares)), False)):
        month_draw, day_draw = ctx.rng(stream).random((2, n, 2))
        at = np.flatnonzero(which)
        phase = secondary[at].astype(np.int64) * by_phase
        out[at] = move_dates(shares, entry_year[at], month_draw[person[at], phase],
                             day_draw[person[at], phase])
    return out


def eleven_plus_score(persons: Frame, tilt: float) -> np.ndarray:
    """The 11-plus score, standard normal: ability less ``tilt`` per unit of disadvantage.

    Grammar schools take far fewer disadvantaged pupils than ability alone would send them
    (coaching, and who sits the test at all), so the score leans against disadvantage. It is
    scaled by its sd from the traits' known correlation, not by the block's own, so that the
    bar is the same in every block.
    """
    sd = np.sqrt(1 + tilt**2 - 2 * tilt * ABILITY_DISADVANTAGE)
    return (persons["ability"] - tilt * persons["disadvantage"]) / sd


def _ar1(rng: np.random.Generator, n: int, years: int, rho: float) -> np.ndarray:
    """Standard-normal AR(1) noise, one series per person."""
    noise = rng.standard_normal((n, years))
    out = np.empty_like(noise)
    out[:, 0] = noise[:, 0]
    scale = np.sqrt(1 - rho**2)
    for t in range(1, years):  # loop over 20 years, vectorised over persons
        out[:, t] = rho * out[:, t - 1] + scale * noise[:, t]
    return out


SECONDARY_SHARE = 0.42
"""Share of census pupils (reception to Year 11) in secondary years."""


def _fsm(ctx: BlockContext, persons: Frame, nc: np.ndarray, on_roll: np.ndarray,
         rng: np.random.Generator) -> np.ndarray:
    """FSM eligibility on census day: lasting disadvantage plus autocorrelated change."""
    p = ctx.params
    w = float(p["fsm.persistence"])
    noise = _ar1(rng, len(persons), len(YEARS), float(p["fsm.year_to_year_correlation"]))
    score = w * persons["disadvantage"][:, None] + np.sqrt(1 - w**2) * noise
    # Centred so the all-pupil rate stays on the published series: secondary pupils are
    # less often recorded eligible, primary pupils correspondingly more.
    shift = float(p["fsm.secondary_shift"])
    score = score + shift * ((nc > YEAR_6) - SECONDARY_SHARE)
    score = score + ethnic_fsm_shifts(p)[persons["ethnicity"]][:, None]
    threshold = norm_ppf(1 - interpolate(p["fsm.rate"], YEARS) / 100.0)
    return on_roll & (score > threshold[None, :])


def ethnic_fsm_shifts(p: Parameters) -> np.ndarray:
    """Each ethnic group's step on the FSM score (in ``population.ethnicity``'s order), from
    its published rate against the all-pupil rate they make together (``fsm.by_ethnicity``):
    the groups keep their ratios in every year and the year's rate stays as published."""
    shares = p["population.ethnicity"]
    rates = np.array([float(p["fsm.by_ethnicity"][code]) for code in shares]) / 100
    weights = np.array([float(shares[code]) for code in shares])
    overall = (rates * weights).sum() / weights.sum()
    return norm_ppf(1 - overall) - norm_ppf(1 - rates)


def _sen(ctx: BlockContext, persons: Frame, nc: np.ndarray, on_roll: np.ndarray,
         rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """SEN level by year (none, support, statement/EHC plan) and the person's primary need."""
    p = ctx.params
    need = persons["need"]
    noise = _ar1(rng, len(persons), len(YEARS), 0.85)
    # Needs are identified progressively in the first school years; SEN support becomes
    # less common through secondary school.
    identification = np.clip(nc, 0, 4) / 4.0 * 0.35 - 0.35
    support_decline = p["sen.support_decline_per_year"] * np.clip(nc - 6, 0, 5)
    score = (need[:, None] - need.mean()) / max(need.std(), 1e-9)
    score = 0.9 * score + np.sqrt(1 - 0.81) * noise + identification
    any_t = norm_ppf(1 - interpolate(p["sen.any_rate"], YEARS) / 100.0) - 0.12
    # The bar sits a little above the rate's quantile: special-school pupils hold their plan
    # in every year on roll (simulate_schooling), which adds plan-years to the bar's own.
    st_t = norm_ppf(1 - interpolate(p["sen.statement_rate"], YEARS) / 100.0) + 0.03
    level = np.where(score > st_t[None, :], SEN_STATEMENT,
                     np.where(score - support_decline > any_t[None, :], SEN_SUPPORT, SEN_NONE))
    level = np.where(on_roll, level, -1)
    support_shares = p["sen.need_support"]
    ehc_shares = p["sen.need_ehc"]
    need_support = categorical(rng, np.array(list(support_shares.values()), dtype=float),
                               len(persons))
    need_ehc = categorical(rng, np.array(list(ehc_shares.values()), dtype=float), len(persons))
    ever_statement = (level == SEN_STATEMENT).any(axis=1)
    # Store the need as (level-specific index); relations map it back to codes per level.
    sen_need = np.where(ever_statement, 100 + need_ehc, need_support)
    return level.astype(np.int8), sen_need.astype(np.int64)


def _schools(ctx: BlockContext, persons: Frame, sen: np.ndarray,
             rng: np.random.Generator
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Primary and secondary school (first and, for movers, second), the move NC year, and
    whether the pupil attends a special school throughout."""
    p = ctx.params
    pools = ctx.pools
    n = len(persons)
    la = persons["la"]
    away = rng.random(n) < p["schooling.out_of_la_share"]
    school_la = np.where(away, rng.integers(0, len(pools.las), n), la)

    def pick(phase: int, las: np.ndarray) -> np.ndarray:
        first = pools.la_first_school[phase][las]
        count = pools.la_school_count[phase][las]
        return first + np.minimum((rng.random(len(las)) * count).astype(np.int64), count - 1)

    # A selective LA's grammar school takes the pupils above a fixed quantile of the 11-plus
    # score (a national bar, so the choice does not depend on the block); the others go to
    # its other schools, with the same draw as elsewhere.
    able = (eleven_plus_score(persons, float(p["school_types.grammar_disadvantage_tilt"]))
            > norm_ppf(1 - p["school_types.grammar_ability_share"]))

    def pick_secondary(las: np.ndarray) -> np.ndarray:
        first = pools.la_first_school[SECONDARY_PHASE][las]
        grammar = pools.la_grammar[las]
        has = grammar >= 0
        others = pools.la_school_count[SECONDARY_PHASE][las] - has
        school = first + np.minimum((rng.random(len(las)) * others).astype(np.int64),
                                    others - 1)
        school = school + (has & (school >= grammar))  # step over the grammar school
        return np.where(has & able, grammar, school)

    special = ((sen == SEN_STATEMENT).any(axis=1)
               & (rng.random(n) < p["schooling.special_school_share_of_ehc"]))
    primary = np.stack([pick(0, school_la), pick(0, school_la)], axis=1)
    secondary = np.stack([pick_secondary(school_la), pick_secondary(school_la)], axis=1)
    special_school = pick(2, school_la)
    primary[special] = special_school[special, None]
    secondary[special] = special_school[special, None]
    movers = (rng.random((n, 2)) < p["schooling.mover_share"]) & ~special[:, None]
    move_nc = np.stack([rng.integers(1, 7, n), rng.integers(8, 12, n)], axis=1)
    # A mover changes school: where the second draw is the first school (an LA's only school
    # of the phase, or an able pupil's grammar school), another school of the phase.
    draw = ctx.rng("schooling.second_school").random((n, 2))
    for phase, schools in enumerate((primary, secondary)):
        stays = np.flatnonzero(movers[:, phase] & (schools[:, 1] == schools[:, 0]))
        schools[stays, 1] = another_school(pools, schools[stays, 0], draw[stays, phase])
    return primary, secondary, np.where(movers, move_nc, -1), special
