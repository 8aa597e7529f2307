"""A #temp table's ``TIME`` column, read by a date function, as the ``TIME`` it holds.

``CREATE TABLE #t (id INT, t TIME)`` then ``DATEPART(hour, t)`` or ``DATEDIFF(minute, t,
'23:59:59')``: SQL Server reads the column as a time on 1900-01-01, as it reads a cast to
``TIME``. The targets did not know the column for a ``TIME``: DuckDB and PostgreSQL stopped
(no cast from a time to a timestamp) and SQLite read the text as a date and time of its own.
So such a column, where a date function, a conversion or ``CONCAT`` reads it, is cast to the
type its ``CREATE TABLE`` declares (``CAST(t AS TIME(7))``), which the translation of a cast
to ``TIME`` already carries to every target (``rewrites``, ``time_texts``, ``sqlite_times``).

A column is known so where a query reads it from the #temp table itself (qualified by its
name or alias, or the only one of the query's tables with that column:
``datetime_display.table_formats``) and the table's ``CREATE TABLE`` declared it, until the
table is altered (``Translator.declared_kinds``).
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlglot import exp

TIME_READERS = (exp.Extract, exp.DateDiff, exp.DateAdd, exp.TimeToStr, exp.TimestampTrunc,
                exp.Cast, exp.TryCast, exp.Convert, exp.Concat, exp.ConcatWs)
"""sqlglot's nodes of what reads a column as a time: ``DATEPART``, ``DATEDIFF``, ``DATEADD``,
``DATENAME``/``FORMAT``, ``DATETRUNC``, a conversion (to text: with its places), ``CONCAT``."""
_WRAPPERS = (exp.Paren, exp.TimeStrToTime, exp.TsOrDsToDate)
"""What sqlglot puts between a date function and its argument."""


def declared_times(kinds: Mapping[str, object]) -> dict[str, tuple[str, int]]:
    """The ``TIME`` columns among a #temp table's declared ``kinds`` (column -> SQL Server's
    type as T-SQL writes it), each with ``("time", places)``."""
    found: dict[str, tuple[str, int]] = {}
    for column, kind in kinds.items():
        if not isinstance(kind, str):
            continue
        built = exp.DataType.build(kind, dialect="tsql")
        if built.is_type(exp.DataType.Type.TIME):
            given = [p.this for p in built.expressions if isinstance(p, exp.DataTypeParam)]
            places = int(given[0].name) if given and isinstance(given[0], exp.Literal) else 7
            found[column] = ("time", places)
    return found


def _reader(column: exp.Column) -> exp.Expression | None:
    parent = column.parent
    while isinstance(parent, _WRAPPERS):
        parent = parent.parent
    return parent if isinstance(parent, TIME_READERS) else None


def typed(tree: exp.Expression, owned: Mapping[int, tuple[str, int]]) -> exp.Expression:
    """``tree`` with each column of ``owned`` (by ``id``: a #temp table's ``TIME`` column and
    its places) that a date function, a conversion or ``CONCAT`` reads cast to its type."""
    for column in list(tree.find_all(exp.Column)):
        known = owned.get(id(column))
        if known is None or known[0] != "time" or _reader(column) is None:
            continue
        cast = exp.cast(column.copy(), exp.DataType.build(f"TIME({known[1]})", dialect="tsql"))
        if column is tree:
            return cast
        column.replace(cast)
    return tree
