"""Run a T-SQL script against an opened target, statement by statement.

Everything is read and checked before anything runs: constructs that cannot be translated
(``unsupported``) and statements that do not parse stop the script with one line naming their
line. Then the script's nodes (``blocks``) are walked: IF and WHILE conditions are computed by
the target, each statement is translated and run, and dynamic SQL (``EXEC``) is read and run
in a scope of its own. ``DECLARE``/``SET`` variables live until the next ``GO`` (as in SQL
Server) and hold values computed by the target, substituted into later statements as literals
(``variables``); so is ``@@ROWCOUNT``, the rows the last statement returned or changed
(:meth:`Runner.statement`). A backend error stops the script with the statement's line.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlglot import exp

from leo_synth.errors import LeoSynthError
from leo_synth.tsql import (
    added_defaults,
    blocks,
    compile_errors,
    cursors,
    datetime_display,
    decimal_scales,
    executesql_types,
    identity_reads,
    identity_values,
    json_results,
    merges,
    missing_columns,
    names,
    raised_errors,
    script,
    server_databases,
    star_headings,
    table_variable_forms,
    variables,
)
from leo_synth.tsql.errors import (
    ScriptError,
    ambiguous_column,
    as_unique_key,
    respelt_null_column,
    unknown_column,
    unknown_qualifier,
)
from leo_synth.tsql.row_identity import ROW_IDS
from leo_synth.tsql.target_dialects import target_sql
from leo_synth.tsql.targets import ResultSet, Target, quote
from leo_synth.tsql.transactions import SessionCopies, Transactions
from leo_synth.tsql.translate import (
    CURSOR_ROWS,
    ERROR,
    FETCH_STATUS,
    ROWCOUNT,
    SESSION,
    TRANCOUNT,
    WRITES,
    Translation,
    Translator,
    counter,
    session_key,
    written_key,
)

T = TypeVar("T")

MAX_LOOPS = 10_000
"""Times a WHILE loop's body may run before the script is stopped (a condition that never
turns false would otherwise run for ever)."""
IGNORED_SETTINGS = {"NOCOUNT", "ANSI_NULLS", "QUOTED_IDENTIFIER", "ARITHABORT",
                    "XACT_ABORT", "STATISTICS", "ANSI_PADDING", "ANSI_NULL_DFLT_ON",
                    "CONCAT_NULL_YIELDS_NULL", "NUMERIC_ROUNDABORT", "DEADLOCK_PRIORITY",
                    "LOCK_TIMEOUT"}
"""Options that change no answer of a script run here (locks, messages, SQL Server's
defaults, which the translation already follows), skipped with their values.
``ANSI_WARNINGS`` is kept (``text_lengths``); ``ARITHABORT OFF`` beside it, which would make
a division by zero NULL, is skipped: SSMS sets ``ARITHABORT ON`` unless told otherwise."""
LANGUAGES = {"us_english": ("mdy", 7), "english": ("mdy", 7), "british": ("dmy", 1)}
"""``SET LANGUAGE``: the ``DATEFORMAT`` and ``DATEFIRST`` each language brings."""
DATE_ORDERS = {"mdy", "dmy", "ymd", "ydm", "myd", "dym"}
PRINTED = exp.DataType.build("NVARCHAR(4000)", dialect="tsql")
"""The text ``PRINT`` converts its value to (up to 4,000 characters, as SQL Server's)."""
MAX_NESTING = 32
"""EXECs inside EXECs at most, as SQL Server allows (``@@NESTLEVEL``)."""


@dataclass
class Result:
    """One result set of the script: the line of its statement, headings and rows."""

    line: int
    columns: list[str]
    rows: list[tuple]
    more: bool


def _by_column(found: list[T | None] | dict[str, T] | None, names: list[str]
               ) -> list[T | None] | None:
    """A translation's types per result column (decimal places, date-and-time types), given
    per projection or, for a ``SELECT *``, by column name in lower case; None when the
    projections do not match the result's columns."""
    if isinstance(found, dict):
        return [found.get(name.lower()) for name in names]
    return found if found and len(found) == len(names) else None


def _check_nodes(nodes: tuple[blocks.Node, ...] | list[blocks.Node], in_loop: bool) -> None:
    """Refuse what no target can run: commands other than PRINT, a SELECT that both assigns
    variables and returns rows, BREAK and CONTINUE outside a WHILE; and what T-SQL does not
    do to a table variable (``table_variable_forms``)."""
    for node in nodes:
        if isinstance(node, blocks.If):
            _check_nodes(node.then, in_loop)
            _check_nodes(node.otherwise, in_loop)
        elif isinstance(node, blocks.Try):
            _check_nodes(node.body, in_loop)
            _check_nodes(node.handler, in_loop)
        elif isinstance(node, blocks.While):
            _check_nodes(node.body, True)
        elif isinstance(node, blocks.Procedure):
            _check_nodes(node.body, False)
        elif isinstance(node, blocks.Jump):
            if node.word != "RETURN" and not in_loop:
                raise ScriptError(node.line, f"{node.word} outside a WHILE loop")
        elif isinstance(node, script.Statement):
            tree = node.tree
            if isinstance(tree, exp.Command) and tree.name.upper() != "PRINT" and not (
                    _ignored_setting(tree)) and identity_values.identity_insert(tree) is None:
                words = f"{tree.name} {tree.expression}".strip() if tree.expression else tree.name
                raise ScriptError(node.line, f"cannot translate {words[:40]!r}")
            table_variable_forms.check(tree, node.line)
            assigned = variables.assignments(tree)
            if assigned and len(assigned) != len(tree.selects):
                raise ScriptError(node.line, "a SELECT that assigns variables cannot also "
                                  "return columns (as in SQL Server)")


def _ignored_setting(tree: exp.Command) -> bool:
    """``SET STATISTICS IO ON`` and the like, which sqlglot leaves as a command: one of
    ``IGNORED_SETTINGS``."""
    words = str(tree.expression or "").split()
    return tree.name.upper() == "SET" and bool(words) and words[0].upper() in IGNORED_SETTINGS


def check(text: str) -> list[blocks.Node]:
    """Every node of the script, after refusing what cannot be translated."""
    nodes = blocks.read(text)
    _check_nodes(nodes, False)
    return nodes


def _shown(nodes: list[blocks.Node]) -> set[int]:
    """The nodes (by id) whose result set may be the script's last: the last statement or EXEC
    of the script that gives one, and every one in the IFs and WHILEs after it (which of those
    runs last depends on their conditions)."""
    shown: set[int] = set()
    for node in nodes:
        if _gives_result(node):
            shown = {id(node)}
        elif isinstance(node, blocks.If | blocks.While | blocks.Try):
            shown |= {id(n) for n in blocks.walk([node]) if _gives_result(n)}
    return shown


def _gives_result(node: blocks.Node) -> bool:
    return (isinstance(node, blocks.Exec) and node.into is None) or _gives_rows(node)


def _gives_rows(node: blocks.Node) -> bool:
    """A query that returns rows (not ``SELECT ... INTO``, not ``SELECT @x = ...``)."""
    return (isinstance(node, script.Statement) and isinstance(node.tree, exp.Query)
            and not node.tree.args.get("into") and not variables.assignments(node.tree))


class _Jumped(Exception):
    """``BREAK``, ``CONTINUE`` or ``RETURN`` leaving the blocks around it."""

    def __init__(self, word: str):
        super().__init__(word)
        self.word = word


class Runner:
    """Runs the checked nodes of one script on one target."""

    def __init__(self, target: Target, echo: Callable[[str], None]):
        self.target = target
        self.echo = echo
        self.translator = Translator(target)
        self.variables: dict[str, exp.Expression] = {}
        self.kinds: dict[str, exp.DataType | None] = {}
        self.results: list[Result] = []
        self.every = False
        self.limit: int | None = None
        self.shown: set[int] = set()
        """The nodes (by id) whose result sets are shown, the last one kept (unless
        ``every``)."""
        self.shown_exec = False
        """Whether the dynamic SQL running is that node (its every result set is shown)."""
        self.exec_line: int | None = None
        """The line of the outermost EXEC running: its dynamic SQL's results carry it."""
        self.rowcount = 0
        """``@@ROWCOUNT``: the rows the last statement returned, changed or assigned."""
        self.cursors = cursors.Cursors()
        self.caught: ScriptError | None = None
        """The error the ``CATCH`` block running handles (``ERROR_MESSAGE()`` and the like
        read it; a bare ``THROW`` raises it again)."""
        self.trying = 0
        """How many ``TRY`` blocks the statement running is in."""
        self.last_error = 0
        """``@@ERROR``: 0 after a statement that ran, else the number of its error."""
        self.transactions = Transactions(SessionCopies(
            target, lambda: self.translator.session, self._drop_made,
            lambda: self.translator.views))
        self.merges = 0
        """MERGE statements run (each one's #temp tables are numbered by it)."""
        self.database: str | None = None
        """The database of the last ``USE`` (``DB_NAME()``; None: master's, the default)."""
        self.language = "us_english"
        """``@@LANGUAGE`` (``SET LANGUAGE``; the translator keeps its date settings)."""
        self.nesting = 0
        """How many EXECs (dynamic SQL, procedures) the statement running is inside."""
        self.procedures: dict[str, blocks.Procedure] = {}
        """The stored procedures the script made, by name (lower case)."""
        self.translator.procedures = self.procedures  # (OBJECT_ID finds them)
        self.functions: dict[str, blocks.Function] = {}
        """The functions the script made, by name (lower case)."""
        self.translator.functions = self.functions  # (written where statements call them)
        self.last_identity: int | None = None
        """``@@IDENTITY``: the last identity value the session made (``identity_reads``)."""
        self.scope_identity: int | None = None
        """``SCOPE_IDENTITY()``: the last identity value the running scope made."""
        self.hidden: set[str] = set()
        """The keys of the table variables of the batches running dynamic SQL or a procedure
        now, unseen there (``_hide_table_variables``)."""
        self.table_identities: dict[str, int] = {}
        """``IDENT_CURRENT``: the last identity value made in each table, by its key."""
        self.identifying = False
        """Whether the script may read an identity value made (noted only then)."""
        self.counting = False
        """Whether the script reads ``@@ROWCOUNT`` (a query's rows are then all fetched, to be
        counted, and cut to the limit afterwards)."""

    def _translated(self, tree: exp.Expression, line: int, limit: int | None
                    ) -> tuple[ResultSet | None, Translation]:
        """Translate and run one statement (its setup first); its result and translation."""
        known = {**self.variables, **_error_values(self.caught),
                 ROWCOUNT: exp.Literal.number(self.rowcount),
                 FETCH_STATUS: exp.Literal.number(self.cursors.status),
                 CURSOR_ROWS: exp.Literal.number(self.cursors.rows_count),
                 ERROR: exp.Literal.number(self.last_error),
                 TRANCOUNT: exp.Literal.number(self.transactions.count),
                 "xact_state()": exp.Literal.number(1 if self.transactions.count else 0),
                 "db_name()": exp.Literal.string(self.database or server_databases.DEFAULT),
                 "db_id()": exp.Literal.number(server_databases.database_id(self.database)),
                 "@datefirst": exp.Literal.number(self.translator.datefirst),
                 "@language": exp.Literal.string(self.language),
                 identity_reads.SESSION_KEY: identity_reads.number(self.last_identity),
                 identity_reads.SCOPE_KEY: identity_reads.number(self.scope_identity),
                 **{identity_reads.current_key(key): identity_reads.number(
                     self.table_identities.get(key, identity.seed))
                    for key, identity in self.translator.identity_columns.items()},
                 **SESSION}
        try:
            # (translating may run a query itself: a PIVOT's source is asked its columns)
            translation = self.translator.translate(tree, known, line)
            if translation.skip:
                return None, translation
            return self._run(translation, line, limit), translation
        except ScriptError as exc:
            if isinstance(tree, exp.Alter) and (self.target.dialect != "postgres"
                                                or self.target.guarded):
                self.translator.alter_failed(tree)  # (its columns as they still are)
            named = (self._unknown_name(tree, exc, line) or _ambiguous(tree, exc, line)
                     ) if exc.runtime else None
            if named is not None:
                raise named from exc
            respelt = respelt_null_column(as_unique_key(exc) if (
                self.translator.keyed_by_unique(tree)) else exc, self.translator.heading)
            if respelt is not exc:
                raise respelt from exc
            raise

    def _unknown_name(self, tree: exp.Expression, exc: ScriptError, line: int
                      ) -> ScriptError | None:
        """SQL Server's error for a column no table of the statement has (207), with the
        known column nearest to it, or for a qualifier that names no table (4104), as the
        script spelt them; every target words these otherwise (None: another error)."""
        column, qualifier = unknown_column(exc.said), unknown_qualifier(exc.said)
        if column is None and qualifier is None:
            return None
        found, nearby = missing_columns.culprit(tree, column, qualifier,
                                                self._columns_after_error)
        tables = {t.alias_or_name.lower().lstrip("#") for t in tree.find_all(exp.Table)}
        if found is not None and found.table and found.table.lower().lstrip("#") not in tables:
            message = f'The multi-part identifier "{found.table}.{found.name}" could not be bound.'
            return ScriptError(line, message, runtime=True, number=4104, said=message)
        spelt = found.name if found is not None else column or ""
        if nearby:  # (the columns of the tables the query reads, as they are spelt)
            spellings = {name.lower(): self.translator.heading(name) for name in nearby}
        else:
            spellings = {name: self.translator.heading(spelt_name)
                         for name, spelt_name in self.translator.spelling.items()}
        near = [name for name in difflib.get_close_matches(spelt.lower(), list(spellings), n=2)
                if name != spelt.lower()][:1]
        hint = f" (did you mean {spellings[near[0]]}?)" if near else ""
        message = f"Invalid column name '{spelt}'."
        return ScriptError(line, message + hint, runtime=True, number=207, said=message)

    def _columns_after_error(self, table: exp.Table) -> list[str] | None:
        """The columns of a table a failed statement read (None when unknown): an extract's
        relation's from the spec, a table of the session's from the target, on PostgreSQL
        only where the failure left the transaction open."""
        spelt = self.translator.extract_columns(table)
        if spelt is not None:
            return spelt
        if self.target.dialect == "postgres" and (
                self.target.connection.info.transaction_status.name == "INERROR"):
            return None  # (outside a TRY the failure ended the transaction: nothing to ask)
        return self.translator.table_columns(table)

    def _run(self, translation: Translation, line: int, limit: int | None
             ) -> ResultSet | None:
        """Run a translated statement (its setup first)."""
        for sql in translation.setup:
            self.target.run_at(line, sql, False, None)
        if not (self.counting and translation.query) or limit is None:
            return self.target.run_at(line, translation.sql, translation.query, limit)
        result = self.target.run_at(line, translation.sql, True, None)
        assert result is not None
        return ResultSet(result.columns, result.rows[:limit], len(result.rows) > limit,
                         len(result.rows))

    def _value(self, expression: exp.Expression, line: int) -> object:
        result, _ = self._translated(exp.select(expression.copy()), line, 1)
        assert result is not None
        return result.rows[0][0] if result.rows else None

    def _truth(self, condition: exp.Expression, line: int) -> bool:
        """Whether an IF's or WHILE's condition holds (NULL does not), as the target says."""
        case = exp.Case(ifs=[exp.If(this=condition.copy(), true=exp.Literal.number(1))],
                        default=exp.Literal.number(0))
        return self._value(case, line) in (1, True)

    def _assign(self, name: str, expression: exp.Expression | None, line: int) -> None:
        kind = self.kinds.get(name)
        value = None if expression is None else self._value(
            variables.converted(expression, kind), line)
        self.variables[name] = variables.literal(value, kind)

    def _declare(self, tree: exp.Declare, line: int) -> None:
        for item in tree.expressions:
            parameters = item.this if isinstance(item.this, list) else [item.this]
            if isinstance(item.args.get("kind"), exp.Schema):
                self._table_variable(parameters[0], item.args["kind"], line)
                continue
            for parameter in parameters:
                name = parameter.name.lower()
                self.kinds[name] = item.args.get("kind")
                default = item.args.get("default")
                if not isinstance(default, exp.Expression):
                    default = None  # (sqlglot gives False for the second of a list)
                # declared once per batch in SQL Server: in a loop, a DECLARE without a value
                # keeps the last one
                if default is not None or name not in self.variables:
                    self._assign(name, default, line)

    def _select_assign(self, tree: exp.Select, line: int) -> int:
        """``SELECT @x = a, @y = b FROM ...``: the values of the last row (none: unchanged).
        ``SELECT @s = @s + ',' + x FROM ...`` adds each row's part in turn, as SQL Server
        does (the idiom that joins a column's values into a list), and so does
        ``COALESCE(@s + ',', '') + x`` (``variables.accumulation``)."""
        items = variables.assignments(tree)
        for item in items:
            if item.this.name.lower() not in self.variables:
                raise ScriptError(line, f"@{item.this.name} is not declared in this batch")
        folds = [variables.accumulation(item) for item in items]
        selected: list[exp.Expression] = []
        for item, fold in zip(items, folds, strict=True):
            selected += fold.parts if fold is not None else [
                variables.converted(item.expression, self.kinds.get(item.this.name.lower()))]
        query = tree.copy()
        query.set("expressions", [exp.alias_(value, f"v{i}")
                                  for i, value in enumerate(selected)])
        result, _ = self._translated(query, line, None)
        if result is None or not result.rows:
            return 0
        start = 0
        for item, fold in zip(items, folds, strict=True):
            name = item.this.name.lower()
            value = result.rows[-1][start]
            if fold is not None:
                value = self._value(self.variables[name], line)
                for row in result.rows:
                    value = variables.folded(fold.fold, value,
                                             row[start:start + len(fold.parts)])
            start += len(fold.parts) if fold is not None else 1
            self.variables[name] = variables.literal(value, self.kinds.get(name))
        return len(result.rows)

    def _drop(self, table: exp.Table, line: int) -> None:
        self.statement(script.Statement(0, line, exp.Drop(tables=[table], kind="TABLE",
                                                          exists=True)), 0)

    def _table_variable(self, parameter: exp.Expression, columns: exp.Schema,
                        line: int) -> None:
        """``DECLARE @t TABLE (...)``: a temporary table of the session named ``@t``, made
        once in its batch or scope: SQL Server makes a batch's variables before it runs, so
        a ``DECLARE`` in a loop keeps the rows the earlier rounds inserted (they were dropped
        at each round); the batch's end drops it (``_end_table_variables``)."""
        if f"@{parameter.name.lower()}" in self.translator.session:
            return
        if f"@{parameter.name.lower()}" in self.hidden:
            raise ScriptError(line, f"@{parameter.name} names a table variable of the batch "
                              "that runs this dynamic SQL or procedure too, which leo-synth "
                              "cannot hold twice: give this one another name")
        table = exp.Table(this=parameter.copy())
        self._drop(table.copy(), line)
        schema = exp.Schema(this=table, expressions=[c.copy() for c in columns.expressions])
        self.statement(script.Statement(0, line, exp.Create(this=schema, kind="TABLE")), 0)

    def _set(self, tree: exp.Set, line: int) -> int:
        """Assign the variables or skip the options of a ``SET``; ``@@ROWCOUNT`` after it (1
        after an assignment, 0 after an option)."""
        count = 0
        for item in tree.expressions:
            assignment = item.this
            if isinstance(assignment, exp.EQ) and isinstance(assignment.this, exp.Parameter):
                name = assignment.this.name.lower()
                if name not in self.variables:
                    raise ScriptError(line, f"@{assignment.this.name} is not declared in this "
                                      f"batch")
                self._assign(name, assignment.expression, line)
                count = 1
            elif isinstance(assignment, exp.EQ) and assignment.this.name.upper() == (
                    "ROWCOUNT"):
                self.translator.rowcount = self._rowcount(assignment.expression, line)
            elif isinstance(assignment, exp.EQ) and assignment.this.name.upper() == (
                    "ANSI_WARNINGS"):
                self.translator.ansi_warnings = assignment.expression.name.upper() != "OFF"
            elif isinstance(assignment, exp.EQ) and assignment.this.name.upper() in (
                    "DATEFORMAT", "DATEFIRST", "LANGUAGE"):
                self._date_setting(assignment.this.name.upper(), assignment.expression, line)
            elif assignment.name.upper() not in IGNORED_SETTINGS and not (
                    isinstance(assignment, exp.EQ)
                    and assignment.this.name.upper() in IGNORED_SETTINGS):
                raise ScriptError(line, f"SET {item.sql('tsql')} cannot be translated")
        return count

    def _rowcount(self, value: exp.Expression, line: int) -> int:
        """The rows ``SET ROWCOUNT n`` (or ``@n``) limits each statement to (0: none)."""
        given = self._value(value, line) if isinstance(value, exp.Parameter) else (
            int(value.name) if isinstance(value, exp.Literal) and value.is_int else None)
        if not isinstance(given, int) or isinstance(given, bool) or given < 0:
            raise ScriptError(line, "SET ROWCOUNT takes a whole number of rows, 0 or more (0: "
                              "no limit)")
        return given

    def _date_setting(self, option: str, value: exp.Expression, line: int) -> None:
        """``SET DATEFORMAT dmy``, ``SET DATEFIRST 1`` or ``SET LANGUAGE british``: how the
        rest of the session reads dates written as text and numbers weekdays."""
        given = value.name.strip("'[]").lower() if not isinstance(value, exp.Parameter) else (
            str(self._value(value, line)).lower())
        if option == "LANGUAGE":
            if given not in LANGUAGES:
                raise ScriptError(line, f"SET LANGUAGE {given} cannot be translated "
                                  f"({', '.join(LANGUAGES)} can)")
            self.language = "british" if given == "british" else "us_english"
            self.translator.dateformat, self.translator.datefirst = LANGUAGES[given]
        elif option == "DATEFORMAT":
            if given not in DATE_ORDERS:
                raise ScriptError(line, f"SET DATEFORMAT {given}: the order is one of "
                                  f"{', '.join(sorted(DATE_ORDERS))}")
            self.translator.dateformat = given
        elif not given.isdigit() or not 1 <= int(given) <= 7:
            raise ScriptError(line, "SET DATEFIRST takes a day from 1 (Monday) to 7 (Sunday)")
        else:
            self.translator.datefirst = int(given)

    def statement(self, statement: script.Statement, limit: int | None) -> Result | None:
        """Run one statement; its result set when it is a query. ``@@ROWCOUNT`` becomes what
        SQL Server makes it: the rows a query returned or a statement changed, 1 after an
        assignment (``SET @x``, ``DECLARE @x = ...``), 0 after DDL, ``PRINT``, ``USE`` and
        ``SET`` options; a ``DECLARE`` without a value leaves it."""
        tree, line = statement.tree, statement.line
        if variables.assignments(tree):
            self.rowcount = self._select_assign(tree, line)
        elif isinstance(tree, exp.Declare):
            self._declare(tree, line)
            if any(isinstance(item.args.get("default"), exp.Expression)
                   for item in tree.expressions):
                self.rowcount = 1
        elif (switch := identity_values.identity_insert(tree)) is not None:
            self.translator.identity_insert(*switch, line)
            self.rowcount = 0
        elif isinstance(tree, exp.Set):
            self.rowcount = self._set(tree, line)
        elif isinstance(tree, exp.Use):
            # USE [NPD_i2]: the catalog views' database when they name none (tables are
            # found by their names whatever the database); USE master: back to none
            system = server_databases.is_system(tree.this.name)
            self.translator.database = (None if system
                                        else names.check_database(tree.this.name, line))
            self.database = tree.this.name
            self.rowcount = 0
        elif isinstance(tree, exp.Command) and _ignored_setting(tree):
            self.rowcount = 0
        elif isinstance(tree, exp.Command):  # PRINT, the only other command check() lets by
            # (as SQL Server converts what it prints: a FLOAT to six digits, a DECIMAL to its
            # places; NULL prints an empty line)
            shown = self._value(exp.cast(tree.expression.copy(), PRINTED), line)
            self.echo("" if shown is None else str(shown))
            self.rowcount = 0
        elif isinstance(tree, exp.Merge):
            self.merges += 1
            changed = 0
            for step in merges.expand(tree, self.merges, line,
                                     ROW_IDS[self.target.dialect]):
                self.statement(script.Statement(statement.batch, line, step.tree), limit)
                changed += self.rowcount if step.counted else 0
            self.rowcount = changed
        elif (written := json_results.options(tree, line)) is not None:
            rows = self.statement(script.Statement(statement.batch, line,
                                                   json_results.without(tree)), None)
            assert rows is not None
            text = json_results.rendered(rows.columns, rows.rows, written, line)
            return Result(line, [json_results.HEADING], [] if text is None else [(text,)],
                          False)
        elif isinstance(tree, exp.Drop) and len(tree.args.get("tables") or []) > 1:
            for table in tree.args["tables"]:  # (DuckDB drops one table at a time)
                one = tree.copy()
                one.set("tables", [table.copy()])
                self.statement(script.Statement(statement.batch, line, one), limit)
        elif isinstance(tree, exp.Alter) and len(tree.args.get("actions") or []) > 1:
            for action in tree.args["actions"]:  # (ADD a INT, b INT: one each on SQLite, DuckDB)
                one = tree.copy()
                one.set("actions", [action.copy()])
                self.statement(script.Statement(statement.batch, line, one), limit)
        else:
            result, translation = self._translated(tree, line, limit)
            if translation.skip:
                self.rowcount = 0
                return None
            if translation.creates:
                self.translator.created(translation.creates)
                if isinstance(tree, exp.Create) and str(tree.args.get("kind")).upper() == "VIEW":
                    self.translator.views.add(translation.creates[-1].lower())
            for parts in translation.drops:
                self.translator.dropped(parts)
            if result is None:
                self.rowcount = self._changed(tree, translation, line)
                self._note_identity(tree, line)
                if isinstance(tree, exp.TruncateTable) and tree.expressions:
                    key = session_key(tree.expressions[0])
                    self.translator.restart_identity(key)
                    # (IDENT_CURRENT of a truncated table is its seed again, as in SQL Server)
                    self.table_identities.pop(key, None)
                if isinstance(tree, exp.Alter) and isinstance(tree.this, exp.Table):
                    parts = self.translator.session.get(session_key(tree.this))
                    if parts is not None:  # (a #temp or own table: its columns changed)
                        self.translator.altered(tree, parts)
                    if (emptied := added_defaults.nulled(tree)) is not None:
                        # (the rows already there hold NULL, not the default)
                        count = self.rowcount
                        self.statement(script.Statement(statement.batch, line, emptied), None)
                        self.rowcount = count
                return None
            self.rowcount = result.count if result.count is not None else len(result.rows)
            columns = [self.translator.heading(c) for c in result.columns]
            if translation.headings:
                columns = star_headings.filled(translation.headings, columns)
            rows = result.rows
            places = _by_column(translation.scales, result.columns)
            if places and any(p is not None for p in places):
                rows = decimal_scales.shown(rows, places)
            moments = _by_column(translation.moments, result.columns)
            if moments and any(m is not None for m in moments):
                rows = datetime_display.shown(rows, moments)
            return Result(line, columns, rows, result.more)
        return None

    def _note_identity(self, tree: exp.Expression, line: int) -> None:
        """After an ``INSERT`` or ``SELECT ... INTO`` that made rows in a table with an
        identity column, note the last value made (``identity_reads``)."""
        if not self.identifying:
            return
        into = tree.args.get("into") if isinstance(tree, exp.Select) else None
        if isinstance(into, exp.Into) and isinstance(into.this, exp.Table):
            tree = exp.Create(this=into.this, kind="TABLE")  # (SELECT ... INTO: the table made)
        if not isinstance(tree, exp.Insert | exp.Create):
            return
        key = written_key(tree)
        if isinstance(tree, exp.Create) and key is not None:
            self.table_identities.pop(key, None)  # (a table made anew starts from its seed)
        identity = self.translator.identity_columns.get(key) if key is not None else None
        if identity is None or (isinstance(tree, exp.Insert) and self.rowcount == 0):
            return
        table = tree.this.this if isinstance(tree.this, exp.Schema) else tree.this
        result, _ = self._translated(identity_reads.last_value(table, identity), line, None)
        value = result.rows[0][0] if result is not None and result.rows else None
        if value is not None:
            self.last_identity = self.scope_identity = int(value)
            self.table_identities[key] = int(value)

    def _changed(self, tree: exp.Expression, translation: Translation, line: int) -> int:
        """The rows a statement without a result inserted, updated or deleted (0 for DDL);
        a ``SELECT ... INTO``'s, when the target does not say, counted in the table made."""
        if isinstance(tree, exp.TruncateTable):
            return 0  # (SQLite's is a DELETE, which counts its rows)
        if self.target.changed is not None:
            return self.target.changed
        if not (self.counting and translation.creates and tree.find(exp.Query)):
            return 0
        count = exp.select(exp.Count(this=exp.Star())).from_(
            exp.Table(this=exp.Identifier(this=translation.creates[-1], quoted=True)))
        result = self.target.run_at(line, target_sql(count, self.target.dialect), True, None)
        return int(result.rows[0][0]) if result is not None and result.rows else 0

    def _exec(self, node: blocks.Exec) -> None:
        """Dynamic SQL, as SQL Server runs it: in a scope of its own (the caller's variables
        unseen, ``sp_executesql``'s parameters given), the caller's #temp tables visible and
        its own dropped when it ends; with ``into``, every result set inserted there. A
        procedure of the script runs its body the same way, with its parameters."""
        if node.procedure is not None:
            procedure = self.procedures.get(node.procedure)
            if procedure is None:
                raise ScriptError(node.line, f"Could not find stored procedure "
                                  f"'{node.procedure}'.", runtime=True)
            scope = self._bound(procedure.parameters, node, procedure.shown)
            returned = self._output_targets(node, procedure.parameters, procedure.outputs)
            self._scoped(node, list(procedure.body), scope, f"in procedure {procedure.shown}, ")
            self._returned(returned, scope[0], node.line)
            return
        assert node.sql is not None
        if node.executesql:
            executesql_types.check(node.sql, node.definitions, self.kinds, node.line)
        text = self._value(node.sql, node.line)
        if text is None:
            return  # (EXEC of NULL runs nothing, as in SQL Server)
        scope = self._parameters(node)
        definitions = node.definitions.name if node.definitions is not None else ""
        returned = self._output_targets(
            node, blocks.declarations(definitions, node.line, "sp_executesql"),
            blocks.outputs(definitions)) if node.outputs else []
        try:
            inner = check(str(text))
            if any(n.batch for n in inner):
                raise ScriptError(1, "GO cannot be used in dynamic SQL")
        except ScriptError as exc:
            raise ScriptError(node.line, f"in the SQL EXEC runs, {exc}") from exc
        self._scoped(node, inner, scope, "in the SQL EXEC runs, ")
        self._returned(returned, scope[0], node.line)

    def _output_targets(self, node: blocks.Exec, declared: tuple[blocks.Parameter, ...],
                        outputs: tuple[str, ...]) -> list[tuple[str, str]]:
        """(parameter, caller's variable) of each argument marked ``OUTPUT``; one whose
        parameter is not declared ``OUTPUT`` fails as in SQL Server (8162)."""
        found = []
        for k in node.outputs:
            name, value = node.arguments[k]
            if name is None:
                position = sum(1 for n, _ in node.arguments[:k] if n is None)
                name = declared[position][0] if position < len(declared) else None
            if name is None:
                continue  # (too many arguments: the binding has said so)
            if name not in outputs:
                raise ScriptError(node.line, f'The formal parameter "@{name}" was not declared '
                                  "as an OUTPUT parameter, but the actual parameter passed in "
                                  "requested output.", runtime=True, number=8162)
            found.append((name, value.name.lower()))
        return found

    def _returned(self, targets: list[tuple[str, str]], scope: dict[str, exp.Expression],
                  line: int) -> None:
        """The ``OUTPUT`` parameters' last values, given to the caller's variables."""
        for parameter, variable in targets:
            self._assign(variable, scope.get(parameter), line)

    def _scoped(self, node: blocks.Exec, inner: list[blocks.Node],
                scope: tuple[dict[str, exp.Expression], dict[str, exp.DataType | None]],
                where: str) -> None:
        """Run ``inner`` in a scope of its own (``scope``: its variables and their types),
        its errors told as at ``node``'s line, ``where`` (``in procedure p, ``) before them;
        the #temp tables it made dropped when it ends."""
        if self.nesting >= MAX_NESTING:  # (a procedure calling itself without end)
            raise ScriptError(node.line, "Maximum stored procedure, function, trigger, or view "
                              f"nesting level exceeded (limit {MAX_NESTING}).", runtime=True,
                              number=217)
        if node.into is not None:
            inner = [_inserted(n, node.into) for n in inner]
        self.counting = self.counting or _reads_rowcount(inner)
        self.identifying = self.identifying or identity_reads.read_by(blocks.trees(inner))
        saved = self.variables, self.kinds, self.shown_exec, self.exec_line, self.scope_identity
        self.scope_identity = None  # (a scope of its own: SCOPE_IDENTITY() NULL until it inserts)
        self.nesting += 1
        self.variables, self.kinds = scope
        self.shown_exec = self.shown_exec or self.every or id(node) in self.shown
        self.exec_line = self.exec_line or node.line
        hidden = self._hide_table_variables(node)
        before = set(self.translator.session) | set(hidden)
        try:
            self.block(inner)
        except _Jumped:
            pass  # (RETURN: BREAK and CONTINUE outside a loop were refused)
        except ScriptError as exc:
            told = exc.said if exc.number == 217 else f"{where}{exc}"  # (said once, not 32 times)
            raised = ScriptError(node.line, told, runtime=exc.runtime, number=exc.number,
                                 said=exc.said)
            raised.nested = True
            raise raised from exc
        finally:
            (self.variables, self.kinds, self.shown_exec, self.exec_line,
             self.scope_identity) = saved
            self.nesting -= 1
            self.translator.session.update(hidden)
            self.hidden -= set(hidden)
        rowcount = self.rowcount  # (the dynamic SQL's last statement's, not the drops')
        for key in set(self.translator.session) - before:
            if key.startswith("@") or (key.startswith("#") and not key.startswith("##")):
                self._drop(_session_table(key), node.line)
        self.rowcount = rowcount

    def _hide_table_variables(self, node: blocks.Exec) -> dict[str, tuple[str, ...]]:
        """The caller's table variables, taken from the session while dynamic SQL or a
        procedure runs: SQL Server's ``@t`` is seen only in the batch that declares it, so
        ``EXEC sp_executesql N'SELECT ... FROM @t'`` fails there with error 1087 ("Must
        declare the table variable "@t"."), where #temp tables are seen. ``INSERT INTO @t
        EXEC ...`` fills its own, seen. Put back when the scope ends."""
        into = written_key(node.into) if node.into is not None else None
        hidden = {key: parts for key, parts in self.translator.session.items()
                  if key.startswith("@") and key != into}
        for key in hidden:
            del self.translator.session[key]
        self.hidden |= set(hidden)
        return hidden

    def _end_table_variables(self, line: int) -> None:
        """``GO``: the batch's table variables end with it, as its variables do."""
        for key in [k for k in self.translator.session if k.startswith("@")]:
            self._drop(_session_table(key), line)

    def _procedure(self, node: blocks.Procedure | blocks.Function) -> None:
        """``CREATE``/``ALTER PROCEDURE`` (or ``FUNCTION``) keeps the procedure (read with
        the script); ``DROP PROCEDURE`` forgets it."""
        kept: dict[str, Any] = (self.functions if isinstance(node, blocks.Function)
                                else self.procedures)
        known = node.name in kept
        if node.action == "DROP":
            if not known and not node.exists:
                what = "function" if isinstance(node, blocks.Function) else "procedure"
                raise ScriptError(node.line, f"Cannot drop the {what} '{node.shown}', "
                                  "because it does not exist or you do not have permission.",
                                  runtime=True)
            kept.pop(node.name, None)
        elif known and not node.replace:
            raise ScriptError(node.line, f"There is already an object named '{node.shown}' "
                              "in the database.", runtime=True)
        else:
            kept[node.name] = node
        self.rowcount = 0

    def _bound(self, declared: tuple[blocks.Parameter, ...], node: blocks.Exec,
               procedure: str | None = None
               ) -> tuple[dict[str, exp.Expression], dict[str, exp.DataType | None]]:
        """The parameters ``declared`` (of a ``procedure``, or of ``sp_executesql``) valued
        in the caller's scope by the EXEC's arguments, by position then by name, or by their
        defaults (``DEFAULT`` too); too many, unknown or missing ones fail as in SQL Server."""
        owner = procedure or "sp_executesql"
        positional = [value for name, value in node.arguments if name is None]
        named = {name: value for name, value in node.arguments if name is not None}
        if len(positional) > len(declared):
            raise ScriptError(node.line, f"Procedure or function {owner} has too many "
                              "arguments specified.", runtime=True)
        unknown = sorted(set(named) - {name for name, _, _ in declared})
        if unknown:
            raise ScriptError(node.line, f"@{unknown[0]} is not a parameter for procedure "
                              f"{owner}.", runtime=True)
        values: dict[str, exp.Expression] = {}
        kinds: dict[str, exp.DataType | None] = {}
        for i, (name, kind, default) in enumerate(declared):
            value = named.get(name, positional[i] if i < len(positional) else default)
            if isinstance(value, exp.Column | exp.Var) and value.sql().upper() == "DEFAULT":
                value = default  # (EXEC p DEFAULT)
            if value is None:
                raise ScriptError(node.line, (
                    f"Procedure or function '{owner}' expects parameter '@{name}', which was "
                    "not supplied." if procedure else
                    f"sp_executesql expects @{name}, which was not supplied"), runtime=True)
            kinds[name] = kind
            values[name] = variables.literal(
                self._value(variables.converted(value, kind), node.line), kind)
        return values, kinds

    def _parameters(self, node: blocks.Exec) -> tuple[dict[str, exp.Expression],
                                                       dict[str, exp.DataType | None]]:
        """``sp_executesql``'s parameters, valued in the caller's scope."""
        if node.definitions is None:
            if node.arguments:
                raise ScriptError(node.line, "sp_executesql has values but no parameters")
            return {}, {}
        return self._bound(blocks.declarations(node.definitions.name, node.line,
                                               "sp_executesql"), node)

    def execute(self, node: blocks.Node) -> None:
        """Run one node of the script. A fault of leo-synth's own (an exception it did not
        expect, in a statement, a condition or a cursor) stops the script with one line
        naming the node's line, not a traceback."""
        try:
            self._execute(node)
        except (LeoSynthError, _Jumped):
            raise
        except Exception as exc:
            raise ScriptError(node.line, f"leo-synth could not run this statement "
                              f"({type(exc).__name__}: {exc}); this is a fault of "
                              f"leo-synth's: please report it with the statement") from exc

    def _execute(self, node: blocks.Node) -> None:
        if isinstance(node, blocks.If):
            self.block(node.then if self._truth(node.condition, node.line) else node.otherwise)
        elif isinstance(node, blocks.While):
            for _ in range(MAX_LOOPS):
                if not self._truth(node.condition, node.line):
                    return
                try:
                    self.block(node.body)
                except _Jumped as jump:
                    if jump.word == "BREAK":
                        return
                    if jump.word == "RETURN":
                        raise
            raise ScriptError(node.line, f"the WHILE loop ran {MAX_LOOPS:,} times: stopped "
                              f"(does its condition ever turn false?)")
        elif isinstance(node, blocks.Try):
            self._try(node)
        elif isinstance(node, blocks.CursorStep):
            self.cursors.step(node, self._all_rows, self._fetched)
            if node.action in ("DECLARE", "FETCH"):
                self.rowcount = 1  # (as SQL Server sets it)
        elif isinstance(node, blocks.Jump):
            raise _Jumped(node.word)
        elif isinstance(node, blocks.Exec):
            self._exec(node)
        elif isinstance(node, blocks.Procedure | blocks.Function):
            self._procedure(node)
        elif isinstance(node, blocks.Raise):
            self._raise(node)
        elif isinstance(node, blocks.Transaction):
            try:
                self.transactions.step(node, self._transaction_name(node))
            except ScriptError as exc:
                if exc.runtime or self.caught is None:
                    raise
                raise ScriptError(exc.line, f"{exc.message}; the error being handled: line "
                                  f"{self.caught.line}: {self.caught.said}") from exc
            self.rowcount = self.last_error = 0
        else:
            if isinstance(node.tree, (*WRITES, exp.Merge)) or node.tree.args.get("into"):
                self.transactions.before_write(node.tree, node.line)
            shown = self.every or self.shown_exec or id(node) in self.shown
            result = self.statement(node, self.limit if shown else 0)
            self.last_error = 0
            if result is not None and shown:
                if self.exec_line is not None:
                    result = dataclasses.replace(result, line=self.exec_line)
                self.results = [*self.results, result] if self.every else [result]

    def _transaction_name(self, node: blocks.Transaction) -> str | None:
        """A transaction's or savepoint's name, a variable's value when it names one."""
        if node.name is None or not node.name.startswith("@"):
            return node.name
        value = self.variables.get(node.name[1:].lower())
        if value is None:
            raise ScriptError(node.line, f'Must declare the scalar variable "{node.name}".',
                              runtime=True, number=137)
        shown = self._value(value, node.line)
        return None if shown is None else str(shown)

    def _drop_made(self, key: str, parts: tuple[str, ...]) -> None:
        """Drop a table or view the script made inside a transaction that is rolled back."""
        kind = "VIEW" if key in self.translator.views else "TABLE"
        self.target.run(f"DROP {kind} IF EXISTS {'.'.join(map(quote, parts))}", False, None)
        self.translator.dropped(parts)

    def _all_rows(self, query: exp.Expression, line: int) -> list[tuple]:
        """Every row of a query (a cursor's, when it is opened)."""
        result, _ = self._translated(query, line, None)
        assert result is not None
        return result.rows

    def _fetched(self, name: str, value: object, line: int) -> None:
        """A value a cursor's FETCH puts into a variable."""
        if name not in self.variables:
            raise ScriptError(line, f"@{name} is not declared in this batch")
        kind = self.kinds.get(name)
        if isinstance(value, str) and variables.converts(kind):  # (text into a number's)
            value = self._value(variables.converted(variables.literal(value, None), kind),
                                line)
        self.variables[name] = variables.literal(value, kind)

    def _try(self, node: blocks.Try) -> None:
        """``BEGIN TRY``: a statement that fails as it runs (the target's error, dropping a
        table that does not exist) runs the ``CATCH`` block, with ``ERROR_MESSAGE()`` and
        ``ERROR_LINE()``; what cannot be translated still stops the script, and so does an
        error SQL Server finds when it compiles the statement (``compile_errors``)."""
        guarded = self.target.guarded
        self.target.guarded = True
        self.trying += 1
        failed: ScriptError | None = None
        try:
            self.block(node.body)
        except ScriptError as exc:
            if not exc.runtime:
                raise
            stopped = compile_errors.uncaught(exc)
            if stopped is exc:  # (a TRY block's inside this one said so already)
                raise
            if stopped is not None:
                raise stopped from exc
            failed = exc
        finally:  # (BREAK or RETURN inside the block leaves it too)
            self.target.guarded = guarded
            self.trying -= 1
        if failed is None:
            return
        caught = self.caught
        self.caught, self.last_error = failed, failed.number or 0
        try:
            self.block(node.handler)
        finally:
            self.caught = caught

    def _raise(self, node: blocks.Raise) -> None:
        """``THROW`` stops the batch with its error (a ``CATCH`` block catches it);
        ``RAISERROR`` shows its message when its severity is 10 or less, and above raises its
        error in a ``TRY`` block, else shows it as SQL Server does and goes on (``@@ERROR``
        is then 50000); severity 20 and above stops the script."""
        if node.word == "THROW" and not node.arguments:
            if self.caught is None:
                raise ScriptError(node.line, "THROW without arguments must be in a CATCH block")
            raise self.caught
        values = [self._value(argument, node.line) for argument in node.arguments]
        if node.word == "THROW":
            number, message, state = values
            if raised_errors.as_number(number) is None or int(number) < raised_errors.LOWEST_THROW:
                raise ScriptError(node.line, f"Error number {number} in the THROW statement is "
                                  f"outside the valid range. Specify an error number in the "
                                  f"valid range of 50000 to 2147483647.", runtime=True,
                                  number=35100)
            raise ScriptError(node.line, str(message), runtime=True, number=int(number),
                              state=raised_errors.as_number(state) or 0)
        message, severity, state, *arguments = values
        if not isinstance(message, str):
            raise ScriptError(node.line, "RAISERROR with a message number needs SQL Server's "
                              "sys.messages: give the message's text instead")
        text = raised_errors.format_message(message, arguments)
        level = raised_errors.as_number(severity) or 0
        number, state = raised_errors.USER_MESSAGE, raised_errors.as_number(state) or 0
        if level <= 10:
            self.echo(text)
        elif self.trying or level >= 20:
            raise ScriptError(node.line, text, runtime=True, number=number, severity=level,
                              state=state)
        else:
            self.echo(f"Msg {number}, Level {level}, State {state}, Line {node.line}")
            self.echo(text)
        self.last_error = number if level > 10 else 0

    def block(self, nodes: tuple[blocks.Node, ...] | list[blocks.Node]) -> None:
        for node in nodes:
            self.execute(node)

    def run(self, nodes: list[blocks.Node], limit: int | None, every: bool) -> list[Result]:
        """Run the script's nodes; the last result set, or every one when ``every``."""
        self.results, self.limit, self.every = [], limit, every
        self.shown = _shown(nodes)
        self.counting = _reads_rowcount(nodes)
        self.identifying = identity_reads.read_by(blocks.trees(nodes))
        batch = -1
        for node in nodes:
            if node.batch != batch:
                if batch != -1:
                    self._end_table_variables(node.line)
                batch, returned = node.batch, False
                self.variables.clear()
                self.kinds.clear()
            if returned:
                continue  # (RETURN leaves the batch; the next one runs)
            try:
                self.execute(node)
            except _Jumped:
                returned = True
        return self.results


def _reads_rowcount(nodes: list[blocks.Node]) -> bool:
    """Whether anything ``nodes`` compute reads ``@@ROWCOUNT`` (``RAISERROR('%d rows', 0, 1,
    @@ROWCOUNT)`` too)."""
    return any(counter(p) == ROWCOUNT for tree in blocks.trees(nodes)
               for p in tree.find_all(exp.Parameter))


def _ambiguous(tree: exp.Expression, exc: ScriptError, line: int) -> ScriptError | None:
    """SQL Server's error 209 for a bare column more than one table of the statement has,
    named as the script spells it (every target words it otherwise), or None."""
    said = ambiguous_column(exc.said or "")
    if said is None:
        return None
    spelt = next((c.name for c in tree.find_all(exp.Column)
                  if not c.table and c.name.lower() == said.lower()), said)
    message = f"Ambiguous column name '{spelt}'."
    return ScriptError(line, message, runtime=True, number=209, said=message)


def _error_values(caught: ScriptError | None) -> dict[str, exp.Expression]:
    """``ERROR_MESSAGE()``, ``ERROR_LINE()``, ``ERROR_NUMBER()``, ``ERROR_SEVERITY()`` and
    ``ERROR_STATE()`` of the error a ``CATCH`` block handles (none outside one: NULL)."""
    if caught is None:
        return {}
    values = {"error_message()": exp.Literal.string(caught.said),
              "error_line()": exp.Literal.number(caught.line),
              "error_severity()": exp.Literal.number(caught.severity),
              "error_state()": exp.Literal.number(caught.state)}
    if caught.number is not None:
        values["error_number()"] = exp.Literal.number(caught.number)
    return values


def _session_table(key: str) -> exp.Table:
    """The table node of a session table's key (``#t``, ``@t``)."""
    if key.startswith("@"):
        return exp.Table(this=exp.Parameter(this=exp.Var(this=key[1:])))
    return exp.Table(this=exp.Identifier(this=key.lstrip("#"), temporary=True))


def _inserted(node: blocks.Node, into: exp.Insert) -> blocks.Node:
    """A query of ``INSERT INTO #t EXEC ...``'s dynamic SQL as an INSERT of its rows."""
    if _gives_rows(node):
        assert isinstance(node, script.Statement)
        insert = into.copy()
        insert.set("expression", node.tree.copy())
        return script.Statement(node.batch, node.line, insert)
    return node
