"""glibc's malloc tuned per process: workers keep what they free, the writer gives it back.

**A worker keeps the memory it frees, for its next blocks** (:func:`keep_freed_memory`).
glibc returns freed memory to the system as soon as the top of the heap holds 128 KB free,
and serves allocations from 128 KB up by their own mappings, unmapped when freed (thresholds
it raises by itself only slowly). A worker allocates and frees the same few hundred MB block
after block, so it took each page back from the system again and again, a page fault each:
about 42,000 a block of 5,000 persons, against 8,000 once kept (measured over 8 blocks; the
first block faults its pages in either way). The worker's peak memory is the same (what one
block needs), and stays flat from block to block. Arrow allocates from glibc in a worker too,
so its buffers are kept alike: with its own allocator (mimalloc, in pyarrow's wheels) the
workers faulted far more pages in (the kernel clearing each, 2 MiB at a time with transparent
huge pages). Parquet, 50,000 persons, 2 workers, four runs each on a busy machine: the
workers' page faults 140,000-153,000 with mimalloc, 85,000-86,000 from glibc; their system
CPU 1.3-1.8 s, 0.5-1.0 s from glibc; their peak RSS 295-299 MB, 252-255 MB from glibc (their
user CPU varied more from run to run than it differed). (The mechanism was not pinned down: a
lone process freeing 128 MB of Arrow buffers, of 1 MB or 32 MB each, keeps them with either
allocator.)

**The writing process gives big freed buffers back at once** (:func:`release_big_buffers`).
It receives thousands of buffers (a relation's rows from a worker, in a run whose workers do
not store them themselves), reads back and decompresses stored ones, encodes Parquet row
groups, and frees them in no particular order. glibc raises its mmap threshold to the size of
the largest mapped buffer ever freed (up to 32 MiB), after which such buffers come from its
heaps, whose freed holes it keeps; each thread that allocates may get a heap of its own.
Arrow's own allocator (mimalloc, in pyarrow's wheels) also keeps what it frees. So Arrow
allocates from glibc, the heaps are two, and the threshold is fixed at 1 MiB. Parquet, 2
workers, the writing process's peak RSS at 1,000,000 persons: 778 MB untuned, 646 MB tuned
while it still held the run's batches (467 MB with a 16 KiB threshold, since dropped: its
workers now store them, writers/parquet.py ``BatchFiles``, and the writing process peaks at
about 425 MB either way, so the lower threshold only cost CPU).

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


def keep_freed_memory() -> bool:
    """In a worker: keep freed memory for the next blocks, Arrow's too, which is then
    allocated from glibc (see the module's docstring). True when done, False where the C
    library is not glibc (nothing changed)."""
    mallopt = _mallopt()
    if mallopt is None or not (mallopt(_M_MMAP_THRESHOLD, MAPPED_FROM_BYTES)
                               and mallopt(_M_TRIM_THRESHOLD, KEPT_FREE_BYTES)):
        return False
    _arrow_from_glibc()
    return True


def _arrow_from_glibc() -> None:
    """Have Arrow allocate from the C library (glibc, as tuned), not its own allocator."""
    import pyarrow as pa  # (here: a process that never allocates Arrow buffers needs none)

    pa.set_memory_pool(pa.system_memory_pool())


def release_big_buffers() -> bool:
    """In the writing process: give big freed buffers back at once, and have Arrow allocate
    from glibc (see the module's docstring). True when done, False where the C library is not
    glibc (nothing changed). Call it early, before the process has freed big buffers: space
    already in a heap is used before any new mapping."""
    mallopt = _mallopt()
    if mallopt is None or not (mallopt(_M_MMAP_THRESHOLD, RELEASED_FROM_BYTES)
                               and mallopt(_M_ARENA_MAX, WRITER_HEAPS)):
        return False
    _arrow_from_glibc()
    return True

