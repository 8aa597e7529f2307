"""Duplicates and grain (``leo_schema.md`` 4.3 items 3-5): extra records of one pupil."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from leo_synth.quirks.model import QuirkRun, Target, quirk
from leo_synth.relations.fill import storable_codes
from leo_synth.spec.model import RelationColumn

CENSUS = Target("school_census", ("PupilMatchingRefAnonymous_[term][yy]",))
KS4 = Target("ks4_pupil", ("KS4_PupilMatchingRefAnonymous", "KS4_ACADYR"))
NCCIS = Target("nccis", ("NCCIS_PupilMatchingRefAnonymous", "NCCIS_ACADYR", "NCCIS_MonthNo"))

MAIN_STATUS = 1
"""RecordStatus of the main record of a duplicated pupil (researchers keep NULL, 1-10, 20)."""
DUPLICATE_STATUS = 101
"""RecordStatus of the record that is not the main one (filtered out by researchers)."""

KS4_ATTAINMENT = ("entries", "att8", "level2_em", "level2", "level1", "ptscnewe", "ptstnewe",
                  "l2basics_94", "l2basics_95", "ebacc", "ebacc_94", "ebacc_e", "ebacc_e_ptq_ee",
                  "gcse_eng_points", "gcse_mat_points")
"""Builder attributes of the KS4 measures that a record without attainment holds as 0."""
KS4_NOTHING_ATTAINED = {
    # counts, thresholds, point scores and entry flags of the pupil's GCSEs: 0
    **dict.fromkeys(("ks4_a8_slot", "ks4_ebacc", "ks4_ebacc_aps", "ks4_ebacc_pillar",
                     "ks4_entered_subject", "ks4_entries", "ks4_exam_category",
                     "ks4_grade_count", "ks4_open_ranked", "ks4_pillars_entered",
                     "ks4_point_score", "ks4_subject", "ks4_threshold",
                     "ks4_expected_progress"), 0),
    "ks4_no_passes": 1,
    # grades, levels and the progress measures, which need a result: NULL
    **dict.fromkeys(("ks4_subject_grade", "ks4_nc_level", "ks4_progress8", "ks4_value_added",
                     "ks4_cva", "ks4_median_va"), None),
}
"""What a record without attainment holds in each KS4 column derived from the grades (by
derivation): the measures follow the zeroed attributes, so the record does not count GCSEs it
does not hold. Prior attainment (``ks4_prior``) is the pupil's and stays."""


def _replace(table: pa.Table, name: str, value: object) -> pa.Table:
    """``name`` set to ``value`` in every row (see ``_replace_many``)."""
    return _replace_many(table, {name: value})


def _replace_many(table: pa.Table, values: dict[str, object]) -> pa.Table:
    """Each column of ``values`` set to its value in every row (None: NULL), converted to the
    column's type (a text column of a numeric attribute, such as KS4_ACTYRGRP_GSIZE of
    ``entries``, takes "0"); the table is rebuilt once, however many columns change."""
    columns = list(table.columns)
    for name, value in values.items():
        index = table.schema.get_field_index(name)
        kind = table.schema.field(index).type
        columns[index] = (pa.nulls(table.num_rows, kind) if value is None
                          else pa.repeat(pa.scalar(value), table.num_rows).cast(kind))
    return pa.Table.from_arrays(columns, schema=table.schema)


@quirk("census_duplicate", 3, "a pupil has a second census record (RecordStatus 101, not on "
       "roll) beside the main one (RecordStatus 1)", (CENSUS,), adds_rows=True)
def census_duplicate(run: QuirkRun) -> None:
    status = run.column("RecordStatus_[term][yy]")
    if status is None:
        return
    rows = run.pick()
    copies = run.table.take(pa.array(rows, pa.int64()))
    run.set_values(status.name, rows, pa.array(np.full(len(rows), MAIN_STATUS)))
    copies = _replace(copies, status.name, DUPLICATE_STATUS)
    for template, value in (("OnRoll_[term][yy]", 0),
                            ("SourceTable_[term][yy]", "PupilsNoLongerOnRoll")):
        col = run.column(template)
        if col is not None:
            copies = _replace(copies, col.name, value)
    run.add_rows(_left_before_census(run, copies), (status.name,))


