"""Where adults live, one address per tax year (the LEO geography table).

Residence starts in the home local authority; each year some people move to another LA
(graduates are pulled towards London), more move within their LA (a new output area), and a
few spend years outside England.
"""

from __future__ import annotations

import numpy as np

from leo_synth.simulation.calendar import LAST_TAX_YEAR
from leo_synth.simulation.context import BlockContext
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.pools import pick_member
from leo_synth.simulation.stats import categorical

FIRST_GEOGRAPHY_YEAR = 2004
# Country of residence codes: England plus the others the table lists.
COUNTRIES = ("England", "Wales", "Scotland", "Northern Ireland", "Abroad", "Unknown")
LONDON_REGION = 6


def simulate_residence(ctx: BlockContext, persons: Frame, degree_year: np.ndarray) -> Frame:
    """One row per person and tax year from age 16: LA, output area, country."""
    p = ctx.params["geography"]
    rng = ctx.rng("residence.moves")
    pools = ctx.pools
    n = len(persons)
    first = np.maximum(FIRST_GEOGRAPHY_YEAR, persons["cohort"] + 17)
    count = np.maximum(LAST_TAX_YEAR - first + 1, 0)
    person = np.repeat(np.arange(n), count)
    year = first[person] + (np.arange(len(person)) - np.repeat(np.cumsum(count) - count, count))
    m = len(person)
    # A move happens with a yearly probability; the LA after the latest move applies.
    moves = rng.random(m) < p["move_probability"]
    graduate_move = (degree_year[person] >= 0) & (year == degree_year[person] + 1)
    london = graduate_move & (rng.random(m) < p["graduate_london_pull"])
    moves |= graduate_move & (rng.random(m) < 0.5)
    new_la = rng.integers(0, len(pools.las), m)
    london_las = np.flatnonzero(pools.las["region"] == LONDON_REGION)
    new_la = np.where(london, london_las[rng.integers(0, len(london_las), m)], new_la)
    # Rows are grouped by person: the latest move row at or after the person's first row wins.
    person_first_row = np.concatenate([[0], np.cumsum(count)[:-1]])[person]
    last_move_row = np.maximum.accumulate(np.where(moves, np.arange(m), -1))
    has_moved = last_move_row >= person_first_row
    la = np.where(has_moved, new_la[np.maximum(last_move_row, 0)], persons["la"][person])
    oa_u = rng.random(m)
    # Moves within the LA change the output area only; the area is drawn at the latest move
    # of either kind and kept until the next (it was drawn again every year after a first
    # move, so 42% of person-years changed area against 7% changing LA).
    local = ctx.rng("residence.local_moves").random(m) < p["local_move_probability"]
    last_area_row = np.maximum.accumulate(np.where(moves | local, np.arange(m), -1))
    area_moved = last_area_row >= person_first_row
    oa = np.where(area_moved,
                  pick_member(pools.output_areas["la"], la, oa_u[np.maximum(last_area_row, 0)]),
                  persons["oa"][person])
    # Years outside England: a persistent state per person, entered at a random year.
    elsewhere = {"Abroad": p["abroad_share"], **p["other_uk_share"], "Unknown": p["unknown_share"]}
    shares = np.array([elsewhere[name] for name in COUNTRIES[1:]])  # in COUNTRIES' order
    rng = ctx.rng("residence.outside_england")
    away_person = rng.random(n) < shares.sum() * 2.5
    away_country = 1 + categorical(rng, shares, n)
    away_from = first + rng.integers(0, 20, n)
    away_for = 1 + rng.integers(0, 6, n)
    away = (away_person[person] & (year >= away_from[person])
            & (year < away_from[person] + away_for[person]))
    country = np.where(away, away_country[person], 0)
    return Frame(person=person, tax_year=year.astype(np.int64), la=la.astype(np.int64),
                 oa=oa.astype(np.int64), country=country.astype(np.int8))
