"""An in-memory backend: every relation as one Arrow table (for :func:`leo_synth.extract`).

Nothing touches the disk, so there is nothing to stage, publish or clean up: ``commit()``
assembles each relation's batches into a table and ``abort()`` drops them.
"""

from __future__ import annotations

import pyarrow as pa

from leo_synth.spec.model import Relation
from leo_synth.writers.base import Writer


class MemoryWriter(Writer):
    """Collects the batches of each relation; ``tables`` holds the result after ``commit()``."""

    def __init__(self) -> None:
        super().__init__("memory", "replace")
        self.batches: dict[str, list[pa.RecordBatch]] = {}
        self.tables: dict[str, pa.Table] = {}

    def check(self, relations: list[Relation]) -> None:
        """Memory is always a usable target."""

    def _open(self) -> None:
        self.batches = {rel.name: [] for rel in self.relations}
        self.tables = {}

    def _write(self, relation: Relation, batch: pa.RecordBatch) -> None:
        self.batches[relation.name].append(batch)

    def commit(self) -> None:
        self.tables = {rel.name: pa.Table.from_batches(self.batches.pop(rel.name),
                                                       schema=self.schemas[rel.name])
                       for rel in self.relations}

    def abort(self) -> None:
        self.batches = {}
        self.tables = {}
