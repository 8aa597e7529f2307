"""Control flow in a T-SQL script, read into a tree whose leaves are the statements.

SRS scripts loop over years and build statements as text: ``WHILE @y <= 2019 BEGIN SET @sql =
'INSERT INTO #c SELECT ... FROM [NPD_i2].[2002237].[spring_census_' + CAST(@y AS VARCHAR(4)) +
'] ...' EXEC(@sql) SET @y += 1 END``. The targets have no procedural layer, so the runner walks
this tree itself (conditions and the text of dynamic SQL computed by the target, branches and
loops by Python): ``BEGIN ... END`` blocks, ``IF ... [ELSE ...]``, ``WHILE``, ``BREAK``,
``CONTINUE``, ``RETURN``, ``EXEC (text)``, ``EXEC sp_executesql`` with parameters,
``INSERT INTO #t EXEC ...``, ``BEGIN TRY ... END TRY BEGIN CATCH ... END CATCH``,
``RAISERROR`` and ``THROW`` (``raised_errors``), transactions (``BEGIN TRAN``, ``COMMIT``,
``ROLLBACK``, ``SAVE TRAN``), cursors (``DECLARE c CURSOR FOR ...``, ``OPEN``, ``FETCH ...
INTO``, ``CLOSE``, ``DEALLOCATE``: ``cursors``) and the script's own stored procedures
(``CREATE [OR ALTER] PROCEDURE p @y INT, @min INT = 0 AS ...`` alone in its batch, ``EXEC p
2015``, ``EXEC p @y = 2015``, ``DROP PROCEDURE``), each run as dynamic SQL is, in a scope of
its own with its parameters.
Everything is read (and what cannot be translated refused) before anything runs; only the
text of dynamic SQL is read when it has been computed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from sqlglot import exp
from sqlglot.errors import ParseError
from sqlglot.tokens import Token, TokenType

from leo_synth.tsql import catalog_procedures, names, script, unsupported, user_functions
from leo_synth.tsql.errors import ScriptError

JUMPS = {"BREAK", "CONTINUE", "RETURN"}
CONDITION_ENDS = script.STARTERS | JUMPS | {"BEGIN"}
"""Words that end an IF's or WHILE's condition (at depth 0): its statement starts there."""
CATALOG_PROCEDURES = {
    "sp_helptext": "a view of the script shows its text as the script wrote it; sp_help, "
                   "sp_columns and INFORMATION_SCHEMA.COLUMNS list a relation's columns"}
"""Catalog procedures that cannot be translated, and what to write instead (sp_help,
sp_columns and sp_tables can: ``catalog_procedures``)."""
EXECUTE_SQL = "sp_executesql"
RENAME = "sp_rename"


@dataclass(frozen=True)
class _Placed:
    """Where a node stands: its batch (0-based) and first line (1-based), as a
    :class:`script.Statement`'s."""

    batch: int
    line: int


@dataclass(frozen=True)
class If(_Placed):
    """``IF condition then [ELSE otherwise]``."""

    condition: exp.Expression
    then: tuple[Node, ...]
    otherwise: tuple[Node, ...]


@dataclass(frozen=True)
class While(_Placed):
    """``WHILE condition body``."""

    condition: exp.Expression
    body: tuple[Node, ...]


@dataclass(frozen=True)
class Try(_Placed):
    """``BEGIN TRY body END TRY BEGIN CATCH handler END CATCH``."""

    body: tuple[Node, ...]
    handler: tuple[Node, ...]


@dataclass(frozen=True)
class Jump(_Placed):
    """``BREAK``, ``CONTINUE`` or ``RETURN`` (``word``)."""

    word: str


@dataclass(frozen=True)
class Exec(_Placed):
    """Dynamic SQL, or a procedure of the script: the expression giving its text; for
    ``sp_executesql`` the parameters' declarations (``N'@y INT, @s VARCHAR(9)'``) and values
    (by name, or None: by position); ``into`` the ``INSERT INTO #t [(columns)]`` its result
    sets go to."""

    sql: exp.Expression | None
    definitions: exp.Expression | None = None
    arguments: tuple[tuple[str | None, exp.Expression], ...] = ()
    into: exp.Insert | None = None
    procedure: str | None = None
    """A stored procedure the script made (lower case, its name's last part) that this EXEC
    runs with ``arguments``, instead of ``sql``."""
    outputs: tuple[int, ...] = ()
    """The positions in ``arguments`` of those marked ``OUTPUT`` (a variable each, given the
    parameter's value when the procedure or dynamic SQL ends)."""
    executesql: bool = False
    """Whether ``sp_executesql`` runs ``sql`` (which takes its text and parameters' only as
    Unicode: ``executesql_types``), not ``EXEC (...)``."""


@dataclass(frozen=True)
class CursorStep(_Placed):
    """A cursor's ``DECLARE name CURSOR ... FOR query``, ``OPEN``, ``FETCH direction FROM name
    INTO @a, ...``, ``CLOSE`` or ``DEALLOCATE`` (``action``; ``name`` in lower case)."""

    action: str
    name: str
    query: exp.Expression | None = None
    direction: str = "NEXT"
    into: tuple[str, ...] = ()
    static: bool = False
    """Whether a ``DECLARE`` says ``STATIC``, ``INSENSITIVE`` or ``KEYSET`` (whose rows SQL
    Server counts when it opens it: ``@@CURSOR_ROWS``)."""


