"""LILR relations: learner records and learning aims (one learner record per provider-year)."""

from __future__ import annotations

import numpy as np

from leo_synth.relations.derive_ilr import (
    ACCESS_TYPE,
    BENEFIT_GROUPS,
    ENGLISH_MATHS,
    KS5_TYPES,
    LARS_AIMS_PER_LEVEL,
    LARS_TYPES,
    LEVEL_NAMES,
    LEVEL_OF_LEARNING_DESC,
    SSA_TIER1,
    SSA_TIER2,
    aim_a_levels,
    aim_lars,
    benefit_attributes,
    english_maths_code,
    full_funding,
    lars_reference_exists,
    lars_subject,
    lars_type,
    learning_aim_refs,
    level_of_learning,
    level_width,
    monitoring_codes,
    subject_names,
    subject_ssa,
)
from leo_synth.relations.ilr_lldd import lldd_details
from leo_synth.relations.ilr_prior_attainment import prior_attainment_codes, prior_levels
from leo_synth.relations.key_stages import A_LEVEL_GRADES
from leo_synth.relations.ks4_subjects import SLOT_SUBJECTS, exam_grade
from leo_synth.relations.registry import YEAR_ATTRIBUTE, StaticContext, builder
from leo_synth.relations.values import Masked
from leo_synth.simulation.calendar import age_on, month_of, ymd
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.further_education import KIND_ADULT, KIND_APP, KIND_FE, KIND_SFC
from leo_synth.simulation.life import LifeCourse
from leo_synth.simulation.text import labels_of, zfill
from leo_synth.spec.model import Relation
from leo_synth.spec.years import academic_year_labels

# ILR ethnicity codes (2013/14 on) for the NPD minor ethnic codes, in parameter order.
ILR_ETHNICITY = {
    "WBRI": 31, "WIRI": 32, "WIRT": 33, "WOTH": 34, "MWBC": 35, "MWBA": 36, "MWAS": 37,
    "MOTH": 38, "AIND": 39, "APKN": 40, "ABAN": 41, "CHNE": 42, "AOTH": 43, "BAFR": 44,
    "BCRB": 45, "BOTH": 46, "OOTH": 98, "REFU": 99,
}


def _dataset(year: np.ndarray, kind: np.ndarray) -> np.ndarray:
    """ILR dataset: separate learner-responsive and work-based collections before 2011/12."""
    early = np.where(kind == KIND_APP, "WBL", "LR")
    return np.where(year >= 2011, "ILR", early)


def _learner_ids(life: LifeCourse, person: np.ndarray, provider: np.ndarray) -> np.ndarray:
    """Provider learner reference: 12 characters, stable for a person at a provider."""
    mixed = (life.persons["pid"][person].astype(np.uint64) * np.uint64(2654435761)
             + provider.astype(np.uint64) * np.uint64(40503)) % np.uint64(10**10)
    return np.char.add("LR", zfill(mixed.astype(str), 10))


LEARNER_ATTRIBUTES = (
    YEAR_ATTRIBUTE, "external_id", "year_text", "academic_year", "dataset", "learner_id",
    "upin_anon", "ukprn_anon", "sex", "ethnicity", "ac_age", "lldd", "lldd_detail",
    "disability", "learn_diff", "recordid",
    "app_participant", "prior_attain", "full_level2", "full_level3", "full_level2_ach",
    "full_level3_ach", "als_cost",
)


