"""T-SQL's ``LIKE`` on targets whose ``LIKE`` differs.

SQL Server's default collation (``SQL_Latin1_General_CP1_CI_AS``, which the SRS keeps) makes
``LIKE`` ignore case, and its patterns have character classes: ``[0-9]``, ``[A-Z]``,
``[^0-9]`` (``'%[^0-9]%'`` finds a value with anything but digits). SQLite's ``LIKE`` ignores
(ASCII) case and has no classes; PostgreSQL's and DuckDB's keep case and have no classes. So a
pattern with a class becomes a regular expression matched whole, ignoring case (a Python
function on SQLite, ``regexp_full_match`` on DuckDB, ``~*`` on PostgreSQL), and any other
``LIKE`` on PostgreSQL and DuckDB becomes ``ILIKE``. ``PATINDEX`` searches for such a pattern
(``PATINDEX('%[0-9]%', postcode)``: where the first digit is).
"""

from __future__ import annotations

import functools
import re


def has_class(pattern: str) -> bool:
    """Whether a LIKE pattern uses a character class (``[...]``)."""
    return "[" in pattern


def like_regex(pattern: str) -> str:
    """The regular expression (matched whole: ``^...$``) of a T-SQL LIKE pattern: ``%`` any
    text, ``_`` one character, ``[abc]``/``[a-z]`` one of, ``[^...]`` none of; an unclosed
    ``[`` is itself."""
    out, i = ["^"], 0
    while i < len(pattern):
        char = pattern[i]
        if char == "%":
            out.append(".*")
        elif char == "_":
            out.append(".")
        elif char == "[" and "]" in pattern[i + 2:]:  # (a class has at least one character)
            end = pattern.index("]", i + 2)
            body = pattern[i + 1:end]
            negated = body.startswith("^")
            body = body[1:] if negated else body
            escaped = "".join("\\" + c if c in "\\]^[" else c for c in body)
            out.append(f"[{'^' if negated else ''}{escaped}]")
            i = end
        else:
            out.append(re.escape(char))
        i += 1
    out.append("$")
    return "".join(out)


def search_regex(pattern: str) -> str:
    """The regular expression ``PATINDEX(pattern, x)`` searches for: the pattern without its
    leading and trailing ``%``, tied to the start (end) of the text where it has none."""
    free_start = pattern.startswith("%")
    core = pattern[1:] if free_start else pattern
    free_end = core.endswith("%") or not core
    core = core[:-1] if core.endswith("%") else core
    return ("" if free_start else "^") + like_regex(core)[1:-1] + ("" if free_end else "$")


def patindex(pattern: object, value: object) -> int | None:
    """T-SQL's ``PATINDEX``, for SQLite: where the pattern first matches (from 1), 0 when it
    does not, NULL for NULL."""
    if value is None or pattern is None:
        return None
    found = re.search(search_regex(str(pattern)), str(value), re.IGNORECASE | re.DOTALL)
    return found.start() + 1 if found else 0


def like(value: object, pattern: object) -> int | None:
    """T-SQL's ``value LIKE pattern`` (ignoring case), for SQLite: 1, 0, or NULL."""
    if value is None or pattern is None:
        return None
    return int(_compiled(str(pattern)).match(str(value)) is not None)


def like_cased(value: object, pattern: object) -> int | None:
    """T-SQL's ``value LIKE pattern`` under a collation that keeps case (``_CS``, binary),
    for SQLite: 1, 0, or NULL."""
    if value is None or pattern is None:
        return None
    return int(_compiled(str(pattern), cased=True).match(str(value)) is not None)


@functools.lru_cache(maxsize=256)
def _compiled(pattern: str, cased: bool = False) -> re.Pattern[str]:
    return re.compile(like_regex(pattern), re.DOTALL if cased else re.IGNORECASE | re.DOTALL)
