"""SQL Server's words for the faults a statement can meet as it runs, and the targets' words
for the same faults put into them.

A researcher's ``CATCH`` block shows ``ERROR_MESSAGE()`` and tests ``ERROR_NUMBER()``, and a
script that stops shows what stopped it: in the SRS that is SQL Server's message. The targets
word the same fault their own way (PostgreSQL: ``invalid input syntax for type integer:
"NK"``; DuckDB: ``Could not convert string 'NK' to INT32``), which ``ERROR_NUMBER()`` could
not number and a researcher would not meet in the SRS. So each target's message for a fault
SQL Server also raises is given in SQL Server's words (:func:`in_sql_servers_words`), with
SQL Server's number (:data:`NUMBERS`). Messages of faults SQL Server words differently or
not at all (a syntax error of the translated SQL) are left as the target said them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from leo_synth.tsql.date_texts import DATE_FAILED

DIVIDE_BY_ZERO = "Divide by zero error encountered."


def expression_overflow(kind: str) -> str:
    """SQL Server's error 8115 for a computed value beyond its type ``kind`` (``int``, or
    ``numeric``: the ``ROUND`` of a decimal that needs more digits than its type holds)."""
    return f"Arithmetic overflow error converting expression to data type {kind}."


def numeric_text_overflow(kind: str) -> str:
    """SQL Server's error 8115 for a decimal whose text is longer than the ``VARCHAR(n)`` or
    ``NVARCHAR(n)`` (``kind``) it is converted to."""
    return f"Arithmetic overflow error converting numeric to data type {kind}."


INT_OVERFLOW = expression_overflow("int")
NUMERIC_OVERFLOW = "Arithmetic overflow error converting numeric to data type numeric."
TRUNCATED = "String or binary data would be truncated."
NULL_REFUSED = "Cannot insert the value NULL into column '"
"""The start of SQL Server's error 515, before the column's name (``errors.null_refused``)."""


def not_constructed(type_name: str) -> str:
    """SQL Server's error 289 for a value of ``type_name`` (``date``, ``datetime``, ...)."""
    return (f"Cannot construct data type {type_name}, some of the arguments have values "
            "which are not valid.")


NOT_CONSTRUCTED = not_constructed("date")
"""SQL Server's error 289: ``DATEFROMPARTS`` of a day its month does not have (29 February
2015, 31 April)."""
SUBQUERY_ROWS = ("Subquery returned more than 1 value. This is not permitted when the subquery "
                 "follows =, !=, <, <= , >, >= or when the subquery is used as an expression.")


def conversion_failed(text: str, kind: str, source: str = "varchar") -> str:
    """SQL Server's error 245: text that is no integer converted to the integer type
    ``kind`` (``int``, ``bigint``, ``smallint``, ``tinyint``) from the text type ``source``
    (``nvarchar`` for an ``N'...'`` literal or an ``NVARCHAR`` column)."""
    return (f"Conversion failed when converting the {source} value '{text}' to data type "
            f"{kind}.")


TEXT_OVERFLOWS = {"tinyint": "an INT1 column. Use a larger integer column.",
                  "smallint": "an INT2 column. Use a larger integer column.",
                  "int": "an int column."}
"""How SQL Server's errors 244 (``tinyint``, ``smallint``) and 248 (``int``) end: text holding
an integer beyond the type it is converted to."""


def text_overflow(text: str, kind: str) -> str:
    """SQL Server's error 244 or 248: text holding an integer beyond the integer type ``kind``
    (``CAST('300' AS TINYINT)``, ``CAST('3000000000' AS INT)``)."""
    return f"The conversion of the varchar value '{text}' overflowed {TEXT_OVERFLOWS[kind]}"


def small_overflow(kind: str) -> tuple[str, str]:
    """SQL Server's error 220, an integer beyond ``tinyint`` or ``smallint`` (``kind``): its
    words before the value and after it."""
    return f"Arithmetic overflow error for data type {kind}, value = ", "."


def invalid_operand(kind: str, operator: str) -> str:
    """SQL Server's error 8117: a value of type ``kind`` (``bit``, ``date``, ``varchar``) that
    ``operator`` (``sum``, ``avg``, ``subtract``, ...) does not take."""
    return f"Operand data type {kind} is invalid for {operator} operator."


def numeric_overflow(kind: str, source: str = "numeric") -> str:
    """SQL Server's error 8115 for a value of type ``source`` (a decimal, ``int``,
    ``float``) beyond the type ``kind`` (an integer type, or ``numeric``)."""
    return f"Arithmetic overflow error converting {source} to data type {kind}."


def not_converted(kind: str) -> str:
    """SQL Server's error 8114: text that is no number converted to ``float``, ``real`` or
    ``numeric`` (a decimal); unlike error 245 it does not name the value."""
    return f"Error converting data type varchar to {kind}."


