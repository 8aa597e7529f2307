"""sys.databases, DB_ID and DB_NAME on every target (leo_synth/tsql/server_databases.py)."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_server_lists_its_databases_as_sql_server_does(
        backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    # the system databases first, numbered 1 to 4, then the SRS databases the output holds
    # (sys.databases stopped the script: "cannot be translated")
    listed = _rows(db, "SELECT name, database_id, state_desc FROM sys.databases "
                       "ORDER BY database_id")
    assert [row[:2] for row in listed[:4]] == [("master", 1), ("tempdb", 2), ("model", 3),
                                               ("msdb", 4)]
    srs = [name for name, _, _ in listed[4:]]
    assert {"NPD_i2", "LEO_i2", "HESA_i2"} <= set(srs) and not {"NPD", "LEO"} & set(srs)
    assert len({number for _, number, _ in listed}) == len(listed)
    assert {state for _, _, state in listed} == {"ONLINE"}
    # the same from any database, master's own view too; names are found whatever their case
    assert _rows(db, "SELECT COUNT(*) FROM master.sys.databases WHERE name LIKE '%_I2'") == [
        (len(srs),)]
    npd = dict((name, number) for name, number, _ in listed)["NPD_i2"]
    assert _rows(db, """SELECT DB_ID('npd_i2'), DB_NAME(DB_ID('LEO_i2')), DB_ID('nosuch'),
DB_NAME(1), DB_NAME(999)""") == [(npd, "LEO_i2", None, "master", None)]


def test_a_script_runs_in_master_until_it_uses_another_database(small_sqlite) -> None:
    # DB_NAME() was NULL before any USE; SQL Server's is never NULL
    db = str(small_sqlite[0])
    assert _rows(db, "SELECT DB_NAME(), DB_ID()") == [("master", 1)]
    [(leo,)] = _rows(db, "SELECT DB_ID('LEO_i2')")
    assert _rows(db, "USE [LEO_i2]\nSELECT DB_NAME(), DB_ID()") == [("LEO_i2", leo)]
    # USE master (it stopped the script: "unknown SRS database") shows every database's views
    # again, as before any USE
    every = _rows(db, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.VIEWS")
    assert _rows(db, """USE LEO_i2
USE master
SELECT DB_NAME(), COUNT(*) FROM INFORMATION_SCHEMA.VIEWS""") == [("master", every[0][0])]
