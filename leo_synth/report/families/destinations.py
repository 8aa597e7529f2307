"""Destinations of KS4 leavers (EES "KS4 destination measures", defined from this extract).

Cohort: the pupils of the KS4 view for academic year Y/Y+1. The destination year is the next
academic year; activity is looked for in the six months October (Y+1) to March (Y+2), one
month counting when an activity covers at least one day of it:

* school sixth form: a record on roll in the autumn census (October: covers October to
  December) or the spring census (January: covers January to March) of the destination year,
  under any of the person's PMRs;
* FE and other education: an ILR aim that is not an apprenticeship, active in the month
  (start date to actual end date, or planned end date while continuing);
* apprenticeship: an ILR aim with an apprenticeship programme type (2, 3, 10, 20-23, 25);
* employment: a PAYE spell (``leo_employment``) of any of the person's EDUKEYs.

A leaver is in a *sustained destination* when every one of the six months has an activity.
Categories, in this order: apprenticeship (all six months), education (all six months in
education or apprenticeship), employment (all six months in PAYE employment), combination
(six months of a mix; counted in the sustained total only); otherwise *not sustained* when
any activity or an out-of-work benefit claim appears in the destination academic year (August
to July), and *activity not captured* (unknown) when nothing does. Leavers whose PMR is not
in the lookup can only be found in the census. ``school_sixth_form`` is the share on roll in
both censuses of the destination year.

The institution of a leaver in sustained education who is not in a school sixth form, as the
extract shows it (DfE's measure reads the provider's type; the ILR here has no provider type):
``sixth_form_college`` when, under any of the person's PMRs, a KS5 record of the two-year
programme begun in the destination year (KS5 year Y+1 or Y+2) is of a sixth-form college
(``KS5_NEW_TYPE`` 6 or ``KS5_FETYPE`` 5), or NCCIS records activity 220 (sixth-form college) in
a month October to March of the destination year; ``fe_college`` otherwise (FE and other
colleges, learning recorded in the ILR).
"""

from __future__ import annotations

import textwrap

from leo_synth.report.derived import suffixed
from leo_synth.report.families.ks4 import ks4_filters, ks4_table
from leo_synth.report.registry import Params, definition
from leo_synth.report.source import Workspace
from leo_synth.report.stats import Estimate, rate

SUSTAINED = ("apprenticeship", "education", "employment", "combination")
CATEGORIES = (*SUSTAINED, "not_sustained", "unknown")
COLLEGES = ("sixth_form_college", "fe_college")
"""Institution categories of leavers in sustained education outside a school sixth form."""
KS5 = "KS5Student_2002_to_2021"
NCCIS = "nccis_2011_to_2021"
SFC_TYPE = {"KS5_NEW_TYPE": 6, "KS5_FETYPE": 5}
"""The KS5 school type codes of a sixth-form college."""
SFC_ACTIVITY = 220
"""NCCIS current activity code of a sixth-form college student."""

DESTINATIONS_SQL = """
CREATE TEMP TABLE {name} AS
WITH cohort AS (
  SELECT k.pmr, p.ae_id FROM t_ks4 k LEFT JOIN t_pmr p ON p.pmr = k.pmr WHERE k.year = {year}),
keys AS (
  SELECT c.pmr AS id, c.pmr AS pmr FROM cohort c
  UNION SELECT c.pmr, o.pmr FROM cohort c JOIN t_pmr o ON o.ae_id = c.ae_id),
months AS (SELECT ym, month FROM t_months WHERE tax_year = {dest}),
school AS (
  SELECT k.id, m.ym FROM keys k
  JOIN "{autumn}" a ON a."{aut_pmr}" = k.pmr AND a."{aut_onroll}" = 1
  JOIN months m ON m.month IN (10, 11, 12)
  UNION
  SELECT k.id, m.ym FROM keys k
  JOIN "{spring}" s ON s."{spr_pmr}" = k.pmr AND s."{spr_onroll}" = 1
  JOIN months m ON m.month IN (1, 2, 3)),
activity AS (
  SELECT id, ym, 'school' AS kind FROM school
  UNION ALL
  SELECT c.pmr, m.ym, CASE WHEN a.app = 1 THEN 'app' ELSE 'fe' END
  FROM cohort c JOIN t_aims a ON a.ae_id = c.ae_id JOIN months m ON m.ym BETWEEN a.m0 AND a.m1
  UNION ALL
  SELECT c.pmr, m.ym, 'emp'
  FROM cohort c JOIN t_emp e ON e.ae_id = c.ae_id JOIN months m ON m.ym BETWEEN e.m0 AND e.m1),
per AS (
  SELECT id,
         COUNT(DISTINCT CASE WHEN kind = 'school' THEN ym END) AS n_school,
         COUNT(DISTINCT CASE WHEN kind = 'app' THEN ym END) AS n_app,
         COUNT(DISTINCT CASE WHEN kind IN ('school', 'fe', 'app') THEN ym END) AS n_edu,
         COUNT(DISTINCT CASE WHEN kind = 'emp' THEN ym END) AS n_emp,
         COUNT(DISTINCT ym) AS n_any
  FROM activity GROUP BY id),
seen AS (
  SELECT id FROM school
  UNION SELECT c.pmr FROM cohort c JOIN t_aims a ON a.ae_id = c.ae_id
  WHERE a.s <= '{year_end}' AND a.e >= '{year_start}'
  UNION SELECT c.pmr FROM cohort c JOIN t_emp e ON e.ae_id = c.ae_id
  WHERE e.s <= '{year_end}' AND e.e >= '{year_start}'
  UNION SELECT c.pmr FROM cohort c JOIN t_ben b ON b.ae_id = c.ae_id
  WHERE b.oow = 1 AND b.s <= '{year_end}' AND b.e >= '{year_start}')
SELECT c.pmr,
       CASE WHEN per.n_app = 6 THEN 'apprenticeship'
            WHEN per.n_edu = 6 THEN 'education'
            WHEN per.n_emp = 6 THEN 'employment'
            WHEN per.n_any = 6 THEN 'combination'
            WHEN per.id IS NOT NULL OR seen.id IS NOT NULL THEN 'not_sustained'
            ELSE 'unknown' END AS category,
       CASE WHEN per.n_school = 6 THEN 1 ELSE 0 END AS school_sixth_form
FROM cohort c
LEFT JOIN per ON per.id = c.pmr
LEFT JOIN seen ON seen.id = c.pmr
"""

