"""``STRING_SPLIT(text, separator [, 1])``, T-SQL's table of the parts of a text.

Scripts keep a list of codes in one variable and split it (``WHERE NCyearActual_spr11 IN
(SELECT value FROM STRING_SPLIT(@years, ','))``), or split a column holding a list (``CROSS
APPLY STRING_SPLIT(t.codes, ',') AS s``). No target has the function: the table is a
subquery with the columns ``value`` and, given the third argument 1, ``ordinal`` (the part's
place, from 1). PostgreSQL unnests ``STRING_TO_ARRAY``, DuckDB ``STRING_SPLIT``'s list, and
SQLite takes the parts off one at a time in a recursive common table expression. SQLite has
no lateral joins, but its table-valued functions may read the tables before them: a split of
a column of another table (``CROSS APPLY``, or a subquery that reads the outer query) is
``JSON_EACH`` of the text made a JSON array (``JSON_QUOTE``, then each separator a ``","``;
a part's ``ordinal`` is its ``key`` + 1).
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp

from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.rewrites import list_stars
from leo_synth.tsql.table_functions import (
    TableFunction,
    json_each,
    place,
    reading_query,
    stand_for,
)
from leo_synth.tsql.target_dialects import target_sql

NAME = "leo_split"


def _subquery(text: str, separator: str, width: str, dialect: str) -> str:
    if dialect == "postgres":
        # (STRING_TO_ARRAY of '' is empty; SQL Server's split of '' is one part, '')
        return (f"SELECT {NAME}.value, CAST({NAME}.ordinal AS INTEGER) AS ordinal FROM "
                f"UNNEST(CASE WHEN {text} = '' THEN ARRAY[''] ELSE "
                f"STRING_TO_ARRAY({text}, {separator}) END) WITH ORDINALITY "
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


def _arguments(function: exp.Anonymous, line: int) -> tuple[exp.Expression, exp.Literal]:
    """The split's text and separator, checked."""
    arguments = function.expressions
    if len(arguments) not in (2, 3):
        raise ScriptError(line, "STRING_SPLIT takes a text, a separator and, optionally, 1 "
                          "(for the ordinal column)")
    text, separator = arguments[0], arguments[1]
    if not (isinstance(separator, exp.Literal) and separator.is_string and separator.name):
        raise ScriptError(line, "STRING_SPLIT needs its separator written as a string, "
                          "such as ','")
    return text, separator


def _query(function: exp.Anonymous, dialect: str, line: int) -> exp.Expression:
    text, separator = _arguments(function, line)
    # (the separator's width as a number: LENGTH would be read as T-SQL's LEN, which leaves
    # out trailing spaces, and a space would never be taken off)
    query = sqlglot.parse_one(_subquery(target_sql(text, dialect), target_sql(
        separator, dialect), str(len(separator.name)), dialect), read=dialect)
    if not _ordinals(function):  # (SQL Server's table is then `value` alone)
        query.set("expressions", query.expressions[:1])
    return query


def _json_parts(function: exp.Anonymous, line: int) -> exp.Table:
    """SQLite's table of the parts of a text that reads a column: ``JSON_EACH`` of a JSON array
    of them (``JSON_QUOTE`` escapes quotes, backslashes and control characters; NULL has no
    parts, as in SQL Server)."""
    text, separator = _arguments(function, line)
    if any(c.isalnum() or c in '\\"' for c in separator.name):
        # (JSON's escapes are made of these: \n, \u0009, \")
        raise ScriptError(line, "on SQLite a column is split only at separators other than "
                          "letters, digits, \\ and \": run the script on a Parquet folder, "
                          "a DuckDB file or PostgreSQL")
    value = target_sql(text, "sqlite")
    array = (f"CASE WHEN {value} IS NULL THEN '[]' ELSE '[' || REPLACE(JSON_QUOTE(CAST("
             f"{value} AS TEXT)), {separator.sql(dialect='sqlite')}, '\",\"') || ']' END")
    return json_each(array)


def _json_columns(table: exp.Table, ordinals: bool) -> None:
    """The query reading a ``_json_parts`` table: its ``ordinal`` (when the split has one:
    ``ordinals``) the part's ``key`` + 1, and its ``*`` the split's own columns (``JSON_EACH``
    has eight)."""
    query = reading_query(table)
    if query is None:
        return
    alias = table.alias_or_name

    def ordinal() -> exp.Expression:
        return exp.Paren(this=exp.Add(this=exp.column("key", table=alias),
                                      expression=exp.Literal.number(1)))

    if ordinals:
        stand_for(query, alias, "ordinal", ordinal)
    list_stars(query, alias, [exp.column("value", table=alias)] + (
        [exp.alias_(ordinal(), "ordinal")] if ordinals else []))


def _is_split(node: exp.Expression | None) -> bool:
    return isinstance(node, exp.Anonymous) and node.name.upper() == "STRING_SPLIT"


def splits(tree: exp.Expression) -> bool:
    """Whether the statement reads a ``STRING_SPLIT`` table, whose ``value`` column is text
    under the SRS's collation (``GROUP BY value`` of ``'a,A'`` is one group: DuckDB and
    PostgreSQL made two)."""
    return any(_is_split(node) for node in tree.find_all(exp.Anonymous))


def _reads_columns(function: exp.Anonymous) -> bool:
    return bool(function.expressions) and function.expressions[0].find(exp.Column) is not None


def _ordinals(function: exp.Anonymous) -> bool:
    """Whether the split has the ``ordinal`` column (its third argument)."""
    return len(function.expressions) == 3


def for_target(tree: exp.Expression, dialect: str, line: int) -> exp.Expression:
    """The tree with each ``STRING_SPLIT`` table (``FROM``, ``JOIN``, ``CROSS APPLY``) read
    from a subquery (on SQLite, one of a column from ``JSON_EACH``)."""

    def sqlite_table(function: exp.Expression, alias: exp.TableAlias) -> exp.Table:
        table = _json_parts(function, line)
        table.set("alias", alias)
        return table

    return place(tree, dialect, TableFunction(
        NAME, _is_split, lambda function: _query(function, dialect, line), _reads_columns,
        sqlite_table, lambda table, function: _json_columns(table, _ordinals(function))))
