"""``leo-synth verify``: outputs read back against their manifests, and a split run's parts."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import ROOT, SMALL, one_per_builder
from hypothesis import given
from hypothesis import strategies as st

from leo_synth import output_reading
from leo_synth import verify as verify_module
from leo_synth.cli import main
from leo_synth.engine.generate import generate
from leo_synth.output_reading import (
    open_output,
    reading_connection,
    record_end,
    relation_slices,
)
from leo_synth.verify import combine_parts


def verify(*args: str) -> Result:
    return CliRunner().invoke(main, ["verify", *args])


def test_every_backend_reads_back_as_its_manifest_says(small_sqlite, small_parquet,
                                                        small_duckdb, small_csv,
                                                        small_postgres_loaded) -> None:
    result = verify(str(small_sqlite[0]), str(small_parquet), str(small_duckdb), str(small_csv),
                    small_postgres_loaded)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()  # (the findings; progress goes to stderr)
    assert len(lines) == 5 and all("every relation matches the manifest (1,000 persons, seed 7)"
                                   in line for line in lines), lines
    # the same run in another format: every relation's checksum the same
    same = verify(str(small_sqlite[0]), "--against", str(small_parquet), "--no-data")
    assert same.exit_code == 0 and "rows and checksum equal" in same.output, same.output



def test_progress_in_a_log_is_a_line_at_every_tenth_of_the_rows(small_sqlite) -> None:
    path, summary = small_sqlite
    result = verify(str(path))
    assert result.exit_code == 0, result.output
    progress = [line for line in result.stderr.splitlines()
                if line.startswith(f"leo-synth: reading {path}: ")]
    percents = [int(line.split("(")[1].split("%")[0]) for line in progress]
    assert len(progress) == len(result.stderr.splitlines()) and 3 <= len(progress) <= 10
    assert percents == sorted(set(percents)) and percents[-1] == 100, progress
    assert f"{summary.total_rows:,} of {summary.total_rows:,} rows (100%)" in progress[-1]
    assert "s to go" in progress[0]
    quiet = verify(str(path), "--quiet")
    assert quiet.exit_code == 0 and quiet.stderr == "" and quiet.stdout == result.stdout


def test_every_backend_is_read_a_slice_at_a_time(small_sqlite, small_parquet, small_duckdb,
                                                 small_csv, small_postgres_loaded,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """verify holds a few slices of a relation, never the whole (a 200,000-person run's
    relations read whole took 1.7 GB): values at most SLICE_CELLS a slice where the reader
    cuts by rows, text at most SLICE_BYTES where it cuts CSV, and the checksums of the slices
    add up to the manifest's."""
    monkeypatch.setattr(output_reading, "SLICE_CELLS", 20_000)
    monkeypatch.setattr(output_reading, "SLICE_BYTES", 64 * 2**10)
    seen: dict[str, list[tuple[str, int, int]]] = {}

    def recorded(output, relation, conn):
        for piece in relation_slices(output, relation, conn):
            seen.setdefault(output.kind, []).append((relation.name, piece.num_rows,
                                                     piece.num_columns))
            yield piece

    monkeypatch.setattr(verify_module, "relation_slices", recorded)
    result = verify(str(small_sqlite[0]), str(small_parquet), str(small_duckdb), str(small_csv),
                    small_postgres_loaded)
    assert result.exit_code == 0, result.output
    assert set(seen) == {"sqlite", "parquet", "duckdb", "csv", "postgres"}
    for kind, pieces in seen.items():
        per_relation = Counter(name for name, _, _ in pieces)
        assert max(per_relation.values()) > 3, kind  # the large relations in several slices
        if kind in ("sqlite", "parquet", "duckdb"):
            assert max(rows * max(columns, 1) for _, rows, columns in pieces) <= 20_000, kind


@given(st.lists(st.lists(st.text(alphabet='ab,"\n ', max_size=6), min_size=1, max_size=3),
                min_size=1, max_size=8),
       st.integers(min_value=0, max_value=200))
def test_csv_text_is_cut_at_the_end_of_a_record(records: list[list[str]], length: int) -> None:
    """PostgreSQL's COPY is parsed a slice at a time, cut where a record ends: never inside a
    quoted value, whatever quotes and newlines the values hold."""
    ends, text = [0], b""
    for record in records:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC).writerow(record)
        text += out.getvalue().encode()
        ends.append(len(text))
    prefix = text[:length]
    assert record_end(prefix) == max(end for end in ends if end <= len(prefix))

