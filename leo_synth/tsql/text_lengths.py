"""Text too long for a #temp table's ``VARCHAR(n)`` column stops the statement, as in SQL
Server.

``CREATE TABLE #t (code VARCHAR(2))`` and then ``INSERT INTO #t SELECT NCyearActual_spr11 ...``
fails in the SRS with "String or binary data would be truncated." once a value is longer than
two characters. SQLite and DuckDB keep the whole text (neither enforces a length), so such a
script ran here and failed there; PostgreSQL enforces it itself, but also where no row is
changed: it converts a constant to the column's type when it plans the statement (``UPDATE #t
SET code = 'abc' WHERE 1 = 0`` stopped, where SQL Server changes no row and says nothing). The
lengths of the ``CHAR``, ``VARCHAR``, ``NCHAR`` and ``NVARCHAR`` columns a script's ``CREATE
TABLE`` declares are kept, and each value an ``INSERT`` (``VALUES`` or a plain ``SELECT``, by
position or by the columns it names) or an ``UPDATE ... SET`` puts in such a column is checked:
its length without trailing spaces (which SQL Server drops without complaint), by a function on
SQLite, ``error()`` on DuckDB and, for a constant, a session function on PostgreSQL, called
only for a row that is changed (PostgreSQL checks a table's values itself). A column a ``SELECT
... INTO`` makes has the length SQL Server gives it where it is certain (:func:`value_length`):
``SELECT pmr, 'KS4' AS source INTO #t`` makes ``source`` a ``VARCHAR(3)``, so a later ``INSERT
INTO #t SELECT pmr, 'HESA' ...`` stops in the SRS (the targets took it). An ``INSERT`` whose
``SELECT`` is a ``UNION`` or ``*`` is not checked.

After ``SET ANSI_WARNINGS OFF`` (a common first line of a research script, written to quiet
"Null value is eliminated by an aggregate"), SQL Server cuts such a value to the column's
length without a word; the value is then cast to ``VARCHAR(n)``, which cuts it on every
target (PostgreSQL too, which would otherwise refuse it).
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql import char_padding
from leo_synth.tsql.error_messages import TRUNCATED
from leo_synth.tsql.rewrites import is_text
from leo_synth.tsql.text_bounds import raised

TEXT_TYPES = (exp.DataType.Type.CHAR, exp.DataType.Type.VARCHAR, exp.DataType.Type.NCHAR,
              exp.DataType.Type.NVARCHAR)


CAST_LENGTH = 30
"""The length of a cast's or ``CONVERT``'s text type written without one, in SQL Server."""


def cast_lengths(tree: exp.Expression) -> exp.Expression:
    """``tree`` with each cast to text written without a length given SQL Server's 30:
    ``CAST(x AS VARCHAR)`` keeps the first 30 characters in the SRS, where the targets kept
    all (a ``DECLARE``'s or a column's ``VARCHAR`` is one character, which they hold
    themselves)."""
    for node in tree.find_all(exp.Cast, exp.Convert):
        to = node.this if isinstance(node, exp.Convert) else node.args.get("to")
        if isinstance(to, exp.DataType) and to.is_type(*TEXT_TYPES) and not to.expressions:
            to.set("expressions", [exp.DataTypeParam(this=exp.Literal.number(CAST_LENGTH))])
    return tree


LONGEST = 8000
"""The longest ``VARCHAR`` short of ``MAX``: text joined by ``+`` is cut to it."""


def value_length(node: exp.Expression, lengths: dict[str, int | None]) -> int | None:
    """The length of the text type SQL Server gives a value, where certain: a string
    literal's characters, a column's (``lengths``: by lower-case name, None where unknown), a
    cast's, ``ISNULL``'s first argument's, the longest value of a ``CASE`` or ``COALESCE``,
    the sum of text joined by ``+``; else None."""
    if isinstance(node, exp.Paren):
        return value_length(node.this, lengths)
    if char_padding.length(node) is not None:
        return char_padding.length(node)
    if isinstance(node, exp.National) or (isinstance(node, exp.Literal) and node.is_string):
        return max(len(node.name), 1)  # ('' is a VARCHAR(1))
    if isinstance(node, exp.Column):
        return lengths.get(node.name.lower())
    if isinstance(node, exp.Cast | exp.Convert):
        return length_of(node.this if isinstance(node, exp.Convert) else node.args.get("to"))
    if isinstance(node, exp.Coalesce) and node.args.get("is_null"):
        return value_length(node.this, lengths)  # (ISNULL: its first argument's type)
    if isinstance(node, exp.Case | exp.Coalesce):
        values = ([node.this, *node.expressions] if isinstance(node, exp.Coalesce) else
                  [branch.args.get("true") for branch in node.args.get("ifs") or []])
        values.append(node.args.get("default"))
        found = [value_length(value, lengths) for value in values
                 if value is not None and not isinstance(value, exp.Null)]
        return max(found) if found and None not in found else None  # type: ignore[type-var]
    if isinstance(node, exp.Add | exp.DPipe):
        parts = (value_length(node.this, lengths), value_length(node.expression, lengths))
        return None if None in parts else min(sum(parts), LONGEST)  # type: ignore[arg-type]
    return None


def selected_lengths(branches: list[exp.Select], lengths: dict[str, int | None]
                     ) -> list[int | None]:
    """The length SQL Server gives each column of a query (its ``UNION``'s ``branches``, or
    the one ``SELECT``), where certain (:func:`value_length`): a ``UNION``'s is the longest
    of its branches' values at that place (``SELECT 'ab' AS x INTO #t UNION ALL SELECT
    'abcd'`` makes a ``VARCHAR(4)``), None where any branch's is not known."""
    found: list[int | None] = []
    for items in zip(*(branch.selects for branch in branches), strict=False):
        each = [value_length(item.unalias(), lengths) for item in items
                if not isinstance(item.unalias(), exp.Null)]
        found.append(max(each) if each and None not in each else None)  # type: ignore[type-var]
    return found


