"""NPD children's social care relations: the CIN census tables and children looked after."""

from __future__ import annotations

import numpy as np

from leo_synth.relations.npd import care_attributes
from leo_synth.relations.pupil import PUPIL_ATTRIBUTES, pupil_attributes
from leo_synth.relations.registry import YEAR_ATTRIBUTE, builder
from leo_synth.relations.values import Masked
from leo_synth.simulation import social_care
from leo_synth.simulation.calendar import DAY, EXTRACT_END, age_on, month_of, year_of, ymd
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.life import LifeCourse
from leo_synth.simulation.per_block import per_block
from leo_synth.simulation.stats import codes_of_uniforms
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


CHILD_VIEWS = ("cin_child", "cin_overall", "cin_disabilities", "cin_open_case")
"""Views of one row per child in need and census year (the child's latest episode's)."""


@builder("npd.cin", provides=CIN_ATTRIBUTES)
def cin(life: LifeCourse, relation: Relation) -> Frame:
    """Children in need: one row per episode and census year it is open in (details, service
    provision), per child and year (child, overall, disabilities, open cases) or per plan and
    year (child protection plans)."""
    # Every view reads the same rows: made once per block, then the view's rows taken.
    rows = _cin_rows(life)
    name = relation.table.name
    if name == "cin_cpp":
        return rows.take(rows["plan_in_year"])
    return rows.take(rows["latest_of_child_year"]) if name in CHILD_VIEWS else rows


@per_block
def _cin_rows(life: LifeCourse) -> Frame:
    episodes = social_care.children_in_need(life)
    at, year = social_care.expand_years(episodes["referral"], episodes["closure"],
                                        social_care.CIN_FIRST, social_care.LAST)
    # Rows of a child and year together, in referral order: the child's latest episode last.
    order = np.lexsort((episodes["referral"][at], year, episodes["person"][at]))
    return _cin_frame(life, episodes.take(at[order]), year[order])


def _cin_frame(life: LifeCourse, ep: Frame, year: np.ndarray) -> Frame:
    """The attributes of (episode, census year) rows, each as that year's return has it: a
    closure after 31 March is not known yet (NULL, case open at 31 March)."""
    n = len(ep)
    person = ep["person"]
    attrs = pupil_attributes(life, person, year)
    pid = life.persons["pid"][person]
    birth = life.persons["birth"][person]
    referral, closure = ep["referral"], ep["closure"]
    march = ymd(year + 1, 3, 31)
    open_march = np.isnat(closure) | (closure > march)
    shown = np.where(open_march, np.datetime64("NaT"), closure)
    closure_or_end = np.where(open_march, march, closure)
    plan_end = ep["plan_end"]
    plan_open_march = ep["plan"] & (ep["plan_start"] <= march) & (
        np.isnat(plan_end) | (plan_end > march))
    plan_in_year = ep["plan"] & (ep["plan_start"] <= march) & (
        np.isnat(plan_end) | (plan_end >= ymd(year, 4, 1)))
    child = _child_year(person, year, open_march, plan_open_march)
    attrs["gender"] = np.where(attrs["gender"] == "F", 2, 1)  # the CIN census codes sex 1/2
    # the 2008/09 collection coded ethnicity A1..E3, later ones as the school census (WBRI...)
    minor = np.array(list(life.ctx.params["population.ethnicity"]))
    attrs["ethnicity"] = np.where(
        year == social_care.CIN_FIRST, np.array([CIN_ETHNICITY[c] for c in minor])[
            life.persons["ethnicity"][person]], minor[life.persons["ethnicity"][person]])
    # Row ids: a child's row per year, and an episode's or plan's row per year and child.
    child_id = pid * 100 + year % 100
    row_id = pid * 1000 + (year - social_care.CIN_FIRST) * 60 + np.minimum(child["rank"], 59)
    out = {
        YEAR_ATTRIBUTE: year, **attrs, "acadyr": attrs["academic_year"],
        "pupilmatchingrefanonymous": attrs["pmr"], "childtableid": child_id,
        "cindetailstableid": row_id, "cpptableid": row_id,
        "disabilitiesid": child_id * 10 + 1, "opencasestatustableid": child_id * 10 + 2,
        "serviceprovisiontableid": row_id,
        "cinreferraldate": referral, "referralsource": ep["source"],
        "primaryneedcode": ep["need"],
        "cinclosuredate": Masked(closure_or_end, open_march),
        "reasonforclosure": Masked(ep["reason"], open_march),
        "referralnfa": ep["nfa"].astype(np.int64),
        "caseopen31march": open_march.astype(np.int64),
        "agestartofcinperiod": age_on(birth, referral),
        "ageendofcinperiod": Masked(age_on(birth, closure_or_end), open_march),
        "age_referral": age_on(birth, referral), "yearofreferral": year_of(referral),
        "monthofreferral": month_of(referral),
        "yearofclosure": Masked(year_of(closure_or_end), open_march),
        "monthofclosure": Masked(month_of(closure_or_end), open_march),
        "cppstartdate": ep["plan_start"],
        "cppenddate": Masked(np.where(np.isnat(plan_end), march, plan_end), plan_open_march),
        # the initial child protection conference starts the plan: none without one in the year
        "dateofinitialcpc": Masked(ep["plan_start"], ~plan_in_year),
        # the episode's services run from its referral to its closure
        "serviceprovisionstartdate": referral,
        "serviceprovisionenddate": Masked(closure_or_end, open_march),
        "categoryofabuse": ep["abuse_latest"], "initialcategoryofabuse": ep["abuse_initial"],
        "latestcategoryofabuse": ep["abuse_latest"],
        "numberofpreviouscpp": ep["previous_plans"],
        "cinat31march": child["open"], "childage31march": age_on(birth, march),
        "cppindicator": child["plan"], "latestreferraldate": referral[child["latest_row"]],
        "latestclosuredate": Masked(closure_or_end[child["latest_row"]],
                                    open_march[child["latest_row"]]),
        "anycasesopen31march": child["open"],
        "disability": ep["disabled"].astype(np.int64),
        **_cin_year_flags(referral, shown, year),
        **_cin_plan_fields(life, ep, n),
        "plan_in_year": plan_in_year, "latest_of_child_year": child["latest"],
        "person": person,
    }
    care = care_attributes(life, person, year)
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
        [care["adopted_from_care"] == 1, looked_after & (out["age_referral"] >= 16),
         out["disability"] == 1, looked_after], ["A", "Z", "D", "P"], "Y")
    return Frame(out)


