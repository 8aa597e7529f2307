"""The order-independent checksum: what it must and must not be sensitive to."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from leo_synth.checksum import Checksum, table_checksum

SCHEMA = pa.schema([("id", pa.int32()), ("name", pa.string()), ("born", pa.date32()),
                    ("pay", pa.float64()), ("grade", pa.decimal128(3, 1)), ("n", pa.int64())])


def _table(rows: int = 50, seed: int = 1) -> pa.Table:
    rng = np.random.default_rng(seed)
    names = [None if i % 7 == 0 else "x" * (i % 5) + f"é{i}" for i in range(rows)]
    return pa.table({
        "id": pa.array(np.arange(rows, dtype=np.int32)),
        "name": pa.array(names, pa.string()),
        "born": pa.array([dt.date(2000, 1, 1) + dt.timedelta(days=int(d)) if d % 5 else None
                          for d in rng.integers(0, 9000, rows)], pa.date32()),
        "pay": pa.array(rng.normal(size=rows)),
        "grade": pa.array([None] * rows, pa.decimal128(3, 1)),
        "n": pa.array(rng.integers(-5, 5, rows)),
    }, schema=SCHEMA)


def test_order_and_batching_do_not_matter() -> None:
    table = _table()
    whole = table_checksum(table, SCHEMA)
    shuffled = table.take(np.random.default_rng(3).permutation(table.num_rows))
    assert table_checksum(shuffled, SCHEMA) == whole
    parts = Checksum()
    for start in (0, 13, 31):  # slices: arrays with a non-zero offset
        parts.absorb(Checksum.of(table.slice(start, {0: 13, 13: 18, 31: 19}[start]), SCHEMA))
    assert parts.digest == whole
    assert table_checksum(pa.concat_tables([table.slice(0, 20), table.slice(20)]),
                          SCHEMA) == whole  # chunked columns


def test_backend_representations_agree() -> None:
    """Dates read back as ISO text (SQLite) hash as the dates they are."""
    table = _table()
    as_text = table.set_column(2, "born", table.column("born").cast(pa.string()))
    assert table_checksum(as_text, SCHEMA) == table_checksum(table, SCHEMA)


def test_content_changes_change_the_checksum() -> None:
    table = _table()
    whole = table_checksum(table, SCHEMA)
    names = table.column("name").to_pylist()
    for changed in ([*names[:1], "xx" + (names[1] or ""), *names[2:]],  # text
                    [None if i == 1 else v for i, v in enumerate(names)],  # NULL
                    ["" if v is None else v for v in names]):  # NULL vs empty text
        assert table_checksum(table.set_column(1, "name", pa.array(changed, pa.string())),
                              SCHEMA) != whole
    ids = table.column("id").to_numpy().copy()
    ids[[0, 1]] = ids[[1, 0]]  # two rows swap a value: same column multiset, other rows
    assert table_checksum(table.set_column(0, "id", pa.array(ids)), SCHEMA) != whole
    swapped = table.set_column(0, "id", table.column("n").cast(pa.int32())).set_column(
        5, "n", table.column("id").cast(pa.int64()))
    assert table_checksum(swapped, SCHEMA) != whole  # two columns' values exchanged


def test_digests_stay_as_recorded() -> None:
    """The checksum's definition is fixed: manifests and the conformance record compare
    digests across versions, so a faster computation must give these same digests (NULLs in
    every kind of column, negative integers, non-ASCII text, a slice with an offset)."""
    table = _table(200, seed=4)
    rng = np.random.default_rng(9)
    table = table.set_column(0, "id", pa.array(table.column("id").to_numpy(),
                                                mask=rng.random(200) < 0.2))
    table = table.set_column(3, "pay", pa.array(table.column("pay").to_numpy(),
                                                 mask=rng.random(200) < 0.2))
    grades = pa.array(np.round(rng.normal(size=200), 1), mask=rng.random(200) < 0.5)
    table = table.set_column(4, "grade", grades.cast(pa.decimal128(3, 1)))
    assert table_checksum(table, SCHEMA) == "200:a306db174b91c8c3"
    assert Checksum.of(table.slice(37, 101), SCHEMA).digest == "101:2f82752ad31cad0d"


def test_null_columns_and_long_text_keep_their_digests() -> None:
    """Columns of NULLs alone (added as a constant, not hashed) and text of every length
    (hashed over the whole buffer at once) give the digests of the per-value definition."""
    table = _table(300, seed=5)
    rng = np.random.default_rng(11)
    long_text = ["".join(rng.choice(list("abcdé€ \x00"), size=int(k)))
                 for k in rng.integers(0, 300, 300)]
    table = table.set_column(1, "name", pa.array(long_text, pa.string()))
    table = table.set_column(0, "id", pa.nulls(300, pa.int32()))  # every kind all NULL
    table = table.set_column(3, "pay", pa.nulls(300, pa.float64()))
    assert table_checksum(table, SCHEMA) == "300:b334bc520c48c418"
    nulls = pa.table({field.name: pa.nulls(300, field.type) for field in SCHEMA}, schema=SCHEMA)
    assert table_checksum(nulls, SCHEMA) == "300:888f077c4b8475d4"


def test_short_range_integers_keep_their_digests() -> None:
    """Integers spanning a short range (hashed through a table of the range's hashes, above
    2**16 values) give the digests of the per-value definition: negative, NULL, every width,
    beside a column spanning a long range."""
    rng = np.random.default_rng(21)
    rows = 70_000
    schema = pa.schema([("a", pa.int32()), ("b", pa.int64()), ("c", pa.int16()),
                        ("d", pa.date32()), ("e", pa.int32()), ("f", pa.int8()),
                        ("g", pa.int16())])
    table = pa.table({
        "a": pa.array(rng.integers(-300, 300, rows, dtype=np.int32), mask=rng.random(rows) < .3),
        "b": pa.array(rng.integers(-2**40, -2**40 + 9, rows)),
        "c": pa.array(rng.integers(-5, 5, rows, dtype=np.int16)),
        "d": pa.array(rng.integers(10_000, 20_000, rows, dtype=np.int32)).cast(pa.date32()),
        "e": pa.array(rng.integers(-2**31, 2**31 - 1, rows, dtype=np.int32)),
        "f": pa.array(rng.integers(-100, 101, rows, dtype=np.int8)),  # (offsets beyond int8)
        "g": pa.array(rng.integers(-30_000, 30_001, rows, dtype=np.int16)),
    }, schema=schema)
    assert table_checksum(table, schema) == "70000:a7aa312882f4f7c6"
    narrow = pa.schema([schema.field("a"), schema.field("c")])
    assert table_checksum(table.select(["a", "c"]), narrow) == "70000:c34dac053099667e"


def test_long_text_buffers_and_small_integer_ranges_keep_their_digests() -> None:
    """Text whose bytes exceed one span of the shared power tables (weighted span by span)
    and a string longer than the tables (which then grow), and a few thousand integers
    spanning a short range (hashed through a table), give the per-value definition's digests."""
    rng = np.random.default_rng(31)
    rows = 3000
    schema = pa.schema([("t", pa.string()), ("i", pa.int32())])
    words = ["".join(rng.choice(list("abcdé€ 0"), size=int(k)))
             for k in rng.integers(0, 80, rows)]
    words[7] = "x" * 70_000
    table = pa.table({
        "t": pa.array(words, mask=rng.random(rows) < 0.1),
        "i": pa.array(rng.integers(-50, 50, rows, dtype=np.int32), mask=rng.random(rows) < 0.2),
    }, schema=schema)
    assert table_checksum(table, schema) == "3000:cc1292992428015a"
    assert Checksum.of(table.slice(1000, 1500), schema).digest == "1500:a7086853115dc333"
