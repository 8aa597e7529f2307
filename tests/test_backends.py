"""SQLite, Parquet, PostgreSQL and DuckDB hold the same content for the same seed."""

from __future__ import annotations

import duckdb
import psycopg
import pytest
from click.testing import CliRunner

from leo_synth.cli import main
from leo_synth.errors import LeoSynthError
from leo_synth.readers import (
    checksums,
    read_duckdb,
    read_manifest,
    read_parquet,
    read_postgres,
    read_sqlite_relations,
)
from leo_synth.spec.physical import column_comment, index_columns, table_comment
from leo_synth.srs_address import SrsNaming
from leo_synth.writers.base import Manifest
from leo_synth.writers.duckdb import connect_extract
from leo_synth.writers.postgres import PostgresWriter
from leo_synth.writers.postgres_srs import create_project_schema


def _manifest_checksums(db) -> dict[str, str]:
    return {name: rel["checksum"] for name, rel in read_manifest(db)["relations"].items()}


def test_sqlite_content_matches_the_manifest(small_sqlite) -> None:
    db, summary = small_sqlite
    read = checksums(read_sqlite_relations(db, summary.relations))
    assert read == _manifest_checksums(db)


def test_parquet_matches_sqlite(small_sqlite, small_parquet) -> None:
    db, summary = small_sqlite
    read = checksums((rel, read_parquet(small_parquet, rel)) for rel in summary.relations)
    assert read == _manifest_checksums(db)


def test_duckdb_matches_sqlite(small_sqlite, small_duckdb) -> None:
    db, summary = small_sqlite
    with connect_extract(small_duckdb) as conn:
        read = checksums((rel, read_duckdb(small_duckdb, rel, conn))
                         for rel in summary.relations)
    assert read == _manifest_checksums(db)
    assert read_manifest(small_duckdb)["relations"] == read_manifest(db)["relations"]


def test_duckdb_has_srs_catalogs_keys_and_types(small_sqlite, small_duckdb) -> None:
    _, summary = small_sqlite
    naming = SrsNaming(2, "2002237")
    conn = connect_extract(small_duckdb)
    catalogs = {r[0] for r in conn.execute("select database_name from duckdb_databases()")
                .fetchall()}
    assert {"LEO_i2", "NPD_i2", "LILR_i2", "HESA_i2", "UCAS_i2"} <= catalogs
    # Three-part SRS names, in any case, and bare names through the search path.
    three_part = conn.execute('SELECT COUNT(*) FROM leo_i2."2002237".LEARNER_AE_ID_TO_EDUKEY_LOOKUP'
                              ).fetchone()[0]
    bare = conn.execute("SELECT COUNT(*) FROM learner_ae_id_to_edukey_lookup").fetchone()[0]
    assert three_part == bare == summary.rows["learner_ae_id_to_edukey_lookup"] > 0
    # A relation asked for in the wrong database fails, as in the SRS.
    with pytest.raises(duckdb.CatalogException):
        conn.execute('SELECT 1 FROM NPD_i2."2002237".learner_ae_id_to_edukey_lookup')
    rel = next(r for r in summary.relations if r.name == "leo_employment")
    database, project, name = naming.parts(rel)
    types = dict(conn.execute("select column_name, data_type from duckdb_columns() "
                              "where database_name = ? and schema_name = ? and table_name = ?",
                              [database, project, name]).fetchall())
    assert types == {c.name: _duckdb_type(c.spec.type) for c in rel.columns}
    keyed = conn.execute("select count(*) from duckdb_constraints() where constraint_type = "
                         "'PRIMARY KEY' and database_name = 'LEO_i2'").fetchone()[0]
    assert keyed >= 3
    conn.close()


def _duckdb_type(sql_type) -> str:
    """The DuckDB type a spec type should get (strings lose their length in DuckDB)."""
    kind = sql_type.kind
    if kind == "string":
        return "VARCHAR"
    if kind == "integer":
        return {8: "SMALLINT", 16: "SMALLINT", 32: "INTEGER", 64: "BIGINT"}[
            sql_type.integer_bits]
    if kind == "decimal":
        return f"DECIMAL({sql_type.precision},{sql_type.scale})"
    return {"float": "DOUBLE", "date": "DATE", "datetime": "TIMESTAMP"}[kind]


