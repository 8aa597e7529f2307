"""``FORMAT(number, 'N0')``: a number as text, in the formats scripts use for tables.

SQL Server formats with .NET's format strings, for the session's language (``us_english``:
``,`` between thousands, ``.`` before decimals). The standard ones written out here: ``N`` and
``Nk`` (thousands separated, k decimals, 2 by default), ``F``/``Fk`` (no separators), ``Pk``
(times 100, then ``%``), ``Dk`` (an integer padded with zeros to k digits); and the custom
ones made of ``#``, ``0``, ``,``, ``.`` and a final ``%`` (``'#,##0'``, ``'0.0'``, ``'0.00%'``,
``'00'``: a whole number padded with zeros).
``C``/``Ck`` is ``N``/``Nk`` after the culture's currency sign: ``$`` for the session's
``us_english`` (a negative amount in brackets, as .NET Framework writes ``en-US``), ``£`` for
``'en-GB'`` and ``€`` for ``'en-IE'`` (a minus before the sign). A culture argument is taken
when it writes numbers as ``en-US`` does (``en-GB``, ``en-IE``, ``en-AU``, ``en-NZ``,
``en-CA``; ``C`` only for the first three).
Halves are rounded away from zero, as .NET does. Other formats (``E``) and cultures stop the
script with one line: their text depends on settings SQL Server does not share with the
targets. Formats of dates (``FORMAT(d, 'yyyy-MM')``) are ``rewrites``'.

``STR(x, length, decimals)`` (10 and 0 by default) is the ``Fk`` format right-aligned in
``length`` characters, with fewer decimals when they do not fit, and ``length`` stars when the
whole number does not (``LTRIM(STR(n))``: a number as text).
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Collection
from dataclasses import dataclass

import sqlglot
from sqlglot import exp

from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.target_dialects import target_sql

STANDARD = re.compile(r"([NFPDC])([0-9]{0,2})", re.IGNORECASE)
CURRENCIES = {"en-us": ("$", True), "en-gb": ("£", False), "en-ie": ("€", False)}
"""The currency sign of each culture ``C`` is written out for, and whether a negative amount
is put in brackets (.NET Framework's ``en-US``) rather than after a minus."""
CULTURES = {*CURRENCIES, "en-au", "en-nz", "en-ca"}
"""Cultures that write numbers as ``us_english`` does (``,`` between thousands, ``.``)."""
CUSTOM = re.compile(r"([#0,]*0|#)(\.0+)?(%?)")
PADDED = re.compile(r"D[0-9]{1,2}", re.IGNORECASE)
"""``Dk``, which sqlglot reads as a format of dates (``D``: the day)."""


@dataclass(frozen=True)
class NumberFormat:
    """What a format string asks for: decimals, separators, percent, zero-padded width."""

    decimals: int
    grouped: bool
    percent: bool
    width: int = 0
    currency: str = ""
    """The currency sign before the number (``C``), if any."""
    bracketed: bool = False
    """Whether a negative amount is in brackets rather than after a minus."""


def parse(text: str, culture: str = "en-us") -> NumberFormat | None:
    """The format string's meaning in ``culture`` (lower case), or None when it is not one
    written out here."""
    if culture not in CULTURES:
        return None
    standard = STANDARD.fullmatch(text)
    if standard:
        kind, digits = standard[1].upper(), standard[2]
        if kind == "D":
            return NumberFormat(0, False, False, int(digits or 0))
        decimals = int(digits) if digits else 2
        if kind == "C":
            if culture not in CURRENCIES:
                return None
            sign, bracketed = CURRENCIES[culture]
            return NumberFormat(decimals, True, False, currency=sign, bracketed=bracketed)
        return NumberFormat(decimals, kind == "N", kind == "P")
    custom = CUSTOM.fullmatch(text)
    if custom:
        decimals = len(custom[2]) - 1 if custom[2] else 0
        zeros = custom[1].count("0")
        if zeros > 1 and (decimals or "," in custom[1] or custom[3]):
            return None  # (padding and more: rare, not written out)
        return NumberFormat(decimals, "," in custom[1], bool(custom[3]),
                            zeros if zeros > 1 else 0)
    return None


def formatted(value: object, decimals: int, grouped: int, percent: int, width: int
              ) -> str | None:
    """A number as FORMAT writes it (the SQLite function ``LEO_FORMAT_NUMBER``)."""
    if value is None:
        return None
    number = decimal.Decimal(str(value))
    if percent:
        number *= 100
    rounded = number.quantize(decimal.Decimal(1).scaleb(-decimals),
                              rounding=decimal.ROUND_HALF_UP)
    if not rounded:  # (-0.001 rounded is -0.00, which .NET Framework writes 0.00)
        rounded = rounded.copy_abs()
    if width:
        digits = f"{abs(int(rounded)):0{width}d}"
        return f"-{digits}" if rounded < 0 else digits
    text = f"{rounded:{',' if grouped else ''}.{decimals}f}"
    return text + ("%" if percent else "")



def _culture(node: exp.NumberToStr) -> str | None:
    """The culture a ``FORMAT`` is given (lower case; ``en-us``, the session's, when none),
    None when it is not written out as text."""
    given = node.args.get("culture")
    if given is None:
        return "en-us"
    return given.name.lower() if isinstance(given, exp.Literal) and given.is_string else None


def _signed(node: exp.NumberToStr, wanted: NumberFormat, dialect: str) -> exp.Expression:
    """``C``: the amount without its sign formatted as ``N``, after the currency sign, with a
    minus before it or in brackets when the amount is below zero."""
    value = target_sql(node.this, dialect)
    plain = NumberFormat(wanted.decimals, True, False)
    amount = target_sql(_written(exp.Abs(this=exp.Paren(this=node.this.copy())), plain,
                                 dialect), dialect)
    sign = exp.Literal.string(wanted.currency).sql(dialect)
    negative = (f"'(' || {sign} || {amount} || ')'" if wanted.bracketed
                else f"'-' || {sign} || {amount}")
    # (below zero once rounded: -0.001 is $0.00, as .NET writes it)
    exact = f"CAST(({value}) AS NUMERIC)" if dialect == "postgres" else f"({value})"
    rounded = f"ROUND({exact}, {wanted.decimals})"
    return sqlglot.parse_one(f"CASE WHEN {value} IS NULL THEN NULL WHEN {rounded} < 0 THEN "
                             f"{negative} ELSE {sign} || {amount} END", read=dialect)


def _rewrite(node: exp.NumberToStr, dialect: str, line: int) -> exp.Expression:
    pattern = node.args.get("format")
    culture = _culture(node)
    wanted = parse(pattern.name, culture) if isinstance(pattern, exp.Literal) and (
        pattern.is_string) and culture is not None else None
    if wanted is None:
        shown = pattern.sql("tsql") if pattern is not None else "?"
        if node.args.get("culture") is not None:
            shown += f", {node.args['culture'].sql('tsql')}"
        raise ScriptError(line, f"FORMAT(..., {shown}) cannot be translated: use 'N', 'Nk', "
                          f"'Fk', 'Pk', 'Dk', 'Ck' or a pattern like '#,##0.00' or '00', "
                          f"in the session's culture or {', '.join(sorted(CULTURES))} "
                          f"('C': {', '.join(sorted(CURRENCIES))})")
    if wanted.currency:
        return _signed(node, wanted, dialect)
    written = _written(node.this, wanted, dialect)
    if pattern.name != "#":
        return written
    # .NET's '#' writes no digit that is not significant: a value that rounds to 0 is ''
    rounds_to_zero = exp.LT(this=exp.Abs(this=node.this.copy()),
                            expression=exp.Literal.number(0.5))
    return exp.Case(ifs=[exp.If(this=rounds_to_zero, true=exp.Literal.string(""))],
                    default=written)


def _written(number_node: exp.Expression, wanted: NumberFormat, dialect: str
             ) -> exp.Expression:
    """A number formatted as ``wanted`` asks (without a currency sign), for the target."""
    value = target_sql(number_node, dialect)
    if dialect == "sqlite":
        return exp.Anonymous(this="LEO_FORMAT_NUMBER", expressions=[
            number_node.copy(), *(exp.Literal.number(int(n)) for n in (
                wanted.decimals, wanted.grouped, wanted.percent, wanted.width))])
    scaled = f"({value}) * 100" if wanted.percent else value
    if dialect == "duckdb":
        number = f"ROUND(CAST({scaled} AS DECIMAL(38, 10)), {wanted.decimals})"
        if wanted.width:
            text = (f"CASE WHEN {number} < 0 THEN '-' ELSE '' END || "
                    f"PRINTF('%0{wanted.width}d', ABS(CAST({number} AS BIGINT)))")
        else:
            spec = f"{{:{',' if wanted.grouped else ''}.{wanted.decimals}f}}"
            text = f"FORMAT('{spec}', {number})"
    else:
        number = f"ROUND(CAST({scaled} AS NUMERIC), {wanted.decimals})"
        if wanted.width:
            text = (f"CASE WHEN {number} < 0 THEN '-' ELSE '' END || "
                    f"LPAD(CAST(ABS(CAST({number} AS BIGINT)) AS TEXT), {wanted.width}, '0')")
        else:
            whole = "FM999,999,999,999,999,990" if wanted.grouped else "FM999999999999999990"
            mask = whole + ("." + "0" * wanted.decimals if wanted.decimals else "")
            text = f"TO_CHAR({number}, '{mask}')"
    if wanted.percent:
        text = f"{text} || '%'"
    return sqlglot.parse_one(f"CASE WHEN {value} IS NULL THEN NULL ELSE {text} END",
                             read=dialect)


def _str(node: exp.Anonymous, dialect: str, line: int) -> exp.Expression:
    """``STR(x[, length[, decimals]])`` (see the module docstring)."""
    value, *sizes = node.expressions
    if len(sizes) > 2 or not all(isinstance(n, exp.Literal) and n.this.isdigit()
                                 for n in sizes):
        raise ScriptError(line, "STR(x, length, decimals) is translated with whole numbers "
                          "written as its length and decimals")
    length, decimals = ([int(n.this) for n in sizes] + [10, 0][len(sizes):])[:2]
    length = max(length, 1)
    cases = []
    for kept in range(min(decimals, 16), -1, -1):
        text = target_sql(_rewrite(exp.NumberToStr(this=value.copy(), format=exp.Literal.string(
            f"F{kept}")), dialect, line), dialect)
        padded = (f"PRINTF('%{length}s', {text})" if dialect == "sqlite"
                  else f"LPAD({text}, {length}, ' ')")
        cases.append(f"WHEN LENGTH({text}) <= {length} THEN {padded}")
    return sqlglot.parse_one(f"CASE WHEN {target_sql(value, dialect)} IS NULL THEN NULL "
                             f"{' '.join(cases)} ELSE '{'*' * length}' END", read=dialect)


MONEY_STYLES = {"0": "F2", "1": "N2", "2": "F4"}
"""``CONVERT(VARCHAR, money, style)``'s styles as formats: 0 (and a ``CAST``) two places, 1 two
places with ``,`` between thousands (the old way to write ``23,122.00``), 2 four places."""
_MONEY_TYPES = (exp.DataType.Type.MONEY, exp.DataType.Type.SMALLMONEY)


def _money_text(node: exp.Convert | exp.Cast, moneys: Collection[str]
                ) -> tuple[exp.Expression, str] | None:
    """The ``MONEY`` value a ``CAST`` or ``CONVERT`` to text writes and the format of its
    style (None: not such a conversion); ``moneys``: the names of the session's ``MONEY``
    columns."""
    if isinstance(node, exp.Convert):
        to, value, style = node.this, node.expression, node.args.get("style")
    else:
        to, value, style = node.args.get("to"), node.this, None
    name = "0" if style is None else style.name if isinstance(style, exp.Literal) else None
    if not (isinstance(to, exp.DataType) and to.is_type(*exp.DataType.TEXT_TYPES)
            and name in MONEY_STYLES):
        return None
    return (value, MONEY_STYLES[name]) if _is_money(value, moneys) else None


_MONEY_KEEPING = (exp.Paren, exp.Window, exp.Sum, exp.Avg, exp.Min, exp.Max, exp.Round)
"""What has its operand's ``MONEY`` type (``SUM`` and ``AVG`` of money are money, and so is
``ROUND`` of money)."""


def _whole_literal(value: exp.Expression) -> bool:
    """A whole number written in the script (``2``), an ``int`` beside a ``MONEY``."""
    return isinstance(value, exp.Literal) and not value.is_string and value.name.isdigit()


def _is_money(value: exp.Expression, moneys: Collection[str]) -> bool:
    """Whether ``value`` is a ``MONEY`` for certain: a cast to one, a ``MONEY`` column of the
    session's tables (by its name in ``moneys``), an aggregate of one, or a sum, difference
    or product of one and another or a whole number (``pay * 2``: ``decimal_types``)."""
    if isinstance(value, _MONEY_KEEPING):
        return _is_money(value.this, moneys)
    if isinstance(value, exp.Add | exp.Sub | exp.Mul):
        sides = (value.this, value.expression)
        return any(_is_money(side, moneys) for side in sides) and all(
            _is_money(side, moneys) or _whole_literal(side) for side in sides)
    made = value.args.get("to") if isinstance(value, exp.Cast | exp.TryCast) else (
        value.this if isinstance(value, exp.Convert) else None)
    return (isinstance(made, exp.DataType) and made.is_type(*_MONEY_TYPES)) or (
        isinstance(value, exp.Column) and value.name.lower() in moneys)


def numbers_first(tree: exp.Expression, moneys: Collection[str] = frozenset()
                  ) -> exp.Expression:
    """``FORMAT(n, 'D5')`` read as a format of a number (before dates' formats are written
    out), and ``CONVERT(VARCHAR, CAST(x AS MONEY), 1)`` as ``FORMAT(x, 'N2')`` (read as a
    style of a date, SQLite wrote a date and the others stopped; a ``MONEY`` cast to text
    showed one place, or four); so is a ``MONEY`` column of the session's tables, by its
    name in ``moneys``; so is a ``MONEY`` that ``CONCAT`` or ``CONCAT_WS`` joins, which SQL
    Server writes as a ``CAST`` does (``CONCAT(pay, '')`` is ``2.50``)."""
    for joined in tree.find_all(exp.Concat, exp.ConcatWs):
        for value in joined.expressions:
            if _is_money(value, moneys):
                value.replace(exp.NumberToStr(this=value.copy(),
                                              format=exp.Literal.string(MONEY_STYLES["0"])))
    for node in list(tree.find_all(exp.TimeToStr, exp.Convert, exp.Cast)):
        pattern = node.args.get("format")
        if isinstance(node, exp.Convert | exp.Cast):
            money = _money_text(node, moneys)
            if money is None:
                continue
            replacement: exp.Expression = exp.NumberToStr(
                this=money[0].copy(), format=exp.Literal.string(money[1]))
        elif isinstance(pattern, exp.Literal) and PADDED.fullmatch(pattern.name):
            replacement = exp.NumberToStr(this=node.this.copy(), format=pattern.copy())
        else:
            continue
        if node is tree:
            return replacement
        node.replace(replacement)
    return tree


def for_target(tree: exp.Expression, dialect: str, line: int) -> exp.Expression:
    """The tree with each ``FORMAT`` of a number, and each ``STR``, written out for the
    target."""
    for node in list(tree.find_all(exp.NumberToStr, exp.Anonymous)):
        if isinstance(node, exp.Anonymous) and not (node.name.upper() == "STR"
                                                    and node.expressions):
            continue
        replacement = (_str(node, dialect, line) if isinstance(node, exp.Anonymous)
                       else _rewrite(node, dialect, line))
        if node is tree:
            return replacement
        node.replace(replacement)
    return tree
