"""NPD relations: the School Census views (PLASC, spring, summer, autumn) and KS4 pupils."""

from __future__ import annotations

import datetime as dt

import numpy as np

from leo_synth.relations.common import pmrs_in_year
from leo_synth.relations.registry import YEAR_ATTRIBUTE, builder
from leo_synth.relations.values import Masked
from leo_synth.simulation.calendar import age_on, month_of, year_of, ymd
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.life import LifeCourse
from leo_synth.simulation.schooling import SEN_STATEMENT, SEN_SUPPORT
from leo_synth.simulation.series import year_series
from leo_synth.spec.model import Relation
from leo_synth.spec.years import academic_year_label, academic_year_labels

TERM_CODES = {"": "PLASC", "spr": "SPR", "sum": "SUM", "aut": "AUT"}
ETHNIC_MAJOR = {"W": "WHIT", "M": "MIXD", "A": "ASIA", "B": "BLAC", "C": "CHIN", "O": "AOEG",
                "R": "UNCL", "N": "UNCL"}
IDACI_LSOAS = 32844


def census_date(year: int, term: str) -> np.datetime64:
    """Census day: third Thursday of January/May (spring, PLASC; summer), first Thursday of
    October (autumn)."""
    if term == "aut":
        day = dt.date(year, 10, 1)
        nth = 1
    else:
        day = dt.date(year + 1, 5 if term == "sum" else 1, 1)
        nth = 3
    first_thursday = day + dt.timedelta(days=(3 - day.weekday()) % 7)
    return np.datetime64(first_thursday + dt.timedelta(weeks=nth - 1), "D")


def ncyear_code(ncyear: np.ndarray) -> np.ndarray:
    """National Curriculum year as the census codes it: N2, R, 1 ... 14."""
    text = ncyear.astype(str).astype(object)
    text[ncyear == 0] = "R"
    text[ncyear == -1] = "N2"
    text[ncyear == -2] = "N1"
    return text


def sen_provision_code(level: np.ndarray, year: np.ndarray, action_plus: np.ndarray,
                       life: LifeCourse) -> np.ndarray:
    """SEN provision codes by era: A/P/S until 2013/14, K/E from 2014/15 (with transition)."""
    p = life.ctx.params
    u = life.memo("sen_code_u", lambda: life.ctx.rng("sen_codes").random(len(life.persons)))
    k_share = year_series(p["sen.support_k_share"], year) * (year >= 2014)
    ehc_share = year_series(p["sen.ehc_share"], year) * (year >= 2014)
    support = np.where(u[action_plus] < k_share, "K",
                       np.where(u[action_plus] < k_share + (1 - k_share) *
                                p["sen.school_action_share"], "A", "P"))
    statement = np.where(u[action_plus] < ehc_share, "E", "S")
    return np.select([level == SEN_SUPPORT, level == SEN_STATEMENT], [support, statement], "N")


def sen_need_code(life: LifeCourse, person: np.ndarray, level: np.ndarray,
                  year: np.ndarray) -> Masked:
    """Primary SEN type code (BESD before 2014/15 where SEMH later; NSA only from 2014/15)."""
    p = life.ctx.params
    support_codes = np.array(list(p["sen.need_support"]))
    ehc_codes = np.array(list(p["sen.need_ehc"]))
    need = life.schooling.sen_need[person]
    code = np.where(need >= 100, ehc_codes[np.clip(need - 100, 0, len(ehc_codes) - 1)],
                    support_codes[np.clip(need, 0, len(support_codes) - 1)])
    early = year < 2014
    code = np.where(early & (code == "SEMH"), "BESD", code)
    code = np.where(early & (code == "NSA"), "OTH", code)
    return Masked(code, level <= 0)


def _census_rows(life: LifeCourse) -> Frame:
    """Pupil-year rows plus the duplicate records some pupils have (RecordStatus 1/101)."""
    py = life.schooling.pupil_years
    rng = life.ctx.rng("census_duplicates")
    dup = rng.random(len(py)) < life.ctx.params["schooling.duplicate_record_share"]
    main = Frame({name: py[name] for name in py})
    main["record_status"] = np.where(dup, 1, -1)
    extra = py.take(dup)
    extra = Frame({name: extra[name] for name in extra})
    extra["record_status"] = np.full(len(extra), 101)
    extra["school"] = life.schooling.primary_school[extra["person"]]
    return Frame.concat([main, extra]).sort("person", "year")


