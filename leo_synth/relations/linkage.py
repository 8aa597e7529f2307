"""The three LEO linkage lookups: AE_ID to PMR, AE_ID to EDUKEY, RECORDID to AE_ID."""

from __future__ import annotations

import numpy as np

from leo_synth.relations.common import (
    ae_ids,
    edukeys,
    ilr_record_matched,
    in_labour_data,
    pmrs,
    resolved,
)
from leo_synth.relations.registry import builder
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.life import LifeCourse
from leo_synth.spec.model import Relation


def _slots(counts: np.ndarray, matched: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(person, slot) pairs for slot < count, optionally only where ``matched[person, slot]``."""
    person = np.repeat(np.arange(len(counts)), counts)
    slot = np.arange(len(person)) - np.repeat(np.cumsum(counts) - counts, counts)
    if matched is not None:
        keep = matched[person, slot]
        person, slot = person[keep], slot[keep]
    return person, slot


@builder("linkage.pmr_lookup", provides=["ae_id", "pmr"])
def pmr_lookup(life: LifeCourse, relation: Relation) -> Frame:
    """One row per resolved PMR."""
    counts = np.where(resolved(life), life.linkage.pmr_count, 0)
    person, slot = _slots(counts, life.linkage.pmr_matched)
    return Frame(ae_id=ae_ids(life)[person], pmr=pmrs(life, person, slot))


@builder("linkage.edukey_lookup", provides=["ae_id", "edukey"])
def edukey_lookup(life: LifeCourse, relation: Relation) -> Frame:
    """One row per resolved EDUKEY."""
    counts = np.where(in_labour_data(life), life.linkage.edukey_count, 0)
    person, slot = _slots(counts)
    return Frame(ae_id=ae_ids(life)[person], edukey=edukeys(life, person, slot))


@builder("linkage.records_lookup", provides=["recordid", "ae_id"])
def records_lookup(life: LifeCourse, relation: Relation) -> Frame:
    """One row per matched education record (ILR learner records)."""
    learners = life.fe.learners
    matched = ilr_record_matched(life)
    person, slot = learners["person"][matched], learners["slot"][matched]
    return Frame(recordid=life.ctx.keys.make("recordid", life.persons["pid"][person], slot),
                 ae_id=ae_ids(life)[person])
