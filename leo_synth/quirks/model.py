"""What a quirk is, the registry of quirks and the defects they report."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from leo_synth.memo import by_identity
from leo_synth.spec.model import Relation, RelationColumn

ADDED_ROW = "added_row"
CHANGED_VALUE = "changed_value"
DELETED_ROW = "deleted_row"
"""A row the clean extract has and the quirk removed; its ``clean_value`` is the whole row as
JSON (column name to the ledger's text of the value)."""


@dataclass
class Defects:
    """Defects found in one relation's block: one entry per added row or changed cell."""

    row_key: list[str] = field(default_factory=list)
    column: list[str | None] = field(default_factory=list)
    quirk: list[str] = field(default_factory=list)
    action: list[str] = field(default_factory=list)
    clean_value: list[str | None] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.row_key)

    def extend(self, other: Defects) -> None:
        for name in ("row_key", "column", "quirk", "action", "clean_value"):
            getattr(self, name).extend(getattr(other, name))

    def add(self, quirk: str, action: str, keys: list[str], column: str | None = None,
            clean: list[str | None] | None = None) -> None:
        self.row_key.extend(keys)
        self.column.extend([column] * len(keys))
        self.quirk.extend([quirk] * len(keys))
        self.action.extend([action] * len(keys))
        self.clean_value.extend(clean if clean is not None else [None] * len(keys))


@dataclass(frozen=True)
class Target:
    """A relation a quirk touches: its table and the template columns that identify a row of
    the clean extract (the ledger's ``row_key``)."""

    table: str
    key: tuple[str, ...]


QuirkFn = Callable[["QuirkRun"], None]


@dataclass(frozen=True)
class Quirk:
    """A registered quirk: its code, the item of ``leo_schema.md`` section 4.3 it stands
    for, what it does and the relations it touches. ``adds_rows`` quirks run after the
    value-changing ones, so the ledger's keys of changed cells stay unique."""

    code: str
    item: int
    summary: str
    targets: tuple[Target, ...]
    apply: QuirkFn
    adds_rows: bool = False

    def target(self, relation: Relation) -> Target | None:
        for target in self.targets:
            if target.table == relation.table.name:
                return target
        return None


QUIRKS: dict[str, Quirk] = {}


def quirk(code: str, item: int, summary: str, targets: tuple[Target, ...],
          adds_rows: bool = False) -> Callable[[QuirkFn], QuirkFn]:
    """Register a quirk function under ``code``."""

    def register(fn: QuirkFn) -> QuirkFn:
        if code in QUIRKS:
            raise ValueError(f"quirk {code!r} registered twice")
        QUIRKS[code] = Quirk(code, item, summary, targets, fn, adds_rows)
        return fn

    return register


