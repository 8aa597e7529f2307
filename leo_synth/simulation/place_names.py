"""Synthetic place names from Faker's en_GB cities, cached so most runs never import Faker.

Faker costs a fifth of a second to import and set up, more than the rest of a small run's
pools. The names it gives are a pure function of Faker's version, the seed, how many are asked
for and the generator's state (it also draws the compass suffixes), so they are kept, with the
generator state they leave, in leo-synth's cache directory (``resources.cache_dir``) under a
digest of those and of this module's source.
"""

from __future__ import annotations

import hashlib
from importlib.metadata import version as installed_version
from pathlib import Path

import numpy as np

from leo_synth.resources import cache_dir, read_cached, write_cached

MAX_LENGTH = 43
"""Longest name kept (the width of the constituency name columns)."""
SUFFIXES = ("North", "South", "East", "West", "Central")


def place_names(seed: int, total: int, rng: np.random.Generator) -> list[str]:
    """``total`` distinct place names; ``rng`` is left in the state drawing them leaves."""
    path = _cache_path(seed, total, rng)
    cached = read_cached(path)
    if isinstance(cached, tuple) and len(cached) == 2 and len(cached[0]) == total:
        names, state = cached
        rng.bit_generator.state = state
        return names
    names = _draw(seed, total, rng)
    write_cached(path, (names, rng.bit_generator.state))
    return names


def _draw(seed: int, total: int, rng: np.random.Generator) -> list[str]:
    from faker import Faker

    fake = Faker("en_GB")
    fake.seed_instance(seed)
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < total:
        name = fake.city()
        if rng.random() < 0.3:
            name = f"{name} {rng.choice(list(SUFFIXES))}"
        if name not in seen and len(name) <= MAX_LENGTH:
            seen.add(name)
            names.append(name)
    return names


def _cache_path(seed: int, total: int, rng: np.random.Generator) -> Path | None:
    root = cache_dir()
    if root is None:
        return None
    digest = hashlib.sha256(repr((installed_version("faker"), np.__version__, seed, total,
                                  rng.bit_generator.state)).encode())
    digest.update(Path(__file__).read_bytes())
    return root / f"place-names-{digest.hexdigest()[:32]}.pickle"
