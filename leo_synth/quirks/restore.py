"""Apply the answer key to a relation: delete the added rows, restore the clean values.

This is what a perfect cleaning exercise does; on a ``realistic`` extract it gives the
``clean`` extract of the same seed (tested by checksums).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pyarrow as pa

from leo_synth.quirks.model import ADDED_ROW, row_keys


def _key_columns(row_key: str) -> tuple[str, ...]:
    return tuple(part.split("=", 1)[0] for part in row_key.split(";"))


def restore(table: pa.Table, relation: str, ledger: pa.Table) -> pa.Table:
    """``table`` (a relation's rows) with ``ledger``'s defects of ``relation`` undone."""
    entries = [e for e in ledger.to_pylist() if e["relation"] == relation]
    added = [e for e in entries if e["action"] == ADDED_ROW]
    changed = [e for e in entries if e["action"] != ADDED_ROW]
    keep = np.ones(table.num_rows, dtype=bool)
    for columns, group in _by_key_columns(added).items():
        positions = _positions(table, columns)
        for entry in group:  # one matching row per entry: duplicates of a duplicate count
            rows = [r for r in positions.get(entry["row_key"], []) if keep[r]]
            if not rows:
                raise ValueError(f"{relation}: no row {entry['row_key']} to delete")
            keep[rows[-1]] = False
    table = table.filter(pa.array(keep))
    values = {name: table.column(name).to_pylist() for name in {e["column_name"]
                                                                 for e in changed}}
    for columns, group in _by_key_columns(changed).items():
        positions = _positions(table, columns)
        for entry in group:
            rows = positions.get(entry["row_key"], [])
            if len(rows) != 1:
                raise ValueError(f"{relation}: {len(rows)} rows match {entry['row_key']}")
            field = table.schema.field(entry["column_name"])
            clean = pa.array([entry["clean_value"]], pa.string()).cast(field.type)
            values[entry["column_name"]][rows[0]] = clean[0].as_py()
    for name, column in values.items():
        index = table.schema.get_field_index(name)
        table = table.set_column(index, table.schema.field(index),
                                 pa.array(column, table.schema.field(index).type))
    return table


def _by_key_columns(entries: list[dict]) -> dict[tuple[str, ...], list[dict]]:
    groups: dict[tuple[str, ...], list[dict]] = defaultdict(list)
    for entry in entries:
        groups[_key_columns(entry["row_key"])].append(entry)
    return groups


def _positions(table: pa.Table, columns: tuple[str, ...]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = defaultdict(list)
    for row, key in enumerate(row_keys(table, list(columns))):
        found[key].append(row)
    return found