CENSUS_ATTRIBUTES = (
    "pmr", "record_status", "academic_year", "census_date", "census_term", "data_collection",
    "on_roll", "source_table", "enrol_status", "ncyear_actual", "type_of_class", "part_time",
    "gender", "age_start", "month_part", "year_of_birth", "month_of_birth", "ethnicity",
    "ethnic_group_minor", "ethnic_group_major", "fsm", "ever_fsm_6", "ever_fsm_all",
    "first_language", "language_group_minor", "language_group_major", "sen_provision",
    "sen_provision_major", "primary_sen_type", "entry_date", "la_anon", "la_9code_anon",
    "laestab_anon", "urn_anon", "home_la_anon", "home_la_9code_anon", "coa", "lsoa",
    "idaci_score", "idaci_rank",
)


@builder("npd.census", provides=CENSUS_ATTRIBUTES)
def census(life: LifeCourse, relation: Relation) -> Frame:
    """One row per pupil record on census day of the relation's collection."""
    rows = life.memo("census_rows", lambda: _census_rows(life))
    rows = rows.take(rows["year"] == relation.year)
    return census_frame(life, rows, relation.year, relation.term)


def census_frame(life: LifeCourse, rows: Frame, year: int, term: str) -> Frame:
    """Census attributes of pupil-year rows for one collection."""
    persons = life.persons
    pools = life.ctx.pools
    person = rows["person"]
    n = len(rows)
    year_arr = np.full(n, year)
    birth = persons["birth"][person]
    birth_month = month_of(birth)
    birth_year = year_of(birth)
    ethnic_codes = np.array(list(life.ctx.params["population.ethnicity"]))
    ethnic = ethnic_codes[persons["ethnicity"][person]]
    major = np.array([ETHNIC_MAJOR.get(c[0], "UNCL") if c != "REFU" else "UNCL" for c in
                      ethnic_codes])[persons["ethnicity"][person]]
    eal = persons["eal"][person]
    duplicate = rows["record_status"] == 101
    sen = rows["sen"]
    school = rows["school"]
    oa = persons["oa"][person]
    idaci = persons["idaci"][person]
    la = pools.schools["la"][school]
    return Frame({
        "pmr": pmrs_in_year(life, person, year_arr),
        "record_status": Masked(rows["record_status"], rows["record_status"] < 0),
        "academic_year": np.full(n, academic_year_label(year)),
        "census_date": np.full(n, census_date(year, term)),
        "census_term": np.full(n, TERM_CODES[term]),
        "data_collection": np.full(n, "PLASC" if year <= 2005 else "SC"),
        "on_roll": (~duplicate).astype(np.int64),
        "source_table": np.where(duplicate, "PupilsNoLongerOnRoll", "PupilsOnRoll"),
        "enrol_status": np.full(n, "C"),
        "ncyear_actual": ncyear_code(rows["ncyear"]),
        "type_of_class": np.where(rows["ncyear"] < 0, "N", "O"),
        "part_time": (rows["ncyear"] < 0).astype(np.int64),
        "gender": np.where(persons["female"][person], "F", "M"),
        "age_start": age_on(birth, np.full(n, ymd(year, 8, 31))),
        "month_part": (8 - birth_month) % 12,
        "year_of_birth": birth_year,
        "month_of_birth": birth_month,
        "ethnicity": ethnic,
        "ethnic_group_minor": ethnic,
        "ethnic_group_major": major,
        "fsm": rows["fsm"].astype(np.int64),
        "ever_fsm_6": rows["ever_fsm_6"].astype(np.int64),
        "ever_fsm_all": rows["ever_fsm_all"].astype(np.int64),
        "first_language": np.where(eal, "OTH", "ENG"),
        "language_group_minor": np.where(eal, "OTH", "ENG"),
        "language_group_major": np.where(eal, "2_OTH", "1_ENG"),
        "sen_provision": sen_provision_code(sen, year_arr, person, life),
        "sen_provision_major": np.select([sen == SEN_STATEMENT, sen == SEN_SUPPORT],
                                         ["3_SS", "2_SNS"], "1_NON"),
        "primary_sen_type": sen_need_code(life, person, sen, year_arr),
        "entry_date": ymd(rows["entry_year"], 9, 1),
        "la_anon": life.ctx.keys.make("la", la, 0),
        "la_9code_anon": life.ctx.keys.make("la", la, 1),
        "laestab_anon": life.ctx.keys.make("school", school, 0),
        "urn_anon": life.ctx.keys.make("school", school, 1),
        "home_la_anon": life.ctx.keys.make("la", persons["la"][person], 0),
        "home_la_9code_anon": life.ctx.keys.make("la", persons["la"][person], 1),
        "coa": pools.output_areas["coa"][oa],
        "lsoa": pools.output_areas["lsoa"][oa],
        "idaci_score": idaci,
        "idaci_rank": 1 + np.floor((1 - np.clip(idaci / 0.95, 0, 1)) ** 1.6
                                   * (IDACI_LSOAS - 1)).astype(np.int64),
    })


