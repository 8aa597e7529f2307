"""``SUM`` of an ``int`` column is an ``int`` in SQL Server, and stops the query past 2^31.

``SELECT TaxYear, SUM(Earnings) FROM leo_earnings GROUP BY TaxYear`` fails in the SRS with
"Arithmetic overflow error converting expression to data type int." once a year's earnings
pass about 2.1 billion pounds, about 100,000 people's (``Earnings`` is an ``int``); the
script must say ``SUM(CAST(Earnings AS BIGINT))``. The targets sum into wider types and
gave an answer, so such a script ran here and failed in the SRS. A ``SUM`` (or ``SUM ...
OVER``) of a column that holds ``int`` values wherever the script met it (four bytes or
fewer, ``targets.INT``) is checked: cast to ``INTEGER`` on PostgreSQL and DuckDB, which
fail past its range, and by a function on SQLite; each stops with SQL Server's message.
A column of unknown width (SQLite's untyped ``SELECT ... INTO`` columns) is not checked.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.rewrites import replaced


def for_target(tree: exp.Expression, ints: dict[str, bool], dialect: str) -> exp.Expression:
    """The tree with each ``SUM`` of an ``int`` column checked for overflow."""
    for total in list(tree.find_all(exp.Sum)):
        column = total.this
        if not (isinstance(column, exp.Column) and ints.get(column.name.lower(), False)):
            continue
        whole = total.parent if isinstance(total.parent, exp.Window) else total
        checked = (exp.Anonymous(this="LEO_INT_SUM", expressions=[whole.copy()])
                   if dialect == "sqlite" else
                   exp.cast(whole.copy(), exp.DataType.build("INT")))
        tree = replaced(tree, whole, checked)
    return tree
