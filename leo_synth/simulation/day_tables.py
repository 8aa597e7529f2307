"""Tables of the calendar over the years the extract's dates fall in, for the conversions of
``simulation/calendar.py``: a date's year, month and day, and a month's first day, read by
position instead of computed (one gather in place of a dozen passes of integer arithmetic,
or of numpy's conversions through its calendar, which go date by date).

A block converts some 3.8 million dates; the tables cost 1.8 MB and a millisecond, once per
process. Dates outside the tables' years (an open spell's 9999-12-31, NaT) are left to the
arithmetic, which gives the same values.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np

FIRST_YEAR = 1900
END_YEAR = 2100
"""The tables cover 1 January ``FIRST_YEAR`` to 31 December ``END_YEAR - 1``."""
_FIRST_DAY = int(np.datetime64(f"{FIRST_YEAR}-01-01", "D").view(np.int64))
_FIRST_MONTH = (FIRST_YEAR - 1970) * 12
_DAYS = np.dtype("datetime64[D]")


class DayTables(NamedTuple):
    """Per day from 1 January ``FIRST_YEAR``: its year, month and day of month (int64, as the
    arithmetic gives them); per month from January ``FIRST_YEAR``: its first day (days since
    1970-01-01)."""

    year: np.ndarray
    month: np.ndarray
    day: np.ndarray
    month_start: np.ndarray


@functools.cache
def day_tables() -> DayTables:
    """The tables, made on first use (by numpy's own calendar)."""
    first = np.datetime64(f"{FIRST_YEAR}-01-01", "D")
    days = np.arange(first, np.datetime64(f"{END_YEAR}-01-01", "D"))
    months = days.astype("datetime64[M]")
    year = months.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (days - months.astype(_DAYS)).astype(np.int64) + 1
    month_start = np.arange(_FIRST_MONTH, (END_YEAR - 1970) * 12).astype(
        "datetime64[M]").astype(_DAYS).view(np.int64)
    return DayTables(year, month, day, month_start)


def day_positions(dates: object) -> np.ndarray | None:
    """For an array of days (``datetime64[D]``, one or more dimensions) all within the tables:
    each day's position in them; None for anything else."""
    if type(dates) is not np.ndarray or dates.dtype != _DAYS or not dates.ndim:
        return None
    return _positions(dates.view(np.int64), _FIRST_DAY, len(day_tables().year))


def month_positions(months: np.ndarray) -> np.ndarray | None:
    """For an array of months (since January 1970, one or more dimensions) all within the
    tables: each month's position in ``month_start``; None for anything else."""
    if not months.ndim:
        return None
    return _positions(months, _FIRST_MONTH, len(day_tables().month_start))


def _positions(values: np.ndarray, first: int, size: int) -> np.ndarray | None:
    """``values - first`` when every value lies in ``first .. first + size - 1`` (NaT, the
    least int64, does not), else None."""
    if values.size and (int(values.min()) < first or int(values.max()) >= first + size):
        return None
    return values - first
