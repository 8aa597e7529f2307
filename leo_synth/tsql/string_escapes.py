"""``STRING_ESCAPE(text, 'json')``: text escaped for a JSON string, as SQL Server escapes it.

SQL Server writes ``"`` as ``\\"``, ``\\`` as ``\\\\``, ``/`` as ``\\/``, a backspace, form feed,
new line, carriage return and tab as ``\\b``, ``\\f``, ``\\n``, ``\\r``, ``\\t``, and every other
control character (``CHAR(1)`` to ``CHAR(31)``) as ``\\u00XX`` in lower-case hexadecimal
(``STRING_ESCAPE('a"b/c', 'json')`` is ``a\\"b\\/c``); no target has the function (SQLite: "no
such function"). So it is a chain of ``REPLACE``, the backslash first (each replacement brings
one); on SQLite, whose parser overflows on such a chain, a function of the session
(:func:`escaped`). ``CHAR(0)``, which PostgreSQL's text cannot hold, is left as it is; a
type other than ``'json'`` (SQL Server's only one) is left for the target to refuse.
"""

from __future__ import annotations

from sqlglot import exp

_NAMED = {8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t"}
_ESCAPES = {"\\": "\\\\", '"': '\\"', "/": "\\/", **{
    chr(code): _NAMED.get(code, f"\\u{code:04x}") for code in range(1, 32)}}
"""Each character JSON escapes, and its escape (the backslash first)."""
SQLITE = "LEO_STRING_ESCAPE"
"""The SQLite session's function (:func:`escaped`)."""


def escaped(text: str | None) -> str | None:
    """``text`` with each character JSON escapes replaced by its escape."""
    return None if text is None else "".join(_ESCAPES.get(c, c) for c in str(text))


def _escaped(text: exp.Expression) -> exp.Expression:
    """``text`` with each character JSON escapes replaced by its escape."""
    value = text.copy()
    for found, put in _ESCAPES.items():
        searched = (exp.Literal.string(found) if found.isprintable()
                    else exp.Chr(expressions=[exp.Literal.number(ord(found))]))
        value = exp.Replace(this=value, expression=searched, replacement=exp.Literal.string(put))
    return value


def for_target(tree: exp.Expression, dialect: str) -> exp.Expression:
    """The tree with each ``STRING_ESCAPE(text, 'json')`` as its chain of ``REPLACE`` (on
    SQLite, the session's function)."""
    for node in list(tree.find_all(exp.Anonymous)):
        if node.name.upper() != "STRING_ESCAPE" or len(node.expressions) != 2:
            continue
        kind = node.expressions[1]
        if isinstance(kind, exp.Literal) and kind.is_string and kind.name.lower() == "json":
            text = node.expressions[0]
            node.replace(exp.Anonymous(this=SQLITE, expressions=[text.copy()])
                         if dialect == "sqlite" else _escaped(text))
    return tree
