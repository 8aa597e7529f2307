"""Simulation modules and derivations checked directly, at sizes where shares can be measured."""

from __future__ import annotations

import datetime

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from leo_synth.engine.generate import BlockState, _init_worker, compute_block
from leo_synth.engine.keys import KeyMaker
from leo_synth.relations import registry
from leo_synth.relations.derive import date_in_year
from leo_synth.relations.ks5 import ks5_school
from leo_synth.relations.npd import _census_rows
from leo_synth.relations.registry import YEAR_ATTRIBUTE
from leo_synth.simulation import key_stages, school_events
from leo_synth.simulation.calendar import (
    EXTRACT_END,
    OPEN_END,
    academic_year_end,
    academic_year_of,
    academic_year_start,
    day_of,
    month_of,
    spring_census_day,
    year_of,
    ymd,
)
from leo_synth.simulation.context import BlockContext
from leo_synth.simulation.frame import ByYear, Frame, Masked
from leo_synth.simulation.higher_education import FIRST, LEVEL_FIRST_DEGREE, THIRD
from leo_synth.simulation.life import LifeCourse, simulate_block
from leo_synth.simulation.parameters import load_parameters
from leo_synth.simulation.pools import SIC_SECTIONS, SPECIAL_PHASE, build_pools
from leo_synth.simulation.population import KIND_SCHOOL
from leo_synth.simulation.post16 import APPRENTICESHIP, FE, ROUTES, SFC, SIXTH_FORM
from leo_synth.simulation.residence import COUNTRIES, simulate_residence
from leo_synth.simulation.schooling import SEN_STATEMENT, eleven_plus_score
from leo_synth.simulation.series import interpolate
from leo_synth.simulation.stats import softmax_rows

_LIVES: dict[int, LifeCourse] = {}


def _life_of(catalog, persons: int) -> LifeCourse:
    """One block of ``persons`` simulated with seed 5, made once for the tests that read it."""
    if persons not in _LIVES:
        params = load_parameters(None)
        pools = build_pools(5, persons, params)
        _LIVES[persons] = simulate_block(BlockContext(5, 0, 0, persons, params, pools,
                                                      KeyMaker(catalog.keyspaces, 5)))
    return _LIVES[persons]


def _residence_of_20000(catalog) -> Frame:
    """Residence of 20,000 persons born in 1990, all from the first LA's first output area."""
    n = 20_000
    params = load_parameters(None)
    pools = build_pools(3, n, params)
    ctx = BlockContext(3, 0, 0, n, params, pools, KeyMaker(catalog.keyspaces, 3))
    la = np.zeros(n, dtype=np.int64)
    oa = np.flatnonzero(pools.output_areas["la"] == 0)[np.zeros(n, dtype=np.int64)]
    persons = Frame(cohort=np.full(n, 1990), la=la, oa=oa)
    return simulate_residence(ctx, persons, np.full(n, -1))


def test_residence_countries_follow_their_shares(catalog) -> None:
    """Each country outside England is drawn with its own parameter share (labels included)."""
    residence = _residence_of_20000(catalog)
    away = residence["country"] > 0
    person_country = dict(zip(residence["person"][away], residence["country"][away],
                              strict=True))
    drawn = np.bincount(list(person_country.values()), minlength=len(COUNTRIES))[1:]
    p = load_parameters(None)["geography"]
    share = {"Abroad": p["abroad_share"], **p["other_uk_share"], "Unknown": p["unknown_share"]}
    expected = np.array([share[name] for name in COUNTRIES[1:]])
    assert drawn.sum() > 1000
    np.testing.assert_allclose(drawn / drawn.sum(), expected / expected.sum(), atol=0.04)


def test_a_home_changes_only_when_its_person_moves(catalog) -> None:
    """A person's output area stays from one tax year to the next unless they move: about 7%
    of person-years change LA and as many again move within it (after a first move the area
    was drawn again every year: 42% of person-years changed area against 7% changing LA)."""
    residence = _residence_of_20000(catalog)
    same_person = residence["person"][1:] == residence["person"][:-1]
    new_la = (residence["la"][1:] != residence["la"][:-1])[same_person]
    new_area = (residence["oa"][1:] != residence["oa"][:-1])[same_person]
    assert (new_area >= new_la).all()  # (a new LA is a new area)
    assert 0.04 < new_la.mean() < 0.09
    assert 0.09 < new_area.mean() < 0.18


def test_date_in_year_stays_in_the_academic_year_in_leap_years() -> None:
    years = np.repeat([2011, 2012, 2015, 2016], 50_000)
    uniforms = np.random.default_rng(5).random((2, len(years)))
    uniforms[1] = np.nextafter(1.0, 0.0)  # the largest draw still falls inside the year
    first, last = date_in_year(Frame(**{YEAR_ATTRIBUTE: years}), None, [None, None], uniforms)
    assert (last == academic_year_end(years)).all()
    dates = first
    assert (dates >= academic_year_start(years)).all()
    assert (dates <= academic_year_end(years)).all()
    leap = years == 2015  # 2015/16 holds 29 February 2016
    assert (dates[leap] == np.datetime64("2016-08-31")).any()


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), block_size=st.integers(3, 400),
       full_blocks=st.integers(0, 3), last=st.sampled_from([1, 2]))
@example(seed=4, block_size=5000, full_blocks=1, last=1)  # the 5,001-person run of issue 8
@example(seed=1, block_size=10, full_blocks=0, last=2)
def test_a_last_block_of_one_or_two_persons_simulates(catalog, seed: int, block_size: int,
                                                      full_blocks: int, last: int) -> None:
    """Runs of N*block+1, N*block+2, 1 and 2 persons: the tiny last block (whose persons may
    have no residence, HE or labour rows at all) simulates without empty-array reductions."""
    persons = full_blocks * block_size + last
    params = load_parameters(None)
    pools = build_pools(seed, persons, params)
    ctx = BlockContext(seed, full_blocks, full_blocks * block_size, last, params, pools,
                       KeyMaker(catalog.keyspaces, seed))
    life = simulate_block(ctx)
    assert len(life.persons) == last
    assert (life.residence["person"] < last).all()


def test_every_relation_builds_from_a_two_person_block(catalog) -> None:
    """The builders too accept a block of two persons (seed 1 crashed before)."""
    persons = 2
    relations = catalog.relations(2)
    params = load_parameters(None)
    state = BlockState(1, persons, 10, params, build_pools(1, persons, params),
                       KeyMaker(catalog.keyspaces, 1), relations)
    state.person_relations = [index for index, rel in enumerate(relations)
                              if not registry.BUILDERS[rel.table.builder].static]
    _init_worker(state)
    built = compute_block(0)
    assert len(built) == len(state.person_relations)


