"""DWP benefit targets (``leo_benefit``, resolved to persons through EDUKEY).

* Active on a date: a spell with StartDate <= date <= EndDate (open spells end 9999-12-31).
* Out-of-work benefits: the table's own ``Out_of_work_benefit`` flag.
* Claimant rate (ONS claimant count definition as far as LEO allows): persons on JSA or on
  Universal Credit "searching for work" (UAA) on the date, over the persons of the age band
  living in England in that tax year (LEO geography) with a birth date.
* UC conditionality: of persons on a Universal Credit spell (UAA, UBC, UCE, UDF, UAB, UBD,
  UNA) on the date, the share in the regime ``type`` (UBC = no work requirements).
* Out-of-work benefits 15 years after GCSEs: KS4 cohorts Y (academic years Y/Y+1), FSM
  eligibility in the PLASC/spring census of the KS4 year, graduates = a first degree or higher
  by then; the share with an out-of-work benefit spell overlapping the tax year starting in
  April Y+16, among pupils matched to DWP (with an EDUKEY).
"""

from __future__ import annotations

from leo_synth.report.derived import age_on, suffixed
from leo_synth.report.families.ks4 import ks4_table
from leo_synth.report.registry import Params, definition
from leo_synth.report.source import Workspace
from leo_synth.report.stats import Estimate, rate

UC_TYPES = ("UAA", "UBC", "UCE", "UDF", "UAB", "UBD", "UNA")
CLAIMANT_TYPES = ("JSA", "UAA")
PERSON_REQUIRES = ("hesa_*", "spring_census_*", "learners")

CLAIMANT_SQL = """
SELECT SUM(CASE WHEN EXISTS (SELECT 1 FROM t_ben b WHERE b.ae_id = p.ae_id
                             AND b.type IN ({types}) AND b.s <= :date AND b.e >= :date)
           THEN 1 ELSE 0 END),
       COUNT(*)
FROM t_person p
JOIN t_england g ON g.ae_id = p.ae_id AND g.tax_year = :tax_year
WHERE {age} BETWEEN :age_from AND :age_to
"""

UC_SHARE_SQL = """
SELECT SUM(CASE WHEN in_type = 1 THEN 1 ELSE 0 END), COUNT(*)
FROM (SELECT ae_id, MAX(CASE WHEN type = :type THEN 1 ELSE 0 END) AS in_type
      FROM t_ben WHERE type IN ({uc}) AND s <= :date AND e >= :date
      GROUP BY ae_id)
"""

OOW_UC_SQL = """
SELECT SUM(on_uc), COUNT(*)
FROM (SELECT ae_id, MAX(CASE WHEN type IN ({uc}) THEN 1 ELSE 0 END) AS on_uc
      FROM t_ben WHERE oow = 1 AND s <= :date AND e >= :date
      GROUP BY ae_id)
"""

OOW_IN_PAYE_SQL = """
WITH dates AS ({dates}),
claimants AS (
  SELECT DISTINCT b.ae_id, d.day FROM t_ben b JOIN dates d ON b.s <= d.day AND b.e >= d.day
  WHERE b.oow = 1)
SELECT SUM(CASE WHEN EXISTS (SELECT 1 FROM t_emp e WHERE e.ae_id = c.ae_id
                             AND e.s <= c.day AND e.e >= c.day) THEN 1 ELSE 0 END),
       COUNT(*)
FROM claimants c
"""

AFTER_GCSE_SQL = """
WITH cohort AS (
  SELECT k.pmr, k.year, p.ae_id
  FROM t_ks4 k JOIN t_pmr p ON p.pmr = k.pmr
  WHERE k.year BETWEEN :year_from AND :year_to
    AND EXISTS (SELECT 1 FROM t_edukey e WHERE e.ae_id = p.ae_id)),
fsm AS ({fsm}),
flags AS (
  SELECT c.ae_id,
         CASE WHEN EXISTS (SELECT 1 FROM fsm f WHERE f.pmr = c.pmr AND f.year = c.year)
              THEN 1 ELSE 0 END AS fsm,
         CASE WHEN EXISTS (SELECT 1 FROM t_he_qual q WHERE q.ae_id = c.ae_id
                           AND q.kind IN ('first_degree', 'pg_taught', 'pg_doctorate')
                           AND q.yyyy <= c.year + 16) THEN 1 ELSE 0 END AS graduate,
         CASE WHEN EXISTS (SELECT 1 FROM t_ben b WHERE b.ae_id = c.ae_id AND b.oow = 1
                           AND b.s <= (c.year + 17) || '-04-05'
                           AND b.e >= (c.year + 16) || '-04-06') THEN 1 ELSE 0 END AS claim
  FROM cohort c)
SELECT SUM(claim), COUNT(*) FROM flags WHERE {group}
"""
GROUPS = {
    "fsm_graduate": "fsm = 1 AND graduate = 1",
    "nonfsm_nongraduate": "fsm = 0 AND graduate = 0",
    "fsm": "fsm = 1", "nonfsm": "fsm = 0", "all": "1 = 1",
}


