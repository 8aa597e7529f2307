"""A recursive CTE whose recursive part gives a column another type than its anchor stops, as
in SQL Server.

SQL Server refuses ``WITH path AS (SELECT 1 AS n, 'a' AS s UNION ALL SELECT n + 1, s + 'b'
FROM path ...)`` when it compiles the batch, with error 240 ("Types don't match between the
anchor and the recursive part in column "s" of recursive query "path"."): the anchor's ``s``
is a ``VARCHAR(1)``, the recursive part's a ``VARCHAR(2)``; the anchor is written
``CAST('a' AS VARCHAR(100))``. So too a month series started from text (``'2015-04-01' AS
m``, a ``VARCHAR(10)``) and moved by ``DATEADD`` (a ``DATETIME``). Every target ran both. A
column is compared where both types are certain: text of a length SQL Server gives for
certain (``text_lengths.value_length``), a cast's type, ``DATEADD`` of one of them.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.text_lengths import value_length
from leo_synth.tsql.union_types import branches as union_branches

Kind = tuple[str, int | None]
"""A value's type where certain: ("text", length), or a cast's type ("DATE", None)."""


def _reads(branch: exp.Select, name: str) -> set[str]:
    """The names (lower case) by which ``branch`` reads the CTE ``name`` (none: an anchor)."""
    return {t.alias_or_name.lower() for t in branch.find_all(exp.Table)
            if t.name.lower() == name and not t.args.get("db")}


def _kind(node: exp.Expression, own: dict[str, Kind], readers: set[str]) -> Kind | None:
    """``node``'s type where certain; ``own``: the CTE's columns' types (from its anchor),
    read by a column qualified by one of ``readers`` or by none."""
    if isinstance(node, exp.Paren):
        return _kind(node.this, own, readers)
    if isinstance(node, exp.Column):
        held = not node.table or node.table.lower() in readers
        return own.get(node.name.lower()) if held and readers else None
    if isinstance(node, exp.Cast) and not node.args.get("to").is_type(*exp.DataType.TEXT_TYPES):
        return node.args["to"].sql(dialect="tsql").upper(), None
    if isinstance(node, exp.DateAdd):
        moved = _kind(node.this, own, readers)
        if moved is not None and moved[0] == "text":
            return "DATETIME", None  # (DATEADD of text is a DATETIME)
        return moved
    lengths = {name: kind[1] for name, kind in own.items() if kind[0] == "text"} if (
        readers) else {}
    if any(isinstance(c, exp.Column) and c.table and c.table.lower() not in readers
           for c in node.find_all(exp.Column)) or any(
            text.is_string and not text.name for text in node.find_all(exp.Literal)):
        return None  # (another table's column, or '', whose length is not certain here)
    length = value_length(node, lengths)
    return ("text", length) if length is not None else None


def check(tree: exp.Expression, line: int) -> None:
    """Stop with SQL Server's error 240 where a recursive CTE's recursive part gives a column
    a type its anchor does not, both certain."""
    for cte in tree.find_all(exp.CTE):
        name = cte.alias.lower()
        branches = union_branches(cte.this)
        anchors = [b for b in branches if not _reads(b, name)]
        if not anchors or len(anchors) == len(branches) or any(
                s.is_star for b in branches for s in b.selects):
            continue
        anchor = anchors[0]
        listed = cte.args["alias"].columns  # (WITH d (day, k) AS ...)
        headings = [c.name for c in listed] if listed else [
            s.alias_or_name for s in anchor.selects]
        own = {heading.lower(): kind for heading, item in zip(headings, anchor.selects,
                                                              strict=False)
               if (kind := _kind(item.unalias(), {}, set())) is not None}
        for branch in branches:
            readers = _reads(branch, name)
            if not readers:
                continue
            for heading, item in zip(headings, branch.selects, strict=False):
                first, then = own.get(heading.lower()), _kind(item.unalias(), own, readers)
                if first is not None and then is not None and first != then:
                    said = (f"Types don't match between the anchor and the recursive part in "
                            f"column \"{heading}\" of recursive query \"{cte.alias}\".")
                    raise ScriptError(line, said, number=240, said=said)
