"""Derivations: spec-level functions that compute a column from other row attributes.

Use ``fill: {derive: <name>, ...params}`` in a spec. Each derivation receives the builder's
frame, the relation and column, the column's random stream and the spec params.

A derivation that fills many columns of a relation the same way (an opaque code or a date per
column, thousands across the catalogue) may instead be registered as *batched*: it is called
once per relation and block with all of its columns and one row of uniform draws per column
(:func:`leo_synth.engine.rng.keyed_uniforms`), so its cost does not grow with the number of
columns. Either kind is named the same way in a spec.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa

from leo_synth.engine.rng import keyed_uniforms, stream_keys
from leo_synth.simulation.calendar import academic_year_end, academic_year_start
from leo_synth.simulation.frame import Frame, split_nulls
from leo_synth.spec.model import Relation, RelationColumn

Derivation = Callable[[Frame, Relation, RelationColumn, np.random.Generator, dict[str, Any]],
                      object]
DERIVATIONS: dict[str, Derivation] = {}

BatchedDerivation = Callable[[Frame, Relation, list[RelationColumn], np.ndarray], list[object]]
"""``fn(frame, relation, columns, uniforms)``: one value array per column; ``uniforms[k]`` are
the uniform [0, 1) draws of column k's own stream (one per row)."""
BATCHED_DERIVATIONS: dict[str, BatchedDerivation] = {}
BATCHED_PREPARATIONS: dict[str, Callable[[list[RelationColumn]], object]] = {}
"""Per batched derivation that caches what its columns need (``fn(columns)``, whatever it
returns): called before workers fork, so that they inherit it rather than each work it out."""


def derivation(name: str) -> Callable[[Derivation], Derivation]:
    def register(fn: Derivation) -> Derivation:
        DERIVATIONS[name] = fn
        return fn

    return register


def batched_derivation(name: str) -> Callable[[BatchedDerivation], BatchedDerivation]:
    def register(fn: BatchedDerivation) -> BatchedDerivation:
        BATCHED_DERIVATIONS[name] = fn
        return fn

    return register


def is_derivation(name: str | None) -> bool:
    """Whether ``name`` is a registered derivation of either kind."""
    return name in DERIVATIONS or name in BATCHED_DERIVATIONS


def per_frame(compute: Callable[..., Any]) -> Callable[..., Any]:
    """Compute ``compute(frame, *args)`` once per frame and arguments: the many columns of a
    relation derived from one intermediate (a pupil's eight slot grades, ...) share it. The
    result is shared, so it is made read-only."""
    results: weakref.WeakKeyDictionary[Frame, dict[tuple, Any]] = weakref.WeakKeyDictionary()

    @functools.wraps(compute)
    def cached(frame: Frame, *args: Any) -> Any:
        held = results.setdefault(frame, {})
        if args not in held:
            value = compute(frame, *args)
            if isinstance(value, np.ndarray):
                value.flags.writeable = False
            held[args] = value
        return held[args]

    return cached


def count_or_flag(count: np.ndarray, params: dict[str, Any]) -> np.ndarray:
    """A count capped at ``cap``, or with ``at_least`` the 0/1 flag of reaching that many."""
    if "cap" in params:
        count = np.minimum(count, int(params["cap"]))
    if "at_least" in params:
        return (count >= int(params["at_least"])).astype(np.int64)
    return count


def row_years(frame: Frame, relation: Relation) -> np.ndarray:
    from leo_synth.relations.registry import YEAR_ATTRIBUTE

    if YEAR_ATTRIBUTE in frame:
        return np.asarray(frame[YEAR_ATTRIBUTE], dtype=np.int64)
    year = relation.year if relation.year is not None else max(relation.years or {2010})
    return np.full(len(frame), year, dtype=np.int64)