@builder("lilr.learners", provides=LEARNER_ATTRIBUTES)
def learners(life: LifeCourse, relation: Relation) -> Frame:
    """One row per learner record (person x provider x year x dataset)."""
    rec = life.fe.learners
    person = rec["person"]
    pid = life.persons["pid"][person]
    ethnic_codes = list(life.ctx.params["population.ethnicity"])
    ilr_eth = np.array([ILR_ETHNICITY.get(c, 98) for c in ethnic_codes])
    level = rec["level"]
    need = life.persons["need"][person]
    lldd = np.where(need > 1.4, 1, np.where(need > -2.5, 2, 9))
    return Frame({
        YEAR_ATTRIBUTE: rec["year"],
        "external_id": life.ctx.keys.make("external_id", pid, rec["slot"]),
        "year_text": rec["year"].astype(str),
        "academic_year": academic_year_labels(rec["year"]),
        "dataset": _dataset(rec["year"], rec["kind"]),
        "learner_id": _learner_ids(life, person, rec["provider"]),
        "upin_anon": life.ctx.keys.make("upin", rec["provider"]),
        "ukprn_anon": life.ctx.keys.make("provider", rec["provider"]),
        "sex": np.where(life.persons["female"][person], "F", "M"),
        "ethnicity": ilr_eth[life.persons["ethnicity"][person]],
        "ac_age": rec["age"],
        "lldd": lldd,
        **lldd_details(life, person, lldd),
        "recordid": life.ctx.keys.make("recordid", pid, rec["slot"]),
        "app_participant": rec["apprenticeship"].astype(np.int64),
        "prior_attain": prior_attainment_codes(life),
        # 1 = full level 2/3 participation or achievement; NULL otherwise (no other code).
        "full_level2": Masked(np.ones(len(rec), dtype=np.int64), level != 2),
        "full_level3": Masked(np.ones(len(rec), dtype=np.int64), level != 3),
        "full_level2_ach": Masked(np.ones(len(rec), dtype=np.int64),
                                  ~((level == 2) & rec["achieved"])),
        "full_level3_ach": Masked(np.ones(len(rec), dtype=np.int64),
                                  ~((level == 3) & rec["achieved"])),
        "als_cost": als_cost(life, lldd),
    })


def als_cost(life: LifeCourse, lldd: np.ndarray) -> Masked:
    """Additional learning support cost (pounds) of learner records: for the share of learners
    with a learning difficulty or disability (LLDD 1), and the few others, who receive support
    (``fe.als_share_*``), a log-normal cost around ``fe.als_cost_median``; NULL otherwise."""
    params = life.ctx.params
    rng = life.ctx.rng("ilr.als_cost")
    u_support, z = rng.random(len(lldd)), rng.standard_normal(len(lldd))
    share = np.where(lldd == 1, params["fe.als_share_lldd"], params["fe.als_share_other"])
    cost = np.rint(params["fe.als_cost_median"] * np.exp(params["fe.als_cost_sigma"] * z))
    return Masked(np.maximum(cost, 1).astype(np.int64), u_support >= share)


AIM_ATTRIBUTES = (
    YEAR_ATTRIBUTE, "year", "academic_year", "dataset", "learner_id", "upin_anon", "ukprn_anon",
    "external_id", "sequence_index", "learning_aim_id", "recordid", "programme_type",
    "aim_type", "fund_model", "start_date", "end_date_expected", "end_date", "compstatus",
    "outcome", "outcome_grade", "achievement_date", "notional_level", "notional_level_v2",
    "app", "active",
    "start", "completion", "achievement", "enrolment", "age_aim_start", "age_prog_start",
    "ssa_tier1",
    "ssa_tier1_desc", "ssa_tier2", "ssa_tier2_desc", "aim_title", "qualification_type",
    "eng_maths", "full_l2", "full_l3", "partial_l2", "partial_l3", "leave_month", "aim_rank",
    "funding_line", "fl2_width",
    "fl3_width",
    "fl2_ach_width", "fl3_ach_width", "level_of_learning", "level_of_learning_desc", "wpl",
    "cbl", "levy_supported", "framework_id", "standard_id", "pathway_id", "sof", "asl",
    "sfl_type", "sfl_finetype", "ffi", "a_status", *(f"ldm_{i}" for i in range(1, 5)),
    *(f"benefit_{group}_{when}" for group in BENEFIT_GROUPS for when in ("start", "prior")),
)


