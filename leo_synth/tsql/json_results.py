"""``SELECT ... FOR JSON PATH`` (or ``AUTO``): the query's rows as one JSON text, as SQL Server
returns it.

The query runs as any other (its numbers, dates and decimal places as SQL Server gives them);
its rows are then written as JSON objects, one per row, under the column heading SQL Server
gives (``JSON_F52E2B61-18A1-11d1-B105-00805F49916B``): a NULL value is left out of its object
unless ``INCLUDE_NULL_VALUES``; a heading with dots (``[pupil.id]``) nests under ``PATH``;
``ROOT('name')`` wraps the array in an object and ``WITHOUT_ARRAY_WRAPPER`` drops the
brackets. Dates are ISO text (a ``DATETIME`` with its ``T``), decimals keep their places. A
query with no rows gives no rows.

Only a script's outermost ``SELECT`` is written so: ``FOR JSON`` in a subquery (a JSON value
built inside a statement) stops the script, saying so, as does ``AUTO`` over a join (which
nests each joined table's rows) and any ``FOR XML`` but the idiom that joins text (``SELECT
',' + x ... FOR XML PATH('')``, ``string_aggregates``'), which would make elements.
Rejected: the targets' JSON functions, which differ in how they write decimals, dates and
NULLs (SQLite's ``json_object`` writes 2.50 as 2.5), so one query would give three texts.

SQL Server also hands a long JSON text to its client in pieces of 2,033 characters, which
SSMS shows as rows; leo-synth gives the whole text in one row, as ``SELECT (... FOR JSON
PATH)`` does there.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
from dataclasses import dataclass

from sqlglot import exp

from leo_synth.tsql import string_aggregates
from leo_synth.tsql.errors import ScriptError

HEADING = "JSON_F52E2B61-18A1-11d1-B105-00805F49916B"
"""The heading SQL Server gives the result of ``FOR JSON``."""


@dataclass(frozen=True)
class JsonOptions:
    path: bool
    root: str | None = None
    nulls: bool = False
    wrapped: bool = True


def _for(tree: exp.Expression) -> exp.Expression | None:
    clause = tree.args.get("for_") if isinstance(tree, exp.Select) else None
    return clause if isinstance(clause, exp.Expression) else None


def check(tree: exp.Expression, line: int) -> None:
    """Stop at a ``FOR JSON`` inside a subquery, and at a ``FOR XML`` other than the one
    that joins text (``SELECT ',' + x ... FOR XML PATH('')``, ``string_aggregates``'): the
    targets would drop the clause and give rows."""
    for select in tree.find_all(exp.Select):
        clause = _for(select)
        if clause is None:
            continue
        kind = str(clause.args.get("kind", "")).upper()
        mode = _mode(clause)
        if kind == "XML" and not string_aggregates.joins_text(select):
            raise ScriptError(line, f"FOR XML {mode} cannot be translated: leo-synth writes "
                              f"FOR JSON PATH and joins text with FOR XML PATH(''), one "
                              f"expression")
        if kind == "JSON" and select is not tree:
            raise ScriptError(line, "FOR JSON in a subquery cannot be translated: leo-synth "
                              "writes the rows of the script's outermost SELECT ... FOR JSON")


def _mode(clause: exp.Expression) -> str:
    """The first option of a ``FOR`` clause: PATH, AUTO, RAW, EXPLICIT."""
    first = clause.expressions[0] if clause.expressions else None
    word = first.this if isinstance(first, exp.QueryOption) else first
    if isinstance(word, exp.Var):
        return word.name.upper()
    if isinstance(word, exp.Expression):
        return (word.this.name if isinstance(word.this, exp.Expression) else "").upper()
    return ""


def options(tree: exp.Expression, line: int) -> JsonOptions | None:
    """The options of the outermost ``SELECT ... FOR JSON`` (None: there is none)."""
    clause = _for(tree)
    if clause is None or str(clause.args.get("kind", "")).upper() != "JSON":
        return None
    if tree.args.get("into") is not None:
        raise ScriptError(line, "SELECT ... INTO cannot have a FOR JSON clause")
    mode = _mode(clause)
    if mode not in ("PATH", "AUTO"):
        raise ScriptError(line, "FOR JSON needs PATH or AUTO")
    if mode == "AUTO" and tree.args.get("joins"):
        raise ScriptError(line, "FOR JSON AUTO over a join cannot be translated (it nests "
                          "each joined table's rows): name the nesting with FOR JSON PATH")
    root, nulls, wrapped = None, False, True
    for option in clause.expressions[1:]:
        value = option.this if isinstance(option, exp.QueryOption) else option
        if isinstance(value, exp.Var):
            word = value.name.upper()
            nulls = nulls or word == "INCLUDE_NULL_VALUES"
            wrapped = wrapped and word != "WITHOUT_ARRAY_WRAPPER"
            if word == "ROOT":
                root = "root"
        elif isinstance(value, exp.Expression) and value.this.name.upper() == "ROOT":
            root = value.expression.name if value.expression is not None else "root"
    if root is not None and not wrapped:
        raise ScriptError(line, "ROOT option and WITHOUT_ARRAY_WRAPPER option cannot be used "
                          "together in FOR JSON.")
    return JsonOptions(mode == "PATH", root, nulls, wrapped)


def without(tree: exp.Expression) -> exp.Expression:
    """The query without its ``FOR JSON`` clause."""
    plain = tree.copy()
    plain.set("for_", None)
    return plain


def _json_value(value: object) -> object:
    """A result value as SQL Server writes it in JSON: numbers as numbers (a decimal with
    its places, as raw JSON), dates as ISO text."""
    if isinstance(value, bool):
        return value
    if isinstance(value, decimal.Decimal):
        return _Raw(str(value)) if value.is_finite() else None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dt.datetime):
        places = getattr(value, "places", 3)
        text = value.strftime("%Y-%m-%dT%H:%M:%S")  # (style 126: no fraction when it is 0)
        return text + (f".{value.microsecond:06d}{'0' * 7}"[:places + 1]
                       if places and value.microsecond else "")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return value


class _Raw(str):
    """A number written as it is (a decimal's places kept)."""


def _dumps(value: object) -> str:
    if isinstance(value, _Raw):
        return str(value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{_dumps(k)}:{_dumps(v)}"
                              for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_dumps(v) for v in value) + "]"
    # (SQL Server escapes the solidus too)
    return json.dumps(value, ensure_ascii=False).replace("/", "\\/")


def _row_object(columns: list[str], row: tuple, opts: JsonOptions, line: int) -> dict:
    found: dict = {}
    for name, value in zip(columns, row, strict=True):
        if value is None and not opts.nulls:
            continue
        keys = name.split(".") if opts.path else [name]
        place = found
        for key in keys[:-1]:
            inner = place.setdefault(key, {})
            if not isinstance(inner, dict):
                raise ScriptError(line, f"Property '{name}' cannot be generated in JSON "
                                  f"output due to a conflict with another column name or "
                                  f"alias. Use different names and aliases for each column "
                                  f"in SELECT list.")
            place = inner
        if keys[-1] in place:
            raise ScriptError(line, f"Property '{name}' cannot be generated in JSON output "
                              f"due to a conflict with another column name or alias. Use "
                              f"different names and aliases for each column in SELECT list.")
        place[keys[-1]] = _json_value(value)
    return found


def rendered(columns: list[str], rows: list[tuple], opts: JsonOptions, line: int
             ) -> str | None:
    """The JSON text of ``rows`` (None when there are none)."""
    unnamed = [name for name in columns if not name or name == "(No column name)"]
    if unnamed:
        raise ScriptError(line, "Column expressions and data sources without names or "
                          "aliases cannot be formatted as JSON text using FOR JSON clause. "
                          "Add alias to the unnamed column or table.")
    if not rows:
        return None
    objects = [_row_object(columns, row, opts, line) for row in rows]
    if not opts.wrapped:
        return ",".join(_dumps(o) for o in objects)
    text = _dumps(objects)
    return text if opts.root is None else f"{{{json.dumps(opts.root)}:{text}}}"
