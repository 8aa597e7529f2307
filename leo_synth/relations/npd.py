"""NPD relations: the School Census views (PLASC, spring, summer, autumn) and KS4 pupils."""

from __future__ import annotations

import numpy as np

from leo_synth.relations.common import in_year
from leo_synth.relations.ks4_extras import entry_measures, entry_points
from leo_synth.relations.ks4_progress import (
    ELEMENT_WEIGHTS,
    MEDIAN_SCALES,
    VA_MEASURES,
    estimates,
    median_estimates,
    prior_score,
    va_estimates,
)
from leo_synth.relations.ks4_subjects import slot_subjects
from leo_synth.relations.pru_placements import placements
from leo_synth.relations.pupil import PUPIL_ATTRIBUTES, ncyear_code, pupil_attributes
from leo_synth.relations.pupil_characteristics import (
    CENSUS_FIELD_ATTRIBUTES,
    CHARACTERISTIC_ATTRIBUTES,
    census_fields,
    characteristics,
)
from leo_synth.relations.registry import YEAR_ATTRIBUTE, builder
from leo_synth.relations.school_cohort import school_cohort
from leo_synth.relations.values import Masked
from leo_synth.simulation import school_events, social_care
from leo_synth.simulation.attainment import ENTRY_SLOTS
from leo_synth.simulation.calendar import nth_thursday, spring_census_day, yyyymmdd
from leo_synth.simulation.enrolments import neighbour_schools
from leo_synth.simulation.frame import ByYear, Frame, sorted_lookup
from leo_synth.simulation.key_stages import SCALED_SCORES_FROM
from leo_synth.simulation.life import LifeCourse
from leo_synth.simulation.per_block import per_block, read_only_by
from leo_synth.simulation.pools import SPECIAL_PHASE
from leo_synth.simulation.school_types import school_codes
from leo_synth.spec.model import Relation

TERM_CODES = {"": "PLASC", "spr": "SPR", "sum": "SUM", "aut": "AUT"}


def census_date(year: int, term: str) -> np.datetime64:
    """Census day: third Thursday of January/May (spring, PLASC; summer), first Thursday of
    October (autumn)."""
    if term == "aut":
        return nth_thursday(year, 10, 1)[()]
    return nth_thursday(year + 1, 5 if term == "sum" else 1, 3)[()]


@per_block
def _census_rows(life: LifeCourse) -> Frame:
    """Pupil-year rows, one main record each (duplicate records are a quirk:
    :mod:`leo_synth.quirks.duplicates`)."""
    py = life.schooling.pupil_years
    rows = Frame({name: py[name] for name in py})
    rows["record_status"] = np.full(len(rows), -1)
    # Pupil referral units joined the School Census in 2013/14 (PHASE 'PR').
    pru = school_events.alternative_provision(
        life, 2013, 2020, life.ctx.params["alternative_provision.pru_in_census_share"],
        "pru_in_census")
    rows["pru"] = in_year(rows["person"], rows["year"], pru["person"], pru["year"]) == 1
    rows["pru_start"], placed_from = placements(life, rows)
    rows["placing_school"] = rows["school"][placed_from]
    # the school of the year before, and the school joined by a move between February and
    # July: a census taken before a move's day finds the pupil at the school left, one taken
    # on or after it at the school joined
    for name, values in neighbour_schools(rows).items():
        rows[name] = values
    return rows


CENSUS_ATTRIBUTES = (
    *PUPIL_ATTRIBUTES, *CHARACTERISTIC_ATTRIBUTES, *CENSUS_FIELD_ATTRIBUTES, "recordstatus",
    "censusdate", "censusterm", "datacollection", "onroll", "sourcetable", "enrolstatus",
    "typeofclass", "parttime", "entrydate", "phase",
)
SCHOOL_PHASES = np.array(["PS", "SS", "SP"])  # PHASE of primary, secondary, special schools
AT_SCHOOL = ("laestab_anon", "urn_anon", "la_anon", "la_9code_anon", "phase", "entrydate")
"""A PRU row's attributes that are the school's on a census day before the placement, a
mover's that are the school left on a census day before the move (``prior_*``), and those of
the school joined on a census day after a move between February and July (``next_*``)."""


