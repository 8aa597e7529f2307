"""Passwords never reach a message: every error line and summary goes through :func:`redact`.

A PostgreSQL target can carry its password in three places: the URL userinfo
(``postgresql://me:pw@host/db``), a query parameter (``?password=pw``) or a libpq keyword
string (``host=h password=pw``, or ``password='p w'``). Drivers sometimes echo fragments of
the target back in their own errors, so besides these patterns every password seen in a
target is remembered (:func:`remember_secrets`) and masked wherever it appears.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlsplit

MASK = "***"

_USERINFO = re.compile(r"(?P<head>\b[a-zA-Z][a-zA-Z0-9+.-]*://[^:/?#@\s]*:)(?P<secret>[^@\s]*)@")
_QUERY = re.compile(r"(?P<head>[?&]password=)(?P<secret>[^&#\s'\"]*)", re.IGNORECASE)
_KEYWORD = re.compile(r"(?P<head>\bpassword\s*=\s*)(?P<secret>'(?:[^'\\]|\\.)*'|[^\s'\"&]+)",
                      re.IGNORECASE)

_KNOWN: set[str] = set()
"""Passwords seen in targets during this process (masked even where no pattern finds them)."""


def secrets_in(target: str) -> set[str]:
    """The passwords a PostgreSQL target (URL or keyword string) carries, raw and decoded."""
    found: set[str] = set()
    for pattern in (_USERINFO, _QUERY, _KEYWORD):
        for match in pattern.finditer(target):
            secret = match.group("secret")
            if len(secret) >= 2 and secret[0] == secret[-1] == "'":
                secret = secret[1:-1]
            found |= {secret, unquote(secret)}
    try:
        parts = urlsplit(target)
        if parts.password:
            found |= {parts.password, unquote(parts.password)}
        found |= {value for key, value in parse_qsl(parts.query) if key.lower() == "password"}
    except ValueError:
        pass
    return {secret for secret in found if secret}


def remember_secrets(target: str) -> None:
    """Mask this target's passwords in every later message of the process."""
    _KNOWN.update(secrets_in(target))


def redact(text: str) -> str:
    """``text`` with every password (URL, query parameter, keyword string, or one remembered
    from a target) replaced by ``***``."""
    secrets = _KNOWN | secrets_in(text)
    text = _USERINFO.sub(lambda m: f"{m.group('head')}{MASK}@", text)
    text = _QUERY.sub(lambda m: f"{m.group('head')}{MASK}", text)
    text = _KEYWORD.sub(lambda m: f"{m.group('head')}{MASK}", text)
    for secret in sorted(secrets - {MASK}, key=len, reverse=True):
        # A short password is masked only as a whole word, so "a" does not eat every letter.
        pattern = re.escape(secret) if len(secret) >= 4 else (
            rf"(?<![A-Za-z0-9]){re.escape(secret)}(?![A-Za-z0-9])")
        text = re.sub(pattern, MASK, text)
    return text
