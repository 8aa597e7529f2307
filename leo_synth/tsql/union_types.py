"""A ``UNION``'s column has the type of highest precedence among its branches, as in SQL
Server: text written beside an integer is converted to one, or stops the query.

``SELECT TaxYear, COUNT(*) ... GROUP BY TaxYear UNION ALL SELECT 'All', COUNT(*) ...``, the
usual way to add a total row, stops in the SRS with "Conversion failed when converting the
varchar value 'All' to data type int." (``TaxYear`` is an ``int``, which outranks text);
SQLite and DuckDB gave a column of both, so the script ran here and failed there. So where a
branch's column is an integer for certain and another branch's is a string literal that is
no integer, the statement stops with SQL Server's message; a literal that is an integer
(``'0'``, or ``''``, which is 0) is that number. A text column (or other text) beside an
integer is converted row by row, as SQL Server converts it: ILR learners' ``Year`` is text,
aims' an integer, and ``SELECT Year FROM learners UNION SELECT Year FROM aims`` gives each
year once, in numeric order, where SQLite kept ``'2016'`` and ``2016`` apart and sorted
integers before text (a row holding no number stops the query, as in SQL Server).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlglot import exp

from leo_synth.tsql.error_messages import conversion_failed
from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.integer_average import is_integer
from leo_synth.tsql.rewrites import is_text
from leo_synth.tsql.sqlite_functions import zero_integer
from leo_synth.tsql.text_numbers import INTEGER, as_number, integer_type


def branches(node: exp.Expression) -> list[exp.Select]:
    """The SELECTs a set operation joins, in order (nested ones flattened)."""
    if isinstance(node, exp.SetOperation):
        return branches(node.this) + branches(node.expression)
    if isinstance(node, exp.Subquery):
        return branches(node.this)
    return [node] if isinstance(node, exp.Select) else []


def for_target(tree: exp.Expression, integers: dict[str, bool], ints: dict[str, bool],
               texts: dict[str, bool], dialect: str, line: int) -> None:
    """A string literal a ``UNION`` puts beside an integer made that integer (``''`` is 0),
    or the statement stopped where it is no integer; other text there converted to the
    integers' type (the tree changed in place)."""
    for union in tree.find_all(exp.SetOperation):
        if isinstance(union.parent, exp.SetOperation):
            continue  # (read from the outermost)
        selects = branches(union)
        if any(s.is_star for branch in selects for s in branch.selects):
            continue
        _typed(zip(*(branch.selects for branch in selects), strict=False), integers, ints,
               texts, dialect, line)
    for values in tree.find_all(exp.Values):
        if values.args.get("alias") is None and not isinstance(values.parent.parent,
                                                                exp.Lateral):
            continue  # (a derived table or an APPLY's: (VALUES (a.au), (a.reason)) v(n);
            # not an INSERT's rows)
        rows = [row.expressions if isinstance(row, exp.Tuple) else [row]
                for row in values.expressions]
        if len({len(row) for row in rows}) == 1:
            _typed(zip(*rows, strict=True), integers, ints, texts, dialect, line)


def _typed(positions: Iterable[tuple[exp.Expression, ...]], integers: dict[str, bool],
           ints: dict[str, bool], texts: dict[str, bool], dialect: str, line: int) -> None:
    """Each column (``positions``: its value in each branch or row) where one value is an
    integer for certain: its string literals made that integer, or the statement stopped,
    its other text converted (the tree changed in place)."""
    for position in positions:
        values = [item.unalias() for item in position]
        numbers = [value for value in values if is_integer(value, integers)]
        if not numbers:
            continue
        to = integer_type(numbers, ints)
        for item, value in zip(position, values, strict=True):
            if not (isinstance(value, exp.Literal) and value.is_string):
                if is_text(value, texts):
                    _converted(item, value, to, dialect)
                continue
            if zero_integer(value.name):  # (blank text, or a sign alone, is 0)
                value.replace(exp.Literal.number(0))
                continue
            if not INTEGER.fullmatch(value.name):
                said = conversion_failed(value.name, to.this.value.lower())
                raise ScriptError(line, said, runtime=True, said=said)
            # (SQLite and DuckDB kept the text: '0' sorted after 202021 there)
            value.replace(exp.Literal.number(int(value.name.strip())))


def _converted(item: exp.Expression, value: exp.Expression, to: exp.DataType,
               dialect: str) -> None:
    """A branch's text ``value`` (its select ``item``) converted to the integer type ``to``,
    keeping the column's name (the first branch's names the result's columns)."""
    number = as_number(value, to, dialect)
    if item is value and isinstance(value, exp.Column) and not isinstance(
            value.parent, exp.Tuple | exp.Values):  # (a VALUES row's value has no name)
        value.replace(exp.alias_(number, value.output_name, quoted=value.this.quoted))
    else:
        value.replace(number)
