"""NPD relations about young people after 16: post-16 learning aims (PLAMS), NCCIS activity and
YPMAD attainment by 19. All follow the simulated post-16 route, HE entry and work history."""

from __future__ import annotations

import numpy as np

from leo_synth.relations.common import in_year
from leo_synth.relations.derive_ilr import overlaps
from leo_synth.relations.derive_ks5 import (
    A_STAR_FROM,
    AS_LEVEL_SUBLEVNO,
    AS_POINTS_QCA,
    POINTS_QCA,
)
from leo_synth.relations.derive_ypmad import (
    AT_15,
    SNAPSHOT_ATTRIBUTES,
    SOURCE_ATTRIBUTES,
    levels_reached,
    snapshot_sources,
    ypmad_sources,
)
from leo_synth.relations.key_stages import A_LEVEL_GRADES, A_LEVEL_SUBJECTS
from leo_synth.relations.ks5 import (
    A_LEVEL_SUBLEVNO,
    a_level_grades,
    as_level_subjects,
    ks5_subjects,
)
from leo_synth.relations.pupil import PUPIL_ATTRIBUTES, pupil_attributes, school_of
from leo_synth.relations.registry import YEAR_ATTRIBUTE, builder
from leo_synth.relations.values import Masked
from leo_synth.simulation.calendar import year_of, ymd
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.life import LifeCourse
from leo_synth.simulation.post16 import (
    APPRENTICESHIP,
    EMPLOYMENT,
    FE,
    NEET,
    NO_ROUTE,
    SFC,
    SIXTH_FORM,
    a_level_row,
)
from leo_synth.simulation.stats import drawn_codes, rank_within
from leo_synth.spec.model import Relation

PLAMS_MATCHED = (
    "laestab_att", "qan_att", "disc_code_att", "qual_type_att", "sublevno_att", "qual_lev_att",
    "source_att", "source_aat", "grade_description", "grade_match_status", "grade_qcda_points",
    "aim_outcome", "withdrawal_reason",
)
"""PLAMS attributes of the aim's match to the pupil's attainment (KS5 AAT) record: only a
completed aim (the final year's) has a result to match."""


