"""YPMAD attainment sources: what a young person's KS4, KS5, school census and ILR records hold
by each academic year, the inputs of the Young People's Matched Administrative Dataset.

YPMAD counts qualifications by level and route (GCSEs from KS4, A levels from KS5, NVQs and
other vocationally related qualifications (VRQs) achieved in further education (FE) or
work-based learning (WBL) from the ILR) cumulatively to each year, and flags the sources that
hold data on the person in the year. ``ypmad_sources`` gives these per (person, year) row;
``schemas/rules/ypmad_chronological.yaml`` and ``ypmad_snapshot.yaml`` state the columns.
"""

from __future__ import annotations

import numpy as np

from leo_synth.relations.common import ilr_record_matched, in_year, max_in_year
from leo_synth.relations.derive_ilr import (
    AS_LEVEL_WIDTH,
    ENGLISH_MATHS,
    GCSE_TYPE,
    GCSE_WIDTH,
    NVQ_TYPE,
    aim_lars,
    lars_subject,
    lars_type,
)
from leo_synth.relations.ks4_extras import entry_points
from leo_synth.relations.ks5 import ks5_subjects
from leo_synth.relations.values import Masked
from leo_synth.simulation.calendar import ymd
from leo_synth.simulation.condition_of_funding import GCSE_LEVEL, GRADE_4, school_resits
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.further_education import KIND_ADULT
from leo_synth.simulation.life import LifeCourse
from leo_synth.simulation.per_block import per_block

NEVER = 9999
FIRST_CENSUS_YEAR = 2001
"""First academic year of the school census (PLASC) in the extract."""
"""Year of something that never happened (compares after every real year)."""
A_LEVEL_WIDTH = 50.0
"""An A level's width: two A level passes make a full level 3."""


SOURCE_ATTRIBUTES = (
    "gcse_ac", "gcse_ag", "a_pass", "as_pass", "l3_pass", "eng_ac", "maths_ac",
    "gcse_ac_width", "gcse_ag_width", "a_width", "as_width", "l3_width",
    *(f"{kind}_{route}_l{lv}" for kind in ("nvq", "vrq", "total", "reached")
      for route in ("fe", "wbl") for lv in (1, 2, 3)),
    "foundation_wbl_l2", "apprenticeship_wbl_l3", "func_english", "func_maths",
    "func_english_l2", "func_maths_l2", "eng_l2", "maths_l2", "ilr_fe_data", "ilr_wbl_data",
    "census_data", "ks45_data", "fe_mode", "main_inst_type", "main_mode", "on_apprenticeship",
    "main_qual_type", "main_qual_source", "qual_type_ks45", "qual_type_plasc", "ilr_lldd",
    "fe_study", "fm_study", "en_academic_study", "ma_academic_study",
    *(f"cof_{subject}_{what}" for subject in ("english", "maths")
      for what in ("study", "highest", "completion")),
)
"""Attributes of ``ypmad_sources`` (for the builders' ``provides``)."""
AT_15 = ("ethnicity", "fsm", "ethnic_group_major", "idaci_score", "idaci_rank", "sen_provision",
         "primary_sen_type", "secondary_sen_type", "ever_fsm_6", "la_anon", "la_9code_anon",
         "laestab_anon")
"""Pupil attributes YPMAD records as at academic age 15 (Year 11), as ``at15_<name>``."""


def band(level: np.ndarray) -> np.ndarray:
    """YPMAD level band of a notional level: 1, 2, or 3 for level 3 and above (0 below 1)."""
    return np.clip(np.asarray(level), 0, 3)


