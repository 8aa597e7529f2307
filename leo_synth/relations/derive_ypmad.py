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

from leo_synth.relations.common import ilr_record_matched
from leo_synth.relations.derive_ilr import (
    ENGLISH_MATHS,
    NVQ_TYPE,
    aim_lars,
    lars_subject,
    lars_type,
)
from leo_synth.relations.values import Masked
from leo_synth.simulation.attainment import SLOTS
from leo_synth.simulation.calendar import ymd
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.further_education import KIND_ADULT
from leo_synth.simulation.life import LifeCourse
from leo_synth.simulation.per_block import per_block

NEVER = 9999
"""Year of something that never happened (compares after every real year)."""
GCSE_WIDTH = 20.0
"""A GCSE's width: five GCSEs make a full level (1 at A*-G / 9-1, 2 at A*-C / 9-4)."""
A_LEVEL_WIDTH = 50.0
"""An A level's width: two A level passes make a full level 3."""


SOURCE_ATTRIBUTES = (
    "gcse_ac", "gcse_ag", "a_pass", "eng_ac", "maths_ac", "gcse_ac_width", "gcse_ag_width",
    "a_width", *(f"{kind}_{route}_l{lv}" for kind in ("nvq", "vrq", "total", "reached")
                 for route in ("fe", "wbl") for lv in (1, 2, 3)),
    "foundation_wbl_l2", "apprenticeship_wbl_l3", "func_english", "func_maths",
    "func_english_l2", "func_maths_l2", "eng_l2", "maths_l2", "ilr_fe_data", "ilr_wbl_data",
    "census_data", "ks45_data", "fe_mode", "main_inst_type",
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
                 maths=lars_subject(index) == ENGLISH_MATHS[1])


def cumulative_count(person: np.ndarray, year: np.ndarray, events: Frame,
                     which: np.ndarray) -> np.ndarray:
    """Number of the selected events of each row's person in or before the row's year."""
    keys = np.sort(events["person"][which] * 10_000 + events["year"][which])
    upto = np.searchsorted(keys, person * 10_000 + year, side="right")
    return (upto - np.searchsorted(keys, person * 10_000, side="left")).astype(np.int64)


def in_year(person: np.ndarray, year: np.ndarray, their_person: np.ndarray,
            their_year: np.ndarray) -> np.ndarray:
    """1 where the (person, year) pair appears among the records' pairs."""
    return np.isin(person * 10_000 + year, their_person * 10_000 + their_year).astype(np.int64)


@per_block
def person_results(life: LifeCourse) -> dict[str, np.ndarray]:
    """Per person: KS4 and KS5 years (``NEVER`` if none), GCSE counts A*-C / A*-G (the KS4
    slots' grades), English and maths at grade 4 / C or above, A level passes (E or above)."""
    n = len(life.persons)
    ks4 = life.ks4
    ks5 = life.post16.ks5
    out = {name: np.zeros(n, dtype=np.int64) for name in ("gcse_ac", "gcse_ag", "eng_l2",
                                                             "maths_l2", "a_pass")}
    out["ks4_year"] = np.full(n, NEVER, dtype=np.int64)
    out["ks5_year"] = np.full(n, NEVER, dtype=np.int64)
    slots = [f"pts_{slot}" for slot in SLOTS]
    person = ks4["person"]
    out["ks4_year"][person] = ks4["year"]
    out["gcse_ac"][person] = sum((ks4[s] >= 4).astype(np.int64) for s in slots)
    out["gcse_ag"][person] = sum((ks4[s] >= 1).astype(np.int64) for s in slots)
    out["eng_l2"][person] = ks4["pts_eng"] >= 4
    out["maths_l2"][person] = ks4["pts_mat"] >= 4
    out["ks5_year"][ks5["person"]] = ks5["year"]
    out["a_pass"][ks5["person"]] = sum((ks5[f"al{i}"] >= 1).astype(np.int64)
                                       for i in range(1, 5))
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
        "eng_ac": (after_ks4 & (res["eng_l2"][person] == 1)).astype(np.int64),
        "maths_ac": (after_ks4 & (res["maths_l2"][person] == 1)).astype(np.int64),
    }
    out["gcse_ac_width"] = GCSE_WIDTH * out["gcse_ac"]
    out["gcse_ag_width"] = GCSE_WIDTH * out["gcse_ag"]
    out["a_width"] = A_LEVEL_WIDTH * out["a_pass"]
    done = ilr_achievements(life)
    qualification = ~done["programme"]
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
    return out
