"""Split a T-SQL script into batches (``GO``) and statements, each with its line number.

T-SQL needs no semicolon between statements (``SELECT ... INTO #t FROM x`` then ``SELECT *
FROM #t`` on the next line), which sqlglot's parser does not accept: it wants one statement per
semicolon-separated chunk. So a chunk is cut at the keywords that can start a statement (at
bracket depth 0) and the shortest prefix that parses is taken as one statement: a cut inside a
statement (``UNION SELECT``, ``WITH c AS (...) SELECT``, ``INSERT INTO #t SELECT``) leaves a
prefix that does not parse, and the next cut is tried.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokens import Token, TokenType

from leo_synth.tsql.errors import ScriptError

TSQL = Dialect.get_or_raise("tsql")
GO_LINE = re.compile(r"^\s*GO\s*(?:--.*)?;?\s*$", re.IGNORECASE)
STARTERS = {"SELECT", "WITH", "INSERT", "UPDATE", "DELETE", "DROP", "CREATE", "DECLARE", "SET",
            "IF", "PRINT", "USE", "TRUNCATE", "ALTER", "EXEC", "EXECUTE", "WHILE", "MERGE"}
OPENERS = {TokenType.L_PAREN, TokenType.L_BRACKET}
CLOSERS = {TokenType.R_PAREN, TokenType.R_BRACKET}
NAMES = {TokenType.IDENTIFIER, TokenType.STRING, TokenType.NATIONAL_STRING}  # [EXEC], 'SET'


# sqlglot logs a warning when it falls back to an opaque Command; we report those ourselves.
logging.getLogger("sqlglot").setLevel(logging.ERROR)


@dataclass(frozen=True)
class Statement:
    """One parsed T-SQL statement: its batch (0-based), first line (1-based) and tree."""

    batch: int
    line: int
    tree: exp.Expression


def batches(text: str) -> list[tuple[int, str]]:
    """The script's batches as (first line, text); ``GO`` alone on a line separates them."""
    found: list[tuple[int, str]] = []
    start, lines = 1, []
    for number, line in enumerate(text.splitlines(), start=1):
        if GO_LINE.match(line):
            found.append((start, "\n".join(lines)))
            start, lines = number + 1, []
        else:
            lines.append(line)
    found.append((start, "\n".join(lines)))
    return [(first, body) for first, body in found if body.strip()]


def tokens(text: str, first_line: int = 1) -> list[Token]:
    """sqlglot's T-SQL tokens of ``text`` (comments dropped), lines counted from the script's."""
    try:
        found = TSQL.tokenize(text)
    except TokenError as exc:
        raise ScriptError(first_line, f"cannot read the script: {exc}") from exc
    for token in found:
        token.line += first_line - 1
    return found


def _without_hints(found: list[Token]) -> list[Token]:
    """The tokens without table hints, ``WITH (NOLOCK)``, ``INSERT INTO #t WITH (TABLOCK)``:
    they steer SQL Server's locks and plans and mean nothing to the read-only targets, and
    sqlglot parses them only after a table of a FROM clause. Every ``WITH (`` is one (a common
    table expression is ``WITH name AS``); the hint runs to its closing bracket."""
    kept: list[Token] = []
    i = 0
    while i < len(found):
        token = found[i]
        if (token.text.upper() == "WITH" and token.token_type not in NAMES
                and i + 1 < len(found) and found[i + 1].token_type == TokenType.L_PAREN):
            depth, i = 0, i + 1
            while i < len(found):
                depth += {TokenType.L_PAREN: 1, TokenType.R_PAREN: -1}.get(
                    found[i].token_type, 0)
                i += 1
                if depth == 0:
                    break
            continue
        kept.append(token)
        i += 1
    return kept


