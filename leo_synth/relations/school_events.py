"""NPD relations from the school-event simulation: absence, exclusions, PRU and AP censuses.

Attribute names that are not shared pupil characteristics are the VRF field's base name in
lower case (``SessionsPossible_Autumn_ab[yy]`` -> ``sessionspossible_autumn``), so
``tools/sync_specs.py`` wires them to the spec columns automatically.
"""

from __future__ import annotations

import numpy as np

from leo_synth.relations.ks123_results import entry_date
from leo_synth.relations.npd import SCHOOL_PHASES, care_attributes, on_census_roll
from leo_synth.relations.pupil import PUPIL_ATTRIBUTES, ncyear_code, pupil_attributes
from leo_synth.relations.pupil_characteristics import CHARACTERISTIC_ATTRIBUTES, characteristics
from leo_synth.relations.registry import YEAR_ATTRIBUTE, builder
from leo_synth.relations.values import Masked
from leo_synth.simulation import school_events
from leo_synth.simulation.calendar import ymd
from leo_synth.simulation.enrolments import LEFT, NEVER, NOT_RETURNED, ON_ROLL
from leo_synth.simulation.frame import ByYear, Frame
from leo_synth.simulation.life import LifeCourse
from leo_synth.simulation.per_block import per_block, read_only_by
from leo_synth.spec.model import Relation

TERMS = ("autumn", "spring", "summer", "summer6th")
"""Collection periods: the summer term is split in two half terms from 2012/13
(:func:`leo_synth.simulation.school_events.summer_halves`)."""
REASON_CODES = ("I", "M", "R", "S", "T", "H", "F", "E", "C", "G", "U", "O", "N")
"""Absence reason codes (parameters ``absence.reasons_*``)."""
ABSENCE_ATTRIBUTES = (
    *PUPIL_ATTRIBUTES, *CHARACTERISTIC_ATTRIBUTES, "enrolstatus", "onroll_1", "onroll_2",
    "onroll_3", "sourcetable_1", "sourcetable_2", "sourcetable_3", "datacollection_1",
    "mainrecord", "phase", "adopted_from_care", "entrydate", "leavingdate",
    *(f"{measure}_{term}" for term in (*TERMS, "3term", "annual") for measure in
      ("sessionspossible", "authorisedabsence", "unauthorisedabsence", "overallabsence")),
    *(f"{measure}flag_{term}" for term in (*TERMS, "annual") for measure in
      ("authorisedabsence", "unauthorisedabsence")),
    "persistentabsentee_3term", "persistentabsentee15_3term",
    *(f"reason{code.lower()}_{term}" for code in REASON_CODES for term in (*TERMS, "annual")),
    *(f"reason{code.lower()}_{term}" for code in school_events.ATTENDANCE_CODES
      for term in TERMS),
)
PERSISTENT_SESSIONS = {"persistentabsentee_3term": 63, "persistentabsentee15_3term": 45}
"""Persistent absence to 2011/12: more than this many sessions missed in the year (the VRF's
definitions; about 20% and 15% of a year's sessions)."""


@builder("npd.absence", provides=ABSENCE_ATTRIBUTES)
def absence(life: LifeCourse, relation: Relation) -> Frame:
    """One row per pupil enrolment per academic year with termly sessions and absence."""
    rows = _absence_years(life).year(relation.year)
    n = len(rows)
    out: dict[str, object] = {name: rows[name] for name in rows
                              if name not in PERIODS}
    possible, auth, unauth, reasons, attendance = (rows[name] for name in PERIODS)
    for i, term in enumerate(TERMS):
        _absence_measures(out, term, possible[:, i], auth[:, i], unauth[:, i])
    _absence_measures(out, "3term", possible.sum(1), auth.sum(1), unauth.sum(1))
    _absence_measures(out, "annual", possible.sum(1), auth.sum(1), unauth.sum(1))
    # The 6th half term's authorised total is the sum of its reasons (the VRF's "Reason").
    out["authorisedabsenceflag_summer6th"] = np.full(n, "Reason")
    for code in REASON_CODES:
        sessions = reasons[:, :, REASON_CODES.index(code)]
        for i, term in enumerate(TERMS):
            out[f"reason{code.lower()}_{term}"] = sessions[:, i]
        out[f"reason{code.lower()}_annual"] = sessions.sum(1)
    for k, code in enumerate(school_events.ATTENDANCE_CODES):
        for i, term in enumerate(TERMS):
            out[f"reason{code.lower()}_{term}"] = attendance[:, i, k]
    overall = auth.sum(1) + unauth.sum(1)
    for name, sessions in PERSISTENT_SESSIONS.items():
        out[name] = (overall > sessions).astype(np.int64)
    return Frame(out)


