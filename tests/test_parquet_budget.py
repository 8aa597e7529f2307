"""The Parquet writer's memory: one budget across all relations, whatever the persons, and no
Parquet file open (no footer growing in memory) until its relation has all its rows; then
they are written a few at a time.
Measured by instrumentation, never by timing or RSS."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import one_per_builder

from leo_synth.config import RunConfig
from leo_synth.engine.generate import generate
from leo_synth.errors import LeoSynthError
from leo_synth.spec.physical import arrow_schema
from leo_synth.writers import parquet as parquet_writer
from leo_synth.writers.base import Manifest
from leo_synth.writers.parquet import (
    COMMIT_THREADS,
    BatchFiles,
    ParquetWriter,
    group_rows,
    ipc_bytes,
)

BUDGET = 512 * 2**10


def _run(tmp_path: Path, catalog, name: str, persons: int, budget: int | None,
         workers: int = 1) -> tuple[ParquetWriter, Path, list[int]]:
    """A run through an instrumented writer; also the files open after each block."""
    out = tmp_path / name
    writer = ParquetWriter(str(out), "replace", budget_bytes=budget)
    open_after_blocks: list[int] = []
    config = RunConfig(persons=persons, seed=3, block_size=250, format="parquet",
                       out=str(out), if_exists="replace", workers=workers)
    generate(config, catalog, select=one_per_builder, writer=writer,
             progress=lambda *_: open_after_blocks.append(len(writer.writers)))
    return writer, out, open_after_blocks


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_buffered_bytes_stay_within_the_budget_for_any_number_of_persons(
        tmp_path: Path, catalog) -> None:
    for persons in (500, 2500):
        writer, out, open_after_blocks = _run(tmp_path, catalog, f"p{persons}", persons,
                                              BUDGET)
        assert 0 < writer.peak_buffered_bytes <= BUDGET, persons
        assert writer.buffered_bytes == 0  # all written
        # no footer while blocks arrive: a file is written only once its relation has all
        # its rows (as the last block's results come), a few at a time
        assert len(open_after_blocks) > 1 and max(open_after_blocks[:-1]) == 0
        assert writer.written_early == set(writer.held)
        assert 1 <= writer.peak_open_files <= COMMIT_THREADS
        # the blocks' batches wait for the last block in the worker's own scratch file, not
        # in this process's memory; the scratch files are gone from the output
        assert writer.compressed and writer.stored >= len(writer.held) * (persons // 250 - 1)
        assert not list(out.rglob("_*.arrows"))


def test_spilling_workers_and_when_files_are_written_change_no_byte_and_row_groups_have_fixed_rows(
        tmp_path: Path, catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parquet_writer, "ROW_GROUP_BYTES", 64 * 2**10)
    writer, stored, _ = _run(tmp_path, catalog, "stored", 1000, 64 * 2**10)
    assert writer.compressed and writer.stored and writer.written_early
    # four blocks on four workers: handed over together, sent as they are, held and spilled
    writer, spilled, _ = _run(tmp_path, catalog, "spilled", 1000, 64 * 2**10, workers=4)
    assert not writer.compressed and not writer.stored and writer.spills
    assert _files(spilled) == _files(stored)
    monkeypatch.setattr(ParquetWriter, "finish", lambda self, relation: None)
    writer, at_commit, _ = _run(tmp_path, catalog, "at_commit", 1000, None, workers=2)
    assert not writer.written_early and writer.written  # every file written at commit
    assert _files(at_commit) == _files(stored)
    several = 0
    for path in stored.rglob("*.parquet"):
        meta = pq.ParquetFile(path).metadata
        rows = group_rows(pq.read_schema(path))
        sizes = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
        assert all(size == rows for size in sizes[:-1]) and sizes[-1:] <= [rows], path
        several += len(sizes) > 1
    assert several  # some relation spans row groups (otherwise nothing was checked)
    # a column of NULLs alone in a file's first row group is written uncompressed, any
    # other compressed
    kinds = set()
    for path in stored.rglob("*.parquet"):
        meta = pq.ParquetFile(path).metadata
        if not meta.num_row_groups:
            continue
        first = pq.ParquetFile(path).read_row_group(0)
        for i, column in enumerate(first.columns):
            codec = meta.row_group(0).column(i).compression
            empty = column.null_count == len(column)
            assert codec == ("UNCOMPRESSED" if empty else "ZSTD"), (path, i)
            kinds.add(empty)
    assert kinds == {True, False}



def test_batches_taken_for_writing_count_until_read_and_a_row_group_is_made_room_for(
        tmp_path: Path, catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = catalog.relations()[:2]
    data = ipc_bytes(first, pa.RecordBatch.from_pylist([], schema=arrow_schema(first)))
    size = data.size
    monkeypatch.setattr(parquet_writer, "ROW_GROUP_BYTES", 2 * size)
    writer = ParquetWriter(str(tmp_path / "out"), "replace", budget_bytes=5 * size)
    writer.expect(blocks=1, together=1)  # batches held as they are (uncompressed)
    writer.open([first, second], Manifest(settings={}))
    for _ in range(2):
        writer._write_encoded(first, data)
        writer._write_encoded(second, data)
    assert writer.buffered_bytes == 4 * size and not any(writer.spilled.values())
    writer.writers[first.name] = None  # a file being written: its row group needs room
    reading = writer._batches(first.name)
    next(reading)
    assert writer.held[first.name] == [] and len(writer.spilled[second.name]) == 2
    assert writer.buffered_bytes == 2 * size  # taken, but counted until read
    list(reading)
    assert writer.buffered_bytes == 0
    writer.writers.clear()
    writer._close()


def test_batches_sent_as_they_are_when_all_blocks_come_together_spill_compressed_alike(
        tmp_path: Path, catalog) -> None:
    """With no more blocks than workers the batches are sent and held uncompressed (each file
    is written as they arrive), otherwise compressed (they wait for the last blocks): either
    way, spilled or not, the same files."""
    writer, raw_spilled, _ = _run(tmp_path, catalog, "raw_spilled", 500, 16 * 2**10,
                                  workers=2)
    assert not writer.compressed and any(writer.spilled.values())
    assert 0 < writer.peak_buffered_bytes <= 16 * 2**10
    writer, compressed, _ = _run(tmp_path, catalog, "compressed", 500, None)
    assert writer.compressed and writer.stored and not writer.spills
    assert _files(raw_spilled) == _files(compressed)


def test_a_worker_that_cannot_store_its_batches_fails_the_run_in_one_line_leaving_nothing(
        tmp_path: Path, catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker's scratch file on a full disk: the run stops with the writer's one-line
    error, and neither staging nor the workers' files are left beside the target."""

    def full(self: BatchFiles, data: pa.Buffer) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(BatchFiles, "_append", full)  # (inherited by the forked worker)
    with pytest.raises(LeoSynthError, match="no space left on device") as failure:
        _run(tmp_path, catalog, "full", 500, None)
    assert "\n" not in str(failure.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == []
