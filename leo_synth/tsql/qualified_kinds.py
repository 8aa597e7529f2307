"""A column named alike in two relations, text in one and integers in the other, typed by
its own table where the statement says which.

The translator knows a column's kind by its name, wherever the script met it
(``Translator._met``). Ten names of the extract are text in one relation and integers in
another; the one scripts meet most is ILR's ``Year``: ``varchar(4)`` in ``learners``, ``int``
in ``aims``, the two joined on ``external_id`` in nearly every ILR script. With both met,
``Year`` was neither, so ``WHERE l.Year >= 2015`` was left as written: PostgreSQL and DuckDB
refused to compare text with an integer (or to add one to it), where SQL Server converts the
text. So such a column, where it is compared (``=``, ``<``, ``IN``, ``BETWEEN`` and the like)
or in arithmetic, is cast to its
own table's type (named by its qualifier, or the only table of the statement that has it),
which changes nothing in SQL Server and lets the later rewrites read its kind. So is such a
column a ``UNION``'s branch selects, by the branch's own tables (``SELECT Year FROM learners
UNION SELECT Year FROM aims``: ``union_types`` then converts the text to the integers' type).
Rejected: keying every kind by table as well as name, which every module reading the
kinds would have to follow, for ten names.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from leo_synth.tsql.targets import INT, INTEGER, TEXT
from leo_synth.tsql.union_types import branches

COMPARED = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.In, exp.Between,
            exp.Add, exp.Sub, exp.Mul, exp.Div)
"""Where a column's kind decides what SQL Server does: comparisons, and arithmetic
(``l.Year + 1`` is 2016, as the text is converted to the number's type)."""
_CASTS = {TEXT: "VARCHAR(MAX)", INTEGER: "BIGINT", INT: "INT"}


def mixed(kinds: set[str]) -> bool:
    """Whether a name met holding ``kinds`` is text in one table and integers in another."""
    return TEXT in kinds and bool(kinds & {INTEGER, INT})


def _compared_columns(tree: exp.Expression, names: set[str]) -> list[exp.Column]:
    return [column for node in tree.find_all(*COMPARED)
            for column in node.iter_expressions()
            if isinstance(column, exp.Column) and column.name.lower() in names]


def typed(tree: exp.Expression, names: set[str], tables: list[exp.Table],
          columns: Callable[[exp.Table], dict[str, str]]) -> exp.Expression:
    """``tree`` with each compared column of ``names`` (mixed names, lower case) cast to its
    own table's kind; ``tables``: the statement's resolved tables, ``columns``: a table's
    column kinds by lower-case name."""
    compared = _compared_columns(tree, names)
    statement = _kinds(tables, columns) if compared else {}
    for column in compared:
        kind = _kind(column, statement)
        if kind in _CASTS:
            column.replace(_cast(column, kind))
    per_branch: dict[int, dict[str, dict[str, str] | None]] = {}
    for branch, item, column in _union_items(tree, names):
        if id(branch) not in per_branch:
            inside = {id(table) for table in branch.find_all(exp.Table)}
            per_branch[id(branch)] = _kinds([t for t in tables if id(t) in inside], columns)
        kind = _kind(column, per_branch[id(branch)])
        if kind in _CASTS:  # (the first branch's names are the result's)
            cast = _cast(column, kind)
            column.replace(cast if item is not column else exp.alias_(
                cast, column.output_name, quoted=column.this.quoted))
    return tree


def _kinds(tables: list[exp.Table], columns: Callable[[exp.Table], dict[str, str]]
           ) -> dict[str, dict[str, str] | None]:
    """Per table alias (or name) of ``tables``, its columns' kinds (None: one alias, two
    tables)."""
    kinds: dict[str, dict[str, str] | None] = {}
    for table in tables:
        key = table.alias_or_name.lower()
        held = columns(table)
        kinds[key] = held if kinds.get(key, held) == held else None
    return kinds


def _kind(column: exp.Column, kinds: dict[str, dict[str, str] | None]) -> str | None:
    """The column's kind in its table: the one its qualifier names, or else the only one of
    ``kinds`` that has it."""
    name = column.name.lower()
    if column.table:
        held = kinds.get(column.table.lower())
        return held.get(name) if held else None
    having = [k[name] for k in kinds.values() if k is not None and name in k]
    return having[0] if len(having) == 1 else None


def _cast(column: exp.Column, kind: str) -> exp.Cast:
    return exp.Cast(this=column.copy(), to=exp.DataType.build(_CASTS[kind], dialect="tsql"))


def _union_items(tree: exp.Expression, names: set[str]
                 ) -> list[tuple[exp.Select, exp.Expression, exp.Column]]:
    """Each branch of a set operation with each of its select items that is a column of
    ``names`` (the item, an alias or the column itself, and the column)."""
    found = []
    for union in tree.find_all(exp.SetOperation):
        if isinstance(union.parent, exp.SetOperation):
            continue  # (read from the outermost)
        for branch in branches(union):
            for item in branch.selects:
                column = item.unalias()
                if isinstance(column, exp.Column) and column.name.lower() in names:
                    found.append((branch, item, column))
    return found