PERIODS = ("possible", "authorised", "unauthorised", "reasons", "attendance")
"""The absence rows' sessions by collection period (:func:`_absence_periods`)."""


@read_only_by("npd.absence")
@per_block
def _absence_years(life: LifeCourse) -> ByYear:
    """Every year's absence rows: the pupil's characteristics, the columns that do not vary
    and the sessions by period, computed once for all years (each year's view reads its
    slice)."""
    rows = school_events.absence(life)
    periods = _absence_periods(life, rows)  # drawn in the rows' order
    order = np.argsort(rows["year"], kind="stable")
    rows = rows.take(order)
    n = len(rows)
    attrs = pupil_attributes(life, rows["person"], rows["year"], rows["school"])
    attrs["ncyear_actual"] = ncyear_code(rows["ncyear"])
    attrs.update(characteristics(life, rows["person"], rows["year"], rows["school"]))
    attrs["adopted_from_care"] = care_attributes(life, rows["person"],
                                                 rows["year"])["adopted_from_care"]
    attrs["entrydate"] = rows["entry_date"]
    # A move within the year ends the enrolment at the school left: its last day on roll is
    # the day before the pupil joins the next school (NULL for an enrolment that goes on,
    # or ends with the year).
    moved = rows["leave"] <= ymd(rows["year"] + 1, 8, 31)
    attrs["leavingdate"] = Masked(rows["leave"] - np.timedelta64(1, "D"), ~moved)
    census = rows["census"]
    # (a pupil on a pupil referral unit's roll on spring census day: the unit's enrolment)
    at_unit = on_census_roll(life, attrs, rows["person"], rows["year"],
                             census[:, 0] == ON_ROLL)
    return ByYear(Frame({
        **attrs, **{name: values[order] for name, values in periods.items()},
        "enrolstatus": np.full(n, "C"),
        "mainrecord": rows["main"].astype(np.int64),
        "phase": np.where(at_unit, "PR",
                          SCHOOL_PHASES[life.ctx.pools.schools["phase"][rows["school"]]]),
        **{f"onroll_{k + 1}": Masked(np.maximum(census[:, k], LEFT), census[:, k] == NOT_RETURNED)
           for k in range(3)},
        **{f"sourcetable_{k + 1}": Masked(SOURCE_TABLES[np.maximum(census[:, k], LEFT)],
                                          census[:, k] == NOT_RETURNED) for k in range(3)},
        "datacollection_1": np.full(n, "SC")}), rows["year"])


SOURCE_TABLES = np.array(["PupilsNoLongerOnRoll", "PupilsOnRoll"])
"""``SourceTable_*`` (to 2007/08) by census code (``LEFT``, ``ON_ROLL``): the census table
that returned the enrolment's term."""


def _absence_measures(out: dict[str, object], term: str, possible: np.ndarray,
                      auth: np.ndarray, unauth: np.ndarray) -> None:
    out[f"sessionspossible_{term}"] = possible
    out[f"authorisedabsence_{term}"] = auth
    out[f"unauthorisedabsence_{term}"] = unauth
    out[f"overallabsence_{term}"] = auth + unauth
    out[f"authorisedabsenceflag_{term}"] = (auth > 0).astype(np.int64)
    out[f"unauthorisedabsenceflag_{term}"] = (unauth > 0).astype(np.int64)


