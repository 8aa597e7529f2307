"""The columns a script's ``CREATE TABLE`` declares, with the types it gives them.

Several translations keep what a #temp table's columns hold (``TINYINT`` ranges, ``MONEY``
styles, ``DATETIME`` text): each asks for the declared columns of its types here rather than
walking the column list itself.
"""

from __future__ import annotations

from sqlglot import exp


def declared_types(tree: exp.Create) -> dict[str, exp.DataType]:
    """Each column (lower-case name) the column list of ``tree`` declares with a type, and
    that type; empty for a ``SELECT ... INTO`` or ``CREATE TABLE ... AS``."""
    schema = tree.this
    return {column.name.lower(): column.args["kind"]
            for column in (schema.expressions if isinstance(schema, exp.Schema) else [])
            if isinstance(column, exp.ColumnDef)
            and isinstance(column.args.get("kind"), exp.DataType)}
