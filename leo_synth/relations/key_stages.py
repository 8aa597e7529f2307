"""NPD attainment relations: EYFSP, KS1, KS2, KS3 (pupil and result tables), the KS4 exam table
and KS5 (student and exam tables).

Results come from the simulated latent attainment, so a pupil's KS2 levels, KS4 grades and KS5
points agree with each other, and the exam tables add up to the pupil tables: the KS4 exam rows
carry the grades behind the pupil's Attainment 8; the KS5 exam rows the A level grades behind
the student's points. Attribute names are the VRF fields' base names in lower case.
"""

from __future__ import annotations

import numpy as np

from leo_synth.relations.ks4_subjects import exam_grade, reformed, slot_subjects
from leo_synth.relations.npd import CARE_ATTRIBUTES, care_attributes
from leo_synth.relations.pupil import PUPIL_ATTRIBUTES, pupil_attributes
from leo_synth.relations.registry import YEAR_ATTRIBUTE, builder
from leo_synth.relations.values import Masked
from leo_synth.simulation import key_stages
from leo_synth.simulation.attainment import NEWSTYLE_OF_POINTS, SLOTS
from leo_synth.simulation.calendar import ymd
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.life import LifeCourse
from leo_synth.simulation.per_block import per_block
from leo_synth.spec.model import Relation

COMMON = (YEAR_ATTRIBUTE, *PUPIL_ATTRIBUTES, "acadyr", "pupilmatchingrefanonymous", "yeargrp",
          "actyrgrp", "version", "nftype", "toe_code", "age", "endks", "enrolsts", "examyear",
          "season", "assessyr", *CARE_ATTRIBUTES)


@per_block
def _stage_rows(life: LifeCourse, stage: str) -> Frame:
    return key_stages.assessed_pupils(life, stage)


def _common(life: LifeCourse, rows: Frame, yeargroup: int) -> dict[str, object]:
    n = len(rows)
    attrs = pupil_attributes(life, rows["person"], rows["year"], rows["school"])
    return {
        **care_attributes(life, rows["person"], rows["year"]),
        YEAR_ATTRIBUTE: rows["year"], **attrs, "acadyr": attrs["academic_year"],
        "pupilmatchingrefanonymous": attrs["pmr"], "yeargrp": np.full(n, yeargroup),
        "actyrgrp": np.full(n, yeargroup), "version": np.full(n, "F"),
        "nftype": np.full(n, 20), "toe_code": np.full(n, 1), "age": attrs["age_start"],
        "endks": np.ones(n, dtype=np.int64), "enrolsts": np.full(n, "C"),
        "examyear": rows["year"] + 1, "season": np.full(n, "S"), "assessyr": rows["year"] + 1,
    }


# -- EYFSP ---------------------------------------------------------------------------------------

EYFSP_SCALES = ("pse_as1", "pse_as2", "pse_as3", "cll_as1", "cll_as2", "cll_as3", "cll_as4",
                "psrn_as1", "psrn_as2", "psrn_as3", "rkuw", "ripd", "ricd")


@builder("npd.eyfsp", provides=(*COMMON, *EYFSP_SCALES, "pse_total", "cll_total",
                                "psrn_total", "eyfsp_total"))
def eyfsp(life: LifeCourse, relation: Relation) -> Frame:
    """One row per pupil assessed at the end of reception: 13 scales and area totals."""
    rows = _stage_rows(life, "eyfsp")
    scores = key_stages.eyfsp_scores(rows)
    out = _common(life, rows, 0)
    for i, scale in enumerate(EYFSP_SCALES):
        out[scale] = scores[:, i]
    out["pse_total"] = scores[:, 0:3].sum(1)
    out["cll_total"] = scores[:, 3:7].sum(1)
    out["psrn_total"] = scores[:, 7:10].sum(1)
    out["eyfsp_total"] = scores.sum(1)
    return Frame(out)


