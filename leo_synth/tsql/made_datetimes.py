"""The date-and-time columns a statement's derived tables and CTEs make.

``WITH d AS (SELECT CAST(EntryDate AS DATETIME) AS dt FROM ...) SELECT CAST(dt AS
VARCHAR(30)) FROM d`` writes ``Sep  1 2007 12:00AM`` in SQL Server, as a table's
``DATETIME`` column does; ``dt + 1`` is the next day, and SSMS shows ``dt`` itself as
``2007-09-01 00:00:00.000``. The passes that do so for a table's columns (``datetime_texts``,
``datetime_numbers``, ``datetime_display``) know a column by its name: a name the statement
makes was unknown to them, so the text was ISO, ``dt + 1`` stopped DuckDB ("No function
matches '+(TIMESTAMP, INTEGER_LITERAL)'") and ``dt`` showed as ``2007-09-01`` there and
``2007-09-01 00:00:00`` on SQLite. A made name is added to what they know, for the
statement, when every select item making it is a date and time of one type for certain
(:func:`datetime_display.format_of`), and no table of the session has a column of that name
(which the name might then read instead: names are not scoped, as in ``date_operands``).
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.datetime_display import DATETIME, Columns, Format, format_of
from leo_synth.tsql.derived_columns import made_items, passed_name


def made_datetimes(tree: exp.Expression, datetimes: dict[str, bool],
                   columns: Columns) -> dict[str, Format]:
    """The names (lower case) the statement's derived tables and CTEs make as a date and time
    for certain, and its type (``datetimes``: the names met in the session's tables, and
    whether they hold one wherever met; ``columns``: the types of those whose type is known).

    Found as the largest set that holds: an item passing its own name through (``SELECT dt
    FROM d``) is of the name's type, and a name made only so (a function's column, as
    ``GENERATE_SERIES``'s ``value``) is none."""
    made = made_items(tree)
    found = {name: DATETIME for name, items in made.items()
             if name not in datetimes and any(passed_name(item) != name for item in items)}
    for _ in range(len(made) + 2):  # (a fixpoint: names are dropped, types settle)
        seen = {**datetimes, **dict.fromkeys(found, True)}
        known = {**columns, **found}
        typed = {}
        for name in found:
            kinds = {format_of(item, seen, known) for item in made[name]}
            if len(kinds) == 1 and None not in kinds:
                typed[name] = kinds.pop()
        if typed == found:
            return found
        found = typed
    return {}  # (types that never settle: none assumed)
