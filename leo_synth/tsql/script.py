"""Split a T-SQL script into batches (``GO``) and read one statement, with its line number.

T-SQL needs no semicolon between statements (``SELECT ... INTO #t FROM x`` then ``SELECT *
FROM #t`` on the next line), which sqlglot's parser does not accept: it wants one statement per
semicolon-separated chunk. So a chunk is cut at the keywords that can start a statement (at
bracket depth 0) and the shortest prefix that parses is taken as one statement: a cut inside a
statement (``UNION SELECT``, ``WITH c AS (...) SELECT``, ``INSERT INTO #t SELECT``) leaves a
prefix that does not parse, and the next cut is tried. Control flow around the statements
(``IF``, ``WHILE``, ``BEGIN ... END``, ``EXEC``) is read by ``blocks``.
"""

from __future__ import annotations

import itertools
import logging
import re
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokens import Token, TokenType

from leo_synth.tsql import (
    added_defaults,
    culture_formats,
    date_names,
    ignored_duplicates,
    inline_indexes,
)
from leo_synth.tsql.dialect_habits import TOP_AND_OFFSET
from leo_synth.tsql.errors import ScriptError, output_refused

TSQL = Dialect.get_or_raise("tsql")
GO_LINE = re.compile(r"^\s*GO(?:\s+(\d+))?\s*(?:--.*)?;?\s*$", re.IGNORECASE)
STARTERS = {"SELECT", "WITH", "INSERT", "UPDATE", "DELETE", "DROP", "CREATE", "DECLARE", "SET",
            "IF", "PRINT", "USE", "TRUNCATE", "ALTER", "EXEC", "EXECUTE", "WHILE", "MERGE",
            "OPEN", "FETCH", "CLOSE", "DEALLOCATE", "RAISERROR", "THROW", "COMMIT", "ROLLBACK",
            "SAVE", "BEGIN TRANSACTION"}
BEGIN_TRANSACTION = "BEGIN TRANSACTION"
"""How the ``BEGIN`` of a transaction is spelt once read (``_transaction_begins``)."""
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
    """The script's batches as (first line, text); ``GO`` alone on a line separates them,
    and ``GO n`` runs the batch before it n times. A ``GO`` inside a block comment or a
    string is neither (scripts comment out whole sections, their ``GO`` lines with them)."""
    found: list[tuple[int, str]] = []
    start, lines = 1, []
    state = _Scan()
    for number, line in enumerate(text.splitlines(), start=1):
        go = GO_LINE.match(line) if state.outside() else None
        if go:
            found += [(start, "\n".join(lines))] * max(int(go[1] or 1), 1)
            start, lines = number + 1, []
        else:
            lines.append(line)
            state.read(line)
    found.append((start, "\n".join(lines)))
    return [(first, body) for first, body in found if body.strip()]


class _Scan:
    """Whether the text read so far ends inside a block comment (T-SQL nests them) or a
    string: what a ``GO`` line is read in."""

    def __init__(self) -> None:
        self.comments = 0
        self.quote = ""

    def outside(self) -> bool:
        return not self.comments and not self.quote

    def read(self, line: str) -> None:
        i = 0
        while i < len(line):
            pair = line[i:i + 2]
            if self.quote:
                if line[i] == self.quote:
                    self.quote = ""  # (a doubled quote closes and opens again)
            elif pair == "/*":
                self.comments, i = self.comments + 1, i + 1
            elif self.comments:
                if pair == "*/":
                    self.comments, i = self.comments - 1, i + 1
            elif pair == "--":
                return
            elif line[i] in "'\"[":
                self.quote = "]" if line[i] == "[" else line[i]
            i += 1


class _Tokenizer(TSQL.tokenizer_class):  # type: ignore[name-defined,misc]
    """T-SQL's tokenizer without "commands": sqlglot reads everything after ``PRINT``, or after
    an ``END`` that follows a semicolon, up to the next semicolon as one string (so ``...; END``
    swallowed the statements after the block). Statements here end where they parse."""

    COMMANDS: ClassVar[set[TokenType]] = set()


CULTURE_STYLES = {"en-us": 101, "en-gb": 103, "en-ie": 103, "en-au": 103, "en-nz": 103,
                  "fr-fr": 103, "es-es": 103, "it-it": 103, "de-de": 104, "ja-jp": 111,
                  "zh-cn": 111}
"""``PARSE``'s cultures by ``CONVERT``'s style for the same order of a date's parts
(``en-GB``: day first, 103; ``en-US``: month first, 101; ``ja-JP``: year first, 111)."""


def _precise(moment: exp.Expression) -> exp.Expression:
    """``moment`` as ``SYSDATETIME()`` and ``SYSUTCDATETIME()`` give it: a ``DATETIME2(7)``."""
    return exp.cast(moment, exp.DataType.build("DATETIME2(7)", dialect="tsql"))


