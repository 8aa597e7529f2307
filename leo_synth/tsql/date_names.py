"""``DATENAME`` of a part that is a number: the number as text, as SQL Server writes it.

SQL Server's ``DATENAME`` gives the month's and the weekday's names, and for every other
part the number ``DATEPART`` gives, as text without padding: ``DATENAME(day, '2015-02-01')``
is ``'1'``, ``DATENAME(week, ...)`` ``'6'``, ``DATENAME(dayofyear, ...)`` ``'32'``. sqlglot
reads ``DATENAME`` as a strftime pattern, which pads (``'01'``, ``'032'``), counts weeks
from Monday (``'04'``), reads ``dy`` as the day of the month and ``hour`` as ``%h``, the
month's short name (``'Feb'`` on DuckDB; NULL on SQLite). So such a ``DATENAME`` is read as
``CAST(DATEPART(part, d) AS NVARCHAR(30))``, whose translation knows each part (and
``DATEFIRST``'s weeks).
"""

from __future__ import annotations

from typing import Any

from sqlglot import exp
from sqlglot.dialects.dialect import map_date_part
from sqlglot.dialects.tsql import TSQL

NAMED_PARTS = {"month", "mm", "m", "weekday", "dw", "w"}
"""The parts ``DATENAME`` writes as names (``February``, ``Sunday``)."""


def build_datename(args: list[Any]) -> exp.Expression:
    """The parse of ``DATENAME(part, d)``: a name's as sqlglot reads it, a number's as the
    text of its ``DATEPART``."""
    part = args[0].name.lower() if args else ""
    if part in NAMED_PARTS or len(args) != 2:
        return TSQL.parser_class.FUNCTIONS["DATENAME"](args)
    number = exp.Extract(this=map_date_part(exp.var(part), TSQL), expression=args[1])
    return exp.cast(number, exp.DataType.build("NVARCHAR(30)", dialect="tsql"))
