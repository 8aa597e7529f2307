"""NPD attainment relations: EYFSP, KS1, KS2, KS3 (pupil and result tables), the KS4 exam table
and KS5 (student and exam tables).

Results come from the simulated latent attainment, so a pupil's KS2 levels, KS4 grades and KS5
points agree with each other, and the exam tables add up to the pupil tables: the KS4 exam rows
carry the grades behind the pupil's Attainment 8; the KS5 exam rows the A level grades behind
the student's points. Attribute names are the VRF fields' base names in lower case.
"""

from __future__ import annotations

import numpy as np

from leo_synth.relations.common import pmrs_in_year
from leo_synth.relations.ks4_extras import entry_points
from leo_synth.relations.ks4_subjects import (
    DOUBLE_SCIENCE,
    EBACC_SUBJECTS,
    ENGLISH_LANGUAGE,
    ENGLISH_LITERATURE,
    HUMANITIES,
    LANGUAGES,
    a8_positions,
    exam_grade,
    exam_row_points,
    filled_grades,
    reformed,
    slot_subjects,
)
from leo_synth.relations.ks5_subjects import board_subject_number
from leo_synth.relations.ks123_results import (
    KS1_CODES,
    KS1_POINTS,
    entry_date,
    entry_year,
    ks1_english,
    ks1_results,
    ks2_results,
    ks3_results,
    stage_rows,
)
from leo_synth.relations.npd import (
    CARE_ATTRIBUTES,
    care_attributes,
    census_roll,
    on_census_roll,
)
from leo_synth.relations.pupil import PUPIL_ATTRIBUTES, pupil_attributes
from leo_synth.relations.registry import YEAR_ATTRIBUTE, builder
from leo_synth.relations.school_cohort import school_cohort
from leo_synth.relations.values import Masked
from leo_synth.simulation import key_stages
from leo_synth.simulation.attainment import ENTRY_SLOTS, EXTRA_SLOTS, NEWSTYLE_OF_POINTS, SLOTS
from leo_synth.simulation.frame import Frame, last_row_of
from leo_synth.simulation.life import LifeCourse
from leo_synth.simulation.per_block import per_block, read_only_by
from leo_synth.simulation.school_types import school_codes
from leo_synth.spec.model import Relation
from leo_synth.spec.years import academic_year_labels

COMMON = (YEAR_ATTRIBUTE, *PUPIL_ATTRIBUTES, "acadyr", "pupilmatchingrefanonymous", "yeargrp",
          "actyrgrp", "version", "nftype", "toe_code", "new_type", "admpol", "age", "endks",
          "enrolsts", "examyear", "season", "assessyr", *CARE_ATTRIBUTES)


_stage_rows = stage_rows


def _school_types(life: LifeCourse, school: np.ndarray, year: np.ndarray) -> dict[str, object]:
    """The school's type codes in the row's year (NFTYPE, ToE_CODE, NEW_TYPE) and its
    admissions policy (text, as the KS5 ADMPOL columns are)."""
    codes = school_codes(life.ctx.pools.schools, life.ctx.params, school, year)
    return {"nftype": codes["nftype"], "toe_code": codes["toe_code"],
            "new_type": codes["new_type"], "admpol": codes["admpol"].astype(str)}


