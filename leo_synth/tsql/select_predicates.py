"""A condition is not a value in T-SQL: the places that take a value cannot hold one.

``SELECT StartDate > '2015-01-01' AS recent`` is "Incorrect syntax near '>'." in SQL Server,
which has no boolean values (a flag is written ``CASE WHEN ... THEN 1 ELSE 0 END`` or
``IIF(...)``). SQLite gave 0 or 1, DuckDB and PostgreSQL true or false, so the script passed
here and failed in the SRS. A comparison, ``LIKE``, ``IN``, ``BETWEEN``, ``IS [NOT] NULL``,
``EXISTS``, ``AND``, ``OR`` or ``NOT`` stops the script where it stands as a value:

- a projection of the select list (``=`` is not one there: ``SELECT @n = COUNT(*)`` assigns a
  variable and ``SELECT pupils = COUNT(*)`` names a column; but one named twice, ``SELECT
  recent = 1 AS flag``, is "Incorrect syntax near the keyword 'AS'.", where the targets gave
  a comparison of a column ``recent`` with 1);
- an aggregate's or a cast's argument (``SUM(TaxYear = 201920)``, the other dialects' count
  of rows that meet a condition; ``CAST(x > 1 AS INT)``);
- an operand of arithmetic (``(x IN (1, 2)) * 1``);
- a result of a ``CASE`` or an ``IIF`` (``CASE WHEN a THEN b > 1 END``).

Rejected: finding conditions anywhere outside WHERE, ON, HAVING and CASE WHEN, which would
have to know every place T-SQL takes a condition (a false alarm stops a script that runs in
the SRS); the places above take values alone.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError

OPERATORS: dict[type[exp.Expression], str] = {
    exp.EQ: "=", exp.NEQ: "<>", exp.GT: ">", exp.GTE: ">=", exp.LT: "<", exp.LTE: "<=",
    exp.Like: "LIKE", exp.In: "IN", exp.Between: "BETWEEN", exp.Is: "IS",
    exp.Exists: "EXISTS", exp.And: "AND", exp.Or: "OR", exp.Not: "NOT"}
"""Conditions, and the word SQL Server's syntax error names."""
ARITHMETIC = (exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod)


def _as_value(node: exp.Expression) -> bool:
    """Whether ``node`` stands where T-SQL takes a value alone (see the module)."""
    parent, key = node.parent, node.arg_key
    while isinstance(parent, exp.Paren):
        parent, key = parent.parent, parent.arg_key
    aliased = isinstance(parent, exp.Alias)
    if aliased:
        parent, key = parent.parent, parent.arg_key
    if isinstance(parent, exp.Select):
        # (a projection; T-SQL's = there assigns or names, but not beside AS)
        return key == "expressions" and (aliased or not isinstance(node, exp.EQ))
    if isinstance(parent, exp.AggFunc | exp.Cast):
        return key == "this"
    if isinstance(parent, exp.If):
        return key in ("true", "false")
    return isinstance(parent, ARITHMETIC) or (isinstance(parent, exp.Case)
                                              and key == "default")


def check(tree: exp.Expression, line: int) -> None:
    """Raise SQL Server's syntax error for a condition where a value stands."""
    for node in tree.find_all(*OPERATORS):
        if isinstance(node.parent, tuple(OPERATORS)) or not _as_value(node):
            continue  # (a part of a larger condition: that one is judged)
        if isinstance(node, exp.EQ) and isinstance(node.parent, exp.Alias):
            raise ScriptError(line, "Incorrect syntax near the keyword 'AS'. (a column is named "
                              "once: name = value, or value AS name)")
        word = OPERATORS[type(node)]
        near = f"the keyword '{word}'" if word.isalpha() else f"'{word}'"
        raise ScriptError(line, f"Incorrect syntax near {near}. (T-SQL has no true or false "
                          "values: write CASE WHEN ... THEN 1 ELSE 0 END, or "
                          "SUM(CASE WHEN x = 1 THEN 1 ELSE 0 END) to count rows)")
