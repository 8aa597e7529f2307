"""ILR learning-aim fields derived from the programme type, the aim's LARS reference row and the
learner's benefit spells.

Each simulated aim gets one LARS reference (``learning_aim_refs``): its qualification type is a
conditional draw (competence-based NVQs mostly inside apprenticeships, certificates and diplomas
in colleges), its subject uniform; a sixth-form college student's aims are the KS5 A levels
(GCE A level in the KS5 exam row's subject); the aim keeps it in every year the ILR returns it.
Title, qualification type, sector subject areas, full/partial level widths and the
level-of-learning group then follow from that reference row, as they do from LARS in the real
extract.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

from leo_synth.relations.common import in_labour_data
from leo_synth.relations.derive import derivation
from leo_synth.relations.ks5 import (
    a_level_grades,
    as_level_grades,
    as_level_subjects,
    ks5_subjects,
)
from leo_synth.relations.ks5_subjects import (
    A_LEVEL_MAPPINGS,
    A_LEVEL_NAMES,
    subject_titles,
)
from leo_synth.simulation.calendar import academic_year_of, add_days
from leo_synth.simulation.condition_of_funding import AS_LEVEL_SLOT, NO_SUBJECT
from leo_synth.simulation.frame import Frame, last_row_of
from leo_synth.simulation.further_education import KIND_ADULT, KIND_APP
from leo_synth.simulation.life import LifeCourse
from leo_synth.simulation.per_block import per_block
from leo_synth.simulation.series import interpolate
from leo_synth.simulation.text import zfill
from leo_synth.spec.model import Relation, RelationColumn

PROGRAMME_LEVELS = {2: 3, 3: 2, 20: 4, 21: 5, 22: 6, 23: 6}
"""Notional NVQ level of apprenticeship framework programme types: advanced (2) level 3,
intermediate (3) level 2, higher (20-23) levels 4 to 7 (7 is coded 6, 'Higher Level')."""

# -- the LARS reference rows ------------------------------------------------------------------
LARS_SUBJECTS = (
    "Health and Social Care", "Business Administration", "Hairdressing", "Construction",
    "Engineering", "Information Technology", "Accounting", "Childcare", "Retail", "Catering",
    "Motor Vehicle Maintenance", "Customer Service", "English", "Mathematics", "Art and Design",
    "Sport", "Warehousing", "Electrical Installation", "Beauty Therapy", "Plumbing",
)
"""The vocational subjects of the drawn aims; the A level subjects (``A_LEVEL_MAPPINGS``)
follow them in the subject index (:func:`subject_names`)."""
A_LEVEL_SUBJECT_BASE = len(LARS_SUBJECTS)
SUBJECTS_PER_TYPE = len(LARS_SUBJECTS) + len(A_LEVEL_MAPPINGS)
ENGLISH_MATHS = (12, 13)
"""Subjects (indexes of ``LARS_SUBJECTS``) that make an aim an English or maths aim."""
SUBJECT_SSA = (1.1, 15.1, 7.3, 5.2, 4.1, 6.1, 15.1, 1.5, 7.1, 7.4, 4.3, 15.3, 12.1, 2.2, 9.2,
               8.1, 7.2, 5.2, 7.3, 5.2)
"""Sector subject area (tier 2) of each vocational subject, e.g. 1.1 Medicine and Dentistry."""
A_LEVEL_SSA = {
    "MATH": 2.2, "MATH_FURT": 2.2, "MATH_STAT": 2.2, "MATH_ADDI": 2.2, "COMP_STU": 6.1,
    "IT": 6.2, "ELECTRONICS": 4.1, "DT_SYSTEMS": 4.1, "DT_FOOD": 7.4, "HIST": 10.1,
    "ANC_HIST": 10.1, "CLASS_CIV": 10.1, "HIST_ART": 10.1, "LOGIC_PHIL": 10.3, "RE": 10.4,
    "GEOG": 11.1, "SOC": 11.2, "SCO_SCI_CIT": 11.2, "GOV_POLITICS": 11.3, "ECON": 11.4,
    "ENG": 12.1, "ENG_LIT": 12.1, "ENG_LANG": 12.1, "DRAMA": 9.1, "MUSIC": 9.1,
    "MUSIC_TECH": 9.1, "DANCE": 9.1, "MEDIA_FILM_TV": 9.3, "FILM": 9.3, "PE": 8.1,
    "BUS": 15.3, "ACCOUNTING": 15.1, "LAW": 15.5, "GEN_STUD": 14.1, "PSYCH_SOC": 2.1,
    "AD": 9.2, "AD_PHOTO": 9.2, "AD_GRAPH": 9.2, "AD_TEXTI": 9.2, "AD_THREE": 9.2,
    "AD_CRITI": 9.2, "FINE_ART": 9.2, "DT_PRODUCTION": 9.2,
}
"""Sector subject area (tier 2) of the A level subjects (by KS5 column suffix) but the
sciences (mapping codes 1xxx: 2.1 Science) and the languages (5600-6699: 12.2); an assumption
from the SSA names, as LARS's own rows are not in the reference material."""
SSA_TIER1 = {1: "Health, Public Services and Care", 2: "Science and Mathematics",
             4: "Engineering and Manufacturing Technologies",
             5: "Construction, Planning and the Built Environment",
             6: "Information and Communication Technology", 7: "Retail and Commercial Enterprise",
             8: "Leisure, Travel and Tourism", 9: "Arts, Media and Publishing",
             10: "History, Philosophy and Theology", 11: "Social Sciences",
             12: "Languages, Literature and Culture", 14: "Preparation for Life and Work",
             15: "Business, Administration and Law"}