def _common(life: LifeCourse, rows: Frame, yeargroup: int) -> dict[str, object]:
    n = len(rows)
    attrs = pupil_attributes(life, rows["person"], rows["year"], rows["school"])
    return {
        **care_attributes(life, rows["person"], rows["year"]),
        YEAR_ATTRIBUTE: rows["year"], **attrs, "acadyr": attrs["academic_year"],
        "pupilmatchingrefanonymous": attrs["pmr"], "yeargrp": np.full(n, yeargroup),
        "actyrgrp": np.full(n, yeargroup), "version": np.full(n, "F"),
        **_school_types(life, rows["school"], rows["year"]), "age": attrs["age_start"],
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

KS1_SUBJECTS = (("reading", "read"), ("writing", "writ"), ("maths", "mat"), ("science", "sci"))


@builder("npd.ks1", provides=(*COMMON, "reading", "writing", "maths", "science", "readpoints",
                              "writpoints", "matpoints", "scipoints", "aps", "read2plus",
                              "writ2plus", "maths2plus", "read2bplus", "writ2bplus",
                              "maths2bplus", "read3plus", "writ3plus", "maths3plus", "readidx",
                              "writidx", "matidx", "sciidx", "spliidx", "engidx", "entry_year",
                              "entry_date"))
def ks1(life: LifeCourse, relation: Relation) -> Frame:
    """One row per pupil at the end of Year 2: levels W, 1, 2C/2B/2A, 3, 4 and points."""
    rows = _stage_rows(life, "ks1")
    out = _common(life, rows, 2)
    results = ks1_results(life)
    aps = []
    for subject, short in KS1_SUBJECTS:
        index = results[subject]
        out[f"{short}idx"] = index
        if subject == "science":  # science is assessed in whole levels
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
    out["spliidx"] = results["speaking"]
    out["engidx"] = ks1_english(results["reading"], results["writing"])
    out["aps"] = np.round(np.mean(aps, axis=0), 1)
    out["entry_year"] = entry_year(life, rows)
    out["entry_date"] = entry_date(life, rows)
    return Frame(out)


# -- KS2 -----------------------------------------------------------------------------------------

KS2_SUBJECTS = {"english": "eng", "maths": "mat", "science": "sci"}
KS2_RESULTS = (
    "englev", "matlev", "scilev", "readlev", "writlev", "gpslev", "engtotmrk", "mattotmrk",
    "scitotmrk", "readmrk", "writmrk", "writothmrk", "spellmrk", "hndwrmrk", "mattestamrk",
    "mattestbmrk", "matarthmrk", "scitestamrk", "scitestbmrk", "gpsmrk", "gpspaper1mrk",
    "gpspaper2mrk", "mat16mrk", "matarithmrk", "matpaper2mrk", "matpaper3mrk", "engfine",
    "matfine", "scifine", "readfine", "gpsfine", "engtalev", "mattalev", "scitalev",
    "readtalev", "writtalev", "ks1read", "ks1writ", "ks1mat", "ks1eng", "entry_year", "entry_date",
    "va_offset",
    "read_progress_offset", "writ_progress_offset", "mat_progress_offset",
)
"""Attributes of ``ks123_results.ks2_results`` the KS2 pupil table provides as they are."""


def _ks2_levels(life: LifeCourse) -> dict[str, np.ndarray]:
    results = ks2_results(life)
    return {short: results[f"{short}lev"] for short in KS2_SUBJECTS.values()}


@builder("npd.ks2_pupil", provides=(
    *COMMON, *KS2_RESULTS, "engwritlev", "engpoints", "matpoints", "scipoints", "matmrk",
    "readoutcome", "matoutcome", "readscore", "matscore", "gpsscore", "writscore", "valeng",
    "valmat", "valsci", "eligeng", "eligmat", "eligsci", "nentries", "lev4em", "lev5em",
    "totpts", "aps",
))
def ks2_pupil(life: LifeCourse, relation: Relation) -> Frame:
    """One row per pupil at the end of Year 6: levels, marks, points (scaled scores 2015/16)."""
    rows = _stage_rows(life, "ks2")
    out = _common(life, rows, 6)
    results = ks2_results(life)
    out.update({name: results[name] for name in KS2_RESULTS})
    n = len(rows)
    for short in KS2_SUBJECTS.values():
        out[f"{short}points"] = 6 * results[f"{short}lev"] + 3
        out[f"val{short}"] = np.ones(n, dtype=np.int64)
        out[f"elig{short}"] = np.ones(n, dtype=np.int64)
    out["engwritlev"] = results["writlev"]
    out["matmrk"] = results["mat16mrk"]
    before_2016 = rows["year"] < 2015
    for name in ("readscore", "matscore", "gpsscore", "writscore"):
        out[name] = Masked(results[name], before_2016)
    # Outcomes of the 2015/16 tests: achieved / not achieved the expected standard.
    out["readoutcome"] = np.where(results["readscore"] >= 100, "AS", "NS")
    out["matoutcome"] = np.where(results["matscore"] >= 100, "AS", "NS")
    out["nentries"] = np.full(n, 3)
    levels = _ks2_levels(life)
    out["lev4em"] = ((levels["eng"] >= 4) & (levels["mat"] >= 4)).astype(np.int64)
    out["lev5em"] = ((levels["eng"] >= 5) & (levels["mat"] >= 5)).astype(np.int64)
    out["totpts"] = sum(out[f"{s}points"] for s in KS2_SUBJECTS.values())
    out["aps"] = np.round(out["totpts"] / 3, 1)
    return Frame(out)


EXAM_ATTRIBUTES = ("examno", "subject_code", "sublevno", "grade", "testlev", "talevel",
                   "points", "testmark", "fine", "t1mark", "t2mark", "t3mark", "t4mark",
                   "readmark", "writmark", "readlev", "writlev", "ta1", "ta2", "ta3", "ta4",
                   "score", "teststat")


@builder("npd.ks2_exam", provides=(*COMMON, *EXAM_ATTRIBUTES, "level6_testlev"))
def ks2_exam(life: LifeCourse, relation: Relation) -> Frame:
    """One row per pupil and KS2 subject (English, mathematics, science): the pupil row's
    levels, marks and papers (the 2016 maths papers in 2015/16)."""
    rows = _stage_rows(life, "ks2")
    r = ks2_results(life)
    y2016 = rows["year"] >= 2015
    maths = {"testmark": np.where(y2016, r["mat16mrk"], r["mattotmrk"]),
             "t1mark": np.where(y2016, r["matarithmrk"], r["mattestamrk"]),
             "t2mark": np.where(y2016, r["matpaper2mrk"], r["mattestbmrk"]),
             "t3mark": np.where(y2016, r["matpaper3mrk"], r["matarthmrk"]),
             "score": Masked(r["matscore"], ~y2016)}
    frame = _per_subject(life, rows, 6, {"eng": 1, "mat": 2, "sci": 3}, {
        "eng": {"testlev": r["englev"], "talevel": r["engtalev"], "testmark": r["engtotmrk"],
                "fine": r["engfine"], "t1mark": r["readmrk"], "t2mark": r["writothmrk"],
                "t3mark": r["spellmrk"], "t4mark": r["hndwrmrk"], "readmark": r["readmrk"],
                "writmark": r["writmrk"], "readlev": r["readlev"], "writlev": r["writlev"],
                "ta1": r["readtalev"], "ta2": r["writtalev"],
                "score": Masked(r["readscore"], ~y2016)},
        "mat": {"testlev": r["matlev"], "talevel": r["mattalev"], "fine": r["matfine"],
                "ta1": r["mattalev"], **maths},
        "sci": {"testlev": r["scilev"], "talevel": r["scitalev"], "testmark": r["scitotmrk"],
                "fine": r["scifine"], "t1mark": r["scitestamrk"], "t2mark": r["scitestbmrk"],
                "ta1": r["scitalev"]},
    }, teststat="35")
    # The level 6 tests' years end with 2014/15: the 2015/16 rows (scaled scores) have no
    # extension test level or mark (the rows of the three subjects, in that order).
    frame["level6_testlev"] = Masked(np.asarray(frame["testlev"]), np.tile(y2016, 3))
    return frame


def _per_subject(life: LifeCourse, rows: Frame, yeargroup: int, subject_numbers: dict[str, int],
                 results: dict[str, dict[str, object]], teststat: object) -> Frame:
    """Long format: one row per pupil and subject, carrying the pupil row's results of that
    subject (``EXAM_ATTRIBUTES``; NULL where a subject has no such result, e.g. a fourth paper).
    """
    base = _common(life, rows, yeargroup)
    n = len(rows)
    parts = []
    for short, number in subject_numbers.items():
        part = dict(base)
        found = results[short]
        level = np.asarray(found["testlev"])
        part.update({
            "examno": np.full(n, number), "subject_code": np.full(n, short.upper()),
            "sublevno": np.full(n, 200 + number), "grade": level.astype(str),
            "points": level * 6 + 3,
            "teststat": (teststat[short] if isinstance(teststat, dict)
                         else np.full(n, teststat)),
        })
        for name in EXAM_ATTRIBUTES:
            if name in found:
                part[name] = found[name]
            elif name not in part:
                part[name] = Masked(np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool))
        parts.append(Frame(part))
    return Frame.concat(parts)