@per_block
def ilr_achievements(life: LifeCourse) -> Frame:
    """One row per achieved ILR aim of a learner record matched to the person (YPMAD sees the
    ILR through the match): person, academic year of achievement, band, route (WBL for
    apprenticeship aims, else FE), NVQ or VRQ (by the aim's LARS type), programme aim, and
    English / maths subject."""
    aims = life.fe.aims
    rec = life.fe.learners
    year = rec["year"][aims["learner"]]
    final = aims["end_date"] <= ymd(year + 1, 7, 31)  # the year the aim ends in
    refs = aim_lars(life)
    done = aims["achieved"] & final & ilr_record_matched(life)[aims["learner"]]
    index = refs["index"][done]
    return Frame(person=rec["person"][aims["learner"]][done], year=year[done],
                 band=band(aims["level"][done]), wbl=aims["apprenticeship"][done],
                 nvq=lars_type(index) == NVQ_TYPE, programme=aims["programme_aim"][done],
                 english=lars_subject(index) == ENGLISH_MATHS[0],
                 maths=lars_subject(index) == ENGLISH_MATHS[1],
                 gcse=lars_type(index) == GCSE_TYPE)


def cumulative_count(person: np.ndarray, year: np.ndarray, events: Frame,
                     which: np.ndarray) -> np.ndarray:
    """Number of the selected events of each row's person in or before the row's year."""
    keys = np.sort(events["person"][which] * 10_000 + events["year"][which])
    upto = np.searchsorted(keys, person * 10_000 + year, side="right")
    return (upto - np.searchsorted(keys, person * 10_000, side="left")).astype(np.int64)


@per_block
def person_results(life: LifeCourse) -> dict[str, np.ndarray]:
    """Per person: KS4 and KS5 years (``NEVER`` if none), GCSE counts A*-C / A*-G (every GCSE
    of the KS4 exam rows: the Attainment 8 slots' and the extras', ``ks4_extras``), English
    and maths at grade 4 / C or above and graded at all (G / 1 or above), A level passes (E
    or above)."""
    n = len(life.persons)
    ks4 = life.ks4
    ks5 = life.post16.ks5
    out = {name: np.zeros(n, dtype=np.int64) for name in ("gcse_ac", "gcse_ag", "eng_l2",
                                                             "maths_l2", "a_pass",
                                                             "as_pass")}
    out["ks4_year"] = np.full(n, NEVER, dtype=np.int64)
    out["ks5_year"] = np.full(n, NEVER, dtype=np.int64)
    person = ks4["person"]
    out["ks4_year"][person] = ks4["year"]
    grades = entry_points(life)  # (every GCSE the pupil sat: the slots' and the extras')
    out["gcse_ac"][person] = (grades >= 4).sum(axis=1)
    out["gcse_ag"][person] = (grades >= 1).sum(axis=1)
    out["eng_l2"][person] = ks4["pts_eng"] >= 4
    out["maths_l2"][person] = ks4["pts_mat"] >= 4
    out["eng_graded"] = np.zeros(n, dtype=bool)
    out["maths_graded"] = np.zeros(n, dtype=bool)
    out["eng_graded"][person] = ks4["pts_eng"] >= 1
    out["maths_graded"][person] = ks4["pts_mat"] >= 1
    out["ks5_year"][ks5["person"]] = ks5["year"]
    out["a_pass"][ks5["person"]] = sum((ks5[f"al{i}"] >= 1).astype(np.int64)
                                       for i in range(1, 5))
    out["as_pass"][ks5["person"]] = ks5["as_level"] >= 1
    return out