SSA_TIER2 = {1.1: "Medicine and Dentistry", 1.5: "Child Development and Well Being",
             2.2: "Mathematics and Statistics", 4.1: "Engineering",
             4.3: "Transportation Operations and Maintenance", 5.2: "Building and Construction",
             6.1: "ICT Practitioners", 7.1: "Retailing and Wholesaling",
             7.2: "Warehousing and Distribution", 7.3: "Service Enterprises",
             7.4: "Hospitality and Catering", 8.1: "Sport, Leisure and Recreation",
             9.2: "Crafts, Creative Arts and Design", 12.1: "Languages, Literature and Culture of "
             "the British Isles", 15.1: "Accounting and Finance",
             15.3: "Business Management", 2.1: "Science", 6.2: "ICT for Users",
             9.1: "Performing Arts", 9.3: "Media and Communication", 10.1: "History",
             10.3: "Philosophy", 10.4: "Theology and Religious Studies", 11.1: "Geography",
             11.2: "Sociology and Social Policy", 11.3: "Politics", 11.4: "Economics",
             12.2: "Other Languages, Literature and Culture",
             14.1: "Foundations for Learning and Life", 15.5: "Law and Legal Services"}
LARS_TYPES = (("0016", "Certificate"), ("0006", "Diploma"), ("0036", "NVQ"),
              ("0029", "First Diploma"), ("0004", "Access Certificate"),
              ("1439", "Functional Skills"), ("0003", "GCSE"), ("0002", "GCE A level"),
              ("0001", "GCE AS level"))
"""Qualification types of the LARS aims (VRF QualificationType codes). Functional Skills and
GCSEs are the condition of funding's English and maths aims only (``condition_of_funding``),
GCE A and AS levels a sixth-form college student's KS5 A and AS levels; the others are drawn
for every aim by ``TYPE_SHARES``."""
LARS_AIMS_PER_LEVEL = len(LARS_TYPES) * SUBJECTS_PER_TYPE
"""Aim indexes per level: each type of ``LARS_TYPES`` in each subject."""
NVQ_TYPE = 2
ACCESS_TYPE = 4
"""The Access (to HE) certificates, regulated by the QAA (the others by Ofqual)."""
FUNCTIONAL_TYPE, GCSE_TYPE, A_LEVEL_TYPE, AS_LEVEL_TYPE = 5, 6, 7, 8
KS5_TYPES = (A_LEVEL_TYPE, AS_LEVEL_TYPE)
"""The types of a KS5 student's qualifications, held in the A level subjects at level 3."""
FULL_TYPES = (1, 2, 3)
"""Types that make a full level 2/3 on their own (diplomas, NVQs); certificates are partial."""
PARTIAL_WIDTH = 50.0
"""Contribution of a partial aim (a certificate) to a full level, in percent."""
AS_LEVEL_WIDTH = 25.0
"""An AS level's width: half an A level's (a partial aim's), in LARS and YPMAD alike."""
GCSE_WIDTH = 20.0
"""A GCSE's width: five GCSEs make a full level (1 at A*-G / 9-1, 2 at A*-C / 9-4), in LARS
(a resit's, to level 2) and YPMAD (KS4 GCSEs) alike."""
TYPE_SHARES = {"apprenticeship": (0.2, 0.15, 0.6, 0.05, 0.0),
               "adult": (0.45, 0.15, 0.2, 0.05, 0.15), "college": (0.35, 0.4, 0.1, 0.15, 0.0)}