@dataclass(frozen=True)
class Raise(_Placed):
    """``RAISERROR (message, severity, state [, argument ...])`` or ``THROW [number, message,
    state]`` (``word``); a bare ``THROW`` raises again the error its ``CATCH`` handles."""

    word: str
    arguments: tuple[exp.Expression, ...] = ()


@dataclass(frozen=True)
class Transaction(_Placed):
    """``BEGIN TRAN``, ``COMMIT``, ``ROLLBACK`` or ``SAVE TRAN`` (``action``: BEGIN, COMMIT,
    ROLLBACK or SAVE), with the transaction's or savepoint's ``name`` as written (brackets
    taken off; ``@name`` for one a variable holds), or None."""

    action: str
    name: str | None = None


@dataclass(frozen=True)
class Procedure(_Placed):
    """``CREATE [OR ALTER] PROCEDURE name [parameters] AS body`` (``action`` CREATE; ``ALTER``
    and ``OR ALTER`` replace one: ``replace``), or ``DROP PROCEDURE [IF EXISTS] name``
    (``action`` DROP, ``exists``). ``name`` is in lower case (its last part); ``shown`` as
    written. The parameters are read from their declarations (``@y INT, @s VARCHAR(9) =
    'x'``), the body into nodes once (their lines the script's), run at each ``EXEC``."""

    action: str
    name: str
    shown: str
    parameters: tuple[Parameter, ...] = ()
    body: tuple[Node, ...] = ()
    replace: bool = False
    exists: bool = False
    outputs: tuple[str, ...] = ()
    """The parameters declared ``OUTPUT`` (lower case)."""


@dataclass(frozen=True)
class Function(_Placed):
    """``CREATE [OR ALTER] FUNCTION name (parameters) RETURNS type AS BEGIN [DECLARE/SET ...]
    RETURN expression END`` (a scalar function: ``returns`` its type) or ``... RETURNS TABLE
    AS RETURN (query)`` (an inline table-valued function: ``returns`` None), which a statement
    that calls it has written in its place (``user_functions``); or ``DROP FUNCTION [IF
    EXISTS] name``. ``body`` is the expression it returns or the query, read once with the
    script."""

    action: str
    name: str
    shown: str
    parameters: tuple[Parameter, ...] = ()
    returns: exp.DataType | None = None
    body: exp.Expression | None = None
    replace: bool = False
    exists: bool = False


Parameter = tuple[str, exp.DataType | None, exp.Expression | None]
"""A declared parameter: its name (lower case, without @), type and default (or None)."""


OUTPUT_PARAMETER = re.compile(r"@(\w+)([^@]*?)\s+(?:OUTPUT|OUT)\b(?=\s*(?:,|$))",
                              re.IGNORECASE)
"""A parameter declared ``OUTPUT`` (``@n INT OUTPUT``, ``@n INT = 0 OUT``): its name, and its
declaration without the word."""


def outputs(text: str) -> tuple[str, ...]:
    """The parameters that ``text`` (``@y INT, @n INT OUTPUT``) declares ``OUTPUT``, in lower
    case without their @."""
    return tuple(match.group(1).lower() for match in OUTPUT_PARAMETER.finditer(text))


def declarations(text: str, line: int, what: str) -> tuple[Parameter, ...]:
    """The parameters declared by ``text`` (``@y INT, @min INT = 0``), of ``what`` (named in
    the error when they cannot be read)."""
    if not text.strip():
        return ()
    text = OUTPUT_PARAMETER.sub(r"@\1\2", text)  # (which are OUTPUT: :func:`outputs`)
    try:
        declare = script.TSQL.parse(f"DECLARE {text}")[0]
    except Exception as exc:  # (sqlglot's errors: not declarations)
        raise ScriptError(line, f"cannot read the parameter declarations of {what}") from exc
    return tuple((p.name.lower(), item.args.get("kind"), item.args.get("default") or None)
                 for item in declare.expressions
                 for p in (item.this if isinstance(item.this, list) else [item.this]))


TRANSACTION_WORDS = {"TRAN", "TRANSACTION", "WORK"}
RAISE_OPTIONS = {"NOWAIT", "LOG", "SETERROR"}
CURSOR_ACTIONS = {"OPEN", "FETCH", "CLOSE", "DEALLOCATE"}
FETCH_DIRECTIONS = {"NEXT", "PRIOR", "FIRST", "LAST"}

Node = (script.Statement | If | While | Try | Jump | Exec | CursorStep | Raise | Transaction
        | Procedure | Function)


def read(text: str) -> list[Node]:
    """Every batch's nodes, in order, after refusing what cannot be translated."""
    found: list[Node] = []
    for batch, body, tokens in script.batch_tokens(text):
        reader = _Reader(tokens, body, batch)
        if _starts_procedure(tokens, 0):
            found.append(reader.procedure())
            continue
        if _starts_procedure(tokens, 0, FUNCTION_WORDS):
            found.append(reader.function())
            continue
        unsupported.check(tokens)
        found += reader.block(0, len(tokens))
    return found


PROCEDURE_WORDS = {"PROC", "PROCEDURE"}
FUNCTION_WORDS = {"FUNCTION"}


def _starts_procedure(tokens: list[Token], i: int,
                      kinds: set[str] = PROCEDURE_WORDS) -> bool:
    """Whether tokens ``i`` on are ``CREATE [OR ALTER] PROC[EDURE]`` or ``ALTER PROC`` (or,
    with ``kinds`` FUNCTION_WORDS, the same of a ``FUNCTION``)."""
    words = [_word(t) for t in tokens[i:i + 4]]
    return (words[:1] in (["CREATE"], ["ALTER"]) and len(words) > 1 and (
        words[1] in kinds or (words[1:3] == ["OR", "ALTER"] and len(words) > 3
                              and words[3] in kinds)))


