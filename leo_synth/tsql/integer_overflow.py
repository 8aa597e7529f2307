"""``SUM`` of an ``int`` column is an ``int`` in SQL Server, and stops the query past 2^31.

``SELECT TaxYear, SUM(Earnings) FROM leo_earnings GROUP BY TaxYear`` fails in the SRS with
"Arithmetic overflow error converting expression to data type int." once a year's earnings
pass about 2.1 billion pounds, about 100,000 people's (``Earnings`` is an ``int``); the
script must say ``SUM(CAST(Earnings AS BIGINT))``. The targets sum into wider types and
gave an answer, so such a script ran here and failed in the SRS. A ``SUM`` (or ``SUM ...
OVER``) of a column that holds ``int`` values wherever the script met it (four bytes or
fewer, ``targets.INT``) is checked: cast to ``INTEGER`` on PostgreSQL and DuckDB, which
fail past its range, and by a function on SQLite; each stops with SQL Server's message.
A column of unknown width (SQLite's untyped ``SELECT ... INTO`` columns) is not checked.
A ``SUM`` of any other ``int`` value is checked the same way: ``SUM(CASE WHEN TaxYear = 201819
THEN Earnings ELSE 0 END)``, ``SUM(ISNULL(Earnings, 0))``, ``SUM(IIF(...))`` and ``SUM(Earnings
+ 1)`` are ``int``s in SQL Server as well, and so are ``SUM(Earnings / 12)`` and ``SUM(Earnings %
1000)``: an ``int`` divided by an ``int`` is one.

Arithmetic of ``int`` values is an ``int`` too: ``SUM(Earnings * Earnings)``, a variance
worked by hand, stops in the SRS once a year's pay passes 46,341 pounds. PostgreSQL and
DuckDB stop there as well; SQLite's integers are eight bytes, so on SQLite a ``+``, ``-``
or ``*`` of two ``int`` values (columns, literals in range, or such arithmetic), and an ``ABS``
of one, is checked by the same function (DuckDB's words for ``ABS`` past an ``int`` or a
``bigint`` are put into SQL Server's: ``error_messages``).
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.integer_average import ARGUMENT_TYPED, is_integer
from leo_synth.tsql.rewrites import replaced
from leo_synth.tsql.sqlite_functions import INT_RANGE
from leo_synth.tsql.value_rewrites import cast_parts

CHECK = "LEO_INT_SUM"
"""SQLite's function that stops a value beyond an ``int`` (``sqlite_functions.int_sum``)."""


def int_valued(node: exp.Expression, ints: dict[str, bool]) -> bool:
    """Whether ``node``'s value is an ``int`` for certain (on SQLite, checked already)."""
    if isinstance(node, (exp.Paren, exp.Neg, *ARGUMENT_TYPED)):
        return int_valued(node.this, ints)
    if isinstance(node, exp.Column):
        return ints.get(node.name.lower(), False)
    if isinstance(node, exp.Literal):
        return not node.is_string and node.name.isdigit() and int(node.name) <= INT_RANGE[1]
    if isinstance(node, exp.Anonymous):
        return str(node.this).upper() == CHECK
    parts = cast_parts(node)
    if parts is not None:  # (SUM(CAST(x AS INT)), and ROUND(n, -2), cast so: argument_types)
        return parts[1].is_type(exp.DataType.Type.INT)
    if isinstance(node, exp.Case | exp.If | exp.Coalesce):
        return _branches_int_valued(node, ints)
    # (an int divided by an int, or its remainder, is an int too; neither can pass one)
    return isinstance(node, exp.Add | exp.Sub | exp.Mul | exp.Div | exp.Mod) and int_valued(
        node.this, ints) and int_valued(node.expression, ints)


def _branches_int_valued(node: exp.Case | exp.If | exp.Coalesce, ints: dict[str, bool]
                          ) -> bool:
    """Whether every value a ``CASE``, ``IIF`` or ``ISNULL``/``COALESCE`` can give is an
    ``int`` (or NULL), which makes it an ``int``; at least one must be."""
    if isinstance(node, exp.Case):
        values = [branch.args.get("true") for branch in node.args.get("ifs") or []]
        values.append(node.args.get("default"))
    elif isinstance(node, exp.If):
        values = [node.args.get("true"), node.args.get("false")]
    else:
        values = [node.this, *node.expressions]
    given = [value for value in values if value is not None and not isinstance(value, exp.Null)]
    return bool(given) and all(int_valued(value, ints) for value in given)


def _checked_arithmetic(tree: exp.Expression, ints: dict[str, bool]) -> exp.Expression:
    """On SQLite, each ``+``, ``-`` and ``*`` of ``int`` values checked (innermost first), and
    each ``ABS`` of one (``ABS`` of -2,147,483,648 is past an ``int``)."""
    for node in reversed(list(tree.find_all(exp.Add, exp.Sub, exp.Mul, exp.Abs))):
        if int_valued(node, ints):
            node.replace(exp.Anonymous(this=CHECK, expressions=[node.copy()]))
    return tree


def for_target(tree: exp.Expression, ints: dict[str, bool], integers: dict[str, bool],
               dialect: str) -> exp.Expression:
    """The tree with each ``SUM`` of an ``int`` column checked for overflow (and on SQLite,
    the arithmetic of ``int`` values); on PostgreSQL, each other ``SUM`` of integers (``SUM(
    CAST(Earnings AS BIGINT))``) a ``BIGINT``, as in SQL Server, where PostgreSQL's is a
    ``numeric``, which ``/ COUNT(*)`` divided with a fraction (``integers``: the columns that
    hold integers)."""
    if dialect == "sqlite":
        tree = _checked_arithmetic(tree, ints)
    for total in list(tree.find_all(exp.Sum)):
        whole = total.parent if isinstance(total.parent, exp.Window) else total
        if int_valued(total.this, ints):
            checked = (exp.Anonymous(this=CHECK, expressions=[whole.copy()])
                       if dialect == "sqlite" else
                       exp.cast(whole.copy(), exp.DataType.build("INT")))
        elif dialect == "postgres" and is_integer(total.this, integers):
            checked = exp.cast(whole.copy(), exp.DataType.build("BIGINT"))
        else:
            continue
        tree = replaced(tree, whole, checked)
    return tree
