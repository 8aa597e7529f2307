"""Run a T-SQL script against an opened target, statement by statement.

Everything is read and checked before anything runs: constructs that cannot be translated
(``unsupported``) and statements that do not parse stop the script with one line naming their
line. Then each statement is translated and run; ``DECLARE``/``SET`` variables live until the
next ``GO`` (as in SQL Server) and hold values computed by the target, substituted into later
statements as literals. A backend error stops the script with the statement's line.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable
from dataclasses import dataclass

from sqlglot import exp

from leo_synth.tsql import names, script, unsupported
from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.targets import ResultSet, Target
from leo_synth.tsql.translate import Translator

DATE_TYPES = {exp.DataType.Type.DATE}
TIME_TYPES = {exp.DataType.Type.DATETIME, exp.DataType.Type.DATETIME2,
              exp.DataType.Type.SMALLDATETIME, exp.DataType.Type.TIMESTAMP}
INTEGER_TYPES = exp.DataType.INTEGER_TYPES
IGNORED_SETTINGS = {"NOCOUNT", "ANSI_WARNINGS", "ANSI_NULLS", "QUOTED_IDENTIFIER", "DATEFORMAT",
                    "ARITHABORT", "XACT_ABORT", "STATISTICS", "LANGUAGE", "DATEFIRST"}


@dataclass
class Result:
    """One result set of the script: the line of its statement, headings and rows."""

    line: int
    columns: list[str]
    rows: list[tuple]
    more: bool


def check(text: str) -> list[script.Statement]:
    """Every statement of the script, after refusing what cannot be translated."""
    for first_line, body in script.batches(text):
        unsupported.check(script.tokens(body, first_line))
    statements = script.statements(text)
    for statement in statements:
        tree = statement.tree
        if isinstance(tree, exp.Select) and any(
                isinstance(s, exp.EQ) and isinstance(s.this, exp.Parameter)
                for s in tree.selects):
            raise ScriptError(statement.line, "SELECT @x = ... cannot be translated (write "
                              "SET @x = (SELECT ...))")
        if isinstance(tree, exp.Command) and tree.name.upper() != "PRINT":
            words = f"{tree.name} {tree.expression}".strip() if tree.expression else tree.name
            raise ScriptError(statement.line, f"cannot translate {words[:40]!r}")
    return statements


def _literal(value: object, kind: exp.DataType | None) -> exp.Expression:
    """A value computed by the target as a literal of the variable's declared type."""
    if value is None:
        return exp.Null()
    if kind is not None and kind.this in DATE_TYPES | TIME_TYPES:
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        if kind.this in DATE_TYPES:
            return exp.cast(exp.Literal.string(text[:10]), exp.DataType.build("DATE"))
        return exp.Literal.string(text.replace("T", " "))
    if kind is not None and kind.this in INTEGER_TYPES:
        return exp.Literal.number(int(value))
    if isinstance(value, bool):
        return exp.Literal.number(int(value))
    if isinstance(value, int | float | decimal.Decimal) and (
            kind is None or kind.is_type(*exp.DataType.NUMERIC_TYPES)):
        return exp.Literal.number(value)
    if isinstance(value, dt.date):
        return exp.Literal.string(value.isoformat())
    return exp.Literal.string(str(value))


def _backend_error(exc: Exception) -> str:
    first = str(exc).strip().splitlines()
    return " ".join(first[0].split()) if first else type(exc).__name__


