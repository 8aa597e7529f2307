"""Text grouped as the SRS's collation groups it: ignoring case and trailing spaces.

Under SQL Server's default collation ``Latin1_General_CI_AS`` text that differs only in case
is equal, and a comparison pads the shorter text with spaces ("SQL Server follows the ANSI/ISO
SQL-92 specification ... on how to compare strings with spaces": Microsoft's "How SQL Server
compares strings with trailing spaces"), so ``GROUP BY``, ``SELECT DISTINCT`` and ``COUNT(DISTINCT
...)`` make one group of ``'abc'``, ``'ABC'`` and ``'abc '``. The targets compare bytes: a
script that grouped labels of its own (``'Male'`` from one source, ``'MALE'`` from another,
a ``CHAR(10)`` beside a ``VARCHAR``) counted three groups where the SRS counts one. So:

- a text expression a query groups by (a column that holds text wherever the script met it,
  a text function, a ``CASE`` of text that could meet another in another case) is grouped
  by its lower-case text without trailing spaces, and shown, wherever the query names it
  outside an aggregate, as its ``MIN`` (which of the group's spellings SQL Server shows is
  not defined; the targets' least, ``'ABC'`` before ``'abc'``, here);
- a ``SELECT DISTINCT`` of such text, without aggregates or windows, is that grouping;
- ``COUNT(DISTINCT x)`` of text counts the lower-case text without trailing spaces;
- a window's ``PARTITION BY`` of such text, in a query that does not group, partitions by
  it too (``COUNT(*) OVER (PARTITION BY x)`` counts ``'a'`` and ``'A'`` together).

A collation written in the script that keeps case (``_CS_``, ``_BIN``) keeps it (and its
trailing spaces, which SQL Server ignores there too). Left as the target groups them (said
in the README): a query ``FOR XML`` or ``FOR JSON`` and those within it, ``ROLLUP``,
``CUBE`` and ``GROUPING SETS``, a group that a subquery of the select list, ``HAVING``
or ``ORDER BY`` reads, and ``UNION``'s distinct rows.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.collation import ignores_case
from leo_synth.tsql.grouping_sets import grouping_sets


def _folded(node: exp.Expression) -> exp.Expression:
    """``node``'s text as compared: lower case, without trailing spaces."""
    return exp.Lower(this=exp.Trim(this=node.copy(), position="TRAILING"))


def _fixed_texts(node: exp.Expression) -> bool:
    """A ``CASE`` (or literal) whose every value is a string literal (or NULL) and no two
    alike but for case and trailing spaces: no group of it can meet another."""
    if isinstance(node, exp.Paren):
        return _fixed_texts(node.this)
    if isinstance(node, exp.Literal):
        return node.is_string
    if not isinstance(node, exp.Case):
        return False
    values = [branch.args["true"] for branch in node.args.get("ifs") or []]
    values.append(node.args.get("default") or exp.Null())
    if not all(isinstance(v, exp.Null) or (isinstance(v, exp.Literal) and v.is_string)
               for v in values):
        return False
    texts = [v.name for v in values if isinstance(v, exp.Literal)]
    return len({t.lower().rstrip(" ") for t in texts}) == len(set(texts))


def _key(node: exp.Expression) -> str:
    """An expression's SQL without table qualifiers, in lower case (``t.code`` is ``code``)."""
    bare = node.copy()
    for column in bare.find_all(exp.Column):
        column.set("table", None)
        column.set("db", None)
    return bare.sql("tsql").lower()


def _grouped_text(node: exp.Expression, texts: dict[str, bool]) -> bool:
    return ignores_case(node, texts) and not _fixed_texts(
        node.this if isinstance(node, exp.Collate) else node)


def _aggregated(node: exp.Expression, select: exp.Select) -> bool:
    """Whether ``node`` is inside an aggregate of ``select`` (a window's own function is
    computed after grouping: not one) or inside a subquery of it."""
    parent = node.parent
    while parent is not None and parent is not select:
        if isinstance(parent, exp.Select):
            return True
        if isinstance(parent, exp.AggFunc) and not isinstance(parent.parent, exp.Window):
            return True
        parent = parent.parent
    return False


def _after_grouping(select: exp.Select) -> list[exp.Expression]:
    """The parts of ``select`` computed after its grouping: its list, ``HAVING``, ``ORDER BY``."""
    parts = [*select.expressions, select.args.get("having"), select.args.get("order")]
    return [part for part in parts if part is not None]


def _in_subquery(select: exp.Select, names: set[str]) -> bool:
    """Whether a subquery in ``select``'s list, ``HAVING`` or ``ORDER BY`` (computed after
    grouping) names a column of a group (``names``, lower case; left as the target groups:
    the column would be no group there)."""
    for part in _after_grouping(select):
        for inner in part.find_all(exp.Select):
            if any(c.name.lower() in names for c in inner.find_all(exp.Column)):
                return True
    return False


