"""T-SQL functions SQLite lacks, added to a script's SQLite connection in Python.

SQLite (3.40 in Python's builds) has no ``CONCAT``, ``CONCAT_WS``, ``TRANSLATE``, ``REPEAT``
(``REPLICATE``), sample or population ``STDEV``/``VAR``, ``ISNUMERIC``, ``REVERSE``, ``ASCII``,
``NEWID``, ``TRY_CAST``, ``CONVERT`` of text in a style to a date, ordered ``STRING_AGG``, LIKE
character classes, ``DIFFERENCE`` or SQL Server's ``SOUNDEX`` (``soundex_codes``); its
``CAST`` reads the leading number of any text (``CAST(' 12a' AS INTEGER)`` is 12, where
``TRY_CAST`` gives NULL). The translation (``value_rewrites``) names these functions; each
means what its T-SQL namesake does. Python is called per row, which is slow for SQL but
fine for the extracts a script is tried on. DuckDB, whose ``CAST`` reads only ISO text as a
date, is given the two date conversions too (:func:`register_duckdb`).
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import re
import sqlite3
import uuid
from typing import Any, NoReturn

from leo_synth.tsql import (
    checksum_aggregates,
    date_texts,
    hash_bytes,
    like_patterns,
    money_forms,
    number_formats,
    percentiles,
    soundex_codes,
    string_escapes,
    text_cases,
    value_hashes,
)
from leo_synth.tsql.error_messages import (
    DIVIDE_BY_ZERO,
    INT_OVERFLOW,
    NUMERIC_OVERFLOW,
    TRUNCATED,
    conversion_failed,
    not_converted,
    numeric_overflow,
    text_overflow,
)

INTEGER = re.compile(r"\s*[-+]?\d+\s*")
NO_DIGITS = ("", "-", "+")
"""Text (trimmed) SQL Server converts to the integer 0 though it holds no digit: blank text, or
a sign alone (``CAST('-' AS INT)`` and ``CAST('+' AS BIGINT)`` are 0, where every target
stopped; a ``DECIMAL`` reads none of them, a ``FLOAT`` only blank text)."""
NUMBER = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*")
DECIMAL = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)\s*")
"""Text a ``numeric`` reads: a number without an exponent."""
NUMERIC_TEXT = (r"^\s*([-+]?\s*[$£€¥\\]?\s*[-+]?[0-9,]*\.?[0-9]*"
                r"|[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)[eEdD][-+]?[0-9]+)\s*$")
"""Text ``ISNUMERIC`` calls a number (with :func:`is_numeric`'s test that it is not blank): one
SQL Server converts to any number type, ``money``'s included, so a currency sign, commas, a
sign or a point alone count (``'$'``, ``'1,000'``, ``'-'``, ``'.'``), and a float's exponent
written ``e`` or ``d`` (``'1d5'``). A backslash is a currency sign to ``ISNUMERIC`` (the yen's
place in Japanese code pages: ``ISNUMERIC('\\')`` is 1), though not to a ``CAST``."""
NUMERIC = re.compile(NUMERIC_TEXT)
DATE_TEXT = r"^\s*[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(\s*$|[ T][0-9]{2}:[0-9]{2})"
"""Text T-SQL reads as a date: ISO, alone or before a time (the day checked against its
month apart: the pattern lets 30 February through)."""


def concat(*values: Any) -> str:
    """T-SQL ``CONCAT``: NULLs count as empty text."""
    return "".join("" if v is None else _text(v) for v in values)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # (SQL Server writes the float 3.0 as 3)
    return str(value)


def repeat(text: Any, times: Any) -> str | None:
    """T-SQL ``REPLICATE`` (NULL for a negative count)."""
    if text is None or times is None or int(times) < 0:
        return None
    return str(text) * int(times)


def zero_integer(text: str) -> bool:
    """Whether SQL Server converts ``text`` to the integer 0 though it holds no digit
    (:data:`NO_DIGITS`)."""
    return text.strip() in NO_DIGITS


def try_integer(value: Any) -> int | None:
    """``TRY_CAST(value AS INT)``: NULL unless the whole text is an integer (blank text, or a
    sign alone, is 0, as in SQL Server)."""
    if value is None or isinstance(value, bytes):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)  # (T-SQL truncates a float cast to an integer)
    if zero_integer(value):
        return 0
    return int(value) if INTEGER.fullmatch(value) else None


def try_number(value: Any) -> float | None:
    """``TRY_CAST(value AS FLOAT)``: NULL unless the whole text is a number (blank text is
    0, as in SQL Server)."""
    if value is None or isinstance(value, bytes):
        return None
    if isinstance(value, int | float):
        return float(value)
    if not value.strip():
        return 0.0
    return float(value) if NUMBER.fullmatch(value) else None


class ConversionFailed(ValueError):
    """Text that T-SQL cannot convert to a number: the query stops, as in SQL Server."""


sql_server_error: str | None = None
"""SQL Server's words for the last conversion or division that failed (SQLite reports only
that a function raised an exception: ``Target.run_at`` shows these instead)."""


def raise_error(message: str) -> NoReturn:
    """Stop the query with SQL Server's ``message``, which ``Target.run_at`` then shows."""
    global sql_server_error
    sql_server_error = message
    raise ConversionFailed(sql_server_error)