class Runner:
    """Runs the checked statements of one script on one target."""

    def __init__(self, target: Target, echo: Callable[[str], None]):
        self.target = target
        self.echo = echo
        self.translator = Translator(target)
        self.variables: dict[str, exp.Expression] = {}
        self.kinds: dict[str, exp.DataType | None] = {}

    def _run(self, sql: str, line: int, want_rows: bool, limit: int | None
             ) -> ResultSet | None:
        try:
            return self.target.run(sql, want_rows, limit)
        except Exception as exc:  # every DB-API's errors: one line with the script's line
            if type(exc).__module__.split(".")[0] not in ("sqlite3", "duckdb", "psycopg",
                                                          "_duckdb"):
                raise
            raise ScriptError(line, f"{self.target.dialect} said: {_backend_error(exc)}"
                              ) from exc

    def _value(self, expression: exp.Expression, line: int) -> object:
        translation = self.translator.translate(exp.select(expression), self.variables, line)
        result = self._run(translation.sql, line, True, 1)
        assert result is not None
        return result.rows[0][0] if result.rows else None

    def _assign(self, name: str, expression: exp.Expression | None, line: int) -> None:
        value = None if expression is None else self._value(expression, line)
        self.variables[name] = _literal(value, self.kinds.get(name))

    def _declare(self, tree: exp.Declare, line: int) -> None:
        for item in tree.expressions:
            parameters = item.this if isinstance(item.this, list) else [item.this]
            if isinstance(item.args.get("kind"), exp.Schema):
                self._table_variable(parameters[0], item.args["kind"], line)
                continue
            for parameter in parameters:
                name = parameter.name.lower()
                self.kinds[name] = item.args.get("kind")
                self._assign(name, item.args.get("default"), line)

    def _table_variable(self, parameter: exp.Expression, columns: exp.Schema,
                        line: int) -> None:
        """``DECLARE @t TABLE (...)``: a temporary table of the session named ``@t`` (made
        afresh when declared again in a later batch)."""
        table = exp.Table(this=parameter.copy())
        self.statement(script.Statement(0, line, exp.Drop(this=table.copy(), kind="TABLE",
                                                          exists=True)), 0)
        schema = exp.Schema(this=table, expressions=[c.copy() for c in columns.expressions])
        self.statement(script.Statement(0, line, exp.Create(this=schema, kind="TABLE")), 0)

    def _set(self, tree: exp.Set, line: int) -> None:
        for item in tree.expressions:
            assignment = item.this
            if isinstance(assignment, exp.EQ) and isinstance(assignment.this, exp.Parameter):
                name = assignment.this.name.lower()
                if name not in self.variables:
                    raise ScriptError(line, f"@{assignment.this.name} is not declared in this "
                                      f"batch")
                self._assign(name, assignment.expression, line)
            elif assignment.name.upper() not in IGNORED_SETTINGS and not (
                    isinstance(assignment, exp.EQ)
                    and assignment.this.name.upper() in IGNORED_SETTINGS):
                raise ScriptError(line, f"SET {item.sql('tsql')} cannot be translated")

    def statement(self, statement: script.Statement, limit: int | None) -> Result | None:
        """Run one statement; its result set when it is a query."""
        tree, line = statement.tree, statement.line
        if isinstance(tree, exp.Declare):
            self._declare(tree, line)
        elif isinstance(tree, exp.Set):
            self._set(tree, line)
        elif isinstance(tree, exp.Use):
            names.check_database(tree.this.name, line)  # USE [NPD_i2]: checked, no effect
        elif isinstance(tree, exp.Command):  # PRINT, the only command check() lets through
            self.echo(str(self._value(tree.expression, line)))
        elif isinstance(tree, exp.Drop) and len(tree.args.get("tables") or []) > 1:
            for table in tree.args["tables"]:  # (DuckDB drops one table at a time)
                one = tree.copy()
                one.set("tables", [table.copy()])
                self.statement(script.Statement(statement.batch, line, one), limit)
        else:
            translation = self.translator.translate(tree, self.variables, line)
            if translation.skip:
                return None
            for sql in translation.setup:
                self._run(sql, line, False, None)
            result = self._run(translation.sql, line, translation.query, limit)
            if translation.creates:
                self.translator.created(translation.creates)
            for parts in translation.drops:
                self.translator.dropped(parts)
            if result is not None:
                columns = result.columns
                if translation.headings and len(translation.headings) == len(columns):
                    columns = translation.headings
                return Result(line, columns, result.rows, result.more)
        return None

    def run(self, statements: list[script.Statement], limit: int | None,
            every: bool) -> list[Result]:
        """Run the statements; the last result set, or every one when ``every``."""
        last_query = max((i for i, s in enumerate(statements)
                          if isinstance(s.tree, exp.Query)), default=-1)
        results: list[Result] = []
        batch = 0
        for i, statement in enumerate(statements):
            if statement.batch != batch:
                batch = statement.batch
                self.variables.clear()
                self.kinds.clear()
            shown = every or i == last_query
            result = self.statement(statement, limit if shown else 0)
            if result is not None and shown:
                results.append(result)
        return results
