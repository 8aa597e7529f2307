"""The command line, run for real: the happy path, and every error path ending in one line on
stderr, a non-zero exit and nothing half-written."""

from __future__ import annotations

import hashlib
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import click
import psycopg
import pytest
from conftest import ROOT

from leo_synth.cli import main
from leo_synth.errors import LeoSynthError

LEO = str(Path(sys.executable).with_name("leo-synth"))


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([LEO, *args], capture_output=True, text=True, cwd=cwd, timeout=300,
                          check=False)


def assert_one_line_error(result: subprocess.CompletedProcess, *fragments: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("leo-synth: error: "), lines[0]
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if "leo-synth-tmp" in p.name
            or "leo-synth-old" in p.name]


def test_version_and_help() -> None:
    version = run("--version")
    assert version.returncode == 0 and "leo-synth, version" in version.stdout
    names = main.list_commands(click.Context(main))  # the lazily imported commands too
    assert {"generate", "dictionary", "report", "sql", "check-output"} <= set(names)
    for command in ([], *([name] for name in names)):
        result = run(*command, "--help")
        assert result.returncode == 0 and "Usage:" in result.stdout, command


def test_generate_prints_rows_and_summary(tmp_path: Path, catalog) -> None:
    out = tmp_path / "leo.sqlite"
    result = run("generate", "--persons", "600", "--block-size", "300", "--workers", "1",
                 "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "npd_i2.spring_census_2011" in result.stdout
    assert "wrote " in result.stdout and " relations, " in result.stdout
    assert "600 persons" in result.stdout
    assert out.exists() and not leftovers(tmp_path)
    progress = result.stderr.splitlines()  # not a terminal: a line per 10%, with the ETA
    relations = len(catalog.relations(2))
    assert progress[0].startswith(f"leo-synth: writing sqlite to {out}: {relations} "
                                  f"relations, 600 persons in 2 block(s) on 1 worker process, "
                                  f"about ")
    assert progress[0].endswith(" MB on disk")
    assert any(line.startswith("leo-synth: 2/2 blocks (100%)") and "to go" in line
               for line in progress)
    # progress within the blocks: the relations' results of the first block count already
    counted = [line for line in progress if re.match(r"leo-synth: \d/2 blocks \(", line)]
    assert counted[0].startswith("leo-synth: 0/2 blocks (10%)"), counted
    assert [int(line.split("(")[1].split("%")[0]) for line in counted] == list(
        range(10, 101, 10)), counted
    phases = [line.split(":")[1].strip() for line in progress
              if line not in counted and not line.startswith("leo-synth: writing")]
    # (each relation is indexed once it has all its rows, before the commit)
    assert [p.split(" (")[0] for p in phases] == ["committing", "publishing the output"], progress


def test_generate_parquet_names_the_file_writing_phase(tmp_path: Path) -> None:
    """Parquet files still being written at commit (each starts once its relation has all its
    rows; the last ones take about a minute at a million persons): the progress names that
    phase before publishing."""
    result = run("generate", "--persons", "200", "--format", "parquet",
                 "--out", str(tmp_path / "leo"))
    assert result.returncode == 0, result.stderr
    phases = [line.split(":")[1].strip().split(" (")[0]
              for line in result.stderr.splitlines()[1:]
              if not re.match(r"leo-synth: \d/1 blocks \(", line)]
    assert phases == ["committing", "finishing the relations' Parquet files",
                      "publishing the output"], result.stderr


def test_tables_lists_relations_with_grain() -> None:
    result = run("tables")
    assert result.returncode == 0
    assert "leo_i2.leo_employment" in result.stdout and "one row per employment spell" in \
        result.stdout


def test_tables_name_describes_one_relation(catalog) -> None:
    census = next(rel for rel in catalog.relations(2) if rel.name == "spring_census_2011")
    result = run("tables", "Spring_Census_2011")  # any case, as SQL in the SRS
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "npd_i2.spring_census_2011" and "  years:        2010/11" in lines
    assert f"{len(census.columns)} columns:" in lines
    for column in census.columns:  # one line each: name, type, years, description
        line = next(line for line in lines if line.startswith(column.name + " "))
        assert "2010/11" in line and column.spec.description.split()[0] in line, line
    employment = run("tables", "leo_employment").stdout
    assert "EduKey" in employment and "varchar(14) not null" in employment


@pytest.mark.parametrize("name, fragment", [
    ("leo_employmnt", "did you mean 'leo_employment'"),
    ("school_census", "is a table of"),
])
def test_tables_name_unknown_or_ambiguous(name: str, fragment: str) -> None:
    assert_one_line_error(run("tables", name), fragment)


@pytest.mark.parametrize("args,fragments", [
    (["generate", "--persons", "-5"], ["persons must be between 1 and 50,000,000", "-5"]),
    (["generate", "--persons", "1000000000000"], ["persons must be between"]),
    # Click's own wording varies between versions: check the essentials only.
    (["generate", "--persons", "ten"], ["--persons", "ten"]),
    (["generate", "--frobnicate"], ["No such option", "--frobnicate"]),
    (["generate", "--workers", "0"], ["workers must be between 1 and 64"]),
    (["generate", "--format", "xlsx"], ["--format", "xlsx"]),
    (["generate", "--srs-project", "abc"], ["bad SRS project 'abc'", "digits"]),
    (["frobnicate"], ["No such command", "frobnicate"]),
])
def test_bad_options_give_one_line(tmp_path: Path, args: list[str], fragments: list[str]) -> None:
    result = run(*args, "--out", str(tmp_path / "x.sqlite")) if args[0] == "generate" else \
        run(*args)
    assert_one_line_error(result, *fragments)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name,fmt,made", [("leo.parquet", "parquet", "_manifest.json"),
                                            ("leo.duckdb", "duckdb", "NPD_i2.duckdb")])
