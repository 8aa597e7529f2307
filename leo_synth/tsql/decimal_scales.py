"""The decimal places of a SQLite result's column that the script casts to a fixed scale.

SQL Server shows a ``DECIMAL(p, s)`` (or ``NUMERIC``) with its ``s`` places and a ``MONEY``
with four: ``CAST(100.0 * 3 / 6 AS DECIMAL(5, 1))`` is ``50.0``, and so it is on PostgreSQL
and DuckDB, whose decimals keep their scale. SQLite has no decimals: the value is a float,
which printed as ``50``. So a projection that is such a cast (the commonest way researchers
round a percentage or a mean) has its values shown as decimals of its scale.

Only a plain SELECT's own projections are read: a column of a #temp table declared DECIMAL
and read back, or a UNION (whose type SQL Server works out from every branch), still shows
SQLite's float (rejected: typing every expression, for a difference of trailing zeros).
"""

from __future__ import annotations

import decimal
import math

from sqlglot import exp

from leo_synth.tsql.try_conversions import decimal_digits
from leo_synth.tsql.value_rewrites import cast_parts

MONEY_PLACES = 4
"""SQL Server's scale of MONEY and SMALLMONEY."""
_MONEY = (exp.DataType.Type.MONEY, exp.DataType.Type.SMALLMONEY)


def scales(tree: exp.Expression) -> list[int | None] | None:
    """Per projection of a plain SELECT, the places of the decimal it casts to (None: not
    such a cast); None when no projection is one, or the statement is not a plain SELECT."""
    if not isinstance(tree, exp.Select) or any(s.is_star for s in tree.selects):
        return None
    found = [_scale(projection.unalias()) for projection in tree.selects]
    return found if any(places is not None for places in found) else None


def _scale(node: exp.Expression) -> int | None:
    parts = cast_parts(node)
    if parts is None:
        return None
    to = parts[1]
    if to.is_type(*_MONEY):
        return MONEY_PLACES
    return decimal_digits(to)[1] if to.is_type(exp.DataType.Type.DECIMAL) else None


def shown(rows: list[tuple], places: list[int | None]) -> list[tuple]:
    """``rows`` with each number of a column of ``places`` as a decimal of that many places
    (SQLite's float of the cast, already rounded to them)."""
    columns = [(i, decimal.Decimal(1).scaleb(-p)) for i, p in enumerate(places)
               if p is not None]
    digits = decimal.Context(prec=80)  # (a DECIMAL has at most 38 digits)

    def row_shown(row: tuple) -> tuple:
        values = list(row)
        for i, unit in columns:
            value = values[i]
            if isinstance(value, int) and not isinstance(value, bool):
                values[i] = decimal.Decimal(value).quantize(unit, context=digits)
            elif isinstance(value, float) and math.isfinite(value):
                values[i] = decimal.Decimal(repr(value)).quantize(unit, context=digits)
        return tuple(values)

    return [row_shown(row) for row in rows]