def walk(nodes: tuple[Node, ...] | list[Node]) -> list[Node]:
    """Every node, nested ones included, in the order of the script."""
    every: list[Node] = []
    for node in nodes:
        every.append(node)
        if isinstance(node, If):
            every += walk(node.then) + walk(node.otherwise)
        elif isinstance(node, While):
            every += walk(node.body)
        elif isinstance(node, Try):
            every += walk(node.body) + walk(node.handler)
    return every


def expressions(node: Node) -> list[exp.Expression]:
    """What ``node`` itself has the target compute: a statement's tree, a condition, dynamic
    SQL's text and arguments, a raised error's arguments, a cursor's query."""
    if isinstance(node, script.Statement):
        return [node.tree]
    if isinstance(node, If | While):
        return [node.condition]
    if isinstance(node, Exec):
        return [*([node.sql] if node.sql is not None else []),
                *(value for _, value in node.arguments)]
    if isinstance(node, Raise):
        return list(node.arguments)
    if isinstance(node, CursorStep) and node.query is not None:
        return [node.query]
    return []


def trees(nodes: tuple[Node, ...] | list[Node]) -> Iterator[exp.Expression]:
    """Every expression ``nodes`` have the target compute, their nested nodes' too."""
    return (tree for node in walk(nodes) for tree in expressions(node))


def _rename_statement(arguments: list[tuple[str | None, exp.Expression]], line: int) -> str:
    """``sp_rename 'table.column', 'new', 'COLUMN'`` or ``sp_rename 'table', 'new'`` as the
    ``ALTER TABLE ... RENAME`` every target has (SQL Server has only the procedure)."""
    named = {"objname": 0, "newname": 1, "objtype": 2}
    values: dict[int, str] = {}
    for position, (name, value) in enumerate(arguments):
        where = named.get(name, -1) if name is not None else position
        if where not in (0, 1, 2) or not (isinstance(value, exp.National) or (
                isinstance(value, exp.Literal) and value.is_string)):
            raise ScriptError(line, "sp_rename takes the old name, the new name and the kind "
                              "as strings here ('#t.col', 'new', 'COLUMN')")
        values[where] = value.name
    if 0 not in values or 1 not in values:
        raise ScriptError(line, "sp_rename needs the old name and the new name")
    parts = [p[1:-1] if p.startswith("[") else p
             for p in re.findall(r"\[[^\]]*\]|[^.]+", names.TEMPDB.sub("", values[0]).strip())]
    kind = values.get(2, "OBJECT").upper()
    if kind not in ("COLUMN", "OBJECT") or (kind == "COLUMN" and len(parts) < 2):
        raise ScriptError(line, f"sp_rename of {values[0]!r} as {kind} cannot be translated "
                          "(a table, or a column named 'table.column' with 'COLUMN', can)")
    new = _quoted(values[1].strip().strip("[]"))
    if kind == "COLUMN":
        table = ".".join(_quoted(p) for p in parts[:-1])
        return f"ALTER TABLE {table} RENAME COLUMN {_quoted(parts[-1])} TO {new}"
    return f"ALTER TABLE {'.'.join(_quoted(p) for p in parts)} RENAME TO {new}"


def _quoted(name: str) -> str:
    """A name as T-SQL writes any name (a #temp table's bare: brackets would hide the #)."""
    return name if name.startswith("#") else "[" + name.replace("]", "]]") + "]"


def _word(token: Token) -> str:
    return token.text.upper() if script.is_word(token) else ""