def test_a_frame_keeps_its_row_count() -> None:
    frame = Frame()
    assert len(frame) == 0
    frame["a"] = np.arange(3)
    frame["a"] = np.arange(3) * 2  # a column replaced keeps the count
    assert len(frame) == 3 and len(frame.take(np.array([0, 2]))) == 2
    with pytest.raises(ValueError, match="has 2 rows, frame has 3"):
        frame["b"] = np.arange(2)
    assert len(Frame.concat([frame, frame])) == 6 and len(frame.select([])) == 0


def test_a_frame_taken_by_mask_holds_the_masks_rows() -> None:
    """(A mask is turned into positions once for all columns: the same rows, a wrong length
    still an error.)"""
    frame = Frame(a=np.arange(5), b=Masked(np.arange(5) * 2, np.array([1, 0, 1, 0, 0], bool)))
    mask = np.array([True, False, True, True, False])
    taken = frame.take(mask)
    assert taken["a"].tolist() == [0, 2, 3] and taken["b"].values.tolist() == [0, 4, 6]
    assert taken["b"].null.tolist() == [True, True, False]
    with pytest.raises(IndexError):
        frame.take(mask[:4])


def test_a_years_slice_holds_its_rows_in_their_order() -> None:
    year = np.array([2012, 2010, 2012, 2011, 2010, 2012])
    rows = ByYear.of(Frame(year=year, row=np.arange(6), masked=Masked(np.arange(6), year > 2011)))
    for wanted in (2009, 2010, 2011, 2012, 2013):
        got = rows.year(wanted)
        assert got["row"].tolist() == np.flatnonzero(year == wanted).tolist()
        assert got["masked"].null.tolist() == [wanted > 2011] * len(got)


def test_vocational_graduates_work_in_their_sector(catalog) -> None:
    """Nursing, allied health and medicine graduates' jobs after the degree are mostly in
    health (SIC Q, ``labour.subject_sectors``), other graduates' much less often."""
    params = load_parameters(None)
    life = _life_of(catalog, 4_000)
    spells, edu = life.labour.spells, life.education
    person = spells["person"]
    graduated = ymd(np.maximum(edu.degree_year[person], 1900) + 1, 6, 1)  # final year ends
    after = (edu.degree_year[person] >= 0) & (spells["start"] >= graduated) & (
        spells["kind"] == 0)
    codes = [s["cah2"] for s in params["he.subjects"]]
    health = np.isin(edu.subject_cah2[person],
                     [codes.index(c) for c in ("CAH01-01", "CAH02-04", "CAH02-06")])
    letters = np.array([s[0] for s in SIC_SECTIONS])
    in_q = letters[life.ctx.pools.enterprises["section"][spells["enterprise"]]] == "Q"
    assert (after & health).sum() > 50
    assert in_q[after & health].mean() > 0.7
    assert in_q[after & ~health].mean() < 0.3


def test_year_month_and_day_of_dates_are_numpys() -> None:
    """(Days are split into year, month and day by integer arithmetic: numpy's own reading,
    over 10,000 years either side of 1970, leap centuries included; other units, NaT and
    scalars still read by numpy.)"""
    days = np.arange(-800_000, 3_000_000).astype("datetime64[D]")
    months = days.astype("datetime64[M]")
    expected = (days.astype("datetime64[Y]").astype(np.int64) + 1970,
                months.astype(np.int64) % 12 + 1,
                (days - months.astype("datetime64[D]")).astype(np.int64) + 1)
    for split, want in zip((year_of, month_of, day_of), expected, strict=True):
        got = split(days)
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)
        np.testing.assert_array_equal(split(days[:12].reshape(3, 4)), want[:12].reshape(3, 4))
    odd = np.array(["2001-02-03", "NaT"], dtype="datetime64[D]")
    assert year_of(odd)[0] == 2001 and month_of(odd)[0] == 2 and day_of(odd)[0] == 3
    assert year_of(np.array(["2004-02-29T23"], dtype="datetime64[h]")).tolist() == [2004]
    assert int(year_of(np.datetime64("2005-06-07"))) == 2005


def test_dates_within_the_day_tables_read_as_numpy_reads_them() -> None:
    """(Days of 1900 to 2099, and the first days of months, are read from tables,
    ``simulation/day_tables.py``: the values numpy's calendar gives; an array reaching beyond
    the tables by a day is computed as before, the same.)"""
    days = np.arange(np.datetime64("1900-01-01"), np.datetime64("2100-01-01"))
    months = days.astype("datetime64[M]")
    expected = (days.astype("datetime64[Y]").astype(np.int64) + 1970,
                months.astype(np.int64) % 12 + 1,
                (days - months.astype("datetime64[D]")).astype(np.int64) + 1)
    beyond = np.concatenate([days, [np.datetime64("2100-01-01")]])
    for split, want in zip((year_of, month_of, day_of), expected, strict=True):
        assert split(days).dtype == want.dtype
        np.testing.assert_array_equal(split(days), want)
        np.testing.assert_array_equal(split(beyond)[:-1], want)
        np.testing.assert_array_equal(split(days[:12].reshape(3, 4)), want[:12].reshape(3, 4))
    year = np.arange(1890, 2110).repeat(15)
    month, day = np.tile(np.arange(0, 15), 220), np.tile(np.arange(-2, 33, 7)[:3], 1100)
    want = ((year - 1970) * 12 + month - 1).astype("datetime64[M]").astype(
        "datetime64[D]") + (day - 1).astype("timedelta64[D]")
    inside = (year >= 1901) & (year <= 2098)
    for rows in (inside, slice(None)):  # (from the table; beyond it, as before)
        got = ymd(year[rows], month[rows], day[rows])
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want[rows])
    scalar = ymd(2001, 2, 31)  # (a scalar stays one)
    assert type(scalar) is np.datetime64 and scalar == np.datetime64("2001-03-03")


def test_special_school_pupils_hold_a_plan_and_some_sit_gcses(catalog) -> None:
    """A special school's pupils hold a statement or EHC plan in every year on its roll (not
    only when their need crosses the bar, which left a third of them without one), and, as
    in the published tables, some of them sit GCSEs: Attainment 8 low but not all 0."""
    n = 20_000
    params = load_parameters(None)
    pools = build_pools(9, n, params)
    life = simulate_block(BlockContext(9, 0, 0, n, params, pools, KeyMaker(catalog.keyspaces, 9)))
    years = life.schooling.pupil_years
    special = pools.schools["phase"][years["school"]] == SPECIAL_PHASE
    assert special.sum() > 1000
    assert (years["sen"][special] == SEN_STATEMENT).all()
    ks4 = life.ks4
    at_special = pools.schools["phase"][ks4["school"]] == SPECIAL_PHASE
    att8 = ks4["att8"][at_special]
    assert len(att8) > 50
    assert 0.5 < (att8 == 0).mean() < 0.97
    mainstream = ks4["att8"][~at_special]
    assert 1 < att8.mean() < mainstream.mean() / 4


