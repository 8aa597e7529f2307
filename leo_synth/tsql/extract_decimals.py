"""The extract's decimal columns: typed from the spec, and read as ``REAL`` on SQLite.

The ILR's ``aims`` holds three decimals (``LevelOfLearning`` ``numeric(3,1)``, ``FL2Width`` and
``FL3Width`` ``numeric(12,2)``) and ``numeric(18,0)`` levels. SQLite stores a ``NUMERIC``
column's whole values as integers, so ``LevelOfLearning / 3`` divided integers there (0 for
level 1, where SQL Server gives 0.333333) and ``SUM(FL2Width) / COUNT(*)`` lost its fraction
(12 for 12.294372); it showed ``FL2Width`` as 100 where SQL Server shows 100.00. DuckDB and
PostgreSQL computed the value but showed it in their own places (``FL2Width / 2`` as 50 and
50.0000000000000000, where SQL Server shows 50.000000).

The spec gives each column's precision and scale (:func:`declared`), which the translator
learns as it learns a #temp table's declared decimals, so ``decimal_types`` works out the
places SQL Server shows. On SQLite a decimal column read by arithmetic or an aggregate is
read as a ``REAL`` (:func:`for_sqlite`), as a #temp table's decimal column is held: its
arithmetic then keeps the fraction. Rejected: declaring the SQLite file's columns ``REAL``,
which would change the types researchers read in its schema.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql import spec_lookup

_READERS = (exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod, exp.Sum, exp.Avg)
"""What reads a column as a number whose kind (integer or not) changes the value."""
DECIMAL_READ = "leo_decimal_read"
"""The meta key of a decimal column's cast to ``REAL`` (:func:`for_sqlite`): a decimal, not a
float, to ``%`` (SQLite's ``%`` took ``pay % 100`` of ``1234.50`` as 34)."""


def declared(table: str) -> dict[str, tuple[int, int]]:
    """The decimal columns of an extract relation (lower-case names), with the precision and
    scale the spec gives them; none for a table the extract lacks."""
    rel = spec_lookup.relation(table)
    if rel is None:
        return {}
    return {col.name.lower(): (col.spec.type.precision, col.spec.type.scale)
            for col in rel.columns if col.spec.type.kind == "decimal"
            and col.spec.type.precision is not None}


def for_sqlite(tree: exp.Expression, decimals: dict[str, tuple[int, int] | None]
               ) -> exp.Expression:
    """The tree with each column that holds decimals wherever met (``decimals``), read by
    arithmetic or ``SUM``/``AVG``, read as a ``REAL``."""
    for column in list(tree.find_all(exp.Column)):
        if decimals.get(column.name.lower()) is not None and isinstance(
                column.parent, _READERS):
            real = exp.cast(column.copy(), exp.DataType.build("REAL"))
            real.meta[DECIMAL_READ] = True  # (a decimal's remainder is then LEO_MOD's)
            column.replace(real)
    return tree
