"""A pupil's enrolments within each academic year: the spans of days on a school's roll that the
absence records cover, and which census collections return each.

A pupil-year is one enrolment, from 1 September (a late arrival's day of joining) on, unless the
pupil changes school within the year. A move (:mod:`~leo_synth.simulation.move_dates`) falls in
the academic year of its first spring census at the new school (September to census day) or in
the year before (February to July); either way that year has two enrolments, the school left
up to the day of the move and the school joined from that day, as the real absence files have
one record per enrolment (``MainRecord`` marking the pupil's main one). A move after a
permanent exclusion starts on 1 September of the next year (the rest of the year is spent out
of the school), so it splits no year.

The termly absence of a year is collected by three censuses: the autumn term's by the spring
census, the spring term's by the summer census and the summer term's by the next autumn
census. Each returns the pupils on roll on its day and, in its "no longer on roll" table, those
who left during the term (a Year 6 or Year 11 leaver's summer term, a mover's term at the
school left): the absence files' ``OnRoll_1`` .. ``OnRoll_3`` (``SourceTable_*`` to 2007/08).
"""

from __future__ import annotations

import numpy as np

from leo_synth.simulation.calendar import LAST_ACADEMIC_YEAR, nth_thursday, spring_census_day, ymd
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.per_block import per_block

TERM_SESSIONS = np.array([144, 120, 116])
"""Sessions possible in a whole autumn, spring and summer term (two a day)."""
TERM_SPANS = ((9, 1, 12, 20), (1, 4, 3, 31), (4, 14, 7, 20))
"""(first month, day, last month, day) of the autumn, spring and summer terms, approximately
(the real dates vary by year and LA; the Easter holidays are taken as early April's)."""
SIXTH_HALF_TERM = (6, 1)
"""(month, day) the summer term's second half (the 6th half term) starts, approximately."""
NEVER = np.datetime64("9999-12-31", "D")
"""The ``leave`` of an enrolment that goes on past the next autumn census (and the
``next_entry`` of a pupil-year whose pupil joins no school within the year)."""
NOT_RETURNED, LEFT, ON_ROLL = -1, 0, 1
"""``census`` codes: not in the collection, in its "no longer on roll" table, on roll."""


def neighbour_schools(pupil_years: Frame) -> dict[str, np.ndarray]:
    """Per pupil-year (sorted by person and year): the school of the year before and its entry
    date (the row's own where the pupil had none), and the school joined after this year's
    spring census by a move between February and July with its day (the row's own school and
    ``NEVER`` where there is no such move): a census taken before a move's day finds the
    pupil at the school left, one taken on or after it at the school joined."""
    person, year, school = pupil_years["person"], pupil_years["year"], pupil_years["school"]
    entry = pupil_years["entry_date"]
    rows = np.arange(len(person))
    before = np.maximum(rows - 1, 0)
    stayed = (person[before] != person) | (year[before] != year - 1)
    after = np.minimum(rows + 1, max(len(person) - 1, 0))
    joined = entry[after]
    joins = ((person[after] == person) & (year[after] == year + 1)
             & (joined > spring_census_day(year)) & (joined < ymd(year + 1, 9, 1)))
    return {"prior_school": np.where(stayed, school, school[before]),
            "prior_entry": np.where(stayed, entry, entry[before]),
            "next_school": np.where(joins, school[after], school),
            "next_entry": np.where(joins, joined, NEVER)}


@per_block
def year_enrolments(life) -> Frame:
    """Every pupil-year's enrolments (one, or two in the year of a move), sorted by pupil-year
    and start: ``pupil_year`` (the row of ``pupil_years`` whose person, NC year, FSM and SEN
    they share), ``school``, ``entry_date`` (the day the pupil joined that school), ``start``
    and ``leave`` (first day on roll in the year, and the day the pupil left: a move's day,
    1 September after the year for a leaver, ``NEVER`` for a pupil still there after the next
    autumn census), ``on_roll`` (rows, 3: the share of each term's days on roll), ``census``
    (rows, 3: each collection's code for the enrolment), ``sixth_share`` (the share of the
    summer term's days on roll that fall in its second half, -1 where the whole term is) and
    ``main`` (the enrolment with more of the year's sessions; the later on a tie)."""
    schooling = life.schooling
    py = schooling.pupil_years
    near = neighbour_schools(py)
    year, school = py["year"], py["school"]
    entry = py["entry_date"].astype("datetime64[D]")
    rows = np.arange(len(py))
    # a move into the row's school in its own year (September to spring census day)
    moved_in = ((year == py["entry_year"]) & (entry > ymd(year, 9, 1)) & ~py["arrived"]
                & (near["prior_school"] != school))
    moves_out = near["next_entry"] != NEVER  # a move out between February and July
    start = np.where(py["arrived"] | moved_in, entry, ymd(year, 9, 1))
    leave = np.where(moves_out, near["next_entry"], _leave(schooling, moved_in))
    first, second = np.flatnonzero(moved_in), np.flatnonzero(moves_out)
    # the other enrolment of a year with a move: the school left, up to the day of a move in;
    # the school joined, from the day of a move out
    enrol = Frame(
        pupil_year=np.concatenate([rows, first, second]),
        school=np.concatenate([school, near["prior_school"][first],
                               near["next_school"][second]]),
        entry_date=np.concatenate([entry, near["prior_entry"][first],
                                   near["next_entry"][second]]),
        start=np.concatenate([start, ymd(year[first], 9, 1), near["next_entry"][second]]),
        leave=np.concatenate([leave, entry[first], np.full(len(second), NEVER)]),
    )
    enrol = enrol.take(np.lexsort((enrol["start"], enrol["pupil_year"])))
    on_roll = _term_shares(year[enrol["pupil_year"]], enrol["start"], enrol["leave"],
                           TERM_SPANS)
    # (a move on the last day of a term's span leaves no day of the year at one school: no
    # enrolment there)
    some = on_roll.sum(1) > 0
    enrol = enrol.take(some)
    enrol["on_roll"] = on_roll[some]
    enrol_year = year[enrol["pupil_year"]]
    enrol["census"] = _collections(enrol_year, enrol["start"], enrol["leave"], enrol["on_roll"])
    enrol["sixth_share"] = _sixth_share(enrol_year, enrol["start"], enrol["leave"],
                                        enrol["on_roll"][:, 2])
    enrol["main"] = _main(enrol["pupil_year"], enrol["on_roll"])
    return enrol