def _cuts(chunk: list[Token]) -> list[int]:
    """Indexes where a statement may start: statement keywords at depth 0 (outside brackets,
    CASE ... END and BEGIN ... END)."""
    depth, cuts = 0, []
    for i, token in enumerate(chunk):
        word = token.text.upper()
        if token.token_type in OPENERS or word in ("CASE", "BEGIN"):
            depth += 1
        elif token.token_type in CLOSERS or word == "END":
            depth -= 1
        elif i and depth == 0 and word in STARTERS and token.token_type not in NAMES:
            cuts.append(i)
    return [*cuts, len(chunk)]


def _parse(chunk: list[Token], text: str) -> exp.Expression | None:
    parsed = TSQL.parser().parse(chunk, text)
    return parsed[0] if parsed else None


def _incomplete(tree: exp.Expression | None) -> bool:
    """A prefix that parses but lacks its body: ``INSERT INTO #t`` before ``SELECT``,
    ``UPDATE #t`` before ``SET``."""
    return ((isinstance(tree, exp.Insert) and tree.expression is None)
            or (isinstance(tree, exp.Update) and not tree.expressions))


def _drop_if_exists(chunk: list[Token], text: str) -> tuple[exp.Drop, int]:
    """The classic idiom ``IF OBJECT_ID('tempdb..#t') IS NOT NULL [BEGIN] DROP TABLE #t [END]``
    as ``DROP TABLE IF EXISTS #t``, and the tokens it took. Any other IF is refused: the
    translation runs statements, not control flow."""
    words = [token.text.upper() for token in chunk]
    drop = words.index("DROP") if "DROP" in words else -1
    condition = words[1:drop]
    block = bool(condition) and condition[-1] == "BEGIN"
    condition = condition[:-1] if block else condition
    if (drop < 0 or len(condition) < 7 or condition[:2] != ["OBJECT_ID", "("]
            or condition[-4:] != [")", "IS", "NOT", "NULL"]):
        raise ScriptError(chunk[0].line, "IF is not supported (only the idiom IF OBJECT_ID('"
                          "tempdb..#t') IS NOT NULL DROP TABLE #t; write DROP TABLE IF EXISTS #t)")
    ends = [c + drop for c in _cuts(chunk[drop:]) if c > 0]
    end = words.index("END", drop) if block and "END" in words[drop:] else ends[0]
    tree = _parse(chunk[drop:end], text)
    if not isinstance(tree, exp.Drop):
        raise ScriptError(chunk[0].line, "IF OBJECT_ID(...) IS NOT NULL must be followed by "
                          "DROP TABLE")
    tree.set("exists", True)
    return tree, end + 1 if block else end


def _split_chunk(chunk: list[Token], text: str, batch: int) -> list[Statement]:
    statements, start = [], 0
    while start < len(chunk):
        if chunk[start].text.upper() == "IF":
            tree, taken = _drop_if_exists(chunk[start:], text)
            statements.append(Statement(batch, chunk[start].line, tree))
            start += taken
            continue
        error: ParseError | None = None
        cuts = [c for c in _cuts(chunk[start:]) if c > 0]
        for end in cuts:
            try:
                tree = _parse(chunk[start:start + end], text)
            except ParseError as exc:
                error = exc
                continue
            if _incomplete(tree) and end != cuts[-1]:
                continue
            if tree is not None:
                statements.append(Statement(batch, chunk[start].line, tree))
            start += end
            break
        else:
            detail = str(error).splitlines()[0] if error else "cannot parse"
            raise ScriptError(chunk[start].line, f"cannot parse the statement: {detail}")
    return statements


def statements(text: str) -> list[Statement]:
    """Every statement of the script, in order."""
    found: list[Statement] = []
    for batch, (first_line, body) in enumerate(batches(text)):
        chunk: list[Token] = []
        for token in [*_without_hints(tokens(body, first_line)), None]:
            if token is None or token.token_type == TokenType.SEMICOLON:
                found += _split_chunk(chunk, body, batch)
                chunk = []
            else:
                chunk.append(token)
    return found