INSTITUTION_SQL = """
CREATE TEMP TABLE {name} AS
WITH cohort AS (
  SELECT d.pmr, p.ae_id FROM {dest} d LEFT JOIN t_pmr p ON p.pmr = d.pmr
  WHERE d.category = 'education' AND d.school_sixth_form = 0),
keys AS (
  SELECT c.pmr AS id, c.pmr AS pmr FROM cohort c
  UNION SELECT c.pmr, o.pmr FROM cohort c JOIN t_pmr o ON o.ae_id = c.ae_id),
sfc AS (
  SELECT k.id FROM keys k JOIN "{ks5}" s ON s.KS5_PupilMatchingRefAnonymous = k.pmr
  WHERE s.KS5_ACADYR IN ('{ks5_years}')
    AND (CAST(s.KS5_NEW_TYPE AS INTEGER) = {new_type} OR CAST(s.KS5_FETYPE AS INTEGER) = {fetype})
  UNION
  SELECT k.id FROM keys k JOIN "{nccis}" n ON n.NCCIS_PupilMatchingRefAnonymous = k.pmr
  WHERE n.NCCIS_ACADYR = '{dest_year}' AND CAST(n.NCCIS_MonthNo AS INTEGER) IN (10, 11, 12, 1, 2, 3)
    AND CAST(n.NCCIS_Current_Activity_Code AS INTEGER) = {activity})
SELECT c.pmr,
       CASE WHEN c.pmr IN (SELECT id FROM sfc) THEN 'sixth_form_college'
            ELSE 'fe_college' END AS institution
FROM cohort c
"""

SHARE_SQL = """
SELECT SUM(CASE WHEN {condition} THEN 1 ELSE 0 END), COUNT(*)
FROM {name} d
JOIN t_ks4 k ON k.pmr = d.pmr AND k.year = :year
WHERE 1 = 1 {where}
"""


def _census(year: int) -> tuple[str, str]:
    return f"autumn_census_{year + 2}", f"spring_census_{year + 2}"


def _requires(p: Params) -> list[str]:
    autumn, spring = _census(p["year"])
    colleges = []
    if p.get("category") in COLLEGES:
        colleges = [*(f"{KS5}.{c}" for c in ("KS5_PupilMatchingRefAnonymous", "KS5_ACADYR",
                                             *SFC_TYPE)),
                    *(f"{NCCIS}.{c}" for c in ("NCCIS_PupilMatchingRefAnonymous", "NCCIS_ACADYR",
                                               "NCCIS_MonthNo", "NCCIS_Current_Activity_Code"))]
    return [autumn, spring, ks4_table(p["year"]), *ks4_filters(p)[2], *colleges]


def _academic_year(year: int) -> str:
    return f"{year}/{year + 1}"


def _per_leaver(ws: Workspace, name: str, sql: str) -> str:
    """Create a per-leaver table (one row per PMR) from its SQL, indexed and recorded."""
    index = f"CREATE UNIQUE INDEX temp.ix_{name} ON {name}(pmr)"
    ws.conn.execute(sql)
    ws.conn.execute(index)
    ws.derived_sql[name] = [textwrap.dedent(sql).strip(), index]
    ws.cache[name] = True
    return name


