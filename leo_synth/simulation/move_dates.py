"""The day a pupil who changes school within a phase joins the new school.

A move is simulated as the academic year of the first spring census at the new school; the
day is drawn by month (``schooling.move_month_shares``: September to July) and then uniformly
over the school days (Monday to Friday) of the month's window: from 1 September to that year's
spring census day (a pupil in the January census entered on or before census day), or from
February to July of the year before, after its spring census (the summer census, and the next
autumn's, find the pupil at the new school from that day). A phase start (Reception, Year 7)
stays 1 September.
"""

from __future__ import annotations

import numpy as np

from leo_synth.simulation.calendar import spring_census_day, ymd

MONTH_WINDOWS = ((9, 1, 30), (10, 1, 31), (11, 1, 30), (12, 1, 19), (1, 4, 31), (2, 1, 28),
                 (3, 1, 31), (4, 1, 30), (5, 1, 31), (6, 1, 30), (7, 1, 20))
"""(month, first day, last day) of the term days each share of ``move_month_shares`` covers,
September to July; January's window ends on spring census day (February's is after the
year before's)."""
YEAR_BEFORE_MONTHS = (2, 3, 4, 5, 6, 7)
"""The months of a move in the academic year before its first spring census at the new
school (after that year's spring census day)."""


def move_dates(shares: list[float], year: np.ndarray, month_draw: np.ndarray,
               day_draw: np.ndarray) -> np.ndarray:
    """Per move, its entry day (datetime64[D]) from September to the spring census day of
    academic year ``year``, or from February to July of the year before, from two uniform draws
    on [0, 1): the month (weighted by ``shares``) and the day within the month's window."""
    year = np.asarray(year, dtype=np.int64)
    p = np.asarray(shares, dtype=float)
    which = np.minimum(np.searchsorted(np.cumsum(p) / p.sum(), month_draw, side="right"),
                       len(MONTH_WINDOWS) - 1)
    month, first, last = (np.array(column)[which] for column in zip(*MONTH_WINDOWS, strict=True))
    # September to December of ``year``, January of the next calendar year, February to July
    # (YEAR_BEFORE_MONTHS) of the calendar year ``year`` itself: the academic year before
    calendar_year = np.where(month == 1, year + 1, year)
    start = ymd(calendar_year, month, first)
    end = np.where(month == 1, spring_census_day(year), ymd(calendar_year, month, last))
    # a school day (Monday to Friday) of the window, uniformly
    days = np.busday_count(start, end + np.timedelta64(1, "D"))
    offset = np.minimum((day_draw * days).astype(np.int64), days - 1)
    return np.busday_offset(start, offset, roll="forward")
