"""KS4 pupil measures derived from the pupil's GCSE grades, as DfE's performance tables define them.

The KS4 pupil builder provides the grade of each of the eight Attainment 8 slots on the 9-1
point scale (``pts_eng``, ``pts_mat``, ``pts_eb1..3``, ``pts_op1..3``; 0 = not entered), the
same grades the KS4 exam rows carry, and of the pupil's extra GCSEs beyond the eight
(``pts_x1..x4``, ``ks4_extras``), which counts, thresholds and point scores read too. The rules
of ``schemas/rules/ks4_pupil.yaml`` name these derivations, so counts, thresholds, point
scores, EBacc components and slot scores agree with the grades and with each other. Slots:
``eb1`` is double award science or the best of the separate sciences (the EBacc science pillar,
which the other two sciences, in open slots, pass where it does), ``eb2`` a humanity (history
or geography), ``eb3`` a language (``ks4_subjects``: the subjects of the slots,
``sub_<slot>``); every simulated entry is a full GCSE. A measure "including equivalents"
(``equivalents: true`` in a rule) adds the pupil's vocational qualification as the year's rules
count it (``equiv_counted_units``, ``equiv_counted_ac``: simulation/attainment.py), as GCSEs of
its points (``equiv_unit_points``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from leo_synth.relations.derive import (
    as_text,
    count_or_flag,
    derivation,
    per_frame,
    take_codes,
)
from leo_synth.relations.ks4_progress import (
    ELEMENT_WEIGHTS,
    VA_MEASURES,
    VA_SLOTS,
    ceiling_floor,
    element_scores,
    median_outcomes,
    va_outcomes,
)
from leo_synth.relations.ks4_subjects import (
    DOUBLE_SCIENCE,
    ENGLISH_LANGUAGE,
    ENGLISH_LITERATURE,
    OLD_POINTS,
    OLD_POINTS_OF_POINTS,
    SEPARATE_SCIENCES,
    a8_positions,
    exam_grade,
    filled_grades,
    reformed,
)
from leo_synth.relations.registry import YEAR_ATTRIBUTE
from leo_synth.relations.values import Masked
from leo_synth.simulation.attainment import (
    ENTRY_SLOTS,
    LETTER_OF_POINTS,
    NEWSTYLE_OF_POINTS,
    SLOTS,
    best_eight,
    with_equivalents,
)
from leo_synth.simulation.frame import Frame, split_nulls
from leo_synth.spec.model import Relation, RelationColumn

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


@per_frame
def slot_points(frame: Frame) -> np.ndarray:
    """(rows, 8) grades on the 9-1 scale, 0 where the slot has no entry."""
    return entry_points(frame)[:, :len(SLOTS)]


@per_frame
def entry_points(frame: Frame) -> np.ndarray:
    """(rows, 12) grades of every GCSE of the pupil (the exam rows): the eight slots', then
    the extra entries' (``pts_x1..x4``, filling no slot), 0 where there is none. Counts,
    thresholds and point scores read these; Attainment 8 and the pillars the slots."""
    return np.stack([np.asarray(frame[f"pts_{s}"], dtype=np.int64) for s in ENTRY_SLOTS],
                    axis=1)


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


@per_frame
def filled_points(frame: Frame) -> np.ndarray:
    """(rows, 8) grades of the GCSEs filling the Attainment 8 slots (``a8_positions``: the
    positions' own unless separate sciences move to EBacc slots), 0 where a slot is empty.
    Slot scores and elements read these; pillar measures read the positions (``pts_eb1`` the
    science, ``pts_eb2`` the humanity, ``pts_eb3`` the language)."""
    points = slot_points(frame)
    return filled_grades(points, a8_positions(points, _slot_subjects(frame)))


@per_frame
def _entry_band(frame: Frame, band: str) -> np.ndarray:
    """(rows, 12) True where the GCSE's grade is in the band (:func:`band_mask`)."""
    return band_mask(entry_points(frame), band)


@per_frame
def _subject(frame: Frame, subject: str) -> np.ndarray:
    """(rows, k) grades of a subject's slots (``eng``, ``mat``, ``sci``, ``hum``, ``lan``,
    ``em``: English and maths, ``ems``: with science)."""
    return np.stack([np.asarray(frame[f"pts_{s}"], dtype=np.int64)
                     for s in SUBJECT_SLOTS[subject.lower()]], axis=1)


def _equivalent_passes(frame: Frame, band: str) -> np.ndarray:
    """The GCSEs the pupil's vocational qualification counts as in ``band`` this year: its
    units at A*-C for a band reaching C from above (``AC``), all its units for ``AG``, none
    for a narrower band (its grades are not split by GCSE grade)."""
    if band == "AC":
        return np.asarray(frame["equiv_counted_ac"], dtype=np.int64)
    if band == "AG":
        return np.asarray(frame["equiv_counted_units"], dtype=np.int64)
    return np.zeros(len(frame), dtype=np.int64)


@derivation("ks4_grade_count")
def grade_count(frame: Frame, relation: Relation, column: RelationColumn,
                rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """Number of the pupil's GCSEs with a grade in ``band`` (0 with ``zero``, for qualifications not
    simulated, such as short courses), with ``equivalents`` their equivalents too; with
    ``if_em``, 0 unless English and maths are both in the band."""
    if params.get("zero"):
        return np.zeros(len(frame), dtype=np.int64)
    band = str(params["band"])
    count = _entry_band(frame, band).sum(1)
    if params.get("equivalents"):
        count = count + _equivalent_passes(frame, band)
    if params.get("if_em"):
        count = np.where(band_mask(_subject(frame, "em"), band).all(1), count, 0)
    return count


@derivation("ks4_entries")
def entries(frame: Frame, relation: Relation, column: RelationColumn,
            rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """Number of GCSE entries (with ``equivalents``, and of the GCSEs the pupil's vocational
    qualification counts as); with ``at_least`` a 0/1 flag for that many or more."""
    count = (entry_points(frame) > 0).sum(1)
    if params.get("equivalents"):
        count = count + np.asarray(frame["equiv_counted_units"], dtype=np.int64)
    return count_or_flag(count, params)


@derivation("ks4_threshold")
def threshold(frame: Frame, relation: Relation, column: RelationColumn,
              rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """1 if the pupil has at least ``count`` GCSEs in ``band`` (with ``equivalents``, counting
    what the pupil's vocational qualification counts as) and, with ``including``, GCSE grades
    in that band in those subjects (e.g. 5 A*-C including English and maths)."""
    band = str(params["band"])
    passes = _entry_band(frame, band).sum(1)
    if params.get("equivalents"):
        passes = passes + _equivalent_passes(frame, band)
    ok = passes >= int(params.get("count", 1))
    if params.get("including"):
        ok &= band_mask(_subject(frame, str(params["including"])), band).all(1)
    return ok.astype(np.int64)


@derivation("ks4_no_passes")
def no_passes(frame: Frame, relation: Relation, column: RelationColumn,
              rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """1 if the pupil passed nothing (no GCSE at G/1 or above)."""
    return (~_entry_band(frame, "AG").any(1)).astype(np.int64)


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
    """1 if the pupil entered the EBacc and passed every pillar in ``band``; with ``em_band``,
    English and maths in that band instead (the strong-pass EBacc: 9-5 in both)."""
    entered = np.asarray(frame["ebacc_e"], dtype=bool)
    points = slot_points(frame)
    ok = band_mask(points[:, 2:5], str(params["band"])).all(1)
    ok &= band_mask(points[:, :2], str(params.get("em_band", params["band"]))).all(1)
    return (entered & ok).astype(np.int64)


@derivation("ks4_point_score")
def point_score(frame: Frame, relation: Relation, column: RelationColumn,
                rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """Point scores over the pupil's GCSEs: ``scale`` newstyle (A* = 58), old (A* = 8) or
    points (9-1); ``of`` total (uncapped), capped (the best 8), per_entry (total / entries, 0
    without entries) or mean; with ``plus_em``, the total plus the English and maths bonuses
    (their points counted again, as value added scores them). With ``equivalents`` (new-style
    points only) the GCSEs the pupil's vocational qualification counts as are scored too, each
    at its new-style points."""
    points = entry_points(frame)
    scale = str(params.get("scale", "newstyle"))
    scored = {"newstyle": NEWSTYLE_OF_POINTS, "old": OLD_POINTS_OF_POINTS,
              "points": np.arange(10)}[scale][points]
    count = (points > 0).sum(1)
    bonus = scored[:, 0] + scored[:, 1]  # (English and maths: the first two slots)
    if params.get("equivalents"):
        units = np.asarray(frame["equiv_counted_units"], dtype=np.int64)
        scored = with_equivalents(scored, units,
                                  np.asarray(frame["equiv_unit_points"], dtype=np.int64))
        count = count + units
    if params.get("of") == "capped":
        scored = best_eight(scored)
    total = scored.sum(1)
    if params.get("plus_em"):  # the English and maths bonuses: their points counted again
        total = total + bonus
    if params.get("of", "total") in ("total", "capped"):
        return total
    return np.where(count > 0, np.round(total / np.maximum(count, 1), 2), 0)


EBACC_APS_WEIGHTS = np.array([1, 1, 1, 1, 1, 0, 0, 0])
"""Weights of the positions in the EBacc average point score: English, maths, the (best)
science, humanities, languages; the second science slot is added apart (``ebacc_aps``)."""


@derivation("ks4_ebacc_aps")
def ebacc_aps(frame: Frame, relation: Relation, column: RelationColumn,
              rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """EBacc average point score (DfE's method from 2017/18): the 9-1 points of English, maths,
    the two science slots (a double award science grade counted in both, else the two best of
    the separate sciences), humanities and languages, summed and divided by 6; a pillar
    without an entry scores 0."""
    points = slot_points(frame)
    separate = np.isin(_slot_subjects(frame), SEPARATE_SCIENCES) & (points > 0)
    # (the science position holds the best science: the second is an open position's)
    second = np.where(separate[:, 2], (points * separate)[:, 5:].max(1), points[:, 2])
    return np.round((points @ EBACC_APS_WEIGHTS + second) / 6, 2)


@derivation("ks4_exam_category")
def exam_category(frame: Frame, relation: Relation, column: RelationColumn,
                  rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """Highest examination category, GCSEs and equivalents: 1 = 5+ A*-C with English and
    maths, 2 = 5+ A*-C, 3 = 5+ A*-G, 4 = 1+ A*-G, 6 = no passes (5, any other pass, cannot
    occur: an equivalent counts as GCSEs)."""
    ac = _entry_band(frame, "AC").sum(1) + _equivalent_passes(frame, "AC")
    ag = _entry_band(frame, "AG").sum(1) + _equivalent_passes(frame, "AG")
    em = band_mask(_subject(frame, "em"), "AC").all(1)
    return np.select([(ac >= 5) & em, ac >= 5, ag >= 5, ag >= 1], [1, 2, 3, 4], 6)


@derivation("ks4_a8_slot")
def a8_slot(frame: Frame, relation: Relation, column: RelationColumn,
            rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """Attainment 8 slot scores: ``slot`` n (1 English and 2 maths, double weighted; 3-5 EBacc;
    6-8 open), ``group`` ebacc/open/not_maths (sum of the group's slots), ``filled`` open
    slots, or with ``gcse`` 1 if the slot holds a GCSE (every simulated entry is one)."""
    points = filled_points(frame).astype(float)
    weights = np.array([2, 2, 1, 1, 1, 1, 1, 1], dtype=float)
    scores = points * weights
    if "slot" in params:
        index = int(params["slot"]) - 1
        if params.get("gcse"):
            return (points[:, index] > 0).astype(np.int64)
        return scores[:, index]
    group = {"ebacc": slice(2, 5), "open": slice(5, 8),
             "not_maths": [0, 2, 3, 4, 5, 6, 7]}[str(params["group"])]
    if params.get("what") == "filled":
        return (points[:, group] > 0).sum(1)
    return scores[:, group].sum(1)


@derivation("ks4_exam_pass")
def exam_pass(frame: Frame, relation: Relation, column: RelationColumn,
              rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """For a KS4 exam row: 1 if the row is the subject's (``subject``: the 0/1 attribute
    ``a8eng`` or ``a8mat``) and its grade is in ``band``, else 0."""
    points = np.asarray(frame["grade_points"], dtype=np.int64)  # (9-1, any year)
    subject = np.asarray(frame[params["subject"]]) == 1
    band = str(params.get("band") or params["band2"])
    return (subject & band_mask(points, band)).astype(np.int64)


AP_SUBJECTS = {"ENG": "5030", "ELANG": "5030", "ELIT": "5110", "MAT": "2210", "DSCI": "1370",
               "BIO": "1010", "CHE": "1110", "PHY": "1210", "GEO": "3910",
               "HIS": "4010", "FRE": "5650", "GER": "5670", "SPAN": "5750", "ITA": "5690",
               "MGRK": "5710", "POR": "5730", "ARA": "5910", "CHI": "5950", "JAP": "6010",
               "MHEB": "6030", "PAN": "6050", "POL": "6070", "RUS": "6090", "TUR": "6110",
               "URD": "6130", "PER": "6150", "LAT": "6610", "CGRK": "6550", "BUS": "3210",
               "ART": "3510", "RS": "4610", "DRA": "5210", "MUS": "7010", "PE": "7210",
               "IT": "2650", "FOOD": "9020", "DTT": "9050", "MFT": "5350", "STAT": "2510"}
"""plams.mapping code of the subjects of the ``KS4_AP<subject>`` columns the simulated GCSEs
cover (``ks4_subjects``; ``DTT`` is D&T textiles, ``MFT`` media, film and TV); every other
subject's column is NULL, as no simulated pupil sits it (short courses, vocational GCSEs, D&T
options without a column of their own)."""


@per_frame
def _subject_hits(frame: Frame, subject: str) -> np.ndarray:
    """(rows, 12) True where the slot or extra entry holds an entered GCSE in the subject (AP
    name; ``ENG``, the English of the threshold measures: the English slot's, the better
    English)."""
    code = AP_SUBJECTS.get(subject.upper())
    points = entry_points(frame)
    if code is None:
        return np.zeros(points.shape, dtype=bool)
    if subject.upper() == "ENG":
        return (np.arange(len(ENTRY_SLOTS)) == SLOTS.index("eng")) & (points > 0)
    return (_entry_subjects(frame) == code) & (points > 0)


@derivation("ks4_sciences")
def sciences(frame: Frame, relation: Relation, column: RelationColumn,
             rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """Science measures, 0/1, over double award science or the three separate sciences (a
    pupil sits one or the other: ``ks4_subjects``). ``what``: ``entered`` all three separate
    sciences; ``double`` award science in ``band``; ``two`` science GCSEs in ``band`` (double
    award counts as two); with the three separate sciences entered, ``two_separate`` of them,
    ``biology`` and physics or chemistry, or ``physical``: physics and chemistry in ``band``."""
    points = slot_points(frame)
    held = _slot_subjects(frame)
    grade = {code: (points * ((held == code) & (points > 0))).max(1)
             for code in (*SEPARATE_SCIENCES, DOUBLE_SCIENCE)}
    biology, chemistry, physics = (grade[code] for code in SEPARATE_SCIENCES)
    separate = (biology > 0) & (chemistry > 0) & (physics > 0)
    what = str(params["what"])
    if what == "entered":
        return separate.astype(np.int64)
    band = str(params["band"])
    passed = {code: band_mask(grade[code], band) for code in grade}
    two_separate = separate & (sum(passed[code].astype(np.int64)
                                   for code in SEPARATE_SCIENCES) >= 2)
    if what == "double":
        out = passed[DOUBLE_SCIENCE]
    elif what == "two":
        out = passed[DOUBLE_SCIENCE] | two_separate
    elif what == "two_separate":
        out = two_separate
    else:
        biology_pass, chemistry_pass, physics_pass = (passed[code] for code in SEPARATE_SCIENCES)
        out = separate & physics_pass & chemistry_pass if what == "physical" else (
            separate & biology_pass & (physics_pass | chemistry_pass))
    return out.astype(np.int64)


@derivation("ks4_english_residual")
def english_residual(frame: Frame, relation: Relation, column: RelationColumn,
                     rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """The lower of a pupil's English language and literature grades (9-1 points, the open
    slot's English: ``ks4_subjects`` puts the better one in the English slot); 0 for a pupil
    without both. With ``gcse``, 1 if there is such a residual English (a GCSE), else 0."""
    points = slot_points(frame)
    open_english = (np.isin(_slot_subjects(frame), [ENGLISH_LANGUAGE, ENGLISH_LITERATURE])
                    & (np.arange(len(SLOTS)) >= SLOTS.index("op1")) & (points > 0))
    residual = (points * open_english).max(axis=1)
    if params.get("gcse"):
        return (residual > 0).astype(np.int64)
    return residual.astype(float)


@per_frame
def _slot_subjects(frame: Frame) -> np.ndarray:
    """(rows, 8) subject codes of the slots."""
    return _entry_subjects(frame)[:, :len(SLOTS)]


@per_frame
def _entry_subjects(frame: Frame) -> np.ndarray:
    """(rows, 12) subject codes of the slots, then of the extra entries."""
    return np.stack([np.asarray(frame[f"sub_{s}"]).astype(str) for s in ENTRY_SLOTS], axis=1)


@per_frame
def _entry_grades(frame: Frame) -> np.ndarray:
    """(rows, 12) grade each GCSE's exam row would record (``exam_grade``; meaningless where
    there is no entry)."""
    years = np.asarray(frame[YEAR_ATTRIBUTE], dtype=np.int64)
    points = entry_points(frame)
    subjects = _entry_subjects(frame)
    return np.stack([exam_grade(subjects[:, index], points[:, index], years)
                     for index in range(len(ENTRY_SLOTS))], axis=1)


@per_frame
def _entry_reformed(frame: Frame) -> np.ndarray:
    """(rows, 12) True where the GCSE is graded 9-1 in the row's year."""
    years = np.asarray(frame[YEAR_ATTRIBUTE], dtype=np.int64)
    return reformed(_entry_subjects(frame), years[:, None])


@derivation("ks4_subject_grade")
def subject_grade(frame: Frame, relation: Relation, column: RelationColumn,
                  rng: np.random.Generator, params: dict[str, Any]) -> Masked:
    """The grade of the pupil's GCSE in ``subject`` (an AP name) as its KS4 exam row records
    it; NULL without one. With ``scale`` ``_91``, only a reformed (9-1) GCSE's grade."""
    n = len(frame)
    nothing = Masked(np.full(n, "") if column.spec.type.kind == "string" else np.zeros(n),
                     np.ones(n, dtype=bool))
    if str(params["subject"]).upper() not in AP_SUBJECTS:  # most: no simulated pupil sits them
        return nothing
    hits = _subject_hits(frame, str(params["subject"]))
    graded = hits & _entry_reformed(frame) if params.get("scale") == "_91" else hits
    null = ~graded.any(1)
    if null.all():
        return nothing
    last = graded.shape[1] - 1 - np.argmax(graded[:, ::-1], axis=1)  # the last slot sitting it
    if column.spec.type.kind != "string":  # a numeric column holds the 9-1 grade
        return Masked(np.where(null, 0, entry_points(frame)[np.arange(n), last]).astype(float),
                      null)
    grade = np.where(null, "", _entry_grades(frame)[np.arange(n), last])
    return Masked(*_as_listed(grade, null, entry_points(frame), hits, column))


def _as_listed(grade: np.ndarray, null: np.ndarray, points: np.ndarray, hits: np.ndarray,
               column: RelationColumn) -> tuple[np.ndarray, np.ndarray]:
    """Grades spelt as the column's code list has them: as recorded, doubled (double award
    ``CC``) or as the grade's letter; NULL where the list has no spelling of it."""
    codes = set(column.spec.code_values) - {"Null"}
    if not column.spec.code_values:
        return grade, null
    letters = np.where(LETTER_OF_POINTS == "A*", "*", LETTER_OF_POINTS)
    letter = letters[(points * hits).max(1)]
    out = np.where(np.isin(grade, list(codes)), grade,
                   np.where(np.isin(np.char.add(grade, grade), list(codes)),
                            np.char.add(grade, grade), letter))
    return out, null | ~np.isin(out, list(codes))


@derivation("ks4_entered_subject")
def entered_subject(frame: Frame, relation: Relation, column: RelationColumn,
                    rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """1 if the pupil has a GCSE entry in ``subject`` (an AP name), or in each of
    ``subjects``, else 0."""
    names = params.get("subjects") or [params["subject"]]
    return np.all([_subject_hits(frame, str(name)).any(1) for name in names],
                  axis=0).astype(np.int64)


@derivation("ks4_pillars_entered")
def pillars_entered(frame: Frame, relation: Relation, column: RelationColumn,
                    rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """1 if the pupil entered exactly ``count`` of the five EBacc pillars (English, maths,
    science, humanities, languages; a pillar is entered as in ``ks4_ebacc_pillar``)."""
    ebacc = np.asarray(frame["ebacc_e"], dtype=bool)
    entered = (slot_points(frame)[:, :5] > 0) | ebacc[:, None]
    return (entered.sum(1) == int(params["count"])).astype(np.int64)


@derivation("ks4_open_ranked")
def open_ranked(frame: Frame, relation: Relation, column: RelationColumn,
                rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """The ``rank``-th best non-EBacc qualification's score (the open-slot GCSEs ranked by
    grade; 0 without one), or with ``gcse`` 1 if that qualification exists (all are GCSEs)."""
    ranked = -np.sort(-filled_points(frame)[:, 5:8], axis=1)[:, int(params["rank"]) - 1]
    if params.get("gcse"):
        return (ranked > 0).astype(np.int64)
    return ranked.astype(float)


@derivation("ks4_nc_level")
def nc_level(frame: Frame, relation: Relation, column: RelationColumn,
             rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """The National Curriculum level equivalent of the subject's GCSE grade, as the expected
    progress measures count it (G = 3, F = 4 ... C = 7, B = 8, A = 9, A* = 10; 0 for U or none)."""
    old = OLD_POINTS_OF_POINTS[_subject(frame, str(params["subject"])).max(1)]
    return np.where(old > 0, old + 2, 0)


# -- prior attainment and progress ---------------------------------------------------------------

def _prior_points(frame: Frame, stage: str, subject: str) -> tuple[np.ndarray, np.ndarray]:
    """A subject's prior point score: KS2 fine points (fine level x 6 + 3; level 4.0 = 27),
    KS3 level points (level x 6 + 3, KS3 has no fine grading)."""
    if stage == "ks2":
        fine, null = split_nulls(frame[f"ks2_{subject}_fine"])
        return fine.astype(float) * 6 + 3, null
    level, null = split_nulls(frame[f"ks3_{subject}_level"])
    return level.astype(float) * 6 + 3, null


PRIOR_BANDS = np.array(["1", "2", "3"])
"""The prior attainment bands' codes (the VRF's "1-4, NULL"): 1 low, 2 middle, 3 high."""
BAND_CUTS = (27.0, 33.0)
"""Where the middle and high bands start on these points: KS2 fine levels 4.0 and 5.0, so
the bands are DfE's below level 4, level 4 and above level 4 (cuts at 24 and 30 points put
two pupils in three in the high band, at fine level 4.5)."""
BANDS_BY_ENGLISH_AND_MATHS_FROM = 2010
"""The first KS2 year (tests in summer 2011, GCSEs in 2016) whose band comes from English
and maths alone, as Progress 8's prior attainment does; science counted before."""


@derivation("ks4_prior")
def prior(frame: Frame, relation: Relation, column: RelationColumn,
          rng: np.random.Generator, params: dict[str, Any]) -> object:
    """The pupil's KS2 (``stage`` ks2) or KS3 results carried into KS4, NULL without them.
    ``what``: ``level`` (of ``subject``), ``points`` (fine points of ``subject``), ``aps``
    (mean fine points of English, maths, science; ``power`` 2/3, times the EAL flag with
    ``eal``), ``dev`` (the subject's points - aps), ``band`` (``PRIOR_BANDS``: below fine level 4,
    below 5, above), ``score`` (2015/16 scaled score of ``subject`` read/mat), ``emfg`` / ``emss``
    (the P8 prior score: English and maths fine level / reading and maths scaled score),
    ``group`` (P8 prior-attainment group), ``year`` (summer of the KS2 tests)."""
    stage = str(params.get("stage", "ks2"))
    what = str(params["what"])
    subject = str(params.get("subject", "")).lower()
    subject = {"e": "eng", "m": "mat", "read": "read", "math": "mat", "maths": "mat"}.get(
        subject, subject)
    ks2_year = np.asarray(frame["ks2_year"], dtype=np.int64)
    if what == "level":
        level, null = split_nulls(frame[f"{stage}_{subject}_level"])
        if column.spec.type.kind == "string":
            return Masked(as_text(level), null)
        return Masked(level, null)
    if what == "year":
        return Masked(ks2_year + 1, ks2_year == 0)
    if what in ("score", "emss"):
        names = ["ks2_read_score", "ks2_mat_score"] if what == "emss" else [
            f"ks2_{subject}_score"]
        parts = [split_nulls(frame[name]) for name in names]
        value = np.mean([p[0].astype(float) for p in parts], axis=0)
        return Masked(_as_column_type(value, column), parts[0][1] | (ks2_year < 2015))
    if what in ("emfg", "group"):
        value, null = split_nulls(frame["p8_prior" if what == "emfg" else "p8_group"])
        scaled = ks2_year >= 2015
        return Masked(value, null | (scaled if params.get("scale", "fine") == "fine"
                                     else ~scaled))
    points = {s: _prior_points(frame, stage, s) for s in ("eng", "mat", "sci")}
    null = points["eng"][1]
    aps = np.round(np.mean([p[0] for p in points.values()], axis=0), 2)
    if what == "points":
        return Masked(np.round(points[subject][0], 2), null)
    if what == "dev":
        return Masked(np.round(points[subject][0] - aps, 2), null)
    if what == "band":
        english_and_maths = np.mean([points["eng"][0], points["mat"][0]], axis=0)
        basis = np.where(ks2_year >= BANDS_BY_ENGLISH_AND_MATHS_FROM, english_and_maths, aps)
        return take_codes(column, PRIOR_BANDS, np.searchsorted(BAND_CUTS, basis, side="right"),
                          null)
    value = np.round(aps ** int(params.get("power", 1)), 2)
    if params.get("eal"):
        value = value * np.asarray(frame["eal_flag"], dtype=float)
    return Masked(_as_column_type(value, column), null)


def _as_column_type(value: np.ndarray, column: RelationColumn) -> np.ndarray:
    """A computed score as the column stores it: rounded for an integer column (the VRF
    types some scores int), text for a varchar one."""
    if column.spec.type.kind == "integer":
        return np.rint(value).astype(np.int64)
    if column.spec.type.kind == "string":
        return as_text(value)
    return value


@derivation("ks4_progress8")
def progress8(frame: Frame, relation: Relation, column: RelationColumn,
              rng: np.random.Generator, params: dict[str, Any]) -> Masked:
    """Progress 8 (``ks4_progress``) of ``element`` a8 (all), eng, mat, ebacc or open, NULL
    without KS2 prior attainment. ``what``: ``pred`` (the group's national mean), ``orig``
    ((score - pred) / 10, or / 2, / 3 for an element), ``thresh`` (the group's mean P8, 0,
    less 3 standard deviations), ``score`` (orig raised to the threshold), ``adj`` (1 if
    raised), ``avg`` (0: the estimate is the group mean), ``sigma`` (the group's P8 standard
    deviation), ``included`` (1 with prior attainment, else 0)."""
    element = str(params.get("element", "a8")).lower()
    element = "ebacc" if element == "ebac" else element
    what = str(params["what"])
    preds = {e: split_nulls(frame[f"pred_{e}"]) for e in ELEMENT_WEIGHTS}
    null = preds["eng"][1]
    if what == "included":  # with ``subject``: only pupils who entered it
        included = ~null
        if params.get("subject"):
            included &= (_subject(frame, str(params["subject"])) > 0).all(1)
        return Masked(included.astype(np.int64), np.zeros(len(null), dtype=bool))
    filled = filled_points(frame)
    scores = element_scores({f"pts_{s}": filled[:, k] for k, s in enumerate(SLOTS)})
    if element == "a8":
        pred = sum(p[0] for p in preds.values())
        score, divisor = sum(scores.values()), 10
    else:
        pred, score, divisor = preds[element][0], scores[element], ELEMENT_WEIGHTS[element]
    sigma = split_nulls(frame["p8_sigma"])[0].astype(float)
    orig = np.round((score - pred) / divisor, 2)
    thresh = np.round(-3 * sigma, 2)
    value = {"pred": np.round(pred, 2), "orig": orig, "thresh": thresh,
             "score": np.maximum(orig, thresh), "adj": (orig < thresh).astype(np.int64),
             "avg": np.zeros(len(orig)), "sigma": sigma}[what]
    return Masked(value, null)


@derivation("ks4_expected_progress")
def expected_progress(frame: Frame, relation: Relation, column: RelationColumn,
                      rng: np.random.Generator, params: dict[str, Any]) -> Masked:
    """1 if the subject's GCSE (as an NC level, ``ks4_nc_level``) is at least ``levels``
    above the pupil's level in the subject at KS2 (``stages`` 24) or KS3 (34), else 2; NULL
    without one."""
    subject = str(params["subject"]).lower()
    gcse = nc_level(frame, relation, column, rng, {"subject": subject})
    short = "eng" if subject == "eng" else "mat"
    stage = {"24": "ks2", "34": "ks3"}.get(str(params.get("stages", "24")))
    level, null = split_nulls(frame[f"{stage}_{short}_level"])
    return Masked(np.where(gcse - level >= int(params["levels"]), 1, 2), null)


@derivation("ks4_value_added")
def value_added(frame: Frame, relation: Relation, column: RelationColumn,
                rng: np.random.Generator, params: dict[str, Any]) -> Masked:
    """Value added (``ks4_progress``) of ``measure`` b8 (best 8 plus bonuses; g8 is the same,
    every entry being a GCSE) or an EBacc subject (eng, mat, sci, hum, lan): ``pred`` the
    national mean of the pupil's KS2 group, ``score`` the outcome less ``pred``. NULL without
    KS2 prior attainment and, for a subject, without an entry in it."""
    measure = str(params["measure"]).lower()
    measure = "b8" if measure in ("b8", "g8") else measure
    pred, null = split_nulls(frame[f"va_pred_{measure}"])
    outcome = va_outcomes({f"pts_{s}": frame[f"pts_{s}"] for s in ENTRY_SLOTS})[measure]
    if measure in VA_SLOTS:
        null = null | (np.asarray(frame[VA_SLOTS[measure]]) == 0)
    value = np.round(pred.astype(float) if params["what"] == "pred" else outcome - pred, 2)
    return Masked(_as_column_type(value, column), null)


CVA_KNOT = 58.0
"""Distance from the floor and ceiling of the best 8 outcome (0 to 580 new-style points: 10
slots, A* = 58) where the CVA ceiling/floor correction starts: one A* grade."""


@derivation("ks4_cva")
def contextual_value_added(frame: Frame, relation: Relation, column: RelationColumn,
                           rng: np.random.Generator, params: dict[str, Any]) -> Masked:
    """Contextual value added (2004/05-2009/10) of the best 8 outcome with the English and maths
    bonuses (as ``ks4_value_added`` b8) from ``stage`` 2 (KS2) or 3 (KS3): ``interim`` the
    national mean outcome of the pupil's prior group (the only context modelled), ``pred`` it
    corrected for ceiling and floor effects (``ks4_progress.ceiling_floor``, knots one A*
    inside 0 and 580), ``score`` 1000 + the outcome less ``pred`` (DfE's CVA scale), ``raw``
    the outcome less ``pred``. NULL without the prior stage."""
    name = "va_pred_b8" if str(params["stage"]) == "2" else "va_pred_b8_ks3"
    interim, null = split_nulls(frame[name])
    interim = interim.astype(float)
    pred = ceiling_floor(interim, VA_MEASURES["b8"] * NEWSTYLE_OF_POINTS.max(), CVA_KNOT)
    outcome = va_outcomes({f"pts_{s}": frame[f"pts_{s}"] for s in ENTRY_SLOTS})["b8"]
    value = {"interim": interim, "pred": pred, "score": 1000 + outcome - pred,
             "raw": outcome - pred}[str(params["what"])]
    return Masked(np.round(value, 2), null)


@derivation("ks4_exam_points")
def exam_points(frame: Frame, relation: Relation, column: RelationColumn,
                rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """For a KS4 exam row: its grade points (9-1) if the row is the subject's (``subject``: the
    0/1 attribute ``a8eng`` or ``a8mat``), else 0."""
    points = np.asarray(frame["grade_points"], dtype=np.int64)  # (9-1, any year)
    return np.where(np.asarray(frame[params["subject"]]) == 1, points, 0)


@derivation("ks4_median_va")
def median_va(frame: Frame, relation: Relation, column: RelationColumn,
              rng: np.random.Generator, params: dict[str, Any]) -> Masked:
    """Median-line value added (``ks4_progress``) from ``stage`` 2 (KS2) or 3 (KS3) on the
    ``scale`` new or old capped point score: ``median`` the national median of the pupil's
    prior group, ``va`` the pupil's capped score less it; NULL without the prior stage."""
    name = f"median_ks{params['stage']}_{str(params['scale']).lower()}"
    median, null = split_nulls(frame[name])
    if params["what"] == "median":
        return Masked(np.rint(median.astype(float)).astype(np.int64), null)
    outcome = median_outcomes({f"pts_{s}": frame[f"pts_{s}"] for s in ENTRY_SLOTS})
    return Masked(np.round(outcome[str(params["scale"]).lower()] - median, 1), null)


RESULT_TYPE_CODES = np.array(["0", "1", "4"])
"""KS4_ENGLISHTYPE / KS4_MATHSTYPE codes a GCSE can have: 0 no score, 1 GCSE level 2 (A*-C),
4 GCSE level 1 (D-G); the functional, other and ELQ codes (2, 3, 5-7) need qualifications the
simulation does not have."""


@derivation("ks4_result_type")
def result_type(frame: Frame, relation: Relation, column: RelationColumn,
                rng: np.random.Generator, params: dict[str, Any]) -> object:
    """The type of the ``subject`` (eng, mat) result behind the CVA English and maths bonus:
    1 for a GCSE at A*-C (9-1 points 4 and up), 4 at D-G (1-3), 0 without a graded GCSE."""
    best = _subject(frame, str(params["subject"])).max(1)
    index = np.where(best >= 4, 1, np.where(best >= 1, 2, 0))
    return take_codes(column, RESULT_TYPE_CODES, index)
