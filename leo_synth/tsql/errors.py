"""The error a T-SQL script problem raises: one line naming the script line."""

from __future__ import annotations

import re
from collections.abc import Callable

from leo_synth.errors import LeoSynthError
from leo_synth.tsql.error_messages import NULL_REFUSED, sql_server_number

DATABASE_MODULES = ("sqlite3", "duckdb", "_duckdb", "psycopg")
"""The targets' drivers, whose errors are the statement's fault (reported), not a bug here."""


class ScriptError(LeoSynthError):
    """A problem with one statement of a script, reported as ``line N: message``."""

    def __init__(self, line: int, message: str, runtime: bool = False,
                 number: int | None = None, severity: int = 16, state: int = 1,
                 said: str | None = None):
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message
        self.runtime = runtime
        """Whether the statement failed as it ran, as it would in SQL Server (a ``BEGIN TRY``
        block's ``CATCH`` runs then), rather than being beyond translation."""
        self.said = said if said is not None else message
        """The error's own message (``ERROR_MESSAGE()``): a target's, without the ``sqlite
        said:`` that ``message`` puts before it."""
        self.number = number if number is not None else sql_server_number(self.said)
        """SQL Server's number for the error (``ERROR_NUMBER()``), None when unknown."""
        self.severity = severity
        self.state = state
        self.nested = False
        """Whether it arose a level below the statement that ran (in the dynamic SQL or the
        procedure an ``EXEC`` ran), where SQL Server compiles statements apart."""


def is_database_error(exc: Exception) -> bool:
    """Whether ``exc`` comes from a target's driver (any DB-API's errors)."""
    return type(exc).__module__.split(".")[0] in DATABASE_MODULES


def database_message(exc: Exception) -> str:
    """A driver's error as one line (its first)."""
    first = str(exc).strip().splitlines()
    return " ".join(first[0].split()) if first else type(exc).__name__


UNKNOWN_COLUMN = re.compile(
    r'no such column: (?:[\w#]+\.)?([\w#]+)'  # SQLite
    r'|table [\w#]+ has no column named ([\w#]+)'  # (an INSERT's list)
    r'|Referenced column "([^"]+)" (?:was )?not found'  # DuckDB, with or without a FROM
    r'|does not have a column (?:named|with name) "([^"]+)"'
    r'|Referenced update column ([\w#]+) not found'
    r'|column "?(?:[\w#]+\.)?([\w#]+)"? (?:of relation "[^"]+" )?does not exist')  # PostgreSQL
"""The targets' words for a column no table of the statement has (an ``INSERT``'s column
list and an ``UPDATE``'s ``SET`` too)."""


def unknown_column(said: str) -> str | None:
    """The column a target's message says is unknown (as the target spells it), or None."""
    found = UNKNOWN_COLUMN.search(said)
    return next((name for name in found.groups() if name), None) if found else None


UNKNOWN_QUALIFIER = re.compile(r'Referenced table "([^"]+)" not found'  # DuckDB
                               r'|missing FROM-clause entry for table "([^"]+)"'  # PostgreSQL
                               r'|no such column: ([\w#]+)\.[\w#]+')  # SQLite, of both
"""The targets' words for a column's qualifier that names no table of the statement (SQLite
says the same of a qualified column its table lacks: ``missing_columns.culprit`` tells)."""


def unknown_qualifier(said: str) -> str | None:
    """The qualifier a target's message says names no table, or None."""
    found = UNKNOWN_QUALIFIER.search(said)
    return next((name for name in found.groups() if name), None) if found else None


AMBIGUOUS_COLUMN = re.compile(r"ambiguous column name: (?:[\w#]+\.)?([\w#]+)"  # SQLite
                              r'|Ambiguous reference to column name "([^"]+)"'  # DuckDB
                              r'|column reference "([^"]+)" is ambiguous')  # PostgreSQL
"""The targets' words for a bare column that more than one table of the statement has."""


def ambiguous_column(said: str) -> str | None:
    """The column a target's message says more than one table has (as the target spells
    it), or None."""
    found = AMBIGUOUS_COLUMN.search(said)
    return next((name for name in found.groups() if name), None) if found else None


DUPLICATE_KEY = re.compile(
    r'UNIQUE constraint failed: ([^.,\s]+)\.'  # SQLite (table.column, ...)
    r'|Duplicate key "(.*)" violates (primary key|unique) constraint'  # DuckDB
    r'|duplicate key value violates unique constraint "(.+?)(_pkey)?"$'  # PostgreSQL
    r'|PRIMARY KEY or UNIQUE constraint violation: duplicate key "(.*)"')  # DuckDB, again
"""The targets' words for a row whose key a table already holds (DuckDB's second form: a key
twice in the rows one statement inserts, a ``MERGE``'s or ``INSERT ... VALUES (1), (1)``)."""


