"""Cursors, as SQL Server runs a static one: the rows read when it is opened, fetched one at a
time into variables.

Older SRS scripts loop over years or relations with a cursor: ``DECLARE c CURSOR FOR SELECT
... ; OPEN c; FETCH NEXT FROM c INTO @y; WHILE @@FETCH_STATUS = 0 BEGIN ... FETCH NEXT FROM c
INTO @y END; CLOSE c; DEALLOCATE c``. The targets have no cursors the script could reach, so
the runner keeps them: ``OPEN`` runs the query on the target and holds its rows (what a
``STATIC`` cursor does; the loops in scripts read a small list, and a change to the tables
while it is open is not seen), ``FETCH`` assigns the next (prior, first, last) row to the
variables and sets ``@@FETCH_STATUS`` to 0, or to -1 past either end. Cursors live for the
session, as SQL Server's default ``GLOBAL`` ones do. Misuse fails as in SQL Server (opening a
cursor twice, fetching from a closed one), which a ``TRY`` block catches. ``@@CURSOR_ROWS``
is the number of rows of the cursor opened last when it was declared ``STATIC``,
``INSENSITIVE`` or ``KEYSET`` (SQL Server fills those when it opens them), -1 for any other
(a dynamic cursor's rows are not known ahead), 0 before any is opened or once the last opened
is closed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn

from sqlglot import exp

from leo_synth.tsql.blocks import CursorStep
from leo_synth.tsql.errors import ScriptError


@dataclass
class _Opened:
    rows: list[tuple]
    position: int = -1
    """The row fetched last (-1: before the first; ``len(rows)``: after the last)."""


class Cursors:
    """The session's cursors and ``@@FETCH_STATUS``."""

    def __init__(self) -> None:
        self.declared: dict[str, exp.Expression] = {}
        self.static: set[str] = set()
        """The cursors declared ``STATIC``, ``INSENSITIVE`` or ``KEYSET``."""
        self.opened: dict[str, _Opened] = {}
        self.last_opened: str | None = None
        self.rows_count = 0
        """``@@CURSOR_ROWS``."""
        self.status = -1
        """``@@FETCH_STATUS``: 0 after a row was fetched, -1 after a fetch past the end."""

    def step(self, step: CursorStep, rows: Callable[[exp.Expression, int], list[tuple]],
             assign: Callable[[str, object, int], None]) -> None:
        """Run one cursor statement: ``rows`` runs a query (at a line) on the target,
        ``assign`` sets a variable."""
        name, line = step.name, step.line
        if step.action == "DECLARE":
            if name in self.declared:
                _fail(line, f"A cursor with the name '{name}' already exists")
            assert step.query is not None
            self.declared[name] = step.query
            if step.static:
                self.static.add(name)
            return
        if name not in self.declared:
            _fail(line, f"A cursor with the name '{name}' does not exist")
        if step.action == "OPEN":
            if name in self.opened:
                _fail(line, f"The cursor '{name}' is already open")
            self.opened[name] = _Opened(rows(self.declared[name], line))
            self.last_opened = name
            self.rows_count = len(self.opened[name].rows) if name in self.static else -1
        elif step.action == "FETCH":
            self._fetch(step, assign)
        elif step.action == "CLOSE":
            if self.opened.pop(name, None) is None:
                _fail(line, f"The cursor '{name}' is not open")
            self._closed(name)
        else:  # DEALLOCATE
            self.opened.pop(name, None)
            del self.declared[name]
            self.static.discard(name)
            self._closed(name)

    def _closed(self, name: str) -> None:
        if name == self.last_opened:
            self.rows_count = 0

    def _fetch(self, step: CursorStep, assign: Callable[[str, object, int], None]) -> None:
        opened = self.opened.get(step.name)
        if opened is None:
            _fail(step.line, f"The cursor '{step.name}' is not open")
        count = len(opened.rows)
        wanted = {"NEXT": opened.position + 1, "PRIOR": opened.position - 1, "FIRST": 0,
                  "LAST": count - 1}[step.direction]
        if not 0 <= wanted < count:
            opened.position = count if wanted >= count else -1
            self.status = -1
            return
        row = opened.rows[wanted]
        if step.into and len(step.into) != len(row):
            _fail(step.line, "Cursor Fetch: the number of variables declared in the INTO list "
                  "must match that of selected columns")
        opened.position, self.status = wanted, 0
        for variable, value in zip(step.into, row, strict=False):
            assign(variable, value, step.line)


def _fail(line: int, message: str) -> NoReturn:
    raise ScriptError(line, message, runtime=True)
