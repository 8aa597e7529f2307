"""Parquet writer: a folder per source database, one Parquet file per relation.

A Parquet file's footer lists every row group's every column chunk, and the writer keeps
that list in memory until the file is closed (about 860 bytes a column chunk in pyarrow), so
writing row groups as the blocks arrive would make memory grow with persons (18,800 columns
times a row group per flush). Instead each relation's block batches wait as Arrow IPC messages
until the relation has all its rows (``finish``: as the last block's results arrive, while
the workers build the rest), and its Parquet file is then written in one go, one relation per
thread (``COMMIT_THREADS``), reading its batches back in block order. Only one file per thread
is open at a time, so the footers held are those of a few relations, and memory stays flat
whatever the number of persons. Where the batches wait depends on the run (``expect``):

- in a run whose batches wait for later blocks (more blocks than are handed over together),
  each worker compresses its batches (:func:`lz4_ipc_bytes`) and appends them to a scratch
  file of its own in staging (:class:`BatchFiles`), and sends only where they are: the
  writing process neither receives nor holds them, and reads them back when it writes the
  file. (Sending them, as before, cost that process about a tenth of its CPU in receiving
  and spilling, and its memory a budget's worth of batches.)
- otherwise (each file is written as soon as its batches arrive) the batches are sent as they
  are (:func:`ipc_bytes`, read back without a copy) and held in memory, at most
  ``MEMORY_BUDGET_BYTES`` of them across all relations; over it, the largest relations' are
  compressed into one scratch file of the writer's own (``SPILL_FILE``).

Row groups hold a fixed number of rows per relation (``ROW_GROUP_BYTES`` over the width of
a row as the schema estimates it), whatever the blocks, the budget or what was spilled, so
the files are byte-identical for any number of workers. The folder is built next to the
target and renamed into place at the end, the scratch files removed first. ``_manifest.json``
marks the folder as leo-synth's own, which ``--if-exists replace`` requires before replacing a
folder.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq

from leo_synth.spec.model import Relation
from leo_synth.writers.files import FileWriter, disk_error, remove

ROW_GROUP_BYTES = 32 * 2**20
"""About this much Arrow data per row group (fixed rows per relation, see ``group_rows``).
Two files are encoded at once at commit, each a row group at a time: at 64 MiB the peak of a
1,000,000-person run was 900 MB, at 32 MiB 778 MB (100,000 persons: 650 and 605 MB)."""
MAX_GROUP_ROWS = 2**20
"""pyarrow's own cap on the rows of a row group (narrow relations reach it)."""
MEMORY_BUDGET_BYTES = 256 * 2**20
"""At most this much batch data, as the workers made it (Arrow IPC, LZ4-compressed or not:
``ParquetWriter.expect``), is held in memory across all relations."""
COMMIT_THREADS = 2
"""Relations written at once at commit (pyarrow encodes and compresses without the GIL)."""
SPILL_FILE = "_spill.arrows"
"""The scratch file (in staging, removed before publishing) of batches over the budget."""
WORKER_FILE_PREFIX = "_batches-"
"""A worker's scratch file of batches (:class:`BatchFiles`) is named this, its process id
and ``.arrows``, in staging (removed before publishing)."""
IPC_CODEC = pa.Codec("lz4")
"""Compresses a batch's whole IPC message as one LZ4 frame: a block's relations hold thousands
of small buffers (a column's validity, offsets, values), and compressing each on its own (the
IPC format's option) costs a frame per buffer; one frame is smaller, a little faster to make
and four times faster to read back. A block's IPC is about 130 MB, 34 MB in LZ4: held for
long, or spilled, compressed is better; handed to its file at once, it costs less to send
and read it as it is than to compress it (0.08 s a block) and decompress it (0.07 s)."""
IPC_SIZE_BYTES = 8
"""The uncompressed message's length, little-endian, ahead of the frame (to decompress it)."""
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


def ipc_bytes(relation: Relation, batch: pa.RecordBatch) -> pa.Buffer:
    """A batch as one Arrow IPC message (the writer's ``encoder``, run in workers; read back by
    :func:`ipc_batch`). A message, not a stream: a stream starts with the schema, which with
    the columns' descriptions is about 19 KB a relation; written and parsed again for every
    batch, it cost the workers and the writing process more than the batch's own framing."""
    return batch.serialize()


def ipc_batch(message: pa.Buffer, schema: pa.Schema) -> pa.RecordBatch:
    """The batch of an :func:`ipc_bytes` message (its columns stay in ``message``'s memory)."""
    return pa.ipc.read_record_batch(message, schema)


def lz4_ipc_bytes(relation: Relation, batch: pa.RecordBatch) -> pa.Buffer:
    """A batch as a compressed Arrow IPC message (:func:`compressed_ipc`; what
    :class:`BatchFiles` stores)."""
    return compressed_ipc(ipc_bytes(relation, batch))