def ypmad_sources(life: LifeCourse, person: np.ndarray, year: np.ndarray) -> dict[str, object]:
    """The YPMAD inputs of (person, academic year) rows: qualification counts to the year by
    source, route and band, English and maths, and which sources hold data in the year."""
    res = person_results(life)
    after_ks4 = year >= res["ks4_year"][person]
    after_ks5 = year >= res["ks5_year"][person]
    out: dict[str, object] = {
        "gcse_ac": np.where(after_ks4, res["gcse_ac"][person], 0),
        "gcse_ag": np.where(after_ks4, res["gcse_ag"][person], 0),
        "a_pass": np.where(after_ks5, res["a_pass"][person], 0),
        "as_pass": np.where(after_ks5, res["as_pass"][person], 0),
    }
    out["l3_pass"] = out["a_pass"] + out["as_pass"]
    done = ilr_achievements(life)
    studied = english_maths_aims(life)
    # A GCSE English or maths resit (an ILR aim, or a school sixth former's) at grade 4 / C
    # adds a GCSE at A*-C and the subject at level 2 from its year; resits are not NVQs, VRQs
    # or functional qualifications.
    for i, short in enumerate(("eng", "maths")):
        resit = cumulative_count(person, year, studied,
                                 studied["passed"] & (studied["subject"] == i))
        out["gcse_ac"] = out["gcse_ac"] + resit
        out[f"{short}_ac"] = (after_ks4 & ((res[f"{short}_l2"][person] == 1) | (resit > 0))
                              ).astype(np.int64)
    out["gcse_ac_width"] = GCSE_WIDTH * out["gcse_ac"]
    out["gcse_ag_width"] = GCSE_WIDTH * out["gcse_ag"]
    out["a_width"] = A_LEVEL_WIDTH * out["a_pass"]
    out["as_width"] = AS_LEVEL_WIDTH * out["as_pass"]
    out["l3_width"] = out["a_width"] + out["as_width"]
    qualification = ~done["programme"] & ~done["gcse"]
    for route, is_route in (("fe", ~done["wbl"]), ("wbl", done["wbl"])):
        for lv in (1, 2, 3):
            at = is_route & qualification & (done["band"] == lv)
            nvq = cumulative_count(person, year, done, at & done["nvq"])
            vrq = cumulative_count(person, year, done, at & ~done["nvq"])
            out[f"nvq_{route}_l{lv}"], out[f"vrq_{route}_l{lv}"] = nvq, vrq
            out[f"total_{route}_l{lv}"] = nvq + vrq
    programme = done["programme"]
    out["foundation_wbl_l2"] = cumulative_count(person, year, done, programme
                                                & (done["band"] == 2))
    out["apprenticeship_wbl_l3"] = cumulative_count(person, year, done, programme
                                                    & (done["band"] == 3))
    out["total_wbl_l2"] = out["total_wbl_l2"] + out["foundation_wbl_l2"]
    out["total_wbl_l3"] = out["total_wbl_l3"] + out["apprenticeship_wbl_l3"]
    for route in ("fe", "wbl"):
        reached = np.zeros(len(person), dtype=np.int64)
        for lv in (3, 2, 1):  # a level is reached by a qualification at it or above
            reached = reached + out[f"total_{route}_l{lv}"]
            out[f"reached_{route}_l{lv}"] = (reached > 0).astype(np.int64)
    for subject in ("english", "maths"):
        out[f"func_{subject}"] = (cumulative_count(person, year, done, qualification
                                                   & done[subject]) > 0).astype(np.int64)
        out[f"func_{subject}_l2"] = (cumulative_count(
            person, year, done, qualification & done[subject] & (done["band"] >= 2)) > 0
        ).astype(np.int64)
    out["eng_l2"] = np.maximum(out["eng_ac"], out["func_english_l2"])
    out["maths_l2"] = np.maximum(out["maths_ac"], out["func_maths_l2"])
    rec = life.fe.learners
    rec = rec.take(ilr_record_matched(life))
    wbl = rec["apprenticeship"]
    out["ilr_fe_data"] = in_year(person, year, rec["person"][~wbl], rec["year"][~wbl])
    out["ilr_wbl_data"] = in_year(person, year, rec["person"][wbl], rec["year"][wbl])
    py = life.schooling.pupil_years
    out["census_data"] = in_year(person, year, py["person"], py["year"])
    out["ks45_data"] = ((year == res["ks4_year"][person])
                        | (year == res["ks5_year"][person])).astype(np.int64)
    adult_fe = in_year(person, year, rec["person"][rec["kind"] == KIND_ADULT],
                       rec["year"][rec["kind"] == KIND_ADULT])
    # Mode: 16-18 college programmes are full time, adult courses part time.
    out["fe_mode"] = Masked(np.where(adult_fe == 1, 2, 1), out["ilr_fe_data"] == 0)
    inst = np.select([out["census_data"] == 1, out["ilr_wbl_data"] == 1,
                      out["ilr_fe_data"] == 1], ["School", "WBL", "FE"], "")
    out["main_inst_type"] = Masked(inst, inst == "")
    # Main mode: full time at school, on an apprenticeship or a 16-18 college programme; part
    # time on adult courses only.
    out["main_mode"] = Masked(np.where((inst == "FE") & (adult_fe == 1), 2, 1), inst == "")
    app_level = _apprenticeship_level(rec.take(wbl), person, year)
    out["on_apprenticeship"] = Masked(np.select(
        [app_level >= 4, app_level == 3], ["Higher", "Advanced"], "Intermediate"), app_level == 0)
    sixth = in_year(person, year, *_sixth_form_years(life))
    ks45 = np.select([year == res["ks5_year"][person], year == res["ks4_year"][person]],
                     ["GCE A level", "GCSE"], "")
    out["qual_type_ks45"] = Masked(ks45, ks45 == "")
    out["qual_type_plasc"] = Masked(np.full(len(person), "GCE A level"), sixth == 0)
    main = np.select([sixth == 1, out["ilr_wbl_data"] == 1, out["ilr_fe_data"] == 1,
                      ks45 != ""], ["GCE A level", "Apprenticeship", "FE", ks45], "")
    out["main_qual_type"] = Masked(main, main == "")
    source = np.select([sixth == 1, out["ilr_wbl_data"] == 1, out["ilr_fe_data"] == 1,
                        ks45 != ""], ["PLASC", "ILR_WBL", "ILR_FE", "KS45"], "")
    out["main_qual_source"] = Masked(source, source == "")
    need = life.persons["need"][person]
    has_ilr = np.isin(person, rec["person"])
    out["ilr_lldd"] = Masked(np.where(need > 1.4, 1, np.where(need > -2.5, 2, 9)), ~has_ilr)
    out.update(english_maths_study(life, person, year, res, out))
    return out


