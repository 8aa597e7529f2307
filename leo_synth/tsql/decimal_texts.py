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
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.decimal_types import MAX_PRECISION, number_type
from leo_synth.tsql.float_texts import converted_to_text
from leo_synth.tsql.integer_casts import ColumnKinds


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


def for_target(tree: exp.Expression, columns: ColumnKinds, dialect: str) -> exp.Expression:
    """The tree with each decimal of known type converted to text written with its places."""
    for value, put in converted_to_text(tree):
        known = number_type(value, columns)
        if known is not None and not known.integer and not known.money:
            put(_fixed(value.copy(), known.scale, dialect))
    return tree
