"""The decimal places SQL Server shows a result's column with, on every target.

SQL Server shows a ``DECIMAL(p, s)`` (or ``NUMERIC``) with its ``s`` places and a ``MONEY``
with four: ``CAST(100.0 * 3 / 6 AS DECIMAL(5, 1))`` is ``50.0``, ``AVG(Earnings * 1.0)``
``15827.180000`` (``decimal_types`` works the scale out). SQLite has no decimals: the value is
a float, which printed as ``50`` and ``15827.18``; PostgreSQL's numeric division kept sixteen
to twenty places and DuckDB's gave a float. So a projection whose decimal type is known has
its values shown as decimals of its scale, rounded half away from zero as SQL Server rounds.

A plain SELECT's own projections are read, a ``*`` by its columns' names (a #temp table's
decimal columns, ``decimal_types``), and a UNION's columns by every branch (the type SQL
Server works out from all of them: ``AVG(x * 1.0)`` of an "All" row and of each group has six
places).
"""

from __future__ import annotations

import decimal
import math

from sqlglot import exp

from leo_synth.tsql.decimal_types import MONEY_SCALE, NumberType, number_type, query_types
from leo_synth.tsql.integer_casts import ColumnKinds


def scales(tree: exp.Expression, columns: ColumnKinds
           ) -> list[int | None] | dict[str, int] | None:
    """Per projection of a plain SELECT, the places of its decimal type (None: not a decimal
    known for certain); None when no projection is one, or the statement is not a plain
    SELECT. With a ``*`` among them, by result column name instead (lower case): the
    decimal columns of the script's tables (``ColumnKinds.decimals``) and the projections'
    names."""
    if isinstance(tree, exp.SetOperation):  # (every branch's type, SQL Server's union)
        union = [_scale(typed) for typed in query_types(tree, columns) or []]
        return union if any(places is not None for places in union) else None
    if not isinstance(tree, exp.Select):
        return None
    if any(s.is_star for s in tree.selects):
        named = {name: declared[1] for name, declared in columns.decimals.items()
                 if declared is not None}
        named.update(dict.fromkeys(columns.moneys, MONEY_SCALE))
        for projection in tree.selects:
            places = None if projection.is_star else _scale(
                number_type(projection.unalias(), columns))
            if places is not None:
                named[projection.alias_or_name.lower()] = places
        return named or None
    found = [_scale(number_type(projection.unalias(), columns))
             for projection in tree.selects]
    return found if any(places is not None for places in found) else None


def _scale(known: NumberType | None) -> int | None:
    return None if known is None or known.integer else known.scale


def shown(rows: list[tuple], places: list[int | None]) -> list[tuple]:
    """``rows`` with each number of a column of ``places`` as a decimal of that many places
    (a float by its shortest text: SQLite's float of a cast is already rounded to them), a
    zero without a sign."""
    columns = [(i, decimal.Decimal(1).scaleb(-p)) for i, p in enumerate(places)
               if p is not None]
    digits = decimal.Context(prec=80)  # (a DECIMAL has at most 38 digits)

    def row_shown(row: tuple) -> tuple:
        values = list(row)
        for i, unit in columns:
            value = values[i]
            if isinstance(value, int) and not isinstance(value, bool):
                value = decimal.Decimal(value)
            elif isinstance(value, float) and math.isfinite(value):
                value = decimal.Decimal(repr(value))
            if isinstance(value, decimal.Decimal) and value.is_finite():
                value = value.quantize(unit, rounding=decimal.ROUND_HALF_UP, context=digits)
                # (a decimal has no negative zero: SQLite's float of CEILING(-0.5) was -0)
                values[i] = abs(value) if value.is_zero() else value
        return tuple(values)

    return [row_shown(row) for row in rows]
