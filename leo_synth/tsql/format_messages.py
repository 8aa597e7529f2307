"""``FORMATMESSAGE('Built %s: %d rows', @step, @n)``: a message with values put in, as scripts
write their log lines (``PRINT FORMATMESSAGE(...)``, ``SET @msg = FORMATMESSAGE(...)``).

The placeholders are C's, read as ``RAISERROR`` reads them (``raised_errors.format_message``:
``%d``, ``%i``, ``%u``, ``%s``, ``%x`` ... with flags, widths and precisions; NULL written
``(null)``). A format whose values are all known before the statement runs (literals and the
script's variables, the usual case) is written out here, in Python, the same on every target.
Values read from rows (``FORMATMESSAGE('%s: %d', name, n) FROM t``) are put in by the target:
each ``%d``, ``%i`` or ``%s`` with at most a ``-`` flag and a width becomes ``%s`` (all that
PostgreSQL's ``format`` reads; SQLite's and DuckDB's ``printf`` read it alike) of the value as
text, ``(null)`` for NULL; other placeholders there stop the script, naming the one to change.
A message number (``FORMATMESSAGE(50001, ...)``) reads ``sys.messages``, which SRS users cannot
add to: it stops the script too.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.raised_errors import PLACEHOLDER, format_message

NAME = "FORMATMESSAGE"


def _known(value: exp.Expression) -> bool:
    """A value known before the statement runs: a literal or NULL (variables are literals by
    now), negated numbers included."""
    if isinstance(value, exp.Neg):
        return _known(value.this)
    return isinstance(value, exp.Literal | exp.Null)


def _python(value: exp.Expression) -> object:
    if isinstance(value, exp.Null):
        return None
    if isinstance(value, exp.Neg):
        return f"-{value.this.name}"
    return value.name


def _per_row(text: str, values: list[exp.Expression], line: int) -> exp.Expression:
    """The target's own formatting of values read from rows (see the module docstring)."""
    pieces: list[str] = []
    position = 0
    for match in PLACEHOLDER.finditer(text):
        pieces.append(text[position:match.start()].replace("%", "%%"))
        position = match.end()
        if match.group(0) == "%%":
            pieces.append("%%")
            continue
        flags, width = match.group("flags"), match.group("width")
        if (match.group("type") not in "dis" or flags not in ("", "-") or width == "*"
                or match.group("precision") is not None):
            raise ScriptError(line, f"FORMATMESSAGE: the placeholder {match.group(0)} of values "
                                    f"read from rows is not translated (%d, %i, %s and their "
                                    f"widths are, such as %-10s)")
        pieces.append(f"%{flags}{width or ''}s")
    pieces.append(text[position:].replace("%", "%%"))
    texts = [exp.Coalesce(this=exp.cast(v.copy(), "VARCHAR"),
                          expressions=[exp.Literal.string("(null)")]) for v in values]
    return exp.Anonymous(this="PRINTF", expressions=[exp.Literal.string("".join(pieces)),
                                                     *texts])


def for_target(tree: exp.Expression, dialect: str, line: int) -> exp.Expression:
    """The tree with each FORMATMESSAGE written out (a literal) or put to the target."""
    for node in list(tree.find_all(exp.Anonymous)):
        if node.name.upper() != NAME or not node.expressions:
            continue
        text, *values = node.expressions
        if not (isinstance(text, exp.Literal) and text.is_string):
            raise ScriptError(line, "FORMATMESSAGE needs its message as text: a message "
                                    "number reads sys.messages, which the SRS does not let "
                                    "users add to")
        if all(_known(v) for v in values):
            new: exp.Expression = exp.Literal.string(
                format_message(text.name, [_python(v) for v in values]))
        else:
            new = _per_row(text.name, values, line)
            if dialect == "postgres":
                new = exp.Anonymous(this="FORMAT", expressions=new.expressions)
        if node is tree:
            return new
        node.replace(new)
    return tree
