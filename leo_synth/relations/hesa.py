"""HESA student records: one view per reporting year (``hesa_2011`` = 2010/11)."""

from __future__ import annotations

import numpy as np

from leo_synth.relations.common import pmrs
from leo_synth.relations.derive_hesa import msoa_codes, occupations
from leo_synth.relations.ks5 import a_level_grades, as_level_grades
from leo_synth.relations.registry import builder
from leo_synth.relations.ucas_qualifications import MATURE_AGE
from leo_synth.relations.values import Masked
from leo_synth.simulation.calendar import age_on, ymd
from leo_synth.simulation.frame import ByYear, Frame, last_row_of
from leo_synth.simulation.higher_education import (
    LEVEL_FIRST_DEGREE,
    LEVEL_OTHER_UG,
    LEVEL_PGR,
    LEVEL_PGT,
)
from leo_synth.simulation.life import LifeCourse
from leo_synth.simulation.per_block import per_block, read_only_by
from leo_synth.simulation.social_care import care_leavers
from leo_synth.simulation.subjects import FPE, SubjectCatalogue, subject_catalogue
from leo_synth.simulation.text import zfill
from leo_synth.spec.model import Relation

# HESA codes per simulated level: course aim, qualification obtained, 3/5/6-way levels.
COURSE_AIM = {LEVEL_PGR: "D00", LEVEL_PGT: "M00", LEVEL_FIRST_DEGREE: "H00", LEVEL_OTHER_UG: "J30"}
LEVEL3 = {LEVEL_PGR: 1, LEVEL_PGT: 1, LEVEL_FIRST_DEGREE: 2, LEVEL_OTHER_UG: 2}
LEVEL5 = {LEVEL_PGR: 1, LEVEL_PGT: 2, LEVEL_FIRST_DEGREE: 4, LEVEL_OTHER_UG: 5}
CLASS_CODES = np.array(["", "01", "02", "03", "05"])

HESA_ATTRIBUTES = (
    "soc2000", "soc2010", "msoa", "loadyra", "loadyrb",
    "pupilmatchingrefanonymous", "instid_anon", "xinstid01__anon", "comdate", "enddate",
    "dateleft", "yearprg", "yearstu", "xmode01", "mode", "qualaim", "courseaim", "xlev301",
    "xlev501", "xlev601", "xqobtn01", "xqlev601", "xclass01", "sbjqa1", "xjacs01_1",
    "xjacsa01_1", "xjacs201_1", "xfpe01_1", "gender", "sexid", "xagea01", "xagej01",
    "stuload", "notact", "fundcomp",
    "rsnend", "rsnleave", "la_anon", "xpqual01", "xpsr01", "xfyear01", "typeyr", "xelsp01",
    "xinstg01", "xinstc01", "xdomuc01", "xhoos01", *(
        "xpses01", "xpdec01", "xfyrsr01", "xqmode01", "xqlev301", "xqlev501", "xqlev901",
        "xqlev1003", "nation", "xnatgr01", "sec", "pared",
        "xagrp601", "xagrpa01", "xagrpj01", "disable", "disall", "xstudis01", "ethnic",
        "xethnic01", "careleaver", "xdomgr01", "xdomreg01", "qualent2", "qualent3",
        "xhqual01", "xqualent01", "totalts", "xtariff01", "xtariff", "feeelig", "msfund",
        "xmsfund01", "mstufee", "xmstufee01", "specfee", "fundcode", "locsdy", "exchange",
        "ttaccom", "oa", "oa01", "oa11", "lsoa", "lsoa01", "lsoa11", "elq", "intercalate",
        "xfpe01_5", "reducedi", "access", "articln", "phdsub", "sbjqa2", "sbjqa3",
        *(f"{name}_{n}" for n in (1, 2, 3) for name in ("xhecos", "xcah01", "xcah02", "xcah03")),
        *(f"{name}_{n}" for n in (2, 3) for name in ("xjacs01", "xjacsa01", "xjacs201",
                                                      "xfpe01")),
    ),
)
# HESA ethnicity codes of the NPD minor ethnic codes, and the analytical grouping.
HESA_ETHNIC = {
    "WBRI": "10", "WIRI": "10", "WIRT": "15", "WROM": "15", "WOTH": "10", "BCRB": "21",
    "BAFR": "22", "BOTH": "29", "AIND": "31", "APKN": "32", "ABAN": "33", "CHNE": "34",
    "AOTH": "39", "MWBC": "41", "MWBA": "42", "MWAS": "43", "MOTH": "49", "OOTH": "80",
    "REFU": "98",
}
AGE_GROUPS = np.array([20, 24, 29, 39, 49])  # upper bounds of the 6-way groups


