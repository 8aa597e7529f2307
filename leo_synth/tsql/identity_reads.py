"""``SCOPE_IDENTITY()``, ``@@IDENTITY`` and ``IDENT_CURRENT('t')``: the identity values made.

A script that inserts a row into a table with an ``IDENTITY`` column and then needs its id
(``INSERT INTO #run (started) VALUES (GETDATE()); SET @run = SCOPE_IDENTITY()``) reads it
back with these. The runner notes, after each ``INSERT`` or ``SELECT ... INTO`` that makes
rows in such a table (``identity_values`` numbers them), the last value made: the column's
largest value (its smallest for a negative step), read from the table (:func:`last_value`).
``SCOPE_IDENTITY()`` is the last made in the running scope (a procedure's or dynamic SQL's
own, NULL in a scope that made none), ``@@IDENTITY`` the last in the session, and
``IDENT_CURRENT('t')`` the last made in table t (its seed before any row; NULL for a table
without an identity column). They were refused (``@@IDENTITY``) or were no function of any
target. The value is read back only in a script that reads one of them (:func:`read_by`), so
an ``INSERT`` in a loop costs one query, not two, in the scripts that do not.

Rejected: the targets' own last-row functions (SQLite's ``last_insert_rowid()``, PostgreSQL's
``lastval()``): the targets do not number every identity column themselves
(``identity_values``) and DuckDB has none.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlglot import exp

from leo_synth.tsql.identity_values import Identity

SESSION_KEY = "@identity"
"""The runner's key of ``@@IDENTITY`` (a session counter's key)."""
SCOPE_KEY = "scope_identity()"
"""The runner's key of ``SCOPE_IDENTITY()``."""


def read_by(trees: Iterable[exp.Expression]) -> bool:
    """Whether ``trees`` may read an identity value made: ``SCOPE_IDENTITY()``,
    ``IDENT_CURRENT(...)``, ``@@IDENTITY``, or text that names one (dynamic SQL, read as it
    runs)."""
    for tree in trees:
        for node in tree.find_all(exp.Anonymous, exp.Parameter, exp.Literal):
            if isinstance(node, exp.Anonymous) and node.name.upper() in ("SCOPE_IDENTITY",
                                                                         "IDENT_CURRENT"):
                return True
            if isinstance(node, exp.Parameter) and isinstance(node.this, exp.Parameter) and (
                    f"@{node.this.name.lower()}" == SESSION_KEY):
                return True
            if isinstance(node, exp.Literal) and node.is_string and "identity" in (
                    node.name.lower()):
                return True
    return False


def table_key(name: str) -> str:
    """The session's key of a table named in text (``'#run'``, ``'tempdb..#run'``,
    ``'dbo.[runs]'``): its last part, without brackets, in lower case."""
    last = name.strip().split(".")[-1].strip()
    return last.strip("[]\"").lower()


def current_key(key: str) -> str:
    """The runner's key of ``IDENT_CURRENT`` of the table whose session key is ``key``."""
    return f"ident_current({key})"


def current_of(node: exp.Expression) -> str | None:
    """The runner's key ``node`` reads when it is ``IDENT_CURRENT('t')`` with t written out."""
    if not (isinstance(node, exp.Anonymous) and node.name.upper() == "IDENT_CURRENT"
            and len(node.expressions) == 1):
        return None
    name = node.expressions[0]
    if not (isinstance(name, exp.Literal) and name.is_string):
        return None
    return current_key(table_key(name.name))


def last_value(table: exp.Table, identity: Identity) -> exp.Select:
    """The query of the last value the identity column of ``table`` made."""
    column = exp.column(identity.column, quoted=True)
    found = exp.Min(this=column) if identity.step < 0 else exp.Max(this=column)
    return exp.select(found).from_(table.copy())


def number(value: int | None) -> exp.Expression:
    """A value as the literal the translation puts for it (NULL when there is none)."""
    return exp.Null() if value is None else exp.Literal.number(value)
