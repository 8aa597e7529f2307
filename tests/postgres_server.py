"""Find or start a PostgreSQL server for the tests; print its URL when run as a script.

Order: ``LEO_SYNTH_TEST_PG`` (a URL) when set; otherwise the machine's Debian cluster
(``pg_lsclusters``), started if needed, with a test role and database created on it. Under
``CI`` a missing PostgreSQL is installed with apt-get when possible. Returns None (tests then
skip with a reason) only when no server can be had and ``CI`` is not set.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

ROLE = DATABASE = PASSWORD = "leo_synth_test"


def database_url(pg_url: str, name: str) -> str:
    """``pg_url`` pointed at database ``name`` on the same server."""
    return urlunsplit(urlsplit(pg_url)._replace(path=f"/{name}"))


def drop_database(pg_url: str, name: str) -> None:
    """Drop a test's own database, with any sessions the test left in it.

    Not ``WITH (FORCE)``: FORCE refuses outright when an autovacuum worker is in the database
    (a process of no role the test role belongs to), which happens whenever a test has just
    loaded and analysed tables. A plain DROP signals autovacuum and waits for it; the test's
    own sessions are terminated first (same role, so allowed), and a drop that still finds
    one (a backend not gone yet) is retried.
    """
    import psycopg  # the server finder itself runs without it

    with psycopg.connect(pg_url, autocommit=True) as conn:
        for attempt in range(20):
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE datname = %s AND pid <> pg_backend_pid() "
                         "AND usename = current_user", (name,))
            try:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                return
            except psycopg.errors.ObjectInUse:
                if attempt == 19:
                    raise
                time.sleep(0.5)


def create_database(pg_url: str, name: str) -> str:
    """A new empty database ``name`` (dropped first if a previous run left it); its URL."""
    import psycopg

    drop_database(pg_url, name)
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return database_url(pg_url, name)


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)


def _as_postgres(*args: str) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        for runner in (("runuser", "-u", "postgres", "--"), ("su", "postgres", "-c")):
            if shutil.which(runner[0]):
                if runner[0] == "su":
                    return _run(*runner, " ".join(args))
                return _run(*runner, *args)
    return _run("sudo", "-n", "-u", "postgres", *args)


def _install_postgres() -> None:
    if os.geteuid() == 0 and shutil.which("apt-get"):
        _run("apt-get", "update")
        _run("apt-get", "install", "-y", "--no-install-recommends", "postgresql")


def _cluster() -> tuple[str, str, int, str] | None:
    """(version, name, port, status) of the first Debian cluster, if any."""
    if not shutil.which("pg_lsclusters"):
        return None
    out = _run("pg_lsclusters", "--no-header").stdout.split("\n")
    for line in out:
        parts = line.split()
        if len(parts) >= 4:
            return parts[0], parts[1], int(parts[2]), parts[3]
    return None


def _psql(port: int, sql: str) -> subprocess.CompletedProcess:
    return _as_postgres("psql", "-p", str(port), "-v", "ON_ERROR_STOP=1", "-qAtc", sql)


def ensure_server() -> tuple[str | None, str]:
    """(URL or None, explanation)."""
    url = os.environ.get("LEO_SYNTH_TEST_PG")
    if url:
        return url, "using LEO_SYNTH_TEST_PG"
    cluster = _cluster()
    if cluster is None and os.environ.get("CI"):
        _install_postgres()
        cluster = _cluster()
    if cluster is None:
        return None, "no LEO_SYNTH_TEST_PG and no local PostgreSQL cluster (pg_lsclusters)"
    version, name, port, status = cluster
    if status != "online":
        started = _run("pg_ctlcluster", version, name, "start")
        if started.returncode != 0 and "already running" not in started.stderr:
            return None, f"could not start PostgreSQL {version}/{name}: {started.stderr.strip()}"
    exists = _psql(port, f"select 1 from pg_roles where rolname = '{ROLE}'")
    if exists.returncode != 0:
        return None, f"cannot run psql as postgres: {exists.stderr.strip()}"
    if exists.stdout.strip() != "1":
        made = _psql(port, f"create role {ROLE} login createdb password '{PASSWORD}'")
        if made.returncode != 0:
            return None, f"cannot create role: {made.stderr.strip()}"
    # The CSV test and the fault tests make databases of their own.
    _psql(port, f"alter role {ROLE} createdb")
    # A fresh database for every session: what an earlier session (or an older leo-synth)
    # left there must not decide what this one sees. It is the suite's own database.
    _psql(port, f"drop database if exists {DATABASE} with (force)")
    made = _psql(port, f"create database {DATABASE} owner {ROLE}")
    if made.returncode != 0:
        return None, f"cannot create database: {made.stderr.strip()}"
    return (f"postgresql://{ROLE}:{PASSWORD}@127.0.0.1:{port}/{DATABASE}",
            f"local cluster {version}/{name} on port {port}")


if __name__ == "__main__":
    found, why = ensure_server()
    if found is None:
        print(f"PostgreSQL: none ({why})", file=sys.stderr)
        sys.exit(1 if os.environ.get("CI") else 0)
    print(f"PostgreSQL: {why}", file=sys.stderr)
