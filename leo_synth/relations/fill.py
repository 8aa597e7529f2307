"""Turn a builder's attribute frame into an Arrow record batch, column by column, per the spec.

This is the one place where spec ``fill`` entries are interpreted: simulated attributes, draws
from a column's code list or range, constants, NULL-only columns and derivations. It also
enforces the populated-years rule for multi-year views (NULL outside a column's years).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from leo_synth.engine.rng import stream
from leo_synth.relations.derive import DERIVATIONS
from leo_synth.relations.registry import YEAR_ATTRIBUTE
from leo_synth.relations.values import Masked
from leo_synth.simulation.frame import Frame
from leo_synth.spec.model import Relation, RelationColumn
from leo_synth.spec.physical import arrow_schema
from leo_synth.spec.types import SqlType


def build_batch(relation: Relation, frame: Frame, seed: int, block: int) -> pa.RecordBatch:
    """The relation's rows for one block, typed by the spec."""
    rows = len(frame)
    arrays = []
    for col in relation.columns:
        values = _values(relation, col, frame, rows, seed, block)
        array = to_arrow(values, col.spec.type, rows)
        if relation.year is None and YEAR_ATTRIBUTE in frame and col.active_years != relation.years:
            outside = ~np.isin(frame[YEAR_ATTRIBUTE], np.fromiter(col.active_years, dtype=np.int64))
            array = _null_where(array, outside)
        arrays.append(array)
    return pa.RecordBatch.from_arrays(arrays, schema=arrow_schema(relation))


def _values(relation: Relation, col: RelationColumn, frame: Frame, rows: int, seed: int,
            block: int) -> object:
    fill = col.spec.fill
    if fill.kind == "attr":
        return frame[fill.attr] if rows else np.zeros(0)
    if fill.kind == "const":
        return np.full(rows, fill.value)
    if fill.kind == "none":
        return pa.nulls(rows, col.spec.type.arrow_type())
    rng = stream(seed, f"fill:{relation.name}:{col.name}", block)
    if fill.kind == "draw":
        return draw(col, rows, rng)
    return DERIVATIONS[fill.derive](frame, relation, col, rng, dict(fill.params))


def draw(col: RelationColumn, rows: int, rng: np.random.Generator) -> np.ndarray:
    """Values from the column's code list (weighted or uniform) or numeric range."""
    spec = col.spec
    if spec.codes:
        codes = np.array(spec.code_values)
        weights = np.array(spec.fill.weights or [1.0] * len(codes), dtype=float)
        picks = np.searchsorted(np.cumsum(weights / weights.sum()), rng.random(rows), side="right")
        values = codes[np.minimum(picks, len(codes) - 1)]
        if spec.type.kind in ("integer", "float", "decimal"):
            return values.astype(float)
        return values
    low, high = spec.value_range  # the loader guarantees codes or a range
    if spec.type.kind == "integer":
        return rng.integers(int(low), int(high) + 1, rows)
    return np.round(rng.uniform(low, high, rows), 2)


def to_arrow(values: object, sql_type: SqlType, rows: int) -> pa.Array:
    """Convert attribute values (numpy, Masked or Arrow) to the Arrow type of a SQL type."""
    target = sql_type.arrow_type()
    if isinstance(values, pa.Array | pa.ChunkedArray):
        return values.cast(target) if values.type != target else values
    null = None
    if isinstance(values, Masked):
        values, null = np.asarray(values.values), np.asarray(values.null, dtype=bool)
    values = np.asarray(values)
    if len(values) != rows:
        raise ValueError(f"attribute has {len(values)} rows, relation has {rows}")
    kind = sql_type.kind
    if kind == "string":
        array = _strings(values, null)
    elif kind == "date":
        array = pa.array(values.astype("datetime64[D]"), type=pa.date32(), mask=null)
    elif kind == "datetime":
        array = pa.array(values.astype("datetime64[s]"), type=target, mask=null)
    elif kind in ("integer", "decimal", "float"):
        if values.dtype.kind == "O":  # e.g. pandas results with None for missing
            numeric = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float)
        elif values.dtype.kind in "fbUS":
            numeric = values.astype(float)
        else:
            numeric = values
        if numeric.dtype.kind == "f":
            nan = np.isnan(numeric)
            null = nan if null is None else (null | nan)
            numeric = np.where(nan, 0, numeric)
        if kind == "integer":
            array = pa.array(np.rint(numeric).astype(np.int64), mask=null).cast(target)
        elif kind == "decimal":
            array = pa.array(numeric.astype(float), mask=null).cast(target, safe=False)
        else:
            array = pa.array(numeric.astype(float), mask=null)
    else:  # pragma: no cover - parse_sql_type only produces the kinds above
        raise TypeError(kind)
    return array


def _strings(values: np.ndarray, null: np.ndarray | None) -> pa.Array:
    if values.dtype.kind == "S":
        return pa.array(values, type=pa.binary(), mask=null).cast(pa.string())
    if values.dtype.kind == "U":
        return pa.array(values, type=pa.string(), mask=null)
    if values.dtype.kind == "O":
        return pa.array(values, type=pa.string(), mask=null, from_pandas=True)
    text = values.astype(str)
    return pa.array(text, type=pa.string(), mask=null)


def _null_where(array: pa.Array, mask: np.ndarray) -> pa.Array:
    if not mask.any():
        return array
    import pyarrow.compute as pc

    return pc.if_else(pa.array(mask), pa.nulls(len(array), array.type), array)
