"""KS4 (GCSE) targets: mean Attainment 8, grade 4+/5+ in English and maths, EBacc, cohort shares;
5 or more A*-C (with equivalents), and including English and maths, before Attainment 8.

Population: every pupil of the year's KS4 view (``KS4Pupil_2015_to_2021`` from 2014/15), one
record per pupil (duplicates: the record with most entries), pupils without entries included
with Attainment 8 of 0, as in the performance tables. The extract has no school type column,
so "state-funded" cannot be applied (every simulated pupil is in a state-funded school).
"""

from __future__ import annotations

from typing import Any

from leo_synth.report.registry import Params, definition
from leo_synth.report.source import Workspace
from leo_synth.report.stats import Estimate, mean, rate

COLUMNS = {
    "att8": "KS4_ATT8", "em94": "KS4_L2BASICS_94", "em95": "KS4_L2BASICS_95",
    "ebacc94": "KS4_EBACC_94", "ebacc_entry": "KS4_EBACC_E_PTQ_EE", "fsm6": "KS4_FSM6",
    "fsm": "KS4_FSM", "sen": "KS4_SENF", "sex": "KS4_GENDER",
    "disadvantaged": "KS4_FSM6CLA1A", "level2em": "KS4_LEVEL2_EM", "level2": "KS4_LEVEL2",
}
"""KS4 column behind each measure or filter of ``t_ks4``."""
RATE_MEASURES = {
    "em94": "em94 = 1", "em95": "em95 = 1", "ebacc94": "ebacc94 = 1",
    "ebacc_entry": "ebacc_entry = 1", "fsm6": "fsm6 = 1", "fsm": "fsm = 1",
    "sen_ehc": "sen IN ('E', 'S')", "sen_support": "sen IN ('K', 'A', 'P')",
    "level2em": "level2em = 1", "level2": "level2 = 1",
}
MEASURE_COLUMN = {"sen_ehc": "sen", "sen_support": "sen"}
SEN_GROUPS = {"none": ("N",), "support": ("K", "A", "P"), "ehc": ("E", "S")}

KS4_RATE_SQL = """
SELECT SUM(CASE WHEN {measure} THEN 1 ELSE 0 END), COUNT(*)
FROM t_ks4
WHERE year = :year {where}
"""
KS4_MEAN_SQL = """
SELECT COUNT({measure}), SUM({measure}), SUM({measure} * {measure})
FROM t_ks4
WHERE year = :year {where}
"""


def ks4_table(year: int) -> str:
    """The KS4 pupil view holding an academic (start) year."""
    return "KS4Pupil_2002_to_2014" if year <= 2013 else "KS4Pupil_2015_to_2021"


def ks4_filters(p: Params, alias: str = "") -> tuple[str, dict[str, Any], list[str]]:
    """SQL conditions, parameters and requirements for the optional pupil filters
    ``sex`` (M/F), ``fsm6`` (0/1), ``disadvantaged`` (0/1: DfE's flag, KS4_FSM6CLA1A),
    ``sen`` (none/support/ehc), ``em95``/``em94`` (0/1),
    ``att8_min``/``att8_below`` (points)."""
    a = f"{alias}." if alias else ""
    table = ks4_table(p["year"])
    where, params, needs = [], {}, []
    if "sex" in p:
        where.append(f"{a}female = :f_female")
        params["f_female"] = 1 if p["sex"] == "F" else 0
        needs.append(f"{table}.{COLUMNS['sex']}")
    for flag in ("fsm6", "disadvantaged", "em95", "em94"):
        if flag in p:
            where.append(f"COALESCE({a}{flag}, 0) = :f_{flag}")
            params[f"f_{flag}"] = int(p[flag])
            needs.append(f"{table}.{COLUMNS[flag]}")
    if "sen" in p:
        codes = ", ".join(f"'{c}'" for c in SEN_GROUPS[p["sen"]])
        where.append(f"{a}sen IN ({codes})")
        needs.append(f"{table}.{COLUMNS['sen']}")
    if "att8_min" in p:
        where.append(f"{a}att8 >= :f_att8_min")
        params["f_att8_min"] = float(p["att8_min"])
        needs.append(f"{table}.{COLUMNS['att8']}")
    if "att8_below" in p:
        where.append(f"{a}att8 < :f_att8_below")
        params["f_att8_below"] = float(p["att8_below"])
        needs.append(f"{table}.{COLUMNS['att8']}")
    sql = "".join(f" AND {w}" for w in where)
    return sql, params, needs


