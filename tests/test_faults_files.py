"""Fault injection on the file outputs (SQLite file, Parquet folder).

Each test breaks a run the way a user, a scheduler or the machine would (a foreign target,
SIGINT, SIGTERM, ``kill -9`` during the write or during the publish step, a second run on the
same target, a full disk) and asserts: the previous output is intact (or, after publish, the new
one is complete), one line on stderr with the right exit status, and no debris once the next run
on that target has finished. Runs are narrowed by a variable request and small (50-2,000
persons), so the module stays quick. ``LEO_SYNTH_PAUSE_AT`` pauses a run at a named point
(``write``: after a block; ``publish``: inside the publish step) so that a signal lands there.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from test_cli import LEO, ROOT, assert_one_line_error, run

from leo_synth.config import RunConfig
from leo_synth.engine.generate import generate
from leo_synth.errors import LeoSynthError
from leo_synth.readers import connect_for_query, read_manifest
from leo_synth.request import request_selector
from leo_synth.spec.model import Catalog
from leo_synth.writers import parquet as parquet_writer
from leo_synth.writers.sqlite import MANIFEST_TABLE, SqliteWriter

NARROW = "tables:\n  leo_employment: all\n"
WIDER = "tables:\n  leo_employment: all\n  ks4_pupil: default\n"
FORMATS = {"sqlite": "leo.sqlite", "parquet": "leo_parquet"}


@pytest.fixture
def request_file(tmp_path: Path) -> Path:
    path = tmp_path / "request.yaml"
    path.write_text(NARROW, encoding="utf-8")
    return path


def make(catalog: Catalog, out: Path, fmt: str, request: Path, seed: int = 1,
         persons: int = 50, if_exists: str = "replace") -> None:
    """A quick in-process run (no interpreter start-up)."""
    config = RunConfig(persons=persons, seed=seed, block_size=persons, format=fmt,
                       out=str(out), if_exists=if_exists)
    generate(config, catalog, select=request_selector(request, catalog))


def digest(path: Path) -> str:
    """Content hash of a file, or of every file (with its relative path) under a folder."""
    sha = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        sha.update(str(file.relative_to(path) if path.is_dir() else "").encode())
        sha.update(file.read_bytes())
    return sha.hexdigest()


def debris(folder: Path) -> list[str]:
    """Anything a run leaves beside its target besides the target: staging, old copies,
    lock files, probes."""
    return sorted(p.name for p in folder.iterdir() if ".leo-synth-" in p.name)


def seed_of(path: Path) -> int:
    return read_manifest(path)["leo_synth"]["seed"]


class Paused:
    """A CLI run in a subprocess, paused at a named point until signalled."""

    def __init__(self, args: list[str], point: str, seconds: float = 60,
                 python_prelude: str | None = None):
        env = dict(os.environ, LEO_SYNTH_PAUSE_AT=point, LEO_SYNTH_PAUSE_SECONDS=str(seconds))
        command = [LEO, *args]
        if python_prelude:  # run the CLI after some set-up code (e.g. forcing a fallback)
            command = [sys.executable, "-c",
                       f"{python_prelude}\nfrom leo_synth.cli import main\nmain()", *args]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env,
                                        start_new_session=True)
        assert self.process.stderr is not None
        for line in self.process.stderr:  # wait for the announcement
            if "paused at" in line:
                return
        raise AssertionError(f"never paused: {self.finish()[1]}")

    def finish(self, signum: int | None = None, group: bool = False) -> tuple[int, str]:
        """Send a signal (or none) to the run, or to its whole process group as Ctrl-C on a
        terminal does, and wait; returns the exit status and the rest of stderr."""
        if signum is not None and group:
            os.killpg(self.process.pid, signum)
        elif signum is not None:
            self.process.send_signal(signum)
        _, stderr = self.process.communicate(timeout=120)
        return self.process.returncode, stderr


def cli_args(out: Path, fmt: str, request: Path, *more: str) -> list[str]:
    return ["generate", "--format", fmt, "--out", str(out), "--request", str(request),
            "--quiet", *more]


def assert_interrupted(code: int, stderr: str, signum: int, *fragments: str) -> None:
    assert code == 128 + signum, (code, stderr)
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("leo-synth: error: "), stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


# -- foreign targets ---------------------------------------------------------------------------


def _foreign_folder(path: Path) -> None:
    path.mkdir()
    (path / "ch1.tex").write_text("x")


def _foreign_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("create table notes(a)")
    conn.close()


def _plain_file(path: Path) -> None:
    path.write_text("my notes\n")


@pytest.mark.parametrize("fmt, setup, fragment", [
    ("parquet", _foreign_folder, "no leo-synth _manifest.json"),
    ("sqlite", _foreign_sqlite, "SQLite database that leo-synth did not make"),
    ("sqlite", _plain_file, "not a SQLite file"),
    ("parquet", _plain_file, "is a file, not a folder"),
    ("sqlite", os.mkfifo, "is a named pipe"),
])
def test_replace_refuses_what_leo_synth_did_not_make(tmp_path: Path, request_file: Path,
                                                      fmt: str, setup, fragment: str) -> None:
    out = tmp_path / "target"
    setup(out)
    before = digest(out) if not out.is_fifo() else ""
    result = run(*cli_args(out, fmt, request_file, "--if-exists", "replace"))
    assert_one_line_error(result, fragment, "choose another --out")
    assert (digest(out) if not out.is_fifo() else "") == before
    assert debris(tmp_path) == []


def test_replace_refuses_own_folder_with_a_users_file_and_symlinks(
        tmp_path: Path, catalog: Catalog, request_file: Path) -> None:
    out = tmp_path / "leo_parquet"
    make(catalog, out, "parquet", request_file)
    (out / "leo_i2" / "my_analysis.R").write_text("x")
    with pytest.raises(LeoSynthError, match=r"holds leo_i2/my_analysis\.R, which leo-synth"):
        make(catalog, out, "parquet", request_file, seed=2)
    assert seed_of(out) == 1 and (out / "leo_i2" / "my_analysis.R").exists()

    db = tmp_path / "leo.sqlite"
    make(catalog, db, "sqlite", request_file)
    link = tmp_path / "link.sqlite"
    link.symlink_to(db)
    with pytest.raises(LeoSynthError, match="is a symbolic link"):
        make(catalog, link, "sqlite", request_file, seed=2)
    assert link.is_symlink() and seed_of(db) == 1
    assert debris(tmp_path) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_narrowed_run_replacing_a_wider_one_leaves_only_its_relations(
        tmp_path: Path, catalog: Catalog, fmt: str) -> None:
    wide, narrow = tmp_path / "wide.yaml", tmp_path / "narrow.yaml"
    wide.write_text(WIDER)
    narrow.write_text(NARROW)
    out = tmp_path / FORMATS[fmt]
    make(catalog, out, fmt, wide)
    make(catalog, out, fmt, narrow, seed=2)
    expected = {rel.name for rel in request_selector(narrow, catalog)(catalog.relations(2))}
    if fmt == "sqlite":
        with sqlite3.connect(out) as conn:
            stored = {row[0] for row in conn.execute(
                "select name from sqlite_master where type = 'table'")} - {MANIFEST_TABLE}
        conn.close()
    else:
        stored = {p.stem for p in out.glob("*/*.parquet")}
    assert stored == expected and "KS4Pupil_2015_to_2021" not in stored
    assert set(read_manifest(out)["relations"]) == expected
    assert debris(tmp_path) == []


# -- bad --out, YAML, query, damaged input -----------------------------------------------------


@pytest.mark.parametrize("out, fragment", [
    (".", "give a new name inside it"),
    ("", "--out is empty"),
    ("/", "give a new name inside it"),
    ("-", "cannot write to standard output"),
    ("x" * 300, "300 characters long"),
    ("/dev/null", "is a device node"),
])
def test_bad_out_gives_one_line(tmp_path: Path, request_file: Path, out: str,
                                fragment: str) -> None:
    before = sorted(os.listdir(tmp_path))
    result = subprocess.run([LEO, "generate", "--out", out, "--request", str(request_file),
                             "--persons", "50", "--if-exists", "replace"],
                            capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert_one_line_error(result, fragment)
    assert sorted(os.listdir(tmp_path)) == before
    assert Path("/dev/null").is_char_device()


def test_yaml_key_that_is_a_list(tmp_path: Path) -> None:
    config = tmp_path / "run.yaml"
    config.write_text("? [persons, seed]\n: 1\n")
    assert_one_line_error(run("generate", "--config", str(config)), "run.yaml",
                          "a key must be a plain name, not a list")


def test_query_never_writes(tmp_path: Path, catalog: Catalog, request_file: Path) -> None:
    db = tmp_path / "we?ird#%.sqlite"  # URI specials: must open this very file, read-only
    make(catalog, db, "sqlite", request_file)
    before = digest(db)
    ok = run("query", str(db), "select count(*) as n from leo_employment")
    assert ok.returncode == 0 and ok.stdout.splitlines()[0].strip() == "n", ok.stderr
    assert_one_line_error(run("query", str(db), f"attach 'file:{tmp_path}/new.db?mode=rwc' "
                                                f"as x"), "query failed", "refused")
    assert_one_line_error(run("query", str(db), f"@{tmp_path}/missing.sql"),
                          "cannot read the SQL file", "No such file")
    conn = connect_for_query(db)
    for sql in (f"vacuum into '{tmp_path}/copy.db'", "create table t(a)",
                "insert into leo_employment default values", "create temp table t(a)",
                "drop table leo_employment", "pragma journal_mode = wal"):
        with pytest.raises(sqlite3.DatabaseError):
            conn.execute(sql)
    conn.close()
    assert sorted(os.listdir(tmp_path)) == sorted([db.name, request_file.name])
    assert digest(db) == before


def test_report_on_truncated_parquet(tmp_path: Path, small_parquet: Path) -> None:
    copy = tmp_path / "damaged"
    shutil.copytree(small_parquet, copy)
    for file in copy.glob("*/*.parquet"):  # (the report's first line says what it reads)
        file.write_bytes(file.read_bytes()[: file.stat().st_size // 2])
    result = run("report", "--parquet", str(copy))
    errors = [line for line in result.stderr.splitlines() if "error" in line.lower()]
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert len(errors) == 1 and errors[0].startswith("leo-synth: error: cannot read "), errors
    assert "as Parquet" in errors[0] and "generate the extract again" in errors[0]


# -- disk full ---------------------------------------------------------------------------------


def test_sqlite_disk_full_is_one_line(tmp_path: Path, catalog: Catalog, request_file: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "leo.sqlite"
    make(catalog, out, "sqlite", request_file)
    before = digest(out)
    create = SqliteWriter._create

    def tiny(self: SqliteWriter) -> None:  # SQLite's own "database or disk is full"
        create(self)
        assert self.connection is not None
        self.connection.execute("PRAGMA max_page_count = 20")

    monkeypatch.setattr(SqliteWriter, "_create", tiny)
    with pytest.raises(LeoSynthError) as failure:
        make(catalog, out, "sqlite", request_file, seed=2, persons=500)
    message = str(failure.value)
    assert "database or disk is full" in message and "\n" not in message
    assert digest(out) == before and debris(tmp_path) == []


@pytest.mark.parametrize("where", ["spill", "commit"])
def test_parquet_no_space_mid_run_is_one_line(tmp_path: Path, catalog: Catalog,
                                              request_file: Path,
                                              monkeypatch: pytest.MonkeyPatch,
                                              where: str) -> None:
    out = tmp_path / "leo_parquet"
    make(catalog, out, "parquet", request_file)
    before = digest(out)
    failures = []

    def full(*args: object, **kwargs: object) -> None:
        failures.append(1)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    if where == "spill":  # mid-run: every batch goes over the budget to the scratch file
        monkeypatch.setattr(parquet_writer, "MEMORY_BUDGET_BYTES", 0)
        monkeypatch.setattr(parquet_writer.ParquetWriter, "_spill", full)
    else:  # the Parquet files, written at commit
        monkeypatch.setattr(pq.ParquetWriter, "write_table", full)
    with pytest.raises(LeoSynthError, match="no space left on device") as failure:
        make(catalog, out, "parquet", request_file, seed=2, persons=200)
    assert failures and "\n" not in str(failure.value)
    assert digest(out) == before and debris(tmp_path) == []


@contextlib.contextmanager
def mounted_tmpfs(mount: Path, options: str) -> Iterator[Path]:
    """A tmpfs at ``mount`` (root only; the test is skipped where mounting is not allowed)."""
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(mount)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 256 KiB disk."""
    with mounted_tmpfs(tmp_path / "small_disk", "size=256k") as mount:
        yield mount