class _Parser(TSQL.parser_class):  # type: ignore[name-defined,misc]
    """T-SQL's parser, reading a variable's name that :func:`tokens` marked as a name (so
    that ``@end`` is no keyword to the statement splitting) as sqlglot reads any other."""

    FUNCTIONS: ClassVar[dict[str, Any]] = {
        **TSQL.parser_class.FUNCTIONS,
        # SQUARE is a float whatever its argument (sqlglot read it as POWER(x, 2), which
        # has x's type: argument_types would then make SQUARE(2.5) the DECIMAL(38, 1) 6.3)
        "SQUARE": lambda args: exp.Pow(
            this=exp.cast(args[0], exp.DataType.build("FLOAT", dialect="tsql")),
            expression=exp.Literal.number(2)),
        # a standard date format in the culture given (sqlglot's were en-US's)
        "FORMAT": culture_formats.build_format,
        # a number's DATENAME is its DATEPART's text (sqlglot's pattern padded it)
        "DATENAME": date_names.build_datename,
        # the moment in a DATETIME2(7), GETDATE()'s and GETUTCDATE()'s in a DATETIME (sqlglot
        # read SYSDATETIME() as GETDATE(): converted to text, it had three places, not seven)
        "SYSDATETIME": lambda args: _precise(exp.CurrentTimestamp()),
        "SYSUTCDATETIME": lambda args: _precise(exp.Anonymous(this="SYSUTCDATETIME"))}

    # &, ^ and | rank with + and - in T-SQL, read left to right: a & b + c is (a & b) + c
    # (sqlglot ranked them below, reading a & (b + c)); bitwise_operators writes them so
    TERM: ClassVar[dict[Any, Any]] = {**TSQL.parser_class.TERM, **TSQL.parser_class.BITWISE}

    FUNCTION_PARSERS: ClassVar[dict[str, Any]] = {
        **TSQL.parser_class.FUNCTION_PARSERS,
        "PARSE": lambda self: self._parse_culture(safe=False),
        "TRY_PARSE": lambda self: self._parse_culture(safe=True)}

    def _parse_culture(self, safe: bool) -> exp.Convert:
        """``[TRY_]PARSE(x AS type [USING 'culture'])`` (sqlglot could not read it) as
        ``[TRY_]CONVERT(type, x, style)``: a date's text read in the culture's order of day
        and month (``CULTURE_STYLES``), with no culture in the session's; a number as
        ``CONVERT`` reads it."""
        value = self._parse_bitwise()
        self._match(TokenType.ALIAS)
        to = self._parse_types()
        culture = self._parse_string() if self._match(TokenType.USING) else None
        style = None
        if culture is not None and isinstance(to, exp.DataType) and to.is_type(
                *exp.DataType.TEMPORAL_TYPES):
            style = CULTURE_STYLES.get(culture.name.lower())
            if style is None:
                self.raise_error(f"PARSE ... USING '{culture.name}' cannot be translated (the "
                                 f"cultures it can: {', '.join(sorted(CULTURE_STYLES))})")
        return exp.Convert(this=to, expression=value, safe=safe or None,
                           style=exp.Literal.number(style) if style else None)

    def _parse_parameter(self) -> exp.Parameter:
        parameter = super()._parse_parameter()
        name = parameter.this
        if isinstance(name, exp.Identifier) and name.quoted:
            parameter.set("this", exp.Var(this=name.name))
        return parameter

    def _parse_update(self) -> exp.Update:
        """``UPDATE TOP (n) #t SET ...`` (sqlglot reads no TOP there): n kept as the update's
        ``limit`` (``row_identity`` updates n of the rows)."""
        if not self._match(TokenType.TOP):
            return super()._parse_update()
        count = self._parse_wrapped(self._parse_term)
        if self._match(TokenType.PERCENT):
            self.raise_error("UPDATE TOP (n) PERCENT cannot be translated (UPDATE TOP (n) can)")
        update = super()._parse_update()
        update.set("limit", exp.Limit(expression=count))
        return update


def parser() -> Any:
    """A parser of the chunks of :func:`tokens`."""
    return _Parser(dialect=TSQL)


