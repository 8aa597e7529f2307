"""Further education and apprenticeships as the ILR records them.

An ILR *learner record* is one learner at one provider in one academic year (so one person has
many); each carries one or more *aims*. Records come from three sources: 16-18 year olds in
colleges and apprenticeships (from the post-16 route), adult learners (persons known only to the
ILR, and school persons returning to learning), and adult apprenticeship starts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from leo_synth.simulation.calendar import ilr_year_of, ymd
from leo_synth.simulation.condition_of_funding import (
    AS_LEVEL_SLOT,
    NO_A_LEVEL,
    NO_SUBJECT,
    UNACHIEVED_WITHDRAWN,
    condition_of_funding_aims,
    ks4_grades,
)
from leo_synth.simulation.context import BlockContext
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.population import KIND_ADULT_LEARNER, KIND_SCHOOL
from leo_synth.simulation.post16 import Post16, a_level_row
from leo_synth.simulation.series import interpolate
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


def simulate_fe(ctx: BlockContext, persons: Frame, post16: Post16,
                ks4: Frame) -> FurtherEducation:
    """Learner records and aims for the block."""
    p = ctx.params
    youth = post16.youth_fe
    kind_code = {"fe": KIND_FE, "sfc": KIND_SFC, "app": KIND_APP}
    youth_records = Frame(
        person=youth["person"], year=youth["year"], level=youth["level"],
        kind=np.array([kind_code[k] for k in youth["kind"]], dtype=np.int64),
        achieved=youth["achieved"].astype(bool), withdraw_date=youth["withdraw_date"],
        youth=np.ones(len(youth), dtype=bool),
    )
    adult = _adult_years(ctx, ctx.rng("fe.adult_years"), persons)
    adult["withdraw_date"] = np.full(len(adult), np.datetime64("NaT"), dtype="datetime64[D]")
    adult["youth"] = np.zeros(len(adult), dtype=bool)
    records = Frame.concat([youth_records, adult])
    records = records.take((records["year"] >= FIRST_ILR_YEAR) & (records["year"] <= LAST_ILR_YEAR))
    records = records.sort("person", "year")
    m = len(records)
    records["provider"] = _one_provider_at_16_to_18(
        records, ctx.rng("fe.provider").integers(0, len(ctx.pools.fe_providers), m))
    records["age"] = records["year"] - persons["cohort"][records["person"]] - 1
    records["apprenticeship"] = records["kind"] == KIND_APP
    app_levels = year_series_rows(p["fe.apprenticeship_levels"], records["year"])
    app_level = 2 + categorical(ctx.rng("fe.apprenticeship_level"), app_levels)
    records["level"] = np.where(records["apprenticeship"],
                                np.maximum(records["level"], app_level), records["level"])
    aims = _aims(ctx, ctx.rng("fe.aims"), records)
    # A sixth-form college's A level students take their KS5 A levels instead (drawn on their
    # own, so the other aims keep their draws and ids)
    ks5_row, first_year = _a_level_years(records, post16, len(persons))
    a_levels = _a_level_aims(ctx.rng("fe.a_level_aims"), records, ks5_row, first_year, post16,
                             first_aim=len(aims))
    next_aim = len(aims) + len(a_levels)
    aims = Frame.concat([aims.take(ks5_row[aims["learner"]] < 0), a_levels])
    college = (records["kind"] == KIND_FE) | (records["kind"] == KIND_SFC)
    funding = condition_of_funding_aims(
        ctx, ctx.rng("fe.condition_of_funding"), records, college, ks4_grades(persons, ks4),
        first_aim=next_aim)
    # (the AS levels' ids come last, so every other aim keeps its id and the draws keyed by it)
    as_levels = _as_level_aims(ctx.rng("fe.as_level_aims"), records, ks5_row, first_year,
                               post16, first_aim=next_aim + len(funding))
    aims = Frame.concat([aims, funding, as_levels])
    programmes = aims.take(aims["programme_aim"])
    apprenticeships = Frame(person=records["person"][programmes["learner"]],
                            start_date=programmes["start_date"],
                            end_date=programmes["end_date"], level=programmes["level"])
    records, aims = _continue_across_years(records, aims, persons)
    return FurtherEducation(records, aims, apprenticeships)


def _one_provider_at_16_to_18(records: Frame, drawn: np.ndarray) -> np.ndarray:
    """Providers of the learner records: a 16-18 learner stays at the provider of the first
    year of the route (a college's two years, an A level course's), an adult's each year is
    drawn (``drawn``, one per record)."""
    youth = np.flatnonzero(records["youth"])
    key = records["person"][youth] * 4 + records["kind"][youth]
    _keys, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    provider = drawn.copy()
    provider[youth] = drawn[youth][first][inverse]
    return provider


def _a_level_years(records: Frame, post16: Post16, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per learner record: the person's KS5 row where the record is a year of a sixth-form
    college student's A levels (:func:`~leo_synth.simulation.post16.a_level_row`), else -1;
    and whether it is the first of the two in the ILR (Year 12, or Year 13 when Year 12 came
    before the first ILR year)."""
    row = np.where(records["kind"] == KIND_SFC,
                   a_level_row(post16.ks5, records["person"], records["year"], n), -1)
    held = row >= 0
    ks5_year = np.full(len(records), -1)
    ks5_year[held] = post16.ks5["year"][row[held]]
    first = held & (records["year"] == np.maximum(ks5_year - 1, FIRST_ILR_YEAR))
    return row, first


