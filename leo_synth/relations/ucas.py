"""UCAS applications (2007-2021 cycles): applicants and their course choices.

Applicants are the simulated full-time undergraduate entrants of any age (placed) and those
who applied without a place (``ucas_applicants``); each makes up to five applications in the
cycle before entry, or one (direct to Clearing, or recorded by the provider: ``ucas_routes``).
"""

from __future__ import annotations

import numpy as np

from leo_synth.relations.ks5 import at_sixth_form_college, ks5_school
from leo_synth.relations.registry import YEAR_ATTRIBUTE, builder
from leo_synth.relations.ucas_applicants import FIRST_CYCLE, applicants
from leo_synth.relations.ucas_qualifications import declared_qualifications
from leo_synth.relations.ucas_routes import (
    SINGLE,
    acceptance_routes,
    firm_offer,
    made_late,
    placed_choice,
    route_columns,
)
from leo_synth.relations.ucas_unconditional import ANALYSIS_FIRST_CYCLE, offer_kinds
from leo_synth.simulation.calendar import month_of, year_of, ymd
from leo_synth.simulation.frame import Frame, sorted_lookup
from leo_synth.simulation.higher_education import pick_provider
from leo_synth.simulation.life import LifeCourse
from leo_synth.simulation.population import KIND_HE_ONLY
from leo_synth.simulation.school_types import ACADEMY_TYPES, SELECTIVE, school_codes
from leo_synth.simulation.subjects import subject_catalogue
from leo_synth.spec.model import Relation

REGIONS = np.array(["A", "B", "C", "D", "E", "F", "G", "H", "J"])  # UCAS English regions
# UCAS ethnic origin: code and summary group of each NPD minor ethnicity (parameter order).
UCAS_ETHNICITY = {
    "WBRI": ("10", "White"), "WIRI": ("11", "White"), "WIRT": ("12", "White"),
    "WROM": ("13", "White"), "WOTH": ("19", "White"), "BCRB": ("21", "Black"),
    "BAFR": ("22", "Black"), "BOTH": ("29", "Black"), "AIND": ("31", "Asian"),
    "APKN": ("32", "Asian"), "ABAN": ("33", "Asian"), "CHNE": ("34", "Asian"),
    "AOTH": ("39", "Asian"), "MWBC": ("41", "Mixed"), "MWBA": ("42", "Mixed"),
    "MWAS": ("43", "Mixed"), "MOTH": ("49", "Mixed"), "OOTH": ("80", "Other"),
    "REFU": ("98", "Unknown or Prefer Not To Say"),
}
NSSEC = np.array(["Higher managerial and professional occupations",
                  "Lower managerial and professional occupations", "Intermediate occupations",
                  "Small employers and own account workers",
                  "Lower supervisory and technical occupations", "Semi-routine occupations",
                  "Routine occupations", "Unknown"])
TARIFF = np.array(["Higher tariff", "Medium tariff", "Lower tariff"])
COMPREHENSIVE_CENTRE, GRAMMAR_CENTRE, FE_CENTRE, INDEPENDENT_CENTRE, ACADEMY_CENTRE = (
    "State: Comprehensive", "State: Grammar", "FE college", "Independent", "Academy")
SIXTH_FORM_COLLEGE_CENTRE = "Sixth form college"


def school_aligned_age(birth: np.ndarray, cycle: np.ndarray) -> np.ndarray:
    """Age on 31 August of the cycle's year (England's school cohorts): 18 for a September
    entrant straight from school, 19 after a gap year (it was 18 for every applicant)."""
    return (cycle - year_of(birth) - (month_of(birth) > 8)).astype(np.int64)


