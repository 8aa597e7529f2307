"""A partitioned Parquet dataset, the Dask engine's output: a folder per relation, a file per block.

Layout under the target: ``<database>/<relation>/block-000042.parquet`` holds the rows of
person block 42, ``run.parquet`` a run-level relation (``idbr_lookup``, ``lars``: written once),
``empty.parquet`` (the schema, no rows) a relation no block gave a row, and ``_manifest.json``
at the top, written last. A relation's folder reads as one table: DuckDB
``read_parquet('out/leo_ds/leo_i2/leo_earnings/*.parquet')``, ``pandas.read_parquet(folder)``,
``dask.dataframe.read_parquet(folder)``.

Blocks are written by whoever simulated them (a Dask worker), straight into the run's staging
location through fsspec (:func:`write_part`), so the client never holds a block's rows; it
only adds up the checksums the workers return. A local folder keeps every guarantee of the
file outputs (writers/files.py): lock, staging beside the target, one-rename publish, replace
only what carries leo-synth's manifest. Any other fsspec URL (``s3://``, ``gs://``,
``memory://``...) is staged at a hidden sibling prefix and moved into place at the end; object
stores have no atomic rename, so there the manifest, written last, is what marks the dataset
complete.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from leo_synth.errors import LeoSynthError
from leo_synth.spec.model import Relation
from leo_synth.writers.base import Writer
from leo_synth.writers.files import FileWriter, remove
from leo_synth.writers.parquet import MANIFEST_FILE, codecs, foreign_folder

RUN_FILE = "run.parquet"
EMPTY_FILE = "empty.parquet"


def block_file(block: int) -> str:
    """The file of a relation's rows from person block ``block``."""
    return f"block-{block:06d}.parquet"


def relation_folder(root: str, relation: Relation) -> str:
    """Where a relation's files live in a dataset rooted at ``root`` (a path or URL)."""
    return f"{root.rstrip('/')}/{relation.database}/{relation.name}"


def _ours(relative: Path) -> bool:
    return len(relative.parts) == 3 and relative.suffix == ".parquet"


def foreign_dataset(folder: Path) -> str | None:
    """Why ``folder`` is not a leo-synth Parquet dataset (None when it is, or is empty)."""
    return foreign_folder(folder, _ours)


def write_part(root: str, relation: Relation, name: str, table: pa.Table | pa.RecordBatch,
               schema: pa.Schema) -> None:
    """Write one file of a relation (a block's rows, or the run-level rows) under ``root``."""
    import fsspec

    fs, folder = fsspec.core.url_to_fs(relation_folder(root, relation))
    fs.makedirs(folder, exist_ok=True)
    if isinstance(table, pa.RecordBatch):
        table = pa.Table.from_batches([table], schema=schema)
    with fs.open(f"{folder}/{name}", "wb") as handle:
        pq.write_table(table, handle, compression=codecs(table))


class DatasetParts:
    """What both dataset writers share: the client's own files and the end of the run."""

    part_root: str
    """Where the workers write (the staging location, as a path or URL)."""
    relations: list[Relation]
    schemas: dict[str, pa.Schema]
    manifest: Any

    def _write_run_file(self, relation: Relation, batch: pa.RecordBatch) -> None:
        """The client writes the run-level relations itself (one batch each)."""
        write_part(self.part_root, relation, RUN_FILE, batch, self.schemas[relation.name])

    def _finish(self) -> None:
        """Give every relation without rows its schema, then write the manifest (last)."""
        import fsspec

        for rel in self.relations:
            if self.manifest.checksums[rel.name].rows == 0:
                schema = self.schemas[rel.name]
                write_part(self.part_root, rel, EMPTY_FILE, schema.empty_table(), schema)
        with fsspec.open(f"{self.part_root}/{MANIFEST_FILE}", "w", encoding="utf-8") as handle:
            handle.write(self.manifest.to_json() + "\n")


