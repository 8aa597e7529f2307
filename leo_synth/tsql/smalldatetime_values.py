"""A ``SMALLDATETIME`` holds its value rounded to the minute, as SQL Server holds it.

SQL Server's ``SMALLDATETIME`` has no seconds: ``CAST('2020-01-01 10:15:31' AS
SMALLDATETIME)`` is 10:16:00, so its ``DATEPART(minute, ...)`` is 16 and its seconds 0, it
equals ``'2020-01-01 10:16'`` and ``CAST(... AS VARCHAR)`` writes ``Jan  1 2020 10:16AM``.
Its documentation's examples put the turn between 29.998 seconds (rounded down) and 29.999
(rounded up, as a ``DATETIME``'s 1/300 s steps make it 30.000). The targets had no such
type: their timestamps kept 10:15:31, which only the result table rounded when it showed
it, and none rounded 12:35:29.999 up. So each cast or ``CONVERT`` to ``SMALLDATETIME`` is
marked (:func:`marked`) before the targets' translation of the cast and, after it, made the
target's timestamp plus :data:`TURN` seconds cut to its minute (:func:`for_target`): 29.999 s
and above go to the next minute, 29.998 s and below stay.
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp

from leo_synth.tsql.target_dialects import target_sql
from leo_synth.tsql.value_rewrites import cast_parts

MARK = "LEO_SMALLDATETIME"
"""The name of the function that marks a cast to ``SMALLDATETIME`` between the passes."""
TURN = "30.0015"
"""Seconds added before the time is cut to its minute: 29.9985 seconds past one and more
make the next (between SQL Server's 29.998, rounded down, and 29.999, rounded up)."""
SQLITE_TURN = "30.001"
""":data:`TURN` on SQLite, whose times are whole milliseconds (it rounds what it adds to one:
30.0015 seconds made 29.998 the next minute)."""
_ROUNDED = {
    "sqlite": f"STRFTIME('%Y-%m-%d %H:%M:00', {{value}}, '+{SQLITE_TURN} seconds')",
    "duckdb": f"DATE_TRUNC('minute', CAST({{value}} AS TIMESTAMP) + "
              f"INTERVAL '{TURN} seconds')",
    "postgres": f"DATE_TRUNC('minute', CAST({{value}} AS TIMESTAMP) + "
                f"INTERVAL '{TURN} seconds')"}


def _to_smalldatetime(node: exp.Expression) -> bool:
    parts = cast_parts(node)
    return parts is not None and parts[1].is_type(exp.DataType.Type.SMALLDATETIME)


def marked(tree: exp.Expression) -> exp.Expression:
    """The tree with each cast or ``CONVERT`` to ``SMALLDATETIME`` in :data:`MARK`."""
    for node in reversed(list(tree.find_all(exp.Cast, exp.Convert, exp.TryCast))):
        if not _to_smalldatetime(node) or node is tree:
            continue
        mark = exp.Anonymous(this=MARK)
        node.replace(mark)
        mark.set("expressions", [node])
    return tree


def for_target(tree: exp.Expression, dialect: str) -> exp.Expression:
    """The tree with each :data:`MARK` (its argument translated for the target) rounded to
    the minute in the target's SQL."""
    for mark in reversed(list(tree.find_all(exp.Anonymous))):
        if mark.name.upper() != MARK or len(mark.expressions) != 1:
            continue
        value = target_sql(mark.expressions[0], dialect)
        rounded = sqlglot.parse_one(_ROUNDED[dialect].format(value=value), read=dialect)
        if mark is tree:
            tree = rounded
        else:
            mark.replace(rounded)
    return tree
