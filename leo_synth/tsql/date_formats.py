"""Dates written as text in a pattern (``CONVERT`` styles, ``FORMAT``, ``DATENAME``) where
the target's own function falls short.

sqlglot reads each of them as a strftime pattern (``CONVERT(VARCHAR(11), d, 106)`` is ``%d %b
%Y``). SQLite's ``STRFTIME`` has no names of months or days (``%b``, ``%B``, ``%a``, ``%A``),
no two-digit year (``%y``), no 12-hour clock (``%I``, ``%p``), and its ``%f`` is seconds
with their fraction, so styles 3, 106, 121 and 126 and ``FORMAT(d, 'MMM yyyy')`` gave NULL or
doubled seconds. Such parts are built here from the numbers SQLite has, in English (SQL
Server's ``us_english``). PostgreSQL's ``TO_CHAR`` reads letters of a pattern as codes (style
126's ``T`` became ``TH``, an ordinal), so a pattern holding letters of its own is written in
pieces joined around them.
"""

from __future__ import annotations

import re

import sqlglot
from sqlglot import exp

from leo_synth.tsql.target_dialects import target_sql

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
DAY_NAMES = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
SQLITE_CODES = set("dmYHMSjwW%")
"""The strftime codes SQLite's ``STRFTIME`` has as SQL Server means them."""
PART = re.compile(r"%-?.|[^%]+")
STYLES = {"1": "%m/%d/%y", "2": "%y.%m.%d", "3": "%d/%m/%y", "4": "%d.%m.%y", "5": "%d-%m-%y",
          "6": "%d %b %y", "7": "%b %d, %y", "8": "%H:%M:%S", "10": "%m-%d-%y",
          "11": "%y/%m/%d", "12": "%y%m%d", "20": "%Y-%m-%d %H:%M:%S", "23": "%Y-%m-%d",
          "24": "%H:%M:%S", "101": "%m/%d/%Y", "102": "%Y.%m.%d", "103": "%d/%m/%Y",
          "104": "%d.%m.%Y", "105": "%d-%m-%Y", "106": "%d %b %Y", "107": "%b %d, %Y",
          "108": "%H:%M:%S", "110": "%m-%d-%Y", "111": "%Y/%m/%d", "112": "%Y%m%d",
          "120": "%Y-%m-%d %H:%M:%S", "121": "%Y-%m-%d %H:%M:%S.%f",
          "126": "%Y-%m-%dT%H:%M:%S.%f", "127": "%Y-%m-%dT%H:%M:%S.%f",
          "21": "%Y-%m-%d %H:%M:%S.%f", "13": "%d %b %Y %H:%M:%S:%f",
          "113": "%d %b %Y %H:%M:%S:%f", "14": "%H:%M:%S:%f", "114": "%H:%M:%S:%f"}
"""``CONVERT``'s styles of a date as text, as strftime patterns (sqlglot's table has a few
wrong: 10, 11 and 12 in SQL Server's own letters, 14 with six places; 21 and 127 it lacks).
127 is 126's pattern: a ``datetime`` has no time zone to write."""
DATE_CODES = re.compile(r"%-?[dmyYbBaAjwW]")
"""The strftime codes of a pattern that write a part of a date."""


def _names(names: tuple[str, ...], number: str, length: int | None) -> str:
    """A name (its first ``length`` letters) chosen by the 0-based ``number`` (SQL)."""
    cases = " ".join(f"WHEN {i} THEN '{name[:length] if length else name}'"
                     for i, name in enumerate(names))
    return f"(CASE {number} {cases} END)"


