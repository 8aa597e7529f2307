"""KS5 relations: the student table and the exam table, built from one set of A level entries.

Each KS5 student's A levels (grade and subject) are drawn once per block
(:func:`ks5_entries`), so the exam rows and the student row describe the same results: the
student's per-subject grades (``KS5_GA_<subject>``), counts, points and thresholds are computed
from the entries by the rules of ``schemas/rules/ks5_student.yaml``. The student row also
carries the student's KS4 record (``KS5_KS4_*``: the values of the KS4 pupil row) and the years
the student was allocated to the institution (two years of 16-18 study at one institution).
"""

from __future__ import annotations

import numpy as np

from leo_synth.relations.derive_ks5 import (
    A_STAR_FROM,
    AS_LEVEL_SUBLEVNO,
    AS_SIZE,
    as_grade_points,
    grade_points,
    ks4_average,
)
from leo_synth.relations.key_stages import (
    A_LEVEL_GRADES,
    COMMON,
    GCSE91_SUBLEVNO,
    GCSE_SUBLEVNO,
    _common,
)
from leo_synth.relations.ks4_subjects import (
    SLOT_SUBJECTS,
    exam_grade,
    ks4_language,
    ks4_separate_sciences,
    reformed,
)
from leo_synth.relations.ks5_english_maths import ENTRY_ATTRIBUTES, english_maths_entries
from leo_synth.relations.ks5_subjects import (
    GENERAL_STUDIES,
    board_subject_number,
    choose_boards,
    choose_subjects,
    degree_weights,
    eligible_subjects,
    modular,
    science_weights,
)
from leo_synth.relations.ks123_results import entry_date
from leo_synth.relations.npd import care_attributes
from leo_synth.relations.pupil import pupil_attributes
from leo_synth.relations.registry import YEAR_ATTRIBUTE, builder
from leo_synth.relations.values import Masked
from leo_synth.simulation.attainment import SLOTS
from leo_synth.simulation.calendar import ymd, yyyymmdd
from leo_synth.simulation.condition_of_funding import GRADE_4, ks4_grades, school_resits
from leo_synth.simulation.frame import Frame, last_row_of, sorted_lookup
from leo_synth.simulation.higher_education import LEVEL_FIRST_DEGREE
from leo_synth.simulation.life import LifeCourse
from leo_synth.simulation.per_block import per_block
from leo_synth.simulation.post16 import SFC
from leo_synth.simulation.school_types import academy_year, school_codes
from leo_synth.simulation.subjects import subject_catalogue
from leo_synth.spec.model import Relation

MAX_A_LEVELS = 4
ESTAB_SERIES = np.array([2000, 4000, 7000])
"""DfE establishment numbers by phase (primary, secondary, special): 2xxx, 4xxx and 7xxx."""
A_LEVEL_SUBLEVNO = 111  # plams.sublevno: GCE A level


@per_block
def ks5_subjects(life: LifeCourse) -> np.ndarray:
    """(students, 4) mapping codes of each KS5 student's A levels ('' where no entry): different
    subjects, chosen by the student's sex in the published entry shares, among those whose
    entry requirements the student's KS4 English, maths, science and language grades meet."""
    return np.where(a_level_grades(life) >= 0, _subject_picks(life), "")


@per_block
def as_level_subjects(life: LifeCourse) -> np.ndarray:
    """Per KS5 student, the mapping code of the cashed-in AS level ('' for none): the next of
    the student's subject picks after the A levels (so a subject the student does not take
    at A level, chosen as they are)."""
    ks5 = life.post16.ks5
    picks = _subject_picks(life)
    rows = np.arange(len(ks5))
    column = np.minimum(ks5["n_alevels"], MAX_A_LEVELS - 1)
    return np.where(as_level_grades(life) >= 0, picks[rows, column], "")


def as_level_grades(life: LifeCourse) -> np.ndarray:
    """Per KS5 student, the AS level's grade (0 = U ... 5 = A; -1 = none)."""
    return np.asarray(life.post16.ks5["as_level"], dtype=np.int64)