@batched_derivation("date_in_year")
def date_in_year(frame: Frame, relation: Relation, columns: list[RelationColumn],
                 uniforms: np.ndarray) -> list[object]:
    """A date inside the row's academic year (1 September to 31 August)."""
    years = row_years(frame, relation)
    first = int(years.min()) if len(years) else 0
    span = np.arange(first, int(years.max()) + 1 if len(years) else 0)  # date once per year
    span_start = academic_year_start(span)
    span_days = (academic_year_end(span) - span_start).astype(np.int64) + 1  # 366: 29 Feb
    start, days = span_start[years - first], span_days[years - first]
    offsets = np.minimum((uniforms * days).astype(np.int64), days - 1)
    dates = start.astype("datetime64[D]") + offsets.astype("timedelta64[D]")
    return list(dates)


_ALPHABET = np.frombuffer(b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", dtype=np.uint8)
_POOL_SIZE = 300


@functools.lru_cache(maxsize=256)
def _reference_pools(columns: tuple[tuple[str, int], ...]) -> pa.Array:
    """The code pools of (column name, length) pairs, one after another. A pool depends only
    on its column, so codes repeat across blocks and runs."""
    pools = []
    for length in sorted({length for _, length in columns}):
        names = [f"reference_code:{name}" for name, size in columns if size == length]
        letters = keyed_uniforms(stream_keys(0, names), 0, _POOL_SIZE * length)
        chars = _ALPHABET[np.minimum((letters * len(_ALPHABET)).astype(np.int64),
                                     len(_ALPHABET) - 1)]
        pools.append((length, pa.array(chars.view(f"S{length}").ravel(), type=pa.binary())))
    offsets = {length: 0 for length, _ in pools}
    by_length = dict(pools)
    ordered = []
    for _, length in columns:
        ordered.append(by_length[length].slice(offsets[length], _POOL_SIZE))
        offsets[length] += _POOL_SIZE
    return pa.concat_arrays(ordered).cast(pa.string())


def reference_pools(columns: list[RelationColumn]) -> pa.Array:
    """The code pools of these reference-code columns, one after another (cached)."""
    return _reference_pools(tuple((col.spec.name, int(dict(col.spec.fill.params)
                                                      .get("length", 8)))
                                  for col in columns))


BATCHED_PREPARATIONS["reference_code"] = reference_pools


@batched_derivation("reference_code")
def reference_code(frame: Frame, relation: Relation, columns: list[RelationColumn],
                   uniforms: np.ndarray) -> list[object]:
    """Reference codes (capitals and digits) of ``length`` characters, e.g. qualification or
    course identifiers, drawn from a pool of a few hundred so values repeat as codes do."""
    pools = reference_pools(columns)
    picks = np.minimum((uniforms * _POOL_SIZE).astype(np.int64), _POOL_SIZE - 1)
    picks += (np.arange(len(columns)) * _POOL_SIZE)[:, None]
    taken = pools.take(picks.ravel())  # one take for all columns, then a slice per column
    rows = picks.shape[1]
    return [taken.slice(k * rows, rows) for k in range(len(columns))]


def distinct_text(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The text (as ``astype(str)`` writes it) of each distinct value of a 1-d array, and
    each row's index into it. Numbers are told apart by their bits, so -0.0 stays '-0.0'."""
    values = np.asarray(values)
    if values.dtype.kind not in "iuf":
        return np.unique(values.astype(str), return_inverse=True)
    keys = values.view(f"i{values.itemsize}") if values.dtype.kind == "f" else values
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    return values[first].astype(str), inverse


def as_text(values: np.ndarray) -> np.ndarray:
    """``values.astype(str)``, but numbers are formatted once per distinct value: a column
    holds few (codes, grades, rounded scores), and formatting is the costly part."""
    values = np.asarray(values)
    if values.dtype.kind not in "iuf" or values.ndim != 1:
        return values.astype(str)
    text, inverse = distinct_text(values)
    return text[inverse]


def take_codes(column: RelationColumn, codes: np.ndarray, index: np.ndarray,
               null: np.ndarray | None = None) -> pa.Array:
    """``codes[index]`` as the column stores it, NULL where ``null``: the few codes are
    converted to the column's type once and taken, rather than every row converted."""
    from leo_synth.relations.fill import to_arrow  # fill imports this module

    typed = to_arrow(np.asarray(codes), column.spec.type, len(codes))
    return typed.take(pa.array(index, mask=null) if null is not None and null.any() else index)


@per_frame
def _text(frame: Frame, name: str) -> np.ndarray:
    """An attribute's values as text (the flags and recodings of one attribute share it)."""
    return as_text(np.asarray(frame[name]))


@derivation("any_of")
def any_of(frame: Frame, relation: Relation, column: RelationColumn,
           rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """1 if any of the 0/1 attributes ``attrs`` is 1 (e.g. DfE's disadvantage flag) and none of
    ``unless`` is, else 0."""
    out = np.zeros(len(frame), dtype=bool)
    for name in params["attrs"]:
        out |= np.asarray(frame[name]) == 1
    for name in params.get("unless", ()):
        out &= np.asarray(frame[name]) != 1
    return out.astype(np.int64)


@derivation("equals")
def equals(frame: Frame, relation: Relation, column: RelationColumn,
           rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """1 if attribute ``of`` equals ``value`` (e.g. one ethnic group's flag), else 0."""
    return (_text(frame, params["of"]) == str(params["value"])).astype(np.int64)


@derivation("is_in")
def is_in(frame: Frame, relation: Relation, column: RelationColumn,
          rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """1 if attribute ``of`` is one of ``values`` (e.g. a programme type's flag), else 0 (a
    NULL is none of them)."""
    values, null = split_nulls(frame[params["of"]])
    return (np.isin(as_text(values), [str(v) for v in params["values"]]) & ~null).astype(
        np.int64)


@derivation("compare")
def compare(frame: Frame, relation: Relation, column: RelationColumn,
            rng: np.random.Generator, params: dict[str, Any]) -> object:
    """1 if attribute ``of`` (or every one of a list) is at least ``at_least`` / at most
    ``at_most``, else 0; NULL where an attribute is NULL (e.g. a test not taken that year)."""
    from leo_synth.relations.values import Masked

    names = params["of"] if isinstance(params["of"], list) else [params["of"]]
    ok = np.ones(len(frame), dtype=bool)
    null = np.zeros(len(frame), dtype=bool)
    for name in names:
        values, missing = split_nulls(frame[name])
        values = values.astype(float)
        null |= missing
        if "at_least" in params:
            ok &= values >= float(params["at_least"])
        if "at_most" in params:
            ok &= values <= float(params["at_most"])
    return Masked(ok.astype(np.int64), null) if null.any() else ok.astype(np.int64)


@derivation("recode")
def recode(frame: Frame, relation: Relation, column: RelationColumn,
           rng: np.random.Generator, params: dict[str, Any]) -> pa.Array:
    """Attribute ``of`` recoded through the mapping ``codes`` (value -> code); other values
    are kept as they are."""
    text, index = distinct_text(np.asarray(frame[params["of"]]))
    mapping = {str(value): code for value, code in params["codes"].items()}
    recoded = np.array([mapping.get(value, value) for value in text.tolist()], dtype=object)
    return take_codes(column, recoded, index)


@derivation("scale_point")
def scale_point(frame: Frame, relation: Relation, column: RelationColumn,
                rng: np.random.Generator, params: dict[str, Any]) -> pa.Array:
    """'T' if the scale score ``of`` reaches point ``point`` (a score of k means points 1 to k
    achieved), else 'F'."""
    score = np.asarray(frame[params["of"]], dtype=np.int64)
    return _FALSE_TRUE.take((score >= int(params["point"])).view(np.uint8))


_FALSE_TRUE = pa.array(["F", "T"])
"""'F' and 'T' as Arrow text: a take of them is the column, with no text to convert."""