def resit_grades(aim: Frame, year: np.ndarray) -> np.ndarray:
    """Per aim: the grade of a GCSE English or maths resit as the ILR's OutGrade (9-1 from
    2016/17, the letter before; ``*`` for A*), as the KS4 exam rows grade them."""
    english = aim["cof_subject"] == 0
    subject = np.where(english, SLOT_SUBJECTS["eng"], SLOT_SUBJECTS["mat"])
    return exam_grade(subject, aim["gcse_grade"], year)


def start_ages(life: LifeCourse, person: np.ndarray, row: np.ndarray, start: np.ndarray,
               records: int) -> dict[str, np.ndarray]:
    """Per aim (of learner record ``row``), the learner's age on the aim's start date and on
    its programme's (the record's first aim's): ages at a date, so an aim reported again in a
    later year keeps them (the record's age at 31 August, ``AcAge``, gave the aim a year
    more in each year it continued)."""
    birth = life.persons["birth"][person]
    first = np.full(records, np.iinfo(np.int64).max)
    np.minimum.at(first, row, start.astype("datetime64[D]").astype(np.int64))
    return {"age_aim_start": age_on(birth, start),
            "age_prog_start": age_on(birth, first[row].astype("datetime64[D]"))}


@builder("lilr.aims", provides=AIM_ATTRIBUTES)
def aims(life: LifeCourse, relation: Relation) -> Frame:
    """One row per learning aim of a learner record."""
    rec = life.fe.learners
    aim = life.fe.aims
    row = aim["learner"]
    person = rec["person"][row]
    pid = life.persons["pid"][person]
    year = rec["year"][row]
    kind = aim["kind"]
    level = aim["level"]
    m = len(aim)
    refs = aim_lars(life)
    standard = refs["standard"]
    _mapping, a_level_grade = aim_a_levels(life)
    framework_type = np.select([level <= 2, level == 3], [3, 2], np.clip(level + 16, 20, 23))
    programme_type = np.where(aim["apprenticeship"], np.where(standard, 25, framework_type), -1)
    aim_type = np.select([aim["programme_aim"], aim["apprenticeship"],
                          (kind == KIND_FE) | (kind == KIND_SFC)], [1, 3, 5], 4)
    aim_type = np.where((aim_type == 5) & (year < 2013), 4, aim_type)
    after_2013 = year >= 2013
    fund_model = np.select(
        [aim["apprenticeship"] & (year >= 2017), aim["apprenticeship"],
         (kind == KIND_FE) | (kind == KIND_SFC), (kind == KIND_ADULT) & (level == 0)],
        [81, np.where(after_2013, 35, 45), np.where(after_2013, 25, 21), 10],
        np.where(after_2013, 35, 22))
    year_end = ymd(year + 1, 7, 31)
    continuing = aim["end_date"] > year_end
    achieved = aim["achieved"] & ~continuing
    compstatus = np.select([continuing, aim["withdrawn"]], [1, 3], 2)
    outcome = np.select([continuing, achieved], [9, 1], 3)
    programme = aim["programme_aim"]
    index = refs["index"]
    learning_aim_id = np.where(programme, "ZPROG001", learning_aim_refs(refs["level"], index))
    subject = lars_subject(index)
    ssa2 = subject_ssa()[subject]
    qual = lars_type(index)
    titles = lars_titles(refs["level"], index)
    eng_maths = np.isin(subject, ENGLISH_MATHS) & ~programme
    fl2 = np.where(programme, 0.0, level_width(level, index, 2))
    fl3 = np.where(programme, 0.0, level_width(level, index, 3))
    lol = level_of_learning(level, index, aim["apprenticeship"], programme)
    lol_desc = labels_of(lol, LEVEL_OF_LEARNING_DESC.__getitem__)
    lol_desc = np.where(aim["apprenticeship"] & (lol >= 10), np.char.add(
        lol_desc.astype(str), " Apprenticeship"), lol_desc)
    framework = aim["apprenticeship"] & ~standard
    ages = start_ages(life, person, row, aim["start_date"], len(rec))
    benefits = benefit_attributes(life, person, aim["start_date"], aim["apprenticeship"])
    first_full = ((fl2 == 100) | (fl3 == 100)) & (prior_levels(life)[row] < level)
    ffi, no_ffi = full_funding(fund_model, ages["age_aim_start"], level, first_full, eng_maths,
                               benefits["benefit_any_start"] == 1, aim["apprenticeship"])
    ldm = monitoring_codes(life)
    return Frame({
        YEAR_ATTRIBUTE: year,
        "year": year,
        "academic_year": academic_year_labels(year),
        "dataset": _dataset(year, rec["kind"][row]),
        "learner_id": _learner_ids(life, person, rec["provider"][row]),
        "upin_anon": life.ctx.keys.make("upin", rec["provider"][row]),
        "ukprn_anon": life.ctx.keys.make("provider", rec["provider"][row]),
        "external_id": life.ctx.keys.make("external_id", pid, rec["slot"][row]),
        "sequence_index": aim["sequence"],
        "learning_aim_id": learning_aim_id,
        "recordid": life.ctx.keys.make("recordid", pid, rec["slot"][row]),
        "programme_type": programme_type,
        "aim_type": aim_type,
        "fund_model": fund_model,
        "start_date": aim["start_date"],
        "end_date_expected": aim["planned_end"],
        "end_date": Masked(aim["end_date"], continuing),
        "compstatus": compstatus,
        "outcome": outcome,
        # the ILR's OutGrade: PA (pass) for an achieved aim, FL (fail) for one completed without
        # achievement, a GCSE's grade, an A level's (the KS5 exam row's: A* ... E, U); none
        # while continuing or after a withdrawal
        "outcome_grade": Masked(np.select(
            [aim["gcse"], a_level_grade >= 0],
            [resit_grades(aim, year), A_LEVEL_GRADES[np.maximum(a_level_grade, 0)]],
            np.where(achieved, "PA", "FL")),
            ~achieved & ~((outcome == 3) & (compstatus == 2))),
        "achievement_date": Masked(aim["end_date"], ~achieved),
        "notional_level": level,
        "notional_level_v2": level,
        "app": aim["programme_aim"].astype(np.int64),
        "active": np.ones(m, dtype=np.int64),
        "start": (aim["start_date"] >= ymd(year, 8, 1)).astype(np.int64),
        "completion": (~continuing).astype(np.int64),
        "achievement": achieved.astype(np.int64),
        "enrolment": (aim_type != 3).astype(np.int64),
        **ages,
        "ssa_tier1": np.floor(ssa2).astype(np.int64),
        "ssa_tier1_desc": labels_of(np.floor(ssa2), lambda tier: SSA_TIER1[int(tier)]),
        "ssa_tier2": labels_of(ssa2, lambda tier: f"{tier:.1f}", dtype=str),
        "ssa_tier2_desc": labels_of(ssa2, SSA_TIER2.__getitem__),
        "aim_title": Masked(titles, programme),
        "qualification_type": Masked(np.array([t[0] for t in LARS_TYPES])[qual], programme),
        "eng_maths": eng_maths.astype(np.int64),
        "full_l2": (fl2 == 100).astype(np.int64), "full_l3": (fl3 == 100).astype(np.int64),
        "partial_l2": ((fl2 > 0) & (fl2 < 100)).astype(np.int64),
        "partial_l3": ((fl3 > 0) & (fl3 < 100)).astype(np.int64),
        "fl2_width": fl2, "fl3_width": fl3,
        "fl2_ach_width": np.where(achieved, fl2, 0.0),
        "fl3_ach_width": np.where(achieved, fl3, 0.0),
        "level_of_learning": lol, "level_of_learning_desc": lol_desc,
        # Academic month of leaving: August = 1 ... July = 12; -99 while continuing.
        "leave_month": np.where(continuing, -99, (month_of(aim["end_date"]) + 4) % 12 + 1),
        "aim_rank": aim_rank_in_year(row, level, aim["start_date"]),
        "funding_line": funding_lines(fund_model, rec["age"][row], aim["apprenticeship"]),
        # Source of funding: EFA for 16-19 study programmes, the LA for community learning,
        # the Skills Funding Agency for adult learning and apprenticeships.
        "sof": np.select([np.isin(fund_model, (21, 25)), fund_model == 10], [107, 108], 105),
        "asl": np.where(fund_model == 10, 1 + life.ctx.rng("ilr.asl").integers(0, 4, m), -1),
        "sfl_type": english_maths_code(subject, 1, 2, 9, where=eng_maths),
        "sfl_finetype": english_maths_code(subject, "20", "19", "-2", where=eng_maths),
        "wpl": aim["apprenticeship"].astype(np.int64),
        "cbl": (~aim["apprenticeship"]).astype(np.int64),
        # The apprenticeship levy funds starts from May 2017 (FundModel 36 / 81 era).
        "levy_supported": Masked((aim["apprenticeship"]
                                  & (aim["start_date"] >= np.datetime64("2017-05-01"))
                                  ).astype(np.int64), ~aim["apprenticeship"]),
        "framework_id": Masked(framework_codes(level, subject), ~framework),
        "pathway_id": Masked(1 + subject % 3, ~framework),
        "standard_id": Masked(standard_codes(level, subject), ~standard),
        **benefits,
        "ffi": Masked(ffi, no_ffi),
        # The old (to 2007/08) apprenticeship status: the aim's outcome (1 achieved, 3 not
        # achieved, 9 continuing) on apprenticeship aims, -1 on the others.
        "a_status": np.where(aim["apprenticeship"], outcome, -1),
        **{f"ldm_{i + 1}": Masked(ldm[:, i], ldm[:, i] < 0) for i in range(ldm.shape[1])},
    })


