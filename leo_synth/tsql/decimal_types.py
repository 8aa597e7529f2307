"""The precision and scale SQL Server gives a number an expression computes.

SQL Server works decimals out by fixed rules (its documentation's "Precision, scale, and
length"): ``1.0`` is ``DECIMAL(2, 1)``, an ``int`` column ``DECIMAL(10, 0)`` beside a decimal,
an integer literal as many digits as it has; ``e1 * e2`` has the scale ``s1 + s2``,
``e1 / e2`` at least six places (``max(6, s1 + p2 + 1)``), ``e1 + e2`` and ``e1 % e2`` the
larger scale (``pay % 100`` of a ``DECIMAL(10, 2)`` is ``34.50``);
``AVG`` of a decimal at least six places, ``SUM`` its operand's, ``SUM`` and ``AVG`` of a
``MONEY`` a ``MONEY`` (four places); ``ROUND`` and ``ABS`` keep their operand's type; a
precision above 38 is cut back as SQL Server cuts it. So
``AVG(Earnings * 1.0)`` shows ``15827.180000`` there, ``DATEDIFF(day, s, e) / 365.25``
``11.433265`` and ``CAST(pay AS DECIMAL(10, 2)) / 12`` ``1926.833333``, where SQLite's float
showed ``15827.18`` and ``11.43326489`` and PostgreSQL's numeric sixteen to twenty places.

Only what is known for certain is typed: numeric literals, integer columns (``int``, or
``bigint`` beyond four bytes), the decimal columns of the script's #temp tables (declared, or
made by ``SELECT ... INTO`` of a decimal), their ``MONEY`` columns, and the extract's
decimal columns (the spec's, ``extract_decimals``), the columns a CTE or derived table computes
(:func:`with_derived`: ``t.n`` of ``(SELECT COUNT(*) AS n ...) t`` is an ``int``; ``w`` of
``(VALUES (1.5), (2.0)) t(w)`` a ``DECIMAL(2, 1)``), a
scalar subquery's value, ``PERCENTILE_DISC`` (its ordered values'), casts, ``COUNT``,
``DATEDIFF``, ``LEN``, ``YEAR``,
and the arithmetic (``&``, ``|``, ``^`` and ``~`` of integers an integer), aggregates and
``CASE`` over them. A float, text, or a column of unknown type anywhere in the expression
leaves it untyped (None), shown as the target gives it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp

from leo_synth.tsql import derived_columns
from leo_synth.tsql.declared_columns import declared_types
from leo_synth.tsql.integer_casts import ColumnKinds
from leo_synth.tsql.try_conversions import decimal_digits
from leo_synth.tsql.value_rewrites import cast_parts

MAX_PRECISION = 38
MIN_DIVISION_SCALE = 6
"""The fewest places of a quotient and of an average of decimals."""
_INTEGER_TYPES = {exp.DataType.Type.TINYINT: 3, exp.DataType.Type.SMALLINT: 5,
                  exp.DataType.Type.INT: 10, exp.DataType.Type.BIGINT: 19}
"""SQL Server's integer types by the precision each has as a decimal."""
DECLARED_INTEGER = "leo_declared_integer"
"""The meta key of an integer literal that stands for a variable, holding the variable's
type: ``DECLARE @n INT`` is a ``DECIMAL(10, 0)`` in decimal arithmetic whatever its digits
(``1.0 / @n`` has 12 places; as the literal 3 it had 6)."""
MONEY_SCALE = 4
"""The places of a ``MONEY`` (and a ``SMALLMONEY``)."""
_MONEY = {exp.DataType.Type.MONEY: (19, MONEY_SCALE),
          exp.DataType.Type.SMALLMONEY: (10, MONEY_SCALE)}
_INTEGER_VALUED = (exp.Count, exp.DateDiff, exp.Length, exp.Year, exp.Month, exp.Day)
"""Functions whose value is an ``int``."""
_SAME_TYPE = (exp.Round, exp.Abs, exp.Sign, exp.Min, exp.Max, exp.Nullif, exp.Lag, exp.Lead,
              exp.FirstValue, exp.LastValue)
