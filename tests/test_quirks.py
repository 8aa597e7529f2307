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
import re
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
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
from leo_synth.quirks.codes import LAST_LEGACY_YEAR, LAST_TEXT_YEARPRG_YEAR
from leo_synth.quirks.duplicates import KS4_NOTHING_ATTAINED, MAIN_PHASES, _copies
from leo_synth.quirks.geography import LAST_UNTRACKED_TAX_YEAR, _sorted_codes
from leo_synth.quirks.labour_records import LEL_WEEKLY, P14_TAXABLE_BENEFITS, P14_YEARS
from leo_synth.quirks.model import ADDED_ROW, QUIRKS, Defects, QuirkRun, Target, nulls_at
from leo_synth.quirks.restore import restore
from leo_synth.simulation.parameters import load_parameters
from leo_synth.spec.model import Relation
from leo_synth.tsql.command import run_text
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
        blank_keys = {"HE_PUPILMATCHINGREFANONYMOUS"}  # HESA's unmatched students: design
        for col in rel.columns:
            column = table.column(col.name)
            if (col.spec.type.kind == "string" and quirk_codes & {"blank_string"}
                    and col.spec.name not in blank_keys):
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


def _candidates(code: str, rel: Relation, clean: pa.Table, root: Path) -> int:
    """Rows of the clean extract (in the run at ``root``) a quirk may touch."""
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
        "census_dual_registration": lambda: int(pc.sum(pc.is_in(
            clean.column(named["PHASE_[term][yy]"]), pa.array(list(MAIN_PHASES)))).as_py() or 0)
        if "PHASE_[term][yy]" in named else clean.num_rows,
        "census_legacy_sen": lambda: _legacy_sen_candidates(rel, clean, named),
        "census_invalid_ethnicity": lambda: _differs(clean, named, "EthnicGroupMajor_[term][yy]",
                                                     "EthnicGroupMinor_[term][yy]"),
        "hesa_yearprg_text": lambda: (int(np.sum(_keyed(clean, rel, target.key)
                                                 & ~_null(clean, "HE_YEARPRG")))
                                      if rel.year <= LAST_TEXT_YEARPRG_YEAR else 0),
        "geography_reassigned": lambda: _reassignable(clean),
        "geography_gap": lambda: int(np.sum(_untracked_years(clean))),
        "employment_other_edukey": lambda: _multi_key_spells(clean, root),
        "p14_benefit_spell": lambda: _p14_benefit_spells(root),
        "paye_low_earner_missing": lambda: _below_lel(clean),
    }.get(code, lambda: clean.num_rows)()


def _null(table: pa.Table, name: str) -> np.ndarray:
    return np.asarray(table.column(name).is_null().to_numpy(zero_copy_only=False))


def _text(table: pa.Table, name: str) -> np.ndarray:
    return np.asarray(table.column(name).to_pandas().fillna(""), dtype=str)


def _keyed(table: pa.Table, rel: Relation, key: tuple[str, ...]) -> np.ndarray:
    """Rows whose key columns all hold a value (the answer key can find them)."""
    ok = np.ones(table.num_rows, dtype=bool)
    for col in rel.columns:
        if col.spec.name in key:
            ok &= _text(table, col.name) != ""
    return ok


def _legacy_sen_candidates(rel: Relation, clean: pa.Table, named: dict[str, str]) -> int:
    if "SENprovision_[term][yy]" not in named:
        return 0
    late = [code for code, last in LAST_LEGACY_YEAR.items() if rel.year > last]
    return int(np.isin(_text(clean, named["SENprovision_[term][yy]"]), late).sum())


def _differs(clean: pa.Table, named: dict[str, str], first: str, second: str) -> int:
    if first not in named or second not in named:
        return 0
    a, b = _text(clean, named[first]), _text(clean, named[second])
    return int(((a != "") & (b != "") & (a != b)).sum())


def _untracked_years(clean: pa.Table) -> np.ndarray:
    years = np.asarray(clean.column("TaxYear").to_pandas().fillna(0), dtype=np.int64)
    return (years > 0) & (years <= LAST_UNTRACKED_TAX_YEAR)


