"""Values standing for nothing (``leo_schema.md`` 4.3 items 11, 12, 13 and 17): blank strings
and ``-1`` sentinels where the clean extract has NULL, the ``1900-01-01`` ILR end date,
missing entry dates, and pupils recorded before their year of birth."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from leo_synth.memo import by_identity
from leo_synth.quirks.codes import HESA
from leo_synth.quirks.duplicates import CENSUS, KS4, NCCIS
from leo_synth.quirks.model import QuirkRun, Target, quirk
from leo_synth.spec.model import Relation

PLAMS = Target("plams", ("pl_PupilMatchingRefAnonymous", "pl_ACADYR", "pl_QAN", "pl_QN",
                         "pl_LearningStartDate"))
LILR_LEARNERS = Target("learners", ("external_id",))
LILR_AIMS = Target("aims", ("external_id", "sequence_index"))
PLACEHOLDER_END = dt.date(1900, 1, 1)


def _fill_nulls(run: QuirkRun, kinds: tuple[str, ...], value: object) -> None:
    """In rows chosen at the rate, every NULL non-key cell of the given SQL kinds becomes
    ``value``."""
    rows = run.pick(run.keyed)
    if rows.size:
        run.fill_nulls(rows, _unkeyed_columns(run.relation, kinds, run.target.key), value)


def _unkeyed_columns(relation: Relation, kinds: tuple[str, ...], key: tuple[str, ...]
                     ) -> list[str]:
    """The relation's columns of the given SQL kinds that are not made from a ``key``
    template column, worked out once per relation, kinds and key and process."""
    known = _unkeyed_by_relation(relation)
    if (kinds, key) not in known:
        known[kinds, key] = [col.name for col in relation.columns
                             if col.spec.type.kind in kinds and col.spec.name not in key]
    return known[kinds, key]


@by_identity
def _unkeyed_by_relation(relation: Relation) -> dict[tuple[tuple[str, ...], tuple[str, ...]],
                                                      list[str]]:
    """:func:`_unkeyed_columns` of a relation, by kinds and key, as they are asked for."""
    return {}


@quirk("blank_string", 17, "blank strings '' instead of NULL in every empty text column of "
       "a record", (CENSUS, KS4, NCCIS, HESA, PLAMS))
def blank_string(run: QuirkRun) -> None:
    _fill_nulls(run, ("string",), "")


@quirk("lilr_minus_one", 17, "-1 instead of NULL in every empty number column of an ILR "
       "record", (LILR_LEARNERS, LILR_AIMS))
def lilr_minus_one(run: QuirkRun) -> None:
    _fill_nulls(run, ("integer",), -1)


@quirk("ilr_end_1900", 12, "an ILR aim without an end date holds the placeholder 1900-01-01",
       (LILR_AIMS,))
def ilr_end_1900(run: QuirkRun) -> None:
    col = run.column("end_date")
    if col is None:
        return
    rows = run.pick(lambda: run.is_null(col.name))
    run.set_values(col.name, rows, pa.array([PLACEHOLDER_END] * len(rows), pa.date32()))


@quirk("census_no_entry_date", 11, "a census record without its entry date", (CENSUS,))
def census_no_entry_date(run: QuirkRun) -> None:
    col = run.column("EntryDate_[term][yy]")
    if col is None:
        return
    rows = run.pick(lambda: ~run.is_null(col.name))
    run.set_values(col.name, rows, pa.nulls(len(rows), pa.date32()))


@quirk("census_before_birth", 13, "a pupil recorded in a census before the year of birth the "
       "record gives", (CENSUS,))
def census_before_birth(run: QuirkRun) -> None:
    col = run.column("YearOfBirth_[term][yy]")
    if col is None or run.relation.year is None:
        return
    rows = run.pick(lambda: ~run.is_null(col.name))
    # The census is taken in the academic year starting ``year``: a birth year after its end.
    run.set_values(col.name, rows, pa.array(np.full(len(rows), run.relation.year + 2)))
