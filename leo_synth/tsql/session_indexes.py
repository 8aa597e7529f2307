"""Indexes a script makes on its own tables: built on SQLite, noted on every target.

An index changes no answer, so on DuckDB and PostgreSQL, which join large tables by hashing,
``CREATE INDEX`` on a #temp table is only noted. SQLite joins and runs a correlated subquery
(``WHERE NOT EXISTS (SELECT 1 FROM #seen s WHERE s.pmr = c.pmr)``) by a loop over the other
table for each row: without the index the script asked for, a loop over years that checks
what it loaded before took 23 s on 5,000 persons (SQL Server hashes). So there the index is
built, on its columns, in the table's temporary schema, under a name of the session's own
(SQLite's index names are one namespace; SQL Server's are per table). Its ``INCLUDE`` and a
filter (``WHERE``) are left out: they only make SQL Server's index smaller. It is built as
no ``UNIQUE`` index, on SQLite as elsewhere, so that every target gives the same answers
(rejected: checking uniqueness on SQLite alone); instead ``CREATE UNIQUE INDEX`` looks for
a duplicate key on every target (:func:`duplicate_query`; a filtered index's among the
rows of its ``WHERE``) and stops, as SQL Server does (error
1505), on a table that holds one: researchers make such an index to assert that a table has
a row per pupil. Rows added after it are not checked. ``DROP INDEX ix ON #t`` (or
``#t.ix``) drops what was made, and stops, as SQL Server does, on an index no table of the
session has.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.target_dialects import target_sql
from leo_synth.tsql.targets import quote

PREFIX = "leo_index_"


class SessionIndexes:
    """The indexes of the session's tables: (table key, index name) -> the name SQLite
    holds it under (None where it is only noted)."""

    def __init__(self, dialect: str):
        self.dialect = dialect
        self.made: dict[tuple[str, str], str | None] = {}
        self.built = 0
        """Indexes built so far (each one's name is its number)."""

    def create(self, tree: exp.Create, key: str, parts: tuple[str, ...], line: int
               ) -> str | None:
        """The SQL that builds ``CREATE INDEX`` on the session table ``key`` (``parts`` on
        the target), or None when it is only noted."""
        index = tree.this
        name = index.name.lower()
        if (key, name) in self.made:
            raise ScriptError(line, f"The operation failed because an index or statistics "
                              f"with name '{index.name}' already exists on table '{key}'.",
                              runtime=True)
        self.made[(key, name)] = None
        ordered = _key_columns(tree)
        if self.dialect != "sqlite" or not ordered:
            return None
        self.built += 1
        physical = f"{PREFIX}{self.built}"
        self.made[(key, name)] = physical
        columns = ", ".join(quote(o.this.name) + (" DESC" if o.args.get("desc") else "")
                            for o in ordered)
        return f"CREATE INDEX temp.{quote(physical)} ON {quote(parts[-1])} ({columns})"

    def drop(self, key: str, name: str, exists: bool, line: int) -> str | None:
        """The SQL that drops index ``name`` of the session table ``key`` (None: nothing to
        run)."""
        if (key, name.lower()) not in self.made:
            if exists:
                return None
            raise ScriptError(line, f"Cannot drop the index '{key}.{name}', because it does "
                              "not exist or you do not have permission.", runtime=True)
        physical = self.made.pop((key, name.lower()))
        return f"DROP INDEX temp.{quote(physical)}" if physical is not None else None

    def forget(self, key: str) -> None:
        """A dropped table's indexes (SQLite drops them with it)."""
        for made in [m for m in self.made if m[0] == key]:
            del self.made[made]


def _key_columns(tree: exp.Create) -> list[exp.Ordered]:
    """An index's key columns, each with its order (none when a key is not a column)."""
    params = tree.this.args.get("params") if isinstance(tree.this, exp.Index) else None
    ordered = params.args.get("columns") or [] if params is not None else []
    if all(isinstance(o, exp.Ordered) and isinstance(o.this, exp.Column) for o in ordered):
        return ordered
    return []


def duplicate_query(tree: exp.Create, parts: tuple[str, ...], dialect: str) -> str | None:
    """For ``CREATE UNIQUE INDEX`` on the session table ``parts``: a query of the keys its
    rows hold twice, the first in the index's order (NULLs are equal there, as in SQL
    Server's unique index; without SQL Server's collation, keys differing only in case or
    trailing spaces are not found, so the check stops only what SQL Server stops), among the
    rows of a filtered index's ``WHERE``. None for any other index, or one on something other
    than columns."""
    ordered = _key_columns(tree) if tree.args.get("unique") else []
    if not ordered:
        return None
    columns = ", ".join(quote(o.this.name) for o in ordered)
    # the first key in the index's order, as SQL Server names the first it meets (NULL lowest)
    order = ", ".join(quote(o.this.name) + (" DESC NULLS LAST" if o.args.get("desc")
                                            else " NULLS FIRST") for o in ordered)
    where = tree.this.args["params"].args.get("where")
    among = f" WHERE {target_sql(where.this, dialect)}" if where is not None else ""
    return (f"SELECT {columns} FROM {'.'.join(quote(p) for p in parts)}{among} "
            f"GROUP BY {columns} HAVING COUNT(*) > 1 ORDER BY {order}")


def duplicate_error(tree: exp.Create, key: str, row: tuple, line: int) -> ScriptError:
    """SQL Server's error 1505 for a unique index whose table holds ``row`` twice."""
    shown = ", ".join("<NULL>" if value is None else str(value) for value in row)
    table = tree.this.args.get("table")
    schema = table.db if isinstance(table, exp.Table) and table.db else "dbo"
    message = (f"The CREATE UNIQUE INDEX statement terminated because a duplicate key was "
               f"found for the object name '{schema}.{key}' and the index name "
               f"'{tree.this.name}'. The duplicate key value is ({shown}).")
    return ScriptError(line, message, runtime=True, number=1505, said=message)
