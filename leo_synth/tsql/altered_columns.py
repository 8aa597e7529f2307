"""``ALTER TABLE #t ALTER COLUMN c VARCHAR(n)``: a #temp table's text column given another
length, as SQL Server gives it.

SQL Server changes the column: text up to the new length then fits (``UPDATE #b SET
Benefit_type = Benefit_type + '_spell'`` after a ``VARCHAR(3)`` made by ``SELECT ... INTO`` is
widened to ``VARCHAR(10)``). leo-synth skipped the statement as one of storage only, so the
length the table was made with still held and that write stopped with "String or binary data
would be truncated." on every target (PostgreSQL, which holds the length itself, too). The new
lengths are noted for the checks of later writes (:func:`text_lengths`), and on PostgreSQL the
column's type is changed (:func:`for_postgres`); SQLite and DuckDB hold text of any length.

A text column given an integer type (``ALTER COLUMN v INT``, ``BIGINT``) holds numbers after,
in SQL Server: ``MAX(v)`` of ``'12'`` and ``'7'`` is 12, not ``'7'``, and ``SUM(v)`` adds them.
Each value is converted as ``CAST(v AS INT)`` converts it, so text that is no number stops
the statement with error 245 ("Conversion failed when converting the varchar value 'x' to data
type int."). leo-synth skipped the statement, so the column stayed text: its ``SUM`` stopped
with error 8117 and its ``MAX`` compared text. Now each target's column is changed
(:func:`retyping`), its values converted by the translation of that ``CAST``.

A text or number column given a ``DECIMAL(p, s)`` (``NUMERIC``) holds decimals after, each
value converted as ``CAST(v AS DECIMAL(p, s))`` converts it (rounded to s places; text that is
no number stops the statement with error 8114, "Error converting data type varchar to
numeric."), and its sums and averages follow the decimal's rules (``AVG`` of a ``DECIMAL(10,
2)`` has six places). The statement had been skipped: the text's ``SUM`` stopped with error
8117, an ``INT``'s ``AVG`` was an integer's. Another change of type (to a ``FLOAT``, a date)
is still not learnt (README).
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp

from leo_synth.tsql.targets import quote
from leo_synth.tsql.text_lengths import TEXT_TYPES, length_of

INTEGER_TYPES = (exp.DataType.Type.INT, exp.DataType.Type.BIGINT)
"""The types a text column is given whose values :func:`retyping` converts."""
DECIMAL_TYPES = (exp.DataType.Type.DECIMAL,)
"""The types (``NUMERIC`` is read as ``DECIMAL``) a text or number column is given whose
values :func:`retyping` converts."""
HELD = "leo_retyped"
"""The name of the table SQLite's column is made again in."""


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


def retyped_columns(tree: exp.Expression) -> dict[str, exp.DataType]:
    """The columns (lower case) an ``ALTER TABLE ... ALTER COLUMN`` gives an integer type
    (``INT``, ``BIGINT``) or a ``DECIMAL``, with it; none for another statement."""
    actions = tree.args.get("actions") if isinstance(tree, exp.Alter) else None
    return {action.name.lower(): action.args["dtype"]
            for action in actions or [] if isinstance(action, exp.AlterColumn)
            and isinstance(action.args.get("dtype"), exp.DataType)
            and action.args["dtype"].is_type(*INTEGER_TYPES, *DECIMAL_TYPES)}


def retyping(dialect: str, table: tuple[str, ...], columns: list[str],
             changed: dict[str, tuple[exp.DataType, str]],
             schema: tuple[str, list[str]] | None = None) -> list[str]:
    """The statements that give table ``table``'s columns ``changed`` (its physical names,
    each with its new type and the SQL converting its value) their types, on the target:
    PostgreSQL and DuckDB change each column ``USING`` its conversion; SQLite, which changes
    no column's type, makes the table again (``schema``: its ``CREATE TABLE`` as SQLite
    holds it, and the statements that then make its indexes and set its ``AUTOINCREMENT``'s
    count) with its columns ``columns`` in order, the changed ones converted."""
    name = ".".join(quote(part) for part in table)
    if dialect == "postgres":
        return [f"ALTER TABLE {name} " + ", ".join(
            f"ALTER COLUMN {quote(column)} TYPE {kind.sql(dialect)} USING {value}"
            for column, (kind, value) in changed.items())]
    if dialect != "sqlite":
        return [f"ALTER TABLE {name} ALTER COLUMN {quote(column)} SET DATA TYPE "
                f"{kind.sql(dialect)} USING {value}" for column, (kind, value) in changed.items()]
    assert schema is not None
    made = sqlglot.parse_one(schema[0], read="sqlite")
    made.set("this", made.this.copy())
    made.this.set("this", exp.to_table(HELD, quoted=True))
    made.set("properties", exp.Properties(expressions=[exp.TemporaryProperty()]))
    for definition in made.this.expressions:
        if isinstance(definition, exp.ColumnDef) and definition.name in changed:
            definition.set("kind", changed[definition.name][0].copy())
    values = ", ".join(changed[c][1] if c in changed else quote(c) for c in columns)
    return [f"DROP TABLE IF EXISTS temp.{quote(HELD)}",  # (one a failed conversion left)
            made.sql("sqlite"), f"INSERT INTO {quote(HELD)} SELECT {values} FROM {name}",
            f"DROP TABLE {name}", f"ALTER TABLE {quote(HELD)} RENAME TO {quote(table[-1])}",
            *schema[1]]
