"""HESA student records: one view per reporting year (``hesa_2011`` = 2010/11)."""

from __future__ import annotations

import numpy as np

from leo_synth.relations.common import pmrs
from leo_synth.relations.registry import builder
from leo_synth.relations.values import Masked
from leo_synth.simulation.calendar import age_on, ymd
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.higher_education import (
    LEVEL_FIRST_DEGREE,
    LEVEL_OTHER_UG,
    LEVEL_PGR,
    LEVEL_PGT,
)
from leo_synth.simulation.life import LifeCourse
from leo_synth.spec.model import Relation

# HESA codes per simulated level: course aim, qualification obtained, 3/5/6-way levels.
COURSE_AIM = {LEVEL_PGR: "D00", LEVEL_PGT: "M00", LEVEL_FIRST_DEGREE: "H00", LEVEL_OTHER_UG: "J30"}
LEVEL3 = {LEVEL_PGR: 1, LEVEL_PGT: 1, LEVEL_FIRST_DEGREE: 2, LEVEL_OTHER_UG: 2}
LEVEL5 = {LEVEL_PGR: 1, LEVEL_PGT: 2, LEVEL_FIRST_DEGREE: 4, LEVEL_OTHER_UG: 5}
CLASS_CODES = np.array(["", "01", "02", "03", "05"])

HESA_ATTRIBUTES = (
    "pmr", "provider_anon", "comdate", "enddate", "yearprg", "yearstu", "xmode", "mode",
    "courseaim", "xlev3", "xlev5", "xlev6", "xqobtn", "xqlev6", "xclass", "jacs", "jacs_area",
    "gender", "sexid", "age_aug", "age_jul", "stuload", "notact", "fundcomp", "rsnend",
    "la_anon", "xpqual",
)


def _lookup(mapping: dict, keys: np.ndarray) -> np.ndarray:
    """Map small non-negative integer codes through a dict (every key present in ``mapping``)."""
    table = np.array([mapping.get(k, next(iter(mapping.values()))) for k in
                      range(max(mapping) + 1)])
    return table[keys]


@builder("hesa.student", provides=HESA_ATTRIBUTES)
def student(life: LifeCourse, relation: Relation) -> Frame:
    """One row per student instance active in the reporting year."""
    he = life.he
    years = he.years.take(he.years["year"] == relation.year)
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
    subjects = life.ctx.params["he.subjects"]
    area = np.array([s["jacs"] for s in subjects])[inst["subject"]]
    jacs = np.char.add(area, np.char.zfill((100 * (1 + inst["subject"] % 4)).astype(str), 3))
    part_time = inst["part_time"]
    level = inst["level"]
    birth = life.persons["birth"][person]
    female = life.persons["female"][person]
    return Frame({
        "pmr": np.where(blank, "", pmr),
        "provider_anon": life.ctx.keys.make("he_provider", inst["provider"]),
        "comdate": inst["start_date"],
        "enddate": Masked(inst["end_date"], ~left),
        "yearprg": years["year_of_course"],
        "yearstu": years["year_of_course"],
        "xmode": np.where(part_time, 3, 1),
        "mode": np.where(part_time, 31, 1),
        "courseaim": _lookup(COURSE_AIM, level),
        "xlev3": _lookup(LEVEL3, level),
        "xlev5": _lookup(LEVEL5, level),
        "xlev6": level,
        "xqobtn": Masked(_lookup(COURSE_AIM, level).astype(str), ~qualified_now),
        "xqlev6": Masked(level, ~qualified_now),
        "xclass": Masked(CLASS_CODES[inst["degree_class"]],
                         ~qualified_now | (inst["degree_class"] == 0)),
        "jacs": jacs,
        "jacs_area": area,
        "gender": np.where(female, 2, 1),
        "sexid": np.where(female, 2, 1),
        "age_aug": age_on(birth, np.full(n, ymd(relation.year, 8, 31))),
        "age_jul": age_on(birth, np.full(n, ymd(relation.year + 1, 7, 31))),
        "stuload": np.where(part_time, 50.0, 100.0),
        "notact": np.zeros(n, dtype=np.int64),
        "fundcomp": np.where(final & ~inst["qualified"], 3, 1),
        "rsnend": Masked(np.where(inst["qualified"], "01", "03"), ~left),
        "la_anon": life.ctx.keys.make("la", life.persons["la"][person], 0),
        "xpqual": qualified_now.astype(np.int64),
    })
