"""The Python API (``leo_synth.generate``, ``leo_synth.extract``) and its example script."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SMALL

import leo_synth
from leo_synth.checksum import table_checksum
from leo_synth.readers import read_manifest
from leo_synth.spec.physical import arrow_schema

SOME = ["spring_census_2011", "learner_ae_id_to_edukey_lookup", "leo_employment",
        "KS4Pupil_2015_to_2021"]


@pytest.fixture(scope="module")
def small_extract() -> leo_synth.Extract:
    """The suite's small run (1,000 persons, seed 7, two blocks), four relations, in memory."""
    return leo_synth.extract(persons=SMALL.persons, seed=SMALL.seed, tables=SOME,
                             block_size=SMALL.block_size)


def test_extract_holds_the_same_rows_as_the_file_outputs(small_extract, small_sqlite,
                                                         catalog) -> None:
    db, summary = small_sqlite
    recorded = read_manifest(db)["relations"]
    relations = {rel.name: rel for rel in summary.relations}
    assert sorted(small_extract.tables) == sorted(SOME)
    for name, table in small_extract.tables.items():
        assert table.num_rows == recorded[name]["rows"] > 0, name
        assert table_checksum(table, arrow_schema(relations[name])) == \
            recorded[name]["checksum"], name
    assert small_extract.manifest["leo_synth"]["seed"] == SMALL.seed


def test_extract_pandas_and_duckdb_views(small_extract) -> None:
    employment = small_extract.to_pandas("LEO_EMPLOYMENT")  # any case, as SQL in the SRS
    assert len(employment) == small_extract.tables["leo_employment"].num_rows
    assert "EduKey" in employment.columns
    con = small_extract.duckdb()
    plain = con.execute("select count(*) from leo_employment").fetchone()[0]
    qualified = con.execute("select count(*) from leo_i2.leo_employment e join "
                        "leo_i2.learner_ae_id_to_edukey_lookup k on k.EDUKEY = e.EduKey"
                        ).fetchone()[0]
    assert plain == len(employment) and 0 < qualified <= plain
    assert con.execute("select count(*) from npd_i2.spring_census_2011").fetchone()[0] == \
        small_extract.tables["spring_census_2011"].num_rows
    with pytest.raises(KeyError, match="did you mean 'leo_employment'"):
        small_extract.table("leo_employmnet")


def test_extract_names_tables_requests_and_rejects_unknown_names(catalog) -> None:
    census = leo_synth.extract(persons=100, seed=2, tables=["school_census"],
                               request={"tables": {"school_census": ["Gender"]}})
    views = {rel.name: rel for rel in catalog.relations(2) if rel.table.name == "school_census"}
    assert set(census.tables) == set(views) and "spring_census_2011" in views
    narrowed = census.tables["spring_census_2011"].column_names
    assert any(name.lower().startswith("gender") for name in narrowed)
    assert not any(name.lower().startswith("fsmeligible") for name in narrowed)
    assert len(narrowed) < len(views["spring_census_2011"].columns)
    with pytest.raises(leo_synth.LeoSynthError, match="did you mean 'leo_earnings'"):
        leo_synth.extract(persons=100, tables=["leo_earning"])
    with pytest.raises(leo_synth.LeoSynthError, match="persons must be between"):
        leo_synth.extract(persons=0)


def test_generate_writes_and_summarises(tmp_path: Path) -> None:
    out = tmp_path / "api.sqlite"
    told: list[tuple[int, int, int]] = []
    summary = leo_synth.generate(persons=120, seed=5, out=out,
                                 request=ROOT / "examples" / "request.yaml",
                                 relation_progress=lambda *call: told.append(call))
    assert summary.path == str(out) and summary.format == "sqlite" and summary.persons == 120
    # one block: a result per relation of the request (none is run-level: lars is left out)
    assert told == [(done, len(summary.relations), told[done - 1][2])
                    for done in range(1, len(summary.relations) + 1)]
    assert told[-1][2] == summary.rows
    with sqlite3.connect(out) as con:
        for name, rows in summary.relations.items():
            assert con.execute(f'select count(*) from "{name}"').fetchone()[0] == rows, name
    assert summary.rows == sum(summary.relations.values()) > 0
    assert "leo_employment" in summary.relations and "lars" not in summary.relations
    with pytest.raises(leo_synth.LeoSynthError, match="already exists"):
        leo_synth.generate(persons=120, out=out)
    with pytest.raises(leo_synth.LeoSynthError, match="format must be one of"):
        leo_synth.generate(persons=120, format="excel", out=tmp_path / "x")


def test_generate_writes_the_format_its_out_names(tmp_path: Path) -> None:
    summary = leo_synth.generate(persons=100, out=tmp_path / "api.parquet",
                                 request=ROOT / "examples" / "request.yaml")
    assert summary.format == "parquet"
    assert (tmp_path / "api.parquet" / "_manifest.json").is_file()
    assert leo_synth.generate(persons=100, out=tmp_path / "api.db",
                              request=ROOT / "examples" / "request.yaml").format == "sqlite"


def test_example_script_runs(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "api_quickstart.py"), "300",
                           "2"], capture_output=True, text=True, cwd=tmp_path, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert "spring_census_2011" in done.stdout and "employment_spells" in done.stdout
    assert "employment spells per EDUKEY: median" in done.stdout
