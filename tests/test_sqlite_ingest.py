"""The SQLite writer's ingest: what ADBC binds as it is and what is converted first give the
values SQLite would hold had every column been converted (dates as ISO text, timestamps with a
space, decimals as the nearest float, booleans as 0/1, NULLs kept)."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from decimal import Decimal
from pathlib import Path

import pyarrow as pa

from leo_synth.writers.sqlite import sqlite_batch, sqlite_columns, sqlite_values
from leo_synth.writers.sqlite_adbc import AdbcSqlite

COLUMNS = {
    "d": pa.array([dt.date(2020, 1, 2), None, dt.date(1, 1, 1), dt.date(9999, 12, 31)]),
    "ts": pa.array([dt.datetime(2020, 1, 2, 3, 4, 5), None, dt.datetime(1900, 1, 1),
                    dt.datetime(2001, 2, 3)], pa.timestamp("s")),
    "n": pa.array([Decimal("7.10"), None, Decimal("-1.05"), Decimal("0.00")],
                  pa.decimal128(12, 2)),
    "b": pa.array([True, None, False, True]),
    "i": pa.array([1, None, -(2**63), 2**63 - 1], pa.int64()),
    "f": pa.array([0.1, None, -2.5, 1e300]),
    "s": pa.array(["a", None, "", "é'\""]),
}


def test_ingest_stores_what_a_full_conversion_gives(tmp_path: Path) -> None:
    batch = pa.record_batch(list(COLUMNS.values()), names=list(COLUMNS))
    convert = sqlite_columns(batch.schema)
    assert [batch.schema.names[i] for i in convert] == ["d", "ts", "n", "b"]
    path = tmp_path / "t.sqlite"
    connection = AdbcSqlite(str(path))
    try:
        connection.execute(f"CREATE TABLE t ({', '.join(COLUMNS)})")
        connection.execute("BEGIN")
        connection.ingest("t", sqlite_batch(batch, convert))
        connection.execute("COMMIT")
    finally:
        connection.close()
    with contextlib.closing(sqlite3.connect(path)) as db:
        stored = db.execute(f"SELECT {', '.join(COLUMNS)} FROM t").fetchall()
    expected = list(zip(*(sqlite_values(column) for column in batch.columns), strict=True))
    assert stored == expected
    assert stored[0][:2] == ("2020-01-02", "2020-01-02 03:04:05")
