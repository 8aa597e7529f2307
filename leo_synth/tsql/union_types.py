"""A ``UNION``'s column has the type of highest precedence among its branches, as in SQL
Server: text written beside an integer is converted to one, or stops the query.

``SELECT TaxYear, COUNT(*) ... GROUP BY TaxYear UNION ALL SELECT 'All', COUNT(*) ...``, the
usual way to add a total row, stops in the SRS with "Conversion failed when converting the
varchar value 'All' to data type int." (``TaxYear`` is an ``int``, which outranks text);
SQLite and DuckDB gave a column of both, so the script ran here and failed there. So where a
branch's column is an integer for certain and another branch's is a string literal that is
no integer, the statement stops with SQL Server's message; a literal that is an integer
(``'0'``, or ``''``, which is 0) is that number. Text of other kinds (a column) is converted
row by row in SQL Server, and is left as it is.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.error_messages import conversion_failed
from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.integer_average import is_integer
from leo_synth.tsql.text_numbers import INTEGER


def branches(node: exp.Expression) -> list[exp.Select]:
    """The SELECTs a set operation joins, in order (nested ones flattened)."""
    if isinstance(node, exp.SetOperation):
        return branches(node.this) + branches(node.expression)
    if isinstance(node, exp.Subquery):
        return branches(node.this)
    return [node] if isinstance(node, exp.Select) else []


def for_target(tree: exp.Expression, integers: dict[str, bool], line: int) -> None:
    """A string literal a ``UNION`` puts beside an integer made that integer (``''`` is 0),
    or the statement stopped where it is no integer (the tree changed in place)."""
    for union in tree.find_all(exp.SetOperation):
        if isinstance(union.parent, exp.SetOperation):
            continue  # (read from the outermost)
        selects = branches(union)
        if any(s.is_star for branch in selects for s in branch.selects):
            continue
        for position in zip(*(branch.selects for branch in selects), strict=False):
            values = [item.unalias() for item in position]
            if not any(is_integer(value, integers) for value in values):
                continue
            for value in values:
                if not (isinstance(value, exp.Literal) and value.is_string):
                    continue
                if value.name.strip() and not INTEGER.fullmatch(value.name):
                    said = conversion_failed(value.name, "int")
                    raise ScriptError(line, said, runtime=True, said=said)
                # (SQLite and DuckDB kept the text: '0' sorted after 202021 there)
                value.replace(exp.Literal.number(int(value.name.strip() or 0)))
