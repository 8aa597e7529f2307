"""When a pupil placed in a pupil referral unit joined it, for the School Census's PRU rows.

A placement after a permanent exclusion starts about a week after the exclusion (the LA must
provide full-time education from the sixth school day: DfE exclusion guidance), so a census
taken before it finds the pupil still at the school; any other placement starts on 1 September
of the first of its consecutive years (or, for a pupil who moved school in-year, the day they
joined: placed on arrival). The census row at the unit carries that day as its
``EntryDate`` (not the date the pupil joined their school years before).
"""

from __future__ import annotations

import numpy as np

from leo_synth.simulation import school_events
from leo_synth.simulation.calendar import ymd
from leo_synth.simulation.frame import Frame, sorted_lookup
from leo_synth.simulation.life import LifeCourse

PLACED_AFTER = np.timedelta64(7, "D")
"""Days from a permanent exclusion to the placement (about the sixth school day)."""


def placements(life: LifeCourse, rows: Frame) -> tuple[np.ndarray, np.ndarray]:
    """Per census row (``person``, ``year``, ``pru``; sorted by person and year) the day its PRU
    placement started, NaT for rows not at a PRU, and the row whose school placed the pupil
    (the unit is its LA's, the same unit in every year of the placement). A permanent
    exclusion's placement (that year's or, for the year after, the last year's) starts
    ``PLACED_AFTER`` the exclusion, from the excluding school; any other on 1 September (an
    in-year mover's on the day of the move: ``entry_date``), from that year's school; a run of
    consecutive PRU years is one placement, its first year's."""
    person, year, pru = rows["person"], rows["year"], rows["pru"]
    excluded = school_events.exclusions(life)
    perm = excluded.take(excluded["category"] == "PERM")
    key = perm["person"] * 10_000 + perm["year"]
    # each person-year's first permanent exclusion (the rows are sorted by person, year, date)
    first = np.r_[True, key[1:] != key[:-1]] if len(key) else np.zeros(0, dtype=bool)
    key, day = key[first], perm["start"][first] + PLACED_AFTER
    if not len(key):  # (a lookup needs a key to point at)
        key, day = np.array([-1]), np.array([np.datetime64("NaT")], dtype="datetime64[D]")
    this_year, in_this = sorted_lookup(key, person * 10_000 + year)
    last_year, in_last = sorted_lookup(key, person * 10_000 + year - 1)
    # the first year of each run of consecutive PRU years
    continues = np.r_[False, (person[1:] == person[:-1]) & (year[1:] == year[:-1] + 1)
                      & pru[:-1]] & pru
    run_start = np.maximum.accumulate(np.where(continues, 0, np.arange(len(year))))
    start = np.where(in_this, day[this_year],
                     np.where(in_last, day[last_year],
                              np.maximum(ymd(year, 9, 1), rows["entry_date"])))
    index = np.arange(len(year))
    last_row = np.maximum(index - 1, 0)
    after_last = in_last & (person[last_row] == person) & (year[last_row] == year - 1)
    placed_from = np.where(after_last & ~in_this, last_row, index)
    # a run of PRU years is one placement: its first year's start and placing school
    start, placed_from = start[run_start], placed_from[run_start]
    return np.where(pru, start, np.datetime64("NaT")).astype("datetime64[D]"), placed_from