def money_checked(value: Any) -> Any:
    """``CAST(value AS MONEY)``'s number text (``money_forms.money_digits``); text in no form
    of money stops the query with SQL Server's error 235."""
    if isinstance(value, str) and not money_forms.is_money(value):
        raise_error(money_forms.MONEY_FAILED)
    return money_forms.money_digits(value)


def _converted(value: Any, kind: str, convert: Any, source: str = "varchar") -> Any:
    if value is None or not isinstance(value, str):
        return value
    # (blank text is 0 of an integer or a float, which ``convert`` gives, and no DECIMAL)
    result = None if kind == "numeric" and not value.strip() else convert(value)
    if result is None:  # (SQL Server words its error 8114, of a float, without the value)
        raise_error(not_converted(kind) if kind in ("float", "numeric")
                    else conversion_failed(value, kind, source))
    return result


INT_RANGE = (-2**31, 2**31 - 1)
INTEGER_RANGES = {"tinyint": (0, 255), "smallint": (-32768, 32767), "int": INT_RANGE}
"""SQL Server's ranges of its integer types by their names (``bigint``'s is SQLite's own)."""


def int_sum(value: Any) -> Any:
    """A ``SUM`` of ``int`` values, which is an ``int`` in SQL Server: too large, it stops the
    query (SUM(CAST(x AS BIGINT)) is the SRS's way round)."""
    if value is not None and not INT_RANGE[0] <= value <= INT_RANGE[1]:
        raise_error(INT_OVERFLOW)
    return value


def fits(value: Any, length: int) -> Any:
    """A value put in a ``VARCHAR(length)`` column: too long (trailing spaces aside), it stops
    the statement, as in SQL Server; trailing spaces beyond the length are dropped, as SQL
    Server stores it (``'abc '`` in a ``VARCHAR(3)`` is ``'abc'``)."""
    if value is not None and len(str(value).rstrip(" ")) > length:
        raise_error(TRUNCATED)
    return value[:length] if isinstance(value, str) else value


def divide_by_zero() -> NoReturn:
    """A division by zero stops the query, as in SQL Server (SQLite's gives NULL)."""
    raise_error(DIVIDE_BY_ZERO)


def remainder(dividend: Any, divisor: Any) -> Any:
    """``a % b`` of a decimal, as SQL Server gives it: the fraction kept, the sign the
    dividend's (``-7.5 % 2`` is ``-1.5``; SQLite's ``%`` took both as integers, ``-1``)."""
    if dividend is None or divisor is None:
        return None
    if isinstance(dividend, int) and isinstance(divisor, int):
        whole = abs(dividend) % abs(divisor)
        return -whole if dividend < 0 else whole
    return math.fmod(float(dividend), float(divisor))


