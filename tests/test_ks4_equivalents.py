"""KS4 vocational equivalents (simulation/attainment.py, rules with ``equivalents: true``):
the measures "including equivalents" count the pupil's GCSEs and its vocational qualification,
the GCSE-only measures the GCSEs alone, on the suite's small run, queried as a researcher
would. Records without attainment (a duplicated pupil's second record holds its attainment
columns as 0) are left out by ``KS4_ENTRIES > 0``."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from leo_synth.simulation.attainment import vocational_equivalents
from leo_synth.simulation.context import BlockContext
from leo_synth.simulation.parameters import load_parameters

OLD = "KS4Pupil_2002_to_2014"


@pytest.fixture(scope="module")
def db(small_sqlite_connection: sqlite3.Connection) -> sqlite3.Connection:
    return small_sqlite_connection


def test_thresholds_with_equivalents_count_the_vocational_qualification(db) -> None:
    rows, takers, bad = db.execute(f"""
        SELECT count(*), sum(KS4_PASS_LEV2 > KS4_GCSE_AC),
               sum(KS4_LEVEL2 <> (KS4_PASS_LEV2 >= 5)        -- with equivalents
                   OR KS4_FIVEAC <> (KS4_GCSE_AC >= 5)        -- GCSEs alone
                   OR KS4_FIVEAC > KS4_LEVEL2
                   OR KS4_PASS_LEV2 - KS4_GCSE_AC NOT IN (0, 2, 4)
                   OR KS4_LEVEL2_EM <> KS4_LEVEL2_FEM
                   OR KS4_LEVEL2_EM > KS4_LEVEL2
                   OR KS4_LEVEL1 <> (KS4_PASS_LEV1 >= 5)
                   OR KS4_PTSCNEWE > KS4_PTSTNEWE
                   OR KS4_PTSTNEWE < KS4_PTSTNEWG)
        FROM {OLD}
        WHERE KS4_PASS_LEV2 IS NOT NULL AND KS4_ENTRIES > 0""").fetchone()
    assert rows > 100 and takers > 0 and bad == 0


def test_btec_and_vocational_flags_follow_the_qualification(db) -> None:
    # (2007/08 on: the years KS4_BTEC and KS4_VOCQUAL hold; the GCSE-only threshold with
    # English and maths from 2009/10)
    rows, btecs, bad = db.execute(f"""
        SELECT count(*), sum(KS4_BTEC),
               sum(KS4_BTEC <> (KS4_PASS_LEV2 > KS4_GCSE_AC)
                   OR KS4_BTEC > KS4_VOCQUAL
                   OR KS4_VOCQUAL <> (KS4_ENTRY_E > KS4_ENTRY_G)
                   OR KS4_LEVEL2EM_GCSE > KS4_LEVEL2_EM)
        FROM {OLD}
        WHERE KS4_BTEC IS NOT NULL AND KS4_LEVEL2EM_GCSE IS NOT NULL
          AND KS4_ENTRIES > 0""").fetchone()
    assert rows > 30 and btecs > 0 and bad == 0


def test_wolf_counts_a_qualification_as_one_gcse_and_none_are_taken_after() -> None:
    """2013/14 counts each qualification as one GCSE; from 2014/15 no pupil takes one."""
    params = load_parameters()
    ctx = BlockContext(7, 0, 0, 4000, params, None, None)  # (the draws need no pools or keys)
    n = 4000
    years = np.repeat([2011, 2013, 2015], n // 3 + 1)[:n]
    latent = np.zeros(n)
    found = vocational_equivalents(ctx, years, latent, np.zeros(n, dtype=bool))
    by_year = {year: {k: v[years == year] for k, v in found.items()} for year in (2011, 2013,
                                                                                   2015)}
    assert set(np.unique(by_year[2011]["counted_units"])) == {0, 2, 4}
    assert set(np.unique(by_year[2013]["counted_units"])) == {0, 1}
    assert not by_year[2015]["units"].any() and not by_year[2015]["counted_ac"].any()
    assert (found["ac"] <= found["units"]).all()
