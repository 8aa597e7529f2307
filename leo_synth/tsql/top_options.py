"""``TOP n WITH TIES`` and ``TOP n PERCENT``, which no target has, as a ranked subquery.

``SELECT TOP 10 WITH TIES school, pupils ... ORDER BY pupils DESC`` keeps every row that ties
with the tenth; ``SELECT TOP 10 PERCENT ... ORDER BY score`` keeps the first tenth of the rows,
rounded up (``WITH TIES`` adds the rows tied with the last). The query runs as a subquery
that also computes its ``ORDER BY`` keys; a query around it numbers the rows in the keys'
order (``RANK()`` for ties, ``ROW_NUMBER()`` otherwise, with ``COUNT(*) OVER ()`` for a
percentage), and the outer query keeps the rows within the cut, in that order, under the names
the script gave. The keys are computed first because a key may itself be a window: ``TOP 1
WITH TIES ... ORDER BY ROW_NUMBER() OVER (PARTITION BY pmr ORDER BY d DESC)``, the idiom for
each person's latest row, which no target can rank over directly. An ``ORDER BY`` that names
a select list's alias or position is read as that expression. A ``*`` (``SELECT TOP 1 WITH TIES
* FROM ...``, ``TOP 10 PERCENT * ... ORDER BY NEWID()``) stands for the columns of its sources
when they are known before the query runs (relations of the extract, derived tables:
``star_headings.star_columns``); over a table of the session it is refused, naming the columns.

Rejected: the targets' own ``FETCH FIRST ... WITH TIES`` (PostgreSQL has it, SQLite and
DuckDB do not, and none has a percentage); one form for every target is checked once.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.rewrites import replaced
from leo_synth.tsql.star_headings import star_columns

RANK, ROWS, RELATION, KEYED = "leo_rank", "leo_rows", "leo_top", "leo_keyed"


def _options(select: exp.Select) -> tuple[bool, bool]:
    """(percent, with ties) of the select's ``TOP``."""
    limit = select.args.get("limit")
    options = limit.args.get("limit_options") if isinstance(limit, exp.Limit) else None
    if options is None:
        return False, False
    return bool(options.args.get("percent")), bool(options.args.get("with_ties"))


def _key(ordered: exp.Ordered, selects: list[exp.Expression]) -> exp.Ordered:
    """An ``ORDER BY`` key with an alias or position of the select list replaced by what it
    names (a window's ``ORDER BY`` reads neither)."""
    key, named = ordered.copy(), ordered.this
    if isinstance(named, exp.Literal) and not named.is_string and named.this.isdigit():
        position = int(named.this)
        if 1 <= position <= len(selects):
            key.set("this", selects[position - 1].unalias().copy())
    elif isinstance(named, exp.Column) and not named.table:
        for item in selects:
            if isinstance(item, exp.Alias) and item.alias.lower() == named.name.lower():
                key.set("this", item.this.copy())
                break
    return key


def _ranked(select: exp.Select, line: int, own: Callable[[str], bool]) -> exp.Select:
    percent, ties = _options(select)
    selects = select.expressions
    if any(s.is_star for s in selects):
        expanded = star_columns(select, own)
        if expanded is None:
            raise ScriptError(line, "TOP ... PERCENT or WITH TIES with SELECT * over a table "
                              "of the session cannot be translated: name the columns")
        selects = expanded
    if select.args.get("distinct"):
        raise ScriptError(line, "SELECT DISTINCT TOP ... PERCENT or WITH TIES cannot be "
                          "translated: take the DISTINCT rows in a subquery first")
    order = select.args.get("order")
    if ties and order is None:
        raise ScriptError(line, "The TOP N WITH TIES clause is not allowed without a "
                          "corresponding ORDER BY clause.")
    amount = select.args["limit"].expression.copy()
    keys = [_key(o, selects) for o in order.expressions] if order is not None else []
    inner = select.copy()
    inner.set("limit", None)
    inner.set("order", None)
    names = [item.alias_or_name for item in selects]
    inner.set("expressions", [exp.alias_(item.unalias().copy(), f"leo_c{i}")
                              for i, item in enumerate(selects)]
              + [exp.alias_(key.this.copy(), f"leo_k{j}") for j, key in enumerate(keys)])
    by = [exp.Ordered(this=exp.column(f"leo_k{j}"), desc=key.args.get("desc"),
                      nulls_first=key.args.get("nulls_first")) for j, key in enumerate(keys)]
    window = exp.Window(this=exp.Rank() if ties else exp.RowNumber(),
                        order=exp.Order(expressions=by) if by else None)
    ranked = exp.select(exp.Star(), exp.alias_(window, RANK)).from_(exp.Subquery(
        this=inner, alias=exp.TableAlias(this=exp.to_identifier(KEYED))))
    rank = exp.column(RANK, RELATION)
    if percent:  # the first ceil(n% of the rows): (rank - 1) * 100 < n * rows
        ranked.append("expressions", exp.alias_(
            exp.Window(this=exp.Count(this=exp.Star())), ROWS))
        cut: exp.Expression = exp.LT(
            this=exp.Mul(this=exp.Paren(this=exp.Sub(this=rank, expression=exp.Literal.number(
                1))), expression=exp.Literal.number("100.0")),
            expression=exp.Mul(this=exp.Paren(this=amount),
                               expression=exp.column(ROWS, RELATION)))
    else:
        cut = exp.LTE(this=rank.copy(), expression=amount)
    outer = exp.select(*[exp.alias_(exp.column(f"leo_c{i}", RELATION), name, quoted=True)
                         if name else exp.column(f"leo_c{i}", RELATION)
                         for i, name in enumerate(names)])
    outer = outer.from_(exp.Subquery(this=ranked, alias=exp.TableAlias(
        this=exp.to_identifier(RELATION)))).where(cut)
    return outer.order_by(rank.copy())


def for_target(tree: exp.Expression, line: int,
               own: Callable[[str], bool]) -> exp.Expression:
    """The tree with each ``TOP ... PERCENT`` or ``TOP ... WITH TIES`` query ranked (inner
    queries first, so that an outer one's copy holds them ranked); ``own(name)``: whether a
    (lower-case) name is one the script made (``star_headings.star_columns``)."""
    for select in reversed(list(tree.find_all(exp.Select))):
        if not any(_options(select)):
            continue
        tree = replaced(tree, select, _ranked(select, line, own))
    return tree