# -- KS3 -----------------------------------------------------------------------------------------

KS3_RESULTS = (
    "englev", "matlev", "scilev", "engtalev", "mattalev", "scitalev", "readlev", "writlev",
    "engtotmrk", "mattotmrk", "scitotmrk", "engfine", "matfine", "scifine", "engrdtotmrk",
    "engwrtotmrk", "engreadmrk", "engrdshmrk", "engwritmrk", "engwrshmrk", "eng1mrk", "eng2mrk",
    "matpap1mrk", "matpap2mrk", "matarthmrk", "scipap1mrk", "scipap2mrk", "mattier", "scitier",
    "ks2englev", "ks2matlev", "ks2scilev", "ks2readlev", "ks2writlev", "ks2engtalev",
    "ks2mattalev", "ks2scitalev", "ks2engfine", "ks2matfine", "ks2scifine", "entry_year",
    "entry_date", "va_offset",
)
"""Attributes of ``ks123_results.ks3_results`` the KS3 pupil table provides as they are."""


@builder("npd.ks3_pupil", provides=(
    *COMMON, *KS3_RESULTS, "engpoints", "matpoints", "scipoints", "totpts", "lev5eng",
    "lev5mat", "lev5sci", "in_care_at_school", "sc_ks2_aps", "sc_ks2_sd",
))
def ks3_pupil(life: LifeCourse, relation: Relation) -> Frame:
    """One row per pupil at the end of Year 9: levels and points in English, maths, science."""
    rows = _stage_rows(life, "ks3")
    out = _common(life, rows, 9)
    results = ks3_results(life)
    out.update({name: results[name] for name in KS3_RESULTS})
    for short in ("eng", "mat", "sci"):
        level = results[f"{short}lev"]
        out[f"{short}points"] = level * 6 + 3
        out[f"lev5{short}"] = (level >= 5).astype(np.int64)
    out["totpts"] = out["engpoints"] + out["matpoints"] + out["scipoints"]
    out["in_care_at_school"] = in_care_at_school(life, rows)
    out.update(school_cohort(life, "ks3", "ks2", rows["school"], rows["year"]))
    return Frame(out)