def tokens(text: str, first_line: int = 1) -> list[Token]:
    """sqlglot's T-SQL tokens of ``text`` (comments dropped), lines counted from the script's."""
    try:
        found = _Tokenizer(dialect=TSQL).tokenize(text)
    except TokenError as exc:
        raise ScriptError(first_line, f"cannot read the script: {exc}") from exc
    for i, token in enumerate(found):
        token.line += first_line - 1
        if i and found[i - 1].token_type == TokenType.PARAMETER and (
                token.token_type not in (TokenType.PARAMETER, *NAMES)):
            # a variable's name (@end, @begin, @case) is no keyword: read as END it closed a
            # block that never opened, and every statement after it ran as one, silently
            token.token_type = TokenType.IDENTIFIER
        elif i and found[i - 1].token_type == TokenType.HASH and (
                found[i - 1].end + 1 == token.start) and token.token_type != TokenType.HASH and (
                token.text.isidentifier()):
            # a #temp table's name (#values, #union, #inner) is no keyword: sqlglot read the
            # keyword after the # and stopped ("Expected table name"), and #insert began a
            # statement (a name: no keyword to the statement splitting either)
            token.token_type = TokenType.IDENTIFIER
        elif token.token_type == TokenType.IDENTIFIER and token.text.lower() == "0x" and (
                token.end - token.start == 1):
            # 0x, the empty binary value (FFT test ILR ids with ukprn_anon <> 0x): sqlglot
            # read it as a column named 0x ([0x], bracketed, is one)
            token.token_type, token.text = TokenType.HEX_STRING, ""
    return found


def _without_hints(found: list[Token]) -> list[Token]:
    """The tokens without table hints, ``WITH (NOLOCK)``, ``INSERT INTO #t WITH (TABLOCK)``:
    they steer SQL Server's locks and plans and mean nothing to the read-only targets, and
    sqlglot parses them only after a table of a FROM clause. Every ``WITH (`` is one (a common
    table expression is ``WITH name AS``); the hint runs to its closing bracket. A key's
    ``WITH (IGNORE_DUP_KEY = ON)`` is kept (alone of its options): it changes what an INSERT
    puts in the table (``ignored_duplicates``)."""
    kept: list[Token] = []
    i = 0
    while i < len(found):
        token = found[i]
        if (token.text.upper() == "WITH" and token.token_type not in NAMES
                and i + 1 < len(found) and found[i + 1].token_type == TokenType.L_PAREN):
            depth, start, i = 0, i, i + 1
            while i < len(found):
                depth += {TokenType.L_PAREN: 1, TokenType.R_PAREN: -1}.get(
                    found[i].token_type, 0)
                i += 1
                if depth == 0:
                    break
            kept += _ignored_duplicates(found[start:i])
            continue
        kept.append(token)
        i += 1
    return kept


def _ignored_duplicates(hint: list[Token]) -> list[Token]:
    """Of a ``WITH (...)`` group, ``WITH (IGNORE_DUP_KEY = ON)`` when it sets that option (its
    tokens), else nothing."""
    words = [t.text.upper() for t in hint]
    if "IGNORE_DUP_KEY" not in words:
        return []
    at = words.index("IGNORE_DUP_KEY")
    if words[at + 1:at + 2] != ["="] or at + 2 >= len(hint):
        return []
    return [*hint[:2], *hint[at:at + 3], hint[-1]]


ISOLATION_LEVELS = (("READ", "UNCOMMITTED"), ("READ", "COMMITTED"), ("REPEATABLE", "READ"),
                    ("SNAPSHOT",), ("SERIALIZABLE",))


def _without_isolation_levels(found: list[Token]) -> list[Token]:
    """The tokens without ``SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED`` (and the other
    levels), which SRS scripts often start with: how SQL Server locks means nothing to the
    read-only targets, and sqlglot does not parse it."""
    words = [t.text.upper() if is_word(t) else "" for t in found]
    kept: list[Token] = []
    i = 0
    while i < len(found):
        if words[i:i + 4] == ["SET", "TRANSACTION", "ISOLATION", "LEVEL"]:
            level = next((lv for lv in ISOLATION_LEVELS
                          if tuple(words[i + 4:i + 4 + len(lv)]) == lv), None)
            if level is not None:
                i += 4 + len(level)
                continue
        kept.append(found[i])
        i += 1
    return kept


NAME_PARTS = {TokenType.VAR, TokenType.IDENTIFIER, TokenType.DOT, TokenType.HASH,
              TokenType.NUMBER}
"""Tokens of a table's name as ``UPDATE STATISTICS`` gives it (``[NPD_i2].dbo.#t ix``)."""
MAINTENANCE_OPTIONS = {"FULLSCAN", "SAMPLE", "RESAMPLE", "NORECOMPUTE", "NO_INFOMSGS",
                       "ALL_ERRORMSGS", "TABLERESULTS", "PERCENT", "ROWS", "ALL", "COLUMNS",
                       "INDEX", "PERSIST_SAMPLE_PERCENT"}
"""Words of the ``WITH`` options of ``UPDATE STATISTICS`` and ``DBCC``."""


