"""Worker processes that hand over each block's results one by one, as they are built.

A pool's task returns its result only when it ends, so with a block per task the writing
process waits for whole blocks and then writes alone while the workers idle. Here each worker
puts every result of its block on its own queue as soon as it is built (the queue's feeder
thread sends it while the worker goes on), and the parent reads block ``i`` of the run from
worker ``i % workers``: the blocks are dealt out in turn, so each worker's queue holds its
blocks in order and the parent reads the run in block order, results in the order they were
built, whichever worker is ahead. Nothing depends on timing: the output is the same for any
number of workers.

A worker that fails sends its exception, which the parent raises; a worker that dies (killed,
out of memory) is noticed within a second and said in one line; a worker whose parent died
(``kill -9``) stops by itself between blocks instead of waiting for work forever.

A result crosses on a pipe of its own worker's (:class:`ResultSender`, :func:`receive_result`)
rather than a ``multiprocessing`` queue: its large buffers (a batch's Arrow IPC stream) are
pickled out of band and written as they are, and the parent reads each straight into an Arrow
buffer of its size, which the result then wraps without another copy. A queue pickles them into
the message, reads the message in 64 KiB chunks and unpickles a copy: for a block's 130 MB of
IPC, a quarter of a second of the parent's CPU instead of a twentieth.
"""

from __future__ import annotations

import contextlib
import fcntl
import multiprocessing
import os
import pickle
import queue
import struct
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pyarrow as pa

from leo_synth.errors import LeoSynthError

POLL_SECONDS = 1.0
"""How often a waiting worker checks that its parent lives, and a waiting parent that the
worker it reads from does."""
_END = "end of block"
PIPE_BYTES = 2**20
"""A results pipe's capacity (Linux's default, 64 KiB, wakes the parent for every 64 KiB)."""
_HEAD = struct.Struct("<QQ")
"""A message's head: how many out-of-band buffers, and the pickle's length (then each buffer's
length, the pickle and the buffers)."""
_LENGTH = struct.Struct("<Q")


class _Failure:
    """A worker's exception, sent to the parent (made picklable if it was not)."""

    def __init__(self, error: BaseException):
        try:
            pickle.dumps(error)
        except Exception:  # any unpicklable exception becomes one that is
            error = RuntimeError(f"{type(error).__name__}: {error}")
        self.error = error


class ResultSender:
    """A worker's end of its results pipe: :meth:`put` pickles a result (its large buffers out
    of band) and a thread writes it, so the worker goes on building while the parent reads."""

    def __init__(self, pipe: Any, parent: int):
        self.pipe = pipe
        self.parent = parent
        self.outbox: queue.SimpleQueue = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._send_all, daemon=True)
        self.thread.start()

    def put(self, item: Any) -> None:
        buffers: list[pickle.PickleBuffer] = []
        data = pickle.dumps(item, protocol=5, buffer_callback=buffers.append)
        views = [buffer.raw() for buffer in buffers]
        lengths = b"".join(_LENGTH.pack(view.nbytes) for view in views)
        self.outbox.put([_HEAD.pack(len(views), len(data)) + lengths, data, *views])

    def close(self) -> None:
        """Wait until everything put was written (unless orphaned: nobody would read it)."""
        self.outbox.put(None)
        while self.thread.is_alive():
            self.thread.join(POLL_SECONDS)
            if os.getppid() != self.parent:
                os._exit(0)

    def _send_all(self) -> None:
        fd = self.pipe.fileno()
        while (parts := self.outbox.get()) is not None:
            try:
                for part in parts:
                    view = memoryview(part)
                    while view:
                        view = view[os.write(fd, view):]
            except OSError:  # the parent is gone (it stops this worker, or it died)
                return


def _serve(produce: Callable[[int], Iterable[Any]], tasks: Any, pipe: Any, parent: int,
           started: Callable[..., None], start_args: tuple) -> None:
    """A worker's loop: produce each block it is given, result by result, until told to stop
    (None) or orphaned."""
    started(*start_args)
    results = ResultSender(pipe, parent)
    try:
        _serve_blocks(produce, tasks, results, parent)
    finally:
        results.close()


def _serve_blocks(produce: Callable[[int], Iterable[Any]], tasks: Any, results: ResultSender,
                  parent: int) -> None:
    while True:
        try:
            block = tasks.get(timeout=POLL_SECONDS)
        except queue.Empty:
            if os.getppid() != parent:  # the parent was killed: nobody will read the results
                os._exit(0)
            continue
        if block is None:
            return
        ticket, block = block
        try:
            for item in produce(block):
                if os.getppid() != parent:  # orphaned (see above)
                    os._exit(0)
                results.put((ticket, item))
        except BaseException as exc:  # sent to the parent, which raises it
            results.put((ticket, _Failure(exc)))
            return
        results.put((ticket, _END))


