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

- ``SUM(x) OVER (PARTITION BY pmr ROWS UNBOUNDED PRECEDING)``: a frame needs an ``ORDER BY``
  (error 10756), and ``RANGE BETWEEN 1 PRECEDING AND CURRENT ROW`` an offset SQL Server's
  ``RANGE`` does not take (error 4194: ``ROWS`` does); every target ran them.

- ``LAG(EndDate) OVER (PARTITION BY pmr ORDER BY StartDate ROWS BETWEEN 1 PRECEDING AND
  CURRENT ROW)``, a frame copied from the running total beside it onto a ranking or offset
  function: error 10752 ("The function 'LAG' may not have a window frame."); every target
  ran it, ignoring the frame (SQLite, DuckDB) or reading it.
- ``LAG(pay, -1) OVER (ORDER BY yr)``: a negative offset is error 8730 in SQL Server; SQLite,
  DuckDB and PostgreSQL read it as the other direction, as ``LEAD(pay, 1)``.
- ``WHERE ROW_NUMBER() OVER (...) = 1`` (or in ``HAVING``, ``GROUP BY``, a join's ``ON``):
  error 4108, "Windowed functions can only appear in the SELECT or ORDER BY clauses.", where
  each target stopped in its own words. The SRS's way is to number in a subquery or CTE and
  filter outside it.
- ``MAX(LEAD(n, 1, 0) OVER (...))`` or ``SUM(ROW_NUMBER() OVER (...)) OVER ()``: a window
  inside an aggregate or another window, error 4109 ("Windowed functions cannot be used in
  the context of another windowed function or aggregate."), where each target stopped in its
  own words. Compute the window in a subquery or CTE and aggregate outside it.
- ``ROW_NUMBER() OVER (ORDER BY 1)`` or ``OVER (ORDER BY 'x')`` (likewise a ``WITHIN GROUP``'s
  order): SQL Server takes no position and no constant there (errors 5308 and 5309), the
  reason scripts write ``ORDER BY (SELECT NULL)``; every target ran it, the rows numbered in
  no order (``SUM(x) OVER (ORDER BY 1)`` the whole partition's total on every row).

- ``LAST_VALUE(la) IGNORE NULLS OVER (PARTITION BY pmr ORDER BY yr ...)`` (SQL Server 2022's
  way to carry a pupil's last known LA forward): SQLite and PostgreSQL have no ``IGNORE
  NULLS`` (sqlglot dropped it, so the nulls were kept and the answer was another), so it
  stops the script with one line naming the way every version writes it; ``RESPECT
  NULLS``, the default, is dropped (every target stopped with "must have an OVER clause").

Checked on the script's own statement, before leo-synth's rewrites add windows of their own.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError

ORDERED = (exp.RowNumber, exp.Rank, exp.DenseRank, exp.Ntile, exp.Lag, exp.Lead,
           exp.FirstValue, exp.LastValue, exp.PercentRank, exp.CumeDist)
"""The functions SQL Server gives a value only in an order."""
FRAMELESS = tuple(f for f in ORDERED if f not in (exp.FirstValue, exp.LastValue))
"""The ranking and offset functions, which take no frame (``FIRST_VALUE`` and ``LAST_VALUE``
do)."""
FRAMED = "The function '{}' may not have a window frame."
"""SQL Server's error 10752."""
DISTINCT_OVER = "Use of DISTINCT is not allowed with the OVER clause."
NOT_WINDOWED = ("The function '{}' is not a valid windowing function, and cannot be used with "
                "the OVER clause.")
"""SQL Server's error 4113, for ``STRING_AGG(...) OVER (...)``."""
WINDOW_ONLY = (*ORDERED, exp.PercentileCont, exp.PercentileDisc)
"""The functions SQL Server has only with an ``OVER`` clause."""
NEGATIVE_OFFSET = "Offset parameter for Lag and Lead functions cannot be a negative value."
"""SQL Server's error 8730."""
WINDOW_PLACE = "Windowed functions can only appear in the SELECT or ORDER BY clauses."
"""SQL Server's error 4108."""
WINDOW_NESTED = ("Windowed functions cannot be used in the context of another windowed "
                 "function or aggregate.")
"""SQL Server's error 4109."""
_REFUSED_PLACES = (exp.Where, exp.Having, exp.Group)


def _name(function: exp.Expression) -> str:
    return function.sql(dialect="tsql").split("(", 1)[0]


IGNORE_NULLS = ("{} ... IGNORE NULLS cannot be translated: carry the last value forward with "
                "MAX(x) OVER (PARTITION BY p, n) where n is COUNT(x) OVER (PARTITION BY p "
                "ORDER BY o ROWS UNBOUNDED PRECEDING), computed in a derived table")
"""What a window function's ``IGNORE NULLS`` stops with, and the way to write it."""


def _null_treatment(tree: exp.Expression, line: int) -> None:
    """``RESPECT NULLS`` dropped (it is the default); ``IGNORE NULLS`` refused
    (:data:`IGNORE_NULLS`)."""
    for node in list(tree.find_all(exp.IgnoreNulls, exp.RespectNulls)):
        if isinstance(node, exp.IgnoreNulls):
            raise ScriptError(line, IGNORE_NULLS.format(_name(node.this)))
        node.replace(node.this)


def check(tree: exp.Expression, line: int) -> None:
    """Stop, in SQL Server's words, at a windowed ``DISTINCT`` aggregate, a ranking or
    offset function without ``ORDER BY``, a window function without ``OVER``, or a window
    ordered by a position or a constant; and at ``IGNORE NULLS``, which is not
    translated."""
    _null_treatment(tree, line)
    for function in tree.find_all(*WINDOW_ONLY):
        held = function.parent if isinstance(function.parent, exp.WithinGroup) else function
        if not isinstance(held.parent, exp.Window):
            raise ScriptError(line, f"The function '{_name(function)}' must have an OVER "
                              f"clause.")
    _ordered_by_constants(tree, line)
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
        if isinstance(function, FRAMELESS) and isinstance(window.args.get("spec"),
                                                           exp.WindowSpec):
            raise ScriptError(line, FRAMED.format(_name(function)))
        _frame_checked(window, line)
        _placed(window, line)
        offset = function.args.get("offset") if isinstance(function, exp.Lag | exp.Lead) else None
        if isinstance(offset, exp.Neg) and isinstance(offset.this, exp.Literal) and (
                offset.this.is_number and float(offset.this.name) != 0):
            raise ScriptError(line, NEGATIVE_OFFSET)


INTEGER_INDEX = ("Windowed functions, aggregates and NEXT VALUE FOR functions do not support "
                 "integer indices as ORDER BY clause expressions.")
"""SQL Server's error 5308."""
CONSTANT_ORDER = ("Windowed functions, aggregates and NEXT VALUE FOR functions do not support "
                  "constants as ORDER BY clause expressions.")
"""SQL Server's error 5309."""


def _ordered_by_constants(tree: exp.Expression, line: int) -> None:
    """A window's or ``WITHIN GROUP``'s (``STRING_AGG``'s) ``ORDER BY`` item that is a
    number written as digits (error 5308), another literal or ``NULL`` (5309); a subquery
    of one, ``(SELECT NULL)``, is taken, as SQL Server takes it."""
    for holder in tree.find_all(exp.Window, exp.WithinGroup, exp.GroupConcat):
        order = holder.args.get("order") if isinstance(holder, exp.Window) else (
            holder.expression if isinstance(holder, exp.WithinGroup) else holder.this)
        for item in order.expressions if isinstance(order, exp.Order) else []:
            value = item.this if isinstance(item, exp.Ordered) else item
            if isinstance(value, exp.Literal) and not value.is_string and (
                    value.name.isdigit()):
                raise ScriptError(line, INTEGER_INDEX)
            if isinstance(value, exp.Literal | exp.Null | exp.National):
                raise ScriptError(line, CONSTANT_ORDER)


def _placed(window: exp.Window, line: int) -> None:
    """A window in its own query's ``WHERE``, ``HAVING``, ``GROUP BY`` or join ``ON`` stops
    (one in a subquery's ``SELECT`` there is that query's), and so does one inside an
    aggregate or another window (``MAX(LEAD(n, 1, 0) OVER (...))``)."""
    node: exp.Expression = window
    while node.parent is not None and not isinstance(node.parent, exp.Query):
        if isinstance(node.parent, _REFUSED_PLACES) or (
                isinstance(node.parent, exp.Join) and node.arg_key == "on"):
            raise ScriptError(line, WINDOW_PLACE)
        if isinstance(node.parent, exp.AggFunc | exp.Window):
            raise ScriptError(line, WINDOW_NESTED)
        node = node.parent


FRAME_ORDER = "Window frame with ROWS or RANGE must have an ORDER BY clause."
"""SQL Server's error 10756."""
RANGE_BOUNDS = ("RANGE is only supported with UNBOUNDED and CURRENT ROW window frame "
                "delimiters.")
"""SQL Server's error 4194."""


def _frame_checked(window: exp.Window, line: int) -> None:
    """A frame (``ROWS``, ``RANGE``) needs an ``ORDER BY``; ``RANGE`` takes no offset."""
    spec = window.args.get("spec")
    if not isinstance(spec, exp.WindowSpec) or window.args.get("alias"):
        return
    if window.args.get("order") is None:
        raise ScriptError(line, FRAME_ORDER)
    if str(spec.args.get("kind", "")).upper() == "RANGE" and any(
            not isinstance(bound, str) or bound.upper() not in ("UNBOUNDED", "CURRENT ROW")
            for bound in (spec.args.get("start"), spec.args.get("end")) if bound is not None):
        raise ScriptError(line, RANGE_BOUNDS)