class _Reader:
    """Reads the nodes of one batch from its tokens (positions are token indexes)."""

    def __init__(self, tokens: list[Token], text: str, batch: int):
        self.tokens = tokens
        self.text = text
        self.batch = batch

    def block(self, start: int, stop: int) -> list[Node]:
        nodes: list[Node] = []
        i = start
        while i < stop:
            if self.tokens[i].token_type == TokenType.SEMICOLON:
                i += 1
                continue
            found, i = self.node(i, stop)
            nodes += found
        return nodes

    def node(self, i: int, stop: int) -> tuple[list[Node], int]:
        """The node starting at token ``i`` (a block gives its nodes) and where it ends."""
        token = self.tokens[i]
        word = _word(token)
        if word == "BEGIN" and i + 1 < stop and _word(self.tokens[i + 1]) == "TRY":
            return self._try(i, stop)
        if word in ("COMMIT", "ROLLBACK", "SAVE", script.BEGIN_TRANSACTION):
            return self._transaction(i, stop)
        if word in ("RAISERROR", "THROW"):
            return self._raise(i, stop)
        if word == "BEGIN":
            end = self._end_of_block(i, stop)
            return self.block(i + 1, end), end + 1
        if word in ("IF", "WHILE"):
            return self._branch(i, stop)
        if word in ("ELSE", "END"):
            raise ScriptError(token.line, f"{word} without {'IF' if word == 'ELSE' else 'BEGIN'}")
        if word in JUMPS:
            return [Jump(self.batch, token.line, word)], i + 1
        if word in ("EXEC", "EXECUTE") or (i == 0 and self._calls_system_procedure(stop)):
            node, end = self._exec(i, stop, None, bare=word not in ("EXEC", "EXECUTE"))
            return [node], end
        for kinds, shown in ((PROCEDURE_WORDS, "PROCEDURE"), (FUNCTION_WORDS, "FUNCTION")):
            if _starts_procedure(self.tokens, i, kinds):
                raise ScriptError(token.line, f"'CREATE/ALTER {shown}' must be the first "
                                  "statement in a query batch (end the batch before it with "
                                  "GO).")
        if word == "DROP" and i + 1 < stop and _word(self.tokens[i + 1]) in (
                PROCEDURE_WORDS | FUNCTION_WORDS):
            return self._drop_procedure(i, stop)
        if word in CURSOR_ACTIONS or (word == "DECLARE" and i + 2 < stop and (
                _word(self.tokens[i + 2]) == "CURSOR" or (  # (ISO: c INSENSITIVE SCROLL CURSOR)
                    _word(self.tokens[i + 2]) in ("INSENSITIVE", "SCROLL") and "CURSOR" in [
                        _word(t) for t in self.tokens[i + 3:min(i + 5, stop)]]))):
            step, end = self._cursor(i, stop)
            return [step], end
        end_of_statement = self._statement_stop(i, stop)
        if word == "PRINT":
            end = script.cuts(self.tokens[i:end_of_statement])[0] + i
            text = self._expression(i + 1, end, "the text PRINT shows")
            return [script.Statement(self.batch, token.line,
                                     exp.Command(this="PRINT", expression=text))], end
        chunk = self.tokens[i:end_of_statement]
        if word == "INSERT":
            into = self._insert_exec(chunk)
            if into is not None:
                node, end = self._exec(i + into[1], stop, into[0])
                return [node], end
        statement, taken = script.parse_statement(chunk, self.text, self.batch)
        return ([statement] if statement is not None else []), i + taken

    def procedure(self) -> Procedure:
        """The batch's ``CREATE PROCEDURE``: its name, its parameters' declarations (brackets
        around them dropped) and everything after its ``AS`` (options such as ``WITH
        RECOMPILE`` before it are read and not kept)."""
        tokens, token = self.tokens, self.tokens[0]
        replace = _word(token) == "ALTER" or _word(tokens[1]) == "OR"
        at = 4 if _word(tokens[1]) == "OR" else 2
        name, at = self._object_name(at, len(tokens), "the procedure")
        body = next((j for j in range(at, len(tokens)) if _word(tokens[j]) == "AS"
                     and sum(script.depth_change(t) for t in tokens[at:j]) == 0), None)
        if body is None or body + 1 >= len(tokens):
            raise ScriptError(token.line, "CREATE PROCEDURE needs AS and the procedure's body")
        end = next((j for j in range(at, body) if _word(tokens[j]) == "WITH"), body)
        first, last = at, end
        if first < last and tokens[first].token_type == TokenType.L_PAREN and (
                self._closing(first, last) == last - 1):
            first, last = first + 1, last - 1
        if any(_word(t) == "READONLY" for t in tokens[first:last]):
            raise ScriptError(token.line, "table-valued parameters of procedures cannot be "
                              "translated")
        declared = self._source(first, last) if first < last else ""
        parameters = declarations(declared, token.line, f"procedure {name}")
        start = tokens[body + 1]
        # (lines before the body kept as blank lines: its lines are the script's; what it
        # cannot translate stops the script before anything runs)
        nodes = read("\n" * (start.line - 1) + self.text[start.start:])
        return Procedure(self.batch, token.line, "CREATE", name.lower(), name, parameters,
                         tuple(nodes), replace, outputs=outputs(declared))

    def function(self) -> Function:
        """The batch's ``CREATE FUNCTION``: its name, parameters (in brackets), ``RETURNS``
        type and body: ``RETURN (query)`` for ``RETURNS TABLE``, else ``BEGIN ... RETURN
        expression END`` (:meth:`_scalar_body`)."""
        tokens, token = self.tokens, self.tokens[0]
        replace = _word(token) == "ALTER" or _word(tokens[1]) == "OR"
        name, at = self._object_name(4 if _word(tokens[1]) == "OR" else 2, len(tokens),
                                     "the function")
        if at >= len(tokens) or tokens[at].token_type != TokenType.L_PAREN:
            raise ScriptError(token.line, f"CREATE FUNCTION {name} needs its parameters in "
                              "brackets (empty for none)")
        close = self._closing(at, len(tokens))
        parameters = declarations(self._source(at + 1, close) if close > at + 1 else "",
                                  token.line, f"function {name}")
        words = [_word(t) for t in tokens]
        stop = len(tokens)
        while tokens[stop - 1].token_type == TokenType.SEMICOLON:
            stop -= 1
        if words[close + 1:close + 2] != ["RETURNS"] or "AS" not in words[close + 2:stop - 1]:
            raise ScriptError(token.line, f"CREATE FUNCTION {name} needs RETURNS and AS")
        if tokens[close + 2].text.startswith("@"):
            raise ScriptError(token.line, f"function {name}: functions that fill a table "
                              "variable (RETURNS @t TABLE) cannot be translated")
        body = words.index("AS", close + 2)
        typed = next((j for j in range(close + 2, body) if words[j] == "WITH"), body)
        if words[close + 2:typed] == ["TABLE"]:
            returns, result = None, self._table_query(body + 1, stop, name)
        else:
            try:
                returns = exp.DataType.build(self._source(close + 2, typed), dialect="tsql")
            except Exception as exc:  # (sqlglot's errors: not a type)
                raise ScriptError(token.line, f"function {name}: cannot read its RETURNS "
                                  "type") from exc
            result = self._scalar_body(body + 1, stop, name)
        return Function(self.batch, token.line, "CREATE", name.lower(), name, parameters,
                        returns, result, replace)

    def _function_refused(self, name: str) -> ScriptError:
        return ScriptError(self.tokens[0].line, f"function {name}: only a function whose body "
                           "sets its variables (DECLARE, SET) and returns one expression, or "
                           "returns a query (RETURNS TABLE AS RETURN), can be translated")

    def _table_query(self, start: int, stop: int, name: str) -> exp.Query:
        """An inline table-valued function's ``RETURN [(]query[)]``, tokens ``start`` on."""
        if _word(self.tokens[start]) != "RETURN" or start + 1 >= stop:
            raise self._function_refused(name)
        try:
            parsed = script.TSQL.parse(self._source(start + 1, stop))[0]
        except ParseError as exc:
            raise ScriptError(self.tokens[0].line, f"cannot parse the query of function "
                              f"{name}: {str(exc).splitlines()[0]}") from exc
        while isinstance(parsed, exp.Subquery):  # (RETURN (SELECT ...))
            parsed = parsed.this
        if not isinstance(parsed, exp.Query):
            raise self._function_refused(name)
        return parsed

    def _scalar_body(self, start: int, stop: int, name: str) -> exp.Expression:
        """A scalar function's ``BEGIN [DECLARE/SET ...] RETURN expression END``, tokens
        ``start`` on, as the one expression it returns (user_functions.composed)."""
        tokens = self.tokens
        if (_word(tokens[start]) != "BEGIN" or _word(tokens[stop - 1]) != "END"
                or self._end_of_block(start, stop) != stop - 1):
            raise self._function_refused(name)
        last = stop - 1
        while tokens[last - 1].token_type == TokenType.SEMICOLON:
            last -= 1
        depth, returned = 0, None
        for j in range(start + 1, last):  # (the last RETURN of the body's own level)
            if depth == 0 and _word(tokens[j]) == "RETURN":
                returned = j
            depth += script.depth_change(tokens[j])
        if returned is None:
            raise self._function_refused(name)
        value = self._expression(returned + 1, last, f"the value function {name} returns")
        steps = self.block(start + 1, returned) if returned > start + 1 else []
        result = user_functions.composed(
            [node.tree if isinstance(node, script.Statement) else None for node in steps], value)
        if result is None:
            raise self._function_refused(name)
        return result

    def _drop_procedure(self, i: int, stop: int) -> tuple[list[Node], int]:
        """``DROP PROC[EDURE] [IF EXISTS] name``, or ``DROP FUNCTION``'s."""
        token, at, exists = self.tokens[i], i + 2, False
        function = _word(self.tokens[i + 1]) in FUNCTION_WORDS
        if [_word(t) for t in self.tokens[at:at + 2]] == ["IF", "EXISTS"]:
            at, exists = at + 2, True
        what = "function" if function else "procedure"
        name, end = self._object_name(at, stop, f"the {what} to drop")
        kind = Function if function else Procedure
        return [kind(self.batch, token.line, "DROP", name.lower(), name, exists=exists)], end

    def _object_name(self, at: int, stop: int, what: str) -> tuple[str, int]:
        """A (possibly qualified) name's last part, and the token after it; a temporary
        procedure's (``#name``, ``##name``) with its hashes."""
        hashes, at = self._hashes(at, stop)
        if at >= stop or self.tokens[at].token_type not in (TokenType.VAR,
                                                            TokenType.IDENTIFIER):
            raise ScriptError(self.tokens[min(at, stop - 1)].line, f"{what} needs a name")
        while at + 2 < stop and self.tokens[at + 1].token_type == TokenType.DOT:
            at += 2
        return hashes + self.tokens[at].text, at + 1

    def _hashes(self, at: int, stop: int) -> tuple[str, int]:
        """The ``#`` or ``##`` that starts a temporary procedure's name at token ``at`` (the
        tokenizer's own tokens), and the token after them."""
        hashes = ""
        while at < stop and self.tokens[at].token_type == TokenType.HASH:
            hashes, at = hashes + "#", at + 1
        return hashes, at

    def _try(self, i: int, stop: int) -> tuple[list[Node], int]:
        """``BEGIN TRY ... END TRY`` and the ``BEGIN CATCH ... END CATCH`` it needs."""
        token = self.tokens[i]
        end = self._end_of_block(i, stop)
        if end + 1 >= stop or _word(self.tokens[end + 1]) != "TRY":
            raise ScriptError(token.line, "BEGIN TRY must end with END TRY")
        body = self.block(i + 2, end)
        catch = end + 2
        while catch < stop and self.tokens[catch].token_type == TokenType.SEMICOLON:
            catch += 1
        if not (catch + 1 < stop and _word(self.tokens[catch]) == "BEGIN"
                and _word(self.tokens[catch + 1]) == "CATCH"):
            raise ScriptError(token.line, "END TRY must be followed by BEGIN CATCH")
        close = self._end_of_block(catch, stop)
        if close + 1 >= stop or _word(self.tokens[close + 1]) != "CATCH":
            raise ScriptError(self.tokens[catch].line, "BEGIN CATCH must end with END CATCH")
        handler = self.block(catch + 2, close)
        return [Try(self.batch, token.line, tuple(body), tuple(handler))], close + 2

    def _transaction(self, i: int, stop: int) -> tuple[list[Node], int]:
        """``BEGIN [DISTRIBUTED] TRAN[SACTION] [name]``, ``COMMIT|ROLLBACK [TRAN|TRANSACTION|
        WORK] [name]``, ``SAVE TRAN[SACTION] name``."""
        token = self.tokens[i]
        j = i + 1
        while j < stop and _word(self.tokens[j]) in TRANSACTION_WORDS | {"DISTRIBUTED"}:
            j += 1
        name = None
        if j < stop and self.tokens[j].token_type == TokenType.PARAMETER:
            if j + 1 < stop:
                name = "@" + self.tokens[j + 1].text  # (a name held by a variable)
            j += 2
        elif j < stop and self.tokens[j].token_type != TokenType.SEMICOLON and (
                _word(self.tokens[j]) not in script.CUT_WORDS | {"END", "WITH"}):
            name = self.tokens[j].text  # the transaction's name
            j += 1
        if j < stop and _word(self.tokens[j]) == "WITH":  # WITH MARK ['description']
            j += 2 + (j + 2 < stop and self.tokens[j + 2].token_type == TokenType.STRING)
        return [Transaction(self.batch, token.line, _word(token).split()[0], name)], j

    def _raise(self, i: int, stop: int) -> tuple[list[Node], int]:
        """``RAISERROR (...) [WITH option, ...]`` or ``THROW [number, message, state]``."""
        token = self.tokens[i]
        word = _word(token)
        if word == "THROW":
            end = script.cuts(self.tokens[i:self._statement_stop(i, stop)])[0] + i
            arguments = [value for _, value in self._arguments(i + 1, end)]
            if len(arguments) not in (0, 3):
                raise ScriptError(token.line, "THROW takes a number, a message and a state, "
                                  "or nothing (in a CATCH block)")
            return [Raise(self.batch, token.line, word, tuple(arguments))], end
        if i + 1 >= stop or self.tokens[i + 1].token_type != TokenType.L_PAREN:
            raise ScriptError(token.line, "RAISERROR needs its arguments in brackets: "
                              "RAISERROR('message', 16, 1)")
        close = self._closing(i + 1, stop)
        arguments = [value for _, value in self._arguments(i + 2, close)]
        if len(arguments) < 3:
            raise ScriptError(token.line, "RAISERROR takes a message, a severity and a state")
        end = close + 1
        if end < stop and _word(self.tokens[end]) == "WITH":
            end += 1
            while end < stop and (_word(self.tokens[end]) in RAISE_OPTIONS
                                  or self.tokens[end].token_type == TokenType.COMMA):
                end += 1
        return [Raise(self.batch, token.line, word, tuple(arguments))], end

    def _cursor(self, i: int, stop: int) -> tuple[CursorStep, int]:
        """A cursor's statement (``CursorStep``)."""
        token = self.tokens[i]
        word = _word(token)
        end = script.cuts(self.tokens[i:self._statement_stop(i, stop)])[0] + i
        words = [_word(t) or t.text.upper() for t in self.tokens[i:end]]
        if word == "DECLARE":
            if "FOR" not in words:
                raise ScriptError(token.line, "DECLARE ... CURSOR needs FOR and its query")
            start = i + words.index("FOR") + 1
            query_end = self._statement_stop(start, stop)
            statement, taken = script.parse_statement(self.tokens[start:query_end], self.text,
                                                      self.batch)
            if statement is None or not isinstance(statement.tree, exp.Query):
                raise ScriptError(token.line, "a cursor's FOR must be followed by a query")
            static = bool({"STATIC", "INSENSITIVE", "KEYSET"} & set(words[:start - i]))
            return CursorStep(self.batch, token.line, "DECLARE", self.tokens[i + 1].text.lower(),
                              statement.tree, static=static), start + taken
        if word != "FETCH":
            if end != i + 2 or _word(self.tokens[i + 1]) in ("GLOBAL", ""):
                raise ScriptError(token.line, f"{word} needs the name of a cursor (alone)")
            return CursorStep(self.batch, token.line, word, self.tokens[i + 1].text.lower()), end
        return self._fetch(i, end), end

    def _fetch(self, i: int, end: int) -> CursorStep:
        """``FETCH [NEXT | PRIOR | FIRST | LAST] [FROM] name [INTO @a, @b, ...]``."""
        token = self.tokens[i]
        j, direction = i + 1, "NEXT"
        if j < end and _word(self.tokens[j]) in FETCH_DIRECTIONS:
            direction, j = _word(self.tokens[j]), j + 1
        elif j < end and _word(self.tokens[j]) in ("ABSOLUTE", "RELATIVE"):
            raise ScriptError(token.line, f"FETCH {_word(self.tokens[j])} cannot be translated "
                              f"(NEXT, PRIOR, FIRST and LAST can)")
        if {"ROW", "ROWS"} & {_word(t) for t in self.tokens[j:end]} and _word(
                self.tokens[end - 1]) == "ONLY":  # (another dialect's FETCH FIRST 5 ROWS ONLY)
            raise ScriptError(token.line, "Incorrect syntax near 'FETCH'. (T-SQL's FETCH NEXT "
                              "n ROWS ONLY follows ORDER BY ... OFFSET m ROWS; or write "
                              "SELECT TOP (n))")
        if j < end and _word(self.tokens[j]) == "FROM":
            j += 1
        if j >= end:
            raise ScriptError(token.line, "FETCH needs the name of a cursor")
        name, j = self.tokens[j].text.lower(), j + 1
        into: list[str] = []
        if j < end:
            if _word(self.tokens[j]) != "INTO":
                raise ScriptError(token.line, "FETCH ... FROM name must be followed by INTO "
                                  "@variables")
            for k in range(j + 1, end):
                kind = self.tokens[k].token_type
                if kind == TokenType.PARAMETER:
                    continue
                if kind == TokenType.COMMA:
                    continue
                into.append(self.tokens[k].text.lower())
        return CursorStep(self.batch, token.line, "FETCH", name, direction=direction,
                          into=tuple(into))

    def _statement_stop(self, i: int, stop: int) -> int:
        """The next semicolon at depth 0 (or ``stop``): a statement ends there at the latest."""
        depth = 0
        for j in range(i, stop):
            token = self.tokens[j]
            if depth == 0 and token.token_type == TokenType.SEMICOLON:
                return j
            depth += script.depth_change(token)
        return stop

    def _end_of_block(self, i: int, stop: int) -> int:
        """The ``END`` that closes the ``BEGIN`` at ``i``."""
        depth = 0
        for j in range(i, stop):
            depth += script.depth_change(self.tokens[j])
            if depth == 0:
                if _word(self.tokens[j]) != "END":
                    break  # (a bracket closed first: the BEGIN is unbalanced)
                return j
        raise ScriptError(self.tokens[i].line, "BEGIN without its END")

    def _branch(self, i: int, stop: int) -> tuple[list[Node], int]:
        """``IF condition node [ELSE node]`` or ``WHILE condition node``."""
        token = self.tokens[i]
        word = _word(token)
        body = script.cuts(self.tokens[i:stop], CONDITION_ENDS)[0] + i
        if body == i + 1:
            raise ScriptError(token.line, f"{word} needs a condition")
        if body >= stop:
            raise ScriptError(token.line, f"{word} needs a statement after its condition")
        condition = self._condition(i + 1, body)
        then, end = self._one(body, stop, token)
        if word == "WHILE":
            return [While(self.batch, token.line, condition, tuple(then))], end
        otherwise: list[Node] = []
        after = end
        while after < stop and self.tokens[after].token_type == TokenType.SEMICOLON:
            after += 1
        if after < stop and _word(self.tokens[after]) == "ELSE":
            otherwise, end = self._one(after + 1, stop, self.tokens[after])
        return [If(self.batch, token.line, condition, tuple(then), tuple(otherwise))], end

    def _one(self, i: int, stop: int, owner: Token) -> tuple[list[Node], int]:
        """The one statement or block an IF, ELSE or WHILE runs."""
        while i < stop and self.tokens[i].token_type == TokenType.SEMICOLON:
            i += 1
        if i >= stop:
            raise ScriptError(owner.line, f"{owner.text.upper()} needs a statement after it")
        return self.node(i, stop)

    def _source(self, start: int, stop: int) -> str:
        """The script's text of tokens ``start`` to ``stop`` (exclusive)."""
        return self.text[self.tokens[start].start:self.tokens[stop - 1].end + 1]

    def _expression(self, start: int, stop: int, what: str) -> exp.Expression:
        """The expression in tokens ``start`` to ``stop``, parsed alone."""
        line = self.tokens[min(start, len(self.tokens) - 1)].line
        if start >= stop:
            raise ScriptError(line, f"{what} is missing")
        try:
            tree = script.TSQL.parse(f"SELECT {self._source(start, stop)}")[0]
        except ParseError as exc:
            raise ScriptError(line, f"cannot parse {what}: "
                              f"{str(exc).splitlines()[0]}") from exc
        if not isinstance(tree, exp.Select) or len(tree.selects) != 1 or tree.args.get("from_"):
            raise ScriptError(line, f"cannot parse {what}")
        return tree.selects[0]

    def _condition(self, start: int, stop: int) -> exp.Expression:
        line = self.tokens[start].line
        try:
            tree = script.TSQL.parse(f"SELECT 1 WHERE {self._source(start, stop)}")[0]
        except ParseError as exc:
            raise ScriptError(line, f"cannot parse the condition: "
                              f"{str(exc).splitlines()[0]}") from exc
        where = tree.args.get("where") if isinstance(tree, exp.Select) else None
        if where is None or tree.args.get("order") or tree.args.get("group"):
            raise ScriptError(line, "cannot parse the condition")
        return where.this

    def _insert_exec(self, chunk: list[Token]) -> tuple[exp.Insert, int] | None:
        """``INSERT INTO #t [(columns)]`` before an ``EXEC``, and where the EXEC is."""
        cut = next((c for c in script.cuts(chunk) if c < len(chunk)
                    and _word(chunk[c]) in ("EXEC", "EXECUTE")), None)
        if cut is None:
            return None
        try:
            tree = script.parser().parse(chunk[:cut], self.text)[0]
        except ParseError:
            return None
        return (tree, cut) if isinstance(tree, exp.Insert) and script.incomplete(tree) else None

    def _exec(self, i: int, stop: int, into: exp.Insert | None, bare: bool = False
              ) -> tuple[Exec, int]:
        """``EXEC (text)`` or ``EXEC sp_executesql text [, N'@p type, ...' [, values]]``; with
        ``bare``, token ``i`` is the procedure's name (a batch's first statement may call one
        without ``EXEC``)."""
        token = self.tokens[i]
        following = self.tokens[i + 1] if i + 1 < stop else None
        if not bare and following is not None and following.token_type == TokenType.L_PAREN:
            close = self._closing(i + 1, stop)
            sql = self._expression(i + 2, close, "the text EXEC runs")
            return Exec(self.batch, token.line, sql, into=into), close + 1
        hashes, name = self._hashes(i if bare else i + 1, stop)  # (#procedure: a temporary one)
        # (a procedure's qualified name, sys.sp_executesql or tempdb..sp_rename: its last part)
        while name + 1 < stop and self.tokens[name + 1].token_type == TokenType.DOT:
            name += 1
            while name + 1 < stop and self.tokens[name].token_type == TokenType.DOT:
                name += 1
        if name < stop and self.tokens[name].text.lower() == RENAME:
            end = script.cuts(self.tokens[name:self._statement_stop(name, stop)])[0] + name
            sql = _rename_statement(self._arguments(name + 1, end), token.line)
            return Exec(self.batch, token.line, exp.Literal.string(sql)), end
        shown = hashes + self.tokens[name].text if name < stop else ""
        if shown.lower() in catalog_procedures.PARAMETERS:
            end = script.cuts(self.tokens[name:self._statement_stop(name, stop)])[0] + name
            sql = catalog_procedures.statement(
                shown.lower(), self._arguments(name + 1, end), token.line)
            return Exec(self.batch, token.line, sql, into=into), end
        if name < stop and self.tokens[name].token_type == TokenType.PARAMETER:
            raise ScriptError(token.line, "EXEC @status = procedure: return codes cannot be "
                              "translated (EXEC (@sql) runs the text of a variable)")
        if name >= stop or self.tokens[name].token_type not in (TokenType.VAR,
                                                                TokenType.IDENTIFIER):
            raise ScriptError(token.line, f"EXEC {shown}: cannot be translated (a procedure "
                              "the script made, EXEC (@sql) and EXEC sp_executesql can)")
        end = script.cuts(self.tokens[name:self._statement_stop(name, stop)])[0] + name
        if shown.lower() != EXECUTE_SQL:
            if shown.lower() in CATALOG_PROCEDURES or shown.lower().startswith(("sp_", "xp_")):
                instead = CATALOG_PROCEDURES.get(
                    shown.lower(), "dynamic SQL can: EXEC (@sql), EXEC sp_executesql")
                raise ScriptError(token.line, f"EXEC {shown}: SQL Server's own procedures "
                                  f"cannot be translated ({instead})")
            marked: list[int] = []
            return Exec(self.batch, token.line, None, None,
                        tuple(self._arguments(name + 1, end, marked)), into, shown.lower(),
                        tuple(marked)), end
        marked = []
        arguments = self._arguments(name + 1, end, marked)
        if not arguments or arguments[0][0] is not None:
            raise ScriptError(token.line, "sp_executesql needs the text to run first")
        definitions = arguments[1][1] if len(arguments) > 1 else None
        if definitions is not None and not isinstance(definitions, exp.Literal | exp.National):
            raise ScriptError(token.line, "sp_executesql's parameter declarations must be "
                              "a string here (N'@y INT, ...')")
        return Exec(self.batch, token.line, arguments[0][1], definitions,
                    tuple(arguments[2:]), into, outputs=tuple(k - 2 for k in marked if k >= 2),
                    executesql=True), end

    def _calls_system_procedure(self, stop: int) -> bool:
        """Whether the batch starts by naming one of SQL Server's procedures without ``EXEC``
        (``sp_help 'KS4Pupil_2015_to_2021'``, ``tempdb..sp_help '#t'``), as T-SQL allows a
        batch's first statement to."""
        j = 0
        while j + 1 < stop and self.tokens[j + 1].token_type == TokenType.DOT:
            j += 1
            while j + 1 < stop and self.tokens[j].token_type == TokenType.DOT:
                j += 1
        return self.tokens[j].token_type in (TokenType.VAR, TokenType.IDENTIFIER) and (
            self.tokens[j].text.lower().startswith(("sp_", "xp_")))

    def _closing(self, i: int, stop: int) -> int:
        depth = 0
        for j in range(i, stop):
            depth += script.depth_change(self.tokens[j])
            if depth == 0:
                return j
        raise ScriptError(self.tokens[i].line, "a bracket is not closed")

    def _arguments(self, start: int, stop: int, marked: list[int] | None = None
                   ) -> list[tuple[str | None, exp.Expression]]:
        """Comma-separated arguments, each ``value`` or ``@name = value``; with ``marked``,
        ``@variable OUTPUT`` too (its position noted there)."""
        if stop <= start:
            return []
        found: list[tuple[str | None, exp.Expression]] = []
        first, depth = start, 0
        for j in range(start, stop + 1):
            if j < stop and not (depth == 0 and self.tokens[j].token_type == TokenType.COMMA):
                depth += script.depth_change(self.tokens[j])
                continue
            named = (j - first > 3 and self.tokens[first].token_type == TokenType.PARAMETER
                     and self.tokens[first + 2].token_type == TokenType.EQ)
            last = j
            if marked is not None and j - 1 > first and _word(self.tokens[j - 1]) in (
                    "OUTPUT", "OUT"):
                last = j - 1
                marked.append(len(found))
            if any(_word(t) in ("OUTPUT", "OUT") for t in self.tokens[first:last]):
                raise ScriptError(self.tokens[first].line,
                                  "OUTPUT parameters cannot be translated here")
            if named:
                found.append((self.tokens[first + 1].text.lower(),
                              self._expression(first + 3, last, "a parameter's value")))
            else:
                found.append((None, self._expression(first, last, "an argument")))
            if len(found) - 1 in (marked or []) and not isinstance(found[-1][1], exp.Parameter):
                raise ScriptError(self.tokens[first].line, "an OUTPUT argument must be a "
                                  "variable (@n OUTPUT)")
            first = j + 1
        return found
