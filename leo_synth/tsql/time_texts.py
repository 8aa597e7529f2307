"""A ``TIME`` converted to text as SQL Server writes it: ``hh:mm:ss`` and, for a ``TIME(n)``
with n above 0, a point and n places (``TIME`` alone is ``TIME(7)``).

``CAST(CAST('10:15' AS TIME) AS VARCHAR)`` is ``10:15:00.0000000`` in SQL Server, as is
``CONCAT('', CAST('10:15' AS TIME))``; ``TIME(3)`` gives ``10:15:00.000`` and ``TIME(0)``
``10:15:00``. Every target wrote ``10:15:00`` (DuckDB and PostgreSQL ``10:15:01.5`` for a
fraction). So the target's text, whose fraction has at most six places and drops trailing
zeros, is padded with zeros to n places (SQLite's too: ``sqlite_times``). Known for certain:
a cast to ``TIME``, a ``TIME`` variable (which is substituted as one) and ``DATEADD`` of
either.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.sql_templates import filled
from leo_synth.tsql.value_rewrites import TEXT_TYPES, cast_parts

DEFAULT_PLACES = 7
"""``TIME`` without a precision is ``TIME(7)``."""
SECONDS_STYLES = ("8", "108")
"""``CONVERT``'s styles writing ``hh:mi:ss`` (DuckDB stopped at a ``TIME`` in them)."""
_SECONDS = "LEFT(CAST(leo_t AS VARCHAR(16)), 8)"
_FRACTION = ("LEFT(CONCAT(CAST(leo_t AS VARCHAR(16)), CASE WHEN LEN(CAST(leo_t AS VARCHAR(16))) "
             "= 8 THEN '.' ELSE '' END, '0000000'), {width})")
"""The target's text of the time ``leo_t``, with a point where it has no fraction, padded
with zeros and cut to ``hh:mm:ss.`` and the places."""


def places(value: exp.Expression) -> int | None:
    """The places of a second of ``value`` when it is a ``TIME`` for certain (a cast to one,
    or ``DATEADD`` of one, which keeps its type)."""
    while isinstance(value, exp.Paren):
        value = value.this
    if isinstance(value, exp.DateAdd):
        return places(value.this)
    parts = cast_parts(value)
    if parts is None or not parts[1].is_type(exp.DataType.Type.TIME):
        return None
    given = [p.this for p in parts[1].expressions if isinstance(p, exp.DataTypeParam)]
    if not given:
        return DEFAULT_PLACES
    return int(given[0].name) if isinstance(given[0], exp.Literal) else None


def _text(value: exp.Expression, count: int) -> exp.Expression:
    """T-SQL writing the time ``value`` with ``count`` places."""
    template = _FRACTION.format(width=9 + count) if count else _SECONDS
    return filled(template, {"leo_t": value})


def for_target(tree: exp.Expression) -> exp.Expression:
    """``tree`` with each ``TIME`` converted to text without a style (``CAST``, ``CONVERT``,
    an argument of ``CONCAT`` or ``CONCAT_WS``) written with its places, and in style 8 or
    108 without them."""
    for joined in list(tree.find_all(exp.Concat, exp.ConcatWs)):
        for value in joined.expressions:
            if places(value) is not None:
                value.replace(exp.cast(value.copy(), exp.DataType.build("VARCHAR(30)")))
    for node in reversed(list(tree.find_all(exp.Convert, exp.Cast))):  # (inner ones first)
        parts = cast_parts(node)
        style = node.args.get("style")
        if parts is None or parts[1].this not in TEXT_TYPES or (style is not None and not (
                isinstance(style, exp.Literal) and style.name in SECONDS_STYLES)):
            continue
        count = places(parts[0])
        if count is None:
            continue
        count = 0 if style is not None else count
        new = exp.cast(_text(parts[0], count), parts[1].copy())  # (its length still cuts)
        if node is tree:
            return new
        node.replace(new)
    return tree
