"""ILR learning-aim fields derived from the programme type and the aim's level."""

from __future__ import annotations

from typing import Any

import numpy as np

from leo_synth.relations.derive import derivation
from leo_synth.simulation.frame import Frame
from leo_synth.spec.model import Relation, RelationColumn

PROGRAMME_LEVELS = {2: 3, 3: 2, 20: 4, 21: 5, 22: 6, 23: 6}
"""Notional NVQ level of apprenticeship framework programme types: advanced (2) level 3,
intermediate (3) level 2, higher (20-23) levels 4 to 7 (7 is coded 6, 'Higher Level')."""


@derivation("ilr_nvq_level")
def nvq_level(frame: Frame, relation: Relation, column: RelationColumn,
              rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """Notional NVQ level: a framework apprenticeship's level by its programme type, otherwise
    (standards, other aims) the aim's own notional level; levels above 6 are coded 6."""
    programme = np.asarray(frame["programme_type"], dtype=np.int64)
    level = np.minimum(np.asarray(frame["notional_level"], dtype=np.int64), 6)
    by_type = np.full(len(frame), -1, dtype=np.int64)
    for code, value in PROGRAMME_LEVELS.items():
        by_type = np.where(programme == code, value, by_type)
    return np.where(by_type >= 0, by_type, level)