@dataclass
class QuirkRun:
    """One quirk applied to one relation's block: the batch it edits (``table``, replaced in
    place by the quirk), the rate, its random stream and the defects it records."""

    quirk: Quirk
    relation: Relation
    target: Target
    table: pa.Table
    rate: float
    rng: np.random.Generator
    defects: Defects
    life: Any = None
    """The block's life course (``LifeCourse``), for quirks that need more than the rows, e.g.
    a person's other EDUKEYs; None when a relation is quirked on its own."""

    def column(self, template: str) -> RelationColumn | None:
        """The relation's column made from a template column, or None if the view lacks it."""
        return columns_by_template(self.relation).get(template)

    def is_null(self, name: str) -> np.ndarray:
        """Which rows hold NULL in column ``name``."""
        return np.asarray(self.table.column(name).is_null().to_numpy(zero_copy_only=False))

    def values(self, name: str, missing: object) -> np.ndarray:
        """Column ``name`` as a numpy array, NULL read as ``missing`` (e.g. ``''`` or 0)."""
        return pc.fill_null(self.table.column(name), missing).to_numpy()

    def among(self, name: str, codes: list[str]) -> np.ndarray:
        """Which rows hold one of ``codes`` in text column ``name`` (NULL never does: ``is_in``
        matches NULL only to a NULL of the codes, so its answer holds no NULL), found by
        Arrow (no Python string made per row)."""
        column = self.table.column(name)
        found = pc.is_in(column, value_set=_value_set(tuple(codes), column.type))
        return found.to_numpy(zero_copy_only=False)

    def values_at(self, name: str, rows: np.ndarray) -> list:
        """Column ``name``'s values at ``rows``, as Python values (NULL as None)."""
        return self.table.column(name).take(pa.array(rows, pa.int64())).to_pylist()

    def keyed(self) -> np.ndarray:
        """Rows whose key columns all hold a value (not NULL, not ''): only those can be found
        again by the answer key (e.g. HESA students unmatched to the NPD have a blank PMR)."""
        ok = np.ones(self.table.num_rows, dtype=bool)
        for name in self.key_columns():
            column = self.table.column(name)
            if pa.types.is_string(column.type):  # (NULL's length is NULL: NaN, not > 0)
                ok &= pc.binary_length(column).to_numpy(zero_copy_only=False) > 0
            else:
                ok &= ~self.is_null(name)
        return ok

    def pick(self, candidates: np.ndarray | Callable[[], np.ndarray] | None = None
             ) -> np.ndarray:
        """Row indices chosen at the quirk's rate (among ``candidates``: a boolean mask, or
        a function making it, called only when the draw chose a row: the draw is the same
        whatever the candidates, and a small block's often chooses none)."""
        chosen = self.rng.random(self.table.num_rows) < self.rate
        if candidates is not None and chosen.any():
            chosen &= candidates() if callable(candidates) else candidates
        return np.flatnonzero(chosen)

    def keys(self, rows: np.ndarray | pa.Array, extra: tuple[str, ...] = ()) -> list[str]:
        """The ledger's ``row_key`` of rows (positions, or an Arrow array of them):
        ``column=value`` pairs joined by ``;``. Each key column is taken on its own (a
        table's take costs more than its columns')."""
        at = rows if isinstance(rows, pa.Array) else pa.array(rows, pa.int64())
        return key_texts([(name, self.table.column(name).take(at))
                          for name in self.key_columns() + list(extra)], len(at))

    def key_columns(self) -> list[str]:
        cols = [self.column(name) for name in self.target.key]
        return [col.name for col in cols if col is not None]

    def set_values(self, name: str, rows: np.ndarray, values: pa.Array) -> None:
        """Replace cells of column ``name`` at ``rows``, recording their clean values."""
        if not len(rows):
            return
        at = pa.array(rows, pa.int64())
        current = self.table.column(name).combine_chunks()
        clean = as_text(current.take(at))
        self.defects.add(self.quirk.code, CHANGED_VALUE, self.keys(at), name, clean)
        values = values.cast(current.type)
        listed = rows.tolist()
        if listed != sorted(listed):  # (picked rows ascend: their values need no sorting)
            values = values.take(pa.array(np.argsort(rows, kind="stable")))
        mask = np.zeros(len(current), dtype=bool)
        mask[rows] = True
        replaced = pc.replace_with_mask(current, pa.array(mask), values)
        index = self.table.schema.get_field_index(name)
        self.table = self.table.set_column(index, self.table.schema.field(index), replaced)

    def fill_nulls(self, rows: np.ndarray, names: list[str], value: object) -> None:
        """In ``rows`` (ascending), the NULL cells of columns ``names`` become ``value``,
        recorded as ``set_values`` records them; one pass over the relation (the rows' keys
        made once, the table rebuilt once), not one per column. Only columns holding a NULL
        are looked at (most of a record's hold none) and only those changed are replaced.
        Each column is coalesced with one array per type holding ``value`` at ``rows`` and
        NULL elsewhere (made once)."""
        if not len(rows) or not names:
            return
        schema = self.table.schema
        nullable = {name: column for name, column in (
            (name, self.table.column(schema.get_field_index(name))) for name in names)
            if column.null_count}
        keys: np.ndarray | None = None
        fills: dict[pa.DataType, pa.Array] = {}
        changed: dict[int, pa.Array | pa.ChunkedArray] = {}
        blanks = _blanks(nullable, rows) if value == "" else {}
        for name, column in nullable.items():
            if name in blanks:
                hit, blanked = blanks[name]
            else:
                hit = np.flatnonzero(nulls_at(column, rows))
                blanked = None
            if not len(hit):
                continue
            if keys is None:
                keys = np.array(self.keys(rows), dtype=object)
            self.defects.add(self.quirk.code, CHANGED_VALUE, keys[hit].tolist(), name)
            if blanked is None and value == "" and name not in blanks:
                blanked = _blanked(column, rows[hit])
            index = schema.get_field_index(name)
            if blanked is not None:
                changed[index] = blanked
                continue
            if column.type not in fills:
                fills[column.type] = _at_rows(self.table.num_rows, rows, value, column.type)
            changed[index] = pc.coalesce(column, fills[column.type])
        self.table = with_columns(self.table, changed)

    def delete_rows(self, rows: np.ndarray) -> None:
        """Remove rows, recording each whole row (as JSON) so that the key can put it back."""
        if not len(rows):
            return
        gone = self.table.take(pa.array(rows, pa.int64()))
        texts = {name: as_text(gone.column(name).combine_chunks()) for name in gone.column_names}
        rows_json = [json.dumps({name: texts[name][i] for name in gone.column_names},
                                separators=(",", ":")) for i in range(gone.num_rows)]
        self.defects.add(self.quirk.code, DELETED_ROW, self.keys(rows), None, rows_json)
        keep = np.ones(self.table.num_rows, dtype=bool)
        keep[rows] = False
        self.table = self.table.filter(pa.array(keep))

    def add_rows(self, rows: pa.Table, distinguishing: tuple[str, ...] = ()) -> None:
        """Append rows, recording each with its key and the ``distinguishing`` columns that
        tell it from the row it copies."""
        if not rows.num_rows:
            return
        keys = row_keys(rows, self.key_columns() + list(distinguishing))
        self.defects.add(self.quirk.code, ADDED_ROW, keys)
        if not rows.schema.equals(self.table.schema, check_metadata=True):
            rows = rows.cast(self.table.schema)  # (rows taken from the table need no cast)
        self.table = pa.concat_tables([self.table, rows])


