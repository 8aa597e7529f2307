"""Turn a builder's attribute frame into an Arrow record batch, per the spec.

This is the one place where spec ``fill`` entries are interpreted: simulated attributes, draws
from a column's code list or range, constants, NULL-only columns and derivations. It also
enforces the populated-years rule for multi-year views (NULL outside a column's years).

The work is planned once per relation (:class:`FillPlan`) and done per block in groups, not
column by column: a relation's independent draws (thousands of columns across the catalogue)
come from one vectorised pass of keyed uniforms (:func:`leo_synth.engine.rng.keyed_uniforms`,
one stream per column), code-list draws are one ``searchsorted`` over the relation's columns
together, and batched derivations get all their columns at once. Only attribute, constant and
per-column derivation columns are converted one by one.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from leo_synth.engine.rng import keyed_uniforms, stream, stream_keys, value_uniforms
from leo_synth.relations.derive import BATCHED_DERIVATIONS, DERIVATIONS, distinct_text
from leo_synth.relations.registry import YEAR_ATTRIBUTE
from leo_synth.relations.values import Masked
from leo_synth.simulation.frame import Frame, split_nulls
from leo_synth.spec.model import ColumnSpec, Relation, RelationColumn
from leo_synth.spec.physical import arrow_schema
from leo_synth.spec.types import SqlType

_NUMERIC = ("integer", "float", "decimal")


@dataclass
class _CodeDraws:
    """Code-list draws of several columns: their codes one after another, and per column the
    cumulative weights shifted by the column's position (column k's lie in (k, k + 1])."""

    columns: list[int] = field(default_factory=list)
    bounds: list[float] = field(default_factory=list)
    first: list[int] = field(default_factory=list)
    last: list[int] = field(default_factory=list)
    values: list = field(default_factory=list)

    def add(self, index: int, codes: list, weights: np.ndarray) -> None:
        shift = len(self.columns)
        cumulative = np.cumsum(weights / weights.sum())
        self.first.append(len(self.values))
        self.values.extend(codes)
        self.last.append(len(self.values) - 1)
        self.bounds.extend((shift + cumulative).tolist())
        self.columns.append(index)

    def picks(self, uniforms: np.ndarray) -> np.ndarray:
        """Indices into ``values``, one row per column."""
        shifted = uniforms + np.arange(len(self.columns))[:, None]
        found = np.searchsorted(np.asarray(self.bounds), shifted, side="right")
        return np.clip(found, np.asarray(self.first)[:, None], np.asarray(self.last)[:, None])


@dataclass
class FillPlan:
    """How a relation's columns are filled, worked out once per process and relation."""

    schema: pa.Schema
    random: list[int]
    """Columns drawing from their own keyed stream, in the order of ``keys``."""
    keys: np.ndarray
    text_codes: _CodeDraws
    numeric_codes: _CodeDraws
    numeric_pool: np.ndarray
    ranges: list[tuple[int, float, float]]
    """(column, low, high) of the columns drawn from a numeric range."""
    batched: dict[str, list[int]]
    """Columns per batched derivation."""
    single: list[int]
    """Columns filled one by one (constants, other derivations)."""
    empty: list[int]
    """Columns NULL in every row (``fill: none``)."""
    attributes: list[tuple[int, str, SqlType]]
    """(column, builder attribute, type) of the columns holding an attribute as it is."""
    partial_years: list[frozenset[int] | None] = field(default_factory=list)
    """Per column of a multi-year view: its years if fewer than the view's (NULL outside)."""
    text_pool: pa.Array | None = None
    per: list[tuple[int, np.ndarray]] = field(default_factory=list)
    """Random columns whose draw is keyed by builder attributes (``Fill.per``), not by row, and
    their stream keys: named by the column alone, not the relation, so a school draws alike in
    every view and table with the column (KS5_ADMPOL in the student and the exam tables)."""
    groups: list[tuple[int, str, bool] | None] = field(default_factory=list)
    """Per column whose values may be converted in a group (:func:`_column_arrays`): its
    group's number in ``group_types``, the numpy kinds of values grouped and whether a group
    holds one numpy type; None for the others. (Worked out here, not per block: hashing an
    Arrow type for a group's key costs about half a microsecond, and a block has 19,000
    columns.)"""
    group_types: list[tuple[str, pa.DataType]] = field(default_factory=list)
    """The SQL kind and Arrow type of each group."""


_PLANS: dict[int, tuple[Relation, int, FillPlan]] = {}
"""Plans by relation identity (the relation is kept alive with its plan) and seed."""


def fill_plan(relation: Relation, seed: int) -> FillPlan:
    """The relation's plan (built on first use in each process)."""
    cached = _PLANS.get(id(relation))
    if cached is not None and cached[0] is relation and cached[1] == seed:
        return cached[2]
    plan = _make_plan(relation, seed)
    _PLANS[id(relation)] = (relation, seed, plan)
    return plan