def aim_rank_in_year(learner: np.ndarray, level: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Rank (1 = first) of each aim among its learner record's aims: higher level first, then
    the later start."""
    order = np.lexsort((-start.astype(np.int64), -np.asarray(level), learner))
    rank = np.empty(len(order), dtype=np.int64)
    sorted_learner = learner[order]
    run_start = np.r_[0, np.flatnonzero(np.diff(sorted_learner)) + 1]
    position = np.arange(len(order)) - np.repeat(run_start, np.diff(np.r_[run_start,
                                                                           len(order)]))
    rank[order] = position + 1
    return rank


FUNDING_LINES = {25: ("16-19 Students (excluding High Needs Students)", "19+ Continuing Students"),
                 21: ("16-19 Students (excluding High Needs Students)", "19+ Continuing Students"),
                 35: ("16-18 Apprenticeship", "19+ Apprenticeship"),
                 45: ("16-18 Apprenticeship", "19+ Apprenticeship"),
                 81: ("16-18 Apprenticeship (Employer on App Service)",
                      "19+ Apprenticeship (Employer on App Service)"),
                 10: ("Community Learning", "Community Learning"),
                 22: ("Adult Skills", "Adult Skills")}
"""ESFA funding line type by funding model, for learners under 19 and 19 or over."""


def funding_lines(fund_model: np.ndarray, age: np.ndarray,
                  apprenticeship: np.ndarray) -> np.ndarray:
    """The aim's funding line type: its funding model's line for the learner's age band (adult
    learning is 'Adult Education Budget' from 2013/14, i.e. FundModel 35 outside
    apprenticeships)."""
    out = np.full(len(fund_model), "Adult Education Budget", dtype=object)
    for model, (young, adult) in FUNDING_LINES.items():
        hit = fund_model == model
        out[hit] = np.where(age[hit] < 19, young, adult)
    return np.where((fund_model == 35) & ~apprenticeship, "Adult Education Budget", out)


def framework_codes(level: np.ndarray, subject: np.ndarray) -> np.ndarray:
    """Apprenticeship framework code of a sector subject (one framework per subject, the
    intermediate and advanced levels sharing it, as frameworks do)."""
    return 400 + 3 * np.asarray(subject) + (np.asarray(level) >= 4)


def standard_codes(level: np.ndarray, subject: np.ndarray) -> np.ndarray:
    """Apprenticeship standard code: one standard per subject and level."""
    return 1 + 20 * np.clip(np.asarray(level) - 2, 0, 4) + np.asarray(subject)


def lars_titles(level: np.ndarray, index: np.ndarray) -> np.ndarray:
    """The LARS title of aim ``index`` at a level: level, qualification type and subject
    ("Level 3 Diploma in Engineering"); an A or AS level's type and subject ("GCE A level in
    Physics", "GCE AS level in Physics")."""
    subjects = subject_names()
    names = np.array([f"{LARS_TYPES[t][1]} in {subjects[s]}" if t in KS5_TYPES
                      else f"{LEVEL_NAMES[lv]} {LARS_TYPES[t][1]} in {subjects[s]}"
                      for lv in range(5) for t in range(len(LARS_TYPES))
                      for s in range(len(subjects))], dtype=object)
    return names[np.asarray(level) * LARS_AIMS_PER_LEVEL + np.asarray(index)]


