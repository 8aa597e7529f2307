"""T-SQL written with placeholders, filled with a statement's own expressions.

Several translations write a construct out as other T-SQL that the rest of the translation
already carries to every target (``DATETRUNC`` as ``DATEADD``/``DATEDIFF``, a ``DATETIME``
as days from 1900-01-01, ``DATETIMEFROMPARTS`` as ``DATEADD`` of ``DATEFROMPARTS``). Each
writes the T-SQL once, with columns named ``leo_<part>`` where the statement's expressions
go; :func:`filled` parses it once and puts copies of those expressions, in brackets, in
their places.

Rejected: formatting the expressions' SQL into the text and parsing the whole again: it
would parse the statement's own expressions anew each time, and lose what earlier steps of
the translation set on their nodes.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

import sqlglot
from sqlglot import exp


@cache
def _parsed(sql: str) -> exp.Expression:
    return sqlglot.parse_one(sql, read="tsql")


def filled(sql: str, values: Mapping[str, exp.Expression]) -> exp.Expression:
    """``sql`` (T-SQL, parsed once) with a copy of ``values[name]``, in brackets, in place of
    each column whose (lower-case) name is a key of ``values``."""
    tree = _parsed(sql).copy()
    for column in list(tree.find_all(exp.Column)):
        value = values.get(column.name.lower())
        if value is not None:
            column.replace(exp.Paren(this=value.copy()))
    return tree
