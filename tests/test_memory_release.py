"""release_big_buffers: after it, glibc maps a big buffer on its own even once a bigger one
was freed (without it, glibc's raised threshold serves it from a heap, which keeps it)."""

from __future__ import annotations

import json
import platform
import subprocess
import sys

import pytest

PROBE = """
import ctypes, json, sys
from leo_synth.memory_release import release_big_buffers
tuned = release_big_buffers() if sys.argv[1] == "tuned" else None
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
buffer = libc.malloc(4 << 20)
after = libc.mallinfo2()
libc.free(buffer)
print(json.dumps({"tuned": tuned, "mapped": after.hblkhd - before.hblkhd,
                  "heap": after.arena - before.arena}))
"""


def _probe(mode: str) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out)


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's allocator only")
def test_big_buffers_get_their_own_mapping_once_tuned() -> None:
    untuned, tuned = _probe("untuned"), _probe("tuned")
    assert untuned["mapped"] == 0 and untuned["heap"] >= 4 << 20  # what the tuning is for
    assert tuned["tuned"] is True
    assert tuned["mapped"] >= 4 << 20 and tuned["heap"] < 4 << 20


def test_arrow_allocates_from_the_c_library_once_tuned() -> None:
    code = ("import pyarrow as pa; from leo_synth.memory_release import release_big_buffers; "
            "print(pa.default_memory_pool().backend_name, release_big_buffers(), "
            "pa.default_memory_pool().backend_name)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out[1:] == ["True", "system"] and out[0] != "system"