# -- English and maths studied in a year ------------------------------------------------------
FUNCTIONAL_STUDY = {"english": (2, 5, 9, 11), "maths": (2, 7, 12, 13)}
"""FE_Study / FM_Study code of an English / maths ILR aim at entry level, level 1, level 2 and
level 3+: Functional Skills entry, L1 and L2 (the aims' SFL_finetype), Key Skills L3 (English)
and Free Standing Maths L3."""
COF_STUDY = {"english": (3, 6, 9, 9), "maths": (3, 7, 10, 12)}
"""CoF_English / CoF_Maths code of an English / maths ILR aim at entry level, level 1, level 2
and level 3+: Entry / Level 1 / Level 2 Functional Skills (maths level 3+: Level 3 Certificate;
the English list has no level 3 code but AS and A levels)."""
COF_GCSE = {"english": 10, "maths": 11}
COF_A_LEVEL = {"english": 13, "maths": 16}
A_LEVEL_CODES = {"english": ("5010", "5030", "5110"), "maths": ("2210", "2330")}
"""KS5 mapping codes of A levels in English (English, language, literature) and maths (maths,
further maths)."""
COF_A_LEVEL_CODES = {"english": ("5030",), "maths": ("2210", "2330")}
"""The A levels on the condition of funding lists: English Language, maths."""
COF_FROM = 2014
"""The 16-19 condition of funding on English and maths applies from 2014/15."""
CONTINUING, COMPLETE, WITHDRAWN = 1, 2, 3


