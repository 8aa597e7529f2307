"""``sp_executesql`` takes its text and its parameters' declarations only as Unicode.

``DECLARE @sql VARCHAR(MAX) = 'SELECT ...'; EXEC sp_executesql @sql`` and ``EXEC
sp_executesql 'SELECT ...'`` (a literal without ``N``) stop in SQL Server with error 214,
"Procedure expects parameter '@statement' of type 'ntext/nchar/nvarchar'." (likewise
``'@params'`` for declarations written ``'@y INT'``), where every target ran the text: the
script ran here and failed in the SRS. ``EXEC (@sql)`` takes either. Checked where the type
is certain: a string literal, or a variable the batch declared as ``VARCHAR``, ``CHAR`` or
``TEXT``; an expression (``N'...' + @x``) is left to run.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError

NOT_UNICODE = (exp.DataType.Type.VARCHAR, exp.DataType.Type.CHAR, exp.DataType.Type.TEXT)
"""The text types that are not Unicode (``sp_executesql`` refuses them)."""


def not_unicode(value: exp.Expression | None, kinds: dict[str, exp.DataType | None]) -> bool:
    """Whether ``value`` is text certainly not Unicode: a literal written without ``N``, or
    a variable declared of a type in :data:`NOT_UNICODE` (``kinds``: the batch's, by name in
    lower case)."""
    if isinstance(value, exp.Literal):
        return value.is_string
    if isinstance(value, exp.Parameter):
        kind = kinds.get(value.name.lower())
        return isinstance(kind, exp.DataType) and kind.this in NOT_UNICODE
    return False


def check(text: exp.Expression | None, definitions: exp.Expression | None,
          kinds: dict[str, exp.DataType | None], line: int) -> None:
    """Stop with SQL Server's error 214 where ``sp_executesql``'s text or declarations are
    not Unicode (a ``CATCH`` block catches it, as there)."""
    for parameter, value in (("@statement", text), ("@params", definitions)):
        if not_unicode(value, kinds):
            said = f"Procedure expects parameter '{parameter}' of type 'ntext/nchar/nvarchar'."
            raise ScriptError(line, said, runtime=True, number=214, said=said)
