"""``PERCENTILE_CONT`` and ``PERCENTILE_DISC`` on every target, as SQL Server computes them.

In T-SQL they exist only as window functions, ``PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY
Earnings) OVER (PARTITION BY TaxYear)``, usually under ``SELECT DISTINCT``: the way researchers
take the medians that LEO's published figures are. NULLs are ignored; CONT interpolates
between the two values around position ``p * (n - 1)`` of the ordered values (a float), DISC
takes the first whose cumulative share reaches ``p`` (a value of the column).

- **DuckDB** has them (sqlglot writes ``QUANTILE_CONT``/``QUANTILE_DISC``) but ignores the
  direction of the ORDER BY: under ``DESC`` they are taken of the negated values, negated back
  (exactly T-SQL's figure; ``1 - p`` would round differently).
- Under ``DESC`` the position is counted from the top (``PERCENTILE_DISC(0.4)`` of 10, 4, 3, 2,
  1 is 4; ascending at 0.6 it would be 3).
- **SQLite** has neither: :func:`register_sqlite` adds two window aggregates written in
  Python (each partition sorted once).
- **PostgreSQL** has them only as ordered-set aggregates, which cannot take OVER: a temporary
  aggregate (:data:`POSTGRES_SETUP`, made in the session's rolled-back transaction) gives each
  row its partition's values sorted, once per partition, and the percentile is read from that
  array. (A function taking the array would be called once per row: four times slower on a
  million rows.)
"""

from __future__ import annotations

import math
import sqlite3
from typing import Any

import sqlglot
from sqlglot import exp

from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.target_dialects import target_sql

POSTGRES_SETUP = (
    "CREATE FUNCTION pg_temp.leo_sorted_final(a anycompatiblearray) RETURNS anycompatiblearray "
    "LANGUAGE sql IMMUTABLE AS 'SELECT array_agg(v ORDER BY v) FROM unnest(a) AS u(v) "
    "WHERE v IS NOT NULL'",
    "CREATE AGGREGATE pg_temp.leo_sorted(anycompatible) (SFUNC = array_append, "
    "STYPE = anycompatiblearray, FINALFUNC = pg_temp.leo_sorted_final)",
)
"""Statements that make ``pg_temp.leo_sorted(x)``: a partition's non-NULL values, sorted."""


def _percentile(node: exp.Expression) -> tuple[exp.Window, bool, float, exp.Expression,
                                                bool] | None:
    """A windowed percentile's parts (window, continuous, p, ordered value, descending)."""
    if not isinstance(node, exp.Window) or not isinstance(node.this, exp.WithinGroup):
        return None
    function = node.this.this
    if not isinstance(function, exp.PercentileCont | exp.PercentileDisc):
        return None
    order = node.this.expression
    keys = order.expressions if isinstance(order, exp.Order) else []
    if len(keys) != 1:
        return None
    p = _fraction(function.this)
    if p is None or not 0 <= p <= 1:
        raise ValueError
    ordered = keys[0]
    return (node, isinstance(function, exp.PercentileCont), p, ordered.this,
            bool(ordered.args.get("desc")))


def _fraction(node: exp.Expression) -> float | None:
    """The number a percentile's fraction is: a literal, or one cast (``DECLARE @p
    DECIMAL(3, 2) = 0.5``: the variable is substituted as a cast, which SQLite's is a call
    of ``LEO_DECIMAL`` by now), else None."""
    if isinstance(node, exp.Literal):
        return None if node.is_string else float(node.this)
    if isinstance(node, exp.Cast | exp.Paren):
        return _fraction(node.this)
    if isinstance(node, exp.Anonymous) and node.name.upper() == "LEO_DECIMAL":
        return _fraction(node.expressions[0])
    return None


def _over(window: exp.Window, dialect: str) -> str:
    """The window's ``OVER (...)``, as the dialect writes it."""
    bare = window.copy()
    bare.set("this", exp.Anonymous(this="F"))
    text = target_sql(bare, dialect)
    assert text.startswith("F()"), text
    return text[len("F()"):]


def _number(value: float) -> str:
    return repr(float(value))


