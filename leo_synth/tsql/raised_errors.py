"""``RAISERROR`` and ``THROW``: the message a script raises, and what SQL Server does with it.

SRS scripts use ``RAISERROR('Built %s: %d rows', 0, 1, @step, @n) WITH NOWAIT`` to report
progress (severity 10 or less is a message, shown at once), and ``RAISERROR(..., 16, 1)`` or
``THROW 50001, 'No pupils found', 1`` to stop on a check that failed. The message's
placeholders are C's, as SQL Server reads them: ``%d``, ``%i``, ``%u``, ``%s``, ``%o``,
``%x``, ``%X`` with flags, a width and a precision (``%-10s``, ``%5.2s``, ``%*d``), ``%%`` for
a percent sign; an argument that is missing or NULL is written ``(null)``.
"""

from __future__ import annotations

import re

PLACEHOLDER = re.compile(
    r"%(?P<flags>[-+0# ]*)(?P<width>\*|[0-9]+)?(?:\.(?P<precision>\*|[0-9]+))?"
    r"(?:h|l|I64)?(?P<type>[diosuxX])|%%")
USER_MESSAGE = 50000
"""The number of an error raised with a message's text (``RAISERROR('...', 16, 1)``)."""
LOWEST_THROW = 50000
"""THROW's numbers start here (lower ones are SQL Server's own)."""


def as_number(value: object) -> int | None:
    """``value`` as a whole number, or None."""
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def format_message(text: str, arguments: list[object]) -> str:
    """``text`` with each placeholder replaced by the next of ``arguments``, as
    ``RAISERROR`` writes them."""
    left = list(arguments)

    def take() -> object:
        return left.pop(0) if left else None

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "%%":
            return "%"
        width = match.group("width")
        if width == "*":
            width = str(as_number(take()) or "")
        precision = match.group("precision")
        if precision == "*":
            precision = str(as_number(take()) or 0)
        value = take()
        kind = match.group("type")
        spec = (f"%{match.group('flags')}{width or ''}"
                f"{'.' + precision if precision is not None else ''}")
        if value is None:
            return (spec + "s") % "(null)"
        if kind == "s":
            return (spec + "s") % (value if isinstance(value, str) else str(value))
        number = as_number(value)
        if number is None:
            return (spec + "s") % "(null)"
        if kind == "u" and number < 0:
            number += 2 ** 32  # (an unsigned 32-bit integer, as C reads it)
        return (spec + {"i": "d", "u": "d"}.get(kind, kind)) % number

    return PLACEHOLDER.sub(replace, text)
