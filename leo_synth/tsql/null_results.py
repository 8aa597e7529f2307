"""A ``CASE`` or ``COALESCE`` that can only give the NULL constant stops, as in SQL Server.

``CASE WHEN KS4_ATT8 IS NULL THEN NULL END`` (a placeholder for a column a year lacks),
``IIF(fsm = 1, NULL, NULL)`` and ``COALESCE(NULL, NULL)`` have no type SQL Server can give
them: it stops with error 8133 ("At least one of the result expressions in a CASE
specification must be an expression other than the NULL constant.") or 4127 ("At least one
of the arguments to COALESCE must be an expression that is not the NULL constant."), where
every target gave NULL, so the script ran here and failed in the SRS. A typed NULL
(``CAST(NULL AS VARCHAR(4))``) is the SRS's way, and runs. ``ISNULL(NULL, NULL)``, which
SQL Server types ``int``, runs too.

Checked on the script's own statement, before leo-synth's rewrites add expressions of their
own.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError

CASE_OF_NULLS = ("At least one of the result expressions in a CASE specification must be an "
                 "expression other than the NULL constant.")
"""SQL Server's error 8133 (an ``IIF`` is a ``CASE``)."""
COALESCE_OF_NULLS = ("At least one of the arguments to COALESCE must be an expression that is "
                     "not the NULL constant.")
"""SQL Server's error 4127."""


def _nulls(values: list[exp.Expression | None]) -> bool:
    """Whether every one of ``values`` is the NULL constant (``None``: an ``ELSE`` left out;
    a NULL in parentheses is left alone)."""
    return all(v is None or isinstance(v, exp.Null) for v in values)


def check(tree: exp.Expression, line: int) -> None:
    """Stop at a ``CASE`` (or ``IIF``) whose every result is the NULL constant, and at a
    ``COALESCE`` whose every argument is."""
    for node in tree.find_all(exp.Case, exp.If, exp.Coalesce):
        if isinstance(node, exp.Case):
            results = [arm.args.get("true") for arm in node.args.get("ifs") or []]
            if _nulls([*results, node.args.get("default")]):
                raise ScriptError(line, CASE_OF_NULLS)
        elif isinstance(node, exp.If):
            if not isinstance(node.parent, exp.Case) and _nulls(
                    [node.args.get("true"), node.args.get("false")]):
                raise ScriptError(line, CASE_OF_NULLS)
        elif not node.args.get("is_null") and _nulls([node.this, *node.expressions]):
            raise ScriptError(line, COALESCE_OF_NULLS)