def _sqlite_part(code: str, date: str) -> str:
    """SQL for one strftime code SQLite lacks, of the date (SQL) ``date``."""
    month = f"CAST(STRFTIME('%m', {date}) AS INTEGER) - 1"
    weekday = f"CAST(STRFTIME('%w', {date}) AS INTEGER)"
    hour = f"CAST(STRFTIME('%H', {date}) AS INTEGER)"
    return {
        "%B": _names(MONTH_NAMES, month, None),
        "%b": _names(MONTH_NAMES, month, 3),
        "%A": _names(DAY_NAMES, weekday, None),
        "%a": _names(DAY_NAMES, weekday, 3),
        "%y": f"SUBSTR(STRFTIME('%Y', {date}), 3, 2)",
        "%f": f"(SUBSTR(STRFTIME('%f', {date}), 4, 3) || '000')",  # microseconds, 6 digits
        "%I": f"PRINTF('%02d', ({hour} + 11) % 12 + 1)",
        "%-I": f"(({hour} + 11) % 12 + 1)",
        "%-d": f"CAST(STRFTIME('%d', {date}) AS INTEGER)",
        "%-m": f"CAST(STRFTIME('%m', {date}) AS INTEGER)",
        "%-H": f"CAST(STRFTIME('%H', {date}) AS INTEGER)",
        "%-M": f"CAST(STRFTIME('%M', {date}) AS INTEGER)",
        "%-S": f"CAST(STRFTIME('%S', {date}) AS INTEGER)",
        "%p": f"(CASE WHEN {hour} < 12 THEN 'AM' ELSE 'PM' END)",
    }.get(code, "NULL")


def sqlite_pattern(node: exp.TimeToStr) -> exp.Expression:
    """``node`` as SQLite writes it: ``STRFTIME`` for what it has, the rest built."""
    pattern = node.args["format"].name
    codes = {p for p in PART.findall(pattern) if p.startswith("%")}
    if codes <= {f"%{c}" for c in SQLITE_CODES}:
        return node
    inner = node.this.this if isinstance(node.this, exp.Cast) else node.this
    date = target_sql(inner, "sqlite")
    pieces: list[str] = []
    native = ""
    for part in PART.findall(pattern):
        if part.startswith("%") and part[1:] not in SQLITE_CODES:
            if native:
                pieces.append(f"STRFTIME('{native}', {date})")
                native = ""
            pieces.append(_sqlite_part(part, date))
        else:
            native += part.replace("'", "''")
    if native:
        pieces.append(f"STRFTIME('{native}', {date})")
    return sqlglot.parse_one(" || ".join(pieces), read="sqlite")


def _unpadded(code: str, date: exp.Expression, dialect: str) -> str:
    """SQL for a number of a date without its leading zero (``%-d``, ``FORMAT``'s ``d``)."""
    part = {"d": "DAY", "m": "MONTH", "H": "HOUR", "I": "HOUR", "M": "MINUTE",
            "S": "SECOND"}.get(code[2:])
    if part is None:
        return "NULL"
    value = target_sql(date, dialect)
    number = f"CAST(FLOOR(EXTRACT({part} FROM {value})) AS INTEGER)"
    if code == "%-I":  # the 12-hour clock's hour
        number = f"(({number} + 11) % 12 + 1)"
    return f"CAST({number} AS VARCHAR)"


def _meridiem(date: exp.Expression, dialect: str) -> str:
    """SQL for ``%p``, ``AM`` or ``PM`` (``FORMAT``'s ``tt``), which ``TO_CHAR`` writes only
    through a code of its own."""
    return (f"(CASE WHEN EXTRACT(HOUR FROM {target_sql(date, dialect)}) < 12 THEN 'AM' "
            "ELSE 'PM' END)")


def postgres_pattern(node: exp.TimeToStr) -> exp.Expression:
    """``node`` with the letters of its pattern outside codes (``T``) joined in as text,
    since ``TO_CHAR`` would read them as codes, and numbers without their leading zero
    (``%-d``) and ``AM``/``PM`` (``%p``) written out."""
    pattern = node.args["format"].name
    if not re.search(r"%-|%p|(?:^|[^%])[A-Za-z]", pattern.replace("%%", "")):
        return node
    parts: list[exp.Expression] = []
    native = ""

    def flush() -> None:
        nonlocal native
        if native:
            part = node.copy()
            part.set("format", exp.Literal.string(native))
            parts.append(part)
            native = ""

    for part in PART.findall(pattern):
        if part.startswith("%-") or part == "%p":
            flush()
            sql = (_meridiem(node.this, "postgres") if part == "%p"
                   else _unpadded(part, node.this, "postgres"))
            parts.append(sqlglot.parse_one(sql, read="postgres"))
        elif part.startswith("%"):
            native += part
        else:
            for piece in re.split(r"([A-Za-z]+)", part):
                if piece.isalpha():
                    flush()
                    parts.append(exp.Literal.string(piece))
                else:
                    native += piece
    flush()
    joined = parts[0]
    for part in parts[1:]:
        joined = exp.DPipe(this=joined, expression=part, safe=True)
    return exp.Paren(this=joined)


