"""Order-independent content checksums of relations, comparable across backends.

A relation's checksum is the row count plus the sum (mod 2**64) of a 64-bit hash of each row's
canonical text. Sums do not depend on row order, so a SQLite file, a PostgreSQL schema and a
Parquet folder holding the same rows in any order give the same checksum, and checksums of the
batches of a run can be added up as they are written.

Canonical text: every value is cast to its spec type, then to text (dates ISO, decimals at their
scale, floats in Arrow's shortest round-trip form), NULL as ``\\N``, values joined with the
unit separator.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_NULL = "\\N"
_SEPARATOR = "\x1f"


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

    @property
    def digest(self) -> str:
        return f"{self.rows}:{self.total:016x}"


def _canonical(column: pa.Array | pa.ChunkedArray, target: pa.DataType) -> pa.Array:
    if column.type != target:
        if pa.types.is_date32(target) and pa.types.is_string(column.type):
            column = pc.cast(column, pa.date32())
        elif pa.types.is_decimal(target) and not pa.types.is_decimal(column.type):
            column = pc.cast(pc.round(pc.cast(column, pa.float64()), target.scale), target,
                             safe=False)
        else:
            column = pc.cast(column, target, safe=False)
    return pc.fill_null(pc.cast(column, pa.string()), _NULL)


def row_hashes(table: pa.Table | pa.RecordBatch, schema: pa.Schema) -> np.ndarray:
    """A uint64 hash per row of the table's canonical text."""
    texts = [_canonical(table.column(field.name), field.type) for field in schema]
    joined = pc.binary_join_element_wise(*texts, _SEPARATOR)
    values = np.asarray(joined.to_numpy(zero_copy_only=False), dtype=object)
    return pd.util.hash_array(values, categorize=False)


def table_checksum(table: pa.Table, schema: pa.Schema) -> str:
    """Checksum of a whole table."""
    checksum = Checksum()
    checksum.add(table, schema)
    return checksum.digest
