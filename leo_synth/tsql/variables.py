"""T-SQL variables: the literals the runner holds for them, and ``SELECT @x = ...``.

A variable's value is computed by the target and kept as a literal of its declared type,
substituted into later statements. ``SELECT @x = a FROM ...`` takes the last row's value;
``SELECT @s = @s + ',' + x FROM ...`` adds each row's part in turn, as SQL Server does (the
idiom that joins a column's values into a list, before ``STRING_AGG``).
"""

from __future__ import annotations

import datetime as dt
import decimal

from sqlglot import exp

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
    if not converts(kind):
        return value
    assert kind is not None
    return exp.Cast(this=value.copy(), to=kind.copy())


def _text(value: object, length: int) -> exp.Expression:
    """``value`` put in text of ``length`` characters, as SQL Server does without a word: cut
    to its length (``DECLARE @t VARCHAR(4) = 'abcdef'`` holds ``'abcd'``), and an integer too
    long for it ``*`` (SQL Server's rule for ``VARCHAR``; for ``NVARCHAR`` it stops with
    error 8115 instead)."""
    text = value.isoformat() if isinstance(value, dt.date) else str(
        int(value) if isinstance(value, bool) else value)
    if isinstance(value, int) and len(text) > length:
        return exp.Literal.string("*")
    return exp.Literal.string(text[:length])


def literal(value: object, kind: exp.DataType | None) -> exp.Expression:
    """A value computed by the target as a literal of the variable's declared type."""
    if value is None:
        return exp.Null()
    length = length_of(kind)  # (DECLARE @s VARCHAR holds one character, a cast's 30)
    if length is not None:
        return _text(value, length)
    if kind is not None and kind.this in DATE_TYPES | TIME_TYPES:
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        if kind.this in DATE_TYPES:
            return exp.cast(exp.Literal.string(text[:10]), exp.DataType.build("DATE"))
        # (a DATETIME, so that @t + 1 adds a day, as in SQL Server)
        return exp.cast(exp.Literal.string(text.replace("T", " ")),
                        exp.DataType.build("DATETIME"))
    if kind is not None and kind.this in INTEGER_TYPES:
        return exp.Literal.number(int(value))
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


def accumulated(item: exp.EQ) -> exp.Expression | None:
    """For ``@s = @s + a [+ b ...]``, what each row adds (``a + b``); None for any other
    assignment."""
    name = item.this.name.lower()
    terms: list[exp.Expression] = []
    node = item.expression
    while isinstance(node, exp.Add):
        terms.append(node.expression)
        node = node.this
    if not terms or not (isinstance(node, exp.Parameter) and node.name.lower() == name):
        return None
    part = terms.pop()
    while terms:
        part = exp.Add(this=part, expression=terms.pop())
    if any(p.name.lower() == name for p in part.find_all(exp.Parameter)):
        return None
    return part


def added(total: object, part: object) -> object:
    """``total + part`` as T-SQL adds a row's part: text joined, numbers added, NULL
    making NULL."""
    if total is None or part is None:
        return None
    if isinstance(total, str) or isinstance(part, str):
        return f"{total}{part}"
    return total + part  # type: ignore[operator]