"""Functions whose value has their (first) operand's type (``NULLIF(COUNT(*), 0)`` an int,
``LAG(earnings) OVER (...)`` a decimal's: ``earnings - LAG(earnings)`` was shown without
its places on SQLite)."""


@dataclass(frozen=True)
class NumberType:
    """An integer (``scale`` 0, ``integer`` True) or a decimal, with SQL Server's
    precision and scale."""

    precision: int
    scale: int
    integer: bool = False
    money: bool = False
    """A ``MONEY``: shown with four places, and computed by rules of its own
    (:func:`_money_arithmetic`)."""


MONEY = NumberType(*_MONEY[exp.DataType.Type.MONEY], money=True)
"""A ``MONEY``: a column so declared, a ``SUM`` or an ``AVG`` of money."""


def _capped(precision: int, scale: int, product: bool) -> NumberType:
    """A decimal whose precision exceeds 38 cut back as SQL Server does: for ``*`` and ``/``
    the scale kept while the integral part fits 32 digits, else at most six places; for
    a ``CASE``'s or ``COALESCE``'s values (and ``%``) the integral part kept whole."""
    if precision <= MAX_PRECISION:
        return NumberType(precision, scale)
    integral = precision - scale
    if not product:
        return NumberType(MAX_PRECISION, max(0, min(scale, MAX_PRECISION - integral)))
    if integral < 32:
        return NumberType(MAX_PRECISION, min(scale, MAX_PRECISION - integral))
    return NumberType(MAX_PRECISION, scale if scale < MIN_DIVISION_SCALE else
                      MIN_DIVISION_SCALE)


def _literal(node: exp.Literal) -> NumberType | None:
    """``12`` is an integer of two digits, ``365.25`` a ``DECIMAL(5, 2)``; ``1e3`` a float; a
    variable's integer is of its type (:data:`DECLARED_INTEGER`)."""
    declared = node.meta.get(DECLARED_INTEGER)
    if declared in _INTEGER_TYPES:
        return NumberType(_INTEGER_TYPES[declared], 0, integer=True)
    text = node.this.lstrip("+-")
    if "e" in text.lower():
        return None
    whole, _, fraction = text.partition(".")
    digits = max(len(whole.lstrip("0")) + len(fraction), 1)
    return NumberType(digits, len(fraction), integer=not fraction and "." not in text)


def _cast(to: exp.DataType) -> NumberType | None:
    if to.this in _INTEGER_TYPES:
        return NumberType(_INTEGER_TYPES[to.this], 0, integer=True)
    if to.this in _MONEY:
        return NumberType(*_MONEY[to.this], money=True)
    if to.is_type(exp.DataType.Type.DECIMAL):
        return NumberType(*decimal_digits(to))
    return None


def _money_arithmetic(node: exp.Binary, left: NumberType, right: NumberType
                      ) -> NumberType | None:
    """Arithmetic with a ``MONEY``: ``+``, ``-``, ``*`` and ``/`` of money and money or an
    integer are money (``CAST(5 AS MONEY) * 3`` is ``15.0000``, ``CAST(10 AS MONEY) / 3``
    ``3.3333``: the integer is converted to money, which outranks it; the quotient cut off
    at four places, ``money_quotients``); with a decimal, which outranks money, a decimal,
    the money counted as a ``DECIMAL(19, 4)`` (``* 1.5`` has five places, ``/ 2.5`` seven).
    A remainder is left untyped."""
    if isinstance(node, exp.Mod):
        return None
    if (left.money or left.integer) and (right.money or right.integer):
        return MONEY
    return _arithmetic(node, NumberType(left.precision, left.scale),
                       NumberType(right.precision, right.scale))


