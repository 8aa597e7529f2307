"""Cached place names: a run reading them from the cache gets Faker's names and leaves the
generator where drawing them would (so every later pool draw is the same)."""

from __future__ import annotations

from pathlib import Path

import pytest

from leo_synth.engine.rng import stream
from leo_synth.simulation.place_names import MAX_LENGTH, place_names


def names_and_next(seed: int, total: int) -> tuple[list[str], list[float]]:
    rng = stream(seed, "pools", -1)
    names = place_names(seed, total, rng)
    return names, rng.random(5).tolist()


def test_cached_names_equal_drawn_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEO_SYNTH_CACHE", "off")
    drawn = names_and_next(3, 120)
    assert len(set(drawn[0])) == 120 and max(map(len, drawn[0])) <= MAX_LENGTH
    monkeypatch.setenv("LEO_SYNTH_CACHE", str(tmp_path))
    assert names_and_next(3, 120) == drawn  # a miss: drawn, then cached
    assert len(list(tmp_path.glob("place-names-*.pickle"))) == 1
    assert names_and_next(3, 120) == drawn  # a hit: the names and the generator's state
    more = names_and_next(3, 121)[0]  # not the cached 120: one more, the first ones the same
    assert len(more) == 121 and more[:120] == drawn[0]
    assert names_and_next(4, 120) != drawn
    assert len(list(tmp_path.glob("place-names-*.pickle"))) == 3  # keyed by seed and count
