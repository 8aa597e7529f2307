"""``ISNULL``'s value is cut to its first argument's length, as SQL Server cuts it.

``ISNULL(x, y)`` has the type of ``x``: ``y`` is converted to it, and text longer than a
``VARCHAR(n)`` column's ``n`` characters is cut without a word. So ``ISNULL(Benefit_type,
'None')`` of a ``VARCHAR(3)`` column is ``'Non'`` in the SRS and ``ISNULL(Main_SIC2007,
'Unknown')`` of a ``VARCHAR(5)`` ``'Unkno'``, a classic surprise of SQL Server's that
``COALESCE`` (the type of its widest argument) does not share; the targets gave the whole
text, so groups and labels differed from the SRS's. A column's length is known by its name,
as the translator knows its other kinds: the extract's columns from the spec, a #temp
table's from its ``CREATE TABLE``. For the same reason ``ISNULL`` of a ``DATE`` column is a
``DATE``: ``ISNULL(EndDate, GETDATE())``, an open spell ended today, is today's date in the
SRS, where the targets gave a date and time (:func:`dates_kept`), and ``ISNULL`` of an
integer is an integer: ``ISNULL(n, 0.5)`` is 0 where ``n`` is NULL (the decimal cut to its
whole part), where the targets gave 0.5 (:func:`integers_kept`).
"""

from __future__ import annotations

import decimal

from sqlglot import exp

from leo_synth.tsql import char_padding
from leo_synth.tsql.integer_average import is_integer
from leo_synth.tsql.rewrites import is_text
from leo_synth.tsql.text_lengths import value_length


def for_target(tree: exp.Expression, lengths: dict[str, int | None],
               texts: dict[str, bool]) -> exp.Expression:
    """The tree with each ``ISNULL`` of a column (or a cast) of a known text length given a
    value of that length at most (``lengths``: by lower-case column name, None where unknown);
    of a ``CHAR(n)``, one of n characters, padded (``char_padding``)."""
    for node in list(tree.find_all(exp.Coalesce)):
        column, values = node.this, node.expressions
        fixed = char_padding.length(column)  # (a CHAR(n)'s, padded: char_padding)
        if not node.args.get("is_null") or not (fixed is not None or isinstance(
                column, exp.Column | exp.Cast | exp.Convert)) or len(values) != 1:
            continue
        length = value_length(column, lengths)  # (a column's, or a cast's: VARCHAR(2))
        replacement = values[0]
        if length is None or not is_text(replacement, texts):
            continue
        if fixed is not None:
            replacement.replace(char_padding.pad(replacement.copy(), fixed))
        elif isinstance(replacement, exp.Literal):
            if len(replacement.name) > length:
                replacement.replace(exp.Literal.string(replacement.name[:length]))
        else:
            replacement.replace(exp.Left(this=replacement.copy(),
                                         expression=exp.Literal.number(length)))
    return tree


def dates_kept(tree: exp.Expression, dates: set[str]) -> exp.Expression:
    """The tree with each ``ISNULL`` of a ``DATE`` column (``dates``: lower-case names of
    columns that hold a ``DATE`` wherever met) cast to a ``DATE``."""
    for node in list(tree.find_all(exp.Coalesce)):
        first = node.this
        while isinstance(first, exp.Nullif | exp.Paren):  # (NULLIF: its first argument's type)
            first = first.this
        if node.args.get("is_null") and isinstance(first, exp.Column) and (
                first.name.lower() in dates) and not isinstance(node.parent, exp.Cast):
            node.replace(exp.cast(node.copy(), exp.DataType.build("DATE")))
    return tree


def _decimal_literal(node: exp.Expression) -> decimal.Decimal | None:
    """The number a decimal literal (``0.5``, ``-1.5``) is, else None."""
    value = node.this if isinstance(node, exp.Neg) else node
    if not isinstance(value, exp.Literal) or value.is_string or "." not in value.name or (
            "e" in value.name.lower()):
        return None
    return decimal.Decimal(value.name) * (-1 if isinstance(node, exp.Neg) else 1)


def integers_kept(tree: exp.Expression, integers: dict[str, bool]) -> exp.Expression:
    """The tree with each ``ISNULL`` of an integer whose replacement is a decimal literal
    given that literal's whole part (``CAST(0.5 AS INT)``, 0), as SQL Server converts it."""
    for node in list(tree.find_all(exp.Coalesce)):
        if not node.args.get("is_null") or len(node.expressions) != 1 or not is_integer(
                node.this, integers):
            continue
        number = _decimal_literal(node.expressions[0])
        if number is not None:
            whole = int(number)  # (toward zero, as a cast to INT cuts)
            node.expressions[0].replace(exp.Literal.number(whole) if whole >= 0 else exp.Neg(
                this=exp.Literal.number(-whole)))
    return tree
