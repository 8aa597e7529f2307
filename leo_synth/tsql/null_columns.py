"""A column that ``SELECT ... INTO`` makes of a bare ``NULL`` is an ``int``, as in SQL Server.

Scripts make a placeholder column to fill later: ``SELECT pmr, NULL AS band INTO #c FROM
...``, then ``UPDATE #c SET band = ...``. SQL Server gives such a column the type ``int``, so
``UPDATE #c SET band = 2`` stores the number 2 and ``SET band = 'high'`` stops with error 245
("Conversion failed when converting the varchar value 'high' to data type int."). The targets
typed it their own way: DuckDB made a column of type ``NULL`` that took no value at all
("Unimplemented type for cast (INTEGER -> NULL)"), PostgreSQL one of ``text``, which took the
text and held the number as text. So a named select item that is ``NULL`` itself of a
``SELECT ... INTO`` is made ``CAST(NULL AS INT)``. A ``UNION``'s, whose other branches
give the column their type, is left as it is.
"""

from __future__ import annotations

from sqlglot import exp


def typed(tree: exp.Expression) -> exp.Expression:
    """``tree`` with each named ``NULL`` item of the query a ``CREATE TABLE ... AS`` (a
    translated ``SELECT ... INTO``) makes a table of cast to ``INT``."""
    query = tree.expression if isinstance(tree, exp.Create) else None
    if not isinstance(query, exp.Select):
        return tree
    for item in query.selects:
        if isinstance(item, exp.Alias) and isinstance(item.this, exp.Null):
            item.this.replace(exp.cast(exp.Null(), exp.DataType.build("INT")))
    return tree
