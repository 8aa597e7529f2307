"""Text cast to ``CHAR(n)`` or ``NCHAR(n)`` padded with spaces to n characters, as in SQL
Server.

A ``CHAR(n)`` holds n characters: SQL Server pads a shorter value with spaces, so
``CAST(MONTH(d) AS CHAR(2)) + '/' + CAST(YEAR(d) AS CHAR(4))`` is ``'4 /2015'`` in the SRS
and ``DATALENGTH(CAST('x' AS CHAR(3)))`` is 3. The targets cast to text without padding
(``'4/2015'``, 1). So a ``CAST``, ``TRY_CAST`` or ``CONVERT`` to ``CHAR(n)`` or ``NCHAR(n)``
is the value so cast (cut, or ``*`` for an integer too long, as the other rewrites make it;
a date in its style) followed by n spaces, cut to n characters; NULL
stays NULL. ``LEN`` and the comparisons ignore the spaces, as SQL Server's do
(``padded_comparisons`` trims such a value where it is compared), and ``SELECT ... INTO``
gives its column the length n (``text_lengths.value_length``).
"""

from __future__ import annotations

from sqlglot import exp

PADDED = (exp.DataType.Type.CHAR, exp.DataType.Type.NCHAR)
MARK = "leo_char_padded"
"""The key of a padded value's ``meta``: its length."""
KIND = "leo_char_kind"
"""The key of a padded cast's ``meta``: SQL Server's name of its type (also of an ``NVARCHAR``
variable's value: ``variables.literal``)."""


def _length(to: object) -> int | None:
    """n of a ``CHAR(n)`` or ``NCHAR(n)`` (1 where none is written), None for any other
    type."""
    if not isinstance(to, exp.DataType) or to.this not in PADDED:
        return None
    if not to.expressions:
        return 1
    value = to.expressions[0]
    value = value.this if isinstance(value, exp.DataTypeParam) else value
    return int(value.name) if isinstance(value, exp.Literal) and value.name.isdigit() else None


def padded_cast(node: exp.Expression) -> bool:
    """Whether ``node`` is a cast to a ``CHAR(n)`` or ``NCHAR(n)`` (a value that may end in
    spaces)."""
    if isinstance(node, exp.Cast | exp.TryCast):
        return _length(node.args.get("to")) is not None
    return isinstance(node, exp.Convert) and _length(node.this) is not None


def for_target(tree: exp.Expression) -> exp.Expression:
    """``tree`` with each cast to ``CHAR(n)``/``NCHAR(n)`` padded to n characters."""
    for node in list(tree.find_all(exp.Cast, exp.TryCast, exp.Convert)):
        if not padded_cast(node):
            continue
        length = _length(node.this if isinstance(node, exp.Convert) else node.args["to"])
        assert length is not None
        padded = pad(node.copy(), length)
        padded.meta[KIND] = "nchar" if _is_nchar(node) else "char"
        node.replace(padded)
    return tree


def _is_nchar(node: exp.Expression) -> bool:
    to = node.this if isinstance(node, exp.Convert) else node.args.get("to")
    return isinstance(to, exp.DataType) and to.this == exp.DataType.Type.NCHAR


def type_name(node: exp.Expression) -> str | None:
    """SQL Server's name of the type of a cast :func:`for_target` padded (``char``,
    ``nchar``), else None."""
    found = node.meta.get(KIND)
    return found if isinstance(found, str) else None


def pad(value: exp.Expression, length: int) -> exp.Expression:
    """``value`` followed by ``length`` spaces, cut to ``length`` characters (NULL for
    NULL), marked as padded."""
    padded = exp.Substring(this=exp.DPipe(this=value, expression=exp.Literal.string(
        " " * length), safe=True), start=exp.Literal.number(1),
        length=exp.Literal.number(length))
    padded.meta[MARK] = length
    return padded


def fixed(tree: exp.Create) -> set[str]:
    """The ``CHAR(n)`` and ``NCHAR(n)`` columns of a ``CREATE TABLE`` (lower case)."""
    schema = tree.this
    return {column.name.lower() for column in (
        schema.expressions if isinstance(schema, exp.Schema) else [])
        if isinstance(column, exp.ColumnDef) and _length(column.args.get("kind")) is not None}


def as_varying(tree: exp.Create) -> exp.Create:
    """A ``CREATE TABLE`` with its ``CHAR(n)`` columns made ``VARCHAR(n)`` (``NCHAR``
    ``NVARCHAR``), for PostgreSQL, whose ``CHAR`` drops the trailing spaces when it is read
    as text (``code || '|'``): the values put in them are padded here."""
    for column in tree.find_all(exp.ColumnDef):
        kind = column.args.get("kind")
        if _length(kind) is not None:
            varying = (exp.DataType.Type.NVARCHAR if kind.this == exp.DataType.Type.NCHAR
                       else exp.DataType.Type.VARCHAR)
            kind.set("this", varying)
            if not kind.expressions:
                kind.set("expressions", [exp.DataTypeParam(this=exp.Literal.number(1))])
    return tree


def padded(node: exp.Expression) -> bool:
    """Whether ``node`` may end in the spaces :func:`for_target` added: a padded value, or
    text joined by ``+`` that ends in one (in brackets or not)."""
    if isinstance(node, exp.Paren):
        return padded(node.this)
    if isinstance(node, exp.Add):
        return padded(node.expression)
    return MARK in node.meta


def length(node: exp.Expression) -> int | None:
    """n of a value :func:`for_target` padded to n characters, else None."""
    found = node.meta.get(MARK)
    return found if isinstance(found, int) else None
