"""Employment spells that are not what they seem (``leo_schema.md`` 4.3 items 6 and 15): a
spell repeated under another EDUKEY of the same person, and benefit payments that P14 returns
recorded as employment."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from leo_synth.quirks.model import QuirkRun, Target, quirk
from leo_synth.relations.common import edukeys, edukeys_at
from leo_synth.relations.dwp import benefit_spells

EMPLOYMENT = Target("leo_employment", ("EduKey", "StartDate", "EndDate"))
UNCERTAIN = ("UncertainStartDate", "UncertainEndDate")
P14_TAXABLE_BENEFITS = ("JSA", "ESA", "IB")
"""Taxable out-of-work benefits that DWP reported on P14 returns like pay."""
P14_YEARS = (np.datetime64("2004-04-06"), np.datetime64("2018-04-06"))
"""Tax years 2004/05 to 2017/18 (VRF: P14 wrongly includes some benefit records 2004-2017)."""


def _edukey_owners(run: QuirkRun) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every EDUKEY of the block's persons who hold two or more: sorted keys, their person
    and slot."""
    count = run.life.linkage.edukey_count
    multi = np.flatnonzero(count >= 2)
    person = np.repeat(multi, count[multi])
    starts = np.cumsum(count[multi]) - count[multi]
    slot = np.arange(len(person)) - np.repeat(starts, count[multi])
    keys = np.asarray(edukeys(run.life, person, slot)).astype(str)
    order = np.argsort(keys, kind="stable")
    return keys[order], person[order], slot[order]


def _distinguishing(run: QuirkRun) -> tuple[str, ...]:
    return tuple(col.name for col in map(run.column, UNCERTAIN) if col is not None)


@quirk("employment_other_edukey", 6, "an employment spell repeated with identical dates under "
       "another EDUKEY of the same person (FFT deduplicate spells across a person's EDUKEYs)",
       (EMPLOYMENT,), adds_rows=True)
def employment_other_edukey(run: QuirkRun) -> None:
    col = run.column("EduKey")
    if col is None or run.life is None or run.table.num_rows == 0:
        return
    keys, person, slot = _edukey_owners(run)
    if not len(keys):
        return
    values = run.values(col.name, "").astype(str)
    position = np.minimum(np.searchsorted(keys, values), len(keys) - 1)
    rows = run.pick(keys[position] == values)
    owner, held = person[position[rows]], slot[position[rows]]
    count = run.life.linkage.edukey_count[owner]
    # Another of the owner's keys, each equally likely.
    other = (held + 1 + (run.rng.random(len(rows)) * (count - 1)).astype(np.int64)) % count
    copies = run.table.take(pa.array(rows, pa.int64()))
    index = copies.schema.get_field_index(col.name)
    copies = copies.set_column(index, copies.schema.field(index),
                               pa.array(np.asarray(edukeys(run.life, owner, other)).astype(str))
                               .cast(copies.schema.field(index).type))
    run.add_rows(copies, _distinguishing(run))


@quirk("p14_benefit_spell", 15, "a JSA, ESA or Incapacity Benefit spell of 2004/05-2017/18 "
       "also recorded as an employment spell (P14 returns wrongly included some benefit "
       "records)", (EMPLOYMENT,), adds_rows=True)
def p14_benefit_spell(run: QuirkRun) -> None:
    if run.life is None or run.column("EduKey") is None:
        return
    spells = benefit_spells(run.life)
    start = np.asarray(spells["start"]).astype("datetime64[D]")
    candidates = (np.isin(spells["type"], P14_TAXABLE_BENEFITS)
                  & (start >= P14_YEARS[0]) & (start < P14_YEARS[1]))
    chosen = np.flatnonzero(candidates & (run.rng.random(len(spells)) < run.rate))
    values = {
        "EduKey": np.asarray(edukeys_at(run.life, spells["person"][chosen], start[chosen]))
        .astype(str),
        "StartDate": start[chosen],
        "EndDate": np.asarray(spells["end"]).astype("datetime64[D]")[chosen],
        "UncertainStartDate": np.zeros(len(chosen), dtype=np.int64),
        "UncertainEndDate": np.zeros(len(chosen), dtype=np.int64),
    }
    columns = {}
    for field in run.table.schema:
        template = next(c.spec.name for c in run.relation.columns if c.name == field.name)
        columns[field.name] = (pa.array(values[template]).cast(field.type)
                               if template in values else pa.nulls(len(chosen), field.type))
    run.add_rows(pa.table(columns, schema=run.table.schema), _distinguishing(run))


EARNINGS = Target("leo_earnings", ("Edukey", "TaxYear"))
LEL_WEEKLY = {2003: 77, 2004: 79, 2005: 82, 2006: 84, 2007: 87, 2008: 90, 2009: 95, 2010: 97,
              2011: 102, 2012: 107}
"""The National Insurance Lower Earnings Limit (pounds a week) by tax year start, 2003/04 to
2012/13 (HMRC rates and allowances). Before Real Time Information (April 2013) employers sent a
P14 only for employees paid above it or taxed, so low earners may be missing (VRF)."""


@quirk("paye_low_earner_missing", 16, "a tax year of pay below the Lower Earnings Limit before "
       "2013/14 missing from the earnings table (no P14 was required)", (EARNINGS,))
def paye_low_earner_missing(run: QuirkRun) -> None:
    year, pay = run.column("TaxYear"), run.column("Earnings")
    if year is None or pay is None:
        return
    years = run.values(year.name, 0).astype(np.int64)
    amount = run.values(pay.name, 0).astype(np.float64)
    start = years // 100
    known = (start >= min(LEL_WEEKLY)) & (start <= max(LEL_WEEKLY))
    table = np.array([LEL_WEEKLY[y] * 52 for y in range(min(LEL_WEEKLY), max(LEL_WEEKLY) + 1)])
    lel = np.where(known, table[np.clip(start - min(LEL_WEEKLY), 0, len(table) - 1)], 0)
    run.delete_rows(run.pick(known & (amount > 0) & (amount < lel)))
