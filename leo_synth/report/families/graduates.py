"""Graduate and age-group earnings (EES "Graduate outcomes (LEO)" definitions, as implemented).

* Graduate cohort: linked persons whose first qualification of the level (first degree:
  ``HE_XQOBTN01`` H*/I*; taught master's: M*; doctorate: D*) is in ``hesa_YYYY`` with
  ``HE_XPQUAL01`` = 1. YYYY is the academic year's end (2014/15 -> 2015).
* Years after graduation: the tax year overlapping graduation (April YYYY to April YYYY+1)
  is excluded; the nth YAG is the tax year starting in April YYYY+n (so 1 YAG of 2014/15
  graduates is tax year 2016/17).
* Sustained employment: PAYE employment (``leo_employment``, any EDUKEY of the person)
  covering at least one day in at least 5 of the 6 months October to March of the tax year.
  Self-employment is not counted.
* Earnings: the person's PAYE earnings in the tax year (``leo_earnings``, summed over their
  EDUKEYs and rows), nominal, not annualised, only for those in sustained employment with
  earnings above 0 and not in further study (no HESA instance in the academic year starting
  in the tax year, ``hesa_<YYYY+n+1>``, when that view exists; the extract's HESA ends in
  2019/20, so 2020/21 earnings cannot exclude further study).
* Medians come with the order-statistic standard error (see :mod:`leo_synth.report.stats`).
* Ages: whole years on 6 April of the tax year (birthdays on the 1st of the birth month);
  graduates are persons with a first degree or higher from a HESA year ending by July of the
  tax year (``hesa_YYYY`` with YYYY <= the tax year's start), non-graduates everyone else
  with a birth date (people of the NPD, HESA or ILR populations).
"""

from __future__ import annotations

from leo_synth.report.derived import age_on
from leo_synth.report.families.higher_education import CLASSES
from leo_synth.report.registry import Params, definition
from leo_synth.report.source import Workspace
from leo_synth.report.stats import Estimate, median

DEGREE_KINDS = "('first_degree', 'pg_taught', 'pg_doctorate')"

GRADUATE_EARNINGS_SQL = """
SELECT e.earnings
FROM t_he_qual q
JOIN t_emp_months s ON s.ae_id = q.ae_id AND s.tax_year = q.yyyy + :yag AND s.months >= 5
JOIN t_earn e ON e.ae_id = q.ae_id AND e.tax_year = q.yyyy + :yag AND e.earnings > 0
WHERE q.kind = :kind AND q.yyyy + :yag IN ({tax_years}) {where}
  AND NOT EXISTS (SELECT 1 FROM t_hesa h WHERE h.ae_id = q.ae_id AND h.yyyy = q.yyyy + :yag + 1)
"""

AGE_EARNINGS_SQL = """
SELECT e.earnings
FROM t_person p
JOIN t_emp_months s ON s.ae_id = p.ae_id AND s.tax_year = :tax_year AND s.months >= 5
JOIN t_earn e ON e.ae_id = p.ae_id AND e.tax_year = :tax_year AND e.earnings > 0
WHERE {age} BETWEEN :age_from AND :age_to {group}
"""

GRADUATE_CONDITION = ("EXISTS (SELECT 1 FROM t_he_qual q WHERE q.ae_id = p.ae_id "
                      f"AND q.kind IN {DEGREE_KINDS} AND q.yyyy <= :tax_year)")

WORK_TYPE_SQL = {
    "paye_only": """
        SELECT e.earnings
        FROM t_he_qual q
        JOIN t_emp_months s ON s.ae_id = q.ae_id AND s.tax_year = :tax_year AND s.months >= 5
        JOIN t_earn e ON e.ae_id = q.ae_id AND e.tax_year = :tax_year AND e.earnings > 0
        WHERE q.kind = 'first_degree' AND q.yyyy < :tax_year
          AND NOT EXISTS (SELECT 1 FROM t_sa a WHERE a.ae_id = q.ae_id
                          AND a.tax_year = :tax_year)""",
    "sa_only": """
        SELECT a.se_earnings
        FROM t_he_qual q
        JOIN t_sa a ON a.ae_id = q.ae_id AND a.tax_year = :tax_year
        WHERE q.kind = 'first_degree' AND q.yyyy < :tax_year
          AND NOT EXISTS (SELECT 1 FROM t_earn e WHERE e.ae_id = q.ae_id
                          AND e.tax_year = :tax_year AND e.earnings > 0)""",
}

USES = ("t_he_qual", "t_hesa", "t_emp_months", "t_earn")


def _tax_years(p: Params) -> list[int]:
    ty = p["tax_year"]
    return list(ty) if isinstance(ty, list | tuple) else [int(ty)]


def _graduate_requires(p: Params) -> list[str]:
    return [f"hesa_{t - p['yag']}" for t in _tax_years(p)]


@definition("graduate_median_earnings", requires=_graduate_requires,
            uses=(*USES, "t_jacs_cah2"))
