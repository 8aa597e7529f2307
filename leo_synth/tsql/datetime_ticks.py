"""A ``DATETIME`` holds its time in steps of 1/300 of a second, as SQL Server stores it.

SQL Server rounds a time to the nearest step when it makes a ``DATETIME`` (half a step up),
and every later use reads the rounded value, shown to the millisecond: ``10:15:30.345`` is
``.347`` and ``23:59:59.999`` the next day's midnight. So ``WHERE d <= '2019-03-31
23:59:59.999'`` over a ``DATETIME`` column also finds the next day's midnight, and a
``DATETIME`` variable set to ``DATEADD(ms, -1, '2019-04-01')`` holds ``2019-04-01`` itself.
The targets kept the milliseconds given and only the result table rounded them, so the day,
``DATEPART(ms, ...)``, the text of a style and comparisons disagreed with SQL Server. Text
read as a ``DATETIME`` (a cast of a literal, a literal compared with or put in a ``DATETIME``
column) and a ``DATETIME`` variable's value are rounded here, as SQL Server stores them.
"""

from __future__ import annotations

import datetime as dt

_STEPS = 300
"""Steps per second of a DATETIME."""


def ticked(moment: dt.datetime) -> dt.datetime:
    """``moment`` rounded to a DATETIME's step, then to the millisecond SQL Server shows
    (``.345`` is ``.347``; ``.999`` the next second)."""
    micros = moment.second * 1_000_000 + moment.microsecond
    steps = (micros * _STEPS + 500_000) // 1_000_000  # (half a step up)
    millis = (20 * steps + 3) // 6  # (steps * 10 / 3, to the nearest millisecond)
    return moment.replace(second=0, microsecond=0) + dt.timedelta(milliseconds=millis)


def ticked_text(text: str) -> str:
    """ISO text of a date and time as a DATETIME holds it (``'2019-03-31 23:59:59.999'`` is
    ``'2019-04-01 00:00:00.000'``); text without a fraction of a second, or that rounds past
    the last day, is given back as it is."""
    if "." not in text[10:]:
        return text
    try:
        moment = ticked(dt.datetime.fromisoformat(text))
    except (ValueError, OverflowError):
        return text
    return moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{moment.microsecond // 1000:03d}"
