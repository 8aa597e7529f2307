"""Parquet writer: a folder per source database, one Parquet file per relation.

Batches are buffered per relation and written as row groups of a useful size (up to
``ROW_GROUP_BYTES``), under one memory budget for all relations together: when the buffered
bytes of every relation would exceed ``MEMORY_BUDGET_BYTES``, the relations holding the most are
flushed first, so the writer's memory is flat whatever the number of persons or relations. The
folder is built next to the target and renamed into place at the end. ``_manifest.json`` marks
the folder as leo-synth's own, which ``--if-exists replace`` requires before replacing a folder.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from leo_synth.spec.model import Relation
from leo_synth.writers.files import FileWriter, remove

ROW_GROUP_BYTES = 32 * 2**20
"""A relation's buffer is written as a row group once it holds this much."""
MEMORY_BUDGET_BYTES = 256 * 2**20
"""At most this much is buffered across all relations between writes."""
MANIFEST_FILE = "_manifest.json"


def relation_file(root: Path, relation: Relation) -> Path:
    """Where a relation lives in a Parquet extract: ``root/<database>/<name>.parquet``."""
    return root / relation.database / f"{relation.name}.parquet"


def foreign_parquet(folder: Path) -> str | None:
    """Why ``folder`` is not a leo-synth Parquet output (None when it is, or is empty): it
    must hold a leo-synth ``_manifest.json`` and nothing but ``<database>/<name>.parquet``."""
    return foreign_folder(folder, lambda item: len(item.parts) == 2 and item.suffix == ".parquet")


def foreign_folder(folder: Path, ours: Callable[[Path], bool]) -> str | None:
    """Why ``folder`` is not a leo-synth output folder (None when it is, or is empty): it must
    hold a leo-synth ``_manifest.json`` and, besides it, only regular files (no links), at any
    depth, whose path relative to the folder ``ours`` accepts. Shared by every folder format."""
    entries = sorted(folder.iterdir())
    if not entries:
        return None
    try:
        manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"it has no leo-synth {MANIFEST_FILE}"
    if not isinstance(manifest, dict) or "leo_synth" not in manifest:
        return f"its {MANIFEST_FILE} was not written by leo-synth"
    for item in _leaves(entries):
        if item.name == MANIFEST_FILE and item.parent == folder:
            continue
        relative = item.relative_to(folder)
        if item.is_symlink() or not item.is_file() or not ours(relative):
            return f"it holds {relative}, which leo-synth did not write"
    return None


def _leaves(entries: list[Path]) -> Iterator[Path]:
    """Everything under ``entries`` that is not a real folder (folders are descended into,
    symbolic links never followed), in name order."""
    for entry in entries:
        if entry.is_dir() and not entry.is_symlink():
            yield from _leaves(sorted(entry.iterdir()))
        else:
            yield entry


class ParquetWriter(FileWriter):
    what = "folder"
    foreign = staticmethod(foreign_parquet)

    def __init__(self, target: str, if_exists: str,
                 budget_bytes: int = MEMORY_BUDGET_BYTES):
        super().__init__(target, if_exists)
        self.budget_bytes = budget_bytes
        self.writers: dict[str, pq.ParquetWriter] = {}
        self.buffers: dict[str, list[pa.RecordBatch]] = {}
        self.buffered: dict[str, int] = {}
        self.buffered_bytes = 0
        """Bytes buffered across all relations now."""
        self.peak_buffered_bytes = 0
        """The most ever buffered between two writes (instrumentation: stays within the
        budget)."""

    def _open(self) -> None:
        remove(self.staging)
        for rel in self.relations:
            try:
                relation_file(self.staging, rel).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise self.disk_error(exc) from exc
            self.buffers[rel.name] = []
            self.buffered[rel.name] = 0

    def _write(self, relation: Relation, batch: pa.RecordBatch) -> None:
        self.buffers[relation.name].append(batch)
        self.buffered[relation.name] += batch.nbytes
        self.buffered_bytes += batch.nbytes
        if self.buffered[relation.name] >= ROW_GROUP_BYTES:
            self._flush(relation)
        if self.buffered_bytes > self.budget_bytes:
            by_name = {rel.name: rel for rel in self.relations}
            for name in sorted(self.buffered, key=self.buffered.__getitem__, reverse=True):
                self._flush(by_name[name])
                if self.buffered_bytes <= self.budget_bytes // 2:
                    break  # room for more batches before the next flush
        self.peak_buffered_bytes = max(self.peak_buffered_bytes, self.buffered_bytes)

    def _flush(self, relation: Relation) -> None:
        batches = self.buffers[relation.name]
        schema = self.schemas[relation.name]
        writer = self.writers.get(relation.name)
        if writer is None:
            writer = pq.ParquetWriter(relation_file(self.staging, relation), schema,
                                      compression="zstd")
            self.writers[relation.name] = writer
        if batches:
            writer.write_table(pa.Table.from_batches(batches, schema=schema))
        self.buffers[relation.name] = []
        self.buffered_bytes -= self.buffered[relation.name]
        self.buffered[relation.name] = 0

    def commit(self) -> None:
        assert self.manifest is not None
        try:
            for rel in self.relations:
                self._flush(rel)
                self.writers.pop(rel.name).close()
            (self.staging / MANIFEST_FILE).write_text(self.manifest.to_json() + "\n")
        except OSError as exc:
            raise self.disk_error(exc) from exc
        self.publish()

    def _close(self) -> None:
        for writer in self.writers.values():
            with contextlib.suppress(OSError):
                writer.close()
        self.writers.clear()
