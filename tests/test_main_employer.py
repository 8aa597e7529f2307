"""The main employer, section and SIC of a tax year (``hmrc._main_by``): the value with most
pay, a tie flag when the runner-up earned as much, and the number of distinct values, checked
against a plain reading of the definition on random pay records."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from leo_synth.relations.hmrc import _groups, _main_by

records = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4),
                             st.sampled_from([1.0, 2.5, 5.0])),
                   min_size=1, max_size=30)


@settings(max_examples=60, deadline=None)
@given(records)
def test_main_value_tie_flag_and_count_follow_the_definition(rows) -> None:
    person, employer, amount = (np.array(column) for column in zip(*rows, strict=True))
    group, head = _groups(person)
    out = _main_by(group, employer, amount)
    pay: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for who, by, paid in rows:
        pay[who][by] += paid
    assert sorted(pay) == person[head].tolist()
    for i, who in enumerate(person[head].tolist()):
        ranked = sorted(pay[who].items(), key=lambda kv: (-kv[1], kv[0]))
        assert (out.main[i], out.amount[i]) == ranked[0]
        assert bool(out.tied[i]) == (len(ranked) > 1 and ranked[1][1] == ranked[0][1])
        assert out.count[i] == len(ranked)


def test_two_employers_paying_the_same_are_a_tie() -> None:
    out = _main_by(np.array([0, 0]), np.array([7, 3]), np.array([5.0, 5.0]))
    assert out.main[0] == 3 and bool(out.tied[0]) and out.count[0] == 2


def test_groups_number_rows_by_their_keys_in_sort_order() -> None:
    group, head = _groups(np.array([2, 1, 2, 1]), np.array([0, 5, 0, 4]))
    assert group.tolist() == [2, 1, 2, 0]
    assert head.tolist() == [3, 1, 0]
