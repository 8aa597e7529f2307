"""``ALTER TABLE #t ALTER COLUMN c VARCHAR(n)``: a #temp table's text column given another
length, as SQL Server gives it.

SQL Server changes the column: text up to the new length then fits (``UPDATE #b SET
Benefit_type = Benefit_type + '_spell'`` after a ``VARCHAR(3)`` made by ``SELECT ... INTO`` is
widened to ``VARCHAR(10)``). leo-synth skipped the statement as one of storage only, so the
length the table was made with still held and that write stopped with "String or binary data
would be truncated." on every target (PostgreSQL, which holds the length itself, too). The new
lengths are noted for the checks of later writes (:func:`text_lengths`), and on PostgreSQL the
column's type is changed (:func:`for_postgres`); SQLite and DuckDB hold text of any length. A
change to another kind of type (``VARCHAR`` to ``INT``) is still not learnt (README).
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.text_lengths import TEXT_TYPES, length_of


def text_lengths(tree: exp.Expression) -> dict[str, int | None]:
    """The columns (lower case) an ``ALTER TABLE ... ALTER COLUMN`` gives a text type, with
    their new lengths (None for ``MAX``); none for another statement."""
    actions = tree.args.get("actions") if isinstance(tree, exp.Alter) else None
    return {action.name.lower(): length_of(action.args["dtype"])
            for action in actions or [] if isinstance(action, exp.AlterColumn)
            and isinstance(action.args.get("dtype"), exp.DataType)
            and action.args["dtype"].is_type(*TEXT_TYPES)}


def for_postgres(tree: exp.Alter) -> exp.Alter:
    """``tree`` with only its changes to text types, each to the ``VARCHAR`` of the new
    length (``TEXT`` for ``MAX``): what PostgreSQL holds of the column."""
    kept = []
    for action in tree.args.get("actions") or []:
        if isinstance(action, exp.AlterColumn) and action.name.lower() in text_lengths(tree):
            length = length_of(action.args["dtype"])
            kind = exp.DataType.build("TEXT" if length is None else f"VARCHAR({length})")
            kept.append(exp.AlterColumn(this=action.this.copy(), dtype=kind))
    tree.set("actions", kept)
    return tree
