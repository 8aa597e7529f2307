"""A worker keeps the memory it frees (engine/heap.py): measured by the process's resident
memory after freeing, in a fresh interpreter, never by timing."""

from __future__ import annotations

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
