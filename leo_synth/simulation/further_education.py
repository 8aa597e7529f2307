"""Further education and apprenticeships as the ILR records them.

An ILR *learner record* is one learner at one provider in one academic year (so one person has
many); each carries one or more *aims*. Records come from three sources: 16-18 year olds in
colleges and apprenticeships (from the post-16 route), adult learners (persons known only to the
ILR, and school persons returning to learning), and adult apprenticeship starts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from leo_synth.simulation.calendar import ymd
from leo_synth.simulation.context import BlockContext
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.population import KIND_ADULT_LEARNER, KIND_SCHOOL
from leo_synth.simulation.post16 import Post16
from leo_synth.simulation.series import year_series
from leo_synth.simulation.stats import categorical, rank_within

FIRST_ILR_YEAR, LAST_ILR_YEAR = 2002, 2020
MAX_RECORDS = 32
"""Learner records per person; matches the ``slots`` of the recordid/external_id keyspaces."""

# Kinds of learning year.
KIND_FE, KIND_SFC, KIND_APP, KIND_ADULT = 0, 1, 2, 3


@dataclass
class FurtherEducation:
    """ILR learner records and aims of the block."""

    learners: Frame  # one row per learner record (person, provider, year)
    aims: Frame  # one row per aim; ``learner`` is the row in ``learners``
    apprenticeships: Frame  # person, start_date, end_date, level: employment while training


def simulate_fe(ctx: BlockContext, persons: Frame, post16: Post16) -> FurtherEducation:
    """Learner records and aims for the block."""
    p = ctx.params
    rng = ctx.rng("fe")
    youth = post16.youth_fe
    kind_code = {"fe": KIND_FE, "sfc": KIND_SFC, "app": KIND_APP}
    youth_records = Frame(
        person=youth["person"], year=youth["year"], level=youth["level"],
        kind=np.array([kind_code[k] for k in youth["kind"]], dtype=np.int64),
        achieved=youth["achieved"].astype(bool),
    )
    adult = _adult_years(ctx, rng, persons)
    records = Frame.concat([youth_records, adult])
    records = records.take((records["year"] >= FIRST_ILR_YEAR) & (records["year"] <= LAST_ILR_YEAR))
    records = records.sort("person", "year")
    slot = rank_within(records["person"])
    records = records.take(slot < MAX_RECORDS)
    records["slot"] = rank_within(records["person"])
    m = len(records)
    records["provider"] = rng.integers(0, len(ctx.pools.fe_providers), m)
    records["age"] = records["year"] - persons["cohort"][records["person"]] - 1
    records["apprenticeship"] = records["kind"] == KIND_APP
    app_levels = year_series_rows(p["fe.apprenticeship_levels"], records["year"])
    app_level = 2 + categorical(rng, app_levels)
    records["level"] = np.where(records["apprenticeship"],
                                np.maximum(records["level"], app_level), records["level"])
    aims = _aims(ctx, rng, records)
    apprenticeships = aims.take(aims["programme_aim"])
    apprenticeships = Frame(person=records["person"][apprenticeships["learner"]],
                            start_date=apprenticeships["start_date"],
                            end_date=apprenticeships["end_date"],
                            level=apprenticeships["level"])
    return FurtherEducation(records, aims, apprenticeships)


def year_series_rows(points: dict, years: np.ndarray) -> np.ndarray:
    """Interpolate a yearly series of probability vectors, one row per requested year."""
    keys = sorted(points)
    width = len(points[keys[0]])
    cols = [year_series({k: points[k][j] for k in keys}, years) for j in range(width)]
    return np.stack(cols, axis=1)


def _adult_years(ctx: BlockContext, rng: np.random.Generator, persons: Frame) -> Frame:
    """Adult learning years (19+) and adult apprenticeship starts."""
    p = ctx.params
    n = len(persons)
    first_year = np.maximum(FIRST_ILR_YEAR, persons["cohort"] + 20)
    last_year = np.minimum(LAST_ILR_YEAR, persons["cohort"] + 65)
    span = np.maximum(last_year - first_year + 1, 0)
    adult = persons["kind"] == KIND_ADULT_LEARNER
    hazard = float(p["fe.adult_learning_hazard_school_persons"])
    counts = np.where(adult, 1 + rng.poisson(p["fe.adult_learning_years"], n),
                      np.where(persons["kind"] == KIND_SCHOOL, rng.binomial(span, hazard), 0))
    counts = np.minimum(counts, span)
    person = np.repeat(np.arange(n), counts)
    year = first_year[person] + (rng.random(len(person)) * span[person]).astype(np.int64)
    levels = np.array(p["fe.adult_levels"], dtype=float)
    level = categorical(rng, levels, len(person))
    learning = Frame(person=person, year=year, level=level,
                     kind=np.full(len(person), KIND_ADULT, dtype=np.int64),
                     achieved=rng.random(len(person)) < p["fe.achievement_rate"])
    app_span = np.maximum(np.minimum(last_year, persons["cohort"] + 46) - first_year + 1, 0)
    app_counts = rng.binomial(app_span, float(p["fe.adult_apprenticeship_hazard"]))
    app_counts = np.minimum(app_counts, 1)
    a_person = np.repeat(np.arange(n), app_counts)
    a_year = first_year[a_person] + (rng.random(len(a_person)) * app_span[a_person]).astype(
        np.int64)
    apprentices = Frame(person=a_person, year=a_year, level=np.full(len(a_person), 2),
                        kind=np.full(len(a_person), KIND_APP, dtype=np.int64),
                        achieved=rng.random(len(a_person)) < p["fe.apprenticeship_achievement"])
    return Frame.concat([learning, apprentices])


def _aims(ctx: BlockContext, rng: np.random.Generator, records: Frame) -> Frame:
    """Aims of each learner record: a programme aim and components for apprenticeships,
    one to four qualification aims otherwise."""
    p = ctx.params
    m = len(records)
    per = 1 + categorical(rng, np.array(p["fe.aims_per_learner"], dtype=float), m)
    per = np.where(records["kind"] == KIND_SFC, 3, per)
    per = np.where(records["apprenticeship"], 3, per)
    learner = np.repeat(np.arange(m), per)
    sequence = rank_within(learner) + 1
    k = len(learner)
    kind = records["kind"][learner]
    year = records["year"][learner]
    apprenticeship = kind == KIND_APP
    programme_aim = apprenticeship & (sequence == 1)
    level = records["level"][learner]
    # Apprenticeships last 12-24 months from any month; college aims run September to June.
    start_month = np.where(apprenticeship | (kind == KIND_ADULT),
                           rng.integers(0, 12, k), rng.integers(0, 2, k))
    start = ymd(year + (start_month + 8) // 12, (start_month + 8) % 12 + 1,
                1 + rng.integers(0, 28, k))
    months = np.where(apprenticeship, 12 + rng.integers(0, 13, k),
                      np.where(kind == KIND_ADULT, 1 + rng.integers(0, 9, k), 9))
    planned_end = start + (months * 30.4).astype("timedelta64[D]")
    achieved_record = records["achieved"][learner]
    withdrawn = ~achieved_record & (rng.random(k) < 0.7)
    end = np.where(withdrawn, start + ((planned_end - start) * rng.random(k)).astype(
        "timedelta64[D]"), planned_end + rng.integers(-10, 30, k).astype("timedelta64[D]"))
    end = np.maximum(end, start + np.timedelta64(1, "D"))
    return Frame(
        learner=learner, sequence=sequence, level=level, programme_aim=programme_aim,
        apprenticeship=apprenticeship, kind=kind, start_date=start, planned_end=planned_end,
        end_date=end, achieved=achieved_record & ~withdrawn, withdrawn=withdrawn,
    )
