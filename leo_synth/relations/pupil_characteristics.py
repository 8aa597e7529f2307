"""Pupil characteristics the School Census records beside the core ones (language detail, G&T,
service child, boarding, SEN units, travel, distance, siblings, area of home and school).

Absence and exclusion records carry the pupil's Spring Census characteristics, so each value
is a function of (person, academic year, school) only: a census, absence, exclusion, PRU or
AP record of the same pupil-year holds the same value. Each draw is conditional on the life
course (age, SEN, ability, ethnicity, first language, school phase, home LA) and reads uniforms
hashed from one per-person key of the block stream ``pupil.characteristics`` and the year, so
no relation's draw depends on which other relations were built.
"""

from __future__ import annotations

import numpy as np

from leo_synth.relations.values import Masked
from leo_synth.simulation.calendar import month_of, year_of
from leo_synth.simulation.life import LifeCourse
from leo_synth.simulation.per_block import per_block
from leo_synth.simulation.schooling import SEN_STATEMENT, SEN_SUPPORT
from leo_synth.simulation.stats import logistic

CHARACTERISTIC_ATTRIBUTES = (
    "ethnicity_source", "language", "language_group", "gandt", "service_child",
    "service_child_source", "boarder", "part_time", "sen_unit", "resourced_provision",
    "special_provision", "yssa", "mode_of_travel", "dist_curr_sch", "dist_near_sch",
    "nsiblings_sga", "birth_order_sga", "nsiblings_sgas", "birth_order_sgas", "idaci_decile",
    "rurality_home", "school_coa", "school_lsoa", "school_idaci_score", "school_idaci_rank",
    "school_idaci_decile", "rurality_school", "nursery_class",
)

# First languages other than English by the pupil's minor ethnic group (DfE School Census
# language codes), most common first; weights roughly the census shares within each group.
LANGUAGES = {
    "APKN": (("URD", 0.55), ("PNJ", 0.35), ("PHR", 0.1)),
    "ABAN": (("BNG", 0.75), ("SYL", 0.25)),
    "AIND": (("PNJ", 0.35), ("GUJ", 0.35), ("TAM", 0.1), ("HIN", 0.1), ("URD", 0.1)),
    "AOTH": (("TAM", 0.3), ("ARA", 0.2), ("NEP", 0.2), ("TGL", 0.15), ("PHR", 0.15)),
    "CHNE": (("CHI", 0.5), ("CHIM", 0.3), ("CHIC", 0.2)),
    "WOTH": (("POL", 0.35), ("RMN", 0.2), ("LIT", 0.1), ("POR", 0.1), ("BUL", 0.1),
             ("HNG", 0.05), ("ITA", 0.05), ("SPA", 0.05)),
    "WROM": (("ROM", 1.0),),
    "BAFR": (("SOM", 0.35), ("YOR", 0.25), ("FRN", 0.15), ("TWI", 0.15), ("LIN", 0.1)),
    "BOTH": (("FRN", 0.5), ("POR", 0.5)),
    "OOTH": (("ARA", 0.45), ("KUR", 0.2), ("PHR", 0.2), ("VIE", 0.15)),
}
OTHER_LANGUAGES = (("OTL", 0.4), ("POL", 0.2), ("ARA", 0.2), ("FRN", 0.2))
"""First languages of pupils with English as an additional language in the other groups."""

SOURCE_CODES = np.array(["C", "P", "S", "T", "O"])  # parent, pupil, school, transfer, other
TRAVEL_CODES = np.array(["WLK", "CAR", "PSB", "DSB", "CYC", "TXI", "CRS", "BNK"])
# Usual mode of travel by phase (primary, secondary, high-needs SEN), DfE travel to school.
TRAVEL_WEIGHTS = np.array([
    [0.52, 0.36, 0.04, 0.02, 0.02, 0.00, 0.03, 0.01],
    [0.40, 0.21, 0.18, 0.12, 0.04, 0.00, 0.04, 0.01],
    [0.10, 0.30, 0.05, 0.10, 0.00, 0.45, 0.00, 0.00],
])
RURALITY = np.array(["A1", "B1", "C1", "C2", "D1", "D2", "E1", "E2", "F1", "F2"])
"""Rural-Urban Classification 2011 codes (A1 major conurbation ... F2 hamlet, sparse)."""
MAX_MILES = 50
"""Longest distance to school recorded (miles): pupils do not travel further daily."""
YSSA_FROM_AGE = 13
"""Consent to share with Connexions/youth support services is recorded from age 13."""
IDACI_LSOAS = 32844


