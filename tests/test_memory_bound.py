"""The engine's memory is bounded by workers x block size (plus the writer's budget,
tests/test_parquet_budget.py), whatever the number of persons: measured by instrumentation
(the blocks in flight), never by timing or RSS."""

from __future__ import annotations

from pathlib import Path

import pytest

from leo_synth.config import RunConfig
from leo_synth.engine import generate as generate_module
from leo_synth.engine.generate import generate


def one_relation(relations: list) -> list:
    return [rel for rel in relations if rel.name == "leo_geography"]


def _engine_of_the_run(monkeypatch: pytest.MonkeyPatch) -> list:
    engines: list = []
    make = generate_module.block_engine

    def keep(config: RunConfig):
        engines.append(make(config))
        return engines[-1]

    monkeypatch.setattr(generate_module, "block_engine", keep)
    return engines


@pytest.mark.parametrize("workers", [1, 2])
def test_blocks_in_flight_stay_within_twice_the_workers(tmp_path: Path, catalog,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        workers: int) -> None:
    engines = _engine_of_the_run(monkeypatch)
    config = RunConfig(persons=1000, seed=2, block_size=100, workers=workers,
                       format="parquet", out=str(tmp_path / "p"), if_exists="replace")
    summary = generate(config, catalog, select=one_relation)
    assert summary.blocks == 10  # many more blocks than may be in flight
    peak = engines[0].in_flight.peak
    assert 1 <= peak <= (1 if workers == 1 else 2 * workers), peak
