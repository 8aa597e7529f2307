"""Errors SQL Server finds when it compiles a statement, which a ``CATCH`` block beside it does
not catch.

SQL Server binds a statement's names and checks its grouping before the statement runs: a
column the statement's tables lack (error 207, ``Invalid column name``), a table or #temp
table that is not there (208), a qualifier that names no table (4104), a column more than
one table has (209), a column read beside an aggregate and not grouped (8120). Its
documentation of ``TRY ... CATCH``: "compile errors, such as syntax errors, that prevent a
batch from running" and "errors that occur during statement-level recompilation, such as
object name resolution errors that occur after compilation because of deferred name
resolution" are not handled by a ``CATCH`` block at the same level: the batch stops there
(reading an extract's view, it does not start). A researcher wraps the load of each year in
``BEGIN TRY ... END TRY BEGIN CATCH PRINT ERROR_MESSAGE() END CATCH`` for the years whose
view lacks a column (``Category_ex04``: the old exclusions have ``PermanentExclusionInd``);
leo-synth, which finds these errors as the statement runs, ran the ``CATCH`` block and went
on, where the SRS stopped. Now such an error stops the script, saying why the ``CATCH`` block
did not run. In dynamic SQL (``EXEC (@sql)``, ``sp_executesql``) or a procedure that the
``TRY`` block runs, the statement is compiled a level below, as it runs, and its error is
caught, as in SQL Server (``ScriptError.nested``).
"""

from __future__ import annotations

from leo_synth.tsql.errors import ScriptError

COMPILED = frozenset({207, 208, 209, 4104, 8120})
"""SQL Server's numbers of the errors it raises when it compiles a statement (its names and
grouping), which leo-synth raises as the statement runs."""

NOT_CAUGHT = ("(a CATCH block does not catch this error in SQL Server, which raises it when it "
              "compiles the statement: run the statement in EXEC (...) or sp_executesql inside "
              "the TRY block to catch it)")
"""What an error a ``CATCH`` block beside it would not catch adds to its message."""


def uncaught(exc: ScriptError) -> ScriptError | None:
    """The error that stops the script in place of ``exc``, raised in a ``TRY`` block, when
    SQL Server would not run the ``CATCH`` block for it (None: the ``CATCH`` block runs;
    ``exc`` itself when it says so already, from a ``TRY`` block inside this one)."""
    if exc.number not in COMPILED or exc.nested:
        return None
    if exc.message.endswith(NOT_CAUGHT):
        return exc
    return ScriptError(exc.line, f"{exc.message} {NOT_CAUGHT}", runtime=exc.runtime,
                       number=exc.number, severity=exc.severity, state=exc.state,
                       said=exc.said)