def in_care_at_school(life: LifeCourse, rows: Frame) -> np.ndarray:
    """1 if the pupil was looked after for a day or more (a year to 31 March, as
    ``cla_pp_1_day``) in any academic year since joining the school of the row's year (the
    census entry year), up to the row's year; else 0."""
    entry = entry_year(life, rows)
    ever = np.zeros(len(rows), dtype=bool)
    for back in range(int(np.max(rows["year"] - entry, initial=0)) + 1):
        year = rows["year"] - back
        care = care_attributes(life, rows["person"], year)["cla_pp_1_day"]
        ever |= (np.asarray(care) == 1) & (year >= entry)
    return ever.astype(np.int64)


@builder("npd.ks3_result", provides=(*COMMON, *EXAM_ATTRIBUTES))
def ks3_result(life: LifeCourse, relation: Relation) -> Frame:
    """One row per pupil and KS3 subject result: the pupil row's levels, marks and papers."""
    rows = _stage_rows(life, "ks3")
    r = ks3_results(life)
    n = len(rows)
    return _per_subject(life, rows, 9, {"eng": 1, "mat": 2, "sci": 3}, {
        "eng": {"testlev": r["englev"], "talevel": r["engtalev"], "testmark": r["engtotmrk"],
                "fine": r["engfine"], "t1mark": r["engreadmrk"], "t2mark": r["engrdshmrk"],
                "t3mark": r["engwritmrk"], "t4mark": r["engwrshmrk"],
                "readmark": r["engrdtotmrk"], "writmark": r["engwrtotmrk"],
                "readlev": r["readlev"], "writlev": r["writlev"]},
        "mat": {"testlev": r["matlev"], "talevel": r["mattalev"], "testmark": r["mattotmrk"],
                "fine": r["matfine"], "t1mark": r["matpap1mrk"], "t2mark": r["matpap2mrk"],
                "t3mark": r["matarthmrk"]},
        "sci": {"testlev": r["scilev"], "talevel": r["scitalev"], "testmark": r["scitotmrk"],
                "fine": r["scifine"], "t1mark": r["scipap1mrk"], "t2mark": r["scipap2mrk"]},
    }, teststat={"eng": np.full(n, "47"), "mat": r["mattier"], "sci": r["scitier"]})


# -- KS2 and KS3 results carried into KS4 ---------------------------------------------------------