def test_grammar_schools_take_few_disadvantaged_pupils(catalog) -> None:
    """The 11-plus score leans against disadvantage (``grammar_disadvantage_tilt``): a
    grammar school's pupils are disadvantaged (FSM in the last six years) about a quarter as
    often as others (published about 6% against 27%); on ability alone it was half as often.
    The score stays standard normal, so a national bar keeps the grammar share."""
    n = 20_000
    params = load_parameters(None)
    pools = build_pools(9, n, params)
    life = simulate_block(BlockContext(9, 0, 0, n, params, pools, KeyMaker(catalog.keyspaces, 9)))
    ks4 = life.ks4
    grammar = pools.schools["grammar"][ks4["school"]]
    assert grammar.sum() > 200
    assert ks4["fsm6"][grammar].mean() < 0.35 * ks4["fsm6"][~grammar].mean()
    assert ks4["att8"][grammar].mean() > ks4["att8"][~grammar].mean() + 10
    tilt = float(params["school_types.grammar_disadvantage_tilt"])
    school_persons = life.persons.take(life.persons["kind"] == KIND_SCHOOL)
    score = eleven_plus_score(school_persons, tilt)
    assert abs(score.mean()) < 0.05 and abs(score.std() - 1) < 0.05


def test_young_lone_parents_claim_income_support_before_universal_credit(catalog) -> None:
    """Income Support is a lone parent's benefit: women only, and before Universal Credit
    about a quarter as many claimants as JSA on a day in 2010 (about 690,000 against 1.4
    million in 2010, fewer among the young); it was 3 against 463 when only the low
    qualified could claim it."""
    life = _life_of(catalog, 10_000)
    benefits = life.benefits
    kind = benefits["type"]
    on_income_support = kind == "IS"
    assert life.persons["female"][benefits["person"][on_income_support]].all()
    day = np.datetime64("2010-12-01")
    current = (benefits["start"] <= day) & (benefits["end"] >= day)
    ratio = (current & on_income_support).sum() / (current & (kind == "JSA")).sum()
    assert 0.12 < ratio < 0.5


def test_a_level_grades_follow_jcqs_shares(catalog) -> None:
    """A*/A about a quarter of A level entries and A* about 8% (JCQ 2010-2019; they were 35-42%
    and 14-21%), A*-C about 77% and A*-D about 91% (they were 85% and 97%), higher in the
    teacher-assessed year 2020/21."""
    life = _life_of(catalog, 20_000)
    ks5 = life.post16.ks5
    grades = np.stack([ks5[f"al{i}"] for i in range(1, 5)], axis=1)
    year = np.repeat(ks5["year"][:, None], 4, axis=1)
    taken = grades >= 0
    usual = taken & (year >= 2009) & (year <= 2018)
    assessed = taken & (year == 2020)
    assert 0.2 < (grades[usual] >= 5).mean() < 0.32
    assert 0.04 < (grades[usual] == 6).mean() < 0.12
    assert 0.72 < (grades[usual] >= 3).mean() < 0.82
    assert 0.87 < (grades[usual] >= 2).mean() < 0.95
    assert (grades[assessed] >= 5).mean() > (grades[usual] >= 5).mean() + 0.08


def test_furlough_peaks_in_may_and_returns_in_winter(catalog) -> None:
    """CJRS follows HMRC's monthly series: most furloughed in May 2020 (8.9m at the peak),
    about 2.5m (under a third of the peak) in October, 4m in November and 5.1m in January 2021
    (about half the peak) after the second and third lockdowns."""
    life = _life_of(catalog, 20_000)
    by_month = life.labour.cjrs["months"].sum(0)
    assert by_month.argmax() == 1  # (May: month 0 is April)
    assert 0.15 * by_month[1] < by_month[6] < 0.35 * by_month[1]  # October
    assert 0.3 * by_month[1] < by_month[7] < 0.55 * by_month[1]  # November
    assert 0.45 * by_month[1] < by_month[9] < 0.7 * by_month[1]  # January
    cjrs = life.labour.cjrs
    ends = cjrs["month_ends"]
    assert not (ends & ~cjrs["months"]).any()  # on furlough at a month's end: in the month
    stopped_during = (cjrs["months"] & ~ends).sum(1)
    assert 0.2 < (stopped_during > 0).mean() < 0.6
    assert (cjrs["weeks"] == np.rint((cjrs["months"].sum(1) - 0.5 * stopped_during) * 4.3)).all()


def test_furlough_from_march_2020(catalog) -> None:
    """Most first furloughs began with the lockdown of 23 March 2020: the 2019/20 records
    (the VRF's CJRS sheet covers 2019/20 and 2020/21; every record was of 2020/21), each of
    an employee furloughed in April on the payroll by 19 March."""
    life = _life_of(catalog, 20_000)
    cjrs, spells = life.labour.cjrs, life.labour.spells
    march = cjrs["march"]
    assert 0.3 < march.mean() < 0.8
    assert cjrs["months"][march, 0].all()
    on_payroll = spells["person"][spells["start"] <= np.datetime64("2020-03-19")]
    assert np.isin(cjrs["person"][march], on_payroll).all()
    relation = next(rel for rel in catalog.relations(2) if rel.name == "leo_cjrs")
    rows = registry.BUILDERS[relation.table.builder].build(life, relation)
    year = np.asarray(rows["tax_year"])
    assert set(np.unique(year)) == {201920, 202021}
    assert (np.asarray(rows["dtm"])[year == 201920] == b"000000000001").all()
    assert (np.asarray(rows["weeks"])[year == 201920] >= 1).all()


def test_furlough_take_up_and_jobs_on_the_payroll(catalog) -> None:
    """About a third of the employees in post on 6 April 2020 are furloughed by the end of
    June (HMRC: 9.4m jobs, 32% of eligible employments), more in 2020/21 as a whole (some
    first furloughed in the winter lockdowns: 11.7m jobs over the scheme), and nobody in a
    month after their jobs have all ended (a claim is for an employment on the payroll: one
    in ten furloughed employees had months after their job's end)."""
    life = _life_of(catalog, 20_000)
    spells, cjrs = life.labour.spells, life.labour.cjrs
    day = np.datetime64("2020-04-06")
    in_post = np.unique(spells["person"][(spells["start"] <= day) & (spells["end"] >= day)])
    by_june = np.isin(in_post, cjrs["person"][cjrs["months"][:, :3].any(1)]).mean()
    in_year = np.isin(in_post, cjrs["person"]).mean()
    assert 0.27 < by_june < 0.37
    assert in_year > by_june + 0.02
    first_day = (np.datetime64("2020-04", "M") + np.arange(12)).astype("datetime64[D]")
    last_month = cjrs["months"].shape[1] - 1 - cjrs["months"][:, ::-1].argmax(1)
    ends = spells["end"]
    latest_end = np.full(len(life.persons), np.datetime64("1900-01-01"), dtype=ends.dtype)
    np.maximum.at(latest_end, spells["person"], ends)
    assert (latest_end[cjrs["person"]] >= first_day[last_month]).all()


