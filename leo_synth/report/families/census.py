"""School census targets: FSM eligibility, SEN, primary need, ethnicity.

Population (as in EES "Schools, pupils and their characteristics" and "SEN in England"): the
spring (January) census of the academic year, pupils on roll (``OnRoll = 1``) in their main
record (``RecordStatus`` NULL or a main code below 100) and sole or main registration
(``EnrolStatus`` C or M), so every pupil counts once. FSM rates are of pupils of compulsory
school age and below (age 15 or less at the start of the year), as in the FSM tables; SEN and
ethnicity use all such pupils. Ethnicity shares are of classified pupils (refused, not yet
obtained, missing and invalid codes excluded). The extract has no school type before a
``PHASE_`` column appears, so "secondary" means National Curriculum years 7 to 11.
"""

from __future__ import annotations

from leo_synth.report.derived import suffixed
from leo_synth.report.registry import Params, definition
from leo_synth.report.source import Workspace
from leo_synth.report.stats import Estimate, rate

UNCLASSIFIED_ETHNICITY = ("REFU", "NOBT", "MISS", "INVA", "N/A")
SEN_LEVELS = {"ehc": ("E", "S"), "support": ("K", "A", "P"), "any": ("E", "S", "K", "A", "P")}
PHASES = {"special": ("SP",), "pru": ("PR",)}

PUPILS_SQL = """
FROM "{table}"
WHERE {OnRoll} = 1
  AND ({RecordStatus} IS NULL OR {RecordStatus} < 100)
  AND {EnrolStatus} IN ('C', 'M')
  {extra}
"""
"""On-roll pupils, one main record each, in the spring census of the year."""

FSM_SQL = """
SELECT SUM(CASE WHEN {FSMeligible} = 1 THEN 1 ELSE 0 END), COUNT(*)
""" + PUPILS_SQL
SEN_SQL = """
SELECT SUM(CASE WHEN {SENprovision} IN ({levels}) THEN 1 ELSE 0 END), COUNT(*)
""" + PUPILS_SQL
NEED_SQL = """
SELECT SUM(CASE WHEN {PrimarySENtype} = :need THEN 1 ELSE 0 END), COUNT(*)
""" + PUPILS_SQL
ETHNICITY_SQL = """
SELECT SUM(CASE WHEN {EthnicGroupMinor} = :code THEN 1 ELSE 0 END), COUNT(*)
""" + PUPILS_SQL


def _table(year: int) -> str:
    return f"spring_census_{year + 1}"


def _columns(ws: Workspace, table: str, *stems: str) -> dict[str, str]:
    cols = {}
    for stem in stems:
        col = suffixed(ws, table, stem)
        cols[stem] = f'"{col}"' if col else "NULL"
    return cols


def _requires(*stems: str):
    def req(p: Params) -> list[str]:
        yy = f"{(p['year'] + 1) % 100:02d}"
        return [f"{_table(p['year'])}.{stem}_spr{yy}" for stem in stems]
    return req


BASE = ("OnRoll", "RecordStatus", "EnrolStatus")


def _run(ws: Workspace, year: int, template: str, stems: tuple[str, ...], extra: str,
         params: dict | None = None, **fmt: str) -> Estimate:
    table = _table(year)
    cols = _columns(ws, table, *BASE, *stems)
    sql = template.format(table=table, extra=extra.format(**cols), **cols, **fmt)
    num, den = ws.query(sql, params or {})[0]
    return rate(num, den)


@definition("census_fsm_rate",
            requires=lambda p: _requires(*BASE, "FSMeligible", "AgeAtStartOfAcademicYear",
                                         "NCyearActual")(p)
            + ([f"{_table(p['year'])}.PHASE_spr{(p['year'] + 1) % 100:02d}"]
               if p.get("phase") in PHASES else []))
def census_fsm_rate(ws: Workspace, p: Params) -> Estimate:
    """Share of pupils aged ``max_age`` (default 15) or less at the start of the year who
    are eligible for FSM on census day; ``phase``: all, secondary (NC years 7-11), special or
    pru (needs the census PHASE_ column)."""
    extra = "AND {AgeAtStartOfAcademicYear} <= " + str(int(p.get("max_age", 15)))
    phase = p.get("phase", "all")
    if phase == "secondary":
        extra += " AND {NCyearActual} IN ('7', '8', '9', '10', '11')"
    elif phase in PHASES:
        extra += " AND {PHASE} IN (" + ", ".join(f"'{c}'" for c in PHASES[phase]) + ")"
    return _run(ws, p["year"], FSM_SQL, ("FSMeligible", "AgeAtStartOfAcademicYear",
                                         "NCyearActual", "PHASE"), extra)


@definition("census_sen_rate", requires=_requires(*BASE, "SENprovision"))
def census_sen_rate(ws: Workspace, p: Params) -> Estimate:
    """Share of pupils with SEN at ``level``: ehc (EHC plan or statement, E/S), support
    (SEN support K, or School Action A/P before 2015), any."""
    levels = ", ".join(f"'{c}'" for c in SEN_LEVELS[p["level"]])
    return _run(ws, p["year"], SEN_SQL, ("SENprovision",), "", levels=levels)


@definition("census_sen_need_share", requires=_requires(*BASE, "SENprovision",
                                                        "PrimarySENtype"))
def census_sen_need_share(ws: Workspace, p: Params) -> Estimate:
    """Share of pupils at SEN ``level`` (support or ehc) whose primary need is ``need``."""
    levels = ", ".join(f"'{c}'" for c in SEN_LEVELS[p["level"]])
    extra = "AND {SENprovision} IN (" + levels + ")"
    return _run(ws, p["year"], NEED_SQL, ("SENprovision", "PrimarySENtype"), extra,
                {"need": p["need"]})


@definition("census_ethnicity_share", requires=_requires(*BASE, "EthnicGroupMinor"))
def census_ethnicity_share(ws: Workspace, p: Params) -> Estimate:
    """Share of classified pupils whose minor ethnic group is ``code``."""
    excluded = ", ".join(f"'{c}'" for c in UNCLASSIFIED_ETHNICITY)
    extra = ("AND {EthnicGroupMinor} IS NOT NULL AND {EthnicGroupMinor} <> '' "
             "AND {EthnicGroupMinor} NOT IN (" + excluded + ")")
    return _run(ws, p["year"], ETHNICITY_SQL, ("EthnicGroupMinor",), extra,
                {"code": p["code"]})