def test_a_changed_value_and_a_missing_relation_are_named(small_sqlite, small_parquet,
                                                          tmp_path: Path) -> None:
    copy = tmp_path / "leo.sqlite"
    shutil.copy(small_sqlite[0], copy)
    with sqlite3.connect(copy) as db:
        db.execute("UPDATE leo_earnings SET Earnings = Earnings + 1 "
                   "WHERE rowid = (SELECT min(rowid) FROM leo_earnings)")
        db.execute("DELETE FROM leo_benefit WHERE rowid = (SELECT min(rowid) FROM leo_benefit)")
        db.execute("DROP TABLE lars")
        db.execute("UPDATE leo_cjrs SET TAXYEAR = 'X' "  # text in an integer column
                   "WHERE rowid = (SELECT min(rowid) FROM leo_cjrs)")
    result = verify(str(copy))
    assert result.exit_code == 1, result.output
    problems = result.stdout.splitlines()
    assert any("leo_i2.leo_earnings: the rows differ" in line for line in problems), problems
    assert any("leo_i2.leo_benefit: " in line and "rows, the manifest says" in line
               for line in problems), problems
    assert any(line.endswith("lilr_i2.lars: missing") for line in problems), problems
    assert any("leo_i2.leo_cjrs: cannot be read with the spec's types" in line
               for line in problems), problems
    assert problems[-1].endswith("4 of 188 relations differ from the manifest "
                                 "(1,000 persons, seed 7)"), problems
    folder = tmp_path / "leo_parquet"
    shutil.copytree(small_parquet, folder)
    (folder / "leo_i2" / "idbr_lookup.parquet").unlink()
    (folder / "leo_i2" / "leo_earnings.parquet").write_bytes(b"not parquet")
    result = verify(str(folder))
    assert result.exit_code == 1 and "leo_i2.idbr_lookup: missing" in result.output
    assert "leo_i2.leo_earnings: cannot be read with the spec's types" in result.output


def test_a_sqlite_column_adbc_cannot_read_is_read_by_sqlite3(small_sqlite, catalog,
                                                            tmp_path: Path) -> None:
    """ADBC infers a column's type from its first rows and refuses a later value of another
    storage class (a text column NULL for the first thousands of rows: a quirk's codes); such
    a table is read through sqlite3, values and all."""
    from leo_synth.readers import read_sqlite

    copy = tmp_path / "leo.sqlite"
    shutil.copy(small_sqlite[0], copy)
    with sqlite3.connect(copy) as db:
        assert db.execute("SELECT count(*) FROM leo_earnings").fetchone()[0] > 5000
        db.execute("UPDATE leo_earnings SET Main_Section = NULL")
        db.execute("UPDATE leo_earnings SET Main_Section = 'Z' "
                   "WHERE rowid = (SELECT max(rowid) FROM leo_earnings)")
    relation = next(rel for rel in catalog.relations(2) if rel.name == "leo_earnings")
    output = open_output(str(copy))
    with reading_connection(output) as connection:
        (table,) = relation_slices(output, relation, connection)
    assert table.column("Main_Section").drop_null().to_pylist() == ["Z"]
    assert table.equals(read_sqlite(copy, relation))
    result = verify(str(copy))
    assert result.exit_code == 1 and result.output.count("differ") == 2, result.output
    assert "leo_i2.leo_earnings: the rows differ" in result.output


def test_an_output_of_other_specs_is_said_to_be(small_sqlite, tmp_path: Path) -> None:
    copy = tmp_path / "leo.sqlite"
    shutil.copy(small_sqlite[0], copy)
    with sqlite3.connect(copy) as db:
        manifest = json.loads(db.execute("SELECT manifest FROM _leo_synth_manifest").fetchone()[0])
        manifest["leo_synth"]["spec_sha256"] = "0" * 64
        db.execute("UPDATE _leo_synth_manifest SET manifest = ?", (json.dumps(manifest),))
    result = verify(str(copy))
    assert result.exit_code == 0, result.output
    assert "made with other specs than this leo-synth's" in result.output.splitlines()[0]


def test_a_relation_without_rows_reads_as_an_empty_table(catalog) -> None:
    """PostgreSQL's COPY of an empty relation writes nothing, not even a line."""
    import pyarrow as pa

    from leo_synth.output_reading import _read_csv
    from leo_synth.spec.physical import arrow_schema

    relation = next(rel for rel in catalog.relations(2) if rel.name == "leo_earnings")
    table = _read_csv(pa.BufferReader(b""), relation)
    assert table.num_rows == 0 and table.schema.equals(arrow_schema(relation))


