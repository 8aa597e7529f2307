"""Post-16 timelines: when learning ends agrees with the records of the learning."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import simulated_block

from leo_synth.relations.registry import BUILDERS
from leo_synth.relations.young_people import ACTIVITY, NEET_CODES, WORK, _activity
from leo_synth.simulation.calendar import academic_year_of, ymd
from leo_synth.simulation.life import LifeCourse
from leo_synth.simulation.post16 import SIXTH_FORM

N = 3_000


@pytest.fixture(scope="module")
def life(catalog) -> LifeCourse:
    return simulated_block(catalog, 5, N)


def test_sixth_form_drop_outs_leave_learning_after_their_college_year(life) -> None:
    """A sixth-former who leaves after Year 12 for a year at college leaves learning at the end
    of that year (not at the end of Year 12), as the ILR record of the year shows."""
    p16 = life.post16
    dropouts = np.flatnonzero(p16.sixth_form_dropout)
    assert len(dropouts) > 20
    assert (p16.route[dropouts] == SIXTH_FORM).all()
    college = p16.youth_fe.take(np.isin(p16.youth_fe["person"], dropouts))
    np.testing.assert_array_equal(np.unique(college["person"]), dropouts)
    np.testing.assert_array_equal(college["year"], p16.start_year[college["person"]] + 1)
    np.testing.assert_array_equal(academic_year_of(p16.leave_date[dropouts]),
                                  p16.start_year[dropouts] + 1)


def test_nobody_leaves_learning_before_their_last_post16_record(life) -> None:
    p16 = life.post16
    records = p16.youth_fe.take(np.isnat(p16.youth_fe["withdraw_date"]))
    last = np.full(N, -1)
    np.maximum.at(last, records["person"], records["year"])
    sixth = p16.sixth_form_years
    np.maximum.at(last, sixth["person"], sixth["year"])
    who = np.flatnonzero(last >= 0)
    assert (academic_year_of(p16.leave_date[who]) >= last[who]).all()


def test_nccis_shows_sixth_form_drop_outs_at_college_in_their_second_year(life) -> None:
    p16 = life.post16
    person = np.flatnonzero(p16.sixth_form_dropout)
    year = p16.start_year[person] + 1
    no = np.zeros(len(person), dtype=bool)
    activity = _activity(life, person, year, ymd(year, 11, 1), np.zeros(len(person), dtype=int),
                         no, np.full(len(person), 330))
    assert (activity == ACTIVITY["fe"]).all()


def test_nccis_records_neet_and_work_with_their_own_codes(life, catalog) -> None:
    """NEET young people are 619 (seeking) or a 6xx reason (not seeking), never 540 (working
    not for reward, which held every NEET spell); work outside an apprenticeship is employment
    without training, with training or part-time (every job was 340, employment with
    training)."""
    relation = next(rel for rel in catalog.relations(2) if rel.name == "nccis_2011_to_2021")
    frame = BUILDERS[relation.table.builder].build(life, relation)
    code = np.asarray(frame["current_activity_code"])
    assert not (code == 540).any()
    neet = np.isin(code, NEET_CODES)
    assert (code[neet] == ACTIVITY["neet"]).mean() > 0.6
    assert len(np.unique(code[neet])) >= 5
    work = np.isin(code, list(WORK))
    assert work.sum() > 100
    assert (code[work] == 340).mean() < 0.45
    assert (frame["neet_start_date"].null == ~neet).all()


def test_most_college_learners_below_level_3_stay_a_second_year(life) -> None:
    """A college learner below level 3 mostly takes a second year at level 2 (every such
    course was one year, so half of 17-year-olds were out of learning): their ILR holds the
    second year, and their learning ends with it."""
    p16 = life.post16
    fe = p16.youth_fe.take(p16.youth_fe["kind"] == "fe")
    first = fe.take(fe["year"] == p16.start_year[fe["person"]])
    below = first["person"][(first["level"] < 3) & np.isnat(first["withdraw_date"])
                            & (p16.route[first["person"]] != SIXTH_FORM)]
    next_year = fe["year"] == p16.start_year[fe["person"]] + 1
    second = fe.take(np.isin(fe["person"], below) & next_year)
    assert len(below) > 100
    assert 0.55 < len(second) / len(below) < 0.85
    assert (second["level"] == 2).all()
    third = fe.take(fe["year"] == p16.start_year[fe["person"]] + 2)
    two_years = second["person"][~np.isin(second["person"], third["person"])]
    np.testing.assert_array_equal(academic_year_of(p16.leave_date[two_years]),
                                  p16.start_year[two_years] + 1)


def test_some_go_on_to_level_3_at_college_at_18(life) -> None:
    """About half of those who complete a second college year at level 2 take a level 3
    course at 18 (the ILR had almost no 18-year-olds: 48 against 4,140 aged 17 at 20,000
    persons), and their learning ends with that year."""
    p16 = life.post16
    fe = p16.youth_fe.take((p16.youth_fe["kind"] == "fe") & np.isnat(p16.youth_fe["withdraw_date"]))
    offset = fe["year"] - p16.start_year[fe["person"]]
    second = fe["person"][(offset == 1) & (fe["level"] == 2)
                          & (p16.route[fe["person"]] != SIXTH_FORM)]
    third = fe.take(offset == 2)
    assert len(second) > 100
    assert 0.35 < len(third) / len(second) < 0.65
    assert np.isin(third["person"], second).all()
    assert (third["level"] == 3).all()
    np.testing.assert_array_equal(academic_year_of(p16.leave_date[third["person"]]),
                                  third["year"])