def _reassignable(clean: pa.Table) -> int:
    """Residences to 2012/13 in a local authority with two or more output areas in the run
    (the narrowed runs are one block, so the run is the block)."""
    areas, las = _text(clean, "COA_2011"), _text(clean, "LAUA_anon")
    per_la = pd.DataFrame({"la": las, "area": areas}).query("area != ''").groupby("la")[
        "area"].nunique()
    choices = per_la.reindex(las).fillna(0).to_numpy()
    return int((_untracked_years(clean) & (areas != "") & (las != "") & (choices >= 2)).sum())


def _multi_key_spells(clean: pa.Table, root: Path) -> int:
    """Spells held under an EDUKEY of a person who holds two or more."""
    lookup = pd.read_parquet(root / "leo_i2" / "learner_ae_id_to_edukey_lookup.parquet")
    multi = lookup.loc[lookup.groupby("AE_ID")["EDUKEY"].transform("size") >= 2, "EDUKEY"]
    return int(np.isin(_text(clean, "EduKey"), multi.to_numpy()).sum())


def _below_lel(clean: pa.Table) -> int:
    """Tax years of pay below the Lower Earnings Limit, 2003/04 to 2012/13."""
    years = clean.column("TaxYear").to_numpy() // 100
    pay = clean.column("Earnings").to_numpy()
    lel = np.array([LEL_WEEKLY.get(int(y), 0) * 52 for y in years])
    return int(((pay > 0) & (pay < lel)).sum())


def _p14_benefit_spells(root: Path) -> int:
    """JSA, ESA and Incapacity Benefit spells starting in tax years 2004/05 to 2017/18."""
    spells = pd.read_parquet(root / "leo_i2" / "leo_benefit.parquet")
    start = pd.to_datetime(spells["StartDate"])
    return int((spells["Benefit_type"].isin(P14_TAXABLE_BENEFITS)
                & (start >= P14_YEARS[0]) & (start < P14_YEARS[1])).sum())


@pytest.mark.parametrize("profile,rates", [("realistic", REALISTIC), ("messy", MESSY)])
@pytest.mark.parametrize("code", sorted(QUIRKS))
def test_quirk_present_at_its_rate_and_recorded(runs, catalog, code, profile, rates) -> None:
    ledger = _ledger(runs[profile]).filter(pc.field("quirk") == code).to_pylist()
    trials = hits = 0
    for rel in _quirk_relations(catalog, code):
        clean = _read(runs["clean"], rel)
        trials += _candidates(code, rel, clean, runs["clean"])
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


def test_a_dual_registration_is_a_main_and_a_subsidiary_record_on_roll(runs, catalog) -> None:
    """Each pupil dual registered has two records of the census, both on roll: the main one
    EnrolStatus M and RecordStatus 3 at a secondary school, the other S and 103 at another
    record's school: a pupil referral unit's where the census has the phase."""
    pairs = placed = 0
    for rel in _quirk_relations(catalog, "census_dual_registration"):
        table = _read(runs["messy"], rel)
        named = {col.spec.name: col.name for col in rel.columns}
        pmr, status, enrol = (table.column(named[n]).to_pylist() for n in (
            "PupilMatchingRefAnonymous_[term][yy]", "RecordStatus_[term][yy]",
            "EnrolStatus_[term][yy]"))
        kinds = {"M": 3, "S": 103}
        marked = [i for i, e in enumerate(enrol) if e in kinds]
        assert all(status[i] == kinds[enrol[i]] for i in marked), rel.name
        by_pupil: dict[str, list[str]] = {}
        for i in marked:
            by_pupil.setdefault(pmr[i], []).append(enrol[i])
        assert all(sorted(v) == ["M", "S"] for v in by_pupil.values()), rel.name
        on_roll = named.get("OnRoll_[term][yy]")
        if on_roll:
            assert all(table.column(on_roll)[i].as_py() == 1 for i in marked), rel.name
        phase_name = named.get("PHASE_[term][yy]")
        if phase_name:
            # the main record at a secondary school, the other at a pupil referral unit (or a
            # special school) wherever the block has one
            phase = table.column(phase_name).to_pylist()
            assert all(phase[i] in MAIN_PHASES for i in marked if enrol[i] == "M"), rel.name
            if {"PR", "SP"} & set(phase):
                second = [phase[i] for i in marked if enrol[i] == "S"]
                assert set(second) <= {"PR", "SP"}, (rel.name, second)
                placed += len(second)
        pairs += len(by_pupil)
    assert pairs > 0 and placed > 0


