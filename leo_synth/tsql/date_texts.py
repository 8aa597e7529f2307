"""Text that SQL Server reads as a date or a date and time, and how it reads it.

No parsing of SQL here: :mod:`date_literals` reads the literals of a script with it when it
translates, and the SQLite target's conversion function (``sqlite_functions.to_date``) the
values a query casts to a date, row by row.
"""

from __future__ import annotations

import datetime as dt
import re

DATE_TEXT = re.compile(
    r"\s*(?P<y>[0-9]{4})(?:(?P<sep>[-/.])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})"
    r"|(?P<mm>[0-9]{2})(?P<dd>[0-9]{2}))"
    r"(?:[ T](?P<time>[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?))?\s*")
"""``YYYYMMDD``, ``YYYY-MM-DD``, ``YYYY/MM/DD`` or ``YYYY.MM.DD``, with or without a time:
the forms SQL Server reads as year, month, day whatever its language. Separated, the month
and day may have one digit (``'2000-9-1'``, as ``CONCAT(year, '-', month, '-1')`` writes
them), as SQL Server reads them; unseparated, each has two."""
NUMBERED = re.compile(
    r"\s*(?P<a>[0-9]{1,2})(?P<sep>[-/.])(?P<b>[0-9]{1,2})(?P=sep)(?P<y>[0-9]{4}|[0-9]{2})"
    r"(?:\s+(?P<time>[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?))?\s*")
"""``01/02/2015`` (``-`` or ``.`` too): day and month in the order ``DATEFORMAT`` says; the
year in two digits too (``'1/2/15'``, SQL Server's documented ``[m]m/dd/[yy]yy``), read by
its cutoff (:func:`full_year`)."""
YEAR_FIRST = re.compile(
    r"\s*(?P<y>[0-9]{2})(?P<sep>[-/.])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})"
    r"(?:\s+(?P<time>[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?))?\s*")
