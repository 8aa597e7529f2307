"""What cannot be translated, found in the tokens before anything runs.

leo-synth runs a script statement by statement on engines without T-SQL's procedural layer
(``IF``, ``WHILE``, ``TRY``, ``RAISERROR``, transactions, cursors and dynamic SQL it walks
itself: ``blocks``), so session counters other than those the runner keeps (``COUNTERS``),
stored procedures and a few constructs none of the targets share are refused with one line
naming the construct and its line. Strings, bracketed names and comments never match (the
tokenizer has already told them apart).
"""

from __future__ import annotations

from sqlglot.tokens import Token, TokenType

from leo_synth.tsql.errors import ScriptError

REFUSED = {
    "GOTO": "GOTO cannot be translated",
    "PROCEDURE": "stored procedures cannot be translated",
    "PROC": "stored procedures cannot be translated",
    "FUNCTION": "user-defined functions cannot be translated",
    "TRIGGER": "triggers cannot be translated",
    "OPENROWSET": "OPENROWSET cannot be translated",
    "OPENQUERY": "OPENQUERY cannot be translated",
    "BULK": "BULK INSERT cannot be translated",
    "WAITFOR": "WAITFOR cannot be translated",
}

COUNTERS = {"ROWCOUNT", "FETCH_STATUS", "ERROR", "TRANCOUNT", "DATEFIRST", "LANGUAGE",
            "VERSION", "SERVERNAME", "SPID"}
"""The session counters a script may read (``runner``)."""


def _is_word(token: Token) -> bool:
    return token.token_type not in (TokenType.STRING, TokenType.IDENTIFIER,
                                    TokenType.NATIONAL_STRING)


def check(found: list[Token]) -> None:
    """Raise a :class:`ScriptError` for the first construct that cannot be translated."""
    for i, token in enumerate(found):
        word = token.text.upper()
        if (token.token_type == TokenType.PARAMETER and i + 1 < len(found)
                and found[i + 1].token_type == TokenType.PARAMETER):
            name = found[i + 2].text.upper() if i + 2 < len(found) else ""
            if name not in COUNTERS:
                raise ScriptError(token.line, f"@@{name} (a session counter) cannot be "
                                  f"translated")
        if _is_word(token) and word in REFUSED:
            raise ScriptError(token.line, REFUSED[word])
        if word in ("CHECKSUM", "BINARY_CHECKSUM") and [t.token_type for t in found[
                i + 1:i + 4]] == [TokenType.L_PAREN, TokenType.STAR, TokenType.R_PAREN]:
            raise ScriptError(token.line, f"{word}(*) cannot be translated: name the columns, "
                              "as in CHECKSUM(pmr, TaxYear)")