def _make_plan(relation: Relation, seed: int) -> FillPlan:
    random: list[int] = []
    text_codes, numeric_codes = _CodeDraws(), _CodeDraws()
    ranges: list[tuple[int, float, float]] = []
    batched: dict[str, list[int]] = {}
    single: list[int] = []
    empty: list[int] = []
    attributes: list[tuple[int, str, SqlType]] = []
    for index, col in enumerate(relation.columns):
        fill = col.spec.fill
        if fill.kind == "draw":
            random.append(index)
            codes = storable_codes(col.spec)
            if codes:
                weights = np.asarray((fill.weights or default_weights(codes))[: len(codes)],
                                     dtype=float)
                if col.spec.type.kind in _NUMERIC:
                    numeric = [float(code) for code in codes]
                    _check_integers(relation, col, numeric)
                    numeric_codes.add(index, numeric, weights)
                else:
                    text_codes.add(index, codes, weights)
            elif col.spec.value_range is None:  # only unstorable codes: the type's neutral value
                ranges.append((index, 0.0, 0.0))
            else:
                low, high = col.spec.value_range
                _check_integers(relation, col, [low, high])
                ranges.append((index, float(low), float(high)))
        elif fill.kind == "derive" and fill.derive in BATCHED_DERIVATIONS:
            random.append(index)
            batched.setdefault(fill.derive, []).append(index)
        elif fill.kind == "attr":
            attributes.append((index, col.attribute, col.spec.type))
        elif fill.kind == "none":
            empty.append(index)
        else:
            single.append(index)
    names = [f"fill:{relation.name}:{relation.columns[i].vrf_name}" for i in random]
    return FillPlan(
        schema=arrow_schema(relation), random=random, keys=stream_keys(seed, names),
        text_codes=text_codes, numeric_codes=numeric_codes,
        numeric_pool=np.asarray(numeric_codes.values, dtype=float), ranges=ranges,
        batched=batched, single=single, empty=empty, attributes=attributes,
        partial_years=[col.active_years if relation.year is None
                       and col.active_years != relation.years else None
                       for col in relation.columns],
        text_pool=pa.array(text_codes.values, type=pa.string()) if text_codes.values else None,
        per=[(i, stream_keys(seed, [f"per:{relation.columns[i].vrf_name}"])[0])
             for i in random if relation.columns[i].spec.fill.per],
        **_group_plan(relation))


def _group_plan(relation: Relation) -> dict[str, list]:
    """``FillPlan.groups`` and ``group_types`` of the relation's columns."""
    groups: list[tuple[int, str, bool] | None] = []
    group_types: list[tuple[str, pa.DataType]] = []
    for col in relation.columns:
        kind = col.spec.type.kind
        if kind not in _GROUPED:
            groups.append(None)
            continue
        key = (kind, col.spec.type.arrow_type())
        if key not in group_types:
            group_types.append(key)
        groups.append((group_types.index(key), _GROUPED[kind], kind != "string"))
    return {"groups": groups, "group_types": group_types}


def _check_integers(relation: Relation, col: RelationColumn, values: list[float]) -> None:
    """Values drawn for an integer column must fit its width (an error, not a wrap)."""
    if col.spec.type.kind != "integer" or not values:
        return
    limit = 2 ** (col.spec.type.integer_bits - 1)
    if min(values) < -limit or max(values) >= limit:
        raise ValueError(f"{relation.name}.{col.name} ({col.spec.type}): value outside the "
                         f"range of a {col.spec.type.integer_bits}-bit integer column")


def build_batch(relation: Relation, frame: Frame, seed: int, block: int) -> pa.RecordBatch:
    """The relation's rows for one block, typed by the spec.

    In a multi-year view, rows whose ``_year`` lies outside the view's years are dropped (the
    view of an earlier iteration, or one era's view of a table split by era).
    """
    if (relation.year is None and YEAR_ATTRIBUTE in frame and relation.table.calendar != "none"
            and len(frame)):
        inside = _YearLookup(frame[YEAR_ATTRIBUTE]).inside(relation.years)
        if not inside.all():
            frame = frame.take(inside)
    rows = len(frame)
    plan = fill_plan(relation, seed)
    if not rows:  # (no draw to make: every column draws from a stream of its own)
        return _empty_batch(plan.schema)
    nulls = _OutsideYears(relation, plan, frame)
    arrays: list[pa.Array | None] = [None] * len(relation.columns)
    uniforms = keyed_uniforms(plan.keys, block, rows)
    row_of = {index: k for k, index in enumerate(plan.random)}
    for index, key in plan.per if rows else ():
        uniforms[row_of[index]] = value_uniforms(
            key, [split_nulls(frame[name])[0] for name in relation.columns[index].spec.fill.per])
    if plan.text_pool is not None:
        picks = plan.text_codes.picks(uniforms[[row_of[i] for i in plan.text_codes.columns]])
        for index, row in zip(plan.text_codes.columns, picks, strict=True):
            arrays[index] = plan.text_pool.take(_masked_indices(row, nulls(index)))
    numeric: list[tuple[int, np.ndarray]] = []
    if plan.numeric_codes.columns:
        picks = plan.numeric_codes.picks(
            uniforms[[row_of[i] for i in plan.numeric_codes.columns]])
        numeric.extend(zip(plan.numeric_codes.columns, plan.numeric_pool[picks], strict=True))
    for index, low, high in plan.ranges:
        numeric.append((index, _in_range(relation.columns[index].spec, uniforms[row_of[index]],
                                         low, high)))
    for index, array in _numeric_arrays(relation, numeric, nulls):
        arrays[index] = array
    columns: list[tuple[int, object]] = []  # (column, values) converted below
    for name, indices in plan.batched.items():
        results = BATCHED_DERIVATIONS[name](frame, relation,
                                            [relation.columns[i] for i in indices],
                                            uniforms[[row_of[i] for i in indices]])
        columns.extend(zip(indices, results, strict=True))
    columns.extend((index, frame[name] if rows else np.zeros(0))
                   for index, name, _ in plan.attributes)
    columns.extend((index, _values(relation, relation.columns[index], frame, rows, seed, block))
                   for index in plan.single)
    for index, array in _column_arrays(relation, plan, columns, rows, nulls):
        arrays[index] = array
    empty: dict[pa.DataType, pa.Array] = {}
    for index in plan.empty:
        arrays[index] = _shared_nulls(empty, rows, relation.columns[index].spec.type)
    return pa.RecordBatch.from_arrays(arrays, schema=plan.schema)


def _empty_batch(schema: pa.Schema) -> pa.RecordBatch:
    """A relation's batch without rows. Made from its schema, not column by column: a small
    run's block has many views without a row (a year no person reached, the exclusions of
    a hundred pupils), and converting their thousands of columns one by one, each through
    :func:`to_arrow`'s slow path (a group needs rows), was about half of a 100-person run's
    work in building batches."""
    empty: dict[pa.DataType, pa.Array] = {}  # (one per type: an array costs 30 us)
    return pa.RecordBatch.from_arrays(
        [empty[t] if t in empty else empty.setdefault(t, pa.array([], type=t))
         for t in schema.types], schema=schema)


