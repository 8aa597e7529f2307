"""Dates and the calendars of the extract, vectorised over numpy ``datetime64[D]`` arrays.

Academic years run 1 September to 31 August, tax years 6 April to 5 April, HESA reporting years
1 August to 31 July. A year is always named by its start year.
"""

from __future__ import annotations

import numpy as np

from leo_synth.simulation.day_tables import day_positions, day_tables, month_positions

DAY = np.timedelta64(1, "D")
OPEN_END = np.datetime64("9999-12-31")
"""End date of spells still open at the extract date, as the real tables carry them."""

FIRST_ACADEMIC_YEAR = 2001  # 2001/02, first School Census (PLASC) year in the extract
LAST_ACADEMIC_YEAR = 2020  # 2020/21
FIRST_TAX_YEAR = 1997  # 1997/98, first employment year
LAST_TAX_YEAR = 2020  # 2020/21
EXTRACT_END = np.datetime64("2021-04-05")  # end of the last tax year covered


def ymd(year: np.ndarray | int, month: np.ndarray | int, day: np.ndarray | int) -> np.ndarray:
    """Vectorised date construction (no validation of day-of-month overflow)."""
    year = np.asarray(year, dtype=np.int64)
    month = np.asarray(month, dtype=np.int64)
    day = np.asarray(day, dtype=np.int64)
    months = (year - 1970) * 12 + (month - 1)
    at = month_positions(months)
    if at is not None:  # (the month's first day from the table; scalars as below)
        return (day_tables().month_start.take(at) + (day - 1)).view(_DAYS)
    return months.astype("datetime64[M]").astype(_DAYS) + (day - 1).astype("timedelta64[D]")


def year_of(dates: np.ndarray) -> np.ndarray:
    at = day_positions(dates)
    if at is not None:
        return day_tables().year.take(at)
    civil = _civil(dates)
    if civil is None:
        return dates.astype("datetime64[Y]").astype(np.int64) + 1970
    year, doy = civil
    return year + (doy >= 306)  # (January and February end the March-based year)


def month_of(dates: np.ndarray) -> np.ndarray:
    at = day_positions(dates)
    if at is not None:
        return day_tables().month.take(at)
    civil = _civil(dates)
    if civil is None:
        return dates.astype("datetime64[M]").astype(np.int64) % 12 + 1
    mp = (5 * civil[1] + 2) // 153  # month from March, 0 .. 11
    return np.where(mp < 10, mp + 3, mp - 9)


def day_of(dates: np.ndarray) -> np.ndarray:
    at = day_positions(dates)
    if at is not None:
        return day_tables().day.take(at)
    civil = _civil(dates)
    if civil is None:
        return (dates - dates.astype("datetime64[M]").astype("datetime64[D]")).astype(
            np.int64) + 1
    doy = civil[1]
    return doy - (153 * ((5 * doy + 2) // 153) + 2) // 5 + 1


def _civil(dates: object) -> tuple[np.ndarray, np.ndarray] | None:
    """For an array of days (``datetime64[D]``) beyond the day tables' years
    (``simulation/day_tables.py``): the year starting on 1 March that holds each,
    and the day of that year (0 .. 365), by integer arithmetic (H. Hinnant's
    ``civil_from_days``; numpy's conversion to years or months goes through its calendar date
    by date, twice as slow). None for anything else (other units, NaT, scalars), which numpy's
    conversions read as they always did."""
    if (type(dates) is not np.ndarray or dates.dtype != _DAYS or not dates.ndim
            or np.isnat(dates).any()):
        return None
    z = dates.view(np.int64) + 719468  # days since 0000-03-01
    era = z // 146097
    doe = z - era * 146097  # day of the 400-year era, 0 .. 146096
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365  # year of the era
    return yoe + era * 400, doe - (365 * yoe + yoe // 4 - yoe // 100)


_DAYS = np.dtype("datetime64[D]")


def academic_year_of(dates: np.ndarray) -> np.ndarray:
    """Start year of the academic year (1 Sep - 31 Aug) containing each date."""
    return year_of(dates) - (month_of(dates) < 9)


def ilr_year_of(dates: np.ndarray) -> np.ndarray:
    """Start year of the ILR's academic year (1 Aug - 31 Jul: its ``Year``) containing each
    date: an aim ending in August ends in the next ILR year (the school year's August is
    the previous one's)."""
    return year_of(dates) - (month_of(dates) < 8)


def tax_year_of(dates: np.ndarray) -> np.ndarray:
    """Start year of the tax year (6 Apr - 5 Apr) containing each date."""
    month, day = month_of(dates), day_of(dates)
    before = (month < 4) | ((month == 4) & (day < 6))
    return year_of(dates) - before


def tax_year_start(year: np.ndarray | int) -> np.ndarray:
    return ymd(year, 4, 6)


def tax_year_end(year: np.ndarray | int) -> np.ndarray:
    return ymd(np.asarray(year) + 1, 4, 5)


def academic_year_start(year: np.ndarray | int) -> np.ndarray:
    return ymd(year, 9, 1)


def academic_year_end(year: np.ndarray | int) -> np.ndarray:
    return ymd(np.asarray(year) + 1, 8, 31)


def age_on(birth: np.ndarray, dates: np.ndarray) -> np.ndarray:
    """Whole years of age on each date."""
    years = year_of(dates) - year_of(birth)
    month, birth_month = month_of(dates), month_of(birth)
    had_birthday = (month > birth_month) | (
        (month == birth_month) & (day_of(dates) >= day_of(birth))
    )
    return years - (~had_birthday)


def add_days(dates: np.ndarray, days: np.ndarray) -> np.ndarray:
    return dates + np.asarray(np.round(days), dtype=np.int64).astype("timedelta64[D]")


def nth_thursday(year: np.ndarray | int, month: int, nth: int) -> np.ndarray:
    """The ``nth`` Thursday of a month of each year (census days are Thursdays)."""
    first = ymd(year, month, 1)
    weekday = (first.astype(np.int64) + 3) % 7  # Monday 0 (1 January 1970 was a Thursday)
    return first + ((3 - weekday) % 7 + 7 * (nth - 1)).astype("timedelta64[D]")


def spring_census_day(year: np.ndarray | int) -> np.ndarray:
    """Spring School Census day of academic years: the third Thursday of January."""
    return nth_thursday(np.asarray(year) + 1, 1, 3)


def yyyymmdd(dates: object) -> np.ndarray:
    """Days (datetime64[D]) as yyyymmdd integers (the key stage tables' date columns)."""
    days = np.asarray(dates).astype("datetime64[D]")
    return (year_of(days) * 10_000 + month_of(days) * 100 + day_of(days)).astype(np.int64)
