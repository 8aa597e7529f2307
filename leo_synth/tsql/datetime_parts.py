"""``DATETIMEFROMPARTS`` and its kin in the date arithmetic every target is given.

sqlglot reads ``DATETIMEFROMPARTS`` as a timestamp built from parts, which SQLite has no
function for and DuckDB and PostgreSQL build with other arguments; ``SMALLDATETIMEFROMPARTS``,
``DATETIME2FROMPARTS`` and ``TIMEFROMPARTS`` it does not know. So each becomes the T-SQL that
the other rewrites already carry to each target: the date from ``DATEFROMPARTS`` cast to the
function's type, moved by the seconds of its time and then by its fraction of a second
(``DATEADD(millisecond, ms, DATEADD(second, h * 3600 + mi * 60 + s, CAST(DATEFROMPARTS(y, m,
d) AS DATETIME)))``). A cast keeps the type, so the result is shown as SQL Server shows it
(``datetime_display``).

A part out of its range (hour 24, month 13, 30 February, a year before 1753 for a
``DATETIME``) stops the query with SQL Server's error 289 naming the type, where the targets
would roll the time over into the next day; a NULL part gives NULL. Fractions beyond a
millisecond (``DATETIME2FROMPARTS`` at a precision above 3) are kept to the millisecond.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp

from leo_synth.tsql import text_bounds
from leo_synth.tsql.error_messages import not_constructed
from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.sql_templates import filled


@dataclass(frozen=True)
class _Kind:
    """One of the functions: its type, the parts it takes and the years its type holds."""

    type_sql: str
    parts: tuple[str, ...]
    years: tuple[int, int] | None


_KINDS = {
    "DATETIMEFROMPARTS": _Kind("DATETIME", ("y", "m", "d", "h", "mi", "s", "ms"), (1753, 9999)),
    "SMALLDATETIMEFROMPARTS": _Kind("SMALLDATETIME", ("y", "m", "d", "h", "mi"), (1900, 2079)),
    "DATETIME2FROMPARTS": _Kind("DATETIME2", ("y", "m", "d", "h", "mi", "s", "f", "p"),
                                (1, 9999)),
    "TIMEFROMPARTS": _Kind("TIME", ("h", "mi", "s", "f", "p"), None),
}
_ARGS = {exp.TimestampFromParts: ("year", "month", "day", "hour", "min", "sec", "milli"),
         exp.TimeFromParts: ("hour", "min", "sec", "fractions", "precision")}
"""The names sqlglot gives the parts of the functions it knows, in T-SQL's order."""
_RANGES = {"m": (1, 12), "d": (1, 31), "h": (0, 23), "mi": (0, 59), "s": (0, 59),
           "ms": (0, 999)}


def _function(node: exp.Expression) -> str | None:
    """The function's T-SQL name when ``node`` is one of them."""
    if isinstance(node, exp.TimestampFromParts):
        return "DATETIMEFROMPARTS"
    if isinstance(node, exp.TimeFromParts):
        return "TIMEFROMPARTS"
    if isinstance(node, exp.Anonymous) and node.name.upper() in _KINDS:
        return node.name.upper()
    return None


def _arguments(node: exp.Expression) -> list[exp.Expression]:
    if isinstance(node, exp.Anonymous):
        return list(node.expressions)
    return [node.args[key] for key in _ARGS[type(node)] if node.args.get(key) is not None]


_LAST_DAY = ("CASE WHEN leo_m = 2 THEN CASE WHEN (leo_y % 4 = 0 AND leo_y % 100 <> 0) "
             "OR leo_y % 400 = 0 THEN 29 ELSE 28 END WHEN leo_m IN (4, 6, 9, 11) THEN 30 "
             "ELSE 31 END")
"""The last day of the month, by arithmetic: no date is made to find it, which a target
could make (and fail at) before the check that the month is valid."""