class ParquetDatasetWriter(DatasetParts, FileWriter):
    """A dataset in a local folder: the guarantees of every file output."""

    what = "folder"
    foreign = staticmethod(foreign_dataset)

    @property
    def part_root(self) -> str:  # type: ignore[override]
        return str(self.staging)

    def _open(self) -> None:
        remove(self.staging)
        try:
            self.staging.mkdir()
        except OSError as exc:
            raise self.disk_error(exc) from exc

    def _write(self, relation: Relation, batch: pa.RecordBatch) -> None:
        self._write_run_file(relation, batch)

    def commit(self) -> None:
        try:
            self._finish()
        except OSError as exc:
            raise self.disk_error(exc) from exc
        self.publish()

    def _close(self) -> None:
        """Nothing stays open: every part is a whole file."""


class RemoteDatasetWriter(DatasetParts, Writer):
    """A dataset at an fsspec URL other than a local path (``s3://bucket/leo``...)."""

    def __init__(self, target: str, if_exists: str):
        super().__init__(target, if_exists)
        import fsspec

        try:
            self.fs, path = fsspec.core.url_to_fs(target)
        except (ImportError, ValueError) as exc:
            raise LeoSynthError(f"cannot write {target}: {exc}") from exc
        self.path = path.rstrip("/")
        protocols = (self.fs.protocol,) if isinstance(self.fs.protocol, str) else self.fs.protocol
        if not self.path.strip("/") or ("/" not in self.path.strip("/")
                                        and "memory" not in protocols):  # a bare bucket
            raise LeoSynthError(f"--out {target}: give a folder inside the bucket, e.g. "
                                f"{target.rstrip('/')}/leo_dataset")
        parent, _, name = self.path.rpartition("/")
        self.staging = f"{parent}/.{name}.leo-synth-tmp-{os.getpid()}"

    @property
    def part_root(self) -> str:  # type: ignore[override]
        return self.fs.unstrip_protocol(self.staging)

    def check(self, relations: list[Relation]) -> None:
        self._guarded(self._check_existing)

    def _check_existing(self) -> None:
        if not self.fs.exists(self.path):
            return
        if self.if_exists != "replace":
            raise LeoSynthError(f"{self.target} already exists; use --if-exists replace to "
                                f"overwrite it")
        reason = self._foreign()
        if reason:
            raise LeoSynthError(f"refusing to replace {self.target}: {reason}; leo-synth "
                                f"replaces only its own outputs: choose another --out")

    def _foreign(self) -> str | None:
        import json

        files = sorted(self.fs.find(self.path))
        if not files:
            return None
        manifest = f"{self.path}/{MANIFEST_FILE}"
        try:
            with self.fs.open(manifest, "r", encoding="utf-8") as handle:
                ours = "leo_synth" in json.load(handle)
        except (OSError, ValueError, TypeError):
            ours = False
        if not ours:
            return f"it has no leo-synth {MANIFEST_FILE}"
        for file in files:
            relative = Path(file[len(self.path) + 1:])
            if file != manifest and not _ours(relative):
                return f"it holds {relative}, which leo-synth did not write"
        return None

    def _open(self) -> None:
        self._guarded(self._clear_staging)
        self._guarded(lambda: self.fs.makedirs(self.staging, exist_ok=True))

    def _clear_staging(self) -> None:
        if self.fs.exists(self.staging):
            self.fs.rm(self.staging, recursive=True)

    def _write(self, relation: Relation, batch: pa.RecordBatch) -> None:
        self._guarded(lambda: self._write_run_file(relation, batch))

    def commit(self) -> None:
        self._guarded(self._finish)
        self._guarded(self._check_existing)
        self._guarded(self._publish)
        self.published = True

    def _publish(self) -> None:
        if self.fs.exists(self.path):
            self.fs.rm(self.path, recursive=True)
        self.fs.mv(self.staging, self.path, recursive=True)

    def abort(self) -> None:
        with contextlib.suppress(Exception):  # best effort: the failure reported matters more
            self._clear_staging()

    def _guarded(self, action: Any) -> Any:
        try:
            return action()
        except LeoSynthError:
            raise
        except Exception as exc:
            why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise LeoSynthError(f"cannot write {self.target}: {why}") from exc


def make_dataset_writer(target: str, if_exists: str) -> Writer:
    """The dataset writer for ``target``: a local folder (a path or ``file://``) or any other
    fsspec URL."""
    from fsspec.utils import get_protocol

    protocol = get_protocol(target)
    if protocol in ("file", "local"):
        return ParquetDatasetWriter(target.removeprefix("file://"), if_exists)
    return RemoteDatasetWriter(target, if_exists)