def _maintenance_end(found: list[Token], words: list[str], i: int) -> int | None:
    """Where a statement that looks after the server ends, if one starts at ``i``:
    ``CHECKPOINT``, ``DBCC FREEPROCCACHE``, ``DBCC SHRINKFILE (tempdev, 1024) WITH
    NO_INFOMSGS``, ``UPDATE STATISTICS #t [ix] WITH FULLSCAN``, ``CREATE STATISTICS st ON #t
    (a, b) WITH FULLSCAN``, and those of :func:`_upkeep_end`."""
    if words[i] == "CHECKPOINT":
        j = i + 1
        return j + 1 if j < len(found) and found[j].token_type == TokenType.NUMBER else j
    if words[i] == "DBCC" and i + 1 < len(found):
        j = i + 2
        if words[i + 1] == "CHECKIDENT" and "RESEED" in words[j:j + 8]:
            # (it changes the numbers later rows get: dropped, it gave other answers)
            raise ScriptError(found[i].line, "DBCC CHECKIDENT ... RESEED cannot be translated "
                              "(TRUNCATE TABLE starts an identity again from its seed; SET "
                              "IDENTITY_INSERT ... ON gives rows numbers of their own)")
    elif words[i:i + 2] == ["CREATE", "STATISTICS"] and words[i + 3:i + 4] == ["ON"]:
        j = _name_end(found, words, i + 4)  # then its columns, then its options
    elif words[i] in ("ALTER", "DROP") and i + 1 < len(found):
        return _upkeep_end(found, words, i)
    elif words[i] == "UPDATE STATISTICS" and i + 1 < len(found):  # (one token to sqlglot)
        j = _name_end(found, words, i + 1)  # the table's name, then an index's on its line
    else:
        return None
    j = _balanced_end(found, j)
    if j + 1 < len(found) and words[j] == "WITH" and words[j + 1] in MAINTENANCE_OPTIONS:
        j += 1
        while j < len(found) and (words[j] in MAINTENANCE_OPTIONS or found[j].token_type in (
                TokenType.COMMA, TokenType.NUMBER, TokenType.EQ)):
            j += 1
    return j


INDEX_UPKEEP = {"REBUILD", "REORGANIZE"}
"""What ``ALTER INDEX`` does that leaves an index as it was, only better kept: no answer
changes (``DISABLE``, which makes a table unreadable, is not among them)."""


def _balanced_end(found: list[Token], j: int) -> int:
    """Where the brackets opening at ``j`` close (just after), or ``j`` if none open there."""
    if j >= len(found) or found[j].token_type != TokenType.L_PAREN:
        return j
    depth = 0
    while j < len(found):
        depth += depth_change(found[j])
        j += 1
        if depth == 0:
            break
    return j


def _name_end(found: list[Token], words: list[str], j: int) -> int:
    """Where a table's name (``#t``, ``[NPD_i2].dbo.t``, ``#t.st``) that starts at ``j``
    ends, on the line it starts on."""
    start = j
    while j < len(found) and (found[j].token_type in NAME_PARTS or words[j] == "#") and (
            words[j] not in ("WITH", "ON", *INDEX_UPKEEP, *STARTERS) or j == start) and (
            found[j].line == found[start].line):
        j += 1
    return j


def _upkeep_end(found: list[Token], words: list[str], i: int) -> int | None:
    """Where a statement that keeps an index or statistics ends, if one starts at ``i``:
    ``ALTER INDEX ix ON #t REBUILD``, ``ALTER INDEX ALL ON #t REORGANIZE`` (with
    ``PARTITION = ALL`` and ``WITH (...)`` options), ``DROP STATISTICS #t.st`` (``CREATE
    STATISTICS`` is read as ``UPDATE STATISTICS`` is). SQL Server keeps its indexes and plans
    by them; the rows and so the answers stay as they were. Any other form is left to sqlglot
    (``ALTER INDEX ... DISABLE``: not translated)."""
    j = i + 2
    if words[i:i + 2] == ["ALTER", "INDEX"] and j + 1 < len(found) and words[j + 1] == "ON":
        j = _name_end(found, words, j + 2)
        if j >= len(found) or words[j] not in INDEX_UPKEEP:
            return None
        j += 1
        if words[j:j + 2] == ["PARTITION", "="]:
            j += 3
        if words[j:j + 1] == ["WITH"]:
            j = _balanced_end(found, j + 1)
        return j
    if words[i:i + 2] == ["DROP", "STATISTICS"]:
        j = _name_end(found, words, j)
        while j + 1 < len(found) and found[j].token_type == TokenType.COMMA:
            j = _name_end(found, words, j + 1)
        return j
    return None


