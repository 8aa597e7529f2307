"""KS5 student measures derived from the student's A level entries (the KS5 exam rows), from
the years the student was allocated to an institution, and from the student's KS4 record.

The KS5 student builder (:mod:`leo_synth.relations.ks5`) provides the grades and subjects of up
to four A levels (``al_1`` .. ``al_4``: 0 = U, 1 = E ... 5 = A, 6 = A*, -1 = no entry;
``sub_1`` .. ``sub_4``: mapping codes), the allocation years (``alloc_0/1/2``, institutions
``inst_0/1/2`` and their LAs ``la_0/1/2`` in RY, RY-1, RY-2) and the KS4 slot points
(``ks4_pts_<slot>``); the rules of ``schemas/rules/ks5_student.yaml`` name these derivations,
so counts, grades and flags agree with the exam rows and with each other.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

import numpy as np

from leo_synth.relations.derive import count_or_flag, derivation, per_frame
from leo_synth.relations.ks4_progress import ceiling_floor
from leo_synth.relations.ks4_subjects import OLD_POINTS_OF_POINTS
from leo_synth.relations.ks5_subjects import (
    FACILITATING_MAPPINGS,
    GENERAL_STUDIES,
    MAPPING_OF_SUBJECT,
)
from leo_synth.relations.registry import YEAR_ATTRIBUTE
from leo_synth.relations.values import Masked
from leo_synth.simulation.attainment import NEWSTYLE_OF_POINTS, SLOTS
from leo_synth.simulation.frame import Frame, split_nulls
from leo_synth.spec.model import Relation, RelationColumn

GRADE_INDEX = {"U": 0, "E": 1, "D": 2, "C": 3, "B": 4, "A": 5, "A*": 6}
GRADE_LETTERS = np.array(list(GRADE_INDEX))
POINTS_2016 = np.array([0, 10, 20, 30, 40, 50, 60])
"""A level points from 2015/16 (U, E ... A*): DfE's 16-18 performance points, A* = 60 (its
average point score per entry, 32.87 in 2018/19, is a C+). Rejected: the UCAS tariff's
A* = 56 ... E = 16, the universities' scale, which the KS5 tables do not use."""
POINTS_QCA = np.array([0, 150, 180, 210, 240, 270, 300])  # QCA points to 2014/15 (A* from 2010)
AS_POINTS_QCA = np.array([0, 75, 90, 105, 120, 135])
"""GCE AS level points to 2014/15 (U, E ... A): half an A level's QCA points."""
AS_POINTS_2016 = np.array([0, 7, 10, 13, 17, 20])
"""GCE AS level points from 2015/16 (U, E ... A): DfE's 6.67, 10, 13.33, 16.67 and 20, to
the whole point the integer points columns hold."""
AS_LEVEL_SUBLEVNO = 121
"""KS5_SUBLEVNO of a GCE AS level (an A level is 111)."""
AS_SIZE = 0.5
"""An AS level's size in A levels (the KS5 sizes and entry totals count A level equivalents)."""
ENTRIES = 4


@per_frame
def alevel_grades(frame: Frame) -> np.ndarray:
    """(rows, 4) A level grade indexes, -1 where there is no entry."""
    return np.stack([np.asarray(frame[f"al_{i}"], dtype=np.int64)
                     for i in range(1, ENTRIES + 1)], axis=1)


@per_frame
def alevel_subjects(frame: Frame) -> np.ndarray:
    """(rows, 4) mapping codes of the A levels, '' where there is no entry."""
    return np.stack([np.asarray(frame[f"sub_{i}"]).astype(str)
                     for i in range(1, ENTRIES + 1)], axis=1)


@per_frame
def as_grades(frame: Frame) -> np.ndarray:
    """(rows, 1) grade index of the student's AS level (0 = U ... 5 = A), -1 without one."""
    return np.asarray(frame["as_grade"], dtype=np.int64)[:, None]


