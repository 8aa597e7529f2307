"""Shared fixtures: the catalog, small generated extracts in every backend, PostgreSQL."""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from postgres_server import create_database, drop_database, ensure_server

from leo_synth.config import RunConfig
from leo_synth.engine.generate import RunSummary, generate, load_checked_catalog
from leo_synth.engine.keys import KeyMaker
from leo_synth.readers import postgres_manifest, read_manifest
from leo_synth.simulation.context import BlockContext
from leo_synth.simulation.life import LifeCourse, simulate_block
from leo_synth.simulation.parameters import load_parameters
from leo_synth.simulation.pools import build_pools
from leo_synth.spec.model import Catalog, Relation

ROOT = Path(__file__).resolve().parents[1]
pytest_plugins = ["pytester"]  # tests/test_pytest_plugin.py runs pytest sessions

SMALL = RunConfig(persons=1000, seed=7, block_size=500, workers=1, if_exists="replace")
"""Small run used across the suite: two blocks, so block boundaries are exercised."""


def simulated_block(catalog: Catalog, seed: int, persons: int) -> LifeCourse:
    """The life courses of a run of ``persons`` persons in one block, default parameters."""
    params = load_parameters(None)
    return simulate_block(BlockContext(seed, 0, 0, persons, params,
                                       build_pools(seed, persons, params),
                                       KeyMaker(catalog.keyspaces, seed)))


def one_per_builder(relations: list[Relation]) -> list[Relation]:
    """A relation of every builder (the run-level ones included): every kind of relation at a
    fraction of the whole catalogue's cost (a ``select`` for ``generate``)."""
    seen: dict[str, Relation] = {}
    for rel in relations:
        seen.setdefault(rel.table.builder, rel)
    return list(seen.values())


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_checked_catalog()


def _server_once(tmp_path_factory: pytest.TempPathFactory) -> tuple[str | None, str]:
    """:func:`ensure_server`, found (or started, its database made afresh) by the first
    pytest-xdist worker that asks and read from a file by the others: each call makes the
    suite's database again, which must not happen under a worker already using it."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        return ensure_server()
    shared = tmp_path_factory.getbasetemp().parent  # (the session's, shared by its workers)
    with open(shared / "postgres.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        found = shared / "postgres.json"
        if not found.exists():
            found.write_text(json.dumps(ensure_server()))
        url, why = json.loads(found.read_text())
        return url, why


@pytest.fixture(scope="session")
def pg_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A reachable PostgreSQL URL; skipped (outside CI only) when none can be had.

    Under pytest-xdist (``make test``), each worker has a database of its own, made afresh
    and dropped at the end: the tests load, replace and drop runs in their database, and
    those of two workers would meet in a shared one."""
    url, why = _server_once(tmp_path_factory)
    if url is None:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required under CI: {why}")
        pytest.skip(f"no PostgreSQL server: {why}")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        yield url
        return
    import psycopg

    name = f"{urlsplit(url).path.lstrip('/')}_{worker}"
    try:
        own = create_database(url, name)
    except psycopg.errors.InsufficientPrivilege as exc:
        pytest.fail(f"tests on several workers need a role that may create databases: {exc} "
                    "(grant it CREATEDB, or run pytest without -n)")
    yield own
    drop_database(url, name)


@pytest.fixture(scope="session")
def small_sqlite(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog
                 ) -> tuple[Path, RunSummary]:
    path = tmp_path_factory.mktemp("small") / "leo.sqlite"
    summary = generate(SMALL.with_overrides(out=str(path), format="sqlite"), catalog)
    return path, summary


def one(db: sqlite3.Connection, sql: str) -> tuple:
    """The first row of a query (tests that query the small run as a researcher would)."""
    return db.execute(sql).fetchone()


@pytest.fixture(scope="session")
def small_sqlite_connection(small_sqlite: tuple[Path, RunSummary]
                            ) -> Iterator[sqlite3.Connection]:
    """A connection to the small SQLite run, for tests that query it as a researcher would."""
    connection = sqlite3.connect(small_sqlite[0])
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def small_parquet(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Path:
    path = tmp_path_factory.mktemp("small") / "leo_parquet"
    generate(SMALL.with_overrides(out=str(path), format="parquet"), catalog)
    return path


@pytest.fixture(scope="session")
def small_duckdb(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Path:
    path = tmp_path_factory.mktemp("small") / "leo_duckdb"
    generate(SMALL.with_overrides(out=str(path), format="duckdb"), catalog)
    return path


@pytest.fixture(scope="session")
def small_csv(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Path:
    path = tmp_path_factory.mktemp("small") / "leo_csv"
    generate(SMALL.with_overrides(out=str(path), format="csv"), catalog)
    return path


@pytest.fixture(scope="session")
def small_postgres(pg_url: str, catalog: Catalog) -> str:
    generate(SMALL.with_overrides(out=pg_url, format="postgres"), catalog)
    return pg_url


@pytest.fixture()
def small_postgres_loaded(small_postgres: str, small_sqlite: tuple[Path, RunSummary],
                          catalog: Catalog) -> str:
    """The suite's small run in PostgreSQL as a test finds it: other tests (test_cli) load
    other runs into the same database, so it is loaded again when its checksums differ."""
    import psycopg

    want = read_manifest(small_sqlite[0])["relations"]
    with psycopg.connect(small_postgres) as conn:
        have = postgres_manifest(conn)
    if have is None or have["relations"] != want:
        generate(SMALL.with_overrides(out=small_postgres, format="postgres"), catalog)
    return small_postgres


@pytest.fixture(scope="session")
def catalog_keys(catalog: Catalog):
    from leo_synth.engine.keys import KeyMaker

    return KeyMaker(catalog.keyspaces, 11)