def _lookup(mapping: dict, keys: np.ndarray) -> np.ndarray:
    """Map small non-negative integer codes through a dict (every key present in ``mapping``)."""
    table = np.array([mapping.get(k, next(iter(mapping.values()))) for k in
                      range(max(mapping) + 1)])
    return table[keys]


@builder("hesa.student", provides=HESA_ATTRIBUTES)
def student(life: LifeCourse, relation: Relation) -> Frame:
    """One row per student instance active in the reporting year."""
    return _students(life).year(relation.year)


@read_only_by("hesa.student")
@per_block
def _students(life: LifeCourse) -> ByYear:
    """Every reporting year's student rows (each year's view reads its slice)."""
    he = life.he
    years, year = ByYear.of(he.years)
    inst = he.instances.take(years["instance"])
    person = years["person"]
    n = len(years)
    final = years["final"]
    qualified_now = final & inst["qualified"]
    left = final
    link = life.linkage
    blank = link.hesa_blank_pmr_u[person] < life.ctx.params["linkage.hesa_blank_pmr_share"]
    slot = np.maximum(link.pmr_count[person] - 1, 0)
    pmr = pmrs(life, person, slot).astype(str)
    catalogue = subject_catalogue(life.ctx.params)
    part_time = inst["part_time"]
    level = inst["level"]
    birth = life.persons["birth"][person]
    female = life.persons["female"][person]
    provider = life.ctx.keys.make("he_provider", inst["provider"])
    region = life.ctx.pools.regions["code"][life.persons["region"][person]]
    class_code = Masked(CLASS_CODES[inst["degree_class"]],
                        ~qualified_now | (inst["degree_class"] == 0))
    return ByYear(Frame({
        "pupilmatchingrefanonymous": np.where(blank, "", pmr),
        "instid_anon": provider, "xinstid01__anon": provider,
        "comdate": inst["start_date"],
        "enddate": Masked(inst["end_date"], ~left), "dateleft": Masked(inst["end_date"], ~left),
        "yearprg": years["year_of_course"], "yearstu": years["year_of_course"],
        "xmode01": np.where(part_time, 3, 1), "mode": np.where(part_time, 31, 1),
        "qualaim": _lookup(COURSE_AIM, level), "courseaim": _lookup(COURSE_AIM, level),
        "xlev301": _lookup(LEVEL3, level), "xlev501": _lookup(LEVEL5, level), "xlev601": level,
        "xqobtn01": Masked(_lookup(COURSE_AIM, level).astype(str), ~qualified_now),
        "xqlev601": Masked(level, ~qualified_now),
        "xclass01": class_code,
        "gender": np.where(female, 2, 1), "sexid": np.where(female, 2, 1),
        "xagea01": age_on(birth, ymd(year, 8, 31)),
        "xagej01": age_on(birth, ymd(year + 1, 7, 31)),
        "stuload": np.where(part_time, 50.0, 100.0),
        "notact": np.zeros(n, dtype=np.int64),
        "fundcomp": np.where(final & ~inst["qualified"], 3, 1),
        "rsnend": Masked(np.where(inst["qualified"], "01", "03"), ~left),
        "rsnleave": Masked(np.where(inst["qualified"], "01", "03"), ~left),
        "la_anon": life.ctx.keys.make("la", life.persons["la"][person], 0),
        "xpqual01": qualified_now.astype(np.int64),
        "xpsr01": np.ones(n, dtype=np.int64),
        "xfyear01": (years["year_of_course"] == 1).astype(np.int64),
        "typeyr": np.ones(n, dtype=np.int64),
        "xelsp01": inst["length"],
        "xinstg01": region, "xinstc01": np.full(n, "XF"),
        "xdomuc01": np.full(n, "XF"), "xhoos01": np.ones(n, dtype=np.int64),
        **_student_details(life, person, inst, years, year, qualified_now, part_time),
        **_subjects(catalogue, inst, year),
    }), year)


