"""A derived table needs an alias.

``SELECT COUNT(*) FROM (SELECT DISTINCT EduKey FROM leo_benefit)`` is "Incorrect syntax near
')'." in SQL Server (error 102): a subquery in ``FROM`` or a join must be named (``AS t``).
SQLite and DuckDB ran it (PostgreSQL before 16 stops, in its own words), so the script passed
here and failed in the SRS.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.rewrites import from_sources


def check(tree: exp.Expression, line: int) -> None:
    """Raise SQL Server's syntax error for a derived table without an alias."""
    for select in tree.find_all(exp.Select):
        for item in from_sources(select):
            # (a parenthesised join, FROM (a JOIN b ON ...), is a Subquery of a table)
            if isinstance(item, exp.Subquery) and isinstance(item.this, exp.Query) and (
                    not item.alias):
                raise ScriptError(line, "Incorrect syntax near ')'. (a derived table needs an "
                                  "alias: FROM (SELECT ...) AS t)")