def test_a_csv_value_made_null_is_told_from_an_empty_text(small_csv, tmp_path: Path) -> None:
    """The CSV writer quotes every text value, so an empty text ("") and a NULL (an empty
    field) read back apart: turning one into the other changes the relation's checksum."""
    folder = tmp_path / "leo_csv"
    shutil.copytree(small_csv, folder)
    path = next(p for p in sorted(folder.glob("*.csv")) if ',"",' in p.read_text("utf-8"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(',"",', ",,", 1), encoding="utf-8")
    result = verify(str(folder))
    assert result.exit_code == 1, result.output
    assert f".{path.stem}: the rows differ" in result.output, result.output


def test_a_request_run_is_read_with_the_columns_it_kept(tmp_path: Path, catalog) -> None:
    from leo_synth.request import request_selector

    out = tmp_path / "project.sqlite"
    generate(SMALL.with_overrides(persons=150, out=str(out), format="sqlite"), catalog,
             select=request_selector(ROOT / "examples" / "request.yaml", catalog))
    result = verify(str(out))
    assert result.exit_code == 0 and "every relation matches" in result.output, result.output


def test_parts_make_the_whole_run_and_a_missing_or_foreign_part_is_named(tmp_path: Path,
                                                                       catalog) -> None:
    run = SMALL.with_overrides(persons=600, block_size=200, format="sqlite")
    whole = tmp_path / "leo.sqlite"
    generate(run.with_overrides(out=str(whole)), catalog, select=one_per_builder)
    parts = [generate(run.with_overrides(out=str(whole), part=f"{k}/3"), catalog,
                      select=one_per_builder).target for k in (1, 2, 3)]
    combined, problems = combine_parts([open_output(part) for part in parts])
    assert not problems and combined["relations"] == open_output(str(whole)).manifest["relations"]
    result = verify(*parts, "--against", str(whole))
    assert result.exit_code == 0, result.output
    assert "the 3 parts make the whole run" in result.output
    assert "every relation's rows and checksum equal" in result.output
    alone = verify(parts[1])  # a part on its own: its data, nothing asked of the others
    assert alone.exit_code == 0 and "part 2 of 3)" in alone.output, alone.output
    missing = verify(parts[0], parts[2], "--no-data")
    assert missing.exit_code == 1 and "parts: part 2 of 3 is missing" in missing.output
    foreign = generate(run.with_overrides(out=str(tmp_path / "other.sqlite"), seed=8, part="2/3"),
                       catalog, select=one_per_builder).target
    mixed = verify(parts[0], foreign, parts[2], "--no-data")
    assert mixed.exit_code == 1 and "is not a part of the same run" in mixed.output
    assert "(they differ in seed)" in mixed.output
    twice = verify(parts[0], parts[1], parts[1], parts[2], "--no-data")
    assert twice.exit_code == 1 and "part 2 of 3 is given twice" in twice.output
    edited = tmp_path / "edited.sqlite"  # a part whose manifest claims another share
    shutil.copy(parts[1], edited)
    with sqlite3.connect(edited) as db:
        manifest = json.loads(db.execute("SELECT manifest FROM _leo_synth_manifest").fetchone()[0])
        manifest["leo_synth"]["part"]["blocks"] = [0, 2]
        db.execute("UPDATE _leo_synth_manifest SET manifest = ?", (json.dumps(manifest),))
    shares = verify(parts[0], str(edited), parts[2], "--no-data")
    assert shares.exit_code == 1, shares.output
    assert "holds blocks [0, 2], but part 2 of 3 is blocks [1, 2]" in shares.output
    with_whole = verify(parts[0], str(whole), "--no-data")
    assert with_whole.exit_code == 1 and "made without --part" in with_whole.output


@pytest.mark.parametrize("make", ["missing", "text file", "folder", "url without manifest",
                                  "url of no known protocol", "file url"])
def test_what_is_not_an_output_is_one_line_and_exit_2(tmp_path: Path, make: str) -> None:
    path = tmp_path / "thing"
    location = str(path)
    if make == "text file":
        path.write_text("not a database\n")
    elif make in ("folder", "file url"):
        path.mkdir()
        location = path.as_uri() if make == "file url" else location
    elif make == "url without manifest":
        import fsspec

        fsspec.filesystem("memory").pipe("/leo-synth-verify/empty/notes.txt", b"mine")
        location = "memory://leo-synth-verify/empty"
    elif make == "url of no known protocol":
        location = "nosuchprotocol://bucket/leo"
    result = CliRunner().invoke(main, ["verify", location])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("leo-synth: error: "), lines
    if make.startswith("url"):
        assert ("has no _manifest.json" if make == "url without manifest"
                else "cannot read nosuchprotocol://bucket/leo") in lines[0], lines