@builder("npd.plams", provides=(
    *PUPIL_ATTRIBUTES, "acadyr", "pupilmatchingrefanonymous", "recordsource", "onroll",
    "recordstatus", "ncyear", "ncyearid", "qan", "qn", "disc_code", "scc", "sublevno_ref",
    "qual_lev_ref", "title_ref", "qual_type_ref", "learningstartdate", "learningplannedenddate",
    "learningactualenddate", "learningcompletionstatus", "learningaimstatus", "coreaim",
    "grade_att", "grade_aat", "grade_source", "gradepassfail", "version", "progtype",
    "traineeship", "mapping", *PLAMS_MATCHED,
))
def plams(life: LifeCourse, relation: Relation) -> Frame:
    """Post-16 learning aims of school sixth-formers: a KS5 student's A levels (the subjects
    and, in Year 13, the grades of the KS5 exam rows: ``post16.a_level_row``), in both years
    of the sixth form, and in Year 12 the AS level the student cashes in then (completed,
    with its KS5 grade); three A level aims a year for a sixth-former without KS5 results
    (one who leaves after Year 12)."""
    py = life.schooling.pupil_years
    rows = py.take((py["year"] == relation.year) & (py["ncyear"] >= 12))
    rng = life.ctx.rng(f"plams:{relation.year}")
    ks5 = life.post16.ks5
    ks5_row = a_level_row(ks5, rows["person"], rows["year"], len(life.persons))
    matched = ks5_row >= 0
    count = np.full(len(rows), UNMATCHED_AIMS)
    count[matched] = ks5["n_alevels"][ks5_row[matched]]
    # the AS level is the last of a Year 12 pupil's aims
    has_as = np.zeros(len(rows), dtype=bool)
    has_as[matched] = (ks5["as_level"][ks5_row[matched]] >= 0) & (rows["ncyear"][matched] == 12)
    count += has_as
    idx = np.repeat(np.arange(len(rows)), count)
    n = len(idx)
    aim = rank_within(idx)  # 0, 1, .. per pupil
    is_as = has_as[idx] & (aim == count[idx] - 1)
    person, year = rows["person"][idx], rows["year"][idx]
    attrs = _repeated(pupil_attributes(life, rows["person"], rows["year"], rows["school"]), idx)
    second_year = rows["ncyear"][idx] == 13
    final = second_year | is_as  # the aim is completed this year
    latent = life.persons["ability"][person]
    grade = np.clip(np.rint(3.2 + 1.45 * latent + rng.normal(0, 0.8, n)), 0, 6).astype(int)
    grade = np.where((grade == 6) & (year < A_STAR_FROM), 5, grade)  # (no A* before 2009/10)
    subject = A_LEVEL_SUBJECTS[(life.persons["pid"][person] * 7 + aim) % len(A_LEVEL_SUBJECTS)]
    own = np.flatnonzero(matched[idx])
    student = ks5_row[idx][own]
    grade[own] = a_level_grades(life)[student, aim[own]]
    subject[own] = ks5_subjects(life)[student, aim[own]]
    as_aim = np.flatnonzero(is_as)
    grade[as_aim] = ks5["as_level"][ks5_row[idx][as_aim]]
    subject[as_aim] = as_level_subjects(life)[ks5_row[idx][as_aim]]
    code = np.char.add("SYN", subject)
    qualification = np.where(is_as, "GCE AS level", "GCE A level")
    return Frame({
        **attrs, "acadyr": attrs["academic_year"], "pupilmatchingrefanonymous": attrs["pmr"],
        "recordsource": np.full(n, f"SC_{relation.year % 100:02d}{(relation.year + 1) % 100:02d}"
                                   f"_AU"), "onroll": np.ones(n, dtype=np.int64),
        "recordstatus": Masked(np.ones(n, dtype=np.int64), np.ones(n, dtype=bool)),
        "ncyear": rows["ncyear"][idx], "ncyearid": rows["ncyear"][idx],
        "qan": code, "qn": code, "disc_code": subject, "scc": subject, "mapping": subject,
        "sublevno_ref": np.where(is_as, AS_LEVEL_SUBLEVNO, A_LEVEL_SUBLEVNO),
        "qual_lev_ref": np.full(n, 3),
        "title_ref": qualification, "qual_type_ref": qualification,
        # an A level started in Year 12 and ends with Year 13; an AS level is Year 12's
        "learningstartdate": ymd(year - second_year, 9, 5),
        "learningplannedenddate": ymd(year + 1 + (~final), 6, 30),
        "learningactualenddate": Masked(ymd(year + 1, 6, 30), ~final),
        "learningcompletionstatus": np.where(final, 2, 1), "learningaimstatus": np.where(final, 2,
                                                                                        1),
        "coreaim": (aim == 0).astype(np.int64),
        "grade_att": Masked(A_LEVEL_GRADES[grade], ~final),
        "grade_aat": Masked(A_LEVEL_GRADES[grade], ~final),
        "grade_source": np.full(n, "5"), "gradepassfail": Masked(np.where(grade > 0, "P", "F"),
                                                                 ~final),
        "version": np.full(n, "A"), "progtype": np.full(n, "01"),
        "traineeship": np.zeros(n, dtype=np.int64),
        **_plams_matched(attrs["laestab_anon"], code, subject, grade, final, is_as),
    })


UNMATCHED_AIMS = 3
"""A level aims a year of a sixth-former without KS5 results. (Rejected: every sixth-former's
aims drawn apart from the KS5 results, which gave a student different subjects and grades in
PLAMS and in the KS5 exam table.)"""


def _repeated(attributes: dict[str, object], rows: np.ndarray) -> dict[str, object]:
    """Attributes of some rows (e.g. pupil-years) for the rows repeating them (e.g. their
    aims or monthly snapshots): ``rows`` are the positions of the first."""
    repeated = Frame(attributes).take(rows)
    return {name: repeated[name] for name in repeated}