def _subjects(catalogue: SubjectCatalogue, inst: Frame, year: np.ndarray) -> dict[str, object]:
    """Subjects 1-3 of each instance with their share of its time (XFPE01_n, percent): JACS
    (SBJQA before 2007/08), then HECOS and CAH from 2019/20; NULL past the course's subjects."""
    before_hecos = year < 2019  # HECOS and CAH codes from 2019/20
    fpe = FPE[inst["combination"]]
    out: dict[str, object] = {}
    for n, subject in enumerate((inst["subject"], inst["subject2"], inst["subject3"]), 1):
        absent = subject < 0
        subject = np.maximum(subject, 0)
        jacs = Masked(catalogue.jacs[subject], absent)
        cah2 = catalogue.cah2_code[catalogue.cah2[subject]]  # e.g. CAH15-02
        hecos = np.char.add("100", zfill(subject % 900, 3))
        share = fpe[:, n - 1]
        out |= {
            f"sbjqa{n}": jacs, f"xjacs01_{n}": jacs, f"xjacs201_{n}": jacs,
            f"xjacsa01_{n}": Masked(catalogue.area[subject], absent),
            # Subject 1's share is a float column; the later ones are text in the extract.
            f"xfpe01_{n}": share if n == 1 else Masked(np.char.mod("%.1f", share), absent),
            f"xhecos_{n}": Masked(hecos, absent | before_hecos),
            f"xcah01_{n}": Masked(cah2.astype("<U5"), absent | before_hecos),  # CAH15
            f"xcah02_{n}": Masked(cah2, absent | before_hecos),
            # CAH3 is not modelled: the first CAH3 subject of the CAH2 subject.
            f"xcah03_{n}": Masked(np.char.add(cah2, "-01"), absent | before_hecos),
        }
    return out


UCAS_TARIFF = np.array([0, 40, 60, 80, 100, 120, 140])
"""UCAS tariff points of an A level grade (U, E ... A*) in the tariff of entry to 2016: the
scale of every HESA year with a tariff column (to 2016/17)."""
AS_UCAS_TARIFF = np.array([0, 20, 30, 40, 50, 60])
"""UCAS tariff points of an AS level grade (U, E ... A) in the same tariff: half an A level's."""


@per_block
def entry_tariff(life: LifeCourse) -> np.ndarray:
    """Per person, the UCAS tariff of the KS5 results: the A and AS levels' points by grade
    (the KS5 exam rows'), or for the vocational programme (a BTEC National) its points per
    entry times three on the tariff's scale; 0 without a KS5 record."""
    ks5 = life.post16.ks5
    grades = a_level_grades(life)
    as_grade = as_level_grades(life)
    a_levels = ((UCAS_TARIFF[np.maximum(grades, 0)] * (grades >= 0)).sum(1)
                + AS_UCAS_TARIFF[np.maximum(as_grade, 0)] * (as_grade >= 0))
    tariff = np.zeros(len(life.persons))
    tariff[ks5["person"]] = np.where(ks5["vocational"],
                                     np.clip(ks5["points_per_entry"] * 3 * 2.4, 0, 600), a_levels)
    return tariff


ENTRY_QUALIFICATIONS = {"degree": "H00", "a_level": "P50", "diploma": "P41", "access": "X00",
                        "other": "P80"}
"""HESA's codes (hesa.xqobtn) of a student's highest qualification on entry: a first degree
with honours, A/AS levels, a diploma at level 3 (a BTEC National), a QAA-recognised access
course, another qualification at level 3."""


def entry_qualification(life: LifeCourse, person: np.ndarray, level: np.ndarray,
                        age_start: np.ndarray) -> np.ndarray:
    """Per HESA row, the student's highest qualification on entry (``QUALENT3`` and its
    derived variants), as the person's other records show it: a postgraduate's first degree;
    the A levels of a KS5 record, or its vocational programme; at 21 or over without either,
    an Access to HE course (as UCAS's declared qualification); else another level 3.
    (Rejected: P50, A/AS level, for every level 3, which gave BTEC students A levels.)"""
    ks5 = life.post16.ks5
    row = last_row_of(ks5["person"], len(life.persons))[person]
    held = np.flatnonzero(row >= 0)
    a_levels = np.zeros(len(person), dtype=bool)
    a_levels[held] = ks5["n_alevels"][row[held]] > 0
    vocational = np.zeros(len(person), dtype=bool)
    vocational[held] = ks5["vocational"][row[held]]
    code = ENTRY_QUALIFICATIONS
    return np.select(
        [np.isin(level, (LEVEL_PGR, LEVEL_PGT)), a_levels, vocational,
         np.asarray(age_start) >= MATURE_AGE],
        [code["degree"], code["a_level"], code["diploma"], code["access"]], code["other"])


