"""``STRING_SPLIT(text, separator [, 1])``, T-SQL's table of the parts of a text.

Scripts keep a list of codes in one variable and split it (``WHERE NCyearActual_spr11 IN
(SELECT value FROM STRING_SPLIT(@years, ','))``), or split a column holding a list (``CROSS
APPLY STRING_SPLIT(t.codes, ',') AS s``). No target has the function: the table is a
subquery with the columns ``value`` and, given the third argument 1, ``ordinal`` (the part's
place, from 1). PostgreSQL unnests ``STRING_TO_ARRAY``, DuckDB ``STRING_SPLIT``'s list, and
SQLite takes the parts off one at a time in a recursive common table expression; SQLite has
no lateral joins, so there a split of a column of another table (``CROSS APPLY``) is refused
with what to do instead.
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp

from leo_synth.tsql.errors import ScriptError

NAME = "leo_split"


def _subquery(text: str, separator: str, width: str, dialect: str) -> str:
    if dialect == "postgres":
        return (f"SELECT {NAME}.value, CAST({NAME}.ordinal AS INTEGER) AS ordinal FROM "
                f"UNNEST(STRING_TO_ARRAY({text}, {separator})) WITH ORDINALITY "
                f"AS {NAME}(value, ordinal)")
    if dialect == "duckdb":
        parts = f"STRING_SPLIT({text}, {separator})"
        return (f"SELECT UNNEST({parts}) AS value, "
                f"CAST(GENERATE_SUBSCRIPTS({parts}, 1) AS INTEGER) AS ordinal")
    return (f"WITH RECURSIVE {NAME}(value, rest, ordinal) AS ("
            f"SELECT NULL, {text} || {separator}, 0 UNION ALL "
            f"SELECT SUBSTR(rest, 1, INSTR(rest, {separator}) - 1), "
            f"SUBSTR(rest, INSTR(rest, {separator}) + {width}), ordinal + 1 "
            f"FROM {NAME} WHERE rest <> '') "
            f"SELECT value, ordinal FROM {NAME} WHERE ordinal > 0")


def _query(function: exp.Anonymous, dialect: str, line: int) -> exp.Expression:
    arguments = function.expressions
    if len(arguments) not in (2, 3):
        raise ScriptError(line, "STRING_SPLIT takes a text, a separator and, optionally, 1 "
                          "(for the ordinal column)")
    text, separator = arguments[0], arguments[1]
    if dialect == "sqlite" and text.find(exp.Column):
        raise ScriptError(line, "STRING_SPLIT of a column cannot be translated on SQLite, "
                          "which has no lateral joins: run the script on a Parquet folder, a "
                          "DuckDB file or PostgreSQL")
    if not (isinstance(separator, exp.Literal) and separator.is_string and separator.name):
        raise ScriptError(line, "STRING_SPLIT needs its separator written as a string, "
                          "such as ','")
    # (the separator's width as a number: LENGTH would be read as T-SQL's LEN, which leaves
    # out trailing spaces, and a space would never be taken off)
    return sqlglot.parse_one(_subquery(text.sql(dialect=dialect), separator.sql(
        dialect=dialect), str(len(separator.name)), dialect), read=dialect)


def _is_split(node: exp.Expression | None) -> bool:
    return isinstance(node, exp.Anonymous) and node.name.upper() == "STRING_SPLIT"


def for_target(tree: exp.Expression, dialect: str, line: int) -> exp.Expression:
    """The tree with each ``STRING_SPLIT`` table (``FROM``, ``JOIN``, ``CROSS APPLY``) read
    from a subquery."""
    for table in list(tree.find_all(exp.Table)):
        if _is_split(table.this):
            alias = table.args.get("alias")
            table.replace(exp.Subquery(
                this=_query(table.this, dialect, line),
                alias=alias.copy() if alias is not None else exp.TableAlias(
                    this=exp.to_identifier(NAME + "_table"))))
    for lateral in list(tree.find_all(exp.Lateral)):
        if not _is_split(lateral.this):
            continue
        query = _query(lateral.this, dialect, line)
        alias = lateral.args.get("alias") or exp.TableAlias(this=exp.to_identifier(NAME))
        if dialect != "sqlite":
            lateral.set("this", exp.Subquery(this=query))
            continue
        # SQLite: the split reads no other table, so the APPLY is a plain join
        join = lateral.parent
        joined = exp.Subquery(this=query, alias=alias.copy())
        if isinstance(join, exp.Join) and lateral.args.get("cross_apply") is False:
            join.set("side", "LEFT")
            join.set("on", exp.true())
        lateral.replace(joined)
    return tree