def _arithmetic(node: exp.Binary, left: NumberType, right: NumberType) -> NumberType | None:
    (p1, s1), (p2, s2) = (left.precision, left.scale), (right.precision, right.scale)
    if left.money or right.money:
        return _money_arithmetic(node, left, right)
    if left.integer and right.integer:
        return NumberType(max(p1, p2), 0, integer=True)
    if isinstance(node, exp.Add | exp.Sub):
        scale, integral = max(s1, s2), max(p1 - s1, p2 - s2)
        if scale + integral + 1 <= MAX_PRECISION:
            return NumberType(scale + integral + 1, scale)
        # (cut back to the places the operands' integral parts leave, not counting the
        # digit a carry may take: SUM(a) - SUM(b) of DECIMAL(38, 2)s keeps its 2 places)
        return NumberType(MAX_PRECISION, max(0, min(scale, MAX_PRECISION - integral)))
    if isinstance(node, exp.Mul):
        return _capped(p1 + p2 + 1, s1 + s2, product=True)
    if isinstance(node, exp.Div):
        scale = max(MIN_DIVISION_SCALE, s1 + p2 + 1)
        return _capped(p1 - s1 + s2 + scale, scale, product=True)
    if isinstance(node, exp.Mod):  # (the larger scale; the smaller integral part)
        scale = max(s1, s2)
        return _capped(min(p1 - s1, p2 - s2) + scale, scale, product=False)
    return None


def _union(types: list[NumberType | None]) -> NumberType | None:
    """The type of a ``CASE`` or ``COALESCE`` whose results are ``types``."""
    known = [t for t in types if t is not None]
    if not known or len(known) < len(types):
        return None
    if all(t.integer for t in known):
        return NumberType(max(t.precision for t in known), 0, integer=True)
    scale = max(t.scale for t in known)
    integral = max(t.precision - t.scale for t in known)
    return _capped(integral + scale, scale, product=False)


def _is_null(node: exp.Expression) -> bool:
    return isinstance(node, exp.Null)


def number_type(node: exp.Expression, columns: ColumnKinds) -> NumberType | None:
    """SQL Server's type of the number ``node`` computes, or None when not known for
    certain (see the module's docstring)."""
    if isinstance(node, exp.Paren | exp.Neg | exp.Alias):
        return number_type(node.this, columns)
    if isinstance(node, exp.Literal):
        return None if node.is_string else _literal(node)
    if isinstance(node, exp.Column):
        name = node.name.lower()
        declared = columns.decimals.get(name)
        if declared is not None:  # (a #temp table's DECIMAL column)
            return NumberType(*declared)
        if name in columns.moneys:
            return MONEY
        if not columns.integers.get(name, False):
            return None
        return NumberType(10 if columns.ints.get(name, False) else 19, 0, integer=True)
    parts = cast_parts(node)
    if parts is not None:
        return _cast(parts[1])
    if isinstance(node, exp.Window):
        return number_type(node.this, columns)
    if isinstance(node, exp.WithinGroup) and isinstance(node.this, exp.PercentileDisc):
        keys = node.expression.expressions if isinstance(node.expression, exp.Order) else []
        # (one of the values ordered: their type; PERCENTILE_CONT's is a FLOAT)
        return number_type(keys[0].this, columns) if len(keys) == 1 else None
    if isinstance(node, exp.Subquery):  # a scalar subquery: its one value's type
        query = node.this
        return number_type(query.selects[0].unalias(), columns) if isinstance(
            query, exp.Select) and len(query.selects) == 1 else None
    if isinstance(node, _INTEGER_VALUED):
        return NumberType(10, 0, integer=True)
    if isinstance(node, exp.Add | exp.Sub | exp.Mul | exp.Div | exp.Mod):
        left, right = number_type(node.this, columns), number_type(node.expression, columns)
        return None if left is None or right is None else _arithmetic(node, left, right)
    if isinstance(node, exp.BitwiseAnd | exp.BitwiseOr | exp.BitwiseXor):
        left, right = number_type(node.this, columns), number_type(node.expression, columns)
        return NumberType(max(left.precision, right.precision), 0, integer=True) if (
            left is not None and right is not None and left.integer and right.integer) else None
    if isinstance(node, exp.BitwiseNot):
        operand = number_type(node.this, columns)
        return operand if operand is not None and operand.integer else None
    if isinstance(node, _SAME_TYPE):
        return number_type(node.this, columns)
    if isinstance(node, exp.Sum | exp.Avg):
        operand = number_type(node.this, columns)
        if operand is None or operand.integer:
            return operand
        if operand.money:  # (a SMALLMONEY's too: SUM(pay) is 3.7500, AVG(pay) 1.8750)
            # (an average's fifth place is then rounded half up when shown, as a decimal
            # average's is; SQL Server divides money by money, which may truncate instead)
            return MONEY
        scale = operand.scale if isinstance(node, exp.Sum) else max(operand.scale,
                                                                    MIN_DIVISION_SCALE)
        return NumberType(MAX_PRECISION, scale)
    if isinstance(node, exp.Ceil | exp.Floor):
        operand = number_type(node.this, columns)
        if operand is not None and operand.money:  # (CEILING of a MONEY is one: -2.0000)
            return operand
        return None if operand is None else NumberType(operand.precision, 0, operand.integer)
    if isinstance(node, exp.Coalesce | exp.Greatest | exp.Least):  # (their values' type)
        if node.args.get("is_null"):  # ISNULL: its first argument's type (NULL has none)
            first = node.expressions[0] if _is_null(node.this) and node.expressions else (
                node.this)
            return number_type(first, columns)
        return _union([number_type(v, columns) for v in (node.this, *node.expressions)
                       if not _is_null(v)])
    if isinstance(node, exp.Case):
        arms = [branch.args.get("true") for branch in node.args.get("ifs") or []]
        arms.append(node.args.get("default"))
        return _union([number_type(arm, columns) for arm in arms
                       if arm is not None and not _is_null(arm)])
    if _is_choose(node):  # CHOOSE(i, 1, 2.5): its values' type, as a CASE's (1.0)
        return _union([number_type(value, columns) for value in node.expressions[1:]
                       if not _is_null(value)])
    return None


