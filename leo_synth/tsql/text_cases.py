"""``UPPER`` and ``LOWER`` change the case of every letter, as SQL Server's do.

SQL Server's ``UPPER(N'élève')`` is ``ÉLÈVE`` and ``LOWER('ÀÉÎ')`` ``àéî``; SQLite's built-in
functions change ASCII letters only (``éLèVE``). So on SQLite the ``UPPER`` and ``LOWER`` the
script writes are the run's own (:func:`upper`, :func:`lower`, registered by
``sqlite_functions``), which change each character as Unicode does where it has one character
for it: SQL Server keeps ``ß`` in ``UPPER`` (Python's ``'ß'.upper()`` is ``SS``). The
translation's own ``LOWER`` (``collation``, ``text_groups``, ``text_order``: comparing and
grouping text regardless of case) is left to SQLite's, as before: the script's calls are
marked when the statement is read (:func:`mark`), before those are added.

The mark also tells ``value_rewrites`` which of ``UPPER``, ``LOWER``, ``LTRIM``, ``RTRIM``,
``TRIM``, ``REVERSE`` and ``REPLICATE`` the script wrote
(:func:`written`): SQL Server converts a number given to one to text (``UPPER(12)`` is
``'12'``, ``REPLICATE(0, 3)`` ``'000'``), which PostgreSQL and DuckDB need written; the
translation's own ``TRIM`` and ``LOWER`` of text are left as they are.
"""

from __future__ import annotations

from sqlglot import exp

WRITTEN = "leo_written_text_function"
"""The ``meta`` key marking a text function the script wrote."""
TEXT_FUNCTIONS = (exp.Upper, exp.Lower, exp.Trim, exp.Reverse, exp.Repeat)
"""The text functions marked: those whose first argument SQL Server converts to text."""
SQLITE_NAMES = {exp.Upper: "LEO_UPPER", exp.Lower: "LEO_LOWER"}
"""The run's SQLite functions by the node each replaces."""


def mark(tree: exp.Expression) -> exp.Expression:
    """``tree`` with each of :data:`TEXT_FUNCTIONS` in it marked as the script's."""
    for node in tree.find_all(*TEXT_FUNCTIONS):
        node.meta[WRITTEN] = True
    return tree


def written(node: exp.Expression) -> bool:
    """Whether ``node`` is one of :data:`TEXT_FUNCTIONS` that the script wrote."""
    return isinstance(node, TEXT_FUNCTIONS) and bool(node.meta.get(WRITTEN))


def for_sqlite(node: exp.Upper | exp.Lower) -> exp.Expression:
    """A marked ``UPPER`` or ``LOWER`` as the run's SQLite function (others unchanged)."""
    if not written(node):
        return node
    return exp.Anonymous(this=SQLITE_NAMES[type(node)], expressions=[node.this.copy()])


def _each(text: object, change: str) -> str | None:
    """``text`` with each character changed by ``str``'s method ``change`` where that gives
    one character (``ß`` stays ``ß`` in upper case, as in SQL Server)."""
    if text is None:
        return None
    value = text if isinstance(text, str) else str(text)
    if value.isascii():
        return getattr(value, change)()
    changed = (getattr(c, change)() for c in value)
    return "".join(new if len(new) == 1 else old for old, new in zip(value, changed,
                                                                     strict=True))


def upper(text: object) -> str | None:
    """SQL Server's ``UPPER`` of ``text`` (SQLite's run function ``LEO_UPPER``)."""
    return _each(text, "upper")


def lower(text: object) -> str | None:
    """SQL Server's ``LOWER`` of ``text`` (SQLite's run function ``LEO_LOWER``)."""
    return _each(text, "lower")