def to_integer(value: Any, kind: str = "int", source: str = "varchar") -> Any:
    """Text compared with or cast to an integer (of SQL Server's type ``kind``), converted as
    T-SQL does (or the query stops: text that is no integer, or one beyond ``kind``'s range,
    ``CAST('300' AS TINYINT)``, which SQLite kept; ``source``: the text's type, which the
    message names)."""
    result = _converted(value, kind, try_integer, source)
    low, high = INTEGER_RANGES.get(kind, (result, result))
    if isinstance(value, str) and result is not None and not low <= result <= high:
        raise_error(text_overflow(value, kind))
    return result


def to_number(value: Any) -> Any:
    """Text compared with a decimal number, converted as T-SQL does (or the query stops)."""
    return _converted(value, "float", try_number)


def _decimal_number(value: Any) -> float | None:
    """Text read as a ``numeric`` reads it: as a number, but without an exponent (``'1e5'``
    is no decimal in SQL Server, though it is a float); None for text in no such form."""
    if isinstance(value, str) and DECIMAL.fullmatch(value) is None:
        return None
    return try_number(value)


def _fitted(number: float, precision: int, scale: int) -> float | None:
    """``number`` rounded half away from zero to ``scale`` places, as SQL Server rounds a
    ``DECIMAL(precision, scale)``; None when its digits do not fit."""
    # (15 digits, as SQLite's ROUND reads a float: 1.005 * 3 is 3.015, which SQL Server's
    # exact decimals give, not 3.0149999999999997)
    exact = decimal.Decimal(f"{float(number):.15g}").quantize(
        decimal.Decimal(1).scaleb(-scale), rounding=decimal.ROUND_HALF_UP)
    return float(exact) if abs(exact) < decimal.Decimal(10) ** (precision - scale) else None


def decimal_value(value: Any, precision: int, scale: int) -> Any:
    """``CAST(value AS DECIMAL(precision, scale))``: rounded to ``scale`` places; a number whose
    digits do not fit stops the query (SQLite kept every digit)."""
    number = _converted(value, "numeric", _decimal_number)
    if number is None:
        return None
    fitted = _fitted(number, precision, scale)
    if fitted is None:  # (text's overflow is worded as varchar's: decimal_text_casts)
        raise_error(numeric_overflow("numeric", "varchar") if isinstance(value, str)
                    else NUMERIC_OVERFLOW)
    return fitted


def try_decimal(value: Any, precision: int, scale: int) -> float | None:
    """``TRY_CAST(value AS DECIMAL(precision, scale))``: as :func:`decimal_value`, NULL where
    that stops."""
    if isinstance(value, str) and not value.strip():
        return None  # (blank text is no DECIMAL, though it is the integer or float 0)
    number = _decimal_number(value)
    return None if number is None else _fitted(number, precision, scale)


def try_date(value: Any) -> str | None:
    """``TRY_CAST(value AS DATE)``: the ISO date, or NULL for text that is not a date."""
    if value is None or not re.match(DATE_TEXT, str(value)):
        return None
    try:
        return dt.date.fromisoformat(str(value).strip()[:10]).isoformat()
    except ValueError:
        return None


