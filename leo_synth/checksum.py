"""Order-independent content checksums of relations, comparable across backends.

A relation's checksum is the row count plus the sum (mod 2**64) of a 64-bit hash of each row.
Sums do not depend on row order, so a SQLite file, a PostgreSQL schema and a Parquet folder
holding the same rows in any order give the same checksum, and the checksums of a run's
batches can be added up as they are written.

Each value is first cast to its spec type (so a date read back from SQLite as text and one read
from PostgreSQL as a date agree), then hashed in a type-specific but backend-independent way:
integers, dates and decimals by value, floats by their IEEE bits, text by content, NULL by a
fixed marker. A row's hash combines its columns' hashes in column order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_NULL_HASH = np.uint64(0x9E3779B97F4A7C15)
_MULTIPLIER = np.uint64(0x100000001B3)


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


def column_hashes(column: pa.Array | pa.ChunkedArray, target: pa.DataType) -> np.ndarray:
    """A uint64 hash per value of one column, independent of the backend it was read from."""
    array = _cast(column, target)
    null = array.is_null().to_numpy(zero_copy_only=False)
    if pa.types.is_string(target):
        values = np.asarray(array.fill_null("").to_numpy(zero_copy_only=False), dtype=object)
        hashes = pd.util.hash_array(values, categorize=False)
    else:
        if pa.types.is_decimal(target):
            array = pc.cast(pc.multiply(pc.cast(array, pa.float64()), 10**target.scale),
                            pa.float64())
            values = np.rint(array.fill_null(0).to_numpy(zero_copy_only=False)).astype(np.int64)
        elif pa.types.is_floating(target):
            values = array.fill_null(0).to_numpy(zero_copy_only=False).view(np.int64)
        elif pa.types.is_date32(target):
            values = pc.cast(array, pa.int32()).fill_null(0).to_numpy(
                zero_copy_only=False).astype(np.int64)
        elif pa.types.is_timestamp(target):
            values = pc.cast(array, pa.int64()).fill_null(0).to_numpy(zero_copy_only=False)
        else:
            values = array.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
        hashes = pd.util.hash_array(values)
    return np.where(null, _NULL_HASH, hashes)


def row_hashes(table: pa.Table | pa.RecordBatch, schema: pa.Schema) -> np.ndarray:
    """A uint64 hash per row: its columns' hashes combined in column order."""
    combined = np.zeros(table.num_rows, dtype=np.uint64)
    for field in schema:
        combined = combined * _MULTIPLIER + column_hashes(table.column(field.name), field.type)
    return combined


def table_checksum(table: pa.Table, schema: pa.Schema) -> str:
    """Checksum of a whole table."""
    checksum = Checksum()
    checksum.add(table, schema)
    return checksum.digest
