"""A ``TIME`` on SQLite keeps its fraction of a second, and ``DATEADD`` of one is a ``TIME``.

SQL Server's ``TIME`` holds a time of day to seven places: ``CAST('10:15:00.123' AS TIME)``
converted to text is ``10:15:00.1230000``, and ``DATEADD(ms, 5, CAST('10:15:00' AS TIME))``
is the time ``10:15:00.005`` (``DATEADD`` of a time wraps round midnight: 23:15 and 50
minutes is 00:05). SQLite has no such type: sqlglot wrote the cast as its ``TIME(x)``, which
drops the fraction (``10:15:00``), and its ``DATEADD`` gave a date and time
(``2000-01-01 10:15:00.005``, ``2000-01-02 00:05:00``). So on SQLite each cast to ``TIME`` and
each ``DATEADD`` of one (``time_texts.places``) is marked (:func:`marked`) before the
translation and, after it, made the time of day of its value with the milliseconds SQLite
holds, without trailing zeros (:func:`for_sqlite`), as DuckDB and PostgreSQL write a time:
``time_texts`` pads it to the type's places when it is converted to text.
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp

from leo_synth.tsql import time_texts
from leo_synth.tsql.target_dialects import target_sql
from leo_synth.tsql.value_rewrites import cast_parts

MARK = "LEO_TIME_OF_DAY"
"""The name of the function that marks a ``TIME``'s value between the passes."""
_TIME_OF_DAY = "RTRIM(RTRIM(STRFTIME('%H:%M:%f', {value}), '0'), '.')"
"""SQLite's time of day of ``value`` to the millisecond, trailing zeros (and a point left
alone) dropped."""


def marked(tree: exp.Expression) -> exp.Expression:
    """The tree with each cast to ``TIME`` made :data:`MARK` of the value cast, and each
    ``DATEADD`` of a ``TIME`` put in :data:`MARK`."""
    timed = [node for node in tree.find_all(exp.Cast, exp.Convert, exp.TryCast, exp.DateAdd)
             if node is not tree and time_texts.places(node) is not None]
    for node in reversed(timed):  # (inner ones first)
        parts = None if isinstance(node, exp.DateAdd) else cast_parts(node)
        mark = exp.Anonymous(this=MARK)
        node.replace(mark)
        mark.set("expressions", [parts[0] if parts is not None else node])
    return tree


def for_sqlite(tree: exp.Expression) -> exp.Expression:
    """The tree with each :data:`MARK` (its value translated) SQLite's time of day."""
    for mark in reversed(list(tree.find_all(exp.Anonymous))):
        if mark.name.upper() != MARK or len(mark.expressions) != 1:
            continue
        value = target_sql(mark.expressions[0], "sqlite")
        timed = sqlglot.parse_one(_TIME_OF_DAY.format(value=value), read="sqlite")
        if mark is tree:
            tree = timed
        else:
            mark.replace(timed)
    return tree