def test_a_reassigned_residence_takes_its_areas_constituency(runs, catalog) -> None:
    """geography_reassigned moves a residence to another output area of its LA with that
    area's constituency, as the geography looks it up: in the messy run every output area
    still has one constituency and name, and the answer key records the constituencies moved."""
    (rel,) = _quirk_relations(catalog, "geography_reassigned")
    table = _read(runs["messy"], rel).to_pandas()
    areas = table.dropna(subset=["COA_2011"]).groupby("COA_2011")[["PCON", "PCONNM"]].nunique()
    assert len(areas) > 100 and (areas.max() == 1).all(), areas.max()
    ledger = _ledger(runs["messy"]).filter(pc.field("quirk") == "geography_reassigned")
    moved = pd.Series(ledger.column("column_name").to_pylist()).value_counts()
    assert moved["COA_2011"] > moved.get("PCON", 0) > 0, moved


def test_fill_nulls_in_one_pass_equals_cell_by_cell(runs, catalog) -> None:
    """The placeholders' one-pass fill changes and records exactly what ``set_values``
    column by column would (same cells, same ledger entries in the same order)."""
    quirk = QUIRKS["blank_string"]

    def text_columns(rel: Relation) -> list[str]:
        return [col.name for col in rel.columns if col.spec.type.kind == "string"
                and col.spec.name not in quirk.target(rel).key]

    rel = next(rel for rel in _quirk_relations(catalog, "blank_string")
               if sum(_read(runs["clean"], rel).column(name).null_count
                      for name in text_columns(rel)) > 100)
    clean, names = _read(runs["clean"], rel), text_columns(rel)
    rows = np.arange(0, clean.num_rows, 7)

    def run() -> QuirkRun:
        return QuirkRun(quirk, rel, quirk.target(rel), clean, 1.0,
                        np.random.default_rng(0), Defects())

    fast, slow = run(), run()
    fast.fill_nulls(rows, names, "")
    for name in names:
        nulls = rows[slow.is_null(name)[rows]]
        slow.set_values(name, nulls, pa.array([""] * len(nulls)))
    assert len(slow.defects) > 0
    assert fast.defects == slow.defects
    assert fast.table.equals(slow.table)


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


CLEANING = sorted((Path(__file__).resolve().parents[1] / "examples" / "cleaning").glob("*.sql"))


@pytest.mark.parametrize("script", CLEANING, ids=lambda p: p.stem)
def test_cleaning_lesson_recovers_what_it_says(runs, script) -> None:
    """Each cleaning script of examples/cleaning/ runs on the messy extract; one that says it
    recovers the clean answer gives exactly the clean extract's answer, one that says the
    information is lost gives a different one."""
    text = script.read_text(encoding="utf-8")
    recovers = re.search(r"^-- Recovers: (.*)$", text, re.MULTILINE)
    assert recovers, f"{script.name} must say whether it recovers the clean answer"
    messy, clean = (run_text(str(runs[name]), text, "tsql", None, False)[-1].rows
                    for name in ("messy", "clean"))
    assert clean, script.name
    if recovers.group(1).startswith("the clean extract's answer"):
        assert messy == clean, script.name
    else:
        assert messy != clean, script.name


def test_nulls_at_reads_the_rows_validity_as_is_null_does() -> None:
    """(A quirk's chosen rows are checked for NULL from their validity bits alone.)"""
    rng = np.random.default_rng(3)
    values = pa.array(rng.integers(0, 9, 300), mask=rng.random(300) < 0.4)
    rows = np.sort(rng.choice(250, 60, replace=False))
    for column in (pa.chunked_array([values]), pa.chunked_array([values.slice(37, 250)]),
                   pa.chunked_array([values.slice(0, 100), values.slice(100, 150)]),
                   pa.chunked_array([pa.nulls(250, pa.string())]),
                   pa.chunked_array([pa.array(np.arange(250))])):
        expected = column.is_null().to_numpy(zero_copy_only=False)[rows]
        np.testing.assert_array_equal(nulls_at(column, rows), expected)


