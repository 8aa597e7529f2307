"""The main employer, section and SIC of a tax year (``hmrc._main_by``): the value with most
pay, a tie flag when the runner-up earned as much, and the number of distinct values, checked
against a plain reading of the definition on random pay records."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from leo_synth.relations.hmrc import _main_by

records = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4),
                             st.sampled_from([1.0, 2.5, 5.0])),
                   min_size=1, max_size=30)


@settings(max_examples=60, deadline=None)
@given(records)
def test_main_value_tie_flag_and_count_follow_the_definition(rows) -> None:
    frame = pd.DataFrame(rows, columns=["person", "employer", "amount"])
    out = _main_by(frame, ["person"], "employer")
    for person, pay in frame.groupby("person"):
        totals = pay.groupby("employer")["amount"].sum().sort_index()
        ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
        row = out.loc[person]
        assert (row["main"], row["main_amount"]) == ranked[0]
        assert bool(row["tied"]) == (len(ranked) > 1 and ranked[1][1] == ranked[0][1])
        assert row["count"] == len(ranked)


def test_two_employers_paying_the_same_are_a_tie() -> None:
    frame = pd.DataFrame({"person": [1, 1], "employer": [7, 3], "amount": [5.0, 5.0]})
    row = _main_by(frame, ["person"], "employer").loc[1]
    assert row["main"] == 3 and bool(row["tied"]) and row["count"] == 2
