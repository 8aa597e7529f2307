"""A CSV extract loads, with its own DDL and load scripts, into PostgreSQL and SQLite with the
same content (checksums) as the other backends; its SQL Server DDL gives the SRS names."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from postgres_server import create_database, drop_database

from leo_synth.readers import checksums, read_manifest, read_postgres, read_sqlite_relations
from leo_synth.spec.model import Relation
from leo_synth.writers.schema_scripts import csv_file


def _manifest_checksums(path: Path) -> dict[str, str]:
    return {name: rel["checksum"] for name, rel in read_manifest(path)["relations"].items()}


def _tool(name: str) -> str:
    """A command-line client the load recipe uses (required under CI)."""
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is required under CI")
        pytest.skip(f"no {name} client")
    return found


def test_csv_folder_layout(small_sqlite, small_csv) -> None:
    db, summary = small_sqlite
    assert read_manifest(small_csv)["relations"] == read_manifest(db)["relations"]
    for rel in summary.relations:
        header = (small_csv / csv_file(rel)).open(encoding="utf-8").readline()
        assert header.rstrip("\n").split(",") == [f'"{c.name}"' for c in rel.columns]
    for name in ("README.txt", "schema_mssql.sql", "schema_postgresql.sql",
                 "schema_sqlite.sql", "load_mssql.sql", "load_postgresql.sql",
                 "load_sqlite.sql"):
        assert (small_csv / name).is_file(), name


def _empty_strings_as_null(relation: Relation, table: pa.Table) -> pa.Table:
    """What sqlite3's .import makes of a relation: it reads "" and an empty field alike, and
    load_sqlite.sql makes both NULL in nullable columns (the documented loss)."""
    for i, col in enumerate(relation.columns):
        values = table.column(i)
        if col.spec.nullable and col.spec.type.kind == "string":
            values = pc.if_else(pc.equal(values, ""), pa.scalar(None, values.type), values)
            table = table.set_column(i, col.name, values)
    return table


def test_csv_loads_into_sqlite_with_the_same_content(small_sqlite, small_csv,
                                                     tmp_path: Path) -> None:
    db, summary = small_sqlite
    target = tmp_path / "from_csv.sqlite"
    result = subprocess.run([_tool("sqlite3"), str(target), ".read schema_sqlite.sql",
                             ".read load_sqlite.sql"], cwd=small_csv, capture_output=True,
                            text=True, timeout=300, check=False)
    assert result.returncode == 0 and not result.stderr, result.stderr
    read = checksums(read_sqlite_relations(target, summary.relations))
    written = list(read_sqlite_relations(db, summary.relations))
    nulled = [(rel, _empty_strings_as_null(rel, table)) for rel, table in written]
    expected = checksums(nulled)
    assert read == expected
    # Only relations holding empty strings differ from the manifest.
    changed = {name for name, digest in _manifest_checksums(small_csv).items()
               if expected[name] != digest}
    holding_empty = {rel.name for (rel, table), (_, null) in zip(written, nulled, strict=True)
                     if not null.equals(table)}
    assert changed <= holding_empty, changed - holding_empty


@pytest.mark.postgres
def test_csv_loads_into_postgres_with_the_same_content(small_sqlite, small_csv,
                                                       pg_url: str) -> None:
    _, summary = small_sqlite
    parts = urlsplit(pg_url)
    database = parts.path.lstrip("/") + "_csv"
    url = create_database(pg_url, database)
    try:
        result = subprocess.run([_tool("psql"), url, "-q", "-v", "ON_ERROR_STOP=1", "-f",
                                 "schema_postgresql.sql", "-f", "load_postgresql.sql"],
                                cwd=small_csv, capture_output=True, text=True, timeout=600,
                                check=False)
        assert result.returncode == 0, result.stderr
        read = checksums((rel, read_postgres(url, rel)) for rel in summary.relations)
        assert read == _manifest_checksums(small_csv)
        with psycopg.connect(url) as conn:  # the SRS project schema, as the writer makes it
            srs = conn.execute('SELECT COUNT(*) FROM "2002237".LEO_Earnings').fetchone()[0]
        assert srs == summary.rows["leo_earnings"]
    finally:
        drop_database(pg_url, database)


def test_mssql_ddl_gives_srs_three_part_names(small_sqlite, small_csv) -> None:
    _, summary = small_sqlite
    ddl = (small_csv / "schema_mssql.sql").read_text(encoding="utf-8")
    block = ddl.split("USE [LEO_i2];")[1].split("USE [")[0]
    assert "CREATE TABLE [2002237].[leo_employment] (" in block
    assert "[StartDate] DATE NOT NULL" in block or "[StartDate] DATE NULL" in block
    assert ("CONSTRAINT pk_learner_ae_id_to_pmr_lookup PRIMARY KEY "
            "([PUPILMATCHINGREFANONYMOUS])") in block
    assert "spring_census_2011" not in block  # NPD relations live in NPD_i2
    assert ddl.count("CREATE TABLE ") == len(summary.relations)
    load = (small_csv / "load_mssql.sql").read_text(encoding="utf-8")
    assert ("BULK INSERT [NPD_i2].[2002237].[spring_census_2011] FROM "
            "'$(csv_folder)\\spring_census_2011.csv'") in load
    assert load.count("\nBULK INSERT ") == len(summary.relations)


@pytest.mark.parametrize("fmt", ["csv", "duckdb"])
def test_folder_writers_abort_without_debris(catalog, tmp_path: Path, fmt: str) -> None:
    from leo_synth.spec.physical import arrow_schema
    from leo_synth.writers import Manifest, make_writer

    target = tmp_path / "out"
    target.mkdir()
    (target / "_manifest.json").write_text('{"leo_synth": {"previous": true}}')
    relations = [r for r in catalog.relations(2) if r.name in (
        "learner_ae_id_to_pmr_lookup", "spring_census_2011")]
    writer = make_writer(fmt, str(target), "replace")
    writer.check(relations)
    writer.open(relations, Manifest({"iteration": 2, "srs_project": "77"}))
    schema = arrow_schema(relations[0])
    batch = pa.record_batch([pa.array([9_000_000_000_000_000_001], pa.int64()),
                             pa.array(["SYN000000000000001"])], schema=schema)
    writer.write(relations[0], batch)
    assert any("leo-synth-tmp" in p.name for p in tmp_path.iterdir())  # built next to it
    writer.abort()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert [p.name for p in target.iterdir()] == ["_manifest.json"]
    assert "previous" in (target / "_manifest.json").read_text()
