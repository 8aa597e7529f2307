"""Text converted to a ``DECIMAL`` as SQL Server converts it: digits and a point, no exponent.

SQL Server reads text as a ``numeric`` only in the form ``[+-]digits[.digits]``, spaces
allowed around it (``CAST(' 12.5 ' AS DECIMAL(10, 2))`` is 12.50): ``CAST('1e5' AS
DECIMAL(10, 2))`` stops with error 8114, "Error converting data type varchar to numeric."
(as ``CONVERT`` does; ``TRY_CAST`` is NULL), though ``CAST('1e5' AS FLOAT)`` is 100000. The
targets read the exponent and gave 100000.00. Text whose number needs more digits before
its point than the decimal holds (``CAST('123456' AS DECIMAL(5, 2))``) stops with error 8115
in SQL Server's words, "Arithmetic overflow error converting varchar to data type
numeric." (the targets said a decimal's, or 8114). So a string literal converted so is read
here, its fault raised as the query runs (NULL to ``TRY_CAST``); text of a column or an
expression is checked by the target (SQLite by the run's ``LEO_DECIMAL``, which reads it so
too).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from sqlglot import exp

from leo_synth.tsql.decimal_types import MAX_PRECISION
from leo_synth.tsql.error_messages import not_converted, numeric_overflow
from leo_synth.tsql.rewrites import is_text
from leo_synth.tsql.text_bounds import raised
from leo_synth.tsql.try_conversions import DECIMAL_TEXT, decimal_digits
from leo_synth.tsql.value_rewrites import cast_parts, is_safe, value_slot

NOT_CONVERTED = not_converted("numeric")
TEXT_OVERFLOW = numeric_overflow("numeric", "varchar")


def fault(text: str, precision: int, scale: int) -> str | None:
    """SQL Server's message for ``text`` converted to ``DECIMAL(precision, scale)``, None
    when it converts (rounded half away from zero to its places first, as SQL Server
    rounds it: ``'999.999'`` is beyond a ``DECIMAL(5, 2)``)."""
    if not re.fullmatch(DECIMAL_TEXT, text):
        return NOT_CONVERTED
    number = Decimal(text.strip()).quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_UP)
    return TEXT_OVERFLOW if abs(number) >= Decimal(10) ** (precision - scale) else None


def _checked(value: exp.Expression, precision: int, scale: int, safe: bool,
             dialect: str) -> exp.Expression:
    """``value`` (text) as the conversion reads it: itself, or a fault (NULL when ``safe``)
    where it is no decimal or beyond its digits."""
    text = exp.cast(value.copy(), exp.DataType.build("TEXT"))
    wrong = exp.Not(this=exp.RegexpLike(this=text, expression=exp.Literal.string(
        DECIMAL_TEXT)))
    trimmed = exp.Trim(this=text.copy())
    # (PostgreSQL's numeric of the widest precision rounds as SQL Server does; DuckDB's
    # rounded double near enough, its own cast stopping at what is left)
    number = exp.func("ROUND", exp.cast(trimmed, "DOUBLE"), exp.Literal.number(scale)) if (
        dialect == "duckdb") else exp.cast(trimmed, exp.DataType.build(
            f"DECIMAL({MAX_PRECISION}, {scale})"))
    beyond = exp.GTE(this=exp.Abs(this=number),
                     expression=exp.Literal.number(10 ** (precision - scale)))

    def failed(message: str) -> exp.Expression:
        return exp.Null() if safe else exp.cast(raised(message, dialect),
                                                exp.DataType.build("TEXT"))

    return exp.Case(ifs=[exp.If(this=wrong, true=failed(NOT_CONVERTED)),
                         exp.If(this=beyond, true=failed(TEXT_OVERFLOW))],
                    default=value.copy())


def for_target(tree: exp.Expression, texts: dict[str, bool], dialect: str) -> exp.Expression:
    """``tree`` with each conversion of text to a ``DECIMAL`` checked as SQL Server checks it
    (``texts``: lower-case column names and whether they hold text wherever met)."""
    for node in list(tree.find_all(exp.Cast, exp.TryCast, exp.Convert)):
        parts = cast_parts(node)
        if parts is None or not parts[1].is_type(exp.DataType.Type.DECIMAL,
                                                 exp.DataType.Type.BIGDECIMAL):
            continue
        value, (precision, scale) = parts[0], decimal_digits(parts[1])
        if isinstance(value, exp.Literal) and value.is_string:
            message = fault(value.name, precision, scale)
            if message is not None:
                node.set(value_slot(node), exp.Null() if is_safe(node) else exp.cast(
                    raised(message, dialect), exp.DataType.build("TEXT")))
        elif dialect != "sqlite" and is_text(value, texts):
            node.set(value_slot(node), _checked(value, precision, scale, is_safe(node),
                                                dialect))
    return tree
