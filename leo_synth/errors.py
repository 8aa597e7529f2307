"""The one exception type that the command line turns into a one-line message, and the
nearest-name hint that such messages carry."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class LeoSynthError(Exception):
    """A problem caused by the user's input or environment, reported without a traceback."""


def did_you_mean(word: object, choices: Iterable[object]) -> str:
    """`` (did you mean 'x'?)`` for the closest of ``choices``, or '' when none is close."""
    close = difflib.get_close_matches(str(word), sorted(str(c) for c in choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