def test_fill_nulls_blanks_text_whatever_its_layout() -> None:
    """Blank strings are set by validity bits alone where NULL text spans no bytes (for the
    columns without offset all at once); a slice (offset), several chunks and NULL slots that
    do span bytes give the same values."""
    rng = np.random.default_rng(5)
    texts = [None if m else f"v{i}" for i, m in enumerate(rng.random(300) < 0.5)]
    plain = pa.array(texts, pa.string())
    offsets = plain.buffers()[1]
    ends = np.frombuffer(offsets, dtype=np.int32)[:301].copy()
    lengths = np.diff(ends)
    lengths[np.asarray(plain.is_null())] = 2  # NULL slots holding bytes: read past
    ends[1:] = np.cumsum(lengths)
    spanning = pa.Array.from_buffers(pa.string(), 300, [plain.buffers()[0], pa.py_buffer(
        ends), pa.py_buffer(b"x" * int(ends[-1]))], null_count=plain.null_count)
    rows = np.sort(rng.choice(250, 90, replace=False))
    key = SimpleNamespace(name="id", spec=SimpleNamespace(name="id"))
    quirk, rel = QUIRKS["blank_string"], SimpleNamespace(columns=[key])
    for column in (pa.chunked_array([plain.slice(0, 250)]),
                   pa.chunked_array([plain.slice(37, 250)]),
                   pa.chunked_array([plain.slice(0, 100), plain.slice(100, 150)]),
                   pa.chunked_array([spanning.slice(21, 250)]),
                   pa.chunked_array([spanning.slice(0, 250)])):
        table = pa.table({"id": np.arange(250), "t": column})
        run = QuirkRun(quirk, rel, Target("t", ("id",)), table, 1.0,
                       np.random.default_rng(0), Defects())
        run.fill_nulls(rows, ["t"], "")
        before, after = column.to_pylist(), run.table.column("t").combine_chunks()
        after.validate(full=True)
        chosen = set(rows.tolist())
        assert after.to_pylist() == ["" if v is None and i in chosen else v
                                     for i, v in enumerate(before)]
        assert len(run.defects) == sum(before[i] is None for i in rows)


def test_copies_equal_the_taken_rows_with_columns_replaced() -> None:
    """(The duplicating quirks' copies take only the columns they keep: the same table as
    taking every column and then setting the replaced ones, a constant cast to the column's
    type, None as NULL, an array as it is; with few columns replaced and with many.)"""
    rng = np.random.default_rng(2)
    columns = {f"i{k}": pa.array(rng.integers(0, 9, 40), pa.int16()) for k in range(12)}
    columns |= {f"t{k}": pa.array([None if m else "x" for m in rng.random(40) < 0.3])
                for k in range(12)}
    table = pa.table(columns).replace_schema_metadata({"relation": "r"})
    rows = np.array([3, 0, 17, 17, 39])
    array = pa.array(["a", "b", None, "d", "e"])
    for replaced in ({"i1": 101, "t2": "S", "t3": array},
                     {**dict.fromkeys(columns, 0), "i4": None, "t5": None, "t6": array}):
        expected = table.take(pa.array(rows))
        for name, value in replaced.items():
            index = expected.schema.get_field_index(name)
            kind = expected.schema.field(index).type
            new = value if isinstance(value, pa.Array) else (
                pa.nulls(len(rows), kind) if value is None
                else pa.repeat(pa.scalar(value), len(rows)).cast(kind))
            expected = expected.set_column(index, expected.schema.field(index), new)
        copies = _copies(table, rows, replaced)
        assert copies.schema.equals(table.schema, check_metadata=True)
        assert copies.equals(expected)


def test_keyed_rows_and_lazy_candidates() -> None:
    """(A row is keyed when its key holds a value that is not ''; candidates given as a
    function pick the rows the mask would, from the same draw, and are not made when the draw
    chose no row.)"""
    key = SimpleNamespace(name="id", spec=SimpleNamespace(name="id"))
    rel = SimpleNamespace(columns=[key, SimpleNamespace(name="n", spec=SimpleNamespace(
        name="n"))])
    quirk = QUIRKS["blank_string"]
    ids = pa.chunked_array([pa.array(["a", None, "", "b"]), pa.array(["", "c", None])])
    table = pa.table({"id": ids, "n": pa.array([1, None, 3, 4, None, 6, 7])})

    def run(rate: float, target: tuple[str, ...] = ("id",)) -> QuirkRun:
        return QuirkRun(quirk, rel, Target("t", target), table, rate,
                        np.random.default_rng(4), Defects())

    assert run(1.0).keyed().tolist() == [True, False, False, True, False, True, False]
    assert run(1.0, ("n",)).keyed().tolist() == [True, False, True, True, False, True, True]
    mask = np.array([True, False, True, True, False, True, True])
    for rate in (0.0, 0.5, 1.0):
        made: list[bool] = []
        lazy = run(rate).pick(lambda made=made: made.append(True) or mask)
        assert lazy.tolist() == run(rate).pick(mask).tolist()
        assert made == ([True] if run(rate).pick().size else [])