@per_block
def _subject_picks(life: LifeCourse) -> np.ndarray:
    """(students, 4) the subjects of :func:`ks5_subjects` before the unused ones are blanked."""
    ks5 = life.post16.ks5
    female = life.persons["female"][ks5["person"]]
    grades = ks4_grades(life.persons, life.ks4)
    language, language_points = ks4_language(life)
    science = np.zeros(len(life.persons), dtype=np.int64)
    science[life.ks4["person"]] = life.ks4["pts_eb1"]  # (the best science GCSE)
    eligible = eligible_subjects({"eng": grades[0][ks5["person"]],
                                  "mat": grades[1][ks5["person"]],
                                  "sci": science[ks5["person"]]},
                                 (language[ks5["person"]], language_points[ks5["person"]]))
    factors = (degree_weights(degree_after(life, ks5["person"], ks5["year"]))
               * science_weights(ks4_separate_sciences(life)[ks5["person"]]))
    return choose_subjects(life.ctx.rng("ks5.subjects"), female, MAX_A_LEVELS, eligible, factors)


DEGREE_WITHIN = 3
"""Years after the KS5 year within which a first degree's start follows on from the A levels
(a gap year or two, or a year retaken)."""


def degree_after(life: LifeCourse, person: np.ndarray, year: np.ndarray) -> np.ndarray:
    """CAH2 code of the first degree each KS5 student (``person`` in KS5 year ``year``) starts
    within :data:`DEGREE_WITHIN` years of it; '' for none."""
    instances = life.he.instances  # (sorted by person and start year)
    first = instances.take(instances["level"] == LEVEL_FIRST_DEGREE)
    if not len(first):
        return np.full(len(person), "")
    people, at = np.unique(first["person"], return_index=True)
    pos, found = sorted_lookup(people, np.asarray(person))
    start = first["start_year"][at[pos]]
    follows = found & (start > year) & (start <= np.asarray(year) + DEGREE_WITHIN)
    catalogue = subject_catalogue(life.ctx.params)
    return np.where(follows, catalogue.cah2_code[catalogue.cah2[first["subject"][at[pos]]]], "")


def a_level_grades(life: LifeCourse) -> np.ndarray:
    """(students, 4) A level grades (0 = U ... 6 = A*, -1 = no entry), an A* before it was
    awarded (:data:`A_STAR_FROM`) recorded as the A it was then."""
    ks5 = life.post16.ks5
    grades = np.stack([ks5[f"al{i}"] for i in range(1, MAX_A_LEVELS + 1)], axis=1)
    return np.where((grades == 6) & (ks5["year"][:, None] < A_STAR_FROM), 5, grades)


def _points(grades: np.ndarray, year: np.ndarray) -> np.ndarray:
    """Points of A level grades in the year's scale (0 where no entry): (students, 4) grades
    with a year per student, or one grade per year."""
    return grade_points(grades, np.asarray(year)[:, None] if grades.ndim == 2 else year)


def ks5_school(life: LifeCourse, person: np.ndarray, year: np.ndarray) -> np.ndarray:
    """A KS5 student's institution in KS5 year ``year``: a sixth-former's school of Year 13
    (the census's), else the school of Year 11 (two years before)."""
    schooling = life.schooling
    year = np.asarray(year)
    return schooling.school_in(person, year, schooling.school_in(
        person, year - 2, schooling.secondary_school[person]))


def establishment_number(life: LifeCourse, school: np.ndarray) -> np.ndarray:
    """The DfE establishment number (ESTAB) of schools: the phase's series, numbered within the
    school's LA (LAESTAB = LA code * 10000 + ESTAB)."""
    pools = life.ctx.pools
    phase = pools.schools["phase"][school].astype(np.int64)
    la = pools.schools["la"][school]
    return ESTAB_SERIES[phase] + school - pools.la_first_school[phase, la]


def _ks4_record(life: LifeCourse, person: np.ndarray) -> dict[str, object]:
    """The KS4 pupil row's values of each person (every KS5 student has a KS4 row): the values
    the KS4 pupil table shows, so ``KS5_KS4_*`` equal ``KS4_*`` of the same pupil."""
    ks4 = life.ks4
    r = last_row_of(ks4["person"], len(life.persons))[person]
    year, school = ks4["year"][r], ks4["school"][r]
    attrs = pupil_attributes(life, person, year, school)
    care = care_attributes(life, person, year)
    fsm6 = ks4["fsm6"][r].astype(bool)
    disadvantaged = fsm6 | (np.asarray(care["cla_pp_1_day"]) == 1) | (
        np.asarray(care["adopted_from_care"]) == 1)
    return {
        "ks4_year": year, "ks4_exam_year": year + 1, "ks4_fsm": ks4["fsm"][r].astype(np.int64),
        "ks4_disadvantage": disadvantaged.astype(np.int64),
        "ks4_ethnic": attrs["ethnicity"], "ks4_lang1st": attrs["language_group_minor"],
        "ks4_senf": attrs["sen_provision"], "ks4_sentype": attrs["primary_sen_type"],
        **{f"ks4_pts_{slot}": ks4[f"pts_{slot}"][r].astype(np.int64) for slot in SLOTS},
    }


