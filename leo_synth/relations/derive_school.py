"""Derivations of the school tables (absence, census, exclusions, PLAMS): totals over half
terms and persistent-absence flags by the VRF's definitions.

Registered in :data:`leo_synth.relations.derive.DERIVATIONS` on import (see
``leo_synth/relations/__init__.py``); rules in ``schemas/rules/absence.yaml`` name them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from leo_synth.engine.rng import stream_keys, value_uniforms
from leo_synth.relations.derive import derivation, row_years
from leo_synth.simulation.frame import Frame
from leo_synth.spec.model import Relation, RelationColumn

HALF_TERMS = {5: ("autumn", "spring", "summer"), 6: ("autumn", "spring", "summer", "summer6th")}
"""Collection periods of the 5 and 6 half-term measures (from 2012/13 the summer term
returns hold the 5th half term only)."""


def half_terms_total(frame: Frame, measure: str, halves: int) -> np.ndarray:
    """Sum of a measure (``sessionspossible``, ``overallabsence`` ...) over the half terms."""
    return sum(np.asarray(frame[f"{measure}_{period}"], dtype=np.int64)
               for period in HALF_TERMS[halves])


@derivation("half_terms_total")
def half_terms(frame: Frame, relation: Relation, column: RelationColumn,
               rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """``measure`` summed over 5 or 6 half terms (``halves``)."""
    return half_terms_total(frame, str(params["measure"]).lower(), int(params["halves"]))


@derivation("persistent_absence_rate")
def persistent_absence_rate(frame: Frame, relation: Relation, column: RelationColumn,
                            rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """1 if the overall absence over the half terms is at least ``percent`` % of the sessions
    possible (the 'exact' persistent absentee flags), else 0."""
    halves = int(params["halves"])
    overall = half_terms_total(frame, "overallabsence", halves)
    possible = half_terms_total(frame, "sessionspossible", halves)
    return (overall * 100 >= float(params["percent"]) * np.maximum(possible, 1)).astype(
        np.int64)


@derivation("persistent_absence_sessions")
def persistent_absence_sessions(frame: Frame, relation: Relation, column: RelationColumn,
                                rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """1 if more than ``above`` sessions were missed over the half terms (``above_at_15`` for
    pupils aged 15 at the start of the year, whose year ends with study leave), else 0 (the
    'threshold' persistent absentee flags)."""
    overall = half_terms_total(frame, "overallabsence", int(params["halves"]))
    age = np.asarray(frame["age_start"], dtype=np.int64)
    limit = np.where(age >= 15, float(params.get("above_at_15", params["above"])),
                     float(params["above"]))
    return (overall > limit).astype(np.int64)


GROUP_IDS = 10**9
"""Sibling group identifiers are numbers below this (nine digits)."""


@derivation("group_of_one")
def group_of_one(frame: Frame, relation: Relation, column: RelationColumn,
                 rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """A sibling group identifier for a pupil with no simulated siblings: a number of its own
    per pupil (``pmr``) and census year, the same in every term and column of the year (a
    hash, so two pupils share one by a chance of about one in a hundred million)."""
    key = stream_keys(0, ["sibling_group"])[0]
    u = value_uniforms(key, [np.asarray(frame["pmr"]), row_years(frame, relation)])
    return (u * GROUP_IDS).astype(np.int64) + 1