def receive_result(pipe: Any, alive: Callable[[], bool]) -> Any:
    """The next result a :class:`ResultSender` sent on ``pipe`` (its out-of-band buffers read
    into Arrow buffers, which it keeps without copying). Raises EOFError when the sender ended
    (``alive`` False) without sending it."""
    count, length = _HEAD.unpack(_receive_into(pipe, pa.allocate_buffer(_HEAD.size), alive))
    lengths = _receive_into(pipe, pa.allocate_buffer(_LENGTH.size * count), alive)
    data = _receive_into(pipe, pa.allocate_buffer(length), alive)
    buffers = [_receive_into(pipe, pa.allocate_buffer(size), alive)
               for (size,) in _LENGTH.iter_unpack(lengths)]
    return pickle.loads(data, buffers=buffers)


def _receive_into(pipe: Any, buffer: pa.Buffer, alive: Callable[[], bool]) -> pa.Buffer:
    """Fill ``buffer`` from ``pipe`` (checking every ``POLL_SECONDS`` that its sender lives)."""
    view = memoryview(buffer)
    fd = pipe.fileno()
    while view:
        try:
            read = os.readv(fd, [view])
        except BlockingIOError:  # nothing sent yet
            if not pipe.poll(POLL_SECONDS) and not alive() and not pipe.poll(0):
                raise EOFError from None  # (it may have sent its last results and ended)
            continue
        if not read:
            raise EOFError
        view = view[read:]
    return buffer


class BlockStream:
    """``workers`` processes running ``produce(block)``; :meth:`submit` the blocks in run
    order, then :meth:`receive` each, in the same order."""

    def __init__(self, workers: int, produce: Callable[[int], Iterable[Any]],
                 started: Callable[..., None], start_args: tuple = ()):
        methods = multiprocessing.get_all_start_methods()
        # fork: the workers inherit the run's state, nothing to pickle (``start_args`` is
        # for spawn, on platforms without fork)
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self.tasks = [context.Queue() for _ in range(workers)]
        self.results, sending = zip(*(context.Pipe(duplex=False) for _ in range(workers)),
                                    strict=True)
        self.processes = [
            context.Process(target=_serve, daemon=True,
                            args=(produce, self.tasks[i], sending[i], os.getpid(),
                                  started, start_args))
            for i in range(workers)]
        self.submitted = 0
        self.received = 0
        self.waiting: dict[int, deque] = {}
        """Results read ahead, per block (by its rank in the run), until its turn."""
        try:
            for process in self.processes:
                process.start()
        except BaseException:
            self.close()
            raise
        finally:
            for pipe in sending:  # (the workers hold their ends)
                pipe.close()
        for pipe in self.results:
            os.set_blocking(pipe.fileno(), False)  # (_receive_into polls only when it waits)
            with contextlib.suppress(AttributeError, OSError):  # (Linux: fewer, larger reads)
                fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)

    def submit(self, block: int) -> None:
        """Hand the run's next block to the next worker in turn."""
        self.tasks[self.submitted % len(self.tasks)].put((self.submitted, block))
        self.submitted += 1

    def end(self) -> None:
        """No more blocks: each worker ends by itself once it has sent its last block's
        results, so its exit (the freeing of its memory) overlaps the parent's reading and
        writing of what remains, rather than delaying the end of the run at :meth:`close`."""
        for tasks in self.tasks:
            tasks.put(None)

    def receive(self) -> Iterator[Any]:
        """The results of the oldest block submitted and not yet received, as they come.
        Several blocks' may be read at once, alternately: the results that a worker sent for
        a later block of its own are kept until that block's are read."""
        ticket = self.received
        self.received += 1
        while True:
            waiting = self.waiting.get(ticket)
            item = waiting.popleft() if waiting else self._next(ticket)
            if isinstance(item, str) and item == _END:
                self.waiting.pop(ticket, None)
                return
            if isinstance(item, _Failure):
                raise item.error
            yield item

    def _next(self, ticket: int) -> Any:
        """The next result that ``ticket``'s worker sends for it."""
        worker = ticket % len(self.tasks)
        while True:
            sent_for, item = self._read(worker)
            if sent_for == ticket:
                return item
            self.waiting.setdefault(sent_for, deque()).append(item)

    def _read(self, worker: int) -> tuple[int, Any]:
        process = self.processes[worker]
        try:
            return receive_result(self.results[worker], process.is_alive)
        except EOFError:
            process.join(POLL_SECONDS)  # (its exit status, for the message)
            raise LeoSynthError(_died(process.exitcode)) from None

    def close(self) -> None:
        """Stop every worker at once (their unread results are dropped)."""
        for process in self.processes:
            if process.pid is not None and process.is_alive():
                process.terminate()
        for process in self.processes:
            if process.pid is not None:
                process.join()
        for tasks in self.tasks:
            tasks.cancel_join_thread()  # nobody will read what is left
            tasks.close()
        for results in self.results:
            results.close()

    def __enter__(self) -> BlockStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _died(exitcode: int | None) -> str:
    """The one line for a worker process that ended without finishing its block."""
    if exitcode is not None and exitcode < 0:
        how = f"was killed by signal {-exitcode}"
    else:
        how = f"exited with status {exitcode}"
    hint = (" (out of memory? try fewer --workers or a smaller --block-size)"
            if exitcode == -9 else "")
    return f"a worker process {how} before finishing its block{hint}"