def _without_maintenance(found: list[Token]) -> list[Token]:
    """The tokens without statements that look after the server (``CHECKPOINT``, ``DBCC``,
    ``UPDATE STATISTICS``), which scripts run against a full tempdb: they change no answer,
    and sqlglot parses none of them (``DBCC CHECKIDENT`` with ``RESEED``, which changes
    answers, stops the script)."""
    words = [t.text.upper() if is_word(t) else "" for t in found]
    kept: list[Token] = []
    i = 0
    while i < len(found):
        end = _maintenance_end(found, words, i) if not kept or kept[-1].token_type != (
            TokenType.DOT) else None
        if end is not None:
            i = end
            continue
        kept.append(found[i])
        i += 1
    return kept


def _without_filegroups(found: list[Token]) -> list[Token]:
    """The tokens without where SQL Server keeps a table or index, as SSMS scripts a table:
    ``) ON [PRIMARY]``, ``TEXTIMAGE_ON [PRIMARY]``, ``FILESTREAM_ON ...``. A filegroup's
    ``ON`` follows a closing bracket and names no column (a join's ``ON`` follows a table or
    its alias)."""
    kept: list[Token] = []
    i = 0
    while i < len(found):
        word = found[i].text.upper() if is_word(found[i]) else ""
        name = i + 1 < len(found) and found[i + 1].token_type in (
            TokenType.VAR, TokenType.IDENTIFIER, TokenType.STRING)
        after = found[i + 2] if i + 2 < len(found) else None
        if word in ("TEXTIMAGE_ON", "FILESTREAM_ON") and name:
            i += 2
            continue
        if word == "ON" and name and kept and kept[-1].token_type == TokenType.R_PAREN and (
                after is None or after.token_type in (TokenType.R_PAREN, TokenType.SEMICOLON)
                or after.line != found[i + 1].line
                or (is_word(after) and after.text.upper() in ("TEXTIMAGE_ON", "FILESTREAM_ON",
                                                             *STARTERS))):
            i += 2
            continue
        kept.append(found[i])
        i += 1
    return kept


def _without_index_kinds(found: list[Token]) -> list[Token]:
    """The tokens without ``CLUSTERED`` or ``NONCLUSTERED`` after ``PRIMARY KEY`` or
    ``UNIQUE`` (``CONSTRAINT pk PRIMARY KEY CLUSTERED (id)``): how SQL Server stores a key
    changes no answer, and sqlglot parses the word in few of the places T-SQL allows it."""
    kept: list[Token] = []
    for token in found:
        if (is_word(token) and token.text.upper() in ("CLUSTERED", "NONCLUSTERED") and kept
                and is_word(kept[-1]) and kept[-1].text.upper().split()[-1] in ("KEY", "UNIQUE")):
            continue
        kept.append(token)
    return kept


def _transaction_begins(found: list[Token]) -> list[Token]:
    """The tokens with each ``BEGIN`` of ``BEGIN TRAN``, ``BEGIN TRANSACTION`` or ``BEGIN
    DISTRIBUTED TRAN`` spelt ``BEGIN TRANSACTION``: it opens no block (no ``END`` closes it)."""
    for token, following in itertools.pairwise(found):
        if (is_word(token) and token.text.upper() == "BEGIN" and is_word(following)
                and following.text.upper() in ("TRAN", "TRANSACTION", "DISTRIBUTED")):
            token.text = BEGIN_TRANSACTION
    return found


CUT_WORDS = STARTERS | {"ELSE", "BEGIN", "BREAK", "CONTINUE", "RETURN"}
"""Words a statement cannot run past: statement keywords and control flow (``blocks``)."""


def is_word(token: Token) -> bool:
    """A keyword or name as written, not a string or a quoted name (``[EXEC]``, ``'SET'``)."""
    return token.token_type not in NAMES


def depth_change(token: Token) -> int:
    """+1 for a token that opens brackets, ``CASE`` or ``BEGIN``; -1 for one that closes."""
    word = token.text.upper() if is_word(token) else ""
    if token.token_type in OPENERS or word in ("CASE", "BEGIN"):
        return 1
    if token.token_type in CLOSERS or word == "END":
        return -1
    return 0


def cuts(chunk: list[Token], words: frozenset[str] | set[str] = CUT_WORDS) -> list[int]:
    """Indexes where a statement may end: ``words`` at depth 0 (outside brackets,
    CASE ... END and BEGIN ... END), and the end of the chunk."""
    depth, found = 0, []
    for i, token in enumerate(chunk):
        if i and depth == 0 and is_word(token) and token.text.upper() in words and not (
                _totals(chunk, i) or _offset_fetch(chunk, i) or _merge_action(chunk, i)
                or _create_or_alter(chunk, i)):
            found.append(i)
        depth += depth_change(token)
    return [*found, len(chunk)]