def to_date(value: Any, order: str, date_only: int) -> Any:
    """``CAST(value AS DATE)`` (``date_only``) or ``AS DATETIME`` as SQL Server converts a
    value that is not a date already: text it reads as a date (``'20150131'``, ``'1 Mar
    2015'``, ``'03/04/2015'`` under the session's ``DATEFORMAT order``) in ISO form, a number
    to a DATETIME as that many days from 1900-01-01; anything else stops the query with SQL
    Server's message (SQLite's ``DATE()`` gave NULL)."""
    if value is None:
        return None
    if isinstance(value, int | float):
        if date_only:
            raise_error(date_texts.not_allowed(
                "int" if isinstance(value, int) else "float", "date"))
        try:
            return date_texts.day_number(value)
        except date_texts.DayNumberOverflow:
            raise_error(date_texts.DATETIME_OVERFLOW)
    text = date_texts.iso(str(value), bool(date_only), order)
    if text is None:
        raise_error(date_texts.DATE_FAILED)
    return text


def try_to_date(value: Any, order: str, date_only: int) -> Any:
    """``TRY_CAST(value AS DATE)`` (``date_only``) or ``AS DATETIME``: :func:`to_date`'s
    date, or NULL where that stops."""
    global sql_server_error
    try:
        return to_date(value, order, date_only)
    except ConversionFailed:
        sql_server_error = None
        return None


def is_numeric(value: Any) -> int:
    """T-SQL ``ISNUMERIC``: 1 when the text is :data:`NUMERIC_TEXT` and not blank, else 0
    (NULL too). Blank is empty or spaces only: a tab, a line feed or a carriage return alone
    is 1 in SQL Server, as the other targets' ``TRIM`` (of spaces) leaves it."""
    if value is None:
        return 0
    if isinstance(value, int | float):
        return 1
    text = str(value)
    return int(bool(text.strip(" ")) and NUMERIC.fullmatch(text) is not None)


class _Spread:
    """Sample or population variance or standard deviation, as a window aggregate (NULLs
    left out; NULL for too few values, as in T-SQL)."""

    population = False
    root = False

    def __init__(self) -> None:
        self.values: list[float] = []

    def step(self, value: Any) -> None:
        if value is not None:
            self.values.append(float(value))

    def inverse(self, value: Any) -> None:
        if value is not None:
            self.values.remove(float(value))

    def value(self) -> float | None:
        n = len(self.values)
        if n < (1 if self.population else 2):
            return None
        mean = math.fsum(self.values) / n
        variance = math.fsum((v - mean) ** 2 for v in self.values) / (
            n if self.population else n - 1)
        return math.sqrt(variance) if self.root else variance

    def finalize(self) -> float | None:
        return self.value()


class _SampleDeviation(_Spread):
    root = True


class _PopulationVariance(_Spread):
    population = True


class _PopulationDeviation(_Spread):
    population = root = True


ORDERED_STRING_AGG = "LEO_STRING_AGG"
"""The session aggregate a ``STRING_AGG ... WITHIN GROUP (ORDER BY ...)`` is written as
(``string_aggregates``)."""


class _OrderedStringAgg:
    """``STRING_AGG(x, sep) WITHIN GROUP (ORDER BY k1 [DESC], ...)`` as
    ``LEO_STRING_AGG(x, sep, k1, desc1, ...)``: SQLite 3.40 takes no ORDER BY in an aggregate,
    so the values are gathered with their keys and sorted at the end (NULL keys first, as in
    SQL Server; NULL values left out)."""

    def __init__(self) -> None:
        self.rows: list[tuple[tuple, str]] = []
        self.separator = ""
        self.descending: tuple[bool, ...] = ()

    def step(self, value: Any, separator: Any, *keys: Any) -> None:
        self.separator = "" if separator is None else str(separator)
        self.descending = tuple(bool(flag) for flag in keys[1::2])
        if value is not None:
            self.rows.append((keys[::2], _text(value)))

    def finalize(self) -> str | None:
        rows = self.rows
        for position in reversed(range(len(self.descending))):  # (stable: last key first)
            rows.sort(key=lambda row: (row[0][position] is not None, row[0][position] or 0),
                      reverse=self.descending[position])
        return self.separator.join(value for _, value in rows) if rows else None