def _at_other_school(out: dict[str, np.ndarray], attributes: Frame, prefix: str,
                     there: np.ndarray) -> None:
    """The rows ``there`` on census day take the ``AT_SCHOOL`` attributes of the school the
    pupil is on the roll of that day (``prefix``: ``unplaced``, the placing school; ``prior``,
    the school not yet left; ``next``, the school already joined)."""
    if there.any():
        for name in AT_SCHOOL:
            out[name] = np.where(there, attributes[f"{prefix}_{name}"], out[name])


@builder("npd.census", provides=CENSUS_ATTRIBUTES)
def census(life: LifeCourse, relation: Relation) -> Frame:
    """One row per pupil record on census day of the relation's collection (a pupil placed
    in a PRU later in the year at the school: :mod:`~leo_synth.relations.pru_placements`)."""
    year = relation.year
    attributes = _census_year(life, year)
    n = len(attributes)
    day = census_date(year, relation.term)
    out = {name: attributes[name] for name in attributes}
    # A pupil whose PRU placement starts after census day is still at the school, and one
    # who joins a school after census day (an in-year move after the autumn census) still at
    # the school left (the entry date read after the first: a placing school's own).
    _at_other_school(out, attributes, "unplaced", attributes["pru_start"] > day)
    _at_other_school(out, attributes, "prior", out["entrydate"] > day)
    # and one who moves between February and July is at the new school from the day
    _at_other_school(out, attributes, "next", attributes["next_entrydate"] <= day)
    # A late arrival is on no school's roll before the day of joining (an autumn census
    # taken before it does not have the pupil).
    on_roll = ~(attributes["arrived"] & (attributes["unplaced_entrydate"] > day))
    return Frame({**out, "censusdate": np.full(n, day),
                  "censusterm": np.full(n, TERM_CODES[relation.term])}).take(on_roll)


@read_only_by("npd.census")
@per_block
def _census_year(life: LifeCourse, year: int) -> Frame:
    """A year's census attributes: PLASC and the three termly views of a year share everything
    but the census day (their frame taken once: a slice of hundreds of columns)."""
    return _census_years(life).year(year)


def _other_school(life: LifeCourse, prefix: str, school: np.ndarray,
                  entry: np.ndarray) -> dict[str, np.ndarray]:
    """The ``AT_SCHOOL`` attributes of another school than the year's (``prefix_name``)."""
    out = {f"{prefix}_{name}": values for name, values in school_ids(life, school).items()}
    out[f"{prefix}_phase"] = SCHOOL_PHASES[life.ctx.pools.schools["phase"][school]]
    out[f"{prefix}_entrydate"] = entry
    return out


@read_only_by("npd.census")
@per_block
def _census_years(life: LifeCourse) -> ByYear:
    """The census attributes of every year's pupil records that do not depend on the term,
    computed once for all years (each year's views read their slice)."""
    rows, year = ByYear.of(_census_rows(life))
    duplicate = rows["record_status"] == 101
    attributes = pupil_attributes(life, rows["person"], year, rows["school"])
    # The census records the pupil's own year group (sixth-formers included).
    attributes["ncyear_actual"] = ncyear_code(rows["ncyear"])
    attributes["fsm"] = rows["fsm"].astype(np.int64)
    school_phase = SCHOOL_PHASES[life.ctx.pools.schools["phase"][rows["school"]]]
    phase = np.where(rows["pru"], "PR", school_phase)
    school_entry = rows["entry_date"]
    unplaced = {f"unplaced_{name}": attributes[name] for name in AT_SCHOOL[:4]}
    unplaced.update(unplaced_phase=school_phase, unplaced_entrydate=school_entry)
    prior = _other_school(life, "prior", rows["prior_school"], rows["prior_entry"])
    following = _other_school(life, "next", rows["next_school"], rows["next_entry"])
    _on_pru_roll(life, attributes, rows["placing_school"], rows["pru"])
    n = len(rows)
    return ByYear(Frame({
        **attributes,
        **characteristics(life, rows["person"], year, rows["school"]),
        **census_fields(life, rows["person"], year, rows["ncyear"], phase),
        "recordstatus": Masked(rows["record_status"], rows["record_status"] < 0),
        "datacollection": np.where(year <= 2005, "PLASC", "SC"),
        "onroll": (~duplicate).astype(np.int64),
        "sourcetable": np.where(duplicate, "PupilsNoLongerOnRoll", "PupilsOnRoll"),
        "enrolstatus": np.full(n, "C"),
        "typeofclass": np.where(rows["ncyear"] < 0, "N", "O"),
        "parttime": (rows["ncyear"] < 0).astype(np.int64),
        "entrydate": np.where(rows["pru"], rows["pru_start"], school_entry),
        "phase": phase,
        "pru_start": rows["pru_start"],
        "arrived": rows["arrived"],
        **unplaced,
        **prior,
        **following,
    }), year)


