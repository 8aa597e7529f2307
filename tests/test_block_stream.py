"""The worker processes hand each block's results over as they are built, in block order, and
say in one line when a worker fails or dies (engine/block_stream.py)."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from leo_synth.engine.block_stream import BlockStream
from leo_synth.errors import LeoSynthError

HANDSHAKE: Path | None = None
"""A file the parent creates once it holds a block's first result (inherited by fork)."""


def _started() -> None:
    pass


def _first_then_wait(block: int) -> Iterator[tuple[int, int]]:
    """A block's first result, then the rest only once the parent has read the first: with
    results sent only at a block's end, the parent would never have it (the test would fail
    on the deadline, not hang)."""
    assert HANDSHAKE is not None
    yield block, 0
    deadline = time.monotonic() + 20
    while not HANDSHAKE.with_suffix(f".{block}").exists():
        if time.monotonic() > deadline:
            raise AssertionError(f"block {block}: the first result was not read in time")
        time.sleep(0.01)
    yield block, 1


def test_results_are_read_while_their_block_is_built_and_in_block_order(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(__import__(__name__), "HANDSHAKE", tmp_path / "read")
    read = []
    with BlockStream(2, _first_then_wait, _started) as stream:
        for block in range(4):
            stream.submit(block)
        for block in range(4):
            results = stream.receive()
            read.append(next(results))
            (tmp_path / f"read.{block}").touch()
            read.extend(results)
    assert read == [(block, i) for block in range(4) for i in (0, 1)]


def _fails(block: int) -> Iterator[int]:
    yield block
    raise ValueError(f"block {block} broke")


def _dies(block: int) -> Iterator[int]:
    os.kill(os.getpid(), signal.SIGKILL)
    yield block  # pragma: no cover


def test_a_failing_worker_sends_its_exception_after_its_results() -> None:
    with BlockStream(1, _fails, _started) as stream:
        stream.submit(0)
        results = stream.receive()
        assert next(results) == 0
        with pytest.raises(ValueError, match="block 0 broke"):
            next(results)
    assert all(not process.is_alive() for process in stream.processes)


def test_a_dying_worker_is_one_line_not_a_hang() -> None:
    with BlockStream(2, _dies, _started) as stream:
        stream.submit(0)
        with pytest.raises(LeoSynthError) as raised:
            list(stream.receive())
    assert str(raised.value) == ("a worker process was killed by signal 9 before finishing "
                                 "its block (out of memory? try fewer --workers or a smaller "
                                 "--block-size)")
    assert all(not process.is_alive() for process in stream.processes)


def _three(block: int) -> Iterator[tuple[int, int]]:
    yield from ((block, i) for i in range(3))


@pytest.mark.parametrize("workers", [1, 2])
def test_blocks_read_together_alternate_whichever_worker_built_them(workers: int) -> None:
    """Two blocks read relation by relation (the SQLite writer's order): one worker sends the
    first block's results before the second's, and they are kept until their turn."""
    with BlockStream(workers, _three, _started) as stream:
        for block in (5, 6, 7):
            stream.submit(block)
        together = [stream.receive(), stream.receive()]
        read = [item for pair in zip(*together, strict=True) for item in pair]
        read.extend(stream.receive())
    assert read == [(5, 0), (6, 0), (5, 1), (6, 1), (5, 2), (6, 2), (7, 0), (7, 1), (7, 2)]


def test_ended_workers_exit_by_themselves_once_their_blocks_are_sent() -> None:
    """After ``end()`` each worker stops once its last block is sent, without waiting for
    ``close()`` (its exit overlaps the end of the run), and every result still arrives."""
    with BlockStream(2, _three, _started) as stream:
        for block in (5, 6, 7):
            stream.submit(block)
        stream.end()
        read = [item for _ in range(3) for item in stream.receive()]
        for process in stream.processes:
            process.join(timeout=20)
        assert [process.exitcode for process in stream.processes] == [0, 0]
    assert read == [(block, i) for block in (5, 6, 7) for i in range(3)]


SIZES = (3 * 2**20 + 5, 0, 70_000)


def _data(block: int, size: int) -> bytes:
    return bytes((block + i) % 256 for i in range(256)) * (size // 256) + b"x" * (size % 256)


def _payloads(block: int) -> Iterator[tuple]:
    """Arrow buffers larger than a pipe holds (sent out of band), empty ones, and bytes (sent
    inside the pickle), several to a result."""
    import pyarrow as pa

    for size in SIZES:
        data = _data(block, size)
        yield block, pa.py_buffer(data), pa.py_buffer(data[::-1]), data[:1000]


def test_arrow_buffers_cross_whole_and_in_order_as_arrow_buffers() -> None:
    import pyarrow as pa

    with BlockStream(2, _payloads, _started) as stream:
        for block in (1, 2):
            stream.submit(block)
        read = [item for _ in range(2) for item in stream.receive()]
    assert read == [(block, pa.py_buffer(data), pa.py_buffer(data[::-1]), data[:1000])
                    for block in (1, 2) for data in (_data(block, size) for size in SIZES)]
    assert all(isinstance(item[1], pa.Buffer) and isinstance(item[3], bytes) for item in read)


def test_a_shipped_batch_arrives_as_the_same_batch() -> None:
    """Batches cross from a worker as Arrow IPC (generate.ShippedBatch), not pickled column by
    column: the writer gets the same schema (metadata, nullability), types and values, a
    slice's own rows only."""
    import pickle

    import pyarrow as pa

    from leo_synth.engine.generate import ShippedBatch

    schema = pa.schema([pa.field("id", pa.int64(), nullable=False),
                        pa.field("name", pa.string()), pa.field("day", pa.date32()),
                        pa.field("amount", pa.decimal128(9, 2))], metadata={b"table": b"t"})
    batch = pa.record_batch([pa.array([1, 2, 3], pa.int64()), pa.array(["a", None, "c"]),
                             pa.array([0, 1, None], pa.date32()),
                             pa.array([None, 1, 2], pa.decimal128(9, 2))], schema=schema)
    sent = batch.slice(1, 2)
    received = pickle.loads(pickle.dumps(ShippedBatch(sent)))
    assert isinstance(received, pa.RecordBatch)
    assert received.schema.equals(schema, check_metadata=True)
    assert received.equals(sent)
    assert received.column(0).to_pylist() == [2, 3]
