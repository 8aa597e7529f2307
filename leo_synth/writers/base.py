"""The writer protocol every backend implements, and the run manifest they all store.

A run calls ``check()`` before simulating anything (so a bad target fails fast), ``open()``,
``write()`` for every batch in block order (``finish()`` once a relation has had its last
one), then ``commit()``, which makes the output appear
atomically. Any failure or interrupt calls ``abort()``, which removes everything the run wrote
and leaves the previous output as it was. ``check()`` may take a lock on the target (file
outputs do) that ``commit()`` or ``abort()`` releases.
"""

from __future__ import annotations

import contextlib
import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from leo_synth.checksum import Checksum
from leo_synth.interrupts import Interrupted
from leo_synth.spec.model import Relation
from leo_synth.spec.physical import arrow_schema


@dataclass
class Manifest:
    """What a run produced: settings, versions, and per-relation rows and checksums.

    No timestamps: the same settings must give byte-identical output.
    """

    settings: dict[str, Any]
    checksums: dict[str, Checksum] = field(default_factory=dict)

    def to_json(self) -> str:
        relations = {name: {"rows": c.rows, "checksum": c.digest}
                     for name, c in sorted(self.checksums.items())}
        return json.dumps({"leo_synth": self.settings, "relations": relations}, indent=2,
                          sort_keys=True)


class Writer(ABC):
    """A backend that stores the relations of one run."""

    def __init__(self, target: str, if_exists: str):
        self.target = target
        self.if_exists = if_exists
        self.relations: list[Relation] = []
        self.schemas: dict[str, pa.Schema] = {}
        self.manifest: Manifest | None = None
        self.published = False
        """Set once the new output is in place (a signal after that does not undo it)."""
        self.on_phase: Callable[[str], None] | None = None
        """Told the phases of ``commit()`` as they begin (``"files"``, ``"index"``,
        ``"publish"``)."""

    def announce(self, phase: str) -> None:
        """Name a phase of the commit to whoever follows the run (the progress display)."""
        if self.on_phase is not None:
            self.on_phase(phase)

    @abstractmethod
    def check(self, relations: list[Relation]) -> None:
        """Fail early (LeoSynthError) if the target is unusable or, for these relations,
        exists without replace."""

    def check_space(self, needed: int) -> None:
        """Fail early (LeoSynthError) if an output of about ``needed`` bytes (estimated) will
        not fit where it goes."""
        return  # a server's or a remote store's free space is not this machine's to see

    def open(self, relations: list[Relation], manifest: Manifest) -> None:
        """Prepare an empty staging output for these relations."""
        self.relations = relations
        self.schemas = {rel.name: arrow_schema(rel) for rel in relations}
        self.manifest = manifest
        for rel in relations:
            manifest.checksums[rel.name] = Checksum()
        self._open()

    encoder: Callable[[Relation, pa.RecordBatch], bytes | pa.Buffer | None] | None = None
    """A function the worker processes apply to each batch they build (e.g. PostgreSQL's COPY
    payload), so that work spreads over the workers; ``write`` then receives its result as
    ``encoded`` (or the batch itself when it returned None). None: the writer does all its
    work on the batch itself."""

    def write(self, relation: Relation, batch: pa.RecordBatch | None,
              checksum: Checksum | None = None, encoded: bytes | pa.Buffer | None = None
              ) -> None:
        """Store one batch of a relation (batches arrive in block order); ``checksum`` is the
        batch's own and ``encoded`` its ``encoder`` result when the caller computed them
        already (in a worker process, which then sends no batch: None)."""
        if encoded is None:
            assert batch is not None
            if batch.num_rows == 0:
                return
        assert self.manifest is not None
        running = self.manifest.checksums[relation.name]
        if checksum is None:
            assert batch is not None, "an encoded batch comes with its checksum"
            running.add(batch, self.schemas[relation.name])
        else:
            running.absorb(checksum)
        if encoded is None:
            assert batch is not None
            self._write(relation, batch)
        else:
            self._write_encoded(relation, encoded)

    def _write_encoded(self, relation: Relation, encoded: bytes | pa.Buffer) -> None:
        """Store a batch given as its ``encoder`` result (writers with an encoder)."""
        raise NotImplementedError(f"{type(self).__name__} has no encoder")

    blocks_together = 1
    """How many consecutive blocks the engine hands over relation by relation (each
    relation's batches in block order), so that a relation is finished as soon as the last
    blocks have built it: a writer whose output depends on the order of relations names a
    number that does not depend on the workers; 0: as many as the workers build at once (an
    output that does not depend on the order of relations)."""

    def expect(self, blocks: int, together: int) -> None:
        """Told before the workers start (and ``encoder`` is read): the run's ``blocks``, and
        how many of them are handed over together (see ``blocks_together``). A writer may
        choose its ``encoder`` by them."""
        return

    def finish(self, relation: Relation) -> None:
        """Told when a relation has received all its batches, while other relations are still
        being generated: a writer may index or write it now rather than at commit."""
        return  # most writers finish everything at commit

    def record(self, relation: Relation, checksum: Checksum) -> None:
        """Count rows of a relation that a worker stored itself (the Dask engine's parts)."""
        assert self.manifest is not None
        self.manifest.checksums[relation.name].absorb(checksum)

    @abstractmethod
    def _open(self) -> None: ...

    @abstractmethod
    def _write(self, relation: Relation, batch: pa.RecordBatch) -> None: ...

    @abstractmethod
    def commit(self) -> None:
        """Finish (keys, indexes, manifest) and publish the output atomically."""

    @abstractmethod
    def abort(self) -> None:
        """Remove everything this run wrote; the previous output stays as it was."""

    @contextlib.contextmanager
    def aborted_on_failure(self) -> Iterator[None]:
        """Around a run's writing: any failure or interrupt aborts the writer, and an
        interrupt is told whether the new output was already published."""
        try:
            yield
        except Interrupted as exc:
            self.abort()
            exc.published = self.published
            raise
        except BaseException:
            self.abort()
            raise