# -- KS1 -----------------------------------------------------------------------------------------

KS1_CODES = np.array(["W", "1", "2C", "2B", "2A", "3", "4"])
KS1_POINTS = np.array([3, 9, 13, 15, 17, 21, 27])


@builder("npd.ks1", provides=(*COMMON, "reading", "writing", "maths", "science", "readpoints",
                              "writpoints", "matpoints", "scipoints", "aps", "read2plus",
                              "writ2plus", "maths2plus", "read2bplus", "writ2bplus",
                              "maths2bplus", "read3plus", "writ3plus", "maths3plus"))
def ks1(life: LifeCourse, relation: Relation) -> Frame:
    """One row per pupil at the end of Year 2: levels W, 1, 2C/2B/2A, 3, 4 and points."""
    rows = _stage_rows(life, "ks1")
    out = _common(life, rows, 2)
    aps = []
    for i, (subject, short) in enumerate((("reading", "read"), ("writing", "writ"),
                                          ("maths", "mat"), ("science", "sci"))):
        raw = 3.0 + 1.25 * (0.85 * rows["latent"] + 0.5 * rows["noise"][:, i])
        index = np.clip(np.floor(raw), 0, 6).astype(np.int64)
        if subject == "science":  # science is assessed in whole levels
            index = np.select([index <= 1, index <= 4], [index, 2], np.minimum(index, 6))
            out[subject] = np.array(["W", "1", "2", "2", "2", "3", "4"])[index]
        else:
            out[subject] = KS1_CODES[index]
        out[f"{short}points"] = KS1_POINTS[index]
        if subject != "science":
            aps.append(KS1_POINTS[index])
            stem = "maths" if subject == "maths" else short
            out[f"{stem}2plus"] = (index >= 2).astype(np.int64)
            out[f"{stem}2bplus"] = (index >= 3).astype(np.int64)
            out[f"{stem}3plus"] = (index >= 5).astype(np.int64)
    out["aps"] = np.round(np.mean(aps, axis=0), 1)
    return Frame(out)


# -- KS2 -----------------------------------------------------------------------------------------

KS2_SUBJECTS = {"english": "eng", "maths": "mat", "science": "sci"}
KS2_POINTS = np.array([0, 0, 15, 21, 27, 33, 39])  # points of levels 2 to 6


KS2_MARK_BANDS = np.array([[0, 18], [0, 18], [0, 18], [19, 45], [46, 78], [79, 94], [95, 100]])
"""Test marks (out of 100) of levels 2 to 6 (rows 2..6): a level is awarded by its mark band,
as on the KS2 tests' level thresholds (typical 2000s maths thresholds: 19, 46, 79)."""


def _ks2_levels(rows: Frame) -> dict[str, np.ndarray]:
    return {short: np.clip(levels, 2, 6) for short, levels in zip(
        KS2_SUBJECTS.values(), key_stages.subject_levels(rows, "ks2").values(), strict=True)}


def _ks2_marks(rows: Frame) -> dict[str, np.ndarray]:
    """Test mark per subject inside its level's band, placed by the score's position within the
    level, so the level follows from the mark (``level_of_ks2_mark``)."""
    out = {}
    for short, raw in zip(KS2_SUBJECTS.values(), key_stages.subject_scores(rows, "ks2").values(),
                          strict=True):
        level = np.clip(np.floor(raw), 2, 6).astype(np.int64)
        low, high = KS2_MARK_BANDS[level, 0], KS2_MARK_BANDS[level, 1]
        position = np.clip(raw - level, 0, 0.999)
        out[short] = (low + np.floor(position * (high - low + 1))).astype(np.int64)
    return out