@per_block
def ks4_prior_attainment(life: LifeCourse) -> Frame:
    """The KS2 and KS3 results of each KS4 pupil (``life.ks4`` order) as the KS2 and KS3 pupil
    tables record them (``ks123_results``): levels, fine levels and scaled scores, NULL-masked
    (``has_ks2``, ``has_ks3`` False) where the pupil was not assessed in a state school."""
    ks4 = life.ks4
    n = len(ks4)
    out: dict[str, np.ndarray] = {}
    for stage in ("ks2", "ks3"):
        rows = _stage_rows(life, stage)
        results = ks2_results(life) if stage == "ks2" else ks3_results(life)
        at = last_row_of(rows["person"], len(life.persons))[ks4["person"]]
        has = at >= 0
        at = np.maximum(at, 0)
        out[f"has_{stage}"] = has
        out[f"{stage}_year"] = np.where(has, rows["year"][at] if len(rows) else 0, 0)
        if stage == "ks2":
            out["ks2_read_score"] = results["readscore"][at] if len(rows) else np.zeros(n)
            out["ks2_mat_score"] = results["matscore"][at] if len(rows) else np.zeros(n)
            for short in KS2_SUBJECTS.values():
                out[f"ks2_{short}_fine"] = (results[f"{short}fine"][at] if len(rows)
                                            else np.zeros(n))
        for short in ("eng", "mat", "sci"):
            out[f"{stage}_{short}_level"] = (results[f"{short}lev"][at] if len(rows)
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
    "ebacc_rank", "open_rank", "eligible_rank", "newstyle_points", "ebacc_not_science", "ancn",
    "brdsubno", "dsci_row", "elit_points", "resid_lang_points", "resid_lit_points",
))
def ks4_exam(life: LifeCourse, relation: Relation) -> Frame:
    """One row per pupil and GCSE result, the grades behind the pupil table's measures."""
    return _ks4_exams(life)  # every era's view: build_batch keeps the view's years


@read_only_by("npd.ks4_exam")
@per_block
def _ks4_exams(life: LifeCourse) -> Frame:
    ks4 = life.ks4
    rng = life.ctx.rng("ks4_exam")
    subjects = slot_subjects(life)
    points = np.stack([ks4[f"pts_{slot}"] for slot in SLOTS], axis=1)
    # (the Attainment 8 slot each GCSE fills: its own position unless separate sciences move)
    positions = a8_positions(points, np.stack([subjects[slot] for slot in SLOTS], axis=1))
    # (the slot each GCSE fills; the extra entries fill none and rank after the slots' GCSEs)
    a8_slot = np.column_stack([_slot_of_position(positions),
                               np.full((len(ks4), len(EXTRA_SLOTS)), -1)])
    grades = entry_points(life)
    ranks = _slot_ranks(np.column_stack([filled_grades(points, positions),
                                         grades[:, len(SLOTS):]]))
    pupils = {"pmr": pmrs_in_year(life, ks4["person"], ks4["year"]),
              "academic_year": academic_year_labels(ks4["year"]),
              "laestab_anon": life.ctx.keys.make("school", ks4["school"], 0),
              "urn_anon": life.ctx.keys.make("school", ks4["school"], 1)}
    # (the pupil row's school: a pupil referral unit's where the census has the pupil there,
    # numbered as the units are, after the pool's schools)
    at_unit = on_census_roll(life, pupils, ks4["person"], ks4["year"])
    placing = census_roll(life, ks4["person"], ks4["year"])[1]
    schools = life.ctx.pools.schools
    centre = np.where(at_unit, len(schools) + schools["la"][placing], ks4["school"])
    parts = []
    for index, slot in enumerate(ENTRY_SLOTS):
        points = grades[:, index]
        entered = points > 0
        rows = np.flatnonzero(entered)
        m = len(rows)
        year = ks4["year"][rows]
        covid = (year >= life.ctx.params["exams.teacher_assessed_from"]).astype(int)
        pts = points[rows]
        subject = subjects[slot][rows]
        filled_slot = a8_slot[rows, index]
        ranked = np.where(filled_slot >= 0, filled_slot, index)  # (an extra's own column)
        grade = exam_grade(subject, pts, year)
        attrs = {name: values[rows] for name, values in pupils.items()}
        board = rng.integers(1, 5, m)
        parts.append(Frame({
            YEAR_ATTRIBUTE: year, "pupilmatchingrefanonymous": attrs["pmr"],
            "acadyr": attrs["academic_year"], "laestab_anon": attrs["laestab_anon"],
            "urn_anon": attrs["urn_anon"], "examyear": year + 1, "season": np.full(m, "S"),
            "sublevno": np.where(reformed(subject, year), GCSE91_SUBLEVNO, GCSE_SUBLEVNO),
            "mapping": subject, "qan": np.char.add("SYN", subject),
            "boardno": board, "brdsubno": board_subject_number(board, subject),
            "grade": grade, "gfinal": grade,
            "points": exam_row_points(subject, pts, year), "grade_points": pts,
            "gsize": np.ones(m), "lev1": (pts >= 1).astype(int),
            "lev2": (pts >= 4).astype(int), "include": np.ones(m, dtype=int),
            "a8included": np.ones(m, dtype=int),
            "a8points": pts * (2.0 if slot in ("eng", "mat") else 1.0),
            "a8eng": np.full(m, int(slot == "eng")), "a8mat": np.full(m, int(slot == "mat")),
            "a8ebac": ((filled_slot >= 2) & (filled_slot <= 4)).astype(int),
            "a8oth": (filled_slot >= 5).astype(int), "version": np.full(m, "F"),
            "teacher_assessed_flag": covid,
            "covid_impacted_flag": covid,
            "resultid": life.persons["pid"][ks4["person"][rows]] * len(ENTRY_SLOTS) + index,
            **{name: Masked(rank[rows, ranked], rank[rows, ranked] == 0)
               for name, rank in ranks.items()},
            "newstyle_points": NEWSTYLE_OF_POINTS[pts],
            "ebacc_not_science": np.isin(subject, HUMANITIES_AND_LANGUAGES).astype(int),
            "ebacc_subject": np.isin(subject, list(EBACC_SUBJECTS)).astype(int),
            "ancn": centre_number(centre[rows]),
            # the pupil's only combined science qualification is the double award (slot eb1)
            "dsci_row": Masked(np.full(m, "1"), subject != DOUBLE_SCIENCE),
            "elit_points": np.where(subject == ENGLISH_LITERATURE, pts, 0).astype(np.int64),
            # (an English in an open slot is the residual one: ks4_subjects)
            **{name: np.where(slot.startswith("op") & (subject == code), pts, 0).astype(np.int64)
               for name, code in (("resid_lang_points", ENGLISH_LANGUAGE),
                                  ("resid_lit_points", ENGLISH_LITERATURE))},
        }))
    return Frame.concat(parts).sort("resultid")


