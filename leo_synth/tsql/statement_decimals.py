"""A column name of one decimal type in every table a statement reads, as that decimal there.

The translator knows a column's type by its name wherever met: ``earnings`` is a decimal
only if every table met so far holds it so. A #temp table's ``earnings DECIMAL(12, 2)``
(FFT's earnings tables) is also the extract's ``leo_earnings.Earnings``, an ``int``, so its
sums and averages on SQLite were shown as integers (``30851020`` where SQL Server shows
``30851020.00``, a moving average ``57503.33333`` for ``57503.333333``). Within a statement
whose tables all hold the name as one decimal type, the name is that decimal
(:func:`statement_decimals`; :func:`scoped` lends it to the translator for the statement).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlglot import exp

Decimal = tuple[int, int]
_MISSING = object()


def statement_decimals(tree: exp.Expression,
                       columns_of: Callable[[exp.Table], list[str] | None],
                       decimals_of: Callable[[exp.Table], dict[str, Decimal]]
                       ) -> dict[str, Decimal]:
    """The column names (lower case) that every table ``tree`` reads and holds (a CTE's
    name is no table) holds as one decimal type, with that type (``columns_of``: a table's
    columns, None when unknown; ``decimals_of``: its decimal columns)."""
    ctes = {cte.alias.lower() for cte in tree.find_all(exp.CTE)}
    held: dict[str, set[Decimal | None]] = {}
    for table in tree.find_all(exp.Table):
        if table.name.lower() in ctes or not table.name:
            continue
        names = columns_of(table)
        if names is None:
            continue
        decimals = decimals_of(table)
        for name in names:
            held.setdefault(name.lower(), set()).add(decimals.get(name.lower()))
    return {name: next(iter(kinds)) for name, kinds in held.items()
            if len(kinds) == 1 and None not in kinds}


@contextmanager
def scoped(local: dict[str, Decimal], decimals: dict[str, Decimal | None],
           integers: dict[str, bool], ints: dict[str, bool]) -> Iterator[None]:
    """The translator's ``decimals``, ``integers`` and ``ints`` holding ``local``'s names as
    decimals while the statement is translated, and as they were after (other names it
    learns meanwhile kept)."""
    saved = [(kinds, name, kinds.get(name, _MISSING))
             for kinds in (decimals, integers, ints) for name in local]
    decimals.update(local)
    integers.update(dict.fromkeys(local, False))
    ints.update(dict.fromkeys(local, False))
    try:
        yield
    finally:
        for kinds, name, value in saved:
            if value is _MISSING:
                kinds.pop(name, None)
            else:
                kinds[name] = value
