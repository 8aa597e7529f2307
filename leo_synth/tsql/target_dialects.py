"""The targets' SQL dialects as leo-synth writes them: their keywords quoted as names.

T-SQL takes many names bare that a target reserves (``AS nothing``, ``returning INT``,
``SELECT leading, trailing``); sqlglot quotes DuckDB's reserved words but none of SQLite's or
PostgreSQL's, so such a statement stopped there with a syntax error. Their generators here
quote their own reserved words too. SQLite's quoted names are written in backticks (see
:class:`SqliteNames`).
"""

from __future__ import annotations

from typing import ClassVar

from sqlglot import exp
from sqlglot.dialects.postgres import Postgres
from sqlglot.dialects.sqlite import SQLite


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


SQLITE_KEYWORDS = _words("""
abort action add after all alter always analyze and as asc attach autoincrement before begin
between by cascade case cast check collate column commit conflict constraint create cross
current current_date current_time current_timestamp database default deferrable deferred
delete desc detach distinct do drop each else end escape except exclude exclusive exists
explain fail filter first following for foreign from full generated glob group groups having
if ignore immediate in index indexed initially inner insert instead intersect into is isnull
join key last left like limit match materialized natural no not nothing notnull null nulls
of offset on or order others outer over partition plan pragma preceding primary query raise
range recursive references regexp reindex release rename replace restrict returning right
rollback row rows savepoint select set table temp temporary then ties to transaction trigger
unbounded union unique update using vacuum values view virtual when where window with
without
""")
"""SQLite's keywords (sqlite.org/lang_keywords.html)."""

POSTGRES_KEYWORDS = _words("""
all analyse analyze and any array as asc asymmetric authorization binary both case cast
check collate collation column concurrently constraint create cross current_catalog
current_date current_role current_schema current_time current_timestamp current_user default
deferrable desc distinct do else end except false fetch for foreign freeze from full grant
group having ilike in initially inner intersect into is isnull join lateral leading left
like limit localtime localtimestamp natural not notnull null offset on only or order outer
overlaps placing primary references returning right select session_user similar some
symmetric system_user table tablesample then to trailing true union unique user using
variadic verbose when where window with
""")
"""PostgreSQL 15's reserved words, and those reserved but for functions and types
(``pg_get_keywords()``, categories R and T)."""


class SqliteNames(SQLite):
    """SQLite's dialect, its quoted names written in backticks rather than double quotes:
    SQLite reads a double-quoted name that is no column as a string (``SELECT "Nosuch" FROM
    t`` gave the text ``Nosuch`` for every row, where SQL Server stops with "Invalid column
    name"); a name in backticks is a name or an error."""

    class Tokenizer(SQLite.Tokenizer):
        IDENTIFIERS: ClassVar[list[str | tuple[str, str]]] = ["`", '"', ("[", "]")]

    class Generator(SQLite.Generator):
        RESERVED_KEYWORDS: ClassVar[set[str]] = (SQLite.Generator.RESERVED_KEYWORDS
                                                | SQLITE_KEYWORDS)


class PostgresNames(Postgres):
    """PostgreSQL's dialect with its reserved words quoted as names."""

    class Generator(Postgres.Generator):
        RESERVED_KEYWORDS: ClassVar[set[str]] = (Postgres.Generator.RESERVED_KEYWORDS
                                                | POSTGRES_KEYWORDS)


DIALECTS: dict[str, type[SQLite] | type[Postgres] | str] = {
    "sqlite": SqliteNames, "postgres": PostgresNames, "duckdb": "duckdb"}


def target_sql(tree: exp.Expression, dialect: str) -> str:
    """A statement, or a part of one, as the target (``sqlite``, ``postgres`` or ``duckdb``)
    reads it: every rendering of the script's names goes through here, the parts that a
    translation renders and reads back included (``DATEFROMPARTS(leading, 4, 6)`` stopped on
    PostgreSQL when only whole statements did)."""
    return tree.sql(dialect=DIALECTS.get(dialect, dialect))
