"""Who applies through UCAS in a cycle: the full-time undergraduate entrants, each placed in
the cycle of their entry, and applicants who were not placed.

UCAS's end of cycle reports place about 75-80% of English 18-year-old applicants and fewer of
the older ones: the unplaced are young people of a level 3 programme who did not enter HE that
cycle (at 18, or applying again or later), at the shares of ``ucas.unplaced`` in
config/parameters.yaml. A person applies at most once a cycle.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from leo_synth.simulation.life import LifeCourse
from leo_synth.simulation.post16 import NO_ROUTE

FIRST_CYCLE, LAST_CYCLE = 2007, 2021
AGE_18_CYCLE = 2
"""The cycle of an 18-year-old's application: Year 12's start year plus this (entry after Year
13)."""


class Applicants(NamedTuple):
    """One entry per applicant and cycle."""

    person: np.ndarray
    cycle: np.ndarray
    accepted: np.ndarray  # placed (entered full-time undergraduate study that cycle)
    entered_at: np.ndarray  # the HE provider entered, -1 if not placed
    subject: np.ndarray  # the subject entered, -1 for the unplaced (drawn by the caller)


def applicants(life: LifeCourse) -> Applicants:
    """The entrants of every cycle from ``FIRST_CYCLE`` to ``LAST_CYCLE`` (placed) and the
    applicants not placed."""
    inst = life.he.instances
    # (full-time undergraduates apply through UCAS, at any age)
    undergraduates = inst.take((inst["level"] >= 4) & ~inst["part_time"])
    entrants = undergraduates.take(np.unique(undergraduates["person"], return_index=True)[1])
    person, cycle = _unplaced(life, entrants["person"], entrants["start_year"])
    out = Applicants(
        person=np.concatenate([entrants["person"], person]),
        cycle=np.concatenate([entrants["start_year"], cycle]),
        accepted=np.repeat([True, False], [len(entrants), len(person)]),
        entered_at=np.concatenate([entrants["provider"], np.full(len(person), -1)]),
        subject=np.concatenate([entrants["subject"], np.full(len(person), -1)]))
    keep = (out.cycle >= FIRST_CYCLE) & (out.cycle <= LAST_CYCLE)
    return Applicants(*(values[keep] for values in out))


def _unplaced(life: LifeCourse, entrant: np.ndarray,
              entry_cycle: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Applicants not placed, per (person, cycle): of the young people on a level 3 programme
    (achieved, or a KS5 record without it), a share at 18 (``level3``, ``not_achieved``) and a
    share each later year (``later``: at 19, 20, then each year to ``last_age``), never in
    the cycle they entered HE. One uniform per person and age (``ucas.unplaced``)."""
    u = life.ctx.params["ucas.unplaced"]
    post16 = life.post16
    n = len(post16.route)
    achieved = post16.level3_year >= 0
    programme = np.zeros(n, dtype=bool)
    programme[post16.ks5["person"]] = True
    programme |= achieved
    programme &= post16.route != NO_ROUTE
    entered = np.full(n, -1)
    entered[entrant] = entry_cycle
    later = list(u["later"])
    ages = int(u["last_age"]) - 18
    shares = [np.where(achieved, u["level3"], u["not_achieved"])] + [
        np.full(n, later[min(k, len(later)) - 1]) for k in range(1, ages + 1)]
    draw = life.ctx.rng("ucas.unplaced").random((ages + 1, n))
    person, cycle = [], []
    for k, share in enumerate(shares):  # (a loop over ages, vectorised over persons)
        year = post16.start_year + AGE_18_CYCLE + k
        who = np.flatnonzero(programme & (draw[k] < share) & (entered != year))
        person.append(who)
        cycle.append(year[who])
    return np.concatenate(person), np.concatenate(cycle)