def _a_level_aims(rng: np.random.Generator, records: Frame, ks5_row: np.ndarray,
                  first_year: np.ndarray, post16: Post16, first_aim: int) -> Frame:
    """One aim per KS5 A level of each sixth-form college student, on the record of Year 12
    (``first_year``, see :func:`_a_level_years`; ``ks5_row`` the student's KS5 row): started
    in early September of Year 12, planned to end on 30 June of Year 13 (so the ILR returns it
    in both years), ending with the exams; achieved at grade E or above. ``a_level`` is the A
    level's slot in the KS5 record, whose subject and grade are the KS5 exam row's; aim ids
    from ``first_aim``."""
    ks5 = post16.ks5
    rows = np.flatnonzero(first_year)
    student = ks5_row[rows]
    count = ks5["n_alevels"][student]
    learner = np.repeat(rows, count)
    slot = rank_within(learner)
    grades = np.stack([ks5[f"al{i + 1}"] for i in range(4)], axis=1)
    grade = grades[np.repeat(student, count), slot]
    k = len(learner)
    year = ks5["year"][np.repeat(student, count)] - 1  # (Year 12)
    start = ymd(year, 9, 1 + rng.integers(0, 10, k))
    planned_end = ymd(year + 2, 6, 30)
    end = planned_end - rng.integers(0, 21, k).astype("timedelta64[D]")
    return _ks5_aims(first_aim, learner, slot + 1, start, planned_end, end, grade >= 1, slot)


def _as_level_aims(rng: np.random.Generator, records: Frame, ks5_row: np.ndarray,
                   first_year: np.ndarray, post16: Post16, first_aim: int) -> Frame:
    """The AS level of each sixth-form college student who cashed one in, on the record of
    Year 12 (none when Year 12 came before the first ILR year), after the A levels: started
    with them, planned to end on 30 June of Year 12 and ending with that summer's exams;
    achieved at grade E or above; ``a_level`` :data:`AS_LEVEL_SLOT`."""
    ks5 = post16.ks5
    rows = np.flatnonzero(first_year)
    student = ks5_row[rows]
    year = ks5["year"][student] - 1  # (Year 12)
    keep = (ks5["as_level"][student] >= 0) & (records["year"][rows] == year)
    rows, student, year = rows[keep], student[keep], year[keep]
    k = len(rows)
    start = ymd(year, 9, 1 + rng.integers(0, 10, k))
    planned_end = ymd(year + 1, 6, 30)
    end = planned_end - rng.integers(0, 21, k).astype("timedelta64[D]")
    return _ks5_aims(first_aim, rows, ks5["n_alevels"][student] + 1, start, planned_end, end,
                     ks5["as_level"][student] >= 1, np.full(k, AS_LEVEL_SLOT))


def _ks5_aims(first_aim: int, learner: np.ndarray, sequence: np.ndarray, start: np.ndarray,
              planned_end: np.ndarray, end: np.ndarray, achieved: np.ndarray,
              slot: np.ndarray) -> Frame:
    """Aims of a sixth-form college student's KS5 qualifications (level 3, not a programme or
    an apprenticeship): learner records ``learner``, ids from ``first_aim``, ``a_level`` the
    qualification's ``slot`` in the KS5 record."""
    k = len(learner)
    return Frame(
        aim=first_aim + np.arange(k), learner=learner, sequence=sequence,
        level=np.full(k, 3, dtype=np.int64), programme_aim=np.zeros(k, dtype=bool),
        apprenticeship=np.zeros(k, dtype=bool), kind=np.full(k, KIND_SFC, dtype=np.int64),
        start_date=start, planned_end=planned_end, end_date=end, achieved=achieved,
        withdrawn=np.zeros(k, dtype=bool), cof_subject=np.full(k, NO_SUBJECT),
        gcse=np.zeros(k, dtype=bool), gcse_grade=np.zeros(k, dtype=np.int64),
        a_level=np.asarray(slot, dtype=np.int64),
    )