"""``15/07/31``: a two-digit year first, then the month and day, as SQL Server reads it under
``DATEFORMAT ymd`` (``CONVERT``'s styles 2, 11, 102 and 111); four digits are
:data:`DATE_TEXT`'s."""
MONTHS = {name: number for number, month in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"), start=1) for name in (month, month[:3])}
"""The month names ``us_english`` reads in a date (whole or their first three letters)."""
_MONTH = r"(?P<mon>[A-Za-z]{3,9})\.?"
_TIME = (r"(?:\s+(?P<time>[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:[.:][0-9]+)?)?)"
         r"\s*(?P<noon>[AaPp][Mm])?)?\s*")
_SEP = r"[\s,/.-]+"
NAMED = [re.compile(r"\s*" + form + _TIME) for form in (
    rf"(?P<d>[0-9]{{1,2}}){_SEP}{_MONTH}{_SEP}(?P<y>[0-9]{{4}}|[0-9]{{2}})",
    rf"{_MONTH}{_SEP}(?P<d>[0-9]{{1,2}}),?{_SEP}(?P<y>[0-9]{{4}})",
    rf"(?P<y>[0-9]{{4}}){_SEP}{_MONTH}(?:{_SEP}(?P<d>[0-9]{{1,2}}))?",
    rf"{_MONTH}{_SEP}(?P<y>[0-9]{{4}})")]
"""SQL Server's alphabetic forms: ``'1 Jan 2015'``, ``'01-JAN-15'``, ``'January 1, 2015'``,
``'2015 Jan 1'``, ``'Jan 2015'`` (the first), read the same whatever the ``DATEFORMAT``; a
time after them as ``CONVERT``'s styles 0 and 9 write it too (``'Jan  1 2015 10:15AM'``,
``'Jan  1 2015 10:15:30:123PM'``: a 12-hour clock, milliseconds after a colon)."""
DAY_ZERO = dt.date(1900, 1, 1)
"""The date SQL Server reads the number 0 as (``CAST(0 AS DATETIME)``)."""
TWO_DIGIT_CUTOFF = 2049
"""SQL Server's default two-digit year cutoff: ``'15'`` is 2015, ``'50'`` 1950."""
DATE_FAILED = "Conversion failed when converting date and/or time from character string."
MOMENT_PLACES = 3
"""The places of a second a ``DATETIME`` or ``SMALLDATETIME`` reads in text."""
"""SQL Server's error 241: text it does not read as a date."""


SIX_DIGITS = re.compile(r"\s*(?P<y>[0-9]{2})(?P<m>[0-9]{2})(?P<d>[0-9]{2})\s*")
"""``yymmdd`` (``'150731'``): six digits, which SQL Server reads as year, month and day
whatever the ``DATEFORMAT`` (its documented unseparated ``[yy]yymmdd``), the year by its
cutoff."""
YEAR_ALONE = re.compile(r"\s*\d{4}\s*")
"""A year written alone (``'2015'``), which SQL Server reads as 1 January of it."""
TIME_ALONE = re.compile(r"\s*(?P<time>[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)"
                        r"\s*(?P<noon>[AaPp][Mm])?\s*")
"""A time written alone (``'23:59:59'``, ``'10:15'``, ``'2:30PM'``), which SQL Server reads
as that time on 1900-01-01, its day 0, where it wants a date and time
(``DATEDIFF(minute, t, '23:59:59')``), and as that day where it wants a date."""


def iso(text: str, date_only: bool, order: str = "mdy", moment: bool = False) -> str | None:
    """``text`` in ISO form (``YYYY-MM-DD[ hh:mm[:ss]]``) if SQL Server reads it as a date
    under ``DATEFORMAT order``, else None (also for a day that does not exist). Blank text
    is 1900-01-01, SQL Server's day 0, as it converts it. Read as a ``DATETIME`` or
    ``SMALLDATETIME`` (``moment``), a separated ``YYYY-MM-DD`` is year, day, month under
    ``dmy`` (``SET LANGUAGE british``), as SQL Server reads it for those two types alone:
    ``'2015-04-06'`` is 4 June; unseparated and ``T`` forms are read the same whatever the
    order. Those two types read no more than three places of a second (``'10:00:00.1234'``
    is no ``DATETIME``: SYSDATETIME()'s text put in one)."""
    if not text.strip():
        return "1900-01-01"
    if YEAR_ALONE.fullmatch(text):  # (four digits: 1 January of that year, as documented)
        return f"{text.strip()}-01-01" if text.strip() >= "0001" else None
    if (alone := TIME_ALONE.fullmatch(text)) is not None:
        return _time_alone(alone, date_only, moment)
    found = DATE_TEXT.fullmatch(text)
    time = found["time"] if found is not None else None
    if (six := SIX_DIGITS.fullmatch(text)) is not None:
        year, month, day = full_year(six["y"]), int(six["m"]), int(six["d"])
    elif found is not None:
        year, month, day = (int(found[k] or found[alone]) for k, alone in (
            ("y", "y"), ("m", "mm"), ("d", "dd")))
        if moment and order == "dmy" and found["sep"] and "T" not in text.upper():
            month, day = day, month
    elif (found := named(text)) is not None:
        year, month, day = named_parts(found)
        time = _clock(found["time"], found["noon"])
    elif order == "ymd" and (first := YEAR_FIRST.fullmatch(text)) is not None:
        year, month, day = full_year(first["y"]), int(first["m"]), int(first["d"])
        time = first["time"]
    else:
        found = NUMBERED.fullmatch(text)
        if found is None or order not in ("mdy", "dmy"):
            return None
        first, second, time = int(found["a"]), int(found["b"]), found["time"]
        year = full_year(found["y"])
        month, day = (first, second) if order == "mdy" else (second, first)
    if moment and time and _places(time) > MOMENT_PLACES:
        return None
    try:
        date = dt.date(year, month, day).isoformat()
    except ValueError:
        return None
    return date if date_only or not time else f"{date} {time}"


def _time_alone(found: re.Match[str], date_only: bool, moment: bool) -> str | None:
    """Day 0 with the time ``found`` (:data:`TIME_ALONE`), or day 0 alone (``date_only``);
    None for a time that is no time of day (``'25:00'``, ``'13:00PM'``)."""
    hour, minute, *rest = found["time"].split(":")
    second = float(rest[0]) if rest else 0.0
    noon = found["noon"]
    if not (int(minute) < 60 and second < 60 and (
            int(hour) < 24 if noon is None else 0 < int(hour) <= 12)):
        return None
    if moment and _places(found["time"]) > MOMENT_PLACES:
        return None
    day = DAY_ZERO.isoformat()
    return day if date_only else f"{day} {_clock(found['time'], noon)}"


def _places(time: str) -> int:
    return len(time.partition(".")[2])


def too_precise(text: str) -> bool:
    """Whether ISO text holds more places of a second than a ``DATETIME`` reads."""
    found = DATE_TEXT.fullmatch(text)
    return found is not None and bool(found["time"]) and _places(found["time"]) > (
        MOMENT_PLACES)


def _clock(time: str | None, noon: str | None) -> str | None:
    """The time of an alphabetic form as ISO text has it: its milliseconds after a point (not
    style 9's colon), its hour of a 24-hour clock in two digits (a 12-hour clock's AM and
    PM read)."""
    if time is None:
        return None
    parts = time.split(":")
    hour = int(parts[0])
    if noon is not None:
        hour = hour % 12 + (12 if noon.upper() == "PM" else 0)
    clock = ":".join([f"{hour:02d}", *parts[1:3]])
    return clock + "." + parts[3] if len(parts) == 4 else clock


def full_year(digits: str) -> int:
    """The year ``digits`` write: two of them by SQL Server's cutoff (``'15'`` is 2015,
    ``'50'`` 1950)."""
    year = int(digits)
    if len(digits) == 2:
        year += 2000 if 2000 + year <= TWO_DIGIT_CUTOFF else 1900
    return year


def named(text: str) -> re.Match[str] | None:
    """The match of ``text`` by one of the alphabetic forms, its month a month's name."""
    for form in NAMED:
        found = form.fullmatch(text)
        if found is not None and found["mon"].lower() in MONTHS:
            return found
    return None


def named_parts(found: re.Match[str]) -> tuple[int, int, int]:
    """(year, month, day) of an alphabetic date: a two-digit year by SQL Server's cutoff, the
    first of the month when no day is given."""
    day = found.groupdict().get("d")
    return full_year(found["y"]), MONTHS[found["mon"].lower()], int(day) if day else 1


def shaped_as_date(text: str) -> bool:
    """Whether ``text`` has the form of a date that :func:`iso` reads (digits and
    separators, or a month's name), whatever its numbers."""
    return (DATE_TEXT.fullmatch(text) is not None or NUMBERED.fullmatch(text) is not None
            or named(text) is not None)


def not_allowed(kind: str, to: str) -> str:
    """SQL Server's error 529: a type it will not convert to another (``int`` to ``date``)."""
    return f"Explicit conversion from data type {kind} to {to} is not allowed."


DATETIME_OVERFLOW = "Arithmetic overflow error converting expression to data type datetime."
"""SQL Server's error 8115 for a number of days outside a DATETIME's years (1753-9999)."""
DATETIME_DAYS = (-53690, 2958464)
"""The days from 1900-01-01 a DATETIME holds: from 1753-01-01 to the end of 9999-12-31."""


class DayNumberOverflow(ValueError):
    """A number read as days from 1900-01-01 outside a DATETIME (:data:`DATETIME_OVERFLOW`)."""


def day_number(days: float) -> str:
    """The DATETIME SQL Server reads a number as: that many days (and fractions of a day)
    from 1900-01-01, in ISO form; :class:`DayNumberOverflow` outside a DATETIME's years
    (``DATEADD(DAY, 1, 20190101)``: 20 million days; Python's dates stopped at year 9999 with
    an error leo-synth reported as its own fault)."""
    if not DATETIME_DAYS[0] <= days < DATETIME_DAYS[1]:
        raise DayNumberOverflow(DATETIME_OVERFLOW)
    return (dt.datetime.combine(DAY_ZERO, dt.time()) + dt.timedelta(days=days)).isoformat(" ")
