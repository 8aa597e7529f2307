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
_GROUP_COLUMNS = 64
_LOOKUP_RANGE = 2**16
"""Integers spanning fewer values than this (and at least as many of them) are hashed by a
table of the range's hashes."""
"""Columns concatenated at most into one array (bounds the temporary memory for text)."""


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


def _cast(column: pa.Array | pa.ChunkedArray, target: pa.DataType) -> pa.Array:
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if column.type == target:
        return column
    if pa.types.is_date32(target) and pa.types.is_string(column.type):
        return pc.cast(column, pa.date32())
    if pa.types.is_decimal(target) and not pa.types.is_decimal(column.type):
        return pc.cast(pc.round(pc.cast(column, pa.float64()), target.scale), target,
                       safe=False)
    return pc.cast(column, target, safe=False)


_AS_IS = {pa.string(): "text", pa.float64(): "float",
          **{t: str(t) for t in (pa.int8(), pa.int16(), pa.int32(), pa.int64())}}
"""The types hashed as they are, and their kind of hash (the spec's usual types)."""
_PLANS: dict[pa.Schema, list[str | None]] = {}
"""Per schema met, each column's kind when it is one of ``_AS_IS`` (None: cast, as need be)."""


def _canonical(array: pa.Array, target: pa.DataType) -> tuple[str, pa.Array]:
    """The kind of hash a column gets and the array it is computed from (no copy for the
    common types: integers, dates, floats, text)."""
    kind = _AS_IS.get(target)
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
        # Hash each distinct string once: most text columns hold a few codes, and Arrow finds
        # the distinct values faster than numpy hashes the bytes of every row. NULL is one
        # more entry of the dictionary, given the marker there.
        encoded = pc.dictionary_encode(array, null_encoding="encode")
        hashes = _text_hashes(encoded.dictionary)
        if encoded.dictionary.null_count:
            hashes[_nulls(encoded.dictionary)] = _NULL_HASH
        return hashes[encoded.indices.to_numpy(zero_copy_only=False)]
    values = _fixed_width_values(array)
    if kind == "float":
        hashes = _mix(values.view(np.uint64) + _SALT["float"])
    else:
        hashes = _int_hashes(values)
    if array.null_count:
        np.copyto(hashes, _NULL_HASH, where=_nulls(array))
    return hashes


def _int_hashes(values: np.ndarray) -> np.ndarray:
    """The hash of each integer: its 64-bit two's complement plus a salt, mixed. When the
    values span a short range (codes, dates, years: most integer columns), each value of the
    range is hashed once and looked up, one pass instead of the mix's eight."""
    if len(values) >= _LOOKUP_RANGE and values.dtype.kind == "i":  # (signed: the spec's)
        low, high = int(values.min()), int(values.max())
        if high - low < _LOOKUP_RANGE:
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


def _text_hashes(array: pa.Array) -> np.ndarray:
    """Hash every string by its UTF-8 bytes: sum of (byte + 1) * W**position, then length,
    mixed; computed over the array's offset and data buffers at once.

    Each byte is weighted by W to the power of its position in the whole data buffer (one
    running product, not a power looked up per byte), and each string's sum is then shifted
    back to its own first byte by W's inverse (W is odd, so invertible modulo 2**64) to the
    power of its start; the ``+ 1`` of every byte adds a term that depends on length alone."""
    n = len(array)
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32)[array.offset:array.offset + n + 1]
    lengths = np.diff(offsets)
    start, end = int(offsets[0]), int(offsets[-1])
    data = array.buffers()[2]
    raw = (np.frombuffer(data, dtype=np.uint8)[start:end] if data is not None and end > start
           else np.zeros(0, dtype=np.uint8))
    weighted = np.full(end - start, _BYTE_WEIGHT, dtype=np.uint64)
    np.cumprod(weighted, out=weighted)  # W**(g + 1) for the byte at g
    weighted *= raw
    cumulative = np.zeros(end - start + 1, dtype=np.uint64)
    np.cumsum(weighted, out=cumulative[1:])
    local = (offsets - start).astype(np.intp)
    sums = cumulative[local[1:]]
    sums -= cumulative[local[:-1]]
    longest = int(lengths.max()) if n else 0
    powers = np.empty(longest + 1, dtype=np.uint64)  # W**k, k = 0 .. longest
    powers[0] = 1
    np.cumprod(np.full(longest, _BYTE_WEIGHT, dtype=np.uint64), out=powers[1:])
    inverse = np.empty(longest + 1, dtype=np.uint64)  # W**-k
    inverse[0] = 1
    np.cumprod(np.full(longest, _BYTE_INVERSE, dtype=np.uint64), out=inverse[1:])
    shift = np.ones(n, dtype=np.uint64)  # W**-(start of the string), by running product
    if n > 1:
        np.cumprod(inverse[lengths[:-1]], out=shift[1:])
    sums *= shift
    ones = np.zeros(longest + 1, dtype=np.uint64)  # the + 1s: sum of W**(j + 1), j < length
    np.cumsum(powers[1:], out=ones[1:])
    sums += ones[lengths]
    return _mix(sums + lengths.astype(np.uint64) * _SALT["text"])


def row_hashes(table: pa.Table | pa.RecordBatch, schema: pa.Schema) -> np.ndarray:
    """A uint64 hash per row: its columns' hashes, weighted by position, summed and mixed.

    Columns of one kind are concatenated and hashed together (see the module docstring). A
    column of NULLs alone adds the same term to every row (its weight times the NULL
    marker), so it is added as that constant, not hashed."""
    n_rows = table.num_rows
    groups: dict[str, list[tuple[int, pa.Array]]] = {}
    weights = np.cumprod(np.full(len(schema), _COLUMN_WEIGHT, dtype=np.uint64))
    null_positions = []
    if table.schema.equals(schema):  # (the usual case: a batch built to the schema)
        columns = table.columns
        kinds = _PLANS.get(schema) or _PLANS.setdefault(schema, [_AS_IS.get(t)
                                                                  for t in schema.types])
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
            kind, array = _canonical(_cast(column, target), target)
        groups.setdefault(kind, []).append((position, array))
    constant = weights[null_positions].sum(dtype=np.uint64) * np.array(_NULL_HASH)
    combined = np.full(n_rows, constant, dtype=np.uint64)
    for kind, members in groups.items():
        for first in range(0, len(members), _GROUP_COLUMNS):
            chunk = members[first:first + _GROUP_COLUMNS]
            arrays = [a for _, a in chunk]
            hashes = _value_hashes(kind, arrays[0] if len(arrays) == 1
                                   else pa.concat_arrays(arrays))
            matrix = hashes.reshape(len(chunk), n_rows)
            matrix *= weights[[p for p, _ in chunk], None]
            combined += matrix.sum(axis=0, dtype=np.uint64)
    return _mix(combined)


def table_checksum(table: pa.Table, schema: pa.Schema) -> str:
    """Checksum of a whole table."""
    checksum = Checksum()
    checksum.add(table, schema)
    return checksum.digest