def _continue_across_years(records: Frame, aims: Frame,
                           persons: Frame) -> tuple[Frame, Frame]:
    """Repeat aims in every academic year they are active, as the ILR returns them each year
    (so an apprenticeship started in one year is completed and achieved in a later year's
    records), and give each (person, provider, year) its learner record."""
    end_year = ilr_year_of(np.minimum(aims["end_date"], np.datetime64("2021-07-31")))
    start_year = records["year"][aims["learner"]]
    span = np.clip(end_year - start_year + 1, 1, LAST_ILR_YEAR - start_year + 1)
    row = np.repeat(np.arange(len(aims)), span)
    offset = np.arange(len(row)) - np.repeat(np.cumsum(span) - span, span)
    origin = aims["learner"][row]
    exploded = aims.take(row)
    year = start_year[row] + offset
    person = records["person"][origin]
    provider = records["provider"][origin]
    key = (person * 1_000_000 + provider) * 100 + (year - 2000)
    _keys, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    new_records = records.take(origin[first])
    new_records["year"] = year[first]
    new_records["age"] = year[first] - persons["cohort"][new_records["person"]] - 1
    order = np.lexsort((new_records["year"], new_records["person"]))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    new_records = new_records.take(order)
    new_records["slot"] = rank_within(new_records["person"])
    keep_record = new_records["slot"] < MAX_RECORDS
    exploded["learner"] = rank[inverse]
    exploded = exploded.take(keep_record[exploded["learner"]])
    remap = np.cumsum(keep_record) - 1
    new_records = new_records.take(keep_record)
    exploded["learner"] = remap[exploded["learner"]]
    exploded = exploded.sort("learner", "start_date")
    exploded["sequence"] = rank_within(exploded["learner"]) + 1
    return new_records, exploded


def year_series_rows(points: dict, years: np.ndarray) -> np.ndarray:
    """Interpolate a yearly series of probability vectors, one row per requested year."""
    keys = sorted(points)
    width = len(points[keys[0]])
    cols = [interpolate({k: points[k][j] for k in keys}, years) for j in range(width)]
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
    # Learning years come in one run of consecutive years (a course, then the next level).
    first = first_year + (rng.random(n) * (span - counts + 1)).astype(np.int64)
    year = first[person] + rank_within(person)
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
    # Months from August: college aims run September to June (a few start in August), 16-18
    # apprenticeships start August to October, adult courses and apprenticeships any month.
    # Adult courses: some run the academic year like 16-18 programmes, the rest are short
    # courses starting in any month.
    young = records["age"][learner] < 19
    adult_year_course = (kind == KIND_ADULT) & (
        rng.random(k) < p["fe.adult_year_course_share"])
    start_month = np.where((apprenticeship & ~young) | (kind == KIND_ADULT),
                           rng.integers(0, 12, k),
                           np.where(apprenticeship, rng.integers(0, 3, k),
                                    (rng.random(k) < 0.9).astype(np.int64)))
    start_month = np.where(adult_year_course, 1, start_month)
    # month 0 is August of the academic year, 11 the July that ends it (it was September to
    # August: a month late, and 1 in 12 adult aims started in the next academic year)
    start = ymd(year + (start_month + 7) // 12, (start_month + 7) % 12 + 1,
                1 + rng.integers(0, 28, k))
    months = np.where(apprenticeship, 12 + rng.integers(0, 13, k),
                      np.where((kind == KIND_ADULT) & ~adult_year_course,
                               1 + rng.integers(0, 9, k), 9))
    planned_end = start + (months * 30.4).astype("timedelta64[D]")
    achieved_record = records["achieved"][learner]
    withdraw_date = records["withdraw_date"][learner]
    abandoned = ~np.isnat(withdraw_date)
    withdrawn = abandoned | (~achieved_record & (rng.random(k) < UNACHIEVED_WITHDRAWN))
    end = np.where(withdrawn, start + ((planned_end - start) * rng.random(k)).astype(
        "timedelta64[D]"), planned_end + rng.integers(-10, 30, k).astype("timedelta64[D]"))
    end = np.where(abandoned, np.maximum(withdraw_date, start + np.timedelta64(1, "D")), end)
    end = np.maximum(end, start + np.timedelta64(1, "D"))
    return Frame(
        aim=np.arange(k), learner=learner, sequence=sequence, level=level,
        programme_aim=programme_aim,
        apprenticeship=apprenticeship, kind=kind, start_date=start, planned_end=planned_end,
        end_date=end, achieved=achieved_record & ~withdrawn, withdrawn=withdrawn,
        cof_subject=np.full(k, NO_SUBJECT), gcse=np.zeros(k, dtype=bool),
        gcse_grade=np.zeros(k, dtype=np.int64), a_level=np.full(k, NO_A_LEVEL, dtype=np.int64),
    )
