"""``QUOTENAME(name [, quote])``, as SQL Server writes it, on every target (none has it).

Scripts build dynamic SQL with it, a census year's relation at a time (``'SELECT ... FROM
[NPD_i2].[2002237].' + QUOTENAME('spring_census_' + @year)``) or a dynamic ``PIVOT``'s
column list: the name between brackets, each closing bracket doubled (``QUOTENAME('a]b')``
is ``[a]]b]``; a name that is not text is converted by ``REPLACE``'s own conversion,
``value_rewrites``). The second argument, a
literal, chooses the quotes: ``'``, ``"``, ``(``/``)``, ``<``/``>``, ``{``/``}`` or a back
tick; any other gives NULL, as does a name longer than 128 characters (SQL Server's limit
for a name). A quote given by a variable or a column stops the script with one line: it is
rare, and the pair would have to be chosen as the query runs.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql import rewrites
from leo_synth.tsql.errors import ScriptError

PAIRS = {"[": "]", "]": "]", "'": "'", '"': '"', "(": ")", ")": ")", "<": ">", ">": ">",
         "{": "}", "}": "}", "`": "`"}
"""Each quote SQL Server takes, and the character that closes the name (doubled inside)."""
LONGEST = 128
"""The longest name ``QUOTENAME`` quotes (``sysname``); a longer one gives NULL."""


def _quoted(node: exp.Anonymous, line: int) -> exp.Expression:
    name, *rest = node.expressions
    quote = rest[0] if rest else exp.Literal.string("[")
    if len(rest) > 1 or not (isinstance(quote, exp.Literal) and quote.is_string):
        raise ScriptError(line, "QUOTENAME takes a name and, as a literal, the quote "
                          "('[', '''', '\"', '(', '<', '{' or '`')")
    close = PAIRS.get(quote.name)
    if close is None:
        return exp.Null()
    opening = {"]": "[", ")": "(", ">": "<", "}": "{"}.get(quote.name, quote.name)
    doubled = exp.Replace(this=name.copy(), expression=exp.Literal.string(close),
                          replacement=exp.Literal.string(close * 2))
    written = exp.DPipe(this=exp.DPipe(this=exp.Literal.string(opening), expression=doubled,
                                       safe=True),
                        expression=exp.Literal.string(close), safe=True)
    too_long = exp.GT(this=exp.Length(this=name.copy()),
                      expression=exp.Literal.number(LONGEST))
    return exp.Case(ifs=[exp.If(this=too_long, true=exp.Null())], default=written)


def for_target(tree: exp.Expression, line: int) -> exp.Expression:
    """``tree`` with each ``QUOTENAME`` written out as the text it gives."""
    return rewrites.bottom_up(tree, lambda node: _quoted(node, line) if isinstance(
        node, exp.Anonymous) and node.name.upper() == "QUOTENAME" else node)
