"""Text cast to a float converts as SQL Server converts it: blank is 0, anything else no
number stops the query.

``CAST(KS4_APMAT AS FLOAT)`` of a grade (``'C'``) stops in the SRS with "Error converting
data type varchar to float.", and so does ``CONVERT(FLOAT, KS4_ACADYR)`` of ``'2015/2016'``.
SQLite's ``CAST`` reads text's leading digits instead (``'C'`` was 0, ``'2015/2016'`` 2015),
so a script that cannot run in the SRS gave believable numbers here. Blank text (``''``, as
the extract holds for some missing codes) is 0 in SQL Server, where PostgreSQL and DuckDB
stopped. So, for a cast to ``FLOAT`` or ``REAL`` (not ``TRY_CAST``): on SQLite a value not
known to be a number goes through the run's conversion function (``LEO_TO_NUMBER``, which
passes numbers by and stops at text that is no number with SQL Server's message); on
PostgreSQL and DuckDB text that is blank is 0 and other text is cast as before (their own
error where SQL Server has its own). Integer and decimal casts have theirs
(``integer_casts``, ``value_rewrites``).
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.float_texts import FLOAT_TYPES
from leo_synth.tsql.integer_casts import ColumnKinds, is_number
from leo_synth.tsql.rewrites import is_text, replaced
from leo_synth.tsql.text_numbers import as_number
from leo_synth.tsql.value_rewrites import cast_parts, is_safe, value_slot


def _float_cast(node: exp.Expression) -> tuple[str, exp.Expression, exp.DataType] | None:
    """(the argument holding the value, the value, the type) of a cast to a float type that
    stops where its value does not convert, or None."""
    parts = cast_parts(node)
    if parts is None or is_safe(node) or parts[1].this not in FLOAT_TYPES:
        return None
    return value_slot(node), *parts


def for_target(tree: exp.Expression, kinds: ColumnKinds, dialect: str) -> exp.Expression:
    """The tree with text cast to a float converted as SQL Server converts it."""
    for node in list(tree.find_all(exp.Cast, exp.Convert)):
        cast = _float_cast(node)
        if cast is None:
            continue
        slot, value, to = cast
        if isinstance(value, exp.Literal) and value.is_string and not value.name.strip():
            # (a number, not a CASE: PostgreSQL works out a CASE's constant arms first)
            tree = replaced(tree, node, exp.cast(exp.Literal.number(0), to))
        elif dialect == "sqlite":
            if not is_number(value, kinds):
                node.set(slot, exp.Anonymous(this="LEO_TO_NUMBER", expressions=[value.copy()]))
        elif is_text(value, kinds.texts):
            tree = replaced(tree, node, as_number(value, to, dialect))
    return tree
