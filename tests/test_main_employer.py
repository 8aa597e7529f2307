"""The main employer, section and SIC of a tax year (``hmrc.main_by``): the value with most
pay, a tie flag when the runner-up earned as much, and the number of distinct values, checked
against a plain reading of the definition on random pay records."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from leo_synth.relations.hmrc import group_ids, main_by

records = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4),
                             st.sampled_from([1.0, 2.5, 5.0])),
                   min_size=1, max_size=30)


@settings(max_examples=60, deadline=None)
@given(records)
def test_main_value_tie_flag_and_count_follow_the_definition(rows) -> None:
    person, employer, amount = (np.array(col) for col in zip(*rows, strict=True))
    group, _, _ = group_ids(person)
    out = main_by(group, employer, amount)
    pay: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for p, e, a in rows:
        pay[p][e] += a
    assert len(out.main) == len(pay)
    for i, p in enumerate(sorted(pay)):  # groups numbered in sorted order
        ranked = sorted(pay[p].items(), key=lambda kv: (-kv[1], kv[0]))
        assert (out.main[i], out.amount[i]) == ranked[0]
        assert bool(out.tied[i]) == (len(ranked) > 1 and ranked[1][1] == ranked[0][1])
        assert out.count[i] == len(ranked)


def test_two_employers_paying_the_same_are_a_tie() -> None:
    group, _, _ = group_ids(np.array([1, 1]))
    out = main_by(group, np.array(["E7", "E3"]), np.array([5, 5]))
    assert out.main[0] == "E3" and out.tied[0] and out.count[0] == 2


def test_groups_follow_every_key_in_sorted_order() -> None:
    ids, order, starts = group_ids(np.array([2, 1, 2, 1]), np.array([0, 5, 0, 4]))
    assert ids.tolist() == [2, 1, 2, 0]
    assert order[starts].tolist() == [3, 1, 0]
