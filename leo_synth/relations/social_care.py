"""NPD children's social care relations: the CIN census tables and children looked after."""

from __future__ import annotations

import numpy as np

from leo_synth.relations.npd import care_attributes
from leo_synth.relations.pupil import PUPIL_ATTRIBUTES, pupil_attributes
from leo_synth.relations.registry import YEAR_ATTRIBUTE, builder
from leo_synth.relations.values import Masked
from leo_synth.simulation import social_care
from leo_synth.simulation.calendar import DAY, age_on, month_of, year_of, ymd
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.life import LifeCourse
from leo_synth.simulation.per_block import per_block
from leo_synth.spec.model import Relation

CIN_ATTRIBUTES = (
    YEAR_ATTRIBUTE, *PUPIL_ATTRIBUTES, "acadyr", "pupilmatchingrefanonymous",
    "childtableid", "cindetailstableid", "cpptableid", "disabilitiesid",
    "openCaseStatusTableID".lower(), "serviceprovisiontableid", "cinreferraldate",
    "referralsource", "primaryneedcode", "cinclosuredate", "reasonforclosure", "referralnfa",
    "caseopen31march", "agestartofcinperiod", "ageendofcinperiod", "age_referral",
    "yearofreferral", "monthofreferral", "yearofclosure", "monthofclosure", "cppstartdate",
    "cppenddate", "categoryofabuse", "initialcategoryofabuse", "latestcategoryofabuse",
    "numberofpreviouscpp", "cinat31march", "childage31march", "cppindicator",
    "latestreferraldate", "latestclosuredate", "anycasesopen31march", "disability",
    "cin_started", "cin_ended", "cin_any_point", "cin_throughout", "cin_at31",
    "adopted_from_care", "cla_pp_1_day", "seen_social_worker", "ni67_denominator",
    "ni67_numerator", "open_case_information", "service_type", "dateofinitialcpc",
    "serviceprovisionstartdate", "serviceprovisionenddate",
)
NI67_MIN_DAYS = 91
"""NI67 (child protection reviews on time) counts plans that lasted at least three months."""
NI67_ON_TIME = 0.97
"""Share of those plans reviewed within the required timescales (DfE, around 97%)."""
SEEN_BY_SOCIAL_WORKER = 0.9
# Open case information of children in need who are not looked after (codes of the CIN
# census other than CLA), weighted roughly as the 2008/09 returns.
OPEN_CASE_CODES = np.array(["NON", "CR", "YC", "RO", "SG", "TP", "PFC", "CDP", "NCH", "DCH"])
OPEN_CASE_WEIGHTS = np.array([62, 8, 6, 5, 4, 4, 2, 4, 3, 2], dtype=float)
# NPD minor ethnicity -> the CIN census codes (A1 White British ... E4 not obtained).
CIN_ETHNICITY = {
    "WBRI": "A1", "WIRI": "A2", "WOTH": "A3", "WIRT": "A4", "WROM": "A5", "MWBC": "B1",
    "MWBA": "B2", "MWAS": "B3", "MOTH": "B4", "AIND": "C1", "APKN": "C2", "ABAN": "C3",
    "AOTH": "C4", "BCRB": "D1", "BAFR": "D2", "BOTH": "D3", "CHNE": "E1", "OOTH": "E2",
    "REFU": "E3",
}


@builder("npd.cin", provides=CIN_ATTRIBUTES)
def cin(life: LifeCourse, relation: Relation) -> Frame:
    """Children in need: one row per episode (details), or per child and year, per plan ..."""
    # Every view reads the same rows (the plans' table, the plans only): made once per block.
    return _cin_rows(life, relation.table.name == "cin_cpp")


