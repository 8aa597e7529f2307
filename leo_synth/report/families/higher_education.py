"""Higher education targets: initial participation (HEIPR), entry by 19, graduates' sex,
subjects, further study and DWP matching.

* HEIPR (DfE SFR 47/2017 method, a period measure): for each age a from 17 to 30 on 31 August
  of academic year Y, the number of people of that age entering HE for the first time in Y
  (their first HESA instance at HE level, ``HE_XLEV601`` 1-5, is in ``hesa_<Y+1>``) divided
  by the population of that age, summed over ages. Numerator and population are the persons
  schooled in England (NPD birth dates, resolved to AE_ID); the NPD cohorts start with
  births in September 1985, so older ages are absent and add nothing.
* Entry by 19 of a KS4 cohort Y: a HESA instance at HE level in a reporting year up to the
  one in which the pupils are 19 on 31 August (``hesa_<Y+5>``).
* Graduates: qualifiers (``HE_XPQUAL01`` = 1) by ``HE_XQOBTN01`` (H/I first degree).
"""

from __future__ import annotations

from leo_synth.report.families.ks4 import ks4_filters, ks4_table
from leo_synth.report.registry import Params, definition
from leo_synth.report.source import Workspace
from leo_synth.report.stats import Estimate, rate, summed_rates

CLASSES = {
    "first": ("01",), "upper_second": ("02",), "first_or_upper": ("01", "02"),
    "lower_or_below": ("03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14"),
}
"""HESA degree classes (``HE_XCLASS01``): 01 first, 02 upper second, 03 lower second,
04 undivided second, 05 third/pass, and the unclassified and other codes."""

HEIPR_SQL = """
WITH pop AS (
  SELECT ae_id, female,
         :year - yob - CASE WHEN mob > 8 THEN 1 ELSE 0 END AS age
  FROM t_person WHERE source = 'npd'),
entry AS (
  SELECT ae_id, MIN(yyyy) AS first_yyyy FROM t_hesa
  WHERE ae_id IS NOT NULL AND lev6 BETWEEN 1 AND 5
  GROUP BY ae_id)
SELECT pop.age, SUM(CASE WHEN entry.first_yyyy = :year + 1 THEN 1 ELSE 0 END), COUNT(*)
FROM pop LEFT JOIN entry ON entry.ae_id = pop.ae_id
WHERE pop.age BETWEEN :age_from AND :age_to {sex}
GROUP BY pop.age
"""

KS4_HE_ENTRY_SQL = """
SELECT SUM(CASE WHEN EXISTS (
                  SELECT 1 FROM t_hesa h
                  WHERE h.ae_id = p.ae_id AND h.lev6 BETWEEN 1 AND 5 AND h.yyyy <= :last_yyyy)
                OR EXISTS (
                  SELECT 1 FROM t_hesa h
                  WHERE h.pmr = k.pmr AND h.lev6 BETWEEN 1 AND 5 AND h.yyyy <= :last_yyyy)
           THEN 1 ELSE 0 END),
       COUNT(*)
FROM t_ks4 k
LEFT JOIN t_pmr p ON p.pmr = k.pmr
WHERE k.year = :year {where}
"""

QUALIFIER_FEMALE_SQL = """
SELECT SUM(female), COUNT(female) FROM t_hesa
WHERE yyyy = :yyyy AND xpqual = 1 AND substr(qobtn, 1, 1) IN ({letters})
"""

SUBJECT_SQL = """
SELECT SUM(CASE WHEN area IN ({areas}) THEN 1 ELSE 0 END), COUNT(area) FROM t_hesa
WHERE yyyy = :yyyy AND lev6 BETWEEN 1 AND 5
"""

UNMATCHED_SQL = """
SELECT SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM t_edukey k WHERE k.ae_id = q.ae_id)
           THEN 1 ELSE 0 END), COUNT(*)
FROM t_he_qual q
WHERE q.kind = 'first_degree' AND q.yyyy = :yyyy
"""

FURTHER_STUDY_SQL = """
SELECT SUM(CASE WHEN EXISTS (
                  SELECT 1 FROM t_hesa h
                  WHERE h.ae_id = q.ae_id AND h.lev6 BETWEEN 1 AND 3
                    AND h.yyyy BETWEEN q.yyyy + 1 AND q.yyyy + :within)
           THEN 1 ELSE 0 END),
       COUNT(*)
FROM t_he_qual q
WHERE q.kind = 'first_degree' AND q.yyyy = :yyyy AND q.class IN ({classes})
"""