def test_sessions_possible_are_those_of_the_days_on_roll(catalog) -> None:
    """An enrolment's sessions possible are those of its days on roll: all of each term (less
    the few sessions a school is closed) for a pupil there all year; from the day of joining
    for a late arrival (none in the autumn for a January arrival) and for the school a mover
    joins; up to the day of the move at the school left. A mover's two enrolments of the year
    add up to about a whole year's sessions, term by term."""
    life = _life_of(catalog, 20_000)
    rows = school_events.absence(life)
    py = life.schooling.pupil_years
    key = rows["person"] * 10_000 + rows["year"]
    paired = np.zeros(len(rows), dtype=bool)
    paired[:-1] |= key[:-1] == key[1:]
    paired[1:] |= key[1:] == key[:-1]
    at = np.searchsorted(py["person"] * 10_000 + py["year"], key)
    joined = rows["entry_date"].astype("datetime64[D]")
    september = ymd(rows["year"], 9, 1)
    arrived = py["arrived"][at] & ~paired
    whole = ~paired & ~arrived
    possible = rows["possible"]
    sessions = school_events.TERM_SESSIONS
    assert arrived.sum() > 50 and paired.sum() > 100
    assert (possible[whole] >= sessions - 5).all()
    january = arrived & (month_of(joined) == 1)
    autumn = arrived & (month_of(joined) >= 10)
    assert january.any() and autumn.any()
    assert (possible[january, 0] == 0).all()
    assert (possible[autumn, 0] < sessions[0] - 5).all()
    assert (possible[arrived, 2] >= sessions[2] - 5).all()
    assert (possible[arrived].sum(1) < sessions.sum() - 5).mean() > 0.3
    # a mover's pair: the school left from 1 September, the school joined from the move's day
    left = np.flatnonzero(key[:-1] == key[1:])
    joins = left + 1
    assert (joined[joins] > september[joins]).all()
    # (but a pupil who arrived at the school left that year, after 1 September)
    all_year = joined[left] <= september[left]
    together = possible[left[all_year]] + possible[joins[all_year]]
    assert all_year.mean() > 0.9
    assert ((together >= sessions - 6) & (together <= sessions + 1)).all()
    before_spring = month_of(joined[joins]) >= 9  # a move in the autumn term
    assert (possible[left[before_spring], 1:] == 0).all()
    assert (possible[joins[~before_spring], 0] == 0).all()


def test_absence_falls_as_published_and_persists(catalog) -> None:
    """Overall absence follows DfE's series (6.5% of sessions in 2005/06, 4.7% in 2018/19; it
    was 6.2-6.6% in every year), secondary above primary (5.5% against 4.0% in 2018/19; 6.6
    against 5.8), about a tenth of pupils persistently absent at 10% (10.9% in 2018/19; it was
    6.5%) and a pupil's absence carrying over from one year to the next."""
    life = _life_of(catalog, 20_000)
    rows = school_events.absence(life)
    possible = rows["possible"].sum(1)
    absent = (rows["authorised"] + rows["unauthorised"]).sum(1)

    def rate(keep: np.ndarray) -> float:
        return absent[keep].sum() / possible[keep].sum()

    year = rows["year"]
    assert 0.058 < rate(year == 2005) < 0.072
    assert 0.042 < rate(year == 2018) < 0.052
    recent = year == 2018
    primary, secondary = recent & (rows["ncyear"] <= 6), recent & (rows["ncyear"] >= 7)
    assert rate(secondary) > 1.25 * rate(primary)
    assert 0.08 < (absent[year == 2018] >= 0.1 * possible[year == 2018]).mean() < 0.14
    unauthorised = rows["unauthorised"].sum(1)
    assert unauthorised[year == 2018].sum() / absent[year == 2018].sum() > 0.24
    assert unauthorised[year == 2005].sum() / absent[year == 2005].sum() < 0.2
    this, following = (Frame(person=rows["person"][year == y], share=(absent / possible)[year == y])
                       for y in (2017, 2018))
    both, here, there = np.intersect1d(this["person"], following["person"], return_indices=True)
    assert len(both) > 1000
    assert np.corrcoef(this["share"][here], following["share"][there])[0, 1] > 0.3


def test_exclusions_are_concentrated_as_published(catalog) -> None:
    """Fixed-period exclusions: about 2.3% of pupils excluded in a year, 2.3 times each (it was
    6% of pupils, 1.2 times each), secondary pupils several times as often as primary, fewer in
    2012/13 than in 2005/06 and 2018/19 (in secondary schools: 6.8% against 10.8% in 2018/19; it
    was 14-16% in every year), and permanent exclusions about a tenth of a percent of
    pupils (it was 0.2-0.3%)."""
    life = _life_of(catalog, 40_000)
    rows = school_events.exclusions(life)
    pupils = life.schooling.pupil_years
    pupils = pupils.take((pupils["ncyear"] >= 1) & (pupils["ncyear"] <= 11))
    fixed = rows["category"] != "PERM"

    def rate(years: tuple[int, ...], phase: tuple[int, int] = (1, 11)) -> float:
        """Fixed-period exclusions per pupil in these years and national curriculum years."""
        here = np.isin(rows["year"], years) & fixed & (rows["ncyear"] >= phase[0]) & (
            rows["ncyear"] <= phase[1])
        on_roll = np.isin(pupils["year"], years) & (pupils["ncyear"] >= phase[0]) & (
            pupils["ncyear"] <= phase[1])
        return here.sum() / on_roll.sum()

    recent = (2016, 2017, 2018)
    assert 0.04 < rate(recent) < 0.07
    excluded = np.isin(rows["year"], recent) & fixed
    pupil_years = np.unique(rows["person"][excluded] * 10_000 + rows["year"][excluded])
    assert 1.9 < excluded.sum() / len(pupil_years) < 2.8
    secondary = (7, 11)  # (the run's share of secondary pupils varies from year to year)
    assert rate((2011, 2012, 2013), secondary) < 0.85 * min(
        rate(recent, secondary), rate((2004, 2005, 2006), secondary))
    assert rate(recent, secondary) > 4 * rate(recent, (1, 6))
    permanent = np.isin(rows["year"], recent) & ~fixed
    assert 0.0004 < permanent.sum() / np.isin(pupils["year"], recent).sum() < 0.002
    # excluded again the next year: about one in six (one in thirty if it were by chance)
    this, following = (set(rows["person"][fixed & (rows["year"] == y)]) for y in (2016, 2017))
    assert len(this & following) > 0.1 * len(this)