def test_an_out_named_for_a_format_is_written_in_it(tmp_path: Path, name: str, fmt: str,
                                                    made: str) -> None:
    """`--out leo.parquet` with no --format wrote a SQLite file so named (the default
    format), which no Parquet reader opens; a --format against the name is refused."""
    request = str(ROOT / "examples" / "request.yaml")
    result = run("generate", "--persons", "100", "--request", request,
                 "--out", str(tmp_path / name))
    assert result.returncode == 0, result.stderr
    assert f"({fmt})" in result.stdout.splitlines()[-1]
    assert (tmp_path / name / made).is_file()
    refused = run("generate", "--persons", "100", "--request", request, "--format", "sqlite",
                  "--out", str(tmp_path / f"other{Path(name).suffix}"))
    assert_one_line_error(refused, f"names a {fmt} output but format is sqlite",
                          f"use --format {fmt}")
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_a_config_files_out_names_its_format_unless_it_says_one(tmp_path: Path) -> None:
    from leo_synth.config import load_config

    config = tmp_path / "run.yaml"
    config.write_text("out: leo.duckdb\n")
    assert load_config(config).format == "duckdb"
    config.write_text("out: leo_files\nformat: csv\n")
    assert load_config(config).format == "csv"
    config.write_text("out: leo.duckdb\nformat: parquet\n")
    with pytest.raises(LeoSynthError, match="names a duckdb output but format is parquet"):
        load_config(config)


def test_bad_config_value_and_unknown_setting(tmp_path: Path) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text("persons: lots\nout: x.sqlite\n")
    assert_one_line_error(run("generate", "--config", str(config)),
                          "persons must be a whole number, got 'lots'")
    config.write_text("persns: 10\n")
    assert_one_line_error(run("generate", "--config", str(config)),
                          "unknown setting 'persns' (did you mean 'persons'?)")


def test_unwritable_output_path(tmp_path: Path) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    result = run("generate", "--persons", "300", "--out", str(blocker / "leo.sqlite"))
    assert_one_line_error(result, "is not a directory")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file"]


def test_existing_output_needs_replace(tmp_path: Path) -> None:
    out = tmp_path / "leo.sqlite"
    out.write_bytes(b"previous output")
    result = run("generate", "--persons", "300", "--out", str(out))  # the default: fail
    assert_one_line_error(result, "already exists; use --if-exists replace")
    assert out.read_bytes() == b"previous output" and not leftovers(tmp_path)


def test_unreachable_postgres() -> None:
    result = run("generate", "--persons", "300", "--format", "postgres",
                 "--out", "postgresql://nobody:secret@127.0.0.1:1/nowhere")
    assert_one_line_error(result, "cannot connect to PostgreSQL at "
                                  "postgresql://nobody:***@127.0.0.1:1/nowhere")
    assert "secret" not in result.stderr


@pytest.mark.postgres
def test_wrong_postgres_password(pg_url: str) -> None:
    parts = urlsplit(pg_url)
    url = urlunsplit(parts._replace(
        netloc=f"{parts.username}:wrong-password@{parts.hostname}:{parts.port}"))
    assert url != pg_url
    result = run("generate", "--persons", "300", "--format", "postgres", "--out", url)
    assert_one_line_error(result, "password authentication failed")
    assert "wrong-password" not in result.stderr


