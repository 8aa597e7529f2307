"""Pupil characteristics shared by every NPD relation, computed the same way everywhere.

Census, absence, exclusions, key stage, AP, PRU, CIN, CLA, NCCIS, PLAMS and YPMAD records of a
pupil all describe the same simulated person, so their gender, birth, ethnicity, language, FSM,
SEN, school and area agree (as far as the real collections agree). Specs refer to these
attributes by name (``fill: ever_fsm_6``); ``PUPIL_ATTRIBUTES`` lists them for builders'
``provides``.
"""

from __future__ import annotations

import numpy as np

from leo_synth.relations.common import pmrs_in_year
from leo_synth.relations.pupil_characteristics import age_at_year_start, idaci_rank
from leo_synth.relations.values import Masked
from leo_synth.simulation.calendar import month_of, year_of
from leo_synth.simulation.life import LifeCourse
from leo_synth.simulation.per_block import per_block
from leo_synth.simulation.schooling import SEN_STATEMENT, SEN_SUPPORT, YEARS
from leo_synth.simulation.series import interpolate
from leo_synth.simulation.stats import codes_of_uniforms
from leo_synth.simulation.text import labels_of
from leo_synth.spec.years import academic_year_labels

ETHNIC_MAJOR = {"W": "WHIT", "M": "MIXD", "A": "ASIA", "B": "BLAC", "C": "CHIN", "O": "AOEG"}
# EthnicGroup (to 2008/09): the 2002 code set's labels.
ETHNIC_GROUP_OLD = {
    "WBRI": "White British",
    "WIRI": "White Irish",
    "WIRT": "Traveller of Irish heritage",
    "WROM": "Gypsy / Roma",
    "WOTH": "Any Other White Background",
    "MWBC": "White and Black Caribbean",
    "MWBA": "White and Black African",
    "MWAS": "White and Asian",
    "MOTH": "Any Other Mixed Background",
    "AIND": "Indian",
    "APKN": "Pakistani",
    "ABAN": "Bangladeshi",
    "AOTH": "Any Other Asian Background",
    "BCRB": "Black Caribbean",
    "BAFR": "Black - African",
    "BOTH": "Any Other Black Background",
    "CHNE": "Chinese",
    "OOTH": "Any Other Ethnic Group",
    "REFU": "Refused",
}

PUPIL_ATTRIBUTES = (
    "pmr", "academic_year", "academic_year_short", "gender", "female_flag", "year_of_birth",
    "month_of_birth", "age_start", "month_part", "ethnicity", "ethnic_group_minor",
    "ethnic_group_major", "ethnic_group_old", "fsm", "ever_fsm_3", "ever_fsm_6",
    "ever_fsm_all", "first_language", "language_group_minor", "language_group_major",
    "eal_flag", "sen_provision", "sen_provision_major", "primary_sen_type",
    "secondary_sen_type", "sen_support_flag", "sen_ehc_flag", "sen_any_flag",
    "sen_statement_or_ehc_flag", "sen_action_flag", "sen_action_plus_or_statement_flag",
    "la_anon", "la_9code_anon", "laestab_anon", "urn_anon", "home_la_anon",
    "home_la_9code_anon", "coa", "lsoa", "idaci_score", "idaci_rank", "ncyear_actual",
)


def sen_provision_code(life: LifeCourse, level: np.ndarray, year: np.ndarray,
                       person: np.ndarray) -> np.ndarray:
    """SEN provision codes by era: A/P/S until 2013/14, K/E from 2014/15 (with transition)."""
    p = life.ctx.params
    u = _sen_code_u(life)
    k_share = interpolate(p["sen.support_k_share"], year) * (year >= 2014)
    ehc_share = interpolate(p["sen.ehc_share"], year) * (year >= 2014)
    action = u[person] < k_share + (1 - k_share) * p["sen.school_action_share"]
    support = np.where(u[person] < k_share, "K", np.where(action, "A", "P"))
    statement = np.where(u[person] < ehc_share, "E", "S")
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
    return Masked(_need_of_year(code, year), level <= 0)