def test_free_school_meals_differ_by_ethnic_group_as_published(catalog) -> None:
    """FSM eligibility by ethnic group keeps DfE's ratios (January 2019: Indian 5.4%, White
    British 14.4%, Black African 22.6%; it was the same for every group) while all pupils'
    rate stays the year's published one."""
    params = load_parameters(None)
    life = _life_of(catalog, 40_000)
    codes = list(params["population.ethnicity"])
    pupils = life.schooling.pupil_years
    pupils = pupils.take((pupils["year"] == 2018) & (pupils["ncyear"] <= 11))
    group = np.array(codes)[life.persons["ethnicity"][pupils["person"]]]
    rate = {code: pupils["fsm"][group == code].mean() for code in ("WBRI", "AIND", "BAFR")}
    assert rate["AIND"] < 0.6 * rate["WBRI"]
    assert rate["BAFR"] > 1.3 * rate["WBRI"]
    assert abs(pupils["fsm"].mean() - params["fsm.rate"][2018] / 100) < 0.015


def test_minority_ethnic_and_eal_pupils_grow_as_published(catalog) -> None:
    """Pupils of minority ethnic origin and with English as an additional language grow from
    cohort to cohort (EES: 19% and 11% of pupils in January 2006, 34% and 19.5% in 2021; both
    were the 2021 shares in every year), and 2020/21's shares stay as published."""
    params = load_parameters(None)
    life = _life_of(catalog, 40_000)
    codes = list(params["population.ethnicity"])
    pupils = life.schooling.pupil_years
    white_british = np.array(codes)[life.persons["ethnicity"][pupils["person"]]] == "WBRI"
    eal = life.persons["eal"][pupils["person"]]
    at_school = pupils["ncyear"] <= 11
    early, late = at_school & (pupils["year"] == 2005), at_school & (pupils["year"] == 2020)
    assert 0.14 < 1 - white_british[early].mean() < 0.24
    assert abs(white_british[late].mean() - params["population.ethnicity"]["WBRI"] / 100) < 0.02
    assert 0.08 < eal[early].mean() < 0.14
    assert 0.17 < eal[late].mean() < 0.22


def test_young_entrants_are_18_to_20_as_ucas_has_them(catalog) -> None:
    """Full-time first-degree entrants under 21 start at 18, after a gap year at 19, or after
    two at 20: about 66%, 26% and 7% of UCAS's UK-domiciled acceptances aged 18-20 in 2019."""
    instances = _life_of(catalog, 40_000).he.instances
    entrants = instances.take((instances["level"] == LEVEL_FIRST_DEGREE)
                              & ~instances["part_time"])
    young = entrants["age_start"][entrants["age_start"] <= 20]
    shares = {age: float(np.mean(young == age)) for age in (18, 19, 20)}
    assert young.min() >= 18
    assert shares[18] == pytest.approx(0.68, abs=0.04), shares
    assert shares[19] == pytest.approx(0.25, abs=0.04), shares
    assert shares[20] == pytest.approx(0.07, abs=0.03), shares


def test_a_permanently_excluded_pupil_leaves_the_excluding_school(catalog) -> None:
    """After a permanent exclusion, no later year (sixth form included) is on the excluding
    school's roll, and every exclusion is recorded at the school the pupil is on the roll of."""
    life = _life_of(catalog, 40_000)
    excluded = school_events.exclusions(life)
    perm = excluded.take(excluded["category"] == "PERM")
    perm = perm.take(np.r_[True, perm["person"][1:] != perm["person"][:-1]])
    assert len(perm) > 100
    py = life.schooling.pupil_years
    left_in = dict(zip(perm["person"].tolist(), perm["year"].tolist(), strict=True))
    left = dict(zip(perm["person"].tolist(), perm["school"].tolist(), strict=True))
    later = [(p, s) for p, y, s in zip(py["person"].tolist(), py["year"].tolist(),
                                       py["school"].tolist(), strict=True)
             if p in left_in and y > left_in[p]]
    assert len(later) > 200
    assert not [row for row in later if row[1] == left[row[0]]]
    keys = zip(py["person"].tolist(), py["year"].tolist(), strict=True)
    on_roll = dict(zip(keys, py["school"].tolist(), strict=True))
    recorded = zip(excluded["person"].tolist(), excluded["year"].tolist(),
                   excluded["school"].tolist(), strict=True)
    assert all(on_roll[(p, y)] == s for p, y, s in recorded)


def test_key_stage_schools_are_the_census_schools_of_their_years(catalog) -> None:
    """A pupil's KS1, KS2, KS3 and KS5 school is the school the pupil is on the roll of in that
    year (a mover's second school, a sixth-former's Year 13 school), not the first school of
    the phase."""
    life = _life_of(catalog, 20_000)
    schooling = life.schooling
    py = schooling.pupil_years
    for stage in ("ks1", "ks2", "ks3"):
        assessed = key_stages.assessed_pupils(life, stage)
        pos, found = schooling.rows_in(assessed["person"], assessed["year"])
        assert found.sum() > 1000
        assert (py["school"][pos][found] == assessed["school"][found]).all(), stage
    ks5 = life.post16.ks5
    school = ks5_school(life, ks5["person"], ks5["year"])
    pos, found = schooling.rows_in(ks5["person"], ks5["year"])
    assert found.sum() > 500
    assert (py["school"][pos][found] == school[found]).all()
    moved = found & (schooling.secondary_school[ks5["person"]] != school)
    assert moved.sum() > 5  # (movers and the permanently excluded: the case checked)


def test_a_pupil_joins_a_school_only_when_changing_school(catalog) -> None:
    """A pupil's entry year changes from one year to the next exactly when the school does: a
    mover joins another school, not the one left, so the census's EntryDate never moves while
    LAEstab stays; a permanently excluded pupil whose later move (drawn before the exclusion)
    was to the school the exclusion sent the pupil to has one entry there, not two (with two
    schools per LA and phase in a run this size, they often coincide)."""
    py = _life_of(catalog, 20_000).schooling.pupil_years
    same_person = py["person"][1:] == py["person"][:-1]
    new_school = same_person & (py["school"][1:] != py["school"][:-1])
    new_entry = same_person & (py["entry_year"][1:] != py["entry_year"][:-1])
    assert new_school.sum() > 1000
    np.testing.assert_array_equal(new_entry, new_school)