NO_ROWS = np.zeros(0, dtype=np.int64)
FEW_COLUMNS = 16
"""Up to this many columns of a table are replaced one ``set_column`` (or ``add_column``) each,
~8 us; more and the table is built once from all its columns, ~2 us a column (measured on the
census's 65 columns and KS4's 724: a ``set_column`` costs about an eighteenth of a rebuild)."""


def with_columns(table: pa.Table, changed: dict[int, pa.Array | pa.ChunkedArray]) -> pa.Table:
    """``table`` with its columns at the indices of ``changed`` replaced (itself when none
    is: a quirk that changed nothing leaves the table as it was)."""
    if len(changed) <= FEW_COLUMNS:
        for index, array in changed.items():
            table = table.set_column(index, table.schema.field(index), array)
        return table
    columns = table.columns
    for index, array in changed.items():
        columns[index] = array
    return pa.Table.from_arrays(columns, schema=table.schema)


@by_identity
def columns_by_template(relation: Relation) -> dict[str, RelationColumn]:
    """The relation's columns by the name of the template column each is made from (the
    first, as a scan of the columns finds it), worked out once per relation and process."""
    found: dict[str, RelationColumn] = {}
    for col in relation.columns:
        found.setdefault(col.spec.name, col)
    return found


@functools.lru_cache(maxsize=256)
def _value_set(codes: tuple[str, ...], kind: pa.DataType) -> pa.Array:
    """``codes`` as an Arrow array of ``kind``, made once per process (~14 us each time)."""
    return pa.array(codes, kind)


def _at_rows(length: int, rows: np.ndarray, value: object, type_: pa.DataType) -> pa.Array:
    """An array of ``length`` holding ``value`` at ``rows`` and NULL elsewhere."""
    mask = np.ones(length, dtype=bool)
    mask[rows] = False
    return pc.if_else(pa.array(mask), pa.scalar(None, type_), pa.scalar(value).cast(type_))


