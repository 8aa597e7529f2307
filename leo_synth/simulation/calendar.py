"""Dates and the calendars of the extract, vectorised over numpy ``datetime64[D]`` arrays.

Academic years run 1 September to 31 August, tax years 6 April to 5 April, HESA reporting years
1 August to 31 July. A year is always named by its start year.
"""

from __future__ import annotations

import numpy as np

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
    months = ((year - 1970) * 12 + (month - 1)).astype("datetime64[M]")
    return months.astype("datetime64[D]") + (day - 1).astype("timedelta64[D]")


def year_of(dates: np.ndarray) -> np.ndarray:
    return dates.astype("datetime64[Y]").astype(np.int64) + 1970


def month_of(dates: np.ndarray) -> np.ndarray:
    return dates.astype("datetime64[M]").astype(np.int64) % 12 + 1


def day_of(dates: np.ndarray) -> np.ndarray:
    return (dates - dates.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1


def academic_year_of(dates: np.ndarray) -> np.ndarray:
    """Start year of the academic year (1 Sep - 31 Aug) containing each date."""
    return year_of(dates) - (month_of(dates) < 9)


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
