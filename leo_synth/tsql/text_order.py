"""Text ordered as the SRS's collation orders it: ignoring case.

The SRS's databases use SQL Server's case-insensitive collation (``Latin1_General_CI_AS``),
which orders ``White and Asian`` before ``White British``, as a dictionary does. The targets
order text by its bytes, every capital before every small letter, so ``SELECT
EthnicGroup_spr08, COUNT(*) ... GROUP BY EthnicGroup_spr08 ORDER BY EthnicGroup_spr08`` gave
its rows in another order than the SRS (``White British``, ``White Irish``, ``White and
Asian``), and ``TOP 1 ... ORDER BY`` text, or ``ROW_NUMBER() OVER (ORDER BY`` text``)``, chose
another row, and ``STRING_AGG(x, ',') WITHIN GROUP (ORDER BY x)`` joined ``C,a,b`` where the
SRS joins ``a,b,C``. So text ordered by a query's ``ORDER BY``, a window's or a
``STRING_AGG``'s ``WITHIN GROUP`` (a column that holds text wherever the script met it, a text
function, or a select-list alias of either) is ordered in lower case; a binary collation
written in the script (``_BIN``) keeps the target's order, and a case-sensitive one (``COLLATE
Latin1_General_CS_AS``) orders as SQL Server's does, by the letters first and then each small
letter before its capital (``a``, ``A``, ``b``, ``B``; the targets gave ``A``, ``B``, ``a``,
``b``): in lower case, then by the bytes in descending order (a small letter's are above
its capital's). A ``SELECT DISTINCT`` and a ``UNION``'s ``ORDER BY`` are left as the target orders
them (PostgreSQL orders those by the listed columns alone; ``text_groups`` makes a ``SELECT
DISTINCT`` of text a grouping, ordered here). Grouping: ``text_groups``.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.collation import ignores_case


def _aliased(select: exp.Select, node: exp.Expression) -> exp.Expression | None:
    """The select-list expression an ``ORDER BY`` name stands for (``ORDER BY kind`` of
    ``CASE ... END AS kind``), None for any other item."""
    if not isinstance(node, exp.Column) or node.table:
        return None
    return next((item.this for item in select.selects if isinstance(item, exp.Alias)
                 and item.alias.lower() == node.name.lower()), None)


def _case_sensitive(node: exp.Expression) -> bool:
    """Text under a Windows collation that is case-sensitive and not binary
    (``Latin1_General_CS_AS``; a ``SQL_`` one's order of cases is left to the target)."""
    name = node.expression.name.upper() if isinstance(node, exp.Collate) else ""
    return "_CS" in name and "BIN" not in name and not name.startswith("SQL_")


def _lowered(order: exp.Order, texts: dict[str, bool], select: exp.Select | None) -> None:
    keys: list[exp.Expression] = []
    for ordered in order.expressions:
        keys.append(ordered)
        node = ordered.this
        value = (_aliased(select, node) if select is not None else None) or node
        if _case_sensitive(value) and ignores_case(value.this, texts):
            # (then the small letter first: its bytes are above its capital's)
            keys.append(exp.Ordered(this=value.this.copy(), desc=not ordered.args.get("desc"),
                                    nulls_first=ordered.args.get("nulls_first")))
        elif isinstance(value, exp.Literal) or not ignores_case(value, texts):
            continue
        if isinstance(value, exp.Collate):
            value = value.this
        ordered.set("this", exp.Lower(this=value.copy()))
    order.set("expressions", keys)


def for_target(tree: exp.Expression, texts: dict[str, bool]) -> exp.Expression:
    """The tree with the text its queries and windows order by ordered in lower case."""
    for select in list(tree.find_all(exp.Select)):
        order = select.args.get("order")
        if isinstance(order, exp.Order) and not select.args.get("distinct"):
            _lowered(order, texts, select)
    for window in list(tree.find_all(exp.Window)):
        order = window.args.get("order")
        if isinstance(order, exp.Order):
            _lowered(order, texts, None)
    for joined in list(tree.find_all(exp.GroupConcat)):
        if isinstance(joined.this, exp.Order):  # STRING_AGG ... WITHIN GROUP (ORDER BY x)
            _lowered(joined.this, texts, None)
    return tree
