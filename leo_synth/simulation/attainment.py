"""Key stage 4 (GCSE) attainment driven by latent ability, disadvantage, SEN, sex and school.

Grades are simulated on the 9-1 point scale for every year and mapped to the letter grades and
points scores of the methodology in force (A*-G and the new-style points before 2016/17). The
relations layer picks the era-specific columns by year, so one simulation serves every era.
"""

from __future__ import annotations

import numpy as np

from leo_synth.simulation.context import BlockContext
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.pools import SPECIAL_PHASE
from leo_synth.simulation.schooling import SEN_STATEMENT, SEN_SUPPORT, YEAR_11, Schooling
from leo_synth.simulation.series import interpolate
from leo_synth.simulation.stats import logistic, norm_ppf

SLOTS = ("eng", "mat", "eb1", "eb2", "eb3", "op1", "op2", "op3")
"""Attainment 8 slots: English and maths (double-weighted), three EBacc, three open."""
EXTRA_SLOTS = ("x1", "x2", "x3", "x4")
"""A pupil's GCSEs beyond the eight filling Attainment 8 slots, best first (drawn with the
slots' subjects: relations/ks4_extras.py)."""
ENTRY_SLOTS = SLOTS + EXTRA_SLOTS
"""Every GCSE position of a pupil: the Attainment 8 slots, then the extra entries."""

# Old letter grade for a 9-1 grade (9/8 -> A*, 7 -> A, 6 -> B, 5 and 4 -> C ... 1 -> G, 0 -> U),
# and the new-style points of each letter (A* 58, A 52 ... G 16, U 0).
LETTER_OF_POINTS = np.array(["U", "G", "E", "D", "C", "C", "B", "A", "A*", "A*"])
NEWSTYLE_OF_POINTS = np.array([0, 16, 28, 34, 40, 40, 46, 52, 58, 58])


def simulate_ks4(ctx: BlockContext, persons: Frame, schooling: Schooling) -> Frame:
    """One row per pupil on roll in Year 11: latent score, grades per slot and headline measures."""
    p = ctx.params
    rng = ctx.rng("ks4.slot_grades")
    py = schooling.pupil_years
    rows = np.flatnonzero(py["ncyear"] == YEAR_11)
    person = py["person"][rows]
    year = py["year"][rows]
    school = py["school"][rows]
    sen = py["sen"][rows]
    eff = p["ks4.effects"]
    female = persons["female"][person]
    latent = (
        persons["ability"][person]
        + eff["female"] * female
        + eff["fsm6"] * py["ever_fsm_6"][rows]
        + eff["sen_support"] * (sen == SEN_SUPPORT)
        + eff["sen_statement"] * (sen == SEN_STATEMENT)
        + eff["special_school"] * (ctx.pools.schools["phase"][school] == SPECIAL_PHASE)
        + eff["eal"] * persons["eal"][person]
        + eff["school"] * ctx.pools.schools["effect"][school]
    )
    n = len(rows)
    centre = float(p["ks4.mean_points"]) + interpolate(p["ks4.year_shift"], year)
    points = {}
    for slot in SLOTS:
        shift = (float(p["ks4.slot_shift"].get(slot, 0.0))
                 + float(p["ks4.female_slot_shift"].get(slot, 0.0)) * female)
        raw = (centre + shift + float(p["ks4.spread"]) * latent
               + rng.normal(0, p["ks4.subject_noise"], n))
        points[slot] = np.clip(np.rint(raw), 0, 9).astype(np.int8)
    ebacc_p = logistic(p["ks4.ebacc_entry.a"] + interpolate(p["ks4.ebacc_entry_shift"], year)
                       + p["ks4.ebacc_entry.b"] * latent)
    rng = ctx.rng("ks4.ebacc_entry")
    ebacc_entered = rng.random(n) < ebacc_p
    # Pupils not entered for the EBacc leave one of its last two slots (humanity, language)
    # empty, so entering all five pillars is entering the EBacc; the weakest sit nothing at all.
    no_entries = latent < norm_ppf(float(p["ks4.no_entries_share"])) * 1.15
    humanity_missing = rng.random(n) < interpolate(p["ks4.ebacc_slot_gap"], year)
    for slot, missing in (("eb2", humanity_missing), ("eb3", ~humanity_missing)):
        points[slot] = np.where(~ebacc_entered & missing, 0, points[slot]).astype(np.int8)
    for slot in SLOTS:
        points[slot] = np.where(no_entries, 0, points[slot]).astype(np.int8)
    entered = {slot: points[slot] > 0 for slot in SLOTS}

    att8 = 2 * points["eng"] + 2 * points["mat"] + sum(
        points[s].astype(np.int64) for s in SLOTS[2:]
    )
    newstyle = {s: NEWSTYLE_OF_POINTS[points[s]] for s in SLOTS}
    a_star_c = sum((points[s] >= 4).astype(np.int64) for s in SLOTS)
    a_star_g = sum((points[s] >= 1).astype(np.int64) for s in SLOTS)
    em_c = (points["eng"] >= 4) & (points["mat"] >= 4)
    equiv = vocational_equivalents(ctx, year, latent, no_entries)
    scored = with_equivalents(np.column_stack([newstyle[s] for s in SLOTS]),
                              equiv["counted_units"], equiv["unit_points"])
    return Frame(
        person=person,
        year=year,
        school=school,
        latent=latent,
        fsm=py["fsm"][rows],
        fsm6=py["ever_fsm_6"][rows],
        sen=sen,
        **{f"pts_{s}": points[s] for s in SLOTS},
        ebacc_entered=ebacc_entered & ~no_entries,
        entries=sum(entered[s].astype(np.int64) for s in SLOTS),
        att8=att8.astype(float),
        em_4=em_c,
        em_5=(points["eng"] >= 5) & (points["mat"] >= 5),
        ebacc_4=ebacc_entered & em_c & (points["eb1"] >= 4) & (points["eb2"] >= 4)
        & (points["eb3"] >= 4),
        level2_em=(a_star_c + equiv["counted_ac"] >= 5) & em_c,
        level2=a_star_c + equiv["counted_ac"] >= 5,
        # (GCSEs alone: what the labour market is modelled to reward, as the Wolf review
        # found of the equivalents; summarise_education reads it)
        level2_gcse=a_star_c >= 5,
        level1=a_star_g + equiv["counted_units"] >= 5,
        equiv_units=equiv["units"],
        equiv_ac=equiv["ac"],
        equiv_counted_units=equiv["counted_units"],
        equiv_counted_ac=equiv["counted_ac"],
        equiv_unit_points=equiv["unit_points"],
        total_newstyle=scored.sum(axis=1, dtype=np.int64),
        capped_newstyle=best_eight(scored).sum(axis=1, dtype=np.int64),
    )


