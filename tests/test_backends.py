"""SQLite, Parquet and PostgreSQL hold the same content for the same seed."""

from __future__ import annotations

import psycopg
import pytest

from leo_synth.readers import checksums, read_manifest, read_parquet, read_postgres, read_sqlite


def _manifest_checksums(db) -> dict[str, str]:
    return {name: rel["checksum"] for name, rel in read_manifest(db)["relations"].items()}


def test_sqlite_content_matches_the_manifest(small_sqlite) -> None:
    db, summary = small_sqlite
    read = checksums((rel, read_sqlite(db, rel)) for rel in summary.relations)
    assert read == _manifest_checksums(db)


def test_parquet_matches_sqlite(small_sqlite, small_parquet) -> None:
    db, summary = small_sqlite
    read = checksums((rel, read_parquet(small_parquet, rel)) for rel in summary.relations)
    assert read == _manifest_checksums(db)


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
