"""Indexes declared inside a table's definition (SQL Server 2014 on), left out.

A table variable takes no ``CREATE INDEX``, so analysts declare its indexes with its columns:
``DECLARE @t TABLE (pmr VARCHAR(30), yr INT, INDEX ix_yr (yr))``, or on one column,
``yr INT INDEX ix_yr``; ``CREATE TABLE #t (...)`` takes them too, with ``CLUSTERED`` or
``NONCLUSTERED``, ``INCLUDE (...)``, a filter (``WHERE ...``) and ``WITH (...)`` options.
sqlglot read the table-level form as a column named ``INDEX`` of a type named after the index
(every target stopped: "near "B": syntax error", "type "ix_yr" does not exist") and could not
parse the column-level one. How SQL Server finds rows changes no answer, so the index is left
out where it is declared; a ``UNIQUE`` one still refuses a key twice, as a ``UNIQUE (...)``
constraint on its columns.
"""

from __future__ import annotations

from sqlglot.tokens import Token, TokenType

_NAME_PARTS = {TokenType.VAR, TokenType.IDENTIFIER, TokenType.DOT, TokenType.HASH,
               TokenType.PARAMETER}
"""Tokens of a table's name between ``TABLE`` and its bracket (``[dbo].#t``, ``#t``)."""
_OPEN, _CLOSE = {TokenType.L_PAREN, TokenType.L_BRACKET}, {TokenType.R_PAREN,
                                                              TokenType.R_BRACKET}


def _defines_table(kept: list[Token]) -> bool:
    """Whether a bracket opened after ``kept`` holds a table's definition: it follows
    ``TABLE`` (``DECLARE @t TABLE (``), or ``TABLE`` and the table's name (``CREATE TABLE
    #t (``)."""
    j = len(kept) - 1
    while j >= 0 and kept[j].token_type in _NAME_PARTS:
        j -= 1
    return j >= 0 and kept[j].token_type == TokenType.TABLE


def _element_end(found: list[Token], i: int) -> int:
    """Where the element of a definition's list that holds ``found[i]`` ends: the comma or
    closing bracket after it at its depth."""
    depth = 0
    while i < len(found):
        kind = found[i].token_type
        if depth == 0 and (kind == TokenType.COMMA or kind in _CLOSE):
            return i
        depth += (kind in _OPEN) - (kind in _CLOSE)
        i += 1
    return i


def _unique_columns(found: list[Token], start: int, end: int) -> list[Token]:
    """``UNIQUE (columns)`` for a ``UNIQUE`` index between ``start`` and ``end``, else
    nothing."""
    words = [t.text.upper() for t in found[start:end]]
    if "UNIQUE" not in words:
        return []
    opened = next((i for i in range(start, end) if found[i].token_type == TokenType.L_PAREN),
                  None)
    if opened is None:
        return []
    depth, close = 0, opened
    for close in range(opened, end):
        depth += (found[close].token_type in _OPEN) - (found[close].token_type in _CLOSE)
        if depth == 0:
            break
    return [found[start + words.index("UNIQUE")], *(  # (a constraint's columns have no order)
        t for t in found[opened:close + 1] if t.token_type not in (TokenType.ASC,
                                                                   TokenType.DESC))]


def without(found: list[Token]) -> list[Token]:
    """The tokens without the indexes declared in tables' definitions (a ``UNIQUE`` one as a
    ``UNIQUE (...)`` constraint)."""
    kept: list[Token] = []
    defining: list[bool] = []  # (for each bracket open: whether it holds a definition)
    i = 0
    while i < len(found):
        token = found[i]
        if (token.token_type == TokenType.INDEX and defining and defining[-1]
                and i + 1 < len(found) and found[i + 1].token_type in (
                    TokenType.VAR, TokenType.IDENTIFIER)):
            end = _element_end(found, i + 1)
            own = kept[-1].token_type in (TokenType.COMMA, TokenType.L_PAREN)
            unique = _unique_columns(found, i + 2, end) if own else []
            if own and not unique:  # (an element of its own: its comma goes with it)
                if kept[-1].token_type == TokenType.COMMA:
                    kept.pop()
                elif end < len(found) and found[end].token_type == TokenType.COMMA:
                    end += 1
            kept.extend(unique)
            i = end
            continue
        if token.token_type in _OPEN:
            defining.append(token.token_type == TokenType.L_PAREN and _defines_table(kept))
        elif token.token_type in _CLOSE and defining:
            defining.pop()
        kept.append(token)
        i += 1
    return kept