@pytest.fixture
def unwritable(tmp_path: Path) -> Iterator[Path]:
    """A folder this process cannot write to: read-only permissions, or (as root, whom
    permissions do not stop) a read-only file system."""
    if os.geteuid() != 0:
        folder = tmp_path / "locked"
        folder.mkdir(mode=0o555)
        yield folder
        folder.chmod(0o755)
        return
    with mounted_tmpfs(tmp_path / "locked", "ro,size=64k") as mount:
        yield mount


def test_unwritable_output_folder(unwritable: Path, request_file: Path) -> None:
    for fmt, name in FORMATS.items():
        result = run(*cli_args(unwritable / name, fmt, request_file, "--persons", "50"))
        assert_one_line_error(result, f"cannot write to {unwritable}", "choose another --out")
    assert os.listdir(unwritable) == []


def test_full_disk_for_real(tmpfs: Path, request_file: Path) -> None:
    # (past the check of the free space, which would refuse the run at once: the disk fills
    # while the run writes)
    result = run(*cli_args(tmpfs / "leo.sqlite", "sqlite", request_file, "--persons", "2000",
                           "--no-space-check"))
    assert_one_line_error(result, "database or disk is full", "free some space")
    assert os.listdir(tmpfs) == []


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_run_larger_than_the_free_space_is_refused_at_once(tmpfs: Path, request_file: Path,
                                                           fmt: str) -> None:
    result = run(*cli_args(tmpfs / FORMATS[fmt], fmt, request_file,
                           "--persons", "1000000"))
    assert_one_line_error(result, f"cannot write {tmpfs / FORMATS[fmt]}: the output will take "
                          "about ", f"and {tmpfs} has ", "--no-space-check")
    assert os.listdir(tmpfs) == []