def _is_choose(node: exp.Expression) -> bool:
    """Whether ``node`` is ``CHOOSE(index, value, ...)`` with at least one value."""
    return isinstance(node, exp.Anonymous) and node.name.upper() == "CHOOSE" and len(
        node.expressions) > 1


def _made(tree: exp.Create, columns: ColumnKinds) -> list[tuple[str, NumberType]]:
    """The columns (lower case) of known number type that a ``SELECT ... INTO`` makes, of a
    ``SELECT`` or of every branch of a ``UNION`` (:func:`query_types`)."""
    query = tree.expression
    if isinstance(tree.this, exp.Schema) or not isinstance(query, exp.Select
                                                           | exp.SetOperation):
        return []
    return [(item.alias_or_name.lower(), typed) for item, typed in zip(
        query.selects, query_types(query, columns) or [], strict=False) if typed is not None]


def declared_ints(tree: exp.Create, columns: ColumnKinds) -> set[str]:
    """The columns (lower case) that a ``SELECT ... INTO`` makes of an ``int`` value (e.g. a
    ``COUNT(*)``): SQL Server's column is an ``int``, the targets' a ``BIGINT`` (or
    SQLite's integer), which in decimal arithmetic would count nineteen digits, not ten."""
    return {name for name, typed in _made(tree, columns) if _an_int(typed)}


def declared_money(tree: exp.Create, columns: ColumnKinds) -> set[str]:
    """The ``MONEY`` columns (lower case) of the table ``tree`` makes: those its column list
    declares, or those of a ``SELECT ... INTO`` of a money value (``CAST(SUM(x) AS MONEY)``),
    which ``number_formats`` writes as text in the money styles."""
    return listed_money(tree) | {name for name, typed in _made(tree, columns) if typed.money}


def listed_money(tree: exp.Create) -> set[str]:
    """The ``MONEY`` and ``SMALLMONEY`` columns (lower case) ``tree``'s column list declares."""
    return {name for name, kind in declared_types(tree).items() if kind.this in _MONEY}


