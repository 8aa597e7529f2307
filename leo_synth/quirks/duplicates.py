"""Duplicates and grain (``leo_schema.md`` 4.3 items 3-5): extra records of one pupil."""

from __future__ import annotations

import functools

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from leo_synth.memo import by_identity
from leo_synth.quirks.model import FEW_COLUMNS, QuirkRun, Target, quirk
from leo_synth.relations.fill import storable_codes
from leo_synth.spec.model import Relation, RelationColumn

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
                     "ks4_english_residual", "ks4_entered_subject", "ks4_entries",
                     "ks4_exam_category", "ks4_grade_count", "ks4_open_ranked",
                     "ks4_pillars_entered", "ks4_point_score", "ks4_result_type",
                     "ks4_sciences", "ks4_subject", "ks4_threshold",
                     "ks4_expected_progress"), 0),
    "ks4_no_passes": 1,
    # grades, levels and the progress measures, which need a result: NULL
    **dict.fromkeys(("ks4_subject_grade", "ks4_nc_level", "ks4_progress8", "ks4_value_added",
                     "ks4_cva", "ks4_median_va"), None),
}
"""What a record without attainment holds in each KS4 column derived from the grades (by
derivation): the measures follow the zeroed attributes, so the record does not count GCSEs it
does not hold. Prior attainment (``ks4_prior``) is the pupil's and stays."""


def _copies(table: pa.Table, rows: np.ndarray, replaced: dict[str, object]) -> pa.Table:
    """Rows ``rows`` of ``table`` with the columns of ``replaced`` set to its values: an array
    (one value per row) or a constant for every row (None: NULL) converted to the column's
    type (a text column of a numeric attribute, such as KS4_ACTYRGRP_GSIZE of ``entries``,
    takes "0"). Only the other columns are taken: a take costs ~4 us a column however few the
    rows, and a copy's replaced columns are most of a KS4 record's. Rejected: taking every
    column and then replacing some (the earlier code), and copying rows by slices (a slice per
    row and table costs more than the take)."""
    schema = table.schema
    at = {schema.get_field_index(name): value for name, value in replaced.items()}
    kept = table.select([i for i in range(len(schema)) if i not in at]).take(
        pa.array(rows, pa.int64()))
    arrays: dict[int, pa.Array | pa.ChunkedArray] = {}
    same: dict[tuple[type, object, pa.DataType], pa.Array] = {}  # one array per constant
    for index, value in at.items():
        if isinstance(value, pa.Array | pa.ChunkedArray):
            arrays[index] = value
            continue
        kind = schema.field(index).type
        key = (type(value), value, kind)
        if key not in same:
            same[key] = _constant(value, kind, len(rows))
        arrays[index] = same[key]
    if len(at) <= FEW_COLUMNS:
        for index in sorted(at):  # ascending: the columns before ``index`` are in place
            kept = kept.add_column(index, schema.field(index), arrays[index])
        return kept
    columns = iter(kept.columns)
    return pa.Table.from_arrays([arrays[i] if i in at else next(columns)
                                 for i in range(len(schema))], schema=schema)


def _constant(value: object, kind: pa.DataType, length: int) -> pa.Array:
    """``length`` times ``value`` as ``kind`` (None: NULL), the values
    ``pa.repeat(pa.scalar(value), length).cast(kind)`` holds; the scalar is cast once per
    process (a cast costs ~20 us, the repeat ~3)."""
    if value is None:
        return pa.nulls(length, kind)
    return pa.repeat(_typed(value, kind), length)


@functools.lru_cache(maxsize=None, typed=True)
def _typed(value: object, kind: pa.DataType) -> pa.Scalar:
    """``value`` as a scalar of ``kind`` (``typed``: 0 and False are told apart)."""
    return pa.scalar(value).cast(kind)


@quirk("census_duplicate", 3, "a pupil has a second census record (RecordStatus 101, not on "
       "roll) beside the main one (RecordStatus 1)", (CENSUS,), adds_rows=True)
