"""Labour-market targets from HMRC PAYE, Self Assessment and CJRS.

* Employees: persons (AE_ID) with a PAYE spell (``leo_employment``, identical spells of
  several EDUKEYs counted once) covering the date, or overlapping the tax year.
* Concurrent jobs: employees with two or more spells covering the same day.
* Weeks paid in a tax year: the days covered by the union of the person's spells within the
  tax year (overlaps merged), divided by 7; "fewer than 31 weeks" is under 217 days, among
  the employees in a job on 20 April (the ASHE sample's reference date).
* In work in a tax year: PAYE earnings above 0 (``leo_earnings``) or self-employed in Self
  Assessment (``Self_Employed`` = 1); self-employed share = self-employed / in work.
* Ages: whole years on 6 April of the tax year (or on the date), from the person's birth
  year and month (see ``t_person``); persons without a birth date are left out.
"""

from __future__ import annotations

from leo_synth.report.derived import age_on
from leo_synth.report.registry import Params, definition
from leo_synth.report.source import Workspace
from leo_synth.report.stats import Estimate, rate, weighted_rates
from leo_synth.spec.years import tax_year_code

PERSON_REQUIRES = ("hesa_*", "spring_census_*", "learners")

CONCURRENT_SQL = """
SELECT SUM(CASE WHEN jobs >= 2 THEN 1 ELSE 0 END), COUNT(*)
FROM (SELECT ae_id, COUNT(*) AS jobs FROM t_emp WHERE s <= :date AND e >= :date
      GROUP BY ae_id)
"""

SHORT_YEAR_SQL = """
WITH clipped AS (
  SELECT ae_id, MAX(s, :start) AS s, MIN(e, :end) AS e
  FROM t_emp WHERE s <= :end AND e >= :start),
ordered AS (
  SELECT ae_id, s, e,
         MAX(e) OVER (PARTITION BY ae_id ORDER BY s, e
                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_e
  FROM clipped),
islands AS (
  SELECT ae_id, s, e,
         SUM(CASE WHEN prev_e IS NULL OR s > prev_e THEN 1 ELSE 0 END)
           OVER (PARTITION BY ae_id ORDER BY s, e ROWS UNBOUNDED PRECEDING) AS island
  FROM ordered),
days AS (
  SELECT ae_id, SUM(julianday(last) - julianday(first) + 1) AS days
  FROM (SELECT ae_id, island, MIN(s) AS first, MAX(e) AS last
        FROM islands GROUP BY ae_id, island)
  GROUP BY ae_id)
SELECT SUM(CASE WHEN d.days < :weeks * 7 THEN 1 ELSE 0 END), COUNT(*)
FROM days d JOIN t_person p ON p.ae_id = d.ae_id
WHERE {age} BETWEEN :age_from AND :age_to
  AND EXISTS (SELECT 1 FROM t_emp r WHERE r.ae_id = d.ae_id AND r.s <= :reference
                                      AND r.e >= :reference)
"""

SELF_EMPLOYED_SQL = """
WITH workers AS (
  SELECT ae_id FROM t_earn WHERE tax_year = :tax_year AND earnings > 0
  UNION
  SELECT ae_id FROM t_sa WHERE tax_year = :tax_year)
SELECT SUM(CASE WHEN a.ae_id IS NOT NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN a.ae_id IS NOT NULL AND p.female = 0 THEN 1 ELSE 0 END),
       COUNT(*)
FROM workers w
JOIN t_person p ON p.ae_id = w.ae_id
LEFT JOIN t_sa a ON a.ae_id = w.ae_id AND a.tax_year = :tax_year
WHERE {age} BETWEEN :age_from AND :age_to
"""

EMPLOYMENT_RATE_SQL = """
SELECT SUM(CASE WHEN EXISTS (SELECT 1 FROM t_emp e WHERE e.ae_id = p.ae_id
                             AND e.s <= :date AND e.e >= :date) THEN 1 ELSE 0 END),
       COUNT(*)
FROM t_person p
WHERE {age} BETWEEN :age_from AND :age_to
  AND EXISTS (SELECT 1 FROM t_edukey k WHERE k.ae_id = p.ae_id)
"""

JOBS_IN_YEAR_SQL = """
SELECT SUM(CASE WHEN j.jobs >= 2 THEN 1 ELSE 0 END), COUNT(*)
FROM (SELECT ae_id, COUNT(*) AS jobs FROM t_emp WHERE s <= :end AND e >= :start
      GROUP BY ae_id) j
JOIN t_person p ON p.ae_id = j.ae_id
WHERE {age} BETWEEN :age_from AND :age_to
"""

CJRS_SQL = """
WITH employees AS (SELECT DISTINCT ae_id FROM t_emp WHERE s <= :end AND e >= :start),
furloughed AS (
  SELECT DISTINCT k.ae_id FROM leo_cjrs c JOIN t_edukey k ON k.edukey = c.EDUKEY
  WHERE c.TAXYEAR = :tax_code AND INSTR(SUBSTR(c.CJRS_DTM_IND, 1, :months), '1') > 0)
SELECT SUM(CASE WHEN f.ae_id IS NOT NULL THEN 1 ELSE 0 END), COUNT(*)
FROM employees e LEFT JOIN furloughed f ON f.ae_id = e.ae_id
"""
"""Share of the employees of ``start`` to ``end`` with CJRS records of the tax year that flag
one of its first ``months`` months (CJRS_DTM_IND: furloughed on any day of the month)."""

def tax_year_bounds(tax_year: int) -> tuple[str, str]:
    """First and last day of a tax year (6 April to 5 April)."""
    return f"{tax_year}-04-06", f"{tax_year + 1}-04-05"


