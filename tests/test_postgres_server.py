"""The suite's own PostgreSQL helpers: a test's scratch database is dropped whatever it left."""

from __future__ import annotations

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
