"""LILR relations: learner records and learning aims (one learner record per provider-year)."""

from __future__ import annotations

import numpy as np

from leo_synth.relations.registry import YEAR_ATTRIBUTE, StaticContext, builder
from leo_synth.relations.values import Masked
from leo_synth.simulation.calendar import ymd
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.further_education import KIND_ADULT, KIND_APP, KIND_FE, KIND_SFC
from leo_synth.simulation.life import LifeCourse
from leo_synth.simulation.series import interpolate
from leo_synth.simulation.text import zfill
from leo_synth.spec.model import Relation
from leo_synth.spec.years import academic_year_labels

# ILR ethnicity codes (2013/14 on) for the NPD minor ethnic codes, in parameter order.
ILR_ETHNICITY = {
    "WBRI": 31, "WIRI": 32, "WIRT": 33, "WOTH": 34, "MWBC": 35, "MWBA": 36, "MWAS": 37,
    "MOTH": 38, "AIND": 39, "APKN": 40, "ABAN": 41, "CHNE": 42, "AOTH": 43, "BAFR": 44,
    "BCRB": 45, "BOTH": 46, "OOTH": 98, "REFU": 99,
}
STANDARD_SHARE = {2013: 0.0, 2014: 0.02, 2016: 0.1, 2017: 0.3, 2018: 0.6, 2019: 0.85, 2020: 0.95}


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
    "upin_anon", "ukprn_anon", "sex", "ethnicity", "ac_age", "lldd", "recordid",
    "app_participant", "prior_attain", "full_level2", "full_level3", "full_level2_ach",
    "full_level3_ach",
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
        "lldd": np.where(need > 1.4, 1, np.where(need > -2.5, 2, 9)),
        "recordid": life.ctx.keys.make("recordid", pid, rec["slot"]),
        "app_participant": rec["apprenticeship"].astype(np.int64),
        "prior_attain": np.clip(level - 1, -1, 5),
        # 1 = full level 2/3 participation or achievement; NULL otherwise (no other code).
        "full_level2": Masked(np.ones(len(rec), dtype=np.int64), level != 2),
        "full_level3": Masked(np.ones(len(rec), dtype=np.int64), level != 3),
        "full_level2_ach": Masked(np.ones(len(rec), dtype=np.int64),
                                  ~((level == 2) & rec["achieved"])),
        "full_level3_ach": Masked(np.ones(len(rec), dtype=np.int64),
                                  ~((level == 3) & rec["achieved"])),
    })


AIM_ATTRIBUTES = (
    YEAR_ATTRIBUTE, "year", "academic_year", "dataset", "learner_id", "upin_anon", "ukprn_anon",
    "external_id", "sequence_index", "learning_aim_id", "recordid", "programme_type",
    "aim_type", "fund_model", "start_date", "end_date_expected", "end_date", "compstatus",
    "outcome", "achievement_date", "notional_level", "notional_level_v2", "app", "active",
    "start", "completion", "achievement", "enrolment", "age_aim_start", "ssa_tier1",
)


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
    rng = life.ctx.rng("ilr_aim_codes")
    m = len(aim)
    standard = rng.random(m) < interpolate(STANDARD_SHARE, year) * (year >= 2014)
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
    learning_aim_id = np.where(aim["programme_aim"], "ZPROG001", learning_aim_refs(
        np.clip(level, 0, 4), rng.integers(0, LARS_AIMS_PER_LEVEL, m)))
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
        "achievement_date": Masked(aim["end_date"], ~achieved),
        "notional_level": level,
        "notional_level_v2": level,
        "app": aim["programme_aim"].astype(np.int64),
        "active": np.ones(m, dtype=np.int64),
        "start": (aim["start_date"] >= ymd(year, 8, 1)).astype(np.int64),
        "completion": (~continuing).astype(np.int64),
        "achievement": achieved.astype(np.int64),
        "enrolment": (aim_type != 3).astype(np.int64),
        "age_aim_start": rec["age"][row],
        "ssa_tier1": 1 + rng.integers(0, 15, m),
    })


LARS_AIMS_PER_LEVEL = 100
LARS_SUBJECTS = (
    "Health and Social Care", "Business Administration", "Hairdressing", "Construction",
    "Engineering", "Information Technology", "Accounting", "Childcare", "Retail", "Catering",
    "Motor Vehicle Maintenance", "Customer Service", "English", "Mathematics", "Art and Design",
    "Sport", "Warehousing", "Electrical Installation", "Beauty Therapy", "Plumbing",
)
LARS_TYPES = (("0003", "Certificate"), ("0016", "Certificate"), ("0006", "Diploma"),
              ("0036", "NVQ"), ("0004", "Award"))
LEVEL_NAMES = ("Entry Level", "Level 1", "Level 2", "Level 3", "Level 4")


def learning_aim_refs(level: np.ndarray, index: np.ndarray) -> np.ndarray:
    """The LARS reference of aim ``index`` (0..99) at a notional level (0..4): SYN + 5 digits."""
    return np.char.add(np.char.add("SYN", np.asarray(level).astype(str)),
                       zfill(np.asarray(index).astype(str), 4))


@builder("lilr.lars", static=True, provides=(
    YEAR_ATTRIBUTE, "year", "academicyear", "learnaimref", "aimtitle", "qualtype",
    "notional_level", "notional_level_v2", "sectorsubjectareat1", "sectorsubjectareat2",
    "l2_percent", "l3_percent", "fe_he", "awarding_organisation_anon",
))
def lars(ctx: StaticContext, relation: Relation) -> Frame:
    """One row per learning aim reference and year (the aims the ILR records use)."""
    years = np.array(sorted(relation.years))
    level = np.repeat(np.arange(5), LARS_AIMS_PER_LEVEL)
    index = np.tile(np.arange(LARS_AIMS_PER_LEVEL), 5)
    subject = index % len(LARS_SUBJECTS)
    kind = (index // len(LARS_SUBJECTS)) % len(LARS_TYPES)
    titles = np.array([f"{LEVEL_NAMES[lv]} {LARS_TYPES[k][1]} in {LARS_SUBJECTS[s]}"
                       for lv, k, s in zip(level, kind, subject, strict=True)])  # 500 titles
    qual_type = np.array([t[0] for t in LARS_TYPES])[kind]
    refs = learning_aim_refs(level, index)
    m = len(refs)
    year = np.repeat(years, m)
    tile = np.tile(np.arange(m), len(years))
    return Frame({
        YEAR_ATTRIBUTE: year, "year": year, "academicyear": academic_year_labels(year),
        "learnaimref": refs[tile], "aimtitle": titles[tile], "qualtype": qual_type[tile],
        "notional_level": np.maximum(level, 1)[tile],  # an int in the VRF: entry level as 1
        "notional_level_v2": np.maximum(level, 1)[tile],
        "sectorsubjectareat1": (1 + subject % 15)[tile],
        "sectorsubjectareat2": np.char.add((1 + subject % 15).astype(str), ".1")[tile],
        "l2_percent": np.where(level == 2, 50.0, 0.0)[tile],
        "l3_percent": np.where(level == 3, 50.0, 0.0)[tile],
        "fe_he": np.where(level >= 4, "H", "F")[tile],
        "awarding_organisation_anon": ctx.keys.make("provider", 900_000 + kind)[tile].astype(str),
    })
