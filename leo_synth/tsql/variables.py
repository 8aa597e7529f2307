"""T-SQL variables: the literals the runner holds for them, and ``SELECT @x = ...``.

A variable's value is computed by the target and kept as a literal of its declared type,
substituted into later statements. ``SELECT @x = a FROM ...`` takes the last row's value;
``SELECT @s = @s + ',' + x FROM ...`` adds each row's part in turn, as SQL Server does (the
idiom that joins a column's values into a list, before ``STRING_AGG``), and so does
``SELECT @s = COALESCE(@s + ',', '') + x`` (or ``ISNULL``), its form without a leading comma.
"""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass

from sqlglot import exp

from leo_synth.tsql import char_padding
from leo_synth.tsql.date_literals import NEUTRAL
from leo_synth.tsql.datetime_ticks import ticked_text
from leo_synth.tsql.decimal_types import DECLARED_INTEGER
from leo_synth.tsql.text_lengths import length_of

DATE_TYPES = {exp.DataType.Type.DATE}
TIME_TYPES = {exp.DataType.Type.DATETIME, exp.DataType.Type.DATETIME2,
              exp.DataType.Type.SMALLDATETIME, exp.DataType.Type.TIMESTAMP}
INTEGER_TYPES = exp.DataType.INTEGER_TYPES
FRACTION_TYPES = {exp.DataType.Type.FLOAT, exp.DataType.Type.DOUBLE, exp.DataType.Type.DECIMAL,
                  exp.DataType.Type.MONEY, exp.DataType.Type.SMALLMONEY}
"""Number types with a fraction: a variable of one is substituted as a cast, so that
``@f / 2900`` divides as a FLOAT or DECIMAL does (its whole value as a plain literal was an
integer, and the division an integer division)."""


def assignments(tree: exp.Expression) -> list[exp.EQ]:
    """The ``@x = value`` items of a ``SELECT @x = ..., @y = ... [FROM ...]`` (empty for any
    other statement)."""
    if not isinstance(tree, exp.Select):
        return []
    return [s for s in tree.selects if isinstance(s, exp.EQ) and isinstance(s.this, exp.Parameter)]


def converts(kind: exp.DataType | None) -> bool:
    """Whether a value put in a variable of type ``kind`` is converted to it by the target
    first: a number's, a date's or a bit's (text is cut to its length by :func:`literal`)."""
    return kind is not None and kind.this in (INTEGER_TYPES | DATE_TYPES | TIME_TYPES
                                              | FRACTION_TYPES)


def converted(value: exp.Expression, kind: exp.DataType | None) -> exp.Expression:
    """``value`` as a variable of type ``kind`` receives it: cast to its type, as SQL Server
    converts what a ``DECLARE``, ``SET`` or ``SELECT @x =`` assigns (``'abc'`` into an
    ``INT`` stops with error 245, 2 into a ``BIT`` is 1, 1.005 into a ``DECIMAL(5, 2)``
    1.01), so the target's cast says what it becomes."""
    # (a number put in text is written as SQL Server writes it: DECLARE @s VARCHAR(20) =
    # 2.0 / 3 holds '0.666667', where the target's float gave 0.6666666666666666)
    number_as_text = length_of(kind) is not None and not isinstance(value, exp.Null) and not (
        isinstance(value, exp.Literal) and value.is_string)
    if kind is None or not (converts(kind) or number_as_text):
        return value
    return exp.Cast(this=value.copy(), to=kind.copy())


def _text(value: object, length: int, fixed: bool = False) -> exp.Expression:
    """``value`` put in text of ``length`` characters, as SQL Server does without a word: cut
    to its length (``DECLARE @t VARCHAR(4) = 'abcdef'`` holds ``'abcd'``), and an integer too
    long for it ``*`` (SQL Server's rule for ``VARCHAR``; for ``NVARCHAR`` it stops with
    error 8115 instead); a ``CHAR(n)``'s (``fixed``) padded with spaces to its length
    (``DECLARE @c CHAR(5) = 'ab'`` holds ``'ab   '``, so ``@c + '|'`` is ``'ab   |'``)."""
    text = value.isoformat() if isinstance(value, dt.date) else str(
        int(value) if isinstance(value, bool) else value)
    if isinstance(value, int) and len(text) > length:
        text = "*"
    return exp.Literal.string(text[:length].ljust(length) if fixed else text[:length])


