"""Derivations: spec-level functions that compute a column from other row attributes.

Use ``fill: {derive: <name>, ...params}`` in a spec. Each derivation receives the builder's
frame, the relation and column, the column's random stream and the spec params.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import Any

import numpy as np

from leo_synth.simulation.calendar import academic_year_end, academic_year_start
from leo_synth.simulation.frame import Frame
from leo_synth.spec.model import Relation, RelationColumn

Derivation = Callable[[Frame, Relation, RelationColumn, np.random.Generator, dict[str, Any]],
                      object]
DERIVATIONS: dict[str, Derivation] = {}


def derivation(name: str) -> Callable[[Derivation], Derivation]:
    def register(fn: Derivation) -> Derivation:
        DERIVATIONS[name] = fn
        return fn

    return register


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


@derivation("date_in_year")
def date_in_year(frame: Frame, relation: Relation, column: RelationColumn,
                 rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """A date inside the row's academic year (1 September to 31 August)."""
    years = _row_years(frame, relation)
    start = academic_year_start(years)
    days = (academic_year_end(years) - start).astype(np.int64) + 1  # 366 with a 29 February
    return start + rng.integers(0, days).astype("timedelta64[D]")


_ALPHABET = np.frombuffer(b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", dtype=np.uint8)


@derivation("reference_code")
def reference_code(frame: Frame, relation: Relation, column: RelationColumn,
                   rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """Reference codes (capitals and digits) of ``length`` characters, e.g. qualification or
    course identifiers, drawn from a pool of a few hundred so values repeat as codes do."""
    length = int(params.get("length", 8))
    # The pool depends only on the column, so codes repeat across blocks and runs.
    pool_rng = np.random.default_rng(zlib.crc32(column.spec.name.encode()))
    pool = _ALPHABET[pool_rng.integers(0, len(_ALPHABET), (300, length))]
    pool = pool.view(f"S{length}").ravel()
    return pool[rng.integers(0, len(pool), len(frame))]


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
    return (np.asarray(frame[params["of"]]).astype(str) == str(params["value"])).astype(
        np.int64)


@derivation("is_in")
def is_in(frame: Frame, relation: Relation, column: RelationColumn,
          rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """1 if attribute ``of`` is one of ``values`` (e.g. a programme type's flag), else 0."""
    values = np.asarray(frame[params["of"]]).astype(str)
    return np.isin(values, [str(v) for v in params["values"]]).astype(np.int64)


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
        values = frame[name]
        if isinstance(values, Masked):
            null |= np.asarray(values.null, dtype=bool)
            values = values.values
        values = np.asarray(values, dtype=float)
        if "at_least" in params:
            ok &= values >= float(params["at_least"])
        if "at_most" in params:
            ok &= values <= float(params["at_most"])
    return Masked(ok.astype(np.int64), null) if null.any() else ok.astype(np.int64)


@derivation("recode")
def recode(frame: Frame, relation: Relation, column: RelationColumn,
           rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """Attribute ``of`` recoded through the mapping ``codes`` (value -> code)."""
    values = np.asarray(frame[params["of"]]).astype(str)
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