def school_ids(life: LifeCourse, school: np.ndarray,
               la: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """A school's LAESTAB, URN, LA and LA 9-code keys (``AT_SCHOOL``'s first four), as
    :func:`~leo_synth.relations.pupil.pupil_attributes` makes them (``la``: the school's LA,
    read from the pool unless given)."""
    keys = life.ctx.keys
    la = life.ctx.pools.schools["la"][school] if la is None else la
    return {"laestab_anon": keys.make("school", school, 0),
            "urn_anon": keys.make("school", school, 1),
            "la_anon": keys.make("la", la, 0), "la_9code_anon": keys.make("la", la, 1)}


def _on_pru_roll(life: LifeCourse, attributes: dict[str, object], school: np.ndarray,
                 pru: np.ndarray) -> None:
    """A census record of a pupil placed in a pupil referral unit is the unit's: its LAESTAB,
    URN and LA are those of the PRU of the LA of the school that placed the pupil (one per LA,
    numbered after the pool's schools in the school keyspace), so a URN has one PHASE and one
    LA, as an establishment has, and a placement one unit in every year (those of the four
    that ``attributes`` has)."""
    if not pru.any():
        return
    la = life.ctx.pools.schools["la"][school[pru]].astype(np.int64)
    unit = school_ids(life, len(life.ctx.pools.schools) + la, la)
    for name, keys in unit.items():
        if name not in attributes:  # (the caller's attributes only)
            continue
        values = np.array(attributes[name], copy=True)
        values[pru] = keys
        attributes[name] = values


def census_roll(life: LifeCourse, person: np.ndarray, year: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per (person, academic year) row: whether the spring census finds the pupil on a pupil
    referral unit's roll (2013/14 on), the school that placed them there and the placement's
    start (the census row's entry date at the unit)."""
    rows = _census_rows(life)
    pos, found = sorted_lookup(rows["person"] * 10_000 + rows["year"],
                               np.asarray(person) * 10_000 + np.asarray(year))
    at = found & rows["pru"][pos] & (rows["pru_start"][pos] <= spring_census_day(year))
    return at, rows["placing_school"][pos], rows["pru_start"][pos]


def on_census_roll(life: LifeCourse, attributes: dict[str, object], person: np.ndarray,
                   year: np.ndarray, on_census_day: np.ndarray | None = None) -> np.ndarray:
    """Rows of (person, academic year) whose pupil the spring census finds on a pupil referral
    unit's roll (:func:`census_roll`) take the unit's LAESTAB, URN and LA in ``attributes``
    (in place), and its ``entrydate`` if there is one (the placement's start), as the census
    row has them: a unit's pupils' records are the unit's. Where a pupil-year has several rows
    (an absence record per enrolment), ``on_census_day`` marks the one on roll on census day.
    Returns the rows changed."""
    at, placing, start = census_roll(life, person, year)
    if on_census_day is not None:
        at = at & on_census_day
    _on_pru_roll(life, attributes, placing, at)
    if "entrydate" in attributes:
        attributes["entrydate"] = np.where(at, start, attributes["entrydate"])
    return at


CARE_ATTRIBUTES = ("cla_pp_1_day", "cla_pp_6_months", "cla_6_months", "cla_12_months",
                   "adopted_from_care")

def care_attributes(life: LifeCourse, person: np.ndarray, year: np.ndarray) -> dict[str, object]:
    """``CARE_ATTRIBUTES`` of (person, academic year) rows from the block's periods of care."""
    periods = social_care.looked_after(life)
    care = social_care.care_in_year(periods, person, year)
    care["adopted_from_care"] = care.pop("adopted")
    out: dict[str, object] = {}
    for name in CARE_ATTRIBUTES:
        values = np.asarray(care[name], dtype=np.int64)
        # 6 and 12 months in care are NULL-coded when the pupil was not in care on 31 March.
        out[name] = Masked(values, values < 0) if name in ("cla_6_months",
                                                           "cla_12_months") else values
    return out


PRIOR_ATTRIBUTES = (
    "ks2_year", "ks3_year", "ks2_read_score", "ks2_mat_score",
    *(f"ks2_{s}_{w}" for s in ("eng", "mat", "sci") for w in ("fine", "level")),
    *(f"ks3_{s}_level" for s in ("eng", "mat", "sci")),
    *(f"pred_{element}" for element in ELEMENT_WEIGHTS), "p8_group", "p8_sigma", "p8_prior",
    *(f"va_pred_{measure}" for measure in VA_MEASURES), "va_pred_b8_ks3",
    *(f"median_{stage}_{scale}" for stage in ("ks2", "ks3") for scale in MEDIAN_SCALES),
)
HISTORY_ATTRIBUTES = ("ncyear_1", "ncyear_2", "prev_laestab_anon", "prev_y10", "joined_y10",
                      "new_mobile", "joined_off_season", "maintained_school",
                      "mainstream", "nftype", "toe_code", "new_type", "newer_type", "admpol",
                      "prev_nftype", "norflag", "ks4_status", "y11year",
                      "entry_date", "service_child_flag", "excldate")
KS4_ATTRIBUTES = (
    YEAR_ATTRIBUTE, *PUPIL_ATTRIBUTES, "yeargrp", "entries", "att8", "level2_em", "level2",
    "level1", "ptscnewe", "ptstnewe", "l2basics_94", "l2basics_95", "ebacc", "ebacc_94",
    "ebacc_e", "ebacc_e_ptq_ee", "gcse_eng_points", "gcse_mat_points", "equiv_counted_units",
    "equiv_counted_ac", "equiv_unit_points", "btec", "vocqual",
    *(f"pts_{slot}" for slot in ENTRY_SLOTS), *(f"sub_{slot}" for slot in ENTRY_SLOTS),
    *CARE_ATTRIBUTES,
    *PRIOR_ATTRIBUTES, *HISTORY_ATTRIBUTES, "sc_ks2_aps", "sc_ks2_sd", "sc_ks3_aps", "sc_ks3_sd",
)


def ks4_prior(life: LifeCourse) -> dict[str, object]:
    """The KS4 pupils' KS2 and KS3 results (NULL without them) and their Progress 8 estimates
    (``pred_<element>``, ``p8_group``, ``p8_sigma``; NULL without KS2 prior attainment)."""
    # key_stages imports this module (care attributes), so it is imported here.
    from leo_synth.relations.key_stages import ks4_prior_attainment

    prior = ks4_prior_attainment(life)
    out: dict[str, object] = {"ks2_year": prior["ks2_year"], "ks3_year": prior["ks3_year"]}
    for name in PRIOR_ATTRIBUTES:
        if name.startswith(("ks2_", "ks3_")) and not name.endswith("_year"):
            out[name] = Masked(prior[name], ~prior[f"has_{name[:3]}"])
    no_ks2 = ~prior["has_ks2"]
    est = estimates(life.ctx.params, prior, life.ks4["year"])
    for element in ELEMENT_WEIGHTS:
        out[f"pred_{element}"] = Masked(est[element], no_ks2)
    out["p8_group"] = Masked(est["group"], no_ks2)
    out["p8_sigma"] = Masked(est["sigma"], no_ks2)
    va = va_estimates(life.ctx.params, prior, life.ks4["year"])
    for measure in VA_MEASURES:
        out[f"va_pred_{measure}"] = Masked(va[measure], no_ks2)
    out["va_pred_b8_ks3"] = Masked(va["b8_ks3"], ~prior["has_ks3"])
    for name, median in median_estimates(life.ctx.params, prior, life.ks4["year"]).items():
        out[f"median_{name}"] = Masked(median, ~prior[f"has_{name[:3]}"])
    out["p8_prior"] = Masked(np.where(prior["ks2_year"] >= SCALED_SCORES_FROM,
                                      prior_score(prior, "scaled"), prior_score(prior, "fine")),
                             no_ks2)
    return out


def _census_row(life: LifeCourse, back: int) -> tuple[np.ndarray, np.ndarray]:
    """Each KS4 pupil's census pupil-year row ``back`` years before Year 11, and whether there
    is one (on a state-school roll that year)."""
    py = life.schooling.pupil_years
    ks4 = life.ks4
    key = py["person"] * 10_000 + py["year"]
    if not len(key):
        return np.zeros(len(ks4), dtype=np.int64), np.zeros(len(ks4), dtype=bool)
    order = np.argsort(key)
    want = ks4["person"] * 10_000 + ks4["year"] - back
    row = order[np.clip(np.searchsorted(key, want, sorter=order), 0, len(key) - 1)]
    return row, key[row] == want


def ks4_history(life: LifeCourse) -> dict[str, object]:
    """The KS4 pupils' census history: NC year one and two years earlier (``ncyear_1``,
    ``ncyear_2``), the school of the year before (``prev_laestab_anon``, ``prev_y10``: in
    Year 10 or below then; NULL where not on a state-school roll), whether they joined their
    school in Year 10 or 11 (``joined_y10``), after 12 September of Year 10 (``new_mobile``)
    or in a month other than July to September (``joined_off_season``) and its entry date
    (``entry_date``, the census's), whether it is
    mainstream (``mainstream``: not a special school) or maintained (``maintained_school``),
    its and the previous school's NFTYPE and type codes (``nftype``, ``prev_nftype``, ...),
    a pupil referral unit's where the spring census has the pupil on its roll, whether the
    pupil has a census record this year (``ks4_status``), whether they were permanently
    excluded this year (``norflag``) and their census service child indicator
    (``service_child_flag``)."""
    ks4 = life.ks4
    py = life.schooling.pupil_years
    out: dict[str, object] = {}
    for back in (1, 2):
        row, found = _census_row(life, back)
        out[f"ncyear_{back}"] = Masked(py["ncyear"][row].astype(float), ~found)
        if back == 1:
            # (the census's school: a pupil referral unit's where the pupil was on its roll)
            prev = {"laestab_anon": life.ctx.keys.make("school", py["school"][row], 0)}
            at_unit = on_census_roll(life, prev, ks4["person"], ks4["year"] - 1)
            out["prev_laestab_anon"] = Masked(prev["laestab_anon"], ~found)
            # KS4_PrevY10 is a text column: "1" or "0"
            out["prev_y10"] = Masked(np.where(py["ncyear"][row] <= 10, "1", "0"), ~found)
            out["prev_nftype"] = Masked(school_nftype(life, py["school"][row], py["year"][row]),
                                        ~found | at_unit)
    row, found = _census_row(life, 0)
    at_unit, _, placed = census_roll(life, ks4["person"], ks4["year"])
    # the census's entry date: at a unit the placement's start
    entry = yyyymmdd(np.where(at_unit, placed, py["entry_date"][row]))
    out["joined_y10"] = (entry >= (ks4["year"] - 1) * 10_000 + 901).astype(np.int64)
    # (0 without a census record, whose entry date is NULL)
    out["new_mobile"] = (found & (entry > (ks4["year"] - 1) * 10_000 + 912)).astype(np.int64)
    out["joined_off_season"] = (found & ~np.isin(entry // 100 % 100, (7, 8, 9))).astype(np.int64)
    out["mainstream"] = ((life.ctx.pools.schools["phase"][ks4["school"]] != SPECIAL_PHASE)
                         & ~at_unit).astype(np.int64)
    out["maintained_school"] = (~at_unit).astype(np.int64)
    out.update(_type_codes(life, ks4["school"], ks4["year"], at_unit))
    # KS4_STATUS: 1 with a census record in the KS4 year, 3 (KS4 results, no census record) without
    out["ks4_status"] = np.where(found, 1, 3)
    out["y11year"] = ks4["year"] + 1  # the summer of the Year 11 academic year
    out["entry_date"] = Masked(entry, ~found)
    out["excldate"] = _permanent_exclusion_date(life, ks4["person"], ks4["year"])
    out["norflag"] = (~out["excldate"].null).astype(np.int64)
    # the census record's service child indicator of the same pupil, year and school
    out["service_child_flag"] = (characteristics(life, ks4["person"], ks4["year"], ks4["school"])[
        "service_child"] == "Y").astype(np.int64)
    return out


UNIT_CODES = {"toe_code": "14", "admpol": "0", "new_type": 4, "newer_type": 6}
"""A pupil referral unit's codes: Edubase type of establishment 14 (pupil referral unit),
admissions policy not applicable, NEW_TYPE 4 (other maintained), NEWER_TYPE 6 (hospitals and
PRUs); its NFTYPE is NULL (none of the VRF's NFTYPE definitions names a unit's code)."""


def _type_codes(life: LifeCourse, school: np.ndarray, year: np.ndarray,
                at_unit: np.ndarray) -> dict[str, object]:
    """The KS4 school's type codes (NFTYPE, ToE_CODE, ADMPOL as text; NEW_TYPE, NEWER_TYPE),
    a pupil referral unit's (``UNIT_CODES``) for the rows at one."""
    codes = school_codes(life.ctx.pools.schools, life.ctx.params, school, year)
    out: dict[str, object] = {
        "nftype": Masked(codes["nftype"].astype(str), at_unit),  # KS4_NFTYPE ... are text
        "toe_code": codes["toe_code"].astype(str), "admpol": codes["admpol"].astype(str),
        "new_type": codes["new_type"], "newer_type": codes["newer_type"]}
    for name, code in UNIT_CODES.items():
        out[name] = np.where(at_unit, code, out[name])
    return out


def school_nftype(life: LifeCourse, school: np.ndarray, year: np.ndarray) -> np.ndarray:
    """The NFTYPE (text, as KS4_NFTYPE is) of schools in academic years (school_types)."""
    return school_codes(life.ctx.pools.schools, life.ctx.params, school, year)[
        "nftype"].astype(str)


def _permanent_exclusion_date(life: LifeCourse, person: np.ndarray,
                              year: np.ndarray) -> Masked:
    """The start of the person's permanent exclusion in the academic year (its first, if
    several); NULL for a pupil not permanently excluded that year."""
    excluded = school_events.exclusions(life)
    perm = excluded.take(excluded["category"] == "PERM")
    keys = perm["person"].astype(np.int64) * 10_000 + perm["year"]
    order = np.lexsort((perm["start"], keys))  # each key's earliest start first
    keys, starts = keys[order], perm["start"][order]
    pos, found = sorted_lookup(keys, np.asarray(person, dtype=np.int64) * 10_000 + year)
    dates = starts[pos] if len(keys) else np.zeros(len(pos), dtype="datetime64[D]")
    return Masked(dates, ~found)


@builder("npd.ks4_pupil", provides=KS4_ATTRIBUTES)
def ks4_pupil(life: LifeCourse, relation: Relation) -> Frame:
    """One row per KS4 pupil of the view's academic years."""
    return _ks4_pupils(life)  # every era's view: build_batch keeps the view's years


@read_only_by("npd.ks4_pupil")
@per_block
def _ks4_pupils(life: LifeCourse) -> Frame:
    ks4 = life.ks4
    attributes = pupil_attributes(life, ks4["person"], ks4["year"], ks4["school"])
    at_unit = on_census_roll(life, attributes, ks4["person"], ks4["year"])  # (the unit's codes)
    attributes["fsm"] = ks4["fsm"].astype(np.int64)
    attributes["ever_fsm_6"] = ks4["fsm6"].astype(np.int64)
    return Frame({
        **care_attributes(life, ks4["person"], ks4["year"]),
        **{f"pts_{slot}": points
           for slot, points in zip(ENTRY_SLOTS, entry_points(life).T, strict=True)},
        **{f"sub_{slot}": code for slot, code in slot_subjects(life).items()},
        **ks4_prior(life),
        **ks4_history(life),
        **school_cohort(life, "ks4", "ks2", ks4["school"], ks4["year"], at_unit),
        **school_cohort(life, "ks4", "ks3", ks4["school"], ks4["year"], at_unit),
        YEAR_ATTRIBUTE: ks4["year"],
        **attributes,
        "yeargrp": np.full(len(ks4), 11),
        **entry_measures(life),  # (entries, ptstnewe, ptscnewe: extra entries too)
        "att8": ks4["att8"],
        "level2_em": ks4["level2_em"].astype(np.int64),
        "level2": ks4["level2"].astype(np.int64),
        "level1": ks4["level1"].astype(np.int64),
        "l2basics_94": ks4["em_4"].astype(np.int64),
        "l2basics_95": ks4["em_5"].astype(np.int64),
        "ebacc": ks4["ebacc_4"].astype(np.int64),
        "ebacc_94": ks4["ebacc_4"].astype(np.int64),
        "ebacc_e": ks4["ebacc_entered"].astype(np.int64),
        "ebacc_e_ptq_ee": ks4["ebacc_entered"].astype(np.int64),
        "gcse_eng_points": ks4["pts_eng"],
        "gcse_mat_points": ks4["pts_mat"],
        "equiv_counted_units": ks4["equiv_counted_units"],
        "equiv_counted_ac": ks4["equiv_counted_ac"],
        "equiv_unit_points": ks4["equiv_unit_points"],
        # a BTEC achieved (at level 2, A*-C equivalent), a vocational qualification of any grade
        "btec": (ks4["equiv_ac"] > 0).astype(np.int64),
        "vocqual": (ks4["equiv_units"] > 0).astype(np.int64),
    })
