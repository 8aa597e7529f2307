"""A FLOAT converted to text is written as SQL Server writes it: six significant digits.

``CAST(KS4_ATT8 AS VARCHAR(10))`` of an Attainment 8 score of 74 is ``74`` in the SRS, and
``CONCAT('A8=', KS4_ATT8)`` is ``A8=74``; SQLite and DuckDB wrote ``74.0``, and every target
wrote all the digits of a mean such as 18027.59069. SQL Server converts a ``float`` to text in
its style 0, C's ``%.6g`` as its C library prints it: at most six significant digits, no
trailing zeros, and scientific notation with a three-digit exponent when the exponent is
below -4 or from 6 on (``1.23457e+006``). So where the translator knows a value to be a
``FLOAT`` (a column every table met holds as one, a cast to ``FLOAT``, ``STDEV`` and the
like, arithmetic or an aggregate of one), a cast or ``CONVERT`` of it to text without a style,
or an argument of ``CONCAT``, is that text, made by each target's own function: SQLite's is
Python's (``sqlite_functions.float_text``), DuckDB's ``printf``, PostgreSQL's a function of
the session (``POSTGRES_SETUP``; its ``trim_scale`` needs PostgreSQL 13 or later), since it
has no ``%g``. A value of unknown type is left as
it was (rejected: guessing from the values, which cannot tell ``float`` from ``decimal``).
On PostgreSQL, whose ``round`` works on ``numeric`` only, ``ROUND`` of a known FLOAT is cast
back to one, so it is shown as SQL Server shows a FLOAT (``17330.7``, not ``17330.70``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from sqlglot import exp

from leo_synth.tsql.integer_average import ARITHMETIC, with_computed
from leo_synth.tsql.sqlite_functions import EXPONENT
from leo_synth.tsql.value_rewrites import TEXT_TYPES, is_float_function

FLOAT_TYPES = (exp.DataType.Type.FLOAT, exp.DataType.Type.DOUBLE)
PASSING = (exp.Avg, exp.Sum, exp.Min, exp.Max, exp.Abs, exp.Round, exp.Floor, exp.Ceil,
           exp.Pow, exp.Window, exp.Paren, exp.Neg)
"""Nodes whose value is a FLOAT when their operand is (T-SQL's ``POWER`` has its first
argument's type)."""
POSTGRES_SETUP = (
    "CREATE FUNCTION pg_temp.leo_float_text(x double precision) RETURNS text "
    "LANGUAGE sql IMMUTABLE AS $$ "
    "SELECT CASE WHEN r = 0 THEN '0' WHEN e < -4 OR e >= 6 "
    "THEN trim_scale(round(r / power(10::numeric, e), 5))::text "
    "|| CASE WHEN e < 0 THEN 'e-' ELSE 'e+' END || lpad(abs(e)::text, 3, '0') "
    "ELSE trim_scale(r)::text END "
    "FROM (SELECT r, CASE WHEN r = 0 THEN 0 ELSE floor(log(abs(r)))::int END AS e "
    "FROM (SELECT CASE WHEN x = 0 THEN 0 ELSE round(x::numeric, "
    "5 - floor(log(abs(x::numeric)))::int) END AS r) rounded) exponent $$",
)
"""``pg_temp.leo_float_text(x)``: ``x`` to six significant digits (rounded first, so that
999999.5 becomes 1e+006), then written plainly or with its exponent."""


def is_float(node: exp.Expression, floats: dict[str, bool]) -> bool:
    """Whether ``node``'s value is a FLOAT for certain."""
    if isinstance(node, exp.Column):
        return floats.get(node.name.lower(), False)
    if isinstance(node, exp.Cast | exp.TryCast):
        to = node.args.get("to")
        return isinstance(to, exp.DataType) and to.this in FLOAT_TYPES
    if isinstance(node, exp.Convert):
        return isinstance(node.this, exp.DataType) and node.this.this in FLOAT_TYPES
    if is_float_function(node):
        return True
    if isinstance(node, exp.Literal) and not node.is_string and "e" in node.name.lower():
        return True  # (1.5E3, 1E0: a number with an exponent is a FLOAT in T-SQL)
    if isinstance(node, ARITHMETIC):
        return is_float(node.this, floats) or is_float(node.expression, floats)
    if isinstance(node, PASSING):
        return is_float(node.this, floats)
    if isinstance(node, exp.Case):  # (FLOAT outranks the other numbers a branch may give)
        branches = [i.args.get("true") for i in node.args.get("ifs") or []]
        return any(b is not None and is_float(b, floats)
                   for b in [*branches, node.args.get("default")])
    return False


def three_digit_exponent(written: exp.Expression) -> exp.Expression:
    """Text of a number whose two-digit exponent (``e+06``) is written in three, as SQL Server
    writes it (``e+006``), by the target's ``REGEXP_REPLACE`` (DuckDB's, PostgreSQL's)."""
    return exp.Anonymous(this="REGEXP_REPLACE", expressions=[
        written, exp.Literal.string(EXPONENT), exp.Literal.string("e\\10\\2")])


def _text(value: exp.Expression, dialect: str) -> exp.Expression:
    """``value`` (a FLOAT) as the target writes SQL Server's text of it."""
    if dialect == "duckdb":
        return three_digit_exponent(exp.Anonymous(this="PRINTF", expressions=[
            exp.Literal.string("%.6g"), value]))
    name = "pg_temp.leo_float_text" if dialect == "postgres" else "LEO_FLOAT_TEXT"
    return exp.Anonymous(this=name, expressions=[value])


def _text_value_slot(node: exp.Expression) -> str | None:
    """The argument of a cast or style-less ``CONVERT`` to text that holds its value."""
    if isinstance(node, exp.Cast) and not isinstance(node, exp.TryCast):
        to = node.args.get("to")
        return "this" if isinstance(to, exp.DataType) and to.this in TEXT_TYPES else None
    if isinstance(node, exp.Convert) and isinstance(node.this, exp.DataType) and (
            node.this.this in TEXT_TYPES):
        style = node.args.get("style")
        plain = style is None or (isinstance(style, exp.Literal) and style.name == "0")
        return "expression" if plain else None
    return None


def converted_to_text(tree: exp.Expression) -> Iterator[tuple[exp.Expression,
                                                             Callable[[exp.Expression], None]]]:
    """Each value ``tree`` converts to text without a style (a cast's or ``CONVERT``'s
    value, an argument of ``CONCAT``), with what puts its written text in its place."""
    for node in list(tree.find_all(exp.Cast, exp.Convert, exp.Concat)):
        if isinstance(node, exp.Concat):
            for arg in node.expressions:
                yield arg, arg.replace
            continue
        slot = _text_value_slot(node)
        value = node.args.get(slot) if slot else None
        if value is not None:
            yield value, lambda text, node=node, slot=slot: node.set(slot, text)


def _rounded_floats(tree: exp.Expression, floats: dict[str, bool]) -> None:
    """``ROUND`` of a FLOAT stays a FLOAT on PostgreSQL, as in SQL Server: its ``round(x,
    n)`` exists only for ``numeric`` (``rewrites`` casts x), so ``ROUND(AVG(CAST(pay AS
    FLOAT)), 2)`` showed ``17330.70`` where SQL Server shows ``17330.7``, and
    ``ROUND(AVG(att8), 1)`` of a CTE's ``KS4_ATT8 AS att8`` ``21.0`` where it shows ``21``."""
    for node in list(tree.find_all(exp.Round)):
        if node.args.get("decimals") is not None and is_float(node.this, floats):
            node.replace(exp.Cast(this=node.copy(), to=exp.DataType.build(
                "DOUBLE PRECISION", dialect="postgres")))


def for_target(tree: exp.Expression, floats: dict[str, bool],
               dialect: str) -> tuple[exp.Expression, bool]:
    """The tree with each FLOAT converted to text written as SQL Server writes it, and
    whether it has any (PostgreSQL's function is then made first)."""
    floats = with_computed(tree, floats, is_float, any)  # (a CTE's AVG(KS4_ATT8) AS att8 too)
    if dialect == "postgres":
        _rounded_floats(tree, floats)
    found = False
    for value, put in converted_to_text(tree):
        if is_float(value, floats):
            put(_text(value.copy(), dialect))
            found = True
    return tree, found
