"""Profiles and the answer key: quirks at their rates, none under clean, every one recorded.

Four narrowed 1,000-person Parquet runs of one seed (the relations quirks touch, the lookups
and the answer key): realistic with 1 worker and with 2 workers, messy, and clean without the
ledger. Rates are checked within four binomial standard errors; presence is asserted where
the run expects at least three defects (at 1,000 persons the rarest realistic quirks may
have none, which is why the messy run is checked too).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sqlite3
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from conftest import SMALL

from leo_synth.checksum import Checksum
from leo_synth.cli import main
from leo_synth.config import RunConfig
from leo_synth.dictionary.html import render_html
from leo_synth.dictionary.model import build_dictionary
from leo_synth.engine.generate import LEDGER_RELATION, generate
from leo_synth.errors import LeoSynthError
from leo_synth.quirks.apply import profile_rates, quirks_for
from leo_synth.quirks.model import ADDED_ROW, QUIRKS
from leo_synth.quirks.restore import restore
from leo_synth.simulation.parameters import load_parameters
from leo_synth.spec.model import Relation
from leo_synth.writers.sqlite import MANIFEST_TABLE

REALISTIC = profile_rates("realistic", load_parameters()["quirks"])
MESSY = profile_rates("messy", load_parameters()["quirks"])


def _data(relations: list[Relation]) -> list[Relation]:
    """The relations the tests read: those quirks touch, and the lookups."""
    return [rel for rel in relations if quirks_for(rel) or rel.table.family == "linkage"]


def _select(relations: list[Relation]) -> list[Relation]:
    """The narrowed run: the relations the tests read and the answer key."""
    return _data(relations) + [rel for rel in relations if rel.name == LEDGER_RELATION]


@pytest.fixture(scope="module")
def runs(tmp_path_factory, catalog) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("quirks")
    settings = {"realistic": {}, "workers2": {"workers": 2}, "messy": {"profile": "messy"},
                "clean": {"profile": "clean", "ledger": False}}
    out = {}
    for name, extra in settings.items():
        out[name] = root / name
        generate(SMALL.with_overrides(format="parquet", out=str(out[name]), **extra), catalog,
                 select=_select)
    return out


def _read(root: Path, rel: Relation) -> pa.Table:
    return pq.read_table(root / rel.database / f"{rel.name}.parquet")


def _ledger(root: Path) -> pa.Table:
    return pq.read_table(root / "leo_i2" / f"{LEDGER_RELATION}.parquet")


def _quirk_relations(catalog, code: str) -> list[Relation]:
    return [rel for rel in _data(catalog.relations(2)) if QUIRKS[code] in quirks_for(rel)]


@pytest.mark.parametrize("profile", ["realistic", "messy"])
def test_ledger_applied_gives_clean(runs, catalog, profile) -> None:
    ledger = _ledger(runs[profile])
    changed = 0
    for rel in _data(catalog.relations(2)):
        messy, clean = _read(runs[profile], rel), _read(runs["clean"], rel)
        restored = restore(messy, rel.name, ledger)
        got, want = Checksum.of(restored, clean.schema), Checksum.of(clean, clean.schema)
        assert (got.rows, got.total) == (want.rows, want.total), rel.name
        changed += Checksum.of(messy, clean.schema).total != want.total
    assert changed > 20  # the realistic extract did differ from the clean one


def test_clean_is_clean(runs, catalog) -> None:
    assert not (runs["clean"] / "leo_i2" / f"{LEDGER_RELATION}.parquet").exists()  # no key
    # (The ILR's -1 codes, and the builders' -1 for "none" in PriorAttain and programme_type,
    # are data, not quirks: the injected -1s are checked by restoring the ledger.)
    for rel in _data(catalog.relations(2)):
        table = _read(runs["clean"], rel)
        quirk_codes = {q.code for q in quirks_for(rel)}
        for col in rel.columns:
            column = table.column(col.name)
            if col.spec.type.kind == "string" and quirk_codes & {"blank_string"}:
                assert not pc.any(pc.equal(column, "")).as_py(), (rel.name, col.name)
        targets = [q.target(rel) for q in quirks_for(rel)]
        key = [c.name for c in rel.columns if targets and c.spec.name in targets[0].key]
        if key and table.num_rows:  # one record per grain
            assert table.group_by(key).aggregate([]).num_rows == table.num_rows, rel.name
        status = [c.name for c in rel.columns if c.spec.name == "RecordStatus_[term][yy]"]
        if status:
            assert table.column(status[0]).null_count == table.num_rows, rel.name


def _binomial_ok(hits: int, trials: int, rate: float) -> bool:
    """Within 4 standard errors (plus one for tiny expectations) of the rate."""
    return abs(hits - trials * rate) <= 4 * math.sqrt(trials * rate * (1 - rate)) + 1


def _nulls(table: pa.Table, rel: Relation, kind: str, key: tuple[str, ...]) -> np.ndarray:
    """Rows with a NULL in a non-key column of an SQL kind."""
    any_null = np.zeros(table.num_rows, dtype=bool)
    for col in rel.columns:
        if col.spec.type.kind == kind and col.spec.name not in key:
            any_null |= np.asarray(table.column(col.name).is_null().to_numpy(
                zero_copy_only=False))
    return any_null


def _candidates(code: str, rel: Relation, clean: pa.Table) -> int:
    """Rows of the clean extract a quirk may touch."""
    target = QUIRKS[code].target(rel)
    named = {c.spec.name: c.name for c in rel.columns}

    def count(template: str, null: bool) -> int:
        if template not in named:
            return 0
        column = clean.column(named[template])
        return column.null_count if null else len(column) - column.null_count

    return {
        "blank_string": lambda: int(_nulls(clean, rel, "string", target.key).sum()),
        "lilr_minus_one": lambda: int(_nulls(clean, rel, "integer", target.key).sum()),
        "ilr_end_1900": lambda: count("end_date", True),
        "census_no_entry_date": lambda: count("EntryDate_[term][yy]", False),
        "census_before_birth": lambda: (count("YearOfBirth_[term][yy]", False)
                                        if rel.year is not None else 0),
        "census_legacy_gender": lambda: int(pc.sum(pc.is_in(
            clean.column(named["Gender_[term][yy]"]), pa.array(["M", "F"]))).as_py() or 0)
        if "Gender_[term][yy]" in named else 0,
        "benefit_end_before_start": lambda: int(pc.sum(pc.not_equal(
            clean.column("EndDate"), pa.scalar(dt.date(9999, 12, 31)))).as_py() or 0),
        "census_duplicate": lambda: clean.num_rows if "RecordStatus_[term][yy]" in named else 0,
    }.get(code, lambda: clean.num_rows)()


@pytest.mark.parametrize("profile,rates", [("realistic", REALISTIC), ("messy", MESSY)])
@pytest.mark.parametrize("code", sorted(QUIRKS))
def test_quirk_present_at_its_rate_and_recorded(runs, catalog, code, profile, rates) -> None:
    ledger = _ledger(runs[profile]).filter(pc.field("quirk") == code).to_pylist()
    trials = hits = 0
    for rel in _quirk_relations(catalog, code):
        clean = _read(runs["clean"], rel)
        trials += _candidates(code, rel, clean)
        mine = [e for e in ledger if e["relation"] == rel.name]
        added = sum(e["action"] == ADDED_ROW for e in mine)
        if QUIRKS[code].adds_rows:
            # Every added row is recorded: the realistic view is longer by exactly as many.
            extra = _read(runs[profile], rel).num_rows - clean.num_rows
            others = sum(q.adds_rows for q in quirks_for(rel)) > 1
            assert others or extra == added, (rel.name, extra, added)
            hits += added
        else:
            hits += len({e["row_key"] for e in mine})
    assert trials > 0 and (hits > 0 or trials * rates[code] < 3), (code, trials, hits)
    assert _binomial_ok(hits, trials, rates[code]), (code, hits, trials, rates[code])


def test_two_workers_give_the_same_extract(runs) -> None:
    files = sorted(p.relative_to(runs["realistic"]) for p in runs["realistic"].rglob("*")
                   if p.is_file())
    assert files == sorted(p.relative_to(runs["workers2"]) for p in
                           runs["workers2"].rglob("*") if p.is_file())
    for name in files:
        assert (runs["realistic"] / name).read_bytes() == (runs["workers2"] / name).read_bytes()


def test_manifest_records_profile_and_rates(runs) -> None:
    manifest = json.loads(next(runs["clean"].rglob("*manifest*.json")).read_text())
    assert manifest["leo_synth"]["profile"] == "clean"
    assert manifest["leo_synth"]["ledger"] is False
    assert set(manifest["leo_synth"]["quirk_rates"]) == set(QUIRKS)


def test_profiles_and_overrides() -> None:
    quirks = load_parameters()["quirks"]
    assert set(profile_rates("clean", quirks).values()) == {0.0}
    messy = profile_rates("messy", quirks)
    assert all(messy[c] > REALISTIC[c] > 0 for c in QUIRKS)
    assert all(str(quirks[c]["source"]).strip() for c in QUIRKS)
    assert profile_rates("clean", quirks, {"ks4_duplicate": 0.5})["ks4_duplicate"] == 0.5


@pytest.mark.parametrize("overrides,message", [
    ({"profile": "tidy"}, "profile must be one of clean, realistic, messy"),
    ({"quirks": {"census_duplicate": 1.5}}, "quirks.census_duplicate must be a rate"),
    ({"quirks": {"census_dupe": 0.1}}, "unknown quirk 'census_dupe'"),
    ({"quirks": [0.1]}, "quirks must map quirk codes to rates"),
    ({"ledger": "yes"}, "ledger must be true or false"),
])
def test_bad_quirk_settings_are_reported(overrides, message) -> None:
    with pytest.raises(LeoSynthError, match=message):
        RunConfig().with_overrides(**overrides)


def test_dictionary_lists_each_templates_quirks_with_rates(catalog) -> None:
    d = build_dictionary(catalog, 2)
    html = render_html(d)
    for template in d.templates:
        codes = {q.code for q in template.quirks}
        wanted = {q.code for q in QUIRKS.values() if any(t.table == template.name
                                                          for t in q.targets)}
        assert codes == wanted, template.name
    census = next(t for t in d.templates if t.name == "school_census")
    line = next(q for q in census.quirks if q.code == "census_duplicate")
    assert (line.realistic, line.messy) == (REALISTIC["census_duplicate"], 0.03)
    assert "census_duplicate</code> 0.40% / 3.00%" in html


def test_cli_profile_request_and_no_ledger(tmp_path) -> None:
    request = tmp_path / "request.yaml"
    request.write_text("tables:\n  spring_census_2011: default\n  _leo_synth_defects: all\n",
                       encoding="utf-8")
    runner = CliRunner()
    common = ["generate", "--persons", "300", "--block-size", "300", "--quiet",
              "--request", str(request), "--profile", "messy"]
    keyed, bare = tmp_path / "keyed.sqlite", tmp_path / "bare.sqlite"
    assert runner.invoke(main, [*common, "--out", str(keyed)]).exit_code == 0
    assert runner.invoke(main, [*common, "--no-ledger", "--out", str(bare)]).exit_code == 0
    with sqlite3.connect(keyed) as db:
        added = db.execute("SELECT COUNT(*) FROM _leo_synth_defects WHERE quirk = "
                           "'census_duplicate' AND action = 'added_row'").fetchone()[0]
        duplicates = db.execute("SELECT COUNT(*) FROM spring_census_2011 WHERE "
                                "RecordStatus_spr11 = 101").fetchone()[0]
        settings = json.loads(db.execute(f"SELECT * FROM {MANIFEST_TABLE}").fetchone()[0])
    assert duplicates > 0 and added >= duplicates
    assert settings["leo_synth"]["profile"] == "messy"
    with sqlite3.connect(bare) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
        assert LEDGER_RELATION not in tables and "spring_census_2011" in tables
        assert db.execute("SELECT COUNT(*) FROM spring_census_2011 WHERE "
                          "RecordStatus_spr11 = 101").fetchone()[0] == duplicates
    bad = runner.invoke(main, [*common, "--profile", "tidy", "--out", str(tmp_path / "x")])
    assert bad.exit_code == 2 and not (tmp_path / "x").exists()
