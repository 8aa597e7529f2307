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


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _splitmix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser (a bijection of 64-bit words: every input bit affects every
    output bit); returns a new array."""
    x = x ^ (x >> np.uint64(30))
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x


def stream_keys(seed: int, names: list[str]) -> np.ndarray:
    """Two 64-bit words per named stream of a run (block not included), for
    :func:`keyed_uniforms`: a BLAKE2b digest of the seed and the name, as :func:`stream_key`."""
    out = np.empty((len(names), 2), dtype=np.uint64)
    prefix = int(seed).to_bytes(8, "little", signed=False)
    for i, name in enumerate(names):
        digest = hashlib.blake2b(prefix + name.encode("utf-8"), digest_size=16).digest()
        out[i] = np.frombuffer(digest, dtype=np.uint64)
    return out


def value_uniforms(key: np.ndarray, values: list[np.ndarray]) -> np.ndarray:
    """Uniform [0, 1) draws of one named stream (``key``: its two words from
    :func:`stream_keys`) that are a function of each row's ``values`` (parallel arrays), not of
    its position: rows with equal values draw alike in every block and relation of the run (a
    school's type, drawn once for all its pupils). Values are told apart by their text; each
    distinct value is hashed once (a few hundred schools per block, not a hash per row)."""
    rows = len(values[0]) if values else 0
    x = np.full(rows, key[0], dtype=np.uint64)
    for column in values:
        distinct, inverse = np.unique(np.asarray(column).astype(str), return_inverse=True)
        words = np.array([int.from_bytes(hashlib.blake2b(text.encode("utf-8"),
                                                         digest_size=8).digest(), "little")
                          for text in distinct.tolist()], dtype=np.uint64)
        x = _splitmix(x ^ words[inverse.reshape(-1)])
    bits = _splitmix(x ^ key[1])
    return (bits >> np.uint64(11)).astype(np.float64) * (1.0 / 2**53)


def keyed_uniforms(keys: np.ndarray, block: int, rows: int) -> np.ndarray:
    """Uniform [0, 1) draws of many named streams of one block at once: row k holds ``rows``
    values of the stream keyed by ``keys[k]`` (from :func:`stream_keys`).

    A counter-based generator like Philox, but vectorised across streams: value i of a stream is
    ``mix(mix(k0 + (i + 1) * G) ^ k1)`` with the stream's words mixed with the block, so a
    stream's values depend only on (seed, name, block, i), never on which other streams are
    drawn with it. Used where a relation draws hundreds of independent columns per block (one
    numpy pass instead of a generator per column)."""
    if rows == 0 or len(keys) == 0:
        return np.zeros((len(keys), rows))
    tag = _splitmix(np.array([np.int64(block).view(np.uint64) ^ _GOLDEN], dtype=np.uint64))
    k0 = _splitmix(keys[:, 0] ^ tag)[:, None]
    k1 = _splitmix(keys[:, 1] + tag)[:, None]
    counter = (np.arange(1, rows + 1, dtype=np.uint64) * _GOLDEN)[None, :]
    bits = _splitmix(_splitmix(k0 + counter) ^ k1)
    return (bits >> np.uint64(11)).astype(np.float64) * (1.0 / 2**53)