def test_sorted_codes_are_np_uniques_of_the_text() -> None:
    """(geography_reassigned encodes text columns by Arrow and sorts only their distinct
    values: the same sorted values and codes as np.unique of every row's text, NULL as '',
    over chunks and non-ASCII text.)"""
    rng = np.random.default_rng(1)
    pool = np.array(["E0001", "E0002", "", "W01", "é1", "E0001x", "a", "Z"], dtype=object)
    values = pool[rng.integers(0, len(pool), 1000)]
    array = pa.array(values, type=pa.string(), mask=rng.random(1000) < 0.1)
    for column in (pa.chunked_array([array]), pa.chunked_array([array[:300], array[300:]])):
        run = SimpleNamespace(table=pa.table({"c": column}))
        run.values = lambda name, missing, run=run: pc.fill_null(
            run.table.column(name), missing).to_numpy()
        names, codes = _sorted_codes(run, "c")
        expected_names, expected_codes = np.unique(run.values("c", "").astype(str),
                                                   return_inverse=True)
        np.testing.assert_array_equal(names, expected_names)
        np.testing.assert_array_equal(codes, expected_codes)


def test_a_ks4_duplicate_attains_nothing_in_any_measure(runs, catalog) -> None:
    """The second record ks4_duplicate adds holds no attainment in any column derived from the
    grades, not only in the attributes it zeroes: counts, thresholds and points 0, grades and
    progress NULL (or the blank a later quirk makes of a NULL), "no passes" 1. A column its
    record holds NULL (one the year lacks in a multi-year table: ``KS4_EBACC_E`` before
    2010/11) stays NULL, not a 0 no record of the year holds."""
    copies = measured = kept_null = 0
    for rel in _quirk_relations(catalog, "ks4_duplicate"):
        table = _read(runs["messy"], rel)
        named = {col.spec.name: col.name for col in rel.columns}
        keys = list(zip(*(table.column(named[n]).to_pylist() for n in (
            "KS4_PupilMatchingRefAnonymous", "KS4_ACADYR")), strict=True))
        last = {key: i for i, key in enumerate(keys)}  # the copy is appended after its record
        first = {key: i for i, key in reversed(list(enumerate(keys)))}
        seen = {key for i, key in enumerate(keys) if last[key] != i}
        rows = sorted(last[key] for key in seen)
        originals = [first[keys[i]] for i in rows]
        copies += len(rows)
        for col in rel.columns:
            fill = col.spec.fill
            if fill.kind != "derive" or fill.derive not in KS4_NOTHING_ATTAINED:
                continue
            want = KS4_NOTHING_ATTAINED[fill.derive]
            if fill.derive == "ks4_progress8" and dict(fill.params).get("what") == "included":
                want = 0
            values = table.column(col.name)
            for i, j in zip(rows, originals, strict=True):
                got = values[i].as_py()
                if values[j].as_py() is None and want is not None:
                    assert got in (None, ""), (rel.name, col.name, got)
                    kept_null += 1
                    continue
                allowed = {None, ""} if want is None else {want, str(want), float(want)}
                assert got in allowed, (rel.name, col.name, got)
            measured += 1
    assert copies > 0 and measured > 100 and kept_null > 0


def test_every_ks4_measure_of_the_grades_is_zeroed_for_a_duplicate(catalog) -> None:
    """Every KS4 pupil column derived from the pupil's grades (a ``ks4_`` derivation other
    than the KS2 and KS3 prior attainment) has its value for a record without attainment in
    KS4_NOTHING_ATTAINED, so a new measure cannot leak a duplicate's grades unchecked."""
    derivations = {col.fill.derive for col in catalog.table("ks4_pupil").columns
                   if col.fill.kind == "derive" and col.fill.derive.startswith("ks4_")}
    assert derivations - {"ks4_prior"} - set(KS4_NOTHING_ATTAINED) == set()
