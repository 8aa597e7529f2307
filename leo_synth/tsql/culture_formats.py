"""``FORMAT(date, 'd', 'en-GB')``: .NET's standard date formats, written as the culture writes
them, and the ``tt`` (AM or PM) and ``ddd`` (``Fri``) of a custom format.

sqlglot reads a one-letter format as the ``en-US`` pattern whatever the culture (``'d'`` is
``%m/%d/%Y``, so a UK researcher's ``FORMAT(d, 'd', 'en-GB')`` put the month first), writes
``'D'`` as ``Tuesday,March,2019`` (.NET: ``Tuesday, March 5, 2019``) and keeps ``tt`` as the
letters ``tt``. Here the standard formats of dates (``d``, ``D``, ``t``, ``T``, ``M``, ``y``,
``s``) are the patterns of ``en-US`` (the session's, when no culture is given) and ``en-GB``;
``f``, ``F``, ``g`` and ``G``, which are number formats too, and other cultures are left to
sqlglot's reading.
"""

from __future__ import annotations

from sqlglot import exp
from sqlglot.dialects.tsql import TSQL
from sqlglot.time import format_time

STANDARD = {
    "en-us": {"d": "%-m/%-d/%Y", "D": "%A, %B %-d, %Y", "t": "%-I:%M %p", "T": "%-I:%M:%S %p",
              "M": "%B %-d", "m": "%B %-d", "y": "%B %Y", "Y": "%B %Y",
              "s": "%Y-%m-%dT%H:%M:%S"},
    "en-gb": {"d": "%d/%m/%Y", "D": "%d %B %Y", "t": "%H:%M", "T": "%H:%M:%S",
              "M": "%-d %B", "m": "%-d %B", "y": "%B %Y", "Y": "%B %Y",
              "s": "%Y-%m-%dT%H:%M:%S"},
}
"""Per culture (lower case), the strftime pattern of each standard date format."""
CUSTOM = {**TSQL.TIME_MAPPING, "tt": "%p", "ddd": "%a"}
"""A custom format's letters (sqlglot's, ``tt``, the 12-hour clock's AM or PM, and ``ddd``,
the day's name in three letters, which sqlglot kept as the letters or read as ``dd`` and
``d``: ``FORMAT(d, 'ddd d MMM')`` was ``055 5 Apr`` for ``Fri 5 Apr``)."""


def build_format(args: list[exp.Expression]) -> exp.Expression:
    """``FORMAT(value, format [, culture])`` as sqlglot builds it, but for a standard date
    format in a culture of :data:`STANDARD` and a custom one with ``tt`` or ``ddd``."""
    value, form = args[0] if args else None, args[1] if len(args) > 1 else None
    culture = args[2] if len(args) > 2 else None
    if isinstance(form, exp.Literal) and form.is_string:
        name = form.name
        where = culture.name.lower() if isinstance(culture, exp.Literal) else "en-us"
        if len(name) == 1 and name in STANDARD.get(where, {}):
            return exp.TimeToStr(this=value, format=exp.Literal.string(STANDARD[where][name]),
                                 culture=culture)
        if "tt" in name or "ddd" in name.replace("dddd", ""):
            return exp.TimeToStr(this=value, format=exp.Literal.string(
                format_time(name, CUSTOM)), culture=culture)
    return TSQL.parser_class.FUNCTIONS["FORMAT"](args)
