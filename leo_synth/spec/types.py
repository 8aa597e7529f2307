"""SQL column types as the variable request form writes them, and their physical mappings.

A spec column carries a SQL Server style type string (``varchar(14)``, ``int``, ``bit``,
``numeric(12,2)`` ...). :func:`parse_sql_type` turns it into a :class:`SqlType`, which knows its
Arrow type (used by every writer, since all backends are fed the same Arrow batches) and its
SQLAlchemy type (used for per-dialect DDL).

Decisions worth keeping:

* ``bit`` is stored as a small integer (Arrow int8, PostgreSQL smallint), not a boolean, so the
  SQL researchers run in the SRS (``WHERE UncertainStartDate = 1``) runs unchanged here.
* ``char(n)`` is created as ``varchar(n)``: PostgreSQL pads ``char`` with blanks, which would make
  the same value read back differently from each backend.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyarrow as pa

if TYPE_CHECKING:
    import sqlalchemy as sa

_TYPE_RE = re.compile(r"^\s*([a-z]+)\s*(?:\(\s*(\d+|max)\s*(?:,\s*(\d+)\s*)?\))?\s*$", re.I)

_STRING = {"varchar", "char", "nvarchar", "nchar", "text"}
_INTEGER_BITS = {"bit": 8, "tinyint": 16, "smallint": 16, "int": 32, "integer": 32, "bigint": 64}
_DECIMAL = {"numeric", "decimal"}
_FLOAT = {"float", "real", "double"}
_TEMPORAL = {"date", "datetime", "timestamp"}
KNOWN_TYPES = sorted(_STRING | set(_INTEGER_BITS) | _DECIMAL | _FLOAT | _TEMPORAL)


class SqlTypeError(ValueError):
    """A type string that leo-synth cannot map."""


@dataclass(frozen=True)
class SqlType:
    """A parsed SQL type: base name plus optional length or precision/scale."""

    base: str
    length: int | None = None
    precision: int | None = None
    scale: int | None = None

    def __str__(self) -> str:
        if self.length is not None:
            return f"{self.base}({self.length})"
        if self.precision is not None:
            return f"{self.base}({self.precision},{self.scale or 0})"
        return self.base

    @functools.cached_property
    def kind(self) -> str:  # cached: read for every column of every block
        """One of ``string``, ``integer``, ``decimal``, ``float``, ``date``, ``datetime``."""
        if self.base in _STRING:
            return "string"
        if self.base in _INTEGER_BITS:
            return "integer"
        if self.base in _DECIMAL:
            return "decimal"
        if self.base in _FLOAT:
            return "float"
        return "date" if self.base == "date" else "datetime"

    @property
    def integer_bits(self) -> int:
        """Width of the Arrow integer used for this type (integers only)."""
        return _INTEGER_BITS[self.base]

    def arrow_type(self) -> pa.DataType:
        """The Arrow type every writer receives for this column."""
        return self._arrow_type

    @functools.cached_property
    def _arrow_type(self) -> pa.DataType:  # cached: asked for every column of every block
        kind = self.kind
        if kind == "string":
            return pa.string()
        if kind == "integer":
            return {8: pa.int8(), 16: pa.int16(), 32: pa.int32(), 64: pa.int64()}[self.integer_bits]
        if kind == "decimal":
            return pa.decimal128(self.precision or 18, self.scale or 0)
        if kind == "float":
            return pa.float64()
        if kind == "date":
            return pa.date32()
        return pa.timestamp("s")

    def sqlalchemy_type(self) -> sa.types.TypeEngine:
        """The SQLAlchemy type used to emit DDL for any dialect."""
        import sqlalchemy as sa  # only when DDL is compiled: a run's DDL is usually cached

        kind = self.kind
        if kind == "string":
            return sa.String(self.length) if self.length else sa.String()
        if kind == "integer":
            return {8: sa.SmallInteger(), 16: sa.SmallInteger(), 32: sa.Integer(),
                    64: sa.BigInteger()}[self.integer_bits]
        if kind == "decimal":
            return sa.Numeric(self.precision or 18, self.scale or 0, asdecimal=True)
        if kind == "float":
            return sa.Float(53)
        if kind == "date":
            return sa.Date()
        return sa.DateTime()


def parse_sql_type(text: str) -> SqlType:
    """Parse ``varchar(14)``, ``numeric(12, 2)``, ``bigint`` ... into a :class:`SqlType`.

    Raises :class:`SqlTypeError` naming the known types when the string is not understood.
    """
    match = _TYPE_RE.match(str(text))
    if not match:
        raise SqlTypeError(f"bad type {text!r}; expected e.g. varchar(14), int, numeric(12,2)")
    base, first, second = match.group(1).lower(), match.group(2), match.group(3)
    if base not in KNOWN_TYPES:
        raise SqlTypeError(f"unknown type {base!r}; known types: {', '.join(KNOWN_TYPES)}")
    if base in _STRING:
        if second is not None:
            raise SqlTypeError(f"bad type {text!r}: {base} takes one length")
        length = None if first in (None, "max") else int(first)
        return SqlType(base, length=length)
    if base in _DECIMAL:
        precision = int(first) if first and first != "max" else 18
        scale = int(second) if second else 0
        if not 0 < precision <= 38 or scale > precision:
            raise SqlTypeError(f"bad type {text!r}: need 0 < precision <= 38 and "
                               f"scale <= precision")
        return SqlType(base, precision=precision, scale=scale)
    if first is not None:
        raise SqlTypeError(f"bad type {text!r}: {base} takes no length")
    return SqlType(base)