def compressed_ipc(message: pa.Buffer) -> pa.Buffer:
    """An IPC message compressed: its length, then the message as one LZ4 frame (read back by
    :func:`decompressed_ipc`)."""
    return pa.py_buffer(message.size.to_bytes(IPC_SIZE_BYTES, "little")
                        + IPC_CODEC.compress(message, asbytes=True))


def decompressed_ipc(data: bytes | pa.Buffer) -> pa.Buffer:
    """The IPC message of :func:`compressed_ipc`' output."""
    size = int.from_bytes(data[:IPC_SIZE_BYTES], "little")
    return IPC_CODEC.decompress(memoryview(data)[IPC_SIZE_BYTES:], size)


@dataclass(frozen=True)
class StoredBatch:
    """Where a worker put a batch (:class:`BatchFiles`): what it sends instead of the batch."""

    file: str
    """The worker's scratch file, by name, in staging."""
    offset: int
    length: int


class BatchFiles:
    """The Parquet writer's ``encoder`` in a run whose batches wait for later blocks, run in
    the worker processes: each batch is compressed (:func:`lz4_ipc_bytes`) and appended to
    the worker's own scratch file in staging, and only where it went crosses to the writing
    process (a :class:`StoredBatch`), which reads it back when it writes the relation's file.
    The file is the worker's alone (named by its process id, opened on its first batch), so
    no two processes append to one file, and nothing else needs locking."""

    def __init__(self, folder: Path, target: Path):
        self.folder = folder
        self.target = target
        """The output (named when a worker cannot write its file)."""
        self._fd: int | None = None
        self._pid = 0
        """The process that opened ``_fd`` (a process forked after it opens its own)."""
        self._name = ""
        self._size = 0

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_fd": None, "_pid": 0, "_name": "", "_size": 0}

    def __call__(self, relation: Relation, batch: pa.RecordBatch) -> StoredBatch:
        data = lz4_ipc_bytes(relation, batch)
        try:
            return self._append(data)
        except OSError as exc:
            raise disk_error(self.target, exc) from None

    def _append(self, data: pa.Buffer) -> StoredBatch:
        """Append ``data`` to this process's file (made on its first batch)."""
        if self._pid != os.getpid():
            name = f"{WORKER_FILE_PREFIX}{os.getpid()}.arrows"
            self._fd = os.open(self.folder / name,
                               os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
            self._pid, self._name, self._size = os.getpid(), name, 0
        assert self._fd is not None
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view):]
        stored = StoredBatch(self._name, self._size, data.size)
        self._size += data.size
        return stored


CODEC = "zstd"
"""The compression of a column that holds a value."""


def codecs(table: pa.Table) -> dict[str, str]:
    """Each column's compression: none for a column of NULLs alone (a sixth to a third of
    the catalogue's columns in a row group), whose pages are a few bytes of levels that
    compression makes no smaller and costs a compressor each (zstd sets one up per page:
    about 0.3 s of the 4 s of encoding 50,000 persons, and 0.1 MB more); ``CODEC``
    otherwise. From the table's own values, so the same rows give the same file."""
    return {name: "none" if column.null_count == len(column) else CODEC
            for name, column in zip(table.column_names, table.columns, strict=True)}