def _need_of_year(code: np.ndarray, year: np.ndarray) -> np.ndarray:
    """A need code as the year's census codes it: BESD before 2014/15 where SEMH later, OTH
    where NSA (no specialist assessment) later."""
    early = year < 2014
    code = np.where(early & (code == "SEMH"), "BESD", code)
    return np.where(early & (code == "NSA"), "OTH", code)


SECONDARY_NEED_SHARE = {SEN_STATEMENT: 0.35, SEN_SUPPORT: 0.2}
"""Share of pupils with a statement or EHC plan, and with SEN support, who have a secondary
need recorded (the census asks for one "if appropriate"). An assumption: no reference gives
the share."""


@per_block
def _secondary_need_draws(life: LifeCourse) -> tuple[np.ndarray, np.ndarray]:
    """Per person of the block: a uniform deciding whether a secondary need is recorded and
    one choosing it (the person's own, so every record and year agree)."""
    rng = life.ctx.rng("pupil.secondary_sen")
    n = len(life.persons)
    return rng.random(n), rng.random(n)


def secondary_sen_code(life: LifeCourse, person: np.ndarray, level: np.ndarray,
                       year: np.ndarray, primary: np.ndarray) -> Masked:
    """Secondary SEN type code of pupils with SEN, for a share of them
    (:data:`SECONDARY_NEED_SHARE`): a need of the SEN support mix other than the primary one
    (the next code of the list where the draw gives the primary's), coded as the year's
    census codes it; NULL for the others."""
    recorded, choice = (draws[person] for draws in _secondary_need_draws(life))
    share = np.select([level == SEN_STATEMENT, level == SEN_SUPPORT],
                      [SECONDARY_NEED_SHARE[SEN_STATEMENT], SECONDARY_NEED_SHARE[SEN_SUPPORT]], 0)
    mix = life.ctx.params["sen.need_support"]
    codes = np.array(list(mix))
    pick = codes_of_uniforms(dict(enumerate(mix.values())), choice)  # (positions in the mix)
    code = _need_of_year(codes[pick], year)
    code = np.where(code == primary, _need_of_year(codes[(pick + 1) % len(codes)], year), code)
    return Masked(code, (level <= 0) | (recorded >= share))


NCYEAR_BELOW_1 = {0: "R", -1: "N2", -2: "N1"}


def ncyear_code(ncyear: np.ndarray) -> np.ndarray:
    """National Curriculum year as the census codes it: N1, N2, R, 1 ... 14 (each distinct
    year coded once; fixed-width text, which converts to Arrow faster than Python strings)."""
    return labels_of(ncyear, lambda year: NCYEAR_BELOW_1.get(year, str(year)), dtype=str)


def school_of(life: LifeCourse, person: np.ndarray, year: np.ndarray) -> np.ndarray:
    """Each person's school in academic year ``year``: the one whose roll the person is on
    then, else the first school of the phase of the person's NC year then."""
    schooling = life.schooling
    first = np.where(year - life.persons["cohort"][person] - 5 > 6,
                     schooling.secondary_school[person], schooling.primary_school[person])
    return schooling.school_in(person, year, first)