@per_frame
def as_subjects(frame: Frame) -> np.ndarray:
    """(rows, 1) mapping code of the student's AS level, '' without one."""
    return np.asarray(frame["as_sub"]).astype(str)[:, None]


def _selected(frame: Frame, params: dict[str, Any], as_level: bool = False) -> np.ndarray:
    """(rows, 4) entries counted by a rule (with ``as_level`` the (rows, 1) AS entry instead):
    with ``facilitating`` only facilitating subjects, with ``mapping`` only those subjects
    (mapping codes); ``general_studies``: ``false`` without General Studies, ``only`` General
    Studies alone."""
    grades = as_grades(frame) if as_level else alevel_grades(frame)
    keep = grades >= 0
    subjects = as_subjects(frame) if as_level else alevel_subjects(frame)
    if params.get("facilitating"):
        keep &= np.isin(subjects, FACILITATING_MAPPINGS)
    if "mapping" in params:
        keep &= np.isin(subjects, [str(code) for code in params["mapping"]])
    general = params.get("general_studies", True)
    if general is False:
        keep &= subjects != GENERAL_STUDIES
    elif general == "only":
        keep &= subjects == GENERAL_STUDIES
    return keep


def _vocational(frame: Frame, params: dict[str, Any], key: str) -> np.ndarray:
    """``params[key]`` (0 without it) for students of the vocational programme, else 0."""
    return np.asarray(frame["vocational"], dtype=np.int64) * params.get(key, 0)


def _in_band(grades: np.ndarray, params: dict[str, Any]) -> np.ndarray:
    low = GRADE_INDEX[str(params.get("from", "U"))]
    high = GRADE_INDEX[str(params.get("to", "A*"))]
    return (grades >= low) & (grades <= high)


