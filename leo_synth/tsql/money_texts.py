"""Text converted to ``MONEY`` or ``SMALLMONEY`` as SQL Server converts it: a currency sign
and thousands' commas are allowed.

``CAST('$5' AS MONEY)`` and ``CAST('£1,250.50' AS MONEY)`` are 5.0000 and 1250.5000 in SQL
Server (a sign alone, ``'$'``, is 0: the reason ``ISNUMERIC('$')`` is 1); the targets,
converting to a decimal, stopped ("Error converting data type varchar to numeric.") and
``TRY_CAST`` gave NULL. So text in the form money takes (``money_forms.MONEY_TEXT``) has
the sign and commas taken out before the conversion: a literal's (a variable's too,
substituted as one) here, a column's by the target (SQLite by the run's function
``money_forms.money_digits``). Text in no such form stops a ``CAST`` or ``CONVERT`` with
SQL Server's error 235 ("Cannot convert a char value to money. The char value has
incorrect syntax."), where the targets gave a decimal's 8114, and is NULL to ``TRY_CAST``.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.money_forms import DROPPED, MONEY_FAILED, MONEY_TEXT, is_money, money_digits
from leo_synth.tsql.rewrites import is_text
from leo_synth.tsql.text_bounds import raised
from leo_synth.tsql.value_rewrites import cast_parts, is_safe


def _to_money(node: exp.Expression) -> bool:
    parts = cast_parts(node)
    return parts is not None and parts[1].is_type(exp.DataType.Type.MONEY,
                                                  exp.DataType.Type.SMALLMONEY)


def _digits(value: exp.Expression, dialect: str, safe: bool) -> exp.Expression:
    """The target's expression for ``money_digits`` of the text ``value`` (``safe``: a
    ``TRY_CAST``'s, which leaves text in no form of money as it is)."""
    if dialect == "sqlite":
        name = "LEO_MONEY_DIGITS" if safe else "LEO_MONEY_CHECKED"
        return exp.Anonymous(this=name, expressions=[value])
    stripped = exp.RegexpReplace(this=value.copy(), expression=exp.Literal.string(DROPPED),
                                 replacement=exp.Literal.string(""),
                                 modifiers=exp.Literal.string("g"))
    digits = exp.Case(ifs=[exp.If(this=exp.RegexpLike(this=stripped.copy(),
                                                      expression=exp.Literal.string("[0-9]")),
                                  true=stripped)], default=exp.Literal.string("0"))
    money = exp.RegexpLike(this=value.copy(), expression=exp.Literal.string(MONEY_TEXT))
    return exp.Case(ifs=[exp.If(this=money, true=digits)],
                    default=value if safe else exp.cast(raised(MONEY_FAILED, dialect),
                                                        exp.DataType.build("TEXT")))


def for_target(tree: exp.Expression, texts: dict[str, bool], dialect: str) -> exp.Expression:
    """``tree`` with the text each conversion to money reads in the form a number takes."""
    for node in list(tree.find_all(exp.Cast, exp.Convert)):
        if not _to_money(node):
            continue
        value = cast_parts(node)[0]
        if isinstance(value, exp.Literal) and value.is_string and (
                is_money(value.name) or is_safe(node)):
            value.replace(exp.Literal.string(str(money_digits(value.name))))
        elif is_text(value, texts):  # (a literal in no form of money stops as a row reads it)
            placeholder = exp.Null()
            value.replace(placeholder)
            placeholder.replace(_digits(value, dialect, is_safe(node)))
    return tree
