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
from leo_synth.spec.model import ColumnSpec, Relation, RelationColumn
from leo_synth.spec.physical import arrow_schema
from leo_synth.spec.types import SqlType


def build_batch(relation: Relation, frame: Frame, seed: int, block: int) -> pa.RecordBatch:
    """The relation's rows for one block, typed by the spec.

    In a multi-year view, rows whose ``_year`` lies outside the view's years are dropped (the
    view of an earlier iteration, or one era's view of a table split by era).
    """
    if (relation.year is None and YEAR_ATTRIBUTE in frame and relation.table.calendar != "none"
            and len(frame)):
        inside = np.isin(frame[YEAR_ATTRIBUTE], np.fromiter(relation.years, dtype=np.int64))
        if not inside.all():
            frame = frame.take(inside)
    rows = len(frame)
    arrays = []
    outside_years: dict[frozenset[int], np.ndarray] = {}  # columns share a few year sets
    for col in relation.columns:
        values = _values(relation, col, frame, rows, seed, block)
        try:
            array = to_arrow(values, col.spec.type, rows)
        except (ValueError, TypeError, pa.ArrowException) as exc:
            raise type(exc)(f"{relation.name}.{col.name} ({col.spec.type}): {exc}") from exc
        if relation.year is None and YEAR_ATTRIBUTE in frame and col.active_years != relation.years:
            years = frozenset(col.active_years)
            if years not in outside_years:
                outside_years[years] = ~np.isin(frame[YEAR_ATTRIBUTE],
                                                np.fromiter(years, dtype=np.int64))
            array = _null_where(array, outside_years[years])
        arrays.append(array)
    return pa.RecordBatch.from_arrays(arrays, schema=arrow_schema(relation))


def _values(relation: Relation, col: RelationColumn, frame: Frame, rows: int, seed: int,
            block: int) -> object:
    fill = col.spec.fill
    if fill.kind == "attr":
        return frame[col.attribute] if rows else np.zeros(0)
    if fill.kind == "const":
        return np.full(rows, fill.value)
    if fill.kind == "none":
        return pa.nulls(rows, col.spec.type.arrow_type())
    rng = stream(seed, f"fill:{relation.name}:{col.vrf_name}", block)
    if fill.kind == "draw":
        return draw(col, rows, rng)
    return DERIVATIONS[fill.derive](frame, relation, col, rng, dict(fill.params))


def draw(col: RelationColumn, rows: int, rng: np.random.Generator) -> np.ndarray:
    """Values from the column's code list (weighted or uniform) or numeric range."""
    spec = col.spec
    codes = storable_codes(spec)
    if codes:
        weights = spec.fill.weights or default_weights(codes)
        weights = np.asarray(weights[: len(codes)], dtype=float)
        picks = np.searchsorted(np.cumsum(weights / weights.sum()), rng.random(rows), side="right")
        pool = np.array(codes, dtype=float if spec.type.kind in ("integer", "float", "decimal")
                        else None)
        return pool[np.minimum(picks, len(codes) - 1)]
    if spec.value_range is None:  # only unstorable codes: the type's neutral value
        return np.zeros(rows)
    low, high = spec.value_range
    if spec.type.kind == "integer":
        return rng.integers(int(low), int(high) + 1, rows)
    return np.round(rng.uniform(low, high, rows), 2)


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
            array = pa.array(_integers(numeric, sql_type.integer_bits), mask=null)
        elif kind == "decimal":
            array = pa.array(numeric.astype(float), mask=null).cast(target, safe=False)
        else:
            array = pa.array(numeric.astype(float), mask=null)
    else:  # pragma: no cover - parse_sql_type only produces the kinds above
        raise TypeError(kind)
    return array


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