def _merge_action(chunk: list[Token], i: int) -> bool:
    """``INSERT``, ``UPDATE`` or ``DELETE`` after a MERGE clause's ``THEN``, or ``SET`` after
    its ``UPDATE``: the clause's action, not a statement."""
    word, before = chunk[i].text.upper(), chunk[i - 1].text.upper()
    return (word in ("INSERT", "UPDATE", "DELETE") and before == "THEN") or (
        word == "SET" and before == "UPDATE")


def _create_or_alter(chunk: list[Token], i: int) -> bool:
    """``ALTER`` in ``CREATE OR ALTER``: one statement, not two."""
    return (chunk[i].text.upper() == "ALTER" and i > 1 and chunk[i - 1].text.upper() == "OR"
            and chunk[i - 2].text.upper() == "CREATE")


def _offset_fetch(chunk: list[Token], i: int) -> bool:
    """``FETCH`` at ``i`` after ``OFFSET n ROWS``: a query's paging, not a cursor's FETCH."""
    return chunk[i].text.upper() == "FETCH" and chunk[i - 1].text.upper() in ("ROWS", "ROW")


def _totals(chunk: list[Token], i: int) -> bool:
    """``WITH ROLLUP`` or ``WITH CUBE`` at ``i``: the end of a GROUP BY, and ``WITH TIES``
    after ``TOP n``: not a statement's common table expressions; nor is ``WITH (`` (an
    index's ``WITH (IGNORE_DUP_KEY = ON)``, the one such group kept: ``_without_hints``)."""
    return (chunk[i].text.upper() == "WITH" and i + 1 < len(chunk)
            and (chunk[i + 1].text.upper() in ("ROLLUP", "CUBE", "TIES")
                 or chunk[i + 1].token_type == TokenType.L_PAREN))


def _parse(chunk: list[Token], text: str) -> exp.Expression | None:
    """The one statement of ``chunk``: tokens that hold more (past a semicolon) are refused, as
    running the first alone would drop the others without a word."""
    words = [t.text.upper() if is_word(t) else "" for t in chunk]
    if words[:2] == ["CREATE", "SCHEMA"] and "AUTHORIZATION" in words:
        # (its owner: the session's tables are the script's whoever owns the schema)
        chunk = chunk[:words.index("AUTHORIZATION")]
    default = _column_default(chunk, words, text)
    if default is not None:
        return default
    settings = _setting_list(chunk, words)
    if settings is not None:
        return settings
    parsed = [tree for tree in parser().parse(chunk, text) if tree is not None]
    if len(parsed) > 1:
        raise ParseError("more than one statement where one was expected")
    return _method_subqueries(parsed[0]) if parsed else None


def _method_subqueries(tree: exp.Expression) -> exp.Expression:
    """The tree with each subquery that a method is called on (``(SELECT ',' + x FROM t FOR
    XML PATH(''), TYPE).value('.', 'NVARCHAR(MAX)')``) parsed again on its own: sqlglot reads
    the columns of such a subquery as bare identifiers, which no pass takes for columns (a
    derived table in it had "no column name", its GROUP BY only outer references)."""
    for dot in list(tree.find_all(exp.Dot)):
        if isinstance(dot.this, exp.Subquery) and isinstance(dot.expression, exp.Anonymous):
            sql = dot.this.sql(dialect="tsql")
            again = parser().parse(tokens(sql), sql)[0]
            if again is not None:
                dot.set("this", again)
    return tree


def _setting_list(chunk: list[Token], words: list[str]) -> exp.Set | None:
    """``SET ANSI_NULLS, ANSI_WARNINGS, QUOTED_IDENTIFIER ON``, options listed with commas as
    scripts' headers set them (sqlglot parses one option at a time), as a ``SET`` of each;
    None for any other statement."""
    while chunk and chunk[-1].token_type == TokenType.SEMICOLON:
        chunk, words = chunk[:-1], words[:-1]
    if len(chunk) < 5 or words[0] != "SET" or words[-1] not in ("ON", "OFF"):
        return None
    names = chunk[1:-1:2]
    if not all(t.token_type == TokenType.COMMA for t in chunk[2:-1:2]) or not all(
            words[1:-1:2]) or len(chunk) % 2 == 0:
        return None
    return exp.Set(expressions=[exp.SetItem(this=exp.EQ(
        this=exp.column(name.text), expression=exp.var(words[-1]))) for name in names])


def _with_values(tree: exp.Expression | None, after: list[Token]) -> int:
    """How many tokens ``WITH VALUES`` after an ``ALTER TABLE t ADD c INT DEFAULT 0`` takes
    (2, the statement marked for ``added_defaults``; sqlglot read them as the start of a
    common table expression), else 0."""
    if not isinstance(tree, exp.Alter) or [t.text.upper() for t in after[:2]] != [
            "WITH", "VALUES"]:
        return 0
    tree.meta[added_defaults.WITH_VALUES] = True
    return 2