WIDE_SLOTS = 40
"""The numbered ``_1`` .. ``_40`` exclusion columns of tables 2 and 3."""
EXCLUSION_ATTRIBUTES = (
    *PUPIL_ATTRIBUTES, *CHARACTERISTIC_ATTRIBUTES, "entrydate", "censusdate", "startdate",
    "leavingdate", "permanentexclusionind", "reason", "category", "sessions", "term",
    "reportingacademicyear",
    "reportingterm", "ncyear", "enrolstatus", "reason_b", "reason_c",
    "perm_duplicate", "totalfixedexclusions", "totalfixedsessions",
    "permanentexclusionindicator", "permanentexclusioncount", "numberofenrolments",
    "latestla_anon", "la", "senstatus", "censussen", "latestsen", "source_characteristics",
    *(f"{name}_{n}" for name in ("reason", "category", "term", "startdate", "sessions", "ncyear",
                                 "senprovision") for n in range(1, WIDE_SLOTS + 1)),
)


@builder("npd.exclusions_old", provides=EXCLUSION_ATTRIBUTES)
def exclusions_old(life: LifeCourse, relation: Relation) -> Frame:
    """Old-format exclusions (to 2004/05): one row per exclusion; 2004/05 permanent only."""
    rows = _exclusion_years(life).year(relation.year)
    if relation.year == 2004:
        rows = rows.take(rows["category"] == "PERM")
    return _exclusion_rows(rows)


@builder("npd.exclusions", provides=EXCLUSION_ATTRIBUTES)
def exclusions(life: LifeCourse, relation: Relation) -> Frame:
    """Exclusions from 2005/06: table 1 per exclusion, table 2 per pupil and school, table 3
    per pupil; tables 2 and 3 spread each exclusion over the numbered _1 .. _40 columns."""
    return _exclusion_table(life, relation.table.name).year(relation.year)


@read_only_by("npd.exclusions")
@per_block
def _exclusion_table(life: LifeCourse, table: str) -> ByYear:
    """One exclusions table's rows of every year (each year's view reads its slice)."""
    rows = _exclusion_years(life)
    if table == "exclusions_table_1":
        frame = _exclusion_rows(rows.frame)
        return ByYear(Frame({**{name: frame[name] for name in frame},
                             **further_reasons(life, rows.frame["reason"])}), rows.years)
    return _exclusions_wide(rows.frame, by_school=table == "exclusions_table_2")


PUPIL_COLUMNS = (*PUPIL_ATTRIBUTES, *CHARACTERISTIC_ATTRIBUTES, "entrydate")


def further_reasons(life: LifeCourse, reason: np.ndarray) -> dict[str, Masked]:
    """The second and third reasons of each exclusion (``reason_b``, ``reason_c``): a share of
    exclusions has a second (``exclusions.further_reasons``), a share of those a third, each a
    reason other than the ones before, drawn by the reasons' frequencies; NULL otherwise.
    From a stream of their own, so the exclusions and their first reasons do not move."""
    p = life.ctx.params["exclusions.further_reasons"]
    draws = life.ctx.rng("exclusions.further_reasons").random((4, len(reason)))
    has_b = draws[0] < p["second_share"]
    has_c = has_b & (draws[1] < p["third_share_of_second"])
    codes = school_events.EXCLUSION_REASONS
    weights = np.tile(school_events.EXCLUSION_REASON_WEIGHTS, (len(reason), 1))
    out = {}
    taken = reason
    for name, present, u in (("reason_b", has_b, draws[2]), ("reason_c", has_c, draws[3])):
        weights[codes[None, :] == np.asarray(taken)[:, None]] = 0.0  # not a reason given
        cumulative = np.cumsum(weights, axis=1)
        pick = (cumulative < (u * cumulative[:, -1])[:, None]).sum(1)
        taken = codes[np.minimum(pick, len(codes) - 1)]
        out[name] = Masked(taken, ~present)
    return out


@read_only_by("npd.exclusions_old", "npd.exclusions")
@per_block
def _exclusion_years(life: LifeCourse) -> ByYear:
    """Every year's exclusions (``school_events.exclusions``) with their pupil's attributes
    (``PUPIL_COLUMNS``), computed once for all years (each year's views read their slice)."""
    rows, years = ByYear.of(school_events.exclusions(life))
    attrs = pupil_attributes(life, rows["person"], rows["year"], rows["school"])
    attrs.update(characteristics(life, rows["person"], rows["year"], rows["school"]))
    attrs["entrydate"] = entry_date(life, rows)
    return ByYear(Frame({**{name: rows[name] for name in rows}, **attrs}), years)


