"""Same seed, same data: whatever the number of workers, and run after run."""

from __future__ import annotations

import hashlib
import math
import platform
from importlib.metadata import version
from pathlib import Path

import pytest
from conftest import SMALL, one_per_builder

from leo_synth.engine.generate import block_shares, generate
from leo_synth.readers import read_manifest


def _digest(path: Path) -> str:
    """SHA-256 of a file, or of a folder's files and their relative paths."""
    if not path.is_dir():
        return hashlib.sha256(path.read_bytes()).hexdigest()
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        digest.update(file.relative_to(path).as_posix().encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def test_three_workers_and_a_second_run_give_identical_files(small_sqlite, small_parquet,
                                                             tmp_path: Path, catalog) -> None:
    """The suite's small run (one worker, earlier in the session) and a new run with three
    workers give the same bytes: same data whatever the workers, run after run."""
    one_worker = {"sqlite": small_sqlite[0], "parquet": small_parquet}
    for fmt, first in one_worker.items():
        out = tmp_path / f"w3.{fmt}"
        generate(SMALL.with_overrides(workers=3, format=fmt, out=str(out)), catalog)
        assert _digest(out) == _digest(first), fmt
        assert read_manifest(out) == read_manifest(first), fmt


def test_another_seed_gives_other_data(small_sqlite, tmp_path: Path, catalog) -> None:
    db, _ = small_sqlite
    other = tmp_path / "other.sqlite"
    generate(SMALL.with_overrides(out=str(other), seed=SMALL.seed + 1), catalog)
    first, second = read_manifest(db)["relations"], read_manifest(other)["relations"]
    assert first.keys() == second.keys()
    assert all(first[k]["checksum"] != second[k]["checksum"] for k in first
               if first[k]["rows"] > 10)


def test_manifest_records_the_library_versions(small_sqlite) -> None:
    """A library upgrade must be visible in the manifest, not look like a change of the data."""
    libraries = read_manifest(small_sqlite[0])["leo_synth"]["libraries"]
    assert libraries == {"python": platform.python_version(), "numpy": version("numpy"),
                         "pyarrow": version("pyarrow"), "faker": version("faker")}


@pytest.mark.parametrize("fmt", ["sqlite", "parquet"])
def test_blocks_read_together_change_no_byte_whatever_the_workers(tmp_path: Path, catalog,
                                                                  fmt: str) -> None:
    """Three blocks: the SQLite writer reads two at a time relation by relation, then one
    alone; the Parquet writer as many as there are workers. Same bytes for 1, 2 and 3."""
    assert len(_digests_by_workers(tmp_path, catalog, fmt, 300, (1, 2, 3))) == 1


def _digests_by_workers(tmp_path: Path, catalog, fmt: str, persons: int,
                        workers: tuple[int, ...]) -> set[str]:
    """The digests of runs of ``persons`` in blocks of 100 (a relation of every builder),
    one run per number of workers."""
    digests = set()
    for count in workers:
        out = tmp_path / f"w{count}.{fmt}"
        config = SMALL.with_overrides(persons=persons, block_size=100, workers=count,
                                      format=fmt, out=str(out))
        assert generate(config, catalog, select=one_per_builder).blocks == math.ceil(persons / 100)
        digests.add(_digest(out))
    return digests


@pytest.mark.parametrize("fmt", ["sqlite", "parquet", "csv"])
def test_a_blocks_relations_shared_among_workers_change_no_byte(tmp_path: Path, catalog,
                                                                fmt: str) -> None:
    """A run of one block with more workers than blocks shares the block's relations among
    them (relation k to worker k mod n; the answer key made from all their defects in the
    writing process): the same bytes as one process making them all, for 2 and 3 workers,
    below and above the size run in the writing process itself."""
    for persons in (150, 1200):
        digests = {}
        for workers in (1, 2, 3):
            out = tmp_path / f"{persons}-w{workers}.{fmt}"
            config = SMALL.with_overrides(persons=persons, block_size=5000, workers=workers,
                                          format=fmt, out=str(out))
            summary = generate(config, catalog)
            assert summary.blocks == 1 and summary.rows["_leo_synth_defects"] > 0
            digests[workers] = _digest(out)
        assert len(set(digests.values())) == 1, (persons, digests)


def test_blocks_are_shared_only_when_there_are_fewer_than_workers() -> None:
    assert block_shares(1, 1) == [1] and block_shares(1, 2) == [2] and block_shares(1, 3) == [3]
    assert block_shares(2, 4) == [2, 2] and block_shares(2, 5) == [2, 2]
    assert block_shares(2, 3) == [1, 1] and block_shares(3, 2) == [1, 1, 1]
    assert block_shares(4, 4) == [1] * 4


@pytest.mark.parametrize("fmt", ["sqlite", "parquet"])
def test_blocks_shared_among_more_workers_change_no_byte(tmp_path: Path, catalog,
                                                         fmt: str) -> None:
    """Two blocks on four workers (each block shared among two): the same bytes as one and
    two workers."""
    digests = _digests_by_workers(tmp_path, catalog, fmt, 180, (1, 2, 4))
    assert len(digests) == 1, digests