def literal(value: object, kind: exp.DataType | None) -> exp.Expression:
    """A value computed by the target as a literal of the variable's declared type."""
    if value is None:
        return exp.Null()
    length = length_of(kind)  # (DECLARE @s VARCHAR holds one character, a cast's 30)
    if length is not None:
        text = _text(value, length, kind.this in char_padding.PADDED)  # type: ignore[union-attr]
        if kind.this == exp.DataType.Type.NVARCHAR:  # type: ignore[union-attr]
            # (its error 245 says "the nvarchar value 'abc'", as an N'...' literal's)
            text.meta[char_padding.KIND] = "nvarchar"
        return text
    if kind is not None and kind.this in DATE_TYPES | TIME_TYPES:
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        if kind.this in DATE_TYPES:
            return exp.cast(exp.Literal.string(text[:10]), exp.DataType.build("DATE"))
        # (its own type: a DATETIME2(n) is shown with n places, a DATETIME with three, and
        # @t + 1 adds a day to a DATETIME, as in SQL Server; ISO already, not to be read
        # again by the DATEFORMAT: date_literals.NEUTRAL)
        own = kind.this in (exp.DataType.Type.DATETIME2, exp.DataType.Type.SMALLDATETIME)
        text = text.replace("T", " ")
        held = exp.Literal.string(text if own else ticked_text(text))  # (1/300 s: datetime_ticks)
        held.meta[NEUTRAL] = True
        return exp.cast(held, kind.copy() if own else exp.DataType.build("DATETIME"))
    if kind is not None and kind.this == exp.DataType.Type.TIME:
        # (a TIME, written as text with its places as SQL Server writes it: time_texts)
        text = value.isoformat() if isinstance(value, dt.time) else str(value)
        return exp.cast(exp.Literal.string(text), kind.copy())
    if kind is not None and kind.this in INTEGER_TYPES:
        number = exp.Literal.number(int(value))
        number.meta[DECLARED_INTEGER] = kind.this  # (its type's digits: decimal_types)
        return number
    if isinstance(value, bool):
        return exp.Literal.number(int(value))
    if isinstance(value, int | float | decimal.Decimal) and (
            kind is None or kind.is_type(*exp.DataType.NUMERIC_TYPES)):
        number = exp.Literal.number(value)
        return exp.cast(number, kind.copy()) if kind is not None and kind.this in (
            FRACTION_TYPES) else number
    if isinstance(value, dt.date):
        return exp.Literal.string(value.isoformat())
    return exp.Literal.string(str(value))


@dataclass
class Accumulation:
    """``SELECT @s = f(@s, row) FROM ...``: the values of each row that ``f`` reads (the
    parts of ``f`` without ``@s``, which the target computes) and ``f`` with each part
    replaced by its number (a ``Placeholder``), which :func:`folded` computes row by row."""

    parts: list[exp.Expression]
    fold: exp.Expression


FOLDABLE = (exp.Add, exp.Coalesce, exp.Paren, exp.Case, exp.If, exp.EQ, exp.NEQ, exp.GT,
            exp.GTE, exp.LT, exp.LTE, exp.Is, exp.Not, exp.And, exp.Or, exp.Length, exp.Null,
            exp.Cast)
"""What ``f`` may do with ``@s``: add or join (``@s + ',' + x``), take the first value that
is not NULL (``COALESCE(@s + ', ', '') + x``, ``ISNULL(@s + ', ', '') + x``), and choose by
a test of it (``CASE WHEN @s = '' THEN '' ELSE ',' END``, ``IIF(LEN(@s) > 0, ',', '')``), as
scripts build a dynamic PIVOT's column list."""


