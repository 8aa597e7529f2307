"""``leo-synth combine``: the parts of a split run written as one output, as the whole run is."""

from __future__ import annotations

import filecmp
import shutil
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from conftest import one_per_builder
from postgres_server import create_database, drop_database

from leo_synth import output_reading
from leo_synth.cli import main
from leo_synth.config import RunConfig
from leo_synth.engine.generate import generate
from leo_synth.output_reading import open_output
from leo_synth.readers import read_manifest
from leo_synth.verify import check_output, compare_manifests

RUN = RunConfig(persons=300, seed=9, block_size=100, if_exists="replace")
"""Three blocks: three parts of one block each; a relation of every builder."""


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, catalog) -> dict[str, tuple[Path, list[str]]]:
    """Per format (parquet, sqlite): the whole run, and its three parts."""
    root = tmp_path_factory.mktemp("combine")
    made = {}
    for fmt, name in (("parquet", "leo_parquet"), ("sqlite", "leo.sqlite")):
        config = RUN.with_overrides(format=fmt, out=str(root / name))
        generate(config, catalog, select=one_per_builder)
        parts = [generate(config.with_overrides(part=f"{k}/3"), catalog,
                          select=one_per_builder).target for k in (1, 2, 3)]
        made[fmt] = (root / name, parts)
    return made


def combine(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["combine", *args])
    return result.exit_code, result.output


def _same_files(left: Path, right: Path) -> bool:
    names = sorted(p.relative_to(left).as_posix() for p in left.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(right).as_posix() for p in right.rglob("*")
                           if p.is_file())
    _, mismatch, errors = filecmp.cmpfiles(left, right, names, shallow=False)
    return not mismatch and not errors


def test_parquet_parts_make_the_whole_runs_very_files(runs, tmp_path: Path) -> None:
    whole, parts = runs["parquet"]
    out = tmp_path / "combined"
    code, output = combine(*reversed(parts), "--out", str(out))  # (any order of the parts)
    assert code == 0, output
    assert "combined 3 parts" in output and "(parquet)" in output
    assert "rows (100%)" in output and "publishing the output" in output  # (a log's progress)
    assert _same_files(out, whole)  # row groups as the whole run's, the manifest too


def test_sqlite_parts_read_in_slices_make_the_whole_run_in_any_format(
        runs, tmp_path: Path, catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    whole, parts = runs["sqlite"]
    monkeypatch.setattr(output_reading, "SLICE_CELLS", 700)  # many slices per relation
    out = tmp_path / "combined.sqlite"
    code, output = combine(*parts, "--out", str(out))
    assert code == 0, output
    assert "(sqlite)" in output
    combined = open_output(str(out))
    assert combined.part is None and not check_output(combined, catalog).problems
    assert compare_manifests(combined.manifest, read_manifest(whole), "the whole run") == []
    folder = tmp_path / "combined_parquet"  # SQLite's text dates and float decimals typed back
    code, output = combine(*parts, "--out", str(folder), "--format", "parquet")
    assert code == 0, output
    assert _same_files(folder, runs["parquet"][0])


def test_parts_that_do_not_make_the_run_are_one_line_and_leave_nothing(runs,
                                                                       tmp_path: Path) -> None:
    whole, parts = runs["sqlite"]
    copies = []
    for part in parts:
        copies.append(tmp_path / Path(part).name)
        shutil.copy(part, copies[-1])
    out = tmp_path / "leo.sqlite"
    code, output = combine(str(copies[0]), str(copies[2]), "--out", str(out))
    assert code == 2 and "part 2 of 3 is missing" in output, output
    code, output = combine(*map(str, copies), str(whole), "--out", str(out))
    assert code == 2 and "made without --part" in output, output
    with sqlite3.connect(copies[1]) as db:  # a part changed since it was made
        name = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name "
                          "NOT LIKE '\\_%' ESCAPE '\\' ORDER BY name").fetchall()
        changed = next(n for (n,) in name
                       if db.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0])
        column = db.execute(f'PRAGMA table_info("{changed}")').fetchall()[0][1]
        db.execute(f'UPDATE "{changed}" SET "{column}" = NULL WHERE rowid = 1')
    code, output = combine(*map(str, copies), "--out", str(out))
    lines = output.strip().splitlines()
    assert code == 2 and lines[-1].startswith("leo-synth: error: "), output
    assert "than their manifests record" in lines[-1] and "nothing combined" in lines[-1]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in copies)
    out.write_bytes(b"mine")
    code, output = combine(*map(str, copies), "--out", str(out))
    assert code == 2 and "already exists" in output and out.read_bytes() == b"mine", output


def test_an_output_larger_than_the_free_space_is_refused_at_once(
        runs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from leo_synth.writers import files

    _, parts = runs["parquet"]
    real = shutil.disk_usage
    monkeypatch.setattr(files.shutil, "disk_usage",
                        lambda path: real(path)._replace(free=1_000_000))
    out = tmp_path / "leo.sqlite"
    code, output = combine(*parts, "--out", str(out), "--quiet")
    lines = output.strip().splitlines()
    assert code == 2 and len(lines) == 1, output
    assert f"cannot write {out}: the output will take about " in lines[0]
    assert f"and {tmp_path} has 1.0 MB free" in lines[0] and "--no-space-check" in lines[0]
    assert list(tmp_path.iterdir()) == []
    code, output = combine(*parts, "--out", str(out), "--quiet", "--no-space-check")
    assert code == 0 and out.exists(), output


def test_parquet_parts_load_into_postgresql(runs, pg_url: str, catalog) -> None:
    """The way to PostgreSQL for a split run (--part refuses it): the parts combined there."""
    whole, parts = runs["parquet"]
    name = f"{urlsplit(pg_url).path.lstrip('/')}_combine"  # (pg_url's: one per test worker)
    url = create_database(pg_url, name)
    try:
        code, output = combine(*parts, "--out", url)
        assert code == 0, output
        assert "(postgres)" in output
        loaded = open_output(url)
        assert not check_output(loaded, catalog).problems
        assert compare_manifests(loaded.manifest, read_manifest(whole), "the whole run") == []
    finally:
        drop_database(pg_url, name)


def test_a_damaged_file_of_a_part_is_one_line_read_ahead_or_not(runs, tmp_path: Path) -> None:
    """A part's file that cannot be read fails in the reading thread and is reported by the
    command, as one line, with nothing written."""
    _, parts = runs["parquet"]
    copies = [tmp_path / Path(part).name for part in parts]
    for part, copy in zip(parts, copies, strict=True):
        shutil.copytree(part, copy)
    damaged = max((p for p in copies[1].rglob("*.parquet")), key=lambda p: p.stat().st_size)
    damaged.write_bytes(damaged.read_bytes()[: damaged.stat().st_size // 2])
    out = tmp_path / "combined"
    code, output = combine(*map(str, copies), "--out", str(out))
    lines = output.strip().splitlines()
    assert code == 2 and lines[-1].startswith("leo-synth: error: "), output
    assert "cannot be read with the spec's types" in lines[-1], output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in copies)
