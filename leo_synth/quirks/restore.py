"""Apply the answer key to a relation: delete the added rows, put back the deleted ones,
restore the clean values.

This is what a perfect cleaning exercise does; on a ``realistic`` extract it gives the
``clean`` extract of the same seed (tested by checksums).
"""

from __future__ import annotations

import json
from collections import defaultdict

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from leo_synth.quirks.model import ADDED_ROW, DELETED_ROW, row_keys


def _key_columns(row_key: str) -> tuple[str, ...]:
    return tuple(part.split("=", 1)[0] for part in row_key.split(";"))


def restore(table: pa.Table, relation: str, ledger: pa.Table) -> pa.Table:
    """``table`` (a relation's rows) with ``ledger``'s defects of ``relation`` undone."""
    entries = ledger.filter(pc.equal(ledger.column("relation"), relation)).to_pylist()
    added = [e for e in entries if e["action"] == ADDED_ROW]
    deleted = [e for e in entries if e["action"] == DELETED_ROW]
    changed = [e for e in entries if e["action"] not in (ADDED_ROW, DELETED_ROW)]
    keep = np.ones(table.num_rows, dtype=bool)
    for columns, group in _by_key_columns(added).items():
        positions = _positions(table, columns)
        for entry in group:  # one matching row per entry: duplicates of a duplicate count
            rows = [r for r in positions.get(entry["row_key"], []) if keep[r]]
            if not rows:
                raise ValueError(f"{relation}: no row {entry['row_key']} to delete")
            keep[rows[-1]] = False
    table = table.filter(pa.array(keep))
    if deleted:  # a deleted row comes back before its cells are restored: a quirk may have
        # changed a value of the row before another deleted it
        table = pa.concat_tables([table, _rows_from_json(deleted, table.schema)])
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


def _rows_from_json(entries: list[dict], schema: pa.Schema) -> pa.Table:
    """The deleted rows recorded in ``entries``, typed as the relation's ``schema``."""
    rows = [json.loads(entry["clean_value"]) for entry in entries]
    return pa.table({field.name: pa.array([row[field.name] for row in rows], pa.string())
                     .cast(field.type) for field in schema}, schema=schema)