def _left_before_census(run: QuirkRun, copies: pa.Table) -> pa.Table:
    """A record no longer on roll has the date its pupil left: halfway from their entry to
    census day (no draw: the census records only that they left before it). The builder's
    records, all on roll, have none."""
    leaving, entry, census = (run.column(f"{name}_[term][yy]")
                              for name in ("LeavingDate", "EntryDate", "CensusDate"))
    if leaving is None or entry is None or census is None or not copies.num_rows:
        return copies
    start = copies.column(entry.name).to_numpy(zero_copy_only=False).astype("datetime64[D]")
    day = copies.column(census.name).to_numpy(zero_copy_only=False).astype("datetime64[D]")
    index = copies.schema.get_field_index(leaving.name)
    field = copies.schema.field(index)
    return copies.set_column(index, field, pa.array(start + (day - start) // 2, field.type))


DUAL_MAIN_STATUS = 3
"""RecordStatus of the main record of two on roll, the main one set by EnrolStatus (VRF)."""
DUAL_OTHER_STATUS = 103
MAIN_PHASES = ("SS",)
"""The ``PHASE`` of a dual-registered pupil's main record: a secondary school's (most pupils
of pupil referral units are of secondary age; the census has no ``PHASE`` before 2013/14)."""
SUBSIDIARY_PHASES = (("PR",), ("SP",))
"""Where a dual-registered pupil's second school is, in order of preference: most are at a
pupil referral unit (``PHASE`` PR, in the school census from 2013/14), else a special
school (the share is an assumption: the VRF codes the pair, not where the second is)."""
SCHOOL_COLUMNS = ("LA_[term][yy]_anon", "LA_9Code_[term][yy]_anon", "LAEstab_[term][yy]_anon",
                  "LA_LGR_[term][yy]_anon", "URN_[term][yy]_anon", "PHASE_[term][yy]")
"""The columns that say which school a census record is of (a dual registration's second
school is another record's, all of them taken together so that they agree)."""


@quirk("census_dual_registration", 3, "a pupil registered at two schools: the main record "
       "EnrolStatus M (RecordStatus 3), at a secondary school where the census has the phase, "
       "a second, on roll at a pupil referral unit (else a special or another school), "
       "EnrolStatus S (RecordStatus 103)", (CENSUS,), adds_rows=True)
def census_dual_registration(run: QuirkRun) -> None:
    status, enrol = run.column("RecordStatus_[term][yy]"), run.column("EnrolStatus_[term][yy]")
    if status is None or enrol is None or run.table.num_rows < 2:
        return
    # Rows another quirk made a main or duplicate record of are left alone; where the census
    # records the phase, the main record is a secondary school's (MAIN_PHASES).
    phase = run.column("PHASE_[term][yy]")
    candidates = run.is_null(status.name)
    if phase is not None:
        candidates &= run.among(phase.name, list(MAIN_PHASES))
    rows = run.pick(candidates)
    donors = _second_schools(run, rows, phase)
    copies = run.table.take(pa.array(rows, pa.int64()))
    donated = run.table.take(pa.array(donors, pa.int64()))
    for template in SCHOOL_COLUMNS:
        col = run.column(template)
        if col is not None:
            index = copies.schema.get_field_index(col.name)
            copies = copies.set_column(index, copies.schema.field(index),
                                       donated.column(col.name))
    run.set_values(status.name, rows, pa.array(np.full(len(rows), DUAL_MAIN_STATUS)))
    run.set_values(enrol.name, rows, pa.array(["M"] * len(rows)))
    copies = _replace(_replace(copies, status.name, DUAL_OTHER_STATUS), enrol.name, "S")
    run.add_rows(copies, (status.name,))


def _second_schools(run: QuirkRun, rows: np.ndarray, phase: RelationColumn | None
                    ) -> np.ndarray:
    """The record whose school each dual-registered row's second record is at: a pupil
    referral unit's of the block, else a special school's (SUBSIDIARY_PHASES), else any
    other record's (never the row itself)."""
    for codes in SUBSIDIARY_PHASES if phase is not None else ():
        pool = np.flatnonzero(run.among(phase.name, list(codes)))
        if len(pool):
            return pool[run.rng.integers(0, len(pool), len(rows))]
    return (rows + 1 + run.rng.integers(0, run.table.num_rows - 1, len(rows))) % (
        run.table.num_rows)


@quirk("ks4_duplicate", 4, "a KS4 pupil has a second record of the same year without "
       "attainment (entries and measures 0, grades and progress NULL) beside the one with GCSEs "
       "attained", (KS4,),
       adds_rows=True)
def ks4_duplicate(run: QuirkRun) -> None:
    cols = [col for col in run.relation.columns if col.attribute in KS4_ATTAINMENT]
    if not cols:
        return
    values: dict[str, object] = dict.fromkeys((col.name for col in cols), 0)
    for col in run.relation.columns:
        fill = col.spec.fill
        if fill.kind == "derive" and fill.derive in KS4_NOTHING_ATTAINED:
            values[col.name] = KS4_NOTHING_ATTAINED[fill.derive]
            if fill.derive == "ks4_progress8" and dict(fill.params).get("what") == "included":
                values[col.name] = 0  # the pupil is not in the measure
    copies = _replace_many(run.table.take(pa.array(run.pick(), pa.int64())), values)
    run.add_rows(copies, tuple(col.name for col in cols))


@quirk("nccis_conflict", 5, "a young person has a second NCCIS activity in the same month, "
       "with another activity code", (NCCIS,), adds_rows=True)
def nccis_conflict(run: QuirkRun) -> None:
    col = run.column("NCCIS_Current_Activity_Code")
    if col is None:
        return
    rows = run.pick()
    copies = run.table.take(pa.array(rows, pa.int64()))
    codes = np.unique([int(c) for c in storable_codes(col.spec)])
    current = np.asarray(pc.fill_null(copies.column(col.name), -1), dtype=np.int64)
    picks = run.rng.integers(0, len(codes) - 1, len(rows))
    # Skip the current code: draw among the others.
    position = np.searchsorted(codes, current)
    same_or_after = (position < len(codes)) & (codes[np.minimum(position, len(codes) - 1)]
                                               == current) & (picks >= position)
    other = codes[picks + same_or_after]
    index = copies.schema.get_field_index(col.name)
    copies = copies.set_column(index, copies.schema.field(index),
                               pa.array(other).cast(copies.schema.field(index).type))
    run.add_rows(copies, (col.name,))
