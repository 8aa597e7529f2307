"""Employers and their closures: no one is paid by an enterprise the IDBR has closed."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest
from conftest import simulated_block

from leo_synth.simulation.calendar import tax_year_start
from leo_synth.simulation.life import LifeCourse

N = 4_000


@pytest.fixture(scope="module")
def life(catalog) -> LifeCourse:
    return simulated_block(catalog, 11, N)


def test_no_earnings_from_an_enterprise_closed_before_the_tax_year(small_sqlite) -> None:
    """The researcher's check: an earnings row's main enterprise had not died (IDBR
    ``Death_month``, 2020 load) before the tax year began (employers were drawn whatever
    their closure, which the IDBR relation drew after the fact: 3% of the rows from 2018/19
    at 100,000 persons)."""
    with sqlite3.connect(small_sqlite[0]) as db:
        closed, rows, dead = db.execute("""
            SELECT COUNT(i.Death_month < (e.TaxYear / 100) || '-04-06' OR NULL), COUNT(*),
                   (SELECT COUNT(*) FROM idbr_lookup WHERE Death_month IS NOT NULL)
            FROM leo_earnings e JOIN idbr_lookup i
              ON i.ENTKEY = e.main_enterprise AND i.SourceYear = '2020'
            WHERE e.TaxYear >= 201819""").fetchone()
    assert rows > 500 and dead > 0 and closed == 0


def test_spells_and_pay_end_before_their_enterprise_closes(life) -> None:
    """Every closure counts, those after the IDBR's last load (2019 and 2020) too: a spell
    starts and is paid only in tax years that begin before its enterprise's death month,
    while enterprises that close did employ people before they closed."""
    death = life.ctx.pools.enterprises["death"]
    spells, pay = life.labour.spells, life.labour.pay
    closing = ~np.isnat(death[spells["enterprise"]])
    assert closing.sum() > 100
    assert (spells["start"][closing] < death[spells["enterprise"][closing]]).all()
    paid = ~np.isnat(death[pay["enterprise"]])
    assert (tax_year_start(pay["tax_year"][paid]) < death[pay["enterprise"][paid]]).all()


def test_a_sections_largest_enterprise_never_closes(life) -> None:
    """The employer draws fall back to a section's largest enterprise, so it stays open."""
    ent = life.ctx.pools.enterprises
    closes = ~np.isnat(ent["death"])
    assert 0.04 < closes.mean() < 0.12
    for section in np.unique(ent["section"]):
        own = np.flatnonzero(ent["section"] == section)
        assert not closes[own[np.argmax(ent["weight"][own])]]
