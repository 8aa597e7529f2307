"""Year sets and the calendars of the extract.

Every year in a spec is the *start* year of an academic or tax year: ``2010`` means the academic
year 2010/11 (1 September 2010 to 31 August 2011) or the tax year 2010/11 (6 April 2010 to
5 April 2011). Relation names use the *end* year, as the SRS does (``spring_census_2011`` is the
spring census of 2010/11).
"""

from __future__ import annotations

import re

_RANGE_RE = re.compile(r"^\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?$")

CALENDARS = ("academic", "tax", "none")


class YearSetError(ValueError):
    """A years expression that cannot be parsed."""


def parse_years(value: object) -> frozenset[int]:
    """Parse ``2001-2020``, ``"2001-2004;2006-2020"``, ``2010`` or a list of those."""
    if isinstance(value, bool) or value is None:
        raise YearSetError(f"bad years {value!r}; expected e.g. 2001-2020")
    if isinstance(value, int):
        return frozenset({value})
    parts: list[object] = list(value) if isinstance(value, list | tuple) else str(value).split(";")
    years: set[int] = set()
    for part in parts:
        if isinstance(part, int) and not isinstance(part, bool):
            years.add(part)
            continue
        match = _RANGE_RE.match(str(part))
        if not match:
            raise YearSetError(f"bad years {value!r}; expected e.g. 2001-2020 or "
                               f"'2001-2004;2006-2020'")
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if last < first or not 1900 <= first <= 2100:
            raise YearSetError(f"bad year range {part!r} in {value!r}")
        years.update(range(first, last + 1))
    return frozenset(years)


def format_years(years: frozenset[int] | set[int]) -> str:
    """Render a year set compactly as ``2001-2004;2006-2020``."""
    ordered = sorted(years)
    runs: list[str] = []
    start = prev = None
    for year in ordered:
        if start is None:
            start = prev = year
        elif year == prev + 1:
            prev = year
        else:
            runs.append(f"{start}-{prev}")
            start = prev = year
    if start is not None:
        runs.append(f"{start}-{prev}")
    return ";".join(runs)


def academic_year_label(start: int, short: bool = False) -> str:
    """``2010`` -> ``'2010/2011'`` (NPD ``ACADYR``) or ``'2010/11'`` when ``short``."""
    end = start + 1
    return f"{start}/{end % 100:02d}" if short else f"{start}/{end}"


def academic_year_labels(starts, short: bool = False):
    """Vectorised :func:`academic_year_label`: ``[2010]`` -> ``['2010/2011']`` (or
    ``['2010/11']``); each distinct year is formatted once (a block's rows hold a few)."""
    import numpy as np

    starts = np.asarray(starts, dtype=np.int64)
    distinct, inverse = np.unique(starts, return_inverse=True)
    labels = np.array([academic_year_label(start, short) for start in distinct.tolist()],
                      dtype=str)
    return labels[inverse].reshape(starts.shape)


def tax_year_code(start):
    """``2018`` -> ``201819``, the LEO ``TaxYear`` integer (works on numpy arrays too)."""
    return start * 100 + (start + 1) % 100


def describe_years(years: frozenset[int], calendar: str) -> str:
    """Human label for a year set in a calendar, e.g. ``2001/02 to 2020/21``."""
    if not years:
        return "never"
    if calendar == "none":
        return format_years(years)
    runs = format_years(years).split(";")
    out = []
    for run in runs:
        first, last = (int(x) for x in run.split("-"))
        a, b = academic_year_label(first, short=True), academic_year_label(last, short=True)
        out.append(a if first == last else f"{a} to {b}")
    return ", ".join(out)