def _plams_matched(laestab: np.ndarray, qan: np.ndarray, subject: np.ndarray,
                   grade: np.ndarray, final: np.ndarray, as_level: np.ndarray
                   ) -> dict[str, object]:
    """``PLAMS_MATCHED`` of aims: a completed (final-year) aim is matched to the pupil's KS5
    result at the same school, so the attainment side repeats the aim's QAN, discount code,
    type, level and school and carries the grade (an AS level's QCA points are half an A
    level's); a continuing aim is unmatched (NULL)."""
    n = len(final)
    open_aim = ~final
    points = np.where(as_level, AS_POINTS_QCA[np.minimum(grade, 5)], POINTS_QCA[grade])
    return {
        "laestab_att": Masked(laestab, open_aim), "qan_att": Masked(qan, open_aim),
        "disc_code_att": Masked(subject, open_aim),
        "qual_type_att": Masked(np.where(as_level, "GCE AS level", "GCE A level"), open_aim),
        "sublevno_att": Masked(np.where(as_level, "121", "111"), open_aim),
        "qual_lev_att": Masked(np.full(n, "3"), open_aim),
        "source_att": np.where(final, "5", "N"),
        "source_aat": Masked(np.full(n, 5), open_aim),
        "grade_description": Masked(np.char.add("Grade ", A_LEVEL_GRADES[grade]), open_aim),
        "grade_match_status": final.astype(np.int64),
        "grade_qcda_points": Masked(points, open_aim),
        "aim_outcome": Masked(np.where(grade > 0, 1, 3), open_aim),
        "withdrawal_reason": Masked(np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool)),
    }


# NCCIS current activity codes by simulated situation.
ACTIVITY = {"school": 210, "sfc": 220, "fe": 230, "he": 240, "apprenticeship": 310,
            "job": 330, "neet": 619,
            "start_agreed": 616, "not_known": 810}
WORK = {330: 0.55, 340: 0.3, 360: 0.15}
"""A young person in work outside an apprenticeship, by the kind NCCIS records: employment
without training, with (other) training, part-time (roughly NCCIS's shares at 16-18)."""
INACTIVE = {610: 0.25, 620: 0.04, 630: 0.15, 640: 0.2, 650: 0.05, 670: 0.1, 680: 0.21}
"""NEET and not seeking work, by the reason NCCIS records: not yet ready for work or learning,
young carer, teenage parent, illness, pregnancy, unlikely to be economically active, other
(roughly NCCIS's shares at 16-17). NEET and seeking is 619."""
NEET_CODES = (ACTIVITY["neet"], *INACTIVE)
"""The activities that are NEET."""
SUMMER = np.timedelta64(31, "D")
"""August: the summer after a course completed on 31 July, recorded as the course."""


# Year 11 intended destination and September Guarantee offer by the route taken after Year 11.
INTENDED_DESTINATION = {SIXTH_FORM: 110, SFC: 120, FE: 130, APPRENTICESHIP: 220,
                        EMPLOYMENT: 310, NEET: 410}
YEAR_11_OFFER = {SIXTH_FORM: 110, SFC: 110, FE: 110, APPRENTICESHIP: 110, EMPLOYMENT: 120,
                 NEET: 151}


def _lookup(codes: dict[int, int], route: np.ndarray, default: int) -> np.ndarray:
    out = np.full(len(route), default, dtype=np.int64)
    for key, code in codes.items():
        out[route == key] = code
    return out


def _neet_end(life: LifeCourse, person: np.ndarray) -> np.ndarray:
    """The day each person's NEET spell after post-16 learning ends (the leaving day if none)."""
    p16 = life.post16
    return (p16.leave_date[person].astype("datetime64[D]")
            + (p16.neet_months[person] * 30.4).astype("timedelta64[D]"))


def _recorded_leave(leave: np.ndarray) -> np.ndarray:
    """The day the recorded post-16 learning ends: a course completed at the end of the
    academic year (31 July) stays the recorded activity through the summer, until the LA
    confirms the autumn's (the August after exams as NEET made 41% of 16-17 year olds ever
    NEET, against 15-20%)."""
    return np.where(leave == ymd(year_of(leave), 7, 31), leave + SUMMER, leave)