def styled(node: exp.Convert, dialect: str) -> exp.Expression | None:
    """``CONVERT(VARCHAR(n), d, style)`` as the date written in the style's pattern, for a
    target whose own pattern falls short (None: nothing to do)."""
    style = node.args.get("style")
    pattern = STYLES.get(style.name) if isinstance(style, exp.Literal) else None
    from leo_synth.tsql import time_texts  # (here: it reads value_rewrites, which reads this)

    value = node.expression
    if dialect == "duckdb" and pattern is not None and not DATE_CODES.search(pattern) and (
            time_texts.places(value) is not None):
        # a TIME in a style of the time alone (114: DuckDB's STRFTIME takes no TIME): the
        # time on 1900-01-01, as SQL Server converts it to a date and time
        node = node.copy()
        node.set("expression", exp.Add(this=exp.cast(exp.Literal.string("1900-01-01"),
                                                     exp.DataType.build("DATE")),
                                       expression=value.copy()))
        value = node.expression
    if pattern is not None and pattern.endswith("%f"):
        return _milliseconds(node, pattern, dialect, style.name in ISO_STYLES)
    if pattern is not None and dialect in ("duckdb", "postgres") and isinstance(
            value, exp.Literal) and value.is_string:
        # a DATETIME variable's value (as text: a date in a date function); PostgreSQL and
        # DuckDB could not tell which of their functions took it
        node = node.copy()
        node.set("expression", exp.cast(value.copy(), exp.DataType.build("TIMESTAMP")))
    if pattern is None or (
            isinstance(node.expression, exp.Literal) and not node.expression.is_string):
        return None
    text = exp.TimeToStr(this=node.expression.copy(), format=exp.Literal.string(pattern))
    if dialect == "duckdb":  # (STRFTIME has every code; sqlglot's styles 10-12 are wrong)
        return exp.Cast(this=text, to=node.this.copy())
    written = sqlite_pattern(text) if dialect == "sqlite" else postgres_pattern(text)
    if written is text and dialect == "sqlite":
        return None  # (sqlglot's own STRFTIME is right)
    return exp.Cast(this=written, to=node.this.copy())


ISO_STYLES = ("126", "127")
"""The ISO 8601 styles that write no fraction of a second when it is 0: SQL Server's
documentation gives ``2022-11-07T18:26:20.000`` as ``2022-11-07T18:26:20``, in a note it
gives both styles."""


def _milliseconds(node: exp.Convert, pattern: str, dialect: str, iso: bool
                  ) -> exp.Expression:
    """A style ending in milliseconds (121, 126, 113, 114: ``13:45:30.123``), which every
    target writes as microseconds (``%f``): the text without its last three digits, and in
    an ISO style (``iso``) without a fraction of ``.000`` (the targets wrote it)."""
    value = node.expression.copy()
    if isinstance(value, exp.Literal) and value.is_string and dialect != "sqlite":
        value = exp.cast(value, exp.DataType.build("TIMESTAMP"))
    text: exp.Expression = exp.TimeToStr(this=value, format=exp.Literal.string(pattern))
    if dialect == "sqlite":
        text = sqlite_pattern(text)
    elif dialect == "postgres":
        text = postgres_pattern(text)
    cut = _cut(text, 3)
    if iso:
        zero = exp.EQ(this=exp.Substring(this=cut.copy(), start=exp.Sub(
            this=exp.Length(this=cut.copy()), expression=exp.Literal.number(3))),
            expression=exp.Literal.string(".000"))
        cut = exp.Case(ifs=[exp.If(this=zero, true=_cut(cut, 4))], default=cut.copy())
    return exp.Cast(this=cut, to=node.this.copy())


def _cut(text: exp.Expression, last: int) -> exp.Expression:
    """``text`` without its ``last`` characters."""
    return exp.Substring(this=text.copy(), start=exp.Literal.number(1),
                         length=exp.Sub(this=exp.Length(this=text.copy()),
                                        expression=exp.Literal.number(last)))