def str_to_date(text: Any, pattern: Any) -> str | None:
    """``CONVERT(DATE, text, style)`` (sqlglot names the style's pattern): the ISO date, or
    NULL for text not in the style."""
    if text is None or pattern is None:
        return None
    try:
        return dt.datetime.strptime(str(text).strip(), str(pattern)).date().isoformat()
    except ValueError:
        return None


def concat_ws(separator: Any, *values: Any) -> str | None:
    """T-SQL ``CONCAT_WS``: the values that are not NULL, joined."""
    if separator is None:
        return None
    return _text(separator).join(_text(v) for v in values if v is not None)


def translate(text: Any, source: Any, target: Any) -> str | None:
    """T-SQL ``TRANSLATE``: each character of ``source`` replaced by the one at its place in
    ``target``."""
    if text is None or source is None or target is None:
        return None
    return _text(text).translate(str.maketrans(_text(source), _text(target)))


def logarithm(base: Any, value: Any) -> float | None:
    """``LOG(x, base)`` and ``LOG10(x)`` (which sqlglot writes ``LOG(10, x)``) as SQL Server
    gives them: SQLite's own divides natural logarithms, so ``LOG10(1000)`` was
    2.9999999999999996 and ``FLOOR(LOG10(1000))`` 2. NULL outside the domain, as SQLite."""
    if base is None or value is None or value <= 0 or base <= 0 or base == 1:
        return None
    if base == 10:
        return math.log10(value)
    return math.log2(value) if base == 2 else math.log(value) / math.log(base)


def parsename(name: Any, part: Any) -> str | None:
    """``PARSENAME(name, n)``: the n-th part from the right of a dotted name of at most four
    parts; NULL for one not there, an empty one, or a name of more than four."""
    if name is None or part is None:
        return None
    parts = str(name).split(".")
    if len(parts) > 4 or not 1 <= int(part) <= len(parts):
        return None
    return parts[-int(part)] or None


EXPONENT = r"e([+-])([0-9][0-9])$"
"""A two-digit exponent, which SQL Server writes with three (``e+06`` as ``e+006``; the
FLOAT text of ``float_texts``, here and in DuckDB's rewrite)."""


def float_text(value: Any) -> str | None:
    """A FLOAT as SQL Server writes it as text (``float_texts``): ``%.6g``, its exponent in
    three digits."""
    return None if value is None else _three_digit_exponent(f"{float(value):.6g}")


def _three_digit_exponent(text: str) -> str:
    """A number's text with its two-digit exponent in three digits (``e+06`` as ``e+006``)."""
    return re.sub(EXPONENT, r"e\g<1>0\2", text)


def replace_ignoring_case(text: Any, found: Any, put: Any) -> str | None:
    """SQL Server's ``REPLACE`` under the SRS's collation: ``found`` in any case (``collation``)."""
    if text is None or found is None or put is None:
        return None
    if found == "":
        return str(text)
    return re.sub(re.escape(str(found)), lambda _: str(put), str(text), flags=re.IGNORECASE)


def float_scientific(value: Any, digits: int) -> str | None:
    """A FLOAT in SQL Server's scientific styles 1 and 2 (``number_styles``): ``digits``
    after the point, its exponent in three digits."""
    return None if value is None else _three_digit_exponent(f"{float(value):.{int(digits)}e}")


DUCKDB_DATES = {"LEO_TO_DATE": to_date, "LEO_TRY_TO_DATE": try_to_date}
"""The functions DuckDB is given too: its ``CAST`` reads only ISO text as a date."""


def register_duckdb(connection: Any) -> None:
    """Add :data:`DUCKDB_DATES` to a script's DuckDB connection (text, the ``DATEFORMAT``
    and whether a date alone, to ISO text or NULL), and SQL Server's ``SOUNDEX`` and
    ``DIFFERENCE`` (``soundex_codes``)."""
    for name, function in DUCKDB_DATES.items():
        connection.create_function(name, function, ["VARCHAR", "VARCHAR", "INTEGER"],
                                   "VARCHAR", null_handling="special")
    connection.create_function("LEO_SOUNDEX", soundex_codes.soundex, ["VARCHAR"], "VARCHAR")
    connection.create_function("LEO_DIFFERENCE", soundex_codes.difference,
                               ["VARCHAR", "VARCHAR"], "INTEGER")