def _activity(life: LifeCourse, person: np.ndarray, year: np.ndarray, date: np.ndarray,
              inactive: np.ndarray, not_known: np.ndarray, work_code: np.ndarray
              ) -> np.ndarray:
    """NCCIS activity code of each person on a date of an academic year after Year 11: the
    post-16 route until learning ends, NEET for the simulated spell after it, then HE or work
    (as the ILR, school census and PAYE records of the same person show). ``inactive`` holds
    the NEET reason of those not seeking work (0 for the others), ``work_code`` the kind of
    work of those working."""
    p16 = life.post16
    route = p16.route[person]
    leave = p16.leave_date[person]
    neet_end = _neet_end(life, person)
    leave = _recorded_leave(leave)
    he_years = life.he.years
    in_he = in_year(person, year, he_years["person"], he_years["year"]) == 1
    # A sixth-form drop-out is at an FE college in the year after Year 12.
    at_college = p16.sixth_form_dropout[person] & (year > p16.start_year[person])
    learning = np.select(
        [at_college, route == SIXTH_FORM, route == SFC, route == FE, route == APPRENTICESHIP],
        [ACTIVITY["fe"], ACTIVITY["school"], ACTIVITY["sfc"], ACTIVITY["fe"],
         ACTIVITY["apprenticeship"]], work_code)
    neet = np.where(inactive > 0, inactive, ACTIVITY["neet"])
    work = np.where(route == EMPLOYMENT, ACTIVITY["job"], work_code)
    code = np.select(
        [route == NO_ROUTE, in_he, date < leave, (date < neet_end) | (route == NEET)],
        [ACTIVITY["not_known"], ACTIVITY["he"], learning, neet], work)
    code = np.where((route == NEET) & (date >= neet_end), work_code, code)
    # The apprenticeship as the ILR holds it: from its start to its end, whatever the route.
    app = life.fe.apprenticeships
    active = overlaps(person, date, date, app["person"], app["start_date"], app["end_date"])
    started = overlaps(person, ymd(1900, 1, 1), date, app["person"], app["start_date"],
                       app["end_date"])
    apprentice = code == ACTIVITY["apprenticeship"]
    code = np.where(apprentice & ~active, np.where(started, work_code,
                                                   ACTIVITY["start_agreed"]), code)
    code = np.where(active & (route != NO_ROUTE) & (code != ACTIVITY["he"]),
                    ACTIVITY["apprenticeship"], code)
    return np.where(not_known, ACTIVITY["not_known"], code)