def test_a_mover_joins_the_new_school_within_the_year(catalog) -> None:
    """A pupil who changes school within a phase (not at Reception or Year 7, nor a late
    arrival) enters the new school on a school day from September to the spring census day of
    the academic year of its first spring census there, or from February to July of the year
    before, with more in the autumn; a late arrival joins its first school from September to
    the spring census day (an autumn census before the day does not have the pupil); every
    other entry is on 1 September. The census shows
    the school left in a census taken before the move (an autumn census; a summer census
    before a summer move), and the new school in one taken after (a summer census after a
    move between February and census day)."""
    life = _life_of(catalog, 20_000)
    py = life.schooling.pupil_years
    entry = py["entry_date"].astype("datetime64[D]")
    # (the moves after a permanent exclusion start with the next year: left out here)
    excluded = school_events.exclusions(life)
    excluded = np.isin(py["person"], excluded["person"][excluded["category"] == "PERM"])
    same = py["person"][1:] == py["person"][:-1]
    new_school = np.r_[False, same & (py["school"][1:] != py["school"][:-1])]
    # a move: at another school than the year before, in the same phase (not Year 7's start)
    move = new_school & (py["ncyear"] != 7) & (py["ncyear"] <= 11) & ~excluded
    assert move.sum() > 500
    moved_on = entry[move]
    year = py["entry_year"][move]
    month = month_of(moved_on)
    months = np.bincount(month, minlength=13)
    summer = (month >= 2) & (month <= 7)
    assert (academic_year_of(moved_on) == np.where(summer, year - 1, year)).all()
    assert (moved_on <= spring_census_day(year)).all()
    assert (moved_on[summer] > spring_census_day(year - 1)[summer]).all()
    assert ((moved_on.astype(np.int64) + 3) % 7 < 5).all()  # a school day
    assert (months[[9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7]] > 0).all() and months[8] == 0
    assert months[9] + months[10] > months[12] + months[1]  # more in the autumn
    assert months[9] + months[10] > months[6] + months[7]  # than in the summer
    assert (moved_on != ymd(year, 9, 1)).mean() > 0.8
    # a stay at a school keeps the day it started with: a move's, else 1 September
    start = np.r_[True, ~same] | new_school
    run = np.cumsum(start) - 1
    np.testing.assert_array_equal(entry, entry[start][run])
    # (a stay that began in or before the extract's first year may be a move's: left out)
    seen = ((py["entry_year"] == py["year"]) & (py["year"] > py["year"].min()))[start][run]
    other = ~move[start][run] & seen & ~excluded
    assert other.sum() > 10 * move.sum()
    # a late arrival's first school (its first row after Reception) is dated from September
    # to the spring census day of its year; every other stay starts on 1 September
    arrival = (np.r_[True, ~same] & (py["ncyear"] > 0))[start][run] & other
    arrived = entry[arrival]
    assert arrival.sum() > 100
    assert (arrived >= ymd(py["entry_year"][arrival], 9, 1)).all()
    assert (arrived <= spring_census_day(py["entry_year"][arrival])).all()
    assert (arrived != ymd(py["entry_year"][arrival], 9, 1)).mean() > 0.4
    np.testing.assert_array_equal(entry[other & ~arrival],
                                  ymd(py["entry_year"][other & ~arrival], 9, 1))
    relations = {rel.name: rel for rel in catalog.relations(2)}

    def census(term: str, year: int) -> Frame:
        return registry.BUILDERS["npd.census"].build(life, relations[f"{term}_census_{year + 1}"])

    rows = _census_rows(life)
    after_autumn = before_summer = 0
    for year in (2012, 2015):
        autumn, spring, summer = census("autumn", year), census("spring", year), census(
            "summer", year)
        for one in (autumn, spring, summer):
            day = np.asarray(one["censusdate"]).astype("datetime64[D]")
            assert (np.asarray(one["entrydate"]).astype("datetime64[D]") <= day).all()
        moved_later = np.asarray(spring["entrydate"]).astype("datetime64[D]") > np.asarray(
            autumn["censusdate"])[0].astype("datetime64[D]")
        # a late arrival after autumn census day is not in that census (the others are, in
        # the same order)
        arrived_later = moved_later & np.asarray(spring["arrived"])
        assert len(autumn) == (~arrived_later).sum() and arrived_later.any()
        in_autumn = spring.take(~arrived_later)
        moved_later = moved_later[~arrived_later]
        at_school = np.asarray(autumn["laestab_anon"]) == np.asarray(in_autumn["laestab_anon"])
        unit = np.asarray(in_autumn["phase"]) == "PR"  # (a placement's own days: another test)
        np.testing.assert_array_equal(at_school[~unit], ~moved_later[~unit])
        after_autumn += int(moved_later.sum())
        # the summer census: the spring's school, but the next year's where the pupil joined
        # it by summer census day (a year's census rows are its pupil-years, in their order)
        following = census("spring", year + 1)
        person = rows["person"][rows["year"] == year]
        following_person = rows["person"][rows["year"] == year + 1]
        nxt = np.searchsorted(following_person, person)
        nxt = np.minimum(nxt, len(following_person) - 1)
        there = following_person[nxt] == person
        school_next = np.where(there, np.asarray(following["laestab_anon"]).astype(str)[nxt], "")
        entered = np.asarray(following["entrydate"]).astype("datetime64[D]")[nxt]
        day = np.asarray(summer["censusdate"]).astype("datetime64[D]")
        left = np.asarray(spring["laestab_anon"]).astype(str)
        joined = (there & (school_next != left)
                  & (entered >= ymd(year, 9, 1)) & (entered <= day))
        unit = (np.asarray(summer["phase"]) == "PR") | (np.asarray(spring["phase"]) == "PR")
        shown = np.asarray(summer["laestab_anon"]).astype(str)
        np.testing.assert_array_equal(shown[joined & ~unit], school_next[joined & ~unit])
        np.testing.assert_array_equal(shown[~joined & ~unit], left[~joined & ~unit])
        before_summer += int(joined.sum())
    assert after_autumn > 20 and before_summer > 20


def test_no_exclusion_starts_before_the_pupil_joined_the_school(catalog) -> None:
    """A pupil who joined a school in-year is excluded from it only after joining: no
    exclusion at a school starts before the pupil's entry date there (the census's)."""
    life = _life_of(catalog, 20_000)
    excluded = school_events.exclusions(life)
    pos, found = life.schooling.rows_in(excluded["person"], excluded["year"])
    assert found.all()
    entry = life.schooling.pupil_years["entry_date"][pos]
    in_year = entry > ymd(excluded["year"], 9, 5)
    assert in_year.sum() > 10
    assert (excluded["start"] >= entry).all()


