"""Order-independent content checksums of relations, comparable across backends.

A relation's checksum is the row count plus the sum (mod 2**64) of a 64-bit hash of each row.
Sums do not depend on row order, so a SQLite file, a PostgreSQL schema and a Parquet folder
holding the same rows in any order give the same checksum, and the checksums of a run's
batches (or of a run's parts) can be added up (:meth:`Checksum.absorb`).

Each value is first cast to its spec type (so a date read back from SQLite as text and one read
from PostgreSQL as a date agree), then hashed in a type-specific but backend-independent way:
integers, dates and decimals by value, floats by their IEEE bits, text by its UTF-8 bytes, NULL
by a fixed marker. A row's hash mixes its columns' hashes, weighted by column position.

The work is vectorised across columns, not done column by column: the columns of one kind
(integers of one width, floats, text) are concatenated into one Arrow array and hashed in a
single numpy pass over its buffers (a relation has up to hundreds of columns, a run thousands).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_NULL_HASH = np.uint64(0x9E3779B97F4A7C15)
_COLUMN_WEIGHT = np.uint64(0x100000001B3)
_BYTE_WEIGHT = np.uint64(0xC2B2AE3D27D4EB4F)
_BYTE_INVERSE = np.uint64(pow(0xC2B2AE3D27D4EB4F, -1, 2**64))
_SALT = {"int": np.uint64(0x2545F4914F6CDD1D), "float": np.uint64(0x27BB2EE687B0B0FD),
         "text": np.uint64(0xD6E8FEB86659FD93)}
_GROUP_CELLS = 2**18
"""Values concatenated at most into one array, unless one column holds more (bounds the
temporary memory for text; small batches' columns of a kind are hashed all at once)."""
_LOOKUP_RANGE = 2**16
_LOOKUP_MIN = 2**10
"""Integers spanning fewer values than ``_LOOKUP_RANGE`` and than their own number (at least
``_LOOKUP_MIN`` of them) are hashed by a table of the range's hashes."""


@dataclass
class Checksum:
    """Running checksum of one relation."""

    rows: int = 0
    total: int = 0

    def add(self, table: pa.Table | pa.RecordBatch, schema: pa.Schema) -> None:
        """Add rows (cast to ``schema``'s types) to the checksum."""
        if table.num_rows == 0:
            return
        hashes = row_hashes(table, schema)
        self.rows += table.num_rows
        self.total = (self.total + int(hashes.sum(dtype=np.uint64))) % 2**64

    def absorb(self, other: Checksum) -> None:
        """Add another checksum's rows (e.g. one batch's, computed in a worker)."""
        self.rows += other.rows
        self.total = (self.total + other.total) % 2**64

    @classmethod
    def of(cls, table: pa.Table | pa.RecordBatch, schema: pa.Schema) -> Checksum:
        """The checksum of these rows alone."""
        checksum = cls()
        checksum.add(table, schema)
        return checksum

    @classmethod
    def from_digest(cls, digest: str) -> Checksum:
        """The checksum a manifest records as ``rows:hex`` (e.g. to combine parts' checksums)."""
        rows, total = digest.split(":")
        return cls(int(rows), int(total, 16))

    @property
    def digest(self) -> str:
        return f"{self.rows}:{self.total:016x}"


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, in place: every input bit affects every output bit (one
    scratch array for the shifts, not one per shift: these arrays are large)."""
    shifted = x >> np.uint64(30)
    x ^= shifted
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= np.right_shift(x, np.uint64(27), out=shifted)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= np.right_shift(x, np.uint64(31), out=shifted)
    return x


def spec_cast(column: pa.Array | pa.ChunkedArray, target: pa.DataType) -> pa.Array:
    """A column read back from any backend as the spec's type ``target``: dates from ISO text
    (SQLite's), decimals from floats rounded to their scale, NULLs whatever type the reader
    gave them (ADBC types a column of NULLs as integers, which Arrow cannot cast to a date),
    anything else by Arrow's cast (unchecked: a value changed on the way shows as another
    checksum)."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if column.type == target:
        return column
    if column.null_count == len(column):
        return pa.nulls(len(column), target)
    if pa.types.is_date32(target) and pa.types.is_string(column.type):
        return pc.cast(column, pa.date32())
    if pa.types.is_decimal(target) and not pa.types.is_decimal(column.type):
        return pc.cast(pc.round(pc.cast(column, pa.float64()), target.scale), target,
                       safe=False)
    return pc.cast(column, target, safe=False)


_AS_IS = {pa.string().id: "text", pa.float64().id: "float",
          **{t.id: str(t) for t in (pa.int8(), pa.int16(), pa.int32(), pa.int64())}}
"""The types hashed as they are (by type id: hashing a type costs its string), and their kind
of hash (the spec's usual types)."""
_PLANS: dict[int, tuple[pa.Schema, list[str | None]]] = {}
"""Per schema object met (by identity, the schema kept alive here: hashing a schema with its
fields' descriptions costs more than the plan saves), each column's kind when it is one of
``_AS_IS`` (None: cast, as need be)."""
_PLANS_KEPT = 1024
"""Schemas planned at most (a caller passing a new schema object per batch gets no more)."""


def column_kinds(schema: pa.Schema) -> list[str | None]:
    """Each column's kind of hash when its type is hashed as it is (see ``_PLANS``): worked
    out once per schema object (a process that forks workers can do it for them)."""
    known = _PLANS.get(id(schema))
    if known is not None and known[0] is schema:
        return known[1]
    kinds = [_AS_IS.get(t.id) for t in schema.types]
    if len(_PLANS) >= _PLANS_KEPT:
        _PLANS.clear()
    _PLANS[id(schema)] = (schema, kinds)
    return kinds


def _canonical(array: pa.Array, target: pa.DataType) -> tuple[str, pa.Array]:
    """The kind of hash a column gets and the array it is computed from (no copy for the
    common types: integers, dates, floats, text)."""
    kind = _AS_IS.get(target.id)
    if kind is not None:
        return kind, array
    if pa.types.is_large_string(target):
        return "text", array.cast(pa.string())
    if pa.types.is_floating(target):
        return "float", array if target == pa.float64() else array.cast(pa.float64())
    if pa.types.is_date32(target):
        return "int32", array.view(pa.int32())
    if pa.types.is_timestamp(target) or pa.types.is_date64(target):
        return "int64", array.view(pa.int64())
    if pa.types.is_decimal(target):
        scaled = np.rint(pc.multiply(pc.cast(array, pa.float64()), 10**target.scale)
                         .fill_null(0).to_numpy(zero_copy_only=False)).astype(np.int64)
        return "int64", pa.array(scaled, mask=array.is_null().to_numpy(zero_copy_only=False))
    if pa.types.is_integer(target):
        return str(target), array
    return "int64", pc.cast(array, pa.int64(), safe=False)


def _value_hashes(kind: str, array: pa.Array) -> np.ndarray:
    """A uint64 hash per value of a (concatenated) array of one kind; NULL gets the marker."""
    if kind == "text":
        return _distinct_text_hashes(array)
    values = _fixed_width_values(array)
    if kind == "float":
        hashes = _mix(values.view(np.uint64) + _SALT["float"])
    else:
        hashes = _int_hashes(values)
    if array.null_count:
        np.copyto(hashes, _NULL_HASH, where=_nulls(array))
    return hashes


def _distinct_text_hashes(array: pa.Array) -> np.ndarray:
    """The hash of each string (or NULL), hashing each distinct string once: Arrow finds
    the distinct values faster than numpy hashes the bytes of every row. NULL is one more
    entry of the dictionary, given the marker there."""
    encoded = pc.dictionary_encode(array, null_encoding="encode")
    hashes = _text_hashes(encoded.dictionary)
    if encoded.dictionary.null_count:
        hashes[_nulls(encoded.dictionary)] = _NULL_HASH
    return hashes[encoded.indices.to_numpy(zero_copy_only=False)]


def _int_hashes(values: np.ndarray) -> np.ndarray:
    """The hash of each integer: its 64-bit two's complement plus a salt, mixed. When the
    values span a short range (codes, dates, years: most integer columns), each value of the
    range is hashed once and looked up, one pass instead of the mix's eight."""
    if len(values) >= _LOOKUP_MIN and values.dtype.kind == "i":  # (signed: the spec's)
        low, high = int(values.min()), int(values.max())
        if high - low < min(len(values), _LOOKUP_RANGE):
            table = np.arange(low, high + 1, dtype=np.int64).astype(np.uint64)
            table += _SALT["int"]
            # (the offsets in a type wide enough: an int8 range spans up to 255)
            wide = np.int64 if values.dtype.itemsize == 8 else np.int32
            return _mix(table)[np.subtract(values, low, dtype=wide)]
    hashes = values.astype(np.uint64)  # (negative integers wrap, as an int64 view does)
    hashes += _SALT["int"]
    return _mix(hashes)


def _fixed_width_values(array: pa.Array) -> np.ndarray:
    """The values of a fixed-width array as numpy, read in place (NULL slots hold whatever
    the buffer does: their hashes are replaced)."""
    dtype = array.type.to_pandas_dtype()
    buffer = array.buffers()[1]
    if buffer is None:  # (allowed of an empty array)
        return np.zeros(len(array), dtype=dtype)
    return np.frombuffer(buffer, dtype=dtype)[array.offset:array.offset + len(array)]


def _nulls(array: pa.Array) -> np.ndarray:
    """Which values of an array are NULL, read from its validity bitmap (unpacked to bytes at
    once, not through a boolean array)."""
    validity = array.buffers()[0]
    if validity is None:
        return array.is_null().to_numpy(zero_copy_only=False)  # (a NullArray, or no NULLs)
    valid = np.unpackbits(np.frombuffer(validity, dtype=np.uint8), bitorder="little",
                          count=array.offset + len(array))[array.offset:]
    return valid == 0


_TEXT_SPAN = 2**16
"""Bytes of a buffer weighted by position from the tables at once (the tables' least size)."""
_TEXT_TABLES: tuple[np.ndarray, np.ndarray, np.ndarray] = (np.zeros(0, dtype=np.uint64),) * 3


def _text_tables(longest: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tables of powers of the byte weight W reaching ``longest`` (at least ``_TEXT_SPAN``),
    shared by every text hash of a process (made once, remade larger when a longer string
    comes; one tuple, so a thread never sees tables of two sizes): ``powers[k]`` = W**k,
    ``inverses[k]`` = W**-k, ``ones[k]`` = the sum of W**(j + 1) for j < k. Up to
    ``_TEXT_SPAN`` they also weight the bytes of a buffer by position."""
    global _TEXT_TABLES
    tables = _TEXT_TABLES
    if longest < len(tables[0]):
        return tables
    size = max(longest, _TEXT_SPAN) + 1
    powers = np.empty(size, dtype=np.uint64)
    powers[0] = 1
    np.cumprod(np.full(size - 1, _BYTE_WEIGHT, dtype=np.uint64), out=powers[1:])
    inverses = np.empty(size, dtype=np.uint64)
    inverses[0] = 1
    np.cumprod(np.full(size - 1, _BYTE_INVERSE, dtype=np.uint64), out=inverses[1:])
    ones = np.zeros(size, dtype=np.uint64)
    np.cumsum(powers[1:], out=ones[1:])
    _TEXT_TABLES = powers, inverses, ones
    return _TEXT_TABLES


def _text_hashes(array: pa.Array) -> np.ndarray:
    """Hash every string by its UTF-8 bytes: sum of (byte + 1) * W**position, then length,
    mixed; computed over the array's offset and data buffers at once.

    Each byte is weighted by W to the power of its position in the whole data buffer (+ 1),
    and each string's sum is then shifted back to its own first byte by W's inverse (W is
    odd, so invertible modulo 2**64) to the power of its start; the ``+ 1`` of every byte
    adds a term that depends on length alone."""
    n = len(array)
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32)[array.offset:array.offset + n + 1]
    lengths = np.diff(offsets)
    start, end = int(offsets[0]), int(offsets[-1])
    data = array.buffers()[2]
    raw = (np.frombuffer(data, dtype=np.uint8)[start:end] if data is not None and end > start
           else np.zeros(0, dtype=np.uint8))
    powers, inverses, ones = _text_tables(int(lengths.max()) if n else 0)
    weighted = np.empty(end - start + 1, dtype=np.uint64)
    weighted[0] = 0
    for first in range(0, end - start, _TEXT_SPAN):  # W**(g + 1) * byte, for the byte at g
        span = weighted[first + 1:first + 1 + _TEXT_SPAN]
        np.multiply(powers[1:len(span) + 1], raw[first:first + _TEXT_SPAN], out=span)
        if first:
            span *= np.uint64(pow(int(_BYTE_WEIGHT), first, 2**64))
    cumulative = np.cumsum(weighted, out=weighted)
    local = (offsets - start).astype(np.intp)
    sums = cumulative[local[1:]]
    sums -= cumulative[local[:-1]]
    shift = np.ones(n, dtype=np.uint64)  # W**-(start of the string), by running product
    if n > 1:
        np.cumprod(inverses[lengths[:-1]], out=shift[1:])
    sums *= shift
    sums += ones[lengths]
    return _mix(sums + lengths.astype(np.uint64) * _SALT["text"])


def row_hashes(table: pa.Table | pa.RecordBatch, schema: pa.Schema) -> np.ndarray:
    """A uint64 hash per row: its columns' hashes, weighted by position, summed and mixed.

    Columns of one kind are concatenated and hashed together (see the module docstring). A
    column of NULLs alone adds the same term to every row (its weight times the NULL
    marker), so it is added as that constant, not hashed."""
    n_rows = table.num_rows
    groups: dict[str, tuple[list[int], list[pa.Array]]] = {}
    weights = np.cumprod(np.full(len(schema), _COLUMN_WEIGHT, dtype=np.uint64))
    null_positions = []
    if table.schema.equals(schema):  # (the usual case: a batch built to the schema)
        columns = table.columns
        kinds = column_kinds(schema)
    else:
        columns = [table.column(name) for name in schema.names]
        kinds = [None] * len(schema)
    for position, column in enumerate(columns):
        if column.null_count == n_rows:
            null_positions.append(position)
            continue
        kind = kinds[position]
        if kind is not None:
            array = column if isinstance(column, pa.Array) else column.combine_chunks()
        else:
            target = schema.field(position).type
            kind, array = _canonical(spec_cast(column, target), target)
        group = groups.get(kind)
        if group is None:
            group = groups[kind] = ([], [])
        group[0].append(position)
        group[1].append(array)
    constant = weights[null_positions].sum(dtype=np.uint64) * np.array(_NULL_HASH)
    combined = np.full(n_rows, constant, dtype=np.uint64)
    step = max(1, _GROUP_CELLS // max(n_rows, 1))
    for kind, (positions, arrays) in groups.items():
        for first in range(0, len(arrays), step):
            chunk = arrays[first:first + step]
            hashes = _value_hashes(kind, chunk[0] if len(chunk) == 1
                                   else pa.concat_arrays(chunk))
            matrix = hashes.reshape(len(chunk), n_rows)
            matrix *= weights[positions[first:first + step], None]
            combined += matrix.sum(axis=0, dtype=np.uint64)
    return _mix(combined)


def table_checksum(table: pa.Table, schema: pa.Schema) -> str:
    """Checksum of a whole table."""
    checksum = Checksum()
    checksum.add(table, schema)
    return checksum.digest