def destinations_table(ws: Workspace, year: int) -> str:
    """Build (once) the per-leaver destination table of a KS4 cohort; returns its name."""
    name = f"t_dest_{year}"
    if name in ws.cache:
        return name
    autumn, spring = _census(year)
    ws.load([autumn, spring])
    sql = DESTINATIONS_SQL.format(
        name=name, year=year, dest=year + 1, autumn=autumn, spring=spring,
        aut_pmr=suffixed(ws, autumn, "PupilMatchingRefAnonymous"),
        aut_onroll=suffixed(ws, autumn, "OnRoll"),
        spr_pmr=suffixed(ws, spring, "PupilMatchingRefAnonymous"),
        spr_onroll=suffixed(ws, spring, "OnRoll"),
        year_start=f"{year + 1}-08-01", year_end=f"{year + 2}-07-31")
    return _per_leaver(ws, name, sql)


def institutions_table(ws: Workspace, year: int) -> str:
    """Build (once) the institution (``COLLEGES``) of each leaver of a KS4 cohort in sustained
    education outside a school sixth form; returns its name."""
    name = f"t_dest_college_{year}"
    if name in ws.cache:
        return name
    dest = destinations_table(ws, year)
    sql = INSTITUTION_SQL.format(
        name=name, dest=dest, ks5=KS5, nccis=NCCIS,
        ks5_years="', '".join(_academic_year(y) for y in (year + 1, year + 2)),
        new_type=SFC_TYPE["KS5_NEW_TYPE"], fetype=SFC_TYPE["KS5_FETYPE"],
        dest_year=_academic_year(year + 1), activity=SFC_ACTIVITY)
    return _per_leaver(ws, name, sql)


@definition("ks4_destination_share", requires=_requires,
            uses=("t_ks4", "t_pmr", "t_months", "t_aims", "t_emp", "t_ben"))
def ks4_destination_share(ws: Workspace, p: Params) -> Estimate:
    """Share of KS4 leavers of year ``year`` in destination ``category``: sustained,
    apprenticeship, education, employment, combination, not_sustained, unknown,
    school_sixth_form, sixth_form_college or fe_college; optional KS4 filters (em95, fsm6,
    sex, ...)."""
    name = destinations_table(ws, p["year"])
    category = p["category"]
    if category in COLLEGES:
        colleges = institutions_table(ws, p["year"])
        condition = (f"d.pmr IN (SELECT pmr FROM {colleges} "
                     f"WHERE institution = '{category}')")
    elif category == "sustained":
        condition = "d.category IN (" + ", ".join(f"'{c}'" for c in SUSTAINED) + ")"
    elif category == "school_sixth_form":
        condition = "d.school_sixth_form = 1"
    else:
        condition = f"d.category = '{category}'"
    where, params, _ = ks4_filters(p, alias="k")
    sql = SHARE_SQL.format(condition=condition, name=name, where=where)
    num, den = ws.query(sql, {"year": p["year"], **params})[0]
    return rate(num, den)


def destination_breakdown(ws: Workspace, year: int) -> dict[str, float]:
    """Shares of every category for the HTML report."""
    from leo_synth.report.registry import run

    return {c: (run(ws, "ks4_destination_share", {"year": year, "category": c}).value or 0.0)
            for c in CATEGORIES}


NEET_CODES = (540, 550, 610, 615, 616, 619, 620, 630, 640, 650, 660, 670, 680)
"""NCCIS current activity codes of young people not in education, employment or training."""

NCCIS_NEET_SQL = """
SELECT SUM(CASE WHEN n.code IN ({codes}) THEN 1 ELSE 0 END), COUNT(*)
FROM (SELECT NCCIS_PupilMatchingRefAnonymous AS pmr,
             MIN(CAST(NCCIS_Current_Activity_Code AS INTEGER)) AS code
      FROM nccis_2011_to_2021
      WHERE NCCIS_ACADYR = :acadyr AND CAST(NCCIS_MonthNo AS INTEGER) IN (12, 1, 2)
      GROUP BY NCCIS_PupilMatchingRefAnonymous, NCCIS_MonthNo) n
JOIN t_npd_pupil p ON p.pmr = n.pmr
WHERE :year - p.yob - CASE WHEN p.mob > 8 THEN 1 ELSE 0 END BETWEEN :age_from AND :age_to
"""


@definition("nccis_neet_share",
            requires=tuple(f"nccis_2011_to_2021.{c}" for c in (
                "NCCIS_PupilMatchingRefAnonymous", "NCCIS_ACADYR", "NCCIS_MonthNo",
                "NCCIS_Current_Activity_Code")),
            uses=("t_npd_pupil",))
def nccis_neet_share(ws: Workspace, p: Params) -> Estimate:
    """NEET share of young people of academic ``ages`` in the December-February NCCIS
    snapshots of academic year ``year`` (person-months; not-known activity stays in the
    denominator, as DfE report NEET and not known separately). A person-month with two
    conflicting activities counts once, with the lower code (education and employment come
    before NEET in the code list)."""
    ages = p.get("ages", [16, 17])
    year = p["year"]
    sql = NCCIS_NEET_SQL.format(codes=", ".join(str(c) for c in NEET_CODES))
    num, den = ws.query(sql, {"acadyr": _academic_year(year), "year": year,
                              "age_from": ages[0], "age_to": ages[1]})[0]
    return rate(num, den)