@per_block
def _person_keys(life: LifeCourse) -> np.ndarray:
    """One 64-bit key per person of the block; every characteristic hashes it with the year."""
    return life.ctx.rng("pupil.characteristics").integers(0, 2**63, len(life.persons),
                                                          dtype=np.int64).astype(np.uint64)


@per_block
def _birth_year_month(life: LifeCourse) -> tuple[np.ndarray, np.ndarray]:
    """Year and month of birth of each person of the block."""
    birth = life.persons["birth"]
    return year_of(birth), month_of(birth)


def age_at_year_start(life: LifeCourse, person: np.ndarray, year: np.ndarray) -> np.ndarray:
    """Whole years of age on 31 August of academic years (a year less than the difference of
    the years for those born after August)."""
    birth_year, birth_month = _birth_year_month(life)
    return year - birth_year[person] - (birth_month[person] > 8)


def uniform(keys: np.ndarray, salt: int, year: np.ndarray | int = 0) -> np.ndarray:
    """Uniforms in [0, 1) from (key, salt, year) by the SplitMix64 finaliser: the same pupil,
    characteristic and year give the same value in every relation."""
    with np.errstate(over="ignore"):
        x = (keys + np.uint64(salt) * np.uint64(0x9E3779B97F4A7C15)
             + np.asarray(year, dtype=np.uint64) * np.uint64(0xD1B54A32D192ED03))
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        x = x ^ (x >> np.uint64(31))
    return (x >> np.uint64(11)).astype(np.float64) / float(2**53)


def _pick(u: np.ndarray, weights: np.ndarray, row: np.ndarray | None = None) -> np.ndarray:
    """Index of the category each uniform falls in; ``weights`` shared, or (2-D) a table of
    weight rows of which ``row`` chooses each uniform's."""
    cum = np.cumsum(weights, axis=-1)
    cum = cum / cum[..., -1:]
    if row is None:
        return np.minimum(np.searchsorted(cum, u, side="right"), len(cum) - 1)
    out = np.zeros(len(u), dtype=np.int64)
    for r, bounds in enumerate(cum):
        at = row == r
        out[at] = np.searchsorted(bounds, u[at], side="right")
    return np.minimum(out, cum.shape[1] - 1)


def first_language(ethnicity: np.ndarray, eal: np.ndarray, u: np.ndarray) -> np.ndarray:
    """The pupil's first language code: ENG unless English is an additional language, else a
    language of the pupil's ethnic group."""
    codes = ["ENG"]
    choice = np.zeros(len(ethnicity), dtype=np.int64)  # index into codes
    learner = np.flatnonzero(eal)
    group_of = ethnicity[learner]
    for group in (*LANGUAGES, None):
        pool = LANGUAGES[group] if group else OTHER_LANGUAGES
        at = (np.isin(group_of, list(LANGUAGES), invert=True) if group is None
              else group_of == group)
        choice[learner[at]] = len(codes) + _pick(u[learner[at]], np.array([w for _, w in pool]))
        codes.extend(c for c, _ in pool)
    return np.array(codes)[choice]


def idaci_rank(score: np.ndarray) -> np.ndarray:
    """IDACI rank of a score (1 = most deprived of England's 32,844 LSOAs)."""
    return 1 + np.floor((1 - np.clip(score / 0.95, 0, 1)) ** 1.6
                        * (IDACI_LSOAS - 1)).astype(np.int64)


