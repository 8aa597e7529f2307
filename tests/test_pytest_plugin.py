"""The pytest plugin (``leo_synth.pytest_plugin``), run in real pytest sessions (pytester): its
fixtures hold the extract the ini file asks for, a second session reuses the cached files,
other settings get other files, and PostgreSQL is used only when a server is named."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

import duckdb  # noqa: F401  imported here, before any in-process session: pytester drops
import psycopg  # modules a session imported, and DuckDB's native module cannot load twice
import pytest
from postgres_server import create_database, drop_database

USER_TESTS = '''
import json, sqlite3

def test_sqlite(leo_sqlite):
    with sqlite3.connect(leo_sqlite) as con:
        manifest = json.loads(con.execute("select manifest from _leo_synth_manifest").fetchone()[0])
        assert con.execute("select count(*) from leo_employment").fetchone()[0] > 0
        tables = {row[0] for row in con.execute("select name from sqlite_master")}
        assert "learner_ae_id_to_edukey_lookup" in tables and "lars" not in tables  # the request
    print("SETTINGS", manifest["leo_synth"]["persons"], manifest["leo_synth"]["seed"])

def test_duckdb(leo_duckdb, leo_sqlite):
    with sqlite3.connect(leo_sqlite) as con:
        want = con.execute("select count(*) from leo_employment").fetchone()[0]
    assert leo_duckdb.execute("select count(*) from leo_i2.leo_employment").fetchone()[0] == want
    assert leo_duckdb.execute("select count(*) from LEO_EMPLOYMENT").fetchone()[0] == want

def test_postgres(leo_postgres_url):
    print("URL", leo_postgres_url)
'''


def _project(pytester: pytest.Pytester, seed: int = 3, persons: str = "120", extra: str = ""
             ) -> None:
    """A project whose ini asks for a small extract of employment and the lookups (a request
    keeps the sessions quick: few relations to write)."""
    pytester.makefile(".yaml", request="tables:\n  leo_employment: all\n")
    pytester.makeini(f"[pytest]\nleo_synth_persons = {persons}\nleo_synth_seed = {seed}\n"
                     f"leo_synth_request = request.yaml\nleo_synth_cache_dir = cache\n{extra}")
    pytester.makepyfile(test_user=USER_TESTS)


def _cached(pytester: pytest.Pytester) -> dict[str, tuple[int, int]]:
    """Each cached extract's identity (inode, mtime): unchanged when a session reuses it."""
    return {str(p.relative_to(pytester.path)): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in (pytester.path / "cache").glob("*/leo*")}


def test_fixtures_hold_the_ini_extract_and_a_second_session_reuses_it(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LEO_SYNTH_POSTGRES_URL", raising=False)
    _project(pytester)
    first = pytester.runpytest("-s", "-rs")
    first.assert_outcomes(passed=2, skipped=1)
    first.stdout.fnmatch_lines(["*SETTINGS 120 3*", "*leo_postgres_url needs a PostgreSQL*"])
    cached = _cached(pytester)
    assert sorted(Path(p).name for p in cached) == ["leo.sqlite", "leo_parquet"]

    second = pytester.runpytest("-s")
    second.assert_outcomes(passed=2, skipped=1)
    assert _cached(pytester) == cached  # the same files, not generated again

    _project(pytester, seed=4)
    third = pytester.runpytest("-s", "-k", "sqlite")
    third.assert_outcomes(passed=1)
    third.stdout.fnmatch_lines(["*SETTINGS 120 4*"])
    assert len(_cached(pytester)) == 3 and set(cached) < set(_cached(pytester))


WRITING_TESTS = '''
import sqlite3

def names(con):
    return {row[0] for row in con.execute("select name from sqlite_master")}

def test_writes_its_own_copy(leo_sqlite):
    with sqlite3.connect(leo_sqlite) as con:
        assert "pipeline_output" not in names(con)
        con.execute("create table pipeline_output as select * from leo_employment")

def test_writes_the_cached_file(leo_synth_cache):
    with sqlite3.connect(leo_synth_cache.sqlite()) as con:
        assert "scribble" not in names(con)
        con.execute("create table scribble (x int)")
'''


def test_a_test_may_write_to_leo_sqlite_and_a_changed_cache_is_made_again(
        pytester: pytest.Pytester) -> None:
    """leo_sqlite is the session's copy: writing to it leaves the cache as made. Writing to
    the cached file itself is noticed by the next session, which makes the extract again (each
    session's assertions fail if it sees the previous session's tables)."""
    _project(pytester)
    pytester.makepyfile(test_user=WRITING_TESTS)
    pytester.runpytest("-k", "own_copy").assert_outcomes(passed=1)
    cached = _cached(pytester)
    pytester.runpytest("-k", "own_copy").assert_outcomes(passed=1)
    assert _cached(pytester) == cached  # the cache untouched by the copy's table
    pytester.runpytest("-k", "cached_file").assert_outcomes(passed=1)
    again = pytester.runpytest("-k", "cached_file", "-W", "always")
    again.assert_outcomes(passed=1, warnings=1)  # made again: no scribble, and a warning
    again.stdout.fnmatch_lines(["*the cached extract*has changed since it was made*"])


def test_bad_ini_value_is_a_usage_error(pytester: pytest.Pytester) -> None:
    _project(pytester, persons="many")
    result = pytester.runpytest("-k", "sqlite")
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*leo_synth_persons must be a whole number, got 'many'*"])


def test_unreachable_postgres_skips_with_the_reason(pytester: pytest.Pytester) -> None:
    _project(pytester, extra="leo_synth_postgres_url = "
                             "postgresql://nobody:secret@127.0.0.1:1/none\n")
    result = pytester.runpytest("-rs", "-k", "postgres")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*no PostgreSQL server at postgresql://nobody:***@127.0.0.1:1*"])
    assert "secret" not in result.stdout.str()


@pytest.mark.postgres
def test_postgres_is_loaded_once_and_reused(pytester: pytest.Pytester, pg_url: str) -> None:
    """In a database of its own (the suite's other tests use pg_url's)."""
    name = f"{urlsplit(pg_url).path.lstrip('/')}_plugin"
    try:
        url = create_database(pg_url, name)
    except psycopg.errors.InsufficientPrivilege as exc:
        pytest.skip(f"the test role cannot create a database of its own: {exc}")
    try:
        _project(pytester, extra=f"leo_synth_postgres_url = {url}\n")

        def employment_oid() -> int:
            with psycopg.connect(url) as con:
                return con.execute("select 'leo_i2.leo_employment'::regclass::oid").fetchone()[0]

        pytester.runpytest("-k", "postgres").assert_outcomes(passed=1)
        loaded = employment_oid()
        pytester.runpytest("-k", "postgres").assert_outcomes(passed=1)
        assert employment_oid() == loaded  # not loaded again
        with sqlite3.connect(next((pytester.path / "cache").glob("*/leo.sqlite"))) as lite, \
                psycopg.connect(url) as pg:
            want = lite.execute("select count(*) from leo_employment").fetchone()[0]
            assert pg.execute("select count(*) from leo_i2.leo_employment").fetchone()[0] == want
    finally:
        drop_database(pg_url, name)
