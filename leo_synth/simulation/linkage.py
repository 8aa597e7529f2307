"""Person resolution as the extract shows it: which keys each person carries and which match.

A person may hold several PMRs (e.g. one in primary school, another from secondary school on),
several EDUKEYs (each in use over a period of adult life) and many ILR records. Some education
records stay unmatched: their keys are absent from the lookup tables although the records exist.
Persons never matched to DWP's customer system have no EDUKEY and no HMRC or DWP rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from leo_synth.simulation.context import BlockContext
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.series import interpolate
from leo_synth.simulation.stats import categorical

MAX_PMRS = 4
MAX_EDUKEYS = 4


@dataclass
class Linkage:
    """Key counts, switch points and match flags per person of the block."""

    pmr_count: np.ndarray  # PMRs held (0 for persons without NPD or HESA records)
    pmr_switch_years: np.ndarray  # (n, MAX_PMRS - 1): academic year each later PMR starts
    pmr_matched: np.ndarray  # (n, MAX_PMRS): slot present in the PMR lookup
    edukey_count: np.ndarray  # EDUKEYs held (0 when not matched to DWP)
    edukey_switch: np.ndarray  # (n, MAX_EDUKEYS - 1): date each later EDUKEY starts
    recordid_unmatched_u: np.ndarray  # (n, 32) uniform draws: record slot unmatched if < share
    hesa_blank_pmr_u: np.ndarray  # per person: HESA PMR left blank if < share

    def pmr_slot(self, person: np.ndarray, year: np.ndarray) -> np.ndarray:
        """Which of the person's PMRs a record of an academic year carries."""
        switches = self.pmr_switch_years[person]
        return (np.asarray(year)[:, None] >= switches).sum(axis=1)

    def edukey_slot(self, person: np.ndarray, dates: np.ndarray) -> np.ndarray:
        """Which of the person's EDUKEYs a record dated ``dates`` is held under."""
        switches = self.edukey_switch[person]
        return (np.asarray(dates)[:, None] >= switches).sum(axis=1)


def simulate_linkage(ctx: BlockContext, persons: Frame, npd_first_year: np.ndarray,
                     npd_last_year: np.ndarray, last_record_year: np.ndarray) -> Linkage:
    """Draw key counts and matching outcomes.

    ``npd_first_year``/``npd_last_year`` bound each person's NPD records (-1 if none), so that
    a later PMR always starts inside the span of records it labels; ``last_record_year`` is
    the academic year of the person's latest education record of any source.
    """
    p = ctx.params["linkage"]
    rng = ctx.rng("linkage.pmrs")
    n = len(persons)
    has_npd = npd_first_year >= 0
    pmr_count = np.where(has_npd, 1 + categorical(rng, np.array(p["pmrs_per_pupil"]), n), 1)
    span = np.maximum(npd_last_year - npd_first_year, 0)
    draws = np.sort(rng.random((n, MAX_PMRS - 1)), axis=1)
    switch = npd_first_year[:, None] + 1 + (draws * span[:, None]).astype(np.int64)
    switch = np.where(np.arange(MAX_PMRS - 1)[None, :] < (pmr_count - 1)[:, None], switch, 9999)
    # A later PMR needs at least one year of records of its own.
    pmr_count = np.where(has_npd & (span == 0), 1, pmr_count)
    switch = np.where(has_npd[:, None] & (span[:, None] == 0), 9999, switch)
    pmr_matched = rng.random((n, MAX_PMRS)) >= p["unmatched_pmr_share"]

    # Matching to DWP's customer information system uses the personal details of the
    # education records: people whose latest record is older are less often matched.
    unmatched = interpolate(p["dwp_unmatched_by_last_record"], last_record_year)
    rng = ctx.rng("linkage.dwp")
    dwp = rng.random(n) >= unmatched
    edukey_count = np.where(dwp, 1 + categorical(rng, np.array(p["edukeys_per_person"]), n), 0)
    adult_from = persons["birth"] + np.timedelta64(int(17 * 365.25), "D")
    offsets = np.sort(rng.uniform(365, 20 * 365, (n, MAX_EDUKEYS - 1)), axis=1).astype(np.int64)
    edukey_switch = adult_from[:, None] + offsets.astype("timedelta64[D]")
    later = np.arange(MAX_EDUKEYS - 1)[None, :] < (edukey_count - 1)[:, None]
    edukey_switch = np.where(later, edukey_switch, np.datetime64("9999-12-31"))
    return Linkage(
        pmr_count=pmr_count.astype(np.int64),
        pmr_switch_years=switch.astype(np.int64),
        pmr_matched=pmr_matched,
        edukey_count=edukey_count.astype(np.int64),
        edukey_switch=edukey_switch.astype("datetime64[D]"),
        recordid_unmatched_u=ctx.rng("linkage.recordid_unmatched").random((n, 32)),
        hesa_blank_pmr_u=ctx.rng("linkage.hesa_blank_pmr").random(n),
    )
