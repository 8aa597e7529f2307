"""glibc's malloc tuned (engine/heap.py): a worker keeps the memory it frees; the writing
process maps big buffers on their own even once a bigger one was freed (untuned, glibc's raised
threshold serves them from a heap, which keeps them). Measured in a fresh interpreter, by
resident memory and glibc's own counts, never by timing."""

from __future__ import annotations

import json
import platform
import subprocess
import sys

import pytest

FREE_AND_MEASURE = """
import sys
import numpy as np
if sys.argv[1] == "keep":
    from leo_synth.engine.heap import keep_freed_memory
    keep_freed_memory()
def resident():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096
arrays = [np.ones(2**17) for _ in range(128)]  # 128 MB in arrays of 1 MB, written
held = resident()
del arrays
print((held - resident()) / 2**20)
"""


def _returned_mb(mode: str) -> float:
    run = subprocess.run([sys.executable, "-c", FREE_AND_MEASURE, mode], capture_output=True,
                         text=True, check=True)
    return float(run.stdout)


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="tunes glibc's malloc only")
def test_freed_memory_is_kept_for_the_next_block() -> None:
    assert _returned_mb("plain") > 100  # (glibc returns it by default: what is tuned away)
    assert _returned_mb("keep") < 8


PROBE = """
import ctypes, json, sys
from leo_synth.engine.heap import release_big_buffers
mode, size = sys.argv[1], int(sys.argv[2])
tuned = None if mode == "untuned" else release_big_buffers()
libc = ctypes.CDLL("libc.so.6")
class Info(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost"
                .split()]
libc.mallinfo2.restype = Info
libc.malloc.restype = ctypes.c_void_p
libc.malloc.argtypes = [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
libc.free(libc.malloc(8 << 20))  # glibc raises its threshold to 8 MiB here, untuned
before = libc.mallinfo2()
buffer = libc.malloc(size)
after = libc.mallinfo2()
libc.free(buffer)
print(json.dumps({"tuned": tuned, "mapped": after.hblkhd - before.hblkhd,
                  "heap": after.arena - before.arena}))
"""


def _probe(mode: str, size: int) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE, mode, str(size)], capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out)


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's allocator only")
def test_big_buffers_get_their_own_mapping_once_tuned() -> None:
    untuned, tuned = _probe("untuned", 4 << 20), _probe("tuned", 4 << 20)
    assert untuned["mapped"] == 0 and untuned["heap"] >= 2 << 20  # (from a heap: tuned away)
    assert tuned["tuned"] is True
    assert tuned["mapped"] >= 4 << 20 and tuned["heap"] < 2 << 20


def _arrow_pools(tuning: str) -> list[str]:
    """Arrow's allocator in a fresh interpreter, whether ``tuning`` (a function of
    engine/heap.py) says it tuned, and Arrow's allocator after it."""
    code = (f"import pyarrow as pa; from leo_synth.engine.heap import {tuning}; "
            f"print(pa.default_memory_pool().backend_name, {tuning}(), "
            f"pa.default_memory_pool().backend_name)")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.split()


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's allocator only")
@pytest.mark.parametrize("tuning", ["release_big_buffers", "keep_freed_memory"])
def test_arrow_allocates_from_the_c_library_once_tuned(tuning: str) -> None:
    """The writing process (``release_big_buffers``) and a worker (``keep_freed_memory``)."""
    before, tuned, after = _arrow_pools(tuning)
    assert (tuned, after) == ("True", "system") and before != "system"