def _leave(schooling, moved_in: np.ndarray) -> np.ndarray:
    """Per pupil-year without a move out: the day the pupil leaves the school, ``NEVER`` where
    the next year is at the same school (or, in the last simulated year, would be: not Year 6
    at a school that is not also the secondary school, not the last year on a roll), the day of
    the next year's move in (a move from this school), else 1 September after the year."""
    py = schooling.pupil_years
    person, year, school = py["person"], py["year"], py["school"]
    after = np.minimum(np.arange(len(py)) + 1, max(len(py) - 1, 0))
    has_next = (person[after] == person) & (year[after] == year + 1)
    ncyear = py["ncyear"]
    stays_last = ((year == LAST_ACADEMIC_YEAR) & ~has_next
                  & (ncyear < schooling.exit_nc[person])
                  & ((ncyear != 6) | (schooling.secondary_school[person] == school)))
    continues = (has_next & (school[after] == school)) | stays_last
    return np.where(has_next & moved_in[after], py["entry_date"][after].astype("datetime64[D]"),
                    np.where(continues, NEVER, ymd(year + 1, 9, 1)))


def _span(year: np.ndarray, month0: int, day0: int, month1: int, day1: int
          ) -> tuple[np.ndarray, np.ndarray]:
    """First and last day of a span of academic years (January to August in the next calendar
    year)."""
    return (ymd(year + (month0 < 9), month0, day0), ymd(year + (month1 < 9), month1, day1))


def _days_on_roll(first: np.ndarray, last: np.ndarray, start: np.ndarray,
                  leave: np.ndarray) -> np.ndarray:
    """Days from ``first`` to ``last`` on roll from ``start`` up to (not including) ``leave``."""
    return np.maximum((np.minimum(leave, last) - np.maximum(start, first)).astype(np.int64), 0)


def _term_shares(year: np.ndarray, start: np.ndarray, leave: np.ndarray,
                 spans: tuple[tuple[int, int, int, int], ...]) -> np.ndarray:
    """(rows, terms) share of each term's days the enrolment is on roll (0 to 1)."""
    out = np.empty((len(year), len(spans)))
    for term, span in enumerate(spans):
        first, last = _span(year, *span)
        out[:, term] = _days_on_roll(first, last, start, leave) / (last - first).astype(np.int64)
    return np.clip(out, 0.0, 1.0)


def _collections(year: np.ndarray, start: np.ndarray, leave: np.ndarray,
                 on_roll: np.ndarray) -> np.ndarray:
    """(rows, 3) each collection's code for the enrolment (spring census: the autumn term;
    summer census: the spring term; next autumn census: the summer term): ``ON_ROLL`` on its
    day, ``LEFT`` if the pupil left having been on roll in the term, else ``NOT_RETURNED``."""
    days = (spring_census_day(year), nth_thursday(year + 1, 5, 3), nth_thursday(year + 1, 10, 1))
    out = np.empty((len(year), len(days)), dtype=np.int64)
    for k, day in enumerate(days):
        out[:, k] = np.where((start <= day) & (day < leave), ON_ROLL,
                             np.where(on_roll[:, k] > 0, LEFT, NOT_RETURNED))
    return out


def _sixth_share(year: np.ndarray, start: np.ndarray, leave: np.ndarray,
                 summer: np.ndarray) -> np.ndarray:
    """Per enrolment on roll for part of the summer term: the share of its summer days that
    fall in the second half term (-1 where the whole term is on roll, or none of it)."""
    first, last = _span(year, *TERM_SPANS[2])
    half = ymd(year + 1, *SIXTH_HALF_TERM)
    on_roll = _days_on_roll(first, last, start, leave)
    later = _days_on_roll(half, last, start, leave)
    part = (summer > 0) & (summer < 1)
    return np.where(part, later / np.maximum(on_roll, 1), -1.0)


def _main(pupil_year: np.ndarray, on_roll: np.ndarray) -> np.ndarray:
    """Per enrolment (sorted by pupil-year and start): whether it is the pupil's main record of
    the year, the one with more of the year's days on roll (each term weighing as its
    sessions; the later on a tie)."""
    weight = on_roll @ TERM_SESSIONS
    main = np.ones(len(pupil_year), dtype=bool)
    pair = np.flatnonzero(pupil_year[:-1] == pupil_year[1:])
    earlier_wins = weight[pair] > weight[pair + 1]
    main[pair[earlier_wins] + 1] = False
    main[pair[~earlier_wins]] = False
    return main
