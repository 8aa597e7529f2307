"""A ``#temp`` table's computed column (``CREATE TABLE #t (a INT, b AS a * 2)``) on each target.

SQLite takes T-SQL's form as sqlglot writes it (``b AS (a * 2)``). DuckDB takes it only with
the expression in parentheses, which sqlglot left out (a syntax error). PostgreSQL's generated
columns need a declared type, which T-SQL's form does not give (it stopped with "syntax error
at or near ALWAYS"): the type is the expression's, as PostgreSQL works it out from the table's
other columns (``pg_typeof`` of the expression over a row of typed NULLs), as SQL Server types
a computed column by its expression. PostgreSQL also requires an expression it deems immutable
(``CONCAT`` is not), and says so.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp


def for_target(tree: exp.Expression, dialect: str,
               type_of: Callable[[str], str]) -> exp.Expression:
    """``tree`` with each computed column as ``dialect`` takes it; ``type_of(sql)``: the one
    value the query ``sql`` gives on the target (PostgreSQL's name of a type)."""
    if not isinstance(tree, exp.Create) or not isinstance(tree.this, exp.Schema):
        return tree
    for constraint in list(tree.find_all(exp.ComputedColumnConstraint)):
        column = constraint.parent.parent if constraint.parent is not None else None
        if dialect == "duckdb" and not isinstance(constraint.this, exp.Paren):
            constraint.set("this", exp.Paren(this=constraint.this))
        elif dialect == "postgres" and isinstance(column, exp.ColumnDef) and (
                column.args.get("kind") is None):
            name = type_of(_type_query(tree.this, constraint.this))
            column.set("kind", exp.DataType.build(name, dialect="postgres"))
    return tree


def _type_query(schema: exp.Schema, expression: exp.Expression) -> str:
    """PostgreSQL's query of the type of ``expression`` over the table's typed columns."""
    nulls = [exp.alias_(exp.cast(exp.null(), column.args["kind"].copy()), column.this.copy())
             for column in schema.expressions
             if isinstance(column, exp.ColumnDef) and column.args.get("kind") is not None]
    row = exp.select(*nulls) if nulls else exp.select(exp.Literal.number(1))
    found = exp.Cast(this=exp.Anonymous(this="pg_typeof", expressions=[expression.copy()]),
                     to=exp.DataType.build("TEXT"))
    return exp.select(found).from_(row.subquery("leo_columns")).sql("postgres")
