"""``LOG``, ``LOG10`` and ``SQRT`` outside their domain stop the query, as in SQL Server.

SQL Server stops ``LOG(0)``, ``LOG(-1)`` and ``SQRT(-1)`` with error 3623, "An invalid
floating point operation occurred." The targets did not agree, and only PostgreSQL stopped
(in its own words): SQLite gave NULL, DuckDB ``-inf`` or ``nan``. A log of earnings
(``AVG(LOG(Earnings))``) meets the extract's zero earnings (``leo_schema.md`` 4.3 item 14):
the SRS stops there, where SQLite averaged over the rest without a word. So each call whose
argument is not a literal within the domain is checked first, ``CASE WHEN x <= 0 THEN <stop>
ELSE LOG(x) END`` (``x < 0`` for ``SQRT``), stopping by the target's own means
(``text_bounds.raised``); a NULL gives NULL, as before. ``LOG(x, base)``'s base is left as
the target reads it (scripts write a literal).
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.text_bounds import literal_number, raised

INVALID_OPERATION = "An invalid floating point operation occurred."
"""SQL Server's error 3623."""


def for_target(tree: exp.Expression, dialect: str) -> tuple[exp.Expression, bool]:
    """The tree with each such call checked, and whether one is (PostgreSQL's stop is the
    session function ``text_bounds.POSTGRES_SETUP``)."""
    checked = False
    for node in list(tree.find_all(exp.Ln, exp.Log, exp.Sqrt)):
        value = node.expression if isinstance(node, exp.Log) else node.this
        if value is None:
            continue
        lowest = literal_number(value)
        square_root = isinstance(node, exp.Sqrt)
        if lowest is not None and (lowest >= 0 if square_root else lowest > 0):
            continue
        outside = (exp.LT if square_root else exp.LTE)(this=value.copy(),
                                                        expression=exp.Literal.number(0))
        node.replace(exp.Case(ifs=[exp.If(this=outside,
                                          true=raised(INVALID_OPERATION, dialect))],
                              default=node.copy()))
        checked = True
    return tree, checked