def _student_details(life: LifeCourse, person: np.ndarray, inst: Frame, years: Frame,
                     year: np.ndarray, qualified: np.ndarray,
                     part_time: np.ndarray) -> dict[str, object]:
    """Characteristics, entry qualifications, funding and geography of HESA students."""
    persons = life.persons
    n = len(person)
    pools = life.ctx.pools
    codes = list(life.ctx.params["population.ethnicity"])
    ethnic = np.array([HESA_ETHNIC[c] for c in codes])[persons["ethnicity"][person]]
    age = year - persons["cohort"][person]
    age_group = 1 + np.searchsorted(AGE_GROUPS, age)
    disabled = persons["need"][person] > 1.4
    nssec = np.clip(np.rint(3 + 1.6 * persons["disadvantage"][person]
                            - 0.6 * persons["ability"][person]), 1, 8).astype(np.int64)
    tariff = entry_tariff(life)
    entry = entry_qualification(life, person, inst["level"], inst["age_start"])
    oa = persons["oa"][person]
    level = inst["level"]
    first_year = years["year_of_course"] == 1
    return {
        "xpses01": np.ones(n, dtype=np.int64), "xpdec01": np.ones(n, dtype=np.int64),
        "xfyrsr01": first_year.astype(np.int64),
        "xqmode01": Masked(np.where(part_time, 3, 1), ~qualified),
        "xqlev301": Masked(np.where(level <= 2, 1, 2), ~qualified),
        "xqlev501": Masked(np.select([level == 1, level == 2, level == 4], [1, 2, 4], 5),
                           ~qualified),
        "xqlev901": Masked(np.where(level == 4, 4, 5), ~qualified | (year > 2007)),
        "xqlev1003": Masked(np.where(level == 4, 4, 5), ~qualified | (year < 2008)),
        "nation": np.full(n, "GB"), "xnatgr01": np.full(n, "A"),
        "sec": nssec, **occupations(life, person, nssec),
        "msoa": msoa_codes(pools.output_areas["lsoa"][oa]),
        # A year-long course's load falls in the reporting year (A), none in the next (B).
        "loadyra": np.where(part_time, 50.0, 100.0), "loadyrb": np.zeros(n),
        "pared": np.where(persons["ability"][person] > 0.3, 1, 2),
        "xagrp601": age_group, "xagrpa01": age_group, "xagrpj01": age_group,
        "disable": np.where(disabled, "51", "00"), "disall": np.where(disabled, "4", "9"),
        "xstudis01": disabled.astype(np.int64) + 1,
        "ethnic": ethnic, "xethnic01": np.array(["1", "2", "3", "4", "5"])[
            np.searchsorted([20, 30, 40, 50], ethnic.astype(int), side="right")],
        # (HESA's care leaver marker: 1 a care leaver, 3 not one)
        "careleaver": np.where(care_leavers(life)[person], "1", "3"),
        "xdomgr01": life.ctx.pools.regions["code"][persons["region"][person]],
        "xdomreg01": np.full(n, "XF"),
        "qualent2": entry, "qualent3": entry, "xhqual01": entry, "xqualent01": entry,
        "totalts": np.rint(tariff[person]).astype(np.int64),
        "xtariff01": np.rint(tariff[person]).astype(np.int64),
        "xtariff": np.rint(tariff[person]).astype(np.int64),
        "feeelig": np.ones(n, dtype=np.int64), "msfund": np.full(n, "01"),
        "xmsfund01": np.full(n, "01"), "mstufee": np.full(n, "02"),
        "xmstufee01": np.full(n, "02"), "specfee": np.zeros(n, dtype=np.int64),
        "fundcode": np.ones(n, dtype=np.int64), "locsdy": np.full(n, "A"),
        "exchange": np.full(n, "N"), "ttaccom": np.where(first_year, 1, 4),
        "oa": pools.output_areas["coa"][oa], "oa01": pools.output_areas["coa"][oa],
        "oa11": pools.output_areas["coa"][oa], "lsoa": pools.output_areas["lsoa"][oa],
        "lsoa01": pools.output_areas["lsoa"][oa], "lsoa11": pools.output_areas["lsoa"][oa],
        "elq": np.full(n, "03"), "intercalate": np.zeros(n, dtype=np.int64),
        "xfpe01_5": Masked(np.full(n, 100.0), np.ones(n, dtype=bool)),
        "reducedi": np.zeros(n, dtype=np.int64), "access": np.zeros(n, dtype=np.int64),
        "articln": np.zeros(n, dtype=np.int64),
        "phdsub": Masked(inst["end_date"], ~(qualified & (level == 1))),
    }