def with_equivalents(scored: np.ndarray, units: np.ndarray, unit_points: np.ndarray
                     ) -> np.ndarray:
    """(rows, k + MAX_EQUIVALENT_UNITS): the GCSE slots' scores ``scored``, then one column
    per GCSE the pupil's vocational qualification counts as (``units``), at its new-style
    points (0 beyond its units)."""
    return np.column_stack([scored, *(np.where(units > k, unit_points, 0)
                                      for k in range(MAX_EQUIVALENT_UNITS))])


def best_eight(scored: np.ndarray) -> np.ndarray:
    """Each row's eight best scores (the capped point score's), in ascending order."""
    return np.sort(scored, axis=1)[:, -len(SLOTS):]


MAX_EQUIVALENT_UNITS = 4
"""GCSEs a vocational qualification is worth at most (a BTEC First Diploma)."""
LAST_EQUIVALENT_YEAR = 2013
"""The last KS4 year with equivalents (from 2014/15 the measures count GCSEs, and the
equivalents Attainment 8 admits are not simulated)."""
WOLF_YEAR = 2013
"""From 2013/14 a qualification counts as one GCSE (and at most two non-GCSEs count: a
simulated pupil takes one)."""


def vocational_equivalents(ctx: BlockContext, year: np.ndarray, latent: np.ndarray,
                           no_entries: np.ndarray) -> dict[str, np.ndarray]:
    """Each KS4 pupil's vocational qualification counted as GCSE equivalents (at most one):
    its size in GCSEs (``units``: 0, 2 or 4), the units at A*-C (``ac``: all or none), the
    new-style points of a unit (``unit_points``: 40 to 58 at A*-C, 34 below), and what the
    year's rules count (``counted_units``, ``counted_ac``: each unit to 2012/13, one per
    qualification from 2013/14). Drawn from a stream of its own: the GCSE grades do not
    change with it."""
    p = ctx.params["ks4.equivalents"]
    rng = ctx.rng("ks4.equivalents")
    n = len(year)
    share = np.where(year <= LAST_EQUIVALENT_YEAR, interpolate(p["share"], year), 0.0)
    takes = (rng.random(n) < share * logistic(p["a"] + p["b"] * latent)) & ~no_entries
    diploma = rng.random(n) < interpolate(p["diploma"], year)
    units = np.where(takes, np.where(diploma, MAX_EQUIVALENT_UNITS, 2), 0).astype(np.int64)
    passed = rng.random(n) < logistic(p["pass_a"] + p["pass_b"] * latent)
    # C, B, A or A* for a pass (pass, merit, distinction, distinction*), better with ability
    grade = np.clip(np.rint(p["grade_a"] + p["grade_b"] * latent
                            + rng.normal(0, p["grade_noise"], n)), 0, 3).astype(np.int64)
    unit_points = np.where(passed, NEWSTYLE_OF_POINTS[4] + 6 * grade,
                           NEWSTYLE_OF_POINTS[3]).astype(np.int64)
    ac = np.where(passed, units, 0)
    wolf = year >= WOLF_YEAR
    return {"units": units, "ac": ac, "unit_points": np.where(takes, unit_points, 0),
            "counted_units": np.where(wolf, np.minimum(units, 1), units),
            "counted_ac": np.where(wolf, np.minimum(ac, 1), ac)}
