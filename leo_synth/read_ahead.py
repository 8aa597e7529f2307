"""Items of an iterator made ahead in a thread of its own, while the caller works on the last.

``combine`` and ``verify`` read outputs (pyarrow, ADBC, sqlite3 and psycopg release the GIL
while they read) and hash or write what they read (numpy, pyarrow and ADBC release it too), so
on two cores the reading of the next item overlaps the work on the last one. The producer runs
wholly in the thread (it opens its own connections: a sqlite3 connection may not cross
threads); its exception is raised in the caller; closing the iterator (done, failed or
interrupted: the caller's ``finally``) stops the thread at its next item. The rejected
alternative, a process, would copy every table between processes.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")

POLL_SECONDS = 0.1
"""How often a producer waiting for room checks whether it was stopped."""


def read_ahead(produce: Callable[[], Iterator[T]], depth: int,
               name: str = "leo-synth-reader") -> Iterator[T]:
    """What ``produce()`` yields, made in a thread named ``name`` at most ``depth`` items
    ahead of the caller (memory: ``depth`` + 2 items at once)."""
    items: queue.Queue[tuple[str, Any]] = queue.Queue(depth)
    stop = threading.Event()

    def put(item: tuple[str, Any]) -> bool:
        while not stop.is_set():
            try:
                items.put(item, timeout=POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def run() -> None:
        try:
            for item in produce():
                if not put(("item", item)):
                    return
            put(("end", None))
        except BaseException as exc:  # raised again in the caller's thread
            put(("error", exc))

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    try:
        while True:
            kind, value = items.get()
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
        thread.join()
