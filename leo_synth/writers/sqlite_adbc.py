"""A SQLite file opened through ADBC's low-level API: statements and Arrow bulk ingest.

ADBC's DB-API layer (``adbc_driver_sqlite.dbapi``) imports ``pyarrow.dataset`` and with it
pandas, which costs more than writing a small extract, and gives every DDL statement a result
set; the writer needs neither, so it speaks to the driver directly.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa


def adbc_errors() -> tuple[type[Exception], type[Exception]]:
    """ADBC's (error, integrity error) classes."""
    import adbc_driver_manager

    return adbc_driver_manager.Error, adbc_driver_manager.IntegrityError


class AdbcSqlite:
    """One ADBC connection to a SQLite file, in autocommit mode (ADBC's default): a
    transaction is opened and closed by executing ``BEGIN`` and ``COMMIT``."""

    def __init__(self, path: str):
        import adbc_driver_manager
        import adbc_driver_sqlite

        self._adbc = adbc_driver_manager
        self._database: Any = adbc_driver_sqlite.connect(path)
        self._connection: Any = None
        self._statement: Any = None
        try:
            self._connection = adbc_driver_manager.AdbcConnection(self._database)
            self._statement = adbc_driver_manager.AdbcStatement(self._connection)
        except BaseException:
            self.close()
            raise

    def execute(self, sql: str, text: str | None = None) -> None:
        """Run one statement (no result set); ``text``, if given, bound to its one ``?``."""
        self._statement.set_sql_query(sql)
        if text is not None:
            self._statement.bind(pa.record_batch([pa.array([text], pa.string())], ["text"]))
        self._statement.execute_update()

    def ingest(self, table: str, batch: pa.RecordBatch) -> None:
        """Append ``batch`` to the existing ``table`` (bound in C: no Python object per
        value)."""
        adbc = self._adbc
        statement = adbc.AdbcStatement(self._connection)
        try:
            statement.set_options(**{adbc.INGEST_OPTION_TARGET_TABLE: table,
                                     adbc.INGEST_OPTION_MODE: adbc.INGEST_OPTION_MODE_APPEND})
            statement.bind(batch)
            statement.execute_update()
        finally:
            statement.close()

    def close(self) -> None:
        """Close everything (an open transaction is rolled back)."""
        for handle in (self._statement, self._connection, self._database):
            if handle is not None:
                handle.close()
        self._statement = self._connection = self._database = None