def _blanks(columns: dict[str, pa.ChunkedArray], rows: np.ndarray
            ) -> dict[str, tuple[np.ndarray, pa.Array | None]]:
    """:func:`_blanked` of the text columns among ``columns`` (by name) that are one array
    each, at no offset and with NULLs (most of them), worked out for all of them at once: per
    column, which of ``rows`` (ascending) hold NULL and the column with those set to '' (None
    when a NULL slot spans bytes, then the column is rebuilt, or when no row holds NULL)."""
    found = []
    for name, column in columns.items():
        if column.num_chunks == 1 and pa.types.is_string(column.type) and column.null_count:
            array = column.chunk(0)
            if array.offset == 0:
                found.append((name, array, *array.buffers()))
    if not found:
        return {}
    length = len(found[0][1])
    size = (length + 7) // 8
    bits = np.stack([np.frombuffer(validity, dtype=np.uint8, count=size)
                     for _, _, validity, _, _ in found])
    ends = np.stack([np.frombuffer(offsets, dtype=np.int32, count=length + 1)
                     for _, _, _, offsets, _ in found])
    null = (bits[:, rows >> 3] >> (rows & 7) & 1) == 0
    spanning = ((ends[:, rows + 1] != ends[:, rows]) & null).any(axis=1).tolist()
    hits = null.any(axis=1).tolist()
    picked = np.zeros(size * 8, dtype=bool)
    picked[rows] = True
    blanked = bits | np.packbits(picked, bitorder="little")  # (valid rows' bits are set)
    out = {}
    for k, (name, array, _, offsets, data) in enumerate(found):
        hit = np.flatnonzero(null[k]) if hits[k] else NO_ROWS
        out[name] = hit, None if spanning[k] or not hits[k] else pa.Array.from_buffers(
            array.type, length, [pa.py_buffer(blanked[k]), offsets, data],
            null_count=array.null_count - len(hit))
    return out


def _blanked(column: pa.ChunkedArray, at: np.ndarray) -> pa.Array | None:
    """A text column whose NULLs at rows ``at`` (all NULL) become '': only their validity
    bits are set, when those slots span no bytes (as Arrow leaves NULL text), the offsets and
    bytes shared; None when that does not hold (then the column is rebuilt)."""
    if column.num_chunks != 1 or not pa.types.is_string(column.type):
        return None
    array = column.chunk(0)
    validity, offsets, data = array.buffers()
    ends = np.frombuffer(offsets, dtype=np.int32)[array.offset:array.offset + len(array) + 1]
    if validity is None or np.any(ends[at + 1] != ends[at]):
        return None
    bits = np.frombuffer(validity, dtype=np.uint8)
    valid = np.zeros(len(bits) * 8, dtype=bool)
    valid[at + array.offset] = True
    bits = bits | np.packbits(valid, bitorder="little")
    return pa.Array.from_buffers(array.type, len(array), [pa.py_buffer(bits), offsets, data],
                                 null_count=array.null_count - len(at), offset=array.offset)


def nulls_at(column: pa.ChunkedArray, rows: np.ndarray) -> np.ndarray:
    """Which of ``rows`` hold NULL in ``column``: read from those rows' validity bits alone
    when the column is one array (a quirk's rows are a few of many)."""
    if column.num_chunks == 1:
        array = column.chunk(0)
        validity = array.buffers()[0]
        if validity is not None:
            at = rows + array.offset
            return (np.frombuffer(validity, dtype=np.uint8)[at >> 3] >> (at & 7) & 1) == 0
    return column.is_null().to_numpy(zero_copy_only=False)[rows]


def as_text(values: pa.Array | pa.ChunkedArray) -> list[str | None]:
    """Values as the ledger's text (ISO dates, plain numbers), NULL kept as None."""
    return pc.cast(values, pa.string()).to_pylist()


def row_keys(table: pa.Table, columns: list[str]) -> list[str]:
    """The ledger's ``row_key`` of every row of ``table`` (:meth:`QuirkRun.keys`)."""
    return key_texts([(name, table.column(name)) for name in columns], table.num_rows)


def key_texts(columns: list[tuple[str, pa.Array | pa.ChunkedArray]], length: int) -> list[str]:
    """``length`` rows' ``row_key`` from their key columns' values (by column name)."""
    parts = [[f"{name}={'NULL' if v is None else v}" for v in as_text(values)]
             for name, values in columns]
    if len(parts) == 1:
        return parts[0]  # (the usual single key column: nothing to join)
    return [";".join(items) for items in zip(*parts, strict=True)] if parts else [""] * length
