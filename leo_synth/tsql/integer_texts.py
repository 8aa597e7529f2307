"""An integer cast to text too short to hold it is ``*``, as SQL Server gives it.

``CAST(TaxYear AS VARCHAR(4))`` of the tax year 201415 is ``*`` in the SRS (SQL Server's rule
for ``int``, ``smallint``, ``tinyint`` and ``bigint`` to ``char`` or ``varchar``), not the
first four digits: a script that took the year that way got ``2014`` here and ``*`` there
(``LEFT(TaxYear, 4)`` is what gives ``2014`` in both). So a cast or ``CONVERT`` to ``VARCHAR(n)``
or ``CHAR(n)`` of a value the translator knows to be an integer is ``*`` where its digits
(and sign) are more than n; other values are cut to n characters as before
(``value_rewrites``). One to ``NVARCHAR(n)`` or ``NCHAR(n)`` stops instead, with SQL Server's
error 8115 ("Arithmetic overflow error converting expression to data type nvarchar."): the
targets gave the first n digits (``CAST(TaxYear AS NVARCHAR(4))`` was ``2014``).
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.error_messages import expression_overflow
from leo_synth.tsql.integer_average import is_integer
from leo_synth.tsql.text_bounds import raised

SHORT_TEXTS = {exp.DataType.Type.VARCHAR, exp.DataType.Type.CHAR}
"""The text types SQL Server fills with ``*``."""
UNICODE_TEXTS = {exp.DataType.Type.NVARCHAR: "nvarchar", exp.DataType.Type.NCHAR: "nchar"}
"""The text types too short for an integer raise an error in (by their names in it)."""


def short_length(node: exp.Expression) -> tuple[exp.Expression, int] | None:
    """The value and the length of a cast to ``VARCHAR(n)``, ``CHAR(n)``, ``NVARCHAR(n)``
    or ``NCHAR(n)``, or None."""
    if isinstance(node, exp.Cast) and not isinstance(node, exp.TryCast):
        value, to = node.this, node.args.get("to")
    elif isinstance(node, exp.Convert):
        value, to = node.expression, node.this
    else:
        return None
    if not isinstance(to, exp.DataType) or (
            to.this not in SHORT_TEXTS and to.this not in UNICODE_TEXTS) or not to.expressions:
        return None
    length = to.expressions[0].this if isinstance(to.expressions[0], exp.DataTypeParam) else None
    if not isinstance(length, exp.Literal) or length.is_string:
        return None
    return value, int(length.name)


def for_target(tree: exp.Expression, integers: dict[str, bool], dialect: str
               ) -> tuple[exp.Expression, bool]:
    """The tree with each integer cast to too short a text giving ``*`` or stopping (see the
    module), and whether it can stop (PostgreSQL's ``text_bounds.POSTGRES_SETUP``). The
    cast stays the outermost node, of the text whose digits are tested (later rewrites read
    it as text: ``CAST(2011 AS VARCHAR(4)) + '/'`` joins)."""
    raising = False
    for node in list(tree.find_all(exp.Cast, exp.Convert)):
        found = short_length(node)
        if found is None or not is_integer(found[0], integers) or found[1] >= 20:
            continue  # (twenty characters hold any BIGINT)
        value, length = found
        to = node.args["to"] if isinstance(node, exp.Cast) else node.this
        kind = UNICODE_TEXTS.get(to.this)
        # (PostgreSQL's raising function is an integer's: cast, to stand beside the digits)
        too_long = exp.Literal.string("*") if kind is None else exp.cast(
            raised(expression_overflow(kind), dialect), exp.DataType.build("VARCHAR"))
        if isinstance(value, exp.Literal) and kind is None:  # (known now)
            if len(value.name) > length:
                node.replace(too_long)
            continue
        raising = raising or kind is not None
        digits = exp.cast(value.copy(), exp.DataType.build("VARCHAR(20)"))
        text = exp.Case(ifs=[exp.If(this=exp.GT(this=exp.Length(this=digits.copy()),
                                                expression=exp.Literal.number(length)),
                                    true=too_long)], default=digits)
        node.set("this" if isinstance(node, exp.Cast) else "expression", text)
    return tree, raising
