"""Counter-based random streams: every draw is a pure function of (seed, stream, block).

Each simulation step asks for ``stream(seed, "name", block)`` and gets a fresh Philox generator
whose 128-bit key is a BLAKE2b digest of the three. Nothing depends on the order in which blocks
are computed, on which process computes them, or on how many draws other steps made, so the
output is byte-identical for any number of workers.

Rejected alternative: one ``np.random.default_rng(seed)`` threaded through the program and
``spawn``-ed per block. Its children depend on the spawn order, so adding a stream or running
blocks in another order would silently change every later draw.
"""

from __future__ import annotations

import hashlib

import numpy as np

STATIC_BLOCK = -1
"""Block number used for pools that do not belong to any block of persons (schools, employers)."""


def stream_key(seed: int, stream: str, block: int) -> int:
    """The 128-bit Philox key for (seed, stream, block)."""
    payload = (
        int(seed).to_bytes(8, "little", signed=False)
        + int(block).to_bytes(8, "little", signed=True)
        + stream.encode("utf-8")
    )
    return int.from_bytes(hashlib.blake2b(payload, digest_size=16).digest(), "little")


def stream(seed: int, name: str, block: int) -> np.random.Generator:
    """A generator for one named stream of one block."""
    return np.random.Generator(np.random.Philox(key=stream_key(seed, name, block)))
