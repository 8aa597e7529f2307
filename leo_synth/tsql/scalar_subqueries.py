"""A subquery used as a value that finds more than one row stops the statement, as in SQL
Server.

``WHERE TaxYear = (SELECT TaxYear FROM ... WHERE Earnings > 50000)`` or ``SET @n = (SELECT
...)`` stops in the SRS with error 512 once the subquery finds two rows. PostgreSQL and
DuckDB stop too (their words are given as SQL Server's, ``error_messages``), but SQLite takes
the first row it happens to find, so a script whose subquery was wrong gave an answer here
and an error there. On SQLite such a subquery is read through one that counts its rows
(``COUNT(*) OVER ()``) and raises SQL Server's error past one. A subquery that cannot find
two rows is left as it is: an aggregate without ``GROUP BY``, or ``TOP 1``.
Rejected: ``LIMIT 2`` and a count in Python, which would run every subquery twice.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.error_messages import SUBQUERY_ROWS

NOT_VALUES = (exp.From, exp.Join, exp.Exists, exp.Any, exp.All, exp.Union, exp.Intersect,
              exp.Except, exp.Lateral, exp.CTE, exp.Create, exp.Insert)
"""Where a subquery is a set of rows, not a value."""
VALUE = "leo_value"


def _one_row(select: exp.Select) -> bool:
    """Whether ``select`` cannot find more than one row: ``TOP 1``, or an aggregate without
    ``GROUP BY`` (and no window)."""
    limit = select.args.get("limit")
    if limit is not None and isinstance(limit.expression, exp.Literal) and (
            limit.expression.name == "1"):
        return True
    if select.args.get("group") is not None or select.find(exp.Window):
        return False
    return bool(select.selects) and all(
        projection.unalias().find(exp.AggFunc) is not None for projection in select.selects)


def _is_value(subquery: exp.Subquery) -> bool:
    parent = subquery.parent
    if parent is None or isinstance(parent, NOT_VALUES):
        return False
    return not (isinstance(parent, exp.In) and subquery.arg_key == "query")


def _counted(subquery: exp.Subquery) -> exp.Subquery:
    """``(SELECT CASE WHEN COUNT(*) OVER () > 1 THEN LEO_RAISE(...) ELSE v END FROM (the
    subquery) leo_rows)``: the subquery's rows counted as they are read. Its value ``v`` is
    read by the name the subquery gives it (its own ``ORDER BY`` may name it), an unnamed
    expression named ``leo_value``."""
    inner = subquery.this.copy()
    projection = inner.selects[0]
    if isinstance(projection, exp.Alias):
        name = projection.args["alias"].copy()
    elif isinstance(projection, exp.Column):
        name = projection.this.copy()
    else:
        name = exp.to_identifier(VALUE)
        inner.set("expressions", [exp.alias_(projection.copy(), name.copy())])
    raised = exp.Anonymous(this="LEO_RAISE", expressions=[exp.Literal.string(SUBQUERY_ROWS)])
    many = exp.GT(this=exp.Window(this=exp.Count(this=exp.Star())),
                  expression=exp.Literal.number(1))
    value = exp.Case(ifs=[exp.If(this=many, true=raised)],
                     default=exp.Column(this=name, table=exp.to_identifier("leo_rows")))
    outer = exp.select(value).from_(exp.Subquery(this=inner, alias=exp.TableAlias(
        this=exp.to_identifier("leo_rows"))))
    return exp.Subquery(this=outer)


def for_target(tree: exp.Expression, dialect: str) -> exp.Expression:
    """The tree with each subquery used as a value checked for a second row (SQLite; the
    other targets check it themselves)."""
    if dialect != "sqlite":
        return tree
    for subquery in list(tree.find_all(exp.Subquery)):
        select = subquery.this
        if (isinstance(select, exp.Select) and len(select.selects) == 1
                and not select.selects[0].is_star and _is_value(subquery)
                and not _one_row(select)):
            subquery.replace(_counted(subquery))
    return tree
