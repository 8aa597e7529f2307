"""``ALTER TABLE #t ADD c INT DEFAULT 0``: a column that allows NULL holds NULL in the rows
already there, and its default only in rows inserted after, as SQL Server adds it.

SQL Server stores the default in the existing rows only for a column that does not allow NULL
(``ADD c INT NOT NULL DEFAULT 0``) or when the statement ends ``WITH VALUES``. SQLite, DuckDB
and PostgreSQL store it in every existing row, so a flag added as ``ADD on_benefit INT
DEFAULT 0`` and set to 1 by ``UPDATE ... FROM`` for the people matched was 0 for the others
here and NULL in the SRS: ``WHERE on_benefit = 0`` found them here and no one there, and
``AVG(on_benefit * 1.0)`` was a share of everyone here and 1 there. The runner empties such a
column after adding it (:func:`nulled`), unless the statement said ``WITH VALUES``
(:data:`WITH_VALUES`, which the reader marks and drops, as sqlglot does not parse it).
"""

from __future__ import annotations

from sqlglot import exp

WITH_VALUES = "with_values"
"""The mark (in an ``ALTER TABLE``'s ``meta``) of a statement that ended ``WITH VALUES``."""


def _allows_null(column: exp.ColumnDef) -> bool:
    """Whether a column added allows NULL: no ``NOT NULL``, ``PRIMARY KEY`` nor ``IDENTITY``."""
    for constraint in column.args.get("constraints") or []:
        kind = constraint.args.get("kind")
        if isinstance(kind, exp.NotNullColumnConstraint) and not kind.args.get("allow_null"):
            return False
        if isinstance(kind, exp.PrimaryKeyColumnConstraint
                      | exp.GeneratedAsIdentityColumnConstraint):
            return False
    return True


def _has_default(column: exp.ColumnDef) -> bool:
    return any(isinstance(c.args.get("kind"), exp.DefaultColumnConstraint)
               for c in column.args.get("constraints") or [])


def nulled(tree: exp.Expression) -> exp.Update | None:
    """The ``UPDATE`` that leaves the existing rows NULL in the columns an ``ALTER TABLE ...
    ADD`` adds with a default and allowing NULL (without ``WITH VALUES``), or None."""
    if not isinstance(tree, exp.Alter) or tree.meta.get(WITH_VALUES) or not isinstance(
            tree.this, exp.Table):
        return None
    columns = [action for action in tree.args.get("actions") or []
               if isinstance(action, exp.ColumnDef) and _has_default(action)
               and _allows_null(action)]
    if not columns:
        return None
    return exp.update(tree.this.copy(), {column.name: exp.null() for column in columns})