def census_duplicate(run: QuirkRun) -> None:
    status = run.column("RecordStatus_[term][yy]")
    if status is None:
        return
    rows = run.pick()
    if not len(rows):  # no copy to make (and nothing else to draw)
        return
    replaced: dict[str, object] = {status.name: DUPLICATE_STATUS}
    for template, value in (("OnRoll_[term][yy]", 0),
                            ("SourceTable_[term][yy]", "PupilsNoLongerOnRoll")):
        col = run.column(template)
        if col is not None:
            replaced[col.name] = value
    replaced.update(_left_before_census(run, rows))
    copies = _copies(run.table, rows, replaced)
    run.set_values(status.name, rows, pa.array(np.full(len(rows), MAIN_STATUS)))
    run.add_rows(copies, (status.name,))


def _left_before_census(run: QuirkRun, rows: np.ndarray) -> dict[str, pa.Array]:
    """A record no longer on roll has the date its pupil left: halfway from their entry to
    census day (no draw: the census records only that they left before it). The builder's
    records, all on roll, have none. The leaving date of copies of ``rows``, by column (none
    when the census lacks one of the dates)."""
    leaving, entry, census = (run.column(f"{name}_[term][yy]")
                              for name in ("LeavingDate", "EntryDate", "CensusDate"))
    if leaving is None or entry is None or census is None:
        return {}
    start, day = (run.table.column(col.name).take(pa.array(rows, pa.int64()))
                  .to_numpy(zero_copy_only=False).astype("datetime64[D]")
                  for col in (entry, census))
    kind = run.table.schema.field(leaving.name).type
    return {leaving.name: pa.array(start + (day - start) // 2, kind)}


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

    def candidates() -> np.ndarray:
        unmarked = run.is_null(status.name)
        return unmarked if phase is None else unmarked & run.among(phase.name, list(MAIN_PHASES))

    rows = run.pick(candidates)
    if not len(rows):  # (the donors' draw skipped is the last of this quirk's own stream)
        return
    donors = _second_schools(run, rows, phase)
    school = [col.name for col in map(run.column, SCHOOL_COLUMNS) if col is not None]
    donated = run.table.select(school).take(pa.array(donors, pa.int64()))
    replaced: dict[str, object] = {name: donated.column(name) for name in school}
    replaced.update({status.name: DUAL_OTHER_STATUS, enrol.name: "S"})
    copies = _copies(run.table, rows, replaced)
    run.set_values(status.name, rows, pa.array(np.full(len(rows), DUAL_MAIN_STATUS)))
    run.set_values(enrol.name, rows, pa.array(["M"] * len(rows)))
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
    distinguishing, values = _nothing_attained(run.relation)
    if not distinguishing:
        return
    rows = run.pick()
    run.add_rows(_copies(run.table, rows, _where_held(run.table, rows, values)), distinguishing)


def _where_held(table: pa.Table, rows: np.ndarray, values: dict[str, object]
                ) -> dict[str, object]:
    """``values`` for copies of ``rows``, NULL in a copy whose row holds NULL: a multi-year
    table's column that the row's year does not have (``KS4_EBACC_E`` before 2010/11) stays
    NULL rather than becoming a 0 no record of that year holds. A column every row holds
    keeps its constant (the cheap path of :func:`_copies`)."""
    constants = [name for name, value in values.items() if value is not None]
    originals = table.select(constants).take(pa.array(rows, pa.int64()))  # (one take)
    held: dict[str, object] = dict(values)
    for name in constants:
        original = originals.column(name)
        if not original.null_count:
            continue
        value = values[name]
        kind = table.schema.field(name).type
        held[name] = pc.if_else(pc.is_valid(original), _typed(value, kind),
                                pa.scalar(None, kind))
    return held


@by_identity
def _nothing_attained(relation: Relation) -> tuple[tuple[str, ...], dict[str, object]]:
    """A KS4 relation's columns of attainment attributes (which tell a record without
    attainment from the pupil's other), and what each column holds in such a record
    (KS4_NOTHING_ATTAINED), worked out once per relation and process."""
    cols = [col for col in relation.columns if col.attribute in KS4_ATTAINMENT]
    values: dict[str, object] = dict.fromkeys((col.name for col in cols), 0)
    for col in relation.columns:
        fill = col.spec.fill
        if fill.kind == "derive" and fill.derive in KS4_NOTHING_ATTAINED:
            values[col.name] = KS4_NOTHING_ATTAINED[fill.derive]
            if fill.derive == "ks4_progress8" and dict(fill.params).get("what") == "included":
                values[col.name] = 0  # the pupil is not in the measure
    return tuple(col.name for col in cols), values


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
