"""A comparison is not a value in T-SQL: the select list cannot hold one.

``SELECT StartDate > '2015-01-01' AS recent`` is "Incorrect syntax near '>'." in SQL Server,
which has no boolean values to select (a flag is written ``CASE WHEN ... THEN 1 ELSE 0 END``
or ``IIF(...)``). SQLite gave 0 or 1, DuckDB and PostgreSQL true or false, so the script
passed here and failed in the SRS. A projection that is itself a comparison, ``LIKE``,
``IN``, ``BETWEEN``, ``IS [NOT] NULL``, ``AND``, ``OR`` or ``NOT`` stops the script. ``=`` is
not one of them: ``SELECT @n = COUNT(*)`` assigns a variable and ``SELECT pupils = COUNT(*)``
names a column (rejected: finding predicates anywhere outside WHERE, ON, HAVING and CASE,
which would have to know every place T-SQL takes a condition).
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError

OPERATORS: dict[type[exp.Expression], str] = {
    exp.NEQ: "<>", exp.GT: ">", exp.GTE: ">=", exp.LT: "<", exp.LTE: "<=", exp.Like: "LIKE",
    exp.In: "IN", exp.Between: "BETWEEN", exp.Is: "IS", exp.And: "AND", exp.Or: "OR",
    exp.Not: "NOT"}
"""Predicates, and the word SQL Server's syntax error names."""


def check(tree: exp.Expression, line: int) -> None:
    """Raise SQL Server's syntax error for a predicate in a select list."""
    for select in tree.find_all(exp.Select):
        for projection in select.selects:
            value = projection.unalias()
            word = OPERATORS.get(type(value))
            if word is None:
                continue
            near = f"the keyword '{word}'" if word.isalpha() else f"'{word}'"
            raise ScriptError(line, f"Incorrect syntax near {near}. (T-SQL selects no "
                              f"comparisons: write CASE WHEN ... THEN 1 ELSE 0 END)")
