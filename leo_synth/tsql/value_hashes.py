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

``RAND(seed)`` is a number from 0 to 1 the seed fixes: the same hash of the seed, as a
fraction, on every target (PostgreSQL's and SQLite's ``RANDOM`` take no seed, DuckDB's none at
all); ``RAND(CHECKSUM(NEWID()))``, a random number per row, follows. ``RAND()`` is the target's
random fraction (SQLite's ``RANDOM()`` is a 64-bit integer: ``RAND() < 0.1`` held for half the
rows).
"""

from __future__ import annotations

import hashlib

import sqlglot
from sqlglot import exp

from leo_synth.tsql.target_dialects import target_sql

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
    texts = [f"COALESCE(CAST({target_sql(e, dialect)} AS VARCHAR), '')"
             for e in node.expressions]
    text = f" || '{SEPARATOR}' || ".join(texts)
    if node.name.upper() == "CHECKSUM":
        text = f"UPPER({text})"
    if dialect == "sqlite":
        sql = f"LEO_HASH32({text})"
    elif dialect == "postgres":
        sql = f"CAST(CAST('x' || SUBSTR(MD5({text}), 1, 8) AS BIT(32)) AS INT)"
    else:
        # (the text once: a random seed, RAND(CHECKSUM(NEWID())), written twice was two)
        unsigned = f"CAST('0x' || SUBSTR(MD5({text}), 1, 8) AS BIGINT)"
        sql = f"CAST(({unsigned} + 2147483648) % 4294967296 - 2147483648 AS INT)"
    return sqlglot.parse_one(sql, read=dialect)


def rand(node: exp.Rand, dialect: str) -> exp.Expression:
    """``RAND([seed])`` written out for ``dialect`` (see the module docstring)."""
    seed = node.this
    if seed is None:
        if dialect != "sqlite":
            return node
        return sqlglot.parse_one("(RANDOM() / 18446744073709551616.0 + 0.5)", read="sqlite")
    hashed = for_target(exp.Anonymous(this="BINARY_CHECKSUM", expressions=[seed.copy()]),
                        dialect)
    shifted = exp.Add(this=hashed, expression=exp.Literal.number("2147483648.0"))
    return exp.Paren(this=exp.Div(this=exp.Paren(this=shifted),
                                  expression=exp.Literal.number("4294967296.0")))
