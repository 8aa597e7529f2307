"""``CHECKSUM(x, ...)`` and ``BINARY_CHECKSUM(x, ...)``: a 32-bit integer per value, the same
on every target.

Scripts use them to draw a sample that repeats (``WHERE ABS(CHECKSUM(pmr)) % 10 = 0``) or to
spread rows into buckets. SQL Server's own hash is not published; what a script relies on is
that equal values get equal numbers, spread evenly, from run to run. So the number here is the
first 32 bits of the MD5 of the arguments' text (NULL as empty text, the arguments joined by
``|``), as a signed integer: every target has MD5, and SQLite's comes from Python. ``CHECKSUM``
follows the collation, which ignores case (``CHECKSUM('a') = CHECKSUM('A')``), so its text is
upper-cased first; ``BINARY_CHECKSUM`` keeps case. ``CHECKSUM(*)`` (every column) is refused
before the script runs (``unsupported``): the statement's columns are not known here.
``CHECKSUM(NEWID())``, a random number, is ``value_rewrites``'.
"""

from __future__ import annotations

import hashlib

import sqlglot
from sqlglot import exp

NAMES = ("CHECKSUM", "BINARY_CHECKSUM")
SEPARATOR = "|"


def hash32(text: object) -> int | None:
    """The signed first 32 bits of the MD5 of ``text`` (the SQLite function
    ``LEO_HASH32``)."""
    if text is None:
        return None
    value = int(hashlib.md5(str(text).encode("utf-8")).hexdigest()[:8], 16)
    return value - 2**32 if value >= 2**31 else value


def for_target(node: exp.Anonymous, dialect: str) -> exp.Expression:
    """``CHECKSUM(...)`` or ``BINARY_CHECKSUM(...)`` (of named values) written out for
    ``dialect``."""
    texts = [f"COALESCE(CAST({e.sql(dialect=dialect)} AS VARCHAR), '')"
             for e in node.expressions]
    text = f" || '{SEPARATOR}' || ".join(texts)
    if node.name.upper() == "CHECKSUM":
        text = f"UPPER({text})"
    if dialect == "sqlite":
        sql = f"LEO_HASH32({text})"
    elif dialect == "postgres":
        sql = f"CAST(CAST('x' || SUBSTR(MD5({text}), 1, 8) AS BIT(32)) AS INT)"
    else:
        unsigned = f"CAST('0x' || SUBSTR(MD5({text}), 1, 8) AS BIGINT)"
        sql = (f"CAST({unsigned} - CASE WHEN {unsigned} >= 2147483648 THEN 4294967296 "
               f"ELSE 0 END AS INT)")
    return sqlglot.parse_one(sql, read=dialect)
