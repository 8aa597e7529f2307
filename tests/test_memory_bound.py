"""The engine's memory is bounded by workers x block size (plus the writer's budget,
tests/test_parquet_budget.py), whatever the number of persons: measured by instrumentation
(the blocks in flight), never by timing or RSS."""

from __future__ import annotations

from pathlib import Path

import pytest

from leo_synth.config import AUTO_WORKERS, RunConfig
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


def test_auto_workers_are_one_per_core_within_the_blocks_and_the_cap(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("os.cpu_count", lambda: 16)
    auto = RunConfig(workers="auto", block_size=5000)
    # one block: its relations shared among a worker per core, up to the cap
    assert auto.with_overrides(persons=100).worker_count() == AUTO_WORKERS
    assert auto.with_overrides(persons=10_000).worker_count() == 2  # two blocks
    assert auto.with_overrides(persons=1_000_000).worker_count() == AUTO_WORKERS
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert auto.with_overrides(persons=1_000_000).worker_count() == 2
    assert auto.with_overrides(persons=100).worker_count() == 2
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    assert auto.with_overrides(persons=100).worker_count() == 1
    assert RunConfig(workers=3).worker_count() == 3
