"""SQL Server's ``AVG`` of integers is an integer: the mean truncated towards zero.

``AVG(Earnings)`` over an ``int`` column gives 21796 in the SRS where SQLite, DuckDB and
PostgreSQL give 21796.43, and ``AVG(CASE WHEN ... THEN 1 ELSE 0 END)``, a share, gives 0: a
mistake a script should show here before it shows in the SRS (write ``AVG(x * 1.0)``). So an
``AVG`` whose operand is integer (a column that holds integers in every table met, an integer
literal, a cast to an integer type, a ``CASE`` of integers, integer arithmetic, ``COUNT``,
``DATEDIFF`` and the other functions T-SQL types ``int``, ``&``, ``|``, ``^`` and ``~`` of
integers) is truncated to a whole number.
Anything else is left alone, as in SQL Server. A column the statement itself computes, in a
CTE, a subquery or ``VALUES`` (``WITH t AS (SELECT pmr, SUM(Earnings) AS total ...) SELECT
AVG(total) FROM t``), is an integer when what it is computed from is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlglot import exp

from leo_synth.tsql.rewrites import replaced

INTEGER_TYPES = exp.DataType.INTEGER_TYPES
ARITHMETIC = (exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod)
BITWISE = (exp.BitwiseAnd, exp.BitwiseOr, exp.BitwiseXor)
"""``&``, ``|`` and ``^``: of two integers an integer (``bitwise_operators``)."""
INTEGER_FUNCTIONS = (exp.DateDiff, exp.Extract, exp.Year, exp.Month, exp.Day, exp.Length,
                     exp.StrPosition, exp.Ascii, exp.Unicode, exp.RowNumber, exp.Rank,
                     exp.DenseRank, exp.Ntile)
"""Functions T-SQL types ``int`` (or ``bigint``) whatever their arguments: ``DATEDIFF``,
``DATEPART``, ``YEAR``, ``LEN``, ``CHARINDEX``, ``ROW_NUMBER()``, ..."""
ARGUMENT_TYPED = (exp.Abs, exp.Sign, exp.Nullif, exp.Round, exp.Floor, exp.Ceil)
"""Functions whose value has their (first) argument's type: of an integer, an integer
(``ROUND(Earnings, -2)``, ``NULLIF(AgeAimStart, -1)``)."""
INTEGER_NAMES = frozenset({"DATALENGTH", "PATINDEX", "ISNUMERIC", "ISDATE", "DATEDIFF_BIG",
                           "LEO_INT_SUM"})
"""The same, among the functions sqlglot does not know (by name; ``LEO_INT_SUM`` is SQLite's
check of an ``int``, ``integer_overflow``)."""


def is_integer(node: exp.Expression, integers: dict[str, bool]) -> bool:
    """Whether T-SQL types ``node`` as an integer (as far as can be told from the names)."""
    if isinstance(node, exp.Paren | exp.Neg):
        return is_integer(node.this, integers)
    if isinstance(node, exp.Distinct):  # AVG(DISTINCT x)
        return len(node.expressions) == 1 and is_integer(node.expressions[0], integers)
    if isinstance(node, exp.Column):
        return integers.get(node.name.lower(), False)
    if isinstance(node, exp.Literal):
        return not node.is_string and node.this.lstrip("-").isdigit()
    if isinstance(node, exp.Cast | exp.TryCast):
        return isinstance(node.args.get("to"), exp.DataType) and node.args["to"].is_type(
            *INTEGER_TYPES)
    if isinstance(node, exp.Convert):
        return isinstance(node.this, exp.DataType) and node.this.is_type(*INTEGER_TYPES)
    if isinstance(node, exp.Case):
        branches = [i.args["true"] for i in node.args.get("ifs") or []]
        if node.args.get("default") is not None:
            branches.append(node.args["default"])
        return bool(branches) and all(
            isinstance(b, exp.Null) or is_integer(b, integers) for b in branches)
    if isinstance(node, exp.If):  # IIF
        return all(isinstance(b, exp.Null) or is_integer(b, integers)
                   for b in (node.args.get("true"), node.args.get("false")) if b is not None)
    if isinstance(node, (*ARITHMETIC, *BITWISE)):
        return is_integer(node.this, integers) and is_integer(node.expression, integers)
    if isinstance(node, exp.BitwiseNot):
        return is_integer(node.this, integers)
    if isinstance(node, (exp.Count, *INTEGER_FUNCTIONS)):
        return True
    if isinstance(node, exp.Anonymous):
        return node.name.upper() in INTEGER_NAMES
    if isinstance(node, exp.Window):  # ROW_NUMBER() OVER (...), SUM(n) OVER (...)
        return is_integer(node.this, integers)
    if isinstance(node, (exp.Sum, exp.Min, exp.Max, *ARGUMENT_TYPED)):
        return is_integer(node.this, integers)
    if isinstance(node, exp.Coalesce):  # (ISNULL takes its first argument's type; text
        # with an integer is converted to it: ISNULL(n, '') and COALESCE(n, '0') are integers)
        return is_integer(node.this, integers) and (node.args.get("is_null") or all(
            is_integer(e, integers) or (isinstance(e, exp.Literal) and e.is_string)
            for e in node.expressions))
    return False


def _truncated(node: exp.Expression, dialect: str) -> exp.Expression:
    """``node`` truncated towards zero, as a tree (the later rewrites still reach inside)."""
    if dialect == "sqlite":  # (CAST of a float to INTEGER truncates towards zero)
        return exp.cast(node.copy(), exp.DataType.build("INTEGER"))
    return exp.cast(exp.Anonymous(this="TRUNC", expressions=[node.copy()]),
                    exp.DataType.build("BIGINT"))


def with_computed(tree: exp.Expression, integers: dict[str, bool],
                  holds: Callable[[exp.Expression, dict[str, bool]], bool] | None = None,
                  among: Callable[[Iterable[bool]], bool] = all) -> dict[str, bool]:
    """``integers`` with the columns the statement computes and names (innermost first): the
    named expressions of a CTE or a subquery (a column passed on under its own name keeps what
    it was), and the columns of ``VALUES ... AS v(a, b)`` (integers when every row's value
    is, or NULL). A CTE read by a later one is learnt first, however the tree lists them
    (``WITH p AS (SELECT SUM(Earnings) AS pay ...), s AS (SELECT pay + 0 AS total FROM p)``:
    read innermost first, ``s`` came before ``p``, and ``AVG(total)`` was not truncated):
    the names are learnt again until they hold. ``holds`` tells another kind the same way
    (``float_texts.is_float``, with the FLOAT columns for ``integers``). A column of a
    ``UNION`` is of the kind when ``among`` its queries' values are (an ``int`` when all are,
    a ``float``, of highest precedence, when any is)."""
    holds = holds or is_integer
    known = dict(integers)
    nodes = list(reversed(list(tree.find_all(exp.Select, exp.Values))))
    for _ in range(len(nodes)):
        before = dict(known)
        _learn_computed(nodes, known, holds, among)
        if known == before:
            break
    return known


def _learn_computed(nodes: list[exp.Expression], known: dict[str, bool],
                    holds: Callable[[exp.Expression, dict[str, bool]], bool],
                    among: Callable[[Iterable[bool]], bool]) -> None:
    """One round of :func:`with_computed` over the queries and ``VALUES`` lists ``nodes``."""
    for node in nodes:
        if isinstance(node, exp.Values):
            alias = values_alias(node)
            rows = [row.expressions for row in node.expressions if isinstance(row, exp.Tuple)]
            for i, column in enumerate(alias.columns if alias is not None else []):
                # (a NULL among the integers is an int too, as SQL Server types a bare NULL)
                known[column.name.lower()] = bool(rows) and all(i < len(row) and (
                    isinstance(row[i], exp.Null) or holds(row[i], known)) for row in rows)
            continue
        branches = _branches(node)
        if branches is None:
            continue  # (a query's own names are not columns of its FROM)
        for i, projection in enumerate(node.selects):
            if not isinstance(projection, exp.Alias):
                continue  # (a column passed on, or an expression with no name to read)
            value, name = projection.this, projection.alias.lower()
            if isinstance(value, exp.Column) and value.name.lower() == name:
                continue
            values = [v for v in [value] + [b.selects[i].unalias() for b in branches[1:]
                                            if i < len(b.selects)]
                      if not isinstance(v, exp.Null)]  # (a NULL takes the others' type)
            known[name] = among(holds(v, known) for v in values) if values else holds(
                value, known)


def values_alias(values: exp.Values) -> exp.TableAlias | None:
    """The alias naming a ``VALUES`` list's columns: its own (``FROM (VALUES ...) AS v(a,
    b)``) or, in ``CROSS APPLY (VALUES (s.EARNINGS_PTR), ...) v(amount)`` (the unpivot idiom),
    the ``APPLY``'s, which sqlglot holds there (so ``AVG(v.amount)`` of integer columns was
    not truncated)."""
    alias = values.args.get("alias")
    if alias is None and isinstance(values.parent, exp.Subquery) and isinstance(
            values.parent.parent, exp.Lateral):
        alias = values.parent.parent.args.get("alias")
    return alias if isinstance(alias, exp.TableAlias) else None


def _branches(node: exp.Select) -> list[exp.Select] | None:
    """The queries whose rows make the columns ``node`` names for a CTE or a subquery:
    ``node`` alone, or, when it is the first query of a ``UNION [ALL]`` (``INTERSECT``,
    ``EXCEPT``), every one of them, as a column of a union takes the type of highest
    precedence among its queries' and its name from the first (``WITH c AS (SELECT 2010 AS
    yr, COUNT(*) AS n FROM a UNION ALL SELECT 2011, COUNT(*) FROM b)``: ``n`` is an ``int``,
    and ``AVG(n)`` one; the names of a later query are no columns). None for a query that
    names no columns of a CTE or subquery."""
    top: exp.Expression = node
    while isinstance(top.parent, exp.SetOperation):
        top = top.parent
    if not isinstance(top.parent, exp.Subquery | exp.CTE):
        return None
    branches = _queries(top)
    return branches if branches and branches[0] is node else None


def _queries(node: exp.Expression) -> list[exp.Select]:
    """The queries of a chain of set operations, first to last."""
    if isinstance(node, exp.SetOperation):
        return _queries(node.this) + _queries(node.expression)
    return [node] if isinstance(node, exp.Select) else []


def for_target(tree: exp.Expression, integers: dict[str, bool],
               dialect: str) -> exp.Expression:
    """The tree with each integer ``AVG`` (or its window, ``AVG(x) OVER (...)``) truncated."""
    integers = with_computed(tree, integers)
    for average in list(tree.find_all(exp.Avg)):
        if not is_integer(average.this, integers):
            continue
        whole = average.parent if isinstance(average.parent, exp.Window) else average
        tree = replaced(tree, whole, _truncated(whole, dialect))
    return tree
