"""The whole LEO I2 catalogue: every VRF table and field, code lists and populated years.

The reference is the checked-in field list `schemas/vrf/vrf_fields.csv` (derived from the
variable request form by tools/vrf_extract.py) with the documented name fixes in
`schemas/vrf/field_name_fixes.csv`; the xlsx itself is not needed.
"""

from __future__ import annotations

import csv
import re
import sqlite3
from collections import defaultdict
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from conftest import ROOT

from leo_synth.engine.generate import LEDGER_RELATION
from leo_synth.quirks.restore import restore
from leo_synth.readers import read_parquet
from leo_synth.relations.fill import storable_codes
from leo_synth.request import short_name
from leo_synth.spec.model import substitute
from leo_synth.spec.years import parse_years

VRF = ROOT / "schemas" / "vrf"


def vrf_fields() -> dict[str, set[str]]:
    """VRF field names per table key, lower-cased (SQL names are case-insensitive)."""
    fixes = {}
    with open(VRF / "field_name_fixes.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            fixes[(row["table"], row["vrf_field"])] = row["spec_fields"].split(";")
    fields: dict[str, set[str]] = defaultdict(set)
    with open(VRF / "vrf_fields.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for name in fixes.get((row["table"], row["field"]), [row["field"]]):
                fields[row["table"]].add(name.lower())
    return fields


def test_every_vrf_table_has_a_spec_table(catalog) -> None:
    covered = {t.vrf_table for t in catalog.tables if t.vrf_table}
    assert set(vrf_fields()) == covered


def test_spec_columns_equal_the_vrf_field_list(catalog) -> None:
    fields = vrf_fields()
    for table in catalog.tables:
        if not table.vrf_table:
            continue
        spec = {c.name.lower() for c in table.columns if 2 in c.iterations}
        assert spec == fields[table.vrf_table], (
            table.name, sorted(spec - fields[table.vrf_table]),
            sorted(fields[table.vrf_table] - spec))


def name_rules() -> dict[tuple[str, str], list[dict[str, str]]]:
    """The physical-name rules per (table, column), read straight from the CSV."""
    rules: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    with open(VRF / "physical_name_rules.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rules[(row["table"], row["column"])].append(row)
    return rules


def _rule_years(row: dict[str, str], view_years: frozenset[int], term: str) -> set[int]:
    terms = ["" if t == "plasc" else t for t in row["terms"].split(";")] if row["terms"] else None
    return set() if terms is not None and term not in terms else \
        set(parse_years(row["years"]) & view_years)


def test_relation_columns_equal_the_spec(catalog) -> None:
    """Each physical relation has exactly the spec's columns that exist in its years/terms,
    under their VRF names, except in the years a physical-name rule names (or drops) them."""
    rules = name_rules()
    renamed = 0
    for rel in catalog.relations(2):
        expected = set()
        for col in rel.table.columns:
            if 2 not in col.iterations:
                continue
            names: dict[str, set[int]] = {}
            covered: set[int] = set()
            absent: set[int] = set()
            for row in rules.get((rel.table.name, col.name), []):
                years = _rule_years(row, rel.years, rel.term)
                covered |= years
                if not row["physical"]:
                    absent |= years
                elif years:
                    names.setdefault(row["physical"], set()).update(years)
            renamed += bool(covered)
            vrf = set(rel.years if col.years is None or rel.table.calendar == "none"
                      else rel.years & col.years) - covered
            if (col.terms is None or rel.term in col.terms) and (
                    vrf or rel.table.calendar == "none"):
                names.setdefault(col.name, set()).update(vrf)
            for name, years in names.items():
                if years - absent or rel.table.calendar == "none":
                    for n in range(1, col.repeat + 1) if col.repeat else [None]:
                        expected.add((col.name, substitute(name, rel.year, rel.term, n),
                                      frozenset(years - absent)))
        assert {(c.spec.name, c.name, c.active_years) for c in rel.columns} == expected, rel.name
    assert renamed > 200


def test_every_vrf_old_name_is_a_rule(catalog) -> None:
    """The VRF's old names (``SENstatus_[term][yy] 2002/03-2004/05``) are each applied by a
    rule of the table, in per-year views, so the VRF name set is covered in every year."""
    per_year = {t.vrf_table: t for t in catalog.tables if t.per_year}
    stems = {(table, short_name(r["physical"]).lower())
             for (table, _), rows in name_rules().items() for r in rows}
    checked = 0
    with open(VRF / "vrf_fields.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["table"] not in per_year:
                continue
            for note in filter(None, row["old_names"].split(" | ")):
                word = note.split()[0].replace("[term[yy])", "[term][yy]")
                if word.startswith(("Based", "(")):
                    continue  # a note, not a name
                table = per_year[row["table"]]
                said = [int(y) for y in re.findall(r"(\d{4})/\d\d", note)]
                if said and max(said) < min(table.years):
                    continue  # the old name's years are before the table's (census notes)
                assert (table.name, short_name(word).lower()) in stems, (row, word)
                checked += 1
    assert checked >= 20


def test_counts_against_the_vrf(catalog) -> None:
    fields = vrf_fields()
    total_vrf = sum(len(v) for v in fields.values())
    total_spec = sum(len([c for c in t.columns if 2 in c.iterations]) for t in catalog.tables
                     if t.vrf_table)
    assert total_spec == total_vrf
    assert len(catalog.relations(2)) > len(fields)  # per-year views expand the tables
    # the figures README.md quotes ("187 relations ..."): update both together
    produced = {i: (len(catalog.relations(i)),
                    sum(len(rel.columns) for rel in catalog.relations(i))) for i in (1, 2)}
    assert produced == {2: (188, 18_840), 1: (165, 16_674)}


def _clean_table(folder: Path, catalog, rel) -> pa.Table:
    """A relation of the suite's realistic extract with its injected defects undone by the
    answer key: the values the generator means (blank strings, -1 sentinels and placeholder
    dates are the quirks' own, checked in test_quirks.py)."""
    ledger_rel = next(r for r in catalog.relations(2) if r.name == LEDGER_RELATION)
    return restore(read_parquet(folder, rel), rel.name, read_parquet(folder, ledger_rel))


def test_code_listed_columns_hold_only_listed_values(small_parquet, catalog) -> None:
    checked = 0
    for rel in catalog.relations(2):
        table = _clean_table(small_parquet, catalog, rel)
        if table.num_rows == 0:
            continue
        for col in rel.columns:
            codes = storable_codes(col.spec)
            if not codes:
                continue
            values = pc.unique(table.column(col.name).drop_null()).to_pylist()
            if col.spec.type.kind in ("integer", "float", "decimal"):
                allowed = {round(float(c), 6) for c in codes}
                bad = [v for v in values if round(float(v), 6) not in allowed]
            else:
                allowed = set(codes)
                bad = [v for v in values if str(v) not in allowed]
            assert not bad, (rel.name, col.name, bad[:5])
            checked += 1
    assert checked > 500


def test_text_fits_its_declared_length(small_parquet, catalog) -> None:
    """Every text value, defects included, fits its column's declared length, as PostgreSQL
    (and SQL Server) enforce it; SQLite and Parquet do not, so a code longer than its column
    (cla_PLACE_LOCATION's OUT in a varchar(2)) showed only when loading PostgreSQL."""
    checked = 0
    for rel in catalog.relations(2):
        table = read_parquet(small_parquet, rel)
        for col in rel.columns:
            length = col.spec.type.length
            if col.spec.type.kind != "string" or length is None or table.num_rows == 0:
                continue
            longest = pc.max(pc.utf8_length(table.column(col.name))).as_py()
            assert longest is None or longest <= length, (rel.name, col.name, longest, length)
            checked += 1
    assert checked > 1000


def test_ranges_hold(small_parquet, catalog) -> None:
    checked = 0
    for rel in catalog.relations(2):
        table = _clean_table(small_parquet, catalog, rel)
        for col in rel.columns:
            if col.spec.value_range is None or col.spec.codes or table.num_rows == 0:
                continue
            low, high = col.spec.value_range
            extremes = pc.min_max(table.column(col.name))
            lo, hi = extremes["min"].as_py(), extremes["max"].as_py()
            if lo is not None:
                assert low <= float(lo) and float(hi) <= high, (rel.name, col.name, lo, hi)
                checked += 1
    assert checked > 100


@pytest.mark.parametrize("relation,year_column,year_value,column", [
    ("KS4Pupil_2015_to_2021", "KS4_ACADYR", "2014/2015", "KS4_ATT8"),  # ATT8 from 2015/16
    ("KS4Pupil_2015_to_2021", "KS4_ACADYR", "2015/2016", "KS4_L2BASICS_94"),  # 9-1 from 2016/17
])
def test_null_outside_populated_years_in_multi_year_views(small_sqlite, relation, year_column,
                                                          year_value, column) -> None:
    db, _ = small_sqlite
    with sqlite3.connect(db) as conn:
        rows, filled = conn.execute(
            f'SELECT COUNT(*), COUNT("{column}") FROM "{relation}" WHERE "{year_column}" = ?',
            (year_value,)).fetchone()
        later = conn.execute(f'SELECT COUNT("{column}") FROM "{relation}" WHERE '
                             f'"{year_column}" > ?', (year_value,)).fetchone()[0]
    assert rows > 0 and filled == 0 and later > 0


def test_per_year_views_drop_columns_not_collected(catalog) -> None:
    views = {rel.name: {c.name for c in rel.columns} for rel in catalog.relations(2)}
    assert "OnRoll_spr08" not in views["spring_census_2008"]
    assert "OnRoll_spr09" in views["spring_census_2009"]
    assert any(name.startswith("Reason_40_ex") for name in views["exclusions_table_2_2012"])


def test_iteration_one_is_a_smaller_older_layout(catalog) -> None:
    one = {rel.name for rel in catalog.relations(1)}
    two = {rel.name for rel in catalog.relations(2)}
    assert "NCCIS_2011_to_2019" in one and "nccis_2011_to_2021" in two
    assert "ucas_2007_to_2021" not in one and "leo_cjrs" not in one
    assert not any(name.endswith("_2021") for name in one)
    assert len(one) < len(two)
