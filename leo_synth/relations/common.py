"""Keys and membership shared by every relation builder of a block."""

from __future__ import annotations

import numpy as np

from leo_synth.simulation.life import LifeCourse
from leo_synth.simulation.per_block import per_block


@per_block
def ae_ids(life: LifeCourse) -> np.ndarray:
    """AE_ID of every person of the block."""
    return life.ctx.keys.make("ae_id", life.persons["pid"])


def pmrs(life: LifeCourse, person: np.ndarray, slot: np.ndarray | int) -> np.ndarray:
    """PupilMatchingRefAnonymous of (person, PMR slot)."""
    return life.ctx.keys.make("pmr", life.persons["pid"][person], slot)


def edukeys(life: LifeCourse, person: np.ndarray, slot: np.ndarray | int) -> np.ndarray:
    """EDUKEY of (person, EDUKEY slot)."""
    return life.ctx.keys.make("edukey", life.persons["pid"][person], slot)


@per_block
def ilr_record_matched(life: LifeCourse) -> np.ndarray:
    """Per ILR learner record: is its RECORDID in the education records lookup?"""
    learners = life.fe.learners
    share = life.ctx.params["linkage.unmatched_recordid_share"]
    u = life.linkage.recordid_unmatched_u[learners["person"], learners["slot"]]
    return u >= share


@per_block
def resolved(life: LifeCourse) -> np.ndarray:
    """Persons with an AE_ID in the lookups: at least one matched education record."""
    link = life.linkage
    slots = np.arange(link.pmr_matched.shape[1])[None, :]
    pmr_ok = (link.pmr_matched & (slots < link.pmr_count[:, None])).any(axis=1)
    ilr_ok = np.zeros(len(life.persons), dtype=bool)
    ilr_ok[life.fe.learners["person"][ilr_record_matched(life)]] = True
    return pmr_ok | ilr_ok


@per_block
def in_labour_data(life: LifeCourse) -> np.ndarray:
    """Persons whose HMRC and DWP records are in the extract (resolved and DWP-matched)."""
    return resolved(life) & (life.linkage.edukey_count > 0)


def edukeys_at(life: LifeCourse, person: np.ndarray, dates: np.ndarray) -> np.ndarray:
    """The EDUKEY a person's record dated ``dates`` is held under."""
    slot = life.linkage.edukey_slot(person, dates)
    return edukeys(life, person, np.minimum(slot, life.linkage.edukey_count[person] - 1))


def pmrs_in_year(life: LifeCourse, person: np.ndarray, year: np.ndarray) -> np.ndarray:
    """The PMR an NPD record of an academic year carries."""
    slot = life.linkage.pmr_slot(person, year)
    return pmrs(life, person, np.minimum(slot, np.maximum(life.linkage.pmr_count[person] - 1, 0)))


MAX_YEAR_SPAN = 200
"""Widest range of years :func:`in_year` looks up in a person x year table."""


def in_year(person: np.ndarray, year: np.ndarray, their_person: np.ndarray,
            their_year: np.ndarray) -> np.ndarray:
    """1 where the (person, year) pair appears among the records' pairs."""
    return (max_in_year(person, year, their_person, their_year,
                        np.ones(len(their_person), dtype=np.int64)) > 0).astype(np.int64)


def max_in_year(person: np.ndarray, year: np.ndarray, their_person: np.ndarray,
                their_year: np.ndarray, value: np.ndarray) -> np.ndarray:
    """The largest ``value`` (non-negative) of the records of each row's (person, year) pair,
    0 where there is none (persons are the block's indexes: a person x year table of the
    records, not a sort of all the pairs)."""
    if not len(person) or not len(their_person):
        return np.zeros(len(person), dtype=np.int64)
    value = np.asarray(value, dtype=np.int64)
    first = min(int(year.min()), int(their_year.min()))
    last = max(int(year.max()), int(their_year.max()))
    if last - first > MAX_YEAR_SPAN:  # e.g. NEVER among the years: a table would be too wide
        keys, at = np.unique(their_person * 10_000 + their_year, return_inverse=True)
        best = np.zeros(len(keys), dtype=np.int64)
        np.maximum.at(best, at, value)
        want = person * 10_000 + year
        at = np.minimum(np.searchsorted(keys, want), len(keys) - 1)
        return np.where(keys[at] == want, best[at], 0)
    held = np.zeros((max(int(person.max()), int(their_person.max())) + 1, last - first + 1),
                    dtype=np.int64)
    np.maximum.at(held, (their_person, their_year - first), value)
    return held[person, year - first]