def centre_number(school: np.ndarray) -> np.ndarray:
    """The exam centre number (NCN, five digits) of schools: every simulated GCSE is entered at
    the pupil's school, one centre per school (10000 + the school's index: the pools hold at
    most England's 24,000 or so schools and a pupil referral unit per LA, numbered after them,
    so five digits suffice)."""
    return np.char.mod("%05d", 10_000 + np.asarray(school, dtype=np.int64))


HUMANITIES_AND_LANGUAGES = [*HUMANITIES, *LANGUAGES]
"""The GCSEs that count in an EBacc slot outside the science pathway (``KS4_EBACCNOTSCI``)."""


def _slot_of_position(positions: np.ndarray) -> np.ndarray:
    """(pupils, 8) the Attainment 8 slot the GCSE at each position fills, -1 for an empty
    position (``a8_positions`` inverted)."""
    slot_of = np.full(positions.shape, -1)
    rows, slots = np.nonzero(positions >= 0)
    slot_of[rows, positions[rows, slots]] = slots
    return slot_of


def _slot_ranks(points: np.ndarray) -> dict[str, np.ndarray]:
    """(pupils, 8 + extras) rank of each slot's GCSE, then of each extra entry (a non-EBacc
    GCSE), by grade (1 = best, ties in slot order; 0 outside the group) among the EBacc slots,
    the open slots and extras, and the GCSEs eligible for the EBacc and open elements (all but
    English and maths)."""
    out = {}
    for name, group in (("ebacc_rank", slice(2, 5)), ("open_rank", slice(5, None)),
                        ("eligible_rank", slice(2, None))):
        rank = np.zeros(points.shape, dtype=np.int64)
        order = np.argsort(-points[:, group].astype(np.int64), axis=1, kind="stable")
        rank[:, group] = np.argsort(order, axis=1) + 1
        out[name] = rank
    return out


# -- KS5 -----------------------------------------------------------------------------------------

A_LEVEL_GRADES = np.array(["U", "E", "D", "C", "B", "A", "A*"])
A_LEVEL_SUBJECTS = np.array(["2210", "1010", "1110", "1210", "4850", "5110", "4010", "3910",
                             "4890", "3210", "3510", "2330"])
"""Common A level subjects (mapping codes) of school learning aims; the KS5 tables' subjects and
builders are in :mod:`leo_synth.relations.ks5`."""