def declared(tree: exp.Create, columns: ColumnKinds) -> dict[str, tuple[int, int]]:
    """The decimal columns (lower case: precision, scale) of the table ``tree`` makes: those
    its column list declares ``DECIMAL``/``NUMERIC``, or those of a ``SELECT ... INTO`` whose
    value is a decimal of known type."""
    found: dict[str, tuple[int, int]] = {}
    if isinstance(tree.this, exp.Schema):
        for column in tree.this.expressions:
            kind = column.args.get("kind") if isinstance(column, exp.ColumnDef) else None
            if isinstance(kind, exp.DataType) and kind.is_type(exp.DataType.Type.DECIMAL):
                found[column.name.lower()] = decimal_digits(kind)
    for name, typed in _made(tree, columns):
        if not typed.integer and not typed.money:
            found[name] = (typed.precision, typed.scale)
    return found


DERIVED_PASSES = 2
"""Passes over a statement's CTEs and derived tables: a CTE may read the names of one listed
before it, which the first pass may not have typed yet (the second reads them)."""


def with_derived(tree: exp.Expression, columns: ColumnKinds) -> ColumnKinds:
    """``columns`` with the number types of the columns the statement's CTEs and derived
    tables compute (by name, as the script's tables' columns are known): so
    ``100.0 * t.n / SUM(t.n) OVER ()`` over ``(SELECT g, COUNT(*) AS n ...) t`` has twelve
    places, as SQL Server gives it, not the target's float or sixteen places. A column named
    by the CTE's column list (``WITH c (g, n) AS ...``) is typed by position, one of a
    ``UNION`` by every branch (:func:`query_types`); one passed on under its own name keeps
    what it was; one of unknown type makes its name unknown (rejected: keeping a table's type
    of the same name, which the derived column hides)."""
    integers, ints = dict(columns.integers), dict(columns.ints)
    decimals, moneys = dict(columns.decimals), set(columns.moneys)
    known = ColumnKinds(columns.texts, integers, ints, columns.dates, columns.undated,
                        decimals, moneys)
    queries = [node for node in tree.find_all(exp.Select, exp.SetOperation, exp.Values)
               if _named_values(node) or (not isinstance(node, exp.Values) and isinstance(
                   node.parent, exp.Subquery | exp.CTE))]
    for _ in range(DERIVED_PASSES if queries else 0):
        for node in reversed(queries):  # (innermost first)
            for name, typed in _derived_types(node, known):
                integers[name] = typed is not None and typed.integer
                ints[name] = _an_int(typed)
                decimals[name] = (None if typed is None or typed.integer or typed.money
                                  else (typed.precision, typed.scale))
                if typed is not None and typed.money:
                    moneys.add(name)
                else:
                    moneys.discard(name)
    return known


_NULL = NumberType(0, 0)
"""A ``NULL`` of a ``UNION``'s branch: no type of its own (the other branches give it)."""
_INT_DIGITS = _INTEGER_TYPES[exp.DataType.Type.INT]


def _an_int(typed: NumberType | None) -> bool:
    """An integer of an ``int``'s digits or fewer (not a ``bigint``)."""
    return typed is not None and typed.integer and typed.precision <= _INT_DIGITS


def query_types(query: exp.Expression, columns: ColumnKinds) -> list[NumberType | None] | None:
    """Per column of a query, SQL Server's number type (None: not known): a ``SELECT``'s
    projections', or a ``UNION``'s (``INTERSECT``'s, ``EXCEPT``'s) from every branch's, as a
    ``CASE`` of them (``SELECT 1.5 UNION ALL SELECT 1.0 / 3`` is a ``DECIMAL(7, 6)``; a
    branch's ``NULL`` counts for nothing). None for a ``*`` or branches of unequal width."""
    types = _branch_types(query, columns)
    return None if types is None else [None if t is _NULL else t for t in types]