def group_rows(schema: pa.Schema) -> int:
    """Rows per row group of a relation: ``ROW_GROUP_BYTES`` over a row's estimated width
    (fixed-width types at their width, text at 16 bytes), so row groups depend on the schema
    alone, never on how the rows arrived."""
    width = sum(field.type.bit_width // 8 if pa.types.is_primitive(field.type) else 16
                for field in schema)
    return max(1, min(MAX_GROUP_ROWS, ROW_GROUP_BYTES // max(1, width)))


class ParquetWriter(FileWriter):
    what = "folder"
    foreign = staticmethod(foreign_parquet)
    encoder = staticmethod(lz4_ipc_bytes)
    blocks_together = 0  # a file per relation: the order of relations does not matter

    def __init__(self, target: str, if_exists: str, budget_bytes: int | None = None):
        super().__init__(target, if_exists)
        self.budget_bytes = MEMORY_BUDGET_BYTES if budget_bytes is None else budget_bytes
        self.compressed = True
        """The batches held are compressed (``lz4_ipc_bytes``; else ``ipc_bytes``)."""
        self.held: dict[str, list[pa.Buffer]] = {}
        """Per relation, its batches (``encoder``'s) in memory, in block order, after any
        spilled."""
        self.held_bytes: dict[str, int] = {}
        self.spilled: dict[str, list[StoredBatch]] = {}
        """Per relation, where its batches are on disk (in the writer's spill file, or a
        worker's scratch file: ``BatchFiles``), in block order, before any held."""
        self.spill: BinaryIO | None = None
        self.stored = 0
        """Batches the workers stored themselves (instrumentation)."""
        self.spills = 0
        """Times the budget made this process spill (instrumentation)."""
        self.reading: dict[str, int] = {}
        """The scratch files open for reading, by name (file descriptors)."""
        self.buffered_bytes = 0
        """Bytes of batches (``encoder``'s) held in memory across all relations now."""
        self.peak_buffered_bytes = 0
        """The most ever held once the budget was enforced (instrumentation: stays within
        the budget)."""
        self.writers: dict[str, pq.ParquetWriter] = {}
        """The Parquet files open now (only while the commit writes them)."""
        self.peak_open_files = 0
        """The most Parquet files ever open at once (instrumentation: footers held in memory
        are those of at most ``COMMIT_THREADS`` relations)."""
        self.counting = threading.Lock()
        """Held while the batches held or spilled, and their count, change (the writing
        threads take a relation's while the run's thread adds others')."""
        self.files: ThreadPoolExecutor | None = None
        """Writes the relations' files (``COMMIT_THREADS`` at a time)."""
        self.written: dict[str, Future] = {}
        """Per relation whose file is being or was written, its task."""
        self.unchecked: deque[Future] = deque()
        """The tasks of ``written`` not yet seen done, in the order started (checking them
        all at every start cost time quadratic in the relations)."""
        self.written_early: set[str] = set()
        """Relations whose file was started before the commit (instrumentation)."""

    def _open(self) -> None:
        remove(self.staging)
        for rel in self.relations:
            try:
                relation_file(self.staging, rel).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise self.disk_error(exc) from exc
            self.held[rel.name] = []
            self.held_bytes[rel.name] = 0
            self.spilled[rel.name] = []

    def expect(self, blocks: int, together: int) -> None:
        """Before the workers start: a run whose blocks are all handed over together (no more
        blocks than workers) has each relation's file written as soon as its batches arrive,
        so they are sent and held as they are; otherwise they wait for the last blocks, so
        the workers compress and store them (:class:`BatchFiles`)."""
        self.compressed = blocks > together
        self.encoder = BatchFiles(self.staging, self.path) if self.compressed else ipc_bytes

    def _write(self, relation: Relation, batch: pa.RecordBatch) -> None:
        """A batch made in this process (the run-level relations', or a one-block run's)."""
        encode = lz4_ipc_bytes if self.compressed else ipc_bytes
        self._write_encoded(relation, encode(relation, batch))

    def _write_encoded(self, relation: Relation, encoded: pa.Buffer | StoredBatch) -> None:
        with self.counting:
            if isinstance(encoded, StoredBatch):  # a worker's: its relation has none held
                assert not self.held[relation.name], "block order: read on disk, then held"
                self.spilled[relation.name].append(encoded)
                self.stored += 1
                return
            self.held[relation.name].append(encoded)
            self.held_bytes[relation.name] += encoded.size
            self.buffered_bytes += encoded.size
            self._fit_budget()

    def _fit_budget(self) -> None:
        """Spill the largest relations' batches held in memory when those, the batches that
        writing threads have taken and not yet read, and a row group's room per file being
        written exceed the budget (with ``counting`` held)."""
        reserved = len(self.writers) * ROW_GROUP_BYTES
        if self.buffered_bytes + reserved > self.budget_bytes:
            for name in sorted(self.held_bytes, key=self.held_bytes.__getitem__,
                               reverse=True):
                if not self.held_bytes[name]:
                    break
                self._spill(name)
                if self.buffered_bytes + reserved <= self.budget_bytes // 2:
                    break  # room for more batches before the next spill
        self.peak_buffered_bytes = max(self.peak_buffered_bytes, self.buffered_bytes)

    def _spill(self, name: str) -> None:
        """Move a relation's batches held in memory to the end of the spill file, compressed
        (with ``counting`` held)."""
        if self.spill is None:
            self.spill = open(self.staging / SPILL_FILE, "w+b")  # noqa: SIM115 (closed by _close)
        self.spills += 1
        for held in self.held[name]:
            data = held if self.compressed else compressed_ipc(held)
            self.spilled[name].append(StoredBatch(SPILL_FILE, self.spill.tell(), data.size))
            self.spill.write(data)
        self.spill.flush()  # (a writing thread may read it at once)
        self.held[name] = []
        self.buffered_bytes -= self.held_bytes[name]
        self.held_bytes[name] = 0

    def _batches(self, name: str) -> Iterator[pa.RecordBatch]:
        """A relation's batches in block order: the spilled ones, then those in memory (all
        of them arrived). Those in memory stay in the budget's count until read, and the
        file's row group is made room for (:meth:`_fit_budget`)."""
        with self.counting:
            spilled = self.spilled[name]
            held, self.held[name] = self.held[name], []
            self.held_bytes[name] = 0  # (still in buffered_bytes until read)
            self._fit_budget()
        schema = self.schemas[name]
        for stored in spilled:
            data = os.pread(self._reader(stored.file), stored.length, stored.offset)
            yield ipc_batch(decompressed_ipc(data), schema)
        held.reverse()
        while held:  # each batch's bytes are let go once read
            data = held.pop()
            yield ipc_batch(decompressed_ipc(data) if self.compressed else data, schema)
            with self.counting:
                self.buffered_bytes -= data.size

    def _reader(self, name: str) -> int:
        """A scratch file in staging, open for reading (opened once, by any thread)."""
        with self.counting:
            if name not in self.reading:
                self.reading[name] = os.open(self.staging / name, os.O_RDONLY | os.O_CLOEXEC)
            return self.reading[name]

    def _write_file(self, relation: Relation) -> None:
        """Write a relation's Parquet file: row groups of ``group_rows`` rows."""
        schema = self.schemas[relation.name]
        rows = group_rows(schema)
        writer: pq.ParquetWriter | None = None
        try:
            pending: list[pa.RecordBatch] = []
            count = 0
            for batch in self._batches(relation.name):
                while count + batch.num_rows >= rows:  # cut at the group's last row
                    take = rows - count
                    pending.append(batch.slice(0, take))
                    writer = self._row_group(relation, writer, pa.Table.from_batches(
                        pending, schema=schema), rows)
                    pending, count, batch = [], 0, batch.slice(take)
                if batch.num_rows:  # (a slice holds only its own batch's buffers)
                    pending.append(batch)
                    count += batch.num_rows
            if count or writer is None:  # (a relation without rows: a file all the same)
                writer = self._row_group(relation, writer, pa.Table.from_batches(
                    pending, schema=schema), rows)
            writer.close()
        finally:
            with self.counting:
                self.writers.pop(relation.name, None)
            if writer is not None and writer.is_open:  # failed: let the file go (staging
                with contextlib.suppress(OSError, pa.ArrowException):  # is removed by abort)
                    writer.close()

    def _row_group(self, relation: Relation, writer: pq.ParquetWriter | None,
                   table: pa.Table, rows: int) -> pq.ParquetWriter:
        """Write one row group of a relation's file; the file is opened at its first, whose
        values choose each column's compression (``codecs``)."""
        if writer is None:
            writer = pq.ParquetWriter(relation_file(self.staging, relation), table.schema,
                                      compression=codecs(table))
            with self.counting:
                self.writers[relation.name] = writer
                self.peak_open_files = max(self.peak_open_files, len(self.writers))
        if table.num_rows:
            writer.write_table(table, row_group_size=rows)
        return writer

    def finish(self, relation: Relation) -> None:
        """Write a relation's file as soon as it has all its rows, in a writing thread, while
        the workers build the other relations (the same file, byte for byte, as at commit:
        its row groups depend on its rows alone)."""
        self.written_early.add(relation.name)
        self._start_file(relation)

    def _start_file(self, relation: Relation) -> None:
        try:  # a file that failed stops the run now, not at commit
            while self.unchecked and self.unchecked[0].done():  # (in the order started)
                self.unchecked.popleft().result()
        except (OSError, pa.ArrowException) as exc:
            raise self.disk_error(exc) from exc
        if self.files is None:
            self.files = ThreadPoolExecutor(COMMIT_THREADS)
        self.written[relation.name] = self.files.submit(self._write_file, relation)
        self.unchecked.append(self.written[relation.name])

    def commit(self) -> None:
        assert self.manifest is not None
        try:
            self.announce("files")
            unwritten = [rel for rel in self.relations if rel.name not in self.written]
            for rel in sorted(unwritten, key=lambda rel: -self.manifest.checksums[
                    rel.name].rows * len(rel.columns)):  # (largest first)
                self._start_file(rel)
            for written in self.written.values():
                written.result()
            self._close()
            (self.staging / MANIFEST_FILE).write_text(self.manifest.to_json() + "\n")
        except (OSError, pa.ArrowException) as exc:
            raise self.disk_error(exc) from exc
        self.publish()

    def _close(self) -> None:
        if self.files is not None:  # on a failure or interrupt: start no more files
            self.files.shutdown(wait=True, cancel_futures=True)
            self.files = None
        for writer in list(self.writers.values()):
            with contextlib.suppress(OSError):
                writer.close()
        self.writers.clear()
        for fd in self.reading.values():
            os.close(fd)
        self.reading.clear()
        if self.spill is not None:
            self.spill.close()
            self.spill = None
            (self.staging / SPILL_FILE).unlink(missing_ok=True)
        if self.staging.is_dir():  # the workers' scratch files (BatchFiles)
            for scratch in self.staging.glob(f"{WORKER_FILE_PREFIX}*.arrows"):
                scratch.unlink(missing_ok=True)
