"""The script's own functions, written into the statements that call them.

A scalar function whose body is ``RETURN expression`` (``CREATE FUNCTION dbo.academic_year
(@d DATE) RETURNS INT AS BEGIN RETURN YEAR(DATEADD(month, -8, @d)) END``) is, in a statement
that calls it (``dbo.academic_year(StartDate)``), its expression with each parameter replaced
by its argument converted to the parameter's type, and the whole converted to the ``RETURNS``
type, as SQL Server converts both. An inline table-valued function (``RETURNS TABLE AS RETURN
(SELECT ...)``) called in ``FROM`` or ``APPLY`` is its query, as a derived table. The targets
have no such functions of a session; written in place, the statement runs on any of them, and
a function called on every row costs no more than its expression. A scalar function's
``DECLARE``/``SET`` statements are written into the expression it returns (:func:`composed`);
one with ``IF``, ``WHILE`` or queries of tables is refused when the script is read
(``blocks``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError

MAX_DEPTH = 32
"""Functions calling functions, at most (SQL Server's nesting limit, error 217)."""


def inline(tree: exp.Expression, functions: Mapping[str, Any], line: int) -> exp.Expression:
    """``tree`` with every call of the script's functions (``functions``: blocks.Function by
    lower-case name) written in its place, those their bodies call too."""
    if not functions:
        return tree
    for _ in range(MAX_DEPTH + 1):
        calls = [node for node in tree.find_all(exp.Dot, exp.Table)
                 if _called(node, functions) is not None]
        if not calls:
            return tree
        for node in calls:
            replaced = _written(node, functions, line)
            if node is tree:
                tree = replaced
            else:
                node.replace(replaced)
    raise ScriptError(line, "Maximum stored procedure, function, trigger, or view nesting "
                      f"level exceeded (limit {MAX_DEPTH}).", runtime=True, number=217)


def _called(node: exp.Expression, functions: Mapping[str, Any]) -> exp.Anonymous | None:
    """The call of one of ``functions`` that ``node`` is (``dbo.f(x)`` as a value, or
    ``dbo.f(x)`` in ``FROM``), or None."""
    call = node.expression if isinstance(node, exp.Dot) else node.this
    if isinstance(call, exp.Anonymous) and call.name.lower() in functions:
        return call
    return None


def _written(node: exp.Expression, functions: Mapping[str, Any], line: int) -> exp.Expression:
    """The call ``node`` replaced by its function's body, its arguments in place."""
    call = _called(node, functions)
    assert call is not None
    function = functions[call.name.lower()]
    scalar = function.returns is not None
    applied = isinstance(node, exp.Dot) and isinstance(node.parent, exp.Lateral)
    if scalar != (isinstance(node, exp.Dot) and not applied):
        kind = "scalar" if scalar else "table-valued"
        raise ScriptError(line, f"{function.shown} is a {kind} function: call it "
                          f"{'as a value' if scalar else 'in FROM or APPLY'}")
    body = _bound(function, list(call.expressions), line)
    if scalar:
        return exp.Cast(this=exp.Paren(this=body), to=function.returns.copy())
    if applied:  # (CROSS APPLY dbo.f(x) AS c: the APPLY keeps the alias)
        return exp.Subquery(this=body)
    alias = node.args.get("alias")
    return exp.Subquery(this=body, alias=alias.copy() if alias is not None else
                        exp.TableAlias(this=exp.to_identifier(function.name)))


def _bound(function: Any, arguments: list[exp.Expression], line: int) -> exp.Expression:
    """The function's body with each parameter replaced by its argument (``DEFAULT``: the
    parameter's default), converted to the parameter's type."""
    declared = function.parameters
    if len(arguments) > len(declared):
        raise ScriptError(line, f"Procedure or function {function.shown} has too many "
                          "arguments specified.", runtime=True, number=8144)
    if len(arguments) < len(declared):
        raise ScriptError(line, "An insufficient number of arguments were supplied for the "
                          f"procedure or function {function.shown}.", runtime=True, number=313)
    values: dict[str, exp.Expression] = {}
    for (name, kind, default), argument in zip(declared, arguments, strict=True):
        if isinstance(argument, exp.Column | exp.Var) and argument.sql().upper() == "DEFAULT":
            if default is None:
                raise ScriptError(line, f"Function {function.shown}: parameter @{name} has "
                                  "no default", runtime=True)
            argument = default
        value = exp.Paren(this=argument.copy())
        values[name] = exp.Cast(this=value, to=kind.copy()) if kind is not None else value
    body = function.body.copy()
    for parameter in list(body.find_all(exp.Parameter)):
        value = values.get(parameter.name.lower())
        if value is not None:
            if parameter is body:
                return value.copy()
            parameter.replace(value.copy())
    return body


def composed(steps: list[exp.Expression | None], value: exp.Expression) -> exp.Expression | None:
    """A scalar function's body of statements (``DECLARE @r INT = ...``, ``SET @r = ...``,
    ``SELECT @r = ...`` without FROM) and ``RETURN value`` as the one expression it returns:
    each variable's last value written into what reads it, converted to its declared type
    (None: a statement of another kind, or a variable never declared)."""
    local: dict[str, tuple[exp.DataType | None, exp.Expression]] = {}

    def written(node: exp.Expression) -> exp.Expression:
        node = node.copy()
        for parameter in list(node.find_all(exp.Parameter)):
            known = local.get(parameter.name.lower())
            if known is not None:
                if parameter is node:
                    return known[1].copy()
                parameter.replace(known[1].copy())
        return node

    def assign(name: str, kind: exp.DataType | None, given: exp.Expression) -> None:
        value = exp.Paren(this=written(given))
        local[name] = (kind, exp.Cast(this=value, to=kind.copy()) if kind is not None
                       else value)

    for step in steps:
        if isinstance(step, exp.Declare):
            for item in step.expressions:
                default = item.args.get("default")
                for target in item.this if isinstance(item.this, list) else [item.this]:
                    assign(target.name.lower(), item.args.get("kind"),
                           default if isinstance(default, exp.Expression) else exp.Null())
            continue
        if isinstance(step, exp.Set):
            pairs = [item.this for item in step.expressions]
        elif isinstance(step, exp.Select) and not step.args.get("from_"):
            pairs = list(step.selects)
        else:
            return None
        for pair in pairs:
            if not (isinstance(pair, exp.EQ) and isinstance(pair.this, exp.Parameter)
                    and pair.this.name.lower() in local):
                return None
            name = pair.this.name.lower()
            assign(name, local[name][0], pair.expression)
    return written(value)
