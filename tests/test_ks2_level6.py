"""KS2's level 6 tests (2011/12 to 2014/15): the exam rows' extension level and mark hold
them in those years only. 2015/16 is the first year of the new tests (scaled scores): no
pupil sat a level 6 test, so its rows have neither, though the VRF lists the fields to
2015/16 (the table's last year, NULL among the values)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import simulated_block

from leo_synth.relations import key_stages
from leo_synth.relations.fill import build_batch

N = 20_000
SEED = 3


@pytest.fixture(scope="module")
def exam(catalog) -> dict[str, np.ndarray]:
    relation = next(rel for rel in catalog.relations(2) if rel.name == "KS2Exam_1996_to_2016")
    life = simulated_block(catalog, SEED, N)
    batch = build_batch(relation, key_stages.ks2_exam(life, relation), SEED, 0)
    return {name: batch.column(name).to_numpy(zero_copy_only=False)
            for name in ("KS2_ACADYR", "KS2_EXTMARK", "KS2_EXTLEVEL")}


def test_no_level_6_test_in_the_scaled_score_year(exam) -> None:
    """Every 2015/16 row's extension mark and level are NULL (the maths rows of pupils at
    level 6 had mark 50, the 2016 raw mark out of 110 being over the band, and level 6)."""
    year = exam["KS2_ACADYR"]
    assert (year == "2015/2016").sum() > 1000
    last = year == "2015/2016"
    assert all(v is None or v != v for v in exam["KS2_EXTMARK"][last])
    assert all(v is None for v in exam["KS2_EXTLEVEL"][last])


def test_the_level_6_years_keep_their_marks(exam) -> None:
    """2011/12 to 2014/15: a level 6 row has its mark, from the pass (25) to 50, every year."""
    year, mark, level = exam["KS2_ACADYR"], exam["KS2_EXTMARK"], exam["KS2_EXTLEVEL"]
    marked = np.array([v is not None and v == v for v in mark])
    assert (marked == np.array([v == "6" for v in level])).all()
    for first in range(2011, 2015):
        at = year == f"{first}/{first + 1}"
        assert marked[at].sum() > 5, first
        assert ((mark[at & marked].astype(float) >= 25)
                & (mark[at & marked].astype(float) <= 50)).all()
