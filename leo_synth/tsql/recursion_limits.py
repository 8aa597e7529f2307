"""A recursive common table expression stops at SQL Server's recursion limit, as there.

SQL Server runs a CTE's recursive member at most 100 times unless the statement says
otherwise (``OPTION (MAXRECURSION 366)``; 0: no limit), and past that it stops the statement:
"The statement terminated. The maximum recursion 100 has been exhausted before statement
completion." (error 530). A calendar of a year's days or the months of twelve years built
so (``WITH d AS (SELECT CAST('2018-04-01' AS DATE) AS day UNION ALL SELECT DATEADD(day, 1,
day) FROM d WHERE day < '2019-03-31')``) is the classic script that stops in the SRS; every
target ran it to its end.

So each recursive CTE counts its levels in a column of its own (the anchors' rows at 0, each
recursive member's one more than the row it reads), and a row past the limit stops the
statement by the target's own means (``text_bounds.raised``). The CTE is renamed, and a CTE
of the script's name selects its own columns from it, so the column is seen nowhere else
(``SELECT *`` included). A CTE whose columns cannot be named (an anchor of ``*``), or whose
body is not anchors and recursive members joined by ``UNION ALL``, is left as it was, and
so is one in a view (whose limit is that of the statement reading it).
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.text_bounds import raised

DEFAULT = 100
"""SQL Server's recursion limit where the statement sets none."""
HIGHEST = 32767
"""The largest ``MAXRECURSION`` SQL Server takes (0 lifts the limit)."""
LEVEL = "leo_level"
"""The column in which a recursive CTE counts its levels."""


def exhausted(limit: int) -> str:
    """SQL Server's error 530 for ``limit``."""
    return (f"The statement terminated. The maximum recursion {limit} has been exhausted "
            f"before statement completion.")


def _limit(tree: exp.Expression, line: int) -> int:
    """The statement's ``OPTION (MAXRECURSION n)``, else :data:`DEFAULT`."""
    for option in tree.find_all(exp.QueryOption):
        if option.name.upper() != "MAXRECURSION":
            continue
        value = option.expression
        if not (isinstance(value, exp.Literal) and value.is_int
                and 0 <= int(value.name) <= HIGHEST):
            raise ScriptError(line, f"The MAXRECURSION option takes a whole number from 0 to "
                              f"{HIGHEST} (0: no limit)")
        return int(value.name)
    return DEFAULT


def _members(body: exp.Expression) -> list[exp.Expression] | None:
    """The queries a CTE's ``UNION ALL`` joins, in order, or None for another body."""
    if isinstance(body, exp.Union) and not body.args.get("distinct"):
        left, right = _members(body.this), _members(body.expression)
        return None if left is None or right is None else left + right
    return [body] if isinstance(body, exp.Select) else None


def _reads(query: exp.Expression, name: str) -> list[exp.Table]:
    return [t for t in query.find_all(exp.Table) if t.name.lower() == name and not t.db]


def _counted(cte: exp.CTE, limit: int, dialect: str) -> exp.CTE | None:
    """The CTE of the script's name over ``cte``, which now counts its levels, or None (and
    ``cte`` unchanged) where the CTE is not of the shape counted."""
    name = cte.alias.lower()
    members = _members(cte.this)
    if not members or not any(_reads(m, name) for m in members) or _reads(members[0], name):
        return None
    listed = [c.copy() for c in cte.args["alias"].columns]
    named = listed or [exp.to_identifier(n) for n in members[0].named_selects]
    if len(named) != len(members[0].expressions) or any(
            not n.name or n.name == "*" for n in named):
        return None
    inner = f"{cte.alias}_{LEVEL}s"
    for member in members:
        tables = _reads(member, name)
        if not tables:
            member.select(exp.alias_(exp.Literal.number(0), LEVEL), copy=False)
            continue
        for table in tables:
            if not table.alias:  # (its columns still read as m.k)
                table.set("alias", exp.TableAlias(this=exp.to_identifier(table.name)))
            table.set("this", exp.to_identifier(inner))
        level = exp.column(LEVEL, table=tables[0].alias_or_name)
        past = exp.GTE(this=level.copy(), expression=exp.Literal.number(limit))
        member.select(exp.alias_(exp.Case(
            ifs=[exp.If(this=past, true=raised(exhausted(limit), dialect))],
            default=exp.Add(this=level.copy(), expression=exp.Literal.number(1))), LEVEL),
            copy=False)
    if listed:
        cte.args["alias"].set("columns", [*listed, exp.to_identifier(LEVEL)])
    outer = exp.CTE(this=exp.select(*[exp.column(n.copy()) for n in named]).from_(inner),
                    alias=exp.TableAlias(this=exp.to_identifier(cte.alias),
                                         columns=[n.copy() for n in listed] or None))
    cte.args["alias"].set("this", exp.to_identifier(inner))
    return outer


def for_target(tree: exp.Expression, dialect: str, line: int) -> tuple[exp.Expression, bool]:
    """``tree`` with its recursive CTEs stopped at the statement's limit; whether any is
    (PostgreSQL then needs ``text_bounds.POSTGRES_SETUP``)."""
    limit = _limit(tree, line)
    if limit == 0 or (isinstance(tree, exp.Create) and str(tree.args.get("kind")).upper() == (
            "VIEW")):
        # (a view's limit is the statement's that reads it, which may lift it: not counted)
        return tree, False
    counted = False
    for ctes in list(tree.find_all(exp.With)):
        kept: list[exp.Expression] = []
        for cte in ctes.expressions:
            outer = _counted(cte, limit, dialect)
            kept += [cte] if outer is None else [cte, outer]
            counted |= outer is not None
        ctes.set("expressions", kept)
    return tree, counted
