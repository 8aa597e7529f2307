"""SQL Server's rules for ``OVER`` that the targets do not keep.

Two mistakes ran on every target and stopped the script in the SRS:

- ``COUNT(DISTINCT pmr) OVER (PARTITION BY school)``: SQL Server allows no ``DISTINCT`` in a
  windowed aggregate (error 10759; DuckDB counted, SQLite and PostgreSQL stopped in their own
  words). The SRS's way is ``DENSE_RANK()`` up and down, or a grouped subquery.
- ``ROW_NUMBER() OVER (PARTITION BY pmr)``: the ranking and offset functions need an
  ``ORDER BY`` in their ``OVER`` (error 4112), where the targets number rows in any order, so
  a script that kept one row per pupil "at random" here would not run there.

Checked on the script's own statement, before leo-synth's rewrites add windows of their own.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError

ORDERED = (exp.RowNumber, exp.Rank, exp.DenseRank, exp.Ntile, exp.Lag, exp.Lead,
           exp.FirstValue, exp.LastValue, exp.PercentRank, exp.CumeDist)
"""The functions SQL Server gives a value only in an order."""
DISTINCT_OVER = "Use of DISTINCT is not allowed with the OVER clause."


def _name(function: exp.Expression) -> str:
    return function.sql(dialect="tsql").split("(", 1)[0]


def check(tree: exp.Expression, line: int) -> None:
    """Stop, in SQL Server's words, at a windowed ``DISTINCT`` aggregate or a ranking or
    offset function without ``ORDER BY``."""
    for window in tree.find_all(exp.Window):
        function = window.this
        if isinstance(function, exp.AggFunc) and isinstance(function.this, exp.Distinct):
            raise ScriptError(line, DISTINCT_OVER)
        if isinstance(function, ORDERED) and window.args.get("order") is None and not (
                window.args.get("alias")):  # (OVER w names a WINDOW clause's)
            raise ScriptError(line, f"The function '{_name(function)}' must have an OVER "
                              f"clause with ORDER BY.")