@builder("ucas.applications", provides=(
    YEAR_ATTRIBUTE, "pupilmatchingrefanonymous", "unique_id_cycle", "applicant_id",
    "application_cycle", "applicant_gender_code", "gender", "applicant_age",
    "applicant_uk_region_code", "applicant_domicile_code", "application_date", "applicant_flag",
    "accept_flag", "unique_application_id_cycle", "entry_year_code", "entry_year",
    "application_flag", "main_scheme_application_flag", "june30_hep_decision_code",
    "june30_app_response_code", "jacs3_sub_line_code", "course_identifier",
    "qualification_status", "qualification_description", "subject_title", "grade",
    "qualification_year",
    "applicant_ethnic_group_code", "applicant_socioecon2000_code", "applicant_socioecon2010_code",
    "applicant_polar3_code", "applicant_polar4_code", "applicant_imd_code",
    "applicant_disability_code", "acceptance_route_code", "applicant_domicile_named_country",
    "higher_level_applicant_domicile", "applicant_region", "applicant_domicile",
    "ethnic_group_summary", "ethnic_group_detailed", "disability", "dis_ord",
    "socioecon_group2000", "socioecon_group2010", "polar3_quintile", "polar4_quintile", "imd",
    "grouped_school_aligned_age", "apply_centre_type", "acceptance_route",
    "application_route_code", "course_identifier_june30_deadline", "jacs3_sub_line_june30_code",
    "ucas_unconditional_offer_flag", "conditional_unconditional_offer_flag",
    "direct_unconditional_offer_flag", "other_unconditional_offer_flag",
    "unconditional_component_flag", "detailed_subject_group_name", "subject_group_name",
    "he_provider_tariff_group", "he_provider_uk_region", "application_route",
    "provider_decision_june30", "app_response_june30",
))
def applications(life: LifeCourse, relation: Relation) -> Frame:
    """One row per application (up to five per applicant and cycle)."""
    persons = life.persons
    rng = life.ctx.rng("ucas")
    person, cycle, accepted, entered_at, subject = applicants(life)
    catalogue = subject_catalogue(life.ctx.params)
    # (the unplaced applied to a subject of their own)
    subject = np.where(accepted, subject, rng.integers(0, len(catalogue.jacs), len(person)))
    mature = school_aligned_age(persons["birth"][person], cycle) > 20
    route = np.where(accepted, acceptance_routes(life.ctx.rng("ucas.acceptance_route"), mature),
                     -1)
    choices = np.where(np.isin(route, SINGLE), 1, rng.integers(3, 6, len(person)))
    placed_at = np.where(accepted, placed_choice(route, choices), -1)
    idx = np.repeat(np.arange(len(person)), choices)
    choice = np.arange(len(idx)) - np.repeat(np.cumsum(choices) - choices, choices)
    n = len(idx)
    p, c = person[idx], cycle[idx]
    pid = persons["pid"][p]
    keys = life.ctx.keys
    pmr_slot = np.maximum(life.linkage.pmr_count[p] - 1, 0)
    jacs = catalogue.jacs
    placed = choice == placed_at[idx]
    # The provider of each choice: the choice holding an entrant's place is the provider
    # entered (HESA); the others, providers of the tariff group the applicant's attainment
    # reaches.
    reach = np.clip(np.rint(1.1 - 0.9 * persons["ability"][p]), 0, 2).astype(np.int64)
    provider = np.where(placed & (entered_at[idx] >= 0), entered_at[idx],
                        pick_provider(life.ctx, life.ctx.rng("ucas.provider"), reach))
    course = course_identifier(provider, subject[idx], len(jacs))
    # The provider's decision: an offer for every choice holding a place or held firm and
    # 70% of the others, made unconditional (from 2013, more from 2018) for some of them;
    # the code and its label agree.
    offered = placed | (rng.random(n) < 0.7) | firm_offer(route[idx], choice)
    unconditional = offered & (c >= 2013) & (
        life.ctx.rng("ucas.unconditional").random(n) < np.where(c >= 2018, 0.12, 0.03))
    # the kinds of unconditional offer of the applications UCAS's analysis considered (main
    # scheme, 18-year-olds, from 2013), from a stream of their own
    analysed = ((c >= ANALYSIS_FIRST_CYCLE) & (school_aligned_age(persons["birth"][p], c) == 18)
                & ~made_late(route[idx], placed))
    kind = offer_kinds(life.ctx.rng("ucas.unconditional_kind").random(n),
                       life.ctx.params["ucas.unconditional_offers"], c, idx, offered, analysed)
    return Frame({
        # the academic year the cycle's applications are made in (2007/08 for cycle 2008); the
        # VRF's years, 2007/08 to 2020/21, hold the 2007 to 2021 cycles, so cycle 2007
        # (applied for in 2006/07, its Clearing and entry in 2007/08) counts in the first
        YEAR_ATTRIBUTE: np.maximum(c - 1, FIRST_CYCLE),
        "pupilmatchingrefanonymous": keys.make("pmr", pid, pmr_slot),
        "unique_id_cycle": pid * 100 + c % 100, "applicant_id": pid,
        "application_cycle": c, "applicant_gender_code": np.where(persons["female"][p], "F",
                                                                  "M"),
        "gender": np.where(persons["female"][p], "Female", "Male"),
        "applicant_uk_region_code": REGIONS[persons["region"][p]],
        "applicant_domicile_code": np.full(n, "ENG"),
        "application_date": _application_date(life, len(person), idx, c,
                                              made_late(route[idx], placed)),
        "applicant_flag": (choice == 0).astype(np.int64),
        "accept_flag": accepted[idx].astype(np.int64),
        "unique_application_id_cycle": (pid * 100 + c % 100) * 10 + choice,
        "entry_year_code": c, "entry_year": c, "application_flag": np.ones(n, dtype=np.int64),
        "jacs3_sub_line_code": jacs[subject[idx]].astype("<U2"),  # the subject line, e.g. L1
        "course_identifier": course,
        **declared_qualifications(life, p, c, choice,
                                  school_aligned_age(persons["birth"][p], c)),
        **_applicant_details(life, p, c, subject[idx], provider),
        **route_columns(route[idx], choice, placed, offered, unconditional, kind),
        "course_identifier_june30_deadline": course,
    })


