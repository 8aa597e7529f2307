"""Text compared as SQL Server compares it: trailing spaces do not count.

SQL Server pads the shorter of two strings with spaces before it compares them (``'abc' =
'abc  '`` is true, and so is ``'abc' >= 'abc '``), so a literal typed with trailing spaces (a
code copied from a fixed-width listing: ``WHERE KS4_ACADYR = '2018/2019 '``) finds the rows it
names in the SRS. SQLite, DuckDB and PostgreSQL's text compare every character: the same
script found no row, without an error. So a string literal with trailing spaces compared by
``=``, ``<>``, ``<``, ``<=``, ``>``, ``>=``, ``BETWEEN``, ``IN``, a simple ``CASE x WHEN`` or
``NULLIF`` loses them, and the text it is compared with loses its own (``RTRIM``), so that a
value built with trailing spaces (``CAST(x AS CHAR(10))``) matches as well. The rejected
alternative, trimming every compared value, would cost the scans that the extract (which
stores no trailing spaces) never needs. ``LIKE`` is left alone: trailing spaces of a pattern
count in SQL Server too. Two columns compared, ``GROUP BY`` and ``DISTINCT`` are left as the
targets compare them.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.rewrites import is_assignment, is_text

_COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE)


def _padded(node: exp.Expression | None) -> bool:
    """A string literal that ends in spaces."""
    return (isinstance(node, exp.Literal) and node.is_string
            and node.name != node.name.rstrip(" "))


def _trimmed(node: exp.Expression) -> exp.Expression:
    """A padded literal without its trailing spaces; anything else as it is."""
    return exp.Literal.string(node.name.rstrip(" ")) if _padded(node) else node


def _value(node: exp.Expression, texts: dict[str, bool]) -> exp.Expression:
    """The value compared with a padded literal: text loses its trailing spaces (``RTRIM``);
    a literal is trimmed; a number is left for the comparison to convert."""
    if isinstance(node, exp.Literal):
        return _trimmed(node)
    if is_text(node, texts) or (isinstance(node, exp.Add) and (  # ('ab' + SPACE(3) joins)
            is_text(node.this, texts) or is_text(node.expression, texts))):
        return exp.Trim(this=node.copy(), position="TRAILING")
    return node


def for_target(tree: exp.Expression, texts: dict[str, bool]) -> exp.Expression:
    """The tree with trailing spaces dropped where SQL Server's comparisons ignore them."""
    for node in list(tree.find_all(*_COMPARISONS, exp.Between, exp.In, exp.Case,
                                   exp.Nullif)):
        if isinstance(node, exp.In):
            values = node.expressions
            if node.args.get("query") is None and any(_padded(v) for v in values):
                node.set("expressions", [_trimmed(v) for v in values])
                node.set("this", _value(node.this, texts))
        elif isinstance(node, exp.Between):
            bounds = (node.args.get("low"), node.args.get("high"))
            if any(_padded(b) for b in bounds):
                node.set("low", _trimmed(bounds[0]))
                node.set("high", _trimmed(bounds[1]))
                node.set("this", _value(node.this, texts))
        elif isinstance(node, exp.Case):
            ifs = node.args.get("ifs") or []
            if node.this is not None and any(_padded(i.this) for i in ifs):
                for branch in ifs:
                    branch.set("this", _trimmed(branch.this))
                node.set("this", _value(node.this, texts))
        elif isinstance(node, exp.Nullif):
            if _padded(node.expression):
                # (NULLIF keeps its first argument's value when the two differ)
                node.set("expression", _trimmed(node.expression))
                if is_text(node.this, texts) and not isinstance(node.this, exp.Literal):
                    equal = exp.EQ(this=_value(node.this, texts), expression=node.expression)
                    node.replace(exp.Case(ifs=[exp.If(this=equal, true=exp.Null())],
                                          default=node.this.copy()))
        elif not is_assignment(node):
            left, right = node.this, node.expression
            if _padded(right):
                node.set("expression", _trimmed(right))
                node.set("this", _value(left, texts))
            elif _padded(left):
                node.set("this", _trimmed(left))
                node.set("expression", _value(right, texts))
    return tree