def held_to_lengths(branches: list[exp.Select], lengths: list[int | None]) -> None:
    """A ``SELECT ... INTO``'s computed text values (not a column's copy) cast to the lengths
    SQL Server gives them (``lengths``: by place, in every branch of a ``UNION``), for
    PostgreSQL, whose ``CREATE TABLE AS`` makes a literal's column ``text``: it then holds
    later values to them itself, as it holds a declared column. The values fit by their
    lengths' making."""
    for branch in branches:
        for item, length in zip(branch.selects, lengths, strict=False):
            value = item.unalias()
            if length is not None and not isinstance(value, exp.Column | exp.Null):
                value.replace(exp.cast(value.copy(), exp.DataType.build(f"VARCHAR({length})")))


def length_of(kind: object) -> int | None:
    """The characters a declared text type holds (a column's or a variable's): its length, 1
    where none is written (``VARCHAR`` alone); None for ``MAX`` and any other type."""
    if not (isinstance(kind, exp.DataType) and kind.is_type(*TEXT_TYPES)):
        return None
    size = kind.expressions[0].this if kind.expressions else exp.Literal.number(1)
    return int(size.this) if isinstance(size, exp.Literal) and size.this.isdigit() else None


def declared(tree: exp.Create) -> dict[str, int]:
    """The text columns of a ``CREATE TABLE`` with a length, and their lengths."""
    lengths: dict[str, int] = {}
    schema = tree.this
    for column in schema.expressions if isinstance(schema, exp.Schema) else []:
        length = length_of(column.args.get("kind")) if isinstance(column, exp.ColumnDef) else None
        if length is not None:
            lengths[column.name.lower()] = length
    return lengths


def _checked(value: exp.Expression, length: int, dialect: str) -> exp.Expression:
    if dialect == "sqlite":
        return exp.Anonymous(this="LEO_FITS", expressions=[value.copy(),
                                                           exp.Literal.number(length)])
    text = exp.Anonymous(this="RTRIM", expressions=[exp.cast(value.copy(), "VARCHAR")])
    too_long = exp.GT(this=exp.Anonymous(this="LENGTH", expressions=[text]),
                      expression=exp.Literal.number(length))
    # (ERROR's type is NULL, which takes the value's type: text, or a number written as text;
    # PostgreSQL's function, an integer, is made text)
    failure = raised(TRUNCATED, dialect)
    if dialect == "postgres":
        failure = exp.cast(failure, "TEXT")
    # (DuckDB keeps trailing spaces beyond the length, which SQL Server drops; PostgreSQL's
    # conversion to the column's type drops them; a column held as a number is made text)
    kept = exp.Left(this=exp.cast(value.copy(), "VARCHAR"),
                    expression=exp.Literal.number(length)) if dialect == "duckdb" else (
        value.copy())
    return exp.Case(ifs=[exp.If(this=too_long, true=failure)], default=kept)


