"""The Dask engine: blocks as Dask tasks writing a partitioned Parquet dataset, identical in
content to the local engine's Parquet output (tested on in-process LocalClusters)."""

from __future__ import annotations

import contextlib
import json
import socket
import sys
import warnings
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from conftest import one_per_builder

from leo_synth.cli import main
from leo_synth.config import RunConfig
from leo_synth.engine import dask_blocks
from leo_synth.engine import generate as generate_module
from leo_synth.engine.generate import generate
from leo_synth.errors import LeoSynthError
from leo_synth.output_reading import open_output
from leo_synth.readers import read_manifest, read_parquet
from leo_synth.spec.physical import arrow_schema
from leo_synth.verify import check_output

distributed = pytest.importorskip("distributed")  # the optional extra leo-synth[dask]

RUN = RunConfig(persons=200, seed=5, block_size=100, format="parquet", if_exists="replace")
"""Two blocks, one relation per builder (run-level ones included)."""


@pytest.fixture(scope="module")
def local_run(tmp_path_factory: pytest.TempPathFactory, catalog) -> Path:
    out = tmp_path_factory.mktemp("local") / "leo_parquet"
    generate(RUN.with_overrides(out=str(out)), catalog, select=one_per_builder)
    return out


@pytest.fixture
def threaded_local_cluster(monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine's own LocalCluster, with threads instead of processes (cheap to start)."""
    monkeypatch.setitem(dask_blocks.LOCAL_CLUSTER, "processes", False)


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_dataset_equals_the_local_engine(tmp_path: Path, catalog, local_run: Path,
                                         threaded_local_cluster: None) -> None:
    out = tmp_path / "leo_dataset"
    with socket.socket() as taken, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with contextlib.suppress(OSError):  # (if it cannot be bound, it is taken already)
            taken.bind(("", 8787))  # Dask's default web port, as a user's own cluster has it
            taken.listen()
        summary = generate(RUN.with_overrides(out=str(out), engine="dask", workers=2), catalog,
                           select=one_per_builder)
    assert not [w for w in caught if "already in use" in str(w.message)]  # a free port taken
    expected = read_manifest(local_run)
    assert read_manifest(out) == expected  # every relation's rows and checksum, the settings
    files = _files(out)
    relations = {rel.name: rel for rel in summary.relations}
    for name, rel in relations.items():
        parts = [f for f in files if f.startswith(f"{rel.database}/{name}/")]
        if name in ("idbr_lookup", "lars"):  # run-level: written once
            assert parts == [f"{rel.database}/{name}/run.parquet"]
        elif expected["relations"][name]["rows"] == 0:
            assert parts == [f"{rel.database}/{name}/empty.parquet"]
        else:
            assert {p.rsplit("/", 1)[1] for p in parts} <= {
                "block-000000.parquet", "block-000001.parquet"}
        table = read_parquet(out, rel)  # the folder read as one table, typed as the spec
        assert table.schema.equals(arrow_schema(rel))
        assert table.num_rows == expected["relations"][name]["rows"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging, no lock
    finding = check_output(open_output(str(out)), catalog)  # leo-synth verify reads it back
    assert not finding.problems and finding.relations == len(relations)


def test_dataset_at_an_fsspec_url_through_a_scheduler_address(catalog, local_run: Path) -> None:
    import fsspec

    fs = fsspec.filesystem("memory")
    url = "memory://leo-synth-test/leo_dataset"
    # (a port of its own for the scheduler's web server: make test's workers start clusters
    # at the same time, and the default, 8787, would be taken)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=":0") as cluster:
        config = RUN.with_overrides(out=url, engine="dask", scheduler=cluster.scheduler_address)
        generate(config, catalog, select=one_per_builder)
        with fs.open("/leo-synth-test/leo_dataset/_manifest.json") as handle:
            assert json.load(handle) == read_manifest(local_run)
        # leo-synth verify reads it back through fsspec, and sees a damaged block file
        finding = check_output(open_output(url), catalog)
        assert not finding.problems and finding.relations == len(read_manifest(local_run)[
            "relations"])
        block = sorted(fs.glob("/leo-synth-test/leo_dataset/*/*/block-000001.parquet"))[0]
        kept = fs.cat(block)
        fs.pipe(block, kept[:-100])
        result = CliRunner().invoke(main, ["verify", url])
        relation = block.split("/")[-2]
        assert result.exit_code == 1 and relation in result.output, result.output
        fs.pipe(block, kept)
        assert fs.ls("/leo-synth-test", detail=False) == ["/leo-synth-test/leo_dataset"]
        with pytest.raises(LeoSynthError, match="already exists; use --if-exists replace"):
            generate(config.with_overrides(if_exists="fail"), catalog, select=one_per_builder)
        fs.pipe("/leo-synth-test/leo_dataset/notes.txt", b"mine")
        with pytest.raises(LeoSynthError, match=r"holds notes\.txt, which leo-synth did not"):
            generate(config, catalog, select=one_per_builder)
        assert fs.cat("/leo-synth-test/leo_dataset/notes.txt") == b"mine"
    fs.rm("/leo-synth-test", recursive=True)


def test_query_reads_the_dataset_and_tasks_in_flight_are_bounded(
        tmp_path: Path, catalog, threaded_local_cluster: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    engines: list = []
    make = generate_module.block_engine
    monkeypatch.setattr(generate_module, "block_engine",
                        lambda config: engines.append(make(config)) or engines[-1])
    out = tmp_path / "ds"
    summary = generate(RUN.with_overrides(out=str(out), engine="dask", workers=2, persons=600),
                       catalog, select=lambda rels: [r for r in rels
                                                     if r.name == "leo_employment"])
    assert summary.blocks == 6 and engines[0].workers == 2
    assert 1 <= engines[0].in_flight.peak <= dask_blocks.TASKS_PER_WORKER * 2 < 6
    result = CliRunner().invoke(main, ["query", str(out),
                                       "select count(*) as n from leo_employment"])
    assert result.exit_code == 0, result.output
    assert f"{summary.rows['leo_employment']}" in result.output
    rows = sum(pq.ParquetFile(f).metadata.num_rows
               for f in (out / "leo_i2" / "leo_employment").glob("*.parquet"))
    assert rows == summary.rows["leo_employment"]


def test_refusals_are_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    out = tmp_path / "ds"

    def run(*args: str) -> tuple[int, str]:
        result = runner.invoke(main, ["generate", "--persons", "100", "--out", str(out),
                                      "--engine", "dask", *args])
        return result.exit_code, result.output

    code, output = run("--format", "sqlite")
    assert code == 2 and "engine dask writes a partitioned Parquet dataset, not sqlite" in output
    result = runner.invoke(main, ["generate", "--scheduler", "tcp://127.0.0.1:1", "--format",
                                  "parquet", "--out", str(out)])
    assert result.exit_code == 2 and "it needs --engine dask" in result.output
    result = runner.invoke(main, ["generate", "--format", "parquet", "--out", "s3://b/leo"])
    assert result.exit_code == 2 and "only --engine dask writes to URLs" in result.output
    monkeypatch.setattr(dask_blocks, "CONNECT_TIMEOUT", "1s")
    code, output = run("--scheduler", "tcp://127.0.0.1:1")
    assert code == 2, output
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:1" in output
    assert len(output.strip().splitlines()) <= 2, output  # the first line, then the error
    assert "Traceback" not in output
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if Dask were not installed
    code, output = run()
    assert code == 2
    assert "--engine dask needs Dask" in output and "pip install 'leo-synth[dask]'" in output
    assert not out.exists() and list(tmp_path.iterdir()) == []  # nothing left behind


def test_replaces_only_its_own_dataset(tmp_path: Path, catalog) -> None:
    out = tmp_path / "ds"
    out.mkdir()
    (out / "mine.csv").write_text("x\n")
    with pytest.raises(LeoSynthError, match="refusing to replace"):
        generate(RUN.with_overrides(out=str(out), engine="dask"), catalog,
                 select=one_per_builder)
    assert (out / "mine.csv").read_text() == "x\n"


def test_parts_of_a_url_target_keep_the_url() -> None:
    from leo_synth.engine.parts import Part, part_target

    assert part_target("s3://bucket/leo/", "parquet", Part(2, 3)) == \
        "s3://bucket/leo.part-2-of-3"


def test_dataset_parts_combine_into_the_local_engines_files(tmp_path: Path, catalog,
                                                            local_run: Path,
                                                            threaded_local_cluster: None) -> None:
    """A run split in two parts on Dask (a dataset each) and combined: the local engine's
    Parquet folder, byte for byte."""
    config = RUN.with_overrides(out=str(tmp_path / "leo_dataset"), engine="dask", workers=2)
    parts = [generate(config.with_overrides(part=f"{k}/2"), catalog,
                      select=one_per_builder).target for k in (1, 2)]
    out = tmp_path / "combined"
    result = CliRunner().invoke(main, ["combine", *parts, "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    assert _files(out) == _files(local_run)
    for name in _files(out):
        assert (out / name).read_bytes() == (local_run / name).read_bytes(), name


def test_dataset_parts_at_a_url_combine_into_a_local_folder(tmp_path: Path, catalog,
                                                            local_run: Path) -> None:
    import fsspec

    fs = fsspec.filesystem("memory")
    url = "memory://leo-synth-combine/leo_dataset"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=":0") as cluster:
        config = RUN.with_overrides(out=url, engine="dask", scheduler=cluster.scheduler_address)
        parts = [generate(config.with_overrides(part=f"{k}/2"), catalog,
                          select=one_per_builder).target for k in (1, 2)]
    assert parts == [f"{url}.part-1-of-2", f"{url}.part-2-of-2"]
    out = tmp_path / "combined"
    result = CliRunner().invoke(main, ["combine", *parts, "--out", str(out), "--quiet"])
    fs.rm("/leo-synth-combine", recursive=True)
    assert result.exit_code == 0, result.output
    assert _files(out) == _files(local_run)
    assert [(out / name).read_bytes() for name in _files(out)] == \
        [(local_run / name).read_bytes() for name in _files(local_run)]
