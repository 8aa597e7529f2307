"""The day a pupil who changes school within a phase joins the new school.

A move is simulated as the academic year of the first census at the new school; the day is
drawn within that year, from 1 September to its spring census day (a pupil in the January
census entered on or before census day), by month (``schooling.move_month_shares``: September
to January) and then uniformly over the school days (Monday to Friday) of the month's
window. A phase start (Reception, Year 7) stays 1 September.
"""

from __future__ import annotations

import numpy as np

from leo_synth.simulation.calendar import spring_census_day, ymd

MONTH_WINDOWS = ((9, 1, 30), (10, 1, 31), (11, 1, 30), (12, 1, 19), (1, 4, 31))
"""(month, first day, last day) of the term days each share of ``move_month_shares`` covers;
January's window ends on spring census day."""


def move_dates(shares: list[float], year: np.ndarray, month_draw: np.ndarray,
               day_draw: np.ndarray) -> np.ndarray:
    """Per move, its entry day (datetime64[D]) in academic year ``year``, from two uniform draws
    on [0, 1): the month (weighted by ``shares``) and the day within the month's window."""
    year = np.asarray(year, dtype=np.int64)
    p = np.asarray(shares, dtype=float)
    which = np.minimum(np.searchsorted(np.cumsum(p) / p.sum(), month_draw, side="right"),
                       len(MONTH_WINDOWS) - 1)
    month, first, last = (np.array(column)[which] for column in zip(*MONTH_WINDOWS, strict=True))
    census = spring_census_day(year)
    calendar_year = np.where(month >= 9, year, year + 1)
    start = ymd(calendar_year, month, first)
    end = np.where(month == 1, census, ymd(calendar_year, month, last))
    # a school day (Monday to Friday) of the window, uniformly
    days = np.busday_count(start, end + np.timedelta64(1, "D"))
    offset = np.minimum((day_draw * days).astype(np.int64), days - 1)
    return np.busday_offset(start, offset, roll="forward")