def _rows(insert: exp.Insert) -> list[list[exp.Expression]]:
    """The value lists of an ``INSERT``: each ``VALUES`` row, or a plain ``SELECT``'s list."""
    source = insert.expression
    if isinstance(source, exp.Values):
        return [list(row.expressions) for row in source.expressions
                if isinstance(row, exp.Tuple)]
    if isinstance(source, exp.Select) and not any(s.is_star for s in source.expressions):
        return [list(source.expressions)]
    return []


def _cut(value: exp.Expression, length: int, dialect: str) -> exp.Expression:
    """``value`` cut to ``length`` characters, as ``ANSI_WARNINGS OFF`` stores it."""
    return exp.cast(value.copy(), exp.DataType.build(f"VARCHAR({length})", dialect="tsql"))


NUMBER_AS_TEXT = exp.DataType.build(f"VARCHAR({LONGEST})", dialect="tsql")


def numbers_as_text(tree: exp.Expression, lengths: dict[str, int], columns: list[str],
                    texts: dict[str, bool]) -> exp.Expression:
    """``tree`` with each value it puts in a text column of ``lengths`` that is not text for
    certain (a number, a date) converted to text, as SQL Server converts it on the way in: a
    decimal with its scale's places, a ``FLOAT`` in six digits, a ``DATETIME`` in style 0
    (``INSERT INTO #out (label, value) SELECT 'mean', AVG(Earnings * 1.0)`` stored
    21699.9955005624 on SQLite, where SQL Server stores 21699.995500)."""
    for item, _length, _name in _placed(tree, lengths, columns):
        if not isinstance(item, exp.Null | exp.Placeholder | exp.National) and not (
                item.is_star or is_text(item, texts)):  # (1.50 is '1.50'; SQLite held 1.5)
            item.replace(exp.cast(item.copy(), NUMBER_AS_TEXT))
    return tree


def _placed(tree: exp.Expression, lengths: dict[str, int], columns: list[str]
            ) -> list[tuple[exp.Expression, int, str]]:
    """The values an ``INSERT`` or ``UPDATE`` puts in the text columns of ``lengths``, each
    with its column's length and lower-case name (``columns``: the table's columns in
    order)."""
    found: list[tuple[exp.Expression, int, str]] = []
    if isinstance(tree, exp.Insert):
        target = tree.this
        named = ([c.name.lower() for c in target.expressions]
                 if isinstance(target, exp.Schema) else [c.lower() for c in columns])
        for row in _rows(tree):
            for name, value in zip(named, row, strict=False):
                if name in lengths:
                    found.append((value.this if isinstance(value, exp.Alias) else value,
                                  lengths[name], name))
    elif isinstance(tree, exp.Update):
        for assignment in tree.expressions:
            if isinstance(assignment, exp.EQ) and assignment.this.name.lower() in lengths:
                name = assignment.this.name.lower()
                found.append((assignment.expression, lengths[name], name))
    return found


def for_target(tree: exp.Expression, lengths: dict[str, int], columns: list[str],
               dialect: str, warnings: bool = True, fixed: frozenset[str] = frozenset()
               ) -> exp.Expression:
    """``tree`` with the values it puts in text columns of ``lengths`` checked, or cut to the
    lengths without ``warnings`` (``SET ANSI_WARNINGS OFF``); ``columns``: the table's columns
    in order. PostgreSQL checks a value read from a table itself, row by row: only a
    constant (a literal, a variable), which it would check once for all, is checked here.
    A value put in a ``CHAR(n)`` column (``fixed``, lower case) is padded with spaces to n
    characters, as SQL Server stores it (``char_padding``)."""
    if not lengths:
        return tree
    fitted = _checked if warnings else _cut
    for item, length, name in _placed(tree, lengths, columns):
        value = item
        if dialect != "postgres" or not warnings or not item.find(exp.Column, exp.Query):
            value = fitted(item, length, dialect)
        if name in fixed and not isinstance(item, exp.Null):
            value = char_padding.pad(value.copy() if value is item else value, length)
        if value is not item:
            item.replace(value)
    return tree
