"""Residence before the October 2012 bulk load (``leo_schema.md`` 4.3 item 22): DWP's CIS did
not track addresses accurately before 12 October 2012, so tax years up to 2012/13 were partly
reassigned from 2001 output areas, and some person-years are missing."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from leo_synth.quirks.model import QuirkRun, Target, quirk

GEOGRAPHY = Target("leo_geography", ("Edukey", "TaxYear"))
LAST_UNTRACKED_TAX_YEAR = 201213
"""The last tax year (``TaxYear`` code) before CIS tracked addresses (bulk load 12 Oct 2012)."""


def _untracked(run: QuirkRun) -> np.ndarray:
    col = run.column("TaxYear")
    if col is None:
        return np.zeros(run.table.num_rows, dtype=bool)
    years = run.values(col.name, 0).astype(np.int64)
    return (years > 0) & (years <= LAST_UNTRACKED_TAX_YEAR)


AREA_FOLLOWERS = ("PCON", "PCONNM")
"""Columns the geography derives from the output area (its constituency), which move with it."""


@quirk("geography_reassigned", 22, "a residence of 2012/13 or earlier in another output area "
       "of the same local authority (reassigned from a 2001 output area), with that area's "
       "constituency", (GEOGRAPHY,))
def geography_reassigned(run: QuirkRun) -> None:
    coa, la = run.column("COA_2011"), run.column("LAUA_anon")
    if coa is None or la is None:
        return
    # Another output area of the same authority, among those the block's residents live in:
    # the distinct (authority, area) pairs in order, as codes (text sorted once per column).
    la_names, la_codes = _sorted_codes(run, la.name)
    area_names, area_codes = _sorted_codes(run, coa.name)
    pair_codes = la_codes * len(area_names) + area_codes
    pairs, pair_row = np.unique(pair_codes, return_index=True)  # and a row of each pair
    pair_las = pairs // len(area_names)
    first = np.searchsorted(pair_las, la_codes, side="left")
    choices = np.searchsorted(pair_las, la_codes, side="right") - first
    rows = run.pick(_untracked(run) & _filled(area_names, area_codes)
                    & _filled(la_names, la_codes) & (choices >= 2))
    own = np.searchsorted(pairs, pair_codes[rows]) - first[rows]
    other = (run.rng.random(len(rows)) * (choices[rows] - 1)).astype(np.int64)
    other += other >= own  # skip the current area
    chosen = first[rows] + other  # index into pairs
    # The constituency is the output area's, as the geography looks it up: taken from a row of
    # the chosen area before any row moves (so every row of an area keeps one constituency).
    source = pa.array(pair_row[chosen], pa.int64())
    moved = {}
    for name in AREA_FOLLOWERS:
        col = run.column(name)
        if col is not None:
            values = run.table.column(name).combine_chunks()
            new = values.take(source)
            differs = ~np.asarray(pc.fill_null(pc.equal(values.take(pa.array(rows, pa.int64())),
                                                        new), False))
            moved[col.name] = (rows[differs], new.filter(pa.array(differs)))
    run.set_values(coa.name, rows, pa.array(area_names[pairs[chosen] % len(area_names)]))
    for name, (at, values) in moved.items():
        run.set_values(name, at, values)


def _sorted_codes(run: QuirkRun, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Column ``name`` as text (NULL as ''), as ``np.unique`` gives it: the distinct values
    sorted, and each row's index among them. Text columns are encoded by Arrow (hashing) and
    only their distinct values sorted, not every row's text made and sorted."""
    column = run.table.column(name)
    if not pa.types.is_string(column.type):
        return np.unique(run.values(name, "").astype(str), return_inverse=True)
    encoded = pc.dictionary_encode(pc.fill_null(column, "")).combine_chunks()
    distinct = encoded.dictionary.to_numpy(zero_copy_only=False).astype(str)
    order = np.argsort(distinct)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return distinct[order], rank[encoded.indices.to_numpy(zero_copy_only=False)]


def _filled(names: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Rows whose value (by code among sorted ``names``) is not ''."""
    return codes != 0 if len(names) and names[0] == "" else np.ones(len(codes), dtype=bool)


@quirk("geography_gap", 22, "a person-year of 2012/13 or earlier missing from the geography "
       "table (gaps in years before the bulk load)", (GEOGRAPHY,))
def geography_gap(run: QuirkRun) -> None:
    run.delete_rows(run.pick(_untracked(run)))