def _shared_nulls(shared: dict[pa.DataType, pa.Array], rows: int,
                  sql_type: SqlType) -> pa.Array:
    """``rows`` NULLs of the type, one array per type shared by the columns of a batch (what
    :func:`to_arrow` makes of a column NULL in every row)."""
    target = sql_type.arrow_type()
    if target not in shared:
        shared[target] = pa.nulls(rows, target)
    return shared[target]


_GROUPED = {"integer": "iuf", "float": "iufb", "date": "M", "datetime": "M", "string": "USiu"}
"""Per SQL kind, the numpy kinds of values converted in groups (:func:`_column_arrays`)."""


def _column_arrays(relation: Relation, plan: FillPlan, columns: list[tuple[int, object]],
                   rows: int, nulls: _OutsideYears) -> list[tuple[int, pa.Array]]:
    """Arrow arrays of columns from their values (attributes, constants, derivations). The
    numpy values of integer, float, date and text columns (nearly all of a relation's
    columns) are converted in groups of one Arrow type and numpy type (text: of any
    width), each group at once (:data:`_GROUP_CONVERSIONS`); the others one by one
    (:func:`to_arrow`). Either way a column's array is the one to_arrow makes of it: a
    conversion costs some microseconds a column in Python, and a block has 19,000."""
    out: list[tuple[int, pa.Array]] = []
    groups: dict[tuple, list[tuple[int, np.ndarray, np.ndarray | None]]] = {}
    empty: dict[pa.DataType, pa.Array] = {}  # (one all-NULL array per type, shared)
    partial = nulls.partial_years if nulls.years is not None else None  # (most: no view)
    for index, values in columns:
        null = nulls(index) if partial is not None and partial[index] is not None else None
        grouped = plan.groups[index]
        member = _group_member(values, rows, null, grouped[1]) if grouped is not None else None
        if member is not None:  # (a group tells the columns all NULL by its masks)
            dtype = member[0].dtype  # (text of any width together; integers as text apart)
            key = (grouped[0], dtype if grouped[2] or dtype.kind in "iu" else None)
            groups.setdefault(key, []).append((index, *member))
        # A mask NULL in every row, e.g. the unused slots of a wide table (its first value
        # read first: most masks are not, and all() costs more than the call of item()).
        elif (null is None and type(values) is Masked and rows and len(values.values) == rows
                and type(values.null) is np.ndarray and values.null.item(0)
                and values.null.all()):
            out.append((index, _shared_nulls(empty, rows, relation.columns[index].spec.type)))
        else:
            out.append((index, _convert(relation, index, values, rows, null)))
    for (group, dtype), members in groups.items():
        kind = plan.group_types[group][0]
        convert = (_integer_text_group if kind == "string" and dtype is not None
                   else _GROUP_CONVERSIONS[kind])
        out.extend(convert(relation, members, rows))
    return out


def _group_member(values: object, rows: int, null: np.ndarray | None,
                  dtype_kinds: str) -> tuple[np.ndarray, np.ndarray | None] | None:
    """A column's numpy values (plain or Masked, of one of ``dtype_kinds``, one per row) and
    its NULL mask (theirs and ``null``) as :func:`to_arrow` reads them; None for other values
    (left to :func:`to_arrow`)."""
    if type(values) is Masked:
        data, mask = values
        if type(mask) is not np.ndarray or mask.dtype != bool or len(mask) != rows:
            return None
        mask = mask if null is None else (null | mask)
    else:
        data, mask = values, null
    if (type(data) is not np.ndarray or data.dtype.kind not in dtype_kinds or data.ndim != 1
            or len(data) != rows or not rows):
        return None
    return data, mask


_Member = tuple[int, np.ndarray, np.ndarray | None]
"""A column of a group: its index, numpy values and NULL mask (None: none NULL)."""


def _integer_group(relation: Relation, members: list[_Member],
                   rows: int) -> list[tuple[int, pa.Array]]:
    """Integer columns of one width from numbers of one numpy type, NULL where their masks
    say: the arrays :func:`to_arrow` makes of each (NaN is NULL, floats rounded), made from one
    range check and one conversion of all of them (a column out of range raises its own
    error; a column all NULL is checked for nothing, as there)."""
    sql_type = relation.columns[members[0][0]].spec.type
    bits = sql_type.integer_bits
    matrix, masks = _without_nan(_stacked([values for _, values, _ in members], rows),
                                 [mask for _, _, mask in members])
    if matrix.dtype.kind == "f":
        matrix = np.rint(matrix)
    if bits < 64:
        limit = 2 ** (bits - 1)
        bad = (matrix.min(axis=1) < -limit) | (matrix.max(axis=1) >= limit)
        for (index, values, mask), wrong in zip(members, bad, strict=True):
            if wrong and not (mask is not None and mask.all()):
                _convert(relation, index, values, rows, None)  # raises the column's error
    arrays = _fixed_width_arrays(sql_type.arrow_type(), matrix.astype(_INT_DTYPES[bits]),
                                 masks, rows)
    return [(index, array) for (index, _, _), array in zip(members, arrays, strict=True)]


def _float_group(relation: Relation, members: list[_Member],
                 rows: int) -> list[tuple[int, pa.Array]]:
    """Float columns from numbers of one numpy type, NULL where their masks say: the arrays
    :func:`to_arrow` makes of each (NaN is NULL, -0.0 is 0.0), from one conversion."""
    matrix, masks = _without_nan(
        _stacked([values for _, values, _ in members], rows).astype(float),
        [mask for _, _, mask in members])
    arrays = _fixed_width_arrays(pa.float64(), matrix + 0.0, masks, rows)
    return [(index, array) for (index, _, _), array in zip(members, arrays, strict=True)]


def _without_nan(matrix: np.ndarray,
                 masks: list[np.ndarray | None]) -> tuple[np.ndarray, list[np.ndarray | None]]:
    """Rows of numbers with NaN made 0 and NULL in their masks, as :func:`to_arrow` reads NaN
    (integers: unchanged)."""
    if matrix.dtype.kind != "f":
        return matrix, masks
    matrix = matrix.astype(float, copy=False)
    nan = np.isnan(matrix)
    if nan.any():
        masks = [row if mask is None else (mask | row) if row.any() else mask
                 for mask, row in zip(masks, nan, strict=True)]
        matrix = np.where(nan, 0, matrix)
    return matrix, masks