def _named(node: exp.Expression, keys: set[str], columns: set[str], select: exp.Select
           ) -> list[exp.Expression]:
    """The outermost expressions of ``keys`` within ``node`` outside an aggregate, and the
    columns (of ``columns``) of a group there outside them (``ORDER BY v`` of a ``SELECT
    DISTINCT`` whose ``v`` the translation cast: grouped in the SRS, a column of the group)."""
    if isinstance(node, exp.Identifier):
        return []  # (a name, as an alias's: ``code AS Code`` is no value of the group)
    if isinstance(node, exp.Alias | exp.Ordered | exp.Order | exp.Having) or (
            _aggregated(node, select)):
        named = False
    else:
        named = _key(node) in keys or (isinstance(node, exp.Column)
                                       and node.name.lower() in columns)
    if named:
        return [node]
    return [found for child in node.iter_expressions()
            for found in _named(child, keys, columns, select)]


def _shown_as_least(select: exp.Select, folded: list[exp.Expression]) -> None:
    """Each expression of ``folded`` (and each column of one) that ``select`` names outside
    an aggregate (its list, ``HAVING``, ``ORDER BY``) as its ``MIN``; a bare column keeps its
    name."""
    keys = {_key(e) for e in folded}
    columns = {c.name.lower() for e in folded for c in e.find_all(exp.Column)}
    for part in _after_grouping(select):
        for node in _named(part, keys, columns, select):
            least = exp.Min(this=node.copy())
            if node is part and isinstance(node, exp.Column):  # (a bare item keeps its name)
                node.replace(exp.Alias(this=least, alias=node.this.copy()))
            else:
                node.replace(least)


def _grouped(select: exp.Select, texts: dict[str, bool]) -> None:
    group = select.args.get("group")
    if not isinstance(group, exp.Group) or grouping_sets(group) is not None:
        return
    folded = [e for e in group.expressions if _grouped_text(e, texts)]
    if not folded or _in_subquery(select, {c.name.lower() for e in folded
                                           for c in e.find_all(exp.Column)}):
        return
    _shown_as_least(select, folded)
    group.set("expressions", [_folded(e) if e in folded else e for e in group.expressions])


def _distinct(select: exp.Select, texts: dict[str, bool]) -> None:
    """``SELECT DISTINCT`` of text as a ``GROUP BY`` of its items but literals (not with
    aggregates or windows, which the grouping would change, nor ``DISTINCT ON``)."""
    distinct = select.args.get("distinct")
    if not isinstance(distinct, exp.Distinct) or distinct.args.get("on") or select.args.get(
            "group") or select.is_star:
        return
    items = [item.this if isinstance(item, exp.Alias) else item for item in select.expressions]
    if any(node.find(exp.AggFunc, exp.Window, exp.Select) for node in items) or not any(
            _grouped_text(item, texts) for item in items):
        return
    select.set("distinct", None)
    # (a literal is one value in every row: left out, as a target reads a number there as a
    # position, `SELECT DISTINCT pmr, 2015 AS cohort` stopping with "GROUP BY term out of range")
    select.set("group", exp.Group(expressions=[item.copy() for item in items
                                               if not _literal(item)]))


def _literal(node: exp.Expression) -> bool:
    """Whether ``node`` is a literal (``2015``, ``-1``, ``'KS4'``, ``NULL``)."""
    while isinstance(node, exp.Paren | exp.Neg):
        node = node.this
    return isinstance(node, exp.Literal | exp.Null)


def _joined_or_written(select: exp.Select) -> bool:
    """Whether ``select`` is (or is within) a query ``FOR XML`` or ``FOR JSON``, whose rows
    are joined or written later (``string_aggregates``, ``json_results``)."""
    node: exp.Expression | None = select
    while node is not None:
        if isinstance(node, exp.Select) and node.args.get("for_"):
            return True
        node = node.parent
    return False


def for_target(tree: exp.Expression, texts: dict[str, bool]) -> exp.Expression:
    """The tree with text grouped, made distinct and counted distinct ignoring case and
    trailing spaces (``texts``: column names, lower case, and whether they hold text)."""
    for count in list(tree.find_all(exp.Count)):
        distinct = count.this
        if isinstance(distinct, exp.Distinct) and len(distinct.expressions) == 1 and (
                _grouped_text(distinct.expressions[0], texts)):
            distinct.set("expressions", [_folded(distinct.expressions[0])])
    for select in list(tree.find_all(exp.Select)):
        if _joined_or_written(select):
            continue
        _distinct(select, texts)
        _grouped(select, texts)
    for window in list(tree.find_all(exp.Window)):
        select = window.find_ancestor(exp.Select)
        if select is None or select.args.get("group") or _joined_or_written(select):
            continue  # (a grouped query's windows partition its groups, shown already)
        window.set("partition_by", [_folded(key) if _grouped_text(key, texts) else key
                                    for key in window.args.get("partition_by") or []])
    return tree
