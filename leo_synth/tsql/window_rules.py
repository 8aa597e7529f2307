"""SQL Server's rules for ``OVER`` that the targets do not keep.

Mistakes that ran on a target and stopped the script in the SRS:

- ``COUNT(DISTINCT pmr) OVER (PARTITION BY school)``: SQL Server allows no ``DISTINCT`` in a
  windowed aggregate (error 10759; DuckDB counted, SQLite and PostgreSQL stopped in their own
  words). The SRS's way is ``DENSE_RANK()`` up and down, or a grouped subquery.
- ``ROW_NUMBER() OVER (PARTITION BY pmr)``: the ranking and offset functions need an
  ``ORDER BY`` in their ``OVER`` (error 4112), where the targets number rows in any order, so
  a script that kept one row per pupil "at random" here would not run there.

- ``STRING_AGG(pmr, ';') ... OVER (PARTITION BY ae_id)``: SQL Server has no windowed
  ``STRING_AGG`` (error 4113); DuckDB ran it, SQLite and PostgreSQL stopped in their words.
- ``ROW_NUMBER()`` or ``PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY pay)`` with no ``OVER``
  at all, the latter as a grouped median: SQL Server has them only as window functions
  (error 10753); the targets' messages spoke of other things (a grouped column, a syntax).

Checked on the script's own statement, before leo-synth's rewrites add windows of their own.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError

ORDERED = (exp.RowNumber, exp.Rank, exp.DenseRank, exp.Ntile, exp.Lag, exp.Lead,
           exp.FirstValue, exp.LastValue, exp.PercentRank, exp.CumeDist)
"""The functions SQL Server gives a value only in an order."""
DISTINCT_OVER = "Use of DISTINCT is not allowed with the OVER clause."
NOT_WINDOWED = ("The function '{}' is not a valid windowing function, and cannot be used with "
                "the OVER clause.")
"""SQL Server's error 4113, for ``STRING_AGG(...) OVER (...)``."""
WINDOW_ONLY = (*ORDERED, exp.PercentileCont, exp.PercentileDisc)
"""The functions SQL Server has only with an ``OVER`` clause."""


def _name(function: exp.Expression) -> str:
    return function.sql(dialect="tsql").split("(", 1)[0]


def check(tree: exp.Expression, line: int) -> None:
    """Stop, in SQL Server's words, at a windowed ``DISTINCT`` aggregate, a ranking or
    offset function without ``ORDER BY``, or a window function without ``OVER``."""
    for function in tree.find_all(*WINDOW_ONLY):
        held = function.parent if isinstance(function.parent, exp.WithinGroup) else function
        if not isinstance(held.parent, exp.Window):
            raise ScriptError(line, f"The function '{_name(function)}' must have an OVER "
                              f"clause.")
    for window in tree.find_all(exp.Window):
        function = window.this
        if isinstance(function, exp.GroupConcat) and window.args.get("over"):
            raise ScriptError(line, NOT_WINDOWED.format("STRING_AGG"))
        if isinstance(function, exp.AggFunc) and isinstance(function.this, exp.Distinct):
            raise ScriptError(line, DISTINCT_OVER)
        if isinstance(function, ORDERED) and window.args.get("order") is None and not (
                window.args.get("alias")):  # (OVER w names a WINDOW clause's)
            raise ScriptError(line, f"The function '{_name(function)}' must have an OVER "
                              f"clause with ORDER BY.")