KS4_RECORD = ("ks4_year", "ks4_exam_year", "ks4_fsm", "ks4_disadvantage", "ks4_ethnic",
              "ks4_lang1st", "ks4_senf", "ks4_sentype", *(f"ks4_pts_{slot}" for slot in SLOTS))


@builder("npd.ks5_student", provides=(
    *COMMON, "totpts", "points_tot", "alev", "agrade", "aegrade", "gradea3", "gradeae3",
    "lev3thresh", "pass2lv3", "pass1l3", "totents", "totents_alev", "entries",
    "b3ptse_b3", "include_b3", "aab_fac", "nat1618", "la1618", "mtd", "fesitype", "fetype",
    "urn_ac", "open_ac",
    *(f"al_{i}" for i in range(1, MAX_A_LEVELS + 1)),
    *(f"sub_{i}" for i in range(1, MAX_A_LEVELS + 1)), "as_grade", "as_sub",
    "vocational", "vocational_points", "alevel_points", "years_allocated",
    "alloc_0", "alloc_1", "alloc_2", "inst_0", "inst_1", "inst_2", "la_0", "la_1", "la_2",
    "consortium", "estab", "va_pred_rs", "va_pred_grade", "entry_date", *KS4_RECORD,
    *ENTRY_ATTRIBUTES,
))
def ks5_student(life: LifeCourse, relation: Relation) -> Frame:
    """One row per KS5 student: A level entries, grades and points in each era's scale."""
    ks5 = life.post16.ks5
    grades = a_level_grades(life)
    taken = grades >= 0
    school = ks5_school(life, ks5["person"], ks5["year"])
    rows = Frame(person=ks5["person"], year=ks5["year"], school=school)
    out = _common(life, rows, 13)
    n = len(ks5)
    points = _points(grades, ks5["year"])
    entries = taken.sum(1)
    vocational_points = np.where(ks5["vocational"],
                                 np.rint(ks5["points_per_entry"] * 3), 0).astype(np.int64)
    as_grade = as_level_grades(life)
    total = points.sum(1) + vocational_points + as_grade_points(as_grade, ks5["year"])
    best3 = np.sort(np.where(taken, points, 0), axis=1)[:, ::-1][:, :3].sum(1)
    # Every simulated student spends two years (Years 12 and 13: the reporting year RY and
    # RY-1) at one state-funded institution; none is allocated in RY-2 or to a consortium.
    ones, zeros = np.ones(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    la = life.ctx.pools.schools["la"][school]
    sixth_form_college = at_sixth_form_college(life)
    college = ks5["vocational"] | sixth_form_college
    out.update({
        "totpts": total, "points_tot": total, "alev": (entries > 0).astype(int),
        "agrade": (grades >= 5).sum(1), "aegrade": (grades >= 1).sum(1),
        "gradea3": ((grades >= 5).sum(1) >= 3).astype(int),
        "gradeae3": ((grades >= 1).sum(1) >= 3).astype(int),
        "lev3thresh": ((grades >= 1).sum(1) >= 2).astype(int) | ks5["vocational"].astype(int),
        "pass2lv3": ((grades >= 1).sum(1) >= 2).astype(int),
        "pass1l3": (((grades >= 1).sum(1) >= 1) | ks5["vocational"]).astype(int),
        # (entry totals in A level equivalents count an AS level as its size)
        "totents": np.maximum(entries, ks5["vocational"].astype(int)) + AS_SIZE * (as_grade >= 0),
        "totents_alev": entries,
        "entries": np.maximum(entries + (as_grade >= 0), 1), "b3ptse_b3": np.round(best3 / 3, 2),
        "include_b3": (entries >= 3).astype(int),
        "aab_fac": ((np.sort(np.where(taken, grades, -1), axis=1)[:, ::-1][:, :3]
                     >= [5, 5, 4]).all(1)).astype(int),
        "nat1618": ones, "la1618": ones, "mtd": ones,
        "fesitype": np.where(college, "FE", "SCH"),
        # a student of the vocational programme is at a general FE college (FESITYPE FE):
        # NEW_TYPE 7 (other FE college), FETYPE 3; one of a sixth-form college (an FE-sector
        # institution) NEW_TYPE 6, FETYPE 5; a sixth-former has the school's type
        "new_type": np.select([ks5["vocational"], sixth_form_college], [7, 6], out["new_type"]),
        "fetype": np.select([ks5["vocational"], sixth_form_college], [3, 5], 0),
        # The A level grades and subjects behind the measures (0 = U ... 6 = A*, -1 = none;
        # mapping codes, '' = none), for the rules of schemas/rules/ks5_student.yaml.
        **{f"al_{i}": grades[:, i - 1] for i in range(1, MAX_A_LEVELS + 1)},
        **{f"sub_{i}": ks5_subjects(life)[:, i - 1] for i in range(1, MAX_A_LEVELS + 1)},
        "as_grade": as_grade, "as_sub": as_level_subjects(life),
        "vocational": ks5["vocational"].astype(np.int64),
        "vocational_points": vocational_points,
        "alevel_points": points.sum(1),
        "years_allocated": np.full(n, 2), "alloc_0": ones, "alloc_1": ones, "alloc_2": zeros,
        "inst_0": school, "inst_1": school, "inst_2": np.full(n, -1),
        "la_0": la, "la_1": la, "la_2": np.full(n, -1), "consortium": zeros,
        "estab": establishment_number(life, school),
        **_ks4_record(life, ks5["person"]),
    })
    out.update(_converter_academy(life, school, ks5["year"], out["urn_anon"]))
    out.update(value_added_predictions(life.ctx.params, out, ks5["year"], taken.any(1)))
    out["entry_date"] = _entry_date(life, ks5["person"], np.asarray(out["ks4_year"]),
                                    ks5["year"], college)
    out.update(english_maths_entries(life, ks5["person"], ks5["year"],
                                     (out["ks4_pts_eng"], out["ks4_pts_mat"])))
    return Frame(out)


def _converter_academy(life: LifeCourse, school: np.ndarray, year: np.ndarray,
                       urn: np.ndarray) -> dict[str, object]:
    """A converter academy's URN and open date (YYYYMMDD, 1 September of the year it opened):
    NULL unless the school has converted by the row's year (a sponsored academy, too)."""
    schools = life.ctx.pools.schools
    opened = academy_year(schools, life.ctx.params, school)
    other = (opened == 0) | (opened > year) | schools["sponsored"][school]
    return {"urn_ac": Masked(np.asarray(urn), other),
            "open_ac": Masked(opened * 10_000 + 901, other)}


def _entry_date(life: LifeCourse, person: np.ndarray, ks4_year: np.ndarray, year: np.ndarray,
                college: np.ndarray) -> np.ndarray:
    """Date of entry (YYYYMMDD) to the KS5 institution: a sixth-former's school's census entry
    date (the school of Year 11), a college student's 1 September of Year 12."""
    school_entry = yyyymmdd(entry_date(life, Frame(person=person, year=ks4_year)))
    return np.where(college, (year - 1) * 10_000 + 901, school_entry)


def at_sixth_form_college(life: LifeCourse) -> np.ndarray:
    """Per KS5 student, whether the A levels were studied at a sixth-form college (the
    post-16 route), not a school sixth form."""
    ks5 = life.post16.ks5
    return (life.post16.route[ks5["person"]] == SFC) & ~ks5["vocational"]


def value_added_predictions(params, record: dict[str, object], year: np.ndarray,
                            has_alevels: np.ndarray) -> dict[str, Masked]:
    """The national lines of KS4-KS5 value added on the student's KS4 average QCA points
    (AVGKS4; ``ks5.value_added`` in config/parameters.yaml, fitted by
    tools/fit_ks5_value_added.py): the predicted re-scaled score (``va_pred_rs``, the line of
    the year's grading era) and mean A level grade (``va_pred_grade``, E = 1 ... A* = 6);
    NULL without A levels or KS4 GCSEs."""
    raw = np.stack([np.asarray(record[f"ks4_pts_{slot}"], dtype=np.int64) for slot in SLOTS],
                   axis=1)
    average = ks4_average(raw)
    null = ~np.asarray(has_alevels, dtype=bool) | ~(raw > 0).any(1)
    lines = params["ks5.value_added"]
    # the re-scaled line of the row's grading era: the last era starting by the row's year
    eras = sorted(lines["rescaled"])
    era = np.array(eras)[np.maximum(np.searchsorted(eras, np.asarray(year), side="right") - 1,
                                    0)]
    intercept = np.array([lines["rescaled"][e]["intercept"] for e in era], dtype=float)
    slope = np.array([lines["rescaled"][e]["slope"] for e in era], dtype=float)
    grade = lines["grade"]
    return {"va_pred_rs": Masked(np.round(intercept + slope * average, 2), null),
            "va_pred_grade": Masked(np.round(grade["intercept"] + grade["slope"] * average, 2),
                                    null)}


@builder("npd.ks5_exam", provides=(
    YEAR_ATTRIBUTE, "pupilmatchingrefanonymous", "acadyr", "laestab_anon", "urn_anon",
    "examyear", "season", "sublevno", "mapping", "qan", "grade", "gfinal", "points",
    "points_1618", "gsize", "asize", "lev3", "include", "version", "covid_impacted_flag",
    "centre_assessed_flag", "regdate", "student", "general_studies", "boardno", "brdsubno",
    "nftype", "admpol", "fesitype", "modaflag", "ptq_include", "lev1", "lev2",
    "discount_points",
))
def ks5_exam(life: LifeCourse, relation: Relation) -> Frame:
    """One row per student and A level or AS level result (the grades behind the student
    table), and per GCSE English or maths resit of a school sixth former (:func:`_resit_rows`)."""
    ks5 = life.post16.ks5
    grades = a_level_grades(life)
    subjects = ks5_subjects(life)
    boards = choose_boards(life.ctx.rng("ks5.boards"), subjects.ravel()).reshape(subjects.shape)
    fesitype = np.where(at_sixth_form_college(life), "FE", "SCH")
    parts = []
    for i in range(MAX_A_LEVELS):
        rows = np.flatnonzero(grades[:, i] >= 0)
        g = grades[rows, i]
        year = ks5["year"][rows]
        parts.append(_entry_rows(life, rows, g, subjects[rows, i], boards[rows, i],
                                 fesitype[rows], A_LEVEL_SUBLEVNO, _points(g, year), 1.0,
                                 year + 1))
    as_grade = as_level_grades(life)
    rows = np.flatnonzero(as_grade >= 0)
    subject = as_level_subjects(life)[rows]
    year = ks5["year"][rows]
    # an AS level is sat in the summer of Year 12 (the year before the KS5 year's exams)
    parts.append(_entry_rows(life, rows, as_grade[rows], subject,
                             choose_boards(life.ctx.rng("ks5.as_level_boards"), subject),
                             fesitype[rows], AS_LEVEL_SUBLEVNO,
                             as_grade_points(as_grade[rows], year), AS_SIZE, year))
    parts.append(_resit_rows(life))
    return Frame.concat(parts)


def _entry_rows(life: LifeCourse, rows: np.ndarray, g: np.ndarray, subject: np.ndarray,
                boards: np.ndarray, fesitype: np.ndarray, sublevno: int, points: np.ndarray,
                size: float, exam_year: np.ndarray) -> Frame:
    """Exam rows of KS5 students ``rows`` (indexes of the KS5 frame): one GCE entry each, of
    grade ``g`` (0 = U ... 6 = A*) in ``subject`` with ``boards``, at ``sublevno``, scoring
    ``points``, of ``size`` A levels, sat in the summer of ``exam_year`` (the academic year
    before it; registered the October before). The row's year is the student's KS5 year."""
    ks5 = life.post16.ks5
    m = len(rows)
    year = ks5["year"][rows]
    sat = np.asarray(exam_year) - 1
    covid = (sat >= life.ctx.params["exams.teacher_assessed_from"]).astype(int)
    school = ks5_school(life, ks5["person"][rows], year)
    attrs = pupil_attributes(life, ks5["person"][rows], year, school)
    codes = school_codes(life.ctx.pools.schools, life.ctx.params, school, year)
    return Frame({
        YEAR_ATTRIBUTE: year, "pupilmatchingrefanonymous": attrs["pmr"],
        "acadyr": attrs["academic_year"], "laestab_anon": attrs["laestab_anon"],
        "urn_anon": attrs["urn_anon"], "examyear": exam_year, "season": np.full(m, "S"),
        "sublevno": np.full(m, sublevno), "mapping": subject,
        "qan": np.char.add("SYN", subject),
        "grade": A_LEVEL_GRADES[g], "gfinal": A_LEVEL_GRADES[g], "points": points,
        "points_1618": points, "gsize": np.full(m, size), "asize": np.full(m, size),
        "lev3": np.ones(m, dtype=int), "include": np.ones(m, dtype=int),
        "version": np.full(m, "F"), "covid_impacted_flag": covid,
        "centre_assessed_flag": covid,
        "regdate": ymd(sat, 10, 1),
        "student": rows, "general_studies": (subject == GENERAL_STUDIES).astype(np.int64),
        "boardno": boards, "brdsubno": board_subject_number(boards, subject),
        # the student row's institution type (key_stages._common; a sixth-form college
        # is FE); FE students of the vocational programme have no A level rows
        "nftype": codes["nftype"], "admpol": codes["admpol"].astype(str),
        "fesitype": fesitype,
        "modaflag": np.where(modular(subject, exam_year), "1", "0"),
        "ptq_include": np.full(m, "1"), "lev1": (g >= 1).astype(int),
        "lev2": (g >= 1).astype(int), "discount_points": points,
    })


def _resit_rows(life: LifeCourse) -> Frame:
    """The GCSE English and maths resits of the KS5 students who were school sixth formers
    (:func:`~leo_synth.simulation.condition_of_funding.school_resits`), in the exam table of
    the student's KS5 year: sat in the summer of the year studied (Year 12 or 13), graded as
    the KS4 exam rows grade the subject's GCSE (9-1 from 2016/17; SUBLEVNO 391, else 310),
    with no A level points or size (KS5_POINTS 0, KS5_LEV3 0: a level 2 qualification), a
    GCSE's size (KS5_GSIZE 1) and the level 1 and 2 thresholds a GCSE reaches at grade G / 1
    and C / 4. (A college learner's resits are ILR aims.)"""
    ks5 = life.post16.ks5
    resits = school_resits(life)
    rows = last_row_of(ks5["person"], len(life.persons))[resits["person"]]
    keep = rows >= 0
    resits, rows = resits.take(keep), rows[keep]
    m = len(rows)
    year = ks5["year"][rows]  # the student's KS5 year: the table's year of the row
    sat_in = resits["year"]
    school = ks5_school(life, ks5["person"][rows], year)
    attrs = pupil_attributes(life, ks5["person"][rows], year, school)
    codes = school_codes(life.ctx.pools.schools, life.ctx.params, school, year)
    english = resits["subject"] == 0
    subject = np.where(english, SLOT_SUBJECTS["eng"], SLOT_SUBJECTS["mat"])
    grade = exam_grade(subject, resits["grade"], sat_in)
    nine_to_one = reformed(subject, sat_in)
    boards = choose_boards(life.ctx.rng("ks5.resit_boards"), subject)
    covid = (sat_in >= life.ctx.params["exams.teacher_assessed_from"]).astype(int)
    zeros = np.zeros(m, dtype=int)
    return Frame({
        YEAR_ATTRIBUTE: year, "pupilmatchingrefanonymous": attrs["pmr"],
        "acadyr": attrs["academic_year"], "laestab_anon": attrs["laestab_anon"],
        "urn_anon": attrs["urn_anon"], "examyear": sat_in + 1, "season": np.full(m, "S"),
        "sublevno": np.where(nine_to_one, GCSE91_SUBLEVNO, GCSE_SUBLEVNO),
        "mapping": subject, "qan": np.char.add("SYN", subject),
        "grade": grade, "gfinal": grade, "points": np.zeros(m), "points_1618": np.zeros(m),
        "gsize": np.ones(m), "asize": np.zeros(m), "lev3": zeros, "include": np.ones(m, dtype=int),
        "version": np.full(m, "F"), "covid_impacted_flag": covid, "centre_assessed_flag": covid,
        "regdate": ymd(sat_in, 10, 1), "student": rows, "general_studies": zeros,
        "boardno": boards, "brdsubno": board_subject_number(boards, subject),
        "nftype": codes["nftype"], "admpol": codes["admpol"].astype(str),
        "fesitype": np.full(m, "SCH"), "modaflag": np.full(m, "0"),
        "ptq_include": np.full(m, "0"), "lev1": (resits["grade"] >= 1).astype(int),
        "lev2": (resits["grade"] >= GRADE_4).astype(int),
        # (discounting keeps a student's best resit of a subject)
        "discount_points": resits["grade"].astype(float),
    })
