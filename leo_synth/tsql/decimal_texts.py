"""A decimal converted to text is written with its scale's places, as SQL Server writes it.

SQL Server writes a ``DECIMAL(p, s)`` as text with exactly ``s`` places: ``1.0 / 3`` is a
``DECIMAL(8, 6)``, so ``CAST(1.0 / 3 AS VARCHAR(20))`` is ``0.333333`` and
``CAST(ROUND(100.0 * n / total, 1) AS VARCHAR) + '%'`` keeps every place of the quotient's
scale (``45.300000000000%``), as a researcher sees it in the SRS. SQLite wrote
``0.333333333333333``, DuckDB sixteen places and PostgreSQL eighteen. So where
``decimal_types`` knows an expression's decimal type, a cast or ``CONVERT`` of it to text
without a style, or an argument of ``CONCAT``, is the number rounded to its scale and written
with that many places (PostgreSQL: its numeric rounded, whose text keeps the places; SQLite
and DuckDB: ``printf``). An expression whose type is not known for certain is left as it was
(``float_texts`` writes a FLOAT's).

A decimal cast to a ``VARCHAR(n)`` or ``NVARCHAR(n)`` too short for its text stops with SQL
Server's error 8115 ("Arithmetic overflow error converting numeric to data type varchar.":
its table of conversions gives an error for a decimal too long for the text, where an
integer is ``*``, ``integer_texts``); the targets cut the text (``CAST(123.45 AS VARCHAR(4))``
was ``123.``).
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.decimal_types import MAX_PRECISION, number_type
from leo_synth.tsql.error_messages import numeric_text_overflow
from leo_synth.tsql.float_texts import converted_to_text
from leo_synth.tsql.integer_casts import ColumnKinds
from leo_synth.tsql.integer_texts import short_length
from leo_synth.tsql.text_bounds import raised

_KINDS = {exp.DataType.Type.VARCHAR: "varchar", exp.DataType.Type.NVARCHAR: "nvarchar"}
"""The text types a decimal too long for stops in, by SQL Server's names in error 8115."""


def _fixed(value: exp.Expression, scale: int, dialect: str) -> exp.Expression:
    """``value`` written with ``scale`` places: cast to a ``DECIMAL(38, scale)`` first (the
    translation rounds that half away from zero, as SQL Server does)."""
    rounded = exp.cast(value, exp.DataType.build(f"DECIMAL({MAX_PRECISION}, {scale})",
                                                 dialect="tsql"))
    if dialect == "postgres":  # (a numeric's text has its scale's places)
        return exp.cast(rounded, "TEXT")
    written = exp.Anonymous(this="PRINTF", expressions=[exp.Literal.string(f"%.{scale}f"),
                                                        rounded.copy()])
    if dialect != "sqlite":
        return written
    # (SQLite's PRINTF writes NULL as 0: a NULL decimal's text is NULL, as elsewhere)
    return exp.Case(ifs=[exp.If(this=exp.Is(this=rounded, expression=exp.Null()),
                                true=exp.Null())], default=written)


def _bounded(text: exp.Expression, node: exp.Expression | None, widest: int, dialect: str
             ) -> tuple[exp.Expression, bool]:
    """``text`` (a decimal's, of at most ``widest`` characters), stopping with error 8115
    where longer than the ``VARCHAR(n)`` or ``NVARCHAR(n)`` that ``node`` casts it to; and
    whether it can stop."""
    found = short_length(node) if node is not None else None
    if found is not None and found[1] >= widest:
        return text, False
    to = (node.args.get("to") if isinstance(node, exp.Cast) else node.this) if (
        found is not None and node is not None) else None
    kind = _KINDS.get(to.this) if isinstance(to, exp.DataType) else None
    if found is None or kind is None:
        return text, False
    stop = exp.cast(raised(numeric_text_overflow(kind), dialect), exp.DataType.build("TEXT"))
    return exp.Case(ifs=[exp.If(this=exp.GT(this=exp.Length(this=text.copy()),
                                            expression=exp.Literal.number(found[1])),
                                true=stop)], default=text), True


def for_target(tree: exp.Expression, columns: ColumnKinds, dialect: str
               ) -> tuple[exp.Expression, bool]:
    """The tree with each decimal of known type converted to text written with its places;
    and whether it can stop (PostgreSQL's ``text_bounds.POSTGRES_SETUP``)."""
    raising = False
    for value, put in converted_to_text(tree):
        known = number_type(value, columns)
        if known is not None and not known.integer and not known.money:
            node = value.parent if value.parent is not None and not isinstance(
                value.parent, exp.Concat) else None
            widest = known.precision + 1 + (known.scale > 0)  # (a sign, a point)
            text, stops = _bounded(_fixed(value.copy(), known.scale, dialect), node, widest,
                                   dialect)
            put(text)
            raising = raising or stops
    return tree, raising