def duplicate_key(said: str) -> str | None:
    """SQL Server's message (error 2627) for a target's duplicate-key error, or None for any
    other message, with what the target tells of the table and the key's value (SQLite names
    no value, DuckDB no table; PostgreSQL names a primary key's table in its name,
    ``<table>_pkey``). SQLite's duplicate is taken for a primary key's, as a #temp table's key
    mostly is."""
    found = DUPLICATE_KEY.search(said)
    if found is None:
        return None
    table, pairs, duckdb_kind, constraint, pkey, repeated = found.groups()
    unique = duckdb_kind == "unique" or (constraint is not None and pkey is None)
    table = table or (constraint if pkey else None)
    message = f"{'Violation of UNIQUE KEY constraint' if unique else PRIMARY_KEY_VIOLATION}. "
    message += (f"Cannot insert duplicate key in object 'dbo.{table}'." if table
                else "Cannot insert duplicate key.")
    if pairs is not None:  # DuckDB's "column: value, column: value"
        values = ", ".join(pair.split(": ", 1)[-1] for pair in pairs.split(", "))
        message += f" The duplicate key value is ({values})."
    if repeated is not None:
        message += f" The duplicate key value is ({repeated})."
    return message


TARGETS_NULL_REFUSED = re.compile(
    r'NOT NULL constraint failed: "?(?P<table>[^".\s]+)"?\.(?P<column>\S+)'  # SQLite, DuckDB
    r'|null value in column "(?P<pg_column>[^"]+)" of relation "(?P<pg_table>[^"]+)" '
    r'violates not-null constraint')  # PostgreSQL
"""The targets' words for a NULL put in a column declared ``NOT NULL``."""


PRIMARY_KEY_VIOLATION = "Violation of PRIMARY KEY constraint"


def as_unique_key(exc: ScriptError) -> ScriptError:
    """Error 2627 (:func:`duplicate_key`) told of a table whose keys are ``UNIQUE`` ones and
    no primary key, as SQL Server words it ("Violation of UNIQUE KEY constraint"): SQLite's
    words, and DuckDB's for a key twice in one statement, do not tell the two apart."""
    if not exc.said.startswith(PRIMARY_KEY_VIOLATION):
        return exc
    said = exc.said.replace(PRIMARY_KEY_VIOLATION, "Violation of UNIQUE KEY constraint", 1)
    return ScriptError(exc.line, exc.message.replace(exc.said, said), runtime=exc.runtime,
                       number=exc.number, severity=exc.severity, state=exc.state, said=said)


def respelt_null_column(exc: ScriptError, spell: Callable[[str], str]) -> ScriptError:
    """Error 515 (:func:`null_refused`) naming its column as ``spell`` spells it (the
    script's spelling: PostgreSQL holds unquoted names in lower case); any other as it is."""
    if not exc.said.startswith(NULL_REFUSED):
        return exc
    column, rest = exc.said[len(NULL_REFUSED):].split("'", 1)
    said = f"{NULL_REFUSED}{spell(column)}'{rest}"
    return ScriptError(exc.line, exc.message.replace(exc.said, said), runtime=exc.runtime,
                       number=exc.number, severity=exc.severity, state=exc.state, said=said)


def null_refused(said: str, sql: str) -> str | None:
    """SQL Server's message (error 515) for a target's refusal of a NULL in a ``NOT NULL``
    column by the statement ``sql``, or None for any other message. SQL Server names a #temp
    table in tempdb (with a suffix of its own, left out here)."""
    found = TARGETS_NULL_REFUSED.search(said)
    if found is None:
        return None
    table = found["table"] or found["pg_table"]
    column = found["column"] or found["pg_column"]
    where = f"tempdb.dbo.{table}" if table.startswith("#") else f"dbo.{table}"
    statement = "UPDATE" if sql.lstrip().upper().startswith("UPDATE") else "INSERT"
    return (f"{NULL_REFUSED}{column.strip(chr(34))}', table '{where}'; column does not "
            f"allow nulls. {statement} fails.")


def output_refused(kind: str, line: int) -> ScriptError:
    """``INSERT``, ``UPDATE``, ``DELETE`` or ``MERGE ... OUTPUT inserted.x`` (``kind``),
    refused in one line that says what to do: the targets' ``RETURNING`` gives no
    ``deleted`` values of an ``UPDATE`` nor an ``OUTPUT ... INTO`` (rejected: a part
    translated, which would answer some of these scripts and not others). It stopped with
    "The multi-part identifier "inserted.id" could not be bound.", which sent the researcher
    looking for a typing error."""
    if kind == "MERGE":  # (its clauses are statements of their own: merges)
        return ScriptError(line, "MERGE ... OUTPUT cannot be translated: run the clauses as "
                           "UPDATE, DELETE and INSERT statements")
    when = "before" if kind == "DELETE" else "after"
    return ScriptError(line, f"{kind} ... OUTPUT cannot be translated: SELECT the rows from "
                       f"the table {when} the {kind}")