def test_free_space_is_checked_against_the_runs_estimate(tmp_path: Path, catalog: Catalog,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    # The estimate of what is written (here all of Iteration 1's relations) against the free
    # space the file system reports; a previous output is kept when the new one is refused.
    from leo_synth.engine.estimate import estimated_bytes
    from leo_synth.engine.generate import plan_relations
    from leo_synth.writers import files

    out = tmp_path / "leo.sqlite"
    config = RunConfig(persons=400, iteration=1, out=str(out), if_exists="replace")
    generate(config, catalog)
    before = digest(out)
    needed = estimated_bytes("sqlite", plan_relations(catalog, 1), catalog, 400)
    real = shutil.disk_usage

    def free(bytes_free: int) -> None:
        monkeypatch.setattr(files.shutil, "disk_usage", lambda path: real(path)._replace(
            free=bytes_free))

    free(needed - 1)
    with pytest.raises(LeoSynthError, match="will take about") as refused:
        generate(config, catalog)
    assert "\n" not in str(refused.value)
    assert digest(out) == before and debris(tmp_path) == []
    generate(config, catalog, space_check=False)  # the estimate may be too high: told so
    free(needed)
    generate(config, catalog)


# -- signals and kill -9 -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt, signum", [("sqlite", signal.SIGINT),
                                         ("parquet", signal.SIGTERM),
                                         ("sqlite", signal.SIGTERM)])