def _child_year(person: np.ndarray, year: np.ndarray, open_march: np.ndarray,
                plan_march: np.ndarray) -> dict:
    """Per child and census year (rows sorted by child, year and referral): any episode open
    or plan running at 31 March, whether a row is the child's latest episode, that episode's
    row and each row's rank in the child's year."""
    key = person * 10_000 + year
    first = np.concatenate([[True], key[1:] != key[:-1]]) if len(key) else np.zeros(0, bool)
    group = np.cumsum(first) - 1
    last = np.concatenate([first[1:], [True]]) if len(key) else first
    k = int(group[-1]) + 1 if len(key) else 0

    def any_of(values: np.ndarray) -> np.ndarray:
        out = np.zeros(k, dtype=bool)
        np.logical_or.at(out, group, values)
        return out[group].astype(np.int64)

    latest_row = np.flatnonzero(last)[group]
    return {
        "open": any_of(open_march), "plan": any_of(plan_march), "latest": last,
        "rank": np.arange(len(key)) - np.flatnonzero(first)[group],
        "latest_row": latest_row,
    }


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


def _cin_plan_fields(life: LifeCourse, episodes: Frame, n: int) -> dict[str, np.ndarray]:
    """Child protection plan fields: the NI67 denominator (plans of three months or more), its
    numerator (reviewed on time) and the lead social worker's visits, drawn given the plan."""
    rng = life.ctx.rng("cin.plan_reviews")
    end = np.where(np.isnat(episodes["plan_end"]), EXTRACT_END, episodes["plan_end"])
    days = ((end - episodes["plan_start"]) // DAY).astype(np.int64)
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
def _placement_la(life: LifeCourse, person: np.ndarray,
                  home_la: np.ndarray) -> dict[str, np.ndarray]:
    """Where a looked-after child is placed: inside the home LA (``IN``) or, for the share
    ``social_care.outside_la_share`` of children, in another LA (``OUT``), the same for a
    child in every year (one draw per person)."""
    persons = life.persons
    rng = life.ctx.rng("cla.place_location")
    outside = rng.random(len(persons)) < life.ctx.params["social_care.outside_la_share"]
    las = len(life.ctx.pools.las)
    other = (persons["la"] + 1 + rng.integers(0, max(las - 1, 1), len(persons))) % las
    away = outside[person] & (other[person] != persons["la"][person])
    return {"la_placement_anon": np.where(away, life.ctx.keys.make("la", other[person], 0),
                                          home_la),
            "place_location": np.where(away, "OUT", "IN")}


U_CODES_FROM = 2014
"""First census year of the U2-U6 foster placement codes (2014/15: Q1/Q2 up to processing year
2014)."""


@builder("npd.cla", provides=CLA_ATTRIBUTES)
def cla(life: LifeCourse, relation: Relation) -> Frame:
    """Children looked after: one row per child and year looked after in it (processing year:
    1 April to 31 March), holding the child's latest period of care in the year and its most
    recent episode (legal status), as the SSDA903 return does."""
    periods = social_care.looked_after(life)
    at, year = social_care.expand_years(periods["start"], periods["end"],
                                        social_care.CLA_FIRST, social_care.LAST)
    # A child with two periods in a year has one row: the later period's.
    order = np.lexsort((periods["start"][at], year, periods["person"][at]))
    at, year = at[order], year[order]
    key = periods["person"][at] * 10_000 + year
    latest = np.concatenate([key[1:] != key[:-1], [True]]) if len(key) else np.zeros(0, bool)
    at, year = at[latest], year[latest]
    period = periods.take(at)
    n = len(period)
    person = period["person"]
    attrs = pupil_attributes(life, person, year)
    birth = life.persons["birth"][person]
    start, end = period["start"], period["end"]
    march = ymd(year + 1, 3, 31)
    at_march = np.isnat(end) | (end > march)
    until = np.where(at_march, march, end)
    status, episode_start, episode = social_care.legal_status_at(period, until)
    care = social_care.care_in_year(periods, person, year)
    age_aug = np.maximum(age_on(birth, ymd(year, 8, 31)), 0)
    # The performance cohorts count children aged 4 to 15 at 31 August.
    cohort_age = (age_aug >= 4) & (age_aug <= 15)
    april = ymd(year + 1, 4, 1)
    return Frame({
        YEAR_ATTRIBUTE: year, "person": person, **attrs,
        "pupilmatchingrefanonymous": attrs["pmr"], "cla_la_anon": attrs["home_la_anon"],
        "sex": np.where(attrs["gender"] == "F", 2, 1),
        "age_aug": age_aug, "processing_year": year + 1,
        "ethnic": attrs["ethnicity"], "uasc_status": np.zeros(n, dtype=np.int64),
        # days from the start of the period to its end, or to 31 March if still looked after
        "poc_start": start, "poc_length": ((until - start) // DAY).astype(np.int64),
        "cat_need": period["need"], "epi_idx": episode, "date_epi_comm": episode_start,
        "date_epi_ceased": Masked(until, at_march), "legal_status": status,
        # -10: still looked after at 31 March (the VRF's code), else why the period ended
        "rec": np.where(at_march, "-10", period["reason_ceased"]),
        **_placement_la(life, person, attrs["home_la_anon"]),
        "cla_31_march": at_march.astype(np.int64),
        "cla_6_months": np.maximum(care["cla_6_months"], 0).astype(np.int64),
        "cla_12_months": np.maximum(care["cla_12_months"], 0).astype(np.int64),
        "cla_pp_6_months": (care["cla_pp_6_months"] & cohort_age).astype(np.int64),
        "cla_pp_1_day": (care["cla_pp_1_day"] & cohort_age).astype(np.int64),
        "reason_place_change": Masked(np.full(n, "CARPL"), np.ones(n, dtype=bool)),
        "placement": _placements(life, period, year, age_on(birth, until), status),
        # OC3: looked after on 1 April (the end of the year) and aged 16 on that day.
        "oc3": ((start <= april) & (np.isnat(end) | (end >= april))
                & (age_on(birth, april) == 16)).astype(np.int64),
    })


def _placements(life: LifeCourse, period: Frame, year: np.ndarray, age: np.ndarray,
                status: np.ndarray) -> np.ndarray:
    """Placement on the row's reference date: placed for adoption (A3-A6) under a placement
    order before an adoption, else by age (foster care, placed with parents, children's homes,
    semi-independent and independent living), each period keeping its draw."""
    p = life.ctx.params["social_care"]
    table = p["placement_by_age"]
    bands = sorted(table)
    codes = sorted({code for band in bands for code in table[band]})
    weights = np.array([[table[band].get(code, 0.0) for code in codes] for band in bands])
    cum = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
    band = np.searchsorted(np.array(bands), age, side="right") - 1
    chosen = np.minimum((cum[band] <= period["placement_u"][:, None]).sum(axis=1),
                        len(codes) - 1)
    code = np.array(codes)[chosen]
    foster = np.where(year < U_CODES_FROM,
                      codes_of_uniforms(p["foster_codes_to_2013"], period["foster_u"]),
                      codes_of_uniforms(p["foster_codes"], period["foster_u"]))
    adoption = np.array(["A3", "A4", "A5", "A6"])[(period["foster_u"] * 4).astype(int)]
    return np.select([status == "E1", code == "foster"], [adoption, foster], code)
