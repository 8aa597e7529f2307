"""read_ahead: items made in a thread ahead of the caller, in order, bounded, stoppable."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from leo_synth.read_ahead import read_ahead


def test_items_in_order_and_the_producers_error_raised_in_the_caller() -> None:
    def produce() -> Iterator[int]:
        yield from range(5)
        raise ValueError("a damaged file")

    seen = []
    with pytest.raises(ValueError, match="a damaged file"):
        for item in read_ahead(produce, depth=2):
            seen.append(item)
    assert seen == [0, 1, 2, 3, 4]


def test_at_most_depth_ahead_and_closing_stops_the_producer() -> None:
    made = []
    closed = threading.Event()
    threads = []

    def produce() -> Iterator[int]:
        threads.append(threading.current_thread())
        try:
            for n in range(1_000_000):
                made.append(n)
                yield n
        finally:
            closed.set()

    items = read_ahead(produce, depth=3)
    assert next(items) == 0
    time.sleep(0.3)  # the producer fills the queue, then waits for room
    assert len(made) <= 1 + 3 + 1  # the item taken, the queue, the one waiting to go in
    items.close()
    assert closed.wait(5) and not threads[0].is_alive()
    assert threads[0] is not threading.main_thread()