def _duckdb(cont: bool, p: float, value: str, over: str, descending: bool) -> str:
    name = "QUANTILE_CONT" if cont else "QUANTILE_DISC"
    if cont:  # (a float, as SQL Server's: DuckDB's of a DECIMAL kept its places, 100 not 100.5)
        value = f"CAST({value} AS DOUBLE)"
    if descending:
        return f"(-{name}(-({value}), {_number(p)}){over})"
    return f"{name}({value}, {_number(p)}){over}"


def _sqlite(cont: bool, p: float, value: str, over: str, descending: bool) -> str:
    name = "leo_percentile_cont" if cont else "leo_percentile_disc"
    return f"{name}({value}, {_number(p)}, {int(descending)}){over}"


def _postgres(cont: bool, p: float, value: str, over: str, descending: bool) -> str:
    if cont:
        values = f"(pg_temp.leo_sorted(CAST({value} AS DOUBLE PRECISION)){over})"
        at = f"({_number(p)} * (CARDINALITY({values}) - 1))"
        if descending:  # (1-based: the i-th from the top is n - i)
            low = f"{values}[CARDINALITY({values}) - FLOOR({at})::INT]"
            high = f"{values}[CARDINALITY({values}) - CEIL({at})::INT]"
        else:
            low, high = f"{values}[FLOOR({at})::INT + 1]", f"{values}[CEIL({at})::INT + 1]"
        return f"({low} + ({at} - FLOOR({at})) * ({high} - {low}))"
    values = f"(pg_temp.leo_sorted({value}){over})"
    k = f"GREATEST(CEIL({_number(p)} * CARDINALITY({values}))::INT, 1)"
    return f"{values}[{f'CARDINALITY({values}) - {k} + 1' if descending else k}]"


WRITERS = {"duckdb": _duckdb, "sqlite": _sqlite, "postgres": _postgres}


def for_target(tree: exp.Expression, dialect: str, line: int) -> tuple[exp.Expression, bool]:
    """The tree with its windowed percentiles written for the dialect (after every other
    rewrite: their operands are rendered as they stand), and whether it has any."""
    found = False
    for node in list(tree.find_all(exp.Window)):
        try:
            parts = _percentile(node)
        except ValueError:
            raise ScriptError(line, "PERCENTILE_CONT/PERCENTILE_DISC take a number from 0 to 1 "
                              "and one ORDER BY expression") from None
        if parts is None:
            continue
        window, cont, p, value, descending = parts
        text = WRITERS[dialect](cont, p, target_sql(value, dialect), _over(window, dialect),
                                descending)
        new = sqlglot.parse_one(text, read=dialect)
        if window is tree:
            tree = new
        else:
            window.replace(new)
        found = True
    return tree, found


class _SqlitePercentile:
    """A SQLite window aggregate over one partition's non-NULL values (sorted once, when a
    value is first asked for since the last change)."""

    continuous = True

    def __init__(self) -> None:
        self.values: list[Any] = []
        self.p = 0.0
        self.descending = False
        self.result: Any = None
        self.stale = True

    def step(self, value: Any, p: float, descending: int) -> None:
        self.p, self.descending = float(p), bool(descending)
        if value is not None:
            self.values.append(value)
            self.stale = True

    def inverse(self, value: Any, p: float, descending: int) -> None:
        if value is not None:
            self.values.remove(value)
            self.stale = True

    def value(self) -> Any:
        if self.stale:
            self.result = self._compute()
            self.stale = False
        return self.result

    def finalize(self) -> Any:
        return self.value()

    def _compute(self) -> Any:
        n = len(self.values)
        if not n:
            return None
        if self.continuous:
            ordered = sorted((float(v) for v in self.values), reverse=self.descending)
            at = self.p * (n - 1)
            low, high = ordered[math.floor(at)], ordered[math.ceil(at)]
            return low + (at - math.floor(at)) * (high - low)
        ordered = sorted(self.values, key=lambda v: (isinstance(v, str | bytes), v),
                         reverse=self.descending)
        return ordered[max(math.ceil(self.p * n), 1) - 1]


class _SqlitePercentileDisc(_SqlitePercentile):
    continuous = False


def register_sqlite(connection: sqlite3.Connection) -> None:
    """Add ``leo_percentile_cont(x, p, descending)`` and ``leo_percentile_disc`` (window
    aggregates) to a SQLite connection."""
    connection.create_window_function("leo_percentile_cont", 3, _SqlitePercentile)
    connection.create_window_function("leo_percentile_disc", 3, _SqlitePercentileDisc)
