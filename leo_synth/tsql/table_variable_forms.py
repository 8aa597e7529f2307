"""What T-SQL does not do to a table variable: ``SELECT ... INTO @t``, ``TRUNCATE TABLE @t``,
``DROP TABLE @t`` and ``ALTER TABLE @t ...``.

A table variable is made by ``DECLARE @t TABLE (...)`` alone, filled by ``INSERT INTO @t``,
emptied by ``DELETE FROM @t``, and ends with its batch; SQL Server's grammar takes no
variable in the other statements, so each is a syntax error there ("Incorrect syntax near
'@t'."), raised when the batch is compiled. leo-synth holds a table variable as a table of
the session, which every target made, emptied, dropped or altered: the script ran here and
stopped in the SRS. Checked on the script's statements before anything runs (leo-synth's
own drop of a table variable at the end of its batch is no statement of the script).
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError

INSTEAD = ("a table variable is made by DECLARE @t TABLE (...) and emptied by DELETE FROM @t; "
           "a #temp table can be made by SELECT ... INTO, truncated, altered and dropped")


def _named(table: exp.Expression | None) -> str | None:
    """``@t`` for a table node naming a table variable, else None."""
    if isinstance(table, exp.Schema):
        table = table.this
    if isinstance(table, exp.Table) and isinstance(table.this, exp.Parameter):
        return f"@{table.this.name}"
    return None


def _tables(tree: exp.Expression) -> list[exp.Expression]:
    """The tables a statement makes, truncates, drops or alters."""
    if isinstance(tree, exp.TruncateTable):
        return list(tree.expressions)
    if isinstance(tree, exp.Drop) and str(tree.args.get("kind", "")).upper() == "TABLE":
        return list(tree.args.get("tables") or [tree.this])
    if isinstance(tree, exp.Alter) and str(tree.args.get("kind", "")).upper() == "TABLE":
        return [tree.this]
    return [into.this for into in tree.find_all(exp.Into)]


def check(tree: exp.Expression, line: int) -> None:
    """Stop with SQL Server's syntax error where a statement makes a table variable by
    ``SELECT ... INTO``, or truncates, drops or alters one."""
    for table in _tables(tree):
        name = _named(table)
        if name is not None:
            raise ScriptError(line, f"Incorrect syntax near '{name}'. ({INSTEAD})")