@pytest.mark.postgres
def test_postgres_matches_sqlite(small_sqlite, small_postgres) -> None:
    db, summary = small_sqlite
    read = checksums((rel, read_postgres(small_postgres, rel)) for rel in summary.relations)
    assert read == _manifest_checksums(db)


@pytest.mark.postgres
def test_postgres_has_schemas_keys_and_case_insensitive_names(small_sqlite, small_postgres):
    _, _summary = small_sqlite
    with psycopg.connect(small_postgres) as conn:
        schemas = {r[0] for r in conn.execute("select nspname from pg_namespace")}
        assert {"leo_i2", "npd_i2", "lilr_i2", "hesa_i2"} <= schemas
        assert not any(s.endswith("__leo_synth_staging") for s in schemas)
        pk = conn.execute("""select count(*) from information_schema.table_constraints
                             where constraint_type = 'PRIMARY KEY'
                               and table_schema = 'leo_i2'""").fetchone()[0]
        assert pk >= 3
        conn.execute("set search_path to npd_i2, leo_i2")
        # SRS-style mixed-case SQL runs unchanged.
        count = conn.execute("""SELECT COUNT(*) FROM Spring_Census_2011 c
            JOIN LEARNER_AE_ID_TO_PMR_LOOKUP p
              ON p.PUPILMATCHINGREFANONYMOUS = c.PupilMatchingRefAnonymous_spr11""").fetchone()[0]
        assert count > 0
        # SRS three-part names lose their database: the project schema has every relation.
        conn.execute('set search_path to public')
        srs = conn.execute('SELECT COUNT(*) FROM "2002237".LEO_Employment').fetchone()[0]
        direct = conn.execute("SELECT COUNT(*) FROM leo_i2.leo_employment").fetchone()[0]
        assert srs == direct > 0
        views = conn.execute("select count(*) from information_schema.views "
                             "where table_schema = '2002237'").fetchone()[0]
        assert views == len(_summary.relations)


_INDEXES = """select t.relname, i.indisprimary, i.indisunique,
       array(select a.attname from unnest(i.indkey) with ordinality k(attnum, position)
             join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum
             order by position)
from pg_index i join pg_class t on t.oid = i.indrelid join pg_namespace n
  on n.oid = t.relnamespace where n.nspname = %s"""


def _spec_keys(relation) -> set[tuple[tuple[str, ...], bool, bool]]:
    """The indexes the spec gives a relation: (columns, primary, unique)."""
    keys = {((col.lower(),), False, False) for col in index_columns(relation)}
    if relation.primary_key:
        keys.add((tuple(col.lower() for col in relation.primary_key), True, True))
    return keys


def _indexes(conn: psycopg.Connection, schema: str) -> dict[str, set]:
    found: dict[str, set] = {}
    for table, primary, unique, columns in conn.execute(_INDEXES, (schema,)):
        found.setdefault(table, set()).add((tuple(columns), primary, unique))
    return found


@pytest.mark.postgres
def test_postgres_keys_indexes_comments_and_statistics_are_the_specs(small_sqlite,
                                                                      small_postgres):
    """Every relation has exactly the primary key and one-column indexes the spec gives, the
    spec's table and column comments, and statistics on those key columns."""
    _, summary = small_sqlite
    with psycopg.connect(small_postgres) as conn:
        for database in sorted({rel.database for rel in summary.relations}):
            relations = [rel for rel in summary.relations if rel.database == database]
            expected = {rel.name.lower(): _spec_keys(rel) for rel in relations}
            assert _indexes(conn, database) == {name: keys for name, keys in expected.items()
                                                if keys}
            comments = dict(conn.execute(
                "select c.relname, obj_description(c.oid, 'pg_class') from pg_class c join "
                "pg_namespace n on n.oid = c.relnamespace where n.nspname = %s and "
                "c.relkind = 'r'", (database,)).fetchall())
            assert comments == {rel.name.lower(): table_comment(rel) for rel in relations}
            columns = set(conn.execute(
                "select table_name, column_name, col_description(format('%%I.%%I', "
                "table_schema, table_name)::regclass, ordinal_position) from "
                "information_schema.columns where table_schema = %s", (database,)).fetchall())
            assert columns == {(rel.name.lower(), col.name.lower(), column_comment(col))
                               for rel in relations for col in rel.columns}
            analysed = set(conn.execute("select tablename, attname from pg_stats where "
                                        "schemaname = %s", (database,)).fetchall())
            keyed = {(rel.name.lower(), col.lower()) for rel in relations
                     if summary.rows[rel.name]
                     for col in [*rel.primary_key, *index_columns(rel)]}
            assert keyed <= analysed


