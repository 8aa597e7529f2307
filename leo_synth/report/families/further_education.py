"""Further education and apprenticeship targets (ILR ``aims``, linked through RECORDID).

* Apprenticeship: an aim whose ``programme_type`` is an apprenticeship type (2 advanced,
  3 intermediate, 10 and 20-23 higher, 25 standards; -1 means no programme). Starts in
  academic year Y: programme aims (``AimType`` 1) with ``start`` = 1 in ``Year`` Y, all
  records (linked or not). Level: intermediate (type 3, or a standard at notional level 2 or
  below), advanced (2, or a level 3 standard), higher (10, 20-23, or standards at level 4+).
  Under 19: ``AgeAimStart`` below 19.
* Achievers of year Y: persons (AE_ID) with an aim of the kind whose ``outcome`` is 1
  (achieved) in the ILR year Y. The destination year is Y+1: October (Y+1) to March (Y+2).
* Sustained employment: PAYE employment in at least 5 of those 6 months (as for graduates).
* Sustained learning (adult FE measure): an ILR aim (any) or a HESA instance active in every
  one of the 6 months. Positive destination: sustained employment or sustained learning.
* Adult learners: aims that are not apprenticeships, learner aged 19 or over at the start.
"""

from __future__ import annotations

from leo_synth.report.derived import APPRENTICESHIP_SQL
from leo_synth.report.registry import Params, definition
from leo_synth.report.source import Workspace
from leo_synth.report.stats import Estimate, median, rate

LEVEL_SQL = """CASE
  WHEN programme_type = 3 THEN 2
  WHEN programme_type = 2 THEN 3
  WHEN programme_type IN (10, 20, 21, 22, 23) THEN 4
  WHEN programme_type = 25 THEN
       MIN(MAX(COALESCE(Notional_Level_v2, Notional_Level, 2), 2), 4)
END"""
START_MEASURES = {
    "level2": f"({LEVEL_SQL}) = 2",
    "level3": f"({LEVEL_SQL}) = 3",
    "level4plus": f"({LEVEL_SQL}) = 4",
    "under19": "AgeAimStart < 19",
}

STARTS_SQL = f"""
SELECT SUM(CASE WHEN {{condition}} THEN 1 ELSE 0 END), COUNT(*)
FROM aims
WHERE Year = :year AND AimType = 1 AND start = 1
  AND programme_type IN {APPRENTICESHIP_SQL}
"""

APPRENTICE_ACHIEVERS = """
SELECT DISTINCT ae_id FROM t_aims
WHERE year = :year AND app = 1 AND aim_type = 1 AND outcome = 1"""
ADULT_ACHIEVERS = """
SELECT DISTINCT ae_id FROM t_aims
WHERE year = :year AND app = 0 AND outcome = 1 AND age >= 19"""

SUSTAINED_EMPLOYMENT_SQL = """
WITH cohort AS ({cohort})
SELECT SUM(CASE WHEN s.months >= 5 THEN 1 ELSE 0 END), COUNT(*)
FROM cohort c
LEFT JOIN t_emp_months s ON s.ae_id = c.ae_id AND s.tax_year = :year + 1
"""

COHORT_EARNINGS_SQL = """
WITH cohort AS ({cohort})
SELECT e.earnings
FROM cohort c
JOIN t_emp_months s ON s.ae_id = c.ae_id AND s.tax_year = :tax_year AND s.months >= 5
JOIN t_earn e ON e.ae_id = c.ae_id AND e.tax_year = :tax_year AND e.earnings > 0
"""

ADULT_DESTINATION_SQL = f"""
WITH cohort AS ({ADULT_ACHIEVERS}),
months AS (SELECT ym FROM t_months WHERE tax_year = :year + 1),
ilr AS (
  SELECT c.ae_id, m.ym FROM cohort c
  JOIN t_aims a ON a.ae_id = c.ae_id JOIN months m ON m.ym BETWEEN a.m0 AND a.m1),
he AS (
  SELECT c.ae_id, m.ym FROM cohort c
  JOIN t_hesa h ON h.ae_id = c.ae_id JOIN months m ON m.ym BETWEEN h.m0 AND h.m1),
learning AS (
  SELECT ae_id, COUNT(DISTINCT ym) AS months
  FROM (SELECT * FROM ilr UNION ALL SELECT * FROM he) GROUP BY ae_id),
flags AS (
  SELECT c.ae_id,
         CASE WHEN COALESCE(s.months, 0) >= 5 THEN 1 ELSE 0 END AS employment,
         CASE WHEN COALESCE(l.months, 0) = 6 THEN 1 ELSE 0 END AS learning
  FROM cohort c
  LEFT JOIN t_emp_months s ON s.ae_id = c.ae_id AND s.tax_year = :year + 1
  LEFT JOIN learning l ON l.ae_id = c.ae_id)
SELECT SUM(employment), SUM(learning), SUM(MAX(employment, learning)), COUNT(*) FROM flags
"""


@definition("apprenticeship_start_share", requires=("aims",))
def apprenticeship_start_share(ws: Workspace, p: Params) -> Estimate:
    """Share of apprenticeship starts of academic year ``year`` by ``measure``: level2,
    level3, level4plus or under19."""
    sql = STARTS_SQL.format(condition=START_MEASURES[p["measure"]])
    num, den = ws.query(sql, {"year": p["year"]})[0]
    return rate(num, den)


@definition("apprentice_sustained_employment", requires=("aims",),
            uses=("t_aims", "t_emp_months"))
def apprentice_sustained_employment(ws: Workspace, p: Params) -> Estimate:
    """Share of apprentices achieving in ``year`` in sustained employment in year+1."""
    sql = SUSTAINED_EMPLOYMENT_SQL.format(cohort=APPRENTICE_ACHIEVERS)
    num, den = ws.query(sql, {"year": p["year"]})[0]
    return rate(num, den)


@definition("apprentice_median_earnings", requires=("aims",),
            uses=("t_aims", "t_emp_months", "t_earn"))
def apprentice_median_earnings(ws: Workspace, p: Params) -> Estimate:
    """Median earnings in ``tax_year`` of apprentices achieving in ``year``, when in
    sustained employment."""
    sql = COHORT_EARNINGS_SQL.format(cohort=APPRENTICE_ACHIEVERS)
    rows = ws.query(sql, {"year": p["year"], "tax_year": p["tax_year"]})
    return median([r[0] for r in rows])


@definition("adult_fe_destination", requires=("aims", "hesa_*"),
            uses=("t_aims", "t_hesa", "t_months", "t_emp_months"))
def adult_fe_destination(ws: Workspace, p: Params) -> Estimate:
    """Share of adult (19+) FE achievers of ``year`` with a sustained ``measure`` in year+1:
    employment, learning or positive (either)."""
    employment, learning, positive, n = ws.query(ADULT_DESTINATION_SQL,
                                                 {"year": p["year"]})[0]
    num = {"employment": employment, "learning": learning, "positive": positive}
    return rate(num[p["measure"]], n)
