"""``master..spt_values``: the numbers table of SQL Server's ``master`` database.

Scripts that need a run of numbers (months of a tax year, days of a spell, years of a
cohort) read them from ``master..spt_values``, whose 2,048 rows of type ``'P'`` number 0 to
2,047 (``SELECT number FROM master..spt_values WHERE type = 'P' AND number < 12``). It is
readable by every login, the SRS's too, so the idiom is common in SRS scripts; here it
stopped with "unknown SRS database 'master'". The view holds those 2,048 rows: ``number``
as in SQL Server, ``low`` and ``high`` by the byte-and-bit rule its rows of type ``'P'``
follow (``number / 8 + 1`` and 2 to the power ``number % 8``, a rule not checked against a
SQL Server here; no LEO script seen reads them).
The other types' rows, lists of SQL Server's own codes, are left out.
"""

from __future__ import annotations

from collections.abc import Callable

VIEWS: dict[str, tuple[str, ...]] = {
    "spt_values": ("name", "number", "type", "low", "high", "status"),
}
_TEXT_COLUMNS = {"name", "type"}
NUMBERS = 2048
"""How many rows of type 'P' SQL Server's ``spt_values`` has: 0 to 2,047."""


def columns(view: str) -> list[tuple[str, bool]]:
    """The view's columns, each with whether it holds integers."""
    return [(name, name not in _TEXT_COLUMNS) for name in VIEWS[view]]


def rows(view: str, relations: list[str], database: str | None,
         columns_of: Callable[[str], set[str]]) -> list[tuple]:
    """The view's rows (the extract's relations do not enter into them)."""
    del view, relations, database, columns_of
    return [(None, number, "P", number // 8 + 1, 2 ** (number % 8), 0)
            for number in range(NUMBERS)]
