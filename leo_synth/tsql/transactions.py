"""``BEGIN TRAN``, ``COMMIT``, ``ROLLBACK`` and ``@@TRANCOUNT``, as far as they can be kept.

Scripts wrap their changes to #temp tables in a transaction (``BEGIN TRAN ... COMMIT``) and
their handlers in the usual template (``BEGIN CATCH IF @@TRANCOUNT > 0 ROLLBACK; THROW; END
CATCH``). leo-synth runs each statement as it comes, on targets whose only changes are the
script's own tables, so a transaction is counted (``@@TRANCOUNT``, ``XACT_STATE()``) and
``COMMIT`` has nothing left to do. A ``ROLLBACK`` undoes nothing: when a statement since the
outermost ``BEGIN TRAN`` changed a table, it stops the script saying so, rather than going on
with tables the script believes restored; when none did, it closes the transaction, as in SQL
Server. ``COMMIT`` or ``ROLLBACK`` with no transaction open fail with SQL Server's message
(a ``CATCH`` block catches them).

Rejected: the targets' own transactions. DuckDB has no savepoints, SQLite's driver opens
transactions of its own around changes, and PostgreSQL already runs each statement of a
``TRY`` block under a savepoint; one undo that behaves the same on every target is not to be
had from them.
"""

from __future__ import annotations

from leo_synth.tsql.blocks import Transaction
from leo_synth.tsql.errors import ScriptError


class Transactions:
    """The session's open transactions (``@@TRANCOUNT``) and whether a table changed since
    the outermost one began."""

    def __init__(self) -> None:
        self.count = 0
        self.began = 0
        """The line of the outermost open ``BEGIN TRAN``."""
        self.changed = False

    def wrote(self) -> None:
        """A statement changed a table (created, filled, altered or dropped it)."""
        if self.count:
            self.changed = True

    def step(self, node: Transaction) -> None:
        """Run ``BEGIN TRAN``, ``SAVE TRAN``, ``COMMIT`` or ``ROLLBACK``."""
        if node.action == "BEGIN":
            if not self.count:
                self.began, self.changed = node.line, False
            self.count += 1
            return
        if not self.count:
            request = {"SAVE": "SAVE", "COMMIT": "COMMIT"}.get(node.action, "ROLLBACK")
            number = {"SAVE": 628, "COMMIT": 3902}.get(node.action, 3903)
            message = ("Cannot issue SAVE TRANSACTION when there is no active transaction."
                       if request == "SAVE" else
                       f"The {request} TRANSACTION request has no corresponding BEGIN "
                       f"TRANSACTION.")
            raise ScriptError(node.line, message, runtime=True, number=number)
        if node.action == "COMMIT":
            self.count -= 1
        elif node.action == "ROLLBACK":
            if self.changed:
                raise ScriptError(node.line, f"ROLLBACK cannot undo what the statements since "
                                  f"BEGIN TRANSACTION (line {self.began}) changed: leo-synth "
                                  f"applies each statement as it runs (remove the ROLLBACK, "
                                  f"or rebuild the #temp tables it should restore)")
            self.count = 0
