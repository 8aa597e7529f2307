"""The Parquet writer's memory: one budget across all relations, whatever the persons."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
from conftest import one_per_builder

from leo_synth.config import RunConfig
from leo_synth.engine.generate import generate
from leo_synth.writers.parquet import ParquetWriter

BUDGET = 512 * 2**10


def test_buffered_bytes_stay_within_the_budget_for_any_number_of_persons(
        tmp_path: Path, catalog) -> None:
    for persons in (500, 2500):
        out = tmp_path / f"p{persons}"
        writer = ParquetWriter(str(out), "replace", budget_bytes=BUDGET)
        config = RunConfig(persons=persons, seed=3, block_size=250, format="parquet",
                           out=str(out), if_exists="replace")
        generate(config, catalog, select=one_per_builder, writer=writer)
        assert 0 < writer.peak_buffered_bytes <= BUDGET, persons
        assert writer.buffered_bytes == 0  # all written at commit
        groups = max(pq.ParquetFile(f).num_row_groups for f in out.rglob("*.parquet"))
        if persons == 2500:
            assert groups > 1  # the budget made the writer flush before the end