@per_block
def english_maths_aims(life: LifeCourse) -> Frame:
    """One row per English or maths ILR aim (not a programme aim) of a learner record matched
    to the person, in each year it is returned, and per school sixth former's GCSE resit
    (:func:`~leo_synth.simulation.condition_of_funding.school_resits`): person, year, subject
    (0 English, 1 maths), band (0 entry ... 3 level 3+), achieved (in the year it ends),
    completion status in the year (1 continuing, 2 complete, 3 withdrawn), as the aims table
    has them, whether it is a GCSE (a resit) and whether it was ``passed`` (a GCSE achieved
    at grade 4 / C)."""
    aims = life.fe.aims
    rec = life.fe.learners
    index = aim_lars(life)["index"]
    subject = lars_subject(index)
    year = rec["year"][aims["learner"]]
    keep = (np.isin(subject, ENGLISH_MATHS) & ~aims["programme_aim"]
            & ilr_record_matched(life)[aims["learner"]])
    continuing = aims["end_date"] > ymd(year + 1, 7, 31)
    status = np.select([continuing, aims["withdrawn"]], [CONTINUING, WITHDRAWN], COMPLETE)
    achieved = aims["achieved"] & ~continuing
    gcse = lars_type(index) == GCSE_TYPE
    ilr = Frame(person=rec["person"][aims["learner"]][keep], year=year[keep],
                subject=(subject == ENGLISH_MATHS[1]).astype(np.int64)[keep],
                band=np.clip(aims["level"], 0, 3)[keep], status=status[keep],
                achieved=achieved[keep], gcse=gcse[keep],
                passed=(gcse & achieved & (aims["gcse_grade"] >= GRADE_4))[keep])
    # a school sixth former's GCSE resit: taken in the summer of the year it is studied (not by
    # a student who left during Year 12)
    school = school_resits(life)
    sat = school["sat"]
    return Frame.concat([ilr, Frame(
        person=school["person"], year=school["year"], subject=school["subject"],
        band=np.full(len(school), GCSE_LEVEL), status=np.where(sat, COMPLETE, WITHDRAWN),
        achieved=sat, gcse=np.ones(len(school), dtype=bool),
        passed=school["grade"] >= GRADE_4)])