"""Qualification type shares of an aim by where it is taken (NVQs are work-based)."""
DRAWN_TYPES = len(TYPE_SHARES["college"])
"""Types drawn by ``TYPE_SHARES`` (the first ones of ``LARS_TYPES``)."""
LEVEL_NAMES = ("Entry Level", "Level 1", "Level 2", "Level 3", "Level 4")
STANDARD_SHARE = {2013: 0.0, 2014: 0.02, 2016: 0.1, 2017: 0.3, 2018: 0.6, 2019: 0.85, 2020: 0.95}
"""Share of apprenticeship starts on standards (not frameworks), by academic year."""


def lars_type(index: np.ndarray) -> np.ndarray:
    """Qualification type (index of ``LARS_TYPES``) of LARS aim ``index``."""
    return (np.asarray(index) // SUBJECTS_PER_TYPE) % len(LARS_TYPES)


def lars_subject(index: np.ndarray) -> np.ndarray:
    """Subject (index of :func:`subject_names`) of LARS aim ``index``."""
    return np.asarray(index) % SUBJECTS_PER_TYPE


def lars_index(kind: np.ndarray | int, subject: np.ndarray | int) -> np.ndarray:
    """The LARS aim index of a qualification type and a subject."""
    return np.asarray(kind) * SUBJECTS_PER_TYPE + np.asarray(subject)


@cache
def subject_names() -> tuple[str, ...]:
    """Every LARS subject's name: the vocational subjects, then the A level subjects' titles
    (the FFT code list's labels of their mapping codes)."""
    titles = subject_titles()
    return LARS_SUBJECTS + tuple(titles.get(code, name.title()) for name, code
                                 in zip(A_LEVEL_NAMES, A_LEVEL_MAPPINGS, strict=True))


@cache
def subject_ssa() -> np.ndarray:
    """Every LARS subject's sector subject area (tier 2), in :func:`subject_names`' order."""
    a_level = [A_LEVEL_SSA[str(name)] if str(name) in A_LEVEL_SSA
               else 2.1 if code.startswith("1") else 12.2
               for name, code in zip(A_LEVEL_NAMES, A_LEVEL_MAPPINGS, strict=True)]
    return np.array(SUBJECT_SSA + tuple(a_level))


def lars_reference_exists(level: np.ndarray, index: np.ndarray) -> np.ndarray:
    """Whether LARS holds aim ``index`` at a notional level: every drawn type in every subject
    and level; Functional Skills in English and maths at entry level to level 2; the GCSEs in
    English and maths at level 2 (the aims of the condition of funding)."""
    kind, subject = lars_type(index), lars_subject(index)
    english_maths = np.isin(subject, ENGLISH_MATHS)
    a_level = subject >= A_LEVEL_SUBJECT_BASE
    return np.select([kind == FUNCTIONAL_TYPE, kind == GCSE_TYPE, np.isin(kind, KS5_TYPES)],
                     [english_maths & (np.asarray(level) <= 2),
                      english_maths & (np.asarray(level) == 2),
                      a_level & (np.asarray(level) == 3)], ~a_level)


def learning_aim_refs(level: np.ndarray, index: np.ndarray) -> np.ndarray:
    """The LARS reference of aim ``index`` (below ``LARS_AIMS_PER_LEVEL``) at a notional level
    (0..4): SYN + 5 digits."""
    return np.char.add(np.char.add("SYN", np.asarray(level).astype(str)),
                       zfill(np.asarray(index).astype(str), 4))


def level_width(level: np.ndarray, index: np.ndarray, full_level: int) -> np.ndarray:
    """Percentage contribution of LARS aim ``index`` at ``level`` to a full level 2 or 3: 100
    for a full aim (diploma, NVQ), ``GCSE_WIDTH`` for a GCSE, none for Functional Skills (they
    do not count towards a full level), ``AS_LEVEL_WIDTH`` for an AS level,
    ``PARTIAL_WIDTH`` for a certificate or an A level, 0 at other levels."""
    kind = lars_type(index)
    width = np.select([np.isin(kind, FULL_TYPES), kind == GCSE_TYPE, kind == FUNCTIONAL_TYPE,
                       kind == AS_LEVEL_TYPE],
                      [100.0, GCSE_WIDTH, 0.0, AS_LEVEL_WIDTH], PARTIAL_WIDTH)
    return np.where(np.asarray(level) == full_level, width, 0.0)


@per_block
def aim_lars(life: LifeCourse) -> Frame:
    """Per ILR aim row: LARS level (0..4) and aim index, and whether an apprenticeship is on a
    standard. Drawn once per simulated aim, so a continuing aim keeps its reference."""
    aims = life.fe.aims
    rng = life.ctx.rng("ilr.aim_refs")
    n_aims = int(aims["aim"].max()) + 1 if len(aims) else 0
    u_type, u_subject, u_standard = rng.random((3, n_aims))
    ident = aims["aim"]
    where = np.select([aims["apprenticeship"], aims["kind"] == KIND_ADULT],
                      [0, 1], 2)
    shares = np.array([TYPE_SHARES[k] for k in ("apprenticeship", "adult", "college")])
    cumulative = np.cumsum(shares / shares.sum(1, keepdims=True), axis=1)
    qual_type = np.minimum((u_type[ident][:, None] > cumulative[where]).sum(1), DRAWN_TYPES - 1)
    subject = np.minimum((u_subject[ident] * len(LARS_SUBJECTS)).astype(np.int64),
                         len(LARS_SUBJECTS) - 1)
    # The condition of funding's aims are the GCSE or Functional Skills in their subject.
    cof = aims["cof_subject"] != NO_SUBJECT
    qual_type = np.where(cof, np.where(aims["gcse"], GCSE_TYPE, FUNCTIONAL_TYPE),
                         qual_type)
    subject = np.where(cof, np.array(ENGLISH_MATHS)[np.maximum(aims["cof_subject"], 0)],
                       subject)
    # A sixth-form college student's A and AS levels are the KS5 exam rows' subjects.
    mapping, _grade = aim_a_levels(life)
    a_level = mapping != ""
    qual_type = np.where(a_level, np.where(aims["a_level"] == AS_LEVEL_SLOT, AS_LEVEL_TYPE,
                                           A_LEVEL_TYPE), qual_type)
    subject[a_level] = A_LEVEL_SUBJECT_BASE + MAPPING_ORDER[np.searchsorted(
        A_LEVEL_MAPPINGS, mapping[a_level], sorter=MAPPING_ORDER)]
    start_year = academic_year_of(aims["start_date"])
    standard = u_standard[ident] < interpolate(STANDARD_SHARE, start_year) * (start_year >= 2014)
    return Frame(level=np.clip(aims["level"], 0, 4), index=lars_index(qual_type, subject),
                 standard=standard & (aims["kind"] == KIND_APP))


MAPPING_ORDER = np.argsort(A_LEVEL_MAPPINGS)
"""Positions of ``A_LEVEL_MAPPINGS`` in code order (to look a code's position up)."""


@per_block
def aim_a_levels(life: LifeCourse) -> tuple[np.ndarray, np.ndarray]:
    """Per ILR aim row: the KS5 A or AS level it is (``a_level`` slot of the person's KS5
    record, :data:`AS_LEVEL_SLOT` for the AS level): its mapping code ('' for another aim)
    and grade (0 = U ... 6 = A*, as the KS5 exam row's; -1 for another aim)."""
    aims = life.fe.aims
    slot = aims["a_level"]
    mapping = np.full(len(aims), "", dtype="<U8")
    grade = np.full(len(aims), -1, dtype=np.int64)
    own = np.flatnonzero(slot >= 0)
    if len(own):
        person = life.fe.learners["person"][aims["learner"][own]]
        row = last_row_of(life.post16.ks5["person"], len(life.persons))[person]
        as_level = slot[own] == AS_LEVEL_SLOT
        column = np.minimum(slot[own], AS_LEVEL_SLOT - 1)
        mapping[own] = np.where(as_level, as_level_subjects(life)[row],
                                ks5_subjects(life)[row, column])
        grade[own] = np.where(as_level, as_level_grades(life)[row],
                              a_level_grades(life)[row, column])
    return mapping, grade


# -- benefits around the start of an aim ------------------------------------------------------
UC_TYPES = ("UAA", "UBC", "UCE", "UDF")
JSA_ESA_TYPES = ("JSA", "ESA")
BENEFIT_GROUPS = {"any": None, "uc": UC_TYPES, "jsaesa": JSA_ESA_TYPES, "other": "other"}


def benefit_overlap(life: LifeCourse, person: np.ndarray, low: np.ndarray, high: np.ndarray,
                    group: str) -> np.ndarray:
    """True where the person had a benefit spell of the group (any, uc, jsaesa or other) that
    overlaps the dates ``low`` .. ``high`` (inclusive)."""
    spells = life.benefits
    # DWP flags come from matching the learner to DWP: none without DWP records in the extract.
    spells = spells.take(in_labour_data(life)[spells["person"]])
    kinds = spells["type"].astype(str)
    wanted = BENEFIT_GROUPS[group]
    if wanted is None:
        keep = np.ones(len(spells), dtype=bool)
    elif wanted == "other":
        keep = ~np.isin(kinds, UC_TYPES + JSA_ESA_TYPES)
    else:
        keep = np.isin(kinds, wanted)
    spells = spells.take(keep)
    return overlaps(person, low, high, spells["person"], spells["start"], spells["end"])


def overlaps(person: np.ndarray, low: np.ndarray, high: np.ndarray, their_person: np.ndarray,
             start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """True where one of the person's spells (``their_person``, ``start`` .. ``end``, inclusive)
    overlaps the dates ``low`` .. ``high``."""
    order = np.lexsort((start, their_person))
    their_person, start, end = their_person[order], start[order], end[order]
    first = np.searchsorted(their_person, person, side="left")
    last = np.searchsorted(their_person, person, side="right")
    out = np.zeros(len(person), dtype=bool)
    most = int((last - first).max()) if len(person) else 0
    for k in range(most):  # a person has few spells: loop over the k-th spell, vectorised
        has = first + k < last
        at = np.minimum(first + k, max(len(start) - 1, 0))
        out |= has & (start[at] <= high) & (end[at] >= low)
    return out


def benefit_attributes(life: LifeCourse, person: np.ndarray, start: np.ndarray,
                       apprenticeship: np.ndarray) -> dict[str, np.ndarray]:
    """The aims' benefit flags: at the start date, and (apprenticeship aims) in the six months
    before it, for each benefit group."""
    out = {}
    before = add_days(start, np.full(len(start), -183))
    day_before = add_days(start, np.full(len(start), -1))
    for group in BENEFIT_GROUPS:
        out[f"benefit_{group}_start"] = benefit_overlap(life, person, start, start, group)
        out[f"benefit_{group}_prior"] = apprenticeship & benefit_overlap(
            life, person, before, day_before, group)
    return {k: v.astype(np.int64) for k, v in out.items()}


@derivation("ilr_nvq_level")
def nvq_level(frame: Frame, relation: Relation, column: RelationColumn,
              rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """Notional NVQ level: a framework apprenticeship's level by its programme type, otherwise
    (standards, other aims) the aim's own notional level; levels above 6 are coded 6."""
    programme = np.asarray(frame["programme_type"], dtype=np.int64)
    level = np.minimum(np.asarray(frame["notional_level"], dtype=np.int64), 6)
    by_type = np.full(len(frame), -1, dtype=np.int64)
    for code, value in PROGRAMME_LEVELS.items():
        by_type = np.where(programme == code, value, by_type)
    return np.where(by_type >= 0, by_type, level)


def level_of_learning(level: np.ndarray, index: np.ndarray, apprenticeship: np.ndarray,
                      programme_aim: np.ndarray) -> np.ndarray:
    """The VRF LevelOfLearning group of an aim: apprenticeships by level; English and maths at
    levels 1-2; full or partial levels 2-3 by the aim's width; 'Other' below level 1."""
    level = np.asarray(level)
    eng_maths = np.isin(lars_subject(index), ENGLISH_MATHS) & ~programme_aim
    full = np.isin(lars_type(index), FULL_TYPES)
    app_code = np.select([level <= 2, level == 3, level == 4, level == 5], [7.5, 9.5, 10.1, 10.2],
                         10.3)
    other = np.select(
        [level <= 0, (level == 1) & eng_maths, level == 1, (level == 2) & eng_maths,
         (level == 2) & full, level == 2, (level == 3) & full, level == 3, level == 4,
         level == 5], [0.0, 2.0, 1.0, 5.0, 7.3, 7.2, 9.1, 9.0, 10.1, 10.2], 10.3)
    return np.where(apprenticeship, app_code, other)


LEVEL_OF_LEARNING_DESC = {
    0.0: "Other", 1.0: "Level 1", 2.0: "Level 1 English & Maths", 4.0: "Level 2",
    5.0: "Level 2 English & Maths", 7.2: "Partial level 2 (towards full)", 7.3: "Full level 2",
    7.5: "Level 2 Apprenticeship", 9.0: "Partial level 3 (towards full)", 9.1: "Full level 3",
    9.5: "Level 3 Apprenticeship", 10.1: "Level 4", 10.2: "Level 5", 10.3: "Level 6+"}



def english_maths_code(subject: np.ndarray, english: object, maths: object, other: object,
                       where: np.ndarray | None = None) -> np.ndarray:
    """``english`` for an English subject, ``maths`` for a maths one, ``other`` for the rest
    (and outside ``where``): the basic skills (SFL) codes of the aims table and of LARS."""
    subject = np.asarray(subject)
    inside = np.ones(len(subject), dtype=bool) if where is None else where
    english_aim, maths_aim = (inside & (subject == code) for code in ENGLISH_MATHS)
    return np.select([english_aim, maths_aim], [english, maths], other)

# -- funding and monitoring --------------------------------------------------------------------
FULLY_FUNDED, CO_FUNDED = 1, 2
NO_FFI_MODELS = (10, 81)
"""Funding models whose aims carry no full funding indicator: community learning (10) and
apprenticeships funded through the levy era's model (81)."""


def full_funding(fund_model: np.ndarray, age: np.ndarray, level: np.ndarray,
                 first_full: np.ndarray, eng_maths: np.ndarray, on_benefit: np.ndarray,
                 apprenticeship: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The full funding indicator (FFI: 1 fully funded, 2 co-funded) of aims and where it is
    not recorded. Learners under 19 at the aim's start are fully funded; adults are for English
    or maths up to level 2, a first full level 2 (``first_full``: a full aim above the learner
    record's prior attainment), a first full level 3 under 24, or when on benefits at the
    start; other adult aims and adult apprenticeships (the employer's contribution) are
    co-funded."""
    level = np.asarray(level)
    adult_entitled = ((eng_maths & (level <= 2)) | (first_full & (level == 2))
                      | (first_full & (level == 3) & (age < 24)) | on_benefit)
    fully = (age < 19) | (~apprenticeship & adult_entitled)
    return np.where(fully, FULLY_FUNDED, CO_FUNDED), np.isin(fund_model, NO_FFI_MODELS)


LDM_FIELDS = 4


@per_block
def monitoring_codes(life: LifeCourse) -> np.ndarray:
    """(aims, 4) learning delivery monitoring codes of each ILR aim row (-1 where none): a
    first code for ``fe.ldm_first_share`` of the simulated aims, each further one for
    ``fe.ldm_next_share`` of those with the one before, different codes drawn by their shares
    (``fe.ldm_codes``); drawn once per simulated aim, so a continuing aim keeps its codes."""
    aims = life.fe.aims
    params = life.ctx.params
    rng = life.ctx.rng("ilr.ldm")
    n_aims = int(aims["aim"].max()) + 1 if len(aims) else 0
    shares = params["fe.ldm_codes"]
    codes = np.array([int(code) for code in shares])
    weights = np.array(list(shares.values()), dtype=float)
    # Weighted sampling without replacement: the largest log(u) / weight keys.
    keys = np.log(rng.random((n_aims, len(codes)))) / weights
    chosen = codes[np.argsort(-keys, axis=1)[:, :LDM_FIELDS]]
    u_count = rng.random((n_aims, LDM_FIELDS))
    has = np.cumprod(u_count < np.r_[params["fe.ldm_first_share"],
                                     [params["fe.ldm_next_share"]] * (LDM_FIELDS - 1)], axis=1)
    return np.where(has.astype(bool), chosen, -1)[aims["aim"]]
