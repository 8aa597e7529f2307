"""``LEFT``, ``RIGHT`` and ``SUBSTRING`` at the bounds SQL Server sets them.

- A negative length stops the query (error 536, "Invalid length parameter passed to the left
  function."): the classic ``LEFT(name, CHARINDEX(' ', name) - 1)`` on a value without a
  space fails in the SRS, where SQLite gave '' and PostgreSQL and DuckDB all but the last
  character (their ``LEFT`` counts a negative length from the end).
- ``SUBSTRING`` from a start below 1 keeps the characters from position 1 to ``start +
  length - 1`` (``SUBSTRING('abcdef', -1, 3)`` is ``'a'``); SQLite and DuckDB counted a
  negative start from the end (``'f'``).
- ``TRANSLATE`` whose characters to replace and replacements differ in number (as written)
  stops with error 9828; DuckDB and PostgreSQL dropped the characters without a
  replacement, SQLite stopped in its own words.
- ``SPACE`` and ``REPLICATE`` of a negative count are NULL, and so are ``ASCII`` and
  ``UNICODE`` of empty text; DuckDB and PostgreSQL gave ``''`` and 0 (DuckDB's ``UNICODE``
  -1).

Only a length or start that is not a literal is rewritten (a literal one is checked by the
translation itself), so the usual ``LEFT(x, 4)`` and ``SUBSTRING(x, 5, 2)`` are left alone.
The error is raised by the target's own means: SQLite's run function ``LEO_RAISE``, DuckDB's
``ERROR``, PostgreSQL's session function :data:`POSTGRES_SETUP`.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError

POSTGRES_SETUP = (
    "CREATE FUNCTION pg_temp.leo_raise(message text) RETURNS integer LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION '%', message; END $$",
)
"""``pg_temp.leo_raise(message)``: stops the query with ``message`` (an integer's type, to
stand where a length does)."""
_NAMES = {exp.Left: "left", exp.Right: "right", exp.Substring: "substring"}


UNEQUAL_TRANSLATE = ("The second and third arguments of the TRANSLATE built-in function must "
                     "contain an equal number of characters.")
"""SQL Server's error 9828."""


def invalid_length(function: str) -> str:
    """SQL Server's error 536 for ``function`` (``left``, ``right``, ``substring``)."""
    return f"Invalid length parameter passed to the {function} function."


def literal_number(node: exp.Expression | None) -> float | None:
    """The number a literal (or a negated literal) is, else None."""
    value = node.this if isinstance(node, exp.Neg) else node
    if not isinstance(value, exp.Literal) or value.is_string:
        return None
    try:
        return float(value.name) * (-1 if isinstance(node, exp.Neg) else 1)
    except ValueError:
        return None


def raises(tree: exp.Expression) -> bool:
    """Whether ``tree`` calls PostgreSQL's :data:`POSTGRES_SETUP` function."""
    return any(call.name == "pg_temp.leo_raise" for call in tree.find_all(exp.Anonymous))


def raised(message: str | exp.Expression, dialect: str) -> exp.Expression:
    """A call that stops the query with ``message`` (text, or an expression giving it) by
    the target's own means (PostgreSQL's needs :data:`POSTGRES_SETUP`)."""
    text = exp.Literal.string(message) if isinstance(message, str) else message
    name = {"sqlite": "LEO_RAISE", "duckdb": "ERROR"}.get(dialect, "pg_temp.leo_raise")
    return exp.Anonymous(this=name, expressions=[text])


def _checked(length: exp.Expression, function: str, dialect: str) -> exp.Expression:
    return exp.Case(ifs=[exp.If(this=exp.LT(this=length.copy(), expression=exp.Literal.number(0)),
                                true=raised(invalid_length(function), dialect))],
                    default=length.copy())


def _from_one(node: exp.Substring) -> None:
    """``SUBSTRING(x, s, n)`` from position 1 when s is below it: ``SUBSTRING(x, GREATEST(s,
    1), s + n - GREATEST(s, 1))``, the length not below 0."""
    start, length = node.args["start"], node.args["length"]
    first = exp.Greatest(this=start.copy(), expressions=[exp.Literal.number(1)])
    kept = exp.Sub(this=exp.Add(this=exp.Paren(this=start.copy()),
                                expression=exp.Paren(this=length.copy())),
                   expression=first.copy())
    node.set("start", first)
    node.set("length", exp.Greatest(this=kept, expressions=[exp.Literal.number(0)]))


def _nulls(tree: exp.Expression) -> exp.Expression:
    """The tree with ``SPACE`` and ``REPLICATE`` NULL for a negative count, and
    ``ASCII``/``UNICODE`` NULL for empty text."""
    for node in list(tree.find_all(exp.Repeat, exp.Space)):
        count = node.args.get("times") if isinstance(node, exp.Repeat) else node.this
        given = literal_number(count)
        if count is None or (given is not None and given >= 0):
            continue  # the usual REPLICATE('0', 3)
        negative = exp.LT(this=count.copy(), expression=exp.Literal.number(0))
        case = exp.Case(ifs=[exp.If(this=negative, true=exp.Null())], default=node.copy())
        if node is tree:
            return case
        node.replace(case)
    for node in list(tree.find_all(exp.Ascii, exp.Unicode)):
        text = node.this
        if isinstance(text, exp.Literal) and text.is_string and text.name:
            continue
        node.set("this", exp.Nullif(this=text.copy(), expression=exp.Literal.string("")))
    return tree


def for_target(tree: exp.Expression, dialect: str, line: int) -> tuple[exp.Expression, bool]:
    """The tree with each computed length checked and each computed start of a
    ``SUBSTRING`` read as SQL Server reads it; and whether PostgreSQL's session function is
    called (:data:`POSTGRES_SETUP`). A literal negative length stops at once."""
    raising = False
    for node in tree.find_all(exp.Translate):
        found, put = node.args.get("from_"), node.args.get("to")
        if all(isinstance(v, exp.Literal) and v.is_string for v in (found, put)) and len(
                found.name) != len(put.name):
            raise ScriptError(line, UNEQUAL_TRANSLATE, runtime=True)
    for node in list(tree.find_all(exp.Left, exp.Right, exp.Substring)):
        slot = "length" if isinstance(node, exp.Substring) else "expression"
        length = node.args.get(slot)
        given = literal_number(length)
        if length is None or (given is not None and given >= 0):
            continue
        if given is not None:
            raise ScriptError(line, invalid_length(_NAMES[type(node)]), runtime=True)
        node.set(slot, _checked(length, _NAMES[type(node)], dialect))
        raising = True
    if dialect != "postgres":
        for node in list(tree.find_all(exp.Substring)):
            start = literal_number(node.args.get("start"))
            if node.args.get("length") is not None and (start is None or start < 1):
                _from_one(node)
    return _nulls(tree), raising
