"""Derivations: spec-level functions that compute a column from other row attributes.

Use ``fill: {derive: <name>, ...params}`` in a spec. Each derivation receives the builder's
frame, the relation and column, the column's random stream and the spec params.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

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


@derivation("map")
def map_values(frame: Frame, relation: Relation, column: RelationColumn,
               rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """Map attribute ``source`` through ``mapping`` (unmapped values become ``default``)."""
    source = frame[params["source"]]
    mapping = {str(k): v for k, v in params["mapping"].items()}
    default = params.get("default")
    keys = np.array(list(mapping), dtype=object)
    out = np.array([mapping[k] for k in keys] + [default], dtype=object)
    index = np.searchsorted(np.sort(keys), source.astype(str).astype(object))
    order = np.argsort(keys)
    sorted_keys = keys[order]
    index = np.clip(index, 0, len(keys) - 1)
    hit = sorted_keys[index] == source.astype(str).astype(object)
    return np.where(hit, out[order][index], default)