def test_signal_during_write_keeps_previous_output(tmp_path: Path, catalog: Catalog,
                                                   request_file: Path, fmt: str,
                                                   signum: int) -> None:
    out = tmp_path / FORMATS[fmt]
    make(catalog, out, fmt, request_file)
    before = digest(out)
    run_ = Paused(cli_args(out, fmt, request_file, "--persons", "2000", "--block-size", "200",
                           "--if-exists", "replace"), "write")
    assert debris(tmp_path)  # staging and lock exist while it runs
    code, stderr = run_.finish(signum)
    assert_interrupted(code, stderr, signum, "previous output", "unchanged")
    assert digest(out) == before and debris(tmp_path) == []


def test_ctrl_c_with_workers_is_one_line(tmp_path: Path, request_file: Path) -> None:
    """Ctrl-C reaches the workers too: they leave it to the parent (no worker tracebacks)."""
    out = tmp_path / "leo.sqlite"
    run_ = Paused(cli_args(out, "sqlite", request_file, "--persons", "2000", "--block-size",
                           "100", "--workers", "2"), "write")
    code, stderr = run_.finish(signal.SIGINT, group=True)
    assert_interrupted(code, stderr, signal.SIGINT, "interrupted")
    assert not out.exists() and debris(tmp_path) == []


def test_staging_of_a_live_process_is_left_alone(tmp_path: Path, catalog: Catalog,
                                                 request_file: Path) -> None:
    out = tmp_path / "leo.sqlite"
    with subprocess.Popen(["sleep", "60"]) as live:
        theirs = tmp_path / f".leo.sqlite.leo-synth-tmp-{live.pid}"
        theirs.write_text("someone's staging")
        scratch = tmp_path / f".leo.sqlite.leo-synth-scratch-{live.pid}"  # its workers' files
        scratch.mkdir()
        (scratch / "1-1.sqlite").write_text("a worker's batch")
        other = tmp_path / ".other.sqlite.leo-synth-tmp-1"  # another target's: not ours to judge
        other.write_text("x")
        make(catalog, out, "sqlite", request_file)
        assert theirs.exists() and scratch.exists() and other.exists()
        live.kill()
    make(catalog, out, "sqlite", request_file, seed=2)
    assert not theirs.exists() and not scratch.exists() and other.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_signal_during_publish_completes_the_publish(tmp_path: Path, catalog: Catalog,
                                                     request_file: Path, fmt: str) -> None:
    out = tmp_path / FORMATS[fmt]
    make(catalog, out, fmt, request_file)
    run_ = Paused(cli_args(out, fmt, request_file, "--persons", "50", "--seed", "5",
                           "--if-exists", "replace"), "publish", seconds=3)
    code, stderr = run_.finish(signal.SIGTERM)  # held back until the publish is done
    assert_interrupted(code, stderr, signal.SIGTERM, "SIGTERM", "published")
    assert seed_of(out) == 5 and debris(tmp_path) == []