def register(connection: sqlite3.Connection) -> None:
    """Add every function the translation may name to a script's SQLite connection."""
    scalars = {"CONCAT": (-1, concat), "REPEAT": (2, repeat),
               "LEO_TRY_INTEGER": (1, try_integer), "LEO_TRY_NUMBER": (1, try_number),
               "LEO_TRY_DATE": (1, try_date), "LEO_TO_DATE": (3, to_date),
               "LEO_TRY_TO_DATE": (3, try_to_date),
               "ISNUMERIC": (1, is_numeric),
               "LEO_LIKE": (2, like_patterns.like),
               "LEO_LIKE_CASED": (2, like_patterns.like_cased),
               "LEO_PATINDEX": (2, like_patterns.patindex),
               "REVERSE": (1, lambda text: None if text is None else str(text)[::-1]),
               "ASCII": (1, lambda text: ord(str(text)[0]) if text else None),
               "STR_TO_DATE": (2, str_to_date), "CONCAT_WS": (-1, concat_ws),
               "TRANSLATE": (3, translate), "LEO_TO_INTEGER": (-1, to_integer),
               "LEO_RAISE": (1, raise_error),
               "LEO_TO_NUMBER": (1, to_number), "LEO_DECIMAL": (3, decimal_value),
               "LEO_TRY_DECIMAL": (3, try_decimal),
               "LEO_MONEY_DIGITS": (1, money_forms.money_digits),
               "LEO_MONEY_CHECKED": (1, money_checked),
               "LEO_FORMAT_NUMBER": (5, number_formats.formatted),
               "LEO_DIVIDE_BY_ZERO": (0, divide_by_zero), "LEO_INT_SUM": (1, int_sum),
               "LEO_MOD": (2, remainder),
               "LEO_FITS": (2, fits), "LEO_HASH32": (1, value_hashes.hash32),
               "LEO_HASHBYTES": (2, hash_bytes.hashbytes),
               "LOG": (2, logarithm), "LOG10": (1, lambda value: logarithm(10, value)),
               "PARSENAME": (2, parsename), "LEO_FLOAT_TEXT": (1, float_text),
               "LEO_FLOAT_SCIENTIFIC": (2, float_scientific),
               "LEO_REPLACE_CI": (3, replace_ignoring_case),
               string_escapes.SQLITE: (1, string_escapes.escaped),
               "LEO_UPPER": (1, text_cases.upper), "LEO_LOWER": (1, text_cases.lower),
               "LEO_SOUNDEX": (1, soundex_codes.soundex),
               "LEO_DIFFERENCE": (2, soundex_codes.difference)}
    for name, (arguments, function) in scalars.items():
        connection.create_function(name, arguments, function, deterministic=True)
    # NEWID(): ORDER BY NEWID() draws a random sample
    # (upper case, as SQL Server writes a uniqueidentifier as text)
    connection.create_function("UUID", 0, lambda: str(uuid.uuid4()).upper())
    spreads = {"STDDEV": _SampleDeviation, "STDDEV_SAMP": _SampleDeviation,
               "VAR_SAMP": _Spread, "VAR_POP": _PopulationVariance,
               "STDDEV_POP": _PopulationDeviation}
    for name, aggregate in spreads.items():
        connection.create_window_function(name, 1, aggregate)
    connection.create_aggregate(ORDERED_STRING_AGG, -1, _OrderedStringAgg)
    connection.create_aggregate(checksum_aggregates.SQLITE_NAME, 1,
                                checksum_aggregates.ExclusiveOr)
    percentiles.register_sqlite(connection)