def _branch_types(query: exp.Expression, columns: ColumnKinds
                  ) -> list[NumberType | None] | None:
    """:func:`query_types`, a ``NULL`` column as ``_NULL`` (for the other branches to type)."""
    if isinstance(query, exp.Subquery):
        return _branch_types(query.this, columns)
    if isinstance(query, exp.Select):
        if any(projection.is_star for projection in query.selects):
            return None
        return [_NULL if _is_null(projection.unalias()) else
                _column_type(number_type(projection.unalias(), columns))
                for projection in query.selects]
    if isinstance(query, exp.SetOperation):
        left = _branch_types(query.this, columns)
        right = _branch_types(query.expression, columns)
        if left is None or right is None or len(left) != len(right):
            return None
        return [_union_branches(pair) for pair in zip(left, right, strict=True)]
    return None


def _column_type(typed: NumberType | None) -> NumberType | None:
    """A query's column of an integer constant is an ``int`` (``SELECT 2 UNION SELECT 1.5``
    is a ``DECIMAL(11, 1)``): a constant counts its digits only in arithmetic."""
    if typed is not None and typed.integer and typed.precision < _INT_DIGITS:
        return NumberType(_INT_DIGITS, 0, integer=True)
    return typed


def _union_branches(types: tuple[NumberType | None, ...]) -> NumberType | None:
    typed = [t for t in types if t is not _NULL]
    return _union(typed) if typed else _NULL


def _values_alias(node: exp.Expression) -> exp.Expression | None:
    """A ``VALUES`` list's alias: its own (``(VALUES (1.5), (2.0)) t(w)``), or that of the
    APPLY it is the body of (``CROSS APPLY (VALUES ('Autumn', a.au), ('Spring', a.sp)) v(term,
    n)``, which sqlglot hangs on the APPLY)."""
    alias = node.args.get("alias")
    if alias is None and isinstance(node.parent, exp.Subquery) and isinstance(
            node.parent.parent, exp.Lateral):
        alias = node.parent.parent.args.get("alias")
    return alias


def _named_values(node: exp.Expression) -> bool:
    """A ``VALUES`` list as a table with its columns named: ``(VALUES (1.5), (2.0)) t(w)``,
    or the body of an APPLY so named (:func:`_values_alias`)."""
    if not isinstance(node, exp.Values):
        return False
    alias = _values_alias(node)
    return isinstance(alias, exp.TableAlias) and bool(alias.args.get("columns"))


def _values_types(values: exp.Values, columns: ColumnKinds
                  ) -> list[tuple[str, NumberType | None]]:
    """A named ``VALUES`` list's columns (lower-case name, type), each typed by every row as
    a ``UNION``'s column is by its branches: ``(VALUES (1.0), (2.5)) t(w)``'s ``w`` is a
    ``DECIMAL(2, 1)``, so ``AVG(w)`` has six places, as SQL Server gives it (the targets' was
    a float: ``1.6666666666666667``)."""
    names = [column.name.lower() for column in _values_alias(values).args["columns"]]
    rows = [[_NULL if _is_null(value) else _column_type(number_type(value, columns))
             for value in (row.expressions if isinstance(row, exp.Tuple) else [row])]
            for row in values.expressions]
    if any(len(row) != len(names) for row in rows):
        return [(name, None) for name in names]
    types = [_union_branches(tuple(row[i] for row in rows)) for i in range(len(names))]
    return [(name, None if typed is _NULL else typed) for name, typed in zip(
        names, types, strict=True)]


def _derived_types(query: exp.Expression, columns: ColumnKinds
                   ) -> list[tuple[str, NumberType | None]]:
    """The columns a CTE's or derived table's query computes (lower-case name, type), named
    as ``derived_columns.names`` reads them; of a ``SELECT``, not those passed on under their
    own name (nor those it does not name); of a named ``VALUES`` list, each of its columns."""
    if isinstance(query, exp.Values):
        return _values_types(query, columns)
    names = [name.lower() for name in derived_columns.names(query.parent)]
    if isinstance(query, exp.SetOperation):
        types = query_types(query, columns) or [None] * len(names)
        return [(name, typed) for name, typed in zip(names, types, strict=False) if name]
    found = []
    for name, item in zip(names, query.selects, strict=False):
        value = item.unalias()
        if name and not (isinstance(value, exp.Column) and value.name.lower() == name):
            found.append((name, number_type(value, columns)))
    return found
