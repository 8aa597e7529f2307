"""Parallel parts: the N parts of a run together equal the whole run."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import one_per_builder

from leo_synth.config import RunConfig
from leo_synth.engine.generate import generate
from leo_synth.engine.parts import Part, parse_part, part_target
from leo_synth.errors import LeoSynthError
from leo_synth.output_reading import open_output
from leo_synth.readers import read_manifest
from leo_synth.verify import combine_parts

RUN = RunConfig(persons=600, seed=5, block_size=150, format="parquet", if_exists="replace")
"""Four blocks: split in 2 (2 + 2 blocks) and in 3 (1 + 1 + 2 blocks)."""


def test_parts_together_equal_the_whole_run(tmp_path: Path, catalog) -> None:
    out = tmp_path / "leo_parquet"
    whole = generate(RUN.with_overrides(out=str(out)), catalog, select=one_per_builder)
    expected = {name: rel["checksum"] for name, rel in read_manifest(out)["relations"].items()}
    assert "idbr_lookup" in expected and "lars" in expected
    for count in (2, 3):
        manifests, targets = [], []
        for index in range(1, count + 1):
            summary = generate(RUN.with_overrides(out=str(out), part=f"{index}/{count}"),
                               catalog, select=one_per_builder)
            target = Path(summary.target)
            assert target == tmp_path / f"leo_parquet.part-{index}-of-{count}"
            manifest = read_manifest(target)
            assert manifest["leo_synth"]["part"]["index"] == index
            assert manifest["leo_synth"]["part"]["of"] == count
            for static in ("idbr_lookup", "lars"):  # run-level: written once, by part 1
                assert (static in manifest["relations"]) == (index == 1)
            manifests.append(manifest)
            targets.append(summary.target)
        combined, problems = combine_parts([open_output(target) for target in targets])
        assert not problems, problems
        assert {name: rel["checksum"] for name, rel in combined["relations"].items()} == \
            expected, count
        rows = sum(rel["rows"] for m in manifests for rel in m["relations"].values())
        assert rows == whole.total_rows


def test_part_blocks_are_contiguous_and_cover_the_run() -> None:
    for n_blocks in (1, 4, 7, 20):
        for count in range(1, n_blocks + 1):
            shares = [Part(k, count).blocks(n_blocks) for k in range(1, count + 1)]
            assert [b for share in shares for b in share] == list(range(n_blocks))
            assert all(len(share) >= 1 for share in shares)


def test_part_targets_and_bad_parts() -> None:
    assert part_target("out/leo.sqlite", "sqlite", Part(2, 3)) == "out/leo.part-2-of-3.sqlite"
    assert part_target("out/leo_parquet", "parquet", Part(1, 2)) == \
        "out/leo_parquet.part-1-of-2"
    with pytest.raises(LeoSynthError, match="parquet or sqlite"):
        part_target("postgresql://x/y", "postgres", Part(1, 2))
    for bad in ("0/2", "3/2", "2", "a/b", "1/0"):
        with pytest.raises(LeoSynthError):
            parse_part(bad)
    with pytest.raises(LeoSynthError, match="only 4 block"):
        generate(RUN.with_overrides(out="unused", part="5/5"))
