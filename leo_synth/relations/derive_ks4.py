"""KS4 pupil measures derived from the pupil's GCSE grades, as DfE's performance tables define them.

The KS4 pupil builder provides the grade of each of the eight Attainment 8 slots on the 9-1
point scale (``pts_eng``, ``pts_mat``, ``pts_eb1..3``, ``pts_op1..3``; 0 = not entered), the
same grades the KS4 exam rows carry. The rules of ``schemas/rules/ks4_pupil.yaml`` name these
derivations, so counts, thresholds, point scores, EBacc components and slot scores agree with
the grades and with each other. Slots: ``eb1`` is double award science (the EBacc science
pillar), ``eb2`` a humanity (geography), ``eb3`` a language (French); every simulated entry is
a full GCSE.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from leo_synth.relations.derive import count_or_flag, derivation
from leo_synth.simulation.attainment import LETTER_OF_POINTS, NEWSTYLE_OF_POINTS, SLOTS
from leo_synth.simulation.frame import Frame
from leo_synth.spec.model import Relation, RelationColumn

OLD_POINTS = {"A*": 8, "A": 7, "B": 6, "C": 5, "D": 4, "E": 3, "F": 2, "G": 1, "U": 0}
OLD_POINTS_OF_POINTS = np.array([OLD_POINTS[letter] for letter in LETTER_OF_POINTS])
"""Old-style GCSE points (A* = 8 ... G = 1) of each 9-1 grade."""

# Grade bands of the VRF names, as (lowest, highest) 9-1 points: letter bands through the
# letter of each 9-1 grade (C = 4 and 5, A* = 8 and 9), numeric bands directly.
_LETTER_BANDS = {"ASTAR": ("A*", "A*"), "A": ("A", "A"), "B": ("B", "B"), "C": ("C", "C"),
                 "D": ("D", "D"), "E": ("E", "E"), "F": ("F", "F"), "G": ("G", "G"),
                 "U": ("U", "U"), "AA": ("A", "A*"), "AASTAR": ("A", "A*"), "AC": ("C", "A*"),
                 "AG": ("G", "A*"), "DG": ("G", "D"), "AB": ("B", "A*")}
SUBJECT_SLOTS = {"eng": ("eng",), "mat": ("mat",), "math": ("mat",), "sci": ("eb1",),
                 "2sci": ("eb1",), "hum": ("eb2",), "lan": ("eb3",), "em": ("eng", "mat"),
                 "ems": ("eng", "mat", "eb1")}
"""Slots of the subjects as the VRF names spell them (case-insensitive)."""


def slot_points(frame: Frame) -> np.ndarray:
    """(rows, 8) grades on the 9-1 scale, 0 where the slot has no entry."""
    return np.stack([np.asarray(frame[f"pts_{s}"], dtype=np.int64) for s in SLOTS], axis=1)


def band_mask(points: np.ndarray, band: str) -> np.ndarray:
    """Entered grades inside a band of the VRF names: ``ASTAR`` ... ``U``, ``AC`` (A*-C),
    ``AG``, ``DG``, ``AA``; ``9`` ... ``1`` and ``95``, ``94``, ``91`` (9-5, 9-4, 9-1)."""
    entered = points > 0
    if band in _LETTER_BANDS:
        low, high = (OLD_POINTS[x] for x in _LETTER_BANDS[band])
        old = OLD_POINTS_OF_POINTS[points]
        return entered & (old >= low) & (old <= high)
    if len(band) == 2:  # 95, 94, 91: from the first digit down to the second
        return entered & (points >= int(band[1])) & (points <= int(band[0]))
    return entered & (points == int(band))


def _subject(frame: Frame, subject: str) -> np.ndarray:
    """(rows, k) grades of a subject's slots (``eng``, ``mat``, ``sci``, ``hum``, ``lan``,
    ``em``: English and maths, ``ems``: with science)."""
    return np.stack([np.asarray(frame[f"pts_{s}"], dtype=np.int64)
                     for s in SUBJECT_SLOTS[subject.lower()]], axis=1)


@derivation("ks4_grade_count")
def grade_count(frame: Frame, relation: Relation, column: RelationColumn,
                rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """Number of the pupil's GCSEs with a grade in ``band`` (0 with ``zero``, for qualifications not
    simulated, such as short courses)."""
    points = slot_points(frame)
    if params.get("zero"):
        return np.zeros(len(frame), dtype=np.int64)
    return band_mask(points, str(params["band"])).sum(1)


@derivation("ks4_entries")
def entries(frame: Frame, relation: Relation, column: RelationColumn,
            rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """Number of GCSE entries; with ``at_least`` a 0/1 flag for that many or more."""
    return count_or_flag((slot_points(frame) > 0).sum(1), params)


@derivation("ks4_threshold")
def threshold(frame: Frame, relation: Relation, column: RelationColumn,
              rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """1 if the pupil has at least ``count`` GCSEs in ``band`` and, with ``including``, grades in
    that band in those subjects (e.g. 5 A*-C including English and maths)."""
    points = slot_points(frame)
    band = str(params["band"])
    ok = band_mask(points, band).sum(1) >= int(params.get("count", 1))
    if params.get("including"):
        ok &= band_mask(_subject(frame, str(params["including"])), band).all(1)
    return ok.astype(np.int64)


@derivation("ks4_no_passes")
def no_passes(frame: Frame, relation: Relation, column: RelationColumn,
              rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """1 if the pupil passed nothing (no GCSE at G/1 or above)."""
    return (~band_mask(slot_points(frame), "AG").any(1)).astype(np.int64)


@derivation("ks4_subject")
def subject(frame: Frame, relation: Relation, column: RelationColumn,
            rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """A subject's result: ``entered`` (0/1), ``band`` passed (0/1, all of the subject's slots),
    or its points: ``points`` (9-1), ``old`` (old style, A* = 8), ``newstyle`` (A* = 58)."""
    points = _subject(frame, str(params.get("subject") or params["hp"]))
    what = str(params.get("what", "band"))
    if what == "entered":
        return (points > 0).all(1).astype(np.int64)
    if what == "points":
        return points.max(1)
    if what == "old":
        return OLD_POINTS_OF_POINTS[points].max(1)
    if what == "newstyle":
        return NEWSTYLE_OF_POINTS[points].max(1)
    return band_mask(points, str(params["band"])).all(1).astype(np.int64)


@derivation("ks4_ebacc_pillar")
def ebacc_pillar(frame: Frame, relation: Relation, column: RelationColumn,
                 rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """An EBacc pillar: ``entered`` when its slot has an entry or the pupil entered the whole
    EBacc (so entering the EBacc implies entering each pillar); achieved (``band``) when its
    grade is in the band, which implies entered."""
    points = _subject(frame, str(params["subject"]))
    if params.get("what") == "entered":
        ebacc = np.asarray(frame["ebacc_e"], dtype=bool)
        return ((points > 0).all(1) | ebacc).astype(np.int64)
    return band_mask(points, str(params["band"])).all(1).astype(np.int64)


@derivation("ks4_ebacc")
def ebacc(frame: Frame, relation: Relation, column: RelationColumn,
          rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """1 if the pupil entered the EBacc and passed every pillar in ``band``."""
    entered = np.asarray(frame["ebacc_e"], dtype=bool)
    return (entered & band_mask(slot_points(frame)[:, :5], str(params["band"])).all(1)
            ).astype(np.int64)


@derivation("ks4_point_score")
def point_score(frame: Frame, relation: Relation, column: RelationColumn,
                rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """Point scores over the pupil's GCSEs: ``scale`` newstyle (A* = 58), old (A* = 8) or
    points (9-1); ``of`` total (uncapped; capped at the best 8 is the same with 8 slots),
    per_entry (total / entries, 0 without entries) or mean."""
    points = slot_points(frame)
    scale = str(params.get("scale", "newstyle"))
    scored = {"newstyle": NEWSTYLE_OF_POINTS, "old": OLD_POINTS_OF_POINTS,
              "points": np.arange(10)}[scale][points]
    total = scored.sum(1)
    if params.get("of", "total") == "total":
        return total
    count = (points > 0).sum(1)
    return np.where(count > 0, np.round(total / np.maximum(count, 1), 2), 0)


@derivation("ks4_exam_category")
def exam_category(frame: Frame, relation: Relation, column: RelationColumn,
                  rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """Highest examination category: 1 = 5+ A*-C with English and maths, 2 = 5+ A*-C,
    3 = 5+ A*-G, 4 = 1+ A*-G, 6 = no passes (5, any other pass, cannot occur with GCSEs)."""
    points = slot_points(frame)
    ac = band_mask(points, "AC").sum(1)
    ag = band_mask(points, "AG").sum(1)
    em = band_mask(_subject(frame, "em"), "AC").all(1)
    return np.select([(ac >= 5) & em, ac >= 5, ag >= 5, ag >= 1], [1, 2, 3, 4], 6)


@derivation("ks4_a8_slot")
def a8_slot(frame: Frame, relation: Relation, column: RelationColumn,
            rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """Attainment 8 slot scores: ``slot`` n (1 English and 2 maths, double weighted; 3-5 EBacc;
    6-8 open), ``group`` ebacc/open (sum of the group's slots), ``filled`` open slots, or with
    ``gcse`` 1 if the slot holds a GCSE (every simulated entry is one)."""
    points = slot_points(frame).astype(float)
    weights = np.array([2, 2, 1, 1, 1, 1, 1, 1], dtype=float)
    scores = points * weights
    if "slot" in params:
        index = int(params["slot"]) - 1
        if params.get("gcse"):
            return (points[:, index] > 0).astype(np.int64)
        return scores[:, index]
    group = {"ebacc": slice(2, 5), "open": slice(5, 8)}[str(params["group"])]
    if params.get("what") == "filled":
        return (points[:, group] > 0).sum(1)
    return scores[:, group].sum(1)


@derivation("ks4_exam_pass")
def exam_pass(frame: Frame, relation: Relation, column: RelationColumn,
              rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """For a KS4 exam row: 1 if the row is the subject's (``subject``: the 0/1 attribute
    ``a8eng`` or ``a8mat``) and its grade is in ``band``, else 0."""
    points = np.asarray(frame["points"], dtype=float).astype(np.int64)
    subject = np.asarray(frame[params["subject"]]) == 1
    band = str(params.get("band") or params["band2"])
    return (subject & band_mask(points, band)).astype(np.int64)
