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
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from leo_synth.errors import LeoSynthError

POLL_SECONDS = 1.0
"""How often a waiting worker checks that its parent lives, and a waiting parent that the
worker it reads from does."""
_END = "end of block"


class _Failure:
    """A worker's exception, sent to the parent (made picklable if it was not)."""

    def __init__(self, error: BaseException):
        try:
            pickle.dumps(error)
        except Exception:  # any unpicklable exception becomes one that is
            error = RuntimeError(f"{type(error).__name__}: {error}")
        self.error = error


def _serve(produce: Callable[[int], Iterable[Any]], tasks: Any, results: Any, parent: int,
           started: Callable[..., None], start_args: tuple) -> None:
    """A worker's loop: produce each block it is given, result by result, until told to stop
    (None) or orphaned."""
    started(*start_args)
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
        self.results = [context.Queue() for _ in range(workers)]
        self.processes = [
            context.Process(target=_serve, daemon=True,
                            args=(produce, self.tasks[i], self.results[i], os.getpid(),
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
        results, process = self.results[worker], self.processes[worker]
        while True:
            try:
                return results.get(timeout=POLL_SECONDS)
            except queue.Empty:
                if process.is_alive():
                    continue
            try:  # it may have sent its last results just before it ended
                return results.get_nowait()
            except queue.Empty:
                raise LeoSynthError(_died(process.exitcode)) from None

    def close(self) -> None:
        """Stop every worker at once (their unread results are dropped)."""
        for process in self.processes:
            if process.pid is not None and process.is_alive():
                process.terminate()
        for process in self.processes:
            if process.pid is not None:
                process.join()
        for handle in (*self.tasks, *self.results):
            handle.cancel_join_thread()  # nobody will read what is left
            handle.close()

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