def _exclusion_rows(rows: Frame) -> Frame:
    n = len(rows)
    attrs = {name: rows[name] for name in PUPIL_COLUMNS}
    return Frame({
        **attrs,
        "censusdate": ymd(rows["year"] + 1, 1, 20),
        "startdate": rows["start"],
        "permanentexclusionind": np.where(rows["category"] == "PERM", "P", "F"),
        "reason": rows["reason"],
        "category": rows["category"],
        "sessions": rows["sessions"],
        "term": rows["term"],
        "reportingacademicyear": attrs["academic_year"],
        "reportingterm": rows["term"],
        "ncyear": ncyear_code(rows["ncyear"]),
        "enrolstatus": np.full(n, "C"),
        "perm_duplicate": np.zeros(n, dtype=np.int64),
        "senstatus": attrs["sen_provision"],
        "source_characteristics": np.full(n, "SC"),
    })


def _exclusions_wide(rows: Frame, by_school: bool) -> ByYear:
    """One row per pupil (and school) and year, the i-th exclusion in the ``*_i`` columns."""
    school = rows["school"] if by_school else np.zeros(len(rows), dtype=np.int64)
    order = np.lexsort((rows["start"], school, rows["person"], rows["year"]))
    year, person, school = rows["year"][order], rows["person"][order], school[order]
    change = np.ones(len(order), dtype=bool)
    change[1:] = ((year[1:] != year[:-1]) | (person[1:] != person[:-1])
                  | (school[1:] != school[:-1]))
    first = np.flatnonzero(change)
    group = np.cumsum(change) - 1
    position = np.arange(len(order)) - first[group] + 1
    heads = rows.take(order[first])
    attrs = {name: heads[name] for name in PUPIL_COLUMNS}
    rows = rows.select(("ncyear", "start", "sessions", "category", "reason",
                        "term")).take(order)
    g = len(heads)
    fixed = rows["category"] == "FIXD"
    out: dict[str, object] = {
        **attrs,
        "totalfixedexclusions": np.bincount(group, weights=fixed, minlength=g).astype(np.int64),
        "totalfixedsessions": np.bincount(group, weights=rows["sessions"] * fixed,
                                          minlength=g).astype(np.int64),
        "permanentexclusionindicator": (np.bincount(group, weights=~fixed & (
            rows["category"] == "PERM"), minlength=g) > 0).astype(np.int64),
        "permanentexclusioncount": np.bincount(group, weights=rows["category"] == "PERM",
                                               minlength=g).astype(np.int64),
        "numberofenrolments": np.ones(g, dtype=np.int64),
        # the last day on roll of an enrolment a move within the year ended (the day before
        # the pupil joined the next school), as the absence record of the enrolment has it
        "leavingdate": Masked(heads["leave"] - np.timedelta64(1, "D"), heads["leave"] == NEVER),
        "latestla_anon": attrs["la_anon"],
        "la": attrs["la_anon"],
        "censussen": attrs["sen_provision"],
        "latestsen": attrs["sen_provision"],
        "enrolstatus": np.full(g, "C"),
        "source_characteristics": np.full(g, "SC"),
        "sessions": np.bincount(group, weights=rows["sessions"], minlength=g).astype(np.int64),
        "reason": rows["reason"][first],
        "category": rows["category"][first],
        "ncyear": ncyear_code(rows["ncyear"][first]),
        "term": rows["term"][first],
        "startdate": rows["start"][first],
    }
    slots = {"reason": rows["reason"], "category": rows["category"], "term": rows["term"],
             "startdate": rows["start"], "sessions": rows["sessions"],
             "ncyear": ncyear_code(rows["ncyear"]),
             # The pupil's SEN provision of the year, coded as the census codes it that year.
             "senprovision": np.asarray(attrs["sen_provision"])[group]}
    # All 40 slots of a name at once: a (group, slot) matrix stored by column, so each slot's
    # column is contiguous.
    at = position <= WIDE_SLOTS
    for name, values in slots.items():
        matrix = np.zeros((g, WIDE_SLOTS), dtype=values.dtype, order="F")  # zero under NULLs
        missing = np.ones((g, WIDE_SLOTS), dtype=bool, order="F")
        matrix[group[at], position[at] - 1] = values[at]
        missing[group[at], position[at] - 1] = False
        for n in range(1, WIDE_SLOTS + 1):
            out[f"{name}_{n}"] = Masked(matrix[:, n - 1], missing[:, n - 1])
    return ByYear(Frame(out), year[first])