def graduate_median_earnings(ws: Workspace, p: Params) -> Estimate:
    """Median earnings at ``yag`` years after graduation in ``tax_year`` (one or a list,
    pooled) of graduates at ``level`` (first_degree, pg_taught, pg_doctorate), optionally
    by ``sex`` (F/M), degree ``class`` group, JACS subject ``areas`` and ``cah2`` subject
    (e.g. CAH15-02, economics: the JACS principal subjects it groups)."""
    where, params = [], {}
    if p.get("sex") in ("F", "M"):
        where.append("q.female = :female")
        params["female"] = 1 if p["sex"] == "F" else 0
    if "class" in p:
        where.append("q.class IN (" + ", ".join(f"'{c}'" for c in CLASSES[p["class"]]) + ")")
    if "areas" in p:
        where.append("q.area IN (" + ", ".join(f"'{a}'" for a in p["areas"]) + ")")
    if "cah2" in p:
        where.append("q.subject IN (SELECT jacs FROM t_jacs_cah2 WHERE cah2 = :cah2)")
        params["cah2"] = p["cah2"]
    tax_years = ", ".join(str(t) for t in _tax_years(p))
    sql = GRADUATE_EARNINGS_SQL.format(tax_years=tax_years,
                                       where="".join(f" AND {w}" for w in where))
    rows = ws.query(sql, {"yag": p["yag"], "kind": p.get("level", "first_degree"), **params})
    return median([r[0] for r in rows])


@definition("median_earnings_by_age", requires=("hesa_*", "spring_census_*", "learners"),
            uses=(*USES, "t_person"))
def median_earnings_by_age(ws: Workspace, p: Params) -> Estimate:
    """Median earnings in ``tax_year`` of people aged ``ages`` [from, to] in sustained
    employment; ``group``: all, graduate (first degree or higher) or non_graduate."""
    group = {"all": "", "graduate": f"AND {GRADUATE_CONDITION}",
             "non_graduate": f"AND NOT {GRADUATE_CONDITION}"}[p.get("group", "all")]
    age = age_on(f"'{p['tax_year']}-04-06'", "p.yob", "p.mob")
    rows = ws.query(AGE_EARNINGS_SQL.format(age=age, group=group),
                    {"tax_year": p["tax_year"], "age_from": p["ages"][0],
                     "age_to": p["ages"][1]})
    return median([r[0] for r in rows])


@definition("graduate_median_by_work_type", requires=("leo_self_assessment",),
            uses=(*USES, "t_sa"))
def graduate_median_by_work_type(ws: Workspace, p: Params) -> Estimate:
    """Median earnings in ``tax_year`` of first-degree graduates (graduated before it) who
    are only self-employed (``type`` sa_only: Self Assessment profit, no PAYE pay) or only
    PAYE employees (paye_only: sustained PAYE, no Self Assessment return)."""
    rows = ws.query(WORK_TYPE_SQL[p["type"]], {"tax_year": p["tax_year"]})
    return median([r[0] for r in rows])


def earnings_by_yag(ws: Workspace, tax_year: int, yags: range) -> dict[int, Estimate]:
    """First-degree medians by YAG in one tax year (for the HTML report)."""
    from leo_synth.report.registry import run

    return {y: run(ws, "graduate_median_earnings",
                   {"level": "first_degree", "yag": y, "tax_year": tax_year}) for y in yags}


EARNINGS_BY_AGE_SQL = f"""
SELECT {{age}} AS age,
       CASE WHEN {GRADUATE_CONDITION} THEN 1 ELSE 0 END AS graduate,
       e.earnings
FROM t_person p
JOIN t_emp_months s ON s.ae_id = p.ae_id AND s.tax_year = :tax_year AND s.months >= 5
JOIN t_earn e ON e.ae_id = p.ae_id AND e.tax_year = :tax_year AND e.earnings > 0
WHERE {{age}} BETWEEN :age_from AND :age_to
"""


def earnings_by_age_groups(ws: Workspace, tax_year: int, ages: tuple[int, int]
                           ) -> dict[str, dict[int, Estimate]]:
    """Median earnings by single year of age for graduates and non-graduates (HTML report)."""
    import numpy as np

    for name in (*USES, "t_person"):
        ws.ensure(name)
    age = age_on(f"'{tax_year}-04-06'", "p.yob", "p.mob")
    rows = ws.query(EARNINGS_BY_AGE_SQL.format(age=age),
                    {"tax_year": tax_year, "age_from": ages[0], "age_to": ages[1]})
    if not rows:
        return {"graduate": {}, "non_graduate": {}}
    data = np.array(rows, dtype=float)
    out: dict[str, dict[int, Estimate]] = {"graduate": {}, "non_graduate": {}}
    for flag, group in ((1, "graduate"), (0, "non_graduate")):
        sub = data[data[:, 1] == flag]
        for a in range(ages[0], ages[1] + 1):
            values = sub[sub[:, 0] == a, 2]
            if len(values):
                out[group][a] = median(values)
    return out
