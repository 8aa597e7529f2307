"""A ``DATE`` written as text in a style with a time keeps its date alone: ``2015-04-06``.

SQL Server's style 121 is "ODBC canonical with milliseconds, default for time, date,
datetime2" (Microsoft's CAST and CONVERT docs, "Date and time styles"): a value writes the
parts of the style its type holds, so ``CONVERT(VARCHAR(30), StartDate, 121)`` of a ``DATE``
is ``2015-04-06``, as a ``CAST`` of it is, and so are styles 120, 126 and 127 (and 20, 21),
whose time a ``DATE`` has none of. The targets wrote the style's pattern whole
(``2015-04-06 00:00:00.000``, ``2015-04-06T00:00:00``). So such a conversion of a value that
is a ``DATE`` for certain (a column met only as a ``DATE``, a cast to one, a ``MIN`` or
``MAX`` of either) is written in style 23 (``yyyy-mm-dd``); a ``DATETIME`` keeps its time.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.date_operands import MadeNames, date_for_certain, made_names
from leo_synth.tsql.integer_casts import ColumnKinds
from leo_synth.tsql.value_rewrites import TEXT_TYPES

TIMED_ISO_STYLES = ("20", "120", "21", "121", "126", "127")
"""``CONVERT``'s styles of ISO text with a time, which a ``DATE`` writes without it."""
DATE_STYLE = "23"
"""ISO 8601's date alone, ``yyyy-mm-dd``."""


def _a_date(node: exp.Expression, kinds: ColumnKinds, moments: set[str],
            made: MadeNames) -> bool:
    """A ``DATE`` for certain (:func:`date_for_certain`), or the ``MIN`` or ``MAX`` of one."""
    while isinstance(node, exp.Paren | exp.Min | exp.Max):
        node = node.this
    return date_for_certain(node, kinds, moments, made)


def for_target(tree: exp.Expression, kinds: ColumnKinds, moments: set[str]
               ) -> exp.Expression:
    """``tree`` with each ``DATE`` converted to text in a style with a time written in style
    23 (``moments``: the column names ever met holding a date and time)."""
    made = made_names(tree, kinds, moments)
    for node in tree.find_all(exp.Convert):
        style, to = node.args.get("style"), node.this
        if (isinstance(style, exp.Literal) and style.name in TIMED_ISO_STYLES
                and isinstance(to, exp.DataType) and to.this in TEXT_TYPES
                and _a_date(node.expression, kinds, moments, made)):
            node.set("style", exp.Literal.number(DATE_STYLE))
    return tree