def _temporal_group(relation: Relation, members: list[_Member],
                    rows: int) -> list[tuple[int, pa.Array]]:
    """Date or timestamp columns from numpy datetimes of one unit, NULL where their masks
    say: the arrays :func:`to_arrow` makes of each (:func:`_temporal`), from one conversion
    of their integers; a column holding NaT is converted alone (pyarrow reads NaT itself)."""
    target = relation.columns[members[0][0]].spec.type.arrow_type()
    unit = "datetime64[D]" if target == pa.date32() else "datetime64[s]"
    matrix = _stacked([values for _, values, _ in members], rows).astype(unit, copy=False)
    nat = np.isnat(matrix).any(axis=1).tolist()
    if any(nat):
        kept = [k for k, found in enumerate(nat) if not found]
        return [*((index, _convert(relation, index, values, rows, mask))
                  for (index, values, mask), found in zip(members, nat, strict=True) if found),
                *(_temporal_group(relation, [members[k] for k in kept], rows) if kept else [])]
    ints = matrix.view(np.int64).astype(np.int32 if target == pa.date32() else np.int64)
    arrays = _fixed_width_arrays(target, ints, [mask for _, _, mask in members], rows)
    return [(index, array) for (index, _, _), array in zip(members, arrays, strict=True)]


def _fixed_width_arrays(target: pa.DataType, matrix: np.ndarray,
                        masks: list[np.ndarray | None], rows: int) -> list[pa.Array]:
    """Per row of ``matrix`` (its values as Arrow holds them, C order), the array of
    ``target``, NULL where its mask says: its values a slice of one buffer for all (a
    buffer of each row's own costs a microsecond more); a column all NULL is NULLs."""
    data, size = pa.py_buffer(matrix), matrix.shape[1] * matrix.itemsize
    nulls: pa.Array | None = None  # (one for all, as pa.nulls would be)
    out = []
    for k, valid in enumerate(_validities(masks, rows)):
        if valid is False:  # e.g. the unused slots of a wide table
            nulls = nulls or pa.nulls(rows, target)
            out.append(nulls)
        else:
            out.append(pa.Array.from_buffers(target, rows, [valid, data.slice(k * size, size)]))
    return out


_TEXT_GROUP_CHARS = 2**22
"""Characters converted at most in one pass of :func:`_ascii_columns` (bounds its copies of
them; a larger pass would save nothing more per column)."""

_TextMember = tuple[int, np.ndarray, np.ndarray | None, pa.Buffer | None]
"""A text column of a group: its index, fixed-width numpy text, NULL mask and validity bits."""


def _text_group(relation: Relation, members: list[_Member],
                rows: int) -> list[tuple[int, pa.Array]]:
    """Text columns from fixed-width numpy text ('U' or 'S'), NULL where their masks say:
    the arrays :func:`to_arrow` makes of each. A column all NULL is NULLs of its type (its
    values unread, as there); the ASCII columns up to :data:`_ASCII_WIDTH` characters wide
    are converted in passes over many at once (:func:`_ascii_columns`: the work of
    :func:`_ascii_strings` without most of its cost per column); any other column, or one
    holding a NUL inside a value, is converted alone (:func:`to_arrow`)."""
    out: list[tuple[int, pa.Array]] = []
    nulls: pa.Array | None = None  # (one all-NULL array for all, as pa.nulls would be)
    batch: list[_TextMember] = []
    size = 0
    validities = _validities([mask for _, _, mask in members], rows)
    for (index, values, mask), valid in zip(members, validities, strict=True):
        width = _text_width(values)
        if valid is False:
            nulls = nulls or pa.nulls(rows, pa.string())
            out.append((index, nulls))
        elif not width or width > _ASCII_WIDTH or not values.dtype.isnative:
            out.append((index, _convert(relation, index, values, rows, mask)))
        else:
            if batch and size + width * rows > _TEXT_GROUP_CHARS:
                out.extend(_ascii_or_alone(relation, batch, rows))
                batch, size = [], 0
            batch.append((index, values, mask, valid))
            size += width * rows
    if batch:
        out.extend(_ascii_or_alone(relation, batch, rows))
    return out


def _text_width(values: np.ndarray) -> int:
    """Characters per value of fixed-width numpy text."""
    return values.dtype.itemsize // 4 if values.dtype.kind == "U" else values.dtype.itemsize


def _ascii_or_alone(relation: Relation, batch: list[_TextMember],
                    rows: int) -> list[tuple[int, pa.Array]]:
    """:func:`_ascii_columns` of the columns, those it cannot convert converted alone."""
    arrays = _ascii_columns(batch, rows)
    return [(index, array if array is not None
             else _convert(relation, index, values, rows, mask))
            for (index, values, mask, _), array in zip(batch, arrays, strict=True)]