def pupil_attributes(life: LifeCourse, person: np.ndarray, year: np.ndarray,
                     school: np.ndarray | None = None) -> dict[str, object]:
    """Every attribute in ``PUPIL_ATTRIBUTES`` for (person, academic year[, school]) rows."""
    persons = life.persons
    pools = life.ctx.pools
    keys = life.ctx.keys
    year = np.asarray(year, dtype=np.int64)
    if school is None:
        school = school_of(life, person, year)
    own = {name: values[person] for name, values in _person_attributes(life).items()}
    schooling = life.schooling
    level = schooling.sen_level_in(person, year)
    sen_code = sen_provision_code(life, level, year, person)
    primary = sen_need_code(life, person, level, year)
    la = pools.schools["la"][school]
    return {
        "pmr": pmrs_in_year(life, person, year),
        "academic_year": academic_year_labels(year),
        "academic_year_short": academic_year_labels(year, short=True),
        **own,
        "age_start": age_at_year_start(life, person, year),
        "fsm": schooling.fsm_in(person, year).astype(np.int64),
        "ever_fsm_3": schooling.ever_fsm(person, year, 3).astype(np.int64),
        "ever_fsm_6": schooling.ever_fsm(person, year, 6).astype(np.int64),
        "ever_fsm_all": schooling.ever_fsm(person, year, len(YEARS)).astype(np.int64),
        "sen_provision": sen_code,
        "sen_provision_major": np.select([level == SEN_STATEMENT, level == SEN_SUPPORT],
                                         ["3_SS", "2_SNS"], "1_NON"),
        "primary_sen_type": primary,
        "secondary_sen_type": secondary_sen_code(life, person, level, year, primary.values),
        "sen_support_flag": (sen_code == "K").astype(np.int64),
        "sen_ehc_flag": (sen_code == "E").astype(np.int64),
        "sen_statement_or_ehc_flag": (level == SEN_STATEMENT).astype(np.int64),
        "sen_any_flag": (level > 0).astype(np.int64),
        "sen_action_flag": (sen_code == "A").astype(np.int64),
        "sen_action_plus_or_statement_flag": np.isin(sen_code, ["P", "S"]).astype(np.int64),
        "la_anon": keys.make("la", la, 0),
        "la_9code_anon": keys.make("la", la, 1),
        "laestab_anon": keys.make("school", school, 0),
        "urn_anon": keys.make("school", school, 1),
        "ncyear_actual": ncyear_code(year - persons["cohort"][person] - 5),
    }


@per_block
def _person_attributes(life: LifeCourse) -> dict[str, np.ndarray]:
    """The pupil attributes that are the person's whatever the year and school, per person of
    the block (computed once, read by every row of the person)."""
    persons = life.persons
    pools = life.ctx.pools
    keys = life.ctx.keys
    birth = persons["birth"]
    birth_month = month_of(birth)
    ethnic_codes = np.array(list(life.ctx.params["population.ethnicity"]))
    ethnic = ethnic_codes[persons["ethnicity"]]
    major_of = np.array([ETHNIC_MAJOR.get(c[0], "UNCL") if c != "REFU" else "UNCL"
                         for c in ethnic_codes])
    old_of = np.array([ETHNIC_GROUP_OLD[c] for c in ethnic_codes])
    eal = persons["eal"]
    oa = persons["oa"]
    idaci = persons["idaci"]
    return {
        "gender": np.where(persons["female"], "F", "M"),
        "female_flag": persons["female"].astype(np.int64),
        "year_of_birth": year_of(birth),
        "month_of_birth": birth_month,
        "month_part": (8 - birth_month) % 12,
        "ethnicity": ethnic,
        "ethnic_group_minor": ethnic,
        "ethnic_group_major": major_of[persons["ethnicity"]],
        "ethnic_group_old": old_of[persons["ethnicity"]],
        "first_language": np.where(eal, "OTH", "ENG"),
        "language_group_minor": np.where(eal, "OTH", "ENG"),
        "language_group_major": np.where(eal, "2_OTH", "1_ENG"),
        "eal_flag": eal.astype(np.int64),
        "home_la_anon": keys.make("la", persons["la"], 0),
        "home_la_9code_anon": keys.make("la", persons["la"], 1),
        "coa": pools.output_areas["coa"][oa],
        "lsoa": pools.output_areas["lsoa"][oa],
        "idaci_score": idaci,
        "idaci_rank": idaci_rank(idaci),
    }


@per_block
def _sen_code_u(life: LifeCourse) -> np.ndarray:
    """One uniform per person, shared by every year and relation, so a pupil's provision code
    changes only with the era's shares."""
    return life.ctx.rng("sen_codes").random(len(life.persons))