def _quoted(values: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def tax_year_of(date: str) -> int:
    """The (start year of the) tax year a date falls in."""
    year, month, day = (int(x) for x in date.split("-"))
    return year if (month, day) >= (4, 6) else year - 1


@definition("claimant_rate", requires=("leo_benefit", "leo_geography", *PERSON_REQUIRES),
            uses=("t_ben", "t_person", "t_england"))
def claimant_rate(ws: Workspace, p: Params) -> Estimate:
    """Claimant rate on ``date`` of residents of England aged ``ages``; ``types`` default
    JSA and UC searching for work."""
    sql = CLAIMANT_SQL.format(types=_quoted(p.get("types", CLAIMANT_TYPES)),
                              age=age_on(":date", "p.yob", "p.mob"))
    num, den = ws.query(sql, {"date": p["date"], "tax_year": tax_year_of(p["date"]),
                              "age_from": p["ages"][0], "age_to": p["ages"][1]})[0]
    return rate(num, den)


@definition("uc_conditionality_share", requires=("leo_benefit",), uses=("t_ben",))
def uc_conditionality_share(ws: Workspace, p: Params) -> Estimate:
    """Share of persons on Universal Credit on ``date`` in conditionality regime ``type``."""
    num, den = ws.query(UC_SHARE_SQL.format(uc=_quoted(UC_TYPES)),
                        {"date": p["date"], "type": p["type"]})[0]
    return rate(num, den)


@definition("oow_uc_share", requires=("leo_benefit",), uses=("t_ben",))
def oow_uc_share(ws: Workspace, p: Params) -> Estimate:
    """Share of out-of-work claimants on ``date`` whose claim is Universal Credit."""
    num, den = ws.query(OOW_UC_SQL.format(uc=_quoted(UC_TYPES)), {"date": p["date"]})[0]
    return rate(num, den)


@definition("oow_claimants_in_paye", requires=("leo_benefit", "leo_employment"),
            uses=("t_ben", "t_emp"))
def oow_claimants_in_paye(ws: Workspace, p: Params) -> Estimate:
    """Share of out-of-work claimants with a PAYE spell on the same day, pooled over
    ``dates`` (person-days)."""
    dates = " UNION ALL ".join(f"SELECT '{d}' AS day" for d in p["dates"])
    num, den = ws.query(OOW_IN_PAYE_SQL.format(dates=dates))[0]
    return rate(num, den)


def _ks4_census(year: int) -> str:
    return f"plasc_{year + 1}" if year + 1 <= 2005 else f"spring_census_{year + 1}"


def _after_gcse_requires(p: Params) -> list[str]:
    years = range(p["years"][0], p["years"][1] + 1)
    return (["leo_benefit", "hesa_*"] + [ks4_table(y) for y in years]
            + [_ks4_census(y) for y in years])


@definition("benefits_after_gcse", requires=_after_gcse_requires,
            uses=("t_ks4", "t_pmr", "t_edukey", "t_he_qual", "t_ben"))
def benefits_after_gcse(ws: Workspace, p: Params) -> Estimate:
    """Share on out-of-work benefits 15 years after GCSEs of KS4 cohorts ``years`` [from,
    to], ``group``: fsm_graduate, nonfsm_nongraduate, fsm, nonfsm or all."""
    parts = []
    for year in range(p["years"][0], p["years"][1] + 1):
        table = _ks4_census(year)
        ws.load([table])
        pmr = suffixed(ws, table, "PupilMatchingRefAnonymous")
        fsm = suffixed(ws, table, "FSMeligible")
        parts.append(f'SELECT "{pmr}" AS pmr, {year} AS year FROM "{table}" '
                     f'WHERE "{fsm}" = 1')
    sql = AFTER_GCSE_SQL.format(fsm=" UNION ".join(parts), group=GROUPS[p["group"]])
    num, den = ws.query(sql, {"year_from": p["years"][0], "year_to": p["years"][1]})[0]
    return rate(num, den)