@derivation("ks5_alevel_count")
def alevel_count(frame: Frame, relation: Relation, column: RelationColumn,
                 rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """Number of A levels with a grade ``from`` .. ``to`` (default: every entry; selected as
    :func:`_selected`), plus ``vocational`` for a student of the vocational programme (its
    entries or size in A levels), at most ``cap``; with ``at_least`` a 0/1 flag for that many
    or more; with ``ks4_maths_from`` 0 for students below that KS4 maths grade (9-1)."""
    counted = _in_band(alevel_grades(frame), params) & _selected(frame, params)
    count = counted.sum(1) + _vocational(frame, params, "vocational")
    if "as_levels" in params:  # each AS entry in the band counts this much (1, or its size)
        count = count + as_count(frame, params) * params["as_levels"]
    if "ks4_maths_from" in params:  # only students with that KS4 maths grade (9-1) or better
        count = count * (np.asarray(frame["ks4_pts_mat"]) >= int(params["ks4_maths_from"]))
    count = count_or_flag(count, params)
    if column.spec.type.kind == "string":  # a text column holds a size as SQL Server writes
        # a float (3, 3.5), not as Python does (3.0): formatted once per distinct value
        sizes, inverse = np.unique(count, return_inverse=True)
        return np.array([f"{size:g}" for size in sizes])[inverse]
    return count


def as_count(frame: Frame, params: dict[str, Any]) -> np.ndarray:
    """Number of AS levels (0 or 1) with a grade ``from`` .. ``to`` (default: any), selected
    as :func:`_selected`."""
    return (_in_band(as_grades(frame), params) & _selected(frame, params, True)).sum(1)


@derivation("ks5_as_count")
def as_level_count(frame: Frame, relation: Relation, column: RelationColumn,
                   rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """Number of AS levels as :func:`as_count`, times ``size`` (default 1: entries; an AS's
    size in A levels for the size columns); with ``at_least`` a 0/1 flag."""
    count = as_count(frame, params)
    if "size" in params:
        return count * float(params["size"])
    return count_or_flag(count, params)


@derivation("ks5_best_three")
def best_three(frame: Frame, relation: Relation, column: RelationColumn,
               rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """1 if three of the student's A levels are at least ``grades`` (e.g. [A, A, B]), at least
    ``facilitating`` of the three (default 0) in facilitating subjects."""
    wanted = np.array([GRADE_INDEX[g] for g in params["grades"]])
    grades = alevel_grades(frame)
    facilitating = np.isin(alevel_subjects(frame), FACILITATING_MAPPINGS) & (grades >= 0)
    need = int(params.get("facilitating", 0))
    out = np.zeros(len(frame), dtype=bool)
    for trio in combinations(range(ENTRIES), 3):
        picked = np.sort(grades[:, trio], axis=1)[:, ::-1]
        out |= (picked >= wanted).all(1) & (facilitating[:, trio].sum(1) >= need)
    return out.astype(np.int64)


def entry_points(frame: Frame, scale: str = "year") -> np.ndarray:
    """(rows, 4) points of each A level: the year's scale (``year``: 2015/16 on A* = 60, else
    QCA A* = 300) or the QCA scale (``qca``); 0 where there is no entry."""
    grades = alevel_grades(frame)
    if scale == "qca":
        return POINTS_QCA[np.maximum(grades, 0)] * (grades >= 0)
    return grade_points(grades, np.asarray(frame[YEAR_ATTRIBUTE])[:, None])


def as_points(frame: Frame, params: dict[str, Any]) -> np.ndarray:
    """Points of the student's AS level (``scale`` as :func:`entry_points`; selected as
    :func:`_selected`), 0 without one."""
    grades = as_grades(frame)[:, 0]
    if str(params.get("scale", "year")) == "qca":
        points = AS_POINTS_QCA[np.maximum(grades, 0)] * (grades >= 0)
    else:
        points = as_grade_points(grades, np.asarray(frame[YEAR_ATTRIBUTE]))
    return points * _selected(frame, params, True)[:, 0]


def as_grade_points(grades: np.ndarray, year: np.ndarray) -> np.ndarray:
    """Points of AS grades (0 = U ... 5 = A; -1, none, scores 0) in the scale of academic
    years ``year``: :data:`AS_POINTS_2016` from 2015/16, else :data:`AS_POINTS_QCA`."""
    safe = np.maximum(grades, 0)
    return np.where(year >= 2015, AS_POINTS_2016[safe], AS_POINTS_QCA[safe]) * (grades >= 0)


@derivation("ks5_as_points")
def as_level_points(frame: Frame, relation: Relation, column: RelationColumn,
                    rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """Points of the student's AS level (:func:`as_points`)."""
    return as_points(frame, params)


def grade_points(grades: np.ndarray, year: np.ndarray) -> np.ndarray:
    """Points of A level grades (0 = U ... 6 = A*; -1, no entry, scores 0) in the scale of
    academic years ``year`` (broadcast against ``grades``): :data:`POINTS_2016` from 2015/16,
    else :data:`POINTS_QCA`."""
    safe = np.maximum(grades, 0)
    return np.where(year >= 2015, POINTS_2016[safe], POINTS_QCA[safe]) * (grades >= 0)


@derivation("ks5_alevel_points")
def alevel_points(frame: Frame, relation: Relation, column: RelationColumn,
                  rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """Points of the student's A levels (``scale`` as :func:`entry_points`): the sum, or with
    ``best`` the sum of the best that many; with ``per`` divided by that number (2 decimals);
    ``facilitating`` / ``general_studies`` select entries as for counts; with
    ``vocational: true`` plus the vocational programme's points (as in KS5_TOTPTS)."""
    points = entry_points(frame, str(params.get("scale", "year"))) * _selected(frame, params)
    if "best" in params:
        points = np.sort(points, axis=1)[:, ::-1][:, :int(params["best"])]
    total = points.sum(1)
    if params.get("as_levels"):
        total = total + as_points(frame, params)
    if params.get("vocational"):
        total = total + np.asarray(frame["vocational_points"], dtype=np.int64)
    if "per" in params:
        return np.round(total / float(params["per"]), 2)
    return total


@derivation("ks5_subject_grade")
def subject_grade(frame: Frame, relation: Relation, column: RelationColumn,
                  rng: np.random.Generator, params: dict[str, Any]) -> Masked:
    """The grade of the student's ``qualification`` entry in ``subject`` (a ``KS5_GA_<subject>``
    suffix), NULL without one. The simulated entries are GCE A levels (``GA``) and AS levels
    (``GAS``), so other qualifications (VCE, applied, double awards) and subjects outside
    the simulated list are NULL."""
    n = len(frame)
    mapping = MAPPING_OF_SUBJECT.get(str(params["subject"]).upper())
    qualification = str(params.get("qualification", "GA")).upper()
    if qualification not in ("GA", "GAS") or mapping is None:
        return Masked(np.full(n, ""), np.ones(n, dtype=bool))
    as_level = qualification == "GAS"
    grades = as_grades(frame) if as_level else alevel_grades(frame)
    subjects = as_subjects(frame) if as_level else alevel_subjects(frame)
    hit = (subjects == mapping) & (grades >= 0)
    grade = np.where(hit, grades, -1).max(1)
    return Masked(GRADE_LETTERS[np.maximum(grade, 0)], grade < 0)


ROUTES = {"ib": 1, "applied": 2, "btec_ocr": 3, "nvq_vrq": 4, "alevel": 5, "other": 6}
"""KS5_QROUTE codes."""


@derivation("ks5_route")
def route(frame: Frame, relation: Relation, column: RelationColumn,
          rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """The qualification route (largest volume of entries): 3 (BTEC/OCR) for a student of the
    vocational programme (a BTEC National), 5 (A level) for a student with A levels (without
    General Studies with ``general_studies: false``), else 6 (other)."""
    alevels = _selected(frame, params).sum(1)
    vocational = np.asarray(frame["vocational"]) == 1
    return np.select([vocational, alevels > 0], [ROUTES["btec_ocr"], ROUTES["alevel"]],
                     ROUTES["other"])


_YEARS = {"ALL": (0, 1, 2), "0_1": (0, 1), "1_2": (1, 2), "0_2": (0, 2), "0": (0,), "1": (1,),
          "2": (2,)}


@derivation("ks5_same")
def same(frame: Frame, relation: Relation, column: RelationColumn,
         rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """KS5 allocation flags over the years ``years`` (RY = 0, RY-1 = 1, RY-2 = 2; ``ALL``: the
    years the student was allocated): 1 if the student was allocated in each of them (in at
    least one for ``ALL``) and, by ``scope``, at one institution (``INST``), in one LA
    (``LA``), at state-funded providers (``MTD``), at providers in national figures (``NAT``)
    or in a consortium (``CONS``), else 0."""
    scope = str(params["scope"]).upper()
    years = _YEARS[str(params["years"]).upper()]
    alloc = np.stack([np.asarray(frame[f"alloc_{y}"]) == 1 for y in range(3)], axis=1)
    need = alloc[:, years]
    if str(params["years"]).upper() == "ALL":
        ok = alloc.any(1)
        counted = alloc
    else:
        ok = need.all(1)
        counted = np.zeros_like(alloc)
        counted[:, years] = True
    if scope in ("INST", "LA"):
        key = "inst" if scope == "INST" else "la"
        values = np.stack([np.asarray(frame[f"{key}_{y}"]) for y in range(3)], axis=1)
        first = np.where(counted, values, np.iinfo(np.int64).max).min(1)
        ok &= (~counted | (values == first[:, None])).all(1)
    else:
        flag = {"MTD": "mtd", "NAT": "nat1618", "CONS": "consortium"}[scope]
        ok &= np.asarray(frame[flag]) == 1
    return ok.astype(np.int64)


def ks4_slot_points(frame: Frame) -> np.ndarray:
    """(rows, 8) the student's KS4 GCSE grades (9-1 points, 0 = no entry) from the KS4 row."""
    return np.stack([np.asarray(frame[f"ks4_pts_{slot}"], dtype=np.int64) for slot in SLOTS],
                    axis=1)


def ks4_average(raw: np.ndarray) -> np.ndarray:
    """AVGKS4: the average QCA points (G = 16 ... A* = 58) of the KS4 GCSEs whose 9-1 points
    are ``raw`` (rows, slots), 2 decimals; 0 without GCSEs."""
    qca = NEWSTYLE_OF_POINTS[raw] * (raw > 0)
    return np.round(qca.sum(1) / np.maximum((raw > 0).sum(1), 1), 2)


PRIOR_MEASURES = {"TOTKS4": "total", "VOLKS4": "volume", "GVOL": "volume", "AVGKS4": "average",
                  "GRADEAKS4": "top", "ENGKS4": "eng", "MATKS4": "mat", "EDFKS4": "eng_diff",
                  "MDFKS4": "mat_diff"}
"""KS5 prior attainment columns and the measure of :func:`prior` each one is."""


@derivation("ks5_prior")
def prior(frame: Frame, relation: Relation, column: RelationColumn,
          rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """KS4 prior attainment from the student's KS4 GCSE results (the slot points of the KS4
    record, points 1-9 = G ... A*); ``measure`` (a column name of :data:`PRIOR_MEASURES` or a
    measure): ``total`` (sum of the GCSEs' QCA points, G = 16 ... A* = 58), ``volume`` (number
    of GCSEs), ``average`` (total / volume, 2 decimals, 0 without GCSEs), ``top`` (number at
    A/A*), ``eng`` / ``mat`` (the English / maths GCSE's QCA points, 0 if not taken),
    ``eng_diff`` / ``mat_diff`` (those points minus the average), ``grade_e`` / ``grade_m``
    (the English / maths GCSE's 9-1 grade; with ``below`` / ``at_least`` a 0/1 flag of a
    lower / that or a higher grade, with ``equal`` of that grade; with ``points`` the grade's
    points on the 16-18 English and maths measure's 0-8 scale, A* 8 ... G 1, U 0, a 9-1 grade
    taking its aligned letter's, and with ``null_from`` too NULL from that grade up)."""
    raw = ks4_slot_points(frame)
    qca = NEWSTYLE_OF_POINTS[raw] * (raw > 0)
    measure = PRIOR_MEASURES.get(str(params["measure"]), str(params["measure"]))
    if measure.startswith("grade_"):  # the English (e) / maths (m) GCSE's 9-1 grade
        grade = raw[:, SLOTS.index({"e": "eng", "m": "mat"}[measure[-1]])]
        if "at_least" in params:
            return (grade >= int(params["at_least"])).astype(np.int64)
        if "below" in params:
            return (grade < int(params["below"])).astype(np.int64)
        if "equal" in params:
            return (grade == int(params["equal"])).astype(np.int64)
        if not params.get("points"):
            return grade
        points = OLD_POINTS_OF_POINTS[grade]  # the progress measure's 0-8 scale
        if "null_from" in params:  # the revised baseline: only students in scope have one
            return Masked(points, grade >= int(params["null_from"]))
        return points
    volume = (raw > 0).sum(1)
    average = ks4_average(raw)
    if measure == "total":
        return qca.sum(1)
    if measure == "volume":
        return volume
    if measure == "average":
        return average
    if measure == "top":
        return (raw >= 7).sum(1)
    subject, _, diff = measure.partition("_")
    points = qca[:, SLOTS.index(subject)]
    return np.round(points - average) if diff else points


PRIOR_BUCKETS = {"e": ("no passes", "G", "F", "E", "D", "C", "B", "A", "A*"),
                 "m": ("no passes", "G", "F and below F", "E", "D", "C", "B", "A", "A*")}
"""The attainment bucket of each whole grade's points on the 0-8 scale (U or no GCSE 0 ... A*
8), spelt as the VRF lists the buckets of English and of maths (its maths list has "F and below
F" where English has "F")."""


@derivation("ks5_prior_bucket")
def prior_bucket(frame: Frame, relation: Relation, column: RelationColumn,
                 rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """KS5_NAT_BASE_PTS_E / _M grouped into the VRF's attainment buckets (``subject`` E or M):
    a grade's points are its letter's bucket, 0 is "no passes". The buckets between two grades
    hold averaged baselines, which a simulated student's single GCSE grade never is."""
    subject = str(params["subject"]).lower()
    points = prior(frame, relation, column, rng, {"measure": f"grade_{subject}", "points": True})
    return np.array(PRIOR_BUCKETS[subject])[points]


# -- KS5 exam rows -----------------------------------------------------------------------------

@derivation("ks5_discounted")
def discounted(frame: Frame, relation: Relation, column: RelationColumn,
               rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """1 if the result is discounted: the student (``student``) has another result of the same
    kind (an A level, ``lev3`` 1, or a GCSE) in the same subject (``mapping``) with more points
    (``discount_points``: a GCSE's grade), or as many and listed earlier; else 0."""
    return _discounted(frame).copy()  # every such column of the frame alike


@per_frame
def _discounted(frame: Frame) -> np.ndarray:
    student = np.asarray(frame["student"], dtype=np.int64)
    mapping = np.char.add(np.asarray(frame["lev3"]).astype(str),
                          np.asarray(frame["mapping"]).astype(str))
    points = np.asarray(frame["discount_points"], dtype=float)
    order = np.lexsort((np.arange(len(frame)), -points, mapping, student))
    same = np.zeros(len(frame), dtype=bool)
    if len(frame) > 1:
        same[1:] = ((student[order][1:] == student[order][:-1])
                    & (mapping[order][1:] == mapping[order][:-1]))
    out = np.zeros(len(frame), dtype=np.int64)
    out[order] = same
    return out


@derivation("ks5_exam_points")
def exam_points(frame: Frame, relation: Relation, column: RelationColumn,
                rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """The result's points (``of``: ``points``) or size (``size``: ``asize``, 1 for an A level,
    0.5 for an AS level), counting only General Studies (``general_studies: only``) or all but
    it (``false``)."""
    size = params.get("of", "points") != "points"
    values = np.asarray(frame["asize" if size else "points"], dtype=float)
    general = np.asarray(frame["general_studies"]) == 1
    keep = general if params.get("general_studies") == "only" else ~general
    kept = np.where(keep, values, 0)
    return kept if size else kept.astype(np.int64)


@derivation("ks5_max_points")
def max_points(frame: Frame, relation: Relation, column: RelationColumn,
               rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """Maximum QCA points of the result's qualification: an A level's A* = 300 from 2009/10
    (the first A* grades), before that A = 270; an AS level's A = 135 (AS has no A*)."""
    as_level = np.asarray(frame["sublevno"]) == AS_LEVEL_SUBLEVNO
    return np.where(as_level, AS_POINTS_QCA[5], top_qca_points(frame[YEAR_ATTRIBUTE]))


A_STAR_FROM = 2009
"""First academic year (2009/10: summer 2010) in which A level grade A* was awarded."""


def top_qca_points(year: np.ndarray) -> np.ndarray:
    """QCA points of the top A level grade in academic years ``year``: A* = 300 from
    :data:`A_STAR_FROM`, A = 270 before."""
    return np.where(np.asarray(year) >= A_STAR_FROM, POINTS_QCA[6], POINTS_QCA[5])


# -- KS4 to KS5 value added (2007/08 to 2009/10) and the 2015/16 grade difference ----------------

RESCALED_MAX = 1000
"""A student's re-scaled score is the share of the maximum QCA points of their entries that
they scored, per thousand: every entry at the top grade scores 1000, every entry at U 0."""
CEILING_KNOT = 100
"""Distance from the ceiling (and floor) where the ceiling/floor correction starts."""


def max_qca_points(frame: Frame) -> np.ndarray:
    """MAXPTGS: the most QCA points the student's A level entries could score (General Studies
    at full weight): 300 (A*) each from 2009/10, 270 (A) before."""
    return (alevel_grades(frame) >= 0).sum(1) * top_qca_points(frame[YEAR_ATTRIBUTE])


@derivation("ks5_value_added")
def value_added(frame: Frame, relation: Relation, column: RelationColumn,
                rng: np.random.Generator, params: dict[str, Any]) -> Masked:
    """KS4-KS5 value added of the student's A levels (QCA points): ``what`` ``max_qca``
    (:func:`max_qca_points`), ``max_rs`` (the re-scaled maximum, 1000), ``total_rs`` (the QCA
    points as a share of the maximum, per thousand), ``pred`` (the predicted re-scaled score:
    the national line on AVGKS4, builder attribute ``va_pred_rs``), ``pred_cap`` (capped at 0
    and 1000), ``pred_cor`` (``ks4_progress.ceiling_floor``, knots 100 inside the limits),
    ``pred_final`` (corrected, then capped),
    ``pred_qca`` (the final prediction back on the QCA scale: its share of the maximum points),
    ``cva`` (QCA points less ``pred_qca``), ``grade_diff`` (the sum over the A levels of the
    grade, E = 1 ... A* = 6, less the national mean grade of students with the same AVGKS4,
    ``va_pred_grade``). NULL without A levels or KS4 GCSEs."""
    pred, null = split_nulls(frame["va_pred_rs"])
    pred = pred.astype(float)
    maximum = max_qca_points(frame)
    what = str(params["what"])
    corrected = ceiling_floor(pred, RESCALED_MAX, CEILING_KNOT)
    final = np.clip(corrected, 0, RESCALED_MAX)
    points = entry_points(frame, "qca").sum(1)
    if what == "grade_diff":
        grades = alevel_grades(frame)
        expected = split_nulls(frame["va_pred_grade"])[0].astype(float)
        value = np.round((np.maximum(grades, 0) * (grades >= 0)).sum(1)
                         - (grades >= 0).sum(1) * expected, 2)
    else:
        value = {
            "max_qca": maximum, "max_rs": np.full(len(frame), RESCALED_MAX),
            "total_rs": RESCALED_MAX * points / np.maximum(maximum, 1), "pred": pred,
            "pred_cap": np.clip(pred, 0, RESCALED_MAX), "pred_cor": corrected,
            "pred_final": final, "pred_qca": final / RESCALED_MAX * maximum,
            "cva": points - final / RESCALED_MAX * maximum}[what].astype(float)
        value = np.round(value, 2)
    if column.spec.type.kind == "integer":
        value = np.rint(value).astype(np.int64)
    return Masked(value, null)


EXAM_CATEGORIES = {"three": 1, "two": 2, "one": 3, "none": 4}
"""KS5_EXAMCAT codes (the VRF publishes none): 1 = 3+ level 3 passes, 2 = 2 passes (the level 3
threshold), 3 = 1 pass, 4 = entries but no pass; the KS4 categories' order, highest first."""


@derivation("ks5_exam_category")
def exam_category(frame: Frame, relation: Relation, column: RelationColumn,
                  rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """Highest examination category: A levels passed (A*-E), the vocational programme (the
    size of 3 A levels, achieved) counting as three, by :data:`EXAM_CATEGORIES`."""
    passes = (alevel_grades(frame) >= 1).sum(1) + 3 * np.asarray(frame["vocational"],
                                                                  dtype=np.int64)
    return np.select([passes >= 3, passes == 2, passes == 1],
                     [EXAM_CATEGORIES["three"], EXAM_CATEGORIES["two"], EXAM_CATEGORIES["one"]],
                     EXAM_CATEGORIES["none"]).astype(str)