@builder("lilr.lars", static=True, provides=(
    YEAR_ATTRIBUTE, "year", "academicyear", "learnaimref", "aimtitle", "qualtype",
    "notional_level", "notional_level_v2", "sectorsubjectareat1", "sectorsubjectareat2",
    "l2_percent", "l3_percent", "fe_he", "awarding_organisation_anon", "sfl", "sfl_finetype",
    "sfl_broad_type", "l2_cat_id", "l3_cat_id", "learning_delivery_genre",
))
def lars(ctx: StaticContext, relation: Relation) -> Frame:
    """One row per learning aim reference and year (the aims the ILR records use)."""
    years = np.array(sorted(relation.years))
    level = np.repeat(np.arange(5), LARS_AIMS_PER_LEVEL)
    index = np.tile(np.arange(LARS_AIMS_PER_LEVEL), 5)
    exists = lars_reference_exists(level, index)
    level, index = level[exists], index[exists]
    subject = lars_subject(index)
    kind = lars_type(index)
    titles = lars_titles(level, index).astype(str)
    ssa2 = subject_ssa()[subject]
    qual_type = np.array([t[0] for t in LARS_TYPES])[kind]
    refs = learning_aim_refs(level, index)
    m = len(refs)
    year = np.repeat(years, m)
    tile = np.tile(np.arange(m), len(years))
    l2_width, l3_width = level_width(level, index, 2), level_width(level, index, 3)
    return Frame({
        YEAR_ATTRIBUTE: year, "year": year, "academicyear": academic_year_labels(year),
        "learnaimref": refs[tile], "aimtitle": titles[tile], "qualtype": qual_type[tile],
        "notional_level": np.maximum(level, 1)[tile],  # an int in the VRF: entry level as 1
        "notional_level_v2": np.maximum(level, 1)[tile],
        "sectorsubjectareat1": np.floor(ssa2).astype(np.int64)[tile],
        "sectorsubjectareat2": np.char.mod("%.1f", ssa2)[tile],
        "l2_percent": l2_width[tile],
        "l3_percent": l3_width[tile],
        "fe_he": np.where(level >= 4, "H", "F")[tile],
        "sfl": np.isin(subject, ENGLISH_MATHS).astype(np.int64)[tile],
        "sfl_finetype": english_maths_code(subject, 20, 19, -2)[tile],
        "sfl_broad_type": english_maths_code(subject, 1, 2, -2)[tile],
        "l2_cat_id": np.where(l2_width > 0, 1, -2)[tile],
        "l3_cat_id": np.where(l3_width > 0, 1, -2)[tile],
        # Access to HE diplomas are regulated by the QAA, the other aims by Ofqual.
        "learning_delivery_genre": np.where(kind == ACCESS_TYPE, "EQQ", "EOQ")[tile],
        "awarding_organisation_anon": ctx.keys.make("provider", 900_000 + kind)[tile].astype(str),
    })