def _ascii_columns(columns: list[_TextMember], rows: int) -> list[pa.StringArray | None]:
    """Fixed-width numpy text columns (``rows`` values each, native, 1 to :data:`_ASCII_WIDTH`
    characters wide) as Arrow text: per column the array :func:`_ascii_strings` makes of it,
    or None when a value is not ASCII or holds a NUL before its end (pyarrow ends it there).

    The characters of each column are checked, and all narrowed to bytes at once. A column
    with neither NULL nor NUL (most: codes fill their width) is then its slice of those
    bytes, at offsets shared by the columns of its width; the others are cut in one pass
    (:func:`_trimmed_columns`). Each column has buffers of its own, at offset 0
    (``Array.slice`` of one array for all would keep the quirks off their fast path)."""
    chars = [np.ascontiguousarray(values).view(np.uint32 if values.dtype.kind == "U"
                                               else np.uint8) for _, values, _, _ in columns]
    bounds = np.cumsum([0, *(len(c) for c in chars)])
    # (each column's widest character read in place, and the characters narrowed to bytes as
    # they are joined: a wide copy of all the 'U' text first cost a third more)
    ascii_ = np.array([c.max() < 128 for c in chars])
    out: list[pa.StringArray | None] = [None] * len(columns)
    if not ascii_.all():  # (rare: the ASCII ones alone)
        kept = np.flatnonzero(ascii_).tolist()
        for k, array in zip(kept, _ascii_columns([columns[k] for k in kept], rows) if kept
                            else [], strict=True):
            out[k] = array
        return out
    data = np.concatenate(chars, dtype=np.uint8, casting="unsafe")
    full = (np.minimum.reduceat(data, bounds[:-1]) > 0).tolist()  # (no NUL: full width)
    buffer = pa.py_buffer(data)
    offsets: dict[int, pa.Buffer] = {}  # per width
    rest = []
    for k, (_, values, _, valid) in enumerate(columns):
        if full[k] and valid is None:
            width = _text_width(values)
            if width not in offsets:
                offsets[width] = pa.py_buffer(np.arange(0, (rows + 1) * width, width,
                                                        dtype=np.int32))
            out[k] = pa.StringArray.from_buffers(
                rows, offsets[width], buffer.slice(int(bounds[k]), rows * width))
        else:
            rest.append(k)
    if rest:
        for k, array in zip(rest, _trimmed_columns(
                [(data[bounds[k]:bounds[k + 1]], columns[k][2], columns[k][3]) for k in rest],
                rows), strict=True):
            out[k] = array
    return out