def test_validate_reports_every_problem(tmp_path: Path) -> None:
    spec = tmp_path / "broken.yaml"
    spec.write_text("""
family: broken
database: leo_i2
tables:
  - name: broken_table
    description: x
    grain: y
    calendar: none
    builder: linkage.pmr_lookup
    columns:
      - {name: A, type: varchr(3), description: a, fill: pmr}
      - {name: B, type: int, description: b, fill: nothing, references: nope.C}
""")
    result = run("validate", str(spec))
    assert result.returncode == 2
    assert "column A: unknown type 'varchr'" in result.stderr
    assert "dangling reference 'nope.C'" in result.stderr
    good = run("validate", "config/default.yaml", "schemas/hmrc/leo_earnings.yaml")
    assert good.returncode == 0 and good.stdout.count(": ok") == 2, good.stderr


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _interrupt(args: list[str], after: float) -> subprocess.CompletedProcess:
    process = subprocess.Popen([LEO, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, cwd=ROOT)
    time.sleep(after)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    return subprocess.CompletedProcess(args, process.returncode, stdout, stderr)


def test_ctrl_c_leaves_previous_output_intact(tmp_path: Path) -> None:
    out = tmp_path / "leo.sqlite"
    first = run("generate", "--persons", "300", "--out", str(out))
    assert first.returncode == 0
    before = _digest(out)
    result = _interrupt(["generate", "--persons", "200000", "--out", str(out), "--if-exists",
                         "replace", "--quiet"], after=3.0)
    assert result.returncode == 130, result.stderr
    assert "interrupted" in result.stderr and "Traceback" not in result.stderr
    assert _digest(out) == before
    assert not leftovers(tmp_path)


@pytest.mark.postgres
def test_ctrl_c_rolls_back_postgres(pg_url: str) -> None:
    assert run("generate", "--persons", "300", "--seed", "5", "--format", "postgres", "--out",
               pg_url, "--if-exists", "replace", "--quiet").returncode == 0
    with psycopg.connect(pg_url) as conn:
        before = conn.execute("select manifest::text from leo_synth.manifest").fetchone()[0]
    result = _interrupt(["generate", "--persons", "200000", "--format", "postgres", "--out",
                         pg_url, "--if-exists", "replace", "--quiet"], after=3.0)
    assert result.returncode == 130, result.stderr
    with psycopg.connect(pg_url) as conn:
        after = conn.execute("select manifest::text from leo_synth.manifest").fetchone()[0]
        staging = conn.execute("select count(*) from pg_namespace where nspname like "
                               "'%leo_synth_staging'").fetchone()[0]
    assert after == before and staging == 0


def test_demo_config_answers_the_example_queries(tmp_path: Path) -> None:
    out = tmp_path / "demo.sqlite"
    result = run("generate", "--config", "config/default.yaml", "--out", str(out), "--quiet")
    assert result.returncode == 0, result.stderr
    sql = (ROOT / "examples" / "two_hop_join.sql").read_text()
    with sqlite3.connect(out) as conn:
        rows = conn.execute(sql).fetchall()
    assert len(rows) == 3 and all(r[1] > 0 and r[3] > 0 and r[4] > 0 for r in rows), rows
    query = run("query", str(out), "@examples/two_hop_join.sql")
    assert query.returncode == 0 and "employment_spells" in query.stdout
    # The graduate-earnings example: ten deciles of positive, increasing earnings.
    with sqlite3.connect(out) as conn:
        deciles = conn.execute((ROOT / "examples" / "graduate_earnings.sql").read_text()
                               ).fetchall()
    assert [d[0] for d in deciles] == list(range(1, 11)), deciles
    bounds = [b for d in deciles for b in d[2:]]
    assert bounds[0] > 0 and bounds == sorted(bounds), deciles



def test_the_command_line_defaults_to_a_worker_per_core_and_the_api_to_one(
        tmp_path: Path) -> None:
    """Without a run config, or with one that does not set ``workers``, the command line
    runs ``auto``; the API's defaults keep one worker; a config's own setting wins."""
    from leo_synth.cli import COMMAND_DEFAULTS
    from leo_synth.config import load_config

    silent = tmp_path / "silent.yaml"
    silent.write_text("persons: 300\n")
    explicit = tmp_path / "explicit.yaml"
    explicit.write_text("workers: 3\n")
    assert load_config(None, COMMAND_DEFAULTS).workers == "auto"
    assert load_config(silent, COMMAND_DEFAULTS).workers == "auto"
    assert load_config(silent, COMMAND_DEFAULTS).persons == 300
    assert load_config(explicit, COMMAND_DEFAULTS).workers == 3
    assert load_config(None).workers == 1
    assert load_config(silent).workers == 1
