"""The form of text SQL Server reads as money, and the number it stands for."""

from __future__ import annotations

import re

SIGNS = "$£€¥"
"""The currency signs leo-synth reads before money (SQL Server reads more)."""
MONEY_TEXT = rf"^\s*[-+]?\s*[{SIGNS}]?\s*[-+]?[0-9,]*\.?[0-9]*\s*$"
"""Text SQL Server converts to money: a sign before or after the currency sign, commas
among the digits before the point (the form ``ISNUMERIC`` reads as money's too)."""
_MONEY = re.compile(MONEY_TEXT)
MONEY_FAILED = "Cannot convert a char value to money. The char value has incorrect syntax."
"""SQL Server's error 235: text in no form of money converted to money."""
DROPPED = rf"[{SIGNS},\s]"
"""What is taken out of money's text before it is read as a number."""


def is_money(value: object) -> bool:
    """Whether ``value`` is text in money's form."""
    return isinstance(value, str) and _MONEY.match(value) is not None


def money_digits(value: object) -> object:
    """``value`` as the number text its money stands for (``'$1,250'``: ``'1250'``; no
    digits: ``'0'``), or unchanged when it is not text in money's form."""
    if not isinstance(value, str) or not is_money(value):
        return value
    digits = re.sub(DROPPED, "", value)
    return digits if re.search("[0-9]", digits) else "0"
