"""PostgreSQL faults: replacing over what leo-synth did not make, a backend terminated while
loading or publishing, and a second run at the same time. Each ends in one line on stderr and
exit 2, leaves the previous output and every user object as they were, and leaves no staging
schema behind.

Every test gets a fresh database (``<test database>_faults``) and loads small narrowed runs
(a variable request of one or two tables) so that it costs a few seconds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from conftest import ROOT
from postgres_server import create_database, drop_database
from test_cli import LEO, assert_one_line_error

from leo_synth.config import RunConfig
from leo_synth.engine.generate import generate
from leo_synth.request import request_selector

pytestmark = pytest.mark.postgres

EMPLOYMENT = "tables:\n  leo_employment: default\n"
EMPLOYMENT_AND_HESA = "tables:\n  leo_employment: default\n  hesa: default\n"


@pytest.fixture
def fresh_url(pg_url: str) -> Iterator[str]:
    """A URL to an empty database of its own (made for each test, dropped after it)."""
    name = urlsplit(pg_url).path.lstrip("/") + "_faults"
    yield create_database(pg_url, name)
    drop_database(pg_url, name)


def _request(tmp_path: Path, text: str) -> Path:
    path = tmp_path / f"request_{abs(hash(text))}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _load(url: str, catalog, request: Path, seed: int = 1) -> None:
    config = RunConfig(persons=200, seed=seed, block_size=100, format="postgres", out=url,
                       if_exists="replace")
    generate(config, catalog, select=request_selector(request, catalog))


def _cli(url: str, request: Path, *extra: str, env: dict[str, str] | None = None
         ) -> subprocess.Popen:
    args = [LEO, "generate", "--persons", "200", "--block-size", "100", "--format", "postgres",
            "--out", url, "--request", str(request), "--quiet", *extra]
    return subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, **(env or {})})


def _finish(process: subprocess.Popen) -> subprocess.CompletedProcess:
    out, err = process.communicate(timeout=300)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def _state(url: str) -> dict[str, object]:
    """What a test compares before and after: schemas, tables, manifest seed, row counts."""
    with psycopg.connect(url) as conn:
        schemas = sorted(r[0] for r in conn.execute(
            "select nspname from pg_namespace where nspname not like 'pg\\_%' "
            "and nspname <> 'information_schema'"))
        tables = sorted(f"{s}.{t}" for s, t in conn.execute(
            "select schemaname, tablename from pg_tables where schemaname not like 'pg\\_%' "
            "and schemaname <> 'information_schema'"))
        manifest = [r[0] for r in conn.execute(
            "select row_to_json(m)::text from leo_synth.manifest m")
        ] if "leo_synth.manifest" in tables else None
        counts = {name: conn.execute(f"select count(*) from {name}").fetchone()[0]
                  for name in tables}
    return {"schemas": schemas, "tables": tables, "manifest": manifest, "counts": counts}


def _seed(url: str) -> str:
    with psycopg.connect(url) as conn:
        return conn.execute("select manifest->'leo_synth'->>'seed' from leo_synth.manifest"
                            ).fetchone()[0]


def _sql(url: str, statements: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(statements)


def test_replace_refuses_user_objects_in_and_on_leo_schemas(fresh_url, catalog, tmp_path):
    request = _request(tmp_path, EMPLOYMENT)
    _load(fresh_url, catalog, request)
    _sql(fresh_url, "create table leo_i2.my_notes(a int); insert into leo_i2.my_notes values (7);"
                    "create view public.v as select edukey from leo_i2.leo_employment;"
                    "create schema theirs;"
                    "create view theirs.w as select * from leo_i2.leo_employment")
    before = _state(fresh_url)
    result = _finish(_cli(fresh_url, request, "--seed", "9", "--if-exists", "replace"))
    assert_one_line_error(result, "leo_i2.my_notes", "public.v", "theirs.w",
                          "not make")
    assert _state(fresh_url) == before
    _sql(fresh_url, "drop table leo_i2.my_notes")
    result = _finish(_cli(fresh_url, request, "--seed", "9", "--if-exists", "replace"))
    assert_one_line_error(result, "public.v", "theirs.w")
    assert "my_notes" not in result.stderr
    _sql(fresh_url, "drop view public.v; drop schema theirs cascade")
    result = _finish(_cli(fresh_url, request, "--seed", "9", "--if-exists", "replace"))
    assert result.returncode == 0, result.stderr
    assert _seed(fresh_url) == "9"


def test_user_schemas_named_like_leo_synth_ones_are_never_touched(fresh_url, catalog, tmp_path):
    """A user's staging-named schema, leo_i2 schema or leo_synth.manifest table: refused,
    with or without --if-exists replace, their rows kept."""
    request = _request(tmp_path, EMPLOYMENT)
    _sql(fresh_url, "create schema leo_i2__leo_synth_staging;"
                    "create table leo_i2__leo_synth_staging.t(a int);"
                    "insert into leo_i2__leo_synth_staging.t values (1);"
                    "create schema leo_synth; create table leo_synth.manifest(note text);"
                    "insert into leo_synth.manifest values ('mine')")
    before = _state(fresh_url)
    for extra in ([], ["--if-exists", "replace"]):
        result = _finish(_cli(fresh_url, request, *extra))
        assert_one_line_error(result, "leo_i2__leo_synth_staging", "leo_synth")
        assert _state(fresh_url) == before
    _sql(fresh_url, "drop schema leo_i2__leo_synth_staging cascade; drop schema leo_synth "
                    "cascade; create schema leo_i2; create table leo_i2.x(a int)")
    result = _finish(_cli(fresh_url, request, "--if-exists", "replace"))
    assert_one_line_error(result, "schema leo_i2 was not made by leo-synth")
    assert _state(fresh_url)["tables"] == ["leo_i2.x"]


def test_a_narrowed_run_replaces_the_whole_previous_run(fresh_url, catalog, tmp_path):
    """The relations of the wider earlier run do not stay beside the new ones."""
    _load(fresh_url, catalog, _request(tmp_path, EMPLOYMENT_AND_HESA))
    assert "hesa_i2" in _state(fresh_url)["schemas"]
    _load(fresh_url, catalog, _request(tmp_path, EMPLOYMENT), seed=3)
    state = _state(fresh_url)
    assert "hesa_i2" not in state["schemas"]
    with psycopg.connect(fresh_url) as conn:
        manifest = conn.execute("select manifest from leo_synth.manifest").fetchone()[0]
    written = {name.lower() for name in manifest["relations"]}
    assert {t.split(".")[1] for t in state["tables"] if not t.startswith("leo_synth.")} \
        == written


@pytest.mark.parametrize("point", ["postgres-load", "postgres-index", "postgres-publish"])
def test_backend_terminated_mid_run(fresh_url, catalog, tmp_path, point):
    request = _request(tmp_path, EMPLOYMENT)
    _load(fresh_url, catalog, request)
    before = _state(fresh_url)
    flag = tmp_path / "paused"
    process = _cli(fresh_url, request, "--seed", "9", "--if-exists", "replace",
                   env={"LEO_SYNTH_PAUSE_AT": point, "LEO_SYNTH_PAUSE_FILE": str(flag)})
    try:
        _wait_for(flag, process)
        with psycopg.connect(fresh_url, autocommit=True) as conn:
            terminated = conn.execute(
                "select count(*) filter (where pg_terminate_backend(pid)) from pg_stat_activity "
                "where application_name = 'leo-synth' and datname = current_database()"
            ).fetchone()[0]
        assert terminated == 1
    finally:
        flag.unlink(missing_ok=True)
    result = _finish(process)
    assert_one_line_error(result, "lost the PostgreSQL connection", "unchanged")
    assert _state(fresh_url) == before
    rerun = _finish(_cli(fresh_url, request, "--seed", "9", "--if-exists", "replace"))
    assert rerun.returncode == 0, rerun.stderr
    assert _seed(fresh_url) == "9"
    state = _state(fresh_url)
    assert not [s for s in state["schemas"] if s.endswith("__leo_synth_staging")]


def test_ctrl_c_while_keying_leaves_the_previous_run(fresh_url, catalog, tmp_path):
    """SIGINT while the server makes a relation's keys (a script sent, its answer unread):
    exit 130 in one line, the previous run as it was, no staging schema."""
    request = _request(tmp_path, EMPLOYMENT)
    _load(fresh_url, catalog, request)
    before = _state(fresh_url)
    flag = tmp_path / "paused"
    process = _cli(fresh_url, request, "--seed", "9", "--if-exists", "replace",
                   env={"LEO_SYNTH_PAUSE_AT": "postgres-index",
                        "LEO_SYNTH_PAUSE_FILE": str(flag)})
    try:
        _wait_for(flag, process)
        process.send_signal(signal.SIGINT)
        result = _finish(process)
    finally:
        flag.unlink(missing_ok=True)
    assert result.returncode == 130, result.stderr
    assert "interrupted" in result.stderr and "Traceback" not in result.stderr
    assert _state(fresh_url) == before


def test_a_second_run_into_the_same_database_fails_at_once(fresh_url, catalog, tmp_path):
    request = _request(tmp_path, EMPLOYMENT)
    flag = tmp_path / "paused"
    first = _cli(fresh_url, request, "--seed", "1", env={"LEO_SYNTH_PAUSE_AT": "postgres-load",
                                          "LEO_SYNTH_PAUSE_FILE": str(flag)})
    try:
        _wait_for(flag, first)
        second = _finish(_cli(fresh_url, request, "--seed", "5", "--if-exists", "replace"))
        assert_one_line_error(second, "another leo-synth run is writing")
    finally:
        flag.unlink(missing_ok=True)
    assert _finish(first).returncode == 0
    assert _seed(fresh_url) == "1"


def _wait_for(flag: Path, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not flag.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the run never reached its pause point"
        time.sleep(0.05)


def test_missing_rights_are_reported_before_the_run(fresh_url, tmp_path):
    """A role that may not create schemas is told so at once, in one line."""
    name = urlsplit(fresh_url).path.lstrip("/")
    _sql(fresh_url, f'REVOKE CREATE ON DATABASE "{name}" FROM PUBLIC, CURRENT_USER')
    result = _finish(_cli(fresh_url, _request(tmp_path, EMPLOYMENT), "--persons", "50000"))
    assert_one_line_error(result, "permission denied for database", "grant it CREATE")
    assert "generating" not in result.stderr  # refused before any block was simulated