def _ages(p: Params, default: tuple[int, int] = (16, 64)) -> dict[str, int]:
    ages = p.get("ages", default)
    return {"age_from": int(ages[0]), "age_to": int(ages[1])}


@definition("concurrent_jobs_share", requires=("leo_employment",), uses=("t_emp",))
def concurrent_jobs_share(ws: Workspace, p: Params) -> Estimate:
    """Share of employees on ``date`` holding two or more PAYE spells that day."""
    num, den = ws.query(CONCURRENT_SQL, {"date": p["date"]})[0]
    return rate(num, den)


@definition("short_year_employees", requires=("leo_employment", *PERSON_REQUIRES),
            uses=("t_emp", "t_person"))
def short_year_employees(ws: Workspace, p: Params) -> Estimate:
    """Share of employees of ``tax_year`` (aged ``ages``, default 16-64) employed for fewer
    than ``weeks`` weeks of it. Employees are those in a job on the ASHE reference date (the
    third Wednesday of April, taken as 20 April): the published figure links the ASHE sample,
    drawn from April's employees, to PAYE."""
    start, end = tax_year_bounds(p["tax_year"])
    sql = SHORT_YEAR_SQL.format(age=age_on(f"'{start}'", "p.yob", "p.mob"))
    num, den = ws.query(sql, {"start": start, "end": end, "weeks": p.get("weeks", 31),
                              "reference": f"{p['tax_year']}-04-20", **_ages(p)})[0]
    return rate(num, den)


WORKFORCE_AGE_BANDS = ((16, 24, 0.12), (25, 34, 0.23), (35, 49, 0.34), (50, 64, 0.31))
"""UK workforce aged 16-64 by age band (ONS Labour Force Survey, about 2018): the weights that
standardise an age-specific share to the published all-worker figure. LEO's population is
young (the NPD cohorts were at most 33 in 2018/19), so an unweighted share would compare
a young workforce with the whole one."""


@definition("self_employment_share",
            requires=("leo_earnings", "leo_self_assessment", *PERSON_REQUIRES),
            uses=("t_earn", "t_sa", "t_person"))
def self_employment_share(ws: Workspace, p: Params) -> Estimate:
    """``measure`` of_workers: self-employed share of those in work in ``tax_year``;
    of_workers_standardised: the same standardised to the UK workforce's age structure
    (16-64); male_share: men's share of the self-employed (ages ``ages``, default 16-64)."""
    start, _ = tax_year_bounds(p["tax_year"])
    sql = SELF_EMPLOYED_SQL.format(age=age_on(f"'{start}'", "p.yob", "p.mob"))
    if p["measure"] == "of_workers_standardised":
        parts = []
        for age_from, age_to, weight in WORKFORCE_AGE_BANDS:
            se, _men, workers = ws.query(sql, {"tax_year": p["tax_year"],
                                               "age_from": age_from, "age_to": age_to})[0]
            parts.append((weight, float(se or 0), float(workers or 0)))
        return weighted_rates(parts)
    se, se_men, workers = ws.query(sql, {"tax_year": p["tax_year"], **_ages(p)})[0]
    if p["measure"] == "male_share":
        return rate(se_men, se)
    return rate(se, workers)


@definition("paye_employment_rate", requires=("leo_employment", *PERSON_REQUIRES),
            uses=("t_emp", "t_person", "t_edukey"))
def paye_employment_rate(ws: Workspace, p: Params) -> Estimate:
    """Share of persons aged ``ages`` on ``date`` (matched to DWP) in PAYE employment."""
    sql = EMPLOYMENT_RATE_SQL.format(age=age_on(":date", "p.yob", "p.mob"))
    num, den = ws.query(sql, {"date": p["date"], **_ages(p)})[0]
    return rate(num, den)


@definition("multiple_jobs_in_year", requires=("leo_employment", *PERSON_REQUIRES),
            uses=("t_emp", "t_person"))
def multiple_jobs_in_year(ws: Workspace, p: Params) -> Estimate:
    """Share of employees of ``tax_year`` aged ``ages`` with two or more spells in it."""
    start, end = tax_year_bounds(p["tax_year"])
    sql = JOBS_IN_YEAR_SQL.format(age=age_on(f"'{start}'", "p.yob", "p.mob"))
    num, den = ws.query(sql, {"start": start, "end": end, **_ages(p)})[0]
    return rate(num, den)


@definition("cjrs_coverage", requires=("leo_employment", "leo_cjrs"),
            uses=("t_emp", "t_edukey"))
def cjrs_coverage(ws: Workspace, p: Params) -> Estimate:
    """Share of employees of ``tax_year`` furloughed in it (a CJRS record flagging a month)."""
    start, end = tax_year_bounds(p["tax_year"])
    return _furloughed(ws, p["tax_year"], start, end, 12)


@definition("cjrs_take_up", requires=("leo_employment", "leo_cjrs"),
            uses=("t_emp", "t_edukey"))
def cjrs_take_up(ws: Workspace, p: Params) -> Estimate:
    """Share of the employees in post on the first day of ``tax_year`` furloughed in its first
    ``months`` months."""
    start, _ = tax_year_bounds(p["tax_year"])
    return _furloughed(ws, p["tax_year"], start, start, p["months"])


def _furloughed(ws: Workspace, tax_year: int, start: str, end: str, months: int) -> Estimate:
    num, den = ws.query(CJRS_SQL, {"start": start, "end": end, "months": months,
                                   "tax_code": tax_year_code(tax_year)})[0]
    return rate(num, den)
