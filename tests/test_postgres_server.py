"""The suite's own PostgreSQL helpers: a test's scratch database is dropped whatever it left."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import psycopg
import pytest
from postgres_server import create_database, drop_database

pytestmark = pytest.mark.postgres


def test_a_scratch_database_is_dropped_with_the_sessions_left_in_it(pg_url: str) -> None:
    name = urlsplit(pg_url).path.lstrip("/") + "_scratch"
    url = create_database(pg_url, name)
    left = psycopg.connect(url)  # a session a failed test did not close
    left.execute("CREATE TABLE t AS SELECT 1 AS x")
    drop_database(pg_url, name)
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM pg_database WHERE datname = %s",
                            (name,)).fetchone() == (0,)
    with pytest.raises(psycopg.OperationalError):  # the session was ended, not waited for
        left.execute("SELECT 1")
    left.close()


def test_a_test_worker_has_a_database_of_its_own(pg_url: str) -> None:
    """Under pytest-xdist (``make test``) each worker's ``pg_url`` is its own, new database,
    so that two workers' runs never meet; in one process, the suite's database."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    name = urlsplit(pg_url).path.lstrip("/")
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT current_database()").fetchone() == (name,)
    if worker is not None:
        assert name.endswith(f"_{worker}"), name