def _column_default(chunk: list[Token], words: list[str], text: str) -> exp.Alter | None:
    """``ALTER TABLE t ADD [CONSTRAINT DF_t_c] DEFAULT (0) FOR c``, as SSMS scripts a table
    (sqlglot does not parse it), as the ``ALTER TABLE t ALTER COLUMN c SET DEFAULT (0)`` it
    parses; None for any other statement."""
    if words[:2] != ["ALTER", "TABLE"] or "DEFAULT" not in words or "FOR" not in words:
        return None
    while chunk and chunk[-1].token_type == TokenType.SEMICOLON:
        chunk, words = chunk[:-1], words[:-1]
    add, default = words.index("ADD") if "ADD" in words else -1, words.index("DEFAULT")
    named = words[add + 1] == "CONSTRAINT" and add + 3 == default
    if add < 3 or not (named or add + 1 == default):
        return None
    depth, end = 0, None
    for i in range(default + 1, len(chunk)):
        if depth == 0 and words[i] == "FOR":
            end = i
            break
        depth += depth_change(chunk[i])
    if end is None or end + 1 >= len(chunk) or end == default + 1:
        return None

    def span(first: int, last: int) -> str:
        return text[chunk[first].start:chunk[last].end + 1]

    tree = TSQL.parse(f"ALTER TABLE {span(2, add - 1)} ALTER COLUMN "
                      f"{span(end + 1, len(chunk) - 1)} SET DEFAULT {span(default + 1, end - 1)}")
    return tree[0] if len(tree) == 1 and isinstance(tree[0], exp.Alter) else None


def incomplete(tree: exp.Expression | None) -> bool:
    """A prefix that parses but lacks its body: ``INSERT INTO #t`` before ``SELECT``,
    ``UPDATE #t`` before ``SET``, ``ALTER TABLE #t`` before ``ALTER COLUMN``, ``CREATE VIEW v
    AS`` before its ``SELECT`` or ``WITH``."""
    return ((isinstance(tree, exp.Insert) and tree.expression is None
             and not tree.args.get("default"))  # (INSERT INTO #t DEFAULT VALUES is whole)
            or (isinstance(tree, exp.Create) and tree.expression is None
                and str(tree.args.get("kind")).upper() == "VIEW")
            or (isinstance(tree, exp.Update) and not tree.expressions)
            or (isinstance(tree, exp.Command) and tree.name.upper() == "ALTER"))


COMPOUND = {TokenType.PLUS: exp.Add, TokenType.DASH: exp.Sub, TokenType.STAR: exp.Mul,
            TokenType.SLASH: exp.Div, TokenType.MOD: exp.Mod}
"""``SET @x += e`` and its kin, which sqlglot does not parse, by their operator's token."""


def _compound(chunk: list[Token]) -> type[exp.Binary] | None:
    """The operator of ``SET @x op= e`` (tokens SET, @, x, op, =, with op touching =)."""
    if (len(chunk) > 5 and chunk[0].token_type == TokenType.SET
            and chunk[1].token_type == TokenType.PARAMETER
            and chunk[3].token_type in COMPOUND and chunk[4].token_type == TokenType.EQ
            and chunk[3].end + 1 == chunk[4].start):
        return COMPOUND[chunk[3].token_type]
    return None


def _parse_compound(chunk: list[Token], text: str, operator: type[exp.Binary]
                    ) -> exp.Expression | None:
    """``SET @x op= e`` parsed as ``SET @x = @x op (e)``."""
    tree = _parse([*chunk[:3], *chunk[4:]], text)
    if isinstance(tree, exp.Set) and isinstance(tree.expressions[0].this, exp.EQ):
        assignment = tree.expressions[0].this
        assignment.set("expression", operator(this=assignment.this.copy(),
                                              expression=exp.paren(assignment.expression)))
    return tree


def _without_nullability(chunk: list[Token]) -> list[Token]:
    """``ALTER TABLE t ALTER COLUMN c INT NOT NULL`` without its ``[NOT] NULL``, which
    sqlglot does not parse with a type (the statement is skipped: ``translate``)."""
    if not chunk or chunk[0].text.upper() != "ALTER" or not any(
            t.text.upper() == "COLUMN" for t in chunk):
        return chunk
    if chunk[-1].text.upper() == "NULL":
        return chunk[:-2] if len(chunk) > 1 and chunk[-2].text.upper() == "NOT" else chunk[:-1]
    return chunk


