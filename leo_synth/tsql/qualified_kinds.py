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
which changes nothing in SQL Server and lets the later rewrites read its kind.
Rejected: keying every kind by table as well as name, which every module reading the
kinds would have to follow, for ten names.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from leo_synth.tsql.targets import INT, INTEGER, TEXT

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
    found = _compared_columns(tree, names)
    if not found:
        return tree
    kinds: dict[str, dict[str, str] | None] = {}
    for table in tables:
        key = table.alias_or_name.lower()
        held = columns(table)
        kinds[key] = held if kinds.get(key, held) == held else None  # (one alias, two tables)
    for column in found:
        name = column.name.lower()
        if column.table:
            held = kinds.get(column.table.lower())
            kind = held.get(name) if held else None
        else:
            having = [k[name] for k in kinds.values() if k is not None and name in k]
            kind = having[0] if len(having) == 1 else None
        if kind in _CASTS:
            column.replace(exp.Cast(this=column.copy(), to=exp.DataType.build(
                _CASTS[kind], dialect="tsql")))
    return tree
