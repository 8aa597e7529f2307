"""``DATETRUNC(unit, d)`` (SQL Server 2022) in the date arithmetic every target is given.

sqlglot reads it as a timestamp truncation that none of the targets' translations spells as
SQL Server means it (on SQLite it was not a function at all). So before translation it
becomes the T-SQL that the other rewrites already carry to each target:

- ``year``, ``quarter``, ``month``, ``day`` (``dayofyear``): the units from day 0 (1900-01-01)
  added back to it, as a date (``DATEADD(month, DATEDIFF(month, 0, d), 0)``, the idiom older
  scripts write by hand);
- ``week``: back to the first day of the week that ``DATEFIRST`` sets (Sunday by default), as
  ``DATEPART(weekday, d)`` counts it;
- ``hour``, ``minute``, ``second``: the same from midnight of day 0, as a datetime.

Other units (``iso_week``, parts of a second) stop the script with one line.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql import sql_templates
from leo_synth.tsql.errors import ScriptError

_DAY_0 = "CAST('1900-01-01' AS DATE)"
_TEMPLATES = {
    "YEAR": f"DATEADD(year, DATEDIFF(year, {_DAY_0}, leo_d), {_DAY_0})",
    "QUARTER": f"DATEADD(quarter, DATEDIFF(quarter, {_DAY_0}, leo_d), {_DAY_0})",
    "MONTH": f"DATEADD(month, DATEDIFF(month, {_DAY_0}, leo_d), {_DAY_0})",
    "DAY": f"DATEADD(day, DATEDIFF(day, {_DAY_0}, leo_d), {_DAY_0})",
    "WEEK": "DATEADD(day, 1 - DATEPART(weekday, leo_d), CAST(leo_d AS DATE))",
    "HOUR": "DATEADD(hour, DATEDIFF(hour, CAST('1900-01-01' AS DATETIME), leo_d), "
            "CAST('1900-01-01' AS DATETIME))",
    "MINUTE": "DATEADD(minute, DATEDIFF(minute, CAST('1900-01-01' AS DATETIME), leo_d), "
              "CAST('1900-01-01' AS DATETIME))",
    "SECOND": "DATEADD(second, DATEDIFF(second, CAST('1900-01-01' AS DATETIME), leo_d), "
              "CAST('1900-01-01' AS DATETIME))",
}
_UNITS = {"YEAR": "YEAR", "YY": "YEAR", "YYYY": "YEAR", "QUARTER": "QUARTER", "QQ": "QUARTER",
          "Q": "QUARTER", "MONTH": "MONTH", "MM": "MONTH", "M": "MONTH", "DAY": "DAY",
          "DD": "DAY", "D": "DAY", "DAYOFYEAR": "DAY", "DY": "DAY", "Y": "DAY", "WEEK": "WEEK",
          "WK": "WEEK", "WW": "WEEK", "HOUR": "HOUR", "HH": "HOUR", "MINUTE": "MINUTE",
          "MI": "MINUTE", "N": "MINUTE", "SECOND": "SECOND", "SS": "SECOND", "S": "SECOND"}
"""T-SQL's names of DATETRUNC's units (and their abbreviations), to the unit."""


def for_targets(tree: exp.Expression, line: int) -> exp.Expression:
    """The tree with every ``DATETRUNC`` written as date arithmetic (see the module)."""
    for node in list(tree.find_all(exp.TimestampTrunc, exp.DateTrunc)):
        written = node.args.get("unit")
        name = (written.name if written is not None else "").upper()
        unit = _UNITS.get(name)
        if unit is None:
            raise ScriptError(line, f"DATETRUNC({name.lower() or '?'}, ...) cannot be "
                              "translated: year, quarter, month, week, day, hour, minute and "
                              "second can")
        node.replace(sql_templates.filled(_TEMPLATES[unit], {"leo_d": node.this}))
    return tree