def parse_statement(chunk: list[Token], text: str, batch: int) -> tuple[Statement | None, int]:
    """The statement at the start of ``chunk`` (tokens of ``text``) and how many tokens it
    takes: the shortest prefix up to a cut that parses (None for a prefix that is empty)."""
    error: ParseError | None = None
    ends = [c for c in cuts(chunk) if c > 0]
    for end in ends:
        operator = _compound(chunk[:end])
        try:
            tree = (_parse_compound(chunk[:end], text, operator) if operator
                    else _parse(_without_nullability(chunk[:end]), text))
        except ParseError as exc:
            error = exc
            continue
        if incomplete(tree) and end != ends[-1]:
            continue
        if end == len(chunk) and _unbalanced(chunk):
            # (sqlglot closes what the script left open: SELECT CONVERT(VARCHAR(30), 1 ran)
            raise ScriptError(chunk[0].line, f"Incorrect syntax near '{chunk[-1].text}'.")
        dangling = _dangling_comma(chunk[:end])
        if dangling is not None:
            raise ScriptError(chunk[0].line, dangling)
        end += _with_values(tree, chunk[end:])
        return (Statement(batch, chunk[0].line, tree) if tree is not None else None), end
    if _top_beside_fetch(chunk):
        raise ScriptError(chunk[0].line, TOP_AND_OFFSET)
    if chunk and chunk[0].text.upper() in ("DELETE", "UPDATE", "INSERT", "MERGE") and any(
            t.text.upper() == "OUTPUT" for t in chunk[1:]):
        # (sqlglot reads no OUTPUT before a DELETE's WHERE, nor a MERGE's OUTPUT $action
        # INTO @log (...): said as translate says the OUTPUT it reads)
        raise output_refused(chunk[0].text.upper(), chunk[0].line)
    detail = str(error).splitlines()[0] if error else "cannot parse"
    raise ScriptError(chunk[0].line, f"cannot parse the statement: {detail}")


CLAUSE_WORDS = frozenset({"FROM", "WHERE", "GROUP", "ORDER", "HAVING", "UNION", "EXCEPT",
                          "INTERSECT", "INTO", "OPTION"})
"""Keywords that start a clause, which no list item can be (``SELECT a, FROM t``)."""


def _dangling_comma(chunk: list[Token]) -> str | None:
    """SQL Server's error 102 for a comma with no item after it in a statement (``SELECT a,
    b, FROM t``, a list's last ``,`` before ``)`` or the statement's end), which sqlglot
    read as if the comma were not there: the targets ran a statement the SRS refuses. A
    table's definition may end its columns with one (``CREATE TABLE #t (a INT, )``,
    ``DECLARE @t TABLE (...)``), as SQL Server allows: those statements are not checked."""
    if chunk and chunk[0].text.upper() in ("CREATE", "ALTER", "DECLARE"):
        return None
    for token, after in zip(chunk, [*chunk[1:], None], strict=True):
        if token.token_type != TokenType.COMMA:
            continue
        if after is None:
            return "Incorrect syntax near ','."
        if after.token_type in CLOSERS | {TokenType.SEMICOLON}:
            return f"Incorrect syntax near '{after.text}'."
        if is_word(after) and after.text.upper() in CLAUSE_WORDS:
            return f"Incorrect syntax near the keyword '{after.text}'."
    return None


def _unbalanced(chunk: list[Token]) -> bool:
    """Whether the brackets of ``chunk`` do not pair up (one left open, as in a statement
    cut short, or one closed that was not opened): SQL Server's error 102 at its end."""
    depth = 0
    for token in chunk:
        depth += (token.token_type in OPENERS) - (token.token_type in CLOSERS)
        if depth < 0:
            return True
    return depth != 0


def _top_beside_fetch(chunk: list[Token]) -> bool:
    """Whether a query of ``chunk`` has ``TOP`` beside ``OFFSET ... FETCH`` (at one depth of
    brackets), which sqlglot cannot parse: SQL Server's error 10741 (``dialect_habits``
    raises it for ``TOP`` beside an ``OFFSET`` alone, which parses)."""
    depth, seen = 0, set()
    for token in chunk:
        depth += depth_change(token)
        if is_word(token) and token.text.upper() in ("TOP", "OFFSET", "FETCH"):
            seen.add((depth, token.text.upper()))
    return any({(d, "TOP"), (d, "OFFSET"), (d, "FETCH")} <= seen for d, _ in seen)


def batch_tokens(text: str) -> list[tuple[int, str, list[Token]]]:
    """Each batch's number, text and tokens (lines counted from the script's; table hints
    dropped)."""
    return [(number, body, _transaction_begins(ignored_duplicates.named_uniques(
        _without_index_kinds(inline_indexes.without(_without_filegroups(_without_hints(
            _without_maintenance(_without_isolation_levels(tokens(body, first_line))))))))))
            for number, (first_line, body) in enumerate(batches(text))]