def ks2_fine_levels(rows: Frame) -> dict[str, np.ndarray]:
    """Fine level per subject: the level plus the mark's position in the level's band
    (level 4 with the band's lowest mark = 4.0), as DfE's fine grading reads the test mark."""
    levels = _ks2_levels(rows)
    out = {}
    for short, mark in _ks2_marks(rows).items():
        level = levels[short]
        low, high = KS2_MARK_BANDS[level, 0], KS2_MARK_BANDS[level, 1]
        out[short] = np.round(level + (mark - low) / (high - low + 1), 2)
    return out


def ks2_scaled_scores(rows: Frame) -> tuple[np.ndarray, np.ndarray]:
    """Reading and maths scaled scores (80-120) of the 2015/16 tests."""
    scaled = np.clip(np.rint(103 + 7 * rows["latent"] + 3 * rows["noise"][:, 2]), 80, 120)
    return scaled, np.clip(scaled + np.rint(2 * rows["noise"][:, 1]), 80, 120)


def level_of_ks2_mark(mark: np.ndarray) -> np.ndarray:
    """The KS2 level a test mark earns (2 to 6)."""
    return 2 + np.searchsorted(KS2_MARK_BANDS[3:, 0], mark, side="right")


@builder("npd.ks2_pupil", provides=(
    *COMMON, "englev", "matlev", "scilev", "readlev", "engwritlev", "engpoints", "matpoints",
    "scipoints", "engtalev", "mattalev", "scitalev", "engtotmrk", "mattotmrk", "scitotmrk",
    "readmrk", "matmrk", "readoutcome", "matoutcome", "readscore", "matscore", "valeng",
    "valmat", "valsci", "eligeng", "eligmat", "eligsci", "nentries", "lev4em", "lev5em",
    "totpts", "aps",
))
def ks2_pupil(life: LifeCourse, relation: Relation) -> Frame:
    """One row per pupil at the end of Year 6: levels, marks, points (scaled scores 2015/16)."""
    rows = _stage_rows(life, "ks2")
    out = _common(life, rows, 6)
    levels = _ks2_levels(rows)
    marks = _ks2_marks(rows)
    n = len(rows)
    for short, level in levels.items():
        out[f"{short}lev"] = level
        out[f"{short}talev"] = np.clip(level + (rows["noise"][:, 3] > 1.2), 2, 6)
        out[f"{short}points"] = KS2_POINTS[level]
        out[f"{short}totmrk"] = marks[short]
        out[f"val{short}"] = np.ones(n, dtype=np.int64)
        out[f"elig{short}"] = np.ones(n, dtype=np.int64)
    out["readlev"] = levels["eng"]
    out["engwritlev"] = np.clip(levels["eng"] - (rows["noise"][:, 1] < -0.8), 2, 6)
    out["readmrk"] = np.clip(out["engtotmrk"] // 2, 0, 50)
    out["matmrk"] = out["mattotmrk"]
    scaled, matscore = ks2_scaled_scores(rows)
    out["readscore"] = Masked(scaled, rows["year"] < 2015)
    out["matscore"] = Masked(matscore, rows["year"] < 2015)
    # Outcomes of the 2015/16 tests: achieved / not achieved the expected standard.
    out["readoutcome"] = np.where(scaled >= 100, "AS", "NS")
    out["matoutcome"] = np.where(out["matscore"].values >= 100, "AS", "NS")
    out["nentries"] = np.full(n, 3)
    out["lev4em"] = ((levels["eng"] >= 4) & (levels["mat"] >= 4)).astype(np.int64)
    out["lev5em"] = ((levels["eng"] >= 5) & (levels["mat"] >= 5)).astype(np.int64)
    out["totpts"] = sum(out[f"{s}points"] for s in KS2_SUBJECTS.values())
    out["aps"] = np.round(out["totpts"] / 3, 1)
    return Frame(out)


@builder("npd.ks2_exam", provides=(*COMMON, "examno", "subject_code", "sublevno", "grade",
                                   "testlev", "talevel", "points", "testmark", "fine"))
def ks2_exam(life: LifeCourse, relation: Relation) -> Frame:
    """One row per pupil and KS2 subject (English, mathematics, science)."""
    rows = _stage_rows(life, "ks2")
    return _per_subject(life, rows, 6, _ks2_levels(rows), {"eng": 1, "mat": 2, "sci": 3},
                        _ks2_marks(rows))


def _per_subject(life: LifeCourse, rows: Frame, yeargroup: int, levels: dict[str, np.ndarray],
                 subject_numbers: dict[str, int],
                 marks: dict[str, np.ndarray] | None = None) -> Frame:
    """Long format: one row per pupil and subject with level-based measures (the pupil
    table's test marks where given)."""
    base = _common(life, rows, yeargroup)
    parts = []
    for short, level in levels.items():
        part = {name: values for name, values in base.items()}
        n = len(level)
        part.update({
            "examno": np.full(n, subject_numbers[short]), "subject_code": np.full(n, short.upper()),
            "sublevno": np.full(n, 200 + subject_numbers[short]), "grade": level.astype(str),
            "testlev": level, "talevel": level, "points": level * 6 + 3,
            "testmark": marks[short] if marks else np.clip((level - 1) * 20, 0, 100),
            "fine": level + 0.5,
        })
        parts.append(Frame(part))
    return Frame.concat(parts)


# -- KS3 -----------------------------------------------------------------------------------------

def _ks3_levels(rows: Frame) -> dict[str, np.ndarray]:
    return dict(zip(("eng", "mat", "sci"), key_stages.subject_levels(rows, "ks3").values(),
                    strict=True))


@builder("npd.ks3_pupil", provides=(
    *COMMON, "englev", "matlev", "scilev", "engtalev", "mattalev", "scitalev", "engpoints",
    "matpoints", "scipoints", "readlev", "writlev", "totpts", "lev5eng", "lev5mat", "lev5sci",
))
def ks3_pupil(life: LifeCourse, relation: Relation) -> Frame:
    """One row per pupil at the end of Year 9: levels and points in English, maths, science."""
    rows = _stage_rows(life, "ks3")
    out = _common(life, rows, 9)
    levels = _ks3_levels(rows)
    for short, level in levels.items():
        level = np.clip(level, 3, 8)  # KS3 levels run from 3 (below: letter codes) to 8
        levels[short] = level
        out[f"{short}lev"] = level
        out[f"{short}talev"] = level
        out[f"{short}points"] = level * 6 + 3
        out[f"lev5{short}"] = (level >= 5).astype(np.int64)
    out["readlev"] = levels["eng"]
    out["writlev"] = levels["eng"]
    out["totpts"] = sum(level * 6 + 3 for level in levels.values())
    return Frame(out)


@builder("npd.ks3_result", provides=(*COMMON, "examno", "subject_code", "sublevno", "grade",
                                     "talevel", "points", "testmark", "fine"))
def ks3_result(life: LifeCourse, relation: Relation) -> Frame:
    """One row per pupil and KS3 subject result."""
    rows = _stage_rows(life, "ks3")
    return _per_subject(life, rows, 9, _ks3_levels(rows), {"eng": 1, "mat": 2, "sci": 3})


# -- KS2 and KS3 results carried into KS4 ---------------------------------------------------------

@per_block
def ks4_prior_attainment(life: LifeCourse) -> Frame:
    """The KS2 and KS3 results of each KS4 pupil (``life.ks4`` order) as the KS2 and KS3 pupil
    tables record them: levels, fine levels and scaled scores, NULL-masked (``has_ks2``,
    ``has_ks3`` False) where the pupil was not assessed in a state school."""
    ks4 = life.ks4
    n = len(ks4)
    out: dict[str, np.ndarray] = {}
    for stage in ("ks2", "ks3"):
        rows = _stage_rows(life, stage)
        where = np.full(len(life.persons), -1)
        where[rows["person"]] = np.arange(len(rows))
        at = where[ks4["person"]]
        has = at >= 0
        at = np.maximum(at, 0)
        out[f"has_{stage}"] = has
        out[f"{stage}_year"] = np.where(has, rows["year"][at] if len(rows) else 0, 0)
        if stage == "ks2":
            levels = _ks2_levels(rows)
            fine = ks2_fine_levels(rows)
            read, mat = ks2_scaled_scores(rows)
            out["ks2_read_score"] = read[at] if len(rows) else np.zeros(n)
            out["ks2_mat_score"] = mat[at] if len(rows) else np.zeros(n)
            for short in KS2_SUBJECTS.values():
                out[f"ks2_{short}_fine"] = fine[short][at] if len(rows) else np.zeros(n)
        else:  # the KS3 pupil table's levels run from 3 to 8
            levels = {k: np.clip(v, 3, 8) for k, v in _ks3_levels(rows).items()}
        for short in ("eng", "mat", "sci"):
            out[f"{stage}_{short}_level"] = (levels[short][at] if len(rows)
                                             else np.zeros(n, dtype=np.int64))
    return Frame(out)


# -- KS4 exam ------------------------------------------------------------------------------------

GCSE_SUBLEVNO = 310
GCSE91_SUBLEVNO = 391


@builder("npd.ks4_exam", provides=(
    YEAR_ATTRIBUTE, "pupilmatchingrefanonymous", "acadyr", "laestab_anon", "urn_anon",
    "examyear", "season", "sublevno", "mapping", "qan", "boardno", "grade", "gfinal", "points",
    "gsize", "lev1", "lev2", "include", "a8included", "a8points", "a8eng", "a8mat", "a8ebac",
    "a8oth", "version", "teacher_assessed_flag", "covid_impacted_flag", "resultid",
    "ebacc_rank", "open_rank", "eligible_rank", "newstyle_points", "ebacc_not_science",
))
def ks4_exam(life: LifeCourse, relation: Relation) -> Frame:
    """One row per pupil and GCSE result, the grades behind the pupil table's measures."""
    ks4 = life.ks4
    rng = life.ctx.rng("ks4_exam")
    subjects = slot_subjects(life)
    ranks = _slot_ranks(np.stack([ks4[f"pts_{slot}"] for slot in SLOTS], axis=1))
    parts = []
    for slot in SLOTS:
        points = ks4[f"pts_{slot}"]
        entered = points > 0
        rows = np.flatnonzero(entered)
        m = len(rows)
        year = ks4["year"][rows]
        covid = (year >= life.ctx.params["exams.teacher_assessed_from"]).astype(int)
        pts = points[rows]
        grade = exam_grade(slot, pts, year)
        subject = subjects[slot][rows]
        attrs = pupil_attributes(life, ks4["person"][rows], year, ks4["school"][rows])
        parts.append(Frame({
            YEAR_ATTRIBUTE: year, "pupilmatchingrefanonymous": attrs["pmr"],
            "acadyr": attrs["academic_year"], "laestab_anon": attrs["laestab_anon"],
            "urn_anon": attrs["urn_anon"], "examyear": year + 1, "season": np.full(m, "S"),
            "sublevno": np.where(reformed(slot, year), GCSE91_SUBLEVNO, GCSE_SUBLEVNO),
            "mapping": subject, "qan": np.char.add("SYN", subject),
            "boardno": rng.integers(1, 5, m), "grade": grade, "gfinal": grade,
            "points": pts.astype(float), "gsize": np.ones(m), "lev1": (pts >= 1).astype(int),
            "lev2": (pts >= 4).astype(int), "include": np.ones(m, dtype=int),
            "a8included": np.ones(m, dtype=int),
            "a8points": pts * (2.0 if slot in ("eng", "mat") else 1.0),
            "a8eng": np.full(m, int(slot == "eng")), "a8mat": np.full(m, int(slot == "mat")),
            "a8ebac": np.full(m, int(slot.startswith("eb"))),
            "a8oth": np.full(m, int(slot.startswith("op"))), "version": np.full(m, "F"),
            "teacher_assessed_flag": covid,
            "covid_impacted_flag": covid,
            "resultid": life.persons["pid"][ks4["person"][rows]] * 10 + SLOTS.index(slot),
            **{name: Masked(rank[rows, SLOTS.index(slot)], rank[rows, SLOTS.index(slot)] == 0)
               for name, rank in ranks.items()},
            "newstyle_points": NEWSTYLE_OF_POINTS[pts],
            "ebacc_not_science": np.full(m, int(slot in ("eb2", "eb3"))),
        }))
    return Frame.concat(parts).sort("resultid")


def _slot_ranks(points: np.ndarray) -> dict[str, np.ndarray]:
    """(pupils, 8) rank of each slot's GCSE by grade (1 = best, ties in slot order; 0 outside
    the group) among the EBacc slots, the open slots, and the slots eligible for the EBacc and
    open elements (all but English and maths)."""
    out = {}
    for name, group in (("ebacc_rank", slice(2, 5)), ("open_rank", slice(5, 8)),
                        ("eligible_rank", slice(2, 8))):
        rank = np.zeros(points.shape, dtype=np.int64)
        order = np.argsort(-points[:, group].astype(np.int64), axis=1, kind="stable")
        rank[:, group] = np.argsort(order, axis=1) + 1
        out[name] = rank
    return out


# -- KS5 -----------------------------------------------------------------------------------------

A_LEVEL_GRADES = np.array(["U", "E", "D", "C", "B", "A", "A*"])
A_LEVEL_POINTS_2016 = np.array([0, 16, 24, 32, 40, 48, 56])  # 2015/16 on: A* = 56
A_LEVEL_POINTS_OLD = np.array([0, 150, 180, 210, 240, 270, 300])  # QCA points to 2014/15
A_LEVEL_SUBJECTS = np.array(["2210", "1010", "1110", "1210", "4850", "5110", "4010", "3910",
                             "4890", "3210", "3510", "2330"])


@builder("npd.ks5_student", provides=(
    *COMMON, "totpts", "points_tot", "alev", "agrade", "aegrade", "gradea3", "gradeae3",
    "lev3thresh", "pass2lv3", "pass1l3", "totents", "totents_alev", "totptse_alev", "entries",
    "b3ptse_b3", "include_b3", "aab_fac", "nat1618", "la1618", "mtd", "fesitype",
    "al_1", "al_2", "al_3", "al_4", "vocational", "alevel_points",
))
def ks5_student(life: LifeCourse, relation: Relation) -> Frame:
    """One row per KS5 student: A level entries, grades and points in each era's scale."""
    ks5 = life.post16.ks5
    grades = np.stack([ks5[f"al{i}"] for i in range(1, 5)], axis=1)
    taken = grades >= 0
    rows = Frame(person=ks5["person"], year=ks5["year"],
                 school=life.schooling.secondary_school[ks5["person"]])
    out = _common(life, rows, 13)
    n = len(ks5)
    new_scale = ks5["year"] >= 2015
    points = np.where(new_scale[:, None], A_LEVEL_POINTS_2016[np.maximum(grades, 0)],
                      A_LEVEL_POINTS_OLD[np.maximum(grades, 0)]) * taken
    entries = taken.sum(1)
    vocational_points = np.where(ks5["vocational"],
                                 np.rint(ks5["points_per_entry"] * 3), 0).astype(np.int64)
    total = points.sum(1) + vocational_points
    best3 = np.sort(np.where(taken, points, 0), axis=1)[:, ::-1][:, :3].sum(1)
    out.update({
        "totpts": total, "points_tot": total, "alev": (entries > 0).astype(int),
        "agrade": (grades >= 5).sum(1), "aegrade": (grades >= 1).sum(1),
        "gradea3": ((grades >= 5).sum(1) >= 3).astype(int),
        "gradeae3": ((grades >= 1).sum(1) >= 3).astype(int),
        "lev3thresh": ((grades >= 1).sum(1) >= 2).astype(int) | ks5["vocational"].astype(int),
        "pass2lv3": ((grades >= 1).sum(1) >= 2).astype(int),
        "pass1l3": (((grades >= 1).sum(1) >= 1) | ks5["vocational"]).astype(int),
        "totents": np.maximum(entries, ks5["vocational"].astype(int)),
        "totents_alev": entries, "totptse_alev": np.where(entries > 0, np.round(
            points.sum(1) / np.maximum(entries, 1), 2), 0),
        "entries": np.maximum(entries, 1), "b3ptse_b3": np.round(best3 / 3, 2),
        "include_b3": (entries >= 3).astype(int),
        "aab_fac": ((np.sort(np.where(taken, grades, -1), axis=1)[:, ::-1][:, :3]
                     >= [5, 5, 4]).all(1)).astype(int),
        "nat1618": np.ones(n, dtype=int), "la1618": np.ones(n, dtype=int),
        "mtd": np.ones(n, dtype=int),
        "fesitype": np.where(ks5["vocational"], "FE", "SCH"),
        # The A level grades behind the measures (0 = U ... 6 = A*, -1 = none), for the rules
        # of schemas/rules/ks5_student.yaml, and their points in the year's scale.
        **{f"al_{i}": grades[:, i - 1] for i in range(1, 5)},
        "vocational": ks5["vocational"].astype(np.int64),
        "alevel_points": points.sum(1),
    })
    return Frame(out)


@builder("npd.ks5_exam", provides=(
    YEAR_ATTRIBUTE, "pupilmatchingrefanonymous", "acadyr", "laestab_anon", "urn_anon",
    "examyear", "season", "sublevno", "mapping", "qan", "grade", "gfinal", "points",
    "points_1618", "gsize", "asize", "lev3", "include", "version", "covid_impacted_flag",
    "centre_assessed_flag", "regdate",
))
def ks5_exam(life: LifeCourse, relation: Relation) -> Frame:
    """One row per student and A level result (the grades behind the student table)."""
    ks5 = life.post16.ks5
    rng = life.ctx.rng("ks5_exam")
    parts = []
    for i in range(1, 5):
        grade = ks5[f"al{i}"]
        rows = np.flatnonzero(grade >= 0)
        m = len(rows)
        year = ks5["year"][rows]
        covid = (year >= life.ctx.params["exams.teacher_assessed_from"]).astype(int)
        attrs = pupil_attributes(life, ks5["person"][rows], year,
                                 life.schooling.secondary_school[ks5["person"][rows]])
        g = grade[rows]
        points = np.where(year >= 2015, A_LEVEL_POINTS_2016[g], A_LEVEL_POINTS_OLD[g])
        subject = A_LEVEL_SUBJECTS[rng.integers(0, len(A_LEVEL_SUBJECTS), m)]
        parts.append(Frame({
            YEAR_ATTRIBUTE: year, "pupilmatchingrefanonymous": attrs["pmr"],
            "acadyr": attrs["academic_year"], "laestab_anon": attrs["laestab_anon"],
            "urn_anon": attrs["urn_anon"], "examyear": year + 1, "season": np.full(m, "S"),
            "sublevno": np.full(m, 111), "mapping": subject, "qan": np.char.add("SYN", subject),
            "grade": A_LEVEL_GRADES[g], "gfinal": A_LEVEL_GRADES[g], "points": points,
            "points_1618": points, "gsize": np.ones(m), "asize": np.ones(m),
            "lev3": np.ones(m, dtype=int), "include": np.ones(m, dtype=int),
            "version": np.full(m, "F"), "covid_impacted_flag": covid,
            "centre_assessed_flag": covid,
            "regdate": ymd(year, 10, 1),
        }))
    return Frame.concat(parts)