KS4_ATTRIBUTES = (
    YEAR_ATTRIBUTE, "acadyr", "pmr", "yeargrp", "gender", "year_of_birth", "month_of_birth",
    "age_start", "fsm", "fsm6", "senf", "la_anon", "laestab_anon", "urn_anon", "entries",
    "att8", "level2_em", "level2", "level1", "ptscnewe", "ptstnewe", "l2basics_94",
    "l2basics_95", "ebacc", "ebacc_94", "ebacc_entered", "gcse_eng_points", "gcse_mat_points",
)


@builder("npd.ks4_pupil", provides=KS4_ATTRIBUTES)
def ks4_pupil(life: LifeCourse, relation: Relation) -> Frame:
    """One row per KS4 pupil of the view's academic years."""
    ks4 = life.ks4
    ks4 = ks4.take(np.isin(ks4["year"], np.fromiter(relation.years, dtype=np.int64)))
    persons = life.persons
    person = ks4["person"]
    year = ks4["year"]
    birth = persons["birth"][person]
    school = ks4["school"]
    return Frame({
        YEAR_ATTRIBUTE: year,
        "acadyr": academic_year_labels(year),
        "pmr": pmrs_in_year(life, person, year),
        "yeargrp": np.full(len(ks4), 11),
        "gender": np.where(persons["female"][person], "F", "M"),
        "year_of_birth": year_of(birth),
        "month_of_birth": month_of(birth),
        "age_start": np.full(len(ks4), 15),
        "fsm": ks4["fsm"].astype(np.int64),
        "fsm6": ks4["fsm6"].astype(np.int64),
        "senf": sen_provision_code(ks4["sen"], year, person, life),
        "la_anon": life.ctx.keys.make("la", life.ctx.pools.schools["la"][school], 0),
        "laestab_anon": life.ctx.keys.make("school", school, 0),
        "urn_anon": life.ctx.keys.make("school", school, 1),
        "entries": ks4["entries"],
        "att8": ks4["att8"],
        "level2_em": ks4["level2_em"].astype(np.int64),
        "level2": ks4["level2"].astype(np.int64),
        "level1": ks4["level1"].astype(np.int64),
        "ptscnewe": ks4["capped_newstyle"],
        "ptstnewe": ks4["total_newstyle"],
        "l2basics_94": ks4["em_4"].astype(np.int64),
        "l2basics_95": ks4["em_5"].astype(np.int64),
        "ebacc": ks4["ebacc_4"].astype(np.int64),
        "ebacc_94": ks4["ebacc_4"].astype(np.int64),
        "ebacc_entered": ks4["ebacc_entered"].astype(np.int64),
        "gcse_eng_points": ks4["pts_eng"],
        "gcse_mat_points": ks4["pts_mat"],
    })