def _trimmed_columns(columns: list[tuple[np.ndarray, np.ndarray | None, pa.Buffer | None]],
                     rows: int) -> list[pa.StringArray | None]:
    """:func:`_trimmed_text` of several columns (their fixed-width ASCII bytes, NULL masks and
    validity bits) in one pass: their values laid end to end, each cut by Arrow, and each
    column's bytes and offsets (from 0) then taken out; None for a column holding a NUL
    inside a value."""
    count = len(columns) * rows
    widths = np.array([len(data) // rows for data, _, _ in columns], dtype=np.int32)
    offsets = np.zeros(count + 1, dtype=np.int32)  # value j of column k: k's start + j * width
    starts = np.cumsum(widths * rows, dtype=np.int32) - widths * rows
    np.add(np.arange(1, rows + 1, dtype=np.int32) * widths[:, None], starts[:, None],
           out=offsets[1:].reshape(len(columns), rows))
    null = _joined_mask([mask for _, mask, _ in columns], rows)
    padded = pa.StringArray.from_buffers(
        count, pa.py_buffer(offsets), pa.py_buffer(np.concatenate([d for d, _, _ in columns])),
        *_validity(null))
    text = _rtrim_nuls(padded)
    bad = _columns_with_nul(text.buffers()[2], _column_bounds(text, rows))
    arrays = _split_text(text, [valid for _, _, valid in columns], rows)
    return [None if k in bad else array for k, array in enumerate(arrays)]


def _integer_text_group(relation: Relation, members: list[_Member],
                        rows: int) -> list[tuple[int, pa.Array]]:
    """Text columns from integers of one numpy type, NULL where their masks say: the arrays
    :func:`to_arrow` makes of each (Arrow writes an integer as str() does), from one Arrow
    cast of all of them (a cast costs about 15 us a call in Python)."""
    validities = _validities([mask for _, _, mask in members], rows)
    kept = [k for k, valid in enumerate(validities) if valid is not False]
    nulls = pa.nulls(rows, pa.string())  # (one for the columns all NULL)
    out: list[tuple[int, pa.Array]] = [(members[k][0], nulls)
                                       for k, valid in enumerate(validities) if valid is False]
    if kept:
        null = _joined_mask([members[k][2] for k in kept], rows)
        numbers = _stacked([members[k][1] for k in kept], rows).ravel()
        text = pa.array(numbers, mask=null).cast(pa.string())
        out.extend(zip([members[k][0] for k in kept],
                       _split_text(text, [validities[k] for k in kept], rows), strict=True))
    return out


def _joined_mask(masks: list[np.ndarray | None], rows: int) -> np.ndarray | None:
    """The NULL masks of columns of ``rows`` values one after another (None: none NULL)."""
    if all(mask is None for mask in masks):
        return None
    return np.concatenate([np.zeros(rows, dtype=bool) if mask is None else mask
                           for mask in masks])


def _column_bounds(text: pa.StringArray, rows: int) -> list[int]:
    """Where the bytes of each column of ``rows`` values start in text of several columns
    one after another, and where the last ends."""
    return np.frombuffer(text.buffers()[1], dtype=np.int32,
                         count=len(text) + 1)[::rows].tolist()


def _split_text(text: pa.StringArray, validities: list[pa.Buffer | None],
                rows: int) -> list[pa.StringArray]:
    """Text of several columns of ``rows`` values one after another (at offset 0), as an array
    per column with the column's validity bits: its bytes a slice of the text's, its offsets
    its own, from 0 (a column at offset 0, as the quirks' fast path wants)."""
    count = len(text)
    _, offset_buffer, data = text.buffers()
    ends = np.frombuffer(offset_buffer, dtype=np.int32, count=count + 1)
    bounds = ends[::rows].tolist()  # each column's first byte, and the end
    at = np.arange(rows + 1) + np.arange(0, count, rows)[:, None]
    own = pa.py_buffer(ends[at] - ends[at[:, 0]][:, None])
    data = data if data is not None else pa.py_buffer(b"")
    size = (rows + 1) * 4
    return [pa.StringArray.from_buffers(rows, own.slice(k * size, size),
                                        data.slice(bounds[k], bounds[k + 1] - bounds[k]), valid)
            for k, valid in enumerate(validities)]


_GROUP_CONVERSIONS = {"integer": _integer_group, "float": _float_group,
                      "date": _temporal_group, "datetime": _temporal_group, "string": _text_group}
"""Per SQL kind of :data:`_GROUPED`, the conversion of a group of its columns."""


def _rtrim_nuls(padded: pa.StringArray) -> pa.StringArray:
    """Fixed-width text cut before each value's trailing NULs (as numpy reads it), NULL slots
    empty (as pyarrow makes them), by Arrow in C."""
    import pyarrow.compute as pc

    return pc.ascii_rtrim(padded, characters="\x00")


def _columns_with_nul(data: pa.Buffer | None, bounds: list[int]) -> set[int]:
    """The columns (their bytes from ``bounds[k]`` to ``bounds[k + 1]``) holding a NUL: in
    a value, as trimmed text holds NUL only there (the bytes counted first: most hold none)."""
    end = bounds[-1]
    if not end:
        return set()
    chars = np.frombuffer(data, dtype=np.uint8, count=end)
    if np.count_nonzero(chars) == end:
        return set()
    found = np.searchsorted(bounds, np.flatnonzero(chars == 0), side="right") - 1
    return set(found.tolist())


def _validities(masks: list[np.ndarray | None], rows: int) -> list[pa.Buffer | bool | None]:
    """Per NULL mask (True = NULL) of ``rows`` values: None when none is NULL, False when all
    are, else the validity bits; counted and packed for all masks at once (a column's own
    bits are those of its row: rows pack to whole bytes each), in one buffer sliced per
    column (a buffer of each row's own costs a microsecond more)."""
    out: list[pa.Buffer | bool | None] = [None] * len(masks)
    masked = [k for k, mask in enumerate(masks) if mask is not None]
    if not masked:
        return out
    stacked = _stacked([masks[k] for k in masked], rows)
    counts = np.add.reduce(stacked.view(np.uint8), axis=1, dtype=np.int64)
    packed = np.packbits(~stacked, axis=1, bitorder="little")
    bits, size = pa.py_buffer(packed), packed.shape[1]
    for j, (k, count) in enumerate(zip(masked, counts.tolist(), strict=True)):
        out[k] = None if not count else False if count == rows else bits.slice(j * size, size)
    return out


def _stacked(arrays: list[np.ndarray], rows: int) -> np.ndarray:
    """``np.stack`` of 1-d arrays of ``rows`` values, by one concatenation (np.stack costs
    about 0.7 us an array in Python, a quarter of a column's conversion)."""
    return np.concatenate(arrays).reshape(len(arrays), rows)


class _OutsideYears:
    """Per column of a multi-year view: the rows outside the column's years (None: none)."""

    def __init__(self, relation: Relation, plan: FillPlan, frame: Frame):
        self.partial_years = plan.partial_years
        self.years = (frame[YEAR_ATTRIBUTE] if relation.year is None and YEAR_ATTRIBUTE in frame
                      else None)
        self.lookup: _YearLookup | None = None
        self.masks: dict[frozenset[int], np.ndarray | None] = {}  # columns share a few sets

    def __call__(self, index: int) -> np.ndarray | None:
        years = self.partial_years[index]
        if self.years is None or years is None:
            return None
        if years not in self.masks:
            if self.lookup is None:
                self.lookup = _YearLookup(self.years)
            mask = ~self.lookup.inside(years)
            self.masks[years] = mask if mask.any() else None
        return self.masks[years]


class _YearLookup:
    """Which rows' years lie in a set of years: a table over the rows' span of years, read at
    each row's offset in it (the offsets worked out once; np.isin sorts for every set)."""

    _SPAN = 10_000
    """(Years spanning more, or not integers, are looked up by np.isin.)"""

    def __init__(self, years: np.ndarray):
        self.years = years
        self.low = int(years.min()) if len(years) and years.dtype.kind in "iu" else 0
        self.offsets = years - self.low if len(years) and years.dtype.kind in "iu" else None
        self.span = int(self.offsets.max()) + 1 if self.offsets is not None else 0
        if self.span > self._SPAN:
            self.offsets = None

    def inside(self, chosen: frozenset[int]) -> np.ndarray:
        if self.offsets is None:
            return np.isin(self.years, np.fromiter(chosen, dtype=np.int64))
        table = np.zeros(self.span, dtype=bool)
        at = np.fromiter(chosen, dtype=np.int64) - self.low
        table[at[(at >= 0) & (at < self.span)]] = True
        return table[self.offsets]


def _numeric_arrays(relation: Relation, drawn: list[tuple[int, np.ndarray]],
                    nulls: _OutsideYears) -> list[tuple[int, pa.Array]]:
    """Arrow arrays of drawn numeric columns, converted per type for all columns at once
    (their values are in range by construction: the plan checked the codes and ranges)."""
    by_type: dict[pa.DataType, list[tuple[int, np.ndarray]]] = {}
    for index, values in drawn:
        by_type.setdefault(relation.columns[index].spec.type.arrow_type(), []).append(
            (index, values))
    out = []
    for target, members in by_type.items():
        if pa.types.is_integer(target) or pa.types.is_floating(target):
            matrix = _stacked([values for _, values in members], len(members[0][1]))
            if pa.types.is_integer(target):
                matrix = np.rint(matrix).astype(target.to_pandas_dtype())
            else:
                matrix = matrix + 0.0  # no -0.0 (databases keep no signed zero)
            out.extend((index, pa.array(row, type=target, mask=nulls(index)))
                       for (index, _), row in zip(members, matrix, strict=True))
        else:
            out.extend((index, _convert(relation, index, values, len(values), nulls(index)))
                       for index, values in members)
    return out


def _masked_indices(indices: np.ndarray, null: np.ndarray | None) -> np.ndarray | pa.Array:
    """Indices for a ``take``; NULL where ``null`` (a take of a NULL index is NULL)."""
    return indices if null is None else pa.array(indices, mask=null)


def _in_range(spec: ColumnSpec, uniforms: np.ndarray, low: float, high: float) -> np.ndarray:
    """Uniform values in the column's range: integers low..high, else rounded to cents."""
    if spec.type.kind == "integer":
        return np.minimum(low + np.floor(uniforms * (high - low + 1)), high)
    return np.round(low + uniforms * (high - low), 2)


def _convert(relation: Relation, index: int, values: object, rows: int,
             null: np.ndarray | None) -> pa.Array:
    col = relation.columns[index]
    try:
        return to_arrow(values, col.spec.type, rows, null)
    except (ValueError, TypeError, pa.ArrowException) as exc:
        raise type(exc)(f"{relation.name}.{col.name} ({col.spec.type}): {exc}") from exc


class _LazyStream:
    """A column's random stream, made on first use (most derivations draw nothing, and making
    a generator costs more than many derivations)."""

    __slots__ = ("_args", "_generator")

    def __init__(self, seed: int, name: str, block: int):
        self._args = (seed, name, block)
        self._generator: np.random.Generator | None = None

    def __getattr__(self, name: str) -> object:
        if self._generator is None:
            self._generator = stream(*self._args)
        return getattr(self._generator, name)


def _values(relation: Relation, col: RelationColumn, frame: Frame, rows: int, seed: int,
            block: int) -> object:
    """The values of a constant or derived column (``FillPlan.single``)."""
    fill = col.spec.fill
    if fill.kind == "const":
        return np.full(rows, fill.value)
    rng = _LazyStream(seed, f"fill:{relation.name}:{col.vrf_name}", block)
    return DERIVATIONS[fill.derive](frame, relation, col, rng, dict(fill.params))


def storable_codes(spec: ColumnSpec) -> list[str]:
    """The column's codes that its type can hold (a numeric column ignores codes such as the
    VRF's 'E = Entry level' listed for an int field)."""
    if spec.type.kind not in ("integer", "float", "decimal"):
        return list(spec.code_values)
    out = []
    for code in spec.code_values:
        try:
            float(code)
        except ValueError:
            continue
        out.append(code)
    return out


def default_weights(codes: list[str]) -> list[float]:
    """Weights for a draw without spec weights: yes/no flags are mostly 'no', other code
    lists favour their first codes (codes are listed most common first more often than not)."""
    lowered = [c.lower() for c in codes]
    if sorted(lowered) in (["0", "1"], ["n", "y"], ["false", "true"], ["f", "t"]):
        return [0.85 if c in ("0", "n", "false", "f") else 0.15 for c in lowered]
    return [0.7**i for i in range(len(codes))]


def to_arrow(values: object, sql_type: SqlType, rows: int,
             nulls: np.ndarray | None = None) -> pa.Array:
    """Convert attribute values (numpy, Masked or Arrow) to the Arrow type of a SQL type;
    NULL also where ``nulls`` is True."""
    target = sql_type.arrow_type()
    if isinstance(values, pa.Array | pa.ChunkedArray):
        array = values.cast(target) if values.type != target else values
        return array if nulls is None else _null_where(array, nulls)
    null = nulls
    if isinstance(values, Masked):
        null = np.asarray(values.null, dtype=bool) if null is None else (null | values.null)
        values = np.asarray(values.values)
    values = np.asarray(values)
    if len(values) != rows:
        raise ValueError(f"attribute has {len(values)} rows, relation has {rows}")
    if null is not None and rows and null.item(0) and null.all():  # e.g. a wide table's slots
        return pa.nulls(rows, target)
    kind = sql_type.kind
    if kind == "string":
        array = _strings(values, null)
    elif kind == "date":
        array = _temporal(values.astype("datetime64[D]", copy=False), pa.date32(), null)
    elif kind == "datetime":
        array = _temporal(values.astype("datetime64[s]", copy=False), target, null)
    elif kind in ("integer", "decimal", "float"):
        if values.dtype.kind == "O":  # e.g. numbers or numeric text with None for missing
            numeric = _object_numbers(values)
        elif values.dtype.kind in "US":
            numeric = _text_numbers(values)
        elif values.dtype.kind in "fb":
            numeric = values.astype(float)
        else:
            numeric = values
        if numeric.dtype.kind == "f":
            nan = np.isnan(numeric)
            null = nan if null is None else (null | nan)
            numeric = np.where(nan, 0, numeric)
        if kind == "integer":
            array = pa.array(_integers(numeric, sql_type.integer_bits), mask=null)
        elif kind == "decimal":
            array = pa.array(numeric.astype(float), mask=null).cast(target, safe=False)
        else:  # + 0.0 turns -0.0 into 0.0: SQLite and PostgreSQL keep no signed zero
            array = pa.array(numeric.astype(float) + 0.0, mask=null)
    else:  # pragma: no cover - parse_sql_type only produces the kinds above
        raise TypeError(kind)
    return array


def _temporal(values: np.ndarray, target: pa.DataType, null: np.ndarray | None) -> pa.Array:
    """numpy dates (datetime64[D]) or times (datetime64[s]) as Arrow dates or timestamps, built
    from their integers (days or seconds since the epoch, as Arrow holds them): pyarrow
    converts datetime64 value by value."""
    if np.isnat(values).any():  # pyarrow's own reading of NaT (NULL; unmasked by a mask)
        return pa.array(values, type=target, mask=null)
    ints = values.view(np.int64).astype(np.int32 if target == pa.date32() else np.int64)
    return pa.Array.from_buffers(target, len(values), [*_validity(null), pa.py_buffer(ints)])


def _validity(null: np.ndarray | None) -> tuple[pa.Buffer | None]:
    """The validity buffer of an array NULL where ``null`` is True (None: no NULL)."""
    return (None if null is None else pa.py_buffer(np.packbits(~null, bitorder="little")),)


WHOLE_NUMBER_TEXT = r"^[+-]?[0-9]{1,15}$"


def _object_numbers(values: np.ndarray) -> np.ndarray:
    """Objects (numbers, numeric text, None) as floats, NaN for None and anything not a number,
    as pandas' ``to_numeric(errors="coerce")`` reads them. Arrow converts what it reads the
    same (numbers a float holds exactly, text of whole numbers) without importing pandas;
    pandas reads the rest (decimal text, which it parses its own way; mixed objects)."""
    try:
        array = pa.array(values, from_pandas=True)  # one type for all, or an error
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        array = None
    if array is not None and (_plain_numbers(array.type) or _whole_number_text(array)):
        with contextlib.suppress(pa.ArrowInvalid):  # an integer a float cannot hold exactly
            return array.cast(pa.float64()).to_numpy(zero_copy_only=False)
    import pandas as pd

    return pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float)


def _text_numbers(values: np.ndarray) -> np.ndarray:
    """numpy text as floats, as ``values.astype(float)`` reads it. Text of whole numbers only
    (:func:`_whole_number_text`: exact in a float however parsed) is read by Arrow in one
    pass (numpy parses value by value, as Python does: about 0.5 us a value); anything else
    is left to numpy."""
    with contextlib.suppress(pa.ArrowInvalid):  # (e.g. bytes that are not UTF-8)
        text = _strings(values, None)
        if _whole_number_text(text):
            return text.cast(pa.float64()).to_numpy(zero_copy_only=False)
    return values.astype(float)


def _plain_numbers(t: pa.DataType) -> bool:
    return (pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_boolean(t)
            or pa.types.is_null(t))


def _whole_number_text(array: pa.Array) -> bool:
    """Text of whole numbers only (up to 15 digits: exact in a float however parsed)."""
    import pyarrow.compute as pc

    if not pa.types.is_string(array.type):
        return False
    matched = pc.all(pc.match_substring_regex(array, WHOLE_NUMBER_TEXT)).as_py()
    return matched is not False  # None: only NULLs


_INT_DTYPES = {8: np.int8, 16: np.int16, 32: np.int32, 64: np.int64}


def _integers(values: np.ndarray, bits: int) -> np.ndarray:
    """Values as integers of the column's width; out-of-range values are an error, not a wrap."""
    ints = values if values.dtype.kind in "iu" else np.rint(values)
    if bits < 64 and len(ints):
        limit = 2 ** (bits - 1)
        if ints.min() < -limit or ints.max() >= limit:
            raise ValueError(f"value outside the range of a {bits}-bit integer column")
    return ints.astype(_INT_DTYPES[bits])


def _strings(values: np.ndarray, null: np.ndarray | None) -> pa.Array:
    if values.dtype.kind in "US" and (ascii_text := _ascii_strings(values, null)) is not None:
        return ascii_text
    if values.dtype.kind == "S":
        return pa.array(values, type=pa.binary(), mask=null).cast(pa.string())
    if values.dtype.kind == "U":
        return pa.array(values, type=pa.string(), mask=null)
    if values.dtype.kind == "O":
        return pa.array(values, type=pa.string(), mask=null, from_pandas=True)
    if values.dtype.kind in "iu":  # Arrow writes integers as str() does, without numpy's copy
        return pa.array(values, mask=null).cast(pa.string())
    if values.dtype.kind == "f" and values.ndim == 1:  # (grades, scores: few distinct values)
        text, inverse = distinct_text(values)  # each formatted once, as astype(str) does
        return pa.array(text, type=pa.string()).take(_masked_indices(inverse, null))
    text = values.astype(str)
    return pa.array(text, type=pa.string(), mask=null)


_ASCII_WIDTH = 32
"""The widest text converted by :func:`_ascii_strings`: its work grows with the width, pyarrow's
with the values' own lengths (long free text is mostly shorter than its width, or NULL)."""


_ASCII_GATHER_ROWS = 1000
"""Fewer values than this are left to pyarrow when they must be cut (NULLs, or values shorter
than the width): cutting them costs more than pyarrow's conversion of so few."""


def _ascii_strings(values: np.ndarray, null: np.ndarray | None) -> pa.StringArray | None:
    """Fixed-width numpy text ('U' or 'S') as an Arrow string array built from its buffers,
    when every character is ASCII and no value holds a NUL before its end (None otherwise).

    pyarrow converts such arrays value by value (a 'U' array at about 60 ns a value, the
    codes of a code list included); here the characters are narrowed to bytes and the values
    cut to their length by Arrow (:func:`_trimmed_text`), giving the same array, NUL-free
    text being what pyarrow makes too (it ends a value at its first NUL)."""
    count = len(values)
    wide = values.dtype.kind == "U"
    width = values.dtype.itemsize // 4 if wide else values.dtype.itemsize
    if (not count or not width or width > _ASCII_WIDTH or not values.dtype.isnative
            or (null is not None and count < _ASCII_GATHER_ROWS)):
        return None
    chars = np.ascontiguousarray(values).view(np.uint32 if wide else np.uint8)
    if chars.max() >= 128:
        return None
    data = chars.astype(np.uint8, copy=False)
    filled = np.count_nonzero(data)
    if filled == data.size and null is None:  # all values full width (codes often are)
        offsets = np.arange(0, (count + 1) * width, width, dtype=np.int32)
    elif count < _ASCII_GATHER_ROWS:
        return None
    else:
        return _trimmed_text(data, width, null)
    return pa.StringArray.from_buffers(count, pa.py_buffer(offsets), pa.py_buffer(data),
                                       *_validity(null))


def _trimmed_text(data: np.ndarray, width: int, null: np.ndarray | None) -> pa.StringArray | None:
    """Fixed-width ASCII bytes (``width`` a value) as Arrow text, each value cut before its
    trailing NULs (as numpy reads it) and NULL slots empty (as pyarrow makes them): the
    buffer read in place as text of the full width, cut by Arrow in C (a numpy gather of the
    bytes kept cost about three times as much); None when a value holds a NUL before its end
    (pyarrow would end it there)."""
    count = len(data) // width
    offsets = np.arange(0, (count + 1) * width, width, dtype=np.int32)
    padded = pa.StringArray.from_buffers(count, pa.py_buffer(offsets), pa.py_buffer(data),
                                         *_validity(null))
    text = _rtrim_nuls(padded)
    _, offsets, chars = text.buffers()
    end = int(np.frombuffer(offsets, dtype=np.int32)[len(text)])
    return None if _columns_with_nul(chars, [0, end]) else text


def _null_where(array: pa.Array, mask: np.ndarray) -> pa.Array:
    if not mask.any():
        return array
    import pyarrow.compute as pc

    return pc.if_else(pa.array(mask), pa.nulls(len(array), array.type), array)