def course_identifier(provider: np.ndarray, subject: np.ndarray, subjects: int) -> np.ndarray:
    """The UCAS course code of a provider's course in a subject: SYNC and four capitals and
    digits, one code per (provider, subject), so a course has one provider and one subject."""
    number = np.asarray(provider, dtype=np.int64) * subjects + subject
    if len(number) and number.max() >= len(_BASE36) ** 4:
        raise ValueError("too many providers and subjects for four-character course codes")
    digits = [_BASE36[(number // len(_BASE36) ** k) % len(_BASE36)] for k in (3, 2, 1, 0)]
    out = np.full(len(number), "SYNC", dtype="<U8")
    for digit in digits:
        out = np.char.add(out, digit)
    return out


_BASE36 = np.array(list("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"))


def _application_date(life: LifeCourse, applicants: int, idx: np.ndarray, cycle: np.ndarray,
                      clearing: np.ndarray) -> np.ndarray:
    """The date of each application: one form per applicant and cycle, sent between October
    and the January deadline with all its main scheme choices; a Clearing choice in July or
    August of the cycle."""
    rng = life.ctx.rng("ucas.dates")
    sent = rng.integers(0, 100, applicants)[idx].astype("timedelta64[D]")
    late = rng.integers(0, 50, len(idx)).astype("timedelta64[D]")
    return np.where(clearing, ymd(cycle, 7, 5) + late, ymd(cycle - 1, 10, 1) + sent)


def apply_centre_type(life: LifeCourse, person: np.ndarray) -> np.ndarray:
    """The type of the centre that sent the application: the applicant's KS5 institution in
    its type of the KS5 year (a grammar school, an academy, another state school; an FE college
    for the vocational programme, a sixth-form college for A levels there), an FE college for a
    pupil without a KS5 record (level 3 in the ILR), an independent school for a person the
    state-school records never held."""
    ks5 = life.post16.ks5
    order = np.argsort(ks5["person"], kind="stable")
    pos, found = sorted_lookup(ks5["person"][order], person)
    row = order[pos] if len(order) else pos
    year = ks5["year"][row] if len(order) else np.zeros(len(person), dtype=np.int64)
    school = ks5_school(life, person, year)
    codes = school_codes(life.ctx.pools.schools, life.ctx.params, school, year)
    state = np.where(codes["admpol"] == SELECTIVE, GRAMMAR_CENTRE,
                     np.where(np.isin(codes["nftype"], ACADEMY_TYPES), ACADEMY_CENTRE,
                              COMPREHENSIVE_CENTRE))
    vocational = found & ks5["vocational"][row].astype(bool) if len(order) else found
    college = found & at_sixth_form_college(life)[row] if len(order) else found
    state = np.where(college, SIXTH_FORM_COLLEGE_CENTRE, state)
    outside = life.persons["kind"][person] == KIND_HE_ONLY
    return np.where(found & ~vocational, state,
                    np.where(outside, INDEPENDENT_CENTRE, FE_CENTRE)).astype("<U20")


def _applicant_details(life: LifeCourse, p: np.ndarray, cycle: np.ndarray,
                       subject: np.ndarray, provider: np.ndarray) -> dict[str, object]:
    """Applicant characteristics (coded and labelled) and the course applied to, per
    application."""
    persons = life.persons
    n = len(p)
    age = school_aligned_age(persons["birth"][p], cycle)
    codes = list(life.ctx.params["population.ethnicity"])
    ethnic = np.array([UCAS_ETHNICITY[c][0] for c in codes])[persons["ethnicity"][p]]
    summary = np.array([UCAS_ETHNICITY[c][1] for c in codes])[persons["ethnicity"][p]]
    # Deprivation quintiles (1 = most deprived) from the home area's IDACI score.
    quintile = 5 - np.minimum((persons["idaci"][p] / 0.09).astype(int), 4)
    polar = np.clip(quintile + (persons["ability"][p] > 0.8), 1, 5)
    # The family's class is the applicant's, the same in each application and cycle.
    family = life.ctx.rng("ucas.nssec").normal(0, 1, len(persons))[p]
    nssec = np.clip(np.rint(3 + 1.6 * persons["disadvantage"][p] - 0.6 * persons["ability"][p]
                            + family), 1, 8).astype(int)
    regions = life.ctx.pools.regions["name"]
    catalogue = subject_catalogue(life.ctx.params)
    # Group names per principal subject (UCAS's columns hold 40 characters).
    subjects = catalogue.cah2_name[catalogue.cah2].astype("<U40")
    providers = life.ctx.pools.he_providers
    return {
        "applicant_ethnic_group_code": ethnic, "ethnic_group_summary": summary,
        "ethnic_group_detailed": np.where(summary == "White", "White", summary),
        "applicant_socioecon2000_code": nssec.astype(str),
        "applicant_socioecon2010_code": nssec.astype(str),
        "socioecon_group2000": NSSEC[nssec - 1], "socioecon_group2010": NSSEC[nssec - 1],
        "applicant_polar3_code": polar.astype(str), "applicant_polar4_code": polar.astype(str),
        "polar3_quintile": np.char.add("Quintile ", polar.astype(str)),
        "polar4_quintile": np.char.add("Quintile ", polar.astype(str)),
        "applicant_imd_code": quintile.astype(str),
        "imd": np.char.add("IMD quintile ", quintile.astype(str)),
        "applicant_disability_code": np.where(persons["need"][p] > 1.6, "D", "A"),
        "disability": np.where(persons["need"][p] > 1.6, "Disability declared",
                               "No disability"),
        "dis_ord": (persons["need"][p] > 1.6).astype(int) + 1,
        "applicant_domicile_named_country": np.full(n, "England"),
        "higher_level_applicant_domicile": np.full(n, "England"),
        "applicant_domicile": np.full(n, "England"),
        "applicant_region": regions[persons["region"][p]],
        "applicant_age": age,
        "grouped_school_aligned_age": np.clip(age, 17, 20).astype(str),
        "apply_centre_type": apply_centre_type(life, p),
        "jacs3_sub_line_june30_code": catalogue.jacs[subject].astype("<U2"),
        "detailed_subject_group_name": catalogue.jacs_name[subject].astype("<U40"),
        "subject_group_name": subjects[subject],
        "he_provider_tariff_group": TARIFF[providers["tariff"][provider]],
        "he_provider_uk_region": regions[providers["region"][provider]],
    }
