"""Pseudonymous keys as keyed bijections of the person index.

A key is ``format(permute(person * slots + slot))``: ``slots`` is how many keys of one kind a
person can carry (several PMRs, EDUKEYs, ILR records), ``permute`` a keyed Feistel permutation of
``[0, 2**bits)``, and ``format`` adds the keyspace's synthetic marker (a ``SYN`` prefix for text
keys, a reserved numeric range for integer keys; see ``schemas/keys.yaml``). Keys are therefore
unique by construction, need no lookup table, and any block can compute any person's keys alone.

Rejected alternatives: drawing random ids and de-duplicating (needs global state, breaks block
independence, fails at volume as Faker's ``unique`` does); sequential ids (leak the person order
and collide across id spaces).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from leo_synth.errors import LeoSynthError
from leo_synth.spec.model import Keyspace

BASE32 = np.frombuffer(b"0123456789ABCDEFGHJKMNPQRSTVWXYZ", dtype=np.uint8)
_ROUNDS = 6


def _mix64(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser on uint64 arrays (wrapping arithmetic)."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


class FeistelPermutation:
    """A keyed bijection of ``[0, 2**bits)`` (balanced Feistel network plus cycle walking)."""

    def __init__(self, bits: int, key: bytes):
        if not 2 <= bits <= 64:
            raise ValueError("bits must be between 2 and 64")
        self.bits = bits
        self.half = (bits + 1) // 2
        self.domain = 1 << bits if bits < 64 else None
        digest = hashlib.blake2b(key, digest_size=8 * _ROUNDS).digest()
        self.round_keys = np.frombuffer(digest, dtype="<u8").astype(np.uint64)
        self.mask = np.uint64((1 << self.half) - 1)

    def _feistel(self, x: np.ndarray) -> np.ndarray:
        shift = np.uint64(self.half)
        left, right = x >> shift, x & self.mask
        for round_key in self.round_keys:
            left, right = right, left ^ (_mix64(right ^ round_key) & self.mask)
        return (left << shift) | right

    def __call__(self, values: np.ndarray) -> np.ndarray:
        x = np.asarray(values, dtype=np.uint64)
        y = self._feistel(x)
        if self.domain is not None and 2 * self.half != self.bits:
            limit = np.uint64(self.domain)
            outside = y >= limit
            while outside.any():  # cycle walking: at most a few passes, shrinking each time
                y[outside] = self._feistel(y[outside])
                outside = y >= limit
        return y


def base32_strings(values: np.ndarray, prefix: str, width: int) -> np.ndarray:
    """Fixed-width ``prefix + base32(value)`` strings as a numpy bytes array (vectorised)."""
    digits = width - len(prefix)
    values = np.asarray(values, dtype=np.uint64)
    out = np.empty((values.size, width), dtype=np.uint8)
    out[:, : len(prefix)] = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    for position in range(digits):
        shift = np.uint64(5 * (digits - 1 - position)) if 5 * (digits - 1 - position) < 64 else None
        if shift is None:
            out[:, len(prefix) + position] = BASE32[0]
            continue
        out[:, len(prefix) + position] = BASE32[((values >> shift) & np.uint64(31)).astype(int)]
    return out.view(f"S{width}").ravel()


@dataclass(frozen=True)
class KeyFormat:
    """How one keyspace renders a permuted index (read from ``schemas/keys.yaml``)."""

    style: str  # "base32", "offset" or "negative"
    bits: int
    slots: int
    prefix: str = ""
    width: int = 0
    offset: int = 0


def key_format(space: Keyspace) -> KeyFormat:
    """Read a keyspace's format parameters."""
    style = space.param("format")
    if style not in {"base32", "offset", "negative"}:
        raise LeoSynthError(f"keyspace {space.name}: format must be base32, offset or negative")
    return KeyFormat(
        style=style,
        bits=int(space.param("bits")),
        slots=int(space.param("slots", 1)),
        prefix=str(space.param("prefix", "")),
        width=int(space.param("width", 0)),
        offset=int(space.param("offset", 0)),
    )


TABLE_LIMIT = 1 << 16
"""Keys of indexes below this are kept in a table per keyspace once made (schools, areas,
employers and the persons of small runs are asked for again by every relation)."""


class KeyMaker:
    """Makes the keys of every keyspace for a seed."""

    def __init__(self, keyspaces: dict[str, Keyspace], seed: int):
        self.formats = {name: key_format(space) for name, space in keyspaces.items()}
        self.perms = {
            name: FeistelPermutation(fmt.bits, f"{seed}:{name}".encode())
            for name, fmt in self.formats.items()
        }
        self.tables: dict[str, np.ndarray] = {}
        """Per keyspace, the keys of indexes 0, 1, ... (grown by doubling, at most
        :data:`TABLE_LIMIT`): a key is a pure function of its index, so a table lookup gives
        what the permutation gives, without its dozens of array operations per call."""

    def max_persons(self, space: str) -> int:
        """How many persons the keyspace can serve before indexes leave its domain."""
        fmt = self.formats[space]
        return (1 << fmt.bits) // fmt.slots

    def make(self, space: str, person: np.ndarray, slot: np.ndarray | int = 0) -> np.ndarray:
        """Keys for persons (global indexes) and slots: int64 for numeric, bytes for text."""
        fmt = self.formats[space]
        index = np.asarray(person, dtype=np.uint64) * np.uint64(fmt.slots) + np.asarray(
            slot, dtype=np.uint64
        )
        top = int(index.max()) if index.size else 0
        limit = min(TABLE_LIMIT, 1 << fmt.bits)
        if top >= limit:
            return self._format(space, self.perms[space](index))
        table = self.tables.get(space)
        if table is None or len(table) <= top:
            size = min(limit, max(256, 1 << top.bit_length()))
            table = self.tables[space] = self._format(
                space, self.perms[space](np.arange(size, dtype=np.uint64)))
        keys = np.asarray(table[index])
        return keys.ravel() if fmt.style == "base32" else keys  # as base32_strings shapes them

    def _format(self, space: str, permuted: np.ndarray) -> np.ndarray:
        fmt = self.formats[space]
        if fmt.style == "base32":
            return base32_strings(permuted, fmt.prefix, fmt.width)
        if fmt.style == "offset":
            return (permuted.astype(np.int64) + np.int64(fmt.offset)).astype(np.int64)
        return -(permuted.astype(np.int64) + 1)
