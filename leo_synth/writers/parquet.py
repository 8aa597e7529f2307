"""Parquet writer: a folder per source database, one Parquet file per relation.

Batches are buffered per relation and written as row groups of a useful size; the folder is
built next to the target and renamed into place at the end.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from leo_synth.errors import LeoSynthError
from leo_synth.spec.model import Relation
from leo_synth.writers.base import Writer
from leo_synth.writers.files import check_target, publish, remove, staging_path

ROW_GROUP_BYTES = 32 * 2**20
MANIFEST_FILE = "_manifest.json"


def relation_file(root: Path, relation: Relation) -> Path:
    """Where a relation lives in a Parquet extract: ``root/<database>/<name>.parquet``."""
    return root / relation.database / f"{relation.name}.parquet"


class ParquetWriter(Writer):
    def __init__(self, target: str, if_exists: str):
        super().__init__(target, if_exists)
        self.path = Path(target)
        self.staging = staging_path(self.path)
        self.writers: dict[str, pq.ParquetWriter] = {}
        self.buffers: dict[str, list[pa.RecordBatch]] = {}
        self.buffered: dict[str, int] = {}

    def check(self, relations: list[Relation]) -> None:
        check_target(self.path, self.if_exists, want_dir=True)

    def _open(self) -> None:
        remove(self.staging)
        for rel in self.relations:
            relation_file(self.staging, rel).parent.mkdir(parents=True, exist_ok=True)
            self.buffers[rel.name] = []
            self.buffered[rel.name] = 0

    def _write(self, relation: Relation, batch: pa.RecordBatch) -> None:
        self.buffers[relation.name].append(batch)
        self.buffered[relation.name] += batch.nbytes
        if self.buffered[relation.name] >= ROW_GROUP_BYTES:
            self._flush(relation)

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
        self.buffered[relation.name] = 0

    def commit(self) -> None:
        assert self.manifest is not None
        try:
            for rel in self.relations:
                self._flush(rel)
                self.writers.pop(rel.name).close()
            (self.staging / MANIFEST_FILE).write_text(self.manifest.to_json() + "\n")
            publish(self.staging, self.path)
        except OSError as exc:
            raise LeoSynthError(f"cannot write {self.path}: {exc.strerror or exc}") from exc

    def abort(self) -> None:
        for writer in self.writers.values():
            with contextlib.suppress(OSError):
                writer.close()
        self.writers.clear()
        remove(self.staging)