NUMBERS = {"violation of primary key constraint": 2627,
           NULL_REFUSED.lower().rstrip(" '"): 515,
           "violation of unique key constraint": 2627,
           DIVIDE_BY_ZERO.lower().rstrip("."): 8134,
           "conversion failed when converting date and/or time": 241,
           "cannot construct data type": 289,
           "conversion failed when converting": 245,
           "overflowed an int column": 248,
           "column. use a larger integer column": 244,
           "cannot convert a char value to money": 235,
           "error converting data type varchar to": 8114,
           "arithmetic overflow error converting": 8115,
           "arithmetic overflow error for data type": 220,
           TRUNCATED.lower().rstrip("."): 8152,
           "explicit conversion from data type": 529,
           "invalid column name": 207,
           "ambiguous column name": 209,
           "there is already an object named": 2714,
           "cannot drop the table": 3701,
           "column names in each table must be unique": 2705,
           "invalid length parameter passed to the": 536,
           "arguments of the translate built-in function": 9828,
           "subquery returned more than 1 value": 512,
           "the maximum recursion": 530,
           "string_agg aggregation result exceeded": 9829,
           "adding a value to a": 517,
           "the datediff function resulted in an overflow": 535,
           "an invalid floating point operation occurred": 3623,
           "are incompatible in the": 402}
"""SQL Server's numbers of the errors by their words (SQL Server's own, which
:func:`in_sql_servers_words` gives every target's; the first that a message holds)."""

_INTEGERS = {"INT8": "tinyint", "INT16": "smallint", "INT32": "int", "INT64": "bigint",
             "smallint": "smallint", "integer": "int", "bigint": "bigint"}
"""DuckDB's and PostgreSQL's names of the integer types, as SQL Server names them."""
_NUMBERS = {"DOUBLE": "float", "FLOAT": "real", "double precision": "float", "real": "real",
            "numeric": "numeric"}
"""DuckDB's and PostgreSQL's names of the other numbers (DuckDB's DECIMAL(p,s) is numeric)."""


def _not_a_number(found: re.Match[str]) -> str:
    text, kind = found.group("text"), found.group("kind")
    if kind in _INTEGERS:
        return conversion_failed(text, _INTEGERS[kind])
    return not_converted(_NUMBERS.get(kind, "numeric"))


_TARGET_WORDS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    # SQL Server's words already, raised by DuckDB's ERROR() in the translation
    (re.compile(r"^Invalid Input Error: (?P<own>(?:Conversion failed|Error converting|"
                r"Arithmetic overflow|String or binary|Invalid length parameter|"
                r"Cannot construct|The statement terminated\.|STRING_AGG aggregation|"
                r"Adding a value|The datediff function|An invalid floating point|"
                r"Cannot convert a char value|The conversion of the varchar value) .*)$"),
     lambda found: found["own"]),
    # ... or by the run's Python function (sqlite_functions.DUCKDB_DATES)
    (re.compile(r"Python exception occurred while executing the UDF: \w+: (?P<own>.*)$"),
     lambda found: found["own"]),
    # DuckDB (its text between single quotes, or double for a DECIMAL)
    (re.compile(r"Could not convert string '(?P<text>.*)' to (?P<kind>INT\d+|DOUBLE|FLOAT)\b"),
     _not_a_number),
    (re.compile(r'Could not convert string ".*" to DECIMAL'),
     lambda _found: not_converted("numeric")),
    # PostgreSQL
    (re.compile(r'invalid input syntax for type (?P<kind>smallint|integer|bigint|'
                r'double precision|real|numeric): "(?P<text>.*)"'), _not_a_number),
    # (MAKE_DATE's: DATEFROMPARTS on DuckDB and PostgreSQL)
    (re.compile(r"^date field value out of range: -?\d+-\d+-\d+$|Conversion Error: Date out of "
                r"range: -?\d+-\d+-\d+$"), lambda _found: NOT_CONSTRUCTED),
    (re.compile(r"invalid (?:date|timestamp) field format|date field value out of range"
                r"|invalid input syntax for type (?:date|timestamp)"
                r"|date/time field value out of range"), lambda _found: DATE_FAILED),
    (re.compile(r"^division by zero$|Division by zero in expression"),
     lambda _found: DIVIDE_BY_ZERO),
    (re.compile(r"integer out of range|out of range for the destination type INT32"
                r"|Failed to cast decimal value \S+ to type INT32"
                r'|value "-?\d+" is out of range for type integer'
                r"|Overflow in (?:addition|subtraction|multiplication|ROUND) of (?:INT32"
                r"|integer)"),
     lambda _found: INT_OVERFLOW),
    (re.compile(r"Overflow on abs\(-9223372036854775808\)|^integer overflow$|^bigint out of "
                r"range$"), lambda _found: expression_overflow("bigint")),
    (re.compile(r"Overflow on abs\(-2147483648\)"), lambda _found: INT_OVERFLOW),
    (re.compile(r"numeric field overflow|to type DECIMAL\(\d+,\d+\) failed: value is out of "
                r"range|Could not cast value -?[\d.]+ to DECIMAL\(\d+,\d+\)"),
     lambda _found: NUMERIC_OVERFLOW),
    (re.compile(r"value too long for type character|" + re.escape(TRUNCATED)),
     lambda _found: TRUNCATED),
    (re.compile(r"(?i)more than one row returned by a subquery used as an expression"),
     lambda _found: SUBQUERY_ROWS)]
"""A target's words for a fault SQL Server raises too, and SQL Server's message for it."""


def in_sql_servers_words(said: str) -> str:
    """A target's error message ``said`` as SQL Server words the same fault (``said`` itself
    when SQL Server has no such fault, or words it as the target does)."""
    for pattern, message in _TARGET_WORDS:
        found = pattern.search(said)
        if found is not None:
            return message(found)
    return said


def sql_server_number(message: str) -> int | None:
    """The number SQL Server gives the error whose message ``message`` is, when known."""
    lower = message.lower()
    return next((n for text, n in NUMBERS.items() if text in lower), None)