def test_kill_during_write_then_next_run_clears_debris(tmp_path: Path, catalog: Catalog,
                                                       request_file: Path) -> None:
    out = tmp_path / "leo.sqlite"
    make(catalog, out, "sqlite", request_file)
    before = digest(out)
    run_ = Paused(cli_args(out, "sqlite", request_file, "--persons", "2000", "--block-size",
                           "200", "--if-exists", "replace"), "write")
    code, _ = run_.finish(signal.SIGKILL)
    assert code == -signal.SIGKILL
    assert digest(out) == before
    left = debris(tmp_path)
    assert f".leo.sqlite.leo-synth-tmp-{run_.process.pid}" in left
    make(catalog, out, "sqlite", request_file, seed=3)  # not locked out by the dead run
    assert seed_of(out) == 3 and debris(tmp_path) == []


@pytest.mark.parametrize("fallback", [False, True], ids=["exchange", "two-renames"])
def test_kill_during_folder_publish_never_loses_the_output(tmp_path: Path, catalog: Catalog,
                                                           request_file: Path,
                                                           fallback: bool) -> None:
    out = tmp_path / "leo_parquet"
    make(catalog, out, "parquet", request_file)
    before = digest(out)
    prelude = "import leo_synth.writers.publish as p; p._RENAMEAT2 = None" if fallback else None
    run_ = Paused(cli_args(out, "parquet", request_file, "--persons", "50", "--seed", "5",
                           "--if-exists", "replace"), "publish", python_prelude=prelude)
    code, _ = run_.finish(signal.SIGKILL)
    assert code == -signal.SIGKILL
    if fallback:  # killed between the renames: the old output is aside, the target missing
        assert not out.exists()
        assert f".leo_parquet.leo-synth-old-{run_.process.pid}" in debris(tmp_path)
        # the next run puts the old output back (and, with --if-exists fail, stops there)
        with pytest.raises(LeoSynthError, match="already exists"):
            make(catalog, out, "parquet", request_file, seed=3, if_exists="fail")
        assert digest(out) == before
    else:  # exchanged in one step: the new output is in place, the old one beside it
        assert seed_of(out) == 5
        make(catalog, out, "parquet", request_file, seed=3, if_exists="replace")
        assert seed_of(out) == 3
    assert debris(tmp_path) == []


# -- concurrent runs ---------------------------------------------------------------------------


def test_second_run_on_the_same_target_fails_at_once(tmp_path: Path, request_file: Path
                                                     ) -> None:
    out = tmp_path / "leo.sqlite"
    first = Paused(cli_args(out, "sqlite", request_file, "--persons", "50"), "write")
    second = run(*cli_args(out, "sqlite", request_file, "--persons", "50", "--if-exists",
                           "replace"))
    assert_one_line_error(second, "being written by another leo-synth run",
                          f"PID {first.process.pid}")
    code, stderr = first.finish(signal.SIGTERM)
    assert_interrupted(code, stderr, signal.SIGTERM, "SIGTERM")
    assert not out.exists() and debris(tmp_path) == []


def test_if_exists_fail_is_checked_again_at_publish(tmp_path: Path, request_file: Path) -> None:
    out = tmp_path / "leo.sqlite"
    run_ = Paused(cli_args(out, "sqlite", request_file, "--persons", "50"), "write",
                  seconds=1)
    out.write_text("made by someone else meanwhile\n")
    code, stderr = run_.finish()
    assert code == 2 and "already exists" in stderr and len(stderr.strip().splitlines()) == 1
    assert out.read_text() == "made by someone else meanwhile\n"
    assert debris(tmp_path) == []


def test_manifest_marks_both_outputs(tmp_path: Path, catalog: Catalog,
                                     request_file: Path) -> None:
    """The markers the replace check relies on are written by every run."""
    db, folder = tmp_path / "leo.sqlite", tmp_path / "leo_parquet"
    make(catalog, db, "sqlite", request_file)
    make(catalog, folder, "parquet", request_file)
    assert SqliteWriter.foreign(db) is None
    assert parquet_writer.foreign_parquet(folder) is None
    assert json.loads((folder / "_manifest.json").read_text())["leo_synth"]["seed"] == 1