@per_block
def _cin_rows(life: LifeCourse, plans_only: bool) -> Frame:
    episodes = social_care.children_in_need(life)
    if plans_only:
        episodes = episodes.take(episodes["plan"])
    n = len(episodes)
    attrs = pupil_attributes(life, episodes["person"], episodes["year"])
    pid = life.persons["pid"][episodes["person"]]
    referral, closure = episodes["referral"], episodes["closure"]
    open_now = np.isnat(closure)
    closure_or_end = np.where(open_now, ymd(episodes["year"] + 1, 3, 31), closure)
    abuse = np.array(["NEG", "EMO", "PHY", "SAB", "MUL"])[pid % 5]
    attrs["gender"] = np.where(attrs["gender"] == "F", 2, 1)  # the CIN census codes sex 1/2
    attrs["ethnicity"] = np.array([CIN_ETHNICITY[c] for c in
                                   life.ctx.params["population.ethnicity"]])[
        life.persons["ethnicity"][episodes["person"]]]
    out = {
        YEAR_ATTRIBUTE: episodes["year"], **attrs, "acadyr": attrs["academic_year"],
        "pupilmatchingrefanonymous": attrs["pmr"], "childtableid": pid * 100 + episodes["year"]
        % 100, "cindetailstableid": pid * 1000 + np.arange(n) % 1000,
        "cpptableid": pid * 1000 + 500 + np.arange(n) % 500,
        "disabilitiesid": pid * 10 + 1, "opencasestatustableid": pid * 10 + 2,
        "serviceprovisiontableid": pid * 10 + 3,
        "cinreferraldate": referral, "referralsource": np.array(
            ["1A", "2A", "3A", "3B", "5A", "5B", "6", "7", "8", "9"])[pid % 10],
        "primaryneedcode": episodes["need"],
        "cinclosuredate": Masked(closure_or_end, open_now),
        "reasonforclosure": Masked(np.array(["RC1", "RC2", "RC3", "RC4", "RC5", "RC6", "RC7",
                                             "RC8"])[pid % 8], open_now),
        "referralnfa": (pid % 10 == 0).astype(np.int64),
        "caseopen31march": (closure_or_end >= ymd(episodes["year"] + 1, 3, 31)).astype(np.int64),
        "agestartofcinperiod": episodes["age"], "ageendofcinperiod": episodes["age"] + (
            (closure_or_end - referral) // DAY // 365).astype(np.int64),
        "age_referral": episodes["age"], "yearofreferral": year_of(referral),
        "monthofreferral": month_of(referral),
        "yearofclosure": Masked(year_of(closure_or_end), open_now),
        "monthofclosure": Masked(month_of(closure_or_end), open_now),
        "cppstartdate": episodes["plan_start"], "cppenddate": episodes["plan_end"],
        # the initial child protection conference starts the plan: none without one
        "dateofinitialcpc": Masked(episodes["plan_start"], ~episodes["plan"]),
        # the episode's services run from its referral to its closure
        "serviceprovisionstartdate": referral,
        "serviceprovisionenddate": Masked(closure_or_end, open_now),
        "categoryofabuse": abuse, "initialcategoryofabuse": abuse, "latestcategoryofabuse": abuse,
        "numberofpreviouscpp": (pid % 7 == 0).astype(np.int64),
        "cinat31march": np.ones(n, dtype=np.int64), "childage31march": episodes["age"],
        "cppindicator": episodes["plan"].astype(np.int64), "latestreferraldate": referral,
        "latestclosuredate": Masked(closure_or_end, open_now),
        "anycasesopen31march": open_now.astype(np.int64),
        "disability": (life.persons["need"][episodes["person"]] > 1.5).astype(np.int64),
        **_cin_year_flags(referral, episodes["closure"], episodes["year"]),
        **_cin_plan_fields(life, episodes),
    }
    care = care_attributes(life, episodes["person"], episodes["year"])
    out["adopted_from_care"] = care["adopted_from_care"]
    out["cla_pp_1_day"] = care["cla_pp_1_day"]
    rng = life.ctx.rng("cin.open_case")
    other = OPEN_CASE_CODES[np.searchsorted(np.cumsum(OPEN_CASE_WEIGHTS) / OPEN_CASE_WEIGHTS.sum(),
                                            rng.random(n), side="right")]
    out["open_case_information"] = np.where(care["cla_pp_1_day"] == 1, "CLA", other)
    # The service a child in need receives follows the case: adoption support after an
    # adoption, leaving-care support for looked-after 16-17 year olds, disabled children's
    # services for disabled children, accommodation for looked-after children, else family
    # support (section 17).
    looked_after = care["cla_pp_1_day"] == 1
    out["service_type"] = np.select(
        [care["adopted_from_care"] == 1, looked_after & (episodes["age"] >= 16),
         out["disability"] == 1, looked_after], ["A", "Z", "D", "P"], "Y")
    return Frame(out)


def _cin_year_flags(referral: np.ndarray, closure: np.ndarray,
                    year: np.ndarray) -> dict[str, np.ndarray]:
    """Flags of a CIN episode against its census year (1 April to 31 March): started, ended,
    open at any point, open throughout, open on 31 March ('1'/'0' as the VRF's text fields)."""
    first, last = ymd(year, 4, 1), ymd(year + 1, 3, 31)
    still_open = np.isnat(closure)
    ends_after = still_open | (closure > last)
    flags = {
        "cin_started": (referral >= first) & (referral <= last),
        "cin_ended": ~still_open & (closure >= first) & (closure <= last),
        "cin_any_point": (referral <= last) & (still_open | (closure >= first)),
        "cin_throughout": (referral < first) & ends_after,
        "cin_at31": (referral <= last) & ends_after,
    }
    return {name: np.where(value, "1", "0") if name != "cin_any_point"
            else value.astype(np.int64) for name, value in flags.items()}


def _cin_plan_fields(life: LifeCourse, episodes: Frame) -> dict[str, np.ndarray]:
    """Child protection plan fields: the NI67 denominator (plans of three months or more), its
    numerator (reviewed on time) and the lead social worker's visits, drawn given the plan."""
    rng = life.ctx.rng("cin.plan_reviews")
    n = len(episodes)
    days = ((episodes["plan_end"] - episodes["plan_start"]) // DAY).astype(np.int64)
    denominator = episodes["plan"] & (days >= NI67_MIN_DAYS)
    return {
        "ni67_denominator": denominator.astype(np.int64),
        "ni67_numerator": (denominator & (rng.random(n) < NI67_ON_TIME)).astype(np.int64),
        "seen_social_worker": (episodes["plan"] & (rng.random(n) < SEEN_BY_SOCIAL_WORKER)
                               ).astype(np.int64),
    }


CLA_ATTRIBUTES = (
    YEAR_ATTRIBUTE, *PUPIL_ATTRIBUTES, "pupilmatchingrefanonymous", "cla_la_anon", "sex",
    "age_aug", "processing_year", "ethnic", "uasc_status", "poc_start", "poc_length", "cat_need",
    "epi_idx", "date_epi_comm", "date_epi_ceased", "legal_status", "rec",
    "la_placement_anon", "place_location", "cla_31_march", "cla_6_months", "cla_12_months",
    "cla_pp_6_months", "cla_pp_1_day", "reason_place_change", "placement", "oc3",
)
U_CODES_FROM = 2015
"""First year of the U2-U6 foster placement codes (Q1/Q2 up to 2014)."""


@builder("npd.cla", provides=CLA_ATTRIBUTES)
def cla(life: LifeCourse, relation: Relation) -> Frame:
    """Children looked after: one row per episode of care."""
    periods = social_care.looked_after(life)
    n = len(periods)
    attrs = pupil_attributes(life, periods["person"], periods["year"])
    start, end = periods["start"], periods["end"]
    open_now = np.isnat(end)
    until = np.where(open_now, ymd(2021, 3, 31), end)
    length = ((until - start) // DAY).astype(np.int64)
    march = ymd(periods["year"] + 1, 3, 31)
    return Frame({
        YEAR_ATTRIBUTE: periods["year"], **attrs, "pupilmatchingrefanonymous": attrs["pmr"],
        "cla_la_anon": attrs["home_la_anon"], "sex": np.where(attrs["gender"] == "F", 2, 1),
        "age_aug": periods["age"], "processing_year": periods["year"] + 1,
        "ethnic": attrs["ethnicity"], "uasc_status": np.zeros(n, dtype=np.int64),
        "poc_start": start, "poc_length": length, "cat_need": np.full(n, "N1"),
        "epi_idx": np.ones(n, dtype=np.int64), "date_epi_comm": start,
        "date_epi_ceased": Masked(until, open_now), "legal_status": periods["legal_status"],
        "rec": Masked(periods["reason_ceased"], open_now),
        "la_placement_anon": attrs["home_la_anon"], "place_location": np.full(n, "IN"),
        "cla_31_march": (until >= march).astype(np.int64),
        "cla_6_months": (length >= 182).astype(np.int64),
        "cla_12_months": (length >= 365).astype(np.int64),
        "cla_pp_6_months": (length >= 182).astype(np.int64),
        "cla_pp_1_day": np.ones(n, dtype=np.int64),
        "reason_place_change": Masked(np.full(n, "CARPL"), np.ones(n, dtype=bool)),
        "placement": _placements(life, periods),
        # OC3: looked after on 1 April (the end of the year) and aged 16 on that day.
        "oc3": ((start <= ymd(periods["year"] + 1, 4, 1)) & (until >= ymd(periods["year"] + 1,
                                                                        4, 1))
                & (age_on(life.persons["birth"][periods["person"]],
                          ymd(periods["year"] + 1, 4, 1)) == 16)).astype(np.int64),
    })


def _placements(life: LifeCourse, periods: Frame) -> np.ndarray:
    """Placement type given the period of care: placed for adoption (A3-A6) when it ended in
    adoption, else by age: children's homes (K2) and independent or semi-independent living
    (P2, H5: a quarter at 16 or over; K2: 15% from 12), placed with parents (P1, 6%), and
    foster care (Q1/Q2 to 2014, U3, U4, U6 from 2015) for the others."""
    rng = life.ctx.rng("cla.placement")
    n = len(periods)
    age = periods["age"]
    u = rng.random(n)
    v = rng.random(n)
    foster = np.where(periods["year"] < U_CODES_FROM,
                      np.where(v < 0.2, "Q1", "Q2"),
                      np.array(["U3", "U4", "U6"])[np.searchsorted([0.2, 0.35], v, side="right")])
    older = age >= 16
    teen = age >= 12
    code = np.select(
        [np.isin(periods["reason_ceased"], social_care.ADOPTED), older & (u < 0.25),
         teen & (u >= 0.25) & (u < 0.40), (u >= 0.40) & (u < 0.46)],
        [np.array(["A3", "A4", "A5", "A6"])[(v * 4).astype(int)],
         np.where(v < 0.5, "P2", "H5"), np.full(n, "K2"), np.full(n, "P1")], foster)
    return code
