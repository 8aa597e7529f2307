"""Apply a profile's quirks to a relation's block and collect the defects they made."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from leo_synth.engine.rng import stream
from leo_synth.errors import LeoSynthError
from leo_synth.memo import by_identity
from leo_synth.quirks import (  # noqa: F401  (registers the quirks)
    codes,
    duplicates,
    geography,
    labour_records,
    placeholders,
    spells,
)
from leo_synth.quirks.model import QUIRKS, Defects, Quirk, QuirkRun
from leo_synth.quirks.profiles import PROFILES  # noqa: F401  (re-exported)
from leo_synth.spec.model import Relation


def profile_rates(profile: str, quirk_params: dict[str, Any],
                  overrides: dict[str, Any] | None = None) -> dict[str, float]:
    """Each quirk's rate under ``profile`` (``config/parameters.yaml`` ``quirks:``), with the
    run config's overrides; ``clean`` is all zeros unless a rate is overridden."""
    rates = {}
    for code in QUIRKS:
        entry = quirk_params.get(code)
        if not isinstance(entry, dict):
            raise LeoSynthError(f"parameters: quirks.{code} is missing (realistic and messy "
                                f"rates and their source)")
        rates[code] = 0.0 if profile == "clean" else float(entry[profile])
    rates.update({code: float(rate) for code, rate in (overrides or {}).items()})
    return rates


def quirk_problems(overrides: Any) -> list[str]:
    """What is wrong with a run config's ``quirks:`` mapping (unknown codes, bad rates)."""
    if overrides is None:
        return []
    if not isinstance(overrides, dict):
        return [f"quirks must map quirk codes to rates, got {overrides!r}"]
    problems = []
    for code, rate in overrides.items():
        if code not in QUIRKS:
            problems.append(f"quirks: unknown quirk {code!r}; known: {', '.join(QUIRKS)}")
        elif isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 <= rate <= 1:
            problems.append(f"quirks.{code} must be a rate between 0 and 1, got {rate!r}")
    return problems


@by_identity
def quirks_for(relation: Relation) -> list[Quirk]:
    """The quirks touching a relation, value changes before added rows (worked out once per
    relation and process: a block asks for every relation's)."""
    return sorted((q for q in QUIRKS.values() if q.target(relation) is not None),
                  key=lambda q: q.adds_rows)


def apply_quirks(relation: Relation, batch: pa.RecordBatch, rates: dict[str, float],
                 seed: int, block: int, life: Any = None) -> tuple[pa.RecordBatch, Defects]:
    """The block's batch with the relation's quirks applied, and the defects made (``life``:
    the block's life course, for quirks that read a person's other records)."""
    defects = Defects()
    todo = [q for q in quirks_for(relation) if rates.get(q.code, 0.0) > 0]
    if not todo or batch.num_rows == 0:
        return batch, defects
    clean = table = pa.Table.from_batches([batch])
    for found in todo:
        run = QuirkRun(found, relation, found.target(relation), table, rates[found.code],
                       stream(seed, f"quirk:{found.code}:{relation.name}", block), defects,
                       life)
        found.apply(run)
        table = run.table
    if table is clean:  # no quirk changed a value or a row
        return batch, defects
    batches = table.to_batches()  # (one batch when no column was cut into chunks)
    if len(batches) != 1:
        batches = table.combine_chunks().to_batches()
    if len(batches) == 1 and batches[0].schema.equals(batch.schema, check_metadata=True):
        return batches[0], defects  # the usual case: no per-column work
    arrays = [column.combine_chunks() if column.num_chunks else pa.array([], column.type)
              for column in table.columns]
    return pa.RecordBatch.from_arrays(arrays, schema=batch.schema), defects