def test_pip_awards_end_at_a_review(catalog) -> None:
    """PIP awards are fixed-term: an award ends on a review day a year or more after it began
    (disallowed; ``benefits.pip_review_disallowed`` of reviews), before the extract ends, or
    is still open then; older awards, with more reviews behind them, have ended more often."""
    life = _life_of(catalog, 20_000)
    pip = life.benefits.take(life.benefits["type"] == "PIP")
    # (a degenerate record, ending as it starts, is a designed defect: benefits.degenerate_share)
    ended = (pip["end"] != OPEN_END) & (pip["end"] > pip["start"])
    assert len(pip) > 150
    assert (pip["end"][ended] <= EXTRACT_END).all()
    assert ((pip["end"] - pip["start"])[ended] >= np.timedelta64(365, "D")).all()
    early = pip["start"] < np.datetime64("2016-04-06")
    share_early, share_late = ended[early].mean(), ended[~early].mean()
    # (about three reviews by 2021 at 0.25 each: 1 - 0.75 ** 3, about 0.58)
    assert 0.35 < share_early < 0.8, share_early
    assert share_late < share_early


def test_a_pru_placement_starts_with_it_in_the_census(catalog) -> None:
    """A census row at a pupil referral unit (units joined the census in 2013/14) has the
    placement's entry date, not the day the pupil joined their school years before (Year 6
    pupils had joined their unit at 3), and a pupil permanently excluded is at the unit only
    in the censuses after the exclusion (the autumn census had most of them there first; a
    later exclusion may find the pupil at the unit already)."""
    life = _life_of(catalog, 40_000)
    relations = {rel.name: rel for rel in catalog.relations(2)}
    placed = before = 0
    excluded_on: dict[str, np.datetime64] = {}  # (the first permanent exclusion's day)
    for year in range(2014, 2020):
        excluded = registry.BUILDERS["npd.exclusions"].build(
            life, relations[f"exclusions_table_1_{year}"])
        perm = np.asarray(excluded["category"]) == "PERM"
        for p, d in zip(np.asarray(excluded["pmr"])[perm].tolist(),
                        np.asarray(excluded["startdate"])[perm].astype("datetime64[D]"),
                        strict=True):
            excluded_on[p] = min(excluded_on.get(p, d), d)
        for term in ("autumn", "spring", "summer"):
            relation = relations[f"{term}_census_{year}"]
            census = registry.BUILDERS[relation.table.builder].build(life, relation)
            unit = np.asarray(census["phase"]) == "PR"
            entry = np.asarray(census["entrydate"]).astype("datetime64[D]")[unit]
            day = np.asarray(census["censusdate"]).astype("datetime64[D]")[unit]
            assert (entry >= np.datetime64("2012-09-01")).all(), (relation.name, entry.min())
            assert (entry <= day).all(), relation.name
            placed += int(unit.sum())
            pmr = np.asarray(census["pmr"])[unit].tolist()
            year_later = day + np.timedelta64(366, "D")
            before += sum(1 for p, d, later in zip(pmr, day, year_later, strict=True)
                          if p in excluded_on and d < excluded_on[p] < later)
    assert placed > 100
    assert before == 0


def test_no_exclusion_follows_a_permanent_one_in_its_year(catalog) -> None:
    """A permanent exclusion takes the pupil off the school's roll: it is the last of the
    pupil's exclusions in the year, and the only permanent one (some pupils were excluded
    again, or permanently twice, from the school that had excluded them)."""
    rows = school_events.exclusions(_life_of(catalog, 40_000))
    perm = rows["category"] == "PERM"
    assert perm.sum() > 100
    key = rows["person"] * 10_000 + rows["year"]  # (sorted by person, year and date)
    last_of_year = np.r_[key[1:] != key[:-1], True]
    assert not (perm & ~last_of_year).any()
    assert len(np.unique(key[perm])) == perm.sum()


def test_self_employment_profits_persist_and_a_trader_keeps_its_kind(catalog) -> None:
    """A trader's profit in one year predicts the next (a level of the person's; HMRC's SA
    profits persist), where independent yearly draws had a correlation of 0; a year of a loss
    is 0; partnership or sole trading is the person's for every year (21% of consecutive
    years had flipped), and a few traders have both."""
    se = _life_of(catalog, 20_000).labour.self_employment
    profit = se["sole"] + se["partnership"]
    same = se["person"][1:] == se["person"][:-1]  # (rows by person, then year)
    assert (np.diff(se["tax_year"])[same] == 1).all()
    positive = same & (profit[1:] > 0) & (profit[:-1] > 0)
    logs = np.log(np.maximum(profit, 1))
    assert np.corrcoef(logs[:-1][positive], logs[1:][positive])[0, 1] > 0.5
    assert 0.05 < (profit == 0).mean() < 0.12
    assert not (se["has_partnership"][1:] != se["has_partnership"][:-1])[same].any()
    assert not (se["has_sole"][1:] != se["has_sole"][:-1])[same].any()
    both = se["has_sole"] & se["has_partnership"]
    assert 0.01 < both.mean() < 0.06
    assert (se["sole"][~se["has_sole"]] == 0).all()
    assert (se["partnership"][~se["has_partnership"]] == 0).all()


def test_seiss_follows_the_schemes_rules(catalog) -> None:
    """SEISS grants in 2020/21 go only to people self-employed in 2018/19 and 2019/20 whose
    profits were at most 50,000 pounds and at least their PAYE pay, in 2018/19 or on average
    over the years they traded from 2016/17 (new traders of 2019/20 were paid before); each
    grant is its share of three months of the average profit, capped."""
    labour = _life_of(catalog, 20_000).labour
    se, pay, seiss = labour.self_employment, labour.pay, labour.seiss
    assert len(seiss) > 200
    profit = se["sole"] + se["partnership"]
    rows = {(p, y): v for p, y, v in zip(se["person"].tolist(), se["tax_year"].tolist(),
                                         profit.tolist(), strict=True)}
    paye: dict[tuple[int, int], int] = {}
    for p, y, v in zip(pay["person"].tolist(), pay["tax_year"].tolist(),
                       pay["amount"].tolist(), strict=True):
        paye[(p, y)] = paye.get((p, y), 0) + v
    for person, amount, months in zip(seiss["person"].tolist(), seiss["amount"].tolist(),
                                      seiss["months"], strict=True):
        assert (person, 2018) in rows and (person, 2019) in rows
        years = [y for y in (2016, 2017, 2018) if (person, y) in rows]
        average = sum(rows[(person, y)] for y in years) / len(years)
        other = sum(paye.get((person, y), 0) for y in years) / len(years)
        alone = rows[(person, 2018)], paye.get((person, 2018), 0)
        assert (average <= 50_000 and average >= other) or (alone[0] <= 50_000
                                                             and alone[0] >= alone[1])
        grants = [(1, 0.8, 7500), (4, 0.7, 6570), (7, 0.8, 7500)]
        expected = sum(min(share * average / 4, cap) for month, share, cap in grants
                       if months[month])
        assert abs(amount - expected) <= 1


