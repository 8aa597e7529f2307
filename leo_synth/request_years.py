"""The years of a variable request: academic years written as on the VRF, read into start years.

The VRF asks, per table, "which variables and years are required"; an approved project then
receives only the views of those years. A request says them as academic years, the way the
extract writes them (``'2010/2011'``) or the way DfE's tables do (``2010/11``), one by one or as
inclusive ranges::

    years: 2010/11 to 2015/16
    years: [2010/11, 2012/13-2014/15]

A year is held as its start year (2010 for 2010/11), the convention of
``Relation.year``. A bare number (``2011``) is refused rather than guessed: a view's suffix is
the year's end (``spring_census_2011``), but LILR's ``Year`` is its start, and a request read
the wrong way would silently drop the year the researcher meant.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_YEAR = r"(\d{4})\s*/\s*(\d{2}|\d{4})"
_ONE = re.compile(rf"\s*{_YEAR}\s*")
_RANGE = re.compile(rf"\s*{_YEAR}\s*(?:-|to|\.\.)\s*{_YEAR}\s*", re.IGNORECASE)
EXAMPLE = "2010/11, 2010/2011 or a range 2010/11 to 2015/16"


def academic_year(start: int) -> str:
    """``2010`` -> ``'2010/11'``."""
    return f"{start}/{(start + 1) % 100:02d}"


def _start(first: str, second: str) -> int | None:
    """The start year of ``first/second``, or None if the two are not consecutive years."""
    start = int(first)
    end = int(second) if len(second) == 4 else start - start % 100 + int(second)
    if len(second) == 2 and end < start:  # 1999/00
        end += 100
    return start if end == start + 1 else None


def parse_item(item: Any) -> tuple[set[int], str | None]:
    """The start years one item names, and a problem (or None)."""
    if isinstance(item, bool) or not isinstance(item, str | int):
        return set(), f"expected an academic year such as {EXAMPLE}, got {item!r}"
    if isinstance(item, int) or item.strip().isdigit():
        year = int(item)
        return set(), (f"{item!r} is ambiguous: write the academic year, "
                       f"{academic_year(year - 1)} or {academic_year(year)}")
    one = _ONE.fullmatch(item)
    if one:
        start = _start(*one.groups())
        return ({start}, None) if start is not None else (
            set(), f"{item!r} is not an academic year (the two years must follow each other)")
    span = _RANGE.fullmatch(item)
    if span:
        first, last = _start(*span.groups()[:2]), _start(*span.groups()[2:])
        if first is None or last is None:
            return set(), (f"{item!r}: each end must be an academic year "
                           "(the two years must follow each other)")
        if last < first:
            return set(), f"{item!r}: the range runs backwards"
        return set(range(first, last + 1)), None
    return set(), f"expected an academic year such as {EXAMPLE}, got {item!r}"


def parse_years(value: Any) -> tuple[frozenset[int], list[str]]:
    """The start years a request's ``years:`` value names, and its problems."""
    items = value if isinstance(value, list) else [value]
    if not items:
        return frozenset(), ["'years' is empty; name at least one academic year, e.g. 2015/16"]
    years: set[int] = set()
    problems = []
    for item in items:
        found, problem = parse_item(item)
        years |= found
        if problem:
            problems.append(problem)
    return frozenset(years), problems


def describe(years: Iterable[int]) -> str:
    """Start years as academic years, runs joined: ``2010/11 to 2012/13, 2015/16``."""
    ordered = sorted(set(years))
    runs: list[list[int]] = []
    for year in ordered:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(academic_year(run[0]) if len(run) == 1
                     else f"{academic_year(run[0])} to {academic_year(run[-1])}" for run in runs)
