"""A #temp table's column declared with a collation that keeps case compares keeping it.

``CREATE TABLE #k (pmr VARCHAR(20) COLLATE Latin1_General_CS_AS)`` (or ``_BIN``,
``SQL_Latin1_General_CP1_CS_AS``) makes SQL Server compare, group, count distinct, order and
join that column keeping case, as if every use of it were written ``pmr COLLATE
Latin1_General_CS_AS``: ``WHERE pmr = 'abc'`` does not find ``'ABC'``, and ``GROUP BY pmr``
makes two groups of them. leo-synth dropped the column's collation and compared it ignoring
case (``collation``, ``text_groups``, ``padded_comparisons``) as the SRS's default one
does. So each use of such a column where its collation counts (an operand of a comparison,
``IN``, ``LIKE``, ``NULLIF``, ``CHARINDEX``, ``REPLACE``, a simple ``CASE``; a ``GROUP BY``,
``PARTITION BY`` or ``ORDER BY`` key; ``COUNT(DISTINCT ...)``; an item of a ``SELECT
DISTINCT``) is written under its collation, which those rewrites then keep case for. A
collation that ignores case (``_CI_``) is the default's behaviour: nothing changes.

Columns are known by name, as the translator knows the types of the session's columns: a
name declared so by any #temp table is collated wherever it is met (two tables of one name
with two collations would be SQL Server's error 468, "Cannot resolve the collation
conflict", when compared). Left as the targets do: ``ROLLUP``, ``CUBE`` and ``GROUPING SETS``
keys.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.grouping_sets import grouping_sets
from leo_synth.tsql.rewrites import is_assignment
from leo_synth.tsql.value_rewrites import keeps_case

_OPERANDS = (exp.EQ, exp.NEQ, exp.LT, exp.LTE, exp.GT, exp.GTE, exp.Between, exp.In,
             exp.Like, exp.Nullif, exp.StrPosition, exp.Replace)


def declared(tree: exp.Create) -> dict[str, str]:
    """The columns (lower-case names) of a ``CREATE TABLE`` declared with a collation that
    keeps case, and its name."""
    schema = tree.this
    found = {}
    for column in schema.expressions if isinstance(schema, exp.Schema) else []:
        if not isinstance(column, exp.ColumnDef):
            continue
        for constraint in column.args.get("constraints") or []:
            kind = constraint.args.get("kind")
            if isinstance(kind, exp.CollateColumnConstraint):
                name = kind.this.name
                if keeps_case(exp.Collate(this=exp.Null(), expression=exp.var(name))):
                    found[column.name.lower()] = name
    return found


def _counts(column: exp.Column) -> bool:
    """Whether ``column``'s collation counts where it stands (see the module's list)."""
    parent, key = column.parent, column.arg_key
    if isinstance(parent, _OPERANDS):
        return not (isinstance(parent, exp.EQ) and is_assignment(parent) and key == "this")
    if isinstance(parent, exp.Case):
        return key == "this"
    if isinstance(parent, exp.Group):
        return key == "expressions" and grouping_sets(parent) is None
    if isinstance(parent, exp.Ordered):
        return True
    if isinstance(parent, exp.Window):
        return key == "partition_by"
    if isinstance(parent, exp.Distinct):
        return isinstance(parent.parent, exp.Count)
    return False


def _distinct_item(column: exp.Column) -> bool:
    """Whether ``column`` is an item (aliased or not) of a ``SELECT DISTINCT``."""
    item = column.parent if isinstance(column.parent, exp.Alias) else column
    select = item.parent
    return (isinstance(select, exp.Select) and item.arg_key == "expressions"
            and isinstance(select.args.get("distinct"), exp.Distinct))


def collated(tree: exp.Expression, cased: dict[str, str]) -> exp.Expression:
    """The tree with each use of a column of ``cased`` (lower-case name to collation) where
    its collation counts written under it (``pmr COLLATE Latin1_General_CS_AS``)."""
    if not cased:
        return tree
    for column in list(tree.find_all(exp.Column)):
        collation = cased.get(column.name.lower())
        if collation is None or isinstance(column.this, exp.Star) or isinstance(
                column.parent, exp.Collate):
            continue
        if _counts(column):
            column.replace(exp.Collate(this=column.copy(), expression=exp.var(collation)))
        elif _distinct_item(column):
            if isinstance(column.parent, exp.Alias):
                column.replace(exp.Collate(this=column.copy(), expression=exp.var(collation)))
            else:
                column.replace(exp.Alias(
                    this=exp.Collate(this=column.copy(), expression=exp.var(collation)),
                    alias=column.this.copy()))
    return tree
