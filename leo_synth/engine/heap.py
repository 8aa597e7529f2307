"""glibc's malloc tuned per process: workers keep what they free, the writer gives it back.

**A worker keeps the memory it frees, for its next blocks** (:func:`keep_freed_memory`).
glibc returns freed memory to the system as soon as the top of the heap holds 128 KB free,
and serves allocations from 128 KB up by their own mappings, unmapped when freed (thresholds
it raises by itself only slowly). A worker allocates and frees the same few hundred MB block
after block, so it took each page back from the system again and again, a page fault each:
about 42,000 a block of 5,000 persons, against 8,000 once kept (measured over 8 blocks; the
first block faults its pages in either way). The worker's peak memory is the same (what one
block needs), and stays flat from block to block.

**The writing process gives big freed buffers back at once** (:func:`release_big_buffers`).
It receives thousands of buffers (a relation's rows from a worker), holds some, spills others,
and frees them in no particular order. glibc raises its mmap threshold to the size of the
largest mapped buffer ever freed (up to 32 MiB), after which such buffers come from its heaps,
whose freed holes it keeps; each thread that allocates may get a heap of its own. Arrow's own
allocator (mimalloc, in pyarrow's wheels) also keeps what it frees. So Arrow allocates from
glibc, the heaps are two, and the threshold is fixed at 1 MiB, lowered to 16 KiB once the
engine finds that the run holds batches for later blocks (more blocks than are handed over
together: :func:`map_held_batches_alone`). Such a run's batches, one compressed frame per
relation and block, are mostly tens of KiB and wait long; otherwise they cross as thousands of
column buffers a block, which mapped one by one cost the writing process of a 10,000-person
run 0.45 s more CPU. Parquet, 2 workers, peak RSS: 1,000,000 persons 778 MB untuned, 646 MB
with a 1 MiB threshold, 467 MB with 16 KiB and Arrow on glibc; 100,000 persons 587 MB
untuned, 430 MB tuned.

Only for processes leo-synth owns (the settings are the whole process's), and only where the
C library is glibc; elsewhere nothing is changed.
"""

from __future__ import annotations

import ctypes
import platform
from collections.abc import Callable

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8
"""mallopt's parameters (malloc.h)."""
KEPT_FREE_BYTES = 1 << 30
"""A worker: free memory at the top of the heap that is kept rather than returned."""
MAPPED_FROM_BYTES = 64 << 20
"""A worker: allocations of at least this size get their own mapping (smaller ones reuse the
heap)."""
RELEASED_FROM_BYTES = 1 << 20
"""The writing process: allocations of at least this size get their own mapping, returned to
the system when freed (a fixed threshold: glibc no longer raises it)."""
RELEASED_FROM_BYTES_HOLDING = 16 << 10
"""The same, in a run that holds batches for later blocks."""
_released = False
"""Whether :func:`release_big_buffers` tuned this process (the only one whose allocator a
run may tune: the command's own)."""
WRITER_HEAPS = 2
"""The writing process: heaps at most (the run's thread, and one the writing threads share)."""


def _mallopt() -> Callable[[int, int], int] | None:
    """glibc's ``mallopt`` (None where the C library is not glibc)."""
    if platform.libc_ver()[0] != "glibc":
        return None
    try:
        mallopt = ctypes.CDLL(None).mallopt  # (the C library the process runs on)
    except (OSError, AttributeError):
        return None
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    return mallopt


def keep_freed_memory() -> None:
    """In a worker: keep freed memory for the next blocks (see the module's docstring)."""
    mallopt = _mallopt()
    if mallopt is not None:
        mallopt(_M_MMAP_THRESHOLD, MAPPED_FROM_BYTES)
        mallopt(_M_TRIM_THRESHOLD, KEPT_FREE_BYTES)


def release_big_buffers() -> bool:
    """In the writing process: give big freed buffers back at once, and have Arrow allocate
    from glibc (see the module's docstring). True when done, False where the C library is not
    glibc (nothing changed). Call it early, before the process has freed big buffers: space
    already in a heap is used before any new mapping."""
    global _released
    mallopt = _mallopt()
    if mallopt is None or not (mallopt(_M_MMAP_THRESHOLD, RELEASED_FROM_BYTES)
                               and mallopt(_M_ARENA_MAX, WRITER_HEAPS)):
        return False
    import pyarrow as pa  # (here: the module is imported by workers that need only the above)

    pa.set_memory_pool(pa.system_memory_pool())
    _released = True
    return True


def map_held_batches_alone() -> bool:
    """The run holds batches for later blocks (the engine says so before its workers start):
    in a process :func:`release_big_buffers` tuned, buffers from 16 KiB get their own mapping
    too. True when done."""
    mallopt = _mallopt()
    return _released and mallopt is not None and bool(
        mallopt(_M_MMAP_THRESHOLD, RELEASED_FROM_BYTES_HOLDING))
