"""``CONVERT(VARCHAR, number, style)``: the styles SQL Server gives numbers, not dates'.

A style number is a date's style to the targets' translation, so ``CONVERT(VARCHAR(8),
TaxYear, 112)``, which SQL Server writes ``201819`` (an ``int``'s or ``decimal``'s style means
nothing to it), was ``-41600617`` on SQLite and stopped DuckDB and PostgreSQL. So a style of a
value the translator knows to be an integer or a decimal (a column every table met holds as
one, a literal, a cast) is dropped. A ``FLOAT``'s styles 1 and 2 write it in scientific
notation with 8 and 16 significant digits (``3.3333333e-001``, ``3.333333333333333e-001``),
its exponent in three digits as style 0's (``float_texts``) is. Text converted to text
keeps its value whatever the style (``CONVERT(VARCHAR(30), '2020-01-02', 100)`` is the text,
where every target read it as a date's style). Style 3 (17 digits, SQL Server
2016's lossless text) stops the script with one line: which of its forms SQL Server gives a
large or small value is not documented, and guessing would give a wrong answer quietly.
``MONEY``'s styles are ``number_formats``'.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.float_texts import is_float, three_digit_exponent
from leo_synth.tsql.integer_average import is_integer
from leo_synth.tsql.rewrites import is_text
from leo_synth.tsql.value_rewrites import TEXT_TYPES

FLOAT_STYLES = {"1": 7, "2": 15}
"""A FLOAT's scientific styles, by the digits they write after the point."""
_DECIMAL_TYPES = (exp.DataType.Type.DECIMAL, exp.DataType.Type.BIGDECIMAL)


def _decimal(node: exp.Expression) -> bool:
    """A ``DECIMAL`` for certain: a literal with a point, a cast to one."""
    if isinstance(node, exp.Paren | exp.Neg):
        return _decimal(node.this)
    if isinstance(node, exp.Literal):
        return not node.is_string and "e" not in node.name.lower()
    to = node.args.get("to") if isinstance(node, exp.Cast | exp.TryCast) else (
        node.this if isinstance(node, exp.Convert) else None)
    return isinstance(to, exp.DataType) and to.is_type(*_DECIMAL_TYPES)


def _scientific(value: exp.Expression, digits: int, dialect: str) -> exp.Expression:
    """``value`` (a FLOAT) in scientific notation with ``digits`` after the point and a
    three-digit exponent, by the target's own functions."""
    if dialect == "sqlite":
        return exp.Anonymous(this="LEO_FLOAT_SCIENTIFIC",
                             expressions=[value, exp.Literal.number(digits)])
    if dialect == "duckdb":
        return three_digit_exponent(exp.Anonymous(this="PRINTF", expressions=[
            exp.Literal.string(f"%.{digits}e"), value]))
    # (PostgreSQL's to_char pads a positive number with a space for its sign)
    return three_digit_exponent(exp.Trim(this=exp.Anonymous(this="TO_CHAR", expressions=[
        value, exp.Literal.string(f"9.{'9' * digits}EEEE")]), position="LEADING"))


def for_target(tree: exp.Expression, integers: dict[str, bool], floats: dict[str, bool],
               dialect: str, line: int, texts: dict[str, bool] | None = None
               ) -> exp.Expression:
    """The tree with each styled ``CONVERT`` of a number to text written as SQL Server
    writes it (see the module); text converted to text keeps its value, whatever the style
    (``texts``: column names, lower case, and whether they hold text wherever met)."""
    for node in list(tree.find_all(exp.Convert)):
        style, to, value = node.args.get("style"), node.this, node.expression
        if not (isinstance(style, exp.Literal) and isinstance(to, exp.DataType)
                and to.this in TEXT_TYPES):
            continue
        if is_text(value, texts or {}):  # (CONVERT(VARCHAR, '2020-01-02', 100) is the text)
            node.set("style", None)
        elif style.name == "0":  # (the default: a FLOAT's is then float_texts')
            if is_integer(value, integers) or _decimal(value) or is_float(value, floats):
                node.set("style", None)
        elif is_float(value, floats):
            if style.name == "3":
                raise ScriptError(line, "CONVERT of a FLOAT to text in style 3 is not "
                                  "translated; use style 2 (16 digits) or STR(x, 25, 16)")
            digits = FLOAT_STYLES.get(style.name)
            if digits is not None:
                node.set("expression", _scientific(value.copy(), digits, dialect))
                node.set("style", None)
        elif is_integer(value, integers) or _decimal(value):
            node.set("style", None)
    return tree