def _latest_spell(person: np.ndarray, date: np.ndarray, their_person: np.ndarray,
                  start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end of each person's latest spell starting on or before ``date`` (NaT where
    there is none): one search in the spells sorted by person and start."""
    none = np.full(len(person), np.datetime64("NaT"), dtype="datetime64[D]")
    if not len(their_person) or not len(person):
        return none, none
    span, offset = 1 << 20, 1 << 19  # a person's key spans 2**20 days around 1970

    def key(who: np.ndarray, day: np.ndarray) -> np.ndarray:
        return who.astype(np.int64) * span + day.astype("datetime64[D]").astype(np.int64) + offset

    order = np.lexsort((start, their_person))
    keys = key(their_person[order], start[order])
    at = np.searchsorted(keys, key(person, date), side="right") - 1
    found = (at >= 0) & (their_person[order][np.maximum(at, 0)] == person)
    pick = order[np.maximum(at, 0)]
    return (np.where(found, start[pick].astype("datetime64[D]"), none),
            np.where(found, end[pick].astype("datetime64[D]"), none))


def _activity_start(life: LifeCourse, person: np.ndarray, year: np.ndarray, date: np.ndarray,
                    code: np.ndarray) -> np.ndarray:
    """The date each row's current activity began (``code`` on ``date`` of academic year
    ``year``), from the same timeline as the code: post-16 learning its September (a sixth-form
    drop-out's college the next one), a NEET spell the day recorded learning ended
    (``_recorded_leave``), work the end of the NEET spell (or of the apprenticeship before
    it), an apprenticeship its ILR start, HE the September of the first year of the run of HE
    years; 1 September of the year when the activity is not known (the LA's record lapsed) or
    a start is only agreed."""
    p16 = life.post16
    september = ymd(year, 9, 1)
    leave = _recorded_leave(p16.leave_date[person].astype("datetime64[D]"))
    neet_end = _neet_end(life, person)
    he_years = life.he.years
    before = in_year(person, year - 1, he_years["person"], he_years["year"]) == 1
    two_before = in_year(person, year - 2, he_years["person"], he_years["year"]) == 1
    he_from = year - before - (before & two_before)
    college = p16.sixth_form_dropout[person] & (year > p16.start_year[person])
    learning = ymd(p16.start_year[person] + college, 9, 1)
    app = life.fe.apprenticeships
    app_start, app_end = _latest_spell(person, date, app["person"], app["start_date"],
                                       app["end_date"])
    after_app = np.where(np.isnat(app_end) | (app_end >= date), neet_end,
                         np.maximum(neet_end, app_end + np.timedelta64(1, "D")))
    start = np.select(
        [code == ACTIVITY["not_known"], code == ACTIVITY["start_agreed"],
         code == ACTIVITY["he"], code == ACTIVITY["apprenticeship"], np.isin(code, NEET_CODES),
         np.isin(code, [ACTIVITY["school"], ACTIVITY["sfc"], ACTIVITY["fe"]])],
        [september, september, ymd(he_from, 9, 1), app_start, leave, learning], after_app)
    # (a start the timeline cannot give, or one after the snapshot: the year's September)
    start = np.where(np.isnat(start) | (start > date), np.minimum(september, date), start)
    return start.astype("datetime64[D]")


def _send_at_year_11(life: LifeCourse, person: np.ndarray) -> np.ndarray:
    """Whether each young person had special educational needs (SEN support, a statement or
    an EHC plan) in their last year of compulsory school: what the LA's tracking (NCCIS's LDD
    and SEND flags) holds after 16, when no school census records the need."""
    schooling = life.schooling
    last = life.persons["cohort"][person] + 5 + schooling.exit_nc[person]
    return schooling.sen_level_in(person, last) > 0


@builder("npd.nccis", provides=(
    YEAR_ATTRIBUTE, *PUPIL_ATTRIBUTES, "acadyr", "pupilmatchingrefanonymous", "monthno",
    "current_activity_code", "current_activity_start_date", "current_activity_recorded",
    "current_activity_verification_date", "current_activity_review_date", "neet_start_date",
    "cohort_status", "send_flag", "ldd_flag", "ethnic_code", "lead_lea_code_anon",
    "lea_code_at_year_11_anon", "intended_destination", "year_11_offer", "year_12_offer",
    "la_educated_anon", "dfe_no_anon", "currency_lapsed", "youth_contract",
    "youth_contract_start_date", "currency_due_to_lapse_date", "expected_course_end_date",
))
def nccis(life: LifeCourse, relation: Relation) -> Frame:
    """One row per young person (Years 12 to 14) per monthly snapshot, 2010/11 on."""
    persons = life.persons
    first = persons["cohort"] + 17
    has_route = life.post16.route != NO_ROUTE
    rows_person = np.repeat(np.flatnonzero(has_route), 3)
    rows_year = first[rows_person] + np.tile([0, 1, 2], int(has_route.sum()))
    keep = (rows_year >= 2010) & (rows_year <= 2020)
    rows_person, rows_year = rows_person[keep], rows_year[keep]
    rng = life.ctx.rng("nccis")
    months = np.array([9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8])
    idx = np.repeat(np.arange(len(rows_person)), 12)
    month = np.tile(months, len(rows_person))
    person, year = rows_person[idx], rows_year[idx]
    n = len(idx)
    calendar_year = year + (month < 9)
    # Per person and year: NEET but inactive (not seeking work), or not known to the LA.
    inactive = (rng.random(len(rows_person)) < 0.2)[idx]
    not_known = (rng.random(len(rows_person)) < 0.03)[idx]
    codes = life.ctx.rng("nccis.codes")  # (the year's reason or kind of work, per person)
    reason = drawn_codes(codes, INACTIVE, len(rows_person))[idx]
    work_code = drawn_codes(codes, WORK, len(rows_person))[idx]
    activity = _activity(life, person, year, ymd(calendar_year, month, 1),
                         np.where(inactive, reason, 0), not_known, work_code)
    started = _activity_start(life, person, year, ymd(calendar_year, month, 1), activity)
    send = np.where(_send_at_year_11(life, rows_person), "Y", "N")[idx]
    attrs = _repeated(pupil_attributes(life, rows_person, rows_year), idx)
    # NCCIS has no separate Irish Traveller code: it records Gypsy/Roma/Traveller as WROM.
    attrs["ethnicity"] = np.where(attrs["ethnicity"] == "WIRT", "WROM", attrs["ethnicity"])
    start = ymd(year, 9, 1)
    neet = np.isin(activity, NEET_CODES)
    at_school = activity == ACTIVITY["school"]
    route = life.post16.route[person]
    first_year = year == life.post16.start_year[person]
    return Frame({
        "intended_destination": _lookup(INTENDED_DESTINATION, route, 410),
        "year_11_offer": _lookup(YEAR_11_OFFER, route, 151),
        # Year 12 September: still learning after Year 12, or the offer of the route taken.
        "year_12_offer": np.where(
            (life.post16.leave_date[person] > ymd(life.post16.start_year[person] + 1, 9, 1))
            & (route != NEET), 114, _lookup(YEAR_11_OFFER, route, 151)),
        "la_educated_anon": np.where(at_school, attrs["la_anon"], attrs["home_la_anon"]),
        "dfe_no_anon": Masked(attrs["laestab_anon"], ~at_school),
        "currency_lapsed": np.where(activity == ACTIVITY["not_known"], "Y", "N"),
        "youth_contract": np.where(neet & first_year, "Y", "N"),
        YEAR_ATTRIBUTE: year, **attrs, "acadyr": attrs["academic_year"],
        "pupilmatchingrefanonymous": attrs["pmr"], "monthno": month,
        "current_activity_code": activity, "current_activity_start_date": started,
        "current_activity_recorded": started, "current_activity_verification_date":
            ymd(calendar_year, month, 1), "current_activity_review_date": ymd(calendar_year,
                                                                               month, 15),
        "neet_start_date": Masked(started, ~neet),
        # dates that follow the activity: the Youth Contract's start for those on it, the
        # quarter after which a NEET status must be checked again (a year for learners and
        # workers), and the course's end for those in education or training (200-399)
        "youth_contract_start_date": Masked(start, ~(neet & first_year)),
        "currency_due_to_lapse_date": np.where(
            neet, ymd(calendar_year + (month >= 10), (month + 2) % 12 + 1, 1),
            ymd(calendar_year + 1, month, 1)),
        "expected_course_end_date": Masked(ymd(year + 1, 7, 31),
                                           ~((activity >= 200) & (activity < 400))),
        "cohort_status": np.full(n, "A"), "send_flag": send, "ldd_flag": send,
        "ethnic_code": attrs["ethnicity"],
        "lead_lea_code_anon": attrs["home_la_anon"],
        "lea_code_at_year_11_anon": attrs["home_la_anon"],
    })


@builder("npd.ypmad", provides=(
    YEAR_ATTRIBUTE, *PUPIL_ATTRIBUTES, "pupilmatchingrefanonymous", "base_year",
    "academic_year", "ac_year", "l1_overall", "l2_overall", "l3_overall", "l1_academic",
    "l2_academic", "l3_academic", "gcse_grade_eng", "gcse_grade_maths",
    "ageatstartofacadyear", "no_quals_achieved", "birth", "lev2_em", "main_inst_region",
    "main_inst_laestab_anon",
    *SOURCE_ATTRIBUTES, *(f"at15_{name}" for name in AT_15),
))
def ypmad(life: LifeCourse, relation: Relation) -> Frame:
    """One row per young person per academic year from Year 11 to age 19 (chronological)."""
    persons = life.persons
    ks4 = life.ks4
    l1, l2, l3 = levels_reached(life)
    person = np.repeat(ks4["person"], 4)
    year = np.repeat(ks4["year"], 4) + np.tile(np.arange(4), len(ks4))
    keep = year <= 2020
    person, year = person[keep], year[keep]
    attrs = pupil_attributes(life, person, year)
    eng = np.zeros(len(persons), dtype=np.int64)
    mat = np.zeros(len(persons), dtype=np.int64)
    eng[ks4["person"]] = ks4["pts_eng"]
    mat[ks4["person"]] = ks4["pts_mat"]
    sources = ypmad_sources(life, person, year)
    at15 = _repeated(pupil_attributes(life, ks4["person"], ks4["year"]),
                     np.repeat(np.arange(len(ks4)), 4)[keep])
    l2_overall = (l2[person] <= year).astype(np.int64)
    return Frame({
        **sources, **{f"at15_{name}": at15[name] for name in AT_15},
        "birth": persons["birth"][person],
        "lev2_em": l2_overall * sources["eng_l2"] * sources["maths_l2"],
        # The main institution's region: the school's LA region at school, else the home
        # region (the simulated colleges and training providers are local).
        "main_inst_region": Masked(np.where(
            sources["census_data"] == 1,
            life.ctx.pools.regions["code"][life.ctx.pools.las["region"][life.ctx.pools.schools[
                "la"][school_of(life, person, year)]]],
            life.ctx.pools.regions["code"][persons["region"][person]]),
            sources["main_inst_type"].null),
        "main_inst_laestab_anon": Masked(attrs["laestab_anon"], sources["census_data"] == 0),
        YEAR_ATTRIBUTE: year, **attrs, "pupilmatchingrefanonymous": attrs["pmr"],
        "base_year": persons["cohort"][person] + 20, "academic_year": attrs["academic_year"],
        "ac_year": year + 1, "l1_overall": (l1[person] <= year).astype(np.int64),
        "l2_overall": (l2[person] <= year).astype(np.int64),
        "l3_overall": (l3[person] <= year).astype(np.int64),
        "l1_academic": (sources["gcse_ag_width"] >= 100).astype(np.int64),
        "l2_academic": (sources["gcse_ac_width"] >= 100).astype(np.int64),
        "l3_academic": (sources["l3_width"] >= 100).astype(np.int64),
        "gcse_grade_eng": eng[person], "gcse_grade_maths": mat[person],
        "ageatstartofacadyear": attrs["age_start"],
        "no_quals_achieved": (l1[person] > year).astype(np.int64),
    })


@builder("npd.ypmad_snapshot", provides=(
    *PUPIL_ATTRIBUTES, "pupilmatchingrefanonymous", "base_year",
    *(f"l{lvl}_at_{age}" for lvl in (1, 2, 3) for age in range(16, 22)),
    *(f"in{age}" for age in range(16, 22)), "year_l1", "year_l2", "year_l3",
    *SNAPSHOT_ATTRIBUTES,
))
def ypmad_snapshot(life: LifeCourse, relation: Relation) -> Frame:
    """The 2020/21 snapshot: cohorts aged 16 to 21, their levels by each age."""
    persons = life.persons
    ks4 = life.ks4
    age19 = persons["cohort"][ks4["person"]] + 20
    rows = ks4.take((age19 >= 2018) & (age19 <= 2023))
    person = rows["person"]
    n = len(person)
    l1, l2, l3 = levels_reached(life)
    attrs = pupil_attributes(life, person, np.full(n, 2020))
    out = {**attrs, **snapshot_sources(life, person), "pupilmatchingrefanonymous": attrs["pmr"],
           "base_year": persons["cohort"][person] + 20}
    for age in range(16, 22):
        year_at = persons["cohort"][person] + age + 1
        out[f"in{age}"] = (year_at <= 2020).astype(np.int64)
        for level, reached in ((1, l1), (2, l2), (3, l3)):
            out[f"l{level}_at_{age}"] = Masked((reached[person] <= year_at).astype(np.int64),
                                               year_at > 2020)
    for level, reached in ((1, l1), (2, l2), (3, l3)):
        out[f"year_l{level}"] = Masked(reached[person] + 1, reached[person] > 2020)
    return Frame(out)