CENSUS_LIKE = (
    YEAR_ATTRIBUTE, *PUPIL_ATTRIBUTES, *CHARACTERISTIC_ATTRIBUTES, "recordstatus", "censusdate",
    "censusterm", "onroll", "enrolstatus", "entrydate", "hoursatsetting", "fundedhours",
    "unitcontacttime", "acadyr",
    "year", "aptypedescription", "openplacement", "lanumber_anon",
)


@builder("npd.pru_census", provides=CENSUS_LIKE)
def pru_census(life: LifeCourse, relation: Relation) -> Frame:
    """Pupils in pupil referral units, spring 2010 to 2013."""
    rows = school_events.alternative_provision(
        life, 2009, 2012, life.ctx.params["alternative_provision.pru_census_share"], "pru")
    return _placements(life, rows, "spr")


@builder("npd.ap_census", provides=CENSUS_LIKE)
def ap_census(life: LifeCourse, relation: Relation) -> Frame:
    """Pupils in alternative provision arranged by local authorities, 2007/08 on."""
    rows = school_events.alternative_provision(
        life, 2007, 2020, life.ctx.params["alternative_provision.ap_census_share"], "ap")
    frame = _placements(life, rows, "")
    frame["gender"] = np.where(frame["gender"] == "F", 2, 1)  # the AP census codes sex 1/2
    rng = life.ctx.rng("ap_types")
    n = len(rows)
    types = np.array(["IND", "NMS", "HSP", "NOT", "ACD"])
    frame["aptypedescription"] = types[np.minimum(
        rng.integers(0, 5, n), np.where(rows["year"] > 2012, 3, 4))]
    frame["openplacement"] = Masked((rng.random(n) < 0.8).astype(np.int64), rows["year"] < 2017)
    return frame


def _placements(life: LifeCourse, rows: Frame, term: str) -> Frame:
    n = len(rows)
    attrs = pupil_attributes(life, rows["person"], rows["year"], rows["school"])
    attrs["ncyear_actual"] = ncyear_code(rows["ncyear"])
    attrs.update(characteristics(life, rows["person"], rows["year"], rows["school"]))
    rng = life.ctx.rng(f"placements:{term}")
    return Frame({
        YEAR_ATTRIBUTE: rows["year"],
        **attrs,
        "recordstatus": Masked(np.ones(n, dtype=np.int64), np.ones(n, dtype=bool)),
        "censusdate": ymd(rows["year"] + 1, 1, 20),
        "censusterm": np.full(n, "SPR"),
        "onroll": np.ones(n, dtype=np.int64),
        "enrolstatus": np.where(rng.random(n) < 0.7, "C", "S"),
        "entrydate": ymd(rows["year"], 9, 1) + rng.integers(0, 120, n).astype("timedelta64[D]"),
        "hoursatsetting": rng.integers(10, 26, n),
        "fundedhours": rng.integers(10, 26, n),
        "unitcontacttime": rng.integers(10, 26, n),
        "acadyr": attrs["academic_year"],
        "year": rows["year"] + 1,
        "aptypedescription": np.full(n, "NOT"),
        "openplacement": Masked(np.ones(n, dtype=np.int64), np.ones(n, dtype=bool)),
        "lanumber_anon": attrs["la_anon"],
    })


def _absence_periods(life: LifeCourse, rows: Frame) -> dict[str, np.ndarray]:
    """The absence rows by collection period (autumn, spring, summer, summer 6th half):
    sessions possible, authorised and unauthorised (rows, 4), reasons (rows, 4, reason codes)
    and attendance codes (rows, 4, codes), named as ``PERIODS``."""
    reasons = school_events.absence_reasons(life, rows)
    possible, auth, unauth, by_code = school_events.summer_halves(life, rows, reasons)
    attendance = school_events.attendance_codes(life, rows, possible, auth + unauth)
    return {"possible": possible, "authorised": auth, "unauthorised": unauth,
            "reasons": np.stack([by_code[c] for c in REASON_CODES], axis=2),
            "attendance": np.stack([attendance[c] for c in school_events.ATTENDANCE_CODES],
                                   axis=2)}
