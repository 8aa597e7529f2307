"""KS5 student measures derived from the student's A level grades (the KS5 exam rows' grades).

The KS5 student builder provides the grades of up to four A levels (``al_1`` .. ``al_4``:
0 = U, 1 = E ... 5 = A, 6 = A*, -1 = no entry); the rules of ``schemas/rules/ks5_student.yaml``
name these derivations, so counts and thresholds agree with the grades and with each other.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from leo_synth.relations.derive import count_or_flag, derivation
from leo_synth.simulation.frame import Frame
from leo_synth.spec.model import Relation, RelationColumn

GRADE_INDEX = {"U": 0, "E": 1, "D": 2, "C": 3, "B": 4, "A": 5, "A*": 6}


def alevel_grades(frame: Frame) -> np.ndarray:
    """(rows, 4) A level grade indexes, -1 where there is no entry."""
    return np.stack([np.asarray(frame[f"al_{i}"], dtype=np.int64) for i in range(1, 5)], axis=1)


def _in_band(grades: np.ndarray, params: dict[str, Any]) -> np.ndarray:
    low = GRADE_INDEX[str(params.get("from", "U"))]
    high = GRADE_INDEX[str(params.get("to", "A*"))]
    return (grades >= low) & (grades <= high)


@derivation("ks5_alevel_count")
def alevel_count(frame: Frame, relation: Relation, column: RelationColumn,
                 rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """Number of A levels with a grade ``from`` .. ``to`` (default: every entry), at most
    ``cap``; with ``at_least`` a 0/1 flag for that many or more."""
    return count_or_flag(_in_band(alevel_grades(frame), params).sum(1), params)


@derivation("ks5_best_three")
def best_three(frame: Frame, relation: Relation, column: RelationColumn,
               rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """1 if the student's best three A levels are at least ``grades`` (e.g. [A, A, B])."""
    wanted = np.array([GRADE_INDEX[g] for g in params["grades"]])
    best = np.sort(alevel_grades(frame), axis=1)[:, ::-1][:, :3]
    return (best >= wanted).all(1).astype(np.int64)
