"""Exclusions and the enrolments they happen in: a pupil who moves school within the year is
excluded from the school left only while on its roll, and exclusions table 2 (one row per
pupil, school and year) has the enrolment's leaving date, as the absence record of the same
enrolment has it."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import simulated_block

from leo_synth.relations import school_events as relations
from leo_synth.relations.values import Masked
from leo_synth.simulation import school_events
from leo_synth.simulation.life import LifeCourse

N = 20_000


@pytest.fixture(scope="module")
def life(catalog) -> LifeCourse:
    return simulated_block(catalog, 3, N)


def _relation(catalog, name: str):
    return next(rel for rel in catalog.relations(2) if rel.name == name)


def _by_enrolment(person: np.ndarray, year: np.ndarray, school: np.ndarray) -> np.ndarray:
    """One integer per (person, year, school), to match rows of two relations."""
    return (person.astype(np.int64) * 100 + (year - 2000)) * 1_000_000 + school


def test_exclusions_fall_while_the_pupil_is_on_the_schools_roll(life) -> None:
    """Every exclusion starts on or after the day the pupil joined the school and before the
    day a move within the year took the pupil on (the absence record's enrolment at that
    school): exclusions were spread over the whole year, after a move too."""
    excluded = school_events.exclusions(life)
    enrol = school_events.absence(life)
    key = _by_enrolment(enrol["person"], enrol["year"], enrol["school"])
    order = np.argsort(key, kind="stable")
    at = np.searchsorted(key[order], _by_enrolment(excluded["person"], excluded["year"],
                                                    excluded["school"]))
    in_absence = (excluded["year"] >= 2005) & (excluded["year"] != 2019)
    at = order[np.minimum(at[in_absence], len(order) - 1)]
    starts = excluded["start"][in_absence]
    assert (key[at] == _by_enrolment(excluded["person"], excluded["year"],
                                     excluded["school"])[in_absence]).all()
    movers = enrol["leave"][at] <= np.datetime64("2021-08-31")
    assert movers.sum() > 20  # exclusions of pupils who move on within the year
    assert (starts < enrol["leave"][at]).all()
    assert (starts >= enrol["entry_date"][at].astype("datetime64[D]")).all()


def test_table_2_has_the_leaving_date_of_the_enrolment(life, catalog) -> None:
    """Table 2's LeavingDate is the absence record's of the same pupil, school and year: the
    day before the pupil joined the next school, for an enrolment a move within the year
    ended, after every exclusion of the row; NULL otherwise. It was NULL in every row."""
    dated = 0
    for year in range(2005, 2021):
        if year == 2019:  # 2019/20 absence is not shared
            continue
        table = relations.exclusions(
            life, _relation(catalog, f"exclusions_table_2_{year + 1}"))
        absence = relations.absence(life, _relation(catalog, f"Absence_{year + 1}_3term"))
        leaving = table["leavingdate"]
        assert isinstance(leaving, Masked)
        found: dict[object, object] = {}
        for p, s, day, null in zip(absence["pmr"], absence["laestab_anon"],
                                   absence["leavingdate"].values, absence["leavingdate"].null,
                                   strict=True):
            found[(p, s)] = None if null else day
            # (a pupil on a referral unit's roll on census day has the unit's school in
            # absence: matched by pupil, the one record of the year)
            found[p] = "two records" if p in found else found[(p, s)]
        mine = [None if null else day for day, null in zip(leaving.values, leaving.null,
                                                            strict=True)]
        theirs = [found[(p, s)] if (p, s) in found else found[p]
                  for p, s in zip(table["pmr"], table["laestab_anon"], strict=True)]
        assert mine == theirs, year
        last = np.max(np.stack([np.where(c.null, np.datetime64("1900-01-01"), c.values)
                                for c in (table[f"startdate_{n}"] for n in range(1, 41))]),
                      axis=0)
        assert (leaving.values[~leaving.null] >= last[~leaving.null]).all()
        dated += int((~leaving.null).sum())
    assert dated >= 5  # (8 at 20,000 persons: moves within the year are few)