def _requires(p: Params) -> list[str]:
    measure = p["measure"]
    column = COLUMNS[MEASURE_COLUMN.get(measure, measure)]
    return [f"{ks4_table(p['year'])}.{column}"] + ks4_filters(p)[2]


@definition("ks4_rate", requires=_requires, uses=("t_ks4",))
def ks4_rate(ws: Workspace, p: Params) -> Estimate:
    """Share of the year's KS4 pupils meeting ``measure`` (em94, em95, ebacc94, ebacc_entry,
    fsm6, fsm, sen_ehc, sen_support; level2em: 5 or more A*-C including English and maths,
    level2: 5 or more A*-C with equivalents, both to 2012/13), optionally within filtered
    pupils."""
    where, params, _ = ks4_filters(p)
    sql = KS4_RATE_SQL.format(measure=RATE_MEASURES[p["measure"]], where=where)
    num, den = ws.query(sql, {"year": p["year"], **params})[0]
    return rate(num, den)


@definition("ks4_mean", requires=_requires, uses=("t_ks4",))
def ks4_mean(ws: Workspace, p: Params) -> Estimate:
    """Mean of ``measure`` (att8) over the year's KS4 pupils, optionally filtered."""
    where, params, _ = ks4_filters(p)
    sql = KS4_MEAN_SQL.format(measure=p["measure"], where=where)
    n, total, total_sq = ws.query(sql, {"year": p["year"], **params})[0]
    return mean(n, total, total_sq)


KS4_MEAN_IN_NEED_SQL = """
SELECT COUNT(k.{measure}), SUM(k.{measure}), SUM(k.{measure} * k.{measure})
FROM t_ks4 k
LEFT JOIN t_cin c ON c.pmr = k.pmr AND c.year = k.year AND c.at31 = 1
WHERE k.year = :year AND c.pmr IS {negation}NULL {where}
"""


@definition("ks4_mean_in_need", requires=_requires, uses=("t_ks4", "t_cin"))
def ks4_mean_in_need(ws: Workspace, p: Params) -> Estimate:
    """Mean of ``measure`` (att8) over the year's KS4 pupils in need on 31 March of their KS4
    year (``in_need: 1``: a CIN census record of that year, joined on the pupil's PMR, with an
    episode open then, as DfE's outcomes of children in need count them) or not (``in_need:
    0``), optionally filtered as ``ks4_mean``."""
    where, params, _ = ks4_filters(p, "k")
    sql = KS4_MEAN_IN_NEED_SQL.format(measure=p["measure"], where=where,
                                      negation="NOT " if p["in_need"] else "")
    n, total, total_sq = ws.query(sql, {"year": p["year"], **params})[0]
    return mean(n, total, total_sq)


A8_HISTOGRAM_SQL = """
SELECT COALESCE(fsm6, 0) AS fsm6, CAST(att8 / 5 AS INTEGER) * 5 AS bin, COUNT(*)
FROM t_ks4
WHERE year = :year AND att8 IS NOT NULL
GROUP BY 1, 2
ORDER BY 1, 2
"""


def a8_histogram(ws: Workspace, year: int) -> dict[int, dict[int, int]]:
    """Attainment 8 in 5-point bins by FSM6 (for the HTML report): {fsm6: {bin: pupils}}."""
    ws.load([ks4_table(year)])
    ws.ensure("t_ks4")
    out: dict[int, dict[int, int]] = {0: {}, 1: {}}
    for fsm6, low, count in ws.query(A8_HISTOGRAM_SQL, {"year": year}):
        out[int(fsm6)][int(low)] = int(count)
    return out
