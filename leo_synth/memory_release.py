"""The allocators told to give big freed buffers back at once: a long run's memory stays flat.

A run's writing process receives thousands of multi-megabyte buffers (a relation's rows from
a worker, as Arrow IPC), holds some, writes others to its spill file, and frees them in no
particular order. glibc serves a buffer above its mmap threshold with a mapping of its own,
returned to the system when freed, but it raises that threshold to the size of the largest
such buffer ever freed (up to 32 MiB), after which buffers come from its heaps instead, whose
freed holes it keeps; each thread that allocates may get a heap of its own. Over 200 blocks
the writing process grew by about 130 MB that way. :func:`release_big_buffers` fixes the
threshold at 1 MiB (every buffer above it mapped on its own and unmapped when freed) and the
heaps at two: a 1,000,000-person Parquet run peaked at 646 MB instead of 778 MB, a
100,000-person one at 536 instead of 587 MB.

Arrow's own allocator (mimalloc, in pyarrow's wheels) keeps what it frees for later, about
20 MB more after building a 1,000,000-person run's ``idbr_lookup``: :func:`release_big_buffers`
makes Arrow allocate from the C library instead, whose big buffers are then unmapped when freed.

Only for a process the command owns (it changes the allocator for the whole process), and
only where the C library is glibc; elsewhere nothing is changed.
"""

from __future__ import annotations

import ctypes
import ctypes.util

import pyarrow as pa

M_MMAP_THRESHOLD = -3
"""``mallopt``'s parameter numbers (glibc's malloc.h)."""
M_ARENA_MAX = -8
MMAP_THRESHOLD_BYTES = 1 << 20
"""Buffers above this get a mapping of their own (glibc's starting value is 128 KiB, which
a setting fixes rather than lets rise)."""
ARENA_MAX = 2
"""Heaps at most: the run's thread and one shared by the writing threads."""


def release_big_buffers() -> bool:
    """Fix glibc's mmap threshold and the number of its heaps, and have Arrow allocate from
    glibc (see the module's docstring); True when done, False where the C library is not
    glibc (nothing changed). Call it early, before the process has freed big buffers: space
    already in a heap is used before any mapping."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.gnu_get_libc_version  # noqa: B018 (glibc only; other C libraries lack it)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    if not (mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) and mallopt(M_ARENA_MAX, ARENA_MAX)):
        return False
    pa.set_memory_pool(pa.system_memory_pool())
    return True
