"""The columns a statement's derived tables and CTEs make of text, known as text there.

The translator knows a column as text by its name, wherever the script met it in a table
(``Translator._met``). A label a CTE or derived table makes (``CASE WHEN ... THEN 'PAYE only'
... ELSE 'both' END AS status``, a ``UNION ALL`` of literals, an ``UNPIVOT``'s column of the
names it lists) is met in no table, so it was not known as text: ordered, grouped and compared
by the targets' bytes, ``ORDER BY status`` gave ``PAYE only``, ``SA only``, ``both`` where the
SRS's case-insensitive collation gives ``both``, ``PAYE only``, ``SA only``. SQL Server gives
such a column the database's collation, as it gives its literals.

So a name the statement's derived tables and CTEs make (``derived_columns.made_items``) that
no table holds, and that every item making it makes of text (``rewrites.is_text``: a string
literal, a text function, a ``CASE`` of text, another such column; a ``NULL`` beside text, or
the column passed through, changes nothing) is text for the passes that order, group and
compare text ignoring case (``text_order``, ``text_groups``, ``collation``), for that statement.
So is the ``value`` of a statement that reads a ``STRING_SPLIT`` (``string_splits.splits``,
asked before the split is translated): the parts of a text. Rejected: marking ``value`` as
text for the session, which made a later table's integer ``value`` column text too.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.derived_columns import made_items, passed_name
from leo_synth.tsql.rewrites import is_text


def with_derived(tree: exp.Expression, texts: dict[str, bool],
                 split: bool = False) -> dict[str, bool]:
    """``texts`` with the names (lower case) ``tree``'s derived tables and CTEs make of
    text and no table holds, and ``value`` when the statement reads a ``STRING_SPLIT``
    (``split``; see the module's docstring)."""
    known = dict(texts)
    if split:
        known["value"] = True
    made = {name: [item for item in items
                   if not isinstance(item, exp.Null) and passed_name(item) != name]
            for name, items in made_items(tree).items() if known.get(name) is None}
    found = True
    while found:  # (a column made of another such column: learnt round by round)
        found = False
        for name, items in made.items():
            if name not in known and items and all(is_text(item, known) for item in items):
                known[name] = found = True
    return known