@pytest.mark.postgres
def test_postgres_keys_a_relation_once_finished_and_abort_leaves_no_staging(
        small_postgres, catalog) -> None:
    """finish() keys and indexes a relation in its staging schema before the commit (seen in
    the writer's own transaction); the others wait; abort leaves no staging schema and the
    published run as it was."""
    relations = [rel for rel in catalog.relations(2) if rel.database == "leo_i2"]
    first = next(rel for rel in relations if rel.primary_key and index_columns(rel))
    second = next(rel for rel in relations if rel is not first and index_columns(rel))
    with psycopg.connect(small_postgres) as conn:
        published = conn.execute("select manifest::text from leo_synth.manifest").fetchone()
    writer = PostgresWriter(small_postgres, "replace")
    writer.open([first, second], Manifest(settings={}))
    try:
        for rel in (first, second):
            batch = read_postgres(small_postgres, rel).combine_chunks().to_batches()[0]
            writer.write(rel, batch)
            if rel is first:
                writer.finish(rel)
        assert writer.connection is not None
        staging = _indexes(writer.connection, "leo_i2__leo_synth_staging")
        assert staging == {first.name.lower(): _spec_keys(first)}
    finally:
        writer.abort()
    with psycopg.connect(small_postgres) as conn:
        assert not conn.execute("select nspname from pg_namespace where nspname like "
                                "'%%leo\\_synth\\_staging'").fetchall()
        assert conn.execute("select manifest::text from leo_synth.manifest").fetchone() \
            == published


@pytest.mark.postgres
def test_postgres_project_schema_never_replaces_a_foreign_schema(pg_url: str) -> None:
    with psycopg.connect(pg_url) as conn, conn.cursor() as cur:
        cur.execute('CREATE SCHEMA "424242"')  # somebody else's schema, rolled back below
        with pytest.raises(LeoSynthError, match="schema 424242 exists and was not made by "
                                                "leo-synth"):
            create_project_schema(cur, [], "424242")
        conn.rollback()


def test_query_runs_srs_three_part_names_on_duckdb(small_sqlite, small_duckdb) -> None:
    _, summary = small_sqlite
    result = CliRunner().invoke(main, ["query", str(small_duckdb),
                                       'SELECT COUNT(*) AS n FROM LEO_i2."2002237".leo_earnings'])
    assert result.exit_code == 0, result.output
    words = result.output.split()
    assert words[0] == "n" and str(summary.rows["leo_earnings"]) in words


def test_duckdb_attach_script_is_the_one_line_recipe(small_sqlite, small_duckdb,
                                                      monkeypatch) -> None:
    """`cd out/leo_duckdb && duckdb -init attach.sql`: the script run from the folder."""
    _, summary = small_sqlite
    monkeypatch.chdir(small_duckdb)
    with duckdb.connect() as conn:
        conn.execute((small_duckdb / "attach.sql").read_text(encoding="utf-8"))
        count = conn.execute('SELECT COUNT(*) FROM NPD_i2."2002237".spring_census_2011'
                             ).fetchone()[0]
        bare = conn.execute("SELECT COUNT(*) FROM Spring_Census_2011").fetchone()[0]
    assert count == bare == summary.rows["spring_census_2011"] > 0
