"""Combine the parts of a run split with ``--part K/N`` into one output, as the whole run writes it.

The parts are checked first (:func:`~leo_synth.verify.combine_parts`: the parts of one run,
each once, each holding its share of the blocks), then every relation is copied part after part
(so its rows keep the whole run's block order) into a writer of any format, through the same
writer protocol a run uses (``open``, ``write``, ``finish``, ``commit``; ``abort`` on any
failure, so nothing is half-written). The new output's manifest is the whole run's: the
parts' settings without the part, and checksums computed again from the rows written, which
must equal the parts' added up, relation by relation, before anything is published (a part
changed or damaged since it was made stops the copy, named).

A relation is read a slice at a time (about a million values:
:func:`~leo_synth.output_reading.relation_slices`), a few slices ahead of the writer in a
thread of their own, with their checksums, so no whole relation is held and the reading
overlaps the writing (the command tunes the allocator as a run's writing process does:
``engine/heap.py``). A Parquet target gets the whole run's row groups (a fixed number
of rows whatever the batches): at the sizes tested its files are byte-identical to the whole
run's, but pyarrow decides page ends, and when a full dictionary falls back to plain values, at
the edges of the batches it is given, so from about 200,000 persons a column's bytes may differ
(the rows and checksums do not).

The rejected alternative, concatenating the parts' files, works for neither a SQLite file (one
database) nor a Parquet file (one footer) and would not check the rows.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from leo_synth.checksum import Checksum, spec_cast
from leo_synth.engine.estimate import estimated_bytes
from leo_synth.errors import LeoSynthError
from leo_synth.output_reading import (
    Output,
    held_relation,
    reading_connection,
    reading_errors,
    relation_slices,
)
from leo_synth.read_ahead import read_ahead
from leo_synth.spec.model import Catalog, Relation
from leo_synth.spec.physical import arrow_schema
from leo_synth.verify import combine_parts, unreadable
from leo_synth.writers.base import Manifest, Writer

READ_AHEAD = 4
"""Batches read (and checksummed) ahead of the writer, at most (memory: a few row groups)."""


@dataclass
class Combined:
    """What :func:`combine` wrote."""

    relations: int
    rows: int
    persons: int
    parts: int


def whole_run(outputs: list[Output], specs: str) -> dict[str, Any]:
    """The manifest of the whole run whose parts ``outputs`` are; a one-line error when they
    are not the parts of one run, or were made with other specs than ``specs`` (the installed
    ones: their columns and types are what the new output gets)."""
    whole, problems = combine_parts(outputs)
    if problems:
        raise LeoSynthError("these are not the parts of one run, nothing combined: "
                            + "; ".join(problems))
    if whole["leo_synth"].get("spec_sha256") != specs:
        raise LeoSynthError(f"the parts were made with other specs than this leo-synth's "
                            f"(version {whole['leo_synth'].get('version')}): combine them "
                            f"with the version that made them")
    return whole


def combine(outputs: list[Output], whole: dict[str, Any], catalog: Catalog, writer: Writer,
            advance: Callable[[int], None] | None = None,
            estimate_as: str | None = None) -> Combined:
    """Write the whole run that the parts ``outputs`` make (its manifest ``whole``, from
    :func:`whole_run`) to ``writer`` (``advance(rows)`` after each batch written). Raises
    LeoSynthError, with nothing written, when a relation's rows differ from the parts'
    manifests or a part cannot be read, or, with ``estimate_as`` (the output's format), when
    the output's estimated size exceeds the free space where it goes (as a run is refused)."""
    parts = sorted(outputs, key=lambda output: output.part["index"])
    settings = whole["leo_synth"]
    listed = whole["relations"]
    with reading_connection(parts[0]) as conn:
        relations = _held_relations(catalog, int(settings.get("iteration", 2)), listed,
                                    parts[0], conn)
    writer.check(relations)  # from here on the writer may hold a lock: abort() frees it
    with writer.aborted_on_failure():
        if estimate_as:
            writer.check_space(estimated_bytes(estimate_as, relations, catalog,
                                               int(settings.get("persons", 0))))
        writer.expect(1, 1)  # (batches come one at a time, from this process)
        manifest = Manifest(settings=dict(settings))
        writer.open(relations, manifest)
        with contextlib.closing(read_ahead(lambda: _batches(parts, relations), READ_AHEAD,
                                           "leo-synth-combine-reader")) as batches:
            for relation, batch, checksum in batches:
                if batch is None:  # the relation's end
                    writer.finish(relation)
                    _check_rows(relation, manifest, listed[relation.name])
                    continue
                writer.write(relation, batch, checksum)
                if advance:
                    advance(batch.num_rows)
        writer.commit()
    return Combined(len(relations), sum(int(e["rows"]) for e in listed.values()),
                    int(settings.get("persons", 0)), len(parts))


_Batch = tuple[Relation, pa.RecordBatch | None, Checksum | None]


def _batches(parts: list[Output], relations: list[Relation]) -> Iterator[_Batch]:
    """Every relation's rows, part after part, as batches with their checksums (computed here,
    from the very batches written), then the relation's end (no batch). Run in the read-ahead
    thread, which opens its own connections to the parts."""
    with contextlib.ExitStack() as stack:
        connections = [stack.enter_context(reading_connection(part)) for part in parts]
        for relation in relations:
            schema = arrow_schema(relation)
            for part, conn in zip(parts, connections, strict=True):
                if relation.name in part.manifest["relations"]:  # (run-level: part 1's)
                    for table in _read(part, relation, conn):
                        for batch in table.to_batches():
                            yield relation, batch, Checksum.of(batch, schema)
            yield relation, None, None


def _read(part: Output, relation: Relation, conn: Any) -> Iterator[pa.Table]:
    """The relation's rows in the part, a slice at a time
    (:func:`~leo_synth.output_reading.relation_slices`), typed as the spec says; a part that
    cannot be read is one line."""
    schema = arrow_schema(relation)
    slices = (_typed(table, schema) for table in relation_slices(part, relation, conn))
    while True:
        try:
            table = next(slices, None)
        except reading_errors(part) as exc:
            raise LeoSynthError(f"{part.shown}: {unreadable(relation.qualified_name, exc)}; "
                                f"nothing combined") from None
        if table is None:
            return
        yield table


def _held_relations(catalog: Catalog, iteration: int, listed: dict[str, Any], first: Output,
                    conn: Any) -> list[Relation]:
    """The run's relations in the order a run writes them, with the columns part 1 holds (a
    ``--request`` run keeps fewer); part 1 holds every relation, the run-level ones too."""
    ordered = catalog.relations(iteration)
    unknown = sorted(set(listed) - {rel.name for rel in ordered})
    if unknown:
        raise LeoSynthError(f"the parts hold relations this leo-synth does not know: "
                            f"{', '.join(unknown)}")
    relations = []
    for rel in ordered:
        if rel.name not in listed:
            continue
        held = held_relation(first, rel, conn)
        if held is None:
            raise LeoSynthError(f"{first.shown} lacks {rel.qualified_name}, which its "
                                f"manifest lists")
        relations.append(held)
    return relations


def _check_rows(relation: Relation, manifest: Manifest, recorded: dict[str, Any]) -> None:
    """The rows written for a relation must be those the parts' manifests add up to."""
    written = manifest.checksums[relation.name]
    if written.digest == recorded["checksum"]:
        return
    listed = int(recorded["rows"])
    found = (f"other values in its {listed:,} rows than their manifests record"
             if written.rows == listed else
             f"{written.rows:,} rows where their manifests record {listed:,}")
    raise LeoSynthError(f"{relation.qualified_name}: the parts hold {found} (a part changed or "
                        f"damaged since it was made: leo-synth verify names it); nothing "
                        f"combined")


def _typed(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """The table with the spec's column types (SQLite gives dates as text, decimals as floats,
    booleans as integers, a column of NULLs as integers)."""
    if table.schema.equals(schema):
        return table
    return pa.Table.from_arrays([spec_cast(table.column(field.name), field.type)
                                 for field in schema], schema=schema)