def idaci_decile(rank: np.ndarray) -> np.ndarray:
    """IDACI decile of a rank (1 = the 10% most deprived LSOAs)."""
    return np.minimum(1 + (np.asarray(rank) - 1) * 10 // IDACI_LSOAS, 10).astype(np.int64)


def shared_keys(seed: int, index: np.ndarray) -> np.ndarray:
    """Keys of shared organisations or areas (schools, LAs, output areas) of a run: the same in
    every block, different for another seed."""
    return np.asarray(index, dtype=np.uint64) + np.uint64(seed % 2**32) * np.uint64(2**32)


def rurality(keys: np.ndarray, urban_share: np.ndarray) -> np.ndarray:
    """Rural-urban class of output areas (``keys`` from :func:`shared_keys`): urban (A1-C2)
    with the LA's urban share, else rural (D1-F2); a property of the area, the same for every
    pupil living or schooled there."""
    u = uniform(keys, 101)
    v = uniform(keys, 102)
    urban = u < urban_share
    return np.where(urban, RURALITY[np.minimum((v * 4).astype(int), 3)],
                    RURALITY[4 + np.minimum((v * 6).astype(int), 5)])


def characteristics(life: LifeCourse, person: np.ndarray, year: np.ndarray,
                    school: np.ndarray) -> dict[str, object]:
    """Every attribute of ``CHARACTERISTIC_ATTRIBUTES`` for (person, academic year, school)
    rows."""
    if not len(person):
        return {name: np.zeros(0) for name in CHARACTERISTIC_ATTRIBUTES}
    persons = life.persons
    seed = life.ctx.seed
    year = np.asarray(year, dtype=np.int64)
    level = life.schooling.sen_level_in(person, year)
    ethnicity = np.array(list(life.ctx.params["population.ethnicity"]))[
        persons["ethnicity"][person]]
    idaci = persons["idaci"][person]
    pools = life.ctx.pools
    keys = _person_keys(life)[person]
    age = age_at_year_start(life, person, year)
    ncyear = year - persons["cohort"][person] - 5
    phase = pools.schools["phase"][school]
    eal = persons["eal"][person].astype(bool)
    high_needs = level == SEN_STATEMENT

    language = first_language(ethnicity, eal, uniform(keys, 1))
    source = _pick(uniform(keys, 2), np.array([[0.80, 0.0, 0.10, 0.07, 0.03],
                                               [0.55, 0.30, 0.08, 0.05, 0.02]]), age >= 11)
    la_weight = uniform(shared_keys(seed, persons["la"][person]), 3)  # garrison LAs
    service = uniform(keys, 4) < np.where(la_weight < 0.1, 0.06, 0.006)
    unknown = uniform(keys, 5)
    school_u = uniform(shared_keys(seed, school), 6)
    boarding_school = (phase == 1) & (school_u < 0.02)
    boards = boarding_school & (uniform(keys, 7, year) < 0.5) & (ncyear >= 7)
    boarder = np.where(boards, np.where(year < 2011, "B", np.where(
        uniform(keys, 8) < 0.7, "7", "6")), "N")
    mainstream = phase != 2
    unit_u = uniform(keys, 9, year)
    unit_rate = np.select([high_needs, level == SEN_SUPPORT], [0.08, 0.015], 0.0) * mainstream
    sen_unit = unit_u < unit_rate
    resourced = (unit_u >= unit_rate) & (unit_u < 2 * unit_rate)
    travel_row = np.where(high_needs & ~mainstream, 2, (ncyear >= 7).astype(int))
    travel = TRAVEL_CODES[_pick(uniform(keys, 10, year), TRAVEL_WEIGHTS, travel_row)]
    # Distance to school (miles): log-normal around 0.8 (primary) and 2.2 (secondary), further
    # for special schools; the nearest suitable school is at most as far.
    median = np.select([phase == 0, phase == 1], [0.8, 2.2], 5.0)
    dist = np.minimum(median * np.exp(0.7 * _normal(uniform(keys, 11, school))), MAX_MILES)
    near = dist * np.where(uniform(keys, 12, school) < 0.45, 1.0, uniform(keys, 13, school))
    sib = _pick(uniform(keys, 14), np.array([0.3, 0.4, 0.18, 0.08, 0.04]))
    sib_surname = np.where(uniform(keys, 15) < 0.85, sib, np.floor(sib * uniform(keys, 16)))
    order = 1 + np.floor(uniform(keys, 17) * (sib + 1)).astype(np.int64)
    order_surname = np.minimum(order, sib_surname + 1)
    yssa = np.array(["Yes", "No", "UNS", "SNR"])[_pick(uniform(keys, 18),
                                                     np.array([0.8, 0.05, 0.12, 0.03]))]
    gandt = uniform(keys, 19, year) < logistic(-2.9 + 1.6 * persons["ability"][person])
    urban = np.clip(0.82 + 0.15 * _normal(uniform(shared_keys(seed, np.arange(len(pools.las))),
                                                  20)), 0.3, 1.0)
    home_oa = persons["oa"][person]
    school_oa = _school_output_area(pools, shared_keys(seed, school), school)
    # The school's LSOA's score: the same as its residents' (one IDACI score per LSOA).
    school_idaci = pools.output_areas["idaci"][school_oa]
    school_rank = idaci_rank(school_idaci)
    return {
        "ethnicity_source": SOURCE_CODES[source],
        "language": language,
        "language_group": np.where(language == "ENG", "ENG", "OTH"),
        "gandt": gandt.astype(np.int64),
        "service_child": np.where(service, "Y", np.where(unknown < 0.02, "R", np.where(
            unknown < 0.06, "U", "N"))),
        # The service child indicator has no "previous school" source (T): the school's.
        "service_child_source": np.where(source == 3, "S", SOURCE_CODES[source]),
        "boarder": boarder,
        "part_time": (ncyear < 0).astype(np.int64),
        "sen_unit": sen_unit.astype(np.int64),
        "resourced_provision": resourced.astype(np.int64),
        "special_provision": (sen_unit | resourced).astype(np.int64),
        "yssa": Masked(yssa, age < YSSA_FROM_AGE),
        "mode_of_travel": travel,
        "dist_curr_sch": np.round(dist).astype(np.int64),
        "dist_near_sch": np.round(near).astype(np.int64),
        "nsiblings_sga": sib.astype(np.int64),
        "birth_order_sga": order.astype(float),
        "nsiblings_sgas": sib_surname.astype(np.int64),
        "birth_order_sgas": order_surname.astype(float),
        "idaci_decile": idaci_decile(idaci_rank(idaci)),
        "rurality_home": rurality(shared_keys(seed, home_oa), urban[persons["la"][person]]),
        "school_coa": pools.output_areas["coa"][school_oa],
        "school_lsoa": pools.output_areas["lsoa"][school_oa],
        "school_idaci_score": school_idaci,
        "school_idaci_rank": school_rank,
        "school_idaci_decile": idaci_decile(school_rank),
        "rurality_school": rurality(shared_keys(seed, school_oa),
                                    urban[pools.schools["la"][school]]),
        "nursery_class": np.where(ncyear < 0, "N", "O"),
    }


def _normal(u: np.ndarray) -> np.ndarray:
    """Standard normal quantile of uniforms (Acklam-free logistic approximation, |err| < 0.02:
    enough for spreading distances and area scores)."""
    u = np.clip(u, 1e-9, 1 - 1e-9)
    return np.log(u / (1 - u)) / 1.702


def _school_output_area(pools, keys: np.ndarray, school: np.ndarray) -> np.ndarray:
    """The output area of the school's site: one of its LA's output areas, fixed per school
    (``keys``: the schools' :func:`shared_keys`)."""
    per_la = int(np.bincount(pools.output_areas["la"]).max())
    offset = (uniform(keys, 22) * per_la).astype(np.int64)
    return pools.schools["la"][school].astype(np.int64) * per_la + offset


CENSUS_FIELD_ATTRIBUTES = (
    "maths_gcse_grade", "english_gcse_grade", "maths_gcse_grade_prev", "english_gcse_grade_prev",
    "gcse_stage", "gcse_year_group", "qual_hrs", "nonqual_hrs", "qual_hrs_prev",
    "nonqual_hrs_prev", "alevel_count", "gcse_count", "post16_zero", "post16_other",
    "funded_hours", "hours_at_setting", "unit_contact_time", "school_lunch", "daf", "top_up",
)
GRADES_9_TO_1_FROM = 2016
"""First KS4 year (2016/17) graded 9-1 in English and maths; earlier grades are A*-G."""
NUMERIC_GRADES = np.array(["U", *(str(points) for points in range(1, 10))])
"""9-1 grades by points (U for 0)."""
# Planned hours of a full-time 16-19 study programme: qualification hours (540-600 in the
# funding guidance) and employability, enrichment and pastoral hours.
QUAL_HOURS = (450, 660)
NONQUAL_HOURS = (30, 120)


def _ks4_by_person(life: LifeCourse) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The KS4 year and maths and English grades (9-1 points, -1 without KS4) per person."""
    n = len(life.persons)
    ks4 = life.ks4
    year = np.full(n, -1, dtype=np.int64)
    maths = np.full(n, -1, dtype=np.int64)
    english = np.full(n, -1, dtype=np.int64)
    year[ks4["person"]] = ks4["year"]
    maths[ks4["person"]] = ks4["pts_mat"]
    english[ks4["person"]] = ks4["pts_eng"]
    return year, maths, english


def gcse_grade(points: np.ndarray, ks4_year: np.ndarray) -> np.ndarray:
    """A GCSE grade as recorded: 9-1 (U for 0) from ``GRADES_9_TO_1_FROM``, A*-G before."""
    from leo_synth.simulation.attainment import LETTER_OF_POINTS

    points = np.clip(points, 0, 9)
    return np.where(ks4_year >= GRADES_9_TO_1_FROM, NUMERIC_GRADES[points],
                    LETTER_OF_POINTS[points])


def census_fields(life: LifeCourse, person: np.ndarray, year: np.ndarray, ncyear: np.ndarray,
                  school_phase: np.ndarray) -> dict[str, object]:
    """Census fields of sixth-formers (prior GCSE grades in English and maths from their KS4
    results, planned hours, courses), of early-years pupils (funded hours) and of PRU, infant
    and high-needs pupils, for (person, year) rows with the pupil's NC year and school phase
    ('PR' for a pupil referral unit). NULL (masked) where the field does not apply."""
    keys = _person_keys(life)[person]
    year = np.asarray(year, dtype=np.int64)
    sixth = ncyear >= 12
    nursery = ncyear < 0
    ks4_year, maths, english = (a[person] for a in _ks4_by_person(life))
    has_ks4 = sixth & (ks4_year >= 0)
    year_12 = has_ks4 & (ks4_year == year - 1)
    level = life.schooling.sen_level_in(person, year)

    def only(mask: np.ndarray, values: np.ndarray) -> Masked:
        return Masked(values, ~mask)

    def hours(low_high: tuple[int, int], salt: int, at: np.ndarray) -> np.ndarray:
        low, high = low_high
        return np.round(low + (high - low) * uniform(keys, salt, at)).astype(np.int64)

    ks5 = life.post16.ks5
    count = np.zeros(len(life.persons), dtype=np.int64)
    count[ks5["person"]] = ks5["n_alevels"]
    alevels = count[person]
    below_c = (maths < 4).astype(np.int64) + (english < 4).astype(np.int64)
    # FundedHours is the universal entitlement: 12.5 hours a week, 15 from September 2010; the
    # 30-hour extended entitlement (2017/18 on, a quarter of nursery pupils) has a census item
    # of its own, not in the VRF, so it shows only in the hours attended (the VRF's FundedHours
    # runs 0-25).
    universal = np.where(year >= 2010, 15.0, 12.5)
    extended = np.where((year >= 2017) & (uniform(keys, 30, year) < 0.25), 15.0, 0.0)
    return {
        "maths_gcse_grade": only(has_ks4, gcse_grade(maths, ks4_year)),
        "english_gcse_grade": only(has_ks4, gcse_grade(english, ks4_year)),
        "maths_gcse_grade_prev": only(year_12, gcse_grade(maths, ks4_year)),
        "english_gcse_grade_prev": only(year_12, gcse_grade(english, ks4_year)),
        "gcse_stage": only(has_ks4, np.ones(len(person), dtype=np.int64)),
        "gcse_year_group": only(has_ks4, np.full(len(person), "11")),
        "qual_hrs": only(sixth, hours(QUAL_HOURS, 31, year)),
        "nonqual_hrs": only(sixth, hours(NONQUAL_HOURS, 32, year)),
        "qual_hrs_prev": only(sixth & ~year_12 & has_ks4, hours(QUAL_HOURS, 31, year - 1)),
        "nonqual_hrs_prev": only(sixth & ~year_12 & has_ks4, hours(NONQUAL_HOURS, 32, year - 1)),
        "alevel_count": only(sixth, alevels),
        "gcse_count": only(sixth, np.where(has_ks4, below_c, 0)),
        "post16_zero": only(sixth, np.zeros(len(person), dtype=np.int64)),
        "post16_other": only(sixth, np.full(len(person), "N")),
        "funded_hours": only(nursery, universal),
        "hours_at_setting": only(nursery, universal + extended
                                 + np.floor(uniform(keys, 33, year) * 3) * 2.5),
        "unit_contact_time": only(school_phase == "PR", hours((10, 25), 34, year)),
        "school_lunch": only((ncyear >= 0) & (ncyear <= 2) & (year >= 2014),
                             (uniform(keys, 35, year) < 0.87).astype(np.int64)),
        "daf": only(nursery & (year >= 2017), (level == SEN_STATEMENT).astype(np.int64)),
        "top_up": (level == SEN_STATEMENT).astype(np.int64),
    }
