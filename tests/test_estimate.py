"""The estimate of a run's size on disk (engine/estimate.py) against the sizes of real runs: it
gates a run (refused when it exceeds the free space), so a model far above the truth would refuse
runs that fit, and one far below would let a disk fill mid-run."""

from __future__ import annotations

from pathlib import Path

import pytest

from leo_synth.engine.estimate import estimated_bytes
from leo_synth.engine.generate import plan_relations
from leo_synth.spec.model import Catalog

TOLERANCE = 0.25
"""The model is fitted on the whole catalogue at 4,000 persons and more; these runs have 1,000
(block size 500), where the fixed part weighs most."""


def size_on_disk(path: Path) -> int:
    return (sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir()
            else path.stat().st_size)


@pytest.mark.parametrize("fmt", ["sqlite", "parquet", "duckdb", "csv"])
def test_the_estimate_is_near_the_size_of_a_real_run(fmt: str, request: pytest.FixtureRequest,
                                                     catalog: Catalog) -> None:
    made = request.getfixturevalue(f"small_{fmt}")
    path = made[0] if isinstance(made, tuple) else made
    actual = size_on_disk(path)
    estimate = estimated_bytes(fmt, plan_relations(catalog, 2), catalog, 1000)
    assert abs(estimate - actual) <= TOLERANCE * actual, (fmt, estimate, actual)
