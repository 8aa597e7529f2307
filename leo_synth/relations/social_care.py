"""NPD children's social care relations: the CIN census tables and children looked after."""

from __future__ import annotations

import numpy as np

from leo_synth.relations.pupil import PUPIL_ATTRIBUTES, pupil_attributes
from leo_synth.relations.registry import YEAR_ATTRIBUTE, builder
from leo_synth.relations.values import Masked
from leo_synth.simulation import social_care
from leo_synth.simulation.calendar import DAY, month_of, year_of, ymd
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.life import LifeCourse
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
)
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
    episodes = social_care.children_in_need(life)
    table = relation.table.name
    if table == "cin_cpp":
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
        "categoryofabuse": abuse, "initialcategoryofabuse": abuse, "latestcategoryofabuse": abuse,
        "numberofpreviouscpp": (pid % 7 == 0).astype(np.int64),
        "cinat31march": np.ones(n, dtype=np.int64), "childage31march": episodes["age"],
        "cppindicator": episodes["plan"].astype(np.int64), "latestreferraldate": referral,
        "latestclosuredate": Masked(closure_or_end, open_now),
        "anycasesopen31march": open_now.astype(np.int64),
        "disability": (life.persons["need"][episodes["person"]] > 1.5).astype(np.int64),
    }
    return Frame(out)


CLA_ATTRIBUTES = (
    YEAR_ATTRIBUTE, *PUPIL_ATTRIBUTES, "pupilmatchingrefanonymous", "cla_la_anon", "sex",
    "age_aug", "processing_year", "ethnic", "uasc_status", "poc_start", "poc_length", "cat_need",
    "epi_idx", "date_epi_comm", "date_epi_ceased", "legal_status", "rec",
    "la_placement_anon", "place_location", "cla_31_march", "cla_6_months", "cla_12_months",
    "cla_pp_6_months", "cla_pp_1_day", "reason_place_change",
)


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
    })