LEVEL_LETTERS = {"first_degree": ("H", "I"), "pg_taught": ("M",), "pg_doctorate": ("D",)}


def _quoted(values: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


@definition("he_initial_participation", requires=("hesa_*", "spring_census_*", "learners"),
            uses=("t_person", "t_hesa"))
def he_initial_participation(ws: Workspace, p: Params) -> Estimate:
    """HEIPR of academic year ``year`` over ``ages`` (default 17-30), optionally one ``sex``."""
    ages = p.get("ages", [17, 30])
    sex = ""
    params = {"year": p["year"], "age_from": ages[0], "age_to": ages[1]}
    if p.get("sex") in ("F", "M"):
        sex = "AND pop.female = :female"
        params["female"] = 1 if p["sex"] == "F" else 0
    rows = ws.query(HEIPR_SQL.format(sex=sex), params)
    return summed_rates([(float(num), float(den)) for _age, num, den in rows])


@definition("ks4_he_entry_rate",
            requires=lambda p: ["hesa_*", ks4_table(p["year"]), *ks4_filters(p)[2]],
            uses=("t_ks4", "t_pmr", "t_hesa"))
def ks4_he_entry_rate(ws: Workspace, p: Params) -> Estimate:
    """Share of KS4 cohort ``year`` in HE by age ``by_age`` (default 19); KS4 filters."""
    where, params, _ = ks4_filters(p, alias="k")
    last = p["year"] + int(p.get("by_age", 19)) - 14
    num, den = ws.query(KS4_HE_ENTRY_SQL.format(where=where),
                        {"year": p["year"], "last_yyyy": last, **params})[0]
    return rate(num, den)


@definition("hesa_qualifier_female_share", requires=lambda p: [f"hesa_{p['year'] + 1}"],
            uses=("t_hesa",))
def hesa_qualifier_female_share(ws: Workspace, p: Params) -> Estimate:
    """Share of women among the year's qualifiers at ``level`` (first_degree, pg_taught,
    pg_doctorate), all HESA records (linked or not)."""
    letters = _quoted(LEVEL_LETTERS[p.get("level", "first_degree")])
    num, den = ws.query(QUALIFIER_FEMALE_SQL.format(letters=letters),
                        {"yyyy": p["year"] + 1})[0]
    return rate(num, den)


@definition("hesa_subject_share", requires=lambda p: [f"hesa_{p['year'] + 1}"],
            uses=("t_hesa",))
def hesa_subject_share(ws: Workspace, p: Params) -> Estimate:
    """Share of the year's HE student instances in the JACS subject ``areas``."""
    num, den = ws.query(SUBJECT_SQL.format(areas=_quoted(p["areas"])),
                        {"yyyy": p["year"] + 1})[0]
    return rate(num, den)


@definition("graduate_dwp_unmatched", requires=lambda p: [f"hesa_{p['tax_year'] - p['yag']}"],
            uses=("t_he_qual", "t_edukey"))
def graduate_dwp_unmatched(ws: Workspace, p: Params) -> Estimate:
    """Share of linked first-degree graduates of the ``yag`` cohort of ``tax_year`` with no
    EDUKEY (never matched to DWP's customer information system)."""
    num, den = ws.query(UNMATCHED_SQL, {"yyyy": p["tax_year"] - p["yag"]})[0]
    return rate(num, den)


@definition("graduate_further_study", requires=lambda p: [f"hesa_{p['year'] + 1}"],
            uses=("t_he_qual", "t_hesa"))
def graduate_further_study(ws: Workspace, p: Params) -> Estimate:
    """Share of first-degree graduates of academic year ``year`` with degree ``class`` who
    have a postgraduate HESA instance (``HE_XLEV601`` 1-3) in the ``within`` (default 5)
    following reporting years."""
    sql = FURTHER_STUDY_SQL.format(classes=_quoted(CLASSES[p["class"]]))
    num, den = ws.query(sql, {"yyyy": p["year"] + 1, "within": int(p.get("within", 5))})[0]
    return rate(num, den)