def test_incapacity_benefit_claims_end_at_their_reassessment(catalog) -> None:
    """No Incapacity Benefit claim runs past DWP's reassessment programme (April 2011 to spring
    2014; 20 of 20,000 persons' claims had run open to the extract's end); one open at its
    reassessment goes on the next day as ESA, or JSA for those found fit for work, about four
    in five as ESA (none had been followed by either)."""
    b = _life_of(catalog, 20_000).benefits
    ib = b.take(b["type"] == "IB")
    assert len(ib) > 100
    assert (ib["end"] <= np.datetime64("2014-03-31")).all()
    reassessed = ib.take(ib["end"] >= np.datetime64("2011-04-01"))
    assert len(reassessed) > 20
    following = {(p, s): t for p, s, t in zip(b["person"].tolist(), b["start"].tolist(),
                                               b["type"].tolist(), strict=True)}
    then = [following.get((p, e + datetime.timedelta(days=1))) for p, e in zip(
        reassessed["person"].tolist(), reassessed["end"].tolist(), strict=True)]
    # (a claim that ended before its reassessment day ended as claims do, followed by none)
    followed = [t for t in then if t is not None]
    assert len(followed) > len(then) / 2
    assert 0.6 < followed.count("ESA") / len(followed) < 0.95
    assert set(followed) == {"ESA", "JSA"}


def test_pupils_who_change_school_stay_in_their_la(catalog) -> None:
    """A run this size has two primary and two secondary schools in every LA, so a pupil who
    changes school within a phase joins one in the home LA: about the 5% placed outside it at
    entry are at a school of another LA (with one school per LA and phase, every mover went to
    another LA: 10.6% of pupil-years)."""
    life = _life_of(catalog, 20_000)
    schools, count = life.ctx.pools.schools, life.ctx.pools.la_school_count
    assert (count[:2] >= 2).all()
    py = life.schooling.pupil_years
    mainstream = schools["phase"][py["school"]] < SPECIAL_PHASE
    away = life.persons["la"][py["person"]] != schools["la"][py["school"]]
    assert 0.03 < away[mainstream].mean() < 0.07


def test_ebacc_entry_and_its_pillars_follow_the_years(catalog) -> None:
    """Entry to all five EBacc pillars was about 22% when the EBacc began (2009/10 to
    2011/12) and about 40% from 2014/15; languages fell once optional after 2004 and
    humanities rose with the EBacc (``ks4.ebacc_entry_shift``, ``ks4.ebacc_slot_gap``). A
    single entry rate and an even gap gave every year the same shares (about 40%, 65%, 68%)."""
    ks4 = _life_of(catalog, 40_000).ks4
    year = ks4["year"]

    def share(column: str, first: int, last: int) -> float:
        within = (year >= first) & (year <= last)
        return float((np.asarray(ks4[column])[within] > 0).mean())

    assert 0.19 < share("ebacc_entered", 2009, 2011) < 0.27
    assert 0.36 < share("ebacc_entered", 2015, 2018) < 0.44
    assert share("pts_eb3", 2001, 2002) > share("pts_eb3", 2007, 2011) + 0.12
    assert share("pts_eb2", 2015, 2018) > share("pts_eb2", 2001, 2003) + 0.2
    assert share("pts_eb2", 2015, 2018) > share("pts_eb3", 2015, 2018) + 0.2


def test_full_time_education_at_16_rises_with_the_years(catalog) -> None:
    """Full-time education at 16 rose from about 72% (end 2002, KS4 2001/02) to 87% (end
    2013) and stayed; apprenticeships at 16 fell from about 7% to 4% (DfE participation at
    16-18; ``post16.route_shift``, 0 from KS4 2013/14 so the calibrated destinations stand).
    One route model for every year gave every KS4 year about 92.5% in sixth forms and
    colleges and 3.5% in apprenticeships."""
    life = _life_of(catalog, 40_000)
    ks4 = life.ks4
    year = np.asarray(ks4["year"])
    route = life.post16.route[ks4["person"]]
    full_time = np.isin(route, (SIXTH_FORM, SFC, FE))

    def share(flags: np.ndarray, first: int, last: int) -> float:
        return float(flags[(year >= first) & (year <= last)].mean())

    early, late = share(full_time, 2001, 2003), share(full_time, 2013, 2018)
    assert 0.86 < late < 0.96
    assert early < late - 0.09, (early, late)
    assert share(full_time, 2001, 2003) < share(full_time, 2006, 2008) < late
    apprentices = route == APPRENTICESHIP
    assert share(apprentices, 2001, 2003) > share(apprentices, 2013, 2018) + 0.02
    # each year's shares are the parameters' (the logit with the year's shifts)
    p = life.ctx.params
    a = np.array([p["post16.routes"][r]["a"] for r in ROUTES])
    b = np.array([p["post16.routes"][r]["b"] for r in ROUTES])
    shift = np.column_stack([interpolate(p["post16.route_shift"][r], year) for r in ROUTES])
    expected = softmax_rows(a + shift + b * np.asarray(ks4["latent"])[:, None])
    for first, last in ((2001, 2004), (2005, 2008), (2009, 2012), (2013, 2020)):
        within = (year >= first) & (year <= last)
        for r, flags in ((list(ROUTES[:3]), full_time), (["apprenticeship"], apprentices)):
            wanted = expected[within][:, [ROUTES.index(x) for x in r]].sum(axis=1).mean()
            assert abs(flags[within].mean() - wanted) < 0.02, (first, r, wanted)


@pytest.mark.parametrize("first, last", [(2007, 2009), (2019, 2021)])
def test_degree_class_shares_follow_the_parameters_every_year(catalog, first: int, last: int
                                                            ) -> None:
    """The year's first-class and third-class shares among first-degree graduates are
    ``he.first_class_share`` and ``he.third_share`` (grade inflation: firsts 12-14% to
    30-36%, thirds 7-8% to 3%), however the graduates' entry scores drift as participation
    widens: the score is standardised by the year's graduates (``he.degree_class_score``).
    Standardised by one mean for every year, 2019-2021's graduates had firsts about five
    points below the parameter."""
    life = _life_of(catalog, 40_000)
    he = life.he
    year = np.asarray(he.degree_year)
    graduated = (np.asarray(he.degree_class) > 0) & (year >= first) & (year <= last)
    assert graduated.sum() > 800
    for cls, share in ((FIRST, "he.first_class_share"), (THIRD, "he.third_share")):
        expected = interpolate(life.ctx.params[share], year[graduated]).mean()
        realised = (np.asarray(he.degree_class)[graduated] == cls).mean()
        assert abs(realised - expected) < 0.025, (share, realised, expected)
