"""The error a T-SQL script problem raises: one line naming the script line."""

from __future__ import annotations

from leo_synth.errors import LeoSynthError

DATABASE_MODULES = ("sqlite3", "duckdb", "_duckdb", "psycopg")
"""The targets' drivers, whose errors are the statement's fault (reported), not a bug here."""


class ScriptError(LeoSynthError):
    """A problem with one statement of a script, reported as ``line N: message``."""

    def __init__(self, line: int, message: str, runtime: bool = False):
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message
        self.runtime = runtime
        """Whether the statement failed as it ran, as it would in SQL Server (a ``BEGIN TRY``
        block's ``CATCH`` runs then), rather than being beyond translation."""


def is_database_error(exc: Exception) -> bool:
    """Whether ``exc`` comes from a target's driver (any DB-API's errors)."""
    return type(exc).__module__.split(".")[0] in DATABASE_MODULES


def database_message(exc: Exception) -> str:
    """A driver's error as one line (its first)."""
    first = str(exc).strip().splitlines()
    return " ".join(first[0].split()) if first else type(exc).__name__