def accumulation(item: exp.EQ) -> Accumulation | None:
    """For an assignment ``@s = f(@s, row)`` that :func:`folded` can compute, its parts and
    fold; None for any other (``@x = a``: the last row's ``a``)."""
    name = item.this.name.lower()

    def reads(node: exp.Expression) -> bool:
        return any(p.name.lower() == name for p in node.find_all(exp.Parameter))

    parts: list[exp.Expression] = []

    def skeleton(node: exp.Expression) -> exp.Expression | None:
        if not reads(node):
            parts.append(node.copy())
            return exp.Placeholder(this=str(len(parts) - 1))
        if isinstance(node, exp.Parameter):
            return node.copy()
        if not isinstance(node, FOLDABLE) or (
                isinstance(node, exp.Cast) and not node.to.is_type(*exp.DataType.TEXT_TYPES)):
            return None  # (a cast to text only: how sqlglot reads LEN(@s))
        rebuilt = node.copy()
        for key, value in node.args.items():
            children = value if isinstance(value, list) else [value]
            made = [skeleton(child) if isinstance(child, exp.Expression) and not isinstance(
                child, exp.DataType) else child for child in children]
            if any(m is None for m, c in zip(made, children, strict=True)
                   if isinstance(c, exp.Expression)):
                return None
            rebuilt.set(key, made if isinstance(value, list) else made[0])
        return rebuilt

    if not reads(item.expression):
        return None
    fold = skeleton(item.expression)
    return Accumulation(parts, fold) if fold is not None and not isinstance(
        fold, exp.Parameter) else None


def folded(fold: exp.Expression, total: object, values: tuple) -> object:
    """``fold`` for one row: ``total`` the variable's value so far, ``values`` the row's
    parts. ``+`` joins text and adds numbers, NULL making NULL; ``COALESCE`` (and
    ``ISNULL``) takes the first value that is not NULL; ``CASE`` and ``IIF`` the value of
    the first test that holds, a test of NULL holding not."""
    if isinstance(fold, exp.Parameter):
        return total
    if isinstance(fold, exp.Placeholder):
        return values[int(fold.name)]
    if isinstance(fold, exp.Null):
        return None
    if isinstance(fold, exp.Paren):
        return folded(fold.this, total, values)
    if isinstance(fold, exp.Cast):  # (to text: accumulation folds no other)
        value = folded(fold.this, total, values)
        return value if value is None or isinstance(value, str) else str(value)
    if isinstance(fold, exp.Coalesce):
        return next((value for value in (folded(operand, total, values)
                                         for operand in [fold.this, *fold.expressions])
                     if value is not None), None)
    if isinstance(fold, exp.Case):
        for arm in fold.args.get("ifs") or []:
            if folded(arm.this, total, values) is True:
                return folded(arm.args["true"], total, values)
        default = fold.args.get("default")
        return folded(default, total, values) if default is not None else None
    if isinstance(fold, exp.If):
        chosen = fold.args["true"] if folded(fold.this, total, values) is True else (
            fold.args.get("false"))
        return folded(chosen, total, values) if chosen is not None else None
    if isinstance(fold, exp.Length):
        value = folded(fold.this, total, values)
        return None if value is None else len(str(value).rstrip(" "))  # (LEN: no trailing)
    if isinstance(fold, exp.Is):
        return folded(fold.this, total, values) is None
    if isinstance(fold, exp.Not):
        held = folded(fold.this, total, values)
        return None if held is None else not held
    if isinstance(fold, exp.And | exp.Or):
        left, right = folded(fold.this, total, values), folded(fold.expression, total, values)
        if isinstance(fold, exp.And):
            return False if False in (left, right) else None if None in (left, right) else True
        return True if True in (left, right) else None if None in (left, right) else False
    if isinstance(fold, exp.EQ | exp.NEQ | exp.GT | exp.GTE | exp.LT | exp.LTE):
        return _compared(fold, folded(fold.this, total, values),
                         folded(fold.expression, total, values))
    return added(folded(fold.this, total, values), folded(fold.expression, total, values))


def _compared(test: exp.Expression, left: object, right: object) -> bool | None:
    """A comparison as the SRS's collation makes it: text ignoring case and trailing spaces;
    NULL with NULL."""
    if left is None or right is None:
        return None
    if isinstance(left, str) and isinstance(right, str):
        left, right = left.rstrip(" ").lower(), right.rstrip(" ").lower()
    elif isinstance(left, str) or isinstance(right, str):
        left, right = decimal.Decimal(str(left).strip()), decimal.Decimal(str(right).strip())
    return {exp.EQ: left == right, exp.NEQ: left != right, exp.GT: left > right,
            exp.GTE: left >= right, exp.LT: left < right, exp.LTE: left <= right}[type(test)]


def added(total: object, part: object) -> object:
    """``total + part`` as T-SQL adds a row's part: text joined, numbers added, NULL
    making NULL."""
    if total is None or part is None:
        return None
    if isinstance(total, str) or isinstance(part, str):
        return f"{total}{part}"
    return total + part  # type: ignore[operator]
