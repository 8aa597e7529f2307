"""A ``DATE`` compared with a date and time compares the moments, on SQLite too.

SQL Server converts a ``DATE`` compared with a ``DATETIME`` to that day's midnight, so
``EndDate >= @start`` with ``DECLARE @start DATETIME = '2016-04-06'`` holds for a spell that
ends on 6 April 2016. SQLite holds both as text and compared the texts: ``'2016-04-06'`` is
less than ``'2016-04-06 00:00:00'``, so the day itself was left out of ``>=``, ``=`` and
``IN`` (one spell fewer in a window, where DuckDB and PostgreSQL compared the moments). So on
SQLite a comparison (``=``, ``<>``, ``<``, ``<=``, ``>``, ``>=``, ``BETWEEN``, ``IN``) of a
``DATE`` for certain (``date_operands``) with a date and time for certain
(``datetime_display``: a ``DATETIME`` variable, a cast to one, ``GETDATE()``, a ``DATEADD``
of one, a #temp table's ``DATETIME`` column) compares ``JULIANDAY`` of each side, a number
of days that text with or without a time or a fraction of a second gives alike. (Rejected:
casting the date to a ``DATETIME``, whose text has no fraction where ``DATEADD``'s has
``.000``, so ``=`` would still fail.)

The comparisons are found before the translation reads the statement's literals and casts
(:func:`mark`; those are what tell a date and time), and their sides are wrapped after it
(:func:`for_sqlite`), so that a literal beside them (``BETWEEN '20160405' AND @end``) is
first read as SQL Server reads it (``date_literals``).
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.date_operands import date_for_certain, made_names
from leo_synth.tsql.datetime_display import format_of
from leo_synth.tsql.integer_casts import ColumnKinds

_COMPARED = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Between, exp.In)
_MARK = "leo_moments"
"""The key of a comparison's ``meta`` that :func:`mark` sets."""


def _sides(node: exp.Expression) -> list[exp.Expression]:
    if isinstance(node, exp.Between):
        return [node.this, node.args.get("low"), node.args.get("high")]
    if isinstance(node, exp.In):
        return [node.this, *node.expressions]
    return [node.this, node.expression]


def _assignment(node: exp.Expression) -> bool:
    """Whether ``node`` is an ``UPDATE``'s ``SET c = value``, no comparison (its column
    made a ``JULIANDAY`` was a syntax error)."""
    return isinstance(node, exp.EQ) and isinstance(node.parent, exp.Update) and (
        node.arg_key == "expressions")


def mark(tree: exp.Expression, kinds: ColumnKinds, moments: set[str],
         datetimes: dict[str, bool]) -> None:
    """Mark each comparison of a ``DATE`` with a date and time (``moments``: the column
    names ever met holding a date and time; ``datetimes``: as ``datetime_display`` reads
    them)."""
    made = made_names(tree, kinds, moments)
    for node in tree.find_all(*_COMPARED):
        sides = _sides(node)
        if isinstance(node, exp.In) and node.args.get("query") is not None:
            continue
        if any(side is None for side in sides) or _assignment(node):
            continue
        if any(date_for_certain(side, kinds, moments, made) for side in sides) and any(
                format_of(side, datetimes) is not None for side in sides):
            node.meta[_MARK] = True


def for_sqlite(tree: exp.Expression) -> exp.Expression:
    """The tree with each marked comparison's sides made their ``JULIANDAY``."""
    for node in tree.find_all(*_COMPARED):
        if not node.meta.get(_MARK):
            continue
        for side in _sides(node):
            side.replace(exp.Anonymous(this="JULIANDAY", expressions=[side.copy()]))
    return tree