def english_maths_study(life: LifeCourse, person: np.ndarray, year: np.ndarray,
                        res: dict[str, np.ndarray], src: dict[str, object]
                        ) -> dict[str, np.ndarray]:
    """Per (person, year) row: the highest functional (FE/FM_Study) and academic (L2_EN/MA
    _Academic_Study) English and maths studied in the year, and the 16-19 condition of funding
    (CoF) qualification studied, its completion and the highest held, from the ILR aims, the
    KS4 year and the KS5 A levels."""
    aims = english_maths_aims(life)
    ks5 = life.post16.ks5
    subjects = ks5_subjects(life)
    age = year - life.persons["cohort"][person] - 1
    sixth_form = (src["census_data"] == 1) & (year > res["ks4_year"][person])

    def a_level_years(codes: tuple[str, ...]) -> np.ndarray:
        """1 in the KS5 year and the year before where the A levels include one of codes."""
        has = np.isin(subjects, codes).any(1)
        return in_year(person, year, np.tile(ks5["person"][has], 2),
                       np.r_[ks5["year"][has] - 1, ks5["year"][has]])

    out = {}
    for i, (subject, key, short) in enumerate((("english", "en", "eng"),
                                               ("maths", "ma", "maths"))):
        mine = aims.take(aims["subject"] == i)
        cof = np.where(mine["gcse"], COF_GCSE[subject],
                       np.array(COF_STUDY[subject])[mine["band"]])
        resit_year = in_year(person, year, mine["person"][mine["gcse"]],
                             mine["year"][mine["gcse"]]) == 1
        out[f"{key}_academic_study"] = np.select(
            [a_level_years(A_LEVEL_CODES[subject]) == 1,
             (year == res["ks4_year"][person]) | resit_year], [3, 1], 0)
        functional = ~mine["gcse"]
        out[f"f{subject[0]}_study"] = max_in_year(
            person, year, mine["person"][functional], mine["year"][functional],
            np.array(FUNCTIONAL_STUDY[subject])[mine["band"][functional]])
        # The aim studied: the highest code's, with its completion status (code * 10 + status,
        # the largest of the year's); an A level on the CoF list before it.
        studied = max_in_year(person, year, mine["person"], mine["year"],
                              cof * 10 + mine["status"])
        cof_a = a_level_years(COF_A_LEVEL_CODES[subject]) == 1
        code = np.where(cof_a, COF_A_LEVEL[subject], studied // 10)
        status = np.where(cof_a, np.where(year == res["ks5_year"][person], COMPLETE,
                                          CONTINUING), studied % 10)
        held = np.where(res[f"{short}_graded"][person] & (year >= res["ks4_year"][person]),
                        COF_GCSE[subject], 0)
        for value in np.unique(cof):
            done = mine["achieved"] & (cof == value)
            held = np.maximum(held, value * (cumulative_count(person, year, mine, done) > 0))
        # The condition applies from 2014/15 to 16-18 year olds in a school sixth form or a
        # 16-19 college programme (not apprenticeships) without GCSE grade C / 4 at the start
        # of the year: a resit passed in the year ends it from the next.
        passed_before = cumulative_count(person, year - 1, mine, mine["passed"]) > 0
        applies = ((year >= COF_FROM) & (age >= 16) & (age <= 18)
                   & (res[f"{short}_l2"][person] == 0) & ~passed_before
                   & (sixth_form | (src["ilr_fe_data"] == 1)))
        out[f"cof_{subject}_study"] = np.where(applies, code, 0)
        out[f"cof_{subject}_completion"] = np.where(applies & (code > 0), status, 0)
        out[f"cof_{subject}_highest"] = np.where(applies, held, 0)
    return out


def _apprenticeship_level(app: Frame, person: np.ndarray, year: np.ndarray) -> np.ndarray:
    """The highest level of the apprenticeship records of each (person, year) row (0 without)."""
    keys = app["person"] * 10_000 + app["year"]
    order = np.argsort(keys, kind="stable")
    distinct, start = np.unique(keys[order], return_index=True)
    if not len(distinct):
        return np.zeros(len(person), dtype=np.int64)
    highest = np.maximum(np.maximum.reduceat(app["level"][order], start), 0)
    want = person * 10_000 + year
    at = np.minimum(np.searchsorted(distinct, want), len(distinct) - 1)
    return np.where(distinct[at] == want, highest[at], 0).astype(np.int64)


def _sixth_form_years(life: LifeCourse) -> tuple[np.ndarray, np.ndarray]:
    """(person, year) of the school sixth-form years (Years 12 and 13 on the census)."""
    py = life.schooling.pupil_years
    sixth = py["ncyear"] >= 12
    return py["person"][sixth], py["year"][sixth]


@per_block
def levels_reached(life: LifeCourse) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Academic year each person first reached level 1, 2 and 3 (``NEVER`` if not): five GCSEs
    at A*-G / A*-C, two A level passes or the simulated level 3 by 18, or an achieved ILR aim
    at the level or above; a higher level implies the lower ones."""
    res = person_results(life)
    ks4_year, ks5_year = res["ks4_year"], res["ks5_year"]
    l1 = np.where(res["gcse_ag"] >= 5, ks4_year, NEVER)
    l2 = np.where(res["gcse_ac"] >= 5, ks4_year, NEVER)
    l3 = np.where(res["a_pass"] >= 2, ks5_year, NEVER)
    l3 = np.minimum(l3, np.where(life.post16.level3_year >= 0, life.post16.level3_year, NEVER))
    done = ilr_achievements(life)
    for level, target in ((1, l1), (2, l2), (3, l3)):
        at = done["band"] >= level
        np.minimum.at(target, done["person"][at], done["year"][at])
    l2 = np.minimum(l2, l3)
    l1 = np.minimum(l1, l2)
    return l1, l2, l3


SNAPSHOT_AGES = range(16, 22)
QUALTYPE_LEVELS = {1: (1, 2, 3, 4, 5), 2: (1, 3, 4, 5, 6, 7), 3: (1, 2, 3, 4, 6)}
SNAPSHOT_ATTRIBUTES = (
    *(f"l{lv}_qualtype{age}" for lv in (1, 2, 3) for age in SNAPSHOT_AGES), "l2_atype",
    "l3_atype", "first_year_plasc", "first_year_ilr", "first_year_ks45", "first_year",
    "first_source", "app_start_year", "app_start_age", "age_l2", "age_l3", "age_ac_eng",
    "age_eng", "age_ac_maths", "age_maths", "age_ac_em", "age_em", "age_l2_ac_em",
    "age_l2_em", "latest_study_year", "inst_type_l2", "inst_type_l3", "in_data_21",
    "l2_qualtype_sfr", "l3_qualtype_sfr",
)
"""Attributes of ``snapshot_sources``."""
SNAPSHOT_YEAR = 2020


def qualification_type(src: dict, level: int, higher_reached: np.ndarray) -> np.ndarray:
    """The VRF code of the qualifications by which a level was reached (the first listed that
    the person holds): level 1 - 1 five GCSEs A*-G, 2 NVQ, 3 VRQ, 4 level 2+; level 2 - 1 five
    GCSEs A*-C, 3 apprenticeship, 4 NVQ, 5 VRQ, 6 level 3; level 3 - 1 A levels, 2 advanced
    apprenticeship, 3 NVQ, 4 VRQ; otherwise a combination (5 / 7 / 6)."""
    nvq = src[f"nvq_fe_l{level}"] + src[f"nvq_wbl_l{level}"]
    vrq = src[f"vrq_fe_l{level}"] + src[f"vrq_wbl_l{level}"]
    if level == 1:
        conditions = [src["gcse_ag"] >= 5, nvq > 0, vrq > 0, higher_reached]
    elif level == 2:
        conditions = [src["gcse_ac"] >= 5, src["foundation_wbl_l2"] > 0, nvq > 0, vrq > 0,
                      higher_reached]
    else:
        conditions = [src["a_pass"] >= 2, src["apprenticeship_wbl_l3"] > 0, nvq > 0, vrq > 0]
    codes = QUALTYPE_LEVELS[level]
    return np.select(conditions, list(codes[:-1]), codes[-1])


def _first_year(person: np.ndarray, their_person: np.ndarray, their_year: np.ndarray,
                n: int) -> np.ndarray:
    first = np.full(n, NEVER, dtype=np.int64)
    np.minimum.at(first, their_person, their_year)
    return first[person]


def _sources_at(life: LifeCourse, person: np.ndarray, years: list[np.ndarray]) -> list[Frame]:
    """``ypmad_sources`` of the persons in each of several years (one array of years each)."""
    n = len(person)
    sources = Frame(ypmad_sources(life, np.tile(person, len(years)), np.concatenate(years)))
    return [sources.take(slice(i * n, (i + 1) * n)) for i in range(len(years))]


def snapshot_sources(life: LifeCourse, person: np.ndarray) -> dict[str, object]:
    """The YPMAD snapshot's derived fields of each person: the qualification type reaching each
    level by each age, first years in each source, apprenticeship start, academic ages at which
    level 2, level 3 and English and maths at level 2 were reached, the latest year of study
    and the institution type in the years levels 2 and 3 were reached. Years are academic
    years by their end (2021 = 2020/21), as YPMAD's; NULL where nothing happened by 2020/21."""
    n_all = len(life.persons)
    cohort = life.persons["cohort"][person]
    levels = levels_reached(life)
    reached_by = {lv: np.minimum(levels[lv - 1][person], SNAPSHOT_YEAR) for lv in (2, 3)}
    at_21 = cohort + 22
    # The sources at each age, in 2020/21, when levels 2 and 3 were reached and at 21: one
    # call over all these (person, year) rows, not one per year.
    *at_age, latest, reached_2, reached_3, aged_21 = _sources_at(life, person, [
        *(cohort + age + 1 for age in SNAPSHOT_AGES), np.full(len(person), SNAPSHOT_YEAR),
        reached_by[2], reached_by[3], at_21])
    out: dict[str, object] = {}
    for age, src in zip(SNAPSHOT_AGES, at_age, strict=True):
        year_at = cohort + age + 1
        for lv in (1, 2, 3):
            reached = levels[lv - 1][person] <= year_at
            higher = levels[lv][person] <= year_at if lv < 3 else np.zeros(len(person), bool)
            out[f"l{lv}_qualtype{age}"] = Masked(qualification_type(src, lv, higher),
                                                 ~reached | (year_at > SNAPSHOT_YEAR))
    for lv, src in ((2, reached_2), (3, reached_3)):
        reached = levels[lv - 1][person] <= SNAPSHOT_YEAR
        higher = levels[lv][person] <= SNAPSHOT_YEAR if lv < 3 else np.zeros(len(person), bool)
        out[f"l{lv}_atype"] = Masked(qualification_type(latest, lv, higher), ~reached)
        inst = src["main_inst_type"]
        out[f"inst_type_l{lv}"] = Masked(inst.values, inst.null | ~reached)

    def as_year(year: np.ndarray) -> Masked:
        return Masked(year + 1, year > SNAPSHOT_YEAR)

    def as_age(year: np.ndarray) -> Masked:
        return Masked(year - cohort - 1, year > SNAPSHOT_YEAR)

    py = life.schooling.pupil_years
    in_census = py["year"] >= FIRST_CENSUS_YEAR
    plasc = _first_year(person, py["person"][in_census], py["year"][in_census], n_all)
    rec = life.fe.learners.take(ilr_record_matched(life))
    ilr = _first_year(person, rec["person"], rec["year"], n_all)
    res = person_results(life)
    ks45 = res["ks4_year"][person]
    first = np.minimum(np.minimum(plasc, ilr), ks45)
    out.update(first_year_plasc=as_year(plasc), first_year_ilr=as_year(ilr),
               first_year_ks45=as_year(ks45), first_year=as_year(first))
    out["first_source"] = Masked(np.select([plasc == first, ks45 == first], ["PLASC", "KS45"],
                                           "ILR"), first > SNAPSHOT_YEAR)
    app = rec.take(rec["apprenticeship"])
    app_year = _first_year(person, app["person"], app["year"], n_all)
    out.update(app_start_year=as_year(app_year), app_start_age=as_age(app_year))
    out.update(age_l2=as_age(levels[1][person]), age_l3=as_age(levels[2][person]))
    done = ilr_achievements(life)
    for subject, key in (("english", "eng"), ("maths", "maths")):
        academic = np.where(res[f"{key}_l2"][person] == 1, ks45, NEVER)
        at = ~done["programme"] & done[subject] & (done["band"] >= 2)
        functional = _first_year(person, done["person"][at], done["year"][at], n_all)
        out[f"age_ac_{key}"] = as_age(academic)
        out[f"age_{key}"] = as_age(np.minimum(academic, functional))
        out[f"_{key}_ac"], out[f"_{key}_any"] = academic, np.minimum(academic, functional)
    ac_em = np.maximum(out.pop("_eng_ac"), out.pop("_maths_ac"))
    any_em = np.maximum(out.pop("_eng_any"), out.pop("_maths_any"))
    out.update(age_ac_em=as_age(ac_em), age_em=as_age(any_em),
               age_l2_ac_em=as_age(np.maximum(ac_em, levels[1][person])),
               age_l2_em=as_age(np.maximum(any_em, levels[1][person])))
    last = np.full(n_all, -1, dtype=np.int64)
    np.maximum.at(last, py["person"], py["year"])
    np.maximum.at(last, rec["person"], rec["year"])
    last = np.minimum(last[person], SNAPSHOT_YEAR)
    out["latest_study_year"] = Masked(last + 1, last < 0)
    for lv in (2, 3):  # post-16: reached after the year of academic age 16 starts
        at16 = cohort + 17
        code = out[f"l{lv}_qualtype18"]
        out[f"l{lv}_qualtype_sfr"] = Masked(code.values,
                                            code.null | (levels[lv - 1][person] < at16))
    in_data = (aged_21["census_data"] | aged_21["ks45_data"] | aged_21["ilr_fe_data"]
               | aged_21["ilr_wbl_data"])
    out["in_data_21"] = Masked(in_data, at_21 > SNAPSHOT_YEAR)
    return out
