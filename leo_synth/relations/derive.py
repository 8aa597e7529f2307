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


def _row_years(frame: Frame, relation: Relation) -> np.ndarray:
    from leo_synth.relations.registry import YEAR_ATTRIBUTE

    if YEAR_ATTRIBUTE in frame:
        return np.asarray(frame[YEAR_ATTRIBUTE], dtype=np.int64)
    year = relation.year if relation.year is not None else max(relation.years or {2010})
    return np.full(len(frame), year, dtype=np.int64)


@batched_derivation("date_in_year")
def date_in_year(frame: Frame, relation: Relation, columns: list[RelationColumn],
                 uniforms: np.ndarray) -> list[object]:
    """A date inside the row's academic year (1 September to 31 August)."""
    years = _row_years(frame, relation)
    start = academic_year_start(years)
    days = (academic_year_end(years) - start).astype(np.int64) + 1  # 366 with a 29 February
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


@batched_derivation("reference_code")
def reference_code(frame: Frame, relation: Relation, columns: list[RelationColumn],
                   uniforms: np.ndarray) -> list[object]:
    """Reference codes (capitals and digits) of ``length`` characters, e.g. qualification or
    course identifiers, drawn from a pool of a few hundred so values repeat as codes do."""
    pools = _reference_pools(tuple((col.spec.name, int(dict(col.spec.fill.params)
                                                           .get("length", 8)))
                                   for col in columns))
    picks = np.minimum((uniforms * _POOL_SIZE).astype(np.int64), _POOL_SIZE - 1)
    picks += (np.arange(len(columns)) * _POOL_SIZE)[:, None]
    return [pools.take(row) for row in picks]


@per_frame
def _text(frame: Frame, name: str) -> np.ndarray:
    """An attribute's values as text (the flags and recodings of one attribute share it)."""
    return np.asarray(frame[name]).astype(str)


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
    """1 if attribute ``of`` is one of ``values`` (e.g. a programme type's flag), else 0."""
    return np.isin(_text(frame, params["of"]), [str(v) for v in params["values"]]).astype(
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
           rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """Attribute ``of`` recoded through the mapping ``codes`` (value -> code)."""
    values = _text(frame, params["of"])
    out = values.astype(object)
    for value, code in params["codes"].items():
        out[values == str(value)] = code
    return out


@derivation("scale_point")
def scale_point(frame: Frame, relation: Relation, column: RelationColumn,
                rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """'T' if the scale score ``of`` reaches point ``point`` (a score of k means points 1 to k
    achieved), else 'F'."""
    score = np.asarray(frame[params["of"]], dtype=np.int64)
    return np.where(score >= int(params["point"]), "T", "F")