def _template(name: str, places: int) -> str:
    """The function's T-SQL with ``leo_<part>`` for each part and ``leo_failed`` for the
    error; ``places``: the places of a second its fraction ``f`` counts (DATETIME2, TIME).
    The parts are checked in place of the year (of the hour for ``TIMEFROMPARTS``), so that
    the check comes before any target makes the date."""
    kind = _KINDS[name]
    has = set(kind.parts)
    checks = [f"leo_{part} BETWEEN {low} AND {high}" for part, (low, high) in _RANGES.items()
              if part in has]
    if kind.years is not None:
        checks.insert(0, f"leo_y BETWEEN {kind.years[0]} AND {kind.years[1]}")
    if "f" in has:
        checks.append(f"leo_f BETWEEN 0 AND {10 ** places - 1}")
    first = "leo_y" if "y" in has else "leo_h"
    day = f" WHEN leo_d > {_LAST_DAY} THEN leo_failed" if "d" in has else ""
    checked = (f"CASE WHEN NOT ({' AND '.join(checks)}) THEN leo_failed{day} "
               f"ELSE {first} END")
    fraction = ("leo_ms" if "ms" in has else
                f"leo_f * {10 ** (3 - places)}" if "f" in has and places <= 3 else
                f"leo_f / {10 ** (places - 3)}" if "f" in has else "0")
    seconds = " + ".join(term for part, term in (("h", "leo_h * 3600"), ("mi", "leo_mi * 60"),
                                                 ("s", "leo_s")) if part in has)
    if "y" in has:
        precision = f"({places})" if name == "DATETIME2FROMPARTS" else ""
        base = f"CAST(DATEFROMPARTS({checked}, leo_m, leo_d) AS {kind.type_sql}{precision})"
    else:
        base = "CAST('1900-01-01' AS DATETIME)"
        seconds = seconds.replace("leo_h", f"({checked})", 1)
    moved = f"DATEADD(millisecond, {fraction}, DATEADD(second, {seconds}, {base}))"
    return f"CAST({moved} AS TIME({places}))" if name == "TIMEFROMPARTS" else moved


def _places(name: str, arguments: list[exp.Expression], line: int) -> int:
    """The precision a ``DATETIME2FROMPARTS`` or ``TIMEFROMPARTS`` is given (a literal 0 to
    7, as SQL Server requires); 3 for the others."""
    if name not in ("DATETIME2FROMPARTS", "TIMEFROMPARTS"):
        return 3
    given = arguments[-1]
    if not (isinstance(given, exp.Literal) and given.is_int and 0 <= int(given.name) <= 7):
        raise ScriptError(line, f"{name}'s precision must be a whole number from 0 to 7 "
                          "written in the script, as SQL Server requires")
    return int(given.name)


def _built(node: exp.Expression, name: str, dialect: str, line: int) -> exp.Expression:
    kind = _KINDS[name]
    arguments = _arguments(node)
    if len(arguments) != len(kind.parts):
        raise ScriptError(line, f"{name} takes {len(kind.parts)} arguments, "
                          f"not {len(arguments)}")
    places = _places(name, arguments, line)
    failed = text_bounds.raised(not_constructed(name.removesuffix("FROMPARTS").lower()),
                                dialect)
    values = {f"leo_{part}": value for part, value in zip(kind.parts, arguments, strict=True)}
    return filled(_template(name, places), {**values, "leo_failed": failed})


def for_target(tree: exp.Expression, dialect: str, line: int
               ) -> tuple[exp.Expression, bool]:
    """The tree with each function written as date arithmetic (see the module), and whether
    any was (PostgreSQL then needs ``text_bounds.POSTGRES_SETUP`` for its error)."""
    found = False
    # (the innermost first: an outer function takes copies of its parts, built already)
    for node in reversed(list(tree.find_all(exp.TimestampFromParts, exp.TimeFromParts,
                                            exp.Anonymous))):
        name = _function(node)
        if name is None:
            continue
        found = True
        new = _built(node, name, dialect, line)
        if node is tree:
            return new, True
        node.replace(new)
    return tree, found


def shown_type(node: exp.Expression) -> tuple[str, int] | None:
    """(SQL Server's type, places of a second) of one of the functions, for its display."""
    name = _function(node)
    if name is None or name == "TIMEFROMPARTS":
        return None
    if name == "DATETIME2FROMPARTS":
        given = _arguments(node)[-1]
        places = int(given.name) if isinstance(given, exp.Literal) and given.is_int else 7
        return "datetime2", min(places, 7)
    return ("smalldatetime", 0) if name == "SMALLDATETIMEFROMPARTS" else ("datetime", 3)
